//! Portfolio governance (issue 8): proposals and their gates, the ranked
//! portfolio with its cut line, the exceptions report, capacity, budgets and
//! the governance configuration. One module per resource; the rules live in
//! `lodestar_services::portfolio`, who may call what in `crate::auth::policy`.

pub mod governance;
pub mod proposals;
pub mod reports;
pub mod resources;

use lodestar_domain::OrganizationId;
use lodestar_services::{App, ServiceError};

/// Every portfolio route.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .merge(proposals::routes())
        .merge(reports::routes())
        .merge(resources::routes())
        .merge(governance::routes())
}

/// The organization a path names, checked to exist (404 otherwise).
async fn organization(app: &App, id: i64) -> Result<OrganizationId, ServiceError> {
    let id = OrganizationId(id);
    app.store().get_organization(id).await?;
    Ok(id)
}
