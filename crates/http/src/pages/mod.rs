//! Server-rendered pages. Each page module owns its routes and its template
//! (in `templates/`, escaped by default); [`chrome`] draws what every page
//! shares, [`charts`] draws SVG charts, and failures render as an error page
//! in one place ([`error`]).
//!
//! Every page works without JavaScript; `static/lodestar.js` only adds
//! conveniences. Nothing is inline, so the Content-Security-Policy forbids
//! inline scripts and styles outright.

mod account;
mod assets;
mod charts;
mod chrome;
mod dashboard;
mod error;
mod explorer;
mod filters;
mod forms;
mod imports;
mod kept;
mod node;
mod plans;
mod portfolio;
mod public;
pub(crate) mod report_card;
mod revisions;
mod roadmap;
mod search;

use axum::Router;
use axum::routing::get;
use lodestar_services::App;

pub(crate) use chrome::{Badge, Chrome, Section, Viewer};
pub(crate) use error::PageError;

/// Every page route.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(plans::index))
        .merge(dashboard::routes())
        .merge(explorer::routes())
        .merge(roadmap::routes())
        .merge(node::routes())
        .merge(forms::routes())
        .merge(imports::routes())
        .merge(search::routes())
        .merge(account::routes())
        .merge(assets::routes())
        .merge(public::routes())
        .merge(report_card::routes())
        .merge(revisions::routes())
        .merge(portfolio::routes())
}
