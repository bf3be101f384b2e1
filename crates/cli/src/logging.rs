//! Logs: `tracing` events written to standard error, filtered by `RUST_LOG`.
//!
//! Standard output belongs to the commands' results (a table, a document), so
//! logs never go there and `lodestar export PLAN > plan.yaml` stays clean.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Sends log events to standard error, filtered by `RUST_LOG` or, when that is
/// unset or unreadable, by `default_filter` (such as `"info"`).
pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
