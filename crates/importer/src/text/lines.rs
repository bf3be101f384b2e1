//! The first pass over a document: each line cleaned of the marks that
//! extraction and Markdown leave (emphasis, links, HTML tags, dot leaders,
//! page references) and sorted into the few shapes the later passes need.

/// One line of the document, cleaned.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the document.
    pub no: u32,
    /// The text without marks, bullet or heading signs, spaces collapsed.
    pub text: String,
    /// Markdown heading level (1 for `#`), 0 for none.
    pub heading: u8,
    /// A list item (`-`, `*`, `•`, `›`).
    pub bullet: bool,
    /// A quoted line (`> `), which extraction sometimes makes of a list item.
    pub quote: bool,
    /// Starts with white space (a table cell or a wrapped list item).
    pub indented: bool,
    /// How far it is indented, a tab counting four spaces: nests list items.
    pub indent: usize,
    /// Ended in a page reference (`…… 12`, a tab and a number): a contents entry.
    pub toc: bool,
    /// The line is only a page number or a running mark, or empty.
    pub blank: bool,
    /// Cells, when the line had tabs between words (a flattened table row).
    pub cells: Vec<String>,
    /// Longer than [`MAX_LINE_CHARS`]; only its start was read.
    pub cut: bool,
}

impl Line {
    /// Written entirely in capitals (at least two letters).
    pub fn is_capitals(&self) -> bool {
        let letters: Vec<char> = self.text.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
    }

    /// Words in the line.
    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Splits and cleans a document's lines; lines too long for a plan item are
/// kept (they are prose) but cut to a bounded size so later passes stay linear.
pub fn split(text: &str) -> Vec<Line> {
    let separator = if !text.contains('\n') && text.contains('\r') {
        '\r'
    } else {
        '\n'
    };
    text.split(separator)
        .enumerate()
        .map(|(i, raw)| clean(u32::try_from(i + 1).unwrap_or(u32::MAX), raw))
        .collect()
}

/// The longest line read in full; a plan item is never this long.
pub const MAX_LINE_CHARS: usize = 20_000;

fn clean(no: u32, raw: &str) -> Line {
    let raw = raw.trim_end_matches(['\r', '\u{c}']);
    let (raw, cut): (&str, bool) = match raw.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => (&raw[..at], true),
        None => (raw, false),
    };
    let indented = raw.starts_with([' ', '\t']);
    let indent = raw
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let mut rest = raw.trim_start_matches([' ', '\t', '\u{feff}']);
    let mut heading = 0u8;
    while let Some(r) = rest.strip_prefix('#') {
        heading = heading.saturating_add(1);
        rest = r;
    }
    if heading > 6 || (heading > 0 && rest.starts_with(['!', '{'])) {
        heading = 0;
    }
    let mut rest = rest.trim_start();
    if heading == 0
        && let Some((level, text)) = template_heading(rest)
    {
        heading = level;
        rest = text;
    }
    let rest_quoted = rest.strip_prefix("> ");
    if let Some(r) = rest_quoted {
        rest = r.trim_start();
    }
    let mut bullet = false;
    for mark in ["- ", "* ", "• ", "› ", "‣ ", "◦ ", "▪ ", "– ", "o\t"] {
        if let Some(r) = rest.strip_prefix(mark) {
            bullet = true;
            rest = r.trim_start();
            break;
        }
    }
    if let Some(r) = rest
        .strip_prefix(['-', '•', '›', '*'])
        .filter(|r| r.starts_with('\t'))
    {
        bullet = true;
        rest = r.trim_start();
    }
    let text = strip_marks(rest);
    let (text, toc) = strip_page_reference(&text);
    let cells: Vec<String> = if rest.contains('\t') {
        rest.split('\t')
            .map(|c| collapse(&strip_marks(c)))
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let text = collapse(&text);
    let blank = text.is_empty() || is_page_number(&text) || is_markup_only(&text);
    Line {
        no,
        text: if blank { String::new() } else { text },
        heading,
        bullet,
        quote: rest_quoted.is_some(),
        indented,
        indent,
        toc,
        blank,
        cells,
        cut,
    }
}

/// A heading written as a site-template directive:
/// `{% include hx.html lvl=3 text="Transform procurement" %}`.
fn template_heading(line: &str) -> Option<(u8, &str)> {
    let inner = line.strip_prefix("{%")?;
    let level_at = inner.find("lvl=")? + 4;
    let level = inner[level_at..].chars().next()?.to_digit(10)?;
    let text_at = inner.find("text=\"")? + 6;
    let len = inner[text_at..].find('"')?;
    Some((
        u8::try_from(level).ok()?.clamp(1, 6),
        &inner[text_at..text_at + len],
    ))
}

/// Drops Markdown emphasis, links (keeping their text), HTML tags and
/// template directives.
pub fn strip_marks(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '<' => match chars[i + 1..].iter().position(|&d| d == '>') {
                Some(end) if end < 200 && is_tag(&chars[i + 1..i + 1 + end]) => {
                    i += end + 2;
                    out.push(' ');
                    continue;
                }
                _ => out.push(c),
            },
            '{' if matches!(chars.get(i + 1), Some('%' | ':'))
                || starts_with(&chars[i..], "{include") =>
            {
                match chars[i..].iter().position(|&d| d == '}') {
                    Some(end) => {
                        i += end + 1;
                        continue;
                    }
                    None => break,
                }
            }
            '*' | '_' if is_emphasis(&chars, i) => {}
            '[' => {
                if let Some(close) = chars[i..].iter().take(500).position(|&d| d == ']')
                    && chars.get(i + close + 1) == Some(&'(')
                    && let Some(paren) = chars[i + close + 1..]
                        .iter()
                        .take(500)
                        .position(|&d| d == ')')
                {
                    out.extend(&chars[i + 1..i + close]);
                    i += close + 1 + paren + 1;
                    continue;
                }
                out.push(c);
            }
            '\t' => out.push('\t'),
            '\u{ad}' => {}
            c if c.is_control() => out.push(' '),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_with(chars: &[char], prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(k, p)| chars.get(k) == Some(&p))
}

fn is_tag(inner: &[char]) -> bool {
    let first = inner.iter().position(|c| !matches!(c, '/' | '!'));
    match first {
        Some(f) => inner[f].is_ascii_alphabetic(),
        None => false,
    }
}

/// A `*` or `_` that opens or closes emphasis rather than standing in a word.
fn is_emphasis(chars: &[char], i: usize) -> bool {
    let prev = if i == 0 { None } else { chars.get(i - 1) };
    let next = chars.get(i + 1);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    if chars[i] == '_' {
        !(word(prev) && word(next))
    } else {
        true
    }
}

/// Removes a trailing page reference: dot leaders, or a tab or wide gap
/// then a page number (arabic or roman). Says whether there was one.
fn strip_page_reference(text: &str) -> (String, bool) {
    let trimmed = text.trim_end();
    let without_number = trimmed.trim_end_matches(|c: char| c.is_ascii_digit());
    let had_number =
        without_number.len() < trimmed.len() && trimmed.len() - without_number.len() <= 4;
    let roman = trimmed.rsplit_once([' ', '\t']).filter(|(_, r)| {
        !r.is_empty() && r.len() <= 4 && r.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
    });
    let body = if had_number {
        without_number
    } else if let Some((head, _)) = roman {
        &trimmed[..=head.len()]
    } else {
        trimmed
    };
    let leader = body.trim_end().trim_end_matches(['.', '…', ' ', '\u{a0}']);
    let dots = body.trim_end().len() - leader.len();
    if (had_number || roman.is_some()) && (dots >= 2 || text_had_tab_gap(text, body.len())) {
        return (leader.to_owned(), true);
    }
    if dots >= 4 {
        return (leader.to_owned(), true);
    }
    (text.to_owned(), false)
}

/// The number was separated from the words by a tab or a run of spaces.
fn text_had_tab_gap(text: &str, cut: usize) -> bool {
    text.get(..cut)
        .is_some_and(|head| head.ends_with('\t') || head.ends_with("  "))
}

fn is_page_number(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c == '-' || c == '|' || c.is_whitespace());
    let t = t
        .strip_prefix("Page ")
        .or_else(|| t.strip_prefix("page "))
        .unwrap_or(t);
    let number = t.split(" of ").next().unwrap_or(t);
    (!number.is_empty() && number.len() <= 4 && number.chars().all(|c| c.is_ascii_digit()))
        || (!t.is_empty() && t.len() <= 5 && t.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

fn is_markup_only(text: &str) -> bool {
    text.chars().all(|c| !c.is_alphanumeric())
}

/// Spaces collapsed and trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(raw: &str) -> Line {
        clean(1, raw)
    }

    #[test]
    fn contents_entries_lose_their_page_numbers() {
        let l = one("Objective 4.1: Deliver and manage services.....\t20");
        assert_eq!(l.text, "Objective 4.1: Deliver and manage services");
        assert!(l.toc);
        let l = one("GOAL 2: Empower a skilled workforce\t11");
        assert_eq!(l.text, "GOAL 2: Empower a skilled workforce");
        assert!(l.toc);
        let l = one("Message from the Assistant Commissioner\ti");
        assert!(l.toc);
        assert!(!one("Process over 76,000 containers of cargo").toc);
        assert!(!one("Deliver Phase 2").toc);
        assert!(!one("    transactions from April 2013").toc);
    }

    #[test]
    fn markdown_marks_are_dropped() {
        let l = one("## <a id=\"security\"></a>II. **Security**");
        assert_eq!((l.heading, l.text.as_str()), (2, "II. Security"));
        let l = one("-   see [the standard](/standard/) for_details");
        assert!(l.bullet);
        assert_eq!(l.text, "see the standard for_details");
        assert!(one("{: .action-dep-response}").blank);
        assert_eq!(one("{include action01-case-study.md}").text, "");
        let l = one("{% include hx.html lvl=3 text=\"Transform procurement\" id=\"x\" %}");
        assert_eq!((l.heading, l.text.as_str()), (3, "Transform procurement"));
    }

    #[test]
    fn page_numbers_and_rules_are_blank() {
        for raw in ["14", "  - 3 -  ", "Page 7 of 30", "---", "iv"] {
            assert!(one(raw).blank, "{raw}");
        }
    }

    #[test]
    fn tabs_make_cells() {
        let l = one("Short-Term\t Formalize CTI team Acquire key sources\t");
        assert_eq!(
            l.cells,
            ["Short-Term", "Formalize CTI team Acquire key sources"]
        );
    }
}
