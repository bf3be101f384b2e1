//! `/nodes/{id}/edit`: the form a node's own fields are changed with. It
//! carries the version it was based on, so a change someone else saved in
//! the meantime is never overwritten unseen.

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
    Cadence, Code, DepartmentId, Horizon, LongText, Name, Node, NodeDraft, NodeId, PersonId, Plan,
    Weight,
};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

/// The edit form as sent: every field as typed, and the version it was based on.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Input {
    version: String,
    code: String,
    title: String,
    description: String,
    owner: String,
    sponsor: String,
    department: String,
    horizon: String,
    start_date: String,
    due_date: String,
    cadence: String,
    weight: String,
}

impl Input {
    /// The form as it reads for `node` at `version`.
    fn of(node: &Node, version: i64) -> Self {
        let text = |v: Option<String>| v.unwrap_or_default();
        Self {
            version: version.to_string(),
            code: text(node.code.as_ref().map(ToString::to_string)),
            title: node.title.to_string(),
            description: text(node.description.as_ref().map(ToString::to_string)),
            owner: text(node.owner_id.map(|p| p.0.to_string())),
            sponsor: text(node.sponsor_id.map(|p| p.0.to_string())),
            department: text(node.department_id.map(|d| d.0.to_string())),
            horizon: text(node.horizon.map(|h| h.to_string())),
            start_date: text(node.start_date.map(|d| d.to_string())),
            due_date: text(node.due_date.map(|d| d.to_string())),
            cadence: node.cadence.as_str().to_owned(),
            weight: node.weight.value().to_string(),
        }
    }
}

/// The form's fields, drawn by the template.
struct Fields {
    code: Field,
    title: Field,
    description: Field,
    owner: Field,
    sponsor: Field,
    department: Field,
    horizon: Field,
    start_date: Field,
    due_date: Field,
    cadence: Field,
    weight: Field,
}

impl Fields {
    fn all(&self) -> [&Field; 11] {
        [
            &self.code,
            &self.title,
            &self.description,
            &self.owner,
            &self.sponsor,
            &self.department,
            &self.horizon,
            &self.start_date,
            &self.due_date,
            &self.cadence,
            &self.weight,
        ]
    }
}

/// The choices of the selects: the plan's people, departments and horizons.
struct Choices {
    people: Vec<Choice>,
    departments: Vec<Choice>,
    horizons: Vec<Choice>,
}

impl Choices {
    async fn of(app: &App, plan: &Plan) -> Result<Self, PageError> {
        let store = app.store();
        let org = Some(plan.organization_id);
        let none = || Choice::new("", "(none)");
        let people = store.list_people(org).await.map_err(ServiceError::from)?;
        let departments = store
            .list_departments(org)
            .await
            .map_err(ServiceError::from)?;
        let years = plan.period.start_year..=plan.period.end_year;
        Ok(Self {
            people: std::iter::once(none())
                .chain(
                    people
                        .iter()
                        .map(|p| Choice::new(p.id.0.to_string(), p.name.to_string())),
                )
                .collect(),
            departments: std::iter::once(none())
                .chain(
                    departments
                        .iter()
                        .map(|d| Choice::new(d.id.0.to_string(), d.name.to_string())),
                )
                .collect(),
            horizons: [
                none(),
                Choice::new("short-term", "Short term"),
                Choice::new("long-term", "Long term"),
            ]
            .into_iter()
            .chain(years.map(|y| Choice::new(format!("FY{y}"), format!("Fiscal year {y}"))))
            .collect(),
        })
    }
}

fn cadence_label(c: Cadence) -> &'static str {
    match c {
        Cadence::Monthly => "Monthly",
        Cadence::Quarterly => "Quarterly",
        Cadence::Annually => "Annually",
        Cadence::None => "No regular check-in",
    }
}

fn fields(input: &Input, errors: &FieldErrors, choices: &Choices) -> Fields {
    let mut horizons = choices.horizons.clone();
    if !horizons.iter().any(|c| c.value == input.horizon) {
        horizons.push(Choice::new(input.horizon.clone(), input.horizon.clone()));
    }
    let cadences = Cadence::ALL
        .iter()
        .map(|c| Choice::new(c.as_str(), cadence_label(*c)))
        .collect();
    Fields {
        code: Field::text("code", "Code", &input.code)
            .hint("As printed in the plan, such as 1.2.3; unique within the plan.")
            .checked(errors),
        title: Field::text("title", "Title", &input.title)
            .required()
            .checked(errors),
        description: Field::textarea("description", "Description", &input.description)
            .checked(errors),
        owner: Field::select("owner", "Owner", &input.owner, choices.people.clone())
            .hint("The person accountable for delivering it.")
            .checked(errors),
        sponsor: Field::select("sponsor", "Sponsor", &input.sponsor, choices.people.clone())
            .hint("The senior sponsor.")
            .checked(errors),
        department: Field::select(
            "department",
            "Department",
            &input.department,
            choices.departments.clone(),
        )
        .checked(errors),
        horizon: Field::select("horizon", "Horizon", &input.horizon, horizons)
            .hint("When it is meant to happen; its own start and due dates take precedence.")
            .checked(errors),
        start_date: Field::date("start_date", "Start date", &input.start_date).checked(errors),
        due_date: Field::date("due_date", "Due date", &input.due_date)
            .hint("Not before the start date.")
            .checked(errors),
        cadence: Field::select("cadence", "Check-in cadence", &input.cadence, cadences)
            .hint("How often its owner is expected to file a check-in.")
            .checked(errors),
        weight: Field::number("weight", "Weight", &input.weight)
            .required()
            .hint(
                "How much it counts in its parent's roll-up: a number from 0 to 1000; 1 is usual.",
            )
            .checked(errors),
    }
}

/// The form field a draft's field is typed in.
fn to_field(draft_field: &str) -> Option<&'static str> {
    Some(match draft_field {
        "code" => "code",
        "title" => "title",
        "description" => "description",
        "owner_id" => "owner",
        "sponsor_id" => "sponsor",
        "department_id" => "department",
        "horizon" => "horizon",
        "start_date" => "start_date",
        "due_date" => "due_date",
        "cadence" => "cadence",
        "weight" => "weight",
        _ => return None,
    })
}

/// A field someone else changed: its label, what it holds now, what the user typed.
struct Changed {
    label: String,
    now: String,
    yours: String,
}

#[derive(Template)]
#[template(path = "forms/node_edit.html")]
struct Page {
    chrome: Chrome,
    node_id: i64,
    node_label: String,
    version: String,
    /// Set when someone else saved the node since the form was drawn.
    changed: Option<Vec<Changed>>,
    summary: Vec<SummaryItem>,
    f: Fields,
}

struct Shown<'a> {
    node: &'a Node,
    plan: &'a Plan,
    input: &'a Input,
    errors: &'a FieldErrors,
    /// The node as it is now, when it changed under the user.
    current: Option<&'a Input>,
}

async fn page(app: &App, viewer: &Viewer, shown: Shown<'_>) -> Result<Page, PageError> {
    let choices = Choices::of(app, shown.plan).await?;
    let f = fields(shown.input, shown.errors, &choices);
    let changed = shown.current.map(|current| {
        let now = fields(current, &FieldErrors::default(), &choices);
        f.all()
            .iter()
            .zip(now.all())
            .filter(|(yours, now)| yours.value.trim() != now.value.trim())
            .map(|(yours, now)| Changed {
                label: now.label.clone(),
                now: now.shown(),
                yours: yours.shown(),
            })
            .collect()
    });
    Ok(Page {
        chrome: Chrome::new(viewer).in_plan(
            shown.plan.id.0,
            shown.plan.title.to_string(),
            Section::Inside,
        ),
        node_id: shown.node.id.0,
        node_label: node_label(shown.node),
        version: shown.current.unwrap_or(shown.input).version.clone(),
        changed,
        summary: summarize(&f.all(), shown.errors),
        f,
    })
}

/// The form, filled in with the node as stored.
pub(super) async fn form(
    State(app): State<App>,
    viewer: Viewer,
    Path(node_id): Path<i64>,
) -> Result<Response, PageError> {
    let (_, plan) = node_and_plan(&app, node_id).await?;
    let stored = app
        .store()
        .versioned::<Node>(NodeId(node_id))
        .await
        .map_err(ServiceError::from)?;
    let input = Input::of(&stored.value, stored.version);
    let shown = Shown {
        node: &stored.value,
        plan: &plan,
        input: &input,
        errors: &FieldErrors::default(),
        current: None,
    };
    Ok(respond(StatusCode::OK, &page(&app, &viewer, shown).await?))
}

/// Saves the node if nobody changed it since the form was drawn; otherwise,
/// or when a field is wrong, answers the form again with the user's values.
pub(super) async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    Path(node_id): Path<i64>,
    Form(input): Form<Input>,
) -> Result<Response, PageError> {
    let (node, plan) = node_and_plan(&app, node_id).await?;
    let mut errors = FieldErrors::default();
    let version = input.version.trim().parse::<i64>().ok();
    if version.is_none() {
        errors.add_general("The form did not say which version of the node it was based on; reload the page and try again");
    }
    let code = errors.optional("code", &input.code, Code::parse);
    let title = errors.required("title", &input.title, "Enter a title", Name::parse);
    let description = errors.optional("description", &input.description, LongText::parse);
    let owner = errors.optional("owner", &input.owner, id).map(PersonId);
    let sponsor = errors.optional("sponsor", &input.sponsor, id).map(PersonId);
    let department = errors
        .optional("department", &input.department, id)
        .map(DepartmentId);
    let horizon = errors.optional("horizon", &input.horizon, str::parse::<Horizon>);
    let start_date = errors.optional("start_date", &input.start_date, date);
    let due_date = errors.optional("due_date", &input.due_date, date);
    let cadence = errors
        .optional("cadence", &input.cadence, str::parse::<Cadence>)
        .unwrap_or_default();
    let weight = errors.required(
        "weight",
        &input.weight,
        "Enter a weight, such as 1",
        |raw| Weight::new(number(raw)?),
    );
    let mut current = None;
    if errors.is_empty()
        && let (Some(version), Some(title)) = (version, title)
    {
        let draft = NodeDraft {
            plan_id: node.plan_id,
            parent_id: node.parent_id,
            code,
            title,
            description,
            level: Some(node.level),
            position: None,
            owner_id: owner,
            sponsor_id: sponsor,
            department_id: department,
            horizon,
            start_date,
            due_date,
            weight,
            cadence,
        };
        match app.update_node(node.id, version, &draft).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/nodes/{node_id}?saved=node")).into_response());
            }
            Err(ServiceError::Stale {
                current: Some(_), ..
            }) => {
                let stored = app
                    .store()
                    .versioned::<Node>(node.id)
                    .await
                    .map_err(ServiceError::from)?;
                current = Some(Input::of(&stored.value, stored.version));
            }
            Err(err) => errors.add_service_error(err, to_field)?,
        }
    }
    let status = if current.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let shown = Shown {
        node: &node,
        plan: &plan,
        input: &input,
        errors: &errors,
        current: current.as_ref(),
    };
    Ok(respond(status, &page(&app, &viewer, shown).await?))
}
