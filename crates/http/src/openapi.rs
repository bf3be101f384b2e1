//! The OpenAPI 3 document, generated from the handlers' own annotations so it
//! describes what the server really accepts and returns.

use crate::api::{
    alignments, departments, execution, imports, measures, nodes, organizations, people, plans,
    tags,
};
use crate::auth::policy;
use axum::Json;
use axum::http::Method;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

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
        crate::api::revisions::list, crate::api::revisions::create, crate::api::revisions::diff,
        nodes::list, nodes::show, nodes::create, nodes::update, nodes::delete,
        nodes::alignments, nodes::tags, nodes::attach_tag, nodes::detach_tag,
        tags::list, tags::show, tags::create, tags::update, tags::delete,
        alignments::list, alignments::show, alignments::create, alignments::update, alignments::delete,
        execution::list_checkins, execution::file_checkin, execution::show_checkin, execution::correct_checkin,
        execution::node_status, execution::show_override, execution::set_override, execution::clear_override, execution::override_history, execution::plan_status,
        execution::overdue,
        measures::list, measures::show, measures::create, measures::update, measures::remove,
        measures::series, measures::record, measures::remove_observation, measures::import_csv,
        crate::api::milestones::list, crate::api::milestones::create, crate::api::milestones::show, crate::api::milestones::update, crate::api::milestones::delete,
        crate::api::evidence::list, crate::api::evidence::create, crate::api::evidence::show, crate::api::evidence::update, crate::api::evidence::delete,
        imports::upload, imports::show, imports::confirm, imports::warnings,
        crate::api::audit::node_history, crate::api::audit::export_csv,
        crate::api::publication::publish_plan, crate::api::publication::unpublish_plan,
        crate::api::publication::release_node, crate::api::publication::withhold_node,
        crate::auth::routes::sign_in, crate::auth::routes::current, crate::auth::routes::sign_out, crate::auth::routes::change_password,
        crate::auth::routes::tokens, crate::auth::routes::create_token, crate::auth::routes::revoke_token,
        crate::auth::routes::users, crate::auth::routes::create_user, crate::auth::routes::update_user,
        // Portfolio governance (issue 8).
        crate::api::portfolio::proposals::list, crate::api::portfolio::proposals::show, crate::api::portfolio::proposals::create,
        crate::api::portfolio::proposals::update, crate::api::portfolio::proposals::submit, crate::api::portfolio::proposals::grant_exception,
        crate::api::portfolio::proposals::score, crate::api::portfolio::proposals::pass_gate,
        crate::api::portfolio::reports::portfolio, crate::api::portfolio::reports::exceptions,
        crate::api::portfolio::resources::capacity, crate::api::portfolio::resources::set_capacity,
        crate::api::portfolio::resources::budgets, crate::api::portfolio::resources::set_budgets, crate::api::portfolio::resources::rollup,
        crate::api::portfolio::governance::show, crate::api::portfolio::governance::update,
    ),
    components(schemas(plans::ExportFormat)),
    modifiers(&SecurityAddon),
    tags(
        (name = "plans", description = "Strategic plans and plan-as-code"),
        (name = "nodes", description = "Goals, objectives, initiatives: the nodes of a plan's tree"),
        (name = "execution", description = "Check-ins, status overrides, roll-up statuses and overdue updates"),
        (name = "measures", description = "Measures (KPIs), their targets and values, and CSV import"),
        (name = "accounts", description = "Signing in and out, passwords, API tokens and (for administrators) accounts"),
        (name = "publication", description = "Publishing plans and withholding nodes for the public portal and open data"),
        (name = "portfolio", description = "Portfolio governance: proposals tied to the plan, scoring, stage gates, the ranked portfolio with its cut line, capacity and budgets"),
        (name = "imports", description = "Plan documents (text, Markdown, PDF, Word, StratML, plan-as-code) read into draft plans, reviewed and confirmed"),
    )
)]
pub struct ApiDoc;

/// How callers prove who they are, and what every guarded route may answer
/// because of it. The guard in front of the handlers (`crate::auth`) decides
/// this for every route alike, so it is described here, once, from the same
/// table of public routes it uses.
struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lst_…")
                    .description(Some(
                        "An API token: `lodestar token create` or POST /api/v1/tokens",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The cookie POST /api/v1/session sets; changes made with it also need the X-CSRF-Token header",
            ))),
        );
        openapi.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("session", Vec::<String>::new()),
        ]);
        for (template, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                (Method::GET, &mut item.get),
                (Method::PUT, &mut item.put),
                (Method::POST, &mut item.post),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                if policy::is_public(&method, template) {
                    operation.security = Some(Vec::new());
                    continue;
                }
                let responses = &mut operation.responses.responses;
                for (status, description) in [
                    ("401", "No valid session or API token"),
                    (
                        "403",
                        "The caller may not do this (role, place in the plan, or token scope)",
                    ),
                ] {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error_response(description).into());
                }
            }
        }
    }
}

/// A response whose body is the API's error.
fn error_response(description: &str) -> utoipa::openapi::Response {
    let body = Content::new(Some(Ref::from_schema_name("ErrorBody")));
    ResponseBuilder::new()
        .description(description)
        .content("application/json", body)
        .build()
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn document() -> Value {
        serde_json::to_value(ApiDoc::openapi()).expect("the document serializes")
    }

    #[test]
    fn fixed_words_are_spelled_as_the_api_writes_them() {
        let doc = document();
        let statuses = &doc["components"]["schemas"]["ProgressStatus"]["enum"];
        assert!(
            statuses
                .as_array()
                .is_some_and(|s| s.contains(&json!("on-track"))),
            "{statuses}"
        );
        let roles = &doc["components"]["schemas"]["Role"]["enum"];
        assert!(
            roles
                .as_array()
                .is_some_and(|r| r.contains(&json!("plan-editor"))),
            "{roles}"
        );
    }

    #[test]
    fn guarded_routes_list_401_and_403_and_public_ones_need_no_credentials() {
        let doc = document();
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert_eq!(doc["paths"]["/healthz"]["get"]["security"], json!([]));
        assert_eq!(
            doc["paths"]["/api/v1/session"]["post"]["security"],
            json!([])
        );
        assert!(doc["paths"]["/api/v1/session"]["post"]["responses"]["403"].is_null());
        for status in ["401", "403"] {
            let response = &doc["paths"]["/api/v1/plans/{id}"]["put"]["responses"][status];
            assert!(
                response.is_object(),
                "PUT /api/v1/plans/{{id}} lists no {status}"
            );
        }
    }
}
