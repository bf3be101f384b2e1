//! Fresh, isolated stores for tests: one per test, on every backend available.
//!
//! SQLite always runs (a new file in a temporary directory). PostgreSQL runs
//! when `LODESTAR_TEST_DATABASE_URL` names a server: each store gets a schema
//! of its own, dropped when the store is dropped, so tests never see each
//! other's data nor what an earlier run left behind.

use crate::Store;
use sqlx::postgres::PgConnectOptions;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "LODESTAR_TEST_DATABASE_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);
static NOTICE: Once = Once::new();

/// A store for one test; cleans up after itself when dropped.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// "sqlite" or "postgres", for assertion messages.
    pub backend: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "lodestar_t_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh SQLite store in a new temporary file.
pub async fn sqlite() -> TestStore {
    let dir = std::env::temp_dir().join(unique_name());
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let store = Store::open_sqlite(&dir.join("lodestar.db"))
        .await
        .expect("open SQLite");
    TestStore {
        store,
        backend: "sqlite",
        cleanup: Cleanup::File(dir),
    }
}

/// A fresh PostgreSQL store in a new schema, when the environment names a server.
pub async fn postgres() -> Option<TestStore> {
    let Ok(url) = std::env::var(POSTGRES_ENV) else {
        NOTICE.call_once(|| {
            eprintln!(
                "notice: {POSTGRES_ENV} is not set; tests ran on SQLite only, not on PostgreSQL"
            );
        });
        return None;
    };
    let schema = unique_name();
    let admin =
        PgConnectOptions::from_str(&url).expect("LODESTAR_TEST_DATABASE_URL is a PostgreSQL URL");
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect_with(&admin)
        .await
        .expect("connect to the test PostgreSQL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .expect("create test schema");
    sqlx::Connection::close(conn).await.ok();
    let options = admin
        .options([("search_path", schema.as_str())])
        .application_name(&schema);
    let store = Store::open_postgres(options)
        .await
        .expect("open PostgreSQL");
    Some(TestStore {
        store,
        backend: "postgres",
        cleanup: Cleanup::Schema { url, schema },
    })
}

/// One fresh store on each available backend: SQLite, and PostgreSQL when configured.
pub async fn all() -> Vec<TestStore> {
    let mut stores = vec![sqlite().await];
    stores.extend(postgres().await);
    stores
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Schema { url, schema } => {
                let (url, schema) = (url.clone(), schema.clone());
                // Drop may run inside a runtime; a thread with its own runtime may block.
                // The store's own pool is not touched: its connections belong to the
                // test's runtime, which is blocked here. One of them may still hold
                // a transaction that a failed operation dropped (sqlx rolls it back
                // from a task that cannot run while the runtime is blocked), so the
                // store's sessions, named after the schema, are ended first.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async move {
                        let options = PgConnectOptions::from_str(&url).ok()?;
                        let mut conn: sqlx::PgConnection =
                            sqlx::Connection::connect_with(&options).await.ok()?;
                        sqlx::query(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                             WHERE application_name = $1 AND pid <> pg_backend_pid()",
                        )
                        .bind(&schema)
                        .execute(&mut conn)
                        .await
                        .ok()?;
                        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                            .execute(&mut conn)
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}
