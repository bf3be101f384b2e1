//! The change mark: a number every writing transaction raises as it commits,
//! so that a view derived from the database can be kept in memory and trusted
//! for exactly as long as the mark it was built under is still current, on
//! every instance that shares the database.

use crate::tx::Tx;
use crate::{Result, Store};

/// A reading of the change mark. Two equal readings mean no transaction that
/// went through [`Store::begin`] committed in between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeMark(pub i64);

const READ: &str = "SELECT mark FROM change_mark WHERE id = 1";

/// Also run by a restore, which replaces the data but never copies a
/// backup's mark: instances stop serving views of the data it replaced.
pub(crate) const RAISE: &str = "UPDATE change_mark SET mark = mark + 1 WHERE id = 1";

impl Store {
    /// The current change mark. Read it before the data a view is built
    /// from: a write committed after this reading raises the mark, so the view
    /// is never served past that write.
    pub async fn change_mark(&self) -> Result<ChangeMark> {
        let mark: i64 =
            on_backend!(self, read, pool => sqlx::query_scalar(READ).fetch_one(pool).await?);
        Ok(ChangeMark(mark))
    }
}

/// Raises the mark inside `tx`, just before it commits. On PostgreSQL the row
/// lock this takes is held only for the commit, and it orders the raises of
/// concurrent writers: the mark grows with every commit, never skips back.
pub(crate) async fn raise(tx: &mut Tx) -> Result<()> {
    on_tx!(tx, conn => sqlx::query(RAISE).execute(&mut *conn).await?.rows_affected());
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::backup::Existing;
    use crate::testing;
    use lodestar_domain::{Name, OrganizationDraft};

    fn organization(name: &str) -> OrganizationDraft {
        OrganizationDraft {
            name: Name::parse(name).unwrap(),
            parent_id: None,
        }
    }

    #[tokio::test]
    async fn every_write_raises_the_mark_and_reads_leave_it() {
        for t in testing::all().await {
            let start = t.store.change_mark().await.unwrap();
            t.store.list_plans().await.unwrap();
            assert_eq!(t.store.change_mark().await.unwrap(), start, "{}", t.backend);
            t.store
                .create_organization(&organization("City of Markham"))
                .await
                .unwrap();
            let after = t.store.change_mark().await.unwrap();
            assert!(after > start, "{}: {after:?} after {start:?}", t.backend);
        }
    }

    #[tokio::test]
    async fn a_restore_raises_the_mark() {
        for t in testing::all().await {
            let dir = std::env::temp_dir().join(format!(
                "lodestar-mark-{}-{}",
                std::process::id(),
                t.backend
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let backup = dir.join("early.lodestar-backup");
            let _ = std::fs::remove_file(&backup);
            t.store
                .create_organization(&organization("City of Early"))
                .await
                .unwrap();
            t.store.backup_to(&backup).await.unwrap();
            for name in ["City of Later", "City of Latest"] {
                t.store
                    .create_organization(&organization(name))
                    .await
                    .unwrap();
            }
            let before = t.store.change_mark().await.unwrap();
            t.store
                .restore_from(&backup, Existing::Replace)
                .await
                .unwrap();
            let after = t.store.change_mark().await.unwrap();
            assert!(after > before, "{}: {after:?} after {before:?}", t.backend);
            std::fs::remove_dir_all(&dir).ok();
        }
    }
}
