//! Nodes of a plan's tree.

use crate::error::on_conflict;
use crate::rows::{NODE_COLUMNS, NodeRow, text};
use crate::versions::{NODES, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;

/// Binds a node's fifteen columns, in the order of `INSERT` and `UPDATE` below
/// (`$1`…`$15`), so the two statements cannot disagree on what goes where.
macro_rules! bind_node_columns {
    ($query:expr, $draft:expr, $level:expr, $position:expr) => {
        $query
            .bind($draft.plan_id.0)
            .bind($draft.parent_id.map(|p| p.0))
            .bind(text(&$draft.code))
            .bind($draft.title.as_str())
            .bind(text(&$draft.description))
            .bind(i32::from($level))
            .bind($position)
            .bind($draft.owner_id.map(|p| p.0))
            .bind($draft.sponsor_id.map(|p| p.0))
            .bind($draft.department_id.map(|d| d.0))
            .bind($draft.horizon.map(|h| h.to_string()))
            .bind($draft.start_date.map(CalendarDate::date))
            .bind($draft.due_date.map(CalendarDate::date))
            .bind($draft.weight.unwrap_or_default().value())
            .bind($draft.cadence.as_str())
    };
}

pub(crate) use bind_node_columns;

/// Marks a plan's cached statuses as needing a full recomputation: a node was
/// added, moved, re-weighted or removed (see `rollups.rs`). Run under the
/// plan's lock, so a rebuild in progress cannot mark the plan current after it.
pub(crate) const MARK_PLAN_STALE: &str = "UPDATE plans SET rollups_on = NULL WHERE id = $1";

fn duplicate_code(draft: &NodeDraft) -> String {
    format!(
        "the plan already has a node with code {:?}",
        draft.code.as_ref().map_or("", Code::as_str)
    )
}

impl Store {
    /// One node.
    pub async fn get_node(&self, id: NodeId) -> Result<Node> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE id = $1");
        let row: Option<NodeRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("node", id))?
            .try_into()
    }

    /// The node of a plan with this code.
    pub async fn find_node_by_code(&self, plan: PlanId, code: &Code) -> Result<Option<Node>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE plan_id = $1 AND code = $2");
        let row: Option<NodeRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.0).bind(code.as_str()).fetch_optional(pool).await?
        });
        row.map(Node::try_from).transpose()
    }

    /// The lowest level among a node's children, if it has any.
    pub async fn shallowest_child_level(&self, id: NodeId) -> Result<Option<u8>> {
        let level: Option<i32> = on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT MIN(level) FROM nodes WHERE parent_id = $1").bind(id.0).fetch_one(pool).await?
        });
        level
            .map(|l| u8::try_from(l).map_err(|e| StorageError::Corrupt(format!("node level: {e}"))))
            .transpose()
    }

    /// Creates a node at `level`; at `draft.position`, or after its last sibling.
    /// The caller has checked where it goes; the database still guards codes.
    pub async fn create_node(&self, draft: &NodeDraft, level: u8) -> Result<Node> {
        let mut tx = self.begin().await?;
        tx.lock_plan(draft.plan_id).await?;
        let (id, position): (i64, i32) = on_tx!(&mut tx, conn => {
            let position = match draft.position {
                Some(p) => p,
                None => {
                    let last: Option<i32> = sqlx::query_scalar(
                        "SELECT MAX(position) FROM nodes WHERE plan_id = $1 AND \
                         (parent_id = $2 OR ($2 IS NULL AND parent_id IS NULL))",
                    )
                    .bind(draft.plan_id.0)
                    .bind(draft.parent_id.map(|p| p.0))
                    .fetch_one(&mut *conn)
                    .await?;
                    last.map_or(0, |p| p.saturating_add(1))
                }
            };
            let id: i64 = bind_node_columns!(
                sqlx::query_scalar(
                    "INSERT INTO nodes (plan_id, parent_id, code, title, description, level, position, owner_id, \
                     sponsor_id, department_id, horizon, start_date, due_date, weight, cadence) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                ),
                draft,
                level,
                position
            )
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("code", duplicate_code(draft)))?;
            sqlx::query(MARK_PLAN_STALE).bind(draft.plan_id.0).execute(&mut *conn).await?;
            (id, position)
        });
        tx.commit().await?;
        Ok(node(NodeId(id), draft, level, position))
    }

    /// Replaces a node's fields, moving it if its parent or position
    /// changed, if it is still at version `expected`.
    pub async fn update_node(
        &self,
        id: NodeId,
        expected: i64,
        draft: &NodeDraft,
        level: u8,
        position: i32,
    ) -> Result<Versioned<Node>> {
        let mut tx = self.begin().await?;
        tx.lock_plan(draft.plan_id).await?;
        on_tx!(&mut tx, conn => {
            let rows = bind_node_columns!(
                sqlx::query(
                    "UPDATE nodes SET plan_id = $1, parent_id = $2, code = $3, title = $4, description = $5, level = $6, \
                     position = $7, owner_id = $8, sponsor_id = $9, department_id = $10, horizon = $11, start_date = $12, \
                     due_date = $13, weight = $14, cadence = $15, version = version + 1 WHERE id = $16 AND version = $17",
                ),
                draft,
                level,
                position
            )
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("code", duplicate_code(draft)))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, NODES, id.0, expected));
            }
            sqlx::query(MARK_PLAN_STALE).bind(draft.plan_id.0).execute(&mut *conn).await?;
        });
        tx.commit().await?;
        Ok(Versioned {
            value: node(id, draft, level, position),
            version: expected + 1,
        })
    }

    /// Deletes a node and everything beneath it; when `expected` names a
    /// version, only if the node is still at that version.
    pub async fn delete_node(&self, id: NodeId, expected: Option<i64>) -> Result<()> {
        let plan = self.get_node(id).await?.plan_id;
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        crate::versions::delete_at_version(&mut tx, &NODES, id.0, expected, StorageError::from)
            .await?;
        on_tx!(&mut tx, conn => sqlx::query(MARK_PLAN_STALE).bind(plan.0).execute(&mut *conn).await?.rows_affected());
        tx.commit().await
    }
}

fn node(id: NodeId, draft: &NodeDraft, level: u8, position: i32) -> Node {
    Node {
        id,
        plan_id: draft.plan_id,
        parent_id: draft.parent_id,
        code: draft.code.clone(),
        title: draft.title.clone(),
        description: draft.description.clone(),
        level,
        position,
        owner_id: draft.owner_id,
        sponsor_id: draft.sponsor_id,
        department_id: draft.department_id,
        horizon: draft.horizon,
        start_date: draft.start_date,
        due_date: draft.due_date,
        weight: draft.weight.unwrap_or_default(),
        cadence: draft.cadence,
    }
}
