//! Check-ins, their corrections (the replaced text is kept), and status
//! overrides. Every write refreshes the node's cached status and its ancestors'.

use crate::plans::json;
use crate::rollups;
use crate::rows::text;
use crate::versions::{CHECKINS, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use time::{Date, OffsetDateTime};

const CHECKIN_COLUMNS: &str = "id, node_id, author_id, checkin_date, status, percent, happened, next_steps, \
     help_needed, links_json, revision, recorded_at";

/// The columns a check-in and each of its revisions share.
#[derive(sqlx::FromRow)]
struct ReportRow {
    checkin_date: Date,
    status: String,
    percent: Option<f64>,
    happened: Option<String>,
    next_steps: Option<String>,
    help_needed: Option<String>,
    links_json: String,
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    id: i64,
    node_id: i64,
    author_id: Option<i64>,
    #[sqlx(flatten)]
    report: ReportRow,
    revision: i32,
    recorded_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision: i32,
    author_id: Option<i64>,
    #[sqlx(flatten)]
    report: ReportRow,
    replaced_by: Option<i64>,
    replaced_at: OffsetDateTime,
    reason: String,
}

fn corrupt(what: &str) -> impl Fn(String) -> StorageError + '_ {
    move |m| StorageError::Corrupt(format!("{what}: {m}"))
}

fn long(raw: Option<String>, what: &str) -> Result<Option<LongText>> {
    raw.map(|t| LongText::parse(&t).map_err(corrupt(what)))
        .transpose()
}

/// The fields a check-in and each of its revisions share, parsed.
struct Report {
    date: CalendarDate,
    status: ProgressStatus,
    percent: Option<Percent>,
    happened: Option<LongText>,
    next: Option<LongText>,
    help_needed: Option<LongText>,
    links: Vec<Link>,
}

impl TryFrom<ReportRow> for Report {
    type Error = StorageError;
    fn try_from(r: ReportRow) -> Result<Self> {
        Ok(Report {
            date: CalendarDate::new(r.checkin_date).map_err(corrupt("check-in date"))?,
            status: r.status.parse().map_err(corrupt("check-in status"))?,
            percent: r
                .percent
                .map(Percent::new)
                .transpose()
                .map_err(corrupt("percent"))?,
            happened: long(r.happened, "what happened")?,
            next: long(r.next_steps, "what's next")?,
            help_needed: long(r.help_needed, "help needed")?,
            links: serde_json::from_str(&r.links_json)
                .map_err(|e| corrupt("links")(e.to_string()))?,
        })
    }
}

impl TryFrom<CheckInRow> for CheckIn {
    type Error = StorageError;
    fn try_from(r: CheckInRow) -> Result<Self> {
        let rep = Report::try_from(r.report)?;
        Ok(Self {
            id: CheckInId(r.id),
            node_id: NodeId(r.node_id),
            author_id: r.author_id.map(PersonId),
            date: rep.date,
            status: rep.status,
            percent: rep.percent,
            happened: rep.happened,
            next: rep.next,
            help_needed: rep.help_needed,
            links: rep.links,
            revision: r.revision,
            recorded_at: r.recorded_at,
        })
    }
}

impl TryFrom<RevisionRow> for CheckInRevision {
    type Error = StorageError;
    fn try_from(r: RevisionRow) -> Result<Self> {
        let rep = Report::try_from(r.report)?;
        Ok(Self {
            revision: r.revision,
            author_id: r.author_id.map(PersonId),
            date: rep.date,
            status: rep.status,
            percent: rep.percent,
            happened: rep.happened,
            next: rep.next,
            help_needed: rep.help_needed,
            links: rep.links,
            replaced_by: r.replaced_by.map(PersonId),
            replaced_at: r.replaced_at,
            reason: Name::parse(&r.reason).map_err(corrupt("correction reason"))?,
        })
    }
}

/// A check-in as the services layer has completed it: author, date and
/// percent resolved.
#[derive(Debug, Clone)]
pub struct CheckInRecord<'a> {
    /// The node it reports on.
    pub node: NodeId,
    /// The plan of that node.
    pub plan: PlanId,
    /// Who files or corrects it.
    pub author: Option<PersonId>,
    /// The day it speaks for.
    pub date: CalendarDate,
    /// The percent to store.
    pub percent: Option<Percent>,
    /// The rest of what it says.
    pub draft: &'a CheckInDraft,
}

/// What messages call a node's current override.
const OVERRIDE: &str = "status override of node";

/// Checks the version a writer based a new override on against the node's
/// current one: none may be named when the node has none, and the current one
/// must be named to replace it.
fn check_override_version(node: NodeId, expected: Option<i64>, current: Option<i64>) -> Result<()> {
    match (expected, current) {
        (None, None) => Ok(()),
        (None, Some(current)) => Err(StorageError::VersionRequired {
            entity: OVERRIDE,
            id: node.to_string(),
            current,
        }),
        (Some(expected), current) if current != Some(expected) => Err(StorageError::Stale {
            entity: OVERRIDE,
            id: node.to_string(),
            expected,
            current,
        }),
        (Some(_), _) => Ok(()),
    }
}

/// The version of a node's current override, if it has one.
async fn override_version(tx: &mut crate::tx::Tx, node: NodeId) -> Result<Option<i64>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT version FROM status_overrides WHERE node_id = $1")
            .bind(node.0)
            .fetch_optional(&mut *conn)
            .await?
    }))
}

/// Copies a node's current override, if any, into its history before it is
/// replaced or cleared.
async fn keep_override(tx: &mut crate::tx::Tx, node: NodeId) -> Result<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO status_override_revisions (node_id, status, reason, set_by, set_at, replaced_at) \
             SELECT node_id, status, reason, set_by, set_at, $2 FROM status_overrides WHERE node_id = $1",
        )
        .bind(node.0)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

impl Store {
    /// A node's current override with its version, if it has one.
    pub async fn status_override(&self, node: NodeId) -> Result<Option<Versioned<StatusOverride>>> {
        let row: Option<(String, String, Option<i64>, OffsetDateTime, i64)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT status, reason, set_by, set_at, version FROM status_overrides WHERE node_id = $1")
                .bind(node.0)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(status, reason, by, at, version)| {
            Ok(Versioned {
                value: StatusOverride {
                    status: status.parse().map_err(corrupt("override status"))?,
                    reason: LongText::parse(&reason).map_err(corrupt("override reason"))?,
                    set_by: by.map(PersonId),
                    set_at: at,
                },
                version,
            })
        })
        .transpose()
    }

    /// The earlier overrides of a node, replaced or cleared, oldest first.
    pub async fn override_history(&self, node: NodeId) -> Result<Vec<StatusOverride>> {
        let rows: Vec<(String, String, Option<i64>, OffsetDateTime)> = on_backend!(self, read, pool => {
            sqlx::query_as(
                "SELECT status, reason, set_by, set_at FROM status_override_revisions WHERE node_id = $1 \
                 ORDER BY replaced_at, id",
            )
            .bind(node.0)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(status, reason, by, at)| {
                Ok(StatusOverride {
                    status: status.parse().map_err(corrupt("override status"))?,
                    reason: LongText::parse(&reason).map_err(corrupt("override reason"))?,
                    set_by: by.map(PersonId),
                    set_at: at,
                })
            })
            .collect()
    }

    /// The check-ins of a node, latest first.
    pub async fn checkins(&self, node: NodeId) -> Result<Vec<CheckIn>> {
        let sql = format!(
            "SELECT {CHECKIN_COLUMNS} FROM checkins WHERE node_id = $1 ORDER BY checkin_date DESC, id DESC"
        );
        let rows: Vec<CheckInRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(node.0).fetch_all(pool).await?
        });
        rows.into_iter().map(CheckIn::try_from).collect()
    }

    /// One check-in.
    pub async fn get_checkin(&self, id: CheckInId) -> Result<CheckIn> {
        let sql = format!("SELECT {CHECKIN_COLUMNS} FROM checkins WHERE id = $1");
        let row: Option<CheckInRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("check-in", id))?
            .try_into()
    }

    /// The earlier texts of a corrected check-in, oldest first.
    pub async fn checkin_revisions(&self, id: CheckInId) -> Result<Vec<CheckInRevision>> {
        let rows: Vec<RevisionRow> = on_backend!(self, read, pool => {
            sqlx::query_as(
                "SELECT revision, author_id, checkin_date, status, percent, happened, next_steps, help_needed, \
                 links_json, replaced_by, replaced_at, reason FROM checkin_revisions WHERE checkin_id = $1 \
                 ORDER BY revision",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(CheckInRevision::try_from).collect()
    }

    /// The latest check-in of a node, if any.
    pub async fn latest_checkin(&self, node: NodeId) -> Result<Option<CheckIn>> {
        let sql = format!(
            "SELECT {CHECKIN_COLUMNS} FROM checkins WHERE node_id = $1 ORDER BY checkin_date DESC, id DESC LIMIT 1"
        );
        let row: Option<CheckInRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(node.0).fetch_optional(pool).await?
        });
        row.map(CheckIn::try_from).transpose()
    }

    /// The latest `limit` check-ins of a whole plan, latest first, in one
    /// query, for a dashboard's recent activity.
    pub async fn recent_checkins(&self, plan: PlanId, limit: u32) -> Result<Vec<CheckIn>> {
        let sql = format!(
            "SELECT {CHECKIN_COLUMNS} FROM checkins WHERE node_id IN (SELECT id FROM nodes WHERE plan_id = $1) \
             ORDER BY checkin_date DESC, id DESC LIMIT $2"
        );
        let rows: Vec<CheckInRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.0).bind(i64::from(limit)).fetch_all(pool).await?
        });
        rows.into_iter().map(CheckIn::try_from).collect()
    }

    /// Files a check-in and refreshes the statuses it changes.
    pub async fn create_checkin(&self, record: &CheckInRecord<'_>, today: Date) -> Result<CheckIn> {
        let d = record.draft;
        let mut tx = self.begin().await?;
        tx.lock_plan(record.plan).await?;
        let id: i64 = on_tx!(&mut tx, conn => {
            sqlx::query_scalar(
                "INSERT INTO checkins (node_id, author_id, checkin_date, status, percent, happened, next_steps, \
                 help_needed, links_json, revision, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) \
                 RETURNING id",
            )
            .bind(record.node.0)
            .bind(record.author.map(|p| p.0))
            .bind(record.date.date())
            .bind(d.status.as_str())
            .bind(record.percent.map(Percent::value))
            .bind(text(&d.happened))
            .bind(text(&d.next))
            .bind(text(&d.help_needed))
            .bind(json(&d.links))
            .bind(OffsetDateTime::now_utc())
            .fetch_one(&mut *conn)
            .await?
        });
        rollups::refresh_report(&mut tx, record.plan, record.node, today).await?;
        rollups::refresh_nodes(&mut tx, record.plan, [record.node], today).await?;
        tx.commit().await?;
        self.get_checkin(CheckInId(id)).await
    }

    /// Replaces a check-in's text if it is still at revision `expected`,
    /// first copying the current text into its history with the reason, then
    /// refreshes the statuses it changes.
    pub async fn correct_checkin(
        &self,
        id: CheckInId,
        expected: i64,
        record: &CheckInRecord<'_>,
        reason: &Name,
        today: Date,
    ) -> Result<CheckIn> {
        let d = record.draft;
        let mut tx = self.begin().await?;
        tx.lock_plan(record.plan).await?;
        on_tx!(&mut tx, conn => {
            let copied = sqlx::query(
                "INSERT INTO checkin_revisions (checkin_id, revision, author_id, checkin_date, status, percent, happened, \
                 next_steps, help_needed, links_json, replaced_by, replaced_at, reason) \
                 SELECT id, revision, author_id, checkin_date, status, percent, happened, next_steps, help_needed, \
                 links_json, $2, $3, $4 FROM checkins WHERE id = $1 AND revision = $5",
            )
            .bind(id.0)
            .bind(record.author.map(|p| p.0))
            .bind(OffsetDateTime::now_utc())
            .bind(reason.as_str())
            .bind(expected)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            let updated = if copied == 1 {
                sqlx::query(
                    "UPDATE checkins SET author_id = $2, checkin_date = $3, status = $4, percent = $5, happened = $6, \
                     next_steps = $7, help_needed = $8, links_json = $9, revision = revision + 1 \
                     WHERE id = $1 AND revision = $10",
                )
                .bind(id.0)
                .bind(record.author.map(|p| p.0))
                .bind(record.date.date())
                .bind(d.status.as_str())
                .bind(record.percent.map(Percent::value))
                .bind(text(&d.happened))
                .bind(text(&d.next))
                .bind(text(&d.help_needed))
                .bind(json(&d.links))
                .bind(expected)
                .execute(&mut *conn)
                .await?
                .rows_affected()
            } else {
                0
            };
            if updated == 0 {
                return Err(missed_version!(&mut *conn, CHECKINS, id.0, expected));
            }
        });
        rollups::refresh_report(&mut tx, record.plan, record.node, today).await?;
        rollups::refresh_nodes(&mut tx, record.plan, [record.node], today).await?;
        tx.commit().await?;
        self.get_checkin(id).await
    }

    /// Sets the override of a node's computed status, returning its version.
    /// `expected` names the version of the override it replaces, and must be
    /// `None` exactly when the node has none. The plan's lock, held from the
    /// check to the write, keeps another writer from slipping in between.
    pub async fn set_override(
        &self,
        plan: PlanId,
        node: NodeId,
        expected: Option<i64>,
        draft: &StatusOverrideDraft,
        today: Date,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let current = override_version(&mut tx, node).await?;
        check_override_version(node, expected, current)?;
        keep_override(&mut tx, node).await?;
        let version: i64 = on_tx!(&mut tx, conn => {
            sqlx::query_scalar(
                "INSERT INTO status_overrides (node_id, status, reason, set_by, set_at, version) VALUES ($1, $2, $3, $4, $5, \
                 (SELECT COUNT(*) + 1 FROM status_override_revisions WHERE node_id = $1)) \
                 ON CONFLICT (node_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, \
                 set_by = excluded.set_by, set_at = excluded.set_at, version = excluded.version RETURNING version",
            )
            .bind(node.0)
            .bind(draft.status.as_str())
            .bind(draft.reason.as_str())
            .bind(draft.set_by.map(|p| p.0))
            .bind(OffsetDateTime::now_utc())
            .fetch_one(&mut *conn)
            .await?
        });
        rollups::refresh_nodes(&mut tx, plan, [node], today).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Removes a node's override, so its computed status shows again; when
    /// `expected` names a version, only if the override is still at it.
    /// False when the node had no override.
    pub async fn clear_override(
        &self,
        plan: PlanId,
        node: NodeId,
        expected: Option<i64>,
        today: Date,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let current = override_version(&mut tx, node).await?;
        if let (Some(_), Some(_)) = (expected, current) {
            check_override_version(node, expected, current)?;
        }
        keep_override(&mut tx, node).await?;
        let rows = on_tx!(&mut tx, conn => {
            sqlx::query("DELETE FROM status_overrides WHERE node_id = $1").bind(node.0).execute(&mut *conn).await?.rows_affected()
        });
        rollups::refresh_nodes(&mut tx, plan, [node], today).await?;
        tx.commit().await?;
        Ok(rows > 0)
    }
}
