//! The audit triggers on SQLite: three per table, naming its columns, and two
//! on the log that refuse to change it.

use super::{
    APPEND_ONLY, CACHE_COLUMNS, Column, NODE_COLUMNS, NODE_VIA, PREFIX, REDACTED_COLUMNS, Table,
    Triggers, literal, plan_of_node,
};
use crate::Result;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

impl Triggers for SqliteConnection {
    async fn install_audit(&mut self) -> Result<usize> {
        let mut tx = sqlx::Connection::begin(&mut *self).await?;
        let wanted = wanted(&tables(&mut tx).await?);
        let existing: BTreeMap<String, String> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE $1 ESCAPE '\\'",
        )
        .bind(format!("{}\\_%", PREFIX.replace('_', "\\_")))
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        let mut changed = 0;
        for (name, sql) in &existing {
            if wanted.get(name) != Some(sql) {
                sqlx::query(&format!("DROP TRIGGER \"{name}\""))
                    .execute(&mut *tx)
                    .await?;
                changed += 1;
            }
        }
        for (name, sql) in &wanted {
            if existing.get(name) != Some(sql) {
                sqlx::query(sql).execute(&mut *tx).await?;
                changed += 1;
            }
        }
        tx.commit().await?;
        if changed > 0 {
            tracing::info!(changed, "audit triggers brought up to date");
        }
        Ok(changed)
    }

    async fn before_migrations(&mut self) -> Result<()> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE $1 ESCAPE '\\'",
        )
        .bind(format!("{}\\_%", PREFIX.replace('_', "\\_")))
        .fetch_all(&mut *self)
        .await?;
        for name in names {
            sqlx::query(&format!("DROP TRIGGER \"{name}\""))
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }
}

/// Every table and its columns, as the schema stands.
async fn tables(conn: &mut SqliteConnection) -> Result<Vec<Table>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, lower(p.type), p.pk FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
    )
    .fetch_all(conn)
    .await?;
    let mut tables: Vec<Table> = Vec::new();
    for (table, name, ty, pk) in rows {
        if tables.last().is_none_or(|t| t.name != table) {
            tables.push(Table {
                name: table,
                columns: Vec::new(),
            });
        }
        if let Some(t) = tables.last_mut() {
            t.columns.push(Column {
                name,
                ty,
                pk: pk > 0,
            });
        }
    }
    Ok(tables)
}

/// The triggers the schema calls for, by name.
fn wanted(tables: &[Table]) -> BTreeMap<String, String> {
    let mut wanted = BTreeMap::new();
    for table in tables.iter().filter(|t| t.audited()) {
        for action in ["insert", "update", "delete"] {
            let name = format!("{PREFIX}_{}_{action}", table.name);
            let sql = trigger(&name, table, action);
            wanted.insert(name, sql);
        }
    }
    for action in ["update", "delete"] {
        let name = format!("{PREFIX}_log_refuse_{action}");
        let sql = format!(
            "CREATE TRIGGER {name} BEFORE {} ON audit_log BEGIN SELECT RAISE(ABORT, {}); END",
            action.to_uppercase(),
            literal(APPEND_ONLY)
        );
        wanted.insert(name, sql);
    }
    wanted
}

/// The trigger that logs one kind of change to `table`.
fn trigger(name: &str, table: &Table, action: &str) -> String {
    let row = if action == "delete" { "OLD" } else { "NEW" };
    let col = |c: &str| format!("{row}.\"{c}\"");
    let entity_id = table.id_column().map_or("NULL".to_owned(), &col);
    let node = node_sql(table, &col);
    let plan = if table.name == "plans" {
        col("id")
    } else if table.has("plan_id") {
        col("plan_id")
    } else {
        node.as_deref().map_or("NULL".to_owned(), plan_of_node)
    };
    let before = if action == "insert" {
        "NULL".to_owned()
    } else {
        json(table, "OLD")
    };
    let after = if action == "delete" {
        "NULL".to_owned()
    } else {
        json(table, "NEW")
    };
    let when = if action == "update" {
        changed(table)
    } else {
        String::new()
    };
    format!(
        "CREATE TRIGGER {name} AFTER {} ON \"{}\"{when} BEGIN \
         INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, plan_id, node_id, before_json, after_json) \
         VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), (SELECT actor_id FROM audit_actor), \
         COALESCE((SELECT actor FROM audit_actor), 'system'), '{action}', {}, {entity_id}, {plan}, {}, {before}, {after}); END",
        action.to_uppercase(),
        table.name,
        literal(&table.name),
        node.as_deref().unwrap_or("NULL"),
    )
}

/// The node a row belongs to, by the rules of [`NODE_COLUMNS`] and [`NODE_VIA`].
fn node_sql(table: &Table, col: &impl Fn(&str) -> String) -> Option<String> {
    if table.name == "nodes" {
        return Some(col("id"));
    }
    if let Some(c) = NODE_COLUMNS.iter().find(|c| table.has(c)) {
        return Some(col(c));
    }
    NODE_VIA
        .iter()
        .find(|v| table.has(v.column))
        .map(|v| v.node_sql(&col(v.column)))
}

/// The row as a JSON object, without redacted and cache columns.
fn json(table: &Table, row: &str) -> String {
    let pairs: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !REDACTED_COLUMNS.contains(&c.name.as_str()))
        .filter(|c| !CACHE_COLUMNS.contains(&c.name.as_str()))
        .map(|c| {
            let value = format!("{row}.\"{}\"", c.name);
            let value = if c.ty.contains("blob") {
                format!("hex({value})")
            } else {
                value
            };
            format!("{}, {value}", literal(&c.name))
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// ` WHEN …`: the update changed a column other than a cache column.
fn changed(table: &Table) -> String {
    let tests: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !CACHE_COLUMNS.contains(&c.name.as_str()))
        .map(|c| format!("OLD.\"{0}\" IS NOT NEW.\"{0}\"", c.name))
        .collect();
    format!(" WHEN {}", tests.join(" OR "))
}
