//! Text out of a Word (.docx) file, as Markdown-like lines.

use crate::ImportError;

/// The document's paragraphs, one per line.
pub fn extract_text(_bytes: &[u8]) -> Result<String, ImportError> {
    Err(ImportError::Docx("not yet supported".into()))
}
