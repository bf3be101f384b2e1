//! The main document part (word/document.xml) as lines: a paragraph per
//! line, a table row per line, headings and list items marked as Markdown
//! marks them.

use super::numbering::{Counters, Label, Numbering};
use super::styles::Styles;
use super::xml::{Item, Ns, Part, attr, is_on, local, number_attr};
use crate::ImportError;
use quick_xml::events::BytesStart;

/// Fields nested deeper than this are not tracked; Word nests a few.
const MAX_FIELDS: usize = 64;

/// The document's text as lines.
pub(super) fn render(
    part: &str,
    xml: &str,
    styles: &Styles,
    numbering: &Numbering,
) -> Result<String, ImportError> {
    let mut reader = Part::new(part, xml);
    let mut walker = Walker {
        styles,
        numbering,
        counters: Counters::default(),
        stack: Vec::new(),
        skipped: 0,
        paragraphs: Vec::new(),
        tables: Vec::new(),
        fields: Fields::default(),
        hidden: false,
        out: Output::default(),
    };
    let mut root = false;
    loop {
        let item = reader.next()?;
        if let (false, Item::Open(ns, e) | Item::Empty(ns, e)) = (root, &item) {
            if *ns != Ns::Word || local(e) != "document" {
                return Err(super::error(format!(
                    "a zip file but not a Word document: {part} holds <{}>, not a Word document body",
                    e.name().into_inner()
                )));
            }
            root = true;
        }
        match item {
            Item::Open(ns, e) => walker.open(ns, &e, false),
            Item::Empty(ns, e) => walker.open(ns, &e, true),
            Item::Close => walker.close(),
            Item::Text(text) => walker.text(&text),
            Item::End if !root => {
                return Err(reader.error("the part has no content; it is not a Word document"));
            }
            Item::End => return Ok(walker.out.text),
        }
    }
}

/// The elements whose nesting matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    ParagraphProps,
    NumberingProps,
    Run,
    RunProps,
    Text,
    Instruction,
    Table,
    Row,
    Cell,
    Other,
}

struct Walker<'d> {
    styles: &'d Styles,
    numbering: &'d Numbering,
    counters: Counters,
    stack: Vec<Kind>,
    /// How deep inside a left-out element the reader is; 0 outside.
    skipped: usize,
    /// Open paragraphs, innermost last (a text box's paragraphs sit inside a paragraph).
    paragraphs: Vec<Paragraph>,
    /// Open tables, innermost last.
    tables: Vec<Table>,
    fields: Fields,
    /// The current run is hidden text.
    hidden: bool,
    out: Output,
}

#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    level: Option<u32>,
    outline: Option<u32>,
    /// Some text was left out (a table of contents, a field code).
    suppressed: bool,
}

#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: Option<String>,
}

impl Walker<'_> {
    fn open(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool) {
        if self.skipped > 0 {
            self.skipped += usize::from(!empty);
            return;
        }
        let kind = match ns {
            Ns::Word => self.word_element(local(e), e),
            Ns::Compat if local(e) == "Fallback" => None,
            _ => Some(Kind::Other),
        };
        match (kind, empty) {
            (None, false) => self.skipped = 1,
            (None, true) => {}
            (Some(kind), true) => self.end(kind),
            (Some(kind), false) => self.stack.push(kind),
        }
    }

    /// What a WordprocessingML element is; `None` for one whose content is left out.
    fn word_element(&mut self, name: &str, e: &BytesStart<'_>) -> Option<Kind> {
        let parent = self.stack.last().copied().unwrap_or(Kind::Other);
        let kind = match (parent, name) {
            (
                _,
                "del" | "moveFrom" | "delText" | "sectPr" | "tblPr" | "tblGrid" | "trPr" | "tcPr"
                | "tblPrEx" | "sdtPr" | "sdtEndPr",
            ) => return None,
            (_, "fldSimple") if attr(e, "instr").is_some_and(|i| is_toc(&i)) => return None,
            (Kind::ParagraphProps, "rPr") => return None,
            (_, "p") => {
                self.paragraphs.push(Paragraph::default());
                Kind::Paragraph
            }
            (Kind::Paragraph, "pPr") => Kind::ParagraphProps,
            (Kind::ParagraphProps, "numPr") => Kind::NumberingProps,
            (Kind::ParagraphProps, "pStyle" | "outlineLvl") | (Kind::NumberingProps, _) => {
                if let Some(p) = self.paragraphs.last_mut() {
                    match name {
                        "pStyle" => p.style = attr(e, "val"),
                        "outlineLvl" => p.outline = number_attr(e, "val"),
                        "numId" => p.num_id = number_attr(e, "val"),
                        "ilvl" => p.level = number_attr(e, "val"),
                        _ => {}
                    }
                }
                Kind::Other
            }
            (_, "r") => {
                self.hidden = false;
                Kind::Run
            }
            (Kind::Run, "rPr") => Kind::RunProps,
            (Kind::RunProps, "vanish") => {
                self.hidden = is_on(e);
                Kind::Other
            }
            (Kind::Run, "t") => Kind::Text,
            (_, "instrText") => Kind::Instruction,
            (Kind::Run, "tab" | "ptab") => {
                self.push_text(" ");
                Kind::Other
            }
            (Kind::Run, "br" | "cr") => {
                self.push_text("\n");
                Kind::Other
            }
            (Kind::Run, "noBreakHyphen") => {
                self.push_text("-");
                Kind::Other
            }
            (_, "fldChar") => {
                match attr(e, "fldCharType").as_deref() {
                    Some("begin") => self.fields.begin(),
                    Some("separate") => self.fields.separate(),
                    Some("end") => self.fields.end(),
                    _ => {}
                }
                Kind::Other
            }
            (_, "tbl") => {
                if self.tables.is_empty() {
                    self.out.blank();
                }
                self.tables.push(Table::default());
                Kind::Table
            }
            (_, "tr") => Kind::Row,
            (_, "tc") => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some(String::new());
                }
                Kind::Cell
            }
            _ => Kind::Other,
        };
        Some(kind)
    }

    fn close(&mut self) {
        if self.skipped > 0 {
            self.skipped -= 1;
        } else if let Some(kind) = self.stack.pop() {
            self.end(kind);
        }
    }

    fn end(&mut self, kind: Kind) {
        match kind {
            Kind::Paragraph => self.finish_paragraph(),
            Kind::Run => self.hidden = false,
            Kind::Cell => {
                if let Some(table) = self.tables.last_mut() {
                    let cell = table.cell.take().unwrap_or_default();
                    table.row.push(cell);
                }
            }
            Kind::Row => {
                if let Some(table) = self.tables.last_mut() {
                    let cells = std::mem::take(&mut table.row);
                    self.finish_row(cells);
                }
            }
            Kind::Table => {
                self.tables.pop();
                if self.tables.is_empty() {
                    self.out.blank();
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        match self.stack.last() {
            Some(Kind::Text) => self.push_text(text),
            Some(Kind::Instruction) => self.fields.instruction(text),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        let shown = self.fields.shows_text();
        if let Some(p) = self.paragraphs.last_mut() {
            if !shown {
                p.suppressed = true;
            } else if !self.hidden {
                p.text.push_str(text);
            }
        }
    }

    fn finish_paragraph(&mut self) {
        let Some(p) = self.paragraphs.pop() else {
            return;
        };
        let style = p.style.as_deref();
        let (style_num, style_level) = style.map_or((None, None), |s| self.styles.numbering(s));
        let label = p.num_id.or(style_num).filter(|&id| id != 0).and_then(|id| {
            let level = p
                .level
                .or(style_level)
                .or_else(|| style.and_then(|s| self.numbering.level_for_style(id, s)))
                .unwrap_or(0);
            self.numbering.label(&mut self.counters, id, level)
        });
        let heading = match p.outline {
            Some(level) if level < 9 => Some(level as usize + 1),
            Some(_) => None,
            None => style.and_then(|s| self.styles.heading_level(s)),
        };
        let text = clean(&p.text);
        let mut lines = text.split('\n').filter(|l| !l.is_empty());
        let in_cell = self.tables.last().is_some_and(|t| t.cell.is_some());
        let Some(first) = lines.next() else {
            if !p.suppressed && !in_cell {
                self.out.blank();
            }
            return;
        };
        let mut prefix = match heading {
            Some(level) if !in_cell => format!("{} ", "#".repeat(level)),
            _ => String::new(),
        };
        match label {
            Some(Label::Number(n)) => {
                prefix.push_str(&n);
                prefix.push(' ');
            }
            Some(Label::Bullet) if heading.is_none() => prefix.push_str("- "),
            _ => {}
        }
        let first = format!("{prefix}{first}");
        if in_cell {
            let joined = std::iter::once(first.as_str())
                .chain(lines)
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&joined);
            }
        } else {
            self.out.line(&first);
            for line in lines {
                self.out.line(line);
            }
        }
    }

    /// A row of the outermost table becomes a line; a row of a table inside
    /// a cell becomes text of that cell.
    fn finish_row(&mut self, cells: Vec<String>) {
        if cells.iter().all(String::is_empty) {
            return;
        }
        let depth = self.tables.len();
        if depth > 1 {
            let text = cells
                .iter()
                .filter(|c| !c.is_empty())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(cell) = self.tables[depth - 2].cell.as_mut() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
        } else {
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            self.out.line(&format!("| {} |", cells.join(" | ")));
        }
    }
}

/// The text of a paragraph with soft hyphens dropped, non-breaking hyphens
/// and spaces made plain, and runs of white space made one space.
fn clean(raw: &str) -> String {
    raw.split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut space = false;
            for c in line.chars() {
                match c {
                    '\u{ad}' => {}
                    c if c.is_whitespace() || c.is_control() => space = true,
                    c => {
                        if space && !out.is_empty() {
                            out.push(' ');
                        }
                        space = false;
                        out.push(if c == '\u{2011}' { '-' } else { c });
                    }
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines written so far; blank lines between blocks, never two in a row.
#[derive(Default)]
struct Output {
    text: String,
    blank: bool,
}

impl Output {
    fn line(&mut self, line: &str) {
        if self.blank && !self.text.is_empty() {
            self.text.push('\n');
        }
        self.blank = false;
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.blank = true;
    }
}

/// Complex fields (`w:fldChar` begin, separate, end) open around the reader.
/// A field's code is never text; its result is, except a table of contents,
/// which repeats the headings.
#[derive(Default)]
struct Fields {
    open: Vec<Field>,
    untracked: usize,
}

struct Field {
    code: String,
    result: bool,
}

impl Fields {
    fn begin(&mut self) {
        if self.open.len() < MAX_FIELDS {
            self.open.push(Field {
                code: String::new(),
                result: false,
            });
        } else {
            self.untracked += 1;
        }
    }

    fn separate(&mut self) {
        if self.untracked == 0
            && let Some(field) = self.open.last_mut()
        {
            field.result = true;
        }
    }

    fn end(&mut self) {
        if self.untracked > 0 {
            self.untracked -= 1;
        } else {
            self.open.pop();
        }
    }

    fn instruction(&mut self, text: &str) {
        if self.untracked == 0
            && let Some(field) = self.open.last_mut()
            && !field.result
            && field.code.len() < 256
        {
            field.code.push_str(text);
        }
    }

    fn shows_text(&self) -> bool {
        self.open.iter().all(|f| f.result && !is_toc(&f.code))
    }
}

fn is_toc(code: &str) -> bool {
    code.split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("TOC"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn lines(body: &str) -> String {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        render(
            "word/document.xml",
            &xml,
            &Styles::default(),
            &Numbering::default(),
        )
        .unwrap()
    }

    #[test]
    fn runs_join_and_tabs_and_breaks_become_spaces_and_lines() {
        let body = r#"<w:p><w:r><w:t>Resi</w:t></w:r><w:r><w:t xml:space="preserve">dents </w:t></w:r>
            <w:r><w:t>first</w:t><w:tab/><w:t>now</w:t><w:br/><w:t>second line</w:t></w:r></w:p>"#;
        assert_eq!(lines(body), "Residents first now\nsecond line\n");
    }

    #[test]
    fn hyphens_and_special_spaces_are_plain() {
        let body = "<w:p><w:r><w:t>co\u{ad}operate</w:t><w:softHyphen/><w:t>e</w:t>\
            <w:noBreakHyphen/><w:t>government\u{a0}services</w:t></w:r></w:p>";
        assert_eq!(lines(body), "cooperatee-government services\n");
    }

    #[test]
    fn deleted_hidden_and_field_code_text_is_left_out() {
        let body = r#"<w:p><w:r><w:t>Kept</w:t></w:r>
            <w:del><w:r><w:delText>Gone</w:delText></w:r></w:del>
            <w:ins><w:r><w:t xml:space="preserve"> added</w:t></w:r></w:ins>
            <w:r><w:rPr><w:vanish/></w:rPr><w:t>Hidden</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> 7</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#;
        assert_eq!(lines(body), "Kept added 7\n");
    }

    #[test]
    fn a_table_of_contents_is_left_out() {
        let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
              <w:r><w:instrText>TOC \o "1-3"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>
              <w:r><w:t>Goal 1 Residents first</w:t></w:r><w:r><w:tab/><w:t>3</w:t></w:r></w:p>
            <w:p><w:r><w:t>Goal 2 Open data</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
            <w:p><w:r><w:t>Introduction</w:t></w:r></w:p>"#;
        assert_eq!(lines(body), "Introduction\n");
    }

    #[test]
    fn table_rows_become_pipe_lines_and_nested_tables_stay_in_their_cell() {
        let body = r#"<w:p><w:r><w:t>Before</w:t></w:r></w:p>
            <w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>Goal</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>a|b</w:t></w:r></w:p><w:p><w:r><w:t>more</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>
              <w:tc><w:p/></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>After</w:t></w:r></w:p>"#;
        assert_eq!(
            lines(body),
            "Before\n\n| Goal | a\\|b more |\n| inner cell |  |\n\nAfter\n"
        );
    }

    #[test]
    fn text_box_paragraphs_are_read_once() {
        let body = r#"<w:p><w:r><w:t>Outer</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
            <mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
            </mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(lines(body), "Boxed\nOuter\n");
    }

    #[test]
    fn empty_paragraphs_separate_blocks_once() {
        let body = "<w:p/><w:p><w:r><w:t>A</w:t></w:r></w:p><w:p/><w:p></w:p><w:p><w:r><w:t>B</w:t></w:r></w:p><w:p/>";
        assert_eq!(lines(body), "A\n\nB\n");
    }

    #[test]
    fn a_direct_outline_level_makes_a_heading() {
        let body = r#"<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Objectives</w:t></w:r></w:p>"#;
        assert_eq!(lines(body), "## Objectives\n");
    }

    #[test]
    fn another_root_is_not_a_word_document() {
        let err = render(
            "xl/workbook.xml",
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"#,
            &Styles::default(),
            &Numbering::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a Word document"), "{err}");
    }
}
