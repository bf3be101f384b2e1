//! A node of a plan's tree: a goal, an objective, an initiative, or any level the plan names.

use crate::{
    Cadence, CalendarDate, Code, DepartmentId, LongText, Name, NodeId, Period, PersonId, PlanId,
    ValidationError,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// When an initiative is meant to happen, as plans say it: short-term, long-term,
/// or a fiscal year. Plans print it as a label beside a table of initiatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Horizon {
    /// Within the first part of the plan's period.
    ShortTerm,
    /// Later in the plan's period, or beyond it.
    LongTerm,
    /// In the named fiscal year (`FY2026`).
    FiscalYear(i32),
}

impl Horizon {
    /// The first and last day a horizon covers within a plan's period. A plan of
    /// N years splits in two: short-term is its first ⌈N/2⌉ years, long-term the
    /// rest (the whole period for a one-year plan); a fiscal year is the calendar
    /// year of that number. A node's own start and due dates take precedence.
    pub fn window(self, period: Period) -> (CalendarDate, CalendarDate) {
        let years = period.end_year - period.start_year + 1;
        let split = period.start_year + (years + 1) / 2;
        let (first, last) = match self {
            Self::ShortTerm => (period.start_year, split - 1),
            Self::LongTerm if years == 1 => (period.start_year, period.end_year),
            Self::LongTerm => (split, period.end_year),
            Self::FiscalYear(y) => (y, y),
        };
        (year_start(first), year_end(last))
    }
}

fn year_start(year: i32) -> CalendarDate {
    let clamped = year.clamp(CalendarDate::MIN_YEAR, CalendarDate::MAX_YEAR);
    CalendarDate::new(
        time::Date::from_calendar_date(clamped, time::Month::January, 1).expect("January 1 exists"),
    )
    .expect("year clamped into range")
}

fn year_end(year: i32) -> CalendarDate {
    let clamped = year.clamp(CalendarDate::MIN_YEAR, CalendarDate::MAX_YEAR);
    CalendarDate::new(
        time::Date::from_calendar_date(clamped, time::Month::December, 31)
            .expect("December 31 exists"),
    )
    .expect("year clamped into range")
}

impl FromStr for Horizon {
    type Err = String;

    /// Accepts the spellings plans print (`Short-Term`, `short term`, `near term`,
    /// `Longer term`, `FY2026`, `FY 26`) and normalizes them.
    fn from_str(raw: &str) -> Result<Self, String> {
        let folded: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        match folded.as_str() {
            "shortterm" | "nearterm" => return Ok(Self::ShortTerm),
            "longterm" | "longerterm" => return Ok(Self::LongTerm),
            _ => {}
        }
        if let Some(digits) = folded.strip_prefix("fy") {
            let year = match (digits.len(), digits.parse::<i32>()) {
                (4, Ok(y)) if (1900..=2200).contains(&y) => Some(y),
                (2, Ok(y)) => Some(2000 + y),
                _ => None,
            };
            if let Some(year) = year {
                return Ok(Self::FiscalYear(year));
            }
        }
        Err(format!(
            "unknown horizon {raw:?}; expected short-term, long-term or a fiscal year such as FY2026"
        ))
    }
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ShortTerm => f.write_str("short-term"),
            Self::LongTerm => f.write_str("long-term"),
            Self::FiscalYear(y) => write!(f, "FY{y}"),
        }
    }
}

impl TryFrom<String> for Horizon {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<Horizon> for String {
    fn from(h: Horizon) -> String {
        h.to_string()
    }
}

impl PartialSchema for Horizon {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "`short-term`, `long-term`, or a fiscal year such as `FY2026`.",
            ))
            .examples([serde_json::json!("short-term")])
            .into()
    }
}

impl ToSchema for Horizon {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Horizon")
    }
}

/// How much a node counts in its parent's roll-up: a finite number from 0 to 1000.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl PartialSchema for Weight {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Double,
            )))
            .minimum(Some(0.0))
            .maximum(Some(1000.0))
            .examples([serde_json::json!(1.0)])
            .into()
    }
}

impl ToSchema for Weight {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Weight")
    }
}

impl Weight {
    /// The weight a node has unless the plan says otherwise.
    pub const DEFAULT: Weight = Weight(1.0);

    /// A weight, or why it cannot be one.
    pub fn new(value: f64) -> Result<Self, String> {
        if !value.is_finite() || !(0.0..=1000.0).contains(&value) {
            return Err(format!(
                "weight must be a number from 0 to 1000, got {value}"
            ));
        }
        Ok(Self(value))
    }

    /// The number itself.
    pub fn value(self) -> f64 {
        self.0
    }
}

impl Default for Weight {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<f64> for Weight {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        Self::new(value)
    }
}

impl From<Weight> for f64 {
    fn from(w: Weight) -> f64 {
        w.0
    }
}

/// A node of a plan as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Node {
    /// Its identifier.
    pub id: NodeId,
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// Its parent node (in the same plan); none for a top-level node.
    pub parent_id: Option<NodeId>,
    /// Its code as printed in the plan, unique within the plan.
    pub code: Option<Code>,
    /// Its title.
    pub title: Name,
    /// What it is about.
    pub description: Option<LongText>,
    /// Its level: an index into the plan's level names, 0 for the top.
    pub level: u8,
    /// Its place among its siblings, from 0.
    pub position: i32,
    /// The person accountable for delivering it.
    pub owner_id: Option<PersonId>,
    /// The senior sponsor (for goals, above all).
    pub sponsor_id: Option<PersonId>,
    /// The department that delivers it.
    pub department_id: Option<DepartmentId>,
    /// When it is meant to happen.
    pub horizon: Option<Horizon>,
    /// When work starts.
    pub start_date: Option<CalendarDate>,
    /// When it is due.
    pub due_date: Option<CalendarDate>,
    /// How much it counts in its parent's roll-up.
    pub weight: Weight,
    /// How often its owner is expected to check in.
    pub cadence: Cadence,
}

impl Node {
    /// When the node is meant to start and be done: its own dates where it has
    /// them, otherwise its horizon's window within the plan's period.
    pub fn schedule(&self, period: Period) -> Schedule {
        let window = self.horizon.map(|h| h.window(period));
        Schedule {
            start: self.start_date.or(window.map(|w| w.0)),
            due: self.due_date.or(window.map(|w| w.1)),
        }
    }
}

/// A node's start and due dates as they apply: its own, or its horizon's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Schedule {
    /// When work starts.
    pub start: Option<CalendarDate>,
    /// When it is due.
    pub due: Option<CalendarDate>,
}

/// What a client sends to create or replace a node. Where it goes in the tree
/// (plan, parent, level) is checked against the stored plan by the services layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeDraft {
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// Its parent node, in the same plan.
    #[serde(default)]
    pub parent_id: Option<NodeId>,
    /// Its code, unique within the plan.
    #[serde(default)]
    pub code: Option<Code>,
    /// Its title.
    pub title: Name,
    /// What it is about.
    #[serde(default)]
    pub description: Option<LongText>,
    /// Its level; one below its parent (or 0 at the top) when omitted.
    #[serde(default)]
    pub level: Option<u8>,
    /// Its place among its siblings; after the last one when omitted.
    #[serde(default)]
    pub position: Option<i32>,
    /// The accountable person.
    #[serde(default)]
    pub owner_id: Option<PersonId>,
    /// The senior sponsor.
    #[serde(default)]
    pub sponsor_id: Option<PersonId>,
    /// The delivering department.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// When it is meant to happen.
    #[serde(default)]
    pub horizon: Option<Horizon>,
    /// When work starts.
    #[serde(default)]
    pub start_date: Option<CalendarDate>,
    /// When it is due.
    #[serde(default)]
    pub due_date: Option<CalendarDate>,
    /// How much it counts in its parent's roll-up; 1 when omitted.
    #[serde(default)]
    pub weight: Option<Weight>,
    /// How often its owner is expected to check in; none when omitted.
    #[serde(default)]
    pub cadence: Cadence,
}

/// Checks the rules a node's own fields must keep together.
pub fn check_dates(
    start: Option<CalendarDate>,
    due: Option<CalendarDate>,
) -> Result<(), ValidationError> {
    if let (Some(start), Some(due)) = (start, due)
        && due < start
    {
        return Err(ValidationError::new(
            "due_date",
            format!("due date {due} is before start date {start}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizons_accept_printed_spellings() {
        assert_eq!("Short-Term".parse::<Horizon>().unwrap(), Horizon::ShortTerm);
        assert_eq!("SHORT TERM".parse::<Horizon>().unwrap(), Horizon::ShortTerm);
        assert_eq!("Near term".parse::<Horizon>().unwrap(), Horizon::ShortTerm);
        assert_eq!("Longer term".parse::<Horizon>().unwrap(), Horizon::LongTerm);
        assert_eq!(
            "FY 2026".parse::<Horizon>().unwrap(),
            Horizon::FiscalYear(2026)
        );
        assert_eq!(
            "fy26".parse::<Horizon>().unwrap(),
            Horizon::FiscalYear(2026)
        );
        assert!(
            "someday"
                .parse::<Horizon>()
                .unwrap_err()
                .contains("unknown horizon")
        );
    }

    #[test]
    fn horizons_print_canonically() {
        assert_eq!(Horizon::LongTerm.to_string(), "long-term");
        assert_eq!(Horizon::FiscalYear(2027).to_string(), "FY2027");
    }

    #[test]
    fn horizons_resolve_against_the_plan_period() {
        let five = Period {
            start_year: 2025,
            end_year: 2029,
        };
        let show = |(a, b): (CalendarDate, CalendarDate)| format!("{a}..{b}");
        assert_eq!(
            show(Horizon::ShortTerm.window(five)),
            "2025-01-01..2027-12-31"
        );
        assert_eq!(
            show(Horizon::LongTerm.window(five)),
            "2028-01-01..2029-12-31"
        );
        let four = Period {
            start_year: 2024,
            end_year: 2027,
        };
        assert_eq!(
            show(Horizon::ShortTerm.window(four)),
            "2024-01-01..2025-12-31"
        );
        assert_eq!(
            show(Horizon::LongTerm.window(four)),
            "2026-01-01..2027-12-31"
        );
        let one = Period {
            start_year: 2026,
            end_year: 2026,
        };
        assert_eq!(
            show(Horizon::ShortTerm.window(one)),
            "2026-01-01..2026-12-31"
        );
        assert_eq!(
            show(Horizon::LongTerm.window(one)),
            "2026-01-01..2026-12-31"
        );
        assert_eq!(
            show(Horizon::FiscalYear(2027).window(five)),
            "2027-01-01..2027-12-31"
        );
    }

    #[test]
    fn a_node_s_own_dates_override_its_horizon() {
        let node = Node {
            id: NodeId(1),
            plan_id: PlanId(1),
            parent_id: None,
            code: None,
            title: Name::parse("Retire the mainframe").unwrap(),
            description: None,
            level: 0,
            position: 0,
            owner_id: None,
            sponsor_id: None,
            department_id: None,
            horizon: Some(Horizon::LongTerm),
            start_date: None,
            due_date: "2028-06-30".parse().ok(),
            weight: Weight::DEFAULT,
            cadence: Cadence::Monthly,
        };
        let s = node.schedule(Period {
            start_year: 2025,
            end_year: 2029,
        });
        assert_eq!(
            s.start.unwrap().to_string(),
            "2028-01-01",
            "from the horizon"
        );
        assert_eq!(s.due.unwrap().to_string(), "2028-06-30", "the node's own");
        let none = Node {
            horizon: None,
            due_date: None,
            ..node
        };
        assert_eq!(
            none.schedule(Period {
                start_year: 2025,
                end_year: 2029
            }),
            Schedule {
                start: None,
                due: None
            }
        );
    }

    #[test]
    fn weights_are_finite_and_bounded() {
        assert!(Weight::new(-1.0).is_err());
        assert!(Weight::new(f64::NAN).is_err());
        assert!(Weight::new(0.0).is_ok());
    }

    #[test]
    fn due_date_cannot_precede_start() {
        let start = "2026-05-01".parse().ok();
        let due = "2026-04-01".parse().ok();
        assert_eq!(check_dates(start, due).unwrap_err().field, "due_date");
        assert!(check_dates(due, start).is_ok());
    }
}
