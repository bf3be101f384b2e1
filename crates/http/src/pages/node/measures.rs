//! A node's measures as its page shows them: the latest value and its
//! health, the numbers that judge it, and its series as a trend chart and a
//! table.

use crate::pages::Badge;
use crate::pages::charts::trend::{self, Slot, Trend, number};
use lodestar_domain::status::{health_of, target_for};
use lodestar_domain::{
    Goal, Measure, MeasureDirection, ReportingPeriod, Target, ThresholdBasis, Thresholds,
};
use lodestar_services::MeasureHealth;
use lodestar_services::measures::SeriesPoint;

/// One value of the series as the data table shows it.
pub(crate) struct SeriesRow {
    /// Its period.
    pub period: String,
    /// The value, with its unit; "No value" for a gap.
    pub value: String,
    /// The period's target, with its unit.
    pub target: String,
    /// The colour the thresholds give it.
    pub badge: Badge,
    /// The note recorded with it.
    pub note: String,
}

/// A measure's section of the node page.
pub(crate) struct MeasureView {
    /// Its id, for its anchor and its form.
    pub id: i64,
    /// Its place among the node's measures.
    pub position: i32,
    /// Its name.
    pub name: String,
    /// What it counts.
    pub description: Option<String>,
    /// Which way is good and how often it gets a value, in words.
    pub kind: String,
    /// The latest value, unit and period.
    pub latest: Option<String>,
    /// Where it started.
    pub baseline: Option<String>,
    /// Its targets by period.
    pub targets: String,
    /// Its thresholds, in words.
    pub thresholds: String,
    /// Its health.
    pub badge: Badge,
    /// Why it has that health.
    pub reason: String,
    /// Where the values come from.
    pub source: Option<String>,
    /// The trend, when it has a value to draw.
    pub chart: Option<Trend>,
    /// The chart's text alternative.
    pub summary: String,
    /// The series, oldest first.
    pub rows: Vec<SeriesRow>,
}

/// `value` with `unit`: `55%`, `4.2 days`.
fn with_unit(value: f64, unit: &str) -> String {
    match unit {
        "" => number(value),
        "%" => format!("{}%", number(value)),
        u => format!("{} {u}", number(value)),
    }
}

/// A goal in words: `55` or `40–60`.
fn goal_words(goal: Goal, unit: &str) -> String {
    match goal {
        Goal::Value { value } => with_unit(value.get(), unit),
        Goal::Range { low, high } => {
            format!("{}–{}", number(low.get()), with_unit(high.get(), unit))
        }
    }
}

/// The targets in words: `2025: 45% · 2026: 55% · final: 80%`.
fn targets_words(targets: &[Target], unit: &str) -> String {
    targets
        .iter()
        .map(|t| {
            let when = t
                .period
                .map_or_else(|| "final".to_owned(), |p| p.to_string());
            format!("{when}: {}", goal_words(t.goal, unit))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The thresholds in words, as the status rules apply them.
fn thresholds_words(direction: MeasureDirection, t: &Thresholds, unit: &str) -> String {
    let (g, a) = (t.green.get(), t.amber.get());
    let percent = t.basis == ThresholdBasis::PercentOfTarget;
    let (g, a) = if percent {
        (
            format!("{}% of the target", number(g)),
            format!("{}%", number(a)),
        )
    } else {
        (with_unit(g, unit), with_unit(a, unit))
    };
    match direction {
        MeasureDirection::HigherIsBetter => {
            format!("Green at {g} or more; amber at {a} or more; red below.")
        }
        MeasureDirection::LowerIsBetter => {
            format!("Green at {g} or less; amber at {a} or less; red above.")
        }
        MeasureDirection::WithinRange if percent => format!(
            "Green within {}% of the range's width outside it; amber within {}%; red beyond.",
            number(t.green.get()),
            number(t.amber.get())
        ),
        MeasureDirection::WithinRange => {
            format!("Green within {g} of the range; amber within {a}; red beyond.")
        }
    }
}

/// Which way is good, in words.
fn direction_words(direction: MeasureDirection) -> &'static str {
    match direction {
        MeasureDirection::HigherIsBetter => "Higher is better",
        MeasureDirection::LowerIsBetter => "Lower is better",
        MeasureDirection::WithinRange => "Best within a range",
    }
}

impl MeasureView {
    /// The section of `measure`, whose status is `health` and values `series`.
    pub(crate) fn new(measure: &Measure, health: &MeasureHealth, series: &[SeriesPoint]) -> Self {
        let unit = measure
            .unit
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let goal_of = |p: ReportingPeriod| target_for(&measure.targets, p).map(|t| t.goal);
        let slots: Vec<Slot> = series
            .iter()
            .map(|p| {
                let goal = goal_of(p.period);
                Slot {
                    label: p.period.to_string(),
                    value: p.value,
                    goal,
                    bands: trend::bands(measure.direction, &measure.thresholds, goal),
                }
            })
            .collect();
        let rows = series
            .iter()
            .zip(&slots)
            .map(|(p, s)| SeriesRow {
                period: s.label.clone(),
                value: p
                    .value
                    .map_or_else(|| "No value".to_owned(), |v| with_unit(v, &unit)),
                target: s.goal.map(|g| goal_words(g, &unit)).unwrap_or_default(),
                badge: Badge::health(p.value.and_then(|v| {
                    health_of(measure.direction, &measure.thresholds, s.goal, v).ok()
                })),
                note: p
                    .observation
                    .as_ref()
                    .and_then(|o| o.note.as_ref())
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            })
            .collect();
        let latest = match (health.value, health.period) {
            (Some(v), Some(p)) => Some(format!("{} for {p}", with_unit(v, &unit))),
            _ => None,
        };
        let badge = Badge::health(health.health);
        let summary = summary(measure, &slots, latest.as_deref(), badge.label, &unit);
        Self {
            id: measure.id.0,
            position: measure.position,
            name: measure.name.to_string(),
            description: measure.description.as_ref().map(ToString::to_string),
            kind: format!(
                "{}; a value {}",
                direction_words(measure.direction),
                measure.frequency
            ),
            latest,
            baseline: measure.baseline.map(|b| match b.date {
                Some(d) => format!("{} on {d}", with_unit(b.value.get(), &unit)),
                None => with_unit(b.value.get(), &unit),
            }),
            targets: targets_words(&measure.targets, &unit),
            thresholds: thresholds_words(measure.direction, &measure.thresholds, &unit),
            badge,
            reason: health.reason.clone(),
            source: measure.data_source.as_ref().map(ToString::to_string),
            chart: trend::draw(&slots),
            summary,
            rows,
        }
    }
}

/// The chart's text alternative: what it shows and where it ends.
fn summary(
    measure: &Measure,
    slots: &[Slot],
    latest: Option<&str>,
    health: &str,
    unit: &str,
) -> String {
    let counted = slots.iter().filter(|s| s.value.is_some()).count();
    let span = match (slots.first(), slots.last()) {
        (Some(first), Some(last)) if slots.len() > 1 => {
            format!(" from {} to {}", first.label, last.label)
        }
        (Some(only), _) => format!(" for {}", only.label),
        _ => String::new(),
    };
    let mut text = format!("Trend of {}: {counted} value(s){span}.", measure.name);
    if let Some(latest) = latest {
        text.push_str(&format!(" Latest: {latest}, {health}."));
    }
    if let Some(goal) = slots.iter().rev().find_map(|s| s.goal) {
        text.push_str(&format!(
            " The dashed line is the target of each period, lately {}.",
            goal_words(goal, unit)
        ));
    }
    if slots.iter().any(|s| !s.bands.is_empty()) {
        text.push_str(" Shaded bands mark the green, amber and red ranges.");
    }
    text.push_str(" The values are in the table that follows.");
    text
}
