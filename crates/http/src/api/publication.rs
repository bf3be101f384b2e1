//! Publishing a plan, and withholding or releasing its nodes, for the public
//! portal (docs/open-data.md). What the public then sees is decided in one
//! place, `App::public_plan`.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiPath;
use axum::Json;
use axum::extract::State;
use lodestar_domain::{CalendarDate, NodeId, PlanId};
use lodestar_services::App;
use serde::Serialize;
use utoipa::ToSchema;

/// Whether a plan is public, and which of its nodes are withheld.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanPublication {
    /// The plan.
    pub plan_id: PlanId,
    /// Whether it is published.
    pub published: bool,
    /// The day it was first published, while it is.
    pub published_on: Option<CalendarDate>,
    /// The nodes withheld themselves (their subtrees are hidden too).
    pub withheld_node_ids: Vec<NodeId>,
}

/// Whether a node is withheld from the public.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodePublication {
    /// The node.
    pub node_id: NodeId,
    /// Whether it is withheld (and with it its whole subtree).
    pub withheld: bool,
    /// Whether this call changed anything.
    pub changed: bool,
}

async fn plan_publication(app: &App, plan: PlanId) -> ApiResult<PlanPublication> {
    let (published_on, withheld_node_ids) = app.publication(plan).await?;
    Ok(PlanPublication {
        plan_id: plan,
        published: published_on.is_some(),
        published_on,
        withheld_node_ids,
    })
}

/// Publishes a plan: anyone may then read it under /public, except its
/// withheld nodes. Publishing a published plan changes nothing.
#[utoipa::path(put, path = "/api/v1/plans/{id}/publication", tag = "publication",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan's publication", body = PlanPublication),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn publish_plan(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PlanPublication>> {
    app.publish_plan(PlanId(id)).await?;
    Ok(Json(plan_publication(&app, PlanId(id)).await?))
}

/// Makes a plan private again; its withheld nodes stay withheld for the next
/// publication.
#[utoipa::path(delete, path = "/api/v1/plans/{id}/publication", tag = "publication",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan's publication", body = PlanPublication),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn unpublish_plan(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PlanPublication>> {
    app.unpublish_plan(PlanId(id)).await?;
    Ok(Json(plan_publication(&app, PlanId(id)).await?))
}

/// Releases a withheld node: it is public again when its plan is published
/// and no node above it is withheld.
#[utoipa::path(put, path = "/api/v1/nodes/{id}/publication", tag = "publication",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "The node's publication", body = NodePublication),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn release_node(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<NodePublication>> {
    let changed = app.release_node(NodeId(id)).await?;
    Ok(Json(NodePublication {
        node_id: NodeId(id),
        withheld: false,
        changed,
    }))
}

/// Withholds a node, and with it its whole subtree, its measures, check-ins,
/// milestones and evidence, from the public.
#[utoipa::path(delete, path = "/api/v1/nodes/{id}/publication", tag = "publication",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "The node's publication", body = NodePublication),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn withhold_node(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<NodePublication>> {
    let changed = app.withhold_node(NodeId(id)).await?;
    Ok(Json(NodePublication {
        node_id: NodeId(id),
        withheld: true,
        changed,
    }))
}

/// The publication routes.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route(
            "/api/v1/plans/{id}/publication",
            axum::routing::put(publish_plan).delete(unpublish_plan),
        )
        .route(
            "/api/v1/nodes/{id}/publication",
            axum::routing::put(release_node).delete(withhold_node),
        )
}
