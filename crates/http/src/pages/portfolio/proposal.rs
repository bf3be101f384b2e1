//! `/proposals/{id}`: everything about one proposal — its facts, costs and
//! effort, the objectives it serves, each reviewer's scores and the weighted
//! result with its arithmetic, the moves so far — and the forms the viewer
//! may use on it: scoring, the gates the configuration lets the viewer
//! pass, and granting an exception. A form sent with a mistake comes back
//! on this page (422) with the message beside its field.

use super::intake::may_edit;
use super::{StageBadge, roles_in_words, score_text};
use crate::pages::forms::{FieldErrors, respond};
use crate::pages::{Chrome, PageError, Viewer};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lodestar_domain::portfolio::{CostKind, GovernanceConfig, Money, Recurrence};
use lodestar_domain::{NodeId, ProposalId};
use lodestar_services::authz::Need;
use lodestar_services::portfolio::ScoreEntry;
use lodestar_services::{App, ServiceError};
use serde::Deserialize;
use std::collections::HashMap;

/// What a form sent on this page left to show: which form, what was typed,
/// and what is wrong.
#[derive(Default)]
struct Feedback {
    typed: HashMap<String, Vec<String>>,
    errors: FieldErrors,
}

impl Feedback {
    fn of(pairs: &[(String, String)]) -> Self {
        let mut typed: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            typed.entry(k.clone()).or_default().push(v.clone());
        }
        Self {
            typed,
            errors: FieldErrors::default(),
        }
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.typed
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    fn all(&self, name: &str) -> &[String] {
        self.typed.get(name).map_or(&[], Vec::as_slice)
    }
}

struct Fact {
    label: &'static str,
    value: String,
}

struct CostView {
    year: i32,
    kind: &'static str,
    recurrence: &'static str,
    amount: String,
}

struct EffortView {
    role: String,
    month: String,
    hours: u32,
}

struct LinkView {
    url: String,
    label: String,
}

struct NodeLink {
    id: i64,
    label: String,
}

struct ReviewerRow {
    name: String,
    cells: Vec<String>,
    comments: Vec<String>,
}

struct CriterionRow {
    name: String,
    weight: u32,
    count: usize,
    mean: String,
    product: String,
}

struct ScoreChoice {
    value: u8,
    guidance: String,
    checked: bool,
}

struct ScoreField {
    key: String,
    name: String,
    weight: u32,
    choices: Vec<ScoreChoice>,
    comment: String,
    error: Option<String>,
}

struct ChecklistBox {
    n: usize,
    text: String,
    checked: bool,
}

struct GateView {
    name: String,
    to: String,
    to_label: String,
    allowed: bool,
    roles: String,
    checklist: Vec<ChecklistBox>,
    reason: String,
    reason_error: Option<String>,
    checklist_error: Option<String>,
    general: Vec<String>,
}

struct TransitionView {
    at: String,
    actor: String,
    from: StageBadge,
    to: StageBadge,
    gate: String,
    reason: String,
    checklist: Vec<String>,
    note: Option<String>,
}

/// A line of the page's error summary, linking to the form at fault.
struct Problem {
    href: String,
    text: String,
}

struct ExceptionView {
    reason: String,
    approver: String,
    at: String,
}

#[derive(Template)]
#[template(path = "portfolio/proposal.html")]
struct Page {
    chrome: Chrome,
    id: i64,
    version: i64,
    title: String,
    stage: StageBadge,
    notice: Option<String>,
    problems: Vec<Problem>,
    facts: Vec<Fact>,
    problem: Option<String>,
    benefits: Option<String>,
    objectives: Vec<NodeLink>,
    initiative: Option<NodeLink>,
    exception: Option<ExceptionView>,
    costs: Vec<CostView>,
    cost_total: String,
    effort: Vec<EffortView>,
    effort_total: u64,
    links: Vec<LinkView>,
    criteria_names: Vec<String>,
    reviewers: Vec<ReviewerRow>,
    criteria: Vec<CriterionRow>,
    arithmetic: Option<String>,
    score: String,
    percent: String,
    scored: String,
    can_edit: bool,
    score_form: Vec<ScoreField>,
    score_error: Option<String>,
    gates: Vec<GateView>,
    grant: bool,
    exception_roles: String,
    exception_reason: String,
    exception_error: Option<String>,
    transitions: Vec<TransitionView>,
}

fn when(t: time::OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02} UTC",
        t.date(),
        t.to_offset(time::UtcOffset::UTC).hour(),
        t.to_offset(time::UtcOffset::UTC).minute()
    )
}

fn kind_label(k: CostKind) -> &'static str {
    match k {
        CostKind::Capital => "Capital",
        CostKind::Operating => "Operating",
    }
}

fn recurrence_label(r: Recurrence) -> &'static str {
    match r {
        Recurrence::OneTime => "One-time",
        Recurrence::Recurring => "Recurring",
    }
}

async fn node_link(app: &App, id: NodeId) -> NodeLink {
    let label = match app.store().get_node(id).await {
        Ok(n) => match &n.code {
            Some(code) => format!("{code} {}", n.title),
            None => n.title.to_string(),
        },
        Err(_) => format!("node {id} (removed)"),
    };
    NodeLink { id: id.0, label }
}

/// The page of proposal `id`, with `fb` from a form sent on it.
async fn build(
    app: &App,
    viewer: &Viewer,
    id: ProposalId,
    fb: &Feedback,
    notice: Option<String>,
) -> Result<Page, PageError> {
    let d = app.proposal_detail(id).await?;
    let p = &d.proposal;
    let settings = app.governance_settings(p.draft.organization_id).await?;
    let config: &GovernanceConfig = &settings.config;
    let store = app.store();
    let mut facts = Vec::new();
    if let Ok(org) = store.get_organization(p.draft.organization_id).await {
        facts.push(Fact {
            label: "Organization",
            value: org.name.to_string(),
        });
    }
    if let Some(dep) = p.draft.department_id
        && let Ok(dep) = store.get_department(dep).await
    {
        facts.push(Fact {
            label: "Requesting department",
            value: dep.name.to_string(),
        });
    }
    if let Some(person) = p.draft.sponsor_id
        && let Ok(person) = store.get_person(person).await
    {
        facts.push(Fact {
            label: "Sponsor",
            value: person.name.to_string(),
        });
    }
    facts.push(Fact {
        label: "Risk level",
        value: p.draft.risk.as_str().to_owned(),
    });
    let dates = match (p.draft.target_start, p.draft.target_end) {
        (None, None) => "not set".to_owned(),
        (s, e) => format!(
            "{} to {}",
            s.map_or("(open)".to_owned(), |d| d.to_string()),
            e.map_or("(open)".to_owned(), |d| d.to_string())
        ),
    };
    facts.push(Fact {
        label: "Target dates",
        value: dates,
    });
    facts.push(Fact {
        label: "Proposed by",
        value: format!("{} on {}", p.created_by_name, when(p.created_at)),
    });
    if let Some(at) = p.submitted_at {
        facts.push(Fact {
            label: "Submitted",
            value: when(at),
        });
    }
    let mut objectives = Vec::new();
    for o in &p.draft.objectives {
        objectives.push(node_link(app, *o).await);
    }
    let initiative = match p.node_id {
        Some(n) => Some(node_link(app, n).await),
        None => None,
    };
    let costs: Vec<CostView> = p
        .draft
        .costs
        .iter()
        .map(|c| CostView {
            year: c.fiscal_year,
            kind: kind_label(c.kind),
            recurrence: recurrence_label(c.recurrence),
            amount: c.amount.to_string(),
        })
        .collect();
    let cost_total: Money = p.draft.costs.iter().map(|c| c.amount).sum();

    // Each reviewer's scores, one column per criterion.
    let mut reviewers: Vec<ReviewerRow> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    for s in &d.scores {
        if !order.contains(&s.reviewer_name) {
            order.push(s.reviewer_name.clone());
        }
    }
    for name in &order {
        let mine: Vec<_> = d
            .scores
            .iter()
            .filter(|s| &s.reviewer_name == name)
            .collect();
        reviewers.push(ReviewerRow {
            name: name.clone(),
            cells: config
                .criteria
                .iter()
                .map(|c| {
                    mine.iter()
                        .find(|s| s.criterion == c.key)
                        .map_or("–".to_owned(), |s| s.score.to_string())
                })
                .collect(),
            comments: mine
                .iter()
                .filter_map(|s| {
                    let c = s.comment.as_ref()?;
                    let name = config
                        .criterion(s.criterion.as_str())
                        .map_or(s.criterion.to_string(), |c| c.name.to_string());
                    Some(format!("{name}: {c}"))
                })
                .collect(),
        });
    }
    let sum = &d.summary;
    let criteria: Vec<CriterionRow> = sum
        .criteria
        .iter()
        .map(|c| CriterionRow {
            name: c.name.to_string(),
            weight: c.weight,
            count: c.count,
            mean: c
                .mean
                .map_or("not scored".to_owned(), |m| format!("{m:.2}")),
            product: c.mean.map_or("–".to_owned(), |m| {
                format!("{:.2}", f64::from(c.weight) * m)
            }),
        })
        .collect();
    let scored: Vec<_> = sum.criteria.iter().filter(|c| c.mean.is_some()).collect();
    let arithmetic = sum.score.map(|score| {
        let terms: Vec<String> = scored
            .iter()
            .map(|c| format!("{} × {:.2}", c.weight, c.mean.unwrap_or_default()))
            .collect();
        let weights: Vec<String> = scored.iter().map(|c| c.weight.to_string()).collect();
        let top: f64 = scored
            .iter()
            .map(|c| f64::from(c.weight) * c.mean.unwrap_or_default())
            .sum();
        let bottom: u32 = scored.iter().map(|c| c.weight).sum();
        format!(
            "({}) ÷ ({}) = {top:.2} ÷ {bottom} = {score:.2}",
            terms.join(" + "),
            weights.join(" + ")
        )
    });

    let user = &viewer.0.user;
    let acts = viewer.may(app, Need::Intake).await;
    let scores = !p.is_draft() && viewer.may(app, Need::Review).await;
    let score_form = if scores {
        config
            .criteria
            .iter()
            .map(|c| {
                let field = format!("score-{}", c.key);
                let mine = d
                    .scores
                    .iter()
                    .find(|s| s.reviewer_id == Some(user.id) && s.criterion == c.key);
                let chosen: Option<u8> = match fb.one(&field) {
                    Some(v) => v.parse().ok(),
                    None if fb.typed.is_empty() => mine.map(|s| s.score),
                    None => None,
                };
                let comment_field = format!("comment-{}", c.key);
                let comment = match fb.one(&comment_field) {
                    Some(v) => v.to_owned(),
                    None => mine.and_then(|s| s.comment.clone()).unwrap_or_default(),
                };
                ScoreField {
                    key: c.key.to_string(),
                    name: c.name.to_string(),
                    weight: c.weight,
                    choices: c
                        .guidance
                        .iter()
                        .enumerate()
                        .map(|(i, g)| {
                            let value = u8::try_from(i + 1).unwrap_or(5);
                            ScoreChoice {
                                value,
                                guidance: g.clone(),
                                checked: chosen == Some(value),
                            }
                        })
                        .collect(),
                    comment,
                    error: fb.errors.get(&field).map(str::to_owned),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let posted_to = fb.one("to").unwrap_or_default();
    let gates = d
        .next_gates
        .iter()
        .map(|g| {
            let mine = posted_to == g.to.as_str();
            let ticked = fb.all("checklist");
            GateView {
                name: g.name.to_string(),
                to: g.to.to_string(),
                to_label: StageBadge::of(config, g.to.as_str()).label,
                allowed: acts && g.roles.contains(&user.role),
                roles: roles_in_words(&g.roles),
                checklist: g
                    .checklist
                    .iter()
                    .enumerate()
                    .map(|(i, text)| ChecklistBox {
                        n: i + 1,
                        text: text.clone(),
                        checked: mine && ticked.contains(text),
                    })
                    .collect(),
                reason: if mine {
                    fb.one("reason").unwrap_or_default().to_owned()
                } else {
                    String::new()
                },
                reason_error: mine
                    .then(|| fb.errors.get("reason").map(str::to_owned))
                    .flatten(),
                checklist_error: mine
                    .then(|| fb.errors.get("checklist").map(str::to_owned))
                    .flatten(),
                general: if mine {
                    fb.errors
                        .cells()
                        .filter(|(f, _)| *f == "to")
                        .map(|(_, m)| m.to_owned())
                        .chain(fb.errors.general_messages().iter().cloned())
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let grant = acts && p.exception.is_none() && config.exception_roles.contains(&user.role);
    let transitions = d
        .transitions
        .iter()
        .map(|t| TransitionView {
            at: when(t.at),
            actor: t.actor_name.clone(),
            from: StageBadge::of(config, t.from.as_str()),
            to: StageBadge::of(config, t.to.as_str()),
            gate: t.gate.clone(),
            reason: t.reason.to_string(),
            checklist: t.checklist.clone(),
            note: t.note.clone(),
        })
        .collect();
    let exception_form = fb.one("form") == Some("exception");
    let score_posted = fb.one("form") == Some("score");
    let mut problems: Vec<Problem> = Vec::new();
    if !fb.errors.is_empty() {
        let first = fb
            .errors
            .cells()
            .map(|(_, m)| m.to_owned())
            .chain(fb.errors.general_messages().iter().cloned())
            .next()
            .unwrap_or_default();
        let (href, what) = match fb.one("form") {
            Some("score") => ("#score-form-title".to_owned(), "Your scores were not saved"),
            Some("exception") => (
                "#exception-title".to_owned(),
                "The exception was not granted",
            ),
            _ => (
                format!("#gate-{posted_to}-title"),
                "The proposal did not move",
            ),
        };
        problems.push(Problem {
            href,
            text: format!("{what}: {first}"),
        });
    }
    Ok(Page {
        chrome: Chrome::new(viewer),
        id: p.id.0,
        version: d.version,
        title: p.draft.title.to_string(),
        stage: StageBadge::of(config, p.stage.as_str()),
        notice,
        problems,
        facts,
        problem: p.draft.problem.as_ref().map(ToString::to_string),
        benefits: p.draft.benefits.as_ref().map(ToString::to_string),
        objectives,
        initiative,
        exception: p.exception.as_ref().map(|e| ExceptionView {
            reason: e.reason.to_string(),
            approver: e.approver_name.to_string(),
            at: when(e.granted_at),
        }),
        costs,
        cost_total: cost_total.to_string(),
        effort: p
            .draft
            .effort
            .iter()
            .map(|e| EffortView {
                role: e.role.to_string(),
                month: e.month.to_string(),
                hours: e.hours,
            })
            .collect(),
        effort_total: p.draft.effort.iter().map(|e| u64::from(e.hours)).sum(),
        links: p
            .draft
            .links
            .iter()
            .map(|l| LinkView {
                url: l.url.to_string(),
                label: l
                    .label
                    .as_ref()
                    .map_or_else(|| l.url.to_string(), ToString::to_string),
            })
            .collect(),
        criteria_names: config.criteria.iter().map(|c| c.name.to_string()).collect(),
        reviewers,
        criteria,
        arithmetic,
        score: score_text(sum.score),
        percent: sum.percent.map_or("–".to_owned(), |p| format!("{p:.1} %")),
        scored: format!(
            "{} of {} criteria scored",
            sum.criteria_scored, sum.criteria_total
        ),
        can_edit: p.is_draft() && acts && may_edit(viewer, p),
        score_form,
        score_error: score_posted
            .then(|| {
                fb.errors
                    .get("score")
                    .map(str::to_owned)
                    .or_else(|| fb.errors.general_messages().first().cloned())
            })
            .flatten(),
        gates,
        grant,
        exception_roles: roles_in_words(&config.exception_roles),
        exception_reason: if exception_form {
            fb.one("reason").unwrap_or_default().to_owned()
        } else {
            String::new()
        },
        exception_error: exception_form
            .then(|| {
                fb.errors
                    .get("reason")
                    .map(str::to_owned)
                    .or_else(|| fb.errors.general_messages().first().cloned())
            })
            .flatten(),
        transitions,
    })
}

/// What `?saved=` says happened.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Saved {
    saved: String,
}

/// The proposal's page.
pub(super) async fn show(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let notice = match q.saved.as_str() {
        "draft" => Some("The draft is saved.".to_owned()),
        "submitted" => Some("The proposal is submitted for review.".to_owned()),
        "scores" => Some("Your scores are saved.".to_owned()),
        "gate" => Some("The proposal moved.".to_owned()),
        "exception" => Some("The exception is granted.".to_owned()),
        _ => None,
    };
    let page = build(&app, &viewer, ProposalId(id), &Feedback::default(), notice).await?;
    Ok(respond(StatusCode::OK, &page))
}

/// The page again, with what went wrong in the form sent; a refusal the
/// page cannot place beside a field is the page's error.
async fn again(
    app: &App,
    viewer: &Viewer,
    id: ProposalId,
    fb: Feedback,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = build(app, viewer, id, &fb, None).await?;
    Ok(respond(status, &page))
}

/// Notes a refusal of the services in `fb`; returns the status to answer.
fn note(fb: &mut Feedback, err: ServiceError) -> Result<StatusCode, PageError> {
    let status = match &err {
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::Stale { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match err {
        ServiceError::Forbidden(m) => fb.errors.add_general(m),
        ServiceError::Stale { .. } => fb
            .errors
            .add_general("someone changed this proposal meanwhile; the page now shows it as it is"),
        other => fb.errors.add_service_error(other, |f| match f {
            "score" | "criterion" | "comment" | "stage" => Some("score"),
            "reason" => Some("reason"),
            "checklist" => Some("checklist"),
            "to" => Some("to"),
            _ => None,
        })?,
    }
    Ok(status)
}

/// Records the viewer's scores of every criterion chosen.
pub(super) async fn score(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pid = ProposalId(id);
    let mut fb = Feedback::of(&pairs);
    fb.typed.insert("form".into(), vec!["score".into()]);
    let proposal = app.proposal(pid).await?.value;
    let config = app
        .governance_settings(proposal.draft.organization_id)
        .await?
        .config;
    // Read the whole sheet first, then store it in one go: all or nothing.
    let mut sheet: Vec<(String, u8, Option<String>)> = Vec::new();
    for c in &config.criteria {
        let Some(raw) = fb.one(&format!("score-{}", c.key)).map(str::to_owned) else {
            continue;
        };
        let Ok(value) = raw.parse::<u8>() else {
            fb.errors
                .add(&format!("score-{}", c.key), "choose a score from 1 to 5");
            continue;
        };
        let comment = fb.one(&format!("comment-{}", c.key)).map(str::to_owned);
        sheet.push((c.key.to_string(), value, comment));
    }
    let any = !sheet.is_empty();
    if any && fb.errors.is_empty() {
        let entries: Vec<ScoreEntry<'_>> = sheet
            .iter()
            .map(|(criterion, score, comment)| ScoreEntry {
                criterion,
                score: *score,
                comment: comment.as_deref(),
            })
            .collect();
        if let Err(err) = app
            .score_proposal_sheet(&viewer.0.user, pid, &entries)
            .await
        {
            let err = match err {
                ServiceError::Invalid(v) => ServiceError::Invalid(sheet_field(v, &sheet)),
                other => other,
            };
            let status = note(&mut fb, err)?;
            return again(&app, &viewer, pid, fb, status).await;
        }
    }
    if !any && fb.errors.is_empty() {
        fb.errors
            .add("score", "choose a score for at least one criterion");
    }
    if !fb.errors.is_empty() {
        return again(&app, &viewer, pid, fb, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    Ok(Redirect::to(&format!("/proposals/{id}?saved=scores#scores")).into_response())
}

/// Passes the gate to the stage the form names.
pub(super) async fn gate(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pid = ProposalId(id);
    let mut fb = Feedback::of(&pairs);
    fb.typed.insert("form".into(), vec!["gate".into()]);
    let version: i64 = fb.one("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let to = fb.one("to").unwrap_or_default().to_owned();
    let reason = fb.one("reason").unwrap_or_default().to_owned();
    let checklist = fb.all("checklist").to_vec();
    if reason.trim().is_empty() {
        fb.errors.add("reason", "say why the proposal moves");
        return again(&app, &viewer, pid, fb, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match app
        .pass_gate(&viewer.0.user, pid, version, &to, &reason, &checklist)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{id}?saved=gate#history")).into_response()),
        Err(err) => {
            let status = note(&mut fb, err)?;
            again(&app, &viewer, pid, fb, status).await
        }
    }
}

/// Grants the proposal an exception to the tie rule.
pub(super) async fn exception(
    State(app): State<App>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pid = ProposalId(id);
    let mut fb = Feedback::of(&pairs);
    fb.typed.insert("form".into(), vec!["exception".into()]);
    let version: i64 = fb.one("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let reason = fb.one("reason").unwrap_or_default().to_owned();
    if reason.trim().is_empty() {
        fb.errors
            .add("reason", "say why the proposal may go ahead without a tie");
        return again(&app, &viewer, pid, fb, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match app
        .grant_exception(&viewer.0.user, pid, version, &reason)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{id}?saved=exception")).into_response()),
        Err(err) => {
            let status = note(&mut fb, err)?;
            again(&app, &viewer, pid, fb, status).await
        }
    }
}

/// A fault on the `i`th entry of a score sheet (`scores[i].comment`), named
/// by the form's field for that criterion (`comment-value`).
fn sheet_field(
    v: lodestar_domain::ValidationError,
    sheet: &[(String, u8, Option<String>)],
) -> lodestar_domain::ValidationError {
    let parsed = v.field.strip_prefix("scores[").and_then(|rest| {
        let (i, part) = rest.split_once("].")?;
        Some((i.parse::<usize>().ok()?, part))
    });
    match parsed {
        Some((i, part)) if i < sheet.len() => {
            let prefix = if part == "comment" {
                "comment"
            } else {
                "score"
            };
            lodestar_domain::ValidationError::new(format!("{prefix}-{}", sheet[i].0), v.message)
        }
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::sheet_field;
    use lodestar_domain::ValidationError;

    #[test]
    fn a_fault_on_a_sheet_entry_lands_beside_its_criterion() {
        let sheet = vec![
            ("value".to_owned(), 4, None),
            ("risk".to_owned(), 3, Some("long".to_owned())),
        ];
        let moved = |field: &str| sheet_field(ValidationError::new(field, "wrong"), &sheet).field;
        assert_eq!(moved("scores[1].comment"), "comment-risk");
        assert_eq!(moved("scores[0].score"), "score-value");
        assert_eq!(moved("scores[7].score"), "scores[7].score");
        assert_eq!(moved("stage"), "stage");
    }
}
