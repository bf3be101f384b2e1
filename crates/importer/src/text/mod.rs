//! The reader of plan text: plain text extracted from a PDF, or Markdown.
//!
//! Four passes: clean and classify the lines ([`lines`]); decide how the
//! document marks its items ([`scheme`]); build the tree, with the lists and
//! initiative tables beneath items ([`build`], [`table`]); read the plan's
//! own fields around it ([`front`]). Every rule is about the shape of plan
//! documents in general, never about one document.

mod build;
mod front;
mod items;
mod lines;
mod scheme;
mod similar;
mod table;
mod wording;

use crate::{ImportError, Outline, Warning};
use scheme::Scheme;

/// The plan a text describes.
pub fn read(text: &str, _markdown: bool) -> Result<Outline, ImportError> {
    let lines = lines::split(text);
    let scheme = Scheme::detect(&lines);
    let mut outline = Outline::default();
    let built = build::build(&lines, &scheme, &mut outline.warnings);
    if built.too_many {
        return Err(ImportError::TooManyItems {
            limit: build::MAX_ITEMS,
        });
    }
    for line in lines.iter().filter(|l| l.cut) {
        outline.warnings.push(Warning::at(
            line.no,
            format!(
                "this line is longer than {} characters; only its start was read",
                lines::MAX_LINE_CHARS
            ),
        ));
    }
    front::read(&lines, &mut outline);
    outline.levels = level_names(&lines, &scheme, &built);
    outline.nodes = built.nodes;
    Ok(outline)
}

/// "STRATEGIC GOALS (STRATEGIES) & OBJECTIVES" → Goal, Objective: a heading
/// made only of level nouns and joining words names the levels; a noun in
/// brackets is another name for the one before it.
fn level_nouns(heading: &str) -> Option<Vec<String>> {
    const JOINING: &[&str] = &[
        "strategic",
        "key",
        "and",
        "our",
        "the",
        "of",
        "with",
        "their",
    ];
    let mut nouns = Vec::new();
    let mut depth = 0usize;
    for word in heading.split_whitespace() {
        let opens = word.starts_with('(');
        if opens {
            depth += 1;
        }
        let bare: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        if !bare.is_empty() && depth == 0 {
            match items::noun_in(&bare) {
                Some(noun) => nouns.push(noun),
                None if JOINING.contains(&bare.to_lowercase().as_str()) => {}
                None => return None,
            }
        }
        if word.ends_with(')') {
            depth = depth.saturating_sub(1);
        }
    }
    Some(nouns)
}

/// The level names the document gives: its labels, or the nouns of the
/// heading that introduces its items; a table's header names the level below.
fn level_names(lines: &[lines::Line], scheme: &Scheme, built: &build::Built) -> Vec<String> {
    let mut names: Vec<String> = match scheme {
        Scheme::Labelled(..) => built.labels.iter().map(|l| items::level_name(l)).collect(),
        _ => lines
            .iter()
            .filter(|l| !l.blank && (l.heading > 0 || l.is_capitals()) && l.words() <= 8)
            .filter_map(|l| level_nouns(&l.text))
            .find(|nouns| nouns.len() >= 2)
            .unwrap_or_default(),
    };
    let mut fallback = ["Goal", "Pillar", "Area"].into_iter();
    for name in names.iter_mut().filter(|n| n.is_empty()) {
        *name = fallback.next().unwrap_or("Level").to_owned();
    }
    if let Some(below) = &built.list_level_name
        && !names.iter().any(|n| n.eq_ignore_ascii_case(below))
    {
        names.push(below.clone());
    }
    names
}
