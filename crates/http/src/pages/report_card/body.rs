//! The report card laid out for drawing: grades with their classes, badges,
//! charts and anchors, shared by the page in the application, the
//! standalone file and the public portal's report card.

use crate::pages::Badge;
use crate::pages::charts::trend::{Slot, Trend, draw};
use lodestar_domain::grade::{Grade, Graded};
use lodestar_domain::report_card::{MeasureLine, Narrative, ReportCard};
use lodestar_domain::{Goal, Value};

/// A measure as the report shows it: its line, its badge and its chart.
pub(crate) struct MeasureView {
    pub(crate) line: MeasureLine,
    pub(crate) badge: Badge,
    pub(crate) chart: Option<Trend>,
    /// A unique id for the chart's title and description.
    pub(crate) id: String,
    /// The chart in words, for screen readers.
    pub(crate) summary: String,
}

/// An objective's card as the report shows it.
pub(crate) struct ObjectiveView {
    /// A unique id for its heading.
    pub(crate) anchor: String,
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) badge: Option<Badge>,
    pub(crate) grade: Graded,
    pub(crate) grade_class: &'static str,
    pub(crate) initiatives_due: usize,
    pub(crate) initiatives_completed: usize,
    pub(crate) measures: Vec<MeasureView>,
    pub(crate) latest: Option<NarrativeView>,
}

/// A goal's card as the report shows it.
pub(crate) struct GoalView {
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) badge: Option<Badge>,
    pub(crate) grade: Graded,
    pub(crate) grade_class: &'static str,
    pub(crate) measures: Vec<MeasureView>,
    pub(crate) objectives: Vec<ObjectiveView>,
}

/// A quoted check-in with its badge.
pub(crate) struct NarrativeView {
    pub(crate) n: Narrative,
    pub(crate) badge: Badge,
}

/// Everything the report's body draws, shared by the page and the standalone file.
pub(crate) struct Body {
    pub(crate) card: ReportCard,
    pub(crate) overall_class: &'static str,
    pub(crate) counts: Vec<(Badge, usize)>,
    pub(crate) highlights: Vec<NarrativeView>,
    pub(crate) concerns: Vec<NarrativeView>,
    pub(crate) goals: Vec<GoalView>,
}

fn grade_class(g: Grade) -> &'static str {
    match g {
        Grade::A | Grade::B | Grade::Exceeds | Grade::Meets => "grade grade-good",
        Grade::C | Grade::Approaching => "grade grade-fair",
        Grade::D | Grade::F | Grade::Below => "grade grade-poor",
        Grade::NotGraded => "grade grade-none",
    }
}

fn narrative(n: &Narrative) -> NarrativeView {
    NarrativeView {
        n: n.clone(),
        badge: Badge::status(n.status),
    }
}

fn measure(line: &MeasureLine, id: String) -> MeasureView {
    let goal = line
        .target_value
        .and_then(|t| Value::new(t).ok())
        .map(|value| Goal::Value { value });
    let slots: Vec<Slot> = line
        .series
        .iter()
        .map(|p| Slot {
            label: p.period.clone(),
            value: Some(p.value),
            goal,
            bands: Vec::new(),
        })
        .collect();
    let values: Vec<String> = line
        .series
        .iter()
        .map(|p| format!("{} {}", p.period, p.value))
        .collect();
    MeasureView {
        badge: Badge::health(line.health),
        chart: draw(&slots),
        summary: format!(
            "Values of {} oldest first: {}{}",
            line.name,
            values.join(", "),
            line.target
                .as_ref()
                .map(|t| format!("; target {t}"))
                .unwrap_or_default()
        ),
        id,
        line: line.clone(),
    }
}

impl Body {
    /// Lays out a report card for drawing.
    pub(crate) fn new(card: ReportCard) -> Self {
        let mut n = 0;
        let mut next_id = || {
            n += 1;
            format!("m{n}")
        };
        let goals = card
            .goals
            .iter()
            .map(|g| GoalView {
                code: g.code.clone(),
                title: g.title.clone(),
                badge: g.status.map(Badge::status),
                grade: g.grade.clone(),
                grade_class: grade_class(g.grade.grade),
                measures: g.measures.iter().map(|m| measure(m, next_id())).collect(),
                objectives: g
                    .objectives
                    .iter()
                    .map(|o| ObjectiveView {
                        anchor: next_id(),
                        code: o.code.clone(),
                        title: o.title.clone(),
                        badge: o.status.map(Badge::status),
                        grade: o.grade.clone(),
                        grade_class: grade_class(o.grade.grade),
                        initiatives_due: o.initiatives_due,
                        initiatives_completed: o.initiatives_completed,
                        measures: o.measures.iter().map(|m| measure(m, next_id())).collect(),
                        latest: o.latest_narrative.as_ref().map(narrative),
                    })
                    .collect(),
            })
            .collect();
        Self {
            overall_class: grade_class(card.overall.grade),
            counts: card
                .counts
                .iter()
                .map(|c| (Badge::status(c.status), c.count))
                .collect(),
            highlights: card.highlights.iter().map(narrative).collect(),
            concerns: card.concerns.iter().map(narrative).collect(),
            goals,
            card,
        }
    }
}
