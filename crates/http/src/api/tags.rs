//! `/api/v1/tags`: cross-cutting tags of a plan.

use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use lodestar_domain::{PlanId, Tag, TagDraft, TagId};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use utoipa::IntoParams;

super::item_handlers! {
    tag: "tags", what: "tag",
    collection: "/api/v1/tags", item: "/api/v1/tags/{id}",
    entity: Tag, draft: TagDraft, id: TagId,
    create: create_tag, update: update_tag, delete: delete_tag,
}

/// Narrows a list of tags to one plan.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TagQuery {
    /// Only the tags of this plan.
    pub plan_id: Option<i64>,
}

/// Lists tags, by key.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tags", params(TagQuery),
    responses((status = 200, description = "The tags", body = Vec<Tag>),
              (status = 400, description = "Malformed query", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<TagQuery>,
) -> ApiResult<Json<Vec<Tag>>> {
    Ok(Json(
        app.store()
            .list_tags(q.plan_id.map(PlanId))
            .await
            .map_err(ServiceError::from)?,
    ))
}

fn extra_routes() -> axum::Router<App> {
    axum::Router::new()
}
