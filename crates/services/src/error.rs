//! What an operation can fail with, classified so each front end can answer
//! precisely: the caller's mistake (and where it is) or ours.

use lodestar_domain::ValidationError;
use lodestar_importer::ImportError;
use lodestar_storage::StorageError;

/// Why an operation did not happen. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What was looked for.
        entity: &'static str,
        /// How it was named.
        id: String,
    },
    /// The change clashes with what is stored (a duplicate key, a record in use).
    #[error("{message}")]
    Conflict {
        /// The input field at fault, if one is.
        field: Option<String>,
        /// What clashes.
        message: String,
    },
    /// One value breaks a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A plan document breaks rules; every problem found is listed.
    #[error("{source_name}: {} problem(s), first: {}", errors.len(), errors.first().map(ToString::to_string).unwrap_or_default())]
    InvalidDocument {
        /// The file (or upload) the document came from.
        source_name: String,
        /// Every problem, each naming its place in the document.
        errors: Vec<ValidationError>,
    },
    /// A document is not well-formed YAML or JSON, or has the wrong shape.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// The file (or upload) the document came from.
        source_name: String,
        /// The line, from 1.
        line: u64,
        /// The column, from 1.
        column: u64,
        /// What was wrong, and what was expected.
        message: String,
    },
    /// A document cannot be imported at all: it is empty, too large, of no
    /// known format, damaged, or holds nothing that looks like a plan.
    #[error("{source_name}: {reason}")]
    Unreadable {
        /// The file (or upload) the document came from.
        source_name: String,
        /// Why the importer could not read it.
        reason: ImportError,
    },
    /// A request body larger than its route accepts.
    #[error("the request body is larger than the {limit} bytes this route accepts")]
    TooLarge {
        /// The most bytes accepted.
        limit: usize,
    },
    /// The caller is not signed in, or their credentials do not hold.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is signed in but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed sign-ins; try again later.
    #[error("{message}")]
    Throttled {
        /// What was refused and until when.
        message: String,
        /// Seconds until a new attempt may succeed.
        retry_after_seconds: u64,
    },
    /// The record changed since the version the caller based the write on
    /// (or was removed, when `current` is `None`); nothing was written.
    #[error("{}", lodestar_storage::stale_message(entity, id, *expected, *current))]
    Stale {
        /// What was written.
        entity: &'static str,
        /// How it was named.
        id: String,
        /// The version the write was based on.
        expected: i64,
        /// The version the record is at now, if it still exists.
        current: Option<i64>,
    },
    /// The write would replace a record without naming the version it replaces.
    #[error("{entity} {id} exists at version {current}; name the version to replace")]
    VersionRequired {
        /// What was written.
        entity: &'static str,
        /// How it was named.
        id: String,
        /// The version the record is at.
        current: i64,
    },
    /// Something failed on our side; details are logged, not shown.
    #[error("internal error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Shorthand for service results.
pub type ServiceResult<T> = Result<T, ServiceError>;

impl From<StorageError> for ServiceError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound { entity, id } => Self::NotFound { entity, id },
            StorageError::Conflict { field, message } => Self::Conflict { field, message },
            StorageError::Invalid(e) => Self::Invalid(e),
            StorageError::Stale {
                entity,
                id,
                expected,
                current,
            } => Self::Stale {
                entity,
                id,
                expected,
                current,
            },
            StorageError::VersionRequired {
                entity,
                id,
                current,
            } => Self::VersionRequired {
                entity,
                id,
                current,
            },
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl ServiceError {
    /// An input field names a record that does not exist.
    pub(crate) fn missing(field: &str, entity: &str, id: impl std::fmt::Display) -> Self {
        Self::Invalid(ValidationError::new(
            field,
            format!("there is no {entity} {id}"),
        ))
    }
}
