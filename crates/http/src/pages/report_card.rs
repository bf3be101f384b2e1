//! `/plans/{id}/report?period=2025`: a plan's annual report card as a page,
//! with the same content as the Markdown, CSV and PDF forms, and the
//! downloads `/plans/{id}/report.{md,csv,html}?period=`. The HTML download
//! is the same body drawn standalone, with the stylesheet embedded, so it
//! opens anywhere (it is also what `lodestar report --format html` writes).

use super::charts::trend::{Slot, Trend, draw};
use super::dashboard::plan_id;
use super::error::render;
use super::{Badge, Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_domain::grade::{Grade, Graded, GradingRule};
use lodestar_domain::report_card::{MeasureLine, Narrative, ReportCard};
use lodestar_domain::{Goal, PlanId, Value};
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
struct PeriodQuery {
    period: Option<String>,
}

/// A measure as the report shows it: its line, its badge and its chart.
struct MeasureView {
    line: MeasureLine,
    badge: Badge,
    chart: Option<Trend>,
    /// A unique id for the chart's title and description.
    id: String,
    /// The chart in words, for screen readers.
    summary: String,
}

/// An objective's card as the report shows it.
struct ObjectiveView {
    /// A unique id for its heading.
    anchor: String,
    code: String,
    title: String,
    badge: Option<Badge>,
    grade: Graded,
    grade_class: &'static str,
    initiatives_due: usize,
    initiatives_completed: usize,
    measures: Vec<MeasureView>,
    latest: Option<NarrativeView>,
}

/// A goal's card as the report shows it.
struct GoalView {
    code: String,
    title: String,
    badge: Option<Badge>,
    grade: Graded,
    grade_class: &'static str,
    measures: Vec<MeasureView>,
    objectives: Vec<ObjectiveView>,
}

/// A quoted check-in with its badge.
struct NarrativeView {
    n: Narrative,
    badge: Badge,
}

/// Everything the report's body draws, shared by the page and the standalone file.
struct Body {
    card: ReportCard,
    overall_class: &'static str,
    counts: Vec<(Badge, usize)>,
    highlights: Vec<NarrativeView>,
    concerns: Vec<NarrativeView>,
    goals: Vec<GoalView>,
}

/// The report card inside the application.
#[derive(Template)]
#[template(path = "report_card.html")]
struct ReportPage {
    chrome: Chrome,
    plan_id: i64,
    years: Vec<i32>,
    b: Body,
}

/// The report card as a file of its own, stylesheet included.
#[derive(Template)]
#[template(path = "report_card/standalone.html")]
struct Standalone<'a> {
    stylesheet: &'a str,
    b: Body,
}

fn grade_class(g: Grade) -> &'static str {
    match g {
        Grade::A | Grade::B | Grade::Exceeds | Grade::Meets => "grade grade-good",
        Grade::C | Grade::Approaching => "grade grade-fair",
        Grade::D | Grade::F | Grade::Below => "grade grade-poor",
        Grade::NotGraded => "grade grade-none",
    }
}

fn narrative(n: &Narrative) -> NarrativeView {
    NarrativeView {
        n: n.clone(),
        badge: Badge::status(n.status),
    }
}

fn measure(line: &MeasureLine, id: String) -> MeasureView {
    let goal = line
        .target_value
        .and_then(|t| Value::new(t).ok())
        .map(|value| Goal::Value { value });
    let slots: Vec<Slot> = line
        .series
        .iter()
        .map(|p| Slot {
            label: p.period.clone(),
            value: Some(p.value),
            goal,
            bands: Vec::new(),
        })
        .collect();
    let values: Vec<String> = line
        .series
        .iter()
        .map(|p| format!("{} {}", p.period, p.value))
        .collect();
    MeasureView {
        badge: Badge::health(line.health),
        chart: draw(&slots),
        summary: format!(
            "Values of {} oldest first: {}{}",
            line.name,
            values.join(", "),
            line.target
                .as_ref()
                .map(|t| format!("; target {t}"))
                .unwrap_or_default()
        ),
        id,
        line: line.clone(),
    }
}

impl Body {
    /// Lays out a report card for drawing.
    fn new(card: ReportCard) -> Self {
        let mut n = 0;
        let mut next_id = || {
            n += 1;
            format!("m{n}")
        };
        let goals = card
            .goals
            .iter()
            .map(|g| GoalView {
                code: g.code.clone(),
                title: g.title.clone(),
                badge: g.status.map(Badge::status),
                grade: g.grade.clone(),
                grade_class: grade_class(g.grade.grade),
                measures: g.measures.iter().map(|m| measure(m, next_id())).collect(),
                objectives: g
                    .objectives
                    .iter()
                    .map(|o| ObjectiveView {
                        anchor: next_id(),
                        code: o.code.clone(),
                        title: o.title.clone(),
                        badge: o.status.map(Badge::status),
                        grade: o.grade.clone(),
                        grade_class: grade_class(o.grade.grade),
                        initiatives_due: o.initiatives_due,
                        initiatives_completed: o.initiatives_completed,
                        measures: o.measures.iter().map(|m| measure(m, next_id())).collect(),
                        latest: o.latest_narrative.as_ref().map(narrative),
                    })
                    .collect(),
            })
            .collect();
        Self {
            overall_class: grade_class(card.overall.grade),
            counts: card
                .counts
                .iter()
                .map(|c| (Badge::status(c.status), c.count))
                .collect(),
            highlights: card.highlights.iter().map(narrative).collect(),
            concerns: card.concerns.iter().map(narrative).collect(),
            goals,
            card,
        }
    }
}

/// The report card as a standalone HTML document, stylesheet embedded.
pub fn standalone(card: &ReportCard) -> Result<String, askama::Error> {
    Standalone {
        stylesheet: super::assets::STYLESHEET,
        b: Body::new(card.clone()),
    }
    .render()
}

/// The year asked for, or the current year; a clear 400 for anything else.
fn year(app: &App, query: &PeriodQuery) -> Result<i32, PageError> {
    match query
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Ok(app.today().year()),
        Some(raw) => raw.parse().map_err(|_| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("period: {raw:?} is not a year; ask for one such as ?period=2025"),
            )
        }),
    }
}

async fn card(app: &App, id: &str, query: &PeriodQuery) -> Result<(PlanId, ReportCard), PageError> {
    let id = plan_id(id)?;
    let year = year(app, query)?;
    let card = app.report_card(id, year, &GradingRule::default()).await?;
    Ok((id, card))
}

/// A download, named after the plan and the year.
fn download(card: &ReportCard, ext: &str, mime: &'static str, body: impl IntoResponse) -> Response {
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
        plan_id: id.0,
        years,
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
    // Typesetting a large plan takes about a second of CPU: off the async workers.
    let (card, typeset) = tokio::task::spawn_blocking(move || {
        let typeset = lodestar_report::pdf::render(&card);
        (card, typeset)
    })
    .await
    .map_err(|e| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the typesetting task failed: {e}"),
        )
    })?;
    let bytes = typeset.map_err(|e| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot typeset the report: {e}"),
        )
    })?;
    Ok(download(&card, "pdf", "application/pdf", bytes))
}
