//! Lodestar's application services: what the HTTP API, the web pages and the
//! CLI all do, in one place, so each front end is a thin translation.
//!
//! The domain crate checks what a value can check on its own; storage keeps
//! rows consistent; this layer checks the rules that need stored data (a
//! node's parent is in the same plan, a move does not put a node beneath
//! itself, a level exists in the plan) and reads and writes plan-as-code.

pub mod accounts;
pub mod audit;
pub mod authz;
pub mod demo_data;
mod error;
mod evidence;
mod execution;
pub mod imports;
pub mod measures;
pub mod memo;
mod milestones;
pub mod opendata;
pub mod plan_code;
pub mod portfolio;
pub mod publication;
mod records;
pub mod report_card;
pub mod revisions;
pub mod sample;
pub mod search;
pub mod stratml_export;
mod tree;

pub use error::{ServiceError, ServiceResult};
pub use execution::{NodeReport, OverdueNode, StatusReport};
pub use imports::{DocumentImport, Draft, Overrides, SourceKind, Warning};
pub use lodestar_storage::backup;
pub use lodestar_storage::{
    Actor, FIRST_VERSION, ImportCounts, MeasureHealth, NodeStatus, Recorded, Store, TokenInfo,
    Versioned, VersionedRecord, acting_as,
};
use time::Date;

/// The application: every operation Lodestar offers, over one store.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    today: Option<Date>,
    /// How the open-data catalog names the site and its contact.
    open_data: std::sync::Arc<opendata::OpenDataSettings>,
    /// The views kept in memory while the data stays the same ([`App::memoized`]).
    memo: std::sync::Arc<memo::Memo>,
}

impl App {
    /// The application over an open store, on the real calendar.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            today: None,
            open_data: Default::default(),
            memo: Default::default(),
        }
    }

    /// The same application with the calendar stopped at `today`, so that
    /// staleness and overdue checks can be tested and replayed.
    pub fn on_day(self, today: Date) -> Self {
        Self {
            today: Some(today),
            ..self
        }
    }

    /// Today's date (UTC) as the application sees it.
    pub fn today(&self) -> Date {
        self.today
            .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
    }

    /// The store, for reads that need no rule beyond "it exists".
    pub fn store(&self) -> &Store {
        &self.store
    }
}
