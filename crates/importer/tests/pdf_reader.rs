//! PDF files read as text lines: what goes into a PDF comes back out, line
//! for line, and a file that cannot be read says why.

#[allow(dead_code)] // each test binary uses only some of the shared helpers
mod support;

use lodestar_importer::ImportError;
use lodestar_importer::pdf::extract_text;
use support::make_pdf::{
    FORM_TEXT, FontStyle, LINES_PER_PAGE, Options, page_footer, pdf, pdf_of_pages, pdf_with,
};

/// A plan long enough for three pages, with what plans contain: numbered
/// headings, bullets, curly quotes, accents, dashes and parentheses.
fn plan_lines() -> Vec<String> {
    let mut lines = vec![
        "City of Harbor Falls — IT Strategic Plan 2025–2028".to_string(),
        "Vision: a city whose services are online, open and reliable".to_string(),
        String::new(),
        "GOAL 1: Modernize the city’s core systems".to_string(),
    ];
    for i in 1..=130 {
        lines.push(match i % 5 {
            0 => format!("Objective 1.{i}: Replace the permit system (phase {i})"),
            1 => format!("• Strategy {i}: Café-style drop-in help for résidents"),
            2 => format!("{i}. Measure: 95% of requests closed within {i} days"),
            3 => format!("Owner: Department of Information Technology \\ Team {i}"),
            _ => format!("Action {i} – “pilot” in Q{} of FY2026", i % 4 + 1),
        });
    }
    lines
}

/// What the reader should return for `lines`: the non-empty lines of each
/// page, the page's number line, and a form feed line between pages.
fn expected(lines: &[String]) -> String {
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();
    let mut out = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push_str("\x0c\n");
        }
        for line in page.iter().filter(|l| !l.is_empty()) {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&page_footer(i + 1, pages.len()));
        out.push('\n');
    }
    out
}

fn as_strs(lines: &[String]) -> Vec<&str> {
    lines.iter().map(String::as_str).collect()
}

fn pdf_error(result: Result<String, ImportError>) -> String {
    match result {
        Err(ImportError::Pdf(message)) => message,
        other => panic!("expected a PDF error, got {other:?}"),
    }
}

#[test]
fn lines_come_back_as_written_page_by_page_with_page_numbers() {
    let lines = plan_lines();
    let text = extract_text(&pdf(&as_strs(&lines))).unwrap();
    assert_eq!(text, expected(&lines));
    assert_eq!(text.matches('\x0c').count(), 2);
    assert!(text.contains("\nPage 3 of 3\n"));
}

#[test]
fn a_type0_font_is_read_through_its_tounicode_map() {
    let lines = plan_lines();
    let options = Options {
        font: FontStyle::Type0,
        ..Options::default()
    };
    let text = extract_text(&pdf_with(&as_strs(&lines), options)).unwrap();
    assert_eq!(text, expected(&lines));
}

#[test]
fn object_streams_and_a_compressed_xref_stream_are_read() {
    let lines = plan_lines();
    for font in [FontStyle::Helvetica, FontStyle::Type0] {
        let options = Options {
            font,
            xref_stream: true,
            ..Options::default()
        };
        let text = extract_text(&pdf_with(&as_strs(&lines), options)).unwrap();
        assert_eq!(text, expected(&lines), "{font:?}");
    }
}

#[test]
fn words_kerned_apart_in_a_tj_array_get_one_space_and_kerned_letters_none() {
    // The second line of a page is written as a TJ array with no space characters.
    let text = extract_text(&pdf(&["Plan", "Goal 2: Strengthen cybersecurity posture"])).unwrap();
    assert_eq!(
        text.lines().nth(1),
        Some("Goal 2: Strengthen cybersecurity posture")
    );
}

#[test]
fn a_line_drawn_in_two_pieces_reads_as_one_line() {
    // The third line is split mid-word, the fourth at a space left as a gap.
    let text = extract_text(&pdf(&[
        "Plan",
        "Vision",
        "Interoperability",
        "Objective 3.1: Consolidate data centers",
    ]))
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[2], "Interoperability");
    assert_eq!(lines[3], "Objective 3.1: Consolidate data centers");
}

#[test]
fn text_in_a_form_xobject_is_read_and_images_are_skipped() {
    let file = pdf_of_pages(&[
        "q 100 0 0 100 72 600 cm /Im1 Do Q BT /F1 11 Tf 72 700 Td (Before the form) Tj ET \
         q 1 0 0 1 72 650 cm /Fm1 Do Q",
    ]);
    assert_eq!(
        extract_text(&file).unwrap(),
        format!("Before the form\n{FORM_TEXT}\n")
    );
}

#[test]
fn a_scan_without_text_says_it_has_no_text_layer() {
    let file = pdf_of_pages(&[
        "q 612 0 0 792 0 0 cm /Im1 Do Q",
        "q 612 0 0 792 0 0 cm /Im1 Do Q",
    ]);
    let message = pdf_error(extract_text(&file));
    assert!(message.contains("no text layer"), "{message}");
    assert!(message.contains("scan"), "{message}");
}

#[test]
fn an_encrypted_pdf_is_refused_with_that_reason() {
    let mut file = pdf(&["Goal 1"]);
    let at = file.windows(10).position(|w| w == b"trailer\n<<").unwrap() + 10;
    file.splice(
        at..at,
        b" /Encrypt << /Filter /Standard /V 2 /R 3 >>"
            .iter()
            .copied(),
    );
    let message = pdf_error(extract_text(&file));
    assert!(message.contains("encrypted"), "{message}");
}

#[test]
fn a_file_cut_short_before_its_last_page_is_an_error_that_says_so() {
    let lines = plan_lines();
    let file = pdf(&as_strs(&lines));
    let last_stream = file
        .windows(10)
        .rposition(|w| w == b">>\nstream\n")
        .unwrap();
    let last_object = file.windows(8).rposition(|w| w == b"\nendobj\n").unwrap();
    for cut in [file.len() / 2, last_stream + 50, last_object - 20] {
        let message = pdf_error(extract_text(&file[..cut]));
        assert!(message.contains("truncated"), "cut at {cut}: {message}");
    }
}

#[test]
fn garbage_after_the_header_is_an_error() {
    let mut file = b"%PDF-1.7\n".to_vec();
    let mut seed = 0x2545_f491_u32;
    for _ in 0..4000 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        file.push(seed as u8);
    }
    let message = pdf_error(extract_text(&file));
    assert!(message.contains("no readable PDF objects"), "{message}");
}

#[test]
fn an_empty_page_tree_is_an_error() {
    let message = pdf_error(extract_text(&pdf(&[])));
    assert!(message.contains("no pages"), "{message}");
}

#[test]
fn a_stream_length_that_lies_is_read_past_when_the_stream_ends_properly() {
    let lines = plan_lines();
    for length_error in [-40, 25, 100_000] {
        let options = Options {
            length_error,
            ..Options::default()
        };
        let text = extract_text(&pdf_with(&as_strs(&lines), options)).unwrap();
        assert_eq!(text, expected(&lines), "length off by {length_error}");
    }
}

#[test]
fn a_stream_with_a_false_length_and_no_end_is_an_error() {
    let options = Options {
        length_error: 100_000,
        ..Options::default()
    };
    let mut file = pdf_with(&["Goal 1: Modernize"], options);
    let at = file.windows(9).position(|w| w == b"endstream").unwrap();
    file[at..at + 9].copy_from_slice(b"endstreaX");
    let message = pdf_error(extract_text(&file));
    assert!(message.contains("has no end"), "{message}");
}

#[test]
fn a_file_without_its_xref_table_is_read_by_scanning_it() {
    let lines = plan_lines();
    let file = pdf(&as_strs(&lines));
    let xref = file.windows(5).rposition(|w| w == b"xref\n").unwrap();
    let mut damaged = file[..xref].to_vec();
    damaged.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    assert_eq!(extract_text(&damaged).unwrap(), expected(&lines));
}

#[test]
fn damaged_bytes_never_panic() {
    let lines = plan_lines();
    let files = [
        pdf(&as_strs(&lines[..60])),
        pdf_with(
            &as_strs(&lines[..60]),
            Options {
                font: FontStyle::Type0,
                xref_stream: true,
                length_error: 0,
            },
        ),
    ];
    let mut seed = 0x9e37_79b9_u32;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed as usize
    };
    for file in &files {
        for _ in 0..150 {
            let mut damaged = file.clone();
            for _ in 0..1 + next() % 8 {
                let at = next() % damaged.len();
                damaged[at] = next() as u8;
            }
            let cut = damaged.len() - next() % (damaged.len() / 3);
            let _ = extract_text(&damaged[..cut]);
        }
    }
}
