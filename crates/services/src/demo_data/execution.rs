//! The demo portfolio's execution data: each measure's values (a trend from
//! its baseline toward its target, with noise, ahead of or behind the path)
//! and each started initiative's check-ins (spread from its start to its last
//! report, mostly on track, some slipping, some overdue, some gone quiet).

use super::generate::{calendar, day};
use super::rng::Rng;
use super::words::{self, MeasureShape};
use crate::{ServiceError, ServiceResult};
use lodestar_domain::document::MeasureEntry;
use lodestar_domain::*;
use lodestar_storage::{BulkCheckIn, BulkObservation};
use time::{Date, Duration};

/// Monthly values per monthly measure (three years).
const MONTHS: usize = 36;
/// Quarterly values per quarterly measure (three years).
const QUARTERS: usize = 12;

/// How often a measure's values come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeriesKind {
    /// A value per day (an operational measure, reported monthly); these
    /// take up whatever the scale's observation count leaves.
    Daily,
    /// A value per month.
    Monthly,
    /// A value per quarter.
    Quarterly,
}

/// How one measure's values are made.
#[derive(Debug, Clone)]
pub(crate) struct MeasurePlan {
    kind: SeriesKind,
    baseline: f64,
    target: f64,
    /// Share of the planned improvement achieved (1.0 on the path).
    pace: f64,
    /// Standard deviation of the noise, in the measure's unit.
    spread: f64,
    decimals: i32,
    low: f64,
    high: f64,
    plan_start: Date,
    plan_end: Date,
}

/// A started-or-not initiative, for its check-ins.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InitiativeTimeline {
    /// Its position in the plan's nodes, in document order.
    pub node: u32,
    /// Its owner, as an index into the plan's people.
    pub author: u32,
    /// Its start date.
    pub start: Date,
    /// Its due date.
    pub due: Date,
}

fn round(value: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (value * f).round() / f
}

fn value(v: f64) -> ServiceResult<Value> {
    Value::new(v).map_err(|e| ServiceError::Invalid(ValidationError::new("value", e)))
}

/// A measure of `shape` with a jittered baseline and target, annual targets
/// along a straight path, and default thresholds.
pub(crate) fn measure(
    rng: &mut Rng,
    shape: &MeasureShape,
    kind: SeriesKind,
    key: &str,
    owner: Name,
    period: Period,
) -> ServiceResult<(MeasureEntry, MeasurePlan)> {
    let gap = shape.target - shape.baseline;
    let high = if shape.unit == "%" { 100.0 } else { f64::MAX };
    let low = if shape.direction == "range" {
        -100.0
    } else {
        0.0
    };
    let baseline = round(
        (shape.baseline + gap * rng.range(-0.2, 0.2)).clamp(low, high),
        shape.decimals,
    );
    let target = round(
        (shape.target + gap * rng.range(-0.1, 0.1)).clamp(low, high),
        shape.decimals,
    );
    let plan_start = day(period.start_year, 1, 1);
    let plan_end = day(period.end_year, 12, 31);
    let (direction, targets) = if shape.direction == "range" {
        let goal = Goal::Range {
            low: value(-3.0)?,
            high: value(3.0)?,
        };
        (
            MeasureDirection::WithinRange,
            vec![Target { period: None, goal }],
        )
    } else {
        let years = period.end_year - period.start_year + 1;
        let mut targets: Vec<Target> = (period.start_year..=period.end_year)
            .map(|y| {
                let share = f64::from(y - period.start_year + 1) / f64::from(years);
                let goal = Goal::Value {
                    value: value(round(
                        baseline + (target - baseline) * share,
                        shape.decimals,
                    ))?,
                };
                Ok(Target {
                    period: Some(ReportingPeriod::Year(y)),
                    goal,
                })
            })
            .collect::<ServiceResult<_>>()?;
        targets.push(Target {
            period: None,
            goal: Goal::Value {
                value: value(target)?,
            },
        });
        let direction = if shape.direction == "higher" {
            MeasureDirection::HigherIsBetter
        } else {
            MeasureDirection::LowerIsBetter
        };
        (direction, targets)
    };
    let entry = MeasureEntry {
        key: MeasureKey::parse_field("key", key)?,
        name: Name::parse_field("name", shape.name)?,
        description: None,
        unit: Some(Name::parse_field("unit", shape.unit)?),
        direction,
        frequency: match kind {
            SeriesKind::Daily | SeriesKind::Monthly => Frequency::Monthly,
            SeriesKind::Quarterly => Frequency::Quarterly,
        },
        baseline: Some(Baseline {
            value: value(baseline)?,
            date: Some(calendar(plan_start)?),
        }),
        targets,
        thresholds: None,
        data_source: Some(Name::parse_field("data_source", "Synthetic demo data")?),
        owner: Some(owner),
        formula: None,
        weight: None,
    };
    let plan = MeasurePlan {
        kind,
        baseline,
        target,
        pace: *rng.pick(&[1.25, 1.15, 1.1, 1.05, 1.0, 0.95, 0.8, 0.55]),
        spread: gap.abs()
            * if kind == SeriesKind::Daily {
                0.06
            } else {
                0.03
            },
        decimals: shape.decimals,
        low,
        high,
        plan_start,
        plan_end,
    };
    Ok((entry, plan))
}

impl MeasurePlan {
    /// The value for the period ending on `end`.
    fn value_at(&self, rng: &mut Rng, end: Date) -> f64 {
        let whole = (self.plan_end - self.plan_start).whole_days() as f64;
        let elapsed = ((end - self.plan_start).whole_days() as f64 / whole).clamp(0.0, 1.0);
        let path = (self.target - self.baseline) * elapsed;
        let v = self.baseline + path * self.pace + rng.noise() * self.spread;
        round(v.clamp(self.low, self.high), self.decimals)
    }
}

/// The periods of `kind` that end before `as_of`, the latest `count` of them, oldest first.
fn periods(kind: SeriesKind, count: usize, as_of: Date) -> Vec<ReportingPeriod> {
    let mut out: Vec<ReportingPeriod> = Vec::with_capacity(count);
    match kind {
        SeriesKind::Daily => {
            for n in (1..=count as i64).rev() {
                if let Ok(d) = CalendarDate::new(as_of - Duration::days(n)) {
                    out.push(ReportingPeriod::Day(d));
                }
            }
        }
        SeriesKind::Monthly => {
            let mut index = as_of.year() * 12 + i32::from(u8::from(as_of.month())) - 1;
            for _ in 0..count {
                index -= 1;
                out.push(ReportingPeriod::Month(index / 12, (index % 12 + 1) as u8));
            }
            out.reverse();
        }
        SeriesKind::Quarterly => {
            let mut index = as_of.year() * 4 + i32::from((u8::from(as_of.month()) - 1) / 3);
            for _ in 0..count {
                index -= 1;
                out.push(ReportingPeriod::Quarter(index / 4, (index % 4 + 1) as u8));
            }
            out.reverse();
        }
    }
    out
}

/// Exactly `total` values over `measures` (in document order): monthly and
/// quarterly measures get three years each, daily ones share the rest.
pub(crate) fn observations(
    rng: &mut Rng,
    measures: &[MeasurePlan],
    total: usize,
    as_of: Date,
) -> ServiceResult<Vec<BulkObservation>> {
    let fixed: usize = measures
        .iter()
        .map(|m| match m.kind {
            SeriesKind::Daily => 0,
            SeriesKind::Monthly => MONTHS,
            SeriesKind::Quarterly => QUARTERS,
        })
        .sum();
    let daily = measures
        .iter()
        .filter(|m| m.kind == SeriesKind::Daily)
        .count();
    if total < fixed + daily || daily == 0 {
        return Err(ValidationError::new(
            "observations",
            format!("{total} values cannot cover {} measures", measures.len()),
        )
        .into());
    }
    let rest = total - fixed;
    let mut out = Vec::with_capacity(total);
    let mut nth_daily = 0;
    for (index, m) in measures.iter().enumerate() {
        let count = match m.kind {
            SeriesKind::Daily => {
                nth_daily += 1;
                super::generate::share(rest, daily, nth_daily - 1)
            }
            SeriesKind::Monthly => MONTHS,
            SeriesKind::Quarterly => QUARTERS,
        };
        for period in periods(m.kind, count, as_of) {
            out.push(BulkObservation {
                measure: u32::try_from(index).unwrap_or(u32::MAX),
                draft: ObservationDraft {
                    period,
                    value: value(m.value_at(rng, period.end()))?,
                    observed_on: None,
                    note: None,
                    source: None,
                },
            });
        }
    }
    Ok(out)
}

/// Where an initiative stands at the end of its reports.
fn final_status(rng: &mut Rng, overdue: bool) -> ProgressStatus {
    use ProgressStatus::*;
    if overdue {
        return *rng.pick(&[
            Completed, Completed, Completed, Completed, Completed, Completed, Completed, AtRisk,
            OffTrack, OffTrack,
        ]);
    }
    let roll = rng.unit();
    match roll {
        r if r < 0.58 => OnTrack,
        r if r < 0.78 => AtRisk,
        r if r < 0.87 => OffTrack,
        r if r < 0.92 => Completed,
        r if r < 0.96 => Deferred,
        _ => Cancelled,
    }
}

fn long(rng: &mut Rng, from: &[&str]) -> ServiceResult<Option<LongText>> {
    Ok(Some(LongText::parse_field("text", rng.pick::<&str>(from))?))
}

/// Exactly `total` check-ins, shared evenly among the initiatives that
/// started at least two weeks before `as_of`.
pub(crate) fn checkins(
    rng: &mut Rng,
    initiatives: &[InitiativeTimeline],
    total: usize,
    as_of: Date,
) -> ServiceResult<Vec<BulkCheckIn>> {
    let yesterday = as_of - Duration::days(1);
    let started: Vec<&InitiativeTimeline> = initiatives
        .iter()
        .filter(|i| i.start < as_of - Duration::days(14))
        .collect();
    if started.is_empty() && total > 0 {
        return Err(ValidationError::new("checkins", "no initiative has started").into());
    }
    let mut out = Vec::with_capacity(total);
    for (j, init) in started.iter().enumerate() {
        let count = super::generate::share(total, started.len(), j);
        if count == 0 {
            continue;
        }
        let status = final_status(rng, init.due < as_of);
        let last = if status == ProgressStatus::Completed {
            init.due.min(yesterday) - Duration::days(rng.below(20) as i64)
        } else if rng.chance(0.15) {
            // Gone quiet: the last report is months old.
            yesterday - Duration::days(70 + rng.below(80) as i64)
        } else {
            yesterday - Duration::days(rng.below(25) as i64)
        };
        let last = last.max(init.start);
        let planned = (init.due - init.start).whole_days().max(1) as f64;
        let elapsed = (last - init.start).whole_days() as f64 / planned;
        let final_percent = match status {
            ProgressStatus::Completed => 100.0,
            ProgressStatus::AtRisk => elapsed * 75.0,
            ProgressStatus::OffTrack => elapsed * 50.0,
            _ => elapsed * 95.0,
        }
        .clamp(0.0, 100.0);
        let span = (last - init.start).whole_days();
        for k in 0..count {
            let date = init.start + Duration::days(span * (k as i64 + 1) / count as i64);
            let is_last = k + 1 == count;
            let this = if is_last {
                status
            } else if matches!(status, ProgressStatus::AtRisk | ProgressStatus::OffTrack)
                && k * 3 >= count * 2
            {
                ProgressStatus::AtRisk
            } else {
                ProgressStatus::OnTrack
            };
            let percent = match this {
                ProgressStatus::Completed => Some(Percent::FULL),
                ProgressStatus::Deferred | ProgressStatus::Cancelled => None,
                _ => {
                    let p = (final_percent * (k + 1) as f64 / count as f64)
                        .min(99.0)
                        .round();
                    Some(Percent::new(p).map_err(|e| ValidationError::new("percent", e))?)
                }
            };
            let troubled = matches!(this, ProgressStatus::AtRisk | ProgressStatus::OffTrack);
            let draft = CheckInDraft {
                author_id: None,
                reason: None,
                date: Some(calendar(date)?),
                status: this,
                percent,
                happened: long(rng, words::HAPPENED)?,
                next: if this.is_closed() {
                    None
                } else {
                    long(rng, words::NEXT)?
                },
                help_needed: if troubled {
                    long(rng, words::HELP)?
                } else {
                    None
                },
                links: Vec::new(),
            };
            draft.validate()?;
            out.push(BulkCheckIn {
                node: init.node,
                author: Some(init.author),
                date: calendar(date)?,
                draft,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_and_quarterly_periods_end_before_the_day() {
        let as_of = day(2026, 1, 15);
        let months = periods(SeriesKind::Monthly, 3, as_of);
        assert_eq!(
            months.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2025-10", "2025-11", "2025-12"]
        );
        let quarters = periods(SeriesKind::Quarterly, 2, as_of);
        assert_eq!(
            quarters.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2025-Q3", "2025-Q4"]
        );
        let days = periods(SeriesKind::Daily, 2, as_of);
        assert_eq!(
            days.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2026-01-13", "2026-01-14"]
        );
    }
}
