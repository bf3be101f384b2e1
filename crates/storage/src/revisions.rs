//! Plan revisions: numbered snapshots of a plan, kept for comparing, and the
//! retired state of nodes a revision left out (see `revise.rs` for the write).

use crate::rows::{NODE_COLUMNS, NodeRow, convert};
use crate::{Result, StorageError, Store, actor};
use lodestar_domain::revision_diff::{Snapshot, SnapshotNode};
use lodestar_domain::*;
use std::collections::HashMap;
use time::OffsetDateTime;

/// One stored revision of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The plan.
    pub plan_id: PlanId,
    /// 1 for the plan as first stored, one higher for each revision after.
    pub number: i64,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// Who made it, as the audit log names them.
    pub created_by: String,
    /// Why, in the reviser's words.
    pub note: Option<String>,
    /// The plan as it then stood.
    pub snapshot: Snapshot,
}

/// When a node left the plan: the revision that retired it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retirement {
    /// The number of the revision that left it out.
    pub revision: i64,
    /// When.
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    plan_id: i64,
    number: i32,
    created_at: OffsetDateTime,
    created_by: String,
    note: Option<String>,
    snapshot: String,
}

const REVISION_COLUMNS: &str = "plan_id, number, created_at, created_by, note, snapshot";

impl TryFrom<RevisionRow> for Revision {
    type Error = StorageError;
    fn try_from(r: RevisionRow) -> Result<Self> {
        Ok(Self {
            plan_id: PlanId(r.plan_id),
            number: i64::from(r.number),
            created_at: r.created_at,
            created_by: r.created_by,
            note: r.note,
            snapshot: serde_json::from_str(&r.snapshot)
                .map_err(|e| StorageError::Corrupt(format!("revision snapshot: {e}")))?,
        })
    }
}

/// The name a revision records for whoever is acting.
pub(crate) fn creator() -> String {
    actor::current().map_or_else(|| "system".to_owned(), |a| a.name)
}

/// A plan's live nodes as a revision keeps them, in tree order, with the
/// keys of their measures (`measures`: node and key, in each node's order).
pub fn snapshot_nodes(
    plan: Plan,
    nodes: Vec<Node>,
    measures: &[(NodeId, MeasureKey)],
) -> Vec<SnapshotNode> {
    let mut keys: HashMap<NodeId, Vec<MeasureKey>> = HashMap::new();
    for (node, key) in measures {
        keys.entry(*node).or_default().push(key.clone());
    }
    let tree = PlanTree::build(plan, nodes, HashMap::new());
    let mut out = Vec::new();
    let mut stack: Vec<&TreeNode> = tree.nodes.iter().rev().collect();
    while let Some(t) = stack.pop() {
        let n = &t.node;
        out.push(SnapshotNode {
            id: n.id,
            parent: n.parent_id,
            level: n.level,
            code: n.code.clone(),
            title: n.title.clone(),
            description: n.description.clone(),
            measures: keys.remove(&n.id).unwrap_or_default(),
        });
        stack.extend(t.children.iter().rev());
    }
    out
}

/// Reads the live nodes of `$plan` and their measure keys on `$conn`, as a
/// revision keeps them.
macro_rules! read_snapshot_nodes {
    ($conn:expr, $plan:expr) => {{
        let plan: Plan = {
            let sql = format!("SELECT {} FROM plans WHERE id = $1", $crate::plans::PLAN_COLUMNS);
            let row: $crate::rows::PlanRow = sqlx::query_as(&sql).bind($plan.0).fetch_one(&mut *$conn).await?;
            row.try_into()?
        };
        let sql = format!("SELECT {NODE_COLUMNS} FROM nodes WHERE plan_id = $1 AND retired_in_revision IS NULL");
        let nodes: Vec<NodeRow> = sqlx::query_as(&sql).bind($plan.0).fetch_all(&mut *$conn).await?;
        let keys: Vec<(i64, String)> = sqlx::query_as(
            "SELECT m.node_id, m.measure_key FROM measures m JOIN nodes n ON n.id = m.node_id \
             WHERE m.plan_id = $1 AND n.retired_in_revision IS NULL ORDER BY m.node_id, m.position, m.id",
        )
        .bind($plan.0)
        .fetch_all(&mut *$conn)
        .await?;
        let keys = keys
            .into_iter()
            .map(|(n, k)| Ok((NodeId(n), MeasureKey::parse(&k).map_err(|m| StorageError::Corrupt(format!("measure key: {m}")))?)))
            .collect::<Result<Vec<_>>>()?;
        $crate::revisions::snapshot_nodes(plan, convert(nodes)?, &keys)
    }};
}
pub(crate) use read_snapshot_nodes;

impl Store {
    /// Every revision of a plan, oldest first.
    pub async fn list_revisions(&self, plan: PlanId) -> Result<Vec<Revision>> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM plan_revisions WHERE plan_id = $1 ORDER BY number"
        );
        let rows: Vec<RevisionRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(plan.0).fetch_all(pool).await?);
        convert(rows)
    }

    /// The number of a plan's latest revision, if it has any.
    pub async fn latest_revision(&self, plan: PlanId) -> Result<Option<i64>> {
        let last: Option<i32> = on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT MAX(number) FROM plan_revisions WHERE plan_id = $1")
                .bind(plan.0).fetch_one(pool).await?
        });
        Ok(last.map(i64::from))
    }

    /// Revision `number` of a plan.
    pub async fn get_revision(&self, plan: PlanId, number: i64) -> Result<Revision> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM plan_revisions WHERE plan_id = $1 AND number = $2"
        );
        let row: Option<RevisionRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.0).bind(number).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("revision", format!("{number} of plan {plan}")))?
            .try_into()
    }

    /// Records the plan as it stands now as its revision 1, unless it has
    /// revisions already. `document` is its plan-as-code document.
    pub async fn ensure_first_revision(
        &self,
        plan: PlanId,
        document: &document::PlanDocument,
    ) -> Result<()> {
        let document = serde_json::to_value(document)
            .map_err(|e| StorageError::Corrupt(format!("plan document: {e}")))?;
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        on_tx!(&mut tx, conn => {
            let any: Option<i32> = sqlx::query_scalar("SELECT number FROM plan_revisions WHERE plan_id = $1 AND number = 1")
                .bind(plan.0).fetch_optional(&mut *conn).await?;
            if any.is_none() {
                let nodes = read_snapshot_nodes!(conn, plan);
                let snapshot = serde_json::json!({ "nodes": nodes, "document": document });
                sqlx::query(
                    "INSERT INTO plan_revisions (plan_id, number, created_at, created_by, note, snapshot) \
                     VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT (plan_id, number) DO NOTHING",
                )
                .bind(plan.0)
                .bind(OffsetDateTime::now_utc())
                .bind("system")
                .bind("the plan as first stored")
                .bind(snapshot.to_string())
                .execute(&mut *conn)
                .await?;
            }
        });
        tx.commit().await
    }

    /// Whether a node was retired by a revision, and when.
    pub async fn node_retirement(&self, node: NodeId) -> Result<Option<Retirement>> {
        let row: Option<(Option<i32>, Option<OffsetDateTime>)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT retired_in_revision, retired_at FROM nodes WHERE id = $1")
                .bind(node.0).fetch_optional(pool).await?
        });
        let (revision, at) = row.ok_or_else(|| StorageError::not_found("node", node))?;
        Ok(match (revision, at) {
            (Some(revision), Some(at)) => Some(Retirement {
                revision: i64::from(revision),
                at,
            }),
            _ => None,
        })
    }
}
