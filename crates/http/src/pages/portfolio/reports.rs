//! The portfolio's lists and reports: `/proposals` (filtered by stage),
//! `/proposals/exceptions`, `/portfolio` (the ranking and its cut line),
//! `/capacity` (demand against capacity per role and month, as a chart and
//! a table) and `/budget` (committed costs by goal, objective and fiscal
//! year against the budgets).

use super::{OrgChoice, StageBadge, organizations, score_text};
use crate::pages::error::render;
use crate::pages::forms::respond;
use crate::pages::{Chrome, PageError, Viewer, kept};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, Response};
use lodestar_domain::portfolio::{
    GovernanceConfig, Money, Proposal, ReviewerScore, YearMonth, summarize,
};
use lodestar_domain::{OrganizationId, ProposalId};
use lodestar_services::App;
use lodestar_services::authz::Need;
use serde::Deserialize;
use std::collections::HashMap;

/// The configurations of the organizations met, loaded once each.
struct Configs<'a> {
    app: &'a App,
    loaded: HashMap<OrganizationId, GovernanceConfig>,
}

impl<'a> Configs<'a> {
    fn new(app: &'a App) -> Self {
        Self {
            app,
            loaded: HashMap::new(),
        }
    }

    async fn of(&mut self, org: OrganizationId) -> Result<&GovernanceConfig, PageError> {
        if !self.loaded.contains_key(&org) {
            let config = self.app.governance_settings(org).await?.config;
            self.loaded.insert(org, config);
        }
        Ok(&self.loaded[&org])
    }
}

struct ProposalRow {
    id: i64,
    title: String,
    stage: StageBadge,
    score: String,
    cost: String,
    hours: u64,
    submitted: String,
}

#[derive(Template)]
#[template(path = "portfolio/proposals.html")]
struct ProposalsPage {
    chrome: Chrome,
    can_propose: bool,
    stage: String,
    stages: Vec<(String, String)>,
    stage_error: Option<String>,
    rows: Vec<ProposalRow>,
}

/// `?stage=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StageFilter {
    stage: String,
}

fn cost_of(p: &Proposal) -> Money {
    p.draft.costs.iter().map(|c| c.amount).sum()
}

fn hours_of(p: &Proposal) -> u64 {
    p.draft.effort.iter().map(|e| u64::from(e.hours)).sum()
}

/// Every proposal, with its stage and score, filtered by stage. The scores
/// of all proposals are read at once (one query, not one per proposal).
pub(super) async fn proposals(
    State(app): State<App>,
    viewer: Viewer,
    Query(q): Query<StageFilter>,
) -> Result<Response, PageError> {
    let mut configs = Configs::new(&app);
    let mut stages: Vec<(String, String)> = vec![("draft".to_owned(), "Draft".to_owned())];
    let proposals = app.list_proposals(None).await?;
    for org in app
        .store()
        .list_organizations()
        .await
        .map_err(lodestar_services::ServiceError::from)?
    {
        for s in &configs.of(org.id).await?.stages {
            if !stages.iter().any(|(k, _)| k == s.key.as_str()) {
                stages.push((s.key.to_string(), s.name.to_string()));
            }
        }
    }
    let wanted = q.stage.trim().to_owned();
    let stage_error =
        (!wanted.is_empty() && !stages.iter().any(|(k, _)| *k == wanted)).then(|| {
            let keys: Vec<&str> = stages.iter().map(|(k, _)| k.as_str()).collect();
            format!(
                "There is no stage {wanted:?}; choose one of: {}",
                keys.join(", ")
            )
        });
    let mut scores: HashMap<ProposalId, Vec<ReviewerScore>> = HashMap::new();
    for (p, s) in app
        .store()
        .proposal_scores(None, None)
        .await
        .map_err(lodestar_services::ServiceError::from)?
    {
        scores.entry(p).or_default().push(s);
    }
    let mut rows = Vec::new();
    for v in proposals.iter().rev() {
        let p = &v.value;
        if stage_error.is_none() && !wanted.is_empty() && p.stage.as_str() != wanted {
            continue;
        }
        let config = configs.of(p.draft.organization_id).await?;
        let summary = if p.is_draft() {
            None
        } else {
            let mine = scores.get(&p.id).map_or(&[][..], Vec::as_slice);
            summarize(config, mine).score
        };
        rows.push(ProposalRow {
            id: p.id.0,
            title: p.draft.title.to_string(),
            stage: StageBadge::of(config, p.stage.as_str()),
            score: score_text(summary),
            cost: cost_of(p).to_string(),
            hours: hours_of(p),
            submitted: p
                .submitted_at
                .map(|t| t.date().to_string())
                .unwrap_or_else(|| "—".to_owned()),
        });
    }
    let status = if stage_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = ProposalsPage {
        chrome: Chrome::new(&viewer),
        can_propose: viewer.may(&app, Need::Intake).await,
        stage: wanted,
        stages,
        stage_error,
        rows,
    };
    Ok(respond(status, &page))
}

struct ExceptionRow {
    id: i64,
    title: String,
    stage: StageBadge,
    tied: bool,
    reason: String,
    approver: String,
    at: String,
}

#[derive(Template)]
#[template(path = "portfolio/exceptions.html")]
struct ExceptionsPage {
    chrome: Chrome,
    rows: Vec<ExceptionRow>,
}

/// Every proposal that carries an exception to the tie rule.
pub(super) async fn exceptions(
    State(app): State<App>,
    viewer: Viewer,
) -> Result<Html<String>, PageError> {
    let mut configs = Configs::new(&app);
    let mut rows = Vec::new();
    for e in app.exceptions_report(None).await? {
        let config = configs.of(e.organization_id).await?;
        rows.push(ExceptionRow {
            id: e.proposal_id.0,
            title: e.title.to_string(),
            stage: StageBadge::of(config, e.stage.as_str()),
            tied: e.tied,
            reason: e.exception.reason.to_string(),
            approver: e.exception.approver_name.to_string(),
            at: e.exception.granted_at.date().to_string(),
        });
    }
    render(&ExceptionsPage {
        chrome: Chrome::new(&viewer),
        rows,
    })
}

/// `?organization=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OrgQuery {
    organization: Option<i64>,
}

struct RankedRow {
    rank: usize,
    id: i64,
    title: String,
    stage: StageBadge,
    score: String,
    scored: String,
    cost: String,
    hours: u64,
    fits: bool,
    reason: String,
    /// Whether the cut line is drawn just above this row.
    cut_above: bool,
}

struct CommittedRow {
    id: i64,
    title: String,
    stage: StageBadge,
    cost: String,
    hours: u64,
}

#[derive(Template)]
#[template(path = "portfolio/ranking.html")]
struct RankingPage {
    organizations: Vec<OrgChoice>,
    organization: String,
    committed: Vec<CommittedRow>,
    ranked: Vec<RankedRow>,
    fitting: usize,
    others: usize,
}

/// The ranked portfolio of one organization and its cut line. The same for
/// every viewer, so it is kept ([`kept::page`]) until the data changes: with
/// thousands of proposals the ranking is the costliest page of the portfolio.
pub(super) async fn portfolio(
    State(app): State<App>,
    viewer: Viewer,
    Query(q): Query<OrgQuery>,
) -> Result<Response, PageError> {
    let key = format!("portfolio ranking {:?}", q.organization);
    kept::page(&app, &key, |_| Chrome::new(&viewer), ranking(&app, q)).await
}

/// The ranking's content for the organization asked for (the first with proposals if none).
async fn ranking(app: &App, q: OrgQuery) -> Result<kept::Content, PageError> {
    let (organizations, chosen) = organizations(app, q.organization).await?;
    let Some(org) = chosen else {
        return Err(PageError::not_found("there is no organization yet"));
    };
    let config = app.governance_settings(org.id).await?.config;
    let portfolio = app.portfolio(org.id).await?;
    let first_out = portfolio.ranked.iter().position(|r| !r.entry.fits);
    let ranked = portfolio
        .ranked
        .iter()
        .enumerate()
        .map(|(i, r)| RankedRow {
            rank: r.entry.rank,
            id: r.proposal.id.0,
            title: r.proposal.draft.title.to_string(),
            stage: StageBadge::of(&config, r.proposal.stage.as_str()),
            score: score_text(r.summary.score),
            scored: format!(
                "{} of {}",
                r.summary.criteria_scored, r.summary.criteria_total
            ),
            cost: cost_of(&r.proposal).to_string(),
            hours: hours_of(&r.proposal),
            fits: r.entry.fits,
            reason: r.entry.reason.clone(),
            cut_above: first_out == Some(i),
        })
        .collect::<Vec<_>>();
    let fitting = ranked.iter().filter(|r| r.fits).count();
    let organization = org.name.to_string();
    let body = RankingPage {
        organizations,
        organization: organization.clone(),
        committed: portfolio
            .committed
            .iter()
            .map(|p| CommittedRow {
                id: p.id.0,
                title: p.draft.title.to_string(),
                stage: StageBadge::of(&config, p.stage.as_str()),
                cost: cost_of(p).to_string(),
                hours: hours_of(p),
            })
            .collect(),
        ranked,
        fitting,
        others: portfolio.others.len(),
    }
    .render()?;
    let title = format!("Portfolio ranking: {organization}");
    Ok(kept::Content::new(
        StatusCode::OK,
        title,
        organization,
        body,
    ))
}

/// `?organization=&from=&to=`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CapacityQuery {
    organization: Option<i64>,
    from: String,
    to: String,
}

/// One month of a role's chart and table.
struct MonthView {
    month: String,
    /// The month alone (`03`), under its bars.
    short: String,
    capacity: u64,
    recorded: bool,
    demand: u64,
    free: i64,
    over: bool,
    /// Where its bars start.
    x: u32,
    /// The capacity bar's top and height.
    cap_y: u32,
    cap_h: u32,
    /// The demand bar's top and height.
    dem_y: u32,
    dem_h: u32,
}

struct RoleView {
    role: String,
    slug: String,
    months: Vec<MonthView>,
    over: usize,
    width: u32,
    max: u64,
}

#[derive(Template)]
#[template(path = "portfolio/capacity.html")]
struct CapacityPage {
    chrome: Chrome,
    organizations: Vec<OrgChoice>,
    organization: String,
    from: String,
    to: String,
    from_error: Option<String>,
    to_error: Option<String>,
    roles: Vec<RoleView>,
    chart_height: u32,
    base_y: u32,
}

const CHART_HEIGHT: u32 = 170;
const BAR_AREA: u32 = 130;
const MONTH_WIDTH: u32 = 28;

/// Demand against capacity per role and month, over-allocated months marked.
pub(super) async fn capacity(
    State(app): State<App>,
    viewer: Viewer,
    Query(q): Query<CapacityQuery>,
) -> Result<Response, PageError> {
    let (organizations, chosen) = organizations(&app, q.organization).await?;
    let Some(org) = chosen else {
        return Err(PageError::not_found("there is no organization yet"));
    };
    let year = app.today().year();
    let default_from = YearMonth::new(year, 1)
        .map_err(|m| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, m))?;
    let default_to = YearMonth::new(year + 1, 12)
        .map_err(|m| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, m))?;
    let (mut from_error, mut to_error) = (None, None);
    let read = |raw: &str, default: YearMonth, error: &mut Option<String>| {
        if raw.trim().is_empty() {
            return default;
        }
        raw.trim().parse::<YearMonth>().unwrap_or_else(|m| {
            *error = Some(m);
            default
        })
    };
    let from = read(&q.from, default_from, &mut from_error);
    let to = read(&q.to, default_to, &mut to_error);
    let rows = if from_error.is_none() && to_error.is_none() {
        match app.capacity_report(org.id, from, to).await {
            Ok(rows) => rows,
            Err(lodestar_services::ServiceError::Invalid(e)) => {
                if e.field == "from" {
                    from_error = Some(e.message);
                } else {
                    to_error = Some(e.message);
                }
                Vec::new()
            }
            Err(other) => return Err(other.into()),
        }
    } else {
        Vec::new()
    };
    let mut roles: Vec<RoleView> = Vec::new();
    for r in rows {
        if roles.last().is_none_or(|v| v.role != r.role.as_str()) {
            roles.push(RoleView {
                role: r.role.to_string(),
                slug: r.role.to_string(),
                months: Vec::new(),
                over: 0,
                width: 0,
                max: 0,
            });
        }
        let view = roles.last_mut().expect("pushed above");
        view.over += usize::from(r.over_allocated);
        view.months.push(MonthView {
            month: r.month.to_string(),
            short: format!("{:02}", r.month.month()),
            capacity: r.capacity,
            recorded: r.recorded,
            demand: r.demand,
            free: r.free,
            over: r.over_allocated,
            x: 0,
            cap_y: 0,
            cap_h: 0,
            dem_y: 0,
            dem_h: 0,
        });
    }
    let base_y = BAR_AREA + 18;
    for role in &mut roles {
        let max = role
            .months
            .iter()
            .map(|m| m.capacity.max(m.demand))
            .max()
            .unwrap_or(0)
            .max(1);
        role.max = max;
        let scale = |v: u64| u32::try_from(v * u64::from(BAR_AREA) / max).unwrap_or(BAR_AREA);
        for (i, m) in role.months.iter_mut().enumerate() {
            m.x = u32::try_from(i).unwrap_or(0) * MONTH_WIDTH + 4;
            m.cap_h = scale(m.capacity);
            m.cap_y = base_y - m.cap_h;
            m.dem_h = scale(m.demand);
            m.dem_y = base_y - m.dem_h;
        }
        role.width = u32::try_from(role.months.len()).unwrap_or(0) * MONTH_WIDTH + 8;
    }
    let bad = from_error.is_some() || to_error.is_some();
    let page = CapacityPage {
        chrome: Chrome::new(&viewer),
        organizations,
        organization: org.name.to_string(),
        from: if q.from.trim().is_empty() {
            from.to_string()
        } else {
            q.from.clone()
        },
        to: if q.to.trim().is_empty() {
            to.to_string()
        } else {
            q.to.clone()
        },
        from_error,
        to_error,
        roles,
        chart_height: CHART_HEIGHT,
        base_y,
    };
    Ok(respond(
        if bad {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

struct YearView {
    year: i32,
    recorded: bool,
    capital_limit: String,
    capital: String,
    capital_left: String,
    capital_over: bool,
    operating_limit: String,
    operating: String,
    operating_left: String,
    operating_over: bool,
}

struct RollupRow {
    goal: String,
    objective: String,
    year: i32,
    capital: String,
    operating: String,
    first_of_goal: bool,
}

#[derive(Template)]
#[template(path = "portfolio/budget.html")]
struct BudgetPage {
    chrome: Chrome,
    organizations: Vec<OrgChoice>,
    organization: String,
    years: Vec<YearView>,
    rows: Vec<RollupRow>,
}

/// Committed costs by goal, objective and fiscal year, against the budgets.
pub(super) async fn budget(
    State(app): State<App>,
    viewer: Viewer,
    Query(q): Query<OrgQuery>,
) -> Result<Html<String>, PageError> {
    let (organizations, chosen) = organizations(&app, q.organization).await?;
    let Some(org) = chosen else {
        return Err(PageError::not_found("there is no organization yet"));
    };
    let rollup = app.budget_rollup(org.id).await?;
    let years = rollup
        .years
        .iter()
        .map(|y| YearView {
            year: y.fiscal_year,
            recorded: y.limit.is_some(),
            capital_limit: y
                .limit
                .as_ref()
                .map_or(Money::ZERO, |l| l.capital)
                .to_string(),
            capital: y.capital.to_string(),
            capital_left: y.capital_left.to_string(),
            capital_over: y.capital_left < Money::ZERO,
            operating_limit: y
                .limit
                .as_ref()
                .map_or(Money::ZERO, |l| l.operating)
                .to_string(),
            operating: y.operating.to_string(),
            operating_left: y.operating_left.to_string(),
            operating_over: y.operating_left < Money::ZERO,
        })
        .collect();
    let mut last_goal: Option<String> = None;
    let rows = rollup
        .rows
        .iter()
        .map(|r| {
            let goal = r.placement.goal_title.as_ref().map_or(
                "(no goal: approved by exception)".to_owned(),
                ToString::to_string,
            );
            let first_of_goal = last_goal.as_deref() != Some(goal.as_str());
            last_goal = Some(goal.clone());
            RollupRow {
                goal,
                objective: r
                    .placement
                    .objective_title
                    .as_ref()
                    .map_or("(no objective)".to_owned(), ToString::to_string),
                year: r.fiscal_year,
                capital: r.capital.to_string(),
                operating: r.operating.to_string(),
                first_of_goal,
            }
        })
        .collect();
    render(&BudgetPage {
        chrome: Chrome::new(&viewer),
        organizations,
        organization: org.name.to_string(),
        years,
        rows,
    })
}
