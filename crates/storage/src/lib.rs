//! Lodestar's storage: the plan model kept in SQLite (embedded, the default) or
//! PostgreSQL (for several instances behind a load balancer).
//!
//! Both databases run the same schema (see [`migrate`]) and the same SQL text;
//! [`Store`] holds a pool for one of them and every query is written once and
//! compiled for each backend by the `on_backend!` macro. That keeps the two
//! from drifting apart, which separate implementations tend to do, while the
//! code still works on concrete sqlx types (no lowest-common-denominator driver).
//! Every write that touches several rows runs in one transaction.

mod error;
pub mod migrate;
mod rows;
#[macro_use]
mod backend;
#[macro_use]
mod tx;
pub mod backup;
mod bulk;
#[macro_use]
mod versions;
mod accounts;
pub mod actor;
mod audit;
mod changes;
mod checkins;
mod documents;
mod evidence;
mod imports;
mod measures;
mod milestones;
mod nodes;
mod orgs;
mod plans;
mod portfolio;
mod proposals;
mod publication;
mod revise;
pub mod revisions;
mod rollups;
mod tags;
pub mod testing;

pub use accounts::{NewUser, SessionLifetime, StoredSession, TokenInfo};
pub use actor::{Actor, acting_as};
pub use audit::{AuditAction, AuditEntry, AuditFilter};
pub use backend::Store;
pub use backup::{BackupError, BackupSummary, Existing, RestoreSummary, TableCount};
pub use bulk::{
    BulkAccount, BulkCheckIn, BulkException, BulkObservation, BulkPlan, BulkPortfolio,
    BulkProposal, BulkScore, BulkTransition, BulkUser, BulkWriter,
};
pub use changes::ChangeMark;
pub use checkins::CheckInRecord;
pub use documents::{ExportedPlan, OutgoingLink};
pub use error::{Result, StorageError, stale_message};
pub use imports::{ImportedPlan, ImportedValue, NewImport, StoredImport};
pub use measures::{ImportCounts, ObservationInput, Recorded};
pub use migrate::Dialect;
pub use portfolio::NewScore;
pub use proposals::{Author, NewInitiative, NewTransition};
pub use revisions::{Retirement, Revision};
pub use rollups::{MeasureHealth, NodeStatus};
pub use versions::{FIRST_VERSION, Versioned, VersionedRecord};
