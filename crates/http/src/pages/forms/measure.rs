//! `/nodes/{id}/measures/new`: the form a measure (KPI) is added to a node
//! with. It offers the common fields and one target; a calculated measure's
//! formula and a schedule of targets are left to the API.

use super::{
    Choice, Field, FieldErrors, SummaryItem, date, id, node_and_plan, node_label, number, respond,
    summarize,
};
use crate::pages::{Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lodestar_domain::{
    Baseline, Frequency, Goal, LongText, MeasureDirection, MeasureDraft, MeasureKey, Name, Node,
    PersonId, Plan, ReportingPeriod, Target, ThresholdBasis, Thresholds, Value, Weight,
};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

/// The measure form as sent: every field as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Input {
    key: String,
    name: String,
    description: String,
    unit: String,
    direction: String,
    frequency: String,
    baseline_value: String,
    baseline_date: String,
    target_period: String,
    target_value: String,
    target_low: String,
    target_high: String,
    threshold_basis: String,
    threshold_green: String,
    threshold_amber: String,
    data_source: String,
    owner: String,
    weight: String,
}

/// The form's fields, drawn by the template.
struct Fields {
    key: Field,
    name: Field,
    description: Field,
    unit: Field,
    direction: Field,
    frequency: Field,
    baseline_value: Field,
    baseline_date: Field,
    target_period: Field,
    target_value: Field,
    target_low: Field,
    target_high: Field,
    threshold_basis: Field,
    threshold_green: Field,
    threshold_amber: Field,
    data_source: Field,
    owner: Field,
    weight: Field,
}

impl Fields {
    fn all(&self) -> [&Field; 18] {
        [
            &self.key,
            &self.name,
            &self.description,
            &self.unit,
            &self.direction,
            &self.frequency,
            &self.baseline_value,
            &self.baseline_date,
            &self.target_period,
            &self.target_value,
            &self.target_low,
            &self.target_high,
            &self.threshold_basis,
            &self.threshold_green,
            &self.threshold_amber,
            &self.data_source,
            &self.owner,
            &self.weight,
        ]
    }
}

#[derive(Template)]
#[template(path = "forms/measure.html")]
struct Page {
    chrome: Chrome,
    node_id: i64,
    node_label: String,
    summary: Vec<SummaryItem>,
    f: Fields,
}

fn fields(input: &Input, errors: &FieldErrors, people: Vec<Choice>) -> Fields {
    let directions = vec![
        Choice::new("higher-is-better", "Higher is better"),
        Choice::new("lower-is-better", "Lower is better"),
        Choice::new("within-range", "Within a range is good"),
    ];
    let frequencies = vec![
        Choice::new("monthly", "Monthly"),
        Choice::new("quarterly", "Quarterly"),
        Choice::new("annually", "Annually"),
    ];
    let bases = vec![
        Choice::new("percent-of-target", "Percent of the target"),
        Choice::new("absolute", "Values in the measure's unit"),
    ];
    let i = input;
    Fields {
        key: Field::text("key", "Key", &i.key)
            .required()
            .hint("Its handle in CSV files and formulas, unique within the plan: lower-case letters, digits and underscores, such as tickets_closed.")
            .checked(errors),
        name: Field::text("name", "Name", &i.name).required().checked(errors),
        description: Field::textarea("description", "Description", &i.description)
            .hint("What it counts, and how.")
            .checked(errors),
        unit: Field::text("unit", "Unit", &i.unit)
            .hint("The unit of its values, such as %, hours or requests.")
            .checked(errors),
        direction: Field::select("direction", "Which values are good", &i.direction, directions)
            .required()
            .checked(errors),
        frequency: Field::select("frequency", "How often it gets a value", &i.frequency, frequencies)
            .required()
            .checked(errors),
        baseline_value: Field::number("baseline_value", "Baseline value", &i.baseline_value)
            .hint("Where it started.")
            .checked(errors),
        baseline_date: Field::date("baseline_date", "Baseline date", &i.baseline_date)
            .hint("When the baseline was taken.")
            .checked(errors),
        target_period: Field::text("target_period", "Target period", &i.target_period)
            .hint("The period the target is for: a year (2028), fiscal year (FY2028), quarter (2028-Q4) or month (2028-12). Leave empty for the final target.")
            .checked(errors),
        target_value: Field::number("target_value", "Target value", &i.target_value)
            .hint("The value to reach (or to stay under, when lower is better).")
            .checked(errors),
        target_low: Field::number("target_low", "Lowest good value", &i.target_low)
            .hint("For a measure that should stay within a range.")
            .checked(errors),
        target_high: Field::number("target_high", "Highest good value", &i.target_high)
            .hint("For a measure that should stay within a range.")
            .checked(errors),
        threshold_basis: Field::select("threshold_basis", "Thresholds are", &i.threshold_basis, bases)
            .checked(errors),
        threshold_green: Field::number("threshold_green", "Green bound", &i.threshold_green)
            .hint("Leave both bounds empty for the usual rule: green at the target, amber within 10% of it.")
            .checked(errors),
        threshold_amber: Field::number("threshold_amber", "Amber bound", &i.threshold_amber)
            .hint("Beyond it the measure is red.")
            .checked(errors),
        data_source: Field::text("data_source", "Data source", &i.data_source)
            .hint("Where the values come from: a system or a report.")
            .checked(errors),
        owner: Field::select("owner", "Who reports it", &i.owner, people).checked(errors),
        weight: Field::number("weight", "Weight", &i.weight)
            .hint("How much it counts in the node's roll-up: a number from 0 to 1000; 1 when empty.")
            .checked(errors),
    }
}

/// The form field a draft's field is typed in; a target's problem goes to
/// the value or the range, whichever the direction asks for.
fn to_field(range: bool) -> impl Fn(&str) -> Option<&'static str> {
    move |draft_field| {
        Some(match draft_field {
            "key" => "key",
            "name" => "name",
            "description" => "description",
            "unit" => "unit",
            "direction" => "direction",
            "frequency" => "frequency",
            "baseline.date" => "baseline_date",
            "baseline" => "baseline_value",
            "targets" if range => "target_low",
            "targets" => "target_value",
            "thresholds" => "threshold_green",
            "data_source" => "data_source",
            "owner_id" => "owner",
            "weight" => "weight",
            _ => return None,
        })
    }
}

async fn page(
    app: &App,
    viewer: &Viewer,
    (node, plan): (&Node, &Plan),
    input: &Input,
    errors: &FieldErrors,
) -> Result<Page, PageError> {
    let people = app
        .store()
        .list_people(Some(plan.organization_id))
        .await
        .map_err(ServiceError::from)?;
    let people = std::iter::once(Choice::new("", "(none)"))
        .chain(
            people
                .iter()
                .map(|p| Choice::new(p.id.0.to_string(), p.name.to_string())),
        )
        .collect();
    let f = fields(input, errors, people);
    Ok(Page {
        chrome: Chrome::new(viewer).in_plan(plan.id.0, plan.title.to_string(), Section::Inside),
        node_id: node.id.0,
        node_label: node_label(node),
        summary: summarize(&f.all(), errors),
        f,
    })
}

/// The empty form.
pub(super) async fn form(
    State(app): State<App>,
    viewer: Viewer,
    Path(node_id): Path<i64>,
) -> Result<Response, PageError> {
    let (node, plan) = node_and_plan(&app, node_id).await?;
    let input = Input {
        direction: "higher-is-better".into(),
        frequency: "quarterly".into(),
        threshold_basis: "percent-of-target".into(),
        owner: node.owner_id.map(|p| p.0.to_string()).unwrap_or_default(),
        weight: "1".into(),
        ..Input::default()
    };
    let page = page(
        &app,
        &viewer,
        (&node, &plan),
        &input,
        &FieldErrors::default(),
    )
    .await?;
    Ok(respond(StatusCode::OK, &page))
}

/// A number field read as a measure's value.
fn value(raw: &str) -> Result<Value, String> {
    Value::new(number(raw)?)
}

/// Whether the user typed something in a field.
fn given(raw: &str) -> bool {
    !raw.trim().is_empty()
}

/// The one target the form offers, if one was given.
fn target(i: &Input, errors: &mut FieldErrors) -> Option<Target> {
    let period = errors.optional(
        "target_period",
        &i.target_period,
        str::parse::<ReportingPeriod>,
    );
    let single = errors.optional("target_value", &i.target_value, value);
    let low = errors.optional("target_low", &i.target_low, value);
    let high = errors.optional("target_high", &i.target_high, value);
    let range = given(&i.target_low) || given(&i.target_high);
    if given(&i.target_value) && range {
        errors.add(
            "target_value",
            "Give either one target value or a low and a high, not both",
        );
    } else if range && !given(&i.target_low) {
        errors.add("target_low", "Enter the lowest good value too");
    } else if range && !given(&i.target_high) {
        errors.add("target_high", "Enter the highest good value too");
    } else if given(&i.target_period) && !given(&i.target_value) && !range {
        errors.add(
            "target_value",
            "Enter the target for this period, or clear the period",
        );
    }
    let goal = match (single, low, high) {
        (Some(value), None, None) => Goal::Value { value },
        (None, Some(low), Some(high)) => Goal::Range { low, high },
        _ => return None,
    };
    Some(Target { period, goal })
}

/// Adds the measure, or answers the form again with what is wrong.
pub(super) async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    Path(node_id): Path<i64>,
    Form(i): Form<Input>,
) -> Result<Response, PageError> {
    let (node, plan) = node_and_plan(&app, node_id).await?;
    let mut errors = FieldErrors::default();
    let key = errors.required(
        "key",
        &i.key,
        "Enter a key, such as tickets_closed",
        MeasureKey::parse,
    );
    let name = errors.required("name", &i.name, "Enter a name", Name::parse);
    let description = errors.optional("description", &i.description, LongText::parse);
    let unit = errors.optional("unit", &i.unit, Name::parse);
    let direction = errors.required(
        "direction",
        &i.direction,
        "Choose which values are good",
        str::parse::<MeasureDirection>,
    );
    let frequency = errors.required(
        "frequency",
        &i.frequency,
        "Choose how often it gets a value",
        str::parse::<Frequency>,
    );
    let baseline_value = errors.optional("baseline_value", &i.baseline_value, value);
    let baseline_date = errors.optional("baseline_date", &i.baseline_date, date);
    if given(&i.baseline_date) && !given(&i.baseline_value) {
        errors.add(
            "baseline_value",
            "Enter the baseline's value, or clear its date",
        );
    }
    let target = target(&i, &mut errors);
    let basis = errors
        .optional(
            "threshold_basis",
            &i.threshold_basis,
            str::parse::<ThresholdBasis>,
        )
        .unwrap_or(ThresholdBasis::PercentOfTarget);
    let green = errors.optional("threshold_green", &i.threshold_green, value);
    let amber = errors.optional("threshold_amber", &i.threshold_amber, value);
    if given(&i.threshold_green) != given(&i.threshold_amber) {
        let missing = if given(&i.threshold_green) {
            "threshold_amber"
        } else {
            "threshold_green"
        };
        errors.add(
            missing,
            "Enter both bounds, or leave both empty for the usual rule",
        );
    }
    let data_source = errors.optional("data_source", &i.data_source, Name::parse);
    let owner = errors.optional("owner", &i.owner, id).map(PersonId);
    let weight = errors.optional("weight", &i.weight, |raw| Weight::new(number(raw)?));
    let range = direction == Some(MeasureDirection::WithinRange);
    if errors.is_empty()
        && let (Some(key), Some(name), Some(direction), Some(frequency)) =
            (key, name, direction, frequency)
    {
        let draft = MeasureDraft {
            node_id: node.id,
            key,
            name,
            description,
            unit,
            direction,
            baseline: baseline_value.map(|value| Baseline {
                value,
                date: baseline_date,
            }),
            targets: target.into_iter().collect(),
            thresholds: green.zip(amber).map(|(green, amber)| Thresholds {
                basis,
                green,
                amber,
            }),
            frequency,
            data_source,
            owner_id: owner,
            formula: None,
            weight,
            position: None,
        };
        match app.create_measure(&draft).await {
            Ok(m) => {
                let to = format!("/nodes/{node_id}?saved=measure#measure-{}", m.id.0);
                return Ok(Redirect::to(&to).into_response());
            }
            Err(err) => errors.add_service_error(err, to_field(range))?,
        }
    }
    let page = page(&app, &viewer, (&node, &plan), &i, &errors).await?;
    Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
