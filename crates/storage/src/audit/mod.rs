//! The audit log: who changed what, when, and the row before and after.
//!
//! Triggers on every domain table write an `audit_log` row in the same
//! transaction as the change, so a change is never stored without its record,
//! nor recorded when it rolls back. They are generated from the live schema at
//! start-up, after the migrations ([`install`]), because tables gain columns
//! over time and SQLite's triggers must name each one. The actor comes from the
//! transaction: [`Store::begin`](crate::Store) hands [`set_actor`] whoever
//! [`crate::actor::current`] names.
//!
//! What is left out: the tables in [`UNAUDITED_TABLES`] (caches, sessions, the
//! log itself), and from every row the columns in [`REDACTED_COLUMNS`]
//! (secrets) and [`CACHE_COLUMNS`] (values the application recomputes); an
//! update that changes only cache columns is not recorded at all. Other
//! triggers refuse to update, delete or truncate logged rows.

mod postgres;
mod read;
mod sqlite;

pub use read::{AuditAction, AuditEntry, AuditFilter};

use crate::Result;
use crate::actor::Actor;
use crate::tx::Tx;

/// Tables whose writes are not logged: caches the application recomputes,
/// sign-in sessions and throttling counters (written on every request), the
/// migration ledger, the change mark (raised by every write), and the log's
/// own tables.
pub const UNAUDITED_TABLES: &[&str] = &[
    "audit_log",
    "audit_actor",
    "lodestar_migrations",
    "measure_rollups",
    "node_rollups",
    "sessions",
    "login_attempts",
    "change_mark",
];

/// Columns never copied into the log, whatever their table: secrets and
/// their hashes. A change to one is still logged, without its values.
pub const REDACTED_COLUMNS: &[&str] = &["password_hash", "token_hash", "secret_hash", "csrf_token"];

/// Columns the application keeps up to date by itself (cached statuses' day,
/// last use of a token or session): left out of the log, and an update that
/// changes nothing else is not logged.
pub const CACHE_COLUMNS: &[&str] = &["rollups_on", "last_used_at", "last_seen_at"];

/// The prefix of every trigger and function this module manages.
const PREFIX: &str = "lodestar_audit";

/// The message of the error a change to a logged row raises.
const APPEND_ONLY: &str = "the audit log is append-only";

/// A table as the live schema describes it.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<Column>,
}

#[derive(Debug)]
struct Column {
    name: String,
    /// The declared type, lower case.
    ty: String,
    /// Part of the primary key.
    pk: bool,
}

impl Table {
    fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.name == column)
    }

    /// The column the log names a row by: `id`, or else a primary key of one
    /// integer column (`status_overrides.node_id`); none for a key of several.
    fn id_column(&self) -> Option<&str> {
        if self.has("id") {
            return Some("id");
        }
        let mut keys = self.columns.iter().filter(|c| c.pk);
        match (keys.next(), keys.next()) {
            (Some(key), None) if key.ty.contains("int") => Some(&key.name),
            _ => None,
        }
    }

    fn audited(&self) -> bool {
        !UNAUDITED_TABLES.contains(&self.name.as_str()) && !self.name.starts_with("sqlite_")
    }
}

/// A column that leads to a node through a row of another table.
struct Via {
    column: &'static str,
    table: &'static str,
    /// The node of that row, `{key}` standing for the column's value.
    node: &'static str,
}

/// Columns that name a row's node directly, tried in order (after a node's own id).
const NODE_COLUMNS: &[&str] = &["node_id", "from_node_id"];

/// Columns that lead to a row's node through another table, tried after [`NODE_COLUMNS`].
const NODE_VIA: &[Via] = &[
    Via {
        column: "checkin_id",
        table: "checkins",
        node: "SELECT node_id FROM checkins WHERE id = {key}",
    },
    Via {
        column: "measure_id",
        table: "measures",
        node: "SELECT node_id FROM measures WHERE id = {key}",
    },
    Via {
        column: "observation_id",
        table: "observations",
        node: "SELECT m.node_id FROM observations o JOIN measures m ON m.id = o.measure_id WHERE o.id = {key}",
    },
];

impl Via {
    /// The node of the row `key` names, or, when a cascade has already removed
    /// that row, the node the log last recorded for it.
    fn node_sql(&self, key: &str) -> String {
        format!(
            "COALESCE(({}), ({}))",
            self.node.replace("{key}", key),
            last_logged("node_id", self.table, key)
        )
    }
}

/// The plan of node `node`, or the one the log last recorded for it when the
/// node is gone (a row removed with its node).
fn plan_of_node(node: &str) -> String {
    format!(
        "COALESCE((SELECT plan_id FROM nodes WHERE id = {node}), ({}))",
        last_logged("plan_id", "nodes", node)
    )
}

fn last_logged(column: &str, table: &str, key: &str) -> String {
    format!(
        "SELECT {column} FROM audit_log WHERE entity = '{table}' AND entity_id = {key} \
         AND {column} IS NOT NULL ORDER BY id DESC LIMIT 1"
    )
}

/// `'a', 'b'`: names as SQL string literals.
fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| literal(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Records the transaction's actor where the audit triggers look for it.
pub(crate) async fn set_actor(tx: &mut Tx, actor: &Actor) -> Result<()> {
    match tx {
        Tx::Sqlite(t) => {
            sqlx::query(
                "INSERT OR REPLACE INTO audit_actor (id, actor_id, actor) VALUES (1, $1, $2)",
            )
            .bind(actor.user_id)
            .bind(&actor.name)
            .execute(&mut **t)
            .await?;
        }
        Tx::Postgres(t) => {
            sqlx::query(
                "SELECT set_config('lodestar.actor_id', $1, true), set_config('lodestar.actor', $2, true)",
            )
            .bind(actor.user_id.map(|id| id.to_string()).unwrap_or_default())
            .bind(&actor.name)
            .execute(&mut **t)
            .await?;
        }
    }
    Ok(())
}

/// Forgets the actor before the transaction commits, so that no later write
/// made outside a store transaction is blamed on them. PostgreSQL forgets
/// transaction-local settings by itself.
pub(crate) async fn clear_actor(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("DELETE FROM audit_actor")
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// Creating, checking and removing the audit triggers of one database.
pub(crate) trait Triggers {
    /// Brings the audit triggers in line with the live schema: creates the
    /// missing, replaces the outdated, drops those of tables no longer
    /// audited. Returns how many it changed (none on an up-to-date database).
    async fn install_audit(&mut self) -> Result<usize>;

    /// Removes what would stop a migration from changing a table: SQLite
    /// refuses to drop a column a trigger names. [`Triggers::install_audit`]
    /// puts them back.
    async fn before_migrations(&mut self) -> Result<()>;
}

#[cfg(test)]
mod tests;
