//! The public transparency portal: published plans, read-only, for anyone
//! without signing in (docs/open-data.md).
//!
//! Handlers here reach the data only through [`Portal`], which offers nothing
//! but `App::public_plans`, `App::public_plan` and `App::public_report_card`,
//! drawn from the one place that decides
//! what is public. Unknown, unpublished and withheld things all answer the
//! same 404, drawn in the public frame.

mod report;
mod stratml;
mod views;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use lodestar_domain::NodeId;
use lodestar_services::publication::{PublicPlan, PublicPlanSummary};
use lodestar_services::{App, ServiceError};
use views::{NodePage, PlanPage};

/// The public portal's only door to the data: published content, nothing else.
pub(crate) struct Portal(App);

impl FromRequestParts<App> for Portal {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Ok(Self(app.clone()))
    }
}

impl Portal {
    /// Every published plan.
    async fn plans(&self) -> Result<Vec<PublicPlanSummary>, PublicError> {
        Ok(self.0.public_plans().await?)
    }

    /// The published content of one plan.
    async fn plan(&self, key: &str) -> Result<PublicPlan, PublicError> {
        Ok(self.0.public_plan(key).await?)
    }
}

/// A public page that could not be shown: 404 for anything not public, in
/// the same words whatever the reason.
#[derive(Debug)]
pub(crate) enum PublicError {
    /// Unknown, unpublished or withheld.
    NotFound,
    /// A query that asks for something impossible (a year outside the plan), in words.
    BadRequest(String),
    /// Our fault; logged.
    Internal,
}

impl From<ServiceError> for PublicError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::NotFound { .. } => Self::NotFound,
            other => {
                tracing::error!(error = %other, "public page failed");
                Self::Internal
            }
        }
    }
}

impl From<askama::Error> for PublicError {
    fn from(err: askama::Error) -> Self {
        tracing::error!(error = %err, "public template failed");
        Self::Internal
    }
}

#[derive(Template)]
#[template(path = "public/error.html")]
struct ErrorPage {
    heading: &'static str,
    message: String,
}

impl IntoResponse for PublicError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no published page at this address.".to_owned(),
            ),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, "Cannot show this", message),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Error",
                "Something went wrong on our side; it has been logged.".to_owned(),
            ),
        };
        let page = ErrorPage { heading, message };
        let body = page.render().unwrap_or_else(|_| page.message.clone());
        (status, Html(body)).into_response()
    }
}

/// The list of published plans.
#[derive(Template)]
#[template(path = "public/index.html")]
struct IndexPage {
    plans: Vec<PublicPlanSummary>,
}

/// `/public`: the published plans.
async fn index(portal: Portal) -> Result<Html<String>, PublicError> {
    let page = IndexPage {
        plans: portal.plans().await?,
    };
    Ok(Html(page.render()?))
}

/// `/public/plans/{key}`: a published plan's dashboard.
async fn plan(portal: Portal, Path(key): Path<String>) -> Result<Html<String>, PublicError> {
    let plan = portal.plan(&key).await?;
    Ok(Html(PlanPage::new(&plan).render()?))
}

/// `/public/plans/{key}/nodes/{node}`: a published goal, objective or initiative.
async fn node(
    portal: Portal,
    Path((key, node)): Path<(String, String)>,
) -> Result<Html<String>, PublicError> {
    let id = node.parse::<i64>().map_err(|_| PublicError::NotFound)?;
    let plan = portal.plan(&key).await?;
    let page = NodePage::new(&plan, NodeId(id)).ok_or(PublicError::NotFound)?;
    Ok(Html(page.render()?))
}

/// The public pages' routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/public", get(index))
        .route("/public/plans/{key}", get(plan))
        .route("/public/plans/{key}/nodes/{node}", get(node))
        .route("/public/plans/{key}/plan.stratml.xml", get(stratml::plan))
        .route("/public/plans/{key}/report", get(report::page))
        .route("/public/plans/{key}/report.md", get(report::markdown))
        .route("/public/plans/{key}/report.csv", get(report::csv))
        .route("/public/plans/{key}/report.pdf", get(report::pdf))
}
