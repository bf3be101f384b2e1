//! StratML Part 2 performance indicators as measures: target results become
//! targets, actual results become observations to record.
//!
//! The schema leaves much open, so the reader applies these rules:
//! - The measure's name is the indicator's `MeasurementDimension`, its unit
//!   the `UnitOfMeasurement`, its key the name's words joined by `_`, made
//!   unique in the document.
//! - Lower is better when the name or the indicator's `OtherInformation`
//!   starts with a word of reducing (reduce, reduced, decrease, lower, fewer,
//!   minimize, cut and their forms) or says "lower is better"; otherwise
//!   higher is better. A noun such as "reduction" does not count: "Percent
//!   reduction in outages" is better when higher. Targets that fall over
//!   time under higher-is-better (or rise under lower-is-better) are warned about.
//! - A result's period comes from its dates: the calendar month, quarter or
//!   year they span exactly; a fiscal year when they span twelve months from
//!   another month; otherwise the year of the end date (or of the start date
//!   when there is no end).
//! - The frequency is monthly when a result spans a month, quarterly when
//!   one spans a quarter, and annually otherwise.
//! - A result whose description or descriptor says "baseline" is the baseline.
//! - A target or actual result without a number (`NumberOfUnits` empty or
//!   text, or only a `Descriptor`) is kept as text in the measure's
//!   description, with a warning.

use super::period::{Ymd, period_of};
use super::xml::Element;
use crate::{DraftObservation, Warning};
use lodestar_domain::document::MeasureEntry;
use lodestar_domain::measure::MAX_TARGETS;
use lodestar_domain::{
    Baseline, CalendarDate, Frequency, Goal, LongText, MeasureDirection, MeasureKey, Name,
    ReportingPeriod, Target, Value,
};
use std::collections::{HashMap, HashSet};

/// Results read per indicator; more are skipped with a warning.
const MAX_RESULTS: usize = 1_000;
/// Observations read per document.
const MAX_OBSERVATIONS: usize = 100_000;
/// Key length before a suffix that makes it unique, within `MeasureKey::MAX_CHARS`.
const KEY_BASE_CHARS: usize = 48;

/// First words that say a measure should go down.
const REDUCING: [&str; 17] = [
    "reduce",
    "reduces",
    "reduced",
    "reducing",
    "decrease",
    "decreases",
    "decreased",
    "decreasing",
    "lower",
    "lowered",
    "lowering",
    "fewer",
    "minimize",
    "minimise",
    "minimizing",
    "minimising",
    "cut",
];

/// The measures of one document, with what they share: their keys, the
/// values to record, and the warnings.
#[derive(Default)]
pub(super) struct Indicators {
    keys: HashSet<String>,
    /// Actual results, to record once the plan is stored.
    pub observations: Vec<DraftObservation>,
    /// What the reader was unsure about.
    pub warnings: Vec<Warning>,
}

/// One target or actual result as the document gives it.
struct Reading {
    line: u32,
    period: Option<ReportingPeriod>,
    frequency: Frequency,
    date: Option<CalendarDate>,
    number: Option<f64>,
    text: Option<String>,
    note: Option<String>,
    baseline: bool,
}

/// What an indicator's results say besides its targets and values.
struct Found {
    name: String,
    notes: Vec<String>,
    baseline: Option<Baseline>,
}

impl Indicators {
    /// The measure a `PerformanceIndicator` element describes.
    pub fn measure(&mut self, indicator: &Element) -> Option<MeasureEntry> {
        let line = indicator.line;
        let raw_name = indicator
            .text_of("MeasurementDimension")
            .or_else(|| indicator.text_of("Identifier"))
            .unwrap_or_else(|| {
                self.warnings.push(Warning::at(
                    line,
                    "a performance indicator has no MeasurementDimension; it is named after its line",
                ));
                format!("Performance indicator at line {line}")
            });
        let name = cut_name(&raw_name, line, &mut self.warnings)?;
        let key = self.key_for(&raw_name)?;
        let other = indicator.prose_of("OtherInformation");
        let direction = direction(&raw_name, other.as_deref());
        let mut found = Found {
            notes: other.into_iter().collect(),
            name: raw_name,
            baseline: None,
        };
        if let Some(stage) = indicator.attribute("ValueChainStage") {
            found
                .notes
                .push(format!("Value chain stage: {}.", stage.replace('_', " ")));
        }
        let (target_results, actual_results) = self.readings(indicator);
        let frequency = target_results
            .iter()
            .chain(&actual_results)
            .map(|r| r.frequency)
            .min_by_key(|f| f.interval_days())
            .unwrap_or(Frequency::Annually);
        let targets = self.targets(&target_results, &mut found);
        self.warn_about_trend(&targets, direction, &found.name, line);
        self.record(&actual_results, &key, &mut found);
        Some(MeasureEntry {
            key,
            name,
            description: long_text(&found.notes.join("\n\n")),
            unit: indicator
                .text_of("UnitOfMeasurement")
                .and_then(|u| cut_name(&u, line, &mut self.warnings)),
            direction,
            frequency,
            baseline: found.baseline,
            targets,
            thresholds: None,
            data_source: None,
            owner: None,
            formula: None,
            weight: None,
        })
    }

    /// Targets from target results, one per period.
    fn targets(&mut self, readings: &[Reading], found: &mut Found) -> Vec<Target> {
        let mut targets: Vec<Target> = Vec::new();
        let span = |p: Option<ReportingPeriod>| p.map(ReportingPeriod::bounds);
        for reading in readings {
            let Some(value) = self.value_of(reading, "target", found) else {
                continue;
            };
            if targets
                .iter()
                .any(|t| span(t.period) == span(reading.period))
            {
                self.warnings.push(Warning::at(
                    reading.line,
                    format!(
                        "“{}” already has a target {}; this one is left out",
                        found.name,
                        describe(reading.period)
                    ),
                ));
            } else if targets.len() < MAX_TARGETS {
                targets.push(Target {
                    period: reading.period,
                    goal: Goal::Value { value },
                });
            }
        }
        targets
    }

    /// Observations from actual results, one per period.
    fn record(&mut self, readings: &[Reading], key: &MeasureKey, found: &mut Found) {
        let mut recorded: HashMap<ReportingPeriod, usize> = HashMap::new();
        for reading in readings {
            let Some(value) = self.value_of(reading, "result", found) else {
                continue;
            };
            let Some(period) = reading.period else {
                self.warnings.push(Warning::at(
                    reading.line,
                    format!(
                        "an actual result of “{}” has no dates, so it cannot be recorded",
                        found.name
                    ),
                ));
                continue;
            };
            let observation = DraftObservation {
                measure: key.clone(),
                period,
                value,
                note: reading.note.clone(),
            };
            if let Some(&earlier) = recorded.get(&period) {
                self.warnings.push(Warning::at(
                    reading.line,
                    format!(
                        "“{}” has two actual results for {period}; the later one is kept",
                        found.name
                    ),
                ));
                self.observations[earlier] = observation;
            } else if self.observations.len() < MAX_OBSERVATIONS {
                recorded.insert(period, self.observations.len());
                self.observations.push(observation);
            }
        }
    }

    /// The reading's number, unless it is the baseline (kept in `found`) or
    /// not a number (kept as text in `found`'s notes, with a warning).
    fn value_of(&mut self, reading: &Reading, what: &str, found: &mut Found) -> Option<Value> {
        let Some(value) = reading.number.and_then(|n| Value::new(n).ok()) else {
            self.keep_as_text(reading, what, found);
            return None;
        };
        if reading.baseline {
            found.baseline = found.baseline.or(Some(Baseline {
                value,
                date: reading.date,
            }));
            return None;
        }
        Some(value)
    }

    /// The indicator's target and actual results, in document order.
    fn readings(&mut self, indicator: &Element) -> (Vec<Reading>, Vec<Reading>) {
        let mut targets = Vec::new();
        let mut actuals = Vec::new();
        let results = indicator
            .all("MeasurementInstance")
            .flat_map(|i| i.children.iter())
            .filter(|r| r.name == "TargetResult" || r.name == "ActualResult");
        for (i, result) in results.enumerate() {
            if i == MAX_RESULTS {
                self.warnings.push(Warning::at(
                    result.line,
                    format!("only the first {MAX_RESULTS} results of an indicator are read"),
                ));
                break;
            }
            let reading = self.reading(result);
            if result.name == "TargetResult" {
                targets.push(reading);
            } else {
                actuals.push(reading);
            }
        }
        (targets, actuals)
    }

    fn reading(&mut self, result: &Element) -> Reading {
        let line = result.line;
        let mut date = |name: &str| {
            let raw = result.text_of(name)?;
            let parsed = Ymd::parse(&raw);
            if parsed.is_none() {
                self.warnings.push(Warning::at(
                    result.child(name).map_or(line, |c| c.line),
                    format!(
                        "{name} {raw:?} is not a date (YYYY-MM-DD) from 1900 to 2200; it is ignored"
                    ),
                ));
            }
            parsed
        };
        let (start, end) = (date("StartDate"), date("EndDate"));
        let (period, frequency) = period_of(start, end);
        let raw_number = result.text_of("NumberOfUnits");
        let number = raw_number.as_deref().and_then(parse_number);
        let descriptor = result.child("Descriptor").and_then(|d| {
            match (d.text_of("DescriptorName"), d.text_of("DescriptorValue")) {
                (Some(n), Some(v)) => Some(format!("{n}: {v}")),
                (n, v) => v.or(n),
            }
        });
        let note = result.prose_of("Description");
        let says_baseline = |t: &Option<String>| {
            t.as_deref()
                .is_some_and(|t| t.to_lowercase().contains("baseline"))
        };
        let baseline = says_baseline(&note) || says_baseline(&descriptor);
        let text = raw_number
            .filter(|_| number.is_none())
            .or(descriptor)
            .or_else(|| note.clone());
        Reading {
            line,
            period,
            frequency,
            date: end.or(start).and_then(Ymd::calendar_date),
            number,
            text,
            note,
            baseline,
        }
    }

    fn keep_as_text(&mut self, reading: &Reading, what: &str, found: &mut Found) {
        let (measure, when) = (&found.name, describe(reading.period));
        let Some(text) = &reading.text else {
            self.warnings.push(Warning::at(
                reading.line,
                format!("a {what} of “{measure}” {when} has no value; it is left out"),
            ));
            return;
        };
        let line = match reading.note.as_deref().filter(|n| n != text) {
            Some(note) => format!("{} {when}: {text} ({note})", capitalized(what)),
            None => format!("{} {when}: {text}", capitalized(what)),
        };
        self.warnings.push(Warning::at(
            reading.line,
            format!(
                "a {what} of “{measure}” {when} is not a number ({text:?}); it is kept in the measure's description"
            ),
        ));
        found.notes.push(line);
    }

    fn warn_about_trend(
        &mut self,
        targets: &[Target],
        direction: MeasureDirection,
        name: &str,
        line: u32,
    ) {
        let mut dated: Vec<(ReportingPeriod, f64)> = targets
            .iter()
            .filter_map(|t| match (t.period, t.goal) {
                (Some(p), Goal::Value { value }) => Some((p, value.get())),
                _ => None,
            })
            .collect();
        dated.sort_by_key(|(p, _)| p.start());
        if dated.len() < 2 {
            return;
        }
        let falling = dated.windows(2).all(|w| w[1].1 < w[0].1);
        let rising = dated.windows(2).all(|w| w[1].1 > w[0].1);
        let message = match direction {
            MeasureDirection::HigherIsBetter if falling => {
                "its targets fall over time, yet it is read as higher-is-better; check its direction"
            }
            MeasureDirection::LowerIsBetter if rising => {
                "its targets rise over time, yet it is read as lower-is-better; check its direction"
            }
            _ => return,
        };
        self.warnings
            .push(Warning::at(line, format!("“{name}”: {message}")));
    }

    /// A key made from the indicator's name, unique among the document's measures.
    fn key_for(&mut self, name: &str) -> Option<MeasureKey> {
        let mut base = String::new();
        for word in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if !base.is_empty() && base.len() + 1 + word.len() > KEY_BASE_CHARS {
                break;
            }
            if !base.is_empty() {
                base.push('_');
            }
            base.extend(
                word.chars()
                    .take(KEY_BASE_CHARS)
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
        if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
            base.insert_str(0, if base.is_empty() { "measure" } else { "m_" });
        }
        let mut key = base.clone();
        let mut n = 2;
        while !self.keys.insert(key.clone()) {
            key = format!("{base}_{n}");
            n += 1;
        }
        MeasureKey::parse(&key).ok()
    }
}

/// Lower is better when the text starts with a word of reducing, or says so.
fn direction(name: &str, other: Option<&str>) -> MeasureDirection {
    let says_lower = |text: &str| {
        let lower = text.to_lowercase();
        let first = lower
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty());
        first.is_some_and(|w| REDUCING.contains(&w))
            || lower.contains("lower is better")
            || lower.contains("less is better")
    };
    if says_lower(name) || other.is_some_and(says_lower) {
        MeasureDirection::LowerIsBetter
    } else {
        MeasureDirection::HigherIsBetter
    }
}

/// A number as a StratML file writes it; a `%` sign and thousands separators are allowed.
fn parse_number(raw: &str) -> Option<f64> {
    let cleaned: String = raw
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A period for messages: "for 2026", or "without a period".
fn describe(period: Option<ReportingPeriod>) -> String {
    period.map_or_else(|| "without a period".to_owned(), |p| format!("for {p}"))
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The text as a measure name, cut at a word (with a warning) when too long.
fn cut_name(raw: &str, line: u32, warnings: &mut Vec<Warning>) -> Option<Name> {
    if raw.chars().count() <= Name::MAX_CHARS {
        return Name::parse(raw).ok();
    }
    let mut cut: String = raw.chars().take(Name::MAX_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    warnings.push(Warning::at(
        line,
        format!(
            "a name of {} characters was cut to {}",
            raw.chars().count(),
            cut.chars().count()
        ),
    ));
    Name::parse(&cut).ok()
}

fn long_text(raw: &str) -> Option<LongText> {
    let text: String = raw.trim().chars().take(LongText::MAX_CHARS).collect();
    LongText::parse(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_a_leading_reducing_word() {
        let lower = MeasureDirection::LowerIsBetter;
        let higher = MeasureDirection::HigherIsBetter;
        assert_eq!(
            direction("Reduce average permit processing time", None),
            lower
        );
        assert_eq!(direction("Fewer unplanned outages", None), lower);
        assert_eq!(
            direction("Hours of downtime", Some("Lower is better.")),
            lower
        );
        assert_eq!(
            direction("Hours of downtime", Some("Decrease year over year.")),
            lower
        );
        assert_eq!(direction("Percent reduction in outages", None), higher);
        assert_eq!(direction("Permits filed online", None), higher);
    }

    #[test]
    fn keys_are_made_from_names_and_unique() {
        let mut indicators = Indicators::default();
        let mut key = |name: &str| indicators.key_for(name).unwrap().as_str().to_owned();
        assert_eq!(key("Website uptime (%)"), "website_uptime");
        assert_eq!(key("Website uptime"), "website_uptime_2");
        assert_eq!(key("311 calls answered"), "m_311_calls_answered");
        assert_eq!(key("Évaluation"), "valuation");
        assert_eq!(key("—"), "measure");
        let long = key(&"word ".repeat(40));
        assert!(long.len() <= KEY_BASE_CHARS, "{long}");
    }

    #[test]
    fn numbers_may_carry_percent_signs_and_separators() {
        assert_eq!(parse_number(" 1,250 "), Some(1250.0));
        assert_eq!(parse_number("95.5%"), Some(95.5));
        assert_eq!(parse_number("Good"), None);
        assert_eq!(parse_number("NaN"), None);
    }
}
