//! Plan-as-code: a whole plan as one document that people write and review in
//! YAML (or JSON), and that `lodestar export` produces and `lodestar import` reads.
//!
//! The document refers to people, departments, tags and other plans by name,
//! key or code, never by database id, so it means the same in every installation.
//! `validate` checks every rule that needs no database; the services layer
//! resolves what does (alignment targets in other plans).

use crate::measure::check_measure_rules;
use crate::{
    Baseline, Cadence, CalendarDate, Code, Email, Formula, Frequency, Horizon, Key, LevelNames,
    LongText, MeasureDirection, MeasureKey, Name, Period, PlanStatus, Principle, Target,
    Thresholds, ValidationError, Weight,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// The format marker written at the top of every exported document.
pub const FORMAT: &str = "lodestar-plan/1";

/// A whole plan, with its organization and everything its nodes refer to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    /// Always `lodestar-plan/1` for this version of the format.
    #[serde(default = "format_marker")]
    pub format: String,
    /// The organization whose plan it is; created on import if it does not exist.
    pub organization: OrganizationRef,
    /// A stable handle, unique across the installation.
    pub key: Key,
    /// The plan's title.
    pub title: Name,
    /// The years it covers.
    pub period: Period,
    /// Where it is in its life.
    #[serde(default = "draft")]
    pub status: PlanStatus,
    /// The vision statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vision: Option<LongText>,
    /// The mission statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mission: Option<LongText>,
    /// Guiding principles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principles: Vec<Principle>,
    /// The names of the plan's levels, top first.
    #[serde(default = "LevelNames::standard")]
    pub levels: LevelNames,
    /// Departments the plan refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<DepartmentEntry>,
    /// People the plan refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonEntry>,
    /// Cross-cutting tags that nodes may carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagEntry>,
    /// The top-level nodes, each with its children.
    #[serde(default)]
    pub nodes: Vec<NodeEntry>,
}

fn format_marker() -> String {
    FORMAT.to_owned()
}

fn draft() -> PlanStatus {
    PlanStatus::Draft
}

/// Names the organization (and the one above it, if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationRef {
    /// The organization's name.
    pub name: Name,
    /// The name of the organization it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Name>,
}

/// A department, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentEntry {
    /// Its name, unique within the organization.
    pub name: Name,
}

/// A person, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    /// Their name, unique within the organization; nodes refer to them by it.
    pub name: Name,
    /// Their e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    /// Their department, one of the document's departments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Name>,
}

/// A cross-cutting tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagEntry {
    /// Its handle; nodes refer to it by this.
    pub key: Key,
    /// Its name as printed.
    pub name: Name,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LongText>,
}

/// A node and its subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeEntry {
    /// Its code as printed in the plan, unique within the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// Its title.
    pub title: Name,
    /// The name of its level; one below its parent's when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Name>,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LongText>,
    /// The accountable person, one of the document's people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Name>,
    /// The senior sponsor, one of the document's people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<Name>,
    /// The delivering department, one of the document's departments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Name>,
    /// When it is meant to happen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
    /// When work starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<CalendarDate>,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<CalendarDate>,
    /// Its weight in its parent's roll-up; 1 when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
    /// How often its owner checks in; none when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
    /// Its milestones, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<MilestoneEntry>,
    /// Its measures, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureEntry>,
    /// Keys of the document's tags that it carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Key>,
    /// Nodes of other plans that it supports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<SupportEntry>,
    /// Its children, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub children: Vec<NodeEntry>,
}

/// A milestone of the enclosing node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneEntry {
    /// What is reached.
    pub title: Name,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<CalendarDate>,
    /// When it was reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_date: Option<CalendarDate>,
}

/// A measure of the enclosing node; its values are recorded separately
/// (CSV import or the API), not in the plan document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureEntry {
    /// Its handle, unique within the plan; used in CSV files and formulas.
    pub key: MeasureKey,
    /// Its name.
    pub name: Name,
    /// What it counts and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LongText>,
    /// The unit of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Name>,
    /// Which values are good.
    pub direction: MeasureDirection,
    /// How often it gets a value.
    pub frequency: Frequency,
    /// Where it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// What it should reach, by period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Target>,
    /// The numbers that colour a value; the direction's default when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
    /// Where the values come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<Name>,
    /// Who reports it, one of the document's people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Name>,
    /// For a calculated measure: a formula over other measures of the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub formula: Option<Formula>,
    /// Its weight in its node's roll-up; 1 when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

/// An alignment link from the enclosing node to a node of another plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportEntry {
    /// The key of the other plan.
    pub plan: Key,
    /// The code of the supported node in that plan.
    pub code: Code,
    /// How it supports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<LongText>,
}

/// A node of a validated document, in pre-order (every parent before its
/// children), with its level resolved and its parent given as an index.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatNode<'a> {
    /// The entry as written.
    pub entry: &'a NodeEntry,
    /// Index of the parent in the flat list.
    pub parent: Option<usize>,
    /// The resolved level.
    pub level: u8,
    /// Its place among its siblings.
    pub position: i32,
    /// Where it is in the document, for messages: `nodes[0].children[2]`.
    pub path: String,
}

impl PlanDocument {
    /// Checks every rule that needs no database and returns the nodes in
    /// pre-order with their levels resolved. All problems are reported, not
    /// only the first.
    pub fn validate(&self) -> Result<Vec<FlatNode<'_>>, Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.format != FORMAT {
            errors.push(ValidationError::new(
                "format",
                format!(
                    "unsupported format {:?}; this version reads {FORMAT:?}",
                    self.format
                ),
            ));
        }
        let departments = unique_names(
            self.departments.iter().map(|d| &d.name),
            "departments",
            "department",
            &mut errors,
        );
        let people = unique_names(
            self.people.iter().map(|p| &p.name),
            "people",
            "person",
            &mut errors,
        );
        for (i, person) in self.people.iter().enumerate() {
            if let Some(d) = &person.department
                && !departments.contains(d.as_str())
            {
                errors.push(unknown("department", d, &format!("people[{i}].department")));
            }
        }
        let mut tags = HashSet::new();
        for (i, tag) in self.tags.iter().enumerate() {
            if !tags.insert(tag.key.as_str()) {
                errors.push(ValidationError::new(
                    format!("tags[{i}].key"),
                    format!("tag {:?} is defined twice", tag.key.as_str()),
                ));
            }
        }
        let refs = Refs {
            departments,
            people,
            tags,
        };
        let mut flat = Vec::new();
        let mut codes = HashMap::new();
        self.flatten(
            &self.nodes,
            None,
            "nodes",
            &refs,
            &mut codes,
            &mut flat,
            &mut errors,
        );
        check_measures(&flat, &refs, &mut errors);
        if errors.is_empty() {
            Ok(flat)
        } else {
            Err(errors)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn flatten<'a>(
        &self,
        entries: &'a [NodeEntry],
        parent: Option<(usize, u8)>,
        prefix: &str,
        refs: &Refs<'_>,
        codes: &mut HashMap<&'a str, String>,
        flat: &mut Vec<FlatNode<'a>>,
        errors: &mut Vec<ValidationError>,
    ) {
        for (position, entry) in entries.iter().enumerate() {
            let path = format!("{prefix}[{position}]");
            let default_level = parent.map_or(0, |(_, level)| level + 1);
            let level = match &entry.level {
                None if usize::from(default_level) < self.levels.len() => default_level,
                None => {
                    errors.push(ValidationError::new(
                        &path,
                        format!(
                            "node {:?} is deeper than the plan's {} levels ({})",
                            entry.title.as_str(),
                            self.levels.len(),
                            self.levels.describe()
                        ),
                    ));
                    default_level
                }
                Some(name) => match self.levels.index_of(name.as_str()) {
                    Some(level) if level >= default_level => level,
                    Some(_) => {
                        errors.push(ValidationError::new(
                            format!("{path}.level"),
                            format!(
                                "a {:?} cannot sit beneath a {:?}",
                                name.as_str(),
                                parent
                                    .and_then(|(_, l)| self.levels.name(l))
                                    .map_or("", Name::as_str)
                            ),
                        ));
                        default_level
                    }
                    None => {
                        errors.push(ValidationError::new(
                            format!("{path}.level"),
                            format!(
                                "unknown level {:?}; this plan's levels are {}",
                                name.as_str(),
                                self.levels.describe()
                            ),
                        ));
                        default_level
                    }
                },
            };
            if let Some(code) = &entry.code
                && let Some(first) = codes.insert(code.as_str(), path.clone())
            {
                errors.push(ValidationError::new(
                    format!("{path}.code"),
                    format!("code {:?} is already used by {first}", code.as_str()),
                ));
            }
            for (field, name) in [("owner", &entry.owner), ("sponsor", &entry.sponsor)] {
                if let Some(name) = name
                    && !refs.people.contains(name.as_str())
                {
                    errors.push(unknown("person", name, &format!("{path}.{field}")));
                }
            }
            if let Some(d) = &entry.department
                && !refs.departments.contains(d.as_str())
            {
                errors.push(unknown("department", d, &format!("{path}.department")));
            }
            for (i, tag) in entry.tags.iter().enumerate() {
                if !refs.tags.contains(tag.as_str()) {
                    errors.push(ValidationError::new(
                        format!("{path}.tags[{i}]"),
                        format!("unknown tag {:?}; define it under `tags`", tag.as_str()),
                    ));
                }
            }
            for (i, s) in entry.supports.iter().enumerate() {
                if s.plan == self.key {
                    errors.push(ValidationError::new(
                        format!("{path}.supports[{i}].plan"),
                        "an alignment link must point to another plan",
                    ));
                }
            }
            if let Err(e) = crate::node::check_dates(entry.start_date, entry.due_date) {
                errors.push(e.within(&path));
            }
            let index = flat.len();
            flat.push(FlatNode {
                entry,
                parent: parent.map(|(i, _)| i),
                level,
                position: i32::try_from(position).unwrap_or(i32::MAX),
                path: path.clone(),
            });
            self.flatten(
                &entry.children,
                Some((index, level)),
                &format!("{path}.children"),
                refs,
                codes,
                flat,
                errors,
            );
        }
    }
}

/// Measure keys are unique in the plan, owners are known people, targets and
/// thresholds fit the direction, and formulas name measures of the plan
/// without going round in a circle.
fn check_measures(flat: &[FlatNode<'_>], refs: &Refs<'_>, errors: &mut Vec<ValidationError>) {
    let mut keys: HashMap<&str, String> = HashMap::new();
    let mut formulas = Vec::new();
    for node in flat {
        for (i, m) in node.entry.measures.iter().enumerate() {
            let path = format!("{}.measures[{i}]", node.path);
            if let Some(first) = keys.insert(m.key.as_str(), path.clone()) {
                errors.push(ValidationError::new(
                    format!("{path}.key"),
                    format!(
                        "measure key {:?} is already used by {first}",
                        m.key.as_str()
                    ),
                ));
            }
            if let Some(owner) = &m.owner
                && !refs.people.contains(owner.as_str())
            {
                errors.push(unknown("person", owner, &format!("{path}.owner")));
            }
            let thresholds = m
                .thresholds
                .unwrap_or_else(|| Thresholds::default_for(m.direction));
            if let Err(e) = check_measure_rules(
                m.direction,
                &m.targets,
                &thresholds,
                &m.key,
                m.formula.as_ref(),
            ) {
                errors.push(e.within(&path));
            }
            if let Some(f) = &m.formula {
                formulas.push((m.key.as_str(), f, path));
            }
        }
    }
    for (key, formula, path) in &formulas {
        for input in formula.inputs() {
            if !keys.contains_key(input) {
                errors.push(ValidationError::new(
                    format!("{path}.formula"),
                    format!(
                        "formula of {key:?} uses {input:?}, which is not a measure of this plan"
                    ),
                ));
            }
        }
    }
    let graph: HashMap<&str, Vec<&str>> = formulas
        .iter()
        .map(|(k, f, _)| (*k, f.inputs().into_iter().collect()))
        .collect();
    if let Some(cycle) = crate::measure::formula_cycle(&graph) {
        errors.push(ValidationError::new(
            "measures",
            format!("formulas go round in a circle: {}", cycle.join(" → ")),
        ));
    }
}

struct Refs<'a> {
    departments: HashSet<&'a str>,
    people: HashSet<&'a str>,
    tags: HashSet<&'a str>,
}

fn unique_names<'a>(
    names: impl Iterator<Item = &'a Name>,
    list: &str,
    what: &str,
    errors: &mut Vec<ValidationError>,
) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    for (i, name) in names.enumerate() {
        if !seen.insert(name.as_str()) {
            errors.push(ValidationError::new(
                format!("{list}[{i}].name"),
                format!("{what} {:?} is listed twice", name.as_str()),
            ));
        }
    }
    seen
}

fn unknown(what: &str, name: &Name, field: &str) -> ValidationError {
    ValidationError::new(
        field,
        format!(
            "unknown {what} {:?}; list them under `{}`",
            name.as_str(),
            if what == "person" {
                "people"
            } else {
                "departments"
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(nodes: serde_json::Value) -> PlanDocument {
        serde_json::from_value(serde_json::json!({
            "organization": {"name": "Town"},
            "key": "town-it",
            "title": "Town IT plan",
            "period": {"start_year": 2025, "end_year": 2028},
            "people": [{"name": "Ana"}],
            "tags": [{"key": "cloud", "name": "Cloud"}],
            "nodes": nodes,
        }))
        .unwrap()
    }

    #[test]
    fn levels_follow_depth_unless_named() {
        let d = doc(serde_json::json!([
            {"code": "1", "title": "G", "children": [
                {"code": "1.1", "title": "O", "children": [{"title": "I"}]},
                {"title": "Direct initiative", "level": "initiative"}
            ]}
        ]));
        let flat = d.validate().unwrap();
        let levels: Vec<u8> = flat.iter().map(|f| f.level).collect();
        assert_eq!(levels, vec![0, 1, 2, 2]);
        assert_eq!(flat[2].parent, Some(1));
        assert_eq!(flat[3].parent, Some(0));
        assert_eq!(flat[3].position, 1);
    }

    #[test]
    fn reports_every_broken_reference() {
        let d = doc(serde_json::json!([
            {"code": "1", "title": "G", "owner": "Bob", "tags": ["ai"], "level": "Tier", "children": [
                {"code": "1", "title": "Dup"}
            ]}
        ]));
        let errors = d.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "nodes[0].level",
                "nodes[0].owner",
                "nodes[0].tags[0]",
                "nodes[0].children[0].code"
            ]
        );
        assert!(errors[0].message.contains("unknown level \"Tier\""));
        assert!(errors[3].message.contains("already used by nodes[0]"));
    }

    #[test]
    fn a_node_cannot_be_deeper_than_the_levels() {
        let d = doc(serde_json::json!([
            {"title": "G", "children": [{"title": "O", "children": [{"title": "I", "children": [{"title": "Too deep"}]}]}]}
        ]));
        let errors = d.validate().unwrap_err();
        assert_eq!(
            errors[0].field,
            "nodes[0].children[0].children[0].children[0]"
        );
        assert!(
            errors[0]
                .message
                .contains("deeper than the plan's 3 levels")
        );
    }

    #[test]
    fn a_child_cannot_be_above_its_parent() {
        let d = doc(serde_json::json!([
            {"title": "O", "level": "Objective", "children": [{"title": "G", "level": "Goal"}]}
        ]));
        let errors = d.validate().unwrap_err();
        assert!(
            errors[0].message.contains("cannot sit beneath"),
            "{}",
            errors[0]
        );
    }
}
