//! A strategic plan: its period, vision, mission, principles and the names of its levels.

use crate::{Key, LongText, Name, OrganizationId, PlanId, ValidationError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

/// Where a plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    /// Being written or reviewed (an imported plan starts here).
    Draft,
    /// The plan the organization is executing.
    Active,
    /// Superseded or finished; kept for the record.
    Archived,
}

impl PlanStatus {
    /// The word used in storage, URLs and plan-as-code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }
}

impl FromStr for PlanStatus {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, String> {
        match raw {
            "draft" => Ok(Self::Draft),
            "active" => Ok(Self::Active),
            "archived" => Ok(Self::Archived),
            other => Err(format!(
                "unknown plan status {other:?}; expected draft, active or archived"
            )),
        }
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The years a plan covers, both inclusive (a "2022–2026" plan is `2022..=2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "PeriodFields")]
pub struct Period {
    /// The first year of the plan.
    pub start_year: i32,
    /// The last year of the plan.
    pub end_year: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodFields {
    start_year: i32,
    end_year: i32,
}

impl TryFrom<PeriodFields> for Period {
    type Error = String;
    fn try_from(f: PeriodFields) -> Result<Self, String> {
        Period::new(f.start_year, f.end_year).map_err(|e| e.to_string())
    }
}

impl Period {
    /// A period, or why it is not one: years must be 1900–2200 and the end not before the start.
    pub fn new(start_year: i32, end_year: i32) -> Result<Self, ValidationError> {
        for (field, year) in [("start_year", start_year), ("end_year", end_year)] {
            if !(1900..=2200).contains(&year) {
                return Err(ValidationError::new(
                    field,
                    format!("year {year} is outside 1900–2200"),
                ));
            }
        }
        if end_year < start_year {
            return Err(ValidationError::new(
                "end_year",
                format!("the plan cannot end ({end_year}) before it starts ({start_year})"),
            ));
        }
        Ok(Self {
            start_year,
            end_year,
        })
    }
}

/// A guiding principle: a short name and the text that explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    /// The principle's name, such as "Residents first".
    pub name: Name,
    /// What it means in practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<LongText>,
}

/// The names a plan gives its levels, from the top: `[Goal, Objective, Initiative]`
/// or `[Pillar, Strategy, Action]`. A node's level is an index into this list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "Vec<Name>", into = "Vec<Name>")]
#[schema(value_type = Vec<String>, example = json!(["Goal", "Objective", "Initiative"]))]
pub struct LevelNames(Vec<Name>);

impl LevelNames {
    /// The most levels a plan may have.
    pub const MAX: usize = 10;

    /// Names for the levels, or why they cannot be: one to ten, no two alike.
    pub fn new(names: Vec<Name>) -> Result<Self, String> {
        if names.is_empty() {
            return Err("a plan needs at least one level name".into());
        }
        if names.len() > Self::MAX {
            return Err(format!(
                "a plan may have at most {} levels, got {}",
                Self::MAX,
                names.len()
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if names[..i]
                .iter()
                .any(|n| n.as_str().eq_ignore_ascii_case(name.as_str()))
            {
                return Err(format!("level name {:?} appears twice", name.as_str()));
            }
        }
        Ok(Self(names))
    }

    /// The conventional three levels, for plans that do not name their own.
    pub fn standard() -> Self {
        let names = ["Goal", "Objective", "Initiative"]
            .into_iter()
            .map(|n| Name::parse(n).expect("built-in level names are valid"))
            .collect();
        Self(names)
    }

    /// The name of level `level` (0 is the top), if the plan has that many.
    pub fn name(&self, level: u8) -> Option<&Name> {
        self.0.get(usize::from(level))
    }

    /// The level called `name` (case-insensitive).
    pub fn index_of(&self, name: &str) -> Option<u8> {
        self.0
            .iter()
            .position(|n| n.as_str().eq_ignore_ascii_case(name.trim()))
            .and_then(|i| u8::try_from(i).ok())
    }

    /// How many levels there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true: a plan has at least one level.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, top level first.
    pub fn iter(&self) -> impl Iterator<Item = &Name> {
        self.0.iter()
    }

    /// "Goal, Objective, Initiative": for error messages.
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(Name::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl TryFrom<Vec<Name>> for LevelNames {
    type Error = String;
    fn try_from(names: Vec<Name>) -> Result<Self, String> {
        Self::new(names)
    }
}

impl From<LevelNames> for Vec<Name> {
    fn from(levels: LevelNames) -> Vec<Name> {
        levels.0
    }
}

/// A strategic plan as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    /// Its identifier.
    pub id: PlanId,
    /// The organization whose plan it is.
    pub organization_id: OrganizationId,
    /// A stable handle for URLs, the CLI and alignment links across plans.
    pub key: Key,
    /// Its title as published.
    pub title: Name,
    /// The years it covers.
    pub period: Period,
    /// Where it is in its life.
    pub status: PlanStatus,
    /// The vision statement.
    pub vision: Option<LongText>,
    /// The mission statement.
    pub mission: Option<LongText>,
    /// Guiding principles, in the order the plan gives them.
    pub principles: Vec<Principle>,
    /// The names of its levels, top first.
    pub levels: LevelNames,
}

/// What a client sends to create or replace a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDraft {
    /// The organization whose plan it is.
    pub organization_id: OrganizationId,
    /// A stable handle, unique across all plans.
    pub key: Key,
    /// Its title.
    pub title: Name,
    /// The years it covers.
    pub period: Period,
    /// Where it is in its life; `draft` when omitted.
    #[serde(default = "default_status")]
    pub status: PlanStatus,
    /// The vision statement.
    #[serde(default)]
    pub vision: Option<LongText>,
    /// The mission statement.
    #[serde(default)]
    pub mission: Option<LongText>,
    /// Guiding principles.
    #[serde(default)]
    pub principles: Vec<Principle>,
    /// The names of its levels; Goal, Objective, Initiative when omitted.
    #[serde(default = "LevelNames::standard")]
    pub levels: LevelNames,
}

fn default_status() -> PlanStatus {
    PlanStatus::Draft
}

impl PlanDraft {
    /// The plan this draft becomes once stored under `id`.
    pub fn into_plan(self, id: PlanId) -> Plan {
        Plan {
            id,
            organization_id: self.organization_id,
            key: self.key,
            title: self.title,
            period: self.period,
            status: self.status,
            vision: self.vision,
            mission: self.mission,
            principles: self.principles,
            levels: self.levels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<Name> {
        list.iter().map(|n| Name::parse(n).unwrap()).collect()
    }

    #[test]
    fn a_period_cannot_end_before_it_starts() {
        let err = Period::new(2026, 2022).unwrap_err();
        assert_eq!(err.field, "end_year");
        assert!(err.message.contains("before it starts"));
        assert!(Period::new(2022, 2026).is_ok());
    }

    #[test]
    fn level_names_are_found_case_insensitively() {
        let levels = LevelNames::new(names(&["Pillar", "Strategy", "Action"])).unwrap();
        assert_eq!(levels.index_of("strategy"), Some(1));
        assert_eq!(levels.index_of("Goal"), None);
        assert_eq!(levels.name(2).unwrap().as_str(), "Action");
    }

    #[test]
    fn level_names_must_be_distinct_and_present() {
        assert!(LevelNames::new(vec![]).is_err());
        assert!(
            LevelNames::new(names(&["Goal", "goal"]))
                .unwrap_err()
                .contains("twice")
        );
    }

    #[test]
    fn period_json_is_validated() {
        let err =
            serde_json::from_str::<Period>(r#"{"start_year":2030,"end_year":2020}"#).unwrap_err();
        assert!(err.to_string().contains("before it starts"), "{err}");
    }
}
