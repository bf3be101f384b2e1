//! What governance reads: the ranked portfolio with its cut line, and the
//! proposals that go ahead by exception to the tie rule.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::routing::get;
use lodestar_services::App;
use lodestar_services::portfolio::{ExceptionEntry, Portfolio};
use serde::Deserialize;
use utoipa::IntoParams;

/// An organization's portfolio: committed proposals, then the proposals in
/// entry and open stages ranked by weighted score and filled greedily
/// against capacity and budget, each in or out of the cut line with the
/// reason, then the others (drafts, paused, closed, rejected).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/portfolio", tag = "portfolio",
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 200, description = "The ranked portfolio with its cut line", body = Portfolio),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn portfolio(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Portfolio>> {
    let organization = super::organization(&app, id).await?;
    Ok(Json(app.portfolio(organization).await?))
}

/// Whose exceptions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExceptionQuery {
    /// Only this organization's; every organization's when left out.
    pub organization_id: Option<i64>,
}

/// Every proposal that carries an exception to the tie rule: who granted
/// it, when and why, and whether it is tied to an objective all the same.
#[utoipa::path(get, path = "/api/v1/proposal-exceptions", tag = "portfolio", params(ExceptionQuery),
    responses((status = 200, description = "The exceptions report", body = Vec<ExceptionEntry>),
              (status = 400, description = "Malformed query", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn exceptions(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ExceptionQuery>,
) -> ApiResult<Json<Vec<ExceptionEntry>>> {
    let organization = match q.organization_id {
        Some(id) => Some(super::organization(&app, id).await?),
        None => None,
    };
    Ok(Json(app.exceptions_report(organization).await?))
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/organizations/{id}/portfolio", get(portfolio))
        .route("/api/v1/proposal-exceptions", get(exceptions))
}
