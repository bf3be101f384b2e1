//! StratML (ISO 17469-1) documents: Part 1 strategic plans
//! (`StrategicPlan`) and Part 2 performance plans and reports
//! (`PerformancePlanOrReport`).
//!
//! Goals become top-level items and their objectives the items beneath;
//! values become guiding principles. Part 2 performance indicators become
//! measures of the objective (or goal) holding them, and their actual
//! results values to record (the `indicator` module states the rules).
//! An objective whose code extends the one before it (`1.1.2` after `1.1`)
//! goes beneath it, and an objective with its goal's name and sequence
//! indicator holds the goal's own indicators: that is how Lodestar's StratML
//! export writes deeper levels and goal measures within the schemas.
//! Elements are matched by local name, so a document reads the same with or
//! without a namespace prefix and with either part's namespace.

mod indicator;
mod period;
mod xml;

use crate::{ImportError, Outline, RawNode, Warning};
use indicator::Indicators;
use period::Ymd;
use xml::Element;

/// Goals and objectives read, at most.
const MAX_ITEMS: usize = 10_000;
/// Objectives nested within objectives (which the schema does not allow,
/// but some documents do) are read this deep.
const MAX_NESTING: usize = 8;
/// A sentence this long or shorter, at the start of a description, can stand
/// in for a missing name.
const MAX_TITLE_SENTENCE: usize = 200;

/// The plan a StratML document describes.
pub fn read(text: &str) -> Result<Outline, ImportError> {
    let xml::Parsed { root, warnings } = xml::parse(text)?;
    if !matches!(
        root.name.as_str(),
        "StrategicPlan" | "PerformancePlanOrReport"
    ) {
        return Err(ImportError::Xml {
            line: root.line,
            message: format!(
                "the root element is <{}>; a StratML document starts with <StrategicPlan> (Part 1) or <PerformancePlanOrReport> (Part 2)",
                root.name
            ),
        });
    }
    let mut reader = Reader {
        indicators: Indicators::default(),
        warnings,
        items: 0,
    };
    let title = root.text_of("Name");
    let period = reader.period(&root, title.as_deref());
    let core = root.child("StrategicPlanCore");
    if core.is_none() {
        reader.warnings.push(Warning::at(
            root.line,
            "the document has no StrategicPlanCore, where StratML keeps goals and objectives",
        ));
    }
    let statement = |name: &str| core?.child(name)?.prose_of("Description");
    let principles = core
        .into_iter()
        .flat_map(|c| c.all("Value"))
        .filter_map(|v| match (v.text_of("Name"), v.prose_of("Description")) {
            (Some(name), text) => Some((name, text)),
            (None, Some(text)) => Some((text, None)),
            (None, None) => None,
        })
        .collect();
    let nodes = core
        .into_iter()
        .flat_map(|c| c.all("Goal"))
        .filter_map(|goal| reader.node(goal, None, 0))
        .collect();
    let mut warnings = reader.warnings;
    warnings.append(&mut reader.indicators.warnings);
    Ok(Outline {
        organization: core.and_then(|c| {
            c.all("Organization")
                .find_map(|o| o.text_of("Name").or_else(|| o.text_of("Acronym")))
        }),
        title,
        period,
        vision: statement("Vision"),
        mission: statement("Mission"),
        principles,
        capabilities: Vec::new(),
        levels: vec!["Goal".into(), "Objective".into()],
        nodes,
        observations: reader.indicators.observations,
        warnings,
    })
}

struct Reader {
    indicators: Indicators,
    warnings: Vec<Warning>,
    items: usize,
}

impl Reader {
    /// A goal or objective with its measures and the objectives beneath it.
    fn node(&mut self, element: &Element, parent: Option<&str>, depth: usize) -> Option<RawNode> {
        if self.items >= MAX_ITEMS {
            if self.items == MAX_ITEMS {
                self.warnings.push(Warning::at(
                    element.line,
                    format!("only the first {MAX_ITEMS} goals and objectives are read"),
                ));
                self.items += 1;
            }
            return None;
        }
        self.items += 1;
        let code = element
            .text_of("SequenceIndicator")
            .and_then(|c| code_within(&c, parent));
        let (title, mut description) = self.title_and_description(element);
        let mut notes: Vec<String> = description.take().into_iter().collect();
        notes.extend(element.prose_of("OtherInformation"));
        let stakeholders: Vec<String> = element
            .all("Stakeholder")
            .filter_map(|s| s.text_of("Name"))
            .collect();
        if !stakeholders.is_empty() {
            notes.push(format!("Stakeholders: {}.", stakeholders.join(", ")));
        }
        let (own, objectives): (Vec<&Element>, Vec<&Element>) = element
            .all("Objective")
            .partition(|o| depth == 0 && holds_goals_indicators(element, o));
        let measures = element
            .all("PerformanceIndicator")
            .chain(own.iter().flat_map(|o| o.all("PerformanceIndicator")))
            .filter_map(|i| self.indicators.measure(i))
            .collect();
        if depth >= MAX_NESTING && !objectives.is_empty() {
            self.warnings.push(Warning::at(
                element.line,
                format!("objectives nested more than {MAX_NESTING} deep are left out"),
            ));
        }
        let children = objectives
            .into_iter()
            .take_while(|_| depth < MAX_NESTING)
            .filter_map(|o| self.node(o, code.as_deref(), depth + 1))
            .fold(Vec::new(), |mut siblings, node| {
                nest_by_code(&mut siblings, node, depth + 1);
                siblings
            });
        Some(RawNode {
            code,
            title,
            description: (!notes.is_empty()).then(|| notes.join("\n\n")),
            horizon: None,
            line: Some(element.line),
            measures,
            children,
        })
    }

    /// The item's name and description; without a name, the first sentence
    /// of the description stands in for it.
    fn title_and_description(&mut self, element: &Element) -> (String, Option<String>) {
        let description = element.prose_of("Description");
        if let Some(name) = element.text_of("Name") {
            return (name, description);
        }
        let Some(description) = description else {
            return (String::new(), None);
        };
        self.warnings.push(Warning::at(
            element.line,
            format!(
                "this {} has no name; its title is taken from its description",
                element.name.to_lowercase()
            ),
        ));
        let first = description.split("\n\n").next().unwrap_or_default();
        let end = first
            .char_indices()
            .filter(|&(_, c)| matches!(c, '.' | '!' | '?'))
            .map(|(i, c)| (i, c, i + c.len_utf8()))
            .find(|&(_, _, after)| first[after..].is_empty() || first[after..].starts_with(' '));
        match end {
            Some((i, c, after)) if i <= MAX_TITLE_SENTENCE => {
                let title = if c == '.' {
                    &first[..i]
                } else {
                    &first[..after]
                };
                let whole = after == description.len();
                (title.to_owned(), (!whole).then_some(description))
            }
            _ => (description, None),
        }
    }

    /// The plan's years: from its administrative start and end dates, else
    /// from the years its name mentions, else five years from the one date it has.
    fn period(&mut self, root: &Element, title: Option<&str>) -> Option<(i32, i32)> {
        let admin = root.child("AdministrativeInformation");
        let year = |name: &str| {
            admin
                .and_then(|a| a.text_of(name))
                .and_then(|t| Ymd::parse(&t))
                .map(|d| d.year)
        };
        let (start, end) = (year("StartDate"), year("EndDate"));
        match (start, end) {
            (Some(s), Some(e)) if s <= e => return Some((s, e)),
            (Some(s), Some(e)) => self.warnings.push(Warning::at(
                admin.map_or(root.line, |a| a.line),
                format!(
                    "the plan's end date ({e}) is before its start date ({s}); both are ignored"
                ),
            )),
            _ => {}
        }
        let named = years_in(title.unwrap_or_default());
        if let (Some(first), Some(last)) = (named.iter().min(), named.iter().max()) {
            return Some((*first, *last));
        }
        let line = admin.map_or(root.line, |a| a.line);
        let (from, to) = match (start, end) {
            (Some(s), None) => (s, s + 4),
            (None, Some(e)) => (e - 4, e),
            _ => return None,
        };
        self.warnings.push(Warning::at(
            line,
            format!(
                "the document gives only one of its start and end dates; {from}–{to} is assumed"
            ),
        ));
        Some((from, to))
    }
}

/// A sequence indicator as a code: `Goal 2` is `2`, a trailing `.` is
/// dropped, and an objective's bare number goes beneath its goal's (`1` in
/// goal `2` is `2.1`).
fn code_within(raw: &str, parent: Option<&str>) -> Option<String> {
    let last = raw.split_whitespace().last()?;
    let code = last.trim_end_matches(['.', ':', ')']);
    if code.is_empty() {
        return None;
    }
    let bare = !code.contains(['.', ':', '-', '/']);
    Some(match parent {
        Some(p) if bare => format!("{p}.{code}"),
        _ => code.to_owned(),
    })
}

/// Whether `objective` only carries `goal`'s own performance indicators, as
/// Lodestar's export writes them (Part 2 gives goals no indicators): it has
/// the goal's name and sequence indicator, and no objectives of its own.
fn holds_goals_indicators(goal: &Element, objective: &Element) -> bool {
    let same = |name: &str| {
        let (g, o) = (goal.text_of(name), objective.text_of(name));
        g.is_some() && g == o
    };
    same("Name") && same("SequenceIndicator") && objective.child("Objective").is_none()
}

/// Adds `node` after `siblings`, or beneath the last of them (at any depth)
/// when its code extends that one's: `1.1.2` after `1.1` goes beneath it, so
/// a plan whose deeper levels were written as a flat list of objectives
/// comes back as a tree, at most `MAX_NESTING` deep.
fn nest_by_code(siblings: &mut Vec<RawNode>, node: RawNode, depth: usize) {
    if depth < MAX_NESTING
        && let Some(last) = siblings.last_mut()
        && let (Some(parent), Some(code)) = (&last.code, &node.code)
        && code
            .strip_prefix(parent.as_str())
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
    {
        return nest_by_code(&mut last.children, node, depth + 1);
    }
    siblings.push(node);
}

/// Years from 1900 to 2200 written as four digits of their own.
fn years_in(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .filter(|y| (1900..=2200).contains(y))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_indicators_become_codes_beneath_their_goal() {
        assert_eq!(code_within("2", None).as_deref(), Some("2"));
        assert_eq!(code_within("Goal 3.", None).as_deref(), Some("3"));
        assert_eq!(code_within("1", Some("2")).as_deref(), Some("2.1"));
        assert_eq!(code_within("2.4", Some("2")).as_deref(), Some("2.4"));
        assert_eq!(code_within("  ", Some("2")), None);
    }

    #[test]
    fn years_are_found_in_names() {
        assert_eq!(years_in("IT Plan FY2025–FY2028"), [2025, 2028]);
        assert_eq!(years_in("Plan 12345 for 1850"), Vec::<i32>::new());
    }

    fn outline(core: &str) -> Outline {
        read(&format!(
            "<StrategicPlan><Name>Plan 2025-2027</Name><StrategicPlanCore>{core}</StrategicPlanCore></StrategicPlan>"
        ))
        .unwrap()
    }

    #[test]
    fn an_unnamed_objective_takes_its_first_sentence_as_title() {
        let o = outline(
            "<Goal><Name>G</Name><Description>d</Description>\
             <Objective><Description>Publish open data. Start with budgets.</Description></Objective>\
             <Objective><Description>Retire the mainframe.</Description></Objective></Goal>",
        );
        let objectives = &o.nodes[0].children;
        assert_eq!(objectives[0].title, "Publish open data");
        assert_eq!(
            objectives[0].description.as_deref(),
            Some("Publish open data. Start with budgets.")
        );
        assert_eq!(objectives[1].title, "Retire the mainframe");
        assert_eq!(objectives[1].description, None);
        assert_eq!(o.warnings.len(), 2);
        assert_eq!(o.period, Some((2025, 2027)));
    }

    #[test]
    fn objectives_nest_by_code_and_a_goal_takes_its_own_indicators() {
        let indicator = |name: &str| {
            format!(
                "<PerformanceIndicator><MeasurementDimension>{name}</MeasurementDimension></PerformanceIndicator>"
            )
        };
        let o = outline(&format!(
            "<Goal><Name>G</Name><Description/><SequenceIndicator>1</SequenceIndicator>\
             <Objective><Name>G</Name><SequenceIndicator>1</SequenceIndicator>{}</Objective>\
             <Objective><Name>A</Name><SequenceIndicator>1.1</SequenceIndicator></Objective>\
             <Objective><Name>B</Name><SequenceIndicator>1.1.1</SequenceIndicator>{}</Objective>\
             <Objective><Name>C</Name><SequenceIndicator>1.10</SequenceIndicator></Objective></Goal>",
            indicator("Uptime"),
            indicator("Calls")
        ));
        let goal = &o.nodes[0];
        assert_eq!(goal.measures[0].name.as_str(), "Uptime");
        let titles: Vec<&str> = goal.children.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["A", "C"]);
        assert_eq!(goal.children[0].children[0].title, "B");
        assert_eq!(
            goal.children[0].children[0].measures[0].name.as_str(),
            "Calls"
        );
    }

    #[test]
    fn another_root_element_is_not_stratml() {
        let err = read("<?xml version=\"1.0\"?>\n<Plan><Name>x</Name></Plan>").unwrap_err();
        assert!(
            matches!(&err, ImportError::Xml { line: 2, message } if message.contains("<Plan>")),
            "{err:?}"
        );
    }
}
