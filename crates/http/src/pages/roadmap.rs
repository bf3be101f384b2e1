//! `/plans/{id}/roadmap`: a plan's initiatives on a timeline over its period,
//! grouped by goal, with today's line and overdue items marked by a symbol
//! and a word as well as colour; the same data follows as a table. The
//! dashboard's filters apply here too.

use super::charts::timeline::{Scale, Tick};
use super::dashboard::plan_id;
use super::error::render;
use super::filters::{self, FilterForm, FilterQuery};
use super::{Badge, Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_domain::NodeId;
use lodestar_services::{App, NodeReport, StatusReport};
use std::collections::HashMap;
use time::{Date, Month};

/// The drawing's layout, in SVG units: a label column, the time axis, and a
/// column for each row's status in words.
const LABEL_X: f64 = 8.0;
const AXIS_LEFT: f64 = 330.0;
const AXIS_WIDTH: f64 = 560.0;
const STATUS_X: f64 = 900.0;
const WIDTH: f64 = 1090.0;
const HEADER: f64 = 44.0;
const ROW: f64 = 26.0;
/// Titles longer than this are shortened in the drawing (the table has them whole).
const LABEL_CHARS: usize = 44;

/// A row of the drawing: a goal's heading or one initiative's bar.
struct Row {
    /// The top of the row.
    y: f64,
    /// The code and title, shortened to fit.
    label: String,
    /// The code and title in full, for the row's tooltip.
    full: String,
    /// The bar, for an initiative: its left edge and width.
    bar: Option<(f64, f64)>,
    badge: Badge,
    overdue: bool,
}

/// One initiative as the table lists it.
struct Item {
    node_id: i64,
    goal: String,
    name: String,
    start: String,
    due: String,
    badge: Badge,
    overdue: bool,
}

/// The roadmap page: the drawing's geometry, its rows and the same data as a table.
#[derive(Template)]
#[template(path = "roadmap.html")]
struct RoadmapPage {
    chrome: Chrome,
    title: String,
    start_year: i32,
    end_year: i32,
    today: String,
    initiative_level: String,
    filters: FilterForm,
    width: f64,
    height: f64,
    axis_left: f64,
    axis_right: f64,
    label_x: f64,
    status_x: f64,
    header: f64,
    ticks: Vec<Tick>,
    today_x: Option<f64>,
    rows: Vec<Row>,
    description: String,
    items: Vec<Item>,
    unscheduled: Vec<Item>,
}

/// The roadmap's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/plans/{id}/roadmap", get(show))
}

/// A node as the roadmap names it: its code, then its title.
fn label(n: &NodeReport) -> String {
    match &n.node.code {
        Some(code) => format!("{code} {}", n.node.title),
        None => n.node.title.to_string(),
    }
}

/// `text` cut to fit the label column, marked with an ellipsis when cut.
fn shorten(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The plan's period as dates: January 1 of its first year to December 31 of its last.
fn period(report: &StatusReport) -> Option<(Date, Date)> {
    let p = report.plan.period;
    Some((
        Date::from_calendar_date(p.start_year, Month::January, 1).ok()?,
        Date::from_calendar_date(p.end_year, Month::December, 31).ok()?,
    ))
}

/// A plan's roadmap; 400 (with the page) when a filter names nothing.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, PageError> {
    let id = plan_id(&id)?;
    let report = app.plan_status(id).await?;
    let filtering =
        filters::read(&app, &report, &query, format!("/plans/{}/roadmap", id.0)).await?;
    let today = app.today();
    let (start, end) = period(&report).ok_or_else(|| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the plan's period has no calendar dates",
        )
    })?;
    let scale = Scale::new(start, end, AXIS_LEFT, AXIS_WIDTH);
    let level = report.nodes.iter().map(|n| n.node.level).max().unwrap_or(0);

    let mut goal_of: HashMap<NodeId, NodeId> = HashMap::new();
    let mut by_goal: HashMap<NodeId, Vec<&NodeReport>> = HashMap::new();
    for n in &report.nodes {
        let goal = n
            .node
            .parent_id
            .and_then(|p| goal_of.get(&p).copied())
            .unwrap_or(n.node.id);
        goal_of.insert(n.node.id, goal);
        if n.node.level == level && filtering.filters.matches(n, &filtering.names.node_tags) {
            by_goal.entry(goal).or_default().push(n);
        }
    }

    let (mut rows, mut items, mut unscheduled) = (Vec::new(), Vec::new(), Vec::new());
    let mut y = HEADER;
    for goal in report.nodes.iter().filter(|n| n.depth == 0) {
        let Some(initiatives) = by_goal.get(&goal.node.id) else {
            continue;
        };
        let goal_name = label(goal);
        let mut heading = Some(Row {
            y,
            label: shorten(&goal_name),
            full: goal_name.clone(),
            bar: None,
            badge: Badge::status(goal.status.status),
            overdue: false,
        });
        for n in initiatives {
            let name = label(n);
            let status = n.status.status;
            let due = n.schedule.due.map(|d| d.date());
            let overdue = due.is_some_and(|d| d < today) && !status.is_closed();
            let item = Item {
                node_id: n.node.id.0,
                goal: goal_name.clone(),
                name: name.clone(),
                start: n.schedule.start.map(|d| d.to_string()).unwrap_or_default(),
                due: n.schedule.due.map(|d| d.to_string()).unwrap_or_default(),
                badge: Badge::status(status),
                overdue,
            };
            let (Some(from), Some(to)) = (n.schedule.start, due) else {
                unscheduled.push(item);
                continue;
            };
            if let Some(h) = heading.take() {
                rows.push(h);
                y += ROW;
            }
            rows.push(Row {
                y,
                label: shorten(&name),
                full: name,
                bar: Some(scale.bar(from.date(), to)),
                badge: item.badge,
                overdue,
            });
            y += ROW;
            items.push(item);
        }
    }

    let late = items.iter().filter(|i| i.overdue).count();
    let initiative_level = report
        .plan
        .levels
        .name(level)
        .map_or_else(|| "Initiative".to_owned(), |n| n.to_string());
    let p = report.plan.period;
    let description = format!(
        "{} scheduled {}s from {} to {}, grouped by goal, each a bar from its start to its due date; {late} overdue. Today is {today}.",
        items.len(),
        initiative_level.to_lowercase(),
        p.start_year,
        p.end_year,
    );
    let page = RoadmapPage {
        chrome: Chrome::new(&viewer).in_plan(id.0, report.plan.title.to_string(), Section::Roadmap),
        title: report.plan.title.to_string(),
        start_year: p.start_year,
        end_year: p.end_year,
        today: today.to_string(),
        initiative_level,
        width: WIDTH,
        height: y + ROW / 2.0,
        axis_left: AXIS_LEFT,
        axis_right: AXIS_LEFT + AXIS_WIDTH,
        label_x: LABEL_X,
        status_x: STATUS_X,
        header: HEADER,
        ticks: scale.ticks(),
        today_x: scale.contains(today).then(|| scale.x(today)),
        rows,
        description,
        items,
        unscheduled,
        filters: filtering.form,
    };
    let status = if page.filters.invalid() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, render(&page)?).into_response())
}
