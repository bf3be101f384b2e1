//! Placeholder: the forms are being written.

use axum::Router;
use lodestar_services::App;

/// The forms' routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
}
