//! What the words of a line say: where a list item's first sentence ends,
//! whether a line is a numbered list item, how a wrapped line joins the one
//! before, whether a piece of a row may hold several initiatives.

/// A row piece long enough, or capitalized enough, to hold several
/// initiatives that no word boundary gave away.
pub fn may_be_several(title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    let capitalized = words
        .iter()
        .filter(|w| {
            w.trim_start_matches(['(', '"', '“'])
                .starts_with(char::is_uppercase)
        })
        .count();
    words.len() >= 20 || (words.len() >= 9 && capitalized * 10 >= words.len() * 6)
}

/// Written in capitals: at least two letters and none in lower case.
pub fn is_capitals(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

/// The longest an item's title grows by continuation lines; the reader
/// stops joining there, so a pathological document cannot make it quadratic.
pub const MAX_JOINED_CHARS: usize = 4000;

/// Appends a continuation line to a title, up to [`MAX_JOINED_CHARS`].
pub fn extend_title(title: &mut String, tail: &str) {
    if title.len() < MAX_JOINED_CHARS {
        *title = join_wrapped(title, tail);
    }
}

/// The ordinal and text of a numbered or lettered list item: `1. `, `2) `,
/// `a. `, `(b) `.
pub fn list_number(text: &str) -> Option<(u32, &str)> {
    let (marker, rest) = text.split_once(' ')?;
    let inner = marker
        .strip_prefix('(')
        .and_then(|m| m.strip_suffix(')'))
        .or_else(|| marker.strip_suffix([')', '.']))?;
    let ordinal =
        if !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit()) {
            inner.parse().ok()?
        } else if let [letter] = inner.as_bytes()
            && letter.is_ascii_lowercase()
        {
            u32::from(letter - b'a') + 1
        } else {
            return None;
        };
    let rest = rest.trim_start();
    rest.starts_with(char::is_alphabetic)
        .then_some((ordinal, rest))
}

/// Joins a line to the one it continues, mending a word broken by a hyphen.
pub fn join_wrapped(head: &str, tail: &str) -> String {
    if let Some(stem) = head.strip_suffix('-')
        && stem.ends_with(|c: char| c.is_lowercase())
        && tail.starts_with(|c: char| c.is_lowercase())
    {
        return format!("{stem}{tail}");
    }
    format!("{head} {tail}")
}

/// The first sentence of a list item, and the rest.
pub fn first_sentence(text: &str) -> (&str, &str) {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(". ") {
        let before = text[..i].rsplit(' ').next().unwrap_or_default();
        let after = bytes.get(i + 2).copied().unwrap_or(b' ');
        let words_before = text[..i].split_whitespace().count();
        if after.is_ascii_uppercase()
            && before.len() >= 3
            && before.chars().all(|c| c.is_lowercase())
            && words_before >= 4
        {
            return (&text[..=i], text[i + 2..].trim());
        }
    }
    (text, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("publish the service standard for all. An outline is in Annex 3"),
            (
                "publish the service standard for all.",
                "An outline is in Annex 3"
            )
        );
        assert_eq!(
            first_sentence("work with the U.S. Customs office"),
            ("work with the U.S. Customs office", "")
        );
    }

    #[test]
    fn wrapped_words_are_mended() {
        assert_eq!(
            join_wrapped("imple-", "mentation plan"),
            "implementation plan"
        );
        assert_eq!(join_wrapped("state-", "Level"), "state- Level");
    }
}
