//! The one place where failures become HTTP responses.
//!
//! Every error is JSON of the form `{"error": {"code", "message", "field"}}`
//! with the status that says whose fault it is. Internal errors are logged
//! with their cause and answered with a generic message.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lodestar_domain::ValidationError;
use lodestar_services::ServiceError;
use lodestar_services::imports::ImportError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code: `not_found`, `conflict`,
    /// `version_conflict`, `precondition_required`, `invalid`,
    /// `invalid_document`, `unreadable_document`, `bad_request`,
    /// `payload_too_large`, `unsupported_media_type`, `internal`.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The input field at fault, when one is (`period.end_year`, `nodes[2].code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every problem, when a document had several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// The version the record is at now, with `version_conflict` (unless it
    /// was removed) and `precondition_required`: re-read it, reapply the
    /// change, and send this version in `If-Match`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

/// One of several problems in a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Where in the document.
    pub field: String,
    /// What is wrong there.
    pub message: String,
}

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    /// Boxed, so that the `Result`s every handler returns stay small.
    detail: Box<ErrorDetail>,
    /// Seconds for a `Retry-After` header (throttled sign-ins).
    retry_after: Option<u64>,
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            retry_after: None,
            detail: Box::new(ErrorDetail {
                code,
                message: message.into(),
                field: None,
                problems: Vec::new(),
                current_version: None,
            }),
        }
    }

    /// Blames `field`.
    pub fn on(mut self, field: impl Into<String>) -> Self {
        self.detail.field = Some(field.into());
        self
    }

    /// A malformed request (bad syntax, wrong path or query parameter).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// A write that must name the version it replaces (`If-Match`) and did not.
    pub fn precondition_required(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            message,
        )
    }

    /// Well-formed input that breaks a rule.
    pub fn invalid(e: ValidationError) -> Self {
        let field = (!e.field.is_empty()).then_some(e.field);
        let mut err = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.message);
        err.detail.field = field;
        err
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::NotFound { .. } => {
                Self::new(StatusCode::NOT_FOUND, "not_found", err.to_string())
            }
            ServiceError::Conflict { field, message } => {
                let mut e = Self::new(StatusCode::CONFLICT, "conflict", message);
                e.detail.field = field;
                e
            }
            ServiceError::Stale { current, .. } => {
                let mut e = Self::new(StatusCode::CONFLICT, "version_conflict", err.to_string());
                e.detail.current_version = current;
                e
            }
            ServiceError::VersionRequired {
                entity,
                ref id,
                current,
            } => {
                let mut e = Self::precondition_required(format!(
                    "{entity} {id} exists, at version {current}; to replace it, send the version you based \
                     the change on as If-Match: \"{current}\" (read it first to see what you would replace)"
                ));
                e.detail.current_version = Some(current);
                e
            }
            ServiceError::Invalid(e) => Self::invalid(e),
            ServiceError::InvalidDocument {
                source_name,
                errors,
            } => {
                let first = errors
                    .first()
                    .cloned()
                    .unwrap_or_else(|| ValidationError::new("", "invalid document"));
                let mut e = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_document",
                    format!(
                        "{source_name}: {} problem(s); first: {}",
                        errors.len(),
                        first.message
                    ),
                );
                e.detail.field = (!first.field.is_empty()).then_some(first.field);
                e.detail.problems = errors
                    .into_iter()
                    .map(|p| Problem {
                        field: p.field,
                        message: p.message,
                    })
                    .collect();
                e
            }
            ServiceError::Syntax { .. } => Self::bad_request(err.to_string()),
            ServiceError::Unreadable { ref reason, .. } => match reason {
                ImportError::Empty => Self::bad_request(err.to_string()),
                ImportError::TooLarge { .. } => Self::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    err.to_string(),
                ),
                _ => Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unreadable_document",
                    err.to_string(),
                ),
            },
            ServiceError::TooLarge { .. } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                err.to_string(),
            ),
            ServiceError::Unauthenticated(message) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
            }
            ServiceError::Forbidden(message) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            ServiceError::Throttled {
                message,
                retry_after_seconds,
            } => {
                let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, "throttled", message);
                e.retry_after = Some(retry_after_seconds);
                e
            }
            ServiceError::Internal(cause) => {
                tracing::error!(error = %cause, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; it has been logged",
                )
            }
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        if rejection.status() == StatusCode::NOT_FOUND {
            return Self::new(StatusCode::NOT_FOUND, "not_found", rejection.body_text());
        }
        Self::bad_request(format!("invalid path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::bad_request(format!("invalid query string: {}", rejection.body_text()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: *self.detail,
            }),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"lodestar\""),
            );
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
