//! `/search?q=`: plans, nodes and measures across every plan, by words.

use super::error::render;
use super::{Chrome, PageError, Viewer};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lodestar_services::App;
use lodestar_services::search::{self, SearchResults};
use serde::Deserialize;

/// The search's routes.
pub(crate) fn routes() -> Router<App> {
    Router::new().route("/search", get(show))
}

/// The query string.
#[derive(Deserialize)]
struct Params {
    #[serde(default)]
    q: String,
}

/// Text cut into pieces, the matching ones highlighted.
type Marked = Vec<(String, bool)>;

/// The hits of one kind, under a heading.
struct Group {
    heading: &'static str,
    hits: Vec<Hit>,
}

struct Hit {
    href: String,
    title: Marked,
    kind: String,
    context: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    asked: bool,
    error: Option<String>,
    groups: Vec<Group>,
    truncated: bool,
    max_hits: usize,
}

impl SearchPage {
    fn total(&self) -> usize {
        self.groups.iter().map(|g| g.hits.len()).sum()
    }
}

async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    let mut chrome = Chrome::new(&viewer);
    chrome.query = params.q.clone();
    let mut page = SearchPage {
        chrome,
        asked: false,
        error: None,
        groups: Vec::new(),
        truncated: false,
        max_hits: search::MAX_HITS,
    };
    let query = match search::Query::parse(&params.q) {
        Ok(Some(query)) => query,
        Ok(None) => return Ok(render(&page)?.into_response()),
        Err(err) => {
            page.error = Some(err.message);
            return Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response());
        }
    };
    page.asked = true;
    let SearchResults {
        plans,
        nodes,
        measures,
        truncated,
    } = app.search(&query).await?;
    page.truncated = truncated;
    let plans = plans
        .into_iter()
        .map(|p| Hit {
            href: format!("/plans/{}", p.id.0),
            title: query.highlight(p.title.as_str()),
            kind: "Plan".into(),
            context: format!("{}–{}", p.period.start_year, p.period.end_year),
        })
        .collect();
    let nodes = nodes
        .into_iter()
        .map(|h| Hit {
            href: format!("/nodes/{}", h.node.id.0),
            title: query.highlight(&match &h.node.code {
                Some(code) => format!("{code} {}", h.node.title),
                None => h.node.title.to_string(),
            }),
            kind: h.level_name,
            context: h.plan_title,
        })
        .collect();
    let measures = measures
        .into_iter()
        .map(|h| Hit {
            href: format!("/nodes/{}#measure-{}", h.measure.node_id.0, h.measure.id.0),
            title: query.highlight(h.measure.name.as_str()),
            kind: "Measure".into(),
            context: format!("{} · {}", h.node_title, h.plan_title),
        })
        .collect();
    page.groups = vec![
        Group {
            heading: "Plans",
            hits: plans,
        },
        Group {
            heading: "Goals, objectives and initiatives",
            hits: nodes,
        },
        Group {
            heading: "Measures",
            hits: measures,
        },
    ];
    Ok(render(&page)?.into_response())
}
