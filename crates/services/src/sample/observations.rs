//! Values for the sample plan's measures, dated relative to today.
//!
//! Each measure gets one value per period of its frequency, ending with the
//! last complete period before today: 18 months, 6 quarters or 2 years. The
//! values follow a steady path from the measure's baseline to a landing point
//! set in [`SERIES`] (a share of the latest period's target, or a fixed
//! value), with a small wobble that is a fixed function of the period's index.
//! Because the landing point is set against the target that applies to the
//! latest period, each measure shows the same colour whatever day the sample
//! is loaded.

use lodestar_domain::status::target_for;
use lodestar_domain::*;
use lodestar_storage::ObservationInput;
use time::{Date, Duration};

/// Monthly values generated per measure.
const MONTHS: i32 = 18;
/// Quarterly values generated per measure.
const QUARTERS: i32 = 6;
/// Annual values generated per measure.
const YEARS: i32 = 2;

/// Where a measure's latest value lands.
#[derive(Debug, Clone, Copy)]
enum Landing {
    /// This multiple of the target that applies to the latest period.
    OfTarget(f64),
    /// This value.
    At(f64),
}

/// How the values of one measure are made up.
#[derive(Debug)]
struct Series {
    key: &'static str,
    landing: Landing,
    /// How far a value may stray from the path, in the measure's unit.
    wobble: f64,
    /// 1 for a steady path; higher for one that moves early and then levels off.
    pace: f64,
    /// Decimals the values are rounded to.
    decimals: i32,
    /// A remark recorded with the latest value.
    note: Option<&'static str>,
}

/// The measures of the sample and how their values come out: at load time,
/// seven are green, three amber (online share, restore tests, ticket volume),
/// two red (patch time, legacy retirements), and the ticket count within
/// the service level, which has no target, has no colour.
const SERIES: &[Series] = &[
    Series {
        key: "online_transactions_share",
        landing: Landing::OfTarget(0.95),
        wobble: 0.8,
        pace: 1.0,
        decimals: 1,
        note: Some(
            "Utility deposits and business licence renewals are still mostly paid at the counter.",
        ),
    },
    Series {
        key: "portal_uptime",
        landing: Landing::At(99.82),
        wobble: 0.25,
        pace: 1.5,
        decimals: 2,
        note: None,
    },
    Series {
        key: "mfa_coverage",
        landing: Landing::At(99.2),
        wobble: 0.6,
        pace: 4.0,
        decimals: 1,
        note: None,
    },
    Series {
        key: "critical_patch_days",
        landing: Landing::OfTarget(1.25),
        wobble: 2.0,
        pace: 1.0,
        decimals: 0,
        note: Some("Public-safety servers waited three weeks for a maintenance window."),
    },
    Series {
        key: "restore_test_success",
        landing: Landing::At(90.0),
        wobble: 5.0,
        pace: 2.0,
        decimals: 0,
        note: Some(
            "Two of twenty restores overran: the permitting database and the payroll interface.",
        ),
    },
    Series {
        key: "phishing_click_rate",
        landing: Landing::OfTarget(0.9),
        wobble: 0.7,
        pace: 1.5,
        decimals: 1,
        note: None,
    },
    Series {
        key: "legacy_apps_retired",
        landing: Landing::OfTarget(0.5),
        wobble: 0.0,
        pace: 1.0,
        decimals: 0,
        note: Some("Most retirements wait for the ERP financials go-live."),
    },
    Series {
        key: "it_budget_variance",
        landing: Landing::At(1.1),
        wobble: 0.6,
        pace: 1.5,
        decimals: 1,
        note: None,
    },
    Series {
        key: "open_datasets_published",
        landing: Landing::OfTarget(1.17),
        wobble: 1.0,
        pace: 1.0,
        decimals: 0,
        note: None,
    },
    Series {
        key: "staff_trained",
        landing: Landing::OfTarget(1.08),
        wobble: 9.0,
        pace: 1.0,
        decimals: 0,
        note: None,
    },
    Series {
        key: "tickets_total",
        landing: Landing::OfTarget(1.05),
        wobble: 110.0,
        pace: 1.0,
        decimals: 0,
        note: Some("Volume rose with the shared-drive migration."),
    },
    // Calculated, so never recorded: it sets the share of `tickets_total`
    // recorded as `tickets_within_sla` (see SHARES).
    Series {
        key: "sla_rate",
        landing: Landing::OfTarget(1.02),
        wobble: 1.5,
        pace: 1.0,
        decimals: 2,
        note: None,
    },
];

/// Counts made up as a share of another count: (measure, total, rate in %).
const SHARES: &[(&str, &str, &str)] = &[("tickets_within_sla", "tickets_total", "sla_rate")];

/// The steady path used for a measure that [`SERIES`] does not list: to its target.
const DEFAULT: Series = Series {
    key: "",
    landing: Landing::OfTarget(1.0),
    wobble: 0.0,
    pace: 1.0,
    decimals: 1,
    note: None,
};

fn series_of(key: &str) -> (usize, &'static Series) {
    SERIES
        .iter()
        .enumerate()
        .find(|(_, s)| s.key == key)
        .unwrap_or((SERIES.len(), &DEFAULT))
}

/// The periods of a frequency that end before `today`'s period begins, oldest first.
pub(super) fn recent_periods(frequency: Frequency, today: Date) -> Vec<ReportingPeriod> {
    let year = today.year();
    let month = i32::from(u8::from(today.month()));
    // Periods are numbered from year 0, so that stepping back crosses years.
    let (current, count, period): (i32, i32, fn(i32) -> ReportingPeriod) = match frequency {
        Frequency::Monthly => (year * 12 + month - 1, MONTHS, |n| {
            ReportingPeriod::Month(n.div_euclid(12), small(n.rem_euclid(12) + 1))
        }),
        Frequency::Quarterly => (year * 4 + (month - 1) / 3, QUARTERS, |n| {
            ReportingPeriod::Quarter(n.div_euclid(4), small(n.rem_euclid(4) + 1))
        }),
        Frequency::Annually => (year, YEARS, ReportingPeriod::Year),
    };
    (current - count..current).map(period).collect()
}

/// A month or quarter number, which always fits.
fn small(n: i32) -> u8 {
    u8::try_from(n).unwrap_or(1)
}

/// A wobble between -1 and 1 that looks irregular but is a fixed function of
/// the period's index and the measure's place in the table.
fn wiggle(index: usize, seed: usize) -> f64 {
    let step = (index * 7 + seed * 3) % 11;
    (step as f64 - 5.0) / 5.0
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// The value the series ends on, or none when the measure has nothing to aim at.
fn landing(measure: &Measure, series: &Series, last: ReportingPeriod) -> Option<f64> {
    match series.landing {
        Landing::At(value) => Some(value),
        Landing::OfTarget(share) => match target_for(&measure.targets, last).map(|t| t.goal) {
            Some(Goal::Value { value }) => Some(value.get() * share),
            Some(Goal::Range { low, high }) => Some((low.get() + high.get()) / 2.0 * share),
            None => measure.baseline.map(|b| b.value.get()),
        },
    }
}

/// One value per period, on the path from the baseline to the landing point.
fn path(measure: &Measure, periods: &[ReportingPeriod]) -> Option<Vec<f64>> {
    let (seed, series) = series_of(measure.key.as_str());
    let last = *periods.last()?;
    let end = landing(measure, series, last)?;
    let start = measure.baseline.map_or(end, |b| b.value.get());
    let since = measure
        .baseline
        .and_then(|b| b.date)
        .map(CalendarDate::date)
        .filter(|d| *d < last.end());
    let n = periods.len();
    let values = periods.iter().enumerate().map(|(i, p)| {
        // How far along the path: by date from the baseline when it is
        // dated, otherwise by position in the series.
        let along = match since {
            Some(d) => (p.end() - d).whole_days() as f64 / (last.end() - d).whole_days() as f64,
            None if n > 1 => i as f64 / (n - 1) as f64,
            None => 1.0,
        }
        .clamp(0.0, 1.0);
        let eased = 1.0 - (1.0 - along).powf(series.pace);
        let wobble = if i + 1 == n {
            0.0
        } else {
            series.wobble * wiggle(i, seed)
        };
        let mut value = start + (end - start) * eased + wobble;
        if measure.direction != MeasureDirection::WithinRange {
            value = value.max(0.0);
        }
        if measure.unit.as_ref().is_some_and(|u| u.as_str() == "%") {
            value = value.min(100.0);
        }
        round(value, series.decimals)
    });
    Some(values.collect())
}

/// Days after a period's end that its value is taken.
fn lag(frequency: Frequency) -> i64 {
    match frequency {
        Frequency::Monthly => 4,
        Frequency::Quarterly => 12,
        Frequency::Annually => 40,
    }
}

/// The values to record for the plan's measures as of `today`; calculated
/// measures get none (their inputs do).
pub(super) fn generate(
    measures: &[Measure],
    today: Date,
) -> Result<Vec<ObservationInput>, ValidationError> {
    let by_key = |key: &str| measures.iter().find(|m| m.key.as_str() == key);
    let mut out = Vec::new();
    for measure in measures.iter().filter(|m| m.formula.is_none()) {
        let periods = recent_periods(measure.frequency, today);
        let key = measure.key.as_str();
        let values = match SHARES.iter().find(|(k, _, _)| *k == key) {
            Some((_, total, rate)) => {
                let missing = |what: &str| {
                    ValidationError::new(
                        format!("measures.{key}"),
                        format!(
                            "the sample's generator makes it a share of {what}, which the plan lacks"
                        ),
                    )
                };
                let total = by_key(total).ok_or_else(|| missing(total))?;
                let rate = by_key(rate).ok_or_else(|| missing(rate))?;
                path(total, &periods)
                    .zip(path(rate, &periods))
                    .map(|(totals, rates)| {
                        totals
                            .iter()
                            .zip(&rates)
                            .map(|(t, r)| (t * r / 100.0).round())
                            .collect()
                    })
            }
            None => path(measure, &periods),
        };
        let Some(values) = values else {
            continue;
        };
        let note = series_of(key).1.note;
        for (i, (period, value)) in periods.iter().zip(values).enumerate() {
            let taken = (period.end() + Duration::days(lag(measure.frequency))).min(today);
            let latest = i + 1 == periods.len();
            out.push(ObservationInput {
                measure: measure.id,
                draft: ObservationDraft {
                    period: *period,
                    value: Value::new(value)
                        .map_err(|m| ValidationError::new(format!("measures.{key}"), m))?,
                    observed_on: Some(
                        CalendarDate::new(taken).map_err(|m| ValidationError::new("today", m))?,
                    ),
                    note: match note {
                        Some(text) if latest => Some(LongText::parse_field("note", text)?),
                        _ => None,
                    },
                    source: measure.data_source.clone(),
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_code::{DocFormat, parse};
    use crate::sample::{SAMPLE_NAME, SAMPLE_PLAN};
    use lodestar_domain::status::{Health, health_of};
    use time::macros::date;

    /// The sample's measures as they would be stored, with made-up ids.
    fn sample_measures() -> Vec<Measure> {
        let doc = parse(SAMPLE_NAME, SAMPLE_PLAN, DocFormat::Yaml).unwrap();
        let flat = doc.validate().unwrap();
        flat.iter()
            .flat_map(|f| &f.entry.measures)
            .enumerate()
            .map(|(i, m)| Measure {
                id: MeasureId(i as i64 + 1),
                plan_id: PlanId(1),
                node_id: NodeId(1),
                key: m.key.clone(),
                name: m.name.clone(),
                description: m.description.clone(),
                unit: m.unit.clone(),
                direction: m.direction,
                baseline: m.baseline,
                targets: m.targets.clone(),
                thresholds: m
                    .thresholds
                    .unwrap_or_else(|| Thresholds::default_for(m.direction)),
                frequency: m.frequency,
                data_source: m.data_source.clone(),
                owner_id: None,
                formula: m.formula.clone(),
                weight: m.weight.unwrap_or_default(),
                position: 0,
            })
            .collect()
    }

    #[test]
    fn periods_end_with_the_last_complete_one() {
        let show = |f, d| {
            recent_periods(f, d)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        let months = show(Frequency::Monthly, date!(2026 - 01 - 15));
        assert_eq!(months.len(), 18);
        assert_eq!(months.first().unwrap(), "2024-07");
        assert_eq!(months.last().unwrap(), "2025-12");
        let quarters = show(Frequency::Quarterly, date!(2026 - 11 - 23));
        assert_eq!(
            quarters,
            [
                "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"
            ]
        );
        assert_eq!(
            show(Frequency::Annually, date!(2026 - 01 - 01)),
            ["2024", "2025"]
        );
    }

    #[test]
    fn every_measure_of_the_sample_has_a_series() {
        for m in sample_measures() {
            let listed = SERIES.iter().any(|s| s.key == m.key.as_str())
                || SHARES.iter().any(|(k, _, _)| *k == m.key.as_str());
            assert!(listed, "{} has no series", m.key);
        }
    }

    /// The latest value of each measure has the same colour whenever the
    /// sample is loaded, and only the planned ones are amber or red.
    #[test]
    fn colours_do_not_depend_on_the_day() {
        let measures = sample_measures();
        for today in [
            date!(2026 - 01 - 10),
            date!(2026 - 11 - 23),
            date!(2027 - 06 - 01),
            date!(2031 - 03 - 03),
        ] {
            let inputs = generate(&measures, today).unwrap();
            let latest = |key: &str| {
                let m = measures.iter().find(|m| m.key.as_str() == key).unwrap();
                let o = inputs.iter().rfind(|o| o.measure == m.id).unwrap();
                (m, o.draft.period, o.draft.value.get())
            };
            let colour = |key: &str| {
                let (m, period, value) = latest(key);
                let goal = target_for(&m.targets, period).map(|t| t.goal);
                health_of(m.direction, &m.thresholds, goal, value).ok()
            };
            let (_, period, total) = latest("tickets_total");
            let (_, _, within) = latest("tickets_within_sla");
            let sla = measures
                .iter()
                .find(|m| m.key.as_str() == "sla_rate")
                .unwrap();
            let goal = target_for(&sla.targets, period).map(|t| t.goal);
            let sla_health =
                health_of(sla.direction, &sla.thresholds, goal, within / total * 100.0);
            assert_eq!(sla_health, Ok(Health::Green), "sla_rate on {today}");
            for m in measures.iter().filter(|m| m.formula.is_none()) {
                let expected = match m.key.as_str() {
                    "online_transactions_share" | "restore_test_success" | "tickets_total" => {
                        Some(Health::Amber)
                    }
                    "critical_patch_days" | "legacy_apps_retired" => Some(Health::Red),
                    "tickets_within_sla" => None,
                    _ => Some(Health::Green),
                };
                assert_eq!(colour(m.key.as_str()), expected, "{} on {today}", m.key);
            }
        }
    }

    #[test]
    fn values_move_from_the_baseline_with_a_wobble() {
        let measures = sample_measures();
        let inputs = generate(&measures, date!(2026 - 11 - 23)).unwrap();
        let patch = measures
            .iter()
            .find(|m| m.key.as_str() == "critical_patch_days")
            .unwrap();
        let values: Vec<f64> = inputs
            .iter()
            .filter(|o| o.measure == patch.id)
            .map(|o| o.draft.value.get())
            .collect();
        assert_eq!(values.len(), 18);
        assert!(values[0] > values[17], "{values:?}");
        assert!(
            values.windows(2).any(|w| w[1] > w[0]),
            "not a straight line: {values:?}"
        );
        assert!(
            inputs
                .iter()
                .all(|o| o.draft.observed_on.unwrap().date() <= date!(2026 - 11 - 23))
        );
    }
}
