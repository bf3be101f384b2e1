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
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
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
    /// On PostgreSQL an advisory lock keeps instances starting together from
    /// applying the same migration twice.
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
                let pending: Vec<_> = MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)).collect();
                if !pending.is_empty() {
                    Triggers::before_migrations(&mut *conn).await?;
                }
                for m in pending {
                    tracing::info!(version = m.version, name = m.name, "applying migration");
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
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
                Triggers::install_audit(&mut *conn).await?;
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
