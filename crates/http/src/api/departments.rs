//! `/api/v1/departments`: the departments of organizations.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use lodestar_domain::{Department, DepartmentDraft, DepartmentId, OrganizationId};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use utoipa::IntoParams;

super::item_handlers! {
    tag: "departments", what: "department",
    collection: "/api/v1/departments", item: "/api/v1/departments/{id}",
    entity: Department, draft: DepartmentDraft, id: DepartmentId,
    create: create_department, update: update_department, delete: delete_department,
}

/// Narrows a list to one organization.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ByOrganization {
    /// Only those of this organization.
    pub organization_id: Option<i64>,
}

/// Lists departments, by name.
#[utoipa::path(get, path = "/api/v1/departments", tag = "departments", params(ByOrganization),
    responses((status = 200, description = "The departments", body = Vec<Department>),
              (status = 400, description = "Malformed query", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ByOrganization>,
) -> ApiResult<Json<Vec<Department>>> {
    let org = q.organization_id.map(OrganizationId);
    Ok(Json(
        app.store()
            .list_departments(org)
            .await
            .map_err(ServiceError::from)?,
    ))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
}
