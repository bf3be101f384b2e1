//! `/api/v1/imports`: a plan document of any kind (text, Markdown, PDF, Word,
//! StratML, plan-as-code) read into a draft plan that a person reviews, and
//! may edit, before confirming it; and the warnings kept with an imported plan.

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, OptionalJson, body_bytes};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use lodestar_domain::document::PlanDocument;
use lodestar_domain::{Key, Name, Plan, PlanId, ValidationError};
use lodestar_services::App;
use lodestar_services::imports::{DocumentImport, MAX_INPUT_BYTES, Overrides, Warning};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The name a document gets when the request gives none.
const UNNAMED: &str = "upload";

/// What to read the document as, besides its content.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The document's file name (`plan.md`): it tells text from Markdown and
    /// YAML where the content cannot, and titles a plan whose document has
    /// no title. Default: the Content-Disposition file name, else `upload`.
    pub name: Option<String>,
    /// File the plan under this organization, whatever the document says.
    pub organization: Option<String>,
    /// Give the plan this key instead of one made from its title.
    pub key: Option<String>,
}

/// What to confirm instead of the draft as read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmImport {
    /// The plan document to store instead of the draft's (an edited copy of
    /// it); checked like any plan document.
    pub document: Option<PlanDocument>,
}

/// Reads a plan document, sent as the raw body, into a draft plan with the
/// importer's warnings, and keeps it for review. No plan is written until
/// the import is confirmed. The kind of document is told from its content.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(UploadQuery),
    request_body(content((String = "application/octet-stream")),
        description = "The document: text, Markdown, PDF, Word (.docx), StratML XML, or plan-as-code YAML or JSON. Any content type."),
    responses((status = 201, description = "The draft, kept for review", body = DocumentImport),
              (status = 400, description = "An empty body, or plan-as-code that is not well-formed (with line and column)", body = ErrorBody),
              (status = 413, description = "Larger than 64 MiB", body = ErrorBody),
              (status = 422, description = "A document that cannot be read, a bad key or organization, or plan-as-code that breaks rules", body = ErrorBody)))]
pub async fn upload(
    State(app): State<App>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    req: Request,
) -> ApiResult<(StatusCode, Json<DocumentImport>)> {
    let overrides = Overrides {
        organization: q
            .organization
            .as_deref()
            .map(|o| Name::parse(o).map_err(|m| ValidationError::new("organization", m)))
            .transpose()
            .map_err(ApiError::invalid)?,
        key: q
            .key
            .as_deref()
            .map(|k| Key::parse(k).map_err(|m| ValidationError::new("key", m)))
            .transpose()
            .map_err(ApiError::invalid)?,
    };
    let name = q
        .name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| attachment_name(req.headers()))
        .unwrap_or_else(|| UNNAMED.to_owned());
    let bytes = body_bytes(req, MAX_INPUT_BYTES).await?;
    let import = app.start_import(&name, bytes, &overrides).await?;
    Ok((StatusCode::CREATED, Json(import)))
}

/// Reads one import: its draft, the values it reports and its warnings, and
/// the plan it created once confirmed.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports",
    params(("id" = i64, Path, description = "The import's id")),
    responses((status = 200, description = "The import", body = DocumentImport),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such import", body = ErrorBody)))]
pub async fn show(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DocumentImport>> {
    Ok(Json(app.get_import(id).await?))
}

/// Stores the draft (or the edited document in the body) as a new plan, with
/// the values its document reports, all or nothing. A plan read by the
/// importer is stored as a draft plan; plan-as-code keeps its status.
#[utoipa::path(post, path = "/api/v1/imports/{id}/confirm", tag = "imports",
    params(("id" = i64, Path, description = "The import's id")),
    request_body(content = Option<ConfirmImport>, description = "Optional: an edited document to store instead of the draft"),
    responses((status = 201, description = "The new plan", body = Plan,
                  headers(("ETag" = String, description = "Its version, to send back in If-Match"))),
              (status = 400, description = "Malformed id or JSON", body = ErrorBody),
              (status = 404, description = "No such import", body = ErrorBody),
              (status = 409, description = "Already confirmed (the message names the plan), or a plan with this key exists", body = ErrorBody),
              (status = 413, description = "Body too large", body = ErrorBody),
              (status = 415, description = "A body that is not JSON", body = ErrorBody),
              (status = 422, description = "The document breaks rules; every problem is listed", body = ErrorBody)))]
pub async fn confirm(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(body): OptionalJson<ConfirmImport>,
) -> ApiResult<(StatusCode, super::Tagged<Plan>)> {
    let plan = app
        .confirm_import(id, body.and_then(|b| b.document))
        .await?;
    Ok(super::Tagged::created(plan))
}

/// What the importer was unsure about when it read the document a plan was
/// made from; an empty list for a plan made some other way.
#[utoipa::path(get, path = "/api/v1/plans/{id}/import-warnings", tag = "imports",
    params(("id" = i64, Path, description = "The plan's id")),
    responses((status = 200, description = "The warnings, in document order", body = Vec<Warning>),
              (status = 400, description = "Malformed id", body = ErrorBody),
              (status = 404, description = "No such plan", body = ErrorBody)))]
pub async fn warnings(
    State(app): State<App>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Warning>>> {
    Ok(Json(app.import_warnings(PlanId(id)).await?))
}

/// The file name a Content-Disposition header gives (`filename*=UTF-8''…`
/// before `filename="…"`), without any directory a browser put before it.
fn attachment_name(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_DISPOSITION)?.to_str().ok()?;
    let mut plain = None;
    let mut extended = None;
    for part in value.split(';') {
        let Some((key, raw)) = part.split_once('=') else {
            continue;
        };
        let raw = raw.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "filename" => plain = Some(raw.trim_matches('"').to_owned()),
            "filename*" => {
                extended = raw
                    .split_once("''")
                    .and_then(|(_, encoded)| percent_decode(encoded));
            }
            _ => {}
        }
    }
    let name = extended.or(plain)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    (!base.is_empty()).then(|| base.to_owned())
}

fn percent_decode(encoded: &str) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The routes of this module; an upload may be as large as the importer reads.
pub fn routes() -> axum::Router<App> {
    axum::Router::new()
        .route(
            "/api/v1/imports",
            post(upload).layer(DefaultBodyLimit::max(MAX_INPUT_BYTES)),
        )
        .route("/api/v1/imports/{id}", get(show))
        .route("/api/v1/imports/{id}/confirm", post(confirm))
        .route("/api/v1/plans/{id}/import-warnings", get(warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn named(value: &'static str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(value));
        attachment_name(&headers)
    }

    #[test]
    fn the_file_name_comes_from_content_disposition() {
        assert_eq!(
            named("attachment; filename=\"plan.pdf\"").as_deref(),
            Some("plan.pdf")
        );
        assert_eq!(
            named("inline; filename=plan.md").as_deref(),
            Some("plan.md")
        );
        assert_eq!(
            named("attachment; filename=\"x.txt\"; filename*=UTF-8''Plan%202026.docx").as_deref(),
            Some("Plan 2026.docx")
        );
        assert_eq!(
            named("form-data; name=\"file\"; filename=\"C:\\\\fakepath\\\\plan.txt\"").as_deref(),
            Some("plan.txt")
        );
        assert_eq!(named("attachment"), None);
    }
}
