//! Recognizing a line that starts a plan item: `GOAL 1: …`, `Objective 1.1: …`,
//! `Strategy 1:1 …`, `Principle: …`, `1.1. …`, `II. …`.

/// The nouns that plans use for their levels; a label is one of these,
/// optionally after "Strategic", "Key" or "Priority".
const LEVEL_NOUNS: &[&str] = &[
    "goal",
    "objective",
    "strategy",
    "pillar",
    "priority",
    "action",
    "initiative",
    "outcome",
    "principle",
    "theme",
    "focus area",
    "key result",
    "result",
    "programme",
    "program",
    "project",
    "commitment",
    "aim",
    "ambition",
    "mission area",
    "target",
    "activity",
    "workstream",
];

const LABEL_PREFIXES: &[&str] = &["strategic", "key", "priority", "core", "enterprise"];

/// An item line as printed: its label (`Goal`), number and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// The label, as printed (`GOAL`, `Strategic objective`).
    pub label: String,
    /// The number after the label, if any (`1.2`, `1:1`, `01`).
    pub code: Option<String>,
    /// The rest of the line.
    pub title: String,
}

/// Reads `Label [number][:.-–] Title`.
pub fn labelled(text: &str) -> Option<Labelled> {
    let lower = text.to_ascii_lowercase();
    let mut label_len = None;
    'outer: for prefix in std::iter::once("").chain(LABEL_PREFIXES.iter().copied()) {
        let rest = if prefix.is_empty() {
            lower.as_str()
        } else {
            match lower.strip_prefix(prefix).and_then(|r| r.strip_prefix(' ')) {
                Some(r) => r,
                None => continue,
            }
        };
        for noun in LEVEL_NOUNS {
            if let Some(after) = rest.strip_prefix(noun)
                && (after.is_empty() || after.starts_with([' ', ':', '\u{a0}']))
            {
                label_len = Some(lower.len() - after.len());
                break 'outer;
            }
        }
    }
    let label_len = label_len?;
    if !text.is_char_boundary(label_len) {
        return None;
    }
    let label = text[..label_len].trim().to_owned();
    let rest = text[label_len..].trim_start();
    let code_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ':'))
        .unwrap_or(rest.len());
    let raw_code = rest[..code_len].trim_end_matches(['.', ':']);
    let code = (!raw_code.is_empty() && raw_code.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| raw_code.to_owned());
    let after_code = rest[if code.is_some() { code_len } else { 0 }..].trim_start();
    let (separated, title) = match after_code.strip_prefix([':', '.', '-', '–', '—']) {
        Some(t) => (true, t.trim_start()),
        None => (rest[..code_len].ends_with([':', '.']), after_code),
    };
    if !(separated || code.is_some()) || !starts_like_title(title) {
        return None;
    }
    Some(Labelled {
        label,
        code,
        title: title.to_owned(),
    })
}

/// A numbered item: `1.`, `1.1`, `1.1.`, `2)`; the title must start like one.
pub fn numbered(text: &str) -> Option<(String, String)> {
    let code_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let raw = &text[..code_len];
    let code = raw.trim_end_matches('.');
    if code.is_empty()
        || !code.starts_with(|c: char| c.is_ascii_digit())
        || code.split('.').any(|p| p.is_empty() || p.len() > 2)
        || code.split('.').count() > 4
    {
        return None;
    }
    let mut rest = &text[code_len..];
    let dotted = raw.ends_with('.') || code.contains('.');
    let closed = rest.starts_with(')');
    if closed {
        rest = &rest[1..];
    }
    if !(dotted || closed) || !rest.starts_with([' ', '\u{a0}']) {
        return None;
    }
    let title = rest.trim_start();
    starts_like_title(title).then(|| (code.to_owned(), title.to_owned()))
}

/// A section numbered in roman numerals: `II. Security`.
pub fn roman(text: &str) -> Option<(String, String)> {
    let (numeral, title) = text.split_once(". ")?;
    let value = roman_value(numeral)?;
    (value <= 30 && starts_like_title(title.trim()))
        .then(|| (numeral.to_owned(), title.trim().to_owned()))
}

fn roman_value(numeral: &str) -> Option<u32> {
    if numeral.is_empty() || numeral.len() > 6 {
        return None;
    }
    let mut total = 0;
    let mut prev = 0;
    for c in numeral.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    u32::try_from(total).ok()
}

fn starts_like_title(title: &str) -> bool {
    let mut chars = title.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        Some('"' | '“' | '‘' | '\'' | '(') => chars.next().is_some_and(|c| c.is_alphanumeric()),
        _ => false,
    }
}

/// The level name a label gives: `GOAL` → `Goal`, `Strategic objective` kept.
pub fn level_name(label: &str) -> String {
    let letters: Vec<char> = label.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.iter().all(|c| c.is_uppercase()) {
        let lower = label.to_lowercase();
        let mut chars = lower.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => lower,
        }
    } else {
        let mut chars = label.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// The level noun a phrase names, singular: "Strategic Goals" → "Strategic Goal".
pub fn noun_in(phrase: &str) -> Option<String> {
    let lower = phrase.to_lowercase();
    let word = lower.trim().trim_end_matches(|c: char| !c.is_alphabetic());
    let singular = if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        word.strip_suffix('s').unwrap_or(word).to_owned()
    };
    let matches = LEVEL_NOUNS
        .iter()
        .any(|n| singular == *n || singular.ends_with(&format!(" {n}")));
    matches.then(|| {
        let mut chars = singular.chars();
        chars
            .next()
            .map(|f| f.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(text: &str) -> Option<(String, Option<String>, String)> {
        labelled(text).map(|l| (l.label, l.code, l.title))
    }

    #[test]
    fn labels_with_numbers_and_without() {
        assert_eq!(
            l("GOAL 1: Make it real"),
            Some(("GOAL".into(), Some("1".into()), "Make it real".into()))
        );
        assert_eq!(
            l("Objective 1.2: Live a culture"),
            Some((
                "Objective".into(),
                Some("1.2".into()),
                "Live a culture".into()
            ))
        );
        assert_eq!(
            l("Strategy 1:1 Open the data"),
            Some((
                "Strategy".into(),
                Some("1:1".into()),
                "Open the data".into()
            ))
        );
        assert_eq!(
            l("Principle: Improve leadership"),
            Some(("Principle".into(), None, "Improve leadership".into()))
        );
        assert_eq!(
            l("Strategic goal 3 – Secure the city"),
            Some((
                "Strategic goal".into(),
                Some("3".into()),
                "Secure the city".into()
            ))
        );
        assert_eq!(l("Goals and objectives"), None);
        assert_eq!(l("Objective of this plan is simple"), None);
        assert_eq!(l("Action 01: do something"), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(numbered("1. Deliver"), Some(("1".into(), "Deliver".into())));
        assert_eq!(
            numbered("1.1. Invest"),
            Some(("1.1".into(), "Invest".into()))
        );
        assert_eq!(
            numbered("2.3 Exploit"),
            Some(("2.3".into(), "Exploit".into()))
        );
        assert_eq!(numbered("3) Third"), Some(("3".into(), "Third".into())));
        assert_eq!(numbered("1.5 million people"), None);
        assert_eq!(numbered("2022 Plan"), None);
        assert_eq!(numbered("6 Strategy"), None);
        assert_eq!(
            roman("IV. Workforce"),
            Some(("IV".into(), "Workforce".into()))
        );
        assert_eq!(roman("In. Fact"), None);
    }

    #[test]
    fn level_names_read_like_words() {
        assert_eq!(level_name("GOAL"), "Goal");
        assert_eq!(level_name("Strategic objective"), "Strategic objective");
        assert_eq!(noun_in("STRATEGIES"), Some("Strategy".into()));
        assert_eq!(noun_in("Key Initiatives"), Some("Key initiative".into()));
        assert_eq!(noun_in("Overview"), None);
    }
}
