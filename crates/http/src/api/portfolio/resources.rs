//! Staff capacity per role per month and budgets per fiscal year (set by
//! plan editors and administrators), and the reports that set committed
//! work against them: the capacity table and the budget roll-up.

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use lodestar_domain::ValidationError;
use lodestar_domain::portfolio::{
    BudgetLimit, BudgetRollup, CapacityRow, Money, StaffRole, YearMonth,
};
use lodestar_services::App;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The months a capacity report covers.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CapacityQuery {
    /// The first month, `YYYY-MM`.
    pub from: String,
    /// The last month, `YYYY-MM` (at most 120 months after `from`).
    pub to: String,
}

fn month(field: &str, raw: &str) -> Result<YearMonth, ApiError> {
    raw.parse()
        .map_err(|m: String| ApiError::invalid(ValidationError::new(field, m)))
}

/// Capacity against the demand of committed work (approved and in-flight
/// proposals), per role and month, over-allocated months flagged.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/capacity", tag = "portfolio", params(("id" = i64, Path, description = "The organization's id"), CapacityQuery),
    responses((status = 200, description = "One row per role and month, ordered by role then month", body = Vec<CapacityRow>),
              (status = 400, description = "Malformed id or query", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody),
              (status = 422, description = "A month that is not YYYY-MM, `to` before `from`, or more than 120 months", body = ErrorBody)))]
pub async fn capacity(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CapacityQuery>,
) -> ApiResult<Json<Vec<CapacityRow>>> {
    let organization = super::organization(&app, id).await?;
    let (from, to) = (month("from", &q.from)?, month("to", &q.to)?);
    Ok(Json(app.capacity_report(organization, from, to).await?))
}

/// The hours one role has available in one month.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityEntry {
    /// The kind of staff (`developer`).
    pub role: StaffRole,
    /// The month (`2026-03`).
    pub month: YearMonth,
    /// Hours available; 0 clears the entry.
    pub hours: u64,
}

/// Capacity entries to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityUpdate {
    /// Each replaces what was recorded for its role and month; others stay.
    pub entries: Vec<CapacityEntry>,
}

/// Records the hours roles have available in months (plan editors and
/// administrators). Entries not named stay as they were.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/capacity", tag = "portfolio", request_body = CapacityUpdate,
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 204, description = "Recorded"),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A role that is not a keyword, a month that is not YYYY-MM, or implausible hours", body = ErrorBody)))]
pub async fn set_capacity(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(update): ApiJson<CapacityUpdate>,
) -> ApiResult<StatusCode> {
    let organization = super::organization(&app, id).await?;
    for (i, e) in update.entries.iter().enumerate() {
        if e.hours > 100_000 {
            let message = format!(
                "{} h in one month is not plausible; at most 100000",
                e.hours
            );
            return Err(ApiError::invalid(ValidationError::new(
                format!("entries[{i}].hours"),
                message,
            )));
        }
    }
    for e in &update.entries {
        app.set_capacity(organization, &e.role, e.month, e.hours)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// One fiscal year's budget.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetEntry {
    /// The fiscal year (`2026` for FY2026).
    pub fiscal_year: i32,
    /// Capital budget, in cents.
    pub capital: Money,
    /// Operating budget, in cents.
    pub operating: Money,
}

/// Budgets to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetUpdate {
    /// Each replaces what was recorded for its fiscal year; others stay.
    pub budgets: Vec<BudgetEntry>,
}

/// The budgets recorded for an organization, by fiscal year.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/budgets", tag = "portfolio",
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 200, description = "Budgets by fiscal year", body = Vec<BudgetEntry>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn budgets(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<BudgetEntry>>> {
    let organization = super::organization(&app, id).await?;
    let limits = app.budgets(organization).await?;
    Ok(Json(
        limits
            .into_iter()
            .map(|(fiscal_year, l)| BudgetEntry {
                fiscal_year,
                capital: l.capital,
                operating: l.operating,
            })
            .collect(),
    ))
}

/// Records budgets per fiscal year (plan editors and administrators), and
/// answers with every budget recorded.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/budgets", tag = "portfolio", request_body = BudgetUpdate,
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 200, description = "Every budget recorded, by fiscal year", body = Vec<BudgetEntry>),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A fiscal year outside 1900–2200, or a negative amount", body = ErrorBody)))]
pub async fn set_budgets(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(update): ApiJson<BudgetUpdate>,
) -> ApiResult<Json<Vec<BudgetEntry>>> {
    let organization = super::organization(&app, id).await?;
    for (i, b) in update.budgets.iter().enumerate() {
        let bad = if !(1900..=2200).contains(&b.fiscal_year) {
            Some((
                "fiscal_year",
                format!("{} is not a fiscal year from 1900 to 2200", b.fiscal_year),
            ))
        } else if b.capital < Money::ZERO {
            Some(("capital", "must not be negative".to_owned()))
        } else if b.operating < Money::ZERO {
            Some(("operating", "must not be negative".to_owned()))
        } else {
            None
        };
        if let Some((field, message)) = bad {
            return Err(ApiError::invalid(ValidationError::new(
                format!("budgets[{i}].{field}"),
                message,
            )));
        }
    }
    for b in &update.budgets {
        let limit = BudgetLimit {
            capital: b.capital,
            operating: b.operating,
        };
        app.set_budget(organization, b.fiscal_year, limit).await?;
    }
    budgets(State(app), ApiPath(id)).await
}

/// Committed proposals' costs by goal and objective, by fiscal year, capital
/// versus operating, against the budgets.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/budget-rollup", tag = "portfolio",
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 200, description = "The roll-up", body = BudgetRollup),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn rollup(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<BudgetRollup>> {
    let organization = super::organization(&app, id).await?;
    Ok(Json(app.budget_rollup(organization).await?))
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route(
            "/api/v1/organizations/{id}/capacity",
            get(capacity).put(set_capacity),
        )
        .route(
            "/api/v1/organizations/{id}/budgets",
            get(budgets).put(set_budgets),
        )
        .route("/api/v1/organizations/{id}/budget-rollup", get(rollup))
}
