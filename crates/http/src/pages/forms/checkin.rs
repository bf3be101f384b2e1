//! `/nodes/{id}/checkins/new`: the form an owner reports on a node with.

use super::{
    Choice, Field, FieldErrors, SummaryItem, date, node_and_plan, node_label, percent, respond,
    summarize, today,
};
use crate::pages::{Badge, Chrome, PageError, Section, Viewer};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lodestar_domain::{
    CalendarDate, CheckInDraft, Link, LongText, Name, Node, Plan, ProgressStatus, Url,
};
use lodestar_services::App;
use serde::Deserialize;

/// The check-in form as sent: every field as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Input {
    status: String,
    percent: String,
    date: String,
    happened: String,
    next: String,
    help_needed: String,
    link_url: String,
    link_label: String,
}

/// The form's fields, drawn by the template.
struct Fields {
    status: Field,
    percent: Field,
    date: Field,
    happened: Field,
    next: Field,
    help_needed: Field,
    link_url: Field,
    link_label: Field,
}

impl Fields {
    fn all(&self) -> [&Field; 8] {
        [
            &self.status,
            &self.percent,
            &self.date,
            &self.happened,
            &self.next,
            &self.help_needed,
            &self.link_url,
            &self.link_label,
        ]
    }
}

#[derive(Template)]
#[template(path = "forms/checkin.html")]
struct Page {
    chrome: Chrome,
    node_id: i64,
    node_label: String,
    status_now: Badge,
    percent_now: Option<String>,
    last_checkin: Option<String>,
    summary: Vec<SummaryItem>,
    f: Fields,
}

fn fields(input: &Input, errors: &FieldErrors, today: Option<CalendarDate>) -> Fields {
    let statuses = ProgressStatus::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), Badge::status(*s).label))
        .collect();
    Fields {
        status: Field::select("status", "Status", &input.status, statuses)
            .required()
            .hint("Where the work stands on the day of the check-in.")
            .checked(errors),
        percent: Field::number("percent", "Percent done", &input.percent)
            .hint("A number from 0 to 100. Leave it empty to keep the last figure; a completed node is 100% done.")
            .checked(errors),
        date: Field::date("date", "Date", &input.date)
            .max(today)
            .hint("The day the check-in reports on: today or an earlier day, written 2026-03-31.")
            .checked(errors),
        happened: Field::textarea("happened", "What happened", &input.happened)
            .hint("What was done since the last check-in.")
            .checked(errors),
        next: Field::textarea("next", "Next steps", &input.next)
            .hint("What comes next, and by when.")
            .checked(errors),
        help_needed: Field::textarea("help_needed", "Help needed", &input.help_needed)
            .hint("What help is needed, and from whom; leave empty if none.")
            .checked(errors),
        link_url: Field::text("link_url", "Link address", &input.link_url)
            .hint("A status report, ticket or demo, starting with https://")
            .checked(errors),
        link_label: Field::text("link_label", "Link label", &input.link_label)
            .hint("What the link is, in a few words.")
            .checked(errors),
    }
}

/// The form field a draft's field is typed in.
fn to_field(draft_field: &str) -> Option<&'static str> {
    Some(match draft_field {
        "status" => "status",
        "percent" => "percent",
        "date" => "date",
        "happened" => "happened",
        "next" => "next",
        "help_needed" => "help_needed",
        "links" => "link_url",
        _ => return None,
    })
}

async fn page(
    app: &App,
    viewer: &Viewer,
    (node, plan): (&Node, &Plan),
    input: &Input,
    errors: &FieldErrors,
) -> Result<Page, PageError> {
    let now = app.node_status(node.id).await?;
    let f = fields(input, errors, today(app));
    Ok(Page {
        chrome: Chrome::new(viewer).in_plan(plan.id.0, plan.title.to_string(), Section::Inside),
        node_id: node.id.0,
        node_label: node_label(node),
        status_now: Badge::status(now.status),
        percent_now: now.reported_percent.map(|p| format!("{}%", p.round())),
        last_checkin: now.last_checkin.map(|d| d.to_string()),
        summary: summarize(&f.all(), errors),
        f,
    })
}

/// The empty form: the node's last reported status chosen, dated today.
pub(super) async fn form(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (node, plan) = node_and_plan(&app, id).await?;
    let now = app.node_status(node.id).await?;
    let input = Input {
        status: now
            .reported_status
            .unwrap_or(now.status)
            .as_str()
            .to_owned(),
        date: today(&app).map(|d| d.to_string()).unwrap_or_default(),
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

/// Files the check-in, or answers the form again with what is wrong.
pub(super) async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(input): Form<Input>,
) -> Result<Response, PageError> {
    let (node, plan) = node_and_plan(&app, id).await?;
    let today = today(&app);
    let mut errors = FieldErrors::default();
    let status = errors.required(
        "status",
        &input.status,
        "Choose where the work stands",
        str::parse::<ProgressStatus>,
    );
    let percent = errors.optional("percent", &input.percent, percent);
    let day = errors.optional("date", &input.date, |raw| {
        let day = date(raw)?;
        match today {
            Some(today) if day > today => Err(format!(
                "{day} is in the future; a check-in reports on today ({today}) or an earlier day"
            )),
            _ => Ok(day),
        }
    });
    let happened = errors.optional("happened", &input.happened, LongText::parse);
    let next = errors.optional("next", &input.next, LongText::parse);
    let help_needed = errors.optional("help_needed", &input.help_needed, LongText::parse);
    let url = errors.optional("link_url", &input.link_url, Url::parse);
    let label = errors.optional("link_label", &input.link_label, Name::parse);
    if input.link_url.trim().is_empty() && !input.link_label.trim().is_empty() {
        errors.add("link_url", "Give the link's address, or clear its label");
    }
    if errors.is_empty()
        && let Some(status) = status
    {
        let draft = CheckInDraft {
            author_id: viewer.0.user.person_id,
            reason: None,
            date: day,
            status,
            percent,
            happened,
            next,
            help_needed,
            links: url.map(|url| Link { url, label }).into_iter().collect(),
        };
        match app.file_checkin(node.id, &draft).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/nodes/{id}?saved=checkin#checkins")).into_response()
                );
            }
            Err(err) => errors.add_service_error(err, to_field)?,
        }
    }
    let page = page(&app, &viewer, (&node, &plan), &input, &errors).await?;
    Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
