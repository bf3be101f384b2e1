//! Text out of a PDF, line by line in reading order.

use crate::ImportError;

/// The text of every page, lines separated by `\n`, pages by a form feed.
pub fn extract_text(_bytes: &[u8]) -> Result<String, ImportError> {
    Err(ImportError::Pdf("not yet supported".into()))
}
