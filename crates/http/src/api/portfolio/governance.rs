//! An organization's governance configuration: scoring criteria, stages,
//! gates and who may grant exceptions. Everyone signed in reads it (the
//! criteria's guidance is for reviewers); administrators change it.

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, OptionalIfMatch};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json};
use lodestar_domain::portfolio::GovernanceConfig;
use lodestar_services::App;
use lodestar_services::portfolio::GovernanceSettings;

/// The settings as a response, with the stored version as ETag when there is one.
fn answer(settings: GovernanceSettings) -> Response {
    match settings.version {
        Some(v) => ([(header::ETAG, format!("\"{v}\""))], Json(settings)).into_response(),
        None => Json(settings).into_response(),
    }
}

/// The configuration in force: the organization's own (with its version as
/// ETag), or the default (`version` null, no ETag).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/governance", tag = "portfolio",
    params(("id" = i64, Path, description = "The organization's id")),
    responses((status = 200, description = "The configuration in force", body = GovernanceSettings,
                  headers(("ETag" = String, description = "Its version, when the organization stored one"))),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn show(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let organization = super::organization(&app, id).await?;
    Ok(answer(app.governance_settings(organization).await?))
}

/// Stores the organization's configuration (administrators). Replacing a
/// stored one takes If-Match with its version; the first needs none. A
/// configuration that breaks a rule, or drops a stage proposals are in, is
/// refused naming the field.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/governance", tag = "portfolio", request_body = GovernanceConfig,
    params(("id" = i64, Path, description = "The organization's id"),
           ("If-Match" = Option<String>, Header, description = "The stored configuration's version, like \"3\"; leave it out while the default applies")),
    responses((status = 200, description = "The configuration as stored", body = GovernanceSettings,
                  headers(("ETag" = String, description = "Its new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody),
              (status = 409, description = "Changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "The configuration breaks a rule", body = ErrorBody),
              (status = 428, description = "A configuration is stored and If-Match is missing, or If-Match: *", body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    OptionalIfMatch(expected): OptionalIfMatch,
    ApiJson(config): ApiJson<GovernanceConfig>,
) -> ApiResult<Response> {
    let organization = super::organization(&app, id).await?;
    let stored = app
        .put_governance_config(&caller.user, organization, expected, &config)
        .await?;
    Ok(answer(stored))
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new().route(
        "/api/v1/organizations/{id}/governance",
        get(show).put(update),
    )
}
