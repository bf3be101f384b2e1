//! Text out of a PDF, line by line in reading order.
//!
//! A PDF has no lines or paragraphs, only pieces of text drawn at positions.
//! This reads the file's objects, runs each page's content far enough to know
//! where every piece of text lands, and rebuilds the lines a reader sees:
//! same baseline, same line; top to bottom; left to right; a space where the
//! gap between pieces is a word gap. The lines are what the plan reader
//! parses for headings and lists, so line breaks matter most.
//!
//! Files come from anywhere, so nothing here trusts them: every loop, nesting
//! and decompression is bounded, and a damaged file is an error, not a panic.

mod cmap;
mod content;
mod document;
mod encoding;
mod filter;
mod font;
mod interpret;
mod layout;
mod lexer;
mod metrics;
mod object;
mod pages;
mod xref;

use crate::ImportError;
use document::Document;
use interpret::{Interpreter, Scope};
use object::Object;
use std::collections::HashMap;
use std::rc::Rc;

type Result<T> = std::result::Result<T, ImportError>;

/// An [`ImportError::Pdf`] with `message`.
fn damaged(message: &str) -> ImportError {
    ImportError::Pdf(message.to_owned())
}

/// The text of every page, lines separated by `\n`, pages by a line holding
/// only a form feed (`\x0c`).
pub fn extract_text(bytes: &[u8]) -> std::result::Result<String, ImportError> {
    let doc = Document::open(bytes)?;
    let pages = pages::pages(&doc)?;
    if pages.is_empty() {
        return Err(damaged("the PDF has no pages"));
    }
    let mut interpreter = Interpreter::new(&doc);
    let mut scopes = HashMap::new();
    let mut out = String::new();
    let mut any_text = false;
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push_str("\x0c\n");
        }
        let content = page_content(&doc, page.contents.as_ref(), i + 1)?;
        let scope = scope_of(&doc, page, &mut scopes)?;
        let runs = interpreter.page(&content, &scope, page.rotate)?;
        for line in layout::lines(runs) {
            any_text = true;
            out.push_str(&line);
            out.push('\n');
        }
    }
    if any_text {
        Ok(out)
    } else if interpreter.unreadable_glyphs > 0 {
        Err(damaged(
            "the PDF's text uses fonts that do not say which letters their glyphs are, \
             so it cannot be read; export the document to PDF again or copy its text",
        ))
    } else {
        Err(damaged(
            "the PDF has no text layer; it may be a scan. Run it through text \
             recognition (OCR) first, or import the plan as text",
        ))
    }
}

/// Which resources a page has: an object, an inline dictionary (told apart
/// by its address, which pages that inherit it share), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ScopeKey {
    None,
    Object(u32),
    Inline(usize),
}

/// A page's resources, looked up once for all the pages that share them.
fn scope_of(
    doc: &Document<'_>,
    page: &pages::Page,
    scopes: &mut HashMap<ScopeKey, Rc<Scope>>,
) -> Result<Rc<Scope>> {
    let key = match page.resources.as_ref() {
        None => ScopeKey::None,
        Some(resources) => match **resources {
            Object::Ref(num) => ScopeKey::Object(num),
            _ => ScopeKey::Inline(Rc::as_ptr(resources) as usize),
        },
    };
    if let Some(scope) = scopes.get(&key) {
        return Ok(Rc::clone(scope));
    }
    let scope = Rc::new(Scope::new(doc, page.resources.as_deref())?);
    scopes.insert(key, Rc::clone(&scope));
    Ok(scope)
}

/// A page's content streams, decoded and joined.
fn page_content(doc: &Document<'_>, contents: Option<&Object>, page: usize) -> Result<Vec<u8>> {
    let Some(contents) = contents else {
        return Ok(Vec::new());
    };
    let parts = match contents {
        Object::Ref(num) => match doc.get(*num)?.object {
            Object::Array(items) => items,
            _ => vec![contents.clone()],
        },
        Object::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    let mut data = Vec::new();
    for part in &parts {
        match doc.decoded_stream(part)? {
            Some((_, decoded)) => {
                data.extend_from_slice(&decoded);
                data.push(b'\n');
            }
            None => {
                if let Object::Ref(num) = part {
                    return Err(damaged(&format!(
                        "the file is truncated or damaged: the content of page {page} \
                         (object {num}) is missing"
                    )));
                }
            }
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

    /// A one-page file with `content` and `/F1` as `font`, without an xref
    /// table (so it is also read by scanning).
    fn text_of(content: &str, font: &str) -> String {
        text_of_page(content, font, "")
    }

    /// Like [`text_of`], with `page` added to the page dictionary.
    fn text_of_page(content: &str, font: &str, page: &str) -> String {
        let file = format!(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
             2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
             3 0 obj << /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> \
             /Contents 5 0 R {page} >> endobj\n4 0 obj {font} endobj\n\
             5 0 obj << /Length {} >> stream\n{content}\nendstream endobj\n\
             trailer << /Root 1 0 R >>\n%%EOF\n",
            content.len()
        );
        extract_text(file.as_bytes()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn a_large_negative_tj_kerning_is_a_word_gap_and_a_small_one_is_not() {
        let text = text_of(
            "BT /F1 10 Tf 72 700 Td [(Goal) -250 (One) 80 (:) -120 (Str) -30 (ategic)] TJ ET",
            HELVETICA,
        );
        assert_eq!(text, "Goal One:Strategic\n");
    }

    #[test]
    fn next_line_operators_start_new_lines() {
        let text = text_of(
            "BT /F1 10 Tf 12 TL 72 700 Td (one) Tj T* (two) Tj (three) ' 2 1 (four) \" \
             0 -12 TD (five) Tj ET",
            HELVETICA,
        );
        assert_eq!(text, "one\ntwo\nthree\nfour\nfive\n");
    }

    #[test]
    fn standard_font_widths_tell_abutting_pieces_from_separate_words() {
        // "Go" in 10-point Helvetica is 13.34 points wide.
        let text = text_of(
            "BT /F1 10 Tf 72 700 Td (Go) Tj 13.34 0 Td (al) Tj 20 0 Td (two) Tj ET",
            HELVETICA,
        );
        assert_eq!(text, "Goal two\n");
    }

    #[test]
    fn lines_are_ordered_top_to_bottom_whatever_the_drawing_order() {
        let text = text_of(
            "BT /F1 10 Tf 1 0 0 1 72 600 Tm (bottom) Tj 1 0 0 1 72 700 Tm (top) Tj \
             1 0 0 1 300 650 Tm (right) Tj 1 0 0 1 72 650 Tm (left) Tj ET",
            HELVETICA,
        );
        assert_eq!(text, "top\nleft right\nbottom\n");
    }

    #[test]
    fn a_rotated_page_reads_as_it_is_displayed() {
        let text = text_of_page(
            "BT /F1 10 Tf 0 1 -1 0 100 72 Tm (first line) Tj 0 1 -1 0 114 72 Tm (second) Tj \
             0 1 -1 0 114 130 Tm (line) Tj ET",
            HELVETICA,
            "/Rotate 90",
        );
        assert_eq!(text, "first line\nsecond line\n");
    }

    #[test]
    fn scaled_text_matrices_and_cm_scale_the_word_gap() {
        // Font size 1 scaled to 10 by Tm, then halved by cm: the em is 5 points.
        let text = text_of(
            "0.5 0 0 0.5 0 0 cm BT /F1 1 Tf 10 0 0 10 144 1400 Tm (a) Tj 0.556 0 Td (b) Tj \
             1.2 0 Td (c) Tj ET",
            HELVETICA,
        );
        assert_eq!(text, "ab c\n");
    }

    #[test]
    fn differences_name_glyphs_the_base_encoding_lacks() {
        let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding \
                    << /BaseEncoding /WinAnsiEncoding /Differences [1 /quoteright /fi /uni2013] >> >>";
        let text = text_of(
            "BT /F1 10 Tf 72 700 Td (city\\001s \\002nance \\003 plan) Tj ET",
            font,
        );
        assert_eq!(text, "city’s finance – plan\n");
    }

    #[test]
    fn a_symbol_font_bullet_is_a_bullet() {
        let font = "<< /Type /Font /Subtype /TrueType /BaseFont /Symbol >>";
        let text = text_of("BT /F1 10 Tf 72 700 Td (\\267) Tj ET", font);
        assert_eq!(text, "•\n");
    }

    #[test]
    fn glyphs_without_known_text_are_reported_not_guessed() {
        let font = "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H \
                    /DescendantFonts [<< /Subtype /CIDFontType2 /DW 500 >>] >>";
        let text = text_of("BT /F1 10 Tf 72 700 Td <00410042> Tj ET", font);
        assert!(text.contains("do not say which letters"), "{text}");
    }

    #[test]
    fn q_and_q_restore_the_font_and_its_size() {
        let text = text_of(
            "BT /F1 10 Tf 72 700 Td q /F1 30 Tf Q (a) Tj 8 0 Td (b) Tj ET",
            HELVETICA,
        );
        // At 30 points "a" would reach past "b"; at 10 it leaves a word gap.
        assert_eq!(text, "a b\n");
    }
}
