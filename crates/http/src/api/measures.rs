//! `/api/v1/measures`: measures (KPIs) of plan nodes, their values, and CSV import.

use super::{KeptJson, Tagged};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch, OptionalIfMatch, body_bytes};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{StatusCode, header};
use axum::routing::{delete, get, post};
use lodestar_domain::{
    Measure, MeasureDraft, MeasureId, NodeId, ObservationDraft, ObservationId, PlanId,
};
use lodestar_services::measures::SeriesPoint;
use lodestar_services::{App, ImportCounts, Recorded, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest CSV file of values accepted, in bytes.
pub const MAX_CSV_BYTES: usize = 64 * 1024 * 1024;

/// Which measures to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MeasureQuery {
    /// The measures of this plan.
    pub plan_id: Option<i64>,
    /// The measures of this node.
    pub node_id: Option<i64>,
}

/// Lists the measures of a plan or of a node (give one of `plan_id`, `node_id`).
#[utoipa::path(get, path = "/api/v1/measures", tag = "measures", params(MeasureQuery),
    responses((status = 200, description = "The measures", body = Vec<Measure>),
              (status = 400, description = "Neither or both of plan_id and node_id", body = ErrorBody),
              (status = 404, description = "No such plan or node", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<MeasureQuery>,
) -> ApiResult<Json<Vec<Measure>>> {
    let store = app.store();
    let measures = match (q.plan_id, q.node_id) {
        (Some(plan), None) => {
            store
                .get_plan(PlanId(plan))
                .await
                .map_err(ServiceError::from)?;
            store.plan_measures(PlanId(plan)).await
        }
        (None, Some(node)) => {
            store
                .get_node(NodeId(node))
                .await
                .map_err(ServiceError::from)?;
            store.node_measures(NodeId(node)).await
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of plan_id and node_id",
            ));
        }
    };
    Ok(Json(measures.map_err(ServiceError::from)?))
}

/// Reads one measure, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/measures/{id}", tag = "measures",
    params(("id" = i64, Path, description = "The measure's id")),
    responses((status = 200, description = "The measure", body = Measure,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such measure", body = ErrorBody)))]
pub async fn show(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<Tagged<Measure>> {
    Ok(Tagged(
        app.store()
            .versioned::<Measure>(MeasureId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Creates a measure of a node.
#[utoipa::path(post, path = "/api/v1/measures", tag = "measures", request_body = MeasureDraft,
    responses((status = 201, description = "The new measure", body = Measure,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 409, description = "The plan has a measure with this key", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    ApiJson(draft): ApiJson<MeasureDraft>,
) -> ApiResult<(StatusCode, Tagged<Measure>)> {
    Ok(Tagged::created(app.create_measure(&draft).await?))
}

/// Replaces a measure's definition, if it is still at the version If-Match
/// names; its values stay.
#[utoipa::path(put, path = "/api/v1/measures/{id}", tag = "measures", request_body = MeasureDraft,
    params(("id" = i64, Path, description = "The measure's id"),
           ("If-Match" = String, Header, description = "The version the change is based on: the ETag reading it gave, like \"3\"")),
    responses((status = 200, description = "The measure as stored", body = Measure,
                  headers(("ETag" = String, description = "Its new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such measure", body = ErrorBody),
              (status = 409, description = "Key clash, or the key is used by a formula (`conflict`); or it changed since the version sent (`version_conflict`, with `current_version`)", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    ApiJson(draft): ApiJson<MeasureDraft>,
) -> ApiResult<Tagged<Measure>> {
    Ok(Tagged(
        app.update_measure(MeasureId(id), expected, &draft).await?,
    ))
}

/// Deletes a measure and its values, unless a formula uses it; with
/// If-Match, only if it is still at that version.
#[utoipa::path(delete, path = "/api/v1/measures/{id}", tag = "measures",
    params(("id" = i64, Path, description = "The measure's id"),
           ("If-Match" = Option<String>, Header, description = "Delete only if still at this version, like \"3\"")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "Malformed id or If-Match", body = ErrorBody),
              (status = 404, description = "No such measure", body = ErrorBody),
              (status = 409, description = "A formula uses it (`conflict`), or it changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 428, description = "If-Match: *", body = ErrorBody)))]
pub async fn remove(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    OptionalIfMatch(expected): OptionalIfMatch,
) -> ApiResult<StatusCode> {
    app.delete_measure(MeasureId(id), expected).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A measure's values, oldest period first; for a calculated measure, its
/// formula evaluated at every period where all inputs have a value.
#[utoipa::path(get, path = "/api/v1/measures/{id}/observations", tag = "measures",
    params(("id" = i64, Path, description = "The measure's id")),
    responses((status = 200, description = "The series", body = Vec<SeriesPoint>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such measure", body = ErrorBody)))]
pub async fn series(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<KeptJson> {
    app.memoized(&format!("measure series {id}"), async {
        KeptJson::of(&app.measure_series(MeasureId(id)).await?)
    })
    .await
}

/// What recording a value did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordOutcome {
    /// Inserted, updated (the earlier value kept in history) or unchanged.
    pub outcome: Recorded,
}

/// Records a measure's value for a period; a period that has a value gets
/// the new one, and the earlier value is kept in history.
#[utoipa::path(post, path = "/api/v1/measures/{id}/observations", tag = "measures", request_body = ObservationDraft,
    params(("id" = i64, Path, description = "The measure's id")),
    responses((status = 200, description = "What was done", body = RecordOutcome),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such measure", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule, or the measure is calculated", body = ErrorBody)))]
pub async fn record(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<ObservationDraft>,
) -> ApiResult<Json<RecordOutcome>> {
    let outcome = app.record_observation(MeasureId(id), &draft).await?;
    Ok(Json(RecordOutcome { outcome }))
}

/// Deletes one recorded value.
#[utoipa::path(delete, path = "/api/v1/plans/{id}/observations/{observation_id}", tag = "measures",
    params(("id" = i64, Path, description = "The plan's id"), ("observation_id" = i64, Path, description = "The value's id")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such value in the plan", body = ErrorBody)))]
pub async fn remove_observation(
    State(app): State<App>,
    ApiPath((plan, id)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    app.store()
        .delete_observation(PlanId(plan), ObservationId(id), app.today())
        .await
        .map_err(ServiceError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports values of a plan's measures from a CSV file (layout in
/// docs/measures-csv.md). All or nothing; importing the same file twice changes nothing.
#[utoipa::path(post, path = "/api/v1/plans/{id}/observations", tag = "measures",
    params(("id" = i64, Path, description = "The plan's id")),
    request_body(content((String = "text/csv")), description = "measure,period,value[,observed_on,note,source]"),
    responses((status = 200, description = "How many values were inserted, updated and unchanged", body = ImportCounts),
              (status = 400, description = "The body is not UTF-8", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Not text/csv", body = ErrorBody),
              (status = 422, description = "Problems, each naming its row and column; nothing was written", body = ErrorBody)))]
pub async fn import_csv(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    req: Request,
) -> ApiResult<Json<ImportCounts>> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media != "text/csv" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the values as text/csv",
        ));
    }
    let bytes = body_bytes(req, MAX_CSV_BYTES).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the body is not UTF-8: {e}")))?;
    Ok(Json(
        app.import_observations_csv(PlanId(id), "body.csv", text)
            .await?,
    ))
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/measures", get(list).post(create))
        .route(
            "/api/v1/measures/{id}",
            get(show).put(update).delete(remove),
        )
        .route(
            "/api/v1/measures/{id}/observations",
            get(series).post(record),
        )
        .route(
            "/api/v1/plans/{id}/observations/{observation_id}",
            delete(remove_observation),
        )
        .route(
            "/api/v1/plans/{id}/observations",
            post(import_csv).layer(DefaultBodyLimit::max(MAX_CSV_BYTES)),
        )
}
