//! Evidence ("success stories") of a node: `/api/v1/nodes/{id}/evidence` to
//! list and record, `/api/v1/evidence/{id}` to read, replace and delete one.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use lodestar_domain::{Evidence, EvidenceDraft, EvidenceId, NodeId};
use lodestar_services::{App, ServiceError};

/// A node's evidence, latest first.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/evidence", tag = "evidence",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Its evidence, latest date first", body = Vec<Evidence>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Evidence>>> {
    Ok(Json(
        app.store()
            .evidence_for(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Records evidence for a node.
#[utoipa::path(post, path = "/api/v1/nodes/{id}/evidence", tag = "evidence", request_body = EvidenceDraft,
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 201, description = "The new evidence", body = Evidence),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule (empty title, bad date, date in the future)", body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<EvidenceDraft>,
) -> ApiResult<(StatusCode, Json<Evidence>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_evidence(NodeId(id), &draft).await?),
    ))
}

/// Reads one piece of evidence.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "evidence",
    params(("id" = i64, Path, description = "The evidence's id")),
    responses((status = 200, description = "The evidence", body = Evidence),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody)))]
pub async fn show(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Evidence>> {
    Ok(Json(
        app.store()
            .evidence(EvidenceId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Replaces a piece of evidence's fields.
#[utoipa::path(put, path = "/api/v1/evidence/{id}", tag = "evidence", request_body = EvidenceDraft,
    params(("id" = i64, Path, description = "The evidence's id")),
    responses((status = 200, description = "The evidence as stored", body = Evidence),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule (empty title, bad date, date in the future)", body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<EvidenceDraft>,
) -> ApiResult<Json<Evidence>> {
    Ok(Json(app.update_evidence(EvidenceId(id), &draft).await?))
}

/// Deletes a piece of evidence.
#[utoipa::path(delete, path = "/api/v1/evidence/{id}", tag = "evidence",
    params(("id" = i64, Path, description = "The evidence's id")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody)))]
pub async fn delete(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<StatusCode> {
    app.store()
        .delete_evidence(EvidenceId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The resource's routes.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/nodes/{id}/evidence", get(list).post(create))
        .route(
            "/api/v1/evidence/{id}",
            get(show).put(update).delete(delete),
        )
}
