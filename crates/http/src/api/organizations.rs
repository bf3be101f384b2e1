//! `/api/v1/organizations`: cities, agencies and departments that own plans.

use crate::error::{ApiResult, ErrorBody};
use axum::Json;
use axum::extract::State;
use lodestar_domain::{Organization, OrganizationDraft, OrganizationId};
use lodestar_services::{App, ServiceError};

super::item_handlers! {
    tag: "organizations", what: "organization",
    collection: "/api/v1/organizations", item: "/api/v1/organizations/{id}",
    entity: Organization, draft: OrganizationDraft, id: OrganizationId,
    create: create_organization, update: update_organization, delete: delete_organization,
}

/// Lists every organization, by name.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations",
    responses((status = 200, description = "Every organization", body = Vec<Organization>),
              (status = 500, description = "Internal error", body = ErrorBody)))]
pub async fn list(State(app): State<App>) -> ApiResult<Json<Vec<Organization>>> {
    Ok(Json(
        app.store()
            .list_organizations()
            .await
            .map_err(ServiceError::from)?,
    ))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
}
