//! The OpenAPI 3 document, generated from the handlers' own annotations so it
//! describes what the server really accepts and returns.

use crate::api::{alignments, departments, nodes, organizations, people, plans, tags};
use axum::Json;
use utoipa::OpenApi;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Lodestar API", description = "Plans, their trees of goals, objectives and initiatives, the people and departments behind them, cross-cutting tags, and alignment between plans."),
    paths(
        crate::api::healthz,
        organizations::list, organizations::show, organizations::create, organizations::update, organizations::delete,
        departments::list, departments::show, departments::create, departments::update, departments::delete,
        people::list, people::show, people::create, people::update, people::delete,
        plans::list, plans::show, plans::create, plans::update, plans::delete, plans::tree, plans::export, plans::import,
        nodes::list, nodes::show, nodes::create, nodes::update, nodes::delete,
        nodes::alignments, nodes::tags, nodes::attach_tag, nodes::detach_tag,
        tags::list, tags::show, tags::create, tags::update, tags::delete,
        alignments::list, alignments::show, alignments::create, alignments::update, alignments::delete,
    ),
    tags(
        (name = "plans", description = "Strategic plans and plan-as-code"),
        (name = "nodes", description = "Goals, objectives, initiatives: the nodes of a plan's tree"),
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
