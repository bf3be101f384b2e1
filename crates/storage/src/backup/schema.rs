//! The tables a database holds, read from its own catalog rather than from a
//! list in the code, so that a table added by a later migration is backed up
//! and restored without anyone remembering to add it here.

use sqlx::{PgConnection, SqliteConnection};

/// The migration ledger. A restore never copies it: the target records its own migrations.
pub(super) const LEDGER: &str = "lodestar_migrations";

/// The label a backup file carries: when it was taken, from which database.
pub(super) const LABEL: &str = "lodestar_backup";

/// The change mark. Never copied: it says when the database last changed,
/// not what it holds; a restore raises the target's own instead.
pub(super) const MARK: &str = "change_mark";

/// Whether a table's rows are backed up and restored.
fn copied(name: &str) -> bool {
    ![LEDGER, LABEL, MARK].contains(&name)
}

/// One table of the live schema.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

/// One column, with its type as the database spells it.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub name: String,
    /// `format_type` on PostgreSQL (`timestamp with time zone`); the declared type on SQLite.
    pub sql_type: String,
    pub nullable: bool,
    /// The sequence that numbers the column (PostgreSQL identity and serial columns).
    pub sequence: Option<String>,
}

/// A foreign key: these columns refer to rows of `parent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ForeignKey {
    pub columns: Vec<String>,
    pub parent: String,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// `name` quoted as an SQL identifier, for both databases.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every data table of a SQLite database, by name; the ledger, label and mark left out.
pub(super) async fn sqlite_tables(conn: &mut SqliteConnection) -> Result<Vec<Table>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = Vec::new();
    for name in names.into_iter().filter(|n| copied(n)) {
        let rows: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        let mut keyed: Vec<(i64, String)> = rows
            .iter()
            .filter(|(.., pk)| *pk > 0)
            .map(|(column, .., pk)| (*pk, column.clone()))
            .collect();
        keyed.sort();
        let columns = rows
            .into_iter()
            .map(|(name, sql_type, not_null, pk)| Column {
                name,
                sql_type,
                nullable: !not_null && pk == 0,
                sequence: None,
            })
            .collect();
        let references: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        tables.push(Table {
            name,
            columns,
            primary_key: keyed.into_iter().map(|(_, column)| column).collect(),
            foreign_keys: group_keys(references),
        });
    }
    Ok(tables)
}

/// Every data table in the current schema of a PostgreSQL database, by name;
/// the ledger and label left out.
pub(super) async fn postgres_tables(conn: &mut PgConnection) -> Result<Vec<Table>, sqlx::Error> {
    let names: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.oid::int8, c.relname::text FROM pg_class c \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         ORDER BY c.relname",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = Vec::new();
    for (oid, name) in names.into_iter().filter(|(_, n)| copied(n)) {
        let columns: Vec<(String, String, bool, Option<String>)> = sqlx::query_as(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, \
                    pg_get_serial_sequence(quote_ident(current_schema()) || '.' || quote_ident($2), a.attname::text) \
             FROM pg_attribute a \
             WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' \
             ORDER BY a.attnum",
        )
        .bind(oid)
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?;
        let primary_key: Vec<String> = sqlx::query_scalar(
            "SELECT a.attname::text FROM pg_constraint k \
             CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
             WHERE k.conrelid = $1::oid AND k.contype = 'p' ORDER BY u.ord",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await?;
        let references: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT k.conname::text, p.relname::text, a.attname::text FROM pg_constraint k \
             JOIN pg_class p ON p.oid = k.confrelid \
             CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
             WHERE k.conrelid = $1::oid AND k.contype = 'f' ORDER BY k.conname, u.ord",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await?;
        tables.push(Table {
            name,
            columns: columns
                .into_iter()
                .map(|(name, sql_type, nullable, sequence)| Column {
                    name,
                    sql_type,
                    nullable,
                    sequence,
                })
                .collect(),
            primary_key,
            foreign_keys: group_keys(references),
        });
    }
    Ok(tables)
}

/// Foreign keys from (key, parent table, column) rows, in the catalog's order.
fn group_keys<K: PartialEq>(rows: Vec<(K, String, String)>) -> Vec<ForeignKey> {
    let mut keys: Vec<(K, ForeignKey)> = Vec::new();
    for (id, parent, column) in rows {
        match keys.last_mut() {
            Some((last, key)) if *last == id => key.columns.push(column),
            _ => keys.push((
                id,
                ForeignKey {
                    columns: vec![column],
                    parent,
                },
            )),
        }
    }
    keys.into_iter().map(|(_, key)| key).collect()
}

/// The order to fill tables in: each after the tables it refers to.
///
/// Each entry is a table's index and the foreign keys no order can satisfy
/// (a table referring to itself, or tables referring to each other): their
/// columns are inserted empty and filled in once every row is in. A cycle
/// is broken at a table whose keys into it may be empty; if none may, no
/// order works and the tables are named in the error.
pub(super) fn fill_order(tables: &[Table]) -> Result<Vec<(usize, Vec<usize>)>, String> {
    let index = |name: &str| tables.iter().position(|t| t.name == name);
    let mut deferred: Vec<Vec<usize>> = tables
        .iter()
        .map(|t| {
            let own = t.foreign_keys.iter().enumerate();
            own.filter(|(_, k)| k.parent == t.name)
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let mut placed = vec![false; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let waits_on = |t: usize, deferred: &[Vec<usize>], placed: &[bool]| -> Vec<usize> {
            let keys = tables[t].foreign_keys.iter().enumerate();
            keys.filter(|(k, key)| {
                !deferred[t].contains(k) && index(&key.parent).is_some_and(|p| !placed[p])
            })
            .map(|(k, _)| k)
            .collect()
        };
        let ready =
            (0..tables.len()).find(|&t| !placed[t] && waits_on(t, &deferred, &placed).is_empty());
        if let Some(t) = ready {
            placed[t] = true;
            order.push((t, deferred[t].clone()));
            continue;
        }
        let breakable = (0..tables.len()).filter(|&t| !placed[t]).find(|&t| {
            waits_on(t, &deferred, &placed).iter().all(|&k| {
                let key = &tables[t].foreign_keys[k];
                let column = |c: &String| tables[t].column(c).is_some_and(|c| c.nullable);
                key.columns.iter().all(column)
            })
        });
        match breakable {
            Some(t) => {
                let keys = waits_on(t, &deferred, &placed);
                deferred[t].extend(keys);
            }
            None => {
                let stuck: Vec<&str> = (0..tables.len())
                    .filter(|&t| !placed[t])
                    .map(|t| tables[t].name.as_str())
                    .collect();
                return Err(format!(
                    "tables {} refer to each other through columns that must not be empty, \
                     so no order of filling them satisfies their foreign keys",
                    stuck.join(", ")
                ));
            }
        }
    }
    Ok(order)
}

/// The triggers of a SQLite database: name and the statement that creates it.
pub(super) async fn sqlite_triggers(
    conn: &mut SqliteConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .fetch_all(conn)
        .await
}

/// The enabled triggers of the current PostgreSQL schema, as (table, trigger);
/// not the ones PostgreSQL makes itself to enforce foreign keys.
pub(super) async fn postgres_triggers(
    conn: &mut PgConnection,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
           AND NOT t.tgisinternal AND t.tgenabled <> 'D' ORDER BY 1, 2",
    )
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, keys: &[(&str, &str)], nullable: bool) -> Table {
        Table {
            name: name.into(),
            columns: keys
                .iter()
                .map(|(column, _)| Column {
                    name: (*column).into(),
                    sql_type: "INTEGER".into(),
                    nullable,
                    sequence: None,
                })
                .collect(),
            primary_key: vec![],
            foreign_keys: keys
                .iter()
                .map(|(column, parent)| ForeignKey {
                    columns: vec![(*column).into()],
                    parent: (*parent).into(),
                })
                .collect(),
        }
    }

    fn names(tables: &[Table], order: &[(usize, Vec<usize>)]) -> Vec<String> {
        order.iter().map(|(t, _)| tables[*t].name.clone()).collect()
    }

    #[test]
    fn tables_are_filled_after_the_tables_they_refer_to() {
        let tables = vec![
            table(
                "a_nodes",
                &[("plan_id", "plans"), ("parent_id", "a_nodes")],
                true,
            ),
            table("plans", &[("organization_id", "organizations")], false),
            table("organizations", &[("parent_id", "organizations")], true),
        ];
        let order = fill_order(&tables).unwrap();
        assert_eq!(
            names(&tables, &order),
            ["organizations", "plans", "a_nodes"]
        );
        assert_eq!(
            order[0].1,
            [0],
            "the organizations' own parent is filled in later"
        );
        assert_eq!(order[2].1, [1], "a node's parent is filled in later");
        assert!(order[1].1.is_empty());
    }

    #[test]
    fn a_cycle_is_broken_where_a_key_may_be_empty() {
        let tables = vec![
            table("a", &[("b_id", "b")], false),
            table("b", &[("a_id", "a")], true),
        ];
        let order = fill_order(&tables).unwrap();
        assert_eq!(names(&tables, &order), ["b", "a"]);
        assert_eq!(order[0].1, [0]);
    }

    #[test]
    fn a_cycle_of_required_keys_names_its_tables() {
        let tables = vec![
            table("a", &[("b_id", "b")], false),
            table("b", &[("a_id", "a")], false),
        ];
        let err = fill_order(&tables).unwrap_err();
        assert!(err.starts_with("tables a, b refer to each other"), "{err}");
    }

    #[test]
    fn identifiers_are_quoted_with_their_quotes_doubled() {
        assert_eq!(quoted("plans"), "\"plans\"");
        assert_eq!(quoted("odd\"name"), "\"odd\"\"name\"");
    }
}
