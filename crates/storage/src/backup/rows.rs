//! Moving rows between databases whose column types are spelled differently:
//! a value is read into [`Value`] by the type the source gives it, and written
//! with a cast to the type the target column has, so a date kept as text in
//! SQLite becomes a `date` in PostgreSQL and back again.

use super::schema::{Column, Table, quoted};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column as _, PgConnection, Row, SqliteConnection, TypeInfo, ValueRef};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// How many values one INSERT binds at most; well under both databases' limits.
const VALUES_PER_STATEMENT: usize = 960;

/// How many rows are read from the source at a time.
const ROWS_PER_READ: usize = 500;

/// One value of one column, whichever database it came from.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
    Date(Date),
    Timestamp(OffsetDateTime),
    LocalTimestamp(PrimitiveDateTime),
}

/// A database connection rows are read from or written to.
pub(super) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Value {
    pub(super) fn from_sqlite(row: &SqliteRow, i: usize) -> Result<Self, sqlx::Error> {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            return Ok(Self::Null);
        }
        Ok(match raw.type_info().name() {
            "INTEGER" => Self::Int(row.try_get(i)?),
            "REAL" => Self::Real(row.try_get(i)?),
            "BLOB" => Self::Blob(row.try_get(i)?),
            _ => Self::Text(row.try_get(i)?),
        })
    }

    pub(super) fn from_postgres(row: &PgRow, i: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(i)?.is_null() {
            return Ok(Self::Null);
        }
        Ok(match row.column(i).type_info().name() {
            "INT2" => Self::Int(row.try_get::<i16, _>(i)?.into()),
            "INT4" => Self::Int(row.try_get::<i32, _>(i)?.into()),
            "INT8" => Self::Int(row.try_get(i)?),
            "FLOAT4" => Self::Real(row.try_get::<f32, _>(i)?.into()),
            "FLOAT8" => Self::Real(row.try_get(i)?),
            "BOOL" => Self::Bool(row.try_get(i)?),
            "DATE" => Self::Date(row.try_get(i)?),
            "TIMESTAMPTZ" => Self::Timestamp(row.try_get(i)?),
            "TIMESTAMP" => Self::LocalTimestamp(row.try_get(i)?),
            "BYTEA" => Self::Blob(row.try_get(i)?),
            _ => Self::Text(row.try_get(i)?),
        })
    }

    /// The value as a PostgreSQL column of `sql_type` takes it: SQLite keeps
    /// booleans as integers, and PostgreSQL casts no integer to a boolean.
    fn for_postgres(self, sql_type: &str) -> Self {
        match self {
            Self::Int(n) if sql_type == "boolean" => Self::Bool(n != 0),
            other => other,
        }
    }
}

/// Whether a PostgreSQL type is read as it is; any other is read as text.
fn read_natively(sql_type: &str) -> bool {
    matches!(
        sql_type,
        "smallint"
            | "integer"
            | "bigint"
            | "real"
            | "double precision"
            | "boolean"
            | "date"
            | "timestamp with time zone"
            | "timestamp without time zone"
            | "bytea"
            | "text"
    ) || sql_type.starts_with("character")
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;
type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// How a time from PostgreSQL is written into SQLite: UTC, always six digits
/// of fraction (PostgreSQL keeps microseconds), so that restored times sort
/// as text among themselves and beside the millisecond times SQLite writes.
const SQLITE_TIMESTAMP: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
);

fn sqlite_timestamp(t: &OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(SQLITE_TIMESTAMP)
        .unwrap_or_else(|_| utc.to_string())
}

fn bind_sqlite<'q>(query: SqliteQuery<'q>, value: &'q Value) -> SqliteQuery<'q> {
    match value {
        Value::Null => query.bind(None::<i64>),
        Value::Int(n) => query.bind(*n),
        Value::Real(x) => query.bind(*x),
        Value::Text(s) => query.bind(s.as_str()),
        Value::Blob(b) => query.bind(b.as_slice()),
        Value::Bool(b) => query.bind(*b),
        Value::Date(d) => query.bind(*d),
        Value::Timestamp(t) => query.bind(sqlite_timestamp(t)),
        Value::LocalTimestamp(t) => query.bind(*t),
    }
}

fn bind_postgres<'q>(query: PgQuery<'q>, value: &'q Value) -> PgQuery<'q> {
    match value {
        Value::Null => query.bind(None::<String>),
        Value::Int(n) => query.bind(*n),
        Value::Real(x) => query.bind(*x),
        Value::Text(s) => query.bind(s.as_str()),
        Value::Blob(b) => query.bind(b.as_slice()),
        Value::Bool(b) => query.bind(*b),
        Value::Date(d) => query.bind(*d),
        Value::Timestamp(t) => query.bind(*t),
        Value::LocalTimestamp(t) => query.bind(*t),
    }
}

impl Conn<'_> {
    /// Runs one statement with these values bound in order; the number of rows it touched.
    pub async fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Conn::Sqlite(conn) => {
                let query = values.iter().fold(sqlx::query(sql), bind_sqlite);
                query.execute(&mut **conn).await?.rows_affected()
            }
            Conn::Postgres(conn) => {
                // A prepared statement keeps the parameter types of its first
                // use, and one column may bring a null (text) in one batch and
                // a number in the next: each statement is prepared afresh.
                let query = sqlx::query(sql).persistent(false);
                let query = values.iter().fold(query, bind_postgres);
                query.execute(&mut **conn).await?.rows_affected()
            }
        })
    }

    /// How many rows `table` holds.
    pub async fn count(&mut self, table: &str) -> Result<i64, sqlx::Error> {
        let sql = format!("SELECT COUNT(*) FROM {}", quoted(table));
        match self {
            Conn::Sqlite(conn) => sqlx::query_scalar(&sql).fetch_one(&mut **conn).await,
            Conn::Postgres(conn) => sqlx::query_scalar(&sql).fetch_one(&mut **conn).await,
        }
    }

    /// The placeholder for the `n`th value (from 1) going into `column`.
    fn placeholder(&self, n: usize, column: &Column) -> String {
        match self {
            Conn::Sqlite(_) => format!("${n}"),
            Conn::Postgres(_) => format!("CAST(${n} AS {})", column.sql_type),
        }
    }
}

/// Reads a table's rows a batch at a time: by rowid on SQLite, through a
/// cursor on PostgreSQL (which needs the open transaction a snapshot is).
pub(super) struct Reader {
    select: String,
    next_rowid: Option<i64>,
    done: bool,
}

impl Reader {
    /// Starts reading `columns` of `table`, in primary key order where there is one.
    pub async fn open(
        source: &mut Conn<'_>,
        table: &Table,
        columns: &[&Column],
    ) -> Result<Self, sqlx::Error> {
        match source {
            Conn::Sqlite(_) => {
                let list: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
                Ok(Self {
                    select: format!(
                        "SELECT rowid, {} FROM {} WHERE rowid >= $1 ORDER BY rowid LIMIT {ROWS_PER_READ}",
                        list.join(", "),
                        quoted(&table.name)
                    ),
                    next_rowid: Some(i64::MIN),
                    done: false,
                })
            }
            Conn::Postgres(conn) => {
                let list: Vec<String> = columns
                    .iter()
                    .map(|c| match read_natively(&c.sql_type) {
                        true => quoted(&c.name),
                        false => format!("{}::text", quoted(&c.name)),
                    })
                    .collect();
                let order = match table.primary_key.is_empty() {
                    true => String::new(),
                    false => {
                        let keys: Vec<String> =
                            table.primary_key.iter().map(|k| quoted(k)).collect();
                        format!(" ORDER BY {}", keys.join(", "))
                    }
                };
                let declare = format!(
                    "DECLARE lodestar_rows NO SCROLL CURSOR FOR SELECT {} FROM {}{order}",
                    list.join(", "),
                    quoted(&table.name)
                );
                sqlx::query(&declare).execute(&mut **conn).await?;
                Ok(Self {
                    select: format!("FETCH FORWARD {ROWS_PER_READ} FROM lodestar_rows"),
                    next_rowid: None,
                    done: false,
                })
            }
        }
    }

    /// The next rows, or `None` when the table has been read to the end.
    pub async fn next(
        &mut self,
        source: &mut Conn<'_>,
    ) -> Result<Option<Vec<Vec<Value>>>, sqlx::Error> {
        if self.done || self.next_rowid.is_none() && matches!(source, Conn::Sqlite(_)) {
            return Ok(None);
        }
        let rows = match source {
            Conn::Sqlite(conn) => {
                let fetched = sqlx::query(&self.select)
                    .bind(self.next_rowid)
                    .fetch_all(&mut **conn)
                    .await?;
                if let Some(last) = fetched.last() {
                    self.next_rowid = last.try_get::<i64, _>(0)?.checked_add(1);
                }
                let rows: Result<Vec<Vec<Value>>, _> = fetched
                    .iter()
                    .map(|row| (1..row.len()).map(|i| Value::from_sqlite(row, i)).collect())
                    .collect();
                rows?
            }
            Conn::Postgres(conn) => {
                // Every table's FETCH reads the same text but other columns:
                // a statement prepared once would decode them by the first table's types.
                let fetch = sqlx::query(&self.select).persistent(false);
                let fetched = fetch.fetch_all(&mut **conn).await?;
                if fetched.len() < ROWS_PER_READ {
                    sqlx::query("CLOSE lodestar_rows")
                        .execute(&mut **conn)
                        .await?;
                }
                let rows: Result<Vec<Vec<Value>>, _> = fetched
                    .iter()
                    .map(|row| {
                        (0..row.len())
                            .map(|i| Value::from_postgres(row, i))
                            .collect()
                    })
                    .collect();
                rows?
            }
        };
        self.done = rows.len() < ROWS_PER_READ;
        Ok(if rows.is_empty() { None } else { Some(rows) })
    }
}

/// Writes rows into one table of the target, many rows to a statement.
/// The columns of keys that cannot be satisfied yet are written empty and
/// their values kept, with the row's primary key, for [`Writer::fill_in`].
pub(super) struct Writer<'t> {
    table: &'t Table,
    columns: Vec<&'t Column>,
    later: Vec<usize>,
    key: Vec<usize>,
    pending: Vec<(Vec<Value>, Vec<Value>)>,
    pub rows: u64,
}

impl<'t> Writer<'t> {
    /// A writer of `columns` of `table`; the columns at positions `later` are filled in afterwards.
    pub fn new(
        table: &'t Table,
        columns: Vec<&'t Column>,
        later: Vec<usize>,
    ) -> Result<Self, String> {
        let key: Option<Vec<usize>> = table
            .primary_key
            .iter()
            .map(|k| columns.iter().position(|c| &c.name == k))
            .collect();
        let key = match key {
            Some(key) if !key.is_empty() || later.is_empty() => key,
            _ => {
                return Err(format!(
                    "table {} refers to rows that must be filled in afterwards, but has no primary key to find its rows by",
                    table.name
                ));
            }
        };
        Ok(Self {
            table,
            columns,
            later,
            key,
            pending: Vec::new(),
            rows: 0,
        })
    }

    /// The table written to.
    pub fn table_name(&self) -> &str {
        &self.table.name
    }

    /// Inserts `rows` (values in the writer's column order).
    pub async fn write(
        &mut self,
        target: &mut Conn<'_>,
        rows: Vec<Vec<Value>>,
    ) -> Result<(), sqlx::Error> {
        let per_statement = (VALUES_PER_STATEMENT / self.columns.len().max(1)).max(1);
        let postgres = matches!(target, Conn::Postgres(_));
        let mut values = Vec::with_capacity(per_statement * self.columns.len());
        let mut chunk = 0;
        let total = rows.len();
        for (n, mut row) in rows.into_iter().enumerate() {
            if !self.later.is_empty() {
                let key = self.key.iter().map(|&k| row[k].clone()).collect();
                let deferred = self
                    .later
                    .iter()
                    .map(|&c| std::mem::replace(&mut row[c], Value::Null))
                    .collect();
                self.pending.push((key, deferred));
            }
            for (value, column) in row.into_iter().zip(&self.columns) {
                values.push(match postgres {
                    true => value.for_postgres(&column.sql_type),
                    false => value,
                });
            }
            chunk += 1;
            if chunk == per_statement || n + 1 == total {
                let sql = self.insert_sql(target, chunk);
                target.execute(&sql, &values).await?;
                self.rows += chunk as u64;
                values.clear();
                chunk = 0;
            }
        }
        Ok(())
    }

    /// Sets the columns written empty to their values, row by row.
    pub async fn fill_in(&mut self, target: &mut Conn<'_>) -> Result<(), sqlx::Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let set: Vec<&Column> = self.later.iter().map(|&c| self.columns[c]).collect();
        let key: Vec<&Column> = self.key.iter().map(|&c| self.columns[c]).collect();
        let mut n = 0;
        let mut next = |column: &Column| {
            n += 1;
            format!(
                "{} = {}",
                quoted(&column.name),
                target.placeholder(n, column)
            )
        };
        let assignments: Vec<String> = set.iter().map(|c| next(c)).collect();
        let conditions: Vec<String> = key.iter().map(|c| next(c)).collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE {}",
            quoted(&self.table.name),
            assignments.join(", "),
            conditions.join(" AND ")
        );
        let postgres = matches!(target, Conn::Postgres(_));
        for (key_values, deferred) in std::mem::take(&mut self.pending) {
            if deferred.iter().all(|v| *v == Value::Null) {
                continue;
            }
            let values: Vec<Value> = deferred
                .into_iter()
                .zip(&set)
                .chain(key_values.into_iter().zip(&key))
                .map(|(value, column)| match postgres {
                    true => value.for_postgres(&column.sql_type),
                    false => value,
                })
                .collect();
            target.execute(&sql, &values).await?;
        }
        Ok(())
    }

    fn insert_sql(&self, target: &Conn<'_>, rows: usize) -> String {
        let names: Vec<String> = self.columns.iter().map(|c| quoted(&c.name)).collect();
        let mut n = 0;
        let tuples: Vec<String> = (0..rows)
            .map(|_| {
                let places: Vec<String> = self
                    .columns
                    .iter()
                    .map(|column| {
                        n += 1;
                        target.placeholder(n, column)
                    })
                    .collect();
                format!("({})", places.join(", "))
            })
            .collect();
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            quoted(&self.table.name),
            names.join(", "),
            tuples.join(", ")
        )
    }
}
