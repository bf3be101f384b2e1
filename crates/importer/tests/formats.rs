//! The same plan as text, as a PDF and as a Word file imports to the same
//! tree: the Harbor Falls fixture, written into a PDF and a .docx by the
//! tests' own writers.

#[allow(dead_code)] // each test binary uses only some of the shared helpers
mod support;

use lodestar_importer::{Draft, ImportOptions, SourceKind, import};
use support::outline::outline;

const HARBOR_FALLS: &str = include_str!("fixtures/harbor-falls.txt");

fn read(bytes: &[u8], name: &str) -> Draft {
    let options = ImportOptions {
        source_name: name.into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    let draft = import(bytes, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        draft.document.validate().is_ok(),
        "{name}: {:?}",
        draft.document.validate()
    );
    draft
}

fn fields(draft: &Draft) -> (String, String, (i32, i32), Option<String>, usize, usize) {
    let doc = &draft.document;
    (
        doc.title.as_str().to_owned(),
        doc.levels.describe(),
        (doc.period.start_year, doc.period.end_year),
        doc.vision.as_ref().map(|v| v.as_str().to_owned()),
        doc.principles.len(),
        doc.tags.len(),
    )
}

#[test]
fn the_fixture_as_a_pdf_imports_to_the_same_tree_as_its_text() {
    let text = read(HARBOR_FALLS.as_bytes(), "harbor-falls.txt");
    let lines: Vec<&str> = HARBOR_FALLS.lines().collect();
    let pdf = support::make_pdf::pdf(&lines);
    let from_pdf = read(&pdf, "harbor-falls.pdf");
    assert_eq!(from_pdf.source, SourceKind::Pdf);
    assert_eq!(outline(&text).len(), 28);
    assert_eq!(outline(&from_pdf), outline(&text));
    assert_eq!(fields(&from_pdf), fields(&text));
}

#[test]
fn the_fixture_as_a_word_file_imports_to_the_same_tree_as_its_text() {
    let text = read(HARBOR_FALLS.as_bytes(), "harbor-falls.txt");
    // As Word authors write it: goals and objectives in heading styles with
    // their numbers typed, everything else in plain paragraphs and bullets.
    let lines: Vec<String> = HARBOR_FALLS
        .lines()
        .map(|line| {
            let number = line.split(' ').next().unwrap_or_default();
            let numbered = number.ends_with('.')
                && number
                    .trim_end_matches('.')
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            match (numbered, number.matches('.').count()) {
                (true, 1) => format!("# {line}"),
                (true, _) => format!("## {line}"),
                _ => line.to_owned(),
            }
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let docx = support::make_docx::docx(&lines);
    let from_docx = read(&docx, "harbor-falls.docx");
    assert_eq!(from_docx.source, SourceKind::Docx);
    assert_eq!(outline(&from_docx), outline(&text));
    assert_eq!(fields(&from_docx), fields(&text));
}
