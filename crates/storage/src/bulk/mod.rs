//! Writing a whole generated portfolio at once: multi-row `INSERT`s, a chunk
//! of rows per statement, all inside one transaction.
//!
//! The ordinary writes (`import_document`, `record_observations`,
//! `create_checkin`) make one round trip per row and refresh the cached
//! statuses after each; that is right for people typing, and far too slow for
//! a million synthetic observations. A [`BulkWriter`] takes plans that were
//! validated beforehand (a [`PlanDocument`] and what its `validate` returned),
//! inserts their rows in chunks, seeds the roll-up caches from the values it
//! wrote, and recomputes each plan's statuses in one pass (the same `rebuild`
//! a new day triggers). Nothing is visible to others, and nothing stays
//! behind on failure, until [`BulkWriter::commit`]. Every row written is in
//! the audit log, like any other write: through the triggers on SQLite, and
//! on PostgreSQL a table at a time before the commit ([`audit`]).

mod audit;

pub use proposals::{
    BulkAccount, BulkException, BulkPortfolio, BulkProposal, BulkScore, BulkTransition,
};

use crate::plans::json;
use crate::rows::text;
use crate::tx::Tx;
use crate::{Result, StorageError, Store, rollups};
use lodestar_domain::document::{FlatNode, MeasureEntry, PersonEntry, PlanDocument};
use lodestar_domain::*;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// Rows per `INSERT` statement: below SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters for the widest table written (`proposals`, 23 columns).
const CHUNK: usize = 1000;

/// A value of one of a plan's measures.
#[derive(Debug, Clone)]
pub struct BulkObservation {
    /// The measure, as its position in the plan's measures in document order
    /// (nodes in pre-order, each node's measures in order).
    pub measure: u32,
    /// The period, value and remarks.
    pub draft: ObservationDraft,
}

/// A check-in on one of a plan's nodes.
#[derive(Debug, Clone)]
pub struct BulkCheckIn {
    /// The node, as its index in the flattened document (`validate`'s order).
    pub node: u32,
    /// The author, as an index into the document's people.
    pub author: Option<u32>,
    /// The day it speaks for.
    pub date: CalendarDate,
    /// What it says; its `date` and `author_id` are ignored.
    pub draft: CheckInDraft,
}

/// An account linked to one of a plan's people.
#[derive(Debug, Clone)]
pub struct BulkUser {
    /// The address it signs in with.
    pub email: Email,
    /// Its display name.
    pub name: Name,
    /// What it may do.
    pub role: Role,
    /// The person it is, as an index into the document's people.
    pub person: Option<u32>,
}

/// One plan and everything that goes with it.
#[derive(Debug)]
pub struct BulkPlan<'a> {
    /// The plan, validated.
    pub document: &'a PlanDocument,
    /// What `document.validate()` returned. Every node must have a code.
    pub flat: &'a [FlatNode<'a>],
    /// Values of its measures.
    pub observations: &'a [BulkObservation],
    /// Check-ins on its nodes.
    pub checkins: &'a [BulkCheckIn],
    /// Accounts for its people; an address already taken is left as it is.
    pub users: &'a [BulkUser],
    /// The one password hash every account gets.
    pub password_hash: &'a str,
}

/// A node's latest check-in: its day and status, and the latest percent given with its day.
type LatestReport<'a> = (Date, &'a str, Option<(Date, f64)>);

/// An open bulk write: see the module's documentation.
pub struct BulkWriter {
    tx: Tx,
    today: Date,
    now: OffsetDateTime,
    /// PostgreSQL: the audit triggers turned off until the commit logs the rows.
    audit: Option<audit::Suspended>,
    /// The ids of what each plan written so far holds, for its portfolio.
    written: HashMap<i64, proposals::Written>,
}

impl std::fmt::Debug for BulkWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkWriter")
            .field("today", &self.today)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a bulk write whose statuses are computed as of `today`.
    pub async fn bulk_writer(&self, today: Date) -> Result<BulkWriter> {
        let mut tx = self.begin().await?;
        let audit = match &mut tx {
            Tx::Postgres(t) => Some(audit::suspend(t).await?),
            Tx::Sqlite(_) => None,
        };
        Ok(BulkWriter {
            tx,
            today,
            now: OffsetDateTime::now_utc(),
            audit,
            written: HashMap::new(),
        })
    }
}

/// Runs `$build` for each chunk of `$rows`, with a query builder that starts
/// with `$head`, and executes it.
macro_rules! insert_chunks {
    ($tx:expr, $rows:expr, $head:expr, $tail:expr, |$b:ident, $row:ident| $push:expr) => {{
        for chunk in $rows.chunks(CHUNK) {
            on_tx!(&mut $tx, conn => {
                let mut q = sqlx::QueryBuilder::new($head);
                q.push_values(chunk, |mut $b, $row| { $push; });
                q.push($tail);
                q.build().persistent(chunk.len() == CHUNK).execute(&mut *conn).await?;
            });
        }
    }};
}

// After the macro, which it uses.
mod proposals;

impl BulkWriter {
    /// Writes one plan with its organization, departments, people, nodes,
    /// tags, measures, values, check-ins and accounts, then computes its
    /// statuses. `progress` hears how many rows each step wrote.
    pub async fn write_plan(
        &mut self,
        plan: &BulkPlan<'_>,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<PlanId> {
        let doc = plan.document;
        let org = self.organization(doc).await?;
        let departments = self.departments(org, doc).await?;
        let people = self.people(org, doc, &departments).await?;
        let by_name: HashMap<&str, i64> = doc
            .people
            .iter()
            .map(|p| p.name.as_str())
            .zip(people.iter().copied())
            .collect();
        progress((doc.departments.len() + doc.people.len() + 1) as u64);
        let plan_id = self.plan_row(org, doc).await?;
        let tags = self.tags(plan_id, doc).await?;
        let nodes = self
            .nodes(plan_id, plan.flat, &by_name, &departments)
            .await?;
        self.node_tags(plan.flat, &nodes, &tags).await?;
        progress(plan.flat.len() as u64);
        let measures = self.measures(plan_id, plan.flat, &nodes, &by_name).await?;
        progress(measures.len() as u64);
        for chunk in plan.observations.chunks(CHUNK * 10) {
            self.observations(chunk, &measures).await?;
            progress(chunk.len() as u64);
        }
        for chunk in plan.checkins.chunks(CHUNK * 10) {
            self.checkins(chunk, &nodes, &people).await?;
            progress(chunk.len() as u64);
        }
        self.users(plan.users, &people, plan.password_hash).await?;
        progress(plan.users.len() as u64);
        self.seed_rollups(plan_id, plan, &nodes, &measures).await?;
        rollups::rebuild(&mut self.tx, PlanId(plan_id), self.today).await?;
        self.written.insert(
            plan_id,
            proposals::Written {
                organization: org,
                nodes,
                people,
                departments,
            },
        );
        Ok(PlanId(plan_id))
    }

    /// Makes everything written permanent.
    pub async fn commit(mut self) -> Result<()> {
        if let (Some(suspended), Tx::Postgres(t)) = (self.audit.take(), &mut self.tx) {
            audit::resume(t, suspended).await?;
        }
        self.tx.commit().await
    }

    async fn organization(&mut self, doc: &PlanDocument) -> Result<i64> {
        let parent = match &doc.organization.parent {
            Some(name) => Some(self.upsert_organization(name.as_str(), None).await?),
            None => None,
        };
        self.upsert_organization(doc.organization.name.as_str(), parent)
            .await
    }

    async fn upsert_organization(&mut self, name: &str, parent: Option<i64>) -> Result<i64> {
        Ok(on_tx!(&mut self.tx, conn => {
            sqlx::query_scalar(
                "INSERT INTO organizations (name, parent_id) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(name)
            .bind(parent)
            .fetch_one(&mut *conn)
            .await?
        }))
    }

    async fn departments(&mut self, org: i64, doc: &PlanDocument) -> Result<HashMap<String, i64>> {
        insert_chunks!(
            self.tx,
            doc.departments,
            "INSERT INTO departments (organization_id, name) ",
            " ON CONFLICT DO NOTHING",
            |b, d| b.push_bind(org).push_bind(d.name.as_str())
        );
        let rows: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
            sqlx::query_as("SELECT name, id FROM departments WHERE organization_id = $1")
                .bind(org).fetch_all(&mut *conn).await?
        });
        Ok(rows.into_iter().collect())
    }

    /// The people's ids, in the document's order.
    async fn people(
        &mut self,
        org: i64,
        doc: &PlanDocument,
        departments: &HashMap<String, i64>,
    ) -> Result<Vec<i64>> {
        let department = |p: &PersonEntry| {
            p.department
                .as_ref()
                .and_then(|d| departments.get(d.as_str()).copied())
        };
        insert_chunks!(
            self.tx,
            doc.people,
            "INSERT INTO people (organization_id, name, email, department_id) ",
            " ON CONFLICT DO NOTHING",
            |b, p| b
                .push_bind(org)
                .push_bind(p.name.as_str())
                .push_bind(text(&p.email))
                .push_bind(department(p))
        );
        let rows: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
            sqlx::query_as("SELECT name, id FROM people WHERE organization_id = $1")
                .bind(org).fetch_all(&mut *conn).await?
        });
        let ids: HashMap<String, i64> = rows.into_iter().collect();
        Ok(doc.people.iter().map(|p| ids[p.name.as_str()]).collect())
    }

    async fn plan_row(&mut self, org: i64, doc: &PlanDocument) -> Result<i64> {
        Ok(on_tx!(&mut self.tx, conn => {
            sqlx::query_scalar(
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
            .map_err(crate::error::on_conflict("key", format!("a plan with key {:?} already exists", doc.key.as_str())))?
        }))
    }

    async fn tags(&mut self, plan: i64, doc: &PlanDocument) -> Result<HashMap<String, i64>> {
        insert_chunks!(
            self.tx,
            doc.tags,
            "INSERT INTO tags (plan_id, tag_key, name, description) ",
            "",
            |b, t| b
                .push_bind(plan)
                .push_bind(t.key.as_str())
                .push_bind(t.name.as_str())
                .push_bind(text(&t.description))
        );
        let rows: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
            sqlx::query_as("SELECT tag_key, id FROM tags WHERE plan_id = $1").bind(plan).fetch_all(&mut *conn).await?
        });
        Ok(rows.into_iter().collect())
    }

    /// Inserts the nodes a depth at a time (a node's parent must have its id
    /// first) and returns their ids in `flat`'s order, found by code.
    async fn nodes(
        &mut self,
        plan: i64,
        flat: &[FlatNode<'_>],
        people: &HashMap<&str, i64>,
        departments: &HashMap<String, i64>,
    ) -> Result<Vec<i64>> {
        let mut depth = vec![0usize; flat.len()];
        for (i, f) in flat.iter().enumerate() {
            if f.entry.code.is_none() {
                return Err(StorageError::Corrupt(format!(
                    "bulk writing needs a code on every node; {} has none",
                    f.path
                )));
            }
            depth[i] = f.parent.map_or(0, |p| depth[p] + 1);
        }
        let person =
            |name: &Option<Name>| name.as_ref().and_then(|n| people.get(n.as_str()).copied());
        let mut ids = vec![0i64; flat.len()];
        let deepest = depth.iter().copied().max().unwrap_or(0);
        for d in 0..=deepest {
            let rows: Vec<usize> = (0..flat.len()).filter(|i| depth[*i] == d).collect();
            insert_chunks!(
                self.tx,
                rows,
                "INSERT INTO nodes (plan_id, parent_id, code, title, description, level, position, owner_id, \
                 sponsor_id, department_id, horizon, start_date, due_date, weight, cadence) ",
                "",
                |b, i| {
                    let f = &flat[*i];
                    let e = f.entry;
                    b.push_bind(plan)
                        .push_bind(f.parent.map(|p| ids[p]))
                        .push_bind(text(&e.code))
                        .push_bind(e.title.as_str())
                        .push_bind(text(&e.description))
                        .push_bind(i32::from(f.level))
                        .push_bind(f.position)
                        .push_bind(person(&e.owner))
                        .push_bind(person(&e.sponsor))
                        .push_bind(
                            e.department
                                .as_ref()
                                .and_then(|n| departments.get(n.as_str()).copied()),
                        )
                        .push_bind(e.horizon.map(|h| h.to_string()))
                        .push_bind(e.start_date.map(CalendarDate::date))
                        .push_bind(e.due_date.map(CalendarDate::date))
                        .push_bind(e.weight.unwrap_or_default().value())
                        .push_bind(e.cadence.unwrap_or_default().as_str())
                }
            );
            let stored: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
                sqlx::query_as("SELECT code, id FROM nodes WHERE plan_id = $1").bind(plan).fetch_all(&mut *conn).await?
            });
            let by_code: HashMap<String, i64> = stored.into_iter().collect();
            for i in rows {
                let code = flat[i].entry.code.as_ref().map_or("", Code::as_str);
                ids[i] = by_code[code];
            }
        }
        Ok(ids)
    }

    async fn node_tags(
        &mut self,
        flat: &[FlatNode<'_>],
        nodes: &[i64],
        tags: &HashMap<String, i64>,
    ) -> Result<()> {
        let pairs: Vec<(i64, i64)> = flat
            .iter()
            .zip(nodes)
            .flat_map(|(f, id)| f.entry.tags.iter().map(|t| (*id, tags[t.as_str()])))
            .collect();
        insert_chunks!(
            self.tx,
            pairs,
            "INSERT INTO node_tags (node_id, tag_id) ",
            " ON CONFLICT DO NOTHING",
            |b, p| b.push_bind(p.0).push_bind(p.1)
        );
        Ok(())
    }

    /// Inserts every node's measures; returns their ids in document order.
    async fn measures(
        &mut self,
        plan: i64,
        flat: &[FlatNode<'_>],
        nodes: &[i64],
        people: &HashMap<&str, i64>,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64, i32, &MeasureEntry)> = flat
            .iter()
            .zip(nodes)
            .flat_map(|(f, id)| {
                f.entry
                    .measures
                    .iter()
                    .enumerate()
                    .map(|(p, m)| (*id, i32::try_from(p).unwrap_or(i32::MAX), m))
            })
            .collect();
        insert_chunks!(
            self.tx,
            rows,
            "INSERT INTO measures (plan_id, node_id, measure_key, name, description, unit, direction, \
             baseline_value, baseline_date, targets_json, threshold_basis, threshold_green, threshold_amber, \
             frequency, data_source, owner_id, formula, weight, position) ",
            "",
            |b, r| {
                let (node, position, m) = r;
                let thresholds = m
                    .thresholds
                    .unwrap_or_else(|| Thresholds::default_for(m.direction));
                b.push_bind(plan)
                    .push_bind(*node)
                    .push_bind(m.key.as_str())
                    .push_bind(m.name.as_str())
                    .push_bind(text(&m.description))
                    .push_bind(text(&m.unit))
                    .push_bind(m.direction.as_str())
                    .push_bind(m.baseline.map(|b| b.value.get()))
                    .push_bind(m.baseline.and_then(|b| b.date).map(CalendarDate::date))
                    .push_bind(json(&m.targets))
                    .push_bind(thresholds.basis.as_str())
                    .push_bind(thresholds.green.get())
                    .push_bind(thresholds.amber.get())
                    .push_bind(m.frequency.as_str())
                    .push_bind(text(&m.data_source))
                    .push_bind(
                        m.owner
                            .as_ref()
                            .and_then(|n| people.get(n.as_str()).copied()),
                    )
                    .push_bind(m.formula.as_ref().map(|f| f.source().to_owned()))
                    .push_bind(m.weight.unwrap_or_default().value())
                    .push_bind(*position)
            }
        );
        let stored: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
            sqlx::query_as("SELECT measure_key, id FROM measures WHERE plan_id = $1").bind(plan).fetch_all(&mut *conn).await?
        });
        let by_key: HashMap<String, i64> = stored.into_iter().collect();
        Ok(rows
            .iter()
            .map(|(_, _, m)| by_key[m.key.as_str()])
            .collect())
    }

    async fn observations(&mut self, rows: &[BulkObservation], measures: &[i64]) -> Result<()> {
        let now = self.now;
        insert_chunks!(
            self.tx,
            rows,
            "INSERT INTO observations (measure_id, period, period_start, period_end, value, observed_on, note, \
             source, recorded_at) ",
            "",
            |b, o| {
                let d = &o.draft;
                let (start, end) = d.period.bounds();
                b.push_bind(measures[o.measure as usize])
                    .push_bind(d.period.to_string())
                    .push_bind(start)
                    .push_bind(end)
                    .push_bind(d.value.get())
                    .push_bind(d.observed_on.map(CalendarDate::date))
                    .push_bind(text(&d.note))
                    .push_bind(text(&d.source))
                    .push_bind(now)
            }
        );
        Ok(())
    }

    async fn checkins(
        &mut self,
        rows: &[BulkCheckIn],
        nodes: &[i64],
        people: &[i64],
    ) -> Result<()> {
        let now = self.now;
        insert_chunks!(
            self.tx,
            rows,
            "INSERT INTO checkins (node_id, author_id, checkin_date, status, percent, happened, next_steps, \
             help_needed, links_json, revision, recorded_at) ",
            "",
            |b, c| {
                let d = &c.draft;
                b.push_bind(nodes[c.node as usize])
                    .push_bind(c.author.map(|a| people[a as usize]))
                    .push_bind(c.date.date())
                    .push_bind(d.status.as_str())
                    .push_bind(d.percent.map(Percent::value))
                    .push_bind(text(&d.happened))
                    .push_bind(text(&d.next))
                    .push_bind(text(&d.help_needed))
                    .push_bind(json(&d.links))
                    .push_bind(1i32)
                    .push_bind(now)
            }
        );
        Ok(())
    }

    async fn users(&mut self, rows: &[BulkUser], people: &[i64], hash: &str) -> Result<()> {
        let now = self.now;
        insert_chunks!(
            self.tx,
            rows,
            "INSERT INTO users (email, name, role, person_id, password_hash, disabled, created_at, password_changed_at) ",
            " ON CONFLICT DO NOTHING",
            |b, u| b
                .push_bind(u.email.as_str())
                .push_bind(u.name.as_str())
                .push_bind(u.role.as_str())
                .push_bind(u.person.map(|p| people[p as usize]))
                .push_bind(hash)
                .push_bind(0i32)
                .push_bind(now)
                .push_bind(now)
        );
        Ok(())
    }

    /// Fills the caches `rebuild` reads: each measure's latest value and each
    /// node's latest report, taken from the rows just written with the same
    /// ordering the single-row writes use (latest period end, then start;
    /// latest day, then the later row).
    async fn seed_rollups(
        &mut self,
        plan: i64,
        bulk: &BulkPlan<'_>,
        nodes: &[i64],
        measures: &[i64],
    ) -> Result<()> {
        let mut latest: HashMap<u32, &BulkObservation> = HashMap::new();
        for o in bulk.observations {
            let key = |x: &BulkObservation| (x.draft.period.end(), x.draft.period.start());
            let e = latest.entry(o.measure).or_insert(o);
            if key(o) >= key(e) {
                *e = o;
            }
        }
        let mut measure_rows: Vec<(i64, String, f64)> = latest
            .into_iter()
            .map(|(m, o)| {
                (
                    measures[m as usize],
                    o.draft.period.to_string(),
                    o.draft.value.get(),
                )
            })
            .collect();
        measure_rows.sort_unstable_by_key(|r| r.0);
        let today = self.today;
        insert_chunks!(
            self.tx,
            measure_rows,
            "INSERT INTO measure_rollups (measure_id, plan_id, latest_period, latest_value, health, reason, computed_on) ",
            "",
            |b, r| b
                .push_bind(r.0)
                .push_bind(plan)
                .push_bind(r.1.as_str())
                .push_bind(r.2)
                .push_bind(None::<String>)
                .push_bind("")
                .push_bind(today)
        );

        let mut reports: HashMap<u32, LatestReport> = HashMap::new();
        for c in bulk.checkins {
            let date = c.date.date();
            let percent = c.draft.percent.map(|p| (date, p.value()));
            let e = reports
                .entry(c.node)
                .or_insert((date, c.draft.status.as_str(), percent));
            if date >= e.0 {
                e.0 = date;
                e.1 = c.draft.status.as_str();
            }
            if let Some((d, p)) = percent
                && e.2.is_none_or(|(old, _)| d >= old)
            {
                e.2 = Some((d, p));
            }
        }
        let mut node_rows: Vec<(i64, Date, &str, Option<f64>)> = reports
            .into_iter()
            .map(|(n, (d, s, p))| (nodes[n as usize], d, s, p.map(|(_, v)| v)))
            .collect();
        node_rows.sort_unstable_by_key(|r| r.0);
        insert_chunks!(
            self.tx,
            node_rows,
            "INSERT INTO node_rollups (node_id, plan_id, last_checkin_date, reported_status, reported_percent, \
             status, computed_on) ",
            "",
            |b, r| b
                .push_bind(r.0)
                .push_bind(plan)
                .push_bind(r.1)
                .push_bind(r.2)
                .push_bind(r.3)
                .push_bind("not-started")
                .push_bind(today)
        );
        Ok(())
    }
}
