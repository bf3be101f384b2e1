//! Server-rendered pages: the list of plans and a plan with its tree. Each page
//! owns its template (in `templates/`, escaped by default); failures render as
//! an error page in one place.

mod error;
mod plan;
mod plans;

use axum::Router;
use axum::routing::get;
use lodestar_services::App;

pub(crate) use error::PageError;

/// Every page route.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(plans::index))
        .route("/plans/{id}", get(plan::show))
}
