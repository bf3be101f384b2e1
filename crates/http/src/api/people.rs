//! `/api/v1/people`: the people who own and sponsor parts of plans.

use super::departments::ByOrganization;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use lodestar_domain::{OrganizationId, Person, PersonDraft, PersonId};
use lodestar_services::{App, ServiceError};

super::item_handlers! {
    tag: "people", what: "person",
    collection: "/api/v1/people", item: "/api/v1/people/{id}",
    entity: Person, draft: PersonDraft, id: PersonId,
    create: create_person, update: update_person, delete: delete_person,
}

/// Lists people, by name.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", params(ByOrganization),
    responses((status = 200, description = "The people", body = Vec<Person>),
              (status = 400, description = "Malformed query", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ByOrganization>,
) -> ApiResult<Json<Vec<Person>>> {
    let org = q.organization_id.map(OrganizationId);
    Ok(Json(
        app.store()
            .list_people(org)
            .await
            .map_err(ServiceError::from)?,
    ))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
}
