//! Optimistic concurrency: each record a client may replace carries a version
//! that every change raises by one. A write names the version it was based on
//! and changes the row only if it is still at that version
//! (`… WHERE id = $1 AND version = $2`), which the database checks atomically,
//! so of two writers that read the same version exactly one wins and the other
//! learns what it missed instead of silently undoing it.
//!
//! The version stays out of the domain types: it describes a row, not the
//! plan, and only the layers that pass it back and forth see it, through
//! [`Versioned`].

use crate::rows::{
    AlignmentRow, DepartmentRow, NodeRow, OrganizationRow, PersonRow, PlanRow, TagRow,
};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use std::fmt::Display;
use std::future::Future;

/// A record with the version its row is at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    /// The record.
    pub value: T,
    /// Its version: 1 when created, one higher after each change.
    pub version: i64,
}

/// The version every record starts at.
pub const FIRST_VERSION: i64 = 1;

/// A table whose rows carry a version, and how messages name its records.
pub(crate) struct Table {
    name: &'static str,
    entity: &'static str,
    version: &'static str,
}

pub(crate) const ORGANIZATIONS: Table = Table::new("organizations", "organization");
pub(crate) const DEPARTMENTS: Table = Table::new("departments", "department");
pub(crate) const PEOPLE: Table = Table::new("people", "person");
pub(crate) const PLANS: Table = Table::new("plans", "plan");
pub(crate) const NODES: Table = Table::new("nodes", "node");
pub(crate) const TAGS: Table = Table::new("tags", "tag");
pub(crate) const ALIGNMENTS: Table = Table::new("alignments", "alignment");
pub(crate) const MEASURES: Table = Table::new("measures", "measure");
pub(crate) const MILESTONES: Table = Table::new("milestones", "milestone");
pub(crate) const EVIDENCE: Table = Table::new("evidence", "evidence");
pub(crate) const PROPOSALS: Table = Table::new("proposals", "proposal");
/// Check-ins count their corrections in `revision`, which is their version.
pub(crate) const CHECKINS: Table = Table {
    name: "checkins",
    entity: "check-in",
    version: "revision",
};

impl Table {
    const fn new(name: &'static str, entity: &'static str) -> Self {
        Self {
            name,
            entity,
            version: "version",
        }
    }

    /// Reads the version of the row with id `$1`.
    pub(crate) fn current_sql(&self) -> String {
        format!(
            "SELECT CAST({} AS BIGINT) FROM {} WHERE id = $1",
            self.version, self.name
        )
    }

    /// Why a write based on `expected` (if it named a version) touched no
    /// row, given the version the row is at now (`None`: there is no such row).
    pub(crate) fn missed(
        &self,
        id: i64,
        expected: Option<i64>,
        current: Option<i64>,
    ) -> StorageError {
        match (expected, current) {
            (Some(expected), Some(current)) => StorageError::Stale {
                entity: self.entity,
                id: id.to_string(),
                expected,
                current: Some(current),
            },
            _ => StorageError::not_found(self.entity, id),
        }
    }
}

/// Inside an `on_backend!` or `on_tx!` body, after a write conditioned on a
/// version touched no row: the error saying whether the record is gone
/// (`NotFound`) or at another version (`Stale`). It reads on the same
/// connection, so a writer holding a transaction never waits for a second one.
macro_rules! missed_version {
    ($conn:expr, $table:expr, $id:expr, $expected:expr) => {{
        let table: &$crate::versions::Table = &$table;
        let current: Option<i64> = sqlx::query_scalar(&table.current_sql())
            .bind($id)
            .fetch_optional($conn)
            .await?;
        table.missed($id, Option::<i64>::from($expected), current)
    }};
}

/// Deletes the row `id` of `table` inside `tx`, only at version `expected`
/// when one is named: the one delete every versioned record goes through.
/// `refused` turns the database's refusal (a row still referred to) into
/// the error the caller's record should give.
pub(crate) async fn delete_at_version(
    tx: &mut crate::tx::Tx,
    table: &Table,
    id: i64,
    expected: Option<i64>,
    refused: impl FnOnce(sqlx::Error) -> StorageError,
) -> Result<()> {
    let sql = format!(
        "DELETE FROM {} WHERE id = $1 AND ($2 IS NULL OR {} = $2)",
        table.name, table.version
    );
    on_tx!(tx, conn => {
        let rows = sqlx::query(&sql)
            .bind(id)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(refused)?
            .rows_affected();
        if rows == 0 {
            return Err(missed_version!(&mut *conn, *table, id, expected));
        }
    });
    Ok(())
}

impl Store {
    /// [`delete_at_version`] in a transaction of its own.
    pub(crate) async fn delete_versioned(
        &self,
        table: &Table,
        id: i64,
        expected: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        delete_at_version(&mut tx, table, id, expected, StorageError::from).await?;
        tx.commit().await
    }
}

/// A row read together with its version, so the two always agree.
pub(crate) struct WithVersion<R> {
    row: R,
    version: i64,
}

impl<'r, DbRow, R> sqlx::FromRow<'r, DbRow> for WithVersion<R>
where
    DbRow: sqlx::Row,
    R: sqlx::FromRow<'r, DbRow>,
    i64: sqlx::Decode<'r, DbRow::Database> + sqlx::Type<DbRow::Database>,
    &'static str: sqlx::ColumnIndex<DbRow>,
{
    fn from_row(row: &'r DbRow) -> std::result::Result<Self, sqlx::Error> {
        Ok(Self {
            row: R::from_row(row)?,
            version: row.try_get("version")?,
        })
    }
}

impl<R> WithVersion<R> {
    /// Converts the row into the record it holds.
    pub(crate) fn into_versioned<T: TryFrom<R, Error = StorageError>>(
        self,
    ) -> Result<Versioned<T>> {
        Ok(Versioned {
            value: self.row.try_into()?,
            version: self.version,
        })
    }
}

/// A kind of record whose row carries a version: it can be read with its
/// version, and checked against the version a writer based its change on.
pub trait VersionedRecord: Sized + Send {
    /// The id that names one.
    type Id: Copy + Display + Send + Sync;
    /// What messages call it: "node".
    const ENTITY: &'static str;
    /// Reads the record and its version in one statement.
    fn read_versioned(
        store: &Store,
        id: Self::Id,
    ) -> impl Future<Output = Result<Versioned<Self>>> + Send;
}

/// Implements [`VersionedRecord`] for an entity read from `$table` as `$Row`.
macro_rules! versioned_record {
    ($T:ty, $Id:ty, $Row:ty, $columns:expr, $table:expr) => {
        impl VersionedRecord for $T {
            type Id = $Id;
            const ENTITY: &'static str = $table.entity;

            async fn read_versioned(store: &Store, id: $Id) -> Result<Versioned<Self>> {
                let table: &Table = &$table;
                let sql = format!(
                    "SELECT {}, version FROM {} WHERE id = $1",
                    $columns, table.name
                );
                let row: Option<WithVersion<$Row>> = on_backend!(store, read, pool => {
                    sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
                });
                row.ok_or_else(|| StorageError::not_found(table.entity, id))?
                    .into_versioned()
            }
        }
    };
}

versioned_record!(
    Organization,
    OrganizationId,
    OrganizationRow,
    crate::orgs::ORG_COLUMNS,
    ORGANIZATIONS
);
versioned_record!(
    Department,
    DepartmentId,
    DepartmentRow,
    crate::orgs::DEPARTMENT_COLUMNS,
    DEPARTMENTS
);
versioned_record!(
    Person,
    PersonId,
    PersonRow,
    crate::orgs::PERSON_COLUMNS,
    PEOPLE
);
versioned_record!(Plan, PlanId, PlanRow, crate::plans::PLAN_COLUMNS, PLANS);
versioned_record!(Node, NodeId, NodeRow, crate::rows::NODE_COLUMNS, NODES);
versioned_record!(Tag, TagId, TagRow, crate::tags::TAG_COLUMNS, TAGS);
versioned_record!(
    Alignment,
    AlignmentId,
    AlignmentRow,
    crate::tags::ALIGNMENT_COLUMNS,
    ALIGNMENTS
);
versioned_record!(
    Measure,
    MeasureId,
    crate::measures::MeasureRow,
    crate::measures::MEASURE_COLUMNS,
    MEASURES
);
versioned_record!(
    Milestone,
    MilestoneId,
    crate::milestones::MilestoneRow,
    crate::milestones::MILESTONE_COLUMNS,
    MILESTONES
);
versioned_record!(
    Evidence,
    EvidenceId,
    crate::evidence::EvidenceRow,
    crate::evidence::EVIDENCE_COLUMNS,
    EVIDENCE
);

impl Store {
    /// A record with the version its row is at.
    pub async fn versioned<T: VersionedRecord>(&self, id: T::Id) -> Result<Versioned<T>> {
        T::read_versioned(self, id).await
    }

    /// A record that a writer means to change, provided it is still at the
    /// version the writer read; `Stale` otherwise. Checking early lets a
    /// stale write be refused as such before its input is judged against
    /// data its author never saw; the write itself checks again, atomically.
    pub async fn at_version<T: VersionedRecord>(&self, id: T::Id, expected: i64) -> Result<T> {
        let found = self.versioned::<T>(id).await?;
        if found.version == expected {
            Ok(found.value)
        } else {
            Err(StorageError::Stale {
                entity: T::ENTITY,
                id: id.to_string(),
                expected,
                current: Some(found.version),
            })
        }
    }
}
