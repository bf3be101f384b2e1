//! What a plan says about itself around its items: title, period, vision,
//! mission, guiding principles, cross-cutting capabilities, level names.

use super::items;
use super::lines::Line;
use crate::Outline;

/// Lines that open a section of their own: a Markdown heading, a short line
/// in capitals, or a short line ending in a colon.
fn is_heading(line: &Line) -> bool {
    !line.blank && (line.heading > 0 || (line.is_capitals() && line.words() <= 8))
}

/// Fills the outline's title, period, vision, mission, principles and capabilities.
pub fn read(lines: &[Line], outline: &mut Outline) {
    outline.title = title(lines);
    outline.organization = organization(lines);
    outline.period = period(lines);
    for (i, line) in lines.iter().enumerate() {
        if line.blank {
            continue;
        }
        let lower = line.text.to_lowercase();
        for (field, word) in [(0, "vision"), (1, "mission")] {
            let slot = if field == 0 {
                &mut outline.vision
            } else {
                &mut outline.mission
            };
            if slot.is_some() {
                continue;
            }
            if let Some(rest) = inline_field(&line.text, word) {
                *slot = Some(rest.to_owned());
            } else if is_heading(line)
                && line.words() <= 4
                && lower.split(|c: char| !c.is_alphabetic()).any(|w| w == word)
                && !lower.contains("practice")
            {
                *slot = paragraph_after(lines, i);
            }
        }
        if is_heading(line) && line.words() <= 5 {
            if outline.principles.is_empty()
                && (lower.contains("principles") || lower.ends_with("values"))
            {
                outline.principles = principles_after(lines, i);
            }
            if outline.capabilities.is_empty() && lower.contains("capabilities") {
                outline.capabilities = list_after(lines, i);
            }
        }
    }
}

/// `Vision: To be …` on one line.
fn inline_field<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let lower = text.to_lowercase();
    let at = lower.find(word)?;
    let after = &text[at + word.len()..];
    let prefix = lower[..at].trim();
    if !(prefix.is_empty() || prefix == "our") {
        return None;
    }
    let rest = after.strip_prefix(':')?.trim();
    (rest.split_whitespace().count() >= 4).then_some(rest)
}

fn paragraph_after(lines: &[Line], heading: usize) -> Option<String> {
    let mut text = Vec::new();
    for line in lines.iter().skip(heading + 1).take(60) {
        if line.blank {
            if !text.is_empty() {
                break;
            }
            continue;
        }
        if is_heading(line) {
            if text.is_empty() {
                continue;
            }
            break;
        }
        text.push(line.text.as_str());
    }
    (!text.is_empty()).then(|| text.join(" "))
}

/// `Name: what it means` lines, or list items, under a principles heading.
fn principles_after(lines: &[Line], heading: usize) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for line in lines.iter().skip(heading + 1).take(80) {
        if line.blank {
            continue;
        }
        if is_heading(line) {
            break;
        }
        match line.text.split_once(':') {
            Some((name, text)) if name.split_whitespace().count() <= 5 => {
                out.push((
                    name.trim().to_owned(),
                    Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
                ));
            }
            _ if line.bullet && line.words() <= 8 => out.push((line.text.clone(), None)),
            _ => {}
        }
        if out.len() >= 30 {
            break;
        }
    }
    out
}

/// The short items of a list (numbered or bulleted) under a heading.
fn list_after(lines: &[Line], heading: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines.iter().skip(heading + 1).take(80) {
        if line.blank {
            continue;
        }
        let item = items::numbered(&line.text)
            .map(|(_, t)| t)
            .or_else(|| line.bullet.then(|| line.text.clone()));
        match item {
            Some(t) if t.split_whitespace().count() <= 10 => out.push(t),
            _ if out.is_empty() => {
                if is_heading(line) {
                    break;
                }
            }
            _ => break,
        }
    }
    out
}

/// The first heading near the top that names a plan or strategy.
fn title(lines: &[Line]) -> Option<String> {
    let limit = (lines.len() / 4).max(40);
    let candidate = lines.iter().take(limit).find(|l| {
        let lower = l.text.to_lowercase();
        !l.blank
            && !l.toc
            && (l.heading > 0 || l.is_capitals())
            && l.words() <= 14
            && (lower.contains("plan") || lower.contains("strateg") || lower.contains("ambition"))
            && !lower.starts_with("source")
    })?;
    Some(if candidate.is_capitals() {
        title_case(&candidate.text)
    } else {
        candidate.text.clone()
    })
}

fn title_case(text: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to",
    ];
    text.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                lower
            } else if w.len() <= 3 && w.chars().all(|c| c.is_uppercase()) && i > 0 {
                w.to_owned()
            } else {
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|f| f.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words in the name of a public body.
const BODY_WORDS: &[&str] = &[
    "department",
    "office",
    "city",
    "county",
    "agency",
    "ministry",
    "government",
    "council",
    "authority",
    "services",
    "administration",
    "bureau",
    "commission",
    "secretariat",
];

/// The first short line near the top, in capitals or a heading, that names a public body.
fn organization(lines: &[Line]) -> Option<String> {
    let line = lines.iter().take(80).find(|l| {
        !l.blank
            && !l.toc
            && (l.heading > 0 || l.is_capitals())
            && (2..=10).contains(&l.words())
            && {
                let lower = l.text.to_lowercase();
                lower
                    .split(|c: char| !c.is_alphabetic())
                    .any(|w| BODY_WORDS.contains(&w))
                    && !lower.contains("plan")
                    && !lower.contains("strateg")
                    && !lower.contains("message")
            }
    })?;
    Some(if line.is_capitals() {
        title_case(&line.text)
    } else {
        line.text.clone()
    })
}

/// The first span of years near the top: `2022-2026`, `2022 – 2026`, `2017–21`.
fn period(lines: &[Line]) -> Option<(i32, i32)> {
    lines
        .iter()
        .take(400)
        .filter(|l| !l.blank)
        .find_map(|l| year_span(&l.text))
}

fn year_span(text: &str) -> Option<(i32, i32)> {
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len().saturating_sub(6) {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let Some(first) = year_at(&chars, start, 4) else {
            continue;
        };
        let mut k = start + 4;
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        if k < chars.len() && matches!(chars[k], '-' | '–' | '—' | '/') {
            k += 1;
        } else if chars[k..].starts_with(&['t', 'o']) {
            k += 2;
        } else {
            continue;
        }
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        let second =
            year_at(&chars, k, 4).or_else(|| year_at(&chars, k, 2).map(|y| first / 100 * 100 + y));
        if let Some(second) = second
            && second >= first
            && second - first <= 15
            && (1900..=2200).contains(&first)
        {
            return Some((first, second));
        }
    }
    None
}

fn year_at(chars: &[char], at: usize, digits: usize) -> Option<i32> {
    let slice = chars.get(at..at + digits)?;
    if !slice.iter().all(char::is_ascii_digit)
        || chars.get(at + digits).is_some_and(char::is_ascii_digit)
    {
        return None;
    }
    slice.iter().collect::<String>().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_spans() {
        assert_eq!(
            year_span("Strategic Technology Plan (2022 – 2026)"),
            Some((2022, 2026))
        );
        assert_eq!(year_span("Corporate plan 2017-21"), Some((2017, 2021)));
        assert_eq!(year_span("Call 202-325-0150"), None);
        assert_eq!(year_span("FY2024 to 2027"), Some((2024, 2027)));
    }

    #[test]
    fn title_case_keeps_acronyms() {
        assert_eq!(
            title_case("STRATEGIC PLAN OF THE CITY IT"),
            "Strategic Plan of the City IT"
        );
    }
}
