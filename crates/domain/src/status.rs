//! The one formula that turns measures and check-ins into statuses and rolls
//! them up the tree of a plan.
//!
//! Everything here is a pure function of its arguments (today's date is an
//! argument too); the storage layer calls these functions and caches their
//! results. The rules are written out for sponsors, with worked examples, in
//! `docs/status-rules.md`; a change here is a change there.

use crate::keyword::keyword_enum;
use crate::{
    Cadence, Frequency, Goal, MeasureDirection, ProgressStatus, ReportingPeriod, Target,
    ThresholdBasis, Thresholds,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// How far apart two numbers may be and still count as equal when compared
/// with a threshold, so that float rounding (`0.1 + 0.2`) does not flip a colour.
const TOLERANCE: f64 = 1e-9;

/// The lowest score of an on-track node.
const ON_TRACK_FROM: f64 = 80.0;

/// The lowest score of an at-risk node; below it a node is off-track.
const AT_RISK_FROM: f64 = 50.0;

keyword_enum!(
    /// The colour of a measure's latest value against its target and thresholds.
    Health, what = "health" {
        /// At or better than the green threshold.
        Green = "green",
        /// Short of green but within the amber threshold.
        Amber = "amber",
        /// Beyond the amber threshold.
        Red = "red",
    }
);

impl Health {
    /// What the colour counts for in a node's score: green 100, amber 50, red 0.
    pub fn score(self) -> f64 {
        match self {
            Self::Green => 100.0,
            Self::Amber => 50.0,
            Self::Red => 0.0,
        }
    }
}

/// The numbers of one measure that its status depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureRule<'a> {
    /// Which values are good.
    pub direction: MeasureDirection,
    /// The numbers that colour a value.
    pub thresholds: &'a Thresholds,
    /// The goals by period, and the final goal.
    pub targets: &'a [Target],
    /// How often the measure gets a value; decides when a value is too old.
    pub frequency: Frequency,
}

/// A measure's status: its health (none means "no data"), the period, value
/// and goal it was judged on, and a one-line reason a person can check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MeasureStatus {
    /// Green, amber or red; none when there is no usable value or no way to judge it.
    pub health: Option<Health>,
    /// The period of the latest value.
    pub period: Option<ReportingPeriod>,
    /// The latest value.
    pub value: Option<f64>,
    /// The goal the value was compared with, if a target applies to its period.
    pub goal: Option<Goal>,
    /// Why the health is what it is, in one line.
    pub reason: String,
}

/// The target that applies to an observation for `period`: the target for
/// exactly that period; else the shortest target period that contains it
/// (the first listed on a tie); else the final target (the one without a
/// period); else none.
pub fn target_for(targets: &[Target], period: ReportingPeriod) -> Option<&Target> {
    targets
        .iter()
        .find(|t| t.period == Some(period))
        .or_else(|| {
            targets
                .iter()
                .filter(|t| t.period.is_some_and(|p| p.contains(period)))
                .min_by_key(|t| t.period.map_or(i64::MAX, ReportingPeriod::days))
        })
        .or_else(|| targets.iter().find(|t| t.period.is_none()))
}

/// The colour of `value` given the measure's direction, thresholds and the
/// goal of its period, or why it has none (no target, a target the
/// thresholds cannot work with).
pub fn health_of(
    direction: MeasureDirection,
    thresholds: &Thresholds,
    goal: Option<Goal>,
    value: f64,
) -> Result<Health, String> {
    assess(direction, thresholds, goal, value, "the target").map(|(health, _)| health)
}

/// `a ≥ b`, allowing for float rounding.
fn at_least(a: f64, b: f64) -> bool {
    a >= b - TOLERANCE
}

/// `a ≤ b`, allowing for float rounding.
fn at_most(a: f64, b: f64) -> bool {
    a <= b + TOLERANCE
}

/// Green if `x` reaches `green`, amber if it reaches `amber`, else red, where
/// "reaches" is `≥` when more is better and `≤` when less is.
fn colour(more_is_better: bool, x: f64, green: f64, amber: f64) -> Health {
    let reaches = |bound| {
        if more_is_better {
            at_least(x, bound)
        } else {
            at_most(x, bound)
        }
    };
    if reaches(green) {
        Health::Green
    } else if reaches(amber) {
        Health::Amber
    } else {
        Health::Red
    }
}

/// A computed figure for a reason: at most four decimals, no trailing zeros.
fn num(x: f64) -> String {
    let rounded = (x * 10_000.0).round() / 10_000.0;
    // Avoid printing "-0".
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    format!("{rounded}")
}

/// The health of a value and how it was reached (the text after "value for
/// period"), or why there is none. `label` names the goal ("the FY2026 target").
fn assess(
    direction: MeasureDirection,
    thresholds: &Thresholds,
    goal: Option<Goal>,
    value: f64,
    label: &str,
) -> Result<(Health, String), String> {
    if !value.is_finite() {
        return Err(format!("the value {value} is not a finite number"));
    }
    let (g, a) = (thresholds.green.get(), thresholds.amber.get());
    let v = value;
    let percent = thresholds.basis == ThresholdBasis::PercentOfTarget;
    match direction {
        MeasureDirection::HigherIsBetter | MeasureDirection::LowerIsBetter => {
            let higher = direction == MeasureDirection::HigherIsBetter;
            let (cmp, more_or_less) = if higher {
                ("from", "or more")
            } else {
                ("up to", "or less")
            };
            if !percent {
                let h = colour(higher, v, g, a);
                let how = format!(
                    "against absolute thresholds: green at {g} {more_or_less}, amber at {a} {more_or_less}"
                );
                return Ok((h, how));
            }
            let t = match goal {
                None => return Err("no target for this period".to_owned()),
                Some(Goal::Range { .. }) => {
                    return Err(format!(
                        "a {direction} measure needs a single target value, not a range"
                    ));
                }
                Some(Goal::Value { value }) => value.get(),
            };
            if higher && t <= 0.0 {
                return Err("percent thresholds need a positive target".to_owned());
            }
            if !higher && t < 0.0 {
                return Err("percent thresholds need a target of zero or more".to_owned());
            }
            if !higher && t == 0.0 {
                let h = if at_most(v, 0.0) {
                    Health::Green
                } else {
                    Health::Red
                };
                let how = format!(
                    "against {label} of 0: green at 0 or less, red above (a percentage of 0 is undefined)"
                );
                return Ok((h, how));
            }
            let r = v / t * 100.0;
            let h = colour(higher, r, g, a);
            let how = format!(
                "is {}% of {label} of {t}: green {cmp} {g}%, amber {cmp} {a}%",
                num(r)
            );
            Ok((h, how))
        }
        MeasureDirection::WithinRange => {
            let (low, high) = match goal {
                None => return Err("no target range for this period".to_owned()),
                Some(Goal::Value { .. }) => {
                    return Err(
                        "a within-range measure needs a target range (low and high), not a single value"
                            .to_owned(),
                    );
                }
                Some(Goal::Range { low, high }) => (low.get(), high.get()),
            };
            if low > high {
                return Err(format!(
                    "the target range {low} to {high} has low above high"
                ));
            }
            let d = if v < low {
                low - v
            } else if v > high {
                v - high
            } else {
                0.0
            };
            let where_ = if d == 0.0 {
                format!("is inside {label} range {low} to {high}")
            } else {
                format!("is {} outside {label} range {low} to {high}", num(d))
            };
            if !percent {
                let h = colour(false, d, g, a);
                let how = format!("{where_}: green within {g} of the range, amber within {a}");
                return Ok((h, how));
            }
            let width = high - low;
            if width == 0.0 {
                let h = if at_most(d, 0.0) {
                    Health::Green
                } else {
                    Health::Red
                };
                let how = format!(
                    "{where_}: the range has no width, so only a value exactly on it is green; any other is red"
                );
                return Ok((h, how));
            }
            let dp = d / width * 100.0;
            let h = colour(false, dp, g, a);
            let how = format!(
                "{where_} ({}% of its width {}): green within {g}%, amber within {a}%",
                num(dp),
                num(width)
            );
            Ok((h, how))
        }
    }
}

/// The status of a measure whose latest value (if any) is `latest`, as of `today`.
///
/// No value, or a value whose period ended more than twice the measure's
/// interval before today, is "no data"; otherwise the value is coloured
/// against the target of its period (see [`target_for`] and [`health_of`]).
pub fn measure_status(
    rule: &MeasureRule,
    latest: Option<(ReportingPeriod, f64)>,
    today: Date,
) -> MeasureStatus {
    let Some((period, value)) = latest else {
        return MeasureStatus {
            health: None,
            period: None,
            value: None,
            goal: None,
            reason: "no data yet: no value has been recorded".to_owned(),
        };
    };
    let target = target_for(rule.targets, period);
    let goal = target.map(|t| t.goal);
    let status = |health, reason| MeasureStatus {
        health,
        period: Some(period),
        value: Some(value),
        goal,
        reason,
    };
    let age = (today - period.end()).whole_days();
    let limit = 2 * rule.frequency.interval_days();
    if age > limit {
        return status(
            None,
            format!(
                "no data: the latest value is for {period}, which ended {} ({age} days before {today}); \
                 a {} measure whose latest value is more than {limit} days old counts as no data",
                period.end(),
                rule.frequency
            ),
        );
    }
    let label = match target.and_then(|t| t.period) {
        Some(p) => format!("the {p} target"),
        None if target.is_some() => "the final target".to_owned(),
        None => "the target".to_owned(),
    };
    match assess(rule.direction, rule.thresholds, goal, value, &label) {
        Ok((health, how)) => status(
            Some(health),
            format!("{health}: {} for {period} {how}", num(value)),
        ),
        Err(why) => status(
            None,
            format!(
                "no data: {} for {period} cannot be judged: {why}",
                num(value)
            ),
        ),
    }
}

/// The latest check-in's status and the latest percent any check-in gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OwnReport {
    /// The status the latest check-in gave.
    pub status: ProgressStatus,
    /// The latest percent done any check-in gave.
    pub percent: Option<f64>,
}

/// What a parent sees of a child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChildSummary {
    /// The effective status: the override if there is one, else the computed status.
    pub status: ProgressStatus,
    /// Its health score from 0 to 100; none when nothing gives it one.
    pub score: Option<f64>,
    /// Its percent done; none when unknown.
    pub progress: Option<f64>,
    /// How much it counts in its parent; 0 leaves it out.
    pub weight: f64,
}

/// Everything a node's roll-up depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RollupInput<'a> {
    /// The owner's latest report, if any check-in was filed.
    pub own: Option<OwnReport>,
    /// The node's children, as their parent sees them (see [`as_child`]).
    pub children: &'a [ChildSummary],
    /// The node's measures: each one's weight and health (none for no data).
    pub measures: &'a [(f64, Option<Health>)],
}

/// A node's computed status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rollup {
    /// The status the rules give.
    pub status: ProgressStatus,
    /// The weighted health score from 0 to 100; none when nothing contributes one.
    pub score: Option<f64>,
    /// The percent done; none when unknown.
    pub progress: Option<f64>,
}

/// What a status counts for in a score: on-track and completed 100, at-risk
/// 50, off-track 0; not-started, deferred and cancelled nothing.
pub fn status_score(status: ProgressStatus) -> Option<f64> {
    match status {
        ProgressStatus::OnTrack | ProgressStatus::Completed => Some(100.0),
        ProgressStatus::AtRisk => Some(50.0),
        ProgressStatus::OffTrack => Some(0.0),
        ProgressStatus::NotStarted | ProgressStatus::Deferred | ProgressStatus::Cancelled => None,
    }
}

/// The status, score and progress of a node, from its own latest check-in,
/// its children and its measures (rules 1–5 of docs/status-rules.md).
pub fn roll_up(input: &RollupInput) -> Rollup {
    // Rule 1: the owner's closing word wins over children.
    if let Some(own) = input.own
        && own.status.is_closed()
    {
        return if own.status == ProgressStatus::Completed {
            Rollup {
                status: ProgressStatus::Completed,
                score: Some(100.0),
                progress: Some(100.0),
            }
        } else {
            Rollup {
                status: own.status,
                score: None,
                progress: own.percent,
            }
        };
    }

    // Rule 2: the children that count.
    let counted: Vec<&ChildSummary> = input
        .children
        .iter()
        .filter(|c| c.weight > 0.0 && !c.status.is_set_aside())
        .collect();

    // Rule 3: the weighted health score.
    let mut weighted = 0.0;
    let mut total = 0.0;
    let mut add = |w: f64, s: f64| {
        weighted += w * s;
        total += w;
    };
    for child in &counted {
        if let Some(s) = child.score {
            add(child.weight, s);
        }
    }
    for &(w, health) in input.measures {
        if w > 0.0
            && let Some(h) = health
        {
            add(w, h.score());
        }
    }
    if let Some(own) = input.own
        && matches!(
            own.status,
            ProgressStatus::OnTrack | ProgressStatus::AtRisk | ProgressStatus::OffTrack
        )
        && let Some(s) = status_score(own.status)
    {
        add(1.0, s);
    }
    let score = (total > 0.0).then(|| weighted / total);

    // Rule 4: progress.
    let own_percent = input.own.and_then(|o| o.percent);
    let progress = if counted.is_empty() {
        match own_percent {
            Some(p) => Some(p),
            None if input.children.is_empty() => Some(0.0),
            None => None,
        }
    } else {
        let weights: f64 = counted.iter().map(|c| c.weight).sum();
        let done: f64 = counted
            .iter()
            .map(|c| c.weight * c.progress.unwrap_or(0.0))
            .sum();
        Some(done / weights)
    };

    // Rule 5: status.
    if !counted.is_empty()
        && counted
            .iter()
            .all(|c| c.status == ProgressStatus::Completed)
    {
        return Rollup {
            status: ProgressStatus::Completed,
            score,
            progress: Some(100.0),
        };
    }
    let status = if let Some(s) = score {
        if at_least(s, ON_TRACK_FROM) {
            ProgressStatus::OnTrack
        } else if at_least(s, AT_RISK_FROM) {
            ProgressStatus::AtRisk
        } else {
            ProgressStatus::OffTrack
        }
    } else if !input.children.is_empty() && input.children.iter().all(|c| c.status.is_set_aside()) {
        if input
            .children
            .iter()
            .all(|c| c.status == ProgressStatus::Cancelled)
        {
            ProgressStatus::Cancelled
        } else {
            ProgressStatus::Deferred
        }
    } else {
        ProgressStatus::NotStarted
    };
    Rollup {
        status,
        score,
        progress,
    }
}

/// What the parent sees of a node whose computed status is `computed`: an
/// override (if any) replaces the computed status, and its score is
/// [`status_score`] of the override (progress becomes 100 when the override is
/// completed, and stays the computed progress otherwise); without an override
/// the computed status, score and progress pass up unchanged.
pub fn as_child(
    computed: &Rollup,
    override_status: Option<ProgressStatus>,
    weight: f64,
) -> ChildSummary {
    match override_status {
        Some(status) => ChildSummary {
            status,
            score: status_score(status),
            progress: if status == ProgressStatus::Completed {
                Some(100.0)
            } else {
                computed.progress
            },
            weight,
        },
        None => ChildSummary {
            status: computed.status,
            score: computed.score,
            progress: computed.progress,
            weight,
        },
    }
}

/// How many days a node's next check-in is overdue on `today`, or none when it
/// is not overdue, no check-in is expected (cadence none) or the node is
/// closed. The clock starts at the last check-in, or at `reference` (the day
/// the node's work starts) when there has been none.
pub fn overdue_days(
    cadence: Cadence,
    closed: bool,
    last_check_in: Option<Date>,
    reference: Date,
    today: Date,
) -> Option<i64> {
    let allowed = cadence.allowed_days()?;
    if closed {
        return None;
    }
    let from = last_check_in.unwrap_or(reference);
    let deadline = from.checked_add(Duration::days(allowed))?;
    (today > deadline).then(|| (today - deadline).whole_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;
    use ProgressStatus::*;
    use time::macros::date;

    // ---- helpers ---------------------------------------------------------

    fn p(s: &str) -> ReportingPeriod {
        s.parse().unwrap()
    }

    fn val(x: f64) -> Value {
        Value::new(x).unwrap()
    }

    fn goal(x: f64) -> Goal {
        Goal::Value { value: val(x) }
    }

    fn range(low: f64, high: f64) -> Goal {
        Goal::Range {
            low: val(low),
            high: val(high),
        }
    }

    fn target(period: Option<&str>, goal: Goal) -> Target {
        Target {
            period: period.map(p),
            goal,
        }
    }

    fn th(basis: ThresholdBasis, green: f64, amber: f64) -> Thresholds {
        Thresholds {
            basis,
            green: val(green),
            amber: val(amber),
        }
    }

    fn abs(green: f64, amber: f64) -> Thresholds {
        th(ThresholdBasis::Absolute, green, amber)
    }

    fn pct(green: f64, amber: f64) -> Thresholds {
        th(ThresholdBasis::PercentOfTarget, green, amber)
    }

    const HIGHER: MeasureDirection = MeasureDirection::HigherIsBetter;
    const LOWER: MeasureDirection = MeasureDirection::LowerIsBetter;
    const RANGE: MeasureDirection = MeasureDirection::WithinRange;

    fn child(
        status: ProgressStatus,
        score: Option<f64>,
        progress: Option<f64>,
        weight: f64,
    ) -> ChildSummary {
        ChildSummary {
            status,
            score,
            progress,
            weight,
        }
    }

    /// A child as a parent sees it when its own check-in gave `status` and `percent`.
    fn reported(status: ProgressStatus, percent: f64, weight: f64) -> ChildSummary {
        let computed = roll_up(&RollupInput {
            own: Some(OwnReport {
                status,
                percent: Some(percent),
            }),
            children: &[],
            measures: &[],
        });
        as_child(&computed, None, weight)
    }

    fn own(status: ProgressStatus, percent: Option<f64>) -> Option<OwnReport> {
        Some(OwnReport { status, percent })
    }

    fn rollup(
        own: Option<OwnReport>,
        children: &[ChildSummary],
        measures: &[(f64, Option<Health>)],
    ) -> Rollup {
        roll_up(&RollupInput {
            own,
            children,
            measures,
        })
    }

    fn r(status: ProgressStatus, score: Option<f64>, progress: Option<f64>) -> Rollup {
        Rollup {
            status,
            score,
            progress,
        }
    }

    // ---- health words and scores ------------------------------------------

    #[test]
    fn health_spells_and_scores() {
        assert_eq!("GREEN".parse::<Health>(), Ok(Health::Green));
        assert_eq!(Health::Amber.to_string(), "amber");
        assert_eq!(serde_json::to_string(&Health::Red).unwrap(), r#""red""#);
        assert_eq!(
            Health::ALL.iter().map(|h| h.score()).collect::<Vec<_>>(),
            [100.0, 50.0, 0.0]
        );
        assert_eq!(status_score(OnTrack), Some(100.0));
        assert_eq!(status_score(Completed), Some(100.0));
        assert_eq!(status_score(AtRisk), Some(50.0));
        assert_eq!(status_score(OffTrack), Some(0.0));
        assert_eq!(status_score(NotStarted), None);
        assert_eq!(status_score(Deferred), None);
        assert_eq!(status_score(Cancelled), None);
    }

    // ---- target_for --------------------------------------------------------

    #[test]
    fn target_for_prefers_exact_then_shortest_containing_then_final() {
        let targets = [
            target(None, goal(98.0)),
            target(Some("FY2026"), goal(95.0)),
            target(Some("2026-Q1"), goal(93.0)),
            target(Some("2026-03"), goal(90.0)),
        ];
        // (a) exact period.
        assert_eq!(target_for(&targets, p("2026-03")).unwrap().goal, goal(90.0));
        // (b) the shortest containing period: 2026-02 lies in Q1 and in FY2026.
        assert_eq!(target_for(&targets, p("2026-02")).unwrap().goal, goal(93.0));
        assert_eq!(target_for(&targets, p("2026-07")).unwrap().goal, goal(95.0));
        assert_eq!(
            target_for(&targets, p("2026-03-15")).unwrap().goal,
            goal(90.0)
        );
        // A year observation is contained in (equal days to) FY2026.
        assert_eq!(target_for(&targets, p("2026")).unwrap().goal, goal(95.0));
        // (c) the final target.
        assert_eq!(target_for(&targets, p("2027-01")).unwrap().goal, goal(98.0));
        // A longer observation is not judged by a shorter target inside it.
        assert_eq!(
            target_for(&targets[1..], p("2026-Q2")).unwrap().goal,
            goal(95.0)
        );
        assert_eq!(target_for(&targets[2..], p("2026")), None);
        assert_eq!(target_for(&[], p("2026")), None);
    }

    // ---- health_of: thresholds and boundaries -------------------------------

    #[test]
    fn higher_is_better_absolute_boundaries() {
        let t = abs(99.5, 99.0);
        assert_eq!(health_of(HIGHER, &t, None, 99.5), Ok(Health::Green));
        assert_eq!(health_of(HIGHER, &t, None, 99.49), Ok(Health::Amber));
        assert_eq!(health_of(HIGHER, &t, None, 99.0), Ok(Health::Amber));
        assert_eq!(health_of(HIGHER, &t, None, 98.99), Ok(Health::Red));
        // Rounding does not flip a colour: 0.1 + 0.2 is 0.30000000000000004.
        let tiny = abs(0.3, 0.2);
        assert_eq!(health_of(HIGHER, &tiny, None, 0.1 + 0.2), Ok(Health::Green));
        assert_eq!(
            health_of(LOWER, &abs(0.3, 0.4), None, 0.1 + 0.2),
            Ok(Health::Green)
        );
    }

    #[test]
    fn higher_is_better_percent_boundaries() {
        let t = pct(100.0, 90.0);
        let g = Some(goal(95.0));
        assert_eq!(health_of(HIGHER, &t, g, 95.0), Ok(Health::Green));
        assert_eq!(health_of(HIGHER, &t, g, 96.0), Ok(Health::Green));
        assert_eq!(health_of(HIGHER, &t, g, 94.99), Ok(Health::Amber));
        assert_eq!(health_of(HIGHER, &t, g, 85.5), Ok(Health::Amber)); // exactly 90%
        assert_eq!(health_of(HIGHER, &t, g, 85.49), Ok(Health::Red));
        // 0.3 of a 0.1 + 0.2 target is exactly 100% to the eye.
        assert_eq!(
            health_of(HIGHER, &t, Some(goal(0.1 + 0.2)), 0.3),
            Ok(Health::Green)
        );
    }

    #[test]
    fn lower_is_better_boundaries() {
        let a = abs(2.0, 4.0);
        assert_eq!(health_of(LOWER, &a, None, 2.0), Ok(Health::Green));
        assert_eq!(health_of(LOWER, &a, None, 2.01), Ok(Health::Amber));
        assert_eq!(health_of(LOWER, &a, None, 4.0), Ok(Health::Amber));
        assert_eq!(health_of(LOWER, &a, None, 4.01), Ok(Health::Red));
        let t = pct(100.0, 110.0);
        let g = Some(goal(20.0));
        assert_eq!(health_of(LOWER, &t, g, 20.0), Ok(Health::Green));
        assert_eq!(health_of(LOWER, &t, g, 0.0), Ok(Health::Green));
        assert_eq!(health_of(LOWER, &t, g, 20.01), Ok(Health::Amber));
        assert_eq!(health_of(LOWER, &t, g, 22.0), Ok(Health::Amber)); // exactly 110%
        assert_eq!(health_of(LOWER, &t, g, 22.01), Ok(Health::Red));
    }

    #[test]
    fn zero_and_negative_targets() {
        let t = pct(100.0, 90.0);
        assert_eq!(
            health_of(HIGHER, &t, Some(goal(0.0)), 5.0),
            Err("percent thresholds need a positive target".to_owned())
        );
        assert_eq!(
            health_of(HIGHER, &t, Some(goal(-3.0)), 5.0),
            Err("percent thresholds need a positive target".to_owned())
        );
        let l = pct(100.0, 110.0);
        assert_eq!(
            health_of(LOWER, &l, Some(goal(0.0)), 0.0),
            Ok(Health::Green)
        );
        assert_eq!(
            health_of(LOWER, &l, Some(goal(0.0)), -1.0),
            Ok(Health::Green)
        );
        assert_eq!(health_of(LOWER, &l, Some(goal(0.0)), 0.5), Ok(Health::Red));
        assert!(health_of(LOWER, &l, Some(goal(-1.0)), 0.0).is_err());
        // Absolute thresholds need no target, so its sign does not matter.
        assert_eq!(
            health_of(HIGHER, &abs(0.0, -5.0), Some(goal(-3.0)), -2.0),
            Ok(Health::Amber)
        );
    }

    #[test]
    fn percent_thresholds_need_a_target_of_the_right_shape() {
        assert_eq!(
            health_of(HIGHER, &pct(100.0, 90.0), None, 5.0),
            Err("no target for this period".to_owned())
        );
        assert_eq!(
            health_of(LOWER, &pct(100.0, 110.0), None, 5.0),
            Err("no target for this period".to_owned())
        );
        assert!(health_of(HIGHER, &pct(100.0, 90.0), Some(range(1.0, 2.0)), 5.0).is_err());
        assert!(health_of(RANGE, &pct(0.0, 10.0), None, 5.0).is_err());
        assert!(health_of(RANGE, &abs(0.0, 1.0), None, 5.0).is_err());
        assert!(health_of(RANGE, &pct(0.0, 10.0), Some(goal(5.0)), 5.0).is_err());
    }

    #[test]
    fn within_range_boundaries() {
        let g = Some(range(-5.0, 5.0));
        let a = abs(0.0, 1.0);
        assert_eq!(health_of(RANGE, &a, g, -5.0), Ok(Health::Green));
        assert_eq!(health_of(RANGE, &a, g, 5.0), Ok(Health::Green));
        assert_eq!(health_of(RANGE, &a, g, 5.5), Ok(Health::Amber));
        assert_eq!(health_of(RANGE, &a, g, -6.0), Ok(Health::Amber)); // exactly at amber
        assert_eq!(health_of(RANGE, &a, g, 6.01), Ok(Health::Red));
        // Percent of the width (10): amber within 10% = 1 outside.
        let t = pct(0.0, 10.0);
        assert_eq!(health_of(RANGE, &t, g, 0.0), Ok(Health::Green));
        assert_eq!(health_of(RANGE, &t, g, 5.0), Ok(Health::Green));
        assert_eq!(health_of(RANGE, &t, g, 5.5), Ok(Health::Amber));
        assert_eq!(health_of(RANGE, &t, g, 6.0), Ok(Health::Amber)); // exactly 10%
        assert_eq!(health_of(RANGE, &t, g, 6.2), Ok(Health::Red));
        assert_eq!(health_of(RANGE, &t, g, -7.0), Ok(Health::Red));
    }

    #[test]
    fn within_range_of_zero_width() {
        let g = Some(range(3.0, 3.0));
        let t = pct(0.0, 10.0);
        assert_eq!(health_of(RANGE, &t, g, 3.0), Ok(Health::Green));
        assert_eq!(health_of(RANGE, &t, g, 3.01), Ok(Health::Red));
        assert_eq!(health_of(RANGE, &t, g, 2.0), Ok(Health::Red));
        // Absolute thresholds still allow a distance.
        assert_eq!(health_of(RANGE, &abs(0.0, 0.5), g, 3.5), Ok(Health::Amber));
    }

    // ---- measure_status ----------------------------------------------------

    const D: Date = date!(2026 - 04 - 20);

    #[test]
    fn no_observation_is_no_data() {
        let t = pct(100.0, 90.0);
        let rule = MeasureRule {
            direction: HIGHER,
            thresholds: &t,
            targets: &[],
            frequency: Frequency::Monthly,
        };
        let s = measure_status(&rule, None, D);
        assert_eq!(s.health, None);
        assert_eq!((s.period, s.value, s.goal), (None, None, None));
        assert!(s.reason.contains("no data yet"), "{}", s.reason);
    }

    #[test]
    fn missing_periods_fall_back_to_containing_then_final_target() {
        let t = pct(100.0, 90.0);
        let yearly = [target(Some("FY2026"), goal(95.0))];
        let rule = MeasureRule {
            direction: HIGHER,
            thresholds: &t,
            targets: &yearly,
            frequency: Frequency::Monthly,
        };
        // 2026-03 has no target of its own; FY2026 contains it. 87 / 95 = 91.58% → amber.
        let s = measure_status(&rule, Some((p("2026-03"), 87.0)), D);
        assert_eq!(s.health, Some(Health::Amber), "{}", s.reason);
        assert_eq!(s.goal, Some(goal(95.0)));
        assert_eq!(s.period, Some(p("2026-03")));
        assert_eq!(s.value, Some(87.0));
        assert!(s.reason.contains("FY2026"), "{}", s.reason);
        assert!(s.reason.contains("91.5789%"), "{}", s.reason);

        // With a final target too, a 2027 value is judged against it: 97 / 98 → amber.
        let with_final = [target(Some("FY2026"), goal(95.0)), target(None, goal(98.0))];
        let rule = MeasureRule {
            targets: &with_final,
            ..rule
        };
        let s = measure_status(&rule, Some((p("2027-01"), 97.0)), date!(2027 - 02 - 10));
        assert_eq!(s.health, Some(Health::Amber), "{}", s.reason);
        assert_eq!(s.goal, Some(goal(98.0)));
        assert!(s.reason.contains("final target"), "{}", s.reason);

        // No target at all: no data, and the reason says why.
        let rule = MeasureRule {
            targets: &[],
            ..rule
        };
        let s = measure_status(&rule, Some((p("2026-03"), 87.0)), D);
        assert_eq!(s.health, None);
        assert_eq!(s.value, Some(87.0));
        assert_eq!(s.goal, None);
        assert!(
            s.reason.contains("no target for this period"),
            "{}",
            s.reason
        );
    }

    #[test]
    fn stale_data_per_frequency() {
        let t = abs(10.0, 5.0);
        let rule = |frequency| MeasureRule {
            direction: HIGHER,
            thresholds: &t,
            targets: &[],
            frequency,
        };
        // Monthly: 2 × 31 = 62 days after the period's end (2026-01-31).
        let monthly = rule(Frequency::Monthly);
        let jan = Some((p("2026-01"), 12.0));
        let s = measure_status(&monthly, jan, date!(2026 - 04 - 03));
        assert_eq!(s.health, Some(Health::Green), "62 days old: {}", s.reason);
        let s = measure_status(&monthly, jan, date!(2026 - 04 - 04));
        assert_eq!(s.health, None, "63 days old");
        assert!(
            s.reason.contains("2026-01") && s.reason.contains("monthly"),
            "{}",
            s.reason
        );
        assert_eq!(s.value, Some(12.0));

        // Quarterly: 2 × 92 = 184 days after 2026-03-31.
        let quarterly = rule(Frequency::Quarterly);
        let q1 = Some((p("2026-Q1"), 12.0));
        assert_eq!(
            measure_status(&quarterly, q1, date!(2026 - 10 - 01)).health,
            Some(Health::Green)
        );
        assert_eq!(
            measure_status(&quarterly, q1, date!(2026 - 10 - 02)).health,
            None
        );

        // Annually: 2 × 366 = 732 days after 2025-12-31.
        let annually = rule(Frequency::Annually);
        let y = Some((p("FY2025"), 12.0));
        assert_eq!(
            measure_status(&annually, y, date!(2028 - 01 - 02)).health,
            Some(Health::Green)
        );
        assert_eq!(
            measure_status(&annually, y, date!(2028 - 01 - 03)).health,
            None
        );

        // A value for a period that has not ended yet is not stale.
        let s = measure_status(&monthly, Some((p("2026-12"), 12.0)), D);
        assert_eq!(s.health, Some(Health::Green));
    }

    #[test]
    fn reasons_name_the_figures() {
        let t = pct(100.0, 90.0);
        let targets = [target(Some("FY2026"), goal(95.0))];
        let rule = MeasureRule {
            direction: HIGHER,
            thresholds: &t,
            targets: &targets,
            frequency: Frequency::Monthly,
        };
        let s = measure_status(&rule, Some((p("2026-03"), 94.0)), D);
        assert_eq!(
            s.reason,
            "amber: 94 for 2026-03 is 98.9474% of the FY2026 target of 95: green from 100%, amber from 90%"
        );
    }

    // ---- roll_up: leaves -----------------------------------------------------

    #[test]
    fn leaf_without_check_in_is_not_started_at_zero() {
        assert_eq!(rollup(None, &[], &[]), r(NotStarted, None, Some(0.0)));
    }

    #[test]
    fn leaf_with_check_in_takes_its_word() {
        assert_eq!(
            rollup(own(OnTrack, Some(40.0)), &[], &[]),
            r(OnTrack, Some(100.0), Some(40.0))
        );
        assert_eq!(
            rollup(own(AtRisk, None), &[], &[]),
            r(AtRisk, Some(50.0), Some(0.0))
        );
        assert_eq!(
            rollup(own(OffTrack, Some(10.0)), &[], &[]),
            r(OffTrack, Some(0.0), Some(10.0))
        );
        // Not-started gives no score.
        assert_eq!(
            rollup(own(NotStarted, Some(5.0)), &[], &[]),
            r(NotStarted, None, Some(5.0))
        );
        // Closing words.
        assert_eq!(
            rollup(own(Completed, None), &[], &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
        assert_eq!(
            rollup(own(Deferred, Some(30.0)), &[], &[]),
            r(Deferred, None, Some(30.0))
        );
        assert_eq!(
            rollup(own(Cancelled, None), &[], &[]),
            r(Cancelled, None, None)
        );
    }

    #[test]
    fn leaf_with_only_measures() {
        let m = [
            (1.0, Some(Health::Green)),
            (1.0, Some(Health::Amber)),
            (1.0, None),
        ];
        // (100 + 50) / 2 = 75 → at-risk; no children and no percent → progress 0.
        assert_eq!(rollup(None, &[], &m), r(AtRisk, Some(75.0), Some(0.0)));
        // Measures without data give no score.
        assert_eq!(
            rollup(None, &[], &[(1.0, None)]),
            r(NotStarted, None, Some(0.0))
        );
        // The check-in joins at weight 1: (100 + 50 + 100) / 3 = 83.33 → on-track.
        let s = rollup(own(OnTrack, Some(60.0)), &[], &m);
        assert_eq!(s.status, OnTrack);
        assert!((s.score.unwrap() - 250.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.progress, Some(60.0));
    }

    #[test]
    fn mixed_measure_directions_on_one_node() {
        // Uptime, higher-is-better: 99.9 against 99.5 → green.
        let up_t = pct(100.0, 99.0);
        let up_targets = [target(Some("2026"), goal(99.5))];
        let uptime = MeasureRule {
            direction: HIGHER,
            thresholds: &up_t,
            targets: &up_targets,
            frequency: Frequency::Monthly,
        };
        // Downtime hours, lower-is-better: 6 against 4 = 150% → red.
        let down_t = pct(100.0, 110.0);
        let down_targets = [target(Some("2026-Q1"), goal(4.0))];
        let downtime = MeasureRule {
            direction: LOWER,
            thresholds: &down_t,
            targets: &down_targets,
            frequency: Frequency::Monthly,
        };
        let a = measure_status(&uptime, Some((p("2026-03"), 99.9)), D);
        let b = measure_status(&downtime, Some((p("2026-03"), 6.0)), D);
        assert_eq!(a.health, Some(Health::Green), "{}", a.reason);
        assert_eq!(b.health, Some(Health::Red), "{}", b.reason);
        // (100 + 0) / 2 = 50 → at-risk.
        assert_eq!(
            rollup(None, &[], &[(1.0, a.health), (1.0, b.health)]),
            r(AtRisk, Some(50.0), Some(0.0))
        );
        // Weighted 3 : 1 toward uptime: 300 / 4 = 75 → at-risk.
        assert_eq!(
            rollup(None, &[], &[(3.0, a.health), (1.0, b.health)]),
            r(AtRisk, Some(75.0), Some(0.0))
        );
        // Weighted 1 : 3 toward downtime: 100 / 4 = 25 → off-track.
        assert_eq!(
            rollup(None, &[], &[(1.0, a.health), (3.0, b.health)]),
            r(OffTrack, Some(25.0), Some(0.0))
        );
    }

    // ---- roll_up: children -----------------------------------------------------

    #[test]
    fn weighted_children() {
        let kids = [reported(OnTrack, 50.0, 3.0), reported(OffTrack, 20.0, 1.0)];
        // Score (3×100 + 1×0) / 4 = 75 → at-risk; progress (3×50 + 1×20) / 4 = 42.5.
        assert_eq!(rollup(None, &kids, &[]), r(AtRisk, Some(75.0), Some(42.5)));
        // A green measure of weight 1 joins: (300 + 0 + 100) / 5 = 80 → on-track.
        assert_eq!(
            rollup(None, &kids, &[(1.0, Some(Health::Green))]),
            r(OnTrack, Some(80.0), Some(42.5))
        );
    }

    #[test]
    fn score_bands() {
        let g = || reported(OnTrack, 0.0, 1.0);
        let a = || reported(AtRisk, 0.0, 1.0);
        let red = || reported(OffTrack, 0.0, 1.0);
        assert_eq!(rollup(None, &[g(), a()], &[]).score, Some(75.0));
        assert_eq!(rollup(None, &[g(), a()], &[]).status, AtRisk);
        assert_eq!(rollup(None, &[g(), g(), g(), a()], &[]).score, Some(87.5));
        assert_eq!(rollup(None, &[g(), g(), g(), a()], &[]).status, OnTrack);
        assert_eq!(rollup(None, &[g(), red()], &[]).status, AtRisk); // exactly 50
        assert_eq!(
            rollup(None, &[g(), g(), g(), g(), red()], &[]).status,
            OnTrack
        ); // exactly 80
        assert_eq!(rollup(None, &[a(), red()], &[]).status, OffTrack); // 25
        // Scores a hair below a band because of float arithmetic stay in it.
        // Weights 0.1 each for green, amber and red: 15 / 0.3 is 49.99999999999999.
        let kids = [
            child(OnTrack, Some(100.0), None, 0.1),
            child(AtRisk, Some(50.0), None, 0.1),
            child(OffTrack, Some(0.0), None, 0.1),
        ];
        let s = rollup(None, &kids, &[]);
        assert!(s.score.unwrap() < 50.0);
        assert_eq!(s.status, AtRisk);
    }

    #[test]
    fn children_without_scores_count_in_progress_only() {
        let kids = [
            reported(OnTrack, 60.0, 1.0),
            child(NotStarted, None, None, 1.0),
        ];
        // Score is the on-track child's alone; the not-started child adds 0% progress.
        assert_eq!(
            rollup(None, &kids, &[]),
            r(OnTrack, Some(100.0), Some(30.0))
        );
        // No child has a score and there are no measures: not-started.
        let idle = [
            child(NotStarted, None, Some(0.0), 1.0),
            child(NotStarted, None, None, 2.0),
        ];
        assert_eq!(rollup(None, &idle, &[]), r(NotStarted, None, Some(0.0)));
    }

    #[test]
    fn all_children_deferred_or_cancelled() {
        let deferred = [reported(Deferred, 30.0, 1.0), reported(Deferred, 0.0, 2.0)];
        assert_eq!(rollup(None, &deferred, &[]), r(Deferred, None, None));
        let cancelled = [
            reported(Cancelled, 10.0, 1.0),
            reported(Cancelled, 0.0, 1.0),
        ];
        assert_eq!(rollup(None, &cancelled, &[]), r(Cancelled, None, None));
        let mixed = [reported(Deferred, 30.0, 1.0), reported(Cancelled, 0.0, 1.0)];
        assert_eq!(rollup(None, &mixed, &[]), r(Deferred, None, None));
        // The node's own percent is its progress when no child counts.
        assert_eq!(
            rollup(own(NotStarted, Some(15.0)), &mixed, &[]),
            r(Deferred, None, Some(15.0))
        );
        // A node's own health still counts: an on-track report beats set-aside children.
        assert_eq!(
            rollup(own(OnTrack, None), &mixed, &[]),
            r(OnTrack, Some(100.0), None)
        );
    }

    #[test]
    fn a_deferred_child_is_set_aside() {
        let kids = [
            reported(OnTrack, 80.0, 1.0),
            reported(Deferred, 10.0, 1.0),
            reported(AtRisk, 30.0, 2.0),
        ];
        // Score (100 + 2×50) / 3 = 66.67 → at-risk; progress (80 + 2×30) / 3 = 46.67.
        let s = rollup(None, &kids, &[]);
        assert_eq!(s.status, AtRisk);
        assert!((s.score.unwrap() - 200.0 / 3.0).abs() < 1e-12);
        assert!((s.progress.unwrap() - 140.0 / 3.0).abs() < 1e-12);
        // Every counted child completed: completed, even with a deferred sibling.
        let done = [
            reported(Completed, 100.0, 1.0),
            reported(Deferred, 10.0, 1.0),
        ];
        assert_eq!(
            rollup(None, &done, &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
    }

    #[test]
    fn zero_weights() {
        // A zero-weight red child does not pull the parent down.
        let kids = [reported(OnTrack, 60.0, 1.0), reported(OffTrack, 0.0, 0.0)];
        assert_eq!(
            rollup(None, &kids, &[]),
            r(OnTrack, Some(100.0), Some(60.0))
        );
        // Nor does a zero-weight red measure.
        assert_eq!(
            rollup(None, &kids, &[(0.0, Some(Health::Red))]),
            r(OnTrack, Some(100.0), Some(60.0))
        );
        // All weights zero: nothing counts.
        let zero = [reported(OnTrack, 60.0, 0.0), reported(OffTrack, 0.0, 0.0)];
        assert_eq!(
            rollup(None, &zero, &[(0.0, Some(Health::Green))]),
            r(NotStarted, None, None)
        );
        // A zero-weight completed child does not make the parent completed.
        let z = [reported(Completed, 100.0, 0.0)];
        assert_eq!(rollup(None, &z, &[]), r(NotStarted, None, None));
    }

    #[test]
    fn completed_check_in_wins_over_red_children() {
        let kids = [reported(OffTrack, 20.0, 1.0), reported(OffTrack, 0.0, 1.0)];
        let m = [(1.0, Some(Health::Red))];
        assert_eq!(
            rollup(own(Completed, Some(100.0)), &kids, &m),
            r(Completed, Some(100.0), Some(100.0))
        );
        assert_eq!(
            rollup(own(Deferred, Some(40.0)), &kids, &m),
            r(Deferred, None, Some(40.0))
        );
        // An open check-in does not: (0 + 0 + 0 + 100) / 4 = 25 → off-track.
        assert_eq!(
            rollup(own(OnTrack, Some(70.0)), &kids, &m),
            r(OffTrack, Some(25.0), Some(10.0))
        );
    }

    #[test]
    fn all_children_completed_completes_the_parent() {
        let kids = [
            reported(Completed, 100.0, 1.0),
            reported(Completed, 100.0, 3.0),
        ];
        assert_eq!(
            rollup(None, &kids, &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
        // Measures still shape the score, not the status.
        assert_eq!(
            rollup(None, &kids, &[(4.0, Some(Health::Red))]),
            r(Completed, Some(50.0), Some(100.0))
        );
    }

    // ---- overrides ----------------------------------------------------------------

    #[test]
    fn override_propagates_through_as_child() {
        let green = rollup(own(OnTrack, Some(70.0)), &[], &[]);
        assert_eq!(green, r(OnTrack, Some(100.0), Some(70.0)));
        // Without an override the computed figures pass up.
        assert_eq!(
            as_child(&green, None, 2.0),
            child(OnTrack, Some(100.0), Some(70.0), 2.0)
        );
        // An off-track override counts 0 and keeps the computed progress.
        let over = as_child(&green, Some(OffTrack), 1.0);
        assert_eq!(over, child(OffTrack, Some(0.0), Some(70.0), 1.0));
        // Against one green sibling: (100 + 0) / 2 = 50 → at-risk.
        let sib = reported(OnTrack, 30.0, 1.0);
        assert_eq!(
            rollup(None, &[sib, over], &[]),
            r(AtRisk, Some(50.0), Some(50.0))
        );
        // Against a green sibling and an amber one: (100 + 50 + 0) / 3 = 50 → at-risk;
        // against an amber sibling alone: (50 + 0) / 2 = 25 → off-track.
        let amber = reported(AtRisk, 30.0, 1.0);
        assert_eq!(rollup(None, &[sib, amber, over], &[]).status, AtRisk);
        assert_eq!(
            rollup(None, &[amber, over], &[]),
            r(OffTrack, Some(25.0), Some(50.0))
        );
        // Completed overrides give 100 and progress 100; set-aside ones drop out.
        assert_eq!(
            as_child(&green, Some(Completed), 1.0),
            child(Completed, Some(100.0), Some(100.0), 1.0)
        );
        let deferred = as_child(&green, Some(Deferred), 1.0);
        assert_eq!(deferred, child(Deferred, None, Some(70.0), 1.0));
        assert_eq!(
            rollup(None, &[amber, deferred], &[]),
            r(AtRisk, Some(50.0), Some(30.0))
        );
        // A not-started override gives no score.
        assert_eq!(as_child(&green, Some(NotStarted), 1.0).score, None);
    }

    // ---- overdue --------------------------------------------------------------------

    #[test]
    fn overdue_across_cadences() {
        let start = date!(2026 - 01 - 01);
        let last = Some(date!(2026 - 01 - 01));
        // Monthly: 31 days allowed.
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 02 - 01)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 02 - 02)),
            Some(1)
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 03 - 03)),
            Some(30)
        );
        // Quarterly: 92 days; 2026-01-01 + 92 = 2026-04-03.
        assert_eq!(
            overdue_days(
                Cadence::Quarterly,
                false,
                last,
                start,
                date!(2026 - 04 - 03)
            ),
            None
        );
        assert_eq!(
            overdue_days(
                Cadence::Quarterly,
                false,
                last,
                start,
                date!(2026 - 04 - 04)
            ),
            Some(1)
        );
        // Annually: 366 days; 2026-01-01 + 366 = 2027-01-02.
        assert_eq!(
            overdue_days(Cadence::Annually, false, last, start, date!(2027 - 01 - 02)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Annually, false, last, start, date!(2027 - 01 - 12)),
            Some(10)
        );
        // No cadence, or closed: never overdue.
        assert_eq!(
            overdue_days(Cadence::None, false, last, start, date!(2030 - 01 - 01)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, true, last, start, date!(2030 - 01 - 01)),
            None
        );
        // Never checked in: the clock starts at the reference day.
        let reference = date!(2026 - 03 - 01);
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                None,
                reference,
                date!(2026 - 04 - 01)
            ),
            None
        );
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                None,
                reference,
                date!(2026 - 04 - 06)
            ),
            Some(5)
        );
        // A reference in the future: not overdue.
        let future = date!(2026 - 09 - 01);
        assert_eq!(
            overdue_days(Cadence::Monthly, false, None, future, date!(2026 - 04 - 06)),
            None
        );
        // A check-in restarts the clock even before the reference day.
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                Some(date!(2026 - 02 - 01)),
                future,
                date!(2026 - 03 - 05)
            ),
            Some(1)
        );
    }
}
