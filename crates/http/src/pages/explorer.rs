//! `/plans/{id}/explorer`: a plan, its statements, and its whole tree as
//! nested lists that fold open and shut without JavaScript.

use super::error::render;
use super::{Badge, Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use lodestar_domain::PlanId;
use lodestar_services::{App, NodeReport, ServiceError};
use std::collections::HashMap;

/// One node of the tree as its row shows it.
struct Row {
    id: i64,
    code: String,
    title: String,
    level_name: String,
    badge: Badge,
    overridden: bool,
    /// Percent done, rounded; none when unknown.
    progress: Option<u8>,
    owner: String,
    due: String,
    tags: Vec<String>,
    /// The nodes of other plans it supports, as plan-as-code names them.
    supports: String,
    /// How many children it has.
    children: usize,
}

impl Row {
    /// What the row's fold names it by: its code, or its title.
    fn short_name(&self) -> &str {
        if self.code.is_empty() {
            &self.title
        } else {
            &self.code
        }
    }
}

/// The tree as a sequence the template can draw without recursion.
enum Step {
    /// A node without children.
    Leaf(Row),
    /// A node whose children follow, up to the matching [`Step::Close`].
    Open(Row),
    /// The end of a node's children.
    Close,
}

#[derive(Template)]
#[template(path = "explorer.html")]
struct PlanPage {
    chrome: Chrome,
    id: i64,
    title: String,
    organization: String,
    start_year: i32,
    end_year: i32,
    status: &'static str,
    levels: String,
    vision: Option<String>,
    mission: Option<String>,
    principles: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    count: usize,
    steps: Vec<Step>,
}

/// The explorer's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/plans/{id}/explorer", get(show))
}

/// A plan and its tree, from one status report and one export read.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::not_found(format!("there is no plan {id:?}")))?;
    let parts = app
        .store()
        .export_parts(PlanId(id))
        .await
        .map_err(ServiceError::from)?;
    let report = app.plan_status(PlanId(id)).await?;
    let people: HashMap<_, _> = parts
        .people
        .iter()
        .map(|p| (p.id, p.name.to_string()))
        .collect();
    let mut supports: HashMap<_, Vec<String>> = HashMap::new();
    for link in &parts.supports {
        let target = link
            .code
            .as_ref()
            .map_or_else(|| link.title.to_string(), ToString::to_string);
        supports
            .entry(link.from)
            .or_default()
            .push(format!("{} {target}", link.plan_key));
    }
    let mut children: HashMap<_, usize> = HashMap::new();
    for n in &report.nodes {
        if let Some(parent) = n.node.parent_id {
            *children.entry(parent).or_default() += 1;
        }
    }
    let row = |r: &NodeReport| {
        let n = &r.node;
        Row {
            id: n.id.0,
            code: n.code.as_ref().map(ToString::to_string).unwrap_or_default(),
            title: n.title.to_string(),
            level_name: r.level_name.clone(),
            badge: Badge::status(r.status.status),
            overridden: r.status.status_override.is_some(),
            progress: r
                .status
                .computed
                .progress
                .map(|p| p.clamp(0.0, 100.0).round() as u8),
            owner: n
                .owner_id
                .and_then(|p| people.get(&p).cloned())
                .unwrap_or_default(),
            due: r.schedule.due.map(|d| d.to_string()).unwrap_or_default(),
            tags: parts
                .node_tags
                .get(&n.id)
                .map(|t| t.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            supports: supports.remove(&n.id).unwrap_or_default().join(", "),
            children: children.get(&n.id).copied().unwrap_or(0),
        }
    };
    let steps = steps(&report.nodes, row);
    let plan = report.plan;
    render(&PlanPage {
        chrome: Chrome::new(&viewer).in_plan(plan.id.0, plan.title.to_string(), Section::Explorer),
        id: plan.id.0,
        title: plan.title.to_string(),
        organization: parts.organization.name.to_string(),
        start_year: plan.period.start_year,
        end_year: plan.period.end_year,
        status: plan.status.as_str(),
        levels: plan.levels.describe(),
        vision: plan.vision.map(|v| v.to_string()),
        mission: plan.mission.map(|m| m.to_string()),
        principles: plan
            .principles
            .into_iter()
            .map(|p| {
                let text = p.text.map(|t| t.to_string()).unwrap_or_default();
                (p.name.to_string(), text)
            })
            .collect(),
        tags: parts
            .tags
            .into_iter()
            .map(|t| (t.key.to_string(), t.name.to_string()))
            .collect(),
        count: report.nodes.len(),
        steps,
    })
}

/// The nodes (in tree order, with depths) as rows opening and closing their
/// children's lists.
fn steps(nodes: &[NodeReport], mut row: impl FnMut(&NodeReport) -> Row) -> Vec<Step> {
    let mut steps = Vec::with_capacity(nodes.len() * 2);
    let mut open: Vec<usize> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        while open.last().is_some_and(|d| *d >= n.depth) {
            open.pop();
            steps.push(Step::Close);
        }
        let has_children = nodes.get(i + 1).is_some_and(|next| next.depth > n.depth);
        if has_children {
            open.push(n.depth);
            steps.push(Step::Open(row(n)));
        } else {
            steps.push(Step::Leaf(row(n)));
        }
    }
    steps.extend(open.iter().map(|_| Step::Close));
    steps
}
