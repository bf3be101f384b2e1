//! `/plans/{id}/explorer`: a plan, its statements, and its whole tree.

use super::error::render;
use super::{Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use lodestar_domain::{PlanId, PlanTree, TreeNode};
use lodestar_services::{App, ServiceError};
use std::collections::HashMap;

struct Row {
    depth: usize,
    level: u8,
    code: String,
    title: String,
    level_name: String,
    owner: String,
    department: String,
    horizon: String,
    due: String,
    status: &'static str,
    overridden: bool,
    progress: String,
    tags: Vec<String>,
    supports: String,
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
    rows: Vec<Row>,
}

/// The explorer's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/plans/{id}/explorer", get(show))
}

/// A plan and its tree.
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
    let people: HashMap<_, _> = parts
        .people
        .iter()
        .map(|p| (p.id, p.name.to_string()))
        .collect();
    let departments: HashMap<_, _> = parts
        .departments
        .iter()
        .map(|d| (d.id, d.name.to_string()))
        .collect();
    let mut supports: HashMap<_, Vec<String>> = HashMap::new();
    for link in &parts.supports {
        let target = link
            .code
            .as_ref()
            .map_or_else(|| link.title.to_string(), |c| c.to_string());
        supports
            .entry(link.from)
            .or_default()
            .push(format!("{} {target}", link.plan_key));
    }
    let statuses: HashMap<_, _> = app
        .plan_status(PlanId(id))
        .await?
        .nodes
        .into_iter()
        .map(|n| (n.node.id, n.status))
        .collect();
    let tree = PlanTree::build(parts.plan.clone(), parts.nodes, parts.node_tags);
    let mut rows = Vec::new();
    let mut visit = |node: &TreeNode, depth: usize, rows: &mut Vec<Row>| {
        let n = &node.node;
        rows.push(Row {
            depth,
            level: n.level,
            code: n.code.as_ref().map(ToString::to_string).unwrap_or_default(),
            title: n.title.to_string(),
            level_name: node.level_name.clone(),
            owner: n
                .owner_id
                .and_then(|p| people.get(&p).cloned())
                .unwrap_or_default(),
            department: n
                .department_id
                .and_then(|d| departments.get(&d).cloned())
                .unwrap_or_default(),
            horizon: n.horizon.map(|h| h.to_string()).unwrap_or_default(),
            due: n
                .schedule(parts.plan.period)
                .due
                .map(|d| d.to_string())
                .unwrap_or_default(),
            status: statuses.get(&n.id).map_or("", |s| s.status.as_str()),
            overridden: statuses
                .get(&n.id)
                .is_some_and(|s| s.status_override.is_some()),
            progress: statuses
                .get(&n.id)
                .and_then(|s| s.computed.progress)
                .map(|p| format!("{}%", p.round()))
                .unwrap_or_default(),
            tags: node.tags.iter().map(ToString::to_string).collect(),
            supports: supports.remove(&n.id).unwrap_or_default().join(", "),
        });
    };
    fn walk(
        nodes: &[TreeNode],
        depth: usize,
        rows: &mut Vec<Row>,
        visit: &mut impl FnMut(&TreeNode, usize, &mut Vec<Row>),
    ) {
        for n in nodes {
            visit(n, depth, rows);
            walk(&n.children, depth + 1, rows, visit);
        }
    }
    walk(&tree.nodes, 0, &mut rows, &mut visit);
    let plan = tree.plan;
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
                (
                    p.name.to_string(),
                    p.text.map(|t| t.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        tags: parts
            .tags
            .into_iter()
            .map(|t| (t.key.to_string(), t.name.to_string()))
            .collect(),
        rows,
    })
}
