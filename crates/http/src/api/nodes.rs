//! `/api/v1/nodes`: goals, objectives, initiatives and any other level of a plan.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use lodestar_domain::{AlignmentEnd, Node, NodeDraft, NodeId, PlanId, Tag, TagId};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use utoipa::IntoParams;

super::item_handlers! {
    tag: "nodes", what: "node",
    collection: "/api/v1/nodes", item: "/api/v1/nodes/{id}",
    entity: Node, draft: NodeDraft, id: NodeId,
    create: create_node, update: update_node, delete: delete_node,
}

/// Which plan's nodes to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ByPlan {
    /// The plan.
    pub plan_id: i64,
}

/// Lists a plan's nodes, flat, parents before children and siblings in order
/// (for the nested tree, see `/api/v1/plans/{id}/tree`).
#[utoipa::path(get, path = "/api/v1/nodes", tag = "nodes", params(ByPlan),
    responses((status = 200, description = "The plan's nodes", body = Vec<Node>),
              (status = 400, description = "Missing or malformed plan_id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ByPlan>,
) -> ApiResult<Json<Vec<Node>>> {
    let tree = app
        .store()
        .plan_tree(PlanId(q.plan_id))
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(
        tree.walk().into_iter().map(|t| t.node.clone()).collect(),
    ))
}

/// A node's alignment links in both directions: what it supports and what supports it.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/alignments", tag = "nodes",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "The links, seen from this node", body = Vec<AlignmentEnd>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn alignments(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AlignmentEnd>>> {
    let store = app.store();
    store
        .get_node(NodeId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(
        store
            .node_alignment_ends(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// The cross-cutting tags on a node.
#[utoipa::path(get, path = "/api/v1/nodes/{id}/tags", tag = "nodes",
    params(("id" = i64, Path, description = "The node's id")),
    responses((status = 200, description = "Its tags", body = Vec<Tag>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node", body = ErrorBody)))]
pub async fn tags(State(app): State<App>, ApiPath(id): ApiPath<i64>) -> ApiResult<Json<Vec<Tag>>> {
    let store = app.store();
    store
        .get_node(NodeId(id))
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(
        store
            .node_tags(NodeId(id))
            .await
            .map_err(ServiceError::from)?,
    ))
}

/// Attaches a tag of the node's plan to the node; attaching twice changes nothing.
#[utoipa::path(put, path = "/api/v1/nodes/{id}/tags/{tag_id}", tag = "nodes",
    params(("id" = i64, Path, description = "The node's id"), ("tag_id" = i64, Path, description = "The tag's id")),
    responses((status = 204, description = "Attached"),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such node or tag", body = ErrorBody),
              (status = 422, description = "The tag is of another plan", body = ErrorBody)))]
pub async fn attach_tag(
    State(app): State<App>,
    ApiPath((id, tag)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    app.attach_tag(NodeId(id), TagId(tag)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Detaches a tag from a node.
#[utoipa::path(delete, path = "/api/v1/nodes/{id}/tags/{tag_id}", tag = "nodes",
    params(("id" = i64, Path, description = "The node's id"), ("tag_id" = i64, Path, description = "The tag's id")),
    responses((status = 204, description = "Detached"),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "The tag is not on the node", body = ErrorBody)))]
pub async fn detach_tag(
    State(app): State<App>,
    ApiPath((id, tag)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    app.store()
        .detach_tag(NodeId(id), TagId(tag))
        .await
        .map_err(ServiceError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/nodes/{id}/alignments", get(alignments))
        .route("/api/v1/nodes/{id}/tags", get(tags))
        .route(
            "/api/v1/nodes/{id}/tags/{tag_id}",
            put(attach_tag).delete(detach_tag),
        )
}
