//! Word (.docx) files read as Markdown-like text lines.

#[allow(dead_code)] // each test binary uses only some of the shared helpers
mod support;

use lodestar_importer::docx::extract_text;
use lodestar_importer::{ImportError, ImportOptions, SourceKind};
use support::make_docx::{OUTSIDE_BODY, declare_size, docx, mark_encrypted, package, zip};

fn message(result: Result<String, ImportError>) -> String {
    match result {
        Err(ImportError::Docx(message)) => message,
        other => panic!("expected a Word error, got {other:?}"),
    }
}

#[test]
fn headings_lists_and_tables_come_out_as_markdown_lines() {
    let file = docx(&[
        "# Harbor Falls IT Strategic Plan",
        "Our vision is a connected city where every resident can reach every service online.",
        "## Goal 1: Residents first",
        "- Online permits",
        "- Open data portal",
        "### Initiatives",
        "1. Modernize core systems",
        "  1. Retire the mainframe",
        "  1. Move backups to the cloud",
        "1. Secure the network",
        "Between the lists.",
        "1. A new list starts again at one",
        "| Objective | Owner | Due |",
        "| Online permits | City Clerk | 2026 |",
    ]);
    assert_eq!(
        extract_text(&file).unwrap(),
        "# Harbor Falls IT Strategic Plan\n\
         Our vision is a connected city where every resident can reach every service online.\n\
         ## Goal 1: Residents first\n\
         - Online permits\n\
         - Open data portal\n\
         ### Initiatives\n\
         1. Modernize core systems\n\
         1.1. Retire the mainframe\n\
         1.2. Move backups to the cloud\n\
         2. Secure the network\n\
         Between the lists.\n\
         1. A new list starts again at one\n\
         \n\
         | Objective | Owner | Due |\n\
         | Online permits | City Clerk | 2026 |\n"
    );
}

#[test]
fn words_split_across_runs_are_joined() {
    let text = extract_text(&docx(&["Cybersecurity modernization"])).unwrap();
    assert_eq!(text, "Cybersecurity modernization\n");
}

#[test]
fn headers_footers_footnotes_and_comments_are_not_read() {
    let text = extract_text(&docx(&["# Plan", "Body text."])).unwrap();
    assert_eq!(text, "# Plan\nBody text.\n");
    for outside in OUTSIDE_BODY {
        assert!(!text.contains(outside), "{outside} leaked into {text:?}");
    }
}

#[test]
fn tracked_deletions_and_field_codes_are_left_out() {
    let file = package(
        r#"<w:p><w:r><w:t xml:space="preserve">Budget: </w:t></w:r>
        <w:del w:id="1" w:author="Ana"><w:r><w:delText>$2 million</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="Ana"><w:r><w:t>$3 million</w:t></w:r></w:ins>
        <w:r><w:t xml:space="preserve"> (see page </w:t></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:t>)</w:t></w:r></w:p>"#,
    );
    assert_eq!(
        extract_text(&file).unwrap(),
        "Budget: $3 million (see page 4)\n"
    );
}

#[test]
fn a_word_file_is_detected_as_one() {
    let options = ImportOptions {
        source_name: "plan.bin".into(),
        ..ImportOptions::default()
    };
    let kind = lodestar_importer::check_and_detect(&docx(&["Plan"]), &options).unwrap();
    assert_eq!(kind, SourceKind::Docx);
}

#[test]
fn bytes_that_are_not_a_zip_are_refused() {
    let message = message(extract_text(b"Goal 1: this is plain text, not a Word file"));
    assert!(message.contains("not a zip archive"), "{message}");
}

#[test]
fn an_old_doc_file_is_told_apart() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(1024, 0);
    let message = message(extract_text(&bytes));
    assert!(message.contains("older Word (.doc)"), "{message}");
}

#[test]
fn a_zip_without_a_document_is_not_a_word_document() {
    let file = zip(&[
        ("xl/workbook.xml", b"<workbook/>".as_slice()),
        ("docProps/app.xml", b"<Properties/>".as_slice()),
    ]);
    let message = message(extract_text(&file));
    assert!(
        message.contains("a zip file but not a Word document"),
        "{message}"
    );
}

#[test]
fn malformed_document_xml_names_the_part_and_line() {
    let broken = "<?xml version=\"1.0\"?>\n\
        <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\n\
        <w:p><w:r><w:t>Goal 1</w:r></w:p>\n\
        </w:body></w:document>";
    let file = zip(&[("word/document.xml", broken.as_bytes())]);
    let message = message(extract_text(&file));
    assert!(
        message.starts_with("word/document.xml line 3:"),
        "{message}"
    );
}

#[test]
fn a_document_cut_off_midway_is_an_error() {
    let cut = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>";
    let file = zip(&[("word/document.xml", cut.as_bytes())]);
    let message = message(extract_text(&file));
    assert!(message.contains("ends before"), "{message}");
}

#[test]
fn an_entry_declaring_a_huge_size_is_refused_before_unpacking() {
    let mut file = docx(&["Plan"]);
    declare_size(&mut file, "word/document.xml", 0xFFFF_FFF0);
    let message = message(extract_text(&file));
    assert!(
        message.contains("word/document.xml would unpack to 4294967280 bytes"),
        "{message}"
    );
}

#[test]
fn an_encrypted_entry_is_refused() {
    let mut file = docx(&["Plan"]);
    mark_encrypted(&mut file, "word/document.xml");
    let message = message(extract_text(&file));
    assert!(message.contains("encrypted"), "{message}");
}

#[test]
fn a_file_cut_short_anywhere_is_an_error_not_a_crash() {
    let file = docx(&["# Plan", "- Item", "1. Step", "| a | b |"]);
    for cut in 0..file.len() {
        assert!(extract_text(&file[..cut]).is_err(), "cut at {cut}");
    }
}
