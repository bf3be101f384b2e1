//! Escaping text for Typst, so that whatever a plan's authors wrote (a title
//! with `#`, `*`, `$`, `@`, `<`, `]` or a backslash) is printed as written and
//! can never be read as markup or code.

/// Characters with a meaning somewhere in Typst markup: a backslash before
/// any of them prints the character itself. Quotes are included so they stay
/// as written instead of becoming typographic quotes; `.`, `-`, `+`, `/` and
/// `=` so that no text starts a list, a heading, a comment or a shorthand.
const MARKUP_SPECIAL: &[char] = &[
    '\\', '#', '*', '_', '$', '@', '<', '>', '[', ']', '{', '}', '`', '=', '-', '+', '/', '~', ':',
    '.', '\'', '"',
];

/// `text` as Typst markup that prints it literally, on one line: every run of
/// white space (line breaks too) becomes one space, control characters are
/// dropped, and every character with a meaning in markup is escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_escaped(&mut out, word);
    }
    out
}

/// Like [`escape`], but keeps the author's line breaks: each non-blank line
/// of `text` is escaped and the lines are joined with Typst line breaks.
pub(crate) fn escape_lines(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(escape)
        .filter(|line| !line.is_empty())
        .collect();
    lines.join(" #linebreak() ")
}

/// `text` as a Typst string literal (quotes included), for code such as
/// `set document(title: ...)`.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn push_escaped(out: &mut String, word: &str) {
    for c in word.chars() {
        if c.is_control() {
            continue;
        }
        if MARKUP_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            escape("Reliable services for residents"),
            "Reliable services for residents"
        );
        assert_eq!(
            escape("Ünïcode – and “quotes” ✓"),
            "Ünïcode – and “quotes” ✓"
        );
    }

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(escape("#set *bold* $x$"), r"\#set \*bold\* \$x\$");
        assert_eq!(escape("@ref <label> ]"), r"\@ref \<label\> \]");
        assert_eq!(escape(r"back\slash"), r"back\\slash");
        assert_eq!(escape("`raw` _em_ ~"), r"\`raw\` \_em\_ \~");
    }

    #[test]
    fn line_starts_cannot_open_blocks() {
        // A heading, a list, an enumeration, a comment, a link.
        assert_eq!(escape("= Heading"), r"\= Heading");
        assert_eq!(escape("- item"), r"\- item");
        assert_eq!(escape("1. first"), r"1\. first");
        assert_eq!(escape("// not a comment"), r"\/\/ not a comment");
        assert_eq!(escape("https://x.org"), r"https\:\/\/x\.org");
    }

    #[test]
    fn white_space_collapses_and_control_characters_go() {
        assert_eq!(escape("  two\n\nlines\tand\u{7}bell "), "two lines andbell");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn lines_are_kept_as_line_breaks() {
        assert_eq!(
            escape_lines("first\n\n second #2\n"),
            r"first #linebreak() second \#2"
        );
        assert_eq!(escape_lines(""), "");
    }

    #[test]
    fn string_literals_escape_quotes_and_backslashes() {
        assert_eq!(string_literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string_literal("x\ny\u{1}"), r#""x\ny\u{1}""#);
    }
}
