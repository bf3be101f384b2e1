//! Who is calling, and whether they may: the one place every route, API and
//! page alike, is checked.
//!
//! A caller proves itself with the session cookie a sign-in set, or with an
//! API token as `Authorization: Bearer lst_…`. State-changing requests made
//! with a cookie must also carry the session's CSRF token (the
//! `X-CSRF-Token` header, or a `csrf_token` field of a URL-encoded or
//! multipart form), and come from this site when the browser says where
//! they come from. The route's need comes
//! from [`policy`]; the decision from the services layer's policy. The
//! request then runs as its caller, so the audit log records who wrote.

pub mod pages;
pub mod policy;
pub mod routes;

use crate::error::ApiError;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use lodestar_services::accounts::{Credential, Principal, SESSION_LIFETIME};
use lodestar_services::{App, ServiceError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lodestar_session";
/// The header that carries the CSRF token of a cookie-authenticated request.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field that carries it in HTML forms.
pub const CSRF_FIELD: &str = "csrf_token";
/// The most of a request body read to find the ids or the CSRF token it holds.
const PEEK_LIMIT: usize = crate::MAX_BODY_BYTES;
/// The most of a multipart body read to find its CSRF token: multipart
/// forms upload documents, which may be as large as the importer reads.
const UPLOAD_PEEK_LIMIT: usize = lodestar_services::imports::MAX_INPUT_BYTES;

/// The caller of the current request, for handlers that act on their own account.
#[derive(Debug, Clone)]
pub struct Caller(pub Principal);

/// The address the request came from, for throttling sign-ins ("unknown"
/// when the server was not started with connection information).
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

/// Checks every matched route: identifies the caller, refuses cross-site
/// and unauthorized requests, and runs the handler as the caller.
pub async fn guard(
    State(app): State<App>,
    path: Option<MatchedPath>,
    params: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    let template = path.as_ref().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    let page = !template.starts_with("/api/") && template != "/healthz";
    if let Some((_, raw)) = params.iter().find(|(name, _)| *name == "id")
        && raw.parse::<i64>().is_err()
    {
        // It names no record, so there is nothing to decide on; answered as
        // the handler would answer it (a 400, or for a page "not found"),
        // not as a failed look-up.
        if page {
            return crate::pages::PageError::not_found(format!("there is nothing at {raw:?}"))
                .into_response();
        }
        return ApiError::bad_request(format!("invalid path: {raw:?} is not an id"))
            .into_response();
    }
    match check(&app, &template, &params, request).await {
        Ok((request, principal)) => match principal {
            Some(p) => {
                let actor = lodestar_services::Actor {
                    user_id: Some(p.user.id.0),
                    name: p.actor_name(),
                };
                lodestar_services::acting_as(actor, next.run(request)).await
            }
            None => next.run(request).await,
        },
        Err(err) if page => page_refusal(err, &template),
        Err(err) => ApiError::from(err).into_response(),
    }
}

async fn check(
    app: &App,
    template: &str,
    params: &RawPathParams,
    request: Request,
) -> Result<(Request, Option<Principal>), ServiceError> {
    let method = request.method().clone();
    let principal = identify(app, request.headers()).await?;
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let id = params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    let needs_body = policy::reads_body(&method, template);
    let session_write = unsafe_method
        && matches!(
            principal.as_ref().map(|p| &p.via),
            Some(Credential::Session { .. })
        );
    let form = is_form(request.headers());
    let boundary = multipart_boundary(request.headers());
    let (request, body) = if needs_body || (session_write && form) {
        peek(request, PEEK_LIMIT).await?
    } else if session_write && boundary.is_some() {
        peek(request, UPLOAD_PEEK_LIMIT).await?
    } else {
        (request, Bytes::new())
    };
    if session_write {
        check_same_site(request.headers())?;
        if let Some(Principal {
            via: Credential::Session { csrf_token, .. },
            ..
        }) = &principal
        {
            let mut sent = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .or_else(|| form.then(|| form_field(&body, CSRF_FIELD)).flatten());
            if let (None, Some(boundary)) = (&sent, &boundary) {
                sent = multipart_field(body.clone(), boundary, CSRF_FIELD).await;
            }
            if sent.as_deref() != Some(csrf_token.as_str()) {
                return Err(ServiceError::Forbidden(format!(
                    "a change made with a session cookie must carry the session's CSRF token (the {CSRF_HEADER} header or the {CSRF_FIELD} form field)"
                )));
            }
        }
    }
    let json = needs_body
        .then(|| serde_json::from_slice::<serde_json::Value>(&body).ok())
        .flatten();
    let ids = policy::Ids {
        id,
        body: json.as_ref(),
    };
    if !matches!(
        method,
        Method::GET | Method::HEAD | Method::POST | Method::PUT | Method::DELETE
    ) {
        // No handler serves other methods: the router answers 405 without
        // running anything, so there is nothing to guard.
        return Ok((request, None));
    }
    let Some(needs) = policy::needs(app, &method, template, ids)
        .await
        .map_err(not_found_is_forbidden_for(&principal))?
    else {
        tracing::error!(%method, template, "a route without an access rule was refused");
        return Err(ServiceError::Forbidden(format!(
            "{method} {template} has no access rule"
        )));
    };
    for need in needs {
        app.authorize(principal.as_ref(), need)
            .await
            .map_err(not_found_is_forbidden_for(&principal))?;
    }
    let mut request = request;
    if let Some(p) = &principal {
        request.extensions_mut().insert(Caller(p.clone()));
    }
    Ok((request, principal))
}

/// A record named in the path that does not exist is a 404 for signed-in
/// callers and a 401 for anonymous ones (who learn nothing about what exists).
fn not_found_is_forbidden_for(
    principal: &Option<Principal>,
) -> impl Fn(ServiceError) -> ServiceError + '_ {
    move |err| match (principal, err) {
        (None, ServiceError::NotFound { .. }) => ServiceError::Unauthenticated(
            "sign in, or send an API token as `Authorization: Bearer …`".into(),
        ),
        (_, err) => err,
    }
}

/// The caller a request's credentials name. A bearer token that does not
/// work is refused outright; a stale cookie is only ignored.
async fn identify(app: &App, headers: &HeaderMap) -> Result<Option<Principal>, ServiceError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        return match app.token_principal(token).await? {
            Some(p) => Ok(Some(p)),
            None => Err(ServiceError::Unauthenticated(
                "the API token is not valid, was revoked, or its account is disabled".into(),
            )),
        };
    }
    match cookie(headers, SESSION_COOKIE) {
        Some(secret) => app.session_principal(&secret).await,
        None => Ok(None),
    }
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// One field of a URL-encoded form body.
pub fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The boundary of a `multipart/form-data` body.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    value
        .starts_with("multipart/form-data")
        .then(|| multer::parse_boundary(value).ok())
        .flatten()
}

/// One text field of a multipart form body.
async fn multipart_field(body: Bytes, boundary: &str, name: &str) -> Option<String> {
    let mut parts = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// Refuses a cookie-authenticated change that a browser says came from
/// another site (`Origin`, or `Referer` when there is no `Origin`).
fn check_same_site(headers: &HeaderMap) -> Result<(), ServiceError> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let (Some(host), Some(from)) = (host, from) else {
        return Ok(());
    };
    let from_host = from
        .split_once("://")
        .map_or(from, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    if from_host.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "a change made with a session cookie must come from this site, not from {from}"
        )))
    }
}

/// Reads the body (up to `limit`) so it can be looked at, and puts it back.
async fn peek(request: Request, limit: usize) -> Result<(Request, Bytes), ServiceError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ServiceError::TooLarge { limit })?;
    Ok((Request::from_parts(parts, Body::from(bytes.clone())), bytes))
}

/// A refused page: anonymous callers go to the sign-in page, others see why.
fn page_refusal(err: ServiceError, template: &str) -> Response {
    match err {
        ServiceError::Unauthenticated(_) => {
            let next = if template.contains('{') {
                "/".to_owned()
            } else {
                template.to_owned()
            };
            Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
        }
        ServiceError::Forbidden(message) => {
            crate::pages::PageError::new(StatusCode::FORBIDDEN, message).into_response()
        }
        ServiceError::TooLarge { limit } => crate::pages::PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "The request is larger than the {} MiB this page accepts.",
                limit >> 20
            ),
        )
        .into_response(),
        other => ApiError::from(other).into_response(),
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `Set-Cookie` value that holds a new session, `Secure` when the
/// request came over HTTPS (directly or through a proxy that says so).
pub fn session_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_LIFETIME.absolute.whole_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether the request reached us over HTTPS.
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
