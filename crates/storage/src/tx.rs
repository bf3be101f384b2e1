//! A transaction on whichever database the store speaks, so that a write made
//! of several steps (a check-in and the roll-ups it changes) commits or fails whole.

use crate::backend::Backend;
use crate::{Result, Store, actor};
use lodestar_domain::PlanId;

/// An open transaction. Dropping it without `commit` rolls it back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection, once per backend.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::tx::Tx::Sqlite(t) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::tx::Tx::Postgres(t) => {
                let $conn: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Runs `$body` in a transaction of its own, with `$conn` bound to its
/// connection, and commits it; an early return (`?`) rolls it back. For a
/// write of one statement, so that it too records its actor.
macro_rules! in_tx {
    ($store:expr, $conn:ident => $body:expr) => {{
        let mut tx = $store.begin().await?;
        let out = on_tx!(&mut tx, $conn => $body);
        tx.commit().await?;
        out
    }};
}

impl Store {
    /// Starts a write transaction on behalf of the current [`actor`], whom
    /// the audit triggers name in every row they log for it.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let actor = actor::current();
        let mut tx = match &self.backend {
            Backend::Sqlite { write, .. } => Tx::Sqlite(write.begin().await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        if let Some(actor) = actor {
            crate::audit::set_actor(&mut tx, &actor).await?;
        }
        Ok(tx)
    }
}

impl Tx {
    /// Makes every change of the transaction permanent, forgetting its actor
    /// first and raising the change mark, so that every instance's views
    /// derived from the data before it stop being served.
    pub(crate) async fn commit(mut self) -> Result<()> {
        crate::audit::clear_actor(&mut self).await?;
        crate::changes::raise(&mut self).await?;
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Serializes writers of one plan's roll-ups until the transaction ends, so
    /// two instances never compute a parent from each other's half-written
    /// children. SQLite has a single writer already.
    pub(crate) async fn lock_plan(&mut self, plan: PlanId) -> Result<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock(8042, $1::INT4)")
                .bind(i32::try_from(plan.0 % i64::from(i32::MAX)).unwrap_or(0))
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }
}
