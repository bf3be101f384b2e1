//! Check-ins and their corrections, status overrides, node and plan statuses,
//! and the list of overdue updates.

use super::{KeptJson, Tagged};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch, OptionalIfMatch};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_domain::{
    CheckIn, CheckInDraft, CheckInId, CheckInRevision, NodeId, PlanId, StatusOverride,
    StatusOverrideDraft,
};
use lodestar_services::{App, NodeStatus, OverdueNode, ServiceError, StatusReport, Versioned};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A node's check-ins, latest first.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/checkins", tag = "execution",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Its check-ins, latest first", body = Vec<CheckIn>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn list_checkins(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<CheckIn>>> {
    let store = app.store();
    store
        .get_node(NodeId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(
        store
            .checkins(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Files a check-in on a node. The author defaults to the node's owner and
/// the date to today; a completed node is 100% done.
#[utoipa::path(post, path = "/api/v1/nodes/{id}/checkins", tag = "execution", request_body = CheckInDraft,
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 201, description = "The check-in as filed", body = CheckIn,
                  headers(("ETag" = String, description = "Its revision, to send back in If-Match when correcting it"))),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule (percent outside 0–100, unknown status, future date)", body = ErrorBody)))]
pub async fn file_checkin(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<CheckInDraft>,
) -> ApiResult<(StatusCode, Tagged<CheckIn>)> {
    let filed = app.file_checkin(NodeId(id), &draft).await?;
    Ok((StatusCode::CREATED, revision_tagged(filed)))
}

/// A check-in tagged with its revision, which is its version.
fn revision_tagged(checkin: CheckIn) -> Tagged<CheckIn> {
    let version = i64::from(checkin.revision);
    Tagged(Versioned {
        value: checkin,
        version,
    })
}

/// A check-in with the earlier texts its corrections replaced.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInWithHistory {
    /// The check-in as it reads now.
    pub checkin: CheckIn,
    /// The texts it had before, oldest first, each with why it was replaced.
    pub history: Vec<CheckInRevision>,
}

/// Reads a check-in and its correction history, with its revision as ETag.
#[utoipa::path(get, path = "/api/v1/checkins/{id}", tag = "execution",
    params(("id" = i64, Path, description = "The check-in's id")),
    responses((status = 200, description = "The check-in and its history", body = CheckInWithHistory,
                  headers(("ETag" = String, description = "Its revision, to send back in If-Match when correcting it"))),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such check-in", body = ErrorBody)))]
pub async fn show_checkin(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Tagged<CheckInWithHistory>> {
    let (checkin, history) = app.checkin_with_history(CheckInId(id)).await?;
    let version = i64::from(checkin.revision);
    Ok(Tagged(Versioned {
        value: CheckInWithHistory { checkin, history },
        version,
    }))
}

/// Corrects a check-in still at the revision If-Match names. A `reason` is
/// required; the text replaced is kept in the check-in's history, never lost.
#[utoipa::path(put, path = "/api/v1/checkins/{id}", tag = "execution", request_body = CheckInDraft,
    params(("id" = i64, Path, description = "The check-in's id"),
           ("If-Match" = String, Header, description = "The revision the correction is based on: the ETag reading it gave, like \"1\"")),
    responses((status = 200, description = "The corrected check-in", body = CheckIn,
                  headers(("ETag" = String, description = "Its new revision"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such check-in", body = ErrorBody),
              (status = 409, description = "Corrected by someone else since the revision sent (`version_conflict`, with `current_version`)", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "No reason given, or a field breaks a rule", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn correct_checkin(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    ApiJson(draft): ApiJson<CheckInDraft>,
) -> ApiResult<Tagged<CheckIn>> {
    let corrected = app.correct_checkin(CheckInId(id), expected, &draft).await?;
    Ok(revision_tagged(corrected))
}

/// A node's status: computed, reported and overridden.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/status", tag = "execution",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Its status", body = NodeStatus),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn node_status(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<NodeStatus>> {
    Ok(Json(app.node_status(NodeId(id)).await?))
}

/// A node's current status override, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/status-override", tag = "execution",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "The override", body = StatusOverride,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match to replace or clear it"))),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node, or it has no override", body = ErrorBody)))]
pub async fn show_override(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Tagged<StatusOverride>> {
    Ok(Tagged(app.status_override(NodeId(id)).await?))
}

/// Overrides a node's computed status, with a reason; the override is shown
/// as such. Replacing an override takes If-Match with its version; setting
/// one where there is none takes no If-Match.
#[utoipa::path(put, path = "/api/v1/nodes/{id}/status-override", tag = "execution", request_body = StatusOverrideDraft,
    params(("id" = i64, Path, description = "The node's id"),
           ("If-Match" = Option<String>, Header, description = "The version of the override this one replaces, like \"3\"; leave it out when the node has none")),
    responses((status = 200, description = "The node's status with the override", body = NodeStatus,
                  headers(("ETag" = String, description = "The override's version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody),
              (status = 409, description = "The override changed, or was cleared, since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "No reason, or an unknown status or person", body = ErrorBody),
              (status = 428, description = "The node has an override and If-Match is missing, or If-Match: *", body = ErrorBody)))]
pub async fn set_override(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    OptionalIfMatch(expected): OptionalIfMatch,
    ApiJson(draft): ApiJson<StatusOverrideDraft>,
) -> ApiResult<Response> {
    let (status, version) = app
        .set_status_override(NodeId(id), expected, &draft)
        .await?;
    let etag = format!("\"{version}\"");
    Ok(([(header::ETAG, etag)], Json(status)).into_response())
}

/// Removes a node's override, so its computed status shows again; with
/// If-Match, only if the override is still at that version.
#[utoipa::path(delete, path = "/api/v1/nodes/{id}/status-override", tag = "execution",
    params(("id" = i64, Path, description = "The node's id"),
           ("If-Match" = Option<String>, Header, description = "Clear only if the override is still at this version, like \"3\"")),
    responses((status = 200, description = "The node's status without the override", body = NodeStatus),
              (status = 400, description = "Malformed id or If-Match", body = ErrorBody),
              (status = 404, description = "No such node, or it has no override", body = ErrorBody),
              (status = 409, description = "The override changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 428, description = "If-Match: *", body = ErrorBody)))]
pub async fn clear_override(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    OptionalIfMatch(expected): OptionalIfMatch,
) -> ApiResult<Json<NodeStatus>> {
    Ok(Json(app.clear_status_override(NodeId(id), expected).await?))
}

/// The overrides a node had before its current one, oldest first: each
/// replaced or cleared override is kept with its reason.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/status-override/history", tag = "execution",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Earlier overrides, oldest first", body = Vec<StatusOverride>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn override_history(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<StatusOverride>>> {
    let store = app.store();
    store
        .get_node(NodeId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(
        store
            .override_history(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Every status of a plan: nodes in tree order and measures.
#[utoipa::path(get, path = "/api/v1/plans/{id}/status", tag = "execution",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan's statuses", body = StatusReport),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn plan_status(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<KeptJson> {
    app.memoized(&format!("plan status {id}"), async {
        KeptJson::of(&app.plan_status(PlanId(id)).await?)
    })
    .await
}

/// Which plan's overdue updates to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OverdueQuery {
    /// Only this plan (whatever its status); every active plan when omitted.
    pub plan_id: Option<i64>,
}

/// The nodes whose owners owe a check-in, most overdue first, with owner and days overdue.
#[utoipa::path(get, path = "/api/v1/overdue", tag = "execution", params(OverdueQuery),
    responses((status = 200, description = "Overdue nodes", body = Vec<OverdueNode>),
              (status = 400, description = "Malformed plan_id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn overdue(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<OverdueQuery>,
) -> ApiResult<Json<Vec<OverdueNode>>> {
    Ok(Json(app.overdue(q.plan_id.map(PlanId)).await?))
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route(
            "/api/v1/nodes/{id}/checkins",
            get(list_checkins).post(file_checkin),
        )
        .route(
            "/api/v1/checkins/{id}",
            get(show_checkin).put(correct_checkin),
        )
        .route("/api/v1/nodes/{id}/status", get(node_status))
        .route(
            "/api/v1/nodes/{id}/status-override",
            get(show_override).put(set_override).delete(clear_override),
        )
        .route(
            "/api/v1/nodes/{id}/status-override/history",
            get(override_history),
        )
        .route("/api/v1/plans/{id}/status", get(plan_status))
        .route("/api/v1/overdue", get(overdue))
}
