//! `/account`: who is signed in, their API tokens, and changing their password.

use super::error::render;
use super::{Chrome, PageError, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lodestar_domain::ValidationError;
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

/// The account page's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", post(change_password))
}

struct TokenRow {
    name: String,
    scopes: String,
    created: String,
    last_used: String,
    revoked: bool,
}

/// What the password form shows after a failed attempt: one message per field.
#[derive(Default)]
struct PasswordErrors {
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
}

impl PasswordErrors {
    fn any(&self) -> bool {
        self.current.is_some() || self.new.is_some() || self.confirm.is_some()
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    email: String,
    person: Option<String>,
    tokens: Vec<TokenRow>,
    changed: bool,
    errors: PasswordErrors,
}

/// `?changed=1` after a password change.
#[derive(Deserialize)]
struct Shown {
    #[serde(default)]
    changed: Option<String>,
}

/// The password form's fields.
#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

fn day(t: time::OffsetDateTime) -> String {
    t.date().to_string()
}

async fn page(
    app: &App,
    viewer: &Viewer,
    errors: PasswordErrors,
) -> Result<AccountPage, PageError> {
    let user = &viewer.0.user;
    let person = match user.person_id {
        Some(id) => Some(
            app.store()
                .get_person(id)
                .await
                .map_err(ServiceError::from)?
                .name
                .to_string(),
        ),
        None => None,
    };
    let tokens = app
        .store()
        .list_tokens(Some(user.id))
        .await
        .map_err(ServiceError::from)?
        .into_iter()
        .map(|t| TokenRow {
            scopes: t
                .scopes
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            created: day(t.created_at),
            last_used: t.last_used_at.map_or_else(|| "never".to_owned(), day),
            revoked: t.revoked_at.is_some(),
            name: t.name,
        })
        .collect();
    Ok(AccountPage {
        chrome: Chrome::new(viewer),
        email: user.email.to_string(),
        person,
        tokens,
        changed: false,
        errors,
    })
}

async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Query(shown): Query<Shown>,
) -> Result<Response, PageError> {
    let mut page = page(&app, &viewer, PasswordErrors::default()).await?;
    page.changed = shown.changed.is_some();
    Ok(render(&page)?.into_response())
}

async fn change_password(
    State(app): State<App>,
    viewer: Viewer,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let mut errors = PasswordErrors::default();
    if form.current_password.is_empty() {
        errors.current = Some("enter your current password".into());
    }
    if form.new_password != form.confirm_password {
        errors.confirm = Some("the two new passwords differ".into());
    }
    if !errors.any() {
        match app
            .change_password(&viewer.0, form.current_password, form.new_password)
            .await
        {
            Ok(()) => return Ok(Redirect::to("/account?changed=1").into_response()),
            Err(ServiceError::Invalid(ValidationError { field, message })) => {
                if field == "current_password" {
                    errors.current = Some(message);
                } else {
                    errors.new = Some(message);
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    let page = page(&app, &viewer, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
