//! The audit triggers on PostgreSQL: one function serves every table, since
//! `to_jsonb` reads whatever columns a row has; each table's trigger passes it
//! the column that names the row. Two more triggers refuse changes to the log.

use super::{
    APPEND_ONLY, CACHE_COLUMNS, Column, NODE_COLUMNS, NODE_VIA, PREFIX, REDACTED_COLUMNS, Table,
    Triggers, literal, plan_of_node, quoted_list,
};
use crate::Result;
use sqlx::PgConnection;
use std::collections::BTreeMap;

/// The function that refuses any change to a logged row.
const REFUSE: &str = "lodestar_audit_refuse";

impl Triggers for PgConnection {
    async fn install_audit(&mut self) -> Result<usize> {
        let mut tx = sqlx::Connection::begin(&mut *self).await?;
        let mut changed = 0;
        let functions: BTreeMap<String, String> = sqlx::query_as(
            "SELECT proname::text, prosrc FROM pg_proc \
             WHERE pronamespace = current_schema()::regnamespace AND proname IN ($1, $2)",
        )
        .bind(PREFIX)
        .bind(REFUSE)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
        for (name, body) in [(PREFIX, log_function()), (REFUSE, refuse_function())] {
            if functions.get(name) != Some(&body) {
                let sql = format!(
                    "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${body}$body$"
                );
                sqlx::query(&sql).execute(&mut *tx).await?;
                changed += 1;
            }
        }
        let schema: String = sqlx::query_scalar("SELECT quote_ident(current_schema())")
            .fetch_one(&mut *tx)
            .await?;
        let wanted = wanted(&schema, &tables(&mut tx).await?);
        let existing: BTreeMap<(String, String), String> = sqlx::query_as(
            "SELECT c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid) FROM pg_trigger t \
             JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal \
             AND t.tgname LIKE 'lodestar\\_audit%'",
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(table, name, def)| ((table, name), def))
        .collect();
        for ((table, name), def) in &existing {
            if wanted.get(&(table.clone(), name.clone())) != Some(def) {
                sqlx::query(&format!("DROP TRIGGER \"{name}\" ON \"{table}\""))
                    .execute(&mut *tx)
                    .await?;
                changed += 1;
            }
        }
        for (key, def) in &wanted {
            if existing.get(key) != Some(def) {
                sqlx::query(def).execute(&mut *tx).await?;
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
        Ok(())
    }
}

/// Every table of the current schema, with its columns.
async fn tables(conn: &mut PgConnection) -> Result<Vec<Table>> {
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, NULL), \
         COALESCE(a.attnum = ANY (i.indkey), false) \
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary \
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') \
         ORDER BY c.relname, a.attnum",
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
            t.columns.push(Column { name, ty, pk });
        }
    }
    Ok(tables)
}

/// The triggers the schema calls for, by table and name, each as
/// `pg_get_triggerdef` spells it, so that an unchanged one compares equal.
fn wanted(schema: &str, tables: &[Table]) -> BTreeMap<(String, String), String> {
    let mut wanted = BTreeMap::new();
    for table in tables.iter().filter(|t| t.audited()) {
        let argument = table.id_column().map(literal).unwrap_or_default();
        let def = format!(
            "CREATE TRIGGER {PREFIX} AFTER INSERT OR DELETE OR UPDATE ON {schema}.{} FOR EACH ROW EXECUTE FUNCTION {PREFIX}({argument})",
            quote_ident(&table.name)
        );
        wanted.insert((table.name.clone(), PREFIX.to_owned()), def);
    }
    let rows = format!(
        "CREATE TRIGGER {PREFIX}_append_only BEFORE DELETE OR UPDATE ON {schema}.audit_log FOR EACH ROW EXECUTE FUNCTION {REFUSE}()"
    );
    let truncate = format!(
        "CREATE TRIGGER {PREFIX}_no_truncate BEFORE TRUNCATE ON {schema}.audit_log FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE}()"
    );
    wanted.insert(("audit_log".into(), format!("{PREFIX}_append_only")), rows);
    wanted.insert(
        ("audit_log".into(), format!("{PREFIX}_no_truncate")),
        truncate,
    );
    wanted
}

/// A table's name as PostgreSQL prints it: quoted unless it is a plain lower-case word.
fn quote_ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The body of the function every audited table's trigger runs. `TG_ARGV[0]`,
/// when given, is the column that names the row.
fn log_function() -> String {
    let hidden = quoted_list(&[REDACTED_COLUMNS, CACHE_COLUMNS].concat());
    let cache = quoted_list(CACHE_COLUMNS);
    let key = |c: &str| format!("(r ->> {})::bigint", literal(c));
    let mut node = format!("IF TG_TABLE_NAME = 'nodes' THEN node := {};", key("id"));
    for c in NODE_COLUMNS {
        node += &format!("\n  ELSIF r ? {} THEN node := {};", literal(c), key(c));
    }
    for v in NODE_VIA {
        node += &format!(
            "\n  ELSIF r ? {} THEN node := {};",
            literal(v.column),
            v.node_sql(&key(v.column))
        );
    }
    node += "\n  END IF;";
    format!(
        "
DECLARE
  r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
  node bigint;
  plan bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - ARRAY[{cache}] = to_jsonb(NEW) - ARRAY[{cache}] THEN
    RETURN NULL;
  END IF;
  {node}
  IF TG_TABLE_NAME = 'plans' THEN plan := {plan_id};
  ELSIF r ? 'plan_id' THEN plan := {own_plan};
  ELSIF node IS NOT NULL THEN plan := {node_plan};
  END IF;
  INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, plan_id, node_id, before_json, after_json)
  VALUES (statement_timestamp(),
    NULLIF(current_setting('lodestar.actor_id', true), '')::bigint,
    COALESCE(NULLIF(current_setting('lodestar.actor', true), ''), 'system'),
    lower(TG_OP), TG_TABLE_NAME,
    CASE WHEN TG_NARGS > 0 THEN (r ->> TG_ARGV[0])::bigint END,
    plan, node,
    CASE WHEN TG_OP <> 'INSERT' THEN (to_jsonb(OLD) - ARRAY[{hidden}])::text END,
    CASE WHEN TG_OP <> 'DELETE' THEN (to_jsonb(NEW) - ARRAY[{hidden}])::text END);
  RETURN NULL;
END
",
        plan_id = key("id"),
        own_plan = key("plan_id"),
        node_plan = plan_of_node("node"),
    )
}

fn refuse_function() -> String {
    format!(
        "\nBEGIN\n  RAISE EXCEPTION {};\nEND\n",
        literal(APPEND_ONLY)
    )
}
