//! Plan-as-code in storage: a whole validated document written in one
//! transaction, and everything an export needs read back.

use crate::error::on_conflict;
use crate::measures::{MEASURE_COLUMNS, MeasureRow};
use crate::milestones::MilestoneRow;
use crate::plans::{PLAN_COLUMNS, json};
use crate::rows::{
    DepartmentRow, NODE_COLUMNS, NodeRow, PersonRow, PlanRow, TagRow, convert, text,
};
use crate::tx::Tx;
use crate::{Result, StorageError, Store};
use lodestar_domain::document::{FlatNode, PlanDocument};
use lodestar_domain::*;
use std::collections::HashMap;

/// An alignment link leaving a plan, with its target named as plan-as-code names it.
#[derive(Debug, Clone)]
pub struct OutgoingLink {
    /// The supporting node, in the exported plan.
    pub from: NodeId,
    /// The key of the supported node's plan.
    pub plan_key: Key,
    /// The supported node's code, if it has one.
    pub code: Option<Code>,
    /// The supported node's title, to name it when it has no code.
    pub title: Name,
    /// How it supports it.
    pub note: Option<LongText>,
}

/// Everything stored about one plan that its plan-as-code document shows.
#[derive(Debug, Clone)]
pub struct ExportedPlan {
    /// The plan.
    pub plan: Plan,
    /// Its organization.
    pub organization: Organization,
    /// The name of the organization above it, if any.
    pub parent_organization: Option<Name>,
    /// Its nodes, unordered.
    pub nodes: Vec<Node>,
    /// Its tags.
    pub tags: Vec<Tag>,
    /// The tag keys on each node.
    pub node_tags: HashMap<NodeId, Vec<Key>>,
    /// The people its nodes name as owner or sponsor.
    pub people: Vec<Person>,
    /// The departments its nodes or those people name.
    pub departments: Vec<Department>,
    /// Its links to nodes of other plans.
    pub supports: Vec<OutgoingLink>,
    /// The milestones of its nodes, in order within each node.
    pub milestones: Vec<Milestone>,
    /// The measures of its nodes, in order within each node.
    pub measures: Vec<Measure>,
}

impl Store {
    /// Writes a validated plan document (`flat` is what `PlanDocument::validate`
    /// returned) as a new plan, in one transaction: the organization, departments
    /// and people are created where missing, then the plan, tags, nodes, tag
    /// attachments and alignment links. Nothing is written if any step fails.
    pub async fn import_document(
        &self,
        doc: &PlanDocument,
        flat: &[FlatNode<'_>],
    ) -> Result<PlanId> {
        let mut tx = self.begin().await?;
        let plan = write_document(&mut tx, doc, flat).await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// Reads everything the plan-as-code document of a plan shows, in one
    /// read transaction so the parts agree with each other.
    pub async fn export_parts(&self, id: PlanId) -> Result<ExportedPlan> {
        let plan_sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1");
        let node_sql = format!(
            "SELECT {NODE_COLUMNS} FROM nodes WHERE plan_id = $1 AND retired_in_revision IS NULL"
        );
        let people_sql = format!(
            "SELECT id, organization_id, name, email, department_id FROM people WHERE id IN ({REFERENCED_PEOPLE}) \
             ORDER BY name, id"
        );
        let department_sql = format!(
            "SELECT id, organization_id, name FROM departments WHERE id IN \
             (SELECT department_id FROM nodes WHERE plan_id = $1 UNION SELECT p.department_id FROM people p WHERE p.id IN \
             ({REFERENCED_PEOPLE})) ORDER BY name, id"
        );
        let milestone_sql = "SELECT m.id, m.node_id, m.title, m.due_date, m.done_date, m.position FROM milestones m \
             JOIN nodes n ON n.id = m.node_id WHERE n.plan_id = $1 ORDER BY m.node_id, m.position, m.id";
        let measure_sql = format!(
            "SELECT {MEASURE_COLUMNS} FROM measures WHERE plan_id = $1 ORDER BY node_id, position, id"
        );
        let tag_sql = "SELECT id, plan_id, tag_key, name, description FROM tags WHERE plan_id = $1 ORDER BY tag_key";
        let node_tag_sql = "SELECT nt.node_id, t.tag_key FROM node_tags nt JOIN tags t ON t.id = nt.tag_id \
             WHERE t.plan_id = $1 ORDER BY t.tag_key";
        let link_sql = "SELECT a.from_node_id, p.plan_key, o.code, o.title, a.note FROM alignments a \
             JOIN nodes f ON f.id = a.from_node_id JOIN nodes o ON o.id = a.to_node_id JOIN plans p ON p.id = o.plan_id \
             WHERE f.plan_id = $1 ORDER BY p.plan_key, o.code, a.id";
        type LinkRow = (i64, String, Option<String>, String, Option<String>);
        let (
            plan,
            org,
            parent,
            nodes,
            people,
            departments,
            tags,
            node_tags,
            links,
            milestones,
            measures,
        ) = on_backend!(self, read, pool => {
            let mut tx = pool.begin().await?;
            let plan: Option<PlanRow> = sqlx::query_as(&plan_sql).bind(id.0).fetch_optional(&mut *tx).await?;
            let plan: Plan = plan.ok_or_else(|| StorageError::not_found("plan", id))?.try_into()?;
            let org: (i64, String, Option<i64>) =
                sqlx::query_as("SELECT id, name, parent_id FROM organizations WHERE id = $1")
                    .bind(plan.organization_id.0)
                    .fetch_one(&mut *tx)
                    .await?;
            let parent: Option<String> = match org.2 {
                Some(p) => Some(
                    sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1").bind(p).fetch_one(&mut *tx).await?,
                ),
                None => None,
            };
            let nodes: Vec<NodeRow> = sqlx::query_as(&node_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let people: Vec<PersonRow> = sqlx::query_as(&people_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let departments: Vec<DepartmentRow> = sqlx::query_as(&department_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let milestones: Vec<MilestoneRow> = sqlx::query_as(milestone_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let measures: Vec<MeasureRow> = sqlx::query_as(&measure_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let tags: Vec<TagRow> = sqlx::query_as(tag_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let node_tags: Vec<(i64, String)> = sqlx::query_as(node_tag_sql).bind(id.0).fetch_all(&mut *tx).await?;
            let links: Vec<LinkRow> = sqlx::query_as(link_sql).bind(id.0).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            (plan, org, parent, nodes, people, departments, tags, node_tags, links, milestones, measures)
        });
        let corrupt = |what: &str, m: String| StorageError::Corrupt(format!("{what}: {m}"));
        let organization = Organization {
            id: OrganizationId(org.0),
            name: Name::parse(&org.1).map_err(|m| corrupt("organization name", m))?,
            parent_id: org.2.map(OrganizationId),
        };
        let mut tag_map: HashMap<NodeId, Vec<Key>> = HashMap::new();
        for (node, key) in node_tags {
            tag_map
                .entry(NodeId(node))
                .or_default()
                .push(Key::parse(&key).map_err(|m| corrupt("tag key", m))?);
        }
        let supports = links
            .into_iter()
            .map(|(from, plan_key, code, title, note)| {
                Ok(OutgoingLink {
                    from: NodeId(from),
                    plan_key: Key::parse(&plan_key).map_err(|m| corrupt("plan key", m))?,
                    code: code
                        .map(|c| Code::parse(&c))
                        .transpose()
                        .map_err(|m| corrupt("code", m))?,
                    title: Name::parse(&title).map_err(|m| corrupt("title", m))?,
                    note: note
                        .map(|n| LongText::parse(&n))
                        .transpose()
                        .map_err(|m| corrupt("note", m))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ExportedPlan {
            plan,
            organization,
            parent_organization: parent
                .map(|p| Name::parse(&p))
                .transpose()
                .map_err(|m| corrupt("organization", m))?,
            nodes: convert(nodes)?,
            tags: convert(tags)?,
            node_tags: tag_map,
            people: convert(people)?,
            departments: convert(departments)?,
            supports,
            milestones: convert(milestones)?,
            measures: convert(measures)?,
        })
    }
}

/// Writes a validated plan document (`flat` is what `PlanDocument::validate`
/// returned) as a new plan within `tx`: the organization, departments and
/// people are created where missing, then the plan, tags, nodes with their
/// milestones and measures, tag attachments and alignment links.
pub(crate) async fn write_document(
    tx: &mut Tx,
    doc: &PlanDocument,
    flat: &[FlatNode<'_>],
) -> Result<PlanId> {
    on_tx!(tx, conn => {
        let parent: Option<i64> = match &doc.organization.parent {
            Some(name) => Some(
                sqlx::query_scalar(
                    "INSERT INTO organizations (name) VALUES ($1) \
                     ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(name.as_str())
                .fetch_one(&mut *conn)
                .await?,
            ),
            None => None,
        };
        let org: i64 = sqlx::query_scalar(
            "INSERT INTO organizations (name, parent_id) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET parent_id = COALESCE(excluded.parent_id, organizations.parent_id), \
             version = organizations.version + CASE WHEN organizations.parent_id IS DISTINCT FROM \
             COALESCE(excluded.parent_id, organizations.parent_id) THEN 1 ELSE 0 END \
             RETURNING id",
        )
        .bind(doc.organization.name.as_str())
        .bind(parent)
        .fetch_one(&mut *conn)
        .await?;

        let mut departments: HashMap<&str, i64> = HashMap::new();
        for d in &doc.departments {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO departments (organization_id, name) VALUES ($1, $2) \
                 ON CONFLICT (organization_id, name) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(org)
            .bind(d.name.as_str())
            .fetch_one(&mut *conn)
            .await?;
            departments.insert(d.name.as_str(), id);
        }
        let department = |name: &Option<Name>| name.as_ref().and_then(|n| departments.get(n.as_str()).copied());

        let mut people: HashMap<&str, i64> = HashMap::new();
        for p in &doc.people {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO people (organization_id, name, email, department_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (organization_id, name) DO UPDATE SET \
                 email = COALESCE(excluded.email, people.email), \
                 department_id = COALESCE(excluded.department_id, people.department_id), \
                 version = people.version + CASE WHEN people.email IS DISTINCT FROM COALESCE(excluded.email, people.email) \
                 OR people.department_id IS DISTINCT FROM COALESCE(excluded.department_id, people.department_id) \
                 THEN 1 ELSE 0 END RETURNING id",
            )
            .bind(org)
            .bind(p.name.as_str())
            .bind(text(&p.email))
            .bind(department(&p.department))
            .fetch_one(&mut *conn)
            .await?;
            people.insert(p.name.as_str(), id);
        }
        let person = |name: &Option<Name>| name.as_ref().and_then(|n| people.get(n.as_str()).copied());

        let plan: i64 = sqlx::query_scalar(
            "INSERT INTO plans (organization_id, plan_key, title, start_year, end_year, status, vision, mission, \
             principles_json, levels_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(org)
        .bind(doc.key.as_str())
        .bind(doc.title.as_str())
        .bind(doc.period.start_year)
        .bind(doc.period.end_year)
        .bind(doc.status.as_str())
        .bind(text(&doc.vision))
        .bind(text(&doc.mission))
        .bind(json(&doc.principles))
        .bind(json(&doc.levels))
        .fetch_one(&mut *conn)
        .await
        .map_err(on_conflict("key", format!("a plan with key {:?} already exists", doc.key.as_str())))?;

        let mut tags: HashMap<&str, i64> = HashMap::new();
        for t in &doc.tags {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tags (plan_id, tag_key, name, description) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(plan)
            .bind(t.key.as_str())
            .bind(t.name.as_str())
            .bind(text(&t.description))
            .fetch_one(&mut *conn)
            .await?;
            tags.insert(t.key.as_str(), id);
        }

        let mut ids: Vec<i64> = Vec::with_capacity(flat.len());
        for f in flat {
            let e = f.entry;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO nodes (plan_id, parent_id, code, title, description, level, position, owner_id, \
                  sponsor_id, department_id, horizon, start_date, due_date, weight, cadence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            )
            .bind(plan)
            .bind(f.parent.map(|i| ids[i]))
            .bind(text(&e.code))
            .bind(e.title.as_str())
            .bind(text(&e.description))
            .bind(i32::from(f.level))
            .bind(f.position)
            .bind(person(&e.owner))
            .bind(person(&e.sponsor))
            .bind(department(&e.department))
            .bind(e.horizon.map(|h| h.to_string()))
            .bind(e.start_date.map(CalendarDate::date))
            .bind(e.due_date.map(CalendarDate::date))
            .bind(e.weight.unwrap_or_default().value())
            .bind(e.cadence.unwrap_or_default().as_str())
            .fetch_one(&mut *conn)
            .await?;
            ids.push(id);
            for (position, m) in e.milestones.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO milestones (node_id, title, due_date, done_date, position) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(m.title.as_str())
                .bind(m.due_date.map(CalendarDate::date))
                .bind(m.done_date.map(CalendarDate::date))
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .execute(&mut *conn)
                .await?;
            }
            for (position, m) in e.measures.iter().enumerate() {
                let draft = MeasureDraft {
                    node_id: NodeId(id),
                    key: m.key.clone(),
                    name: m.name.clone(),
                    description: m.description.clone(),
                    unit: m.unit.clone(),
                    direction: m.direction,
                    baseline: m.baseline,
                    targets: m.targets.clone(),
                    thresholds: m.thresholds,
                    frequency: m.frequency,
                    data_source: m.data_source.clone(),
                    owner_id: person(&m.owner).map(PersonId),
                    formula: m.formula.clone(),
                    weight: m.weight,
                    position: None,
                };
                let position = i32::try_from(position).unwrap_or(i32::MAX);
                crate::measures::insert_measure!(conn, PlanId(plan), &draft, position)?;
            }
            for key in &e.tags {
                sqlx::query("INSERT INTO node_tags (node_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(tags[key.as_str()])
                    .execute(&mut *conn)
                    .await?;
            }
            for (i, s) in e.supports.iter().enumerate() {
                let target: Option<i64> = sqlx::query_scalar(
                    "SELECT n.id FROM nodes n JOIN plans p ON p.id = n.plan_id WHERE p.plan_key = $1 AND n.code = $2",
                )
                .bind(s.plan.as_str())
                .bind(s.code.as_str())
                .fetch_optional(&mut *conn)
                .await?;
                let Some(target) = target else {
                    return Err(StorageError::Invalid(ValidationError::new(
                        format!("{}.supports[{i}]", f.path),
                        format!(
                            "no node with code {:?} in a plan with key {:?}; import that plan first",
                            s.code.as_str(),
                            s.plan.as_str()
                        ),
                    )));
                };
                sqlx::query("INSERT INTO alignments (from_node_id, to_node_id, note) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(target)
                    .bind(text(&s.note))
                    .execute(&mut *conn)
                    .await
                    .map_err(on_conflict("supports", "the same alignment link is listed twice"))?;
            }
        }
        Ok(PlanId(plan))
    })
}

/// The people a plan names: node owners and sponsors, and measure owners.
const REFERENCED_PEOPLE: &str = "SELECT owner_id FROM nodes WHERE plan_id = $1 \
     UNION SELECT sponsor_id FROM nodes WHERE plan_id = $1 UNION SELECT owner_id FROM measures WHERE plan_id = $1";
