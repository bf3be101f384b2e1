//! `/`: every plan.

use super::error::render;
use super::{Chrome, PageError, Viewer};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use lodestar_services::{App, ServiceError};
use std::collections::HashMap;

struct PlanRow {
    id: i64,
    title: String,
    organization: String,
    start_year: i32,
    end_year: i32,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    chrome: Chrome,
    plans: Vec<PlanRow>,
}

/// The list of plans.
pub(crate) async fn index(
    State(app): State<App>,
    viewer: Viewer,
) -> Result<Html<String>, PageError> {
    let store = app.store();
    let plans = store.list_plans().await.map_err(ServiceError::from)?;
    let orgs: HashMap<_, _> = store
        .list_organizations()
        .await
        .map_err(ServiceError::from)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let plans = plans
        .into_iter()
        .map(|p| PlanRow {
            id: p.id.0,
            organization: orgs
                .get(&p.organization_id)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            title: p.title.to_string(),
            start_year: p.period.start_year,
            end_year: p.period.end_year,
            status: p.status.as_str(),
        })
        .collect();
    render(&IndexPage {
        chrome: Chrome::new(&viewer),
        plans,
    })
}
