//! The audit log: a node's history, and the log exported as CSV.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lodestar_domain::{NodeId, PlanId};
use lodestar_services::App;
use lodestar_services::audit::{AuditEntry, audit_filter};
use serde::Deserialize;
use utoipa::IntoParams;

/// Which page of a node's history to read.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// How many entries, 50 unless given, at most 500.
    pub limit: Option<u32>,
    /// Entries older than this one: the id of the last entry of the previous page.
    pub before_id: Option<i64>,
}

/// A node's history, newest first: every write to the node and to the rows
/// that belong to it (check-ins, milestones, evidence, measures, tags), who
/// made it, when, and the row before and after.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/audit", tag = "audit",
    params(("id" = i64, Path, description = "The node's id"), HistoryQuery),
    responses((status = 200, description = "Its history, newest first", body = Vec<AuditEntry>),
              (status = 400, description = "Malformed id or query", body = ErrorBody),
              (status = 404, description = "No such node, now or ever", body = ErrorBody)))]
pub async fn node_history(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        app.node_audit(NodeId(id), q.before_id, q.limit).await?,
    ))
}

/// Which part of the log to export.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only the writes to rows of this plan.
    pub plan: Option<i64>,
    /// Only the writes to this table (`nodes`, `checkins`, `users`…).
    pub entity: Option<String>,
    /// From this date or time (RFC 3339) on.
    pub since: Option<String>,
    /// Before this time (RFC 3339), or up to and including this date.
    pub until: Option<String>,
}

/// The audit log as CSV, oldest first, with the columns id, at, actor,
/// action, entity, entity_id, plan_id, node_id, before, after (the row
/// before and after the write, as JSON).
#[utoipa::path(get, path = "/api/v1/audit.csv", tag = "audit", params(ExportQuery),
    responses((status = 200, description = "The entries as CSV", body = String, content_type = "text/csv"),
              (status = 400, description = "Malformed query", body = ErrorBody),
              (status = 422, description = "since or until is not a date or time, until is not after since, or entity is not a table name", body = ErrorBody)))]
pub async fn export_csv(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let filter = audit_filter(
        q.plan.map(PlanId),
        q.entity,
        q.since.as_deref(),
        q.until.as_deref(),
    )?;
    let csv = app.audit_csv(&filter).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit.csv\"",
        ),
    ];
    Ok((headers, csv).into_response())
}

/// The audit routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/nodes/{id}/audit", get(node_history))
        .route("/api/v1/audit.csv", get(export_csv))
}
