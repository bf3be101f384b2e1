//! Milestones of a node: `/api/v1/nodes/{id}/milestones` to list and add,
//! `/api/v1/milestones/{id}` to read, replace and delete one.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use lodestar_domain::{Milestone, MilestoneDraft, MilestoneId, NodeId};
use lodestar_services::{App, ServiceError};

/// A node's milestones, in order.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/milestones", tag = "milestones",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Its milestones, by position", body = Vec<Milestone>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Milestone>>> {
    Ok(Json(
        app.store()
            .milestones(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Adds a milestone to a node, after its last one unless a position is given.
#[utoipa::path(post, path = "/api/v1/nodes/{id}/milestones", tag = "milestones", request_body = MilestoneDraft,
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 201, description = "The new milestone", body = Milestone),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule (empty title, bad date, done in the future)", body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<MilestoneDraft>,
) -> ApiResult<(StatusCode, Json<Milestone>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.create_milestone(NodeId(id), &draft).await?),
    ))
}

/// Reads one milestone.
#[utoipa::path(get, path = "/api/v1/milestones/{id}", tag = "milestones",
    params(("id" = i64, Path, description = "The milestone's id")),
    responses((status = 200, description = "The milestone", body = Milestone),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody)))]
pub async fn show(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Milestone>> {
    Ok(Json(
        app.store()
            .milestone(MilestoneId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Replaces a milestone's fields; it keeps its place unless a position is given.
#[utoipa::path(put, path = "/api/v1/milestones/{id}", tag = "milestones", request_body = MilestoneDraft,
    params(("id" = i64, Path, description = "The milestone's id")),
    responses((status = 200, description = "The milestone as stored", body = Milestone),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule (empty title, bad date, done in the future)", body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<MilestoneDraft>,
) -> ApiResult<Json<Milestone>> {
    Ok(Json(app.update_milestone(MilestoneId(id), &draft).await?))
}

/// Deletes a milestone.
#[utoipa::path(delete, path = "/api/v1/milestones/{id}", tag = "milestones",
    params(("id" = i64, Path, description = "The milestone's id")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such record", body = ErrorBody)))]
pub async fn delete(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<StatusCode> {
    app.store()
        .delete_milestone(MilestoneId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The resource's routes.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/nodes/{id}/milestones", get(list).post(create))
        .route(
            "/api/v1/milestones/{id}",
            get(show).put(update).delete(delete),
        )
}
