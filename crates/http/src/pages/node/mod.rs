//! `/nodes/{id}`: one goal, objective or initiative in full: where it sits,
//! its status and why, its facts, milestones, check-ins, measures with their
//! trends, evidence, alignment links and children, with the controls the
//! viewer may use.

mod measures;
mod views;

use super::error::render;
use super::{Badge, Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use lodestar_domain::{Direction, NodeId};
use lodestar_services::authz::Need;
use lodestar_services::{App, ServiceError};
use measures::MeasureView;
use serde::Deserialize;
use std::collections::HashMap;
use views::{AlignView, CheckInView, ChildRow, Crumb, EvidenceView, Fact, MilestoneRow, Names};

#[derive(Template)]
#[template(path = "node.html")]
struct NodePage {
    chrome: Chrome,
    id: i64,
    code: String,
    title: String,
    level_name: String,
    crumbs: Vec<Crumb>,
    notice: Option<&'static str>,
    badge: Badge,
    /// The override's reason and who set it when, if the owner set the status.
    override_note: Option<String>,
    /// What the roll-up computed, shown when an override hides it.
    computed: Badge,
    progress: Option<u8>,
    description: Option<String>,
    facts: Vec<Fact>,
    milestones: Vec<MilestoneRow>,
    checkins: Vec<CheckInView>,
    measures: Vec<MeasureView>,
    evidence: Vec<EvidenceView>,
    supports: Vec<AlignView>,
    supported_by: Vec<AlignView>,
    children: Vec<ChildRow>,
    may_report: bool,
    may_edit: bool,
    may_record: bool,
}

/// What the query of a node page may say: which form just saved.
#[derive(Debug, Deserialize)]
struct PageQuery {
    saved: Option<String>,
}

/// The node page's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/nodes/{id}", get(show))
}

/// The notice for `saved`, the form the viewer came back from.
fn notice(saved: Option<&str>) -> Option<&'static str> {
    match saved? {
        "checkin" => Some("Your check-in was saved."),
        "observation" => Some("The value was recorded."),
        "node" => Some("Your changes were saved."),
        "measure" => Some("The measure was added."),
        _ => None,
    }
}

/// A node's page, from the plan's status report and a few reads of this node.
async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    let id = NodeId(
        id.parse()
            .map_err(|_| PageError::not_found(format!("there is no node {id:?}")))?,
    );
    let store = app.store();
    let node = store.get_node(id).await.map_err(ServiceError::from)?;
    let report = app.plan_status(node.plan_id).await?;
    let org = Some(report.plan.organization_id);
    let (people, departments, milestones, tags, checkins, evidence, ends) = tokio::try_join!(
        store.list_people(org),
        store.list_departments(org),
        store.milestones(id),
        store.node_tags(id),
        store.checkins(id),
        store.evidence_for(id),
        store.node_alignment_ends(id),
    )
    .map_err(ServiceError::from)?;
    let (may_report, may_edit, may_record) = tokio::join!(
        viewer.may(&app, Need::Report(id)),
        viewer.may(&app, Need::Beneath(id)),
        viewer.may(&app, Need::Measures(id)),
    );
    let names = Names {
        people: people
            .into_iter()
            .map(|p| (p.id, p.name.to_string()))
            .collect(),
        departments: departments
            .into_iter()
            .map(|d| (d.id, d.name.to_string()))
            .collect(),
    };
    let by_id: HashMap<_, _> = report.nodes.iter().map(|r| (r.node.id, r)).collect();
    let this = by_id
        .get(&id)
        .ok_or_else(|| PageError::not_found(format!("there is no node {id}")))?;
    let mut crumbs = Vec::new();
    let mut up = node.parent_id;
    while let Some(parent) = up.and_then(|p| by_id.get(&p)) {
        crumbs.push(Crumb::node(&parent.node));
        up = parent.node.parent_id;
    }
    crumbs.push(Crumb {
        href: format!("/plans/{}", report.plan.id),
        label: report.plan.title.to_string(),
    });
    crumbs.reverse();
    let mut measures = Vec::new();
    for m in report.measures.iter().filter(|m| m.measure.node_id == id) {
        let series = app.measure_series(m.measure.id).await?;
        measures.push(MeasureView::new(&m.measure, &m.status, &series));
    }
    measures.sort_by_key(|m| m.position);
    let status = &this.status;
    let (supports, supported_by) = ends
        .iter()
        .partition::<Vec<_>, _>(|e| e.direction == Direction::Supports);
    let plan_id = report.plan.id;
    render(&NodePage {
        chrome: Chrome::new(&viewer).in_plan(
            plan_id.0,
            report.plan.title.to_string(),
            Section::Inside,
        ),
        id: id.0,
        code: node
            .code
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        title: node.title.to_string(),
        level_name: this.level_name.clone(),
        crumbs,
        notice: notice(query.saved.as_deref()),
        badge: Badge::status(status.status),
        override_note: status
            .status_override
            .as_ref()
            .map(|o| views::override_note(o, &names)),
        computed: Badge::status(status.computed.status),
        progress: views::percent(status.computed.progress),
        description: node.description.as_ref().map(ToString::to_string),
        facts: views::facts(this, &names, &tags, status.last_checkin),
        milestones: milestones
            .iter()
            .map(|m| MilestoneRow::new(m, report.as_of))
            .collect(),
        checkins: checkins
            .iter()
            .map(|c| CheckInView::new(c, &names))
            .collect(),
        measures,
        evidence: evidence.iter().map(EvidenceView::new).collect(),
        supports: supports
            .into_iter()
            .map(|e| AlignView::new(e, plan_id))
            .collect(),
        supported_by: supported_by
            .into_iter()
            .map(|e| AlignView::new(e, plan_id))
            .collect(),
        children: report
            .nodes
            .iter()
            .filter(|r| r.node.parent_id == Some(id))
            .map(|r| ChildRow::new(r, &names))
            .collect(),
        may_report,
        may_edit,
        may_record,
    })
}
