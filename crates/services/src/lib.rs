//! Lodestar's application services: what the HTTP API, the web pages and the
//! CLI all do, in one place, so each front end is a thin translation.
//!
//! The domain crate checks what a value can check on its own; storage keeps
//! rows consistent; this layer checks the rules that need stored data (a
//! node's parent is in the same plan, a move does not put a node beneath
//! itself, a level exists in the plan) and reads and writes plan-as-code.

mod error;
pub mod plan_code;
mod records;
pub mod sample;
mod tree;

pub use error::{ServiceError, ServiceResult};
pub use lodestar_storage::Store;

/// The application: every operation Lodestar offers, over one store.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
}

impl App {
    /// The application over an open store.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The store, for reads that need no rule beyond "it exists".
    pub fn store(&self) -> &Store {
        &self.store
    }
}
