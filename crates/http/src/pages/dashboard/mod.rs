//! `/plans/{id}`: the enterprise dashboard, a plan's home. One screen that
//! answers "how is the plan going?": each goal's progress and its initiatives
//! by status, the measures that turned red or amber, overdue updates,
//! initiatives due soon and the latest check-ins, all narrowed by the same
//! bookmarkable filters.
//!
//! Drawn from one status report and a few bulk reads, whatever the plan's size.

mod sections;

use super::filters::{self, FilterForm, FilterQuery};
use super::{Chrome, PageError, Section, Viewer, kept};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use lodestar_domain::PlanId;
use lodestar_services::{App, ServiceError};
use sections::{CheckinRow, DueRow, GoalCard, MeasureAlert, OverdueRow};

/// How far ahead "due soon" looks, in days.
const DUE_WITHIN: i64 = 90;

/// How many recent check-ins are listed.
const RECENT: usize = 10;

/// How many check-ins are read to find the recent ones that meet a filter.
const RECENT_FILTERED: u32 = 500;

/// The dashboard's content: the filter form and each section's rows. The
/// same for every viewer, so it is kept ([`kept::page`]) until the plan's data
/// or the day changes.
#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardBody {
    as_of: String,
    title: String,
    filters: FilterForm,
    initiative_level: String,
    bar_width: u32,
    goals: Vec<GoalCard>,
    alerts: Vec<MeasureAlert>,
    overdue: Vec<OverdueRow>,
    due: Vec<DueRow>,
    due_within: i64,
    checkins: Vec<CheckinRow>,
}

/// The dashboard's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/plans/{id}", get(show))
}

/// Parses a plan id from the path; anything else is a plan that does not exist.
pub(crate) fn plan_id(raw: &str) -> Result<PlanId, PageError> {
    raw.parse()
        .map(PlanId)
        .map_err(|_| PageError::not_found(format!("there is no plan {raw:?}")))
}

/// A plan's dashboard; 400 (with the page) when a filter names nothing.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    Query(query): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let id = plan_id(&id)?;
    let key = format!("dashboard {} ?{}", id.0, raw.unwrap_or_default());
    let frame =
        |plan: &str| Chrome::new(&viewer).in_plan(id.0, plan.to_owned(), Section::Dashboard);
    kept::page(&app, &key, frame, content(&app, id, &query)).await
}

/// The dashboard's content for `query`.
async fn content(app: &App, id: PlanId, query: &FilterQuery) -> Result<kept::Content, PageError> {
    let report = app.plan_status(id).await?;
    let filtering = filters::read(app, &report, query, format!("/plans/{}", id.0)).await?;
    let (f, names) = (&filtering.filters, &filtering.names);
    let limit = if f.active() {
        RECENT_FILTERED
    } else {
        RECENT as u32
    };
    let (late, checkins) = tokio::try_join!(app.overdue_in(&report), async {
        app.store()
            .recent_checkins(id, limit)
            .await
            .map_err(ServiceError::from)
    })?;
    let today = app.today();
    let level = sections::initiative_level(&report);
    let title = report.plan.title.to_string();
    let body = DashboardBody {
        title: title.clone(),
        as_of: report.as_of.to_string(),
        initiative_level: report
            .plan
            .levels
            .name(level)
            .map_or_else(|| "Initiative".to_owned(), |n| n.to_string()),
        bar_width: sections::BAR_WIDTH,
        goals: sections::goal_cards(&report, f, names),
        alerts: sections::alerts(&report, f, names),
        overdue: sections::overdue(&report, late, f, names),
        due: sections::due_soon(&report, today, DUE_WITHIN, f, names),
        due_within: DUE_WITHIN,
        checkins: sections::recent(&report, checkins, RECENT, f, names),
        filters: filtering.form,
    };
    let status = if body.filters.invalid() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let html = body.render()?;
    Ok(kept::Content::new(
        status,
        format!("Dashboard · {title}"),
        title,
        html,
    ))
}
