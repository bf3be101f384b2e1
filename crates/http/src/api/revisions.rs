//! `/api/v1/plans/{id}/revisions` and `/diff`: the annual review as a new
//! revision of a plan, and what changed between two revisions (docs/revisions.md).

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use lodestar_domain::PlanId;
use lodestar_domain::document::PlanDocument;
use lodestar_domain::revision_diff::NodeDiff;
use lodestar_services::App;
use lodestar_services::revisions::Revision;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One revision of a plan, without its snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionInfo {
    /// 1 for the plan as first stored, one higher for each revision after.
    pub number: i64,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Who made it.
    pub created_by: String,
    /// Why, in the reviser's words.
    pub note: Option<String>,
    /// How many live nodes the plan had then.
    pub nodes: usize,
}

impl From<&Revision> for RevisionInfo {
    fn from(r: &Revision) -> Self {
        Self {
            number: r.number,
            created_at: r
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            created_by: r.created_by.clone(),
            note: r.note.clone(),
            nodes: r.snapshot.nodes.len(),
        }
    }
}

/// A new revision: the edited plan-as-code document and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRevision {
    /// The whole plan as it should stand (an edited export).
    pub document: PlanDocument,
    /// Why it changed.
    pub note: Option<String>,
}

/// Which two revisions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The earlier revision's number.
    pub from: i64,
    /// The later revision's number.
    pub to: i64,
}

/// What changed between two revisions.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffBody {
    /// The earlier revision.
    pub from: RevisionInfo,
    /// The later revision.
    pub to: RevisionInfo,
    /// Each changed node, in tree order, with its changes.
    pub nodes: Vec<NodeDiff>,
}

/// Lists a plan's revisions, oldest first. Revision 1 is the plan as it stood
/// when its revisions were first asked for.
#[utoipa::path(get, path = "/api/v1/plans/{id}/revisions", tag = "plans",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "Its revisions", body = Vec<RevisionInfo>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RevisionInfo>>> {
    let revisions = app.revisions(PlanId(id)).await?;
    Ok(Json(revisions.iter().map(RevisionInfo::from).collect()))
}

/// Revises a plan: nodes matched by code are re-worded and moved, new ones
/// added, and those the document leaves out retired with their history kept.
/// All or nothing.
#[utoipa::path(post, path = "/api/v1/plans/{id}/revisions", tag = "plans", request_body = NewRevision,
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 201, description = "The new revision", body = RevisionInfo),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "The document breaks rules; every problem is listed", body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewRevision>,
) -> ApiResult<(StatusCode, Json<RevisionInfo>)> {
    let revision = app
        .revise_plan(PlanId(id), "document", &body.document, body.note.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(RevisionInfo::from(&revision))))
}

/// What changed between two revisions of a plan, node by node in tree order.
#[utoipa::path(get, path = "/api/v1/plans/{id}/diff", tag = "plans",
    params(("id" = i64, Path, description = "The plan's id"), DiffQuery),
    responses((status = 200, description = "The changes", body = DiffBody),
              (status = 400, description = "Malformed id or revision numbers", body = ErrorBody),
              (status = 404, description = "No such plan or revision", body = ErrorBody)))]
pub async fn diff(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> ApiResult<Json<DiffBody>> {
    let d = app.diff_revisions(PlanId(id), q.from, q.to).await?;
    Ok(Json(DiffBody {
        from: RevisionInfo::from(&d.from),
        to: RevisionInfo::from(&d.to),
        nodes: d.nodes,
    }))
}

/// The routes of plan revisions.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/plans/{id}/revisions", get(list).post(create))
        .route("/api/v1/plans/{id}/diff", get(diff))
}
