//! Text out of a Word (.docx) file, as Markdown-like lines for the text
//! reader: a line per paragraph, headings marked `#` by level, list items
//! with the number Word shows or `- `, table rows as `| a | b |`.
//!
//! Only the main document is read, so headers, footers, footnotes and
//! comments stay out; so do deleted text (tracked changes), hidden text,
//! field codes and tables of contents, which would repeat the headings.

mod body;
mod numbering;
mod package;
mod styles;
mod xml;

use crate::ImportError;
use numbering::Numbering;
use package::Package;
use styles::Styles;

pub use package::MAX_UNPACKED_BYTES;

/// The document's text, one paragraph or table row per line.
pub fn extract_text(bytes: &[u8]) -> Result<String, ImportError> {
    let mut package = Package::open(bytes)?;
    let candidates = package
        .related("", "officeDocument")
        .into_iter()
        .chain(["word/document.xml".to_owned()]);
    let mut document = None;
    for name in candidates {
        if let Some(xml) = package.part(&name)? {
            document = Some((name, xml));
            break;
        }
    }
    let Some((main, xml)) = document else {
        return Err(error(
            "a zip file but not a Word document: it has no word/document.xml",
        ));
    };
    let styles = match related_part(&mut package, &main, "styles")? {
        Some((name, text)) => Styles::parse(&name, &text)?,
        None => Styles::default(),
    };
    let numbering = match related_part(&mut package, &main, "numbering")? {
        Some((name, text)) => Numbering::parse(&name, &text)?,
        None => Numbering::default(),
    };
    body::render(&main, &xml, &styles, &numbering)
}

/// The part the main document names as its `kind` (`styles`, `numbering`),
/// or the part where Word keeps it, when the package has it.
fn related_part(
    package: &mut Package<'_>,
    main: &str,
    kind: &str,
) -> Result<Option<(String, String)>, ImportError> {
    let name = package
        .related(main, kind)
        .unwrap_or_else(|| format!("word/{kind}.xml"));
    Ok(package.part(&name)?.map(|text| (name, text)))
}

fn error(message: impl Into<String>) -> ImportError {
    ImportError::Docx(message.into())
}
