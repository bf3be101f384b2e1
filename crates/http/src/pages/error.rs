//! Failures of page handlers, rendered as an HTML error page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use lodestar_services::ServiceError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    heading: &'a str,
    message: &'a str,
}

/// A page that could not be shown, and why.
#[derive(Debug)]
pub(crate) struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    /// A page refused with this status and reason.
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// The page asked for does not exist.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<ServiceError> for PageError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::NotFound { .. } => Self::not_found(err.to_string()),
            ServiceError::Internal(cause) => {
                tracing::error!(error = %cause, "page failed");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    message: "Something went wrong on our side; it has been logged.".into(),
                }
            }
            other => Self {
                status: StatusCode::BAD_REQUEST,
                message: other.to_string(),
            },
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        tracing::error!(error = %err, "template failed");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "The page could not be drawn; it has been logged.".into(),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let heading = if self.status == StatusCode::NOT_FOUND {
            "Not found"
        } else {
            "Error"
        };
        let page = ErrorPage {
            heading,
            message: &self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        }
    }
}

/// Renders a template as a page.
pub(crate) fn render(template: &impl Template) -> Result<Html<String>, PageError> {
    Ok(Html(template.render()?))
}
