//! The sign-in page and signing out, for people in a browser.

use super::{Caller, SESSION_COOKIE, cleared_cookie, cookie, is_https, session_cookie};
use crate::pages::PageError;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    next: &'a str,
    email: &'a str,
    message: Option<&'a str>,
}

/// Where to go after signing in.
#[derive(Deserialize)]
pub(crate) struct Next {
    #[serde(default)]
    next: Option<String>,
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub(crate) struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// Routes for signing in and out in a browser.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(form).post(sign_in))
        .route("/logout", axum::routing::post(sign_out))
}

/// Only a path on this site: never another site, whatever `next` says.
fn local(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

fn render(page: &LoginPage<'_>, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

async fn form(Query(next): Query<Next>) -> Response {
    let next = local(next.next.as_deref());
    render(
        &LoginPage {
            next,
            email: "",
            message: None,
        },
        StatusCode::OK,
    )
}

async fn sign_in(
    State(app): State<App>,
    super::ClientAddress(address): super::ClientAddress,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let next = local(f.next.as_deref()).to_owned();
    match app.sign_in(&f.email, f.password, &address).await {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            if let Ok(value) = session_cookie(&session.secret, is_https(&headers)).parse() {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(err) => {
            let status = match err {
                ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                ServiceError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                _ => return PageError::from(err).into_response(),
            };
            let message = err.to_string();
            render(
                &LoginPage {
                    next: &next,
                    email: &f.email,
                    message: Some(&message),
                },
                status,
            )
        }
    }
}

async fn sign_out(
    State(app): State<App>,
    headers: HeaderMap,
    _caller: Extension<Caller>,
) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE)
        && let Err(err) = app.sign_out(&secret).await
    {
        return PageError::from(err).into_response();
    }
    let mut response = Redirect::to("/login").into_response();
    if let Ok(value) = cleared_cookie(is_https(&headers)).parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
