//! The importer: turns a plan document an organization already has — plain
//! text extracted from a PDF, Markdown, a PDF, a Word file or StratML XML —
//! into a draft plan-as-code document, with a warning for every place where
//! the reading is unsure.
//!
//! Pure: bytes in, a [`Draft`] out. Nothing here touches the database; the
//! services layer stores a confirmed draft like any plan-as-code document.
//! Plan-as-code itself (YAML, JSON) is detected here but read by the services
//! layer, which already owns that format.

pub mod detect;
pub mod docx;
pub mod draft;
pub mod error;
pub mod pdf;
pub mod stratml;
mod text;

pub use detect::SourceKind;
pub use draft::{Draft, DraftObservation, ImportOptions, Outline, RawNode, Warning};
pub use error::ImportError;

/// The largest document the importer reads.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Reads a document of any kind but plan-as-code into a draft plan.
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<Draft, ImportError> {
    let kind = check_and_detect(bytes, options)?;
    let outline = match kind {
        SourceKind::Text | SourceKind::Markdown => {
            let (text, warning) = decode(bytes);
            let mut outline = text::read(&text, kind == SourceKind::Markdown)?;
            outline.warnings.extend(warning);
            outline
        }
        SourceKind::Pdf => text::read(&pdf::extract_text(bytes)?, false)?,
        SourceKind::Docx => text::read(&docx::extract_text(bytes)?, true)?,
        SourceKind::Stratml => stratml::read(&decode(bytes).0)?,
        SourceKind::PlanCodeYaml | SourceKind::PlanCodeJson => {
            return Err(ImportError::Unrecognized(
                "plan-as-code is read as a plan document, not imported".into(),
            ));
        }
    };
    if outline.nodes.is_empty() {
        return Err(ImportError::NoPlan);
    }
    Ok(outline.finish(kind, options))
}

/// The document's kind, after the checks every document must pass.
pub fn check_and_detect(bytes: &[u8], options: &ImportOptions) -> Result<SourceKind, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    SourceKind::detect(&options.source_name, bytes)
        .ok_or_else(|| ImportError::Unrecognized("binary data".into()))
}

/// The bytes as text: UTF-8, or else Windows-1252 (what older tools write),
/// with a warning that says so.
fn decode(bytes: &[u8]) -> (String, Option<Warning>) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            let text = bytes.iter().map(|&b| windows_1252(b)).collect();
            let warning = Warning::at(
                u32::try_from(line).unwrap_or(u32::MAX),
                "the document is not UTF-8; it was read as Windows-1252, so check accented letters and quotes",
            );
            (text, Some(warning))
        }
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}
