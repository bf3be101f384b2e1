//! `/api/v1/alignments`: links from a node to the node of another plan it supports.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use lodestar_domain::{Alignment, AlignmentDraft, AlignmentId, NodeId};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use utoipa::IntoParams;

super::item_handlers! {
    tag: "alignments", what: "alignment link",
    collection: "/api/v1/alignments", item: "/api/v1/alignments/{id}",
    entity: Alignment, draft: AlignmentDraft, id: AlignmentId,
    create: create_alignment, update: update_alignment, delete: delete_alignment,
}

/// Narrows a list of links to those touching one node.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AlignmentQuery {
    /// Only links from or to this node.
    pub node_id: Option<i64>,
}

/// Lists alignment links.
#[utoipa::path(get, path = "/api/v1/alignments", tag = "alignments", params(AlignmentQuery),
    responses((status = 200, description = "The links", body = Vec<Alignment>),
              (status = 400, description = "Malformed query", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<AlignmentQuery>,
) -> ApiResult<Json<Vec<Alignment>>> {
    Ok(Json(
        app.store()
            .list_alignments(q.node_id.map(NodeId))
            .await
            .map_err(ServiceError::from)?,
    ))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
}
