//! Publication: whether a plan is public, and which of its nodes are withheld.
//!
//! These are the only facts stored; what a visitor may read follows from them
//! in the services layer (`App::public_plan`), the one place that filters.

use crate::plans::PLAN_COLUMNS;
use crate::rows::{PlanRow, convert};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use time::OffsetDateTime;

impl Store {
    /// When a plan was published; none while it is private.
    pub async fn plan_published_at(&self, plan: PlanId) -> Result<Option<OffsetDateTime>> {
        let row: Option<(Option<OffsetDateTime>,)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT published_at FROM plans WHERE id = $1")
                .bind(plan.0)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(at,)| at)
            .ok_or_else(|| StorageError::not_found("plan", plan))
    }

    /// Every published plan with when it was published, by title.
    pub async fn published_plans(&self) -> Result<Vec<(Plan, OffsetDateTime)>> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE published_at IS NOT NULL ORDER BY title, id"
        );
        let (rows, times): (Vec<PlanRow>, Vec<(i64, OffsetDateTime)>) = on_backend!(self, read, pool => {
            let rows = sqlx::query_as(&sql).fetch_all(pool).await?;
            let times = sqlx::query_as(
                "SELECT id, published_at FROM plans WHERE published_at IS NOT NULL ORDER BY title, id",
            )
            .fetch_all(pool)
            .await?;
            (rows, times)
        });
        let plans: Vec<Plan> = convert(rows)?;
        Ok(plans
            .into_iter()
            .filter_map(|p| {
                times
                    .iter()
                    .find(|(id, _)| *id == p.id.0)
                    .map(|(_, at)| (p, *at))
            })
            .collect())
    }

    /// Publishes a plan; publishing a published plan keeps its first date.
    /// Returns when it was published.
    pub async fn publish_plan(&self, plan: PlanId) -> Result<OffsetDateTime> {
        let at: Option<OffsetDateTime> = in_tx!(self, conn => {
            sqlx::query_scalar(
                "UPDATE plans SET published_at = COALESCE(published_at, $2) WHERE id = $1 RETURNING published_at",
            )
            .bind(plan.0)
            .bind(OffsetDateTime::now_utc())
            .fetch_optional(&mut *conn)
            .await?
        });
        at.ok_or_else(|| StorageError::not_found("plan", plan))
    }

    /// Makes a plan private again. False when it was not published.
    pub async fn unpublish_plan(&self, plan: PlanId) -> Result<bool> {
        let was: Option<Option<OffsetDateTime>> = in_tx!(self, conn => {
            let was: Option<Option<OffsetDateTime>> =
                sqlx::query_scalar("SELECT published_at FROM plans WHERE id = $1")
                    .bind(plan.0)
                    .fetch_optional(&mut *conn)
                    .await?;
            if was.flatten().is_some() {
                sqlx::query("UPDATE plans SET published_at = NULL WHERE id = $1")
                    .bind(plan.0)
                    .execute(&mut *conn)
                    .await?;
            }
            was
        });
        match was {
            None => Err(StorageError::not_found("plan", plan)),
            Some(at) => Ok(at.is_some()),
        }
    }

    /// Withholds a node (and so its subtree) from the public. False when it
    /// was withheld already.
    pub async fn withhold_node(&self, node: NodeId) -> Result<bool> {
        let rows = in_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO withheld_nodes (node_id, withheld_at) SELECT id, $2 FROM nodes WHERE id = $1 \
                 ON CONFLICT (node_id) DO NOTHING",
            )
            .bind(node.0)
            .bind(OffsetDateTime::now_utc())
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if rows == 0 {
            self.get_node(node).await?;
        }
        Ok(rows > 0)
    }

    /// Releases a withheld node, so it follows its plan again. False when it
    /// was not withheld.
    pub async fn release_node(&self, node: NodeId) -> Result<bool> {
        self.get_node(node).await?;
        let rows = in_tx!(self, conn => {
            sqlx::query("DELETE FROM withheld_nodes WHERE node_id = $1")
                .bind(node.0)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        Ok(rows > 0)
    }

    /// The nodes of a plan withheld themselves (not those hidden because an
    /// ancestor is), by id.
    pub async fn withheld_nodes(&self, plan: PlanId) -> Result<Vec<NodeId>> {
        let ids: Vec<i64> = on_backend!(self, read, pool => {
            sqlx::query_scalar(
                "SELECT w.node_id FROM withheld_nodes w JOIN nodes n ON n.id = w.node_id \
                 WHERE n.plan_id = $1 ORDER BY w.node_id",
            )
            .bind(plan.0)
            .fetch_all(pool)
            .await?
        });
        Ok(ids.into_iter().map(NodeId).collect())
    }
}
