//! The report card as a typeset PDF: the card is written out as Typst markup
//! (every text escaped), compiled by the Typst engine embedded as a library in
//! an in-memory world (fonts built into the binary; no files, no network) and
//! exported with typst-pdf. Cover, contents, page numbers, the organization
//! and year on every page, and trend charts drawn as vectors.

mod chart;
mod escape;
mod markup;
mod world;

use lodestar_domain::report_card::ReportCard;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use world::ReportWorld;

/// Why a report card could not be made into a PDF. Either is a bug in the
/// generated markup or the engine, never in the card's texts (they are escaped).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Typst rejected the generated document.
    #[error("typesetting the report card failed: {0}")]
    Typeset(String),
    /// The typeset document could not be written as PDF.
    #[error("writing the report card as PDF failed: {0}")]
    Export(String),
}

/// The report card as a PDF file's bytes.
pub fn render(card: &ReportCard) -> Result<Vec<u8>, PdfError> {
    let date = card.as_of.date();
    let today = Datetime::from_ymd(date.year(), u8::from(date.month()), date.day());
    let world = ReportWorld::new(markup::document(card), today);
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| PdfError::Typeset(messages(&errors)));
    let options = PdfOptions {
        ident: Smart::Custom(format!(
            "lodestar-report-card/{}/{}",
            card.plan_key, card.period
        )),
        ..PdfOptions::default()
    };
    let pdf = document.and_then(|document| {
        typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Export(messages(&errors)))
    });
    // Typst memoizes across compilations; a report card is rarely compiled
    // twice, so drop what this one cached rather than let a server grow.
    typst::comemo::evict(0);
    pdf
}

/// The diagnostics' messages, joined.
fn messages(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
