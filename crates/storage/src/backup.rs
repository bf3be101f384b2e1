//! Backups: a consistent copy of every table, taken while the server runs,
//! and restoring one into an empty database of either kind.
//!
//! A backup is a SQLite database file holding Lodestar's schema, its
//! migration ledger (which says the schema version) and a one-row label
//! (`lodestar_backup`: format, schema version, source database, time taken).
//! One format serves both databases: a SQLite store is copied with
//! `VACUUM INTO`, which reads one snapshot; a PostgreSQL store is read in one
//! `REPEATABLE READ READ ONLY` transaction and written into a new file made by
//! the same migrations. Restoring reads the file into whichever database the
//! store speaks, so a backup moves an installation between SQLite and
//! PostgreSQL. A SQLite file was chosen over an archive of text rows because
//! it is already how Lodestar stores data: types, keys and the schema version
//! travel with it, SQLite checks it on open, and anyone can inspect it with
//! `sqlite3` or run `lodestar --database-url sqlite://FILE` on a copy.
//!
//! The tables come from the live schema, never from a list here, so tables
//! added by later migrations are included as they appear.

mod fill;
mod rows;
mod schema;
#[cfg(test)]
mod tests;

use crate::backend::Backend;
use crate::changes;
use crate::migrate::MIGRATIONS;
use crate::{StorageError, Store};
use rows::Conn;
use sqlx::Connection;
use sqlx::SqliteConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use std::path::{Path, PathBuf};

/// The version of the backup file's layout (the label), not of the schema.
const FORMAT: i64 = 1;

/// What a backup or restore failed on, worded for the person who ran it.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup would replace an existing file.
    #[error("{} already exists; a backup never replaces a file: choose another name or remove it first", .0.display())]
    Exists(PathBuf),
    /// A file could not be read, written or renamed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file given to restore is not a Lodestar backup.
    #[error("{} is not a Lodestar backup: {reason}", path.display())]
    NotABackup {
        /// The file.
        path: PathBuf,
        /// What it lacks.
        reason: String,
    },
    /// The backup was made by a newer Lodestar, with migrations this one does not know.
    #[error(
        "{} has schema version {found}, but this lodestar knows versions up to {supported}: restore it with the lodestar that made it, or a newer one",
        path.display()
    )]
    NewerBackup {
        /// The file.
        path: PathBuf,
        /// The newest migration it records.
        found: i64,
        /// The newest migration this binary has.
        supported: i64,
    },
    /// The database was upgraded by a newer Lodestar.
    #[error(
        "the database has schema version {found}, but this lodestar knows versions up to {supported}: use the lodestar that upgraded it, or a newer one"
    )]
    NewerDatabase {
        /// The newest migration the database records.
        found: i64,
        /// The newest migration this binary has.
        supported: i64,
    },
    /// The database to restore into already holds data.
    #[error(
        "the database is not empty ({}); a restore fills an empty database and replaces data only when told to (lodestar restore --force)",
        describe(tables)
    )]
    NotEmpty {
        /// The tables that hold rows, and how many.
        tables: Vec<TableCount>,
    },
    /// The backup's tables do not match its own schema version.
    #[error("the backup is damaged: {reason}")]
    Damaged {
        /// What is missing or wrong.
        reason: String,
    },
    /// The schema's foreign keys allow no order of filling its tables.
    #[error("the schema cannot be restored: {0}")]
    Schema(String),
    /// Copying one table failed.
    #[error("table {table}: {source}")]
    Table {
        /// The table.
        table: String,
        /// Why.
        source: Box<BackupError>,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for BackupError {
    fn from(err: sqlx::Error) -> Self {
        Self::Storage(StorageError::Database(err))
    }
}

impl BackupError {
    /// The same error, said to be about `table`.
    fn in_table(self, table: &str) -> Self {
        match self {
            already @ Self::Table { .. } => already,
            other => Self::Table {
                table: table.to_owned(),
                source: Box::new(other),
            },
        }
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// The tables that hold rows, plans first, at most four named.
fn describe(tables: &[TableCount]) -> String {
    const SHOWN: usize = 4;
    let mut ordered: Vec<&TableCount> = tables.iter().collect();
    ordered.sort_by_key(|t| (t.table != "plans", t.table.as_str()));
    let mut parts: Vec<String> = ordered
        .iter()
        .take(SHOWN)
        .map(|t| match t.rows {
            1 => format!("{} holds 1 row", t.table),
            n => format!("{} holds {n} rows", t.table),
        })
        .collect();
    if ordered.len() > SHOWN {
        parts.push(format!("{} more tables hold rows", ordered.len() - SHOWN));
    }
    parts.join(", ")
}

/// How many rows a table holds, or held when copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    /// The table.
    pub table: String,
    /// Its rows.
    pub rows: u64,
}

/// What to do when the database restored into already holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse, changing nothing.
    Refuse,
    /// Delete everything in it, in the same transaction as the restore.
    Replace,
}

/// A backup written.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    /// The schema version it holds.
    pub schema_version: i64,
    /// Each table in it and its rows.
    pub tables: Vec<TableCount>,
}

/// A backup restored.
#[derive(Debug, Clone)]
pub struct RestoreSummary {
    /// The schema version the backup held.
    pub backup_version: i64,
    /// The schema version the data has now (the binary's newest).
    pub schema_version: i64,
    /// When the backup was taken, as its label says (RFC 3339).
    pub taken_at: Option<String>,
    /// The database it was taken from (`sqlite` or `postgres`), as its label says.
    pub taken_from: Option<String>,
    /// Whether data that was there before was replaced.
    pub replaced: bool,
    /// Each table restored and its rows.
    pub tables: Vec<TableCount>,
}

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

impl Store {
    /// Writes a consistent copy of every table to a new file at `path`, while
    /// other connections go on reading and writing. The file appears only once
    /// it is complete; an existing file is never replaced.
    pub async fn backup_to(&self, path: &Path) -> Result<BackupSummary, BackupError> {
        if path.exists() {
            return Err(BackupError::Exists(path.to_owned()));
        }
        let partial = Partial::beside(path)?;
        let source = match &self.backend {
            Backend::Sqlite { read, .. } => {
                let mut conn = read.acquire().await?;
                sqlx::query("VACUUM INTO $1")
                    .bind(utf8(&partial.path)?)
                    .execute(&mut *conn)
                    .await?;
                "sqlite"
            }
            Backend::Postgres(pool) => {
                Store::open_sqlite_in(&partial.path, SqliteJournalMode::Delete)
                    .await?
                    .close()
                    .await;
                let mut file = open_file(&partial.path, false).await?;
                let mut out = file.begin().await?;
                let mut conn = pool.acquire().await?;
                let mut snapshot = conn
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?;
                let mut source = Conn::Postgres(&mut snapshot);
                check_version(fill::recorded_versions(&mut source).await?)?;
                fill::fill(
                    &mut Conn::Sqlite(&mut out),
                    &mut source,
                    Existing::Replace,
                    &[],
                )
                .await?;
                snapshot.commit().await?;
                out.commit().await?;
                file.close().await?;
                "postgres"
            }
        };
        let mut file = open_file(&partial.path, false).await?;
        let schema_version =
            check_version(fill::recorded_versions(&mut Conn::Sqlite(&mut file)).await?)?;
        write_label(&mut file, schema_version, source).await?;
        let tables = count_rows(&mut file).await?;
        file.close().await?;
        partial.keep_as(path)?;
        tracing::info!(path = %path.display(), schema_version, "backup written");
        Ok(BackupSummary {
            schema_version,
            tables,
        })
    }

    /// Fills this database from the backup at `path`, in one transaction.
    ///
    /// A backup from an older Lodestar is brought up to date first (its
    /// migrations run on a scratch copy); one from a newer Lodestar is refused.
    /// A database that holds more than a new one does is refused unless
    /// `existing` says to replace its contents. Triggers do not fire for the
    /// rows restored.
    pub async fn restore_from(
        &self,
        path: &Path,
        existing: Existing,
    ) -> Result<RestoreSummary, BackupError> {
        let inspected = inspect(path).await?;
        let fresh = Scratch::fresh_counts().await?;
        let scratch = match inspected.version < latest_version() {
            true => Some(Scratch::upgraded(path).await?),
            false => None,
        };
        let mut source = match &scratch {
            Some(scratch) => open_file(&scratch.file, false).await?,
            None => open_file(path, true).await?,
        };
        let mut source_conn = Conn::Sqlite(&mut source);
        let (tables, replaced) = match &self.backend {
            Backend::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                let mut target = Conn::Sqlite(&mut tx);
                check_version(fill::recorded_versions(&mut target).await?)?;
                let (tables, replaced) =
                    fill::fill(&mut target, &mut source_conn, existing, &fresh).await?;
                sqlx::query(changes::RAISE).execute(&mut *tx).await?;
                tx.commit().await?;
                (tables, replaced)
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let mut target = Conn::Postgres(&mut tx);
                check_version(fill::recorded_versions(&mut target).await?)?;
                let (tables, replaced) =
                    fill::fill(&mut target, &mut source_conn, existing, &fresh).await?;
                sqlx::query(changes::RAISE).execute(&mut *tx).await?;
                tx.commit().await?;
                (tables, replaced)
            }
        };
        source.close().await?;
        drop(scratch);
        tracing::info!(path = %path.display(), from = inspected.version, "backup restored");
        Ok(RestoreSummary {
            backup_version: inspected.version,
            schema_version: latest_version(),
            taken_at: inspected.label.as_ref().map(|l| l.taken_at.clone()),
            taken_from: inspected.label.map(|l| l.source),
            replaced,
            tables,
        })
    }
}

/// The newest version recorded, refused if newer than this binary's.
fn check_version(versions: Vec<i64>) -> Result<i64, BackupError> {
    let found = versions.last().copied().unwrap_or(0);
    match found > latest_version() {
        true => Err(BackupError::NewerDatabase {
            found,
            supported: latest_version(),
        }),
        false => Ok(found),
    }
}

fn utf8(path: &Path) -> Result<&str, BackupError> {
    path.to_str().ok_or_else(|| BackupError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not valid UTF-8",
        ),
    })
}

/// A connection of its own to a backup file, which keeps a single file
/// (no write-ahead log beside it) and syncs it on every commit.
async fn open_file(path: &Path, read_only: bool) -> Result<SqliteConnection, BackupError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only);
    let options = match read_only {
        true => options,
        false => options
            .journal_mode(SqliteJournalMode::Delete)
            .synchronous(SqliteSynchronous::Full),
    };
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// What a backup file's label says.
struct Label {
    taken_at: String,
    source: String,
}

async fn write_label(
    file: &mut SqliteConnection,
    schema_version: i64,
    source: &str,
) -> Result<(), BackupError> {
    let mut tx = file.begin().await?;
    let create = format!(
        "CREATE TABLE {} (format INTEGER NOT NULL, schema_version INTEGER NOT NULL, \
         source TEXT NOT NULL, taken_at TEXT NOT NULL, lodestar_version TEXT NOT NULL)",
        schema::LABEL
    );
    sqlx::query(&create).execute(&mut *tx).await?;
    let insert = format!("INSERT INTO {} VALUES ($1, $2, $3, $4, $5)", schema::LABEL);
    sqlx::query(&insert)
        .bind(FORMAT)
        .bind(schema_version)
        .bind(source)
        .bind(time::OffsetDateTime::now_utc())
        .bind(env!("CARGO_PKG_VERSION"))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn count_rows(file: &mut SqliteConnection) -> Result<Vec<TableCount>, BackupError> {
    let mut conn = Conn::Sqlite(file);
    let mut counts = Vec::new();
    for table in fill::live_tables(&mut conn).await? {
        let rows = conn.count(&table.name).await?;
        counts.push(TableCount {
            table: table.name,
            rows: rows.unsigned_abs(),
        });
    }
    Ok(counts)
}

/// A backup file checked to be one this binary can restore.
struct Inspected {
    version: i64,
    label: Option<Label>,
}

/// Checks that `path` is a Lodestar backup of a schema version this binary knows.
async fn inspect(path: &Path) -> Result<Inspected, BackupError> {
    std::fs::metadata(path).map_err(BackupError::io(path))?;
    let not_a_backup = |reason: &str| BackupError::NotABackup {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let mut file = open_file(path, true)
        .await
        .map_err(|_| not_a_backup("it cannot be opened as a SQLite database"))?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut file)
            .await
            .map_err(|_| not_a_backup("it is not a SQLite database"))?;
    if !tables.iter().any(|t| t == schema::LEDGER) {
        return Err(not_a_backup(
            "it has no migration ledger (lodestar_migrations); `lodestar backup` writes one",
        ));
    }
    let versions = fill::recorded_versions(&mut Conn::Sqlite(&mut file)).await?;
    if versions.is_empty() || versions.iter().zip(1..).any(|(v, expected)| *v != expected) {
        return Err(not_a_backup(
            "its migration ledger is not a complete history starting at version 1",
        ));
    }
    let version = versions.last().copied().unwrap_or(0);
    if version > latest_version() {
        return Err(BackupError::NewerBackup {
            path: path.to_owned(),
            found: version,
            supported: latest_version(),
        });
    }
    let label = match tables.iter().any(|t| t == schema::LABEL) {
        false => None,
        true => {
            let sql = format!("SELECT format, source, taken_at FROM {}", schema::LABEL);
            let (format, source, taken_at): (i64, String, String) = sqlx::query_as(&sql)
                .fetch_one(&mut file)
                .await
                .map_err(|_| not_a_backup("its label (lodestar_backup) is damaged"))?;
            if format > FORMAT {
                return Err(not_a_backup(&format!(
                    "it is in backup format {format}, newer than this lodestar reads ({FORMAT})"
                )));
            }
            Some(Label { taken_at, source })
        }
    };
    file.close().await?;
    Ok(Inspected { version, label })
}

/// A backup being written under a temporary name beside its final one, made
/// empty and readable by its owner alone; removed (with any journal) unless
/// it is kept.
struct Partial {
    path: PathBuf,
    kept: bool,
}

impl Partial {
    fn beside(target: &Path) -> Result<Self, BackupError> {
        let name = target.file_name().ok_or_else(|| BackupError::Io {
            path: target.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the backup needs a file name",
            ),
        })?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(BackupError::Io {
                path: dir.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
            });
        }
        let mut partial = std::ffi::OsString::from(".");
        partial.push(name);
        partial.push(format!(".partial-{}", std::process::id()));
        let path = dir.join(partial);
        // The backup holds password and token hashes: only its owner may read it.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&path).map_err(BackupError::io(&path))?;
        Ok(Self { path, kept: false })
    }

    /// Syncs the file, renames it to `target` and syncs the directory, so the
    /// backup is on disk under its name once this returns.
    fn keep_as(mut self, target: &Path) -> Result<(), BackupError> {
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(BackupError::io(&self.path))?;
        std::fs::rename(&self.path, target).map_err(BackupError::io(target))?;
        self.kept = true;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(BackupError::io(dir))?;
        }
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            remove_database_files(&self.path);
        }
    }
}

/// A scratch copy of an older backup, brought up to this binary's schema;
/// removed when dropped.
struct Scratch {
    dir: PathBuf,
    file: PathBuf,
}

impl Scratch {
    fn new() -> Result<Self, BackupError> {
        let dir = std::env::temp_dir().join(format!(
            "lodestar-restore-{}-{}",
            std::process::id(),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos()
        ));
        std::fs::create_dir_all(&dir).map_err(BackupError::io(&dir))?;
        Ok(Self {
            file: dir.join("lodestar.db"),
            dir,
        })
    }

    /// The rows a new database holds, by table: those its migrations insert.
    async fn fresh_counts() -> Result<Vec<TableCount>, BackupError> {
        let scratch = Self::new()?;
        Store::open_sqlite_in(&scratch.file, SqliteJournalMode::Delete)
            .await?
            .close()
            .await;
        let mut file = open_file(&scratch.file, false).await?;
        let counts = count_rows(&mut file).await?;
        file.close().await?;
        Ok(counts)
    }

    async fn upgraded(backup: &Path) -> Result<Self, BackupError> {
        let scratch = Self::new()?;
        std::fs::copy(backup, &scratch.file).map_err(BackupError::io(&scratch.file))?;
        tracing::info!(backup = %backup.display(), "the backup is from an older lodestar; applying the newer migrations to a copy of it");
        Store::open_sqlite_in(&scratch.file, SqliteJournalMode::Delete)
            .await?
            .close()
            .await;
        Ok(scratch)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes a SQLite file and the journal, log and index files beside it.
fn remove_database_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
}
