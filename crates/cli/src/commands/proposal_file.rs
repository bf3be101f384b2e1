//! The proposal file `lodestar proposal add` reads (YAML or JSON; see
//! docs/portfolio.md): a proposal written with names where the API takes
//! ids (the plan by key, objectives by code, the department and sponsor by
//! name, amounts in dollars), turned into a [`ProposalDraft`] with every
//! problem named by its field.

use crate::error::{CliError, CliResult};
use lodestar_domain::portfolio::{
    CostKind, CostLine, EffortLine, Money, ProposalDraft, Recurrence, RiskLevel,
};
use lodestar_domain::{
    CalendarDate, Code, Link, LongText, Name, NodeId, OrganizationId, ValidationError,
};
use lodestar_services::{App, ServiceError};
use serde::Deserialize;

/// A proposal as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalFile {
    /// The plan it is meant for (key or id); objectives' codes are looked up in it.
    #[serde(default)]
    pub plan: Option<String>,
    /// The organization asking (name or id); the plan's when left out.
    #[serde(default)]
    pub organization: Option<String>,
    /// A short title.
    pub title: Name,
    /// The requesting department, by name.
    #[serde(default)]
    pub department: Option<String>,
    /// The sponsor, by name.
    #[serde(default)]
    pub sponsor: Option<String>,
    /// The problem it solves.
    #[serde(default)]
    pub problem: Option<LongText>,
    /// The benefits expected.
    #[serde(default)]
    pub benefits: Option<LongText>,
    /// low, medium, high or critical.
    pub risk: RiskLevel,
    /// When the work should start.
    #[serde(default)]
    pub target_start: Option<CalendarDate>,
    /// When it should be done.
    #[serde(default)]
    pub target_end: Option<CalendarDate>,
    /// Attachments: `{url, label}`.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Costs per fiscal year.
    #[serde(default)]
    pub costs: Vec<CostInFile>,
    /// Staff hours per role per month: `{role, month, hours}`.
    #[serde(default)]
    pub effort: Vec<EffortLine>,
    /// The objectives it serves: codes in `plan` (`"1.2"`), `PLAN:CODE`, or node ids.
    #[serde(default)]
    pub objectives: Vec<Reference>,
}

/// A cost line with its amount in dollars.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostInFile {
    /// The fiscal year (`2026`).
    pub fiscal_year: i32,
    /// capital or operating.
    pub kind: CostKind,
    /// one-time (the default) or recurring.
    #[serde(default = "one_time")]
    pub recurrence: Recurrence,
    /// Dollars: `120000`, `1234.56` or `"$1,234.56"`.
    pub amount: Reference,
}

fn one_time() -> Recurrence {
    Recurrence::OneTime
}

/// A number or a string, as YAML lets people write either.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Reference {
    /// Written as a whole number.
    Integer(i64),
    /// Written as a decimal number.
    Number(f64),
    /// Written as text.
    Text(String),
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Integer(n) => write!(f, "{n}"),
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(t) => f.write_str(t),
        }
    }
}

/// Reads a proposal file: a syntax error names its line and column.
pub fn parse(source_name: &str, text: &str) -> CliResult<ProposalFile> {
    let text = text.trim_start_matches('\u{feff}');
    let json =
        source_name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{');
    let located = |line: u64, column: u64, message: String| {
        CliError::failed(format!(
            "{source_name}:{line}:{column}: {message}; nothing was stored"
        ))
    };
    if json {
        serde_json::from_str(text).map_err(|e| {
            let m = e.to_string();
            let m = m
                .rfind(" at line ")
                .map_or(m.clone(), |i| m[..i].to_owned());
            located(e.line() as u64, e.column() as u64, m)
        })
    } else {
        serde_saphyr::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let display = e.to_string();
            let first = display.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            let message = first
                .strip_prefix("line ")
                .and_then(|rest| rest.split_once(": "))
                .map_or(first, |(_, m)| m);
            located(line, column, message.to_owned())
        })
    }
}

/// Resolves the file's names into a draft; every problem is collected and
/// reported with the file and field.
pub async fn resolve(app: &App, source_name: &str, file: ProposalFile) -> CliResult<ProposalDraft> {
    let mut errors = Vec::new();
    let plan = match &file.plan {
        Some(p) => match app.resolve_plan(p).await {
            Ok(plan) => Some(plan),
            Err(e) => {
                errors.push(ValidationError::new("plan", e.to_string()));
                None
            }
        },
        None => None,
    };
    let organization = match (&file.organization, &plan) {
        (Some(raw), _) => match super::portfolio::find_organization(app, raw).await {
            Ok(o) => Some(o),
            Err(e) => {
                errors.push(ValidationError::new("organization", e.to_string()));
                None
            }
        },
        (None, Some(plan)) => Some(plan.organization_id),
        (None, None) => {
            errors.push(ValidationError::new(
                "organization",
                "name the organization, or the plan the proposal is meant for",
            ));
            None
        }
    };
    let org = organization.unwrap_or(OrganizationId(0));
    let store = app.store();
    let mut department_id = None;
    if let (Some(name), Some(_)) = (&file.department, organization) {
        let all = store
            .list_departments(Some(org))
            .await
            .map_err(ServiceError::from)?;
        match all
            .iter()
            .find(|d| d.name.as_str().eq_ignore_ascii_case(name.trim()))
        {
            Some(d) => department_id = Some(d.id),
            None => errors.push(ValidationError::new(
                "department",
                format!("the organization has no department {name:?}"),
            )),
        }
    }
    let mut sponsor_id = None;
    if let (Some(name), Some(_)) = (&file.sponsor, organization) {
        let all = store
            .list_people(Some(org))
            .await
            .map_err(ServiceError::from)?;
        match all
            .iter()
            .find(|p| p.name.as_str().eq_ignore_ascii_case(name.trim()))
        {
            Some(p) => sponsor_id = Some(p.id),
            None => errors.push(ValidationError::new(
                "sponsor",
                format!("the organization has no person {name:?}"),
            )),
        }
    }
    let mut costs = Vec::new();
    for (i, c) in file.costs.iter().enumerate() {
        match c.amount.to_string().parse::<Money>() {
            Ok(amount) => costs.push(CostLine {
                fiscal_year: c.fiscal_year,
                kind: c.kind,
                recurrence: c.recurrence,
                amount,
            }),
            Err(m) => errors.push(ValidationError::new(format!("costs[{i}].amount"), m)),
        }
    }
    let mut objectives = Vec::new();
    for (i, o) in file.objectives.iter().enumerate() {
        match objective(app, plan.as_ref(), o).await {
            Ok(id) => objectives.push(id),
            Err(m) => errors.push(ValidationError::new(format!("objectives[{i}]"), m)),
        }
    }
    if !errors.is_empty() {
        return Err(invalid(source_name, errors));
    }
    Ok(ProposalDraft {
        organization_id: org,
        plan_id: plan.map(|p| p.id),
        title: file.title,
        department_id,
        sponsor_id,
        problem: file.problem,
        benefits: file.benefits,
        risk: file.risk,
        target_start: file.target_start,
        target_end: file.target_end,
        links: file.links,
        costs,
        effort: file.effort,
        objectives,
    })
}

/// A node named by id, by code in the file's plan, or as `PLAN:CODE`.
async fn objective(
    app: &App,
    plan: Option<&lodestar_domain::Plan>,
    raw: &Reference,
) -> Result<NodeId, String> {
    if let Reference::Integer(id) = raw {
        return Ok(NodeId(*id));
    }
    let text = raw.to_string();
    let (plan_id, plan_key, code) = match text.rsplit_once(':') {
        Some((p, code)) => {
            let plan = app.resolve_plan(p).await.map_err(|e| e.to_string())?;
            (plan.id, plan.key.to_string(), code.to_owned())
        }
        None => match plan {
            Some(plan) => (plan.id, plan.key.to_string(), text.clone()),
            None => {
                return Err(format!(
                    "{text:?} is a code, but the file names no plan; add `plan:` or write PLAN:CODE"
                ));
            }
        },
    };
    let code = Code::parse(&code).map_err(|m| format!("{code:?}: {m}"))?;
    app.store()
        .find_node_by_code(plan_id, &code)
        .await
        .map_err(|e| e.to_string())?
        .map(|n| n.id)
        .ok_or_else(|| format!("plan {plan_key} has no node {code}"))
}

/// The file's problems, each with the file and field.
pub fn invalid(source_name: &str, errors: Vec<ValidationError>) -> CliError {
    CliError::InvalidFile {
        source_name: source_name.to_owned(),
        kind: "proposal file",
        errors,
    }
}

/// A validation error of the draft, named as the file names the field.
pub fn file_field(e: ValidationError) -> ValidationError {
    let field = [
        ("organization_id", "organization"),
        ("plan_id", "plan"),
        ("department_id", "department"),
        ("sponsor_id", "sponsor"),
    ]
    .iter()
    .find(|(api, _)| e.field == *api)
    .map_or(e.field.clone(), |(_, file)| (*file).to_owned());
    ValidationError::new(field, e.message)
}
