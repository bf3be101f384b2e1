//! Proposals: intake (create, edit, submit), exceptions to the tie rule,
//! scoring, and passing stage gates.
//!
//! Writes go through the services layer, which checks the role each step
//! needs beyond what the route's need admits: the author or a plan editor
//! to edit and submit, the configuration's roles to grant an exception or
//! pass a gate (a 403 that names the roles allowed).

use crate::api::Tagged;
use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch, OptionalJson};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Extension, Json};
use lodestar_domain::ProposalId;
use lodestar_domain::portfolio::{Proposal, ProposalDraft, ReviewerScore, ScoreSummary};
use lodestar_services::portfolio::{GateOutcome, ProposalDetail, ScoreEntry};
use lodestar_services::{App, Versioned};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which proposals to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProposalQuery {
    /// Only this organization's.
    pub organization_id: Option<i64>,
    /// Only those in this stage (`draft`, `submitted`, `approved`…).
    pub stage: Option<String>,
}

/// Proposals, oldest first.
#[utoipa::path(get, path = "/api/v1/proposals", tag = "portfolio", params(ProposalQuery),
    responses((status = 200, description = "The proposals, oldest first", body = Vec<Proposal>),
              (status = 400, description = "Malformed query", body = ErrorBody),
              (status = 404, description = "No such organization", body = ErrorBody)))]
pub async fn list(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<ProposalQuery>,
) -> ApiResult<Json<Vec<Proposal>>> {
    let organization = match q.organization_id {
        Some(id) => Some(super::organization(&app, id).await?),
        None => None,
    };
    let stage = q.stage.as_deref().map(str::trim);
    Ok(Json(
        app.list_proposals(organization)
            .await?
            .into_iter()
            .map(|v| v.value)
            .filter(|p| stage.is_none_or(|s| p.stage.as_str() == s))
            .collect(),
    ))
}

/// A proposal with its ties, costs, effort, links and exception, every
/// reviewer's scores, the weighted score, its transitions and the gates open
/// to it; its version as ETag.
#[utoipa::path(get, path = "/api/v1/proposals/{id}", tag = "portfolio",
    params(("id" = i64, Path, description = "The proposal's id")),
    responses((status = 200, description = "The proposal", body = ProposalDetail,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody)))]
pub async fn show(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Tagged<ProposalDetail>> {
    let detail = app.proposal_detail(ProposalId(id)).await?;
    let version = detail.version;
    Ok(Tagged(Versioned {
        value: detail,
        version,
    }))
}

/// Creates a draft proposal on behalf of the caller, who becomes its author.
/// A draft may lack ties; submitting it needs one, or an exception.
#[utoipa::path(post, path = "/api/v1/proposals", tag = "portfolio", request_body = ProposalDraft,
    responses((status = 201, description = "The new draft", body = Proposal,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule, or names a record that does not exist or is not an objective of an active plan", body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiJson(draft): ApiJson<ProposalDraft>,
) -> ApiResult<(StatusCode, Tagged<Proposal>)> {
    let created = app.create_proposal(&caller.user, &draft).await?;
    Ok((StatusCode::CREATED, Tagged(created)))
}

/// Replaces a draft's fields, if it is still at the version If-Match names.
/// Its author, plan editors and administrators may; a submitted proposal is
/// no longer edited.
#[utoipa::path(put, path = "/api/v1/proposals/{id}", tag = "portfolio", request_body = ProposalDraft,
    params(("id" = i64, Path, description = "The proposal's id"),
           ("If-Match" = String, Header, description = "The version the change is based on, like \"3\"")),
    responses((status = 200, description = "The proposal as stored", body = Proposal,
                  headers(("ETag" = String, description = "Its new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Already submitted (`conflict`), or changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "A field breaks a rule", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    ApiJson(draft): ApiJson<ProposalDraft>,
) -> ApiResult<Tagged<Proposal>> {
    let updated = app
        .update_proposal(&caller.user, ProposalId(id), expected, &draft)
        .await?;
    Ok(Tagged(updated))
}

/// What may accompany a submission.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Recorded as the transition's reason ("submitted for review" when left out).
    #[serde(default)]
    pub note: Option<String>,
}

/// Submits a draft: it enters the configuration's entry stage. Refused with
/// 422 on the field `objectives` unless it is tied to an objective of an
/// active plan or carries an exception.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/submit", tag = "portfolio", request_body(content = Option<Submission>, description = "An optional note"),
    params(("id" = i64, Path, description = "The proposal's id"),
           ("If-Match" = String, Header, description = "The version the submission is based on, like \"3\"")),
    responses((status = 200, description = "The proposal as submitted, and the move recorded", body = GateOutcome,
                  headers(("ETag" = String, description = "Its new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Already submitted (`conflict`), or changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "No tie and no exception (`objectives`), or a tie that is no longer valid", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn submit(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    OptionalJson(body): OptionalJson<Submission>,
) -> ApiResult<Tagged<GateOutcome>> {
    let note = body.unwrap_or_default().note;
    let outcome = app
        .submit_proposal(&caller.user, ProposalId(id), expected, note.as_deref())
        .await?;
    Ok(outcome_tagged(outcome))
}

/// An exception to the tie rule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRequest {
    /// Why the proposal may proceed without a tie to an objective.
    pub reason: String,
}

/// Grants a proposal an exception to the tie rule, with a reason, recorded
/// with the caller as approver. Only the roles the organization's
/// configuration names (by default administrators) may; others get a 403
/// naming them.
#[utoipa::path(put, path = "/api/v1/proposals/{id}/exception", tag = "portfolio", request_body = ExceptionRequest,
    params(("id" = i64, Path, description = "The proposal's id"),
           ("If-Match" = String, Header, description = "The version the exception is based on, like \"3\"")),
    responses((status = 200, description = "The proposal with its exception", body = Proposal,
                  headers(("ETag" = String, description = "Its new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "No reason", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn grant_exception(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    ApiJson(body): ApiJson<ExceptionRequest>,
) -> ApiResult<Tagged<Proposal>> {
    let granted = app
        .grant_exception(&caller.user, ProposalId(id), expected, &body.reason)
        .await?;
    Ok(Tagged(granted))
}

/// One criterion's score.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionInput {
    /// The criterion's key (`strategic-alignment`).
    pub criterion: String,
    /// 1 to 5, 5 best.
    pub score: u8,
    /// Why.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The caller's scores of some of a proposal's criteria.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreSheet {
    /// One entry per criterion scored; each replaces the caller's earlier score of it.
    pub scores: Vec<CriterionInput>,
}

/// Every reviewer's scores of a proposal and its weighted score.
#[derive(Debug, Serialize, ToSchema)]
pub struct Scores {
    /// Every reviewer's scores.
    pub scores: Vec<ReviewerScore>,
    /// The weighted result (see docs/portfolio.md).
    pub summary: ScoreSummary,
}

/// Records the caller's scores of a submitted proposal, one per criterion
/// (reviewers, plan editors, administrators). The whole sheet is checked
/// before any score is stored.
#[utoipa::path(post, path = "/api/v1/proposals/{id}/scores", tag = "portfolio", request_body = ScoreSheet,
    params(("id" = i64, Path, description = "The proposal's id")),
    responses((status = 200, description = "Every reviewer's scores and the weighted score", body = Scores),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "A draft is not scored", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "An unknown criterion, or a score outside 1–5", body = ErrorBody)))]
pub async fn score(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(sheet): ApiJson<ScoreSheet>,
) -> ApiResult<Json<Scores>> {
    let entries: Vec<ScoreEntry<'_>> = sheet
        .scores
        .iter()
        .map(|s| ScoreEntry {
            criterion: &s.criterion,
            score: s.score,
            comment: s.comment.as_deref(),
        })
        .collect();
    let (scores, summary) = app
        .score_proposal_sheet(&caller.user, ProposalId(id), &entries)
        .await?;
    Ok(Json(Scores { scores, summary }))
}

/// A move through a stage gate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatePassage {
    /// The stage to move to (`reviewed`, `approved`…).
    pub to: String,
    /// Why, recorded with the move.
    pub reason: String,
    /// The texts of the gate's checklist items confirmed; every item must be.
    #[serde(default)]
    pub checklist: Vec<String>,
}

/// Moves a proposal through the gate that leads from its stage to `to`.
/// A caller whose role may not pass that gate gets a 403 naming the roles
/// that may. A first approval creates the initiative under the proposal's
/// first objective (`initiative` in the answer).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/transitions", tag = "portfolio", request_body = GatePassage,
    params(("id" = i64, Path, description = "The proposal's id"),
           ("If-Match" = String, Header, description = "The version the move is based on, like \"3\"")),
    responses((status = 201, description = "The move as recorded, the proposal after it, and the initiative an approval created", body = GateOutcome,
                  headers(("ETag" = String, description = "The proposal's new version"))),
              (status = 400, description = "Malformed id, JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such proposal", body = ErrorBody),
              (status = 409, description = "Changed since the version sent (`version_conflict`)", body = ErrorBody),
              (status = 415, description = "Body is not JSON", body = ErrorBody),
              (status = 422, description = "No gate leads to `to`, no reason, or a checklist item not confirmed", body = ErrorBody),
              (status = 428, description = "No If-Match, or If-Match: *", body = ErrorBody)))]
pub async fn pass_gate(
    State(app): State<App>,
    Extension(Caller(caller)): Extension<Caller>,
    ApiPath(id): ApiPath<i64>,
    IfMatch(expected): IfMatch,
    ApiJson(body): ApiJson<GatePassage>,
) -> ApiResult<(StatusCode, Tagged<GateOutcome>)> {
    let outcome = app
        .pass_gate(
            &caller.user,
            ProposalId(id),
            expected,
            body.to.trim(),
            &body.reason,
            &body.checklist,
        )
        .await?;
    Ok((StatusCode::CREATED, outcome_tagged(outcome)))
}

fn outcome_tagged(outcome: GateOutcome) -> Tagged<GateOutcome> {
    let version = outcome.version;
    Tagged(Versioned {
        value: outcome,
        version,
    })
}

/// The routes of this module.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route("/api/v1/proposals", get(list).post(create))
        .route("/api/v1/proposals/{id}", get(show).put(update))
        .route("/api/v1/proposals/{id}/submit", post(submit))
        .route("/api/v1/proposals/{id}/exception", put(grant_exception))
        .route("/api/v1/proposals/{id}/scores", post(score))
        .route("/api/v1/proposals/{id}/transitions", post(pass_gate))
}
