//! Builders shared by the status tests.

use super::*;
use crate::{
    Goal, MeasureDirection, ProgressStatus, ReportingPeriod, Target, ThresholdBasis, Thresholds,
    Value,
};
use time::Date;
use time::macros::date;

/// The day the measure tests are judged on.
pub(super) const D: Date = date!(2026 - 04 - 20);

pub(super) fn p(s: &str) -> ReportingPeriod {
    s.parse().unwrap()
}

pub(super) fn val(x: f64) -> Value {
    Value::new(x).unwrap()
}

pub(super) fn goal(x: f64) -> Goal {
    Goal::Value { value: val(x) }
}

pub(super) fn range(low: f64, high: f64) -> Goal {
    Goal::Range {
        low: val(low),
        high: val(high),
    }
}

pub(super) fn target(period: Option<&str>, goal: Goal) -> Target {
    Target {
        period: period.map(p),
        goal,
    }
}

pub(super) fn th(basis: ThresholdBasis, green: f64, amber: f64) -> Thresholds {
    Thresholds {
        basis,
        green: val(green),
        amber: val(amber),
    }
}

pub(super) fn abs(green: f64, amber: f64) -> Thresholds {
    th(ThresholdBasis::Absolute, green, amber)
}

pub(super) fn pct(green: f64, amber: f64) -> Thresholds {
    th(ThresholdBasis::PercentOfTarget, green, amber)
}

pub(super) const HIGHER: MeasureDirection = MeasureDirection::HigherIsBetter;
pub(super) const LOWER: MeasureDirection = MeasureDirection::LowerIsBetter;
pub(super) const RANGE: MeasureDirection = MeasureDirection::WithinRange;

pub(super) fn child(
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
pub(super) fn reported(status: ProgressStatus, percent: f64, weight: f64) -> ChildSummary {
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

pub(super) fn own(status: ProgressStatus, percent: Option<f64>) -> Option<OwnReport> {
    Some(OwnReport { status, percent })
}

pub(super) fn rollup(
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

pub(super) fn r(status: ProgressStatus, score: Option<f64>, progress: Option<f64>) -> Rollup {
    Rollup {
        status,
        score,
        progress,
    }
}
