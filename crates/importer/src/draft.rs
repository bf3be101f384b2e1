//! What every reader produces: an [`Outline`] of loose strings as the document
//! has them, and the one place ([`Outline::finish`]) that turns it into a
//! valid plan-as-code document, fixing what a document can get wrong (long
//! titles, repeated codes, a missing period) and warning about each fix.

use crate::SourceKind;
use lodestar_domain::document::{
    FORMAT, MeasureEntry, NodeEntry, OrganizationRef, PlanDocument, TagEntry,
};
use lodestar_domain::{
    Code, Horizon, Key, LevelNames, LongText, MeasureKey, Name, Period, PlanStatus, Principle,
    ReportingPeriod, Value,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

/// A place where the importer is unsure, for the reviewer to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Warning {
    /// The 1-based line of the document it is about, when it is about one.
    pub line: Option<u32>,
    /// What to check, and why.
    pub message: String,
}

impl Warning {
    /// A warning about line `line`.
    pub fn at(line: u32, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }

    /// A warning about the document as a whole.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }
}

/// What the importer is told besides the document itself.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The file name, for detection and for a title when the document has none.
    pub source_name: String,
    /// The organization to file the plan under, instead of the one the document names.
    pub organization: Option<String>,
    /// The plan's key, instead of one made from its title.
    pub key: Option<String>,
    /// The current year: the period of a plan that names no years starts here.
    pub this_year: i32,
}

/// A plan item as a reader found it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawNode {
    /// Its number as printed (`1.2`, `3:4`), if any.
    pub code: Option<String>,
    /// Its title as printed.
    pub title: String,
    /// Prose that belongs to it.
    pub description: Option<String>,
    /// When the document says it happens.
    pub horizon: Option<Horizon>,
    /// The 1-based line where it starts.
    pub line: Option<u32>,
    /// Its measures (StratML performance indicators).
    pub measures: Vec<MeasureEntry>,
    /// The items beneath it.
    pub children: Vec<RawNode>,
}

/// A document as a reader understood it, before it is made into a valid plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    /// The plan's title.
    pub title: Option<String>,
    /// The organization whose plan it is.
    pub organization: Option<String>,
    /// The years it covers.
    pub period: Option<(i32, i32)>,
    /// The vision statement.
    pub vision: Option<String>,
    /// The mission statement.
    pub mission: Option<String>,
    /// Guiding principles: a name and what it means.
    pub principles: Vec<(String, Option<String>)>,
    /// Cross-cutting capabilities, which become the plan's tags.
    pub capabilities: Vec<String>,
    /// Names of the levels as the document gives them, top first.
    pub levels: Vec<String>,
    /// The top-level items.
    pub nodes: Vec<RawNode>,
    /// Values the document reports for its measures (StratML actual results).
    pub observations: Vec<DraftObservation>,
    /// What the reader was unsure about.
    pub warnings: Vec<Warning>,
}

/// A value that a document reports for one of its measures, recorded when
/// the draft is confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DraftObservation {
    /// The measure's key, as in the draft document.
    #[schema(value_type = String)]
    pub measure: MeasureKey,
    /// The period the value is for.
    pub period: ReportingPeriod,
    /// The value.
    pub value: Value,
    /// What the document says about it.
    pub note: Option<String>,
}

/// The importer's result: a draft plan and what to check in it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Draft {
    /// What kind of document it was read from.
    pub source: SourceKind,
    /// The plan, in status `draft`.
    pub document: PlanDocument,
    /// Values to record for the plan's measures once it is stored.
    pub observations: Vec<DraftObservation>,
    /// Where the importer is unsure, in document order.
    pub warnings: Vec<Warning>,
    /// The line each node was read from, in tree order (every parent before
    /// its children), so that warnings can be shown beside their node; empty
    /// for a document that has no lines to point at.
    #[serde(skip)]
    pub lines: Vec<Option<u32>>,
}

const DEFAULT_LEVELS: [&str; 6] = ["Goal", "Objective", "Initiative", "Task", "Subtask", "Step"];
const UNNAMED_ORGANIZATION: &str = "Unnamed organization";

impl Outline {
    /// Makes the outline into a valid plan document. Never fails: whatever
    /// does not fit the plan model is shortened, renamed or dropped, with a warning.
    pub fn finish(mut self, source: SourceKind, options: &ImportOptions) -> Draft {
        let mut warnings = std::mem::take(&mut self.warnings);
        let title = match self
            .title
            .as_deref()
            .and_then(|t| name_or_cut(t, None, &mut warnings))
        {
            Some(title) => title,
            None => {
                let stem = file_stem(&options.source_name);
                let title = name_or_cut(stem, None, &mut Vec::new())
                    .filter(|_| !stem.starts_with('<'))
                    .unwrap_or_else(|| Name::parse("Imported plan").expect("valid"));
                warnings.push(Warning::general(format!(
                    "the document has no title that names a plan; it is called {:?} for now",
                    title.as_str()
                )));
                title
            }
        };
        let organization = options
            .organization
            .as_deref()
            .or(self.organization.as_deref())
            .and_then(|o| name_or_cut(o, None, &mut warnings))
            .unwrap_or_else(|| {
                warnings.push(Warning::general(format!(
                    "the document does not name its organization; the plan is filed under {UNNAMED_ORGANIZATION:?}"
                )));
                Name::parse(UNNAMED_ORGANIZATION).expect("valid")
            });
        let period = self
            .period
            .and_then(|(a, b)| Period::new(a, b).ok())
            .unwrap_or_else(|| {
                let start = options.this_year.clamp(1900, 2196);
                warnings.push(Warning::general(format!(
                    "the document names no period; {start}–{} is assumed",
                    start + 4
                )));
                Period::new(start, start + 4).expect("within range")
            });
        let key = options
            .key
            .as_deref()
            .and_then(|k| Key::parse(k).ok())
            .unwrap_or_else(|| {
                let year = period.start_year.to_string();
                if title.as_str().contains(&year) {
                    slug_key(title.as_str())
                } else {
                    slug_key(&format!("{} {year}", title.as_str()))
                }
            });

        let mut lines = Vec::new();
        collect_lines(&self.nodes, &mut lines);
        let mut codes = Codes::default();
        let mut measure_keys = HashSet::new();
        let nodes = self
            .nodes
            .into_iter()
            .enumerate()
            .map(|(i, n)| node_entry(n, None, i, &mut codes, &mut measure_keys, &mut warnings))
            .collect::<Vec<_>>();
        let depth = nodes.iter().map(depth_of).max().unwrap_or(1);
        let levels = level_names(&self.levels, depth, &mut warnings);

        let principles = self
            .principles
            .iter()
            .filter_map(|(name, text)| {
                Some(Principle {
                    name: name_or_cut(name, None, &mut warnings)?,
                    text: text.as_deref().and_then(long_text),
                })
            })
            .collect();
        let mut tag_keys = HashSet::new();
        let tags = self
            .capabilities
            .iter()
            .filter_map(|c| {
                let name = name_or_cut(c, None, &mut warnings)?;
                let key = slug_key(name.as_str());
                tag_keys
                    .insert(key.as_str().to_owned())
                    .then_some(TagEntry {
                        key,
                        name,
                        description: None,
                    })
            })
            .collect();

        let document = PlanDocument {
            format: FORMAT.to_owned(),
            organization: OrganizationRef {
                name: organization,
                parent: None,
            },
            key,
            title,
            period,
            status: PlanStatus::Draft,
            vision: self.vision.as_deref().and_then(long_text),
            mission: self.mission.as_deref().and_then(long_text),
            principles,
            levels,
            departments: Vec::new(),
            people: Vec::new(),
            tags,
            nodes,
        };
        warnings.sort_by_key(|w| w.line.unwrap_or(0));
        Draft {
            source,
            document,
            observations: self.observations,
            warnings,
            lines,
        }
    }
}

fn collect_lines(nodes: &[RawNode], out: &mut Vec<Option<u32>>) {
    for node in nodes {
        out.push(node.line);
        collect_lines(&node.children, out);
    }
}

fn depth_of(node: &NodeEntry) -> usize {
    1 + node.children.iter().map(depth_of).max().unwrap_or(0)
}

/// The document's level names, completed with the conventional ones below them.
fn level_names(found: &[String], depth: usize, warnings: &mut Vec<Warning>) -> LevelNames {
    let mut names: Vec<Name> = Vec::new();
    for raw in found.iter().take(LevelNames::MAX) {
        if let Ok(name) = Name::parse(raw.trim())
            && !names
                .iter()
                .any(|n| n.as_str().eq_ignore_ascii_case(name.as_str()))
        {
            names.push(name);
        }
    }
    let wanted = depth.clamp(1, LevelNames::MAX);
    let mut fallbacks = DEFAULT_LEVELS.iter().skip(names.len());
    let mut numbered = names.len();
    while names.len() < wanted {
        let candidate = match fallbacks.next() {
            Some(name) => (*name).to_owned(),
            None => {
                numbered += 1;
                format!("Level {numbered}")
            }
        };
        if !names
            .iter()
            .any(|n| n.as_str().eq_ignore_ascii_case(&candidate))
        {
            names.push(Name::parse(&candidate).expect("valid"));
        }
    }
    LevelNames::new(names).unwrap_or_else(|e| {
        warnings.push(Warning::general(format!(
            "level names: {e}; the standard ones are used"
        )));
        LevelNames::standard()
    })
}

/// Codes given so far, so that each node's is unique.
#[derive(Default)]
struct Codes(HashSet<String>);

impl Codes {
    /// The document's code when it is valid and new; otherwise one made from
    /// the parent's code and the node's position.
    fn assign(&mut self, printed: Option<&str>, parent: Option<&Code>, index: usize) -> Code {
        if let Some(code) = printed.and_then(|p| Code::parse(p.trim()).ok())
            && self.0.insert(code.as_str().to_owned())
        {
            return code;
        }
        let base = match parent {
            Some(p) => format!("{}.{}", p.as_str(), index + 1),
            None => (index + 1).to_string(),
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while self.0.contains(&candidate) || Code::parse(&candidate).is_err() {
            candidate = format!(
                "{}-{n}",
                base.chars().take(Code::MAX_CHARS - 6).collect::<String>()
            );
            n += 1;
        }
        self.0.insert(candidate.clone());
        Code::parse(&candidate).expect("built from digits and dots")
    }
}

fn node_entry(
    raw: RawNode,
    parent: Option<&Code>,
    index: usize,
    codes: &mut Codes,
    measure_keys: &mut HashSet<String>,
    warnings: &mut Vec<Warning>,
) -> NodeEntry {
    let code = codes.assign(raw.code.as_deref(), parent, index);
    let mut description = raw.description.clone();
    let title = name_or_cut(&raw.title, raw.line, warnings)
        .inspect(|t| {
            let full = collapse(&raw.title);
            if let Some(rest) = full.get(t.as_str().len()..).map(str::trim)
                && !rest.is_empty()
            {
                description = Some(match description.take() {
                    Some(d) => format!("{rest}\n\n{d}"),
                    None => rest.to_owned(),
                });
            }
        })
        .unwrap_or_else(|| {
            warnings.push(Warning {
                line: raw.line,
                message: format!("item {} has no title", code.as_str()),
            });
            Name::parse(&format!("Untitled {}", code.as_str())).expect("valid")
        });
    let measures = raw
        .measures
        .into_iter()
        .map(|mut m| {
            let mut key = m.key.as_str().to_owned();
            let mut n = 2;
            while !measure_keys.insert(key.clone()) {
                key = format!("{}_{n}", m.key.as_str());
                n += 1;
            }
            m.key = MeasureKey::parse(&key).unwrap_or(m.key);
            m
        })
        .collect();
    let children = raw
        .children
        .into_iter()
        .enumerate()
        .map(|(i, c)| node_entry(c, Some(&code), i, codes, measure_keys, warnings))
        .collect();
    NodeEntry {
        code: Some(code),
        title,
        level: None,
        description: description.as_deref().and_then(long_text),
        owner: None,
        sponsor: None,
        department: None,
        horizon: raw.horizon,
        start_date: None,
        due_date: None,
        weight: None,
        cadence: None,
        milestones: Vec::new(),
        measures,
        tags: Vec::new(),
        supports: Vec::new(),
        children,
    }
}

/// The text as a name: spaces collapsed, control characters dropped, and cut
/// at a word boundary (with a warning) when it is longer than a name may be.
fn name_or_cut(raw: &str, line: Option<u32>, warnings: &mut Vec<Warning>) -> Option<Name> {
    let clean = collapse(raw);
    if clean.is_empty() {
        return None;
    }
    if clean.chars().count() <= Name::MAX_CHARS {
        return Name::parse(&clean).ok();
    }
    let mut cut: String = clean.chars().take(Name::MAX_CHARS).collect();
    if let Some(space) = cut.rfind(' ')
        && space > Name::MAX_CHARS / 2
    {
        cut.truncate(space);
    }
    warnings.push(Warning {
        line,
        message: format!(
            "a title of {} characters was cut to {}; the rest is kept in the description",
            clean.chars().count(),
            cut.chars().count()
        ),
    });
    Name::parse(&cut).ok()
}

fn long_text(raw: &str) -> Option<LongText> {
    let clean: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .take(LongText::MAX_CHARS)
        .collect();
    LongText::parse(&clean).ok()
}

fn collapse(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn file_stem(source_name: &str) -> &str {
    let base = source_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source_name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

/// A key made from free text: lower-case words joined by hyphens, at most 64 characters.
pub fn slug_key(text: &str) -> Key {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > Key::MAX_CHARS {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    Key::parse(if slug.is_empty() {
        "imported-plan"
    } else {
        &slug
    })
    .expect("lower-case ASCII words joined by hyphens")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ImportOptions {
        ImportOptions {
            source_name: "harbor-falls.txt".into(),
            this_year: 2026,
            ..ImportOptions::default()
        }
    }

    fn node(code: Option<&str>, title: &str, children: Vec<RawNode>) -> RawNode {
        RawNode {
            code: code.map(str::to_owned),
            title: title.into(),
            children,
            ..RawNode::default()
        }
    }

    #[test]
    fn a_finished_outline_is_a_valid_document() {
        let outline = Outline {
            title: Some("Harbor Falls IT Plan 2025–2028".into()),
            period: Some((2025, 2028)),
            levels: vec!["Pillar".into()],
            nodes: vec![node(
                Some("1"),
                "Residents first",
                vec![node(None, "Open data", vec![])],
            )],
            ..Outline::default()
        };
        let draft = outline.finish(SourceKind::Text, &options());
        let doc = &draft.document;
        assert!(doc.validate().is_ok(), "{:?}", doc.validate());
        assert_eq!(doc.key.as_str(), "harbor-falls-it-plan-2025-2028");
        assert_eq!(doc.status, PlanStatus::Draft);
        assert_eq!(doc.levels.describe(), "Pillar, Objective");
        assert_eq!(
            doc.nodes[0].children[0].code.as_ref().unwrap().as_str(),
            "1.1"
        );
        assert!(
            draft
                .warnings
                .iter()
                .any(|w| w.message.contains("organization"))
        );
    }

    #[test]
    fn repeated_codes_are_replaced_by_positions() {
        let outline = Outline {
            period: Some((2025, 2028)),
            nodes: vec![node(Some("1"), "A", vec![]), node(Some("1"), "B", vec![])],
            ..Outline::default()
        };
        let doc = outline.finish(SourceKind::Text, &options()).document;
        let codes: Vec<_> = doc.nodes.iter().map(|n| n.code.clone().unwrap()).collect();
        assert_eq!(codes[0].as_str(), "1");
        assert_eq!(codes[1].as_str(), "2");
    }

    #[test]
    fn a_long_title_is_cut_and_the_rest_kept() {
        let long = "word ".repeat(200);
        let outline = Outline {
            nodes: vec![node(None, &long, vec![])],
            ..Outline::default()
        };
        let draft = outline.finish(SourceKind::Text, &options());
        let n = &draft.document.nodes[0];
        assert!(n.title.as_str().len() <= Name::MAX_CHARS);
        let kept = n.title.as_str().len() + 1 + n.description.as_ref().unwrap().as_str().len();
        assert_eq!(kept, long.trim().len());
        assert!(draft.warnings.iter().any(|w| w.message.contains("was cut")));
        assert!(
            draft
                .warnings
                .iter()
                .any(|w| w.message.contains("no period"))
        );
    }
}
