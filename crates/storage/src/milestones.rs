//! Milestones: the dated steps of a node, in the order its owner gives them.

use crate::error::on_conflict;
use crate::versions::{MILESTONES, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use time::Date;

/// The columns of `milestones`, in the order `MilestoneRow` reads them.
pub(crate) const MILESTONE_COLUMNS: &str = "id, node_id, title, due_date, done_date, position";

#[derive(sqlx::FromRow)]
pub(crate) struct MilestoneRow {
    id: i64,
    node_id: i64,
    title: String,
    due_date: Option<Date>,
    done_date: Option<Date>,
    position: i32,
}

fn corrupt(what: &str) -> impl Fn(String) -> StorageError + '_ {
    move |m| StorageError::Corrupt(format!("{what}: {m}"))
}

impl TryFrom<MilestoneRow> for Milestone {
    type Error = StorageError;
    fn try_from(r: MilestoneRow) -> Result<Self> {
        Ok(Self {
            id: MilestoneId(r.id),
            node_id: NodeId(r.node_id),
            title: Name::parse(&r.title).map_err(corrupt("milestone title"))?,
            due_date: r
                .due_date
                .map(CalendarDate::new)
                .transpose()
                .map_err(corrupt("milestone due date"))?,
            done_date: r
                .done_date
                .map(CalendarDate::new)
                .transpose()
                .map_err(corrupt("milestone done date"))?,
            position: r.position,
        })
    }
}

/// Finds the node a milestone belongs to, to tell an unknown node from one without milestones.
pub(crate) const NODE_EXISTS: &str = "SELECT id FROM nodes WHERE id = $1";

/// What a foreign-key failure on insert means here: the node went away
/// between the check and the write (PostgreSQL only; SQLite has one writer).
const NODE_GONE: &str = "the node was deleted while the milestone was being added";

impl Store {
    /// A node's milestones, in order (position, then id). An unknown node is
    /// `NotFound`, not an empty list.
    pub async fn milestones(&self, node: NodeId) -> Result<Vec<Milestone>> {
        let sql = format!(
            "SELECT {MILESTONE_COLUMNS} FROM milestones WHERE node_id = $1 ORDER BY position, id"
        );
        let (exists, rows): (Option<i64>, Vec<MilestoneRow>) = on_backend!(self, read, pool => {
            let exists = sqlx::query_scalar(NODE_EXISTS).bind(node.0).fetch_optional(pool).await?;
            (exists, sqlx::query_as(&sql).bind(node.0).fetch_all(pool).await?)
        });
        if exists.is_none() {
            return Err(StorageError::not_found("node", node));
        }
        rows.into_iter().map(Milestone::try_from).collect()
    }

    /// One milestone.
    pub async fn milestone(&self, id: MilestoneId) -> Result<Milestone> {
        let sql = format!("SELECT {MILESTONE_COLUMNS} FROM milestones WHERE id = $1");
        let row: Option<MilestoneRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("milestone", id))?
            .try_into()
    }

    /// Adds a milestone to a node: at `draft.position`, or after its last one.
    pub async fn create_milestone(
        &self,
        node: NodeId,
        draft: &MilestoneDraft,
    ) -> Result<Milestone> {
        let (id, position): (i64, i32) = in_tx!(self, conn => {
            let exists: Option<i64> = sqlx::query_scalar(NODE_EXISTS).bind(node.0).fetch_optional(&mut *conn).await?;
            if exists.is_none() {
                return Err(StorageError::not_found("node", node));
            }
            let position = match draft.position {
                Some(p) => p,
                None => {
                    let last: Option<i32> =
                        sqlx::query_scalar("SELECT MAX(position) FROM milestones WHERE node_id = $1")
                            .bind(node.0)
                            .fetch_one(&mut *conn)
                            .await?;
                    last.map_or(0, |p| p.saturating_add(1))
                }
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO milestones (node_id, title, due_date, done_date, position) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(node.0)
            .bind(draft.title.as_str())
            .bind(draft.due_date.map(CalendarDate::date))
            .bind(draft.done_date.map(CalendarDate::date))
            .bind(position)
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("node_id", NODE_GONE))?;
            (id, position)
        });
        Ok(milestone(MilestoneId(id), node, draft, position))
    }

    /// Replaces a milestone's fields, if it is still at version `expected`;
    /// it stays on its node, and keeps its place when `draft.position` is omitted.
    pub async fn update_milestone(
        &self,
        id: MilestoneId,
        expected: i64,
        draft: &MilestoneDraft,
    ) -> Result<Versioned<Milestone>> {
        let (node, position): (i64, i32) = in_tx!(self, conn => {
            let row = sqlx::query_as(
                "UPDATE milestones SET title = $1, due_date = $2, done_date = $3, position = COALESCE($4, position), \
                 version = version + 1 WHERE id = $5 AND version = $6 RETURNING node_id, position",
            )
            .bind(draft.title.as_str())
            .bind(draft.due_date.map(CalendarDate::date))
            .bind(draft.done_date.map(CalendarDate::date))
            .bind(draft.position)
            .bind(id.0)
            .bind(expected)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                Some(row) => row,
                None => return Err(missed_version!(&mut *conn, MILESTONES, id.0, expected)),
            }
        });
        Ok(Versioned {
            value: milestone(id, NodeId(node), draft, position),
            version: expected + 1,
        })
    }

    /// Deletes a milestone; when `expected` names a version, only if the
    /// milestone is still at that version.
    pub async fn delete_milestone(&self, id: MilestoneId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&MILESTONES, id.0, expected).await
    }
}

fn milestone(id: MilestoneId, node: NodeId, draft: &MilestoneDraft, position: i32) -> Milestone {
    Milestone {
        id,
        node_id: node,
        title: draft.title.clone(),
        due_date: draft.due_date,
        done_date: draft.done_date,
        position,
    }
}
