//! `/public/plans/{key}/plan.stratml.xml`: a published plan's published
//! content as StratML (docs/open-data.md, "Exporting to StratML"), Part 2 by
//! default and Part 1 with `?part=1`. Built from [`super::Portal`] only, so
//! it holds nothing the public pages do not show.

use super::{Portal, PublicError};
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lodestar_services::stratml_export::{StratmlPart, write_public};
use serde::Deserialize;

/// The query string: which part of StratML to write.
#[derive(Debug, Deserialize)]
pub(super) struct PartQuery {
    part: Option<String>,
}

/// The published plan as StratML XML.
pub(super) async fn plan(
    portal: Portal,
    Path(key): Path<String>,
    Query(query): Query<PartQuery>,
) -> Result<Response, PublicError> {
    let part = match query.part.as_deref() {
        None | Some("2") => StratmlPart::Part2,
        Some("1") => StratmlPart::Part1,
        Some(_) => {
            return Ok((StatusCode::BAD_REQUEST, "part: must be 1 or 2\n").into_response());
        }
    };
    let plan = portal.plan(&key).await?;
    let xml = write_public(&plan, part).map_err(|e| match e {
        // A published plan with every goal withheld has nothing to export.
        lodestar_services::ServiceError::Invalid(_) => PublicError::NotFound,
        other => PublicError::from(other),
    })?;
    // The key is a plan key (lowercase letters, digits, hyphens), safe in a header.
    let disposition = HeaderValue::from_str(&format!(
        "inline; filename=\"{}.stratml.xml\"",
        plan.key.as_str()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("inline"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        xml,
    )
        .into_response())
}
