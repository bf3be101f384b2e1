//! `/api/v1/plans`: plans, their whole tree in one response, and plan-as-code.

use super::KeptJson;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, body_bytes};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lodestar_domain::document::PlanDocument;
use lodestar_domain::{Plan, PlanDraft, PlanId, PlanTree};
use lodestar_services::plan_code::DocFormat;
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

super::item_handlers! {
    tag: "plans", what: "plan",
    collection: "/api/v1/plans", item: "/api/v1/plans/{id}",
    entity: Plan, draft: PlanDraft, id: PlanId,
    create: create_plan, update: update_plan, delete: delete_plan,
}

/// Lists every plan, by title.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans",
    responses((status = 200, description = "Every plan", body = Vec<Plan>),
              (status = 500, description = "Internal error", body = ErrorBody)))]
pub async fn list(State(app): State<App>) -> ApiResult<Json<Vec<Plan>>> {
    Ok(Json(
        app.store().list_plans().await.map_err(ServiceError::from)?,
    ))
}

/// Reads a whole plan with its tree of nodes, in one response.
#[utoipa::path(get, path = "/api/v1/plans/{id}/tree", tag = "plans",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan and its tree", body = PlanTree),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn tree(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<KeptJson> {
    app.memoized(&format!("plan tree {id}"), async {
        let tree: PlanTree = app
            .store()
            .plan_tree(PlanId(id))
            .await
            .map_err(ServiceError::from)?;
        KeptJson::of(&tree)
    })
    .await
}

/// The spelling of plan-as-code to export.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// YAML, for people.
    Yaml,
    /// JSON, for programs.
    Json,
}

/// How to export a plan.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `yaml` (the default) or `json`.
    pub format: Option<ExportFormat>,
}

/// Exports a plan as code (see docs/plan-format.md).
#[utoipa::path(get, path = "/api/v1/plans/{id}/export", tag = "plans",
    params(("id" = i64, Path, description = "The plan's id"), ExportQuery),
    responses((status = 200, description = "The plan document", content(
                  (PlanDocument = "application/yaml"), (PlanDocument = "application/json"))),
              (status = 400, description = "Malformed id or format", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody),
              (status = 409, description = "A link cannot be expressed as code", body = ErrorBody)))]
pub async fn export(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let (format, content_type) = match q.format.unwrap_or(ExportFormat::Yaml) {
        ExportFormat::Yaml => (DocFormat::Yaml, "application/yaml"),
        ExportFormat::Json => (DocFormat::Json, "application/json"),
    };
    let text = app.export_plan_code(PlanId(id), format).await?;
    Ok(([(header::CONTENT_TYPE, content_type)], text).into_response())
}

/// Imports a plan written as code (YAML or JSON, see docs/plan-format.md) as a
/// new plan. Nothing is written unless the whole document is valid.
#[utoipa::path(post, path = "/api/v1/plans/import", tag = "plans",
    request_body(content(
        (PlanDocument = "application/yaml"), (PlanDocument = "application/json")),
        description = "A plan document"),
    responses((status = 201, description = "The new plan", body = Plan,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed YAML or JSON, with line and column", body = ErrorBody),
              (status = 409, description = "A plan with this key exists", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Neither YAML nor JSON", body = ErrorBody),
              (status = 422, description = "The document breaks rules; every problem is listed", body = ErrorBody)))]
pub async fn import(
    State(app): State<App>,
    req: Request,
) -> ApiResult<(StatusCode, super::Tagged<Plan>)> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let source = match media.as_str() {
        "application/json" => "body.json",
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => "body.yaml",
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the plan document as application/yaml or application/json",
            ));
        }
    };
    let bytes = body_bytes(req, crate::MAX_BODY_BYTES).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not UTF-8: {e}")))?;
    let plan = app.import_plan_code(source, text).await?;
    Ok(super::Tagged::created(plan))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/plans/import", post(import))
        .route("/api/v1/plans/{id}/tree", get(tree))
        .route("/api/v1/plans/{id}/export", get(export))
}
