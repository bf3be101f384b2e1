//! Signing in and out over the API, one's own password and API tokens, and
//! (for administrators) accounts.

use super::{Caller, SESSION_COOKIE, cleared_cookie, cookie, is_https, session_cookie};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Extension, Json, Router};
use lodestar_domain::{
    Email, Name, PersonId, Role, TokenId, TokenScope, User, UserId, ValidationError,
};
use lodestar_services::TokenInfo;
use lodestar_services::accounts::Credential;
use lodestar_services::{App, ServiceError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every account route.
pub fn routes() -> Router<App> {
    Router::new()
        .route(
            "/api/v1/session",
            post(sign_in).get(current).delete(sign_out),
        )
        .route("/api/v1/session/password", post(change_password))
        .route("/api/v1/tokens", get(tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/users", get(users).post(create_user))
        .route("/api/v1/users/{id}", put(update_user))
}

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The account's email address.
    pub email: String,
    /// Its password.
    pub password: String,
}

/// Who is signed in, and the token their changes must carry.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    /// The account.
    pub user: User,
    /// Send it as the `X-CSRF-Token` header with every change made with the
    /// session cookie; none when the caller used an API token.
    pub csrf_token: Option<String>,
}

/// Signs in; the answer sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = SignIn,
    responses(
        (status = 201, description = "Signed in; the session cookie is set", body = SessionInfo),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 401, description = "Wrong email address or password", body = ErrorBody),
        (status = 422, description = "A field is missing or of the wrong type", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins for the account or address", body = ErrorBody),
    ))]
pub async fn sign_in(
    State(app): State<App>,
    super::ClientAddress(address): super::ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<Response> {
    let session = app.sign_in(&body.email, body.password, &address).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(SessionInfo {
            user: session.user,
            csrf_token: Some(session.csrf_token),
        }),
    )
        .into_response();
    if let Ok(value) = session_cookie(&session.secret, is_https(&headers)).parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Who is calling.
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts",
    responses(
        (status = 200, description = "The caller", body = SessionInfo),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn current(Extension(Caller(caller)): Extension<Caller>) -> Json<SessionInfo> {
    let csrf_token = match caller.via {
        Credential::Session { csrf_token, .. } => Some(csrf_token),
        Credential::Token(_) => None,
    };
    Json(SessionInfo {
        user: caller.user,
        csrf_token,
    })
}

/// Signs out: ends the session and clears its cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn sign_out(State(app): State<App>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        app.sign_out(&secret).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = cleared_cookie(is_https(&headers)).parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The current password and the new one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now.
    pub current_password: String,
    /// The new one: at least 12 characters.
    pub new_password: String,
}

/// Changes the caller's password; their other sessions end.
#[utoipa::path(post, path = "/api/v1/session/password", tag = "accounts", request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Wrong current password, or the new one breaks the rules", body = ErrorBody),
    ))]
pub async fn change_password(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    app.change_password(&caller, body.current_password, body.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which tokens to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TokenQuery {
    /// Every account's tokens (administrators only); the caller's own otherwise.
    #[serde(default)]
    pub all: bool,
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", params(TokenQuery),
    responses(
        (status = 200, description = "The tokens", body = Vec<TokenInfo>),
        (status = 400, description = "Malformed query string", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`all` asked by someone not an administrator", body = ErrorBody),
    ))]
pub async fn tokens(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiQuery(query): ApiQuery<TokenQuery>,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    let user = if query.all {
        app.authorize(Some(&caller), lodestar_services::authz::Need::Accounts)
            .await?;
        None
    } else {
        Some(caller.user.id)
    };
    Ok(Json(
        app.store()
            .list_tokens(user)
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// A new token's name and scopes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What it is for ("nightly ticket metrics").
    pub name: String,
    /// What it may do: read, write-measures, admin.
    pub scopes: Vec<TokenScope>,
}

/// A token just made: its secret is shown here once and never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The token's description.
    pub token: TokenInfo,
    /// Send as `Authorization: Bearer …`.
    pub secret: String,
}

/// Creates an API token for the caller's account.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewToken,
    responses(
        (status = 201, description = "The token and its secret, shown once", body = CreatedToken),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "No name or no scope", body = ErrorBody),
    ))]
pub async fn create_token(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiJson(body): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    if matches!(caller.via, Credential::Token(ref t) if !t.scopes.contains(&TokenScope::Admin)) {
        return Err(ServiceError::Forbidden(
            "only a session or an admin-scoped token may make tokens".into(),
        )
        .into());
    }
    let (token, secret) = app
        .create_token(caller.user.id, &body.name, &body.scopes)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

/// Revokes a token of the caller's (or, for an administrator, anyone's).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "The token's id")),
    responses(
        (status = 200, description = "The token, revoked", body = TokenInfo),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such token of the caller's", body = ErrorBody),
    ))]
pub async fn revoke_token(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<TokenInfo>> {
    Ok(Json(app.revoke_token(&caller.user, TokenId(id)).await?))
}

/// Every account.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts",
    responses(
        (status = 200, description = "The accounts", body = Vec<User>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    ))]
pub async fn users(State(app): State<App>) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(
        app.store().list_users().await.map_err(ServiceError::from)?,
    ))
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// Its email address.
    #[schema(value_type = String)]
    pub email: Email,
    /// Its display name.
    #[schema(value_type = String)]
    pub name: Name,
    /// What it may do.
    pub role: Role,
    /// The person it is, if any.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<PersonId>,
    /// Its first password: at least 12 characters.
    pub password: String,
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewAccount,
    responses(
        (status = 201, description = "The account", body = User),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "The email address has an account", body = ErrorBody),
        (status = 422, description = "A field breaks a rule", body = ErrorBody),
    ))]
pub async fn create_user(
    State(app): State<App>,
    ApiJson(body): ApiJson<NewAccount>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = app
        .add_user(
            &body.email,
            &body.name,
            body.role,
            body.person_id,
            body.password,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// An account's role, person and whether it is disabled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    /// What it may do.
    pub role: Role,
    /// The person it is, if any.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub person_id: Option<PersonId>,
    /// A disabled account cannot sign in; its sessions end and tokens stop working.
    #[serde(default)]
    pub disabled: bool,
}

/// Changes an account's role, person or whether it is disabled.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "accounts", request_body = AccountChange,
    params(("id" = i64, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 400, description = "Malformed id or JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "An administrator cannot disable or demote themselves, or no such person", body = ErrorBody),
    ))]
pub async fn update_user(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AccountChange>,
) -> ApiResult<Json<User>> {
    if caller.user.id == UserId(id) && (body.disabled || body.role != Role::Administrator) {
        return Err(ServiceError::Invalid(ValidationError::new(
            "role",
            "administrators cannot disable or demote themselves; another administrator must",
        ))
        .into());
    }
    if let Some(person) = body.person_id {
        app.store().get_person(person).await.map_err(|_| {
            ServiceError::Invalid(ValidationError::new(
                "person_id",
                format!("there is no person {person}"),
            ))
        })?;
    }
    Ok(Json(
        app.store()
            .update_user(UserId(id), body.role, body.person_id, body.disabled)
            .await
            .map_err(ServiceError::from)?,
    ))
}
