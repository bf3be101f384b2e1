//! The annual report card: what a CIO tells city leadership about a year of
//! the plan. The services layer fills it in from stored data; renderers
//! (Markdown, CSV, HTML, PDF) only print it, so every format says the same.
//!
//! Every grade carries its basis (the numbers it came from, in words), so a
//! reader can check it against the counts printed beside it.

use crate::grade::{GradeScale, Graded};
use crate::status::Health;
use crate::{CalendarDate, ProgressStatus};
use serde::Serialize;

/// A report card of one plan for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportCard {
    /// The organization's name, printed on every page.
    pub organization: String,
    /// The plan's title.
    pub plan_title: String,
    /// The plan's key (`harbor-falls-it`).
    pub plan_key: String,
    /// The year reported on (2025).
    pub period: i32,
    /// The day the report was drawn up; statuses and colours are as of this day.
    pub as_of: CalendarDate,
    /// The scale the grades are on.
    pub scale: GradeScale,
    /// The rule the grades follow, in one line (weights and scale).
    pub rule: String,
    /// The whole plan's grade.
    pub overall: Graded,
    /// How many goals, objectives and initiatives stand at each status, in the
    /// order of `ProgressStatus::ALL`, statuses with none left out.
    pub counts: Vec<StatusCount>,
    /// Good news from the year's check-ins (completed or on track, with text), newest first.
    pub highlights: Vec<Narrative>,
    /// Worries from the year's check-ins (off track, at risk, or asking for help), newest first.
    pub concerns: Vec<Narrative>,
    /// One card per goal, in plan order.
    pub goals: Vec<GoalCard>,
    /// Suggested adjustments for the annual review.
    pub recommendations: Vec<Recommendation>,
}

/// How many nodes stand at one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    /// The status.
    pub status: ProgressStatus,
    /// How many goals, objectives and initiatives have it.
    pub count: usize,
}

/// A check-in quoted in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narrative {
    /// The node's code (`1.2`), empty when it has none.
    pub code: String,
    /// The node's title.
    pub title: String,
    /// The status the check-in reported.
    pub status: ProgressStatus,
    /// The day of the check-in.
    pub date: CalendarDate,
    /// What the owner wrote (the check-in's text).
    pub text: String,
    /// The help the owner asked for, if any.
    pub help_needed: Option<String>,
}

/// A goal's card: its grade and its objectives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalCard {
    /// The goal's code, empty when it has none.
    pub code: String,
    /// The goal's title.
    pub title: String,
    /// Its status as of the report's day.
    pub status: Option<ProgressStatus>,
    /// Its grade, from everything beneath it.
    pub grade: Graded,
    /// The goal's own measures (most goals have none; objectives carry them).
    pub measures: Vec<MeasureLine>,
    /// One card per objective, in plan order.
    pub objectives: Vec<ObjectiveCard>,
}

/// An objective's card: its grade with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveCard {
    /// The objective's code, empty when it has none.
    pub code: String,
    /// The objective's title.
    pub title: String,
    /// Its status as of the report's day.
    pub status: Option<ProgressStatus>,
    /// Its grade.
    pub grade: Graded,
    /// Initiatives beneath it due in the year.
    pub initiatives_due: usize,
    /// Of those, how many are completed.
    pub initiatives_completed: usize,
    /// Its measures (and those of the nodes beneath it), with their trend.
    pub measures: Vec<MeasureLine>,
    /// The latest check-in on it, or on a node beneath it, filed up to the end of the year.
    pub latest_narrative: Option<Narrative>,
}

/// A measure against its target, with its values over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureLine {
    /// The measure's key (`uptime`).
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its unit (`%`), empty when it has none.
    pub unit: String,
    /// The target that applies to its latest value, as printed (`≥ 99.5`, `90–95`).
    pub target: Option<String>,
    /// The target as one number, for charts (a range's midpoint).
    pub target_value: Option<f64>,
    /// Its latest value up to the end of the year.
    pub latest: Option<f64>,
    /// The period of the latest value (`2025-Q4`).
    pub latest_period: Option<String>,
    /// The latest value's colour; none when there is no value or no target.
    pub health: Option<Health>,
    /// Why the colour is what it is, in one line.
    pub reason: String,
    /// Its values up to the end of the year, oldest first.
    pub series: Vec<TrendPoint>,
}

/// One value of a measure's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The period, as written (`2025-Q3`, `2025-07`).
    pub period: String,
    /// The value.
    pub value: f64,
}

/// Why an adjustment is recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecommendationKind {
    /// A node has gone without a check-in for two periods of its cadence.
    OverdueTwoPeriods,
    /// A measure was red in its last two periods.
    RedTwoPeriods,
    /// An objective has no measure.
    NoMeasure,
}

impl RecommendationKind {
    /// A short heading for the kind.
    pub fn label(self) -> &'static str {
        match self {
            RecommendationKind::OverdueTwoPeriods => "Overdue for two periods",
            RecommendationKind::RedTwoPeriods => "Red for two periods",
            RecommendationKind::NoMeasure => "No measure",
        }
    }
}

/// A suggested adjustment for the annual review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Why.
    pub kind: RecommendationKind,
    /// The code of the node concerned (for a measure, its node), empty when it has none.
    pub code: String,
    /// The title of the node concerned (for a measure, the measure's name).
    pub title: String,
    /// The recommendation, with the facts behind it.
    pub text: String,
}
