//! `/proposals/new` and `/proposals/{id}/edit`: the intake form. It keeps
//! everything typed when something is wrong, shows each message beside its
//! field, and offers "Save draft" and "Submit": submitting without a tie to
//! an objective (or an exception) brings the service's message back beside
//! the objectives. The form's rows are read in `input`; the lists to choose
//! from (departments, people, objectives) come from `choices`.

mod choices;
mod input;

use crate::pages::forms::{Choice, Field, FieldErrors, respond};
use crate::pages::{Chrome, PageError, Viewer};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use choices::{ObjectiveGroup, choices, cost_choices, objective_groups};
use input::{CostRow, EMPTY_ROWS, EffortRow, Input, LinkRow, cell_label, effort_is_empty, read};
use lodestar_domain::portfolio::{Proposal, RiskLevel};
use lodestar_domain::{ProposalId, Role};
use lodestar_services::{App, ServiceError};

/// A cost row as the template draws it.
struct CostCells {
    n: usize,
    year: String,
    kind: String,
    recurrence: String,
    amount: String,
    year_error: Option<String>,
    amount_error: Option<String>,
}

/// An effort row as the template draws it.
struct EffortCells {
    n: usize,
    role: String,
    month: String,
    hours: String,
    role_error: Option<String>,
    month_error: Option<String>,
    hours_error: Option<String>,
}

/// A link row as the template draws it.
struct LinkCells {
    n: usize,
    url: String,
    label: String,
    url_error: Option<String>,
    label_error: Option<String>,
}

/// A line of the error summary; `field` is the id it links to.
pub(crate) struct SummaryLine {
    field: Option<String>,
    text: String,
}

#[derive(Template)]
#[template(path = "portfolio/intake.html")]
struct Page {
    chrome: Chrome,
    heading: String,
    action: String,
    proposal_id: Option<i64>,
    version: String,
    notice: Option<String>,
    summary: Vec<SummaryLine>,
    f: Fields,
    objective_groups: Vec<ObjectiveGroup>,
    objectives_error: Option<String>,
    costs_error: Option<String>,
    effort_error: Option<String>,
    links_error: Option<String>,
    cost_rows: Vec<CostCells>,
    effort_rows: Vec<EffortCells>,
    link_rows: Vec<LinkCells>,
    kinds: Vec<Choice>,
    recurrences: Vec<Choice>,
}

struct Fields {
    organization_id: Field,
    title: Field,
    department_id: Field,
    sponsor_id: Field,
    problem: Field,
    benefits: Field,
    risk: Field,
    target_start: Field,
    target_end: Field,
}

impl Fields {
    fn all(&self) -> [&Field; 9] {
        [
            &self.organization_id,
            &self.title,
            &self.department_id,
            &self.sponsor_id,
            &self.problem,
            &self.benefits,
            &self.risk,
            &self.target_start,
            &self.target_end,
        ]
    }
}

/// The form field a draft's field (as the services name it) is typed in.
fn to_field(draft_field: &str) -> Option<&'static str> {
    Some(match draft_field {
        "organization_id" => "organization_id",
        "title" => "title",
        "department_id" => "department_id",
        "sponsor_id" => "sponsor_id",
        "problem" => "problem",
        "benefits" => "benefits",
        "risk" => "risk",
        "target_start" => "target_start",
        "target_end" => "target_end",
        "objectives" => "objectives",
        "costs" => "costs",
        "effort" => "effort",
        "links" => "links",
        _ => return None,
    })
}

/// Builds the page for `input`, with `errors` beside their fields.
#[allow(clippy::too_many_arguments)]
async fn page(
    app: &App,
    viewer: &Viewer,
    proposal: Option<i64>,
    input: &Input,
    errors: &FieldErrors,
    notice: Option<String>,
) -> Result<Page, PageError> {
    let (organizations, departments, people) = choices(app).await?;
    let risks = RiskLevel::ALL
        .iter()
        .map(|r| {
            let label = match r {
                RiskLevel::Low => "Low",
                RiskLevel::Medium => "Medium",
                RiskLevel::High => "High",
                RiskLevel::Critical => "Critical",
            };
            Choice::new(r.as_str(), label)
        })
        .collect();
    let f = Fields {
        organization_id: Field::select(
            "organization_id",
            "Organization",
            &input.organization_id,
            organizations,
        )
        .required()
        .hint("The organization asking; the department and sponsor must belong to it.")
        .checked(errors),
        title: Field::text("title", "Title", &input.title)
            .required()
            .hint("A short name for the project or purchase.")
            .checked(errors),
        department_id: Field::select(
            "department_id",
            "Requesting department",
            &input.department_id,
            departments,
        )
        .checked(errors),
        sponsor_id: Field::select("sponsor_id", "Sponsor", &input.sponsor_id, people)
            .hint("The person who answers for the proposal.")
            .checked(errors),
        problem: Field::textarea("problem", "Problem", &input.problem)
            .hint("What is wrong today, and for whom.")
            .checked(errors),
        benefits: Field::textarea("benefits", "Expected benefits", &input.benefits)
            .hint("What will be better, and how it will be measured.")
            .checked(errors),
        risk: Field::select("risk", "Risk level", &input.risk, risks)
            .required()
            .hint("How much is at stake if the work fails or is not done.")
            .checked(errors),
        target_start: Field::date("target_start", "Target start", &input.target_start)
            .hint("Written 2026-03-31.")
            .checked(errors),
        target_end: Field::date("target_end", "Target end", &input.target_end)
            .hint("On or after the start.")
            .checked(errors),
    };
    let mut costs = input.costs.clone();
    let empty_costs = costs
        .iter()
        .filter(|c| c.year.trim().is_empty() && c.amount.trim().is_empty())
        .count();
    costs.extend((empty_costs..EMPTY_ROWS).map(|_| CostRow::default()));
    let mut effort = input.effort.clone();
    let empty_effort = effort.iter().filter(|e| effort_is_empty(e)).count();
    effort.extend((empty_effort..EMPTY_ROWS).map(|_| EffortRow::default()));
    let mut links = input.links.clone();
    let empty_links = links
        .iter()
        .filter(|l| l.url.trim().is_empty() && l.label.trim().is_empty())
        .count();
    links.extend((empty_links..1).map(|_| LinkRow::default()));
    let cell = |name: String| errors.get(&name).map(str::to_owned);
    let cost_rows: Vec<CostCells> = costs
        .into_iter()
        .enumerate()
        .map(|(i, c)| CostCells {
            n: i + 1,
            year_error: cell(format!("cost-{i}-year")),
            amount_error: cell(format!("cost-{i}-amount")),
            year: c.year,
            kind: c.kind,
            recurrence: c.recurrence,
            amount: c.amount,
        })
        .collect();
    let effort_rows: Vec<EffortCells> = effort
        .into_iter()
        .enumerate()
        .map(|(i, e)| EffortCells {
            n: i + 1,
            role_error: cell(format!("effort-{i}-role")),
            month_error: cell(format!("effort-{i}-month")),
            hours_error: cell(format!("effort-{i}-hours")),
            role: e.role,
            month: e.month,
            hours: e.hours,
        })
        .collect();
    let link_rows: Vec<LinkCells> = links
        .into_iter()
        .enumerate()
        .map(|(i, l)| LinkCells {
            n: i + 1,
            url_error: cell(format!("link-{i}-url")),
            label_error: cell(format!("link-{i}-label")),
            url: l.url,
            label: l.label,
        })
        .collect();
    let summary = summary(&f, errors);
    let (kinds, recurrences) = cost_choices();
    let (heading, action) = match proposal {
        Some(id) => (
            format!("Edit proposal {id}: {}", input.title.trim()),
            format!("/proposals/{id}/edit"),
        ),
        None => ("New proposal".to_owned(), "/proposals".to_owned()),
    };
    Ok(Page {
        chrome: Chrome::new(viewer),
        heading,
        action,
        proposal_id: proposal,
        version: input.version.clone(),
        notice,
        summary,
        objective_groups: objective_groups(app, &input.objectives).await?,
        objectives_error: errors.get("objectives").map(str::to_owned),
        costs_error: errors.get("costs").map(str::to_owned),
        effort_error: errors.get("effort").map(str::to_owned),
        links_error: errors.get("links").map(str::to_owned),
        f,
        cost_rows,
        effort_rows,
        link_rows,
        kinds,
        recurrences,
    })
}

/// The error summary: the fields in the form's order, then the objectives,
/// the tables and their cells, then what belongs to no field.
fn summary(f: &Fields, errors: &FieldErrors) -> Vec<SummaryLine> {
    let labelled: Vec<(String, String)> = f
        .all()
        .iter()
        .map(|x| (x.id.to_owned(), x.label.clone()))
        .chain(
            [
                ("objectives", "Objectives"),
                ("costs", "Costs"),
                ("effort", "Staff effort"),
                ("links", "Links"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned())),
        )
        .collect();
    let mut lines: Vec<SummaryLine> = labelled
        .iter()
        .filter_map(|(id, label)| {
            errors.get(id).map(|m| SummaryLine {
                field: Some(id.clone()),
                text: format!("{label}: {m}"),
            })
        })
        .collect();
    for (field, message) in errors.cells() {
        if labelled.iter().any(|(id, _)| id == field) {
            continue;
        }
        lines.push(match cell_label(field) {
            Some(label) => SummaryLine {
                field: Some(field.to_owned()),
                text: format!("{label}: {message}"),
            },
            None => SummaryLine {
                field: None,
                text: message.to_owned(),
            },
        });
    }
    lines.extend(errors.general_messages().iter().map(|m| SummaryLine {
        field: None,
        text: m.clone(),
    }));
    lines
}

/// Notes what the services refused: beside its field, or for a stale
/// version, in the summary; a refusal by role is the page's error (403).
fn refused(errors: &mut FieldErrors, err: ServiceError) -> Result<(), PageError> {
    match err {
        ServiceError::Stale { .. } => {
            errors.add_general(
                "someone else saved this proposal meanwhile; open it again to see their version",
            );
            Ok(())
        }
        ServiceError::Forbidden(m) => Err(PageError::new(StatusCode::FORBIDDEN, m)),
        other => errors.add_service_error(other, to_field),
    }
}

/// Whether `viewer` may change `proposal` (as the services decide: its
/// author, plan editors and administrators).
pub(crate) fn may_edit(viewer: &Viewer, proposal: &Proposal) -> bool {
    let user = &viewer.0.user;
    proposal.created_by == Some(user.id)
        || matches!(user.role, Role::PlanEditor | Role::Administrator)
}

/// The empty form.
pub(super) async fn new_form(
    State(app): State<App>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    let orgs = app
        .store()
        .list_organizations()
        .await
        .map_err(ServiceError::from)?;
    let input = Input {
        organization_id: orgs.first().map(|o| o.id.0.to_string()).unwrap_or_default(),
        risk: RiskLevel::Medium.as_str().to_owned(),
        ..Input::default()
    };
    let page = page(&app, &viewer, None, &input, &FieldErrors::default(), None).await?;
    Ok(respond(StatusCode::OK, &page))
}

/// Creates the draft (and submits it when asked), or answers the form again.
pub(super) async fn create(
    State(app): State<App>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut input = Input::from_pairs(pairs);
    let mut errors = FieldErrors::default();
    if let Some(draft) = read(&input, &mut errors) {
        match app.create_proposal(&viewer.0.user, &draft).await {
            Ok(created) => {
                let id = created.value.id;
                if !input.submits() {
                    return Ok(saved(id, "draft"));
                }
                match app
                    .submit_proposal(&viewer.0.user, id, created.version, None)
                    .await
                {
                    Ok(_) => return Ok(saved(id, "submitted")),
                    Err(err) => {
                        refused(&mut errors, err)?;
                        input.version = created.version.to_string();
                        let notice = Some(format!(
                            "Saved as draft proposal {id}; it was not submitted."
                        ));
                        let page = page(&app, &viewer, Some(id.0), &input, &errors, notice).await?;
                        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page));
                    }
                }
            }
            Err(err) => refused(&mut errors, err)?,
        }
    }
    let page = page(&app, &viewer, None, &input, &errors, None).await?;
    Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

fn saved(id: ProposalId, what: &str) -> Response {
    Redirect::to(&format!("/proposals/{id}?saved={what}")).into_response()
}

/// A draft's form, filled in; a submitted proposal is no longer edited.
pub(super) async fn edit_form(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let stored = app.proposal(ProposalId(id)).await?;
    if !may_edit(&viewer, &stored.value) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            "only its author, plan editors and administrators may change this proposal",
        ));
    }
    if !stored.value.is_draft() {
        return Ok(Redirect::to(&format!("/proposals/{id}")).into_response());
    }
    let input = Input::of(&stored.value, stored.version);
    let page = page(
        &app,
        &viewer,
        Some(id),
        &input,
        &FieldErrors::default(),
        None,
    )
    .await?;
    Ok(respond(StatusCode::OK, &page))
}

/// Saves the draft (and submits it when asked), or answers the form again.
pub(super) async fn update(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pid = ProposalId(id);
    let mut input = Input::from_pairs(pairs);
    let mut errors = FieldErrors::default();
    let version = errors.required(
        "version",
        &input.version,
        "the form lost the version it was based on; open it again",
        |raw| {
            raw.parse::<i64>()
                .map_err(|_| "the form's version is not a number; open it again".to_owned())
        },
    );
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let (Some(draft), Some(version)) = (read(&input, &mut errors), version) {
        match app
            .update_proposal(&viewer.0.user, pid, version, &draft)
            .await
        {
            Ok(updated) => {
                if !input.submits() {
                    return Ok(saved(pid, "draft"));
                }
                input.version = updated.version.to_string();
                match app
                    .submit_proposal(&viewer.0.user, pid, updated.version, None)
                    .await
                {
                    Ok(_) => return Ok(saved(pid, "submitted")),
                    Err(err) => refused(&mut errors, err)?,
                }
            }
            Err(err) => {
                if matches!(err, ServiceError::Stale { .. }) {
                    status = StatusCode::CONFLICT;
                }
                refused(&mut errors, err)?;
            }
        }
    }
    let page = page(&app, &viewer, Some(id), &input, &errors, None).await?;
    Ok(respond(status, &page))
}
