//! Which lines of a document are its plan items: the numbering scheme the
//! document follows, decided once from the whole text so that an ordinary
//! numbered list elsewhere is not mistaken for goals.

use super::items::{self, Labelled};
use super::lines::Line;
use std::collections::{HashMap, HashSet};

/// How the document marks its plan items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// Labels that name the level: `GOAL 1:`, `Objective 1.1:`, `Principle:`.
    /// Holds the labels (lower case) from the top level down, and how many
    /// unlabelled levels sit above them (`Strategy 1.1` under an unnumbered
    /// pillar heading has one).
    Labelled(Vec<String>, usize),
    /// Decimal numbers: `1.` above `1.1` above `1.1.1`.
    Numbered,
    /// Sections numbered in roman numerals, their sub-headings below them.
    Roman,
    /// Unnumbered headings, each followed by the same set of sub-sections
    /// ("Current situation", "How we'll do this", …): the headings are the
    /// items, and the sub-headings of the action sub-section are below them.
    Template(Template),
    /// Nothing recognizable.
    None,
}

/// A line that starts a plan item under the chosen scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// 0 for the top level.
    pub level: usize,
    /// Its printed number.
    pub code: Option<String>,
    /// Its title.
    pub title: String,
    /// The label it was printed with, if any.
    pub label: Option<String>,
}

impl Scheme {
    /// Decides the scheme from every line of the document.
    pub fn detect(lines: &[Line]) -> Self {
        let (labelled, implied) = labelled_levels(lines);
        if !labelled.is_empty() {
            return Self::Labelled(labelled, implied);
        }
        let codes: HashSet<String> = lines
            .iter()
            .filter(|l| !l.blank)
            .filter_map(|l| items::numbered(&l.text))
            .map(|(code, _)| code)
            .collect();
        let nested = codes
            .iter()
            .filter(|c| c.contains('.') && codes.contains(parent_code(c)))
            .count();
        if nested >= 2 {
            return Self::Numbered;
        }
        if let Some(template) = Template::detect(lines) {
            return Self::Template(template);
        }
        let romans = lines
            .iter()
            .filter(|l| l.heading > 0 && items::roman(&l.text).is_some())
            .count();
        if romans >= 2 {
            return Self::Roman;
        }
        Self::None
    }

    /// The item a line starts, if it starts one under this scheme.
    pub fn item(&self, line: &Line) -> Option<ItemLine> {
        if line.blank {
            return None;
        }
        match self {
            Self::Labelled(labels, implied) => {
                let Labelled { label, code, title } = items::labelled(&line.text)?;
                let level = labels.iter().position(|l| *l == label.to_lowercase())? + implied;
                Some(ItemLine {
                    level,
                    code,
                    title,
                    label: Some(label),
                })
            }
            Self::Numbered => {
                let (code, title) = items::numbered(&line.text)?;
                Some(ItemLine {
                    level: code.split('.').count() - 1,
                    code: Some(code),
                    title,
                    label: None,
                })
            }
            Self::Roman => {
                if line.heading == 0 {
                    return None;
                }
                let (code, title) = items::roman(&line.text)?;
                Some(ItemLine {
                    level: 0,
                    code: Some(code),
                    title,
                    label: None,
                })
            }
            Self::Template(_) | Self::None => None,
        }
    }
}

/// `1.2` → `1`; `1` → `1`.
pub fn parent_code(code: &str) -> &str {
    code.rsplit_once(['.', ':']).map_or(code, |(head, _)| head)
}

/// Labels printed at least twice as item lines, ordered from the top level:
/// by the depth of their numbers, then by heading level, then by first use;
/// and the number of levels that the top label's numbers imply above it.
fn labelled_levels(lines: &[Line]) -> (Vec<String>, usize) {
    struct Seen {
        count: usize,
        first: usize,
        depth: usize,
        shallowest: usize,
        heading: u8,
    }
    let mut seen: HashMap<String, Seen> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.blank {
            continue;
        }
        let Some(found) = items::labelled(&line.text) else {
            continue;
        };
        let key = found.label.to_lowercase();
        let depth = found
            .code
            .as_deref()
            .map_or(0, |c| c.split(['.', ':']).count());
        let entry = seen.entry(key).or_insert(Seen {
            count: 0,
            first: i,
            depth,
            shallowest: depth,
            heading: line.heading,
        });
        entry.count += 1;
        entry.depth = entry.depth.max(depth);
        entry.shallowest = entry.shallowest.min(depth);
        if entry.heading == 0 {
            entry.heading = line.heading;
        }
    }
    // A label printed once still names a level when its number is the
    // parent of a repeated label's numbers (a plan with one goal).
    let deepest_repeated = seen
        .values()
        .filter(|s| s.count >= 2)
        .map(|s| s.shallowest)
        .max()
        .unwrap_or(0);
    let mut labels: Vec<(String, Seen)> = seen
        .into_iter()
        .filter(|(_, s)| s.count >= 2 || (s.depth > 0 && s.depth < deepest_repeated))
        .collect();
    let all_coded = labels.iter().all(|(_, s)| s.depth > 0);
    let depths_differ = labels
        .iter()
        .map(|(_, s)| s.depth)
        .collect::<HashSet<_>>()
        .len()
        == labels.len();
    let all_headings = labels.iter().all(|(_, s)| s.heading > 0);
    labels.sort_by_key(|(_, s)| {
        if all_coded && depths_differ {
            (s.depth, 0, s.first)
        } else if all_headings {
            (0, usize::from(s.heading), s.first)
        } else {
            (0, 0, s.first)
        }
    });
    let implied = labels
        .first()
        .map_or(0, |(_, s)| s.shallowest.saturating_sub(1).min(2));
    (
        labels.into_iter().map(|(label, _)| label).collect(),
        implied,
    )
}

/// The repeated sub-sections of a templated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Folded titles of the sub-headings that every item repeats.
    pub sections: HashSet<String>,
    /// The one that opens each item's group.
    pub first: String,
    /// The one that holds the item's actions.
    pub actions: String,
}

/// Words that name the sub-section holding the actions.
const ACTION_SECTION_WORDS: &[&str] = &[
    "how we",
    "actions",
    "what we will do",
    "next steps",
    "initiatives",
    "our approach",
    "we will",
];

impl Template {
    fn detect(lines: &[Line]) -> Option<Self> {
        let headings: Vec<String> = lines
            .iter()
            .filter(|l| l.heading > 0 && !l.blank)
            .map(|l| fold(&l.text))
            .collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for h in &headings {
            *counts.entry(h.as_str()).or_default() += 1;
        }
        let sections: HashSet<String> = counts
            .iter()
            .filter(|(_, n)| **n >= 3)
            .map(|(h, _)| (*h).to_owned())
            .collect();
        if sections.len() < 2 {
            return None;
        }
        let actions = headings
            .iter()
            .filter(|h| sections.contains(*h))
            .find(|h| ACTION_SECTION_WORDS.iter().any(|w| h.contains(w)))?
            .clone();
        let first = headings.iter().find(|h| sections.contains(*h))?.clone();
        (first != actions).then_some(Self {
            sections,
            first,
            actions,
        })
    }
}

/// Lower case, letters and digits only, single spaces.
pub fn fold(text: &str) -> String {
    super::similar::fold(&text.replace(['’', '\''], ""))
}
