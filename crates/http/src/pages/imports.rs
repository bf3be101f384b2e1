//! Placeholder: this page is being written.

use axum::Router;
use lodestar_services::App;

/// This module's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
}
