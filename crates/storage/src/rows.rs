//! Rows as the database returns them, and their conversion into domain types.
//! A stored value that no longer parses is reported as damage, never papered over.

use crate::StorageError;
use lodestar_domain::*;
use time::Date;

fn parse<T>(what: &str, parsed: Result<T, String>) -> Result<T, StorageError> {
    parsed.map_err(|m| StorageError::Corrupt(format!("{what}: {m}")))
}

fn opt<T>(
    what: &str,
    raw: Option<String>,
    f: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, StorageError> {
    raw.map(|r| parse(what, f(&r))).transpose()
}

fn date(what: &str, raw: Option<Date>) -> Result<Option<CalendarDate>, StorageError> {
    raw.map(|d| parse(what, CalendarDate::new(d))).transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrganizationRow {
    id: i64,
    name: String,
    parent_id: Option<i64>,
}

impl TryFrom<OrganizationRow> for Organization {
    type Error = StorageError;
    fn try_from(r: OrganizationRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: OrganizationId(r.id),
            name: parse("organization name", Name::parse(&r.name))?,
            parent_id: r.parent_id.map(OrganizationId),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DepartmentRow {
    id: i64,
    organization_id: i64,
    name: String,
}

impl TryFrom<DepartmentRow> for Department {
    type Error = StorageError;
    fn try_from(r: DepartmentRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: DepartmentId(r.id),
            organization_id: OrganizationId(r.organization_id),
            name: parse("department name", Name::parse(&r.name))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: i64,
    organization_id: i64,
    name: String,
    email: Option<String>,
    department_id: Option<i64>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StorageError;
    fn try_from(r: PersonRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: PersonId(r.id),
            organization_id: OrganizationId(r.organization_id),
            name: parse("person name", Name::parse(&r.name))?,
            email: opt("person e-mail", r.email, Email::parse)?,
            department_id: r.department_id.map(DepartmentId),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PlanRow {
    id: i64,
    organization_id: i64,
    plan_key: String,
    title: String,
    start_year: i32,
    end_year: i32,
    status: String,
    vision: Option<String>,
    mission: Option<String>,
    principles_json: String,
    levels_json: String,
}

impl TryFrom<PlanRow> for Plan {
    type Error = StorageError;
    fn try_from(r: PlanRow) -> Result<Self, StorageError> {
        let json = |what: &str, e: serde_json::Error| StorageError::Corrupt(format!("{what}: {e}"));
        Ok(Self {
            id: PlanId(r.id),
            organization_id: OrganizationId(r.organization_id),
            key: parse("plan key", Key::parse(&r.plan_key))?,
            title: parse("plan title", Name::parse(&r.title))?,
            period: Period::new(r.start_year, r.end_year)
                .map_err(|e| StorageError::Corrupt(e.to_string()))?,
            status: parse("plan status", r.status.parse())?,
            vision: opt("vision", r.vision, LongText::parse)?,
            mission: opt("mission", r.mission, LongText::parse)?,
            principles: serde_json::from_str(&r.principles_json)
                .map_err(|e| json("principles", e))?,
            levels: serde_json::from_str(&r.levels_json).map_err(|e| json("levels", e))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct NodeRow {
    id: i64,
    plan_id: i64,
    parent_id: Option<i64>,
    code: Option<String>,
    title: String,
    description: Option<String>,
    level: i32,
    position: i32,
    owner_id: Option<i64>,
    sponsor_id: Option<i64>,
    department_id: Option<i64>,
    horizon: Option<String>,
    start_date: Option<Date>,
    due_date: Option<Date>,
    weight: f64,
    cadence: String,
}

/// The columns of `nodes`, in the order `NodeRow` reads them.
pub(crate) const NODE_COLUMNS: &str = "id, plan_id, parent_id, code, title, description, level, position, \
     owner_id, sponsor_id, department_id, horizon, start_date, due_date, weight, cadence";

impl TryFrom<NodeRow> for Node {
    type Error = StorageError;
    fn try_from(r: NodeRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: NodeId(r.id),
            plan_id: PlanId(r.plan_id),
            parent_id: r.parent_id.map(NodeId),
            code: opt("node code", r.code, Code::parse)?,
            title: parse("node title", Name::parse(&r.title))?,
            description: opt("node description", r.description, LongText::parse)?,
            level: parse(
                "node level",
                u8::try_from(r.level).map_err(|e| e.to_string()),
            )?,
            position: r.position,
            owner_id: r.owner_id.map(PersonId),
            sponsor_id: r.sponsor_id.map(PersonId),
            department_id: r.department_id.map(DepartmentId),
            horizon: opt("horizon", r.horizon, str::parse)?,
            start_date: date("start date", r.start_date)?,
            due_date: date("due date", r.due_date)?,
            weight: parse("weight", Weight::new(r.weight))?,
            cadence: parse("node cadence", r.cadence.parse())?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TagRow {
    id: i64,
    plan_id: i64,
    tag_key: String,
    name: String,
    description: Option<String>,
}

impl TryFrom<TagRow> for Tag {
    type Error = StorageError;
    fn try_from(r: TagRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: TagId(r.id),
            plan_id: PlanId(r.plan_id),
            key: parse("tag key", Key::parse(&r.tag_key))?,
            name: parse("tag name", Name::parse(&r.name))?,
            description: opt("tag description", r.description, LongText::parse)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AlignmentRow {
    id: i64,
    from_node_id: i64,
    to_node_id: i64,
    note: Option<String>,
}

impl TryFrom<AlignmentRow> for Alignment {
    type Error = StorageError;
    fn try_from(r: AlignmentRow) -> Result<Self, StorageError> {
        Ok(Self {
            id: AlignmentId(r.id),
            from_node_id: NodeId(r.from_node_id),
            to_node_id: NodeId(r.to_node_id),
            note: opt("alignment note", r.note, LongText::parse)?,
        })
    }
}

/// Converts every row, failing on the first damaged one.
pub(crate) fn convert<R, T: TryFrom<R, Error = StorageError>>(
    rows: Vec<R>,
) -> Result<Vec<T>, StorageError> {
    rows.into_iter().map(T::try_from).collect()
}

/// A text value as stored: `None` for absent.
pub(crate) fn text<T: AsRef<str>>(value: &Option<T>) -> Option<&str> {
    value.as_ref().map(AsRef::as_ref)
}
