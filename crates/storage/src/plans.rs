//! Plans and the whole-plan tree read.

use crate::error::on_conflict;
use crate::rows::{NODE_COLUMNS, NodeRow, PlanRow, convert, text};
use crate::versions::{PLANS, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use std::collections::HashMap;

pub(crate) const PLAN_COLUMNS: &str = "id, organization_id, plan_key, title, start_year, end_year, status, \
     vision, mission, principles_json, levels_json";

pub(crate) fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("domain values always serialize")
}

fn duplicate_key(key: &Key) -> String {
    format!("a plan with key {:?} already exists", key.as_str())
}

impl Store {
    /// Every plan, by title.
    pub async fn list_plans(&self) -> Result<Vec<Plan>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans ORDER BY title, id");
        let rows: Vec<PlanRow> =
            on_backend!(self, read, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        convert(rows)
    }

    /// One plan.
    pub async fn get_plan(&self, id: PlanId) -> Result<Plan> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1");
        let row: Option<PlanRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("plan", id))?
            .try_into()
    }

    /// The plan with this key.
    pub async fn find_plan_by_key(&self, key: &Key) -> Result<Option<Plan>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE plan_key = $1");
        let row: Option<PlanRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(key.as_str()).fetch_optional(pool).await?);
        row.map(Plan::try_from).transpose()
    }

    /// Creates a plan with no nodes.
    pub async fn create_plan(&self, draft: &PlanDraft) -> Result<Plan> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar(
                "INSERT INTO plans (organization_id, plan_key, title, start_year, end_year, status, vision, mission, \
                 principles_json, levels_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(draft.organization_id.0)
            .bind(draft.key.as_str())
            .bind(draft.title.as_str())
            .bind(draft.period.start_year)
            .bind(draft.period.end_year)
            .bind(draft.status.as_str())
            .bind(text(&draft.vision))
            .bind(text(&draft.mission))
            .bind(json(&draft.principles))
            .bind(json(&draft.levels))
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("key", duplicate_key(&draft.key)))?
        });
        Ok(draft.clone().into_plan(PlanId(id)))
    }

    /// Replaces a plan's own fields (not its nodes), if it is still at version `expected`.
    pub async fn update_plan(
        &self,
        id: PlanId,
        expected: i64,
        draft: &PlanDraft,
    ) -> Result<Versioned<Plan>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE plans SET organization_id = $1, plan_key = $2, title = $3, start_year = $4, end_year = $5, \
                 status = $6, vision = $7, mission = $8, principles_json = $9, levels_json = $10, \
                 version = version + 1 WHERE id = $11 AND version = $12",
            )
            .bind(draft.organization_id.0)
            .bind(draft.key.as_str())
            .bind(draft.title.as_str())
            .bind(draft.period.start_year)
            .bind(draft.period.end_year)
            .bind(draft.status.as_str())
            .bind(text(&draft.vision))
            .bind(text(&draft.mission))
            .bind(json(&draft.principles))
            .bind(json(&draft.levels))
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("key", duplicate_key(&draft.key)))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, PLANS, id.0, expected));
            }
        });
        Ok(Versioned {
            value: draft.clone().into_plan(id),
            version: expected + 1,
        })
    }

    /// Deletes a plan with its nodes, tags and alignment links; when
    /// `expected` names a version, only if the plan is still at that version.
    pub async fn delete_plan(&self, id: PlanId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&PLANS, id.0, expected).await
    }

    /// Every live node of a plan (not retired by a revision), unordered.
    pub async fn plan_nodes(&self, plan: PlanId) -> Result<Vec<Node>> {
        let sql = format!(
            "SELECT {NODE_COLUMNS} FROM nodes WHERE plan_id = $1 AND retired_in_revision IS NULL"
        );
        let rows: Vec<NodeRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(plan.0).fetch_all(pool).await?);
        convert(rows)
    }

    /// The keys of the tags on each node of a plan.
    pub async fn plan_node_tags(&self, plan: PlanId) -> Result<HashMap<NodeId, Vec<Key>>> {
        let sql = "SELECT nt.node_id, t.tag_key FROM node_tags nt JOIN tags t ON t.id = nt.tag_id \
                   WHERE t.plan_id = $1 ORDER BY t.tag_key";
        let rows: Vec<(i64, String)> = on_backend!(self, read, pool => sqlx::query_as(sql).bind(plan.0).fetch_all(pool).await?);
        let mut map: HashMap<NodeId, Vec<Key>> = HashMap::new();
        for (node, key) in rows {
            let key =
                Key::parse(&key).map_err(|m| StorageError::Corrupt(format!("tag key: {m}")))?;
            map.entry(NodeId(node)).or_default().push(key);
        }
        Ok(map)
    }

    /// A whole plan and its tree, read in three queries whatever its size.
    pub async fn plan_tree(&self, id: PlanId) -> Result<PlanTree> {
        let plan = self.get_plan(id).await?;
        let nodes = self.plan_nodes(id).await?;
        let tags = self.plan_node_tags(id).await?;
        Ok(PlanTree::build(plan, nodes, tags))
    }
}
