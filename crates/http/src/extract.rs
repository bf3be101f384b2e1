//! Request extractors whose failures are the API's own JSON errors, naming
//! the field at fault.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// A path parameter; a malformed one is a 400 in the API's error format.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A query string; a malformed one is a 400 in the API's error format.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A JSON body. Malformed JSON is a 400; JSON of the wrong shape or with an
/// invalid value is a 422 naming the field (`period.end_year`); a body over
/// the size limit is a 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        require_json(&req)?;
        let bytes = body_bytes(req, crate::MAX_BODY_BYTES).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// An optional JSON body: none when the body is empty, otherwise read as
/// [`ApiJson`] reads it.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let has_type = req.headers().contains_key(header::CONTENT_TYPE);
        if has_type {
            require_json(&req)?;
        }
        let bytes = body_bytes(req, crate::MAX_BODY_BYTES).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        if !has_type {
            return Err(not_json());
        }
        parse_json(&bytes).map(|value| Self(Some(value)))
    }
}

/// The version a change is based on, from `If-Match: "N"` (the `ETag` that
/// reading the record gave). Required: a change without it could silently undo
/// someone else's, so a missing header, or `*`, is a 428.
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match if_match(parts)? {
            Some(version) => Ok(Self(version)),
            None => Err(ApiError::precondition_required(
                "send the version your change is based on as If-Match: \"N\", where N is the ETag \
                 that reading the record gave; without it your change could undo someone else's",
            )),
        }
    }
}

/// `If-Match` where it may be left out (a delete, setting a status override
/// where there is none): checked when given. `*` is refused all the same.
pub struct OptionalIfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for OptionalIfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        if_match(parts).map(Self)
    }
}

/// Reads `If-Match`: none, or the one version its entity tag names. A weak tag
/// (`W/"3"`, as a compressing proxy may turn ours into) names the same version.
fn if_match(parts: &Parts) -> Result<Option<i64>, ApiError> {
    let mut values = parts.headers.get_all(header::IF_MATCH).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let malformed = || {
        ApiError::bad_request(
            "If-Match must hold one entity tag as this API sends it in ETag, like If-Match: \"3\"",
        )
    };
    if values.next().is_some() {
        return Err(malformed());
    }
    let text = value.to_str().map_err(|_| malformed())?.trim();
    if text == "*" {
        return Err(ApiError::precondition_required(
            "If-Match: * would overwrite whatever is stored; send the version your change is based on, \
             If-Match: \"N\" with N from the ETag that reading the record gave",
        ));
    }
    let tag = text.strip_prefix("W/").unwrap_or(text);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
        .map(Some)
        .ok_or_else(malformed)
}

fn require_json(req: &Request) -> Result<(), ApiError> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if is_json { Ok(()) } else { Err(not_json()) }
}

fn not_json() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "the body must be JSON, sent with Content-Type: application/json",
    )
}

/// Reads a whole body of at most `limit` bytes (the route's limit), answering
/// 413 when it is larger.
pub async fn body_bytes(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, &()).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the body is larger than {limit} bytes ({} MiB), the most this route accepts",
                    limit / (1024 * 1024)
                ),
            )
        } else {
            ApiError::bad_request(format!(
                "could not read the body: {}",
                rejection.body_text()
            ))
        }
    })
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = match inner.to_string().rfind(" at line ") {
            Some(i) => inner.to_string()[..i].to_owned(),
            None => inner.to_string(),
        };
        let located = format!(
            "{message} (line {}, column {})",
            inner.line(),
            inner.column()
        );
        match inner.classify() {
            serde_json::error::Category::Data => {
                let e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message);
                if path == "." { e } else { e.on(path) }
            }
            _ => ApiError::bad_request(format!("malformed JSON: {located}")),
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lodestar_domain::PlanDraft;

    #[test]
    fn a_bad_value_names_its_field() {
        let body = br#"{"organization_id": 1, "key": "k", "title": "T", "period": {"start_year": 2020, "end_year": 2019}}"#;
        let err = parse_json::<PlanDraft>(body).unwrap_err();
        assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = format!("{err:?}");
        assert!(text.contains("period"), "{text}");
        assert!(text.contains("before it starts"), "{text}");
    }

    fn parts(values: &[&str]) -> Parts {
        let mut req = axum::http::Request::builder();
        for v in values {
            req = req.header(header::IF_MATCH, *v);
        }
        req.body(()).unwrap().into_parts().0
    }

    #[test]
    fn if_match_names_one_version() {
        assert_eq!(if_match(&parts(&[])).unwrap(), None);
        assert_eq!(if_match(&parts(&["\"7\""])).unwrap(), Some(7));
        assert_eq!(if_match(&parts(&["W/\"7\""])).unwrap(), Some(7));
        for bad in ["7", "\"\"", "\"-1\"", "\"7\", \"8\"", "\"x\""] {
            let err = if_match(&parts(&[bad])).unwrap_err();
            assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
        let err = if_match(&parts(&["*"])).unwrap_err();
        assert_eq!(err.status(), StatusCode::PRECONDITION_REQUIRED);
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        let err = parse_json::<PlanDraft>(b"{\"key\": ").unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }
}
