//! A measure as a StratML Part 2 performance indicator: its name as the
//! measurement dimension, its targets as target results and its baseline and
//! recorded values as actual results, each dated by the period it is for.
//! The importer reads these back (crates/importer/src/stratml/indicator.rs).

use super::xml::Out;
use lodestar_domain::document::MeasureEntry;
use lodestar_domain::{Goal, MeasureDirection, ReportingPeriod, Value};
use lodestar_importer::DraftObservation;
use std::io;

/// Writes `measure` with its recorded `values`; `number` makes its identifier.
pub(super) fn write(
    out: &mut Out,
    measure: &MeasureEntry,
    values: &[&DraftObservation],
    number: usize,
) -> io::Result<()> {
    out.open_with(
        "PerformanceIndicator",
        &[("PerformanceIndicatorType", "Quantitative")],
    )?;
    out.text("MeasurementDimension", measure.name.as_str())?;
    out.text(
        "UnitOfMeasurement",
        measure.unit.as_ref().map_or("", |u| u.as_str()),
    )?;
    out.text("Identifier", &format!("indicator_{number}"))?;
    out.open("MeasurementInstance")?;
    for target in &measure.targets {
        out.open("TargetResult")?;
        dates(out, target.period)?;
        match target.goal {
            Goal::Value { value } => out.text("NumberOfUnits", &number_of(value))?,
            Goal::Range { low, high } => {
                out.text("NumberOfUnits", "")?;
                out.open("Descriptor")?;
                out.text("DescriptorName", "Range")?;
                out.text(
                    "DescriptorValue",
                    &format!("{} to {}", number_of(low), number_of(high)),
                )?;
                out.close("Descriptor")?;
            }
        }
        out.close("TargetResult")?;
    }
    if let Some(baseline) = &measure.baseline {
        out.open("ActualResult")?;
        if let Some(date) = baseline.date {
            out.text("EndDate", &date.to_string())?;
        }
        out.text("NumberOfUnits", &number_of(baseline.value))?;
        out.text("Description", "Baseline")?;
        out.close("ActualResult")?;
    }
    let mut values = values.to_vec();
    values.sort_by_key(|o| (o.period.start(), o.period.end()));
    for value in values {
        out.open("ActualResult")?;
        dates(out, Some(value.period))?;
        out.text("NumberOfUnits", &number_of(value.value))?;
        out.optional("Description", value.note.as_deref())?;
        out.close("ActualResult")?;
    }
    out.close("MeasurementInstance")?;
    let mut other: Vec<&str> = measure.description.iter().map(|d| d.as_str()).collect();
    other.push(match measure.direction {
        MeasureDirection::HigherIsBetter => "Higher is better.",
        MeasureDirection::LowerIsBetter => "Lower is better.",
        MeasureDirection::WithinRange => "Within the target range is better.",
    });
    out.text("OtherInformation", &other.join("\n\n"))?;
    out.close("PerformanceIndicator")
}

/// The first and last day of the period, when there is one.
fn dates(out: &mut Out, period: Option<ReportingPeriod>) -> io::Result<()> {
    if let Some(period) = period {
        let (start, end) = period.bounds();
        out.text("StartDate", &start.to_string())?;
        out.text("EndDate", &end.to_string())?;
    }
    Ok(())
}

/// A value as `xsd:decimal` writes it: digits, a point, no exponent.
fn number_of(value: Value) -> String {
    // `Display` for f64 never uses an exponent and gives the shortest text
    // that reads back as the same number.
    let v = value.get();
    if v == 0.0 {
        "0".to_owned()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_decimals() {
        let n = |v: f64| number_of(Value::new(v).unwrap());
        assert_eq!(n(99.5), "99.5");
        assert_eq!(n(1e21), "1000000000000000000000");
        assert_eq!(n(-0.0), "0");
        assert_eq!(n(0.000_001), "0.000001");
    }
}
