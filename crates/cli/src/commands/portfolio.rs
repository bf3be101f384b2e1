//! `lodestar portfolio`, `lodestar capacity` and `lodestar budget`: the
//! ranked portfolio with its cut line, staff capacity against committed
//! work, and the budget roll-up (docs/portfolio.md), plus what the
//! portfolio commands share: naming the organization and the acting account.

use super::table::{headings, shorten, write_table};
use super::write_json;
use crate::error::{CliError, CliResult};
use clap::{Args, Subcommand};
use lodestar_domain::portfolio::{BudgetLimit, Money, StaffRole, YearMonth};
use lodestar_domain::{OrganizationId, User};
use lodestar_services::{App, ServiceError};
use std::io::Write;

/// Arguments of `lodestar portfolio`.
#[derive(Debug, Args)]
pub struct PortfolioArgs {
    /// The organization: its id, its name, or a plan (key or id) of it.
    /// Needed when there are several.
    #[arg(long, value_name = "KEY")]
    pub org: Option<String>,
    /// Write the portfolio as JSON, for programs.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `lodestar capacity`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CapacityArgs {
    /// Record capacity instead of showing it.
    #[command(subcommand)]
    pub set: Option<CapacityCommand>,
    /// The first month, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM", required = true)]
    pub from: Option<String>,
    /// The last month, YYYY-MM (at most 120 months after --from).
    #[arg(long, value_name = "YYYY-MM", required = true)]
    pub to: Option<String>,
    /// The organization: its id, its name, or a plan (key or id) of it.
    #[arg(long, value_name = "KEY")]
    pub org: Option<String>,
    /// Write the table as JSON, for programs.
    #[arg(long)]
    pub json: bool,
}

/// `lodestar capacity set`.
#[derive(Debug, Subcommand)]
pub enum CapacityCommand {
    /// Record the hours a role has available in a month (0 clears them).
    Set {
        /// The kind of staff (`developer`).
        role: String,
        /// The month, YYYY-MM.
        month: String,
        /// Hours available.
        hours: u64,
        /// The organization: its id, its name, or a plan (key or id) of it.
        #[arg(long, value_name = "KEY")]
        org: Option<String>,
    },
}

/// Arguments of `lodestar budget`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BudgetArgs {
    /// Record a budget instead of showing the roll-up.
    #[command(subcommand)]
    pub set: Option<BudgetCommand>,
    /// The organization: its id, its name, or a plan (key or id) of it.
    #[arg(long, value_name = "KEY")]
    pub org: Option<String>,
    /// Write the roll-up as JSON, for programs.
    #[arg(long)]
    pub json: bool,
}

/// `lodestar budget set`.
#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// Record a fiscal year's capital and operating budget.
    Set {
        /// The fiscal year (`2026` for FY2026).
        fiscal_year: i32,
        /// The capital budget in dollars (`250000`, `$250,000.00`).
        #[arg(long, value_name = "DOLLARS")]
        capital: String,
        /// The operating budget in dollars.
        #[arg(long, value_name = "DOLLARS")]
        operating: String,
        /// The organization: its id, its name, or a plan (key or id) of it.
        #[arg(long, value_name = "KEY")]
        org: Option<String>,
    },
}

/// The organization `raw` names: an id, a name (any case), or a plan of it.
pub async fn find_organization(app: &App, raw: &str) -> CliResult<OrganizationId> {
    let raw = raw.trim();
    let all = app
        .store()
        .list_organizations()
        .await
        .map_err(ServiceError::from)?;
    if let Ok(id) = raw.parse::<i64>()
        && let Some(o) = all.iter().find(|o| o.id.0 == id)
    {
        return Ok(o.id);
    }
    if let Some(o) = all
        .iter()
        .find(|o| o.name.as_str().eq_ignore_ascii_case(raw))
    {
        return Ok(o.id);
    }
    match app.resolve_plan(raw).await {
        Ok(plan) => Ok(plan.organization_id),
        Err(_) => Err(CliError::failed(format!(
            "no organization or plan {raw:?}; name an organization by id or name, or a plan by key"
        ))),
    }
}

/// The organization `--org` names or, without it, the only organization
/// that has plans.
pub async fn organization(app: &App, org: Option<&str>) -> CliResult<OrganizationId> {
    if let Some(raw) = org {
        return find_organization(app, raw).await;
    }
    let plans = app.store().list_plans().await.map_err(ServiceError::from)?;
    let mut orgs: Vec<OrganizationId> = plans.iter().map(|p| p.organization_id).collect();
    orgs.sort_by_key(|o| o.0);
    orgs.dedup();
    match orgs.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::failed(
            "there is no plan yet, so no organization to work for; name one with --org",
        )),
        _ => Err(CliError::failed(format!(
            "plans of {} organizations are stored; name one with --org (an id, a name or a plan key)",
            orgs.len()
        ))),
    }
}

/// The account `--as` names, which must exist and not be disabled.
pub async fn account(app: &App, email: &str) -> CliResult<User> {
    let found = app
        .store()
        .find_user_by_email(email.trim())
        .await
        .map_err(ServiceError::from)?;
    match found {
        Some((user, _)) if user.disabled => Err(CliError::failed(format!(
            "--as {email}: the account is disabled"
        ))),
        Some((user, _)) => Ok(user),
        None => Err(CliError::failed(format!(
            "--as {email}: no account has that e-mail address (`lodestar user list`)"
        ))),
    }
}

/// Runs `f` recorded in the audit log as `user`, by way of the command line.
pub async fn as_account<F: std::future::Future>(user: &User, f: F) -> F::Output {
    let actor = lodestar_services::Actor {
        user_id: Some(user.id.0),
        name: format!(
            "{} (cli:{})",
            user.email.as_str(),
            std::env::var("USER").unwrap_or_else(|_| "unknown".into())
        ),
    };
    lodestar_services::acting_as(actor, f).await
}

/// `lodestar portfolio`: the ranked proposals, in or out of the cut line and why.
pub(crate) async fn portfolio(app: &App, args: &PortfolioArgs, out: &mut impl Write) -> CliResult {
    let org = organization(app, args.org.as_deref()).await?;
    let p = app.portfolio(org).await?;
    if args.json {
        return write_json(out, &p);
    }
    let rows: Vec<[String; 6]> = p
        .ranked
        .iter()
        .map(|r| {
            [
                r.entry.rank.to_string(),
                r.proposal.id.to_string(),
                r.entry
                    .score
                    .map_or_else(|| "unscored".into(), |s| format!("{s:.2}")),
                if r.entry.fits { "in" } else { "OUT" }.into(),
                shorten(r.proposal.draft.title.as_str(), 40),
                r.entry.reason.clone(),
            ]
        })
        .collect();
    let w = |e: std::io::Error| CliError::stdout(e);
    if rows.is_empty() {
        writeln!(out, "No proposal is waiting to be ranked.").map_err(w)?;
    } else {
        write_table(
            out,
            &headings(["RANK", "ID", "SCORE", "CUT", "TITLE", "WHY"]),
            &rows,
        )
        .map_err(w)?;
    }
    let inside = p.ranked.iter().filter(|r| r.entry.fits).count();
    writeln!(
        out,
        "\n{inside} of {} ranked proposal(s) above the cut line; {} committed proposal(s) take capacity and budget first; {} other(s).",
        p.ranked.len(),
        p.committed.len(),
        p.others.len()
    )
    .map_err(w)
}

fn month(flag: &str, raw: &str) -> CliResult<YearMonth> {
    raw.parse()
        .map_err(|m: String| CliError::failed(format!("{flag} {raw:?}: {m}")))
}

/// `lodestar capacity`: the table, or `capacity set`.
pub(crate) async fn capacity(app: &App, args: &CapacityArgs, out: &mut impl Write) -> CliResult {
    if let Some(CapacityCommand::Set {
        role,
        month: m,
        hours,
        org,
    }) = &args.set
    {
        let org = organization(app, org.as_deref()).await?;
        let staff =
            StaffRole::parse(role).map_err(|e| CliError::failed(format!("ROLE {role:?}: {e}")))?;
        let when = month("MONTH", m)?;
        app.set_capacity(org, &staff, when, *hours).await?;
        return writeln!(out, "Recorded {hours} h of {staff} available in {when}.")
            .map_err(CliError::stdout);
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        return Err(CliError::failed("give --from YYYY-MM and --to YYYY-MM"));
    };
    let (from, to) = (month("--from", from)?, month("--to", to)?);
    let org = organization(app, args.org.as_deref()).await?;
    let rows = app.capacity_report(org, from, to).await?;
    if args.json {
        return write_json(out, &rows);
    }
    let w = |e: std::io::Error| CliError::stdout(e);
    if rows.is_empty() {
        return writeln!(
            out,
            "No capacity is recorded and no committed work needs staff from {from} to {to}."
        )
        .map_err(w);
    }
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.role.to_string(),
                r.month.to_string(),
                if r.recorded {
                    r.capacity.to_string()
                } else {
                    "0 (none recorded)".into()
                },
                r.demand.to_string(),
                r.free.to_string(),
                if r.over_allocated {
                    "OVER-ALLOCATED".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    write_table(
        out,
        &headings(["ROLE", "MONTH", "CAPACITY", "DEMAND", "FREE", ""]),
        &table,
    )
    .map_err(w)?;
    let over = rows.iter().filter(|r| r.over_allocated).count();
    writeln!(
        out,
        "\n{over} over-allocated role-month(s) from {from} to {to} (hours; demand is approved and in-flight work)."
    )
    .map_err(w)
}

/// `lodestar budget`: the roll-up, or `budget set`.
pub(crate) async fn budget(app: &App, args: &BudgetArgs, out: &mut impl Write) -> CliResult {
    if let Some(BudgetCommand::Set {
        fiscal_year,
        capital,
        operating,
        org,
    }) = &args.set
    {
        let org = organization(app, org.as_deref()).await?;
        let dollars = |flag: &str, raw: &str| -> CliResult<Money> {
            raw.parse()
                .map_err(|m: String| CliError::failed(format!("{flag} {raw:?}: {m}")))
        };
        let limit = BudgetLimit {
            capital: dollars("--capital", capital)?,
            operating: dollars("--operating", operating)?,
        };
        app.set_budget(org, *fiscal_year, limit).await?;
        return writeln!(
            out,
            "Recorded the FY{fiscal_year} budget: {} capital, {} operating.",
            limit.capital, limit.operating
        )
        .map_err(CliError::stdout);
    }
    let org = organization(app, args.org.as_deref()).await?;
    let rollup = app.budget_rollup(org).await?;
    if args.json {
        return write_json(out, &rollup);
    }
    let w = |e: std::io::Error| CliError::stdout(e);
    if rollup.years.is_empty() {
        return writeln!(
            out,
            "No budget is recorded and no committed proposal has costs."
        )
        .map_err(w);
    }
    let limit = |l: Option<BudgetLimit>, f: fn(BudgetLimit) -> Money| {
        l.map_or_else(|| "none recorded".to_owned(), |l| f(l).to_string())
    };
    let years: Vec<[String; 7]> = rollup
        .years
        .iter()
        .map(|y| {
            [
                format!("FY{}", y.fiscal_year),
                limit(y.limit, |l| l.capital),
                y.capital.to_string(),
                y.capital_left.to_string(),
                limit(y.limit, |l| l.operating),
                y.operating.to_string(),
                y.operating_left.to_string(),
            ]
        })
        .collect();
    write_table(
        out,
        &headings([
            "YEAR",
            "CAPITAL BUDGET",
            "COMMITTED",
            "LEFT",
            "OPERATING BUDGET",
            "COMMITTED",
            "LEFT",
        ]),
        &years,
    )
    .map_err(w)?;
    if !rollup.rows.is_empty() {
        writeln!(out).map_err(w)?;
        let rows: Vec<[String; 5]> = rollup
            .rows
            .iter()
            .map(|r| {
                let title = |t: &Option<lodestar_domain::Name>| {
                    t.as_ref()
                        .map_or_else(|| "—".to_owned(), |n| shorten(n.as_str(), 30))
                };
                [
                    title(&r.placement.goal_title),
                    r.placement.objective_title.as_ref().map_or_else(
                        || "(by exception, no objective)".to_owned(),
                        |n| shorten(n.as_str(), 30),
                    ),
                    format!("FY{}", r.fiscal_year),
                    r.capital.to_string(),
                    r.operating.to_string(),
                ]
            })
            .collect();
        write_table(
            out,
            &headings(["GOAL", "OBJECTIVE", "YEAR", "CAPITAL", "OPERATING"]),
            &rows,
        )
        .map_err(w)?;
    }
    Ok(())
}
