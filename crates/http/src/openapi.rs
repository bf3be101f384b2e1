//! The OpenAPI 3 document, generated from the handlers' own annotations so it
//! describes what the server really accepts and returns.

use crate::api::{
    alignments, departments, execution, imports, measures, nodes, organizations, people, plans,
    tags,
};
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
        execution::list_checkins, execution::file_checkin, execution::show_checkin, execution::correct_checkin,
        execution::node_status, execution::set_override, execution::clear_override, execution::override_history, execution::plan_status,
        execution::overdue,
        measures::list, measures::show, measures::create, measures::update, measures::remove,
        measures::series, measures::record, measures::remove_observation, measures::import_csv,
        crate::api::milestones::list, crate::api::milestones::create, crate::api::milestones::show, crate::api::milestones::update, crate::api::milestones::delete,
        crate::api::evidence::list, crate::api::evidence::create, crate::api::evidence::show, crate::api::evidence::update, crate::api::evidence::delete,
        imports::upload, imports::show, imports::confirm, imports::warnings,
    ),
    tags(
        (name = "plans", description = "Strategic plans and plan-as-code"),
        (name = "nodes", description = "Goals, objectives, initiatives: the nodes of a plan's tree"),
        (name = "execution", description = "Check-ins, status overrides, roll-up statuses and overdue updates"),
        (name = "measures", description = "Measures (KPIs), their targets and values, and CSV import"),
        (name = "imports", description = "Plan documents (text, Markdown, PDF, Word, StratML, plan-as-code) read into draft plans, reviewed and confirmed"),
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
