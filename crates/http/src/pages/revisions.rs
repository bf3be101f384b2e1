//! `/plans/{id}/revisions` and `/plans/{id}/diff`: a plan's revisions, with a
//! form choosing two to compare, and what changed between them node by node.

use super::dashboard::plan_id;
use super::error::render;
use super::{Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use lodestar_domain::revision_diff::Change;
use lodestar_services::App;
use lodestar_services::revisions::{Revision, describe};
use serde::Deserialize;

/// One revision as the list shows it.
struct Row {
    number: i64,
    created_at: String,
    created_by: String,
    note: String,
    nodes: usize,
}

impl From<&Revision> for Row {
    fn from(r: &Revision) -> Self {
        Self {
            number: r.number,
            created_at: r
                .created_at
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute] UTC"
                ))
                .unwrap_or_default(),
            created_by: r.created_by.clone(),
            note: r.note.clone().unwrap_or_default(),
            nodes: r.snapshot.nodes.len(),
        }
    }
}

/// The list of a plan's revisions and the form to compare two.
#[derive(Template)]
#[template(path = "revisions.html")]
struct RevisionsPage {
    chrome: Chrome,
    plan_id: i64,
    title: String,
    rows: Vec<Row>,
    from: i64,
    to: i64,
}

/// One change in words, with the word that names its kind.
struct Line {
    kind: &'static str,
    class: &'static str,
    text: String,
}

/// One changed node and its changes.
struct Item {
    node_id: i64,
    label: String,
    live: bool,
    lines: Vec<Line>,
}

/// What changed between two revisions.
#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    chrome: Chrome,
    plan_id: i64,
    title: String,
    from: Row,
    to: Row,
    items: Vec<Item>,
    counts: Vec<(&'static str, usize)>,
}

/// Which revisions to compare, as the form sends them.
#[derive(Debug, Deserialize)]
struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The routes of the revision pages.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/plans/{id}/revisions", get(list))
        .route("/plans/{id}/diff", get(diff))
}

async fn list(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let id = plan_id(&id)?;
    let plan = app
        .store()
        .get_plan(id)
        .await
        .map_err(lodestar_services::ServiceError::from)?;
    let revisions = app.revisions(id).await?;
    let last = revisions.last().map_or(1, |r| r.number);
    let page = RevisionsPage {
        chrome: Chrome::new(&viewer).in_plan(id.0, plan.title.to_string(), Section::Revisions),
        plan_id: id.0,
        title: plan.title.to_string(),
        rows: revisions.iter().rev().map(Row::from).collect(),
        from: (last - 1).max(1),
        to: last,
    };
    render(&page)
}

fn number(field: &str, raw: Option<&str>, default: i64) -> Result<i64, PageError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(default),
        Some(r) => r.parse().map_err(|_| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("{field}: {r:?} is not a revision number (1, 2, …)"),
            )
        }),
    }
}

fn kind(change: &Change) -> (&'static str, &'static str) {
    match change {
        Change::Added => ("Added", "change-added"),
        Change::Retired => ("Retired", "change-retired"),
        Change::Retitled { .. } | Change::Redescribed { .. } | Change::Recoded { .. } => {
            ("Re-worded", "change-reworded")
        }
        Change::Reparented { .. } | Change::Releveled { .. } => ("Moved", "change-moved"),
        Change::MeasureAdded { .. } | Change::MeasureRemoved { .. } => {
            ("Measures", "change-measures")
        }
    }
}

async fn diff(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Html<String>, PageError> {
    let id = plan_id(&id)?;
    let plan = app
        .store()
        .get_plan(id)
        .await
        .map_err(lodestar_services::ServiceError::from)?;
    let last = app.latest_revision(id).await?;
    let to = number("to", q.to.as_deref(), last)?;
    let from = number("from", q.from.as_deref(), (to - 1).max(1))?;
    let d = app.diff_revisions(id, from, to).await?;
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    let items = d
        .nodes
        .iter()
        .map(|n| Item {
            node_id: n.node.id.0,
            label: n.node.label(),
            live: !n.changes.contains(&Change::Retired),
            lines: n
                .changes
                .iter()
                .map(|c| {
                    let (kind, class) = kind(c);
                    match counts.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, count)) => *count += 1,
                        None => counts.push((kind, 1)),
                    }
                    Line {
                        kind,
                        class,
                        text: describe(c, &d.levels),
                    }
                })
                .collect(),
        })
        .collect();
    let page = DiffPage {
        chrome: Chrome::new(&viewer).in_plan(id.0, plan.title.to_string(), Section::Revisions),
        plan_id: id.0,
        title: plan.title.to_string(),
        from: Row::from(&d.from),
        to: Row::from(&d.to),
        items,
        counts,
    };
    render(&page)
}
