//! Text for people: aligned columns, and titles cut to fit a line.

use std::io::Write;

/// Writes rows in aligned columns, two spaces apart; the last column is not padded.
pub fn write_table<const N: usize>(
    out: &mut impl Write,
    headings: &[String; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = [0; N];
    for row in std::iter::once(headings).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(headings).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let padding = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', padding + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The headings of a table, as owned strings.
pub fn headings<const N: usize>(names: [&str; N]) -> [String; N] {
    names.map(str::to_owned)
}

/// `text` on one line of at most `max` characters: white space (line breaks
/// included) collapsed, and a longer text cut, at a word break if one is near
/// the end, with `…` to show it goes on.
pub fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let kept: String = one_line.chars().take(max.saturating_sub(1)).collect();
    let cut = match kept.rfind(' ') {
        // Keep at least three quarters of the room; else cut inside the word.
        Some(space) if kept[..space].chars().count() >= max * 3 / 4 => &kept[..space],
        _ => &kept,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    format!("{cut}…")
}

/// A number as people write it: `40`, `99.5`, `0.125`; at most three decimals.
pub fn number(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    // -0 prints as "-0".
    if rounded == 0.0 {
        "0".to_owned()
    } else {
        rounded.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_whatever_the_characters() {
        let mut out = Vec::new();
        let cells = |a: &str, b: &str, c: &str| [a.to_owned(), b.to_owned(), c.to_owned()];
        write_table(
            &mut out,
            &cells("ID", "KEY", "TITLE"),
            &[
                cells("1", "ä-plan", "Plan 2025–2029"),
                cells("12", "k", "T"),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ID  KEY     TITLE\n1   ä-plan  Plan 2025–2029\n12  k       T\n"
        );
    }

    #[test]
    fn long_texts_are_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(shorten("Short title", 20), "Short title");
        assert_eq!(shorten("Two\nlines  here", 20), "Two lines here");
        let cut = shorten("Modernize the permitting and licensing systems", 30);
        assert_eq!(cut, "Modernize the permitting and…");
        assert!(cut.chars().count() <= 30);
        assert_eq!(shorten("Supercalifragilistic", 10), "Supercali…");
        assert_eq!(shorten("Ünïcödé ünïcödé ünïcödé", 12).chars().count(), 12);
    }

    #[test]
    fn numbers_lose_needless_decimals() {
        assert_eq!(number(40.0), "40");
        assert_eq!(number(99.41), "99.41");
        assert_eq!(number(2.0 / 3.0), "0.667");
        assert_eq!(number(-0.0001), "0");
    }
}
