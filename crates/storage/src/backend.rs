//! Opening a database, applying migrations, and dispatching a query to the open backend.

use crate::audit::Triggers;
use crate::migrate::{CREATE_LEDGER, Dialect, MIGRATIONS};
use crate::{Result, StorageError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// An open database with the schema applied. Cheap to clone: clones share the pools.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
}

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// Readers share a pool; writers queue on a single connection so that
    /// SQLite never has to upgrade a read lock mid-transaction.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the store's pool, once per backend.
/// `read` picks the pool for queries; `write` the one for changes.
macro_rules! on_backend {
    ($store:expr, read, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::backend::Backend::Sqlite { read: $pool, .. } => $body,
            $crate::backend::Backend::Postgres($pool) => $body,
        }
    };
    ($store:expr, write, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::backend::Backend::Sqlite { write: $pool, .. } => $body,
            $crate::backend::Backend::Postgres($pool) => $body,
        }
    };
}

impl Store {
    /// Opens the database a URL names (`sqlite://PATH` or `postgres://…`),
    /// creating a SQLite file if missing, and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Self::open_sqlite(Path::new(path)).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Self::open_postgres(options).await
        } else {
            Err(StorageError::UnsupportedUrl(redact(url)))
        }
    }

    /// Opens (creating if missing) the SQLite database at `path` and applies
    /// pending migrations.
    ///
    /// WAL lets readers work while a write commits. `synchronous = FULL` syncs
    /// the log on every commit, so a write once acknowledged survives a killed
    /// process and a power cut alike (NORMAL would survive only the former);
    /// docs/operations.md gives the cost. Foreign keys are enforced, and a
    /// connection waits up to 10 s for another process's write to finish.
    pub async fn open_sqlite(path: &Path) -> Result<Self> {
        Self::open_sqlite_in(path, SqliteJournalMode::Wal).await
    }

    /// Opens a SQLite database as [`Store::open_sqlite`] does, in `journal`
    /// mode. Backup files keep the rollback journal, so that each is one file
    /// and is never switched between modes (which SQLite cannot wait for).
    pub(crate) async fn open_sqlite_in(path: &Path, journal: SqliteJournalMode) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(journal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let store = Self {
            backend: Backend::Sqlite {
                read: write.clone(),
                write: write.clone(),
            },
        };
        store.migrate().await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            backend: Backend::Sqlite { read, write },
        })
    }

    /// Connects to PostgreSQL and applies pending migrations.
    pub async fn open_postgres(options: PgConnectOptions) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let store = Self {
            backend: Backend::Postgres(pool),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Which database this store speaks.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite { .. } => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Applies every migration not yet recorded, each in its own transaction,
    /// then fits the audit triggers to the resulting schema.
    ///
    /// Several processes may start on one database at once. On PostgreSQL an
    /// advisory lock lets one of them migrate while the others wait. On SQLite
    /// each migration's transaction, and the one fitting the triggers, takes
    /// the write lock before it reads anything (`BEGIN IMMEDIATE`): a process
    /// that waited then sees the migration recorded and skips it, rather than
    /// failing on tables that already exist or on a lock it cannot upgrade.
    /// Audit triggers are removed only in a transaction that applies a
    /// migration, so a process with nothing to apply never takes them away
    /// from one that is already serving.
    async fn migrate(&self) -> Result<()> {
        let dialect = self.dialect();
        on_backend!(self, write, pool => {
            let mut conn = pool.acquire().await?;
            if dialect == Dialect::Postgres {
                sqlx::query("SELECT pg_advisory_lock(7165206)").execute(&mut *conn).await?;
            }
            let outcome = async {
                sqlx::query(CREATE_LEDGER).execute(&mut *conn).await?;
                let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM lodestar_migrations")
                    .fetch_all(&mut *conn)
                    .await?;
                let known = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
                if let Some(&found) = applied.iter().max().filter(|v| **v > known) {
                    return Err(StorageError::NewerSchema { found, known });
                }
                let begin = match dialect {
                    Dialect::Sqlite => "BEGIN IMMEDIATE",
                    Dialect::Postgres => "BEGIN",
                };
                for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
                    let mut tx = sqlx::Connection::begin_with(&mut *conn, begin).await?;
                    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lodestar_migrations WHERE version = $1")
                        .bind(m.version)
                        .fetch_one(&mut *tx)
                        .await?;
                    if recorded > 0 {
                        tx.rollback().await?;
                        continue;
                    }
                    Triggers::before_migrations(&mut *tx).await?;
                    tracing::info!(version = m.version, name = m.name, "applying migration");
                    for statement in m.statements(dialect) {
                        sqlx::query(&statement).execute(&mut *tx).await?;
                    }
                    sqlx::query("INSERT INTO lodestar_migrations (version, name) VALUES ($1, $2)")
                        .bind(m.version)
                        .bind(m.name)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
                let mut tx = sqlx::Connection::begin_with(&mut *conn, begin).await?;
                Triggers::install_audit(&mut *tx).await?;
                tx.commit().await?;
                Ok::<_, StorageError>(())
            }
            .await;
            if dialect == Dialect::Postgres {
                sqlx::query("SELECT pg_advisory_unlock(7165206)").execute(&mut *conn).await?;
            }
            outcome
        })
    }

    /// Whether the store holds no plan at all (a fresh installation).
    pub async fn is_empty(&self) -> Result<bool> {
        let count: i64 = on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM plans").fetch_one(pool).await?
        });
        Ok(count == 0)
    }

    /// Checks that the database answers, for health checks.
    pub async fn ping(&self) -> Result<()> {
        on_backend!(self, read, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// The URL with any password replaced, safe to show in messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db/lodestar"),
            "postgres://app:***@db/lodestar"
        );
        assert_eq!(redact("postgres://db/lodestar"), "postgres://db/lodestar");
    }

    /// Opens `count` stores on one new database at the same time.
    async fn start_together(
        count: usize,
        open: impl Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Store>> + Send>>,
    ) -> Vec<Store> {
        let tasks: Vec<_> = (0..count).map(|_| tokio::spawn(open())).collect();
        let mut stores = Vec::new();
        for (i, task) in tasks.into_iter().enumerate() {
            let opened = task.await.expect("the start-up task ran to the end");
            stores.push(opened.unwrap_or_else(|e| panic!("start-up {i} failed: {e}")));
        }
        stores
    }

    async fn recorded_versions(store: &Store) -> Vec<i64> {
        on_backend!(store, read, pool => {
            sqlx::query_scalar("SELECT version FROM lodestar_migrations ORDER BY version")
                .fetch_all(pool)
                .await
                .expect("read the ledger")
        })
    }

    fn every_version() -> Vec<i64> {
        MIGRATIONS.iter().map(|m| m.version).collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn instances_starting_together_on_an_empty_sqlite_file_all_start() {
        let dir = std::env::temp_dir().join(format!("lodestar_race_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lodestar.db");
        // Turning a new file to WAL takes a lock SQLite cannot wait for, so the
        // file is made first: what is tested is the migrations' race.
        let create = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&create)
            .await
            .unwrap();
        sqlx::Connection::close(conn).await.unwrap();
        let stores = start_together(4, || {
            let path = path.clone();
            Box::pin(async move { Store::open_sqlite(&path).await })
        })
        .await;
        assert_eq!(recorded_versions(&stores[0]).await, every_version());
        for store in stores {
            store.close().await;
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn instances_starting_together_on_a_new_postgres_schema_all_start() {
        let Ok(url) = std::env::var(crate::testing::POSTGRES_ENV) else {
            eprintln!(
                "notice: {} is not set; skipped",
                crate::testing::POSTGRES_ENV
            );
            return;
        };
        let schema = format!("lodestar_race_{}", std::process::id());
        let admin = PgConnectOptions::from_str(&url).unwrap();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect_with(&admin)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let options = admin.clone().options([("search_path", schema.as_str())]);
        let stores = start_together(4, || {
            let options = options.clone();
            Box::pin(async move { Store::open_postgres(options).await })
        })
        .await;
        let versions = recorded_versions(&stores[0]).await;
        for store in stores {
            store.close().await;
        }
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut conn)
            .await
            .unwrap();
        assert_eq!(versions, every_version());
    }

    #[tokio::test]
    async fn unknown_schemes_are_refused() {
        let err = Store::connect("mysql://root@localhost/x")
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("unsupported database URL"),
            "{err}"
        );
    }
}
