//! The one error a domain rule can raise.

use std::fmt;

/// A value broke a rule of the model. `field` names the offending input so an
/// API client or a form can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The input field at fault, as the client named it (`title`, `period.end`).
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl ValidationError {
    /// A rule broken by the value of `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, reported under `prefix` (`nodes[3]` + `title` → `nodes[3].title`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}
