//! `/imports/{id}`: an imported draft beside the importer's warnings, as a
//! form that fixes titles, levels and parents in place; saving keeps the
//! edits with the pending import, confirming stores them as a new plan. The
//! editing rules live in `lodestar_services::imports::review`; this module
//! only draws the form and answers it.

use super::super::error::render;
use super::super::{Chrome, PageError, Viewer};
use super::fields::{TextField, error, field_name, kind, level_fields, level_options, plan_fields};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use lodestar_domain::ValidationError;
use lodestar_services::imports::DocumentImport;
use lodestar_services::imports::review::{self, ReviewForm};
use lodestar_services::{App, ServiceError};

/// The review's routes.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/imports/{id}", get(show).post(save))
        .route("/imports/{id}/confirm", post(confirm))
}

/// One node's row of the form: what is stored (to name it), what is typed,
/// and what is wrong with it.
struct RowView {
    index: usize,
    value: String,
    label: String,
    depth: usize,
    title: String,
    level: String,
    parent: String,
    remove: bool,
    warned: bool,
    title_error: Option<String>,
    level_error: Option<String>,
    parent_error: Option<String>,
}

/// A warning, with the row it names if it names one.
struct WarningView {
    line: Option<u32>,
    message: String,
    row: Option<(usize, String)>,
}

/// What the import became, once confirmed.
struct Confirmed {
    on: String,
    plan: Option<(i64, String)>,
}

/// A problem for the summary at the top: where it is and what it says.
struct Problem {
    href: Option<String>,
    text: String,
}

/// The review page: the draft as a form beside its warnings, or what a
/// confirmed import became.
#[derive(Template)]
#[template(path = "imports/review.html")]
struct ReviewPage {
    chrome: Chrome,
    id: i64,
    source_name: String,
    source: &'static str,
    read_on: String,
    confirmed: Option<Confirmed>,
    plan_fields: Vec<TextField>,
    level_fields: Vec<TextField>,
    rows: Vec<RowView>,
    level_options: Vec<(String, String)>,
    parent_options: Vec<(String, String)>,
    warnings: Vec<WarningView>,
    problems: Vec<Problem>,
    notice: Option<String>,
}

/// The review page for an import, with the form as typed (or as stored
/// when `typed` is none) and the problems found.
async fn page(
    app: &App,
    viewer: &Viewer,
    import: &DocumentImport,
    typed: Option<ReviewForm>,
    errors: Vec<ValidationError>,
    notice: Option<String>,
) -> ReviewPage {
    let stored = review::rows(&import.document);
    let form = typed.unwrap_or_else(|| ReviewForm::of(&import.document));
    let messages = import.warnings.iter().map(|w| w.message.as_str());
    let named = review::warning_rows(messages, &stored);
    let warnings = import
        .warnings
        .iter()
        .zip(&named)
        .map(|(w, row)| WarningView {
            line: w.line,
            message: w.message.clone(),
            row: row.map(|i| (i, stored[i].label())),
        })
        .collect();
    let rows = stored
        .iter()
        .zip(&form.rows)
        .enumerate()
        .map(|(i, (r, f))| RowView {
            index: i,
            value: i.to_string(),
            label: r.label(),
            depth: r.depth.min(9),
            title: f.title.clone(),
            level: f.level.clone(),
            parent: f.parent.clone(),
            remove: f.remove,
            warned: named.contains(&Some(i)),
            title_error: error(&errors, &review::row_field(i, "title")),
            level_error: error(&errors, &review::row_field(i, "level")),
            parent_error: error(&errors, &review::row_field(i, "parent")),
        })
        .collect();
    let levels = &import.document.levels;
    let has_children: Vec<bool> = (0..stored.len())
        .map(|i| stored.iter().any(|r| r.parent == Some(i)))
        .collect();
    let parent_options = stored
        .iter()
        .enumerate()
        .filter(|(i, r)| r.level + 1 < levels.len() || has_children[*i])
        .map(|(i, r)| (i.to_string(), r.label()))
        .collect();
    let problems = errors
        .iter()
        .map(|e| match field_name(&e.field, &stored) {
            Some(name) => Problem {
                href: Some(format!("#{}", e.field)),
                text: format!("{name}: {}", e.message),
            },
            None => Problem {
                href: None,
                text: e.to_string(),
            },
        })
        .collect();
    let confirmed = match import.confirmed_at {
        None => None,
        Some(at) => {
            let plan = match import.plan_id {
                Some(id) => app.store().get_plan(id).await.ok(),
                None => None,
            };
            Some(Confirmed {
                on: at.date().to_string(),
                plan: plan.map(|p| (p.id.0, p.title.to_string())),
            })
        }
    };
    ReviewPage {
        chrome: Chrome::new(viewer),
        id: import.id,
        source_name: import.source_name.clone(),
        source: kind(import.source),
        read_on: import.created_at.date().to_string(),
        confirmed,
        plan_fields: plan_fields(&form, &errors),
        level_fields: level_fields(&form, &errors),
        level_options: level_options(&form, levels),
        parent_options,
        rows,
        warnings,
        problems,
        notice,
    }
}

/// The page drawn with `status`.
fn respond(status: StatusCode, page: &ReviewPage) -> Result<Response, PageError> {
    Ok((status, render(page)?).into_response())
}

/// `GET /imports/{id}`: the review, or what a confirmed import became.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let import = app.get_import(id).await?;
    respond(
        StatusCode::OK,
        &page(&app, &viewer, &import, None, Vec::new(), None).await,
    )
}

/// `POST /imports/{id}`: keeps the edits with the pending import.
async fn save(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    submit(&app, &viewer, id, fields, false).await
}

/// `POST /imports/{id}/confirm`: keeps the edits, then stores the plan and
/// opens its dashboard.
async fn confirm(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, PageError> {
    submit(&app, &viewer, id, fields, true).await
}

/// Applies the form to the draft (nothing typed is lost when it is
/// refused), keeps the result, and confirms it when asked to.
async fn submit(
    app: &App,
    viewer: &Viewer,
    id: i64,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
    confirming: bool,
) -> Result<Response, PageError> {
    let Form(fields) = fields.map_err(|e| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            format!("send the review form: {}", e.body_text()),
        )
    })?;
    let import = app.get_import(id).await?;
    if import.confirmed_at.is_some() {
        let notice = "This import was already confirmed; nothing was changed.".to_owned();
        let shown = page(app, viewer, &import, None, Vec::new(), Some(notice)).await;
        return respond(StatusCode::CONFLICT, &shown);
    }
    let count = review::rows(&import.document).len();
    let form = ReviewForm::from_fields(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), count);
    let document = match review::apply(&import.document, &form) {
        Ok(document) => document,
        Err(errors) => {
            let shown = page(app, viewer, &import, Some(form), errors, None).await;
            return respond(StatusCode::UNPROCESSABLE_ENTITY, &shown);
        }
    };
    let revised = match app.revise_import(id, document).await {
        Ok(revised) => revised,
        Err(err) => return refused(app, viewer, &import, Some(form), err).await,
    };
    if !confirming {
        let notice = "Your changes are saved. Nothing is stored as a plan until you confirm.";
        let shown = page(app, viewer, &revised, None, Vec::new(), Some(notice.into())).await;
        return respond(StatusCode::OK, &shown);
    }
    match app.confirm_import(id, Some(revised.document.clone())).await {
        Ok(plan) => Ok(Redirect::to(&format!("/plans/{}", plan.id.0)).into_response()),
        Err(err) => refused(app, viewer, &revised, None, err).await,
    }
}

/// The review again after the services refused the edited draft: its
/// problems listed (those about a form field beside it), nothing lost.
async fn refused(
    app: &App,
    viewer: &Viewer,
    import: &DocumentImport,
    typed: Option<ReviewForm>,
    err: ServiceError,
) -> Result<Response, PageError> {
    let (status, errors) = match err {
        ServiceError::InvalidDocument { errors, .. } => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        ServiceError::Invalid(e) => (StatusCode::UNPROCESSABLE_ENTITY, vec![e]),
        ServiceError::Conflict { field, message } => (
            StatusCode::CONFLICT,
            vec![ValidationError::new(field.unwrap_or_default(), message)],
        ),
        other => return Err(other.into()),
    };
    let import = match app.get_import(import.id).await {
        Ok(now) if now.confirmed_at.is_some() => now,
        _ => import.clone(),
    };
    respond(
        status,
        &page(app, viewer, &import, typed, errors, None).await,
    )
}
