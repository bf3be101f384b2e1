//! Measures (KPIs): what is counted for a node, which way is better, the
//! targets per period, the thresholds that colour a value, and the observed values.

use crate::formula::Formula;
use crate::keyword::keyword_enum;
use crate::{
    CalendarDate, LongText, MeasureId, MeasureKey, Name, NodeId, ObservationId, PersonId, PlanId,
    ValidationError, Weight,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use time::{Date, Month};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

keyword_enum!(
    /// Which values of a measure are good.
    MeasureDirection, what = "direction" {
        /// More is better (percent of services online).
        HigherIsBetter = "higher-is-better",
        /// Less is better (hours of unplanned downtime).
        LowerIsBetter = "lower-is-better",
        /// Inside a range is good (budget variance between -5 and 5).
        WithinRange = "within-range",
    }
);

keyword_enum!(
    /// How often a measure gets a new value.
    Frequency, what = "frequency" {
        /// Every month.
        Monthly = "monthly",
        /// Every quarter.
        Quarterly = "quarterly",
        /// Every year.
        Annually = "annually",
    }
);

impl Frequency {
    /// The days between two values.
    pub fn interval_days(self) -> i64 {
        match self {
            Self::Monthly => 31,
            Self::Quarterly => 92,
            Self::Annually => 366,
        }
    }
}

keyword_enum!(
    /// What the numbers of a measure's thresholds are.
    ThresholdBasis, what = "threshold basis" {
        /// Values in the measure's own unit.
        Absolute = "absolute",
        /// Percentages of the period's target.
        PercentOfTarget = "percent-of-target",
    }
);

/// The span of time an observation or a target speaks for: a year (`2026`),
/// a fiscal year (`FY2026`, taken as the calendar year), a quarter (`2026-Q1`),
/// a month (`2026-03`) or a day (`2026-03-15`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ReportingPeriod {
    /// A calendar year.
    Year(i32),
    /// A fiscal year; the same days as the calendar year of that number.
    FiscalYear(i32),
    /// A calendar quarter, 1 to 4.
    Quarter(i32, u8),
    /// A calendar month, 1 to 12.
    Month(i32, u8),
    /// A single day.
    Day(CalendarDate),
}

impl ReportingPeriod {
    /// The first and last day of the period, both inclusive.
    pub fn bounds(self) -> (Date, Date) {
        let month_bounds = |y: i32, first: u8, last: u8| {
            let start = Date::from_calendar_date(y, month(first), 1).expect("valid month start");
            let last_month = month(last);
            let end = Date::from_calendar_date(y, last_month, last_month.length(y))
                .expect("valid month end");
            (start, end)
        };
        match self {
            Self::Year(y) | Self::FiscalYear(y) => month_bounds(y, 1, 12),
            Self::Quarter(y, q) => month_bounds(y, q * 3 - 2, q * 3),
            Self::Month(y, m) => month_bounds(y, m, m),
            Self::Day(d) => (d.date(), d.date()),
        }
    }

    /// The first day of the period.
    pub fn start(self) -> Date {
        self.bounds().0
    }

    /// The last day of the period.
    pub fn end(self) -> Date {
        self.bounds().1
    }

    /// Whether every day of `other` lies within this period.
    pub fn contains(self, other: ReportingPeriod) -> bool {
        let (s, e) = self.bounds();
        let (os, oe) = other.bounds();
        s <= os && oe <= e
    }

    /// The number of days the period spans.
    pub fn days(self) -> i64 {
        let (s, e) = self.bounds();
        (e - s).whole_days() + 1
    }
}

fn month(number: u8) -> Month {
    Month::try_from(number).expect("month number checked on parse")
}

fn year_in_range(y: i32, raw: &str) -> Result<i32, String> {
    if (CalendarDate::MIN_YEAR..=CalendarDate::MAX_YEAR).contains(&y) {
        Ok(y)
    } else {
        Err(format!(
            "period {raw:?} has year {y}, outside {}–{}",
            CalendarDate::MIN_YEAR,
            CalendarDate::MAX_YEAR
        ))
    }
}

impl FromStr for ReportingPeriod {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, String> {
        let text = raw.trim();
        let bad = || {
            format!(
                "{raw:?} is not a period; expected a year (2026), a fiscal year (FY2026), \
                 a quarter (2026-Q1), a month (2026-03) or a day (2026-03-15)"
            )
        };
        let year = |digits: &str| -> Result<i32, String> {
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            year_in_range(digits.parse().map_err(|_| bad())?, raw)
        };
        let upper = text.to_ascii_uppercase();
        if let Some(rest) = upper.strip_prefix("FY") {
            return Ok(Self::FiscalYear(year(rest.trim())?));
        }
        match upper.len() {
            4 => Ok(Self::Year(year(&upper)?)),
            7 if upper.as_bytes()[4] == b'-' && upper.as_bytes()[5] == b'Q' => {
                let q: u8 = upper[6..].parse().map_err(|_| bad())?;
                if !(1..=4).contains(&q) {
                    return Err(format!("{raw:?} has quarter {q}; quarters are 1 to 4"));
                }
                Ok(Self::Quarter(year(&upper[..4])?, q))
            }
            7 if upper.as_bytes()[4] == b'-' => {
                let digits = &upper[5..];
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                let m: u8 = digits.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&m) {
                    return Err(format!("{raw:?} has month {m}; months are 01 to 12"));
                }
                Ok(Self::Month(year(&upper[..4])?, m))
            }
            10 => Ok(Self::Day(text.parse()?)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for ReportingPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::FiscalYear(y) => write!(f, "FY{y:04}"),
            Self::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Self::Day(d) => d.fmt(f),
        }
    }
}

impl TryFrom<String> for ReportingPeriod {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<ReportingPeriod> for String {
    fn from(p: ReportingPeriod) -> String {
        p.to_string()
    }
}

impl PartialSchema for ReportingPeriod {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A year (`2026`), fiscal year (`FY2026`), quarter (`2026-Q1`), month (`2026-03`) or day (`2026-03-15`).",
            ))
            .examples([serde_json::json!("2026-Q1")])
            .into()
    }
}

impl ToSchema for ReportingPeriod {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ReportingPeriod")
    }
}

/// A finite number: NaN and infinities are refused at the edge.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Value(f64);

impl Value {
    /// A finite value, or why it is not one.
    pub fn new(value: f64) -> Result<Self, String> {
        if value.is_finite() {
            Ok(Self(value))
        } else {
            Err(format!("{value} is not a finite number"))
        }
    }

    /// The number itself.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Value {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        Self::new(value)
    }
}

impl From<Value> for f64 {
    fn from(v: Value) -> f64 {
        v.0
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialSchema for Value {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .examples([serde_json::json!(95.5)])
            .into()
    }
}

impl ToSchema for Value {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Value")
    }
}

/// Where a measure started: the value and when it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The value.
    pub value: Value,
    /// When it was taken.
    #[serde(default)]
    pub date: Option<CalendarDate>,
}

/// What a measure should reach: one value, or a range for a within-range measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Goal {
    /// A value to reach (or to stay under, for lower-is-better).
    Value {
        /// The value.
        value: Value,
    },
    /// A range to stay in.
    Range {
        /// The lowest good value.
        low: Value,
        /// The highest good value.
        high: Value,
    },
}

/// A target: the goal for one period, or the final goal when no period is given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Target {
    /// The period it is for; none for the final target, which applies to any
    /// period without a target of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<ReportingPeriod>,
    /// What to reach.
    #[serde(flatten)]
    pub goal: Goal,
}

/// The numbers that turn a value into green, amber or red (see docs/status-rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// What the numbers are: absolute values or percentages of the target.
    pub basis: ThresholdBasis,
    /// The bound of green.
    pub green: Value,
    /// The bound of amber; beyond it is red.
    pub amber: Value,
}

impl Thresholds {
    /// The thresholds a measure has unless it says otherwise: green at the
    /// target, amber within 10% of it.
    pub fn default_for(direction: MeasureDirection) -> Self {
        let (green, amber) = match direction {
            MeasureDirection::HigherIsBetter => (100.0, 90.0),
            MeasureDirection::LowerIsBetter => (100.0, 110.0),
            MeasureDirection::WithinRange => (0.0, 10.0),
        };
        Self {
            basis: ThresholdBasis::PercentOfTarget,
            green: Value(green),
            amber: Value(amber),
        }
    }

    /// Checks that the bounds are in the order the direction needs.
    pub fn check(&self, direction: MeasureDirection) -> Result<(), ValidationError> {
        let (g, a) = (self.green.get(), self.amber.get());
        let problem = match direction {
            MeasureDirection::HigherIsBetter if a > g => {
                Some("for higher-is-better, amber must not be above green")
            }
            MeasureDirection::LowerIsBetter if a < g => {
                Some("for lower-is-better, amber must not be below green")
            }
            MeasureDirection::WithinRange if g < 0.0 || a < g => Some(
                "for within-range, green and amber are distances outside the range: 0 ≤ green ≤ amber",
            ),
            _ => None,
        };
        match problem {
            Some(message) => Err(ValidationError::new("thresholds", message)),
            None => Ok(()),
        }
    }
}

/// A measure as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Measure {
    /// Its identifier.
    pub id: MeasureId,
    /// The plan of its node.
    pub plan_id: PlanId,
    /// The node it measures.
    pub node_id: NodeId,
    /// Its handle within the plan, used in CSV files and formulas.
    pub key: MeasureKey,
    /// Its name.
    pub name: Name,
    /// What it counts and how.
    pub description: Option<LongText>,
    /// The unit of its values (`%`, `hours`, `requests`).
    pub unit: Option<Name>,
    /// Which values are good.
    pub direction: MeasureDirection,
    /// Where it started.
    pub baseline: Option<Baseline>,
    /// What it should reach, by period.
    pub targets: Vec<Target>,
    /// The numbers that colour a value.
    pub thresholds: Thresholds,
    /// How often it gets a value.
    pub frequency: Frequency,
    /// Where the values come from.
    pub data_source: Option<Name>,
    /// Who reports it.
    pub owner_id: Option<PersonId>,
    /// For a calculated measure: its formula over other measures of the plan.
    #[schema(value_type = Option<String>)]
    pub formula: Option<Formula>,
    /// How much it counts in its node's roll-up.
    pub weight: Weight,
    /// Its place among the node's measures, from 0.
    pub position: i32,
}

/// What a client sends to create or replace a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureDraft {
    /// The node it measures.
    pub node_id: NodeId,
    /// Its handle within the plan.
    pub key: MeasureKey,
    /// Its name.
    pub name: Name,
    /// What it counts and how.
    #[serde(default)]
    pub description: Option<LongText>,
    /// The unit of its values.
    #[serde(default)]
    pub unit: Option<Name>,
    /// Which values are good.
    pub direction: MeasureDirection,
    /// Where it started.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// What it should reach, by period.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// The numbers that colour a value; the direction's default when omitted.
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    /// How often it gets a value.
    pub frequency: Frequency,
    /// Where the values come from.
    #[serde(default)]
    pub data_source: Option<Name>,
    /// Who reports it.
    #[serde(default)]
    pub owner_id: Option<PersonId>,
    /// For a calculated measure: its formula over other measures of the plan.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub formula: Option<Formula>,
    /// How much it counts in its node's roll-up; 1 when omitted.
    #[serde(default)]
    pub weight: Option<Weight>,
    /// Its place among the node's measures; after the last one when omitted.
    #[serde(default)]
    pub position: Option<i32>,
}

/// The most targets one measure may have.
pub const MAX_TARGETS: usize = 200;

/// Checks a measure's targets and thresholds against its direction: ranges for
/// within-range measures and single values otherwise, one target per period,
/// at most one final target, thresholds in order.
pub fn check_measure_rules(
    direction: MeasureDirection,
    targets: &[Target],
    thresholds: &Thresholds,
    key: &MeasureKey,
    formula: Option<&Formula>,
) -> Result<(), ValidationError> {
    if targets.len() > MAX_TARGETS {
        return Err(ValidationError::new(
            "targets",
            format!("at most {MAX_TARGETS} targets, got {}", targets.len()),
        ));
    }
    for (i, target) in targets.iter().enumerate() {
        let field = format!("targets[{i}]");
        match (direction, target.goal) {
            (MeasureDirection::WithinRange, Goal::Value { .. }) => {
                return Err(ValidationError::new(
                    field,
                    "a within-range measure needs targets with low and high",
                ));
            }
            (MeasureDirection::WithinRange, Goal::Range { low, high }) if low > high => {
                return Err(ValidationError::new(
                    field,
                    format!("low {low} is above high {high}"),
                ));
            }
            (
                MeasureDirection::HigherIsBetter | MeasureDirection::LowerIsBetter,
                Goal::Range { .. },
            ) => {
                return Err(ValidationError::new(
                    field,
                    "only a within-range measure has a low and high target; give a value",
                ));
            }
            _ => {}
        }
        let span = |t: &Target| t.period.map(ReportingPeriod::bounds);
        if let Some(first) = targets[..i].iter().find(|t| span(t) == span(target)) {
            let what = match (target.period, first.period) {
                (Some(p), Some(q)) if p == q => format!("period {p} has more than one target"),
                (Some(p), Some(q)) => {
                    format!("{p} covers the same days as {q}, which already has a target")
                }
                _ => "more than one final target (a target without a period)".to_owned(),
            };
            return Err(ValidationError::new(field, what));
        }
    }
    thresholds.check(direction)?;
    if let Some(formula) = formula
        && formula.inputs().contains(key.as_str())
    {
        return Err(ValidationError::new(
            "formula",
            format!("measure {key} cannot be calculated from itself"),
        ));
    }
    Ok(())
}

/// Finds a circle among calculated measures (`a` uses `b`, `b` uses `a`), given
/// each calculated measure's inputs; returns the keys along it, first repeated at the end.
pub fn formula_cycle<'a>(
    inputs: &std::collections::HashMap<&'a str, Vec<&'a str>>,
) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        key: &'a str,
        inputs: &std::collections::HashMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut std::collections::HashSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(start) = path.iter().position(|k| *k == key) {
            let mut cycle = path[start..].to_vec();
            cycle.push(key);
            return Some(cycle);
        }
        if !done.insert(key) {
            return None;
        }
        path.push(key);
        for next in inputs.get(key).into_iter().flatten() {
            if let Some(cycle) = visit(next, inputs, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut roots: Vec<&str> = inputs.keys().copied().collect();
    roots.sort_unstable();
    let mut done = std::collections::HashSet::new();
    roots
        .into_iter()
        .find_map(|k| visit(k, inputs, &mut Vec::new(), &mut done))
}

/// A calculated measure's values: its formula at every period where each input
/// has an entry. `None` marks a period where an input entry has no value or
/// the formula has none (a division by zero). An unknown input has no entries.
pub fn calculated_series(
    formula: &Formula,
    inputs: &std::collections::HashMap<
        &str,
        std::collections::BTreeMap<ReportingPeriod, Option<f64>>,
    >,
) -> std::collections::BTreeMap<ReportingPeriod, Option<f64>> {
    let keys = formula.inputs();
    let series: Vec<_> = keys.iter().map(|k| inputs.get(k)).collect();
    let Some(Some(first)) = series.first() else {
        return Default::default();
    };
    first
        .keys()
        .filter(|p| series.iter().all(|s| s.is_some_and(|s| s.contains_key(p))))
        .map(|p| {
            let value = formula.eval(|k| inputs.get(k).and_then(|s| s.get(p).copied().flatten()));
            (*p, value)
        })
        .collect()
}

/// An observed value of a measure for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Observation {
    /// Its identifier.
    pub id: ObservationId,
    /// The measure it is a value of.
    pub measure_id: MeasureId,
    /// The period it speaks for.
    pub period: ReportingPeriod,
    /// The value.
    pub value: Value,
    /// When it was taken; the end of the period when not given.
    pub observed_on: Option<CalendarDate>,
    /// A remark on the value.
    pub note: Option<LongText>,
    /// Where it comes from (a system, a report).
    pub source: Option<Name>,
}

/// What a client sends to record a value. A measure has one value per period:
/// recording another replaces it, and the replaced value is kept in history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationDraft {
    /// The period it speaks for.
    pub period: ReportingPeriod,
    /// The value.
    pub value: Value,
    /// When it was taken.
    #[serde(default)]
    pub observed_on: Option<CalendarDate>,
    /// A remark on the value.
    #[serde(default)]
    pub note: Option<LongText>,
    /// Where it comes from.
    #[serde(default)]
    pub source: Option<Name>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ReportingPeriod {
        s.parse().unwrap()
    }

    #[test]
    fn periods_parse_print_and_bound() {
        for text in ["2026", "FY2026", "2026-Q3", "2026-02", "2026-02-14"] {
            assert_eq!(p(text).to_string(), text);
        }
        assert_eq!(p("fy2026"), ReportingPeriod::FiscalYear(2026));
        assert_eq!(p("2024-02").end().to_string(), "2024-02-29");
        assert_eq!(p("2026-Q4").start().to_string(), "2026-10-01");
        assert_eq!(p("2026-Q4").days(), 92);
        assert!(p("2026").contains(p("2026-Q2")));
        assert!(!p("2026-Q2").contains(p("2026")));
    }

    #[test]
    fn bad_periods_say_what_is_wrong() {
        assert!(
            "2026-Q5"
                .parse::<ReportingPeriod>()
                .unwrap_err()
                .contains("quarter 5")
        );
        assert!(
            "2026-13"
                .parse::<ReportingPeriod>()
                .unwrap_err()
                .contains("month 13")
        );
        assert!(
            "26".parse::<ReportingPeriod>()
                .unwrap_err()
                .contains("not a period")
        );
        assert!(
            "1776"
                .parse::<ReportingPeriod>()
                .unwrap_err()
                .contains("outside")
        );
        assert!("2026-02-30".parse::<ReportingPeriod>().is_err());
    }

    #[test]
    fn targets_read_values_and_ranges() {
        let t: Target = serde_json::from_str(r#"{"period":"FY2026","value":95}"#).unwrap();
        assert_eq!(t.period, Some(ReportingPeriod::FiscalYear(2026)));
        assert!(matches!(t.goal, Goal::Value { .. }));
        let r: Target = serde_json::from_str(r#"{"low":-5,"high":5}"#).unwrap();
        assert_eq!(r.period, None);
        assert!(matches!(r.goal, Goal::Range { .. }));
    }

    #[test]
    fn measure_rules_catch_mismatched_targets_and_thresholds() {
        let key = MeasureKey::parse("uptime").unwrap();
        let value: Target = serde_json::from_str(r#"{"period":"2026","value":99}"#).unwrap();
        let range: Target = serde_json::from_str(r#"{"low":1,"high":2}"#).unwrap();
        let higher = Thresholds::default_for(MeasureDirection::HigherIsBetter);
        let ok = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[value],
            &higher,
            &key,
            None,
        );
        assert!(ok.is_ok());
        let dup = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[value, value],
            &higher,
            &key,
            None,
        );
        assert_eq!(dup.unwrap_err().field, "targets[1]");
        let fy: Target = serde_json::from_str(r#"{"period":"FY2026","value":98}"#).unwrap();
        let same_days = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[value, fy],
            &higher,
            &key,
            None,
        );
        assert!(same_days.unwrap_err().message.contains("same days as 2026"));
        let wrong = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[range],
            &higher,
            &key,
            None,
        );
        assert_eq!(wrong.unwrap_err().field, "targets[0]");
        let upside_down = Thresholds {
            amber: Value(120.0),
            ..higher
        };
        let bad = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[],
            &upside_down,
            &key,
            None,
        );
        assert_eq!(bad.unwrap_err().field, "thresholds");
        let formula = Formula::parse("uptime * 2").unwrap();
        let selfref = check_measure_rules(
            MeasureDirection::HigherIsBetter,
            &[],
            &higher,
            &key,
            Some(&formula),
        );
        assert_eq!(selfref.unwrap_err().field, "formula");
    }

    #[test]
    fn calculated_series_needs_every_input_and_yields_no_value_for_zero_division() {
        let f = Formula::parse("a / b * 100").unwrap();
        let series = |pairs: &[(&str, Option<f64>)]| {
            pairs
                .iter()
                .map(|(k, v)| (p(k), *v))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let a = series(&[
            ("2026-01", Some(45.0)),
            ("2026-02", Some(1.0)),
            ("2026-03", Some(3.0)),
        ]);
        let b = series(&[
            ("2026-01", Some(50.0)),
            ("2026-02", Some(0.0)),
            ("2026-04", Some(9.0)),
        ]);
        let inputs = [("a", a.clone()), ("b", b)].into_iter().collect();
        let out = calculated_series(&f, &inputs);
        assert_eq!(out.len(), 2, "only periods both inputs have: {out:?}");
        assert_eq!(out[&p("2026-01")], Some(90.0));
        assert_eq!(out[&p("2026-02")], None);
        let missing = [("a", a)].into_iter().collect();
        assert!(calculated_series(&f, &missing).is_empty());
    }

    #[test]
    fn values_are_finite() {
        assert!(
            serde_json::from_str::<ObservationDraft>(r#"{"period":"2026","value":1e400}"#).is_err()
        );
    }
}
