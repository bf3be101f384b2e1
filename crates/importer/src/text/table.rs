//! Initiative tables that text extraction flattened into lines: horizon
//! labels (`Short-Term`, `Long-Term`, `Near term`, `FY2026`) at the start of
//! a row, and several initiatives run together on one line.

use lodestar_domain::Horizon;

/// The horizon label that starts a row, and the rest of the row.
pub fn horizon_label(text: &str) -> Option<(Horizon, &str)> {
    let lower = text.to_lowercase();
    for (words, horizon) in [
        (
            &[
                "short-term",
                "short term",
                "near-term",
                "near term",
                "shorter term",
                "shorter-term",
            ][..],
            Horizon::ShortTerm,
        ),
        (
            &["long-term", "long term", "longer-term", "longer term"][..],
            Horizon::LongTerm,
        ),
    ] {
        for w in words {
            if let Some(rest) = lower.strip_prefix(w) {
                let rest_len = rest.len();
                let rest_text = &text[text.len() - rest_len..];
                let rest_text = rest_text.trim_start_matches([' ', ':', '-', '–', '—', '\t']);
                let bounded =
                    rest.is_empty() || rest.starts_with([' ', ':', '-', '–', '—', '\t', '(']);
                if bounded {
                    let rest_text = skip_parenthesis(rest_text);
                    return Some((horizon, rest_text));
                }
            }
        }
    }
    fiscal_year(text)
}

/// `(0–2 years)` after a label belongs to the label.
fn skip_parenthesis(text: &str) -> &str {
    if text.starts_with('(')
        && let Some(end) = text.find(')')
        && text[..end].chars().any(|c| c.is_ascii_digit())
        && end < 30
    {
        return text[end + 1..].trim_start_matches([' ', ':', '-', '–', '\t']);
    }
    text
}

fn fiscal_year(text: &str) -> Option<(Horizon, &str)> {
    let rest = text.strip_prefix("FY")?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if !(digits == 2 || digits == 4) {
        return None;
    }
    let after = &rest[digits..];
    if !(after.is_empty() || after.starts_with([' ', ':', '-', '–', '\t'])) {
        return None;
    }
    let year: i32 = rest[..digits].parse().ok()?;
    let year = if digits == 2 { 2000 + year } else { year };
    Some((
        Horizon::FiscalYear(year),
        after.trim_start_matches([' ', ':', '-', '–', '\t']),
    ))
}

/// Words that join the parts of one title; an item never starts right after them.
const JOINERS: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "e.g.",
    "for",
    "from",
    "i.e.",
    "in",
    "including",
    "into",
    "of",
    "on",
    "or",
    "per",
    "the",
    "to",
    "via",
    "vs",
    "with",
    "within",
    "across",
    "between",
    "through",
    "toward",
    "towards",
    "under",
    "&",
    "-",
    "–",
    "—",
    "/",
    "+",
];

/// Verbs that begin initiatives, written in the imperative.
const VERBS: &[&str] = &[
    "accelerate",
    "acquire",
    "adopt",
    "align",
    "analyze",
    "assess",
    "automate",
    "build",
    "certify",
    "complete",
    "conduct",
    "consolidate",
    "create",
    "decommission",
    "define",
    "deliver",
    "deploy",
    "design",
    "develop",
    "document",
    "drive",
    "educate",
    "embed",
    "enable",
    "enhance",
    "ensure",
    "establish",
    "evaluate",
    "expand",
    "explore",
    "extend",
    "finalize",
    "formalize",
    "gain",
    "identify",
    "implement",
    "improve",
    "increase",
    "initiate",
    "institutionalize",
    "integrate",
    "introduce",
    "launch",
    "leverage",
    "maintain",
    "map",
    "mature",
    "migrate",
    "modernize",
    "monitor",
    "optimize",
    "pilot",
    "plan",
    "prepare",
    "procure",
    "promote",
    "provide",
    "publish",
    "rebrand",
    "redesign",
    "reduce",
    "refine",
    "refresh",
    "replace",
    "retire",
    "review",
    "seek",
    "standardize",
    "streamline",
    "strengthen",
    "support",
    "tie",
    "train",
    "transition",
    "update",
    "upgrade",
];

/// Splits a row where one initiative ends and the next begins. Returns the
/// pieces; a piece that starts in lower case continues the previous row.
pub fn split_items(row: &str) -> Vec<String> {
    let words: Vec<&str> = row.split_whitespace().collect();
    let mut items = Vec::new();
    let inside = bracketed_gaps(&words);
    let mut start = 0;
    for i in 1..words.len() {
        let prev = words[i - 1];
        if inside[i] {
            continue;
        }
        let before_prev = i.checked_sub(2).map(|k| words[k]);
        if starts_new_item(before_prev, prev, words[i], words.get(i + 1).copied()) {
            items.push(words[start..i].join(" "));
            start = i;
        }
    }
    if start < words.len() {
        items.push(words[start..].join(" "));
    }
    items
}

/// Words after which the next two words belong together: "to elevate ITS
/// awareness", "for future IT initiatives".
const GOVERNING: &[&str] = &[
    "to", "for", "of", "in", "on", "at", "by", "with", "from", "into",
];

/// Lower-case words that modify the noun after them ("key CTI sources").
const MODIFIERS: &[&str] = &[
    "all",
    "any",
    "each",
    "every",
    "our",
    "their",
    "its",
    "key",
    "future",
    "new",
    "current",
    "existing",
    "other",
    "additional",
    "relevant",
    "core",
    "critical",
    "major",
    "more",
    "citywide",
];

/// Verbs that are rarely part of a name, so that one after a capitalized
/// word still starts a new initiative ("City BI Dashboard Implement data …").
const STRONG_VERBS: &[&str] = &[
    "acquire",
    "align",
    "automate",
    "certify",
    "conduct",
    "create",
    "deploy",
    "develop",
    "enhance",
    "ensure",
    "establish",
    "expand",
    "explore",
    "formalize",
    "identify",
    "implement",
    "initiate",
    "institutionalize",
    "integrate",
    "leverage",
    "migrate",
    "modernize",
    "optimize",
    "promote",
    "publish",
    "refine",
    "streamline",
    "strengthen",
    "elevate",
];

fn is_strong_verb(word: &str) -> bool {
    {
        let head = word.split(['/', '-']).next().unwrap_or(word);
        STRONG_VERBS.contains(&head.to_lowercase().as_str())
    }
}

/// For each gap before word `i`, whether it lies inside a pair of
/// brackets that closes within the row (an unclosed bracket is damage, not a pair).
fn bracketed_gaps(words: &[&str]) -> Vec<bool> {
    let mut open: Vec<usize> = Vec::new();
    let mut spans = vec![0i32; words.len() + 1];
    for (i, w) in words.iter().enumerate() {
        for c in w.chars() {
            match c {
                '(' | '[' => open.push(i),
                ')' | ']' => {
                    if let Some(o) = open.pop() {
                        spans[o + 1] += 1;
                        spans[i + 1] -= 1;
                    }
                }
                _ => {}
            }
        }
    }
    let mut depth = 0;
    spans
        .iter()
        .take(words.len())
        .map(|d| {
            depth += d;
            depth > 0
        })
        .collect()
}

fn starts_new_item(before_prev: Option<&str>, prev: &str, word: &str, next: Option<&str>) -> bool {
    let head = word.split(['/', '-']).next().unwrap_or(word);
    let capitalized = word.starts_with(|c: char| c.is_uppercase())
        || (head.starts_with(|c: char| c.is_lowercase()) && head.chars().any(char::is_uppercase));
    if !capitalized {
        return false;
    }
    if prev.ends_with([',', ':', ';', '-', '–', '/', '&']) || open_bracket(prev) {
        return false;
    }
    let prev_bare = prev.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '&');
    if JOINERS.contains(&prev_bare.to_lowercase().as_str()) && is_lowercase_word(prev) {
        return false;
    }
    if JOINERS.contains(&prev) {
        return false;
    }
    if is_lowercase_word(prev) {
        if (is_strong_verb(prev) || MODIFIERS.contains(&prev)) && is_acronym(word) {
            return false;
        }
        let governed = is_acronym(word)
            && before_prev.is_some_and(|w| GOVERNING.contains(&w.to_lowercase().as_str()));
        return !governed;
    }
    let verb = is_verb(word);
    if prev.ends_with([')', '"', '”', '\'']) {
        return verb || is_acronym(word);
    }
    is_strong_verb(word)
        && next.is_some_and(|n| n.starts_with(|c: char| c.is_lowercase()) || is_acronym(n))
        && !is_verb(prev)
}

fn open_bracket(word: &str) -> bool {
    word.matches('(').count() > word.matches(')').count()
}

/// All letters lower case (digits, hyphens, slashes and dots allowed).
fn is_lowercase_word(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ';', ':']);
    w.ends_with(char::is_alphanumeric)
        && w.chars().any(char::is_alphabetic)
        && w.chars().all(|c| !c.is_uppercase())
}

fn is_acronym(word: &str) -> bool {
    let w = word.split(['/', '-']).next().unwrap_or(word);
    let upper = w.chars().filter(|c| c.is_uppercase()).count();
    upper >= 2 && w.chars().next().is_some_and(char::is_uppercase)
}

fn is_verb(word: &str) -> bool {
    let word = word.trim_end_matches([',', ';', ':', '.']);
    let head = word.split(['/', '-']).next().unwrap_or(word);
    let lower = head.to_lowercase();
    VERBS.contains(&lower.as_str()) && head.chars().skip(1).all(|c| !c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_labels() {
        assert_eq!(
            horizon_label("Short-Term\tDo it").map(|h| h.1),
            Some("Do it")
        );
        assert_eq!(
            horizon_label("SHORT-TERM - Do it").map(|h| h.0),
            Some(Horizon::ShortTerm)
        );
        assert_eq!(
            horizon_label("Longer term: Later").map(|h| h.0),
            Some(Horizon::LongTerm)
        );
        assert_eq!(
            horizon_label("Near term (0-2 years) Now").map(|h| h.1),
            Some("Now")
        );
        assert_eq!(
            horizon_label("FY2026 Build").map(|h| h.0),
            Some(Horizon::FiscalYear(2026))
        );
        assert_eq!(
            horizon_label("FY 27: Build").map(|h| h.0),
            Some(Horizon::FiscalYear(2027))
        );
        assert_eq!(horizon_label("Shortly after"), None);
        assert_eq!(horizon_label("Long-termism"), None);
    }

    #[test]
    fn run_together_initiatives_split_where_the_evidence_is_strong() {
        assert_eq!(
            split_items("Develop Open Data strategy Establish Open Data governance framework"),
            [
                "Develop Open Data strategy",
                "Establish Open Data governance framework"
            ]
        );
        assert_eq!(
            split_items("DRaaS implemented (Phase 1) COP cloud services inventory"),
            [
                "DRaaS implemented (Phase 1)",
                "COP cloud services inventory"
            ]
        );
        assert_eq!(
            split_items("Gain CMO endorsement of ERP consolidation roadmap"),
            ["Gain CMO endorsement of ERP consolidation roadmap"]
        );
        assert_eq!(
            split_items("Enterprise Learning Management System (LMS) Implementation (PHXYou)"),
            ["Enterprise Learning Management System (LMS) Implementation (PHXYou)"]
        );
        assert_eq!(
            split_items("Complete City BI Dashboard Implement data tools"),
            ["Complete City BI Dashboard", "Implement data tools"]
        );
        assert_eq!(
            split_items("Payment Card Industry (PCI), Health Insurance Act"),
            ["Payment Card Industry (PCI), Health Insurance Act"]
        );
        assert_eq!(
            split_items("Acquire key CTI sources Publish and promote PM dashboards"),
            [
                "Acquire key CTI sources",
                "Publish and promote PM dashboards"
            ]
        );
        assert_eq!(
            split_items("Run exercises (e.g., \"Red (attacker) Team, Blue\" Certify tools"),
            [
                "Run exercises (e.g., \"Red (attacker) Team, Blue\"",
                "Certify tools"
            ]
        );
        assert_eq!(
            split_items("concepts Optimize onboarding"),
            ["concepts", "Optimize onboarding"]
        );
        assert_eq!(
            split_items("Seek endorsement to elevate ITS awareness for future IT initiatives"),
            ["Seek endorsement to elevate ITS awareness for future IT initiatives"]
        );
        assert_eq!(
            split_items("Leverage P1 After Action Review process"),
            ["Leverage P1 After Action Review process"]
        );
        assert_eq!(
            split_items("myPHX311 Phase 1 completion Develop roadmap"),
            ["myPHX311 Phase 1 completion", "Develop roadmap"]
        );
    }
}
