//! A measure's status: the target that applies to its latest value, and the
//! colour the thresholds give it.

use super::{Health, at_least, at_most};
use crate::{
    Frequency, Goal, MeasureDirection, ReportingPeriod, Target, ThresholdBasis, Thresholds,
};
use serde::{Deserialize, Serialize};
use time::Date;

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

impl crate::Measure {
    /// The numbers of this measure that its status depends on.
    pub fn rule(&self) -> MeasureRule<'_> {
        MeasureRule {
            direction: self.direction,
            thresholds: &self.thresholds,
            targets: &self.targets,
            frequency: self.frequency,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::status::*;
    use crate::*;
    use time::macros::date;

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
}
