//! `/measures/{id}/observations/new`: the form a measure's value is recorded with.

use super::{
    Field, FieldErrors, SummaryItem, date, node_and_plan, node_label, number, respond, summarize,
    today,
};
use crate::pages::{Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lodestar_domain::{
    CalendarDate, Frequency, LongText, Measure, MeasureId, Name, Node, ObservationDraft, Plan,
    ReportingPeriod, Value,
};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

/// The value form as sent: every field as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Input {
    period: String,
    value: String,
    observed_on: String,
    note: String,
    source: String,
}

/// The form's fields, drawn by the template.
struct Fields {
    period: Field,
    value: Field,
    observed_on: Field,
    note: Field,
    source: Field,
}

impl Fields {
    fn all(&self) -> [&Field; 5] {
        [
            &self.period,
            &self.value,
            &self.observed_on,
            &self.note,
            &self.source,
        ]
    }
}

#[derive(Template)]
#[template(path = "forms/observation.html")]
struct Page {
    chrome: Chrome,
    node_id: i64,
    node_label: String,
    measure_id: i64,
    measure_name: String,
    frequency: &'static str,
    latest: Option<String>,
    calculated: bool,
    summary: Vec<SummaryItem>,
    f: Fields,
}

/// The period `today` falls in, written as a measure of `frequency` counts them.
fn current_period(frequency: Frequency, today: Option<CalendarDate>) -> Option<ReportingPeriod> {
    let day = today?.date();
    let month = u8::from(day.month());
    Some(match frequency {
        Frequency::Monthly => ReportingPeriod::Month(day.year(), month),
        Frequency::Quarterly => ReportingPeriod::Quarter(day.year(), month.div_ceil(3)),
        Frequency::Annually => ReportingPeriod::Year(day.year()),
    })
}

/// How to write a period, for a measure of `frequency`.
fn period_hint(frequency: Frequency, today: Option<CalendarDate>) -> String {
    let (what, example) = match frequency {
        Frequency::Monthly => ("a month", "2026-03"),
        Frequency::Quarterly => ("a quarter", "2026-Q1"),
        Frequency::Annually => ("a year", "2026 or FY2026"),
    };
    let example = current_period(frequency, today).map_or(example.to_owned(), |p| p.to_string());
    format!(
        "This measure is counted {frequency}: write {what}, such as {example}. \
         A year (2026), fiscal year (FY2026), quarter (2026-Q1), month (2026-03) or day (2026-03-15) is accepted."
    )
}

fn fields(
    input: &Input,
    errors: &FieldErrors,
    measure: &Measure,
    today: Option<CalendarDate>,
) -> Fields {
    let value_label = match &measure.unit {
        Some(unit) => format!("Value ({unit})"),
        None => "Value".to_owned(),
    };
    Fields {
        period: Field::text("period", "Period", &input.period)
            .required()
            .hint(period_hint(measure.frequency, today))
            .checked(errors),
        value: Field::number("value", value_label, &input.value)
            .required()
            .hint("A number, such as 42 or 97.5. A period that has a value gets this one instead; the earlier value is kept in the history.")
            .checked(errors),
        observed_on: Field::date("observed_on", "Observed on", &input.observed_on)
            .hint("The day the value was taken; the end of the period when left empty.")
            .checked(errors),
        note: Field::textarea("note", "Note", &input.note)
            .hint("A remark on the value, for readers of the plan.")
            .checked(errors),
        source: Field::text("source", "Source", &input.source)
            .hint("Where the value comes from: a system or a report.")
            .checked(errors),
    }
}

/// The form field a draft's field is typed in.
fn to_field(draft_field: &str) -> Option<&'static str> {
    Some(match draft_field {
        "period" => "period",
        "value" => "value",
        "observed_on" => "observed_on",
        "note" => "note",
        "source" => "source",
        _ => return None,
    })
}

async fn load(app: &App, id: i64) -> Result<(Measure, Node, Plan), PageError> {
    let measure = app
        .store()
        .get_measure(MeasureId(id))
        .await
        .map_err(ServiceError::from)?;
    let (node, plan) = node_and_plan(app, measure.node_id.0).await?;
    Ok((measure, node, plan))
}

async fn page(
    app: &App,
    viewer: &Viewer,
    (measure, node, plan): &(Measure, Node, Plan),
    input: &Input,
    errors: &FieldErrors,
) -> Result<Page, PageError> {
    let latest = app
        .measure_series(measure.id)
        .await?
        .into_iter()
        .rev()
        .find_map(|p| {
            p.value.map(|v| {
                let unit = measure
                    .unit
                    .as_ref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default();
                format!("{v}{unit} for {}", p.period)
            })
        });
    let f = fields(input, errors, measure, today(app));
    Ok(Page {
        chrome: Chrome::new(viewer).in_plan(plan.id.0, plan.title.to_string(), Section::Inside),
        node_id: node.id.0,
        node_label: node_label(node),
        measure_id: measure.id.0,
        measure_name: measure.name.to_string(),
        frequency: measure.frequency.as_str(),
        latest,
        calculated: measure.formula.is_some(),
        summary: summarize(&f.all(), errors),
        f,
    })
}

/// The empty form, the current period filled in.
pub(super) async fn form(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let loaded = load(&app, id).await?;
    let input = Input {
        period: current_period(loaded.0.frequency, today(&app))
            .map(|p| p.to_string())
            .unwrap_or_default(),
        ..Input::default()
    };
    let page = page(&app, &viewer, &loaded, &input, &FieldErrors::default()).await?;
    Ok(respond(StatusCode::OK, &page))
}

/// Records the value, or answers the form again with what is wrong.
pub(super) async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(input): Form<Input>,
) -> Result<Response, PageError> {
    let loaded = load(&app, id).await?;
    let mut errors = FieldErrors::default();
    let period = errors.required(
        "period",
        &input.period,
        "Enter the period the value is for",
        str::parse::<ReportingPeriod>,
    );
    let value = errors.required("value", &input.value, "Enter the value", |raw| {
        Value::new(number(raw)?)
    });
    let observed_on = errors.optional("observed_on", &input.observed_on, date);
    let note = errors.optional("note", &input.note, LongText::parse);
    let source = errors.optional("source", &input.source, Name::parse);
    if errors.is_empty()
        && let (Some(period), Some(value)) = (period, value)
    {
        let draft = ObservationDraft {
            period,
            value,
            observed_on,
            note,
            source,
        };
        match app.record_observation(MeasureId(id), &draft).await {
            Ok(_) => {
                let node = loaded.1.id;
                return Ok(
                    Redirect::to(&format!("/nodes/{node}?saved=observation#measure-{id}"))
                        .into_response(),
                );
            }
            Err(err) => errors.add_service_error(err, to_field)?,
        }
    }
    let page = page(&app, &viewer, &loaded, &input, &errors).await?;
    Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_period_follows_the_frequency() {
        let day: CalendarDate = "2026-05-20".parse().unwrap();
        let period = |f| current_period(f, Some(day)).unwrap().to_string();
        assert_eq!(period(Frequency::Monthly), "2026-05");
        assert_eq!(period(Frequency::Quarterly), "2026-Q2");
        assert_eq!(period(Frequency::Annually), "2026");
        assert!(period_hint(Frequency::Quarterly, Some(day)).contains("such as 2026-Q2"));
    }
}
