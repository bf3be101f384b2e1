//! The audit log of a bulk write on PostgreSQL, written a table at a time.
//!
//! PostgreSQL's audit trigger is a PL/pgSQL function run once per row; for a
//! federal portfolio (1.2 million rows) those calls take about three quarters
//! of the write's time. So, on PostgreSQL only, the bulk writer turns the
//! trigger off on the tables it fills, for its own transaction (DDL is
//! transactional there: no other session ever sees the trigger missing, and
//! the `ALTER TABLE` locks keep everyone else out of those tables until the
//! commit), and before committing logs every row it added with one
//! `INSERT … SELECT` per table: the same entity, id, plan, node, actor and row
//! JSON (`to_jsonb` of the row less the secret and cache columns) the trigger
//! would have written. SQLite's triggers are cheap enough to stay on.

use super::super::audit::{CACHE_COLUMNS, REDACTED_COLUMNS};
use crate::Result;
use sqlx::PgConnection;

/// A table the bulk writer fills, and how its rows lead to a plan and a node.
struct Logged {
    table: &'static str,
    /// The row's id column; none for `node_tags`, whose key has two.
    id: Option<&'static str>,
    /// The row's plan and node, as SQL over the row `t` and `joins`.
    plan: &'static str,
    node: &'static str,
    joins: &'static str,
    /// Which rows are new: those past the id (of this table, or of `nodes`
    /// for `node_tags`) that was the highest when the write began.
    newer: &'static str,
}

const LOGGED: &[Logged] = &[
    Logged {
        table: "organizations",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "departments",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "people",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "plans",
        id: Some("id"),
        plan: "t.id",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "tags",
        id: Some("id"),
        plan: "t.plan_id",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "nodes",
        id: Some("id"),
        plan: "t.plan_id",
        node: "t.id",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "node_tags",
        id: None,
        plan: "n.plan_id",
        node: "t.node_id",
        joins: "JOIN nodes n ON n.id = t.node_id",
        newer: "t.node_id",
    },
    Logged {
        table: "measures",
        id: Some("id"),
        plan: "t.plan_id",
        node: "t.node_id",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "observations",
        id: Some("id"),
        plan: "n.plan_id",
        node: "m.node_id",
        joins: "JOIN measures m ON m.id = t.measure_id JOIN nodes n ON n.id = m.node_id",
        newer: "t.id",
    },
    Logged {
        table: "checkins",
        id: Some("id"),
        plan: "n.plan_id",
        node: "t.node_id",
        joins: "JOIN nodes n ON n.id = t.node_id",
        newer: "t.id",
    },
    Logged {
        table: "users",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "proposals",
        id: Some("id"),
        plan: "t.plan_id",
        node: "t.node_id",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "proposal_objectives",
        id: Some("id"),
        plan: "n.plan_id",
        node: "t.node_id",
        joins: "JOIN nodes n ON n.id = t.node_id",
        newer: "t.id",
    },
    Logged {
        table: "proposal_scores",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "proposal_transitions",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "staff_capacity",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
    Logged {
        table: "budgets",
        id: Some("id"),
        plan: "NULL",
        node: "NULL",
        joins: "",
        newer: "t.id",
    },
];

/// The highest id of each logged table when the write began (`node_tags`
/// goes by `nodes`'), with the audit trigger turned off on each.
#[derive(Debug)]
pub(super) struct Suspended {
    since: Vec<i64>,
}

/// Turns the audit trigger off on every table the bulk writer fills, for
/// this transaction, and notes where each table's new rows will start.
pub(super) async fn suspend(conn: &mut PgConnection) -> Result<Suspended> {
    let mut since = Vec::with_capacity(LOGGED.len());
    for l in LOGGED {
        sqlx::query(&format!(
            "ALTER TABLE {} DISABLE TRIGGER lodestar_audit",
            l.table
        ))
        .execute(&mut *conn)
        .await?;
        let key_table = if l.id.is_some() { l.table } else { "nodes" };
        let max: i64 = sqlx::query_scalar(&format!(
            "SELECT COALESCE(MAX(id), 0)::BIGINT FROM {key_table}"
        ))
        .fetch_one(&mut *conn)
        .await?;
        since.push(max);
    }
    Ok(Suspended { since })
}

/// Logs every row added since [`suspend`] and turns the triggers back on.
pub(super) async fn resume(conn: &mut PgConnection, suspended: Suspended) -> Result<()> {
    let hidden: Vec<String> = REDACTED_COLUMNS
        .iter()
        .chain(CACHE_COLUMNS)
        .map(|c| format!("'{c}'"))
        .collect();
    let hidden = hidden.join(", ");
    for (l, since) in LOGGED.iter().zip(suspended.since) {
        let entity_id = l.id.map_or("NULL".to_owned(), |c| format!("t.{c}"));
        let sql = format!(
            "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, plan_id, node_id, before_json, after_json) \
             SELECT statement_timestamp(), NULLIF(current_setting('lodestar.actor_id', true), '')::bigint, \
             COALESCE(NULLIF(current_setting('lodestar.actor', true), ''), 'system'), 'insert', '{table}', \
             {entity_id}, {plan}, {node}, NULL, (to_jsonb(t) - ARRAY[{hidden}])::text \
             FROM {table} t {joins} WHERE {newer} > $1 ORDER BY {newer}",
            table = l.table,
            plan = l.plan,
            node = l.node,
            joins = l.joins,
            newer = l.newer,
        );
        sqlx::query(&sql).bind(since).execute(&mut *conn).await?;
        sqlx::query(&format!(
            "ALTER TABLE {} ENABLE TRIGGER lodestar_audit",
            l.table
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
