//! StratML (ISO 17469-1) Part 1 and Part 2 documents.

use crate::{ImportError, Outline};

/// The plan a StratML document describes.
pub fn read(_text: &str) -> Result<Outline, ImportError> {
    Err(ImportError::Xml {
        line: 1,
        message: "not yet supported".into(),
    })
}
