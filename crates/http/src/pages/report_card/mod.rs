//! `/plans/{id}/report?period=2025`: a plan's annual report card as a page,
//! with the same content as the Markdown, CSV and PDF forms, and the
//! downloads `/plans/{id}/report.{md,csv,html}?period=`. The HTML download
//! is the same body drawn standalone, with the stylesheet embedded, so it
//! opens anywhere (it is also what `lodestar report --format html` writes).

mod body;

pub(crate) use body::Body;

use super::dashboard::plan_id;
use super::error::render;
use super::{Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_domain::PlanId;
use lodestar_domain::grade::GradingRule;
use lodestar_domain::report_card::ReportCard;
use lodestar_services::App;
use serde::Deserialize;

/// The report card's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/plans/{id}/report", get(show))
        .route("/plans/{id}/report.md", get(markdown))
        .route("/plans/{id}/report.csv", get(csv))
        .route("/plans/{id}/report.html", get(standalone_download))
        .route("/plans/{id}/report.pdf", get(pdf))
}

/// The year asked for; the current year when none is given.
#[derive(Debug, Deserialize)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

/// The report card inside the application.
#[derive(Template)]
#[template(path = "report_card.html")]
struct ReportPage {
    chrome: Chrome,
    report_base: String,
    years: Vec<i32>,
    downloads: &'static [(&'static str, &'static str)],
    b: Body,
}

/// The downloads offered inside the application: extension and label.
const DOWNLOADS: &[(&str, &str)] = &[
    ("md", "Markdown"),
    ("csv", "CSV"),
    ("html", "HTML"),
    ("pdf", "PDF"),
];

/// The report card as a file of its own, stylesheet included.
#[derive(Template)]
#[template(path = "report_card/standalone.html")]
struct Standalone<'a> {
    stylesheet: &'a str,
    b: Body,
}

/// The report card as a standalone HTML document, stylesheet embedded.
pub fn standalone(card: &ReportCard) -> Result<String, askama::Error> {
    Standalone {
        stylesheet: super::assets::STYLESHEET,
        b: Body::new(card.clone()),
    }
    .render()
}

impl PeriodQuery {
    /// The year asked for, or the current year; what is wrong otherwise.
    pub(crate) fn year(&self, app: &App) -> Result<i32, String> {
        match self
            .period
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => Ok(app.today().year()),
            Some(raw) => raw.parse().map_err(|_| {
                format!("period: {raw:?} is not a year; ask for one such as ?period=2025")
            }),
        }
    }
}

async fn card(app: &App, id: &str, query: &PeriodQuery) -> Result<(PlanId, ReportCard), PageError> {
    let id = plan_id(id)?;
    let year = query
        .year(app)
        .map_err(|m| PageError::new(StatusCode::BAD_REQUEST, m))?;
    let card = app.report_card(id, year, &GradingRule::default()).await?;
    Ok((id, card))
}

/// A download, named after the plan and the year.
pub(crate) fn download(
    card: &ReportCard,
    ext: &str,
    mime: &'static str,
    body: impl IntoResponse,
) -> Response {
    let name = format!("{}-report-card-{}.{ext}", card.plan_key, card.period);
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The report card page.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (id, card) = card(&app, &id, &query).await?;
    let plan = app
        .store()
        .get_plan(id)
        .await
        .map_err(lodestar_services::ServiceError::from)?;
    let years = (plan.period.start_year - 1..=plan.period.end_year).collect();
    let page = ReportPage {
        chrome: Chrome::new(&viewer).in_plan(id.0, card.plan_title.clone(), Section::Inside),
        report_base: format!("/plans/{}/report", id.0),
        years,
        downloads: DOWNLOADS,
        b: Body::new(card),
    };
    Ok(render(&page)?.into_response())
}

async fn markdown(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (_, card) = card(&app, &id, &query).await?;
    let text = lodestar_report::markdown::render(&card);
    Ok(download(&card, "md", "text/markdown; charset=utf-8", text))
}

async fn csv(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (_, card) = card(&app, &id, &query).await?;
    let text = lodestar_report::csv::render(&card);
    Ok(download(&card, "csv", "text/csv; charset=utf-8", text))
}

async fn standalone_download(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (_, card) = card(&app, &id, &query).await?;
    let text = standalone(&card).map_err(|e| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot lay out the report: {e}"),
        )
    })?;
    Ok(download(&card, "html", "text/html; charset=utf-8", text))
}

async fn pdf(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (_, card) = card(&app, &id, &query).await?;
    let bytes = typeset(card.clone())
        .await
        .map_err(|m| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, m))?;
    Ok(download(&card, "pdf", "application/pdf", bytes))
}

/// The report card typeset as a PDF, off the async workers (a large plan
/// takes about a second of CPU); what went wrong otherwise.
pub(crate) async fn typeset(card: ReportCard) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || lodestar_report::pdf::render(&card))
        .await
        .map_err(|e| format!("the typesetting task failed: {e}"))?
        .map_err(|e| format!("cannot typeset the report: {e}"))
}
