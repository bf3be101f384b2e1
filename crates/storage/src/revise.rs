//! Revising a plan: an edited plan-as-code document applied to the stored
//! plan in one transaction, and the result kept as its next revision.
//!
//! Nodes are matched by code (nodes without a code by title, among those
//! without one); matched nodes are re-worded and moved in place, so their
//! ids — and the check-ins, observations and measures that point at them —
//! stay. Nodes the document leaves out are retired, never deleted.

use crate::nodes::MARK_PLAN_STALE;
use crate::revisions::{Revision, creator, read_snapshot_nodes};
use crate::rows::{NODE_COLUMNS, NodeRow, convert, text};
use crate::{Result, StorageError, Store};
use lodestar_domain::document::{FlatNode, PlanDocument};
use lodestar_domain::revision_diff::Snapshot;
use lodestar_domain::*;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

fn invalid(path: impl Into<String>, message: impl Into<String>) -> StorageError {
    StorageError::Invalid(ValidationError::new(path, message))
}

impl Store {
    /// Applies a validated document (`flat` is what `PlanDocument::validate`
    /// returned) to plan `id` and records the result as its next revision,
    /// all in one transaction: nothing changes if any step fails. Revision 1
    /// must exist already (see `ensure_first_revision`).
    pub async fn revise_plan(
        &self,
        id: PlanId,
        doc: &PlanDocument,
        flat: &[FlatNode<'_>],
        note: Option<&str>,
    ) -> Result<Revision> {
        let plan = self.get_plan(id).await?;
        if plan.key != doc.key {
            return Err(invalid(
                "key",
                format!(
                    "the document is plan {:?}, not {:?}; a revision keeps the plan's key",
                    doc.key.as_str(),
                    plan.key.as_str()
                ),
            ));
        }
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        tx.lock_plan(id).await?;
        let revision = on_tx!(&mut tx, conn => {
            let number: i64 = {
                let last: Option<i32> = sqlx::query_scalar("SELECT MAX(number) FROM plan_revisions WHERE plan_id = $1")
                    .bind(id.0).fetch_one(&mut *conn).await?;
                i64::from(last.unwrap_or(0)) + 1
            };
            sqlx::query(
                "UPDATE plans SET title = $1, start_year = $2, end_year = $3, status = $4, vision = $5, mission = $6, \
                 principles_json = $7, levels_json = $8, version = version + 1 WHERE id = $9",
            )
            .bind(doc.title.as_str())
            .bind(doc.period.start_year)
            .bind(doc.period.end_year)
            .bind(doc.status.as_str())
            .bind(text(&doc.vision))
            .bind(text(&doc.mission))
            .bind(crate::plans::json(&doc.principles))
            .bind(crate::plans::json(&doc.levels))
            .bind(id.0)
            .execute(&mut *conn)
            .await?;

            let mut departments: HashMap<&str, i64> = HashMap::new();
            for d in &doc.departments {
                let dept: i64 = sqlx::query_scalar(
                    "INSERT INTO departments (organization_id, name) VALUES ($1, $2) \
                     ON CONFLICT (organization_id, name) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(plan.organization_id.0).bind(d.name.as_str()).fetch_one(&mut *conn).await?;
                departments.insert(d.name.as_str(), dept);
            }
            let department = |name: &Option<Name>| name.as_ref().and_then(|n| departments.get(n.as_str()).copied());
            let mut people: HashMap<&str, i64> = HashMap::new();
            for p in &doc.people {
                let person: i64 = sqlx::query_scalar(
                    "INSERT INTO people (organization_id, name, email, department_id) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (organization_id, name) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(plan.organization_id.0).bind(p.name.as_str()).bind(text(&p.email)).bind(department(&p.department))
                .fetch_one(&mut *conn).await?;
                people.insert(p.name.as_str(), person);
            }
            let person = |name: &Option<Name>| name.as_ref().and_then(|n| people.get(n.as_str()).copied());
            let mut tags: HashMap<String, i64> = HashMap::new();
            for t in &doc.tags {
                let tag: i64 = sqlx::query_scalar(
                    "INSERT INTO tags (plan_id, tag_key, name, description) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (plan_id, tag_key) DO UPDATE SET tag_key = excluded.tag_key RETURNING id",
                )
                .bind(id.0).bind(t.key.as_str()).bind(t.name.as_str()).bind(text(&t.description))
                .fetch_one(&mut *conn).await?;
                tags.insert(t.key.as_str().to_owned(), tag);
            }

            // Every node of the plan, live or retired, to match the document's against.
            let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE plan_id = $1 ORDER BY id");
            let stored: Vec<Node> = convert(sqlx::query_as::<_, NodeRow>(&sql).bind(id.0).fetch_all(&mut *conn).await?)?;
            let retired: HashSet<i64> = sqlx::query_scalar::<_, i64>(
                "SELECT id FROM nodes WHERE plan_id = $1 AND retired_in_revision IS NOT NULL",
            )
            .bind(id.0).fetch_all(&mut *conn).await?.into_iter().collect();
            let by_code: HashMap<&str, &Node> =
                stored.iter().filter_map(|n| n.code.as_ref().map(|c| (c.as_str(), n))).collect();
            let mut matched: HashSet<NodeId> = HashSet::new();
            let node_tags: Vec<(i64, String)> = sqlx::query_as(
                "SELECT nt.node_id, t.tag_key FROM node_tags nt JOIN tags t ON t.id = nt.tag_id WHERE t.plan_id = $1",
            )
            .bind(id.0).fetch_all(&mut *conn).await?;
            let mut tags_of: HashMap<i64, HashSet<String>> = HashMap::new();
            for (node, key) in node_tags {
                tags_of.entry(node).or_default().insert(key);
            }
            let measures: Vec<(i64, i64, String)> =
                sqlx::query_as("SELECT id, node_id, measure_key FROM measures WHERE plan_id = $1")
                    .bind(id.0).fetch_all(&mut *conn).await?;
            let measure_by_key: HashMap<&str, (i64, i64)> =
                measures.iter().map(|(m, n, k)| (k.as_str(), (*m, *n))).collect();
            let mut listed_measures: HashSet<&str> = HashSet::new();

            let mut ids: Vec<i64> = Vec::with_capacity(flat.len());
            for f in flat {
                let e = f.entry;
                let existing = match &e.code {
                    Some(code) => by_code.get(code.as_str()).copied(),
                    None => stored.iter().find(|n| n.code.is_none() && n.title == e.title && !matched.contains(&n.id)),
                };
                let parent = f.parent.map(|i| ids[i]);
                let wanted = NodeDraft {
                    plan_id: id,
                    parent_id: parent.map(NodeId),
                    code: e.code.clone(),
                    title: e.title.clone(),
                    description: e.description.clone(),
                    owner_id: person(&e.owner).map(PersonId),
                    sponsor_id: person(&e.sponsor).map(PersonId),
                    department_id: department(&e.department).map(DepartmentId),
                    horizon: e.horizon,
                    start_date: e.start_date,
                    due_date: e.due_date,
                    weight: Some(e.weight.unwrap_or_default()),
                    cadence: e.cadence.unwrap_or_default(),
                    level: Some(f.level),
                    position: Some(f.position),
                };
                let node_id = match existing {
                    Some(n) => {
                        matched.insert(n.id);
                        let same = n.parent_id == wanted.parent_id && n.title == wanted.title
                            && n.description == wanted.description && n.level == f.level && n.position == f.position
                            && n.owner_id == wanted.owner_id && n.sponsor_id == wanted.sponsor_id
                            && n.department_id == wanted.department_id && n.horizon == wanted.horizon
                            && n.start_date == wanted.start_date && n.due_date == wanted.due_date
                            && n.weight == e.weight.unwrap_or_default() && n.cadence == wanted.cadence;
                        if !same || retired.contains(&n.id.0) {
                            crate::nodes::bind_node_columns!(
                                sqlx::query(
                                    "UPDATE nodes SET plan_id = $1, parent_id = $2, code = $3, title = $4, description = $5, \
                                     level = $6, position = $7, owner_id = $8, sponsor_id = $9, department_id = $10, horizon = $11, \
                                     start_date = $12, due_date = $13, weight = $14, cadence = $15, retired_in_revision = NULL, \
                                     retired_at = NULL, version = version + 1 WHERE id = $16",
                                ),
                                &wanted, f.level, f.position
                            )
                            .bind(n.id.0).execute(&mut *conn).await?;
                        }
                        n.id.0
                    }
                    None => {
                        let new: i64 = crate::nodes::bind_node_columns!(
                            sqlx::query_scalar(
                                "INSERT INTO nodes (plan_id, parent_id, code, title, description, level, position, owner_id, \
                                 sponsor_id, department_id, horizon, start_date, due_date, weight, cadence) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                            ),
                            &wanted, f.level, f.position
                        )
                        .fetch_one(&mut *conn).await?;
                        for (position, m) in e.milestones.iter().enumerate() {
                            sqlx::query(
                                "INSERT INTO milestones (node_id, title, due_date, done_date, position) VALUES ($1, $2, $3, $4, $5)",
                            )
                            .bind(new).bind(m.title.as_str()).bind(m.due_date.map(CalendarDate::date))
                            .bind(m.done_date.map(CalendarDate::date)).bind(i32::try_from(position).unwrap_or(i32::MAX))
                            .execute(&mut *conn).await?;
                        }
                        for (i, s) in e.supports.iter().enumerate() {
                            let target: Option<i64> = sqlx::query_scalar(
                                "SELECT n.id FROM nodes n JOIN plans p ON p.id = n.plan_id WHERE p.plan_key = $1 AND n.code = $2",
                            )
                            .bind(s.plan.as_str()).bind(s.code.as_str()).fetch_optional(&mut *conn).await?;
                            let Some(target) = target else {
                                return Err(invalid(
                                    format!("{}.supports[{i}]", f.path),
                                    format!("no node with code {:?} in a plan with key {:?}", s.code.as_str(), s.plan.as_str()),
                                ));
                            };
                            sqlx::query("INSERT INTO alignments (from_node_id, to_node_id, note) VALUES ($1, $2, $3)")
                                .bind(new).bind(target).bind(text(&s.note)).execute(&mut *conn).await?;
                        }
                        new
                    }
                };
                ids.push(node_id);
                let have = tags_of.remove(&node_id).unwrap_or_default();
                let want: HashSet<String> = e.tags.iter().map(|k| k.as_str().to_owned()).collect();
                for key in have.difference(&want) {
                    sqlx::query(
                        "DELETE FROM node_tags WHERE node_id = $1 AND tag_id = (SELECT id FROM tags WHERE plan_id = $2 AND tag_key = $3)",
                    )
                    .bind(node_id).bind(id.0).bind(key.as_str()).execute(&mut *conn).await?;
                }
                for key in want.difference(&have) {
                    sqlx::query("INSERT INTO node_tags (node_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(node_id).bind(tags.get(key).copied().unwrap_or_default()).execute(&mut *conn).await?;
                }
                for (position, m) in e.measures.iter().enumerate() {
                    let position = i32::try_from(position).unwrap_or(i32::MAX);
                    listed_measures.insert(m.key.as_str());
                    match measure_by_key.get(m.key.as_str()) {
                        Some((measure, on)) if *on != node_id => {
                            sqlx::query("UPDATE measures SET node_id = $1, position = $2, version = version + 1 WHERE id = $3")
                                .bind(node_id).bind(position).bind(*measure).execute(&mut *conn).await?;
                        }
                        Some(_) => {}
                        None => {
                            let draft = MeasureDraft {
                                node_id: NodeId(node_id), key: m.key.clone(), name: m.name.clone(),
                                description: m.description.clone(), unit: m.unit.clone(), direction: m.direction,
                                baseline: m.baseline, targets: m.targets.clone(), thresholds: m.thresholds,
                                frequency: m.frequency, data_source: m.data_source.clone(),
                                owner_id: person(&m.owner).map(PersonId), formula: m.formula.clone(),
                                weight: m.weight, position: None,
                            };
                            crate::measures::insert_measure!(conn, id, &draft, position)?;
                        }
                    }
                }
            }

            let live: HashSet<i64> = ids.iter().copied().collect();
            if let Some((_, _, key)) = measures.iter().find(|(_, n, k)| live.contains(n) && !listed_measures.contains(k.as_str())) {
                return Err(invalid(
                    "nodes",
                    format!(
                        "measure {key:?} is stored but missing from the document; a revision does not remove measures \
                         (delete it first, or keep it in the document)"
                    ),
                ));
            }
            for n in stored.iter().filter(|n| !live.contains(&n.id.0) && !retired.contains(&n.id.0)) {
                sqlx::query(
                    "UPDATE nodes SET retired_in_revision = $1, retired_at = $2, version = version + 1 WHERE id = $3",
                )
                .bind(i32::try_from(number).unwrap_or(i32::MAX)).bind(now).bind(n.id.0).execute(&mut *conn).await?;
            }
            sqlx::query(MARK_PLAN_STALE).bind(id.0).execute(&mut *conn).await?;

            let snapshot = Snapshot { nodes: read_snapshot_nodes!(conn, id), document: doc.clone() };
            let json = serde_json::to_string(&snapshot)
                .map_err(|e| StorageError::Corrupt(format!("revision snapshot: {e}")))?;
            sqlx::query(
                "INSERT INTO plan_revisions (plan_id, number, created_at, created_by, note, snapshot) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.0).bind(i32::try_from(number).unwrap_or(i32::MAX)).bind(now).bind(creator()).bind(note)
            .bind(json).execute(&mut *conn).await?;
            Revision { plan_id: id, number, created_at: now, created_by: creator(), note: note.map(str::to_owned), snapshot }
        });
        tx.commit().await?;
        Ok(revision)
    }
}
