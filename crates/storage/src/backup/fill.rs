//! Filling every table of one database from another, inside a transaction the
//! caller opened: used to restore a backup into a store, and to write a
//! PostgreSQL snapshot into a backup file.

use super::rows::{Conn, Reader, Writer};
use super::schema::{self, Column, Table, quoted};
use super::{BackupError, Existing, TableCount};

/// The tables of the database behind `conn`, ledger and label left out.
pub(super) async fn live_tables(conn: &mut Conn<'_>) -> Result<Vec<Table>, sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => schema::sqlite_tables(c).await,
        Conn::Postgres(c) => schema::postgres_tables(c).await,
    }
}

/// The migrations the database behind `conn` records, in order.
pub(super) async fn recorded_versions(conn: &mut Conn<'_>) -> Result<Vec<i64>, sqlx::Error> {
    let sql = format!("SELECT version FROM {} ORDER BY version", schema::LEDGER);
    match conn {
        Conn::Sqlite(c) => sqlx::query_scalar(&sql).fetch_all(&mut **c).await,
        Conn::Postgres(c) => sqlx::query_scalar(&sql).fetch_all(&mut **c).await,
    }
}

/// Copies every table of the target from the source, which holds the same
/// schema; returns the rows copied and whether data there before was replaced.
///
/// The target counts as empty when no table holds more rows than a new
/// database does (`fresh`: the rows migrations put there, by table). One that
/// holds more is refused unless `existing` says to replace it. Whatever the
/// target holds is deleted first. Tables are filled parents first; keys no
/// order satisfies are filled in at the end. The target's triggers are kept
/// from firing, so restoring an audit log does not add to it, and PostgreSQL
/// identity sequences are moved past the ids restored. Nothing is committed
/// here: the caller's transaction makes all of it one change.
pub(super) async fn fill(
    target: &mut Conn<'_>,
    source: &mut Conn<'_>,
    existing: Existing,
    fresh: &[TableCount],
) -> Result<(Vec<TableCount>, bool), BackupError> {
    let tables = live_tables(target).await?;
    let source_tables = live_tables(source).await?;
    let order = schema::fill_order(&tables).map_err(BackupError::Schema)?;
    if let Conn::Postgres(conn) = target {
        let names: Vec<String> = tables.iter().map(|t| quoted(&t.name)).collect();
        let lock = format!("LOCK TABLE {} IN EXCLUSIVE MODE", names.join(", "));
        sqlx::query(&lock).execute(&mut **conn).await?;
    }
    let mut any = false;
    let mut held = Vec::new();
    for table in &tables {
        let rows = target.count(&table.name).await?.unsigned_abs();
        let seeded = fresh
            .iter()
            .find(|c| c.table == table.name)
            .map_or(0, |c| c.rows);
        any |= rows > 0;
        if rows > seeded {
            held.push(TableCount {
                table: table.name.clone(),
                rows,
            });
        }
    }
    if !held.is_empty() && existing == Existing::Refuse {
        return Err(BackupError::NotEmpty { tables: held });
    }
    for extra in source_tables
        .iter()
        .filter(|s| !tables.iter().any(|t| t.name == s.name))
    {
        tracing::warn!(table = %extra.name, "the source holds a table the schema copied into does not have; it is left out");
    }

    let triggers = Triggers::suspend(target).await?;
    if any {
        empty(target, &tables, &order).await?;
    }
    let mut writers = Vec::with_capacity(order.len());
    for (t, later_keys) in &order {
        let table = &tables[*t];
        let copied = copy_table(target, source, table, &source_tables, later_keys).await;
        writers.push(copied.map_err(|e| e.in_table(&table.name))?);
    }
    for writer in &mut writers {
        let table = writer.table_name().to_owned();
        writer
            .fill_in(target)
            .await
            .map_err(|e| BackupError::from(e).in_table(&table))?;
    }
    if let Conn::Postgres(_) = target {
        reset_sequences(target, &tables).await?;
    }
    triggers.resume(target).await?;
    let counts = writers
        .into_iter()
        .map(|w| TableCount {
            table: w.table_name().to_owned(),
            rows: w.rows,
        })
        .collect();
    Ok((counts, !held.is_empty()))
}

/// Copies one table; returns its writer, which still holds the keys to fill in.
async fn copy_table<'t>(
    target: &mut Conn<'_>,
    source: &mut Conn<'_>,
    table: &'t Table,
    source_tables: &[Table],
    later_keys: &[usize],
) -> Result<Writer<'t>, BackupError> {
    let damaged = |reason: String| BackupError::Damaged { reason };
    let from = source_tables
        .iter()
        .find(|s| s.name == table.name)
        .ok_or_else(|| damaged(format!("the backup has no table {}", table.name)))?;
    let source_columns: Vec<&Column> = table
        .columns
        .iter()
        .map(|c| {
            from.column(&c.name).ok_or_else(|| {
                damaged(format!(
                    "table {} of the backup has no column {}",
                    table.name, c.name
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let later: Vec<usize> = later_keys
        .iter()
        .flat_map(|&k| &table.foreign_keys[k].columns)
        .filter_map(|name| table.columns.iter().position(|c| &c.name == name))
        .collect();
    let mut writer =
        Writer::new(table, table.columns.iter().collect(), later).map_err(BackupError::Schema)?;
    let mut reader = Reader::open(source, from, &source_columns).await?;
    while let Some(rows) = reader.next(source).await? {
        writer.write(target, rows).await?;
    }
    Ok(writer)
}

/// Deletes every row, children first. Keys that no order satisfies are
/// cleared beforehand, so that a row is never kept by one that refers to it.
async fn empty(
    target: &mut Conn<'_>,
    tables: &[Table],
    order: &[(usize, Vec<usize>)],
) -> Result<(), BackupError> {
    for (t, later_keys) in order {
        let table = &tables[*t];
        let columns: Vec<String> = later_keys
            .iter()
            .flat_map(|&k| &table.foreign_keys[k].columns)
            .map(|c| format!("{} = NULL", quoted(c)))
            .collect();
        if !columns.is_empty() {
            let sql = format!("UPDATE {} SET {}", quoted(&table.name), columns.join(", "));
            target
                .execute(&sql, &[])
                .await
                .map_err(|e| BackupError::from(e).in_table(&table.name))?;
        }
    }
    for (t, _) in order.iter().rev() {
        let name = &tables[*t].name;
        let sql = format!("DELETE FROM {}", quoted(name));
        target
            .execute(&sql, &[])
            .await
            .map_err(|e| BackupError::from(e).in_table(name))?;
    }
    Ok(())
}

/// Sets each PostgreSQL sequence that numbers a column so that the next id
/// given out is one above the highest restored.
async fn reset_sequences(target: &mut Conn<'_>, tables: &[Table]) -> Result<(), BackupError> {
    for table in tables {
        for column in &table.columns {
            let Some(sequence) = &column.sequence else {
                continue;
            };
            let sql = format!(
                "SELECT setval(CAST($1 AS regclass), COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                quoted(&column.name),
                quoted(&table.name)
            );
            let values = [super::rows::Value::Text(sequence.clone())];
            target
                .execute(&sql, &values)
                .await
                .map_err(|e| BackupError::from(e).in_table(&table.name))?;
        }
    }
    Ok(())
}

/// Triggers switched off while tables are filled, to be switched on again.
enum Triggers {
    /// SQLite cannot switch a trigger off: it is dropped and made again from its statement.
    Sqlite(Vec<(String, String)>),
    /// PostgreSQL triggers are disabled by (table, name) and enabled afterwards.
    Postgres(Vec<(String, String)>),
}

impl Triggers {
    async fn suspend(target: &mut Conn<'_>) -> Result<Self, BackupError> {
        Ok(match target {
            Conn::Sqlite(conn) => {
                let triggers = schema::sqlite_triggers(conn).await?;
                for (name, _) in &triggers {
                    let sql = format!("DROP TRIGGER {}", quoted(name));
                    sqlx::query(&sql).execute(&mut **conn).await?;
                }
                Self::Sqlite(triggers)
            }
            Conn::Postgres(conn) => {
                let triggers = schema::postgres_triggers(conn).await?;
                for (table, name) in &triggers {
                    let sql = format!(
                        "ALTER TABLE {} DISABLE TRIGGER {}",
                        quoted(table),
                        quoted(name)
                    );
                    sqlx::query(&sql).execute(&mut **conn).await?;
                }
                Self::Postgres(triggers)
            }
        })
    }

    async fn resume(self, target: &mut Conn<'_>) -> Result<(), BackupError> {
        match (self, target) {
            (Self::Sqlite(triggers), Conn::Sqlite(conn)) => {
                for (_, create) in triggers {
                    sqlx::query(&create).execute(&mut **conn).await?;
                }
            }
            (Self::Postgres(triggers), Conn::Postgres(conn)) => {
                for (table, name) in triggers {
                    let sql = format!(
                        "ALTER TABLE {} ENABLE TRIGGER {}",
                        quoted(&table),
                        quoted(&name)
                    );
                    sqlx::query(&sql).execute(&mut **conn).await?;
                }
            }
            _ => unreachable!("triggers are resumed on the connection that suspended them"),
        }
        Ok(())
    }
}
