//! An organization's governance configuration: the criteria proposals are
//! scored on, the stages they move through, the gates between stages, and
//! who may grant an exception. One typed value, stored as one document.

use super::proposal::DRAFT_STAGE;
use crate::keyword::keyword_enum;
use crate::{Key, Name, Role, ValidationError};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

keyword_enum!(
    /// What being in a stage means for the portfolio.
    StageKind, what = "stage kind" {
        /// Where a submitted proposal enters governance; ranked like an open stage.
        Entry = "entry",
        /// Under consideration: ranked against the cut line.
        Open = "open",
        /// Committed (approved, in execution): consumes capacity and budget.
        Committed = "committed",
        /// Finished.
        Closed = "closed",
        /// Turned down.
        Rejected = "rejected",
        /// Set aside for now; not ranked.
        Paused = "paused",
    }
);

impl StageKind {
    /// Whether proposals in such a stage compete for what is left (entry and open).
    pub fn is_ranked(self) -> bool {
        matches!(self, Self::Entry | Self::Open)
    }
}

/// A criterion proposals are scored on, 1 to 5, 5 always best.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Its handle (`strategic-alignment`).
    pub key: Key,
    /// Its name (`Strategic alignment`).
    pub name: Name,
    /// Its weight, more than zero; weights need not add up to 100.
    pub weight: u32,
    /// What each score means: five texts, for scores 1 to 5.
    pub guidance: Vec<String>,
}

/// A stage proposals can be in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Its handle (`in-execution`).
    pub key: Key,
    /// Its name (`In execution`).
    pub name: Name,
    /// What it means for the portfolio.
    pub kind: StageKind,
}

/// An allowed move between stages, and what passing it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Its name (`Approval`).
    pub name: Name,
    /// The stages it may be passed from.
    pub from: Vec<Key>,
    /// The stage it leads to.
    pub to: Key,
    /// What must be confirmed, item by item, to pass it.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// The account roles that may pass it.
    pub roles: Vec<Role>,
}

/// The whole configuration of one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GovernanceConfig {
    /// What proposals are scored on.
    pub criteria: Vec<Criterion>,
    /// The stages after `draft`; exactly one is of kind `entry`.
    pub stages: Vec<Stage>,
    /// The allowed moves.
    pub gates: Vec<Gate>,
    /// The roles that may grant an exception to the tie rule.
    pub exception_roles: Vec<Role>,
}

fn key(k: &str) -> Key {
    Key::parse(k).expect("built-in keys are valid")
}

fn name(n: &str) -> Name {
    Name::parse(n).expect("built-in names are valid")
}

fn criterion(k: &str, n: &str, weight: u32, guidance: [&str; 5]) -> Criterion {
    Criterion {
        key: key(k),
        name: name(n),
        weight,
        guidance: guidance.iter().map(|g| (*g).to_owned()).collect(),
    }
}

fn gate(n: &str, from: &[&str], to: &str, checklist: &[&str], roles: &[Role]) -> Gate {
    Gate {
        name: name(n),
        from: from.iter().map(|f| key(f)).collect(),
        to: key(to),
        checklist: checklist.iter().map(|c| (*c).to_owned()).collect(),
        roles: roles.to_vec(),
    }
}

impl Default for GovernanceConfig {
    /// The configuration an organization has until it stores its own; see docs/portfolio.md.
    fn default() -> Self {
        use Role::{Administrator as Admin, PlanEditor as Editor, Reviewer};
        let stage = |k: &str, n: &str, kind| Stage {
            key: key(k),
            name: name(n),
            kind,
        };
        Self {
            criteria: vec![
                criterion(
                    "strategic-alignment",
                    "Strategic alignment",
                    30,
                    [
                        "Tied only loosely to the plan",
                        "Supports an objective indirectly",
                        "Supports one objective directly",
                        "Directly advances several objectives",
                        "Essential to a goal of the plan",
                    ],
                ),
                criterion(
                    "value",
                    "Value",
                    25,
                    [
                        "Little benefit to residents or staff",
                        "Modest benefit to one group",
                        "Clear benefit to one service",
                        "Large benefit to several services",
                        "Transformative benefit, measurable and large",
                    ],
                ),
                criterion(
                    "risk",
                    "Risk",
                    15,
                    [
                        "Very high delivery risk (new technology, many dependencies)",
                        "High delivery risk",
                        "Moderate delivery risk",
                        "Low delivery risk",
                        "Very low delivery risk (proven solution, few dependencies)",
                    ],
                ),
                criterion(
                    "urgency",
                    "Urgency",
                    15,
                    [
                        "Can wait several years",
                        "Can wait a year or two",
                        "Needed within a year",
                        "Needed within months (a deadline or end of support)",
                        "Needed now (legal mandate, security or safety exposure)",
                    ],
                ),
                criterion(
                    "cost",
                    "Cost",
                    15,
                    [
                        "Very high total cost for what it delivers",
                        "High cost",
                        "Moderate cost",
                        "Low cost",
                        "Very low cost, or pays for itself",
                    ],
                ),
            ],
            stages: vec![
                stage("submitted", "Submitted", StageKind::Entry),
                stage("reviewed", "Reviewed", StageKind::Open),
                stage("approved", "Approved", StageKind::Committed),
                stage("in-execution", "In execution", StageKind::Committed),
                stage("closed", "Closed", StageKind::Closed),
                stage("rejected", "Rejected", StageKind::Rejected),
                stage("on-hold", "On hold", StageKind::Paused),
            ],
            gates: vec![
                gate(
                    "Review",
                    &["submitted"],
                    "reviewed",
                    &[
                        "The proposal is complete: problem, benefits, costs and effort",
                        "Every criterion has been scored",
                    ],
                    &[Reviewer, Editor, Admin],
                ),
                gate(
                    "Approval",
                    &["reviewed"],
                    "approved",
                    &[
                        "It fits within the cut line, or the overrun is accepted",
                        "Funding is identified for every fiscal year",
                    ],
                    &[Admin],
                ),
                gate(
                    "Start",
                    &["approved"],
                    "in-execution",
                    &[
                        "A project manager is assigned",
                        "Staff are available as planned",
                    ],
                    &[Editor, Admin],
                ),
                gate(
                    "Close",
                    &["in-execution"],
                    "closed",
                    &["Deliverables are accepted", "Lessons learned are recorded"],
                    &[Editor, Admin],
                ),
                gate(
                    "Reject",
                    &["submitted", "reviewed", "on-hold"],
                    "rejected",
                    &[],
                    &[Admin],
                ),
                gate(
                    "Hold",
                    &["submitted", "reviewed"],
                    "on-hold",
                    &[],
                    &[Editor, Admin],
                ),
                gate("Resume", &["on-hold"], "submitted", &[], &[Editor, Admin]),
            ],
            exception_roles: vec![Admin],
        }
    }
}

impl GovernanceConfig {
    /// The stage called `key`.
    pub fn stage(&self, key: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.key.as_str() == key)
    }

    /// The stage a submitted proposal enters.
    pub fn entry_stage(&self) -> &Stage {
        self.stages
            .iter()
            .find(|s| s.kind == StageKind::Entry)
            .expect("a validated configuration has an entry stage")
    }

    /// The kind of stage `key`; `draft` and unknown stages have none.
    pub fn kind_of(&self, key: &str) -> Option<StageKind> {
        self.stage(key).map(|s| s.kind)
    }

    /// The criterion called `key`.
    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key.as_str() == key)
    }

    /// Checks the rules a configuration must keep, naming the field at fault.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.criteria.is_empty() {
            return Err(ValidationError::new(
                "criteria",
                "at least one criterion is needed",
            ));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let at = |f: &str| format!("criteria[{i}].{f}");
            if !seen.insert(c.key.as_str()) {
                return Err(ValidationError::new(
                    at("key"),
                    format!("{} appears twice", c.key),
                ));
            }
            if c.weight == 0 || c.weight > 1000 {
                return Err(ValidationError::new(at("weight"), "must be from 1 to 1000"));
            }
            if c.guidance.len() != 5 || c.guidance.iter().any(|g| g.trim().is_empty()) {
                return Err(ValidationError::new(
                    at("guidance"),
                    "give five non-empty texts, saying what a score of 1, 2, 3, 4 and 5 means (5 is best)",
                ));
            }
        }
        let mut seen = HashSet::new();
        for (i, s) in self.stages.iter().enumerate() {
            if s.key.as_str() == DRAFT_STAGE {
                return Err(ValidationError::new(
                    format!("stages[{i}].key"),
                    "`draft` is where every proposal starts and cannot be configured",
                ));
            }
            if !seen.insert(s.key.as_str()) {
                return Err(ValidationError::new(
                    format!("stages[{i}].key"),
                    format!("{} appears twice", s.key),
                ));
            }
        }
        let entries = self
            .stages
            .iter()
            .filter(|s| s.kind == StageKind::Entry)
            .count();
        if entries != 1 {
            return Err(ValidationError::new(
                "stages",
                format!(
                    "exactly one stage must be of kind `entry` (where a submitted proposal goes), found {entries}"
                ),
            ));
        }
        for (i, g) in self.gates.iter().enumerate() {
            let at = |f: &str| format!("gates[{i}].{f}");
            for (j, from) in g.from.iter().enumerate() {
                if self.stage(from.as_str()).is_none() {
                    return Err(ValidationError::new(
                        format!("gates[{i}].from[{j}]"),
                        format!("there is no stage {from}"),
                    ));
                }
            }
            if g.from.is_empty() {
                return Err(ValidationError::new(at("from"), "name at least one stage"));
            }
            if self.stage(g.to.as_str()).is_none() {
                return Err(ValidationError::new(
                    at("to"),
                    format!("there is no stage {}", g.to),
                ));
            }
            if g.from.contains(&g.to) {
                return Err(ValidationError::new(
                    at("to"),
                    "a gate must lead to another stage",
                ));
            }
            if g.roles.is_empty() {
                return Err(ValidationError::new(
                    at("roles"),
                    "name at least one role that may pass it",
                ));
            }
            if g.checklist.iter().any(|c| c.trim().is_empty()) {
                return Err(ValidationError::new(
                    at("checklist"),
                    "checklist items must not be empty",
                ));
            }
            for (j, other) in self.gates[..i].iter().enumerate() {
                if other.to == g.to && other.from.iter().any(|f| g.from.contains(f)) {
                    return Err(ValidationError::new(
                        at("from"),
                        format!(
                            "gates[{j}] already leads from one of these stages to {}",
                            g.to
                        ),
                    ));
                }
            }
        }
        if self.exception_roles.is_empty() {
            return Err(ValidationError::new(
                "exception_roles",
                "name at least one role",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_configuration_is_valid() {
        let c = GovernanceConfig::default();
        c.validate().unwrap();
        assert_eq!(c.entry_stage().key.as_str(), "submitted");
        let weights: u32 = c.criteria.iter().map(|c| c.weight).sum();
        assert_eq!(weights, 100);
    }

    #[test]
    fn broken_configurations_name_their_fault() {
        let mut c = GovernanceConfig::default();
        c.criteria[1].key = c.criteria[0].key.clone();
        assert_eq!(c.validate().unwrap_err().field, "criteria[1].key");

        let mut c = GovernanceConfig::default();
        c.criteria[0].weight = 0;
        assert_eq!(c.validate().unwrap_err().field, "criteria[0].weight");

        let mut c = GovernanceConfig::default();
        c.gates[0].to = Key::parse("nowhere").unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "gates[0].to");
        assert!(e.message.contains("no stage nowhere"));

        let mut c = GovernanceConfig::default();
        c.stages[1].kind = StageKind::Entry;
        assert_eq!(c.validate().unwrap_err().field, "stages");
    }

    #[test]
    fn configurations_read_from_json() {
        let json = serde_json::to_string(&GovernanceConfig::default()).unwrap();
        let back: GovernanceConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, GovernanceConfig::default());
    }
}
