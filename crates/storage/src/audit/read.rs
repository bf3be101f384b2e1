//! Reading the audit log: a node's history, newest first, and the whole log
//! or a plan's part of it in pages, oldest first, for export.

use crate::migrate::render;
use crate::{Result, StorageError, Store};
use lodestar_domain::{NodeId, PlanId};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;
use utoipa::ToSchema;

/// What a logged write did to its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditAction {
    /// The row was created.
    Insert,
    /// The row was changed.
    Update,
    /// The row was removed.
    Delete,
}

impl AuditAction {
    /// How the log spells it: `insert`, `update`, `delete`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "insert" => Ok(Self::Insert),
            "update" => Ok(Self::Update),
            "delete" => Ok(Self::Delete),
            other => Err(StorageError::Corrupt(format!("audit action {other:?}"))),
        }
    }
}

/// One logged write: who changed which row, when, and the row before and after.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AuditEntry {
    /// The entry's id; later entries have higher ids.
    pub id: i64,
    /// When the change was made.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The account that made it, if an account did.
    pub actor_id: Option<i64>,
    /// Who made it: an account's email, `token:NAME`, `cli:USER`, or `system`.
    pub actor: String,
    /// Insert, update or delete.
    pub action: AuditAction,
    /// The table changed: `nodes`, `checkins`, `node_tags`.
    pub entity: String,
    /// The row's id; none for a row keyed by several columns (a tag on a node).
    pub entity_id: Option<i64>,
    /// The plan the row belongs to, when it belongs to one.
    pub plan_id: Option<PlanId>,
    /// The node the row is or belongs to, when there is one.
    pub node_id: Option<NodeId>,
    /// The row before the change, by column; none for an insert.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The row after the change, by column; none for a delete.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// Which entries to export; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Entries of rows that belong to this plan.
    pub plan: Option<PlanId>,
    /// Entries of this table.
    pub entity: Option<String>,
    /// Entries made at or after this time.
    pub since: Option<OffsetDateTime>,
    /// Entries made before this time.
    pub until: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: OffsetDateTime,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    plan_id: Option<i64>,
    node_id: Option<i64>,
    before_json: Option<String>,
    after_json: Option<String>,
}

const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor, action, entity, entity_id, plan_id, node_id, before_json, after_json";

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StorageError;

    fn try_from(r: AuditRow) -> Result<Self> {
        let json = |text: Option<String>| {
            text.map(|t| serde_json::from_str(&t))
                .transpose()
                .map_err(|e| StorageError::Corrupt(format!("audit entry {}: {e}", r.id)))
        };
        Ok(Self {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor,
            action: AuditAction::parse(&r.action)?,
            entity: r.entity,
            entity_id: r.entity_id,
            plan_id: r.plan_id.map(PlanId),
            node_id: r.node_id.map(NodeId),
            before: json(r.before_json)?,
            after: json(r.after_json)?,
        })
    }
}

/// A time as SQLite's audit triggers write it (UTC, to the millisecond), so
/// that text comparison orders it correctly against stored times.
fn stamp(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .expect("a UTC time always formats")
}

impl Store {
    /// The entries about a node and the rows that belong to it (its
    /// check-ins, measures, milestones…), newest first: at most `limit`,
    /// those older than entry `before_id` when given. A deleted node keeps
    /// its history.
    pub async fn node_audit(
        &self,
        node: NodeId,
        before_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE node_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        );
        let rows: Vec<AuditRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql)
                .bind(node.0)
                .bind(before_id.unwrap_or(i64::MAX))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    /// The entries `filter` selects, oldest first: at most `limit`, those
    /// after entry `after_id`. Page through the log by passing the last id read.
    pub async fn audit_rows(
        &self,
        filter: &AuditFilter,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let mut conditions = vec!["id > $1".to_owned()];
        let mut next = 2;
        let mut condition = |test: &str| {
            conditions.push(test.replace('?', &format!("${next}")));
            next += 1;
        };
        if filter.plan.is_some() {
            condition("plan_id = ?");
        }
        if filter.entity.is_some() {
            condition("entity = ?");
        }
        if filter.since.is_some() {
            condition("at >= CAST(? AS {timestamp})");
        }
        if filter.until.is_some() {
            condition("at < CAST(? AS {timestamp})");
        }
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {} ORDER BY id LIMIT ${next}",
            conditions.join(" AND ")
        );
        let sql = render(&sql, self.dialect());
        let rows: Vec<AuditRow> = on_backend!(self, read, pool => {
            let mut query = sqlx::query_as(&sql).bind(after_id);
            if let Some(plan) = filter.plan {
                query = query.bind(plan.0);
            }
            if let Some(entity) = &filter.entity {
                query = query.bind(entity.as_str());
            }
            for at in [filter.since, filter.until].into_iter().flatten() {
                query = query.bind(stamp(at));
            }
            query.bind(i64::from(limit)).fetch_all(pool).await?
        });
        rows.into_iter().map(AuditEntry::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_as_sqlite_writes_them() {
        let at = time::macros::datetime!(2025-03-01 10:00:00.5 +02:00);
        assert_eq!(stamp(at), "2025-03-01T08:00:00.500Z");
    }
}
