//! `lodestar proposal …`: write a proposal from a file, submit it, list and
//! show proposals, grant an exception, and move one through a stage gate.
//!
//! Steps whose right depends on a role act as the account `--as` names
//! (LODESTAR_AS stands in for it): the services check that account's role
//! exactly as they check a signed-in caller's, and the audit log records
//! the account and the shell user (`ada@city.gov (cli:root)`).

use super::portfolio::{account, as_account, organization};
use super::proposal_file;
use super::table::{headings, shorten, write_table};
use super::write_json;
use crate::error::{CliError, CliResult};
use clap::{Args, Subcommand};
use lodestar_domain::ProposalId;
use lodestar_services::portfolio::GateOutcome;
use lodestar_services::{App, ServiceError};
use std::io::Write;
use std::path::PathBuf;

/// The acting account.
#[derive(Debug, Args)]
pub struct Acting {
    /// The account to act as (its e-mail address); its role decides what it may do.
    #[arg(long = "as", env = "LODESTAR_AS", value_name = "EMAIL")]
    pub as_email: String,
}

/// `lodestar proposal`.
#[derive(Debug, Subcommand)]
pub enum ProposalCommand {
    /// Create a draft proposal from a YAML or JSON file (see docs/portfolio.md).
    Add {
        /// The proposal file; `-` reads standard input.
        file: PathBuf,
        /// Who writes it.
        #[command(flatten)]
        acting: Acting,
    },
    /// Submit a draft: refused unless it is tied to an objective or carries an exception.
    Submit {
        /// The proposal's id.
        id: i64,
        /// Recorded as the reason of the move.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Who submits it.
        #[command(flatten)]
        acting: Acting,
    },
    /// List proposals.
    List {
        /// Only this organization's: its id, its name, or a plan (key or id) of it.
        #[arg(long, value_name = "KEY")]
        org: Option<String>,
        /// Only those in this stage (draft, submitted, reviewed, approved…).
        #[arg(long, value_name = "STAGE")]
        stage: Option<String>,
        /// Write them as JSON, for programs.
        #[arg(long)]
        json: bool,
    },
    /// Show a proposal: ties, costs, effort, scores, transitions and the gates open to it.
    Show {
        /// The proposal's id.
        id: i64,
        /// Write it as JSON, for programs.
        #[arg(long)]
        json: bool,
    },
    /// Grant a proposal an exception to the tie rule (the configuration's roles).
    Exception {
        /// The proposal's id.
        id: i64,
        /// Why it may go ahead without a tie to an objective.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// Who grants it.
        #[command(flatten)]
        acting: Acting,
    },
    /// Move a proposal through the stage gate that leads to --to.
    Move {
        /// The proposal's id.
        id: i64,
        /// The stage to move to.
        #[arg(long, value_name = "STAGE")]
        to: String,
        /// Why; recorded with the move.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// A checklist item confirmed: its number (1, 2…), its text, or the
        /// start of its text (`proposal show` lists them); repeat for each.
        #[arg(long = "check", value_name = "ITEM")]
        check: Vec<String>,
        /// Who passes the gate; its role must be among the gate's.
        #[command(flatten)]
        acting: Acting,
    },
}

/// Runs a `lodestar proposal` command.
pub(crate) async fn run(app: &App, command: &ProposalCommand, out: &mut impl Write) -> CliResult {
    match command {
        ProposalCommand::Add { file, acting } => add(app, file, acting, out).await,
        ProposalCommand::Submit { id, note, acting } => {
            let user = account(app, &acting.as_email).await?;
            let id = ProposalId(*id);
            let version = app.proposal(id).await?.version;
            let outcome = as_account(
                &user,
                app.submit_proposal(&user, id, version, note.as_deref()),
            )
            .await?;
            moved(out, &outcome)
        }
        ProposalCommand::List { org, stage, json } => list(app, org, stage, *json, out).await,
        ProposalCommand::Show { id, json } => show(app, ProposalId(*id), *json, out).await,
        ProposalCommand::Exception { id, reason, acting } => {
            let user = account(app, &acting.as_email).await?;
            let id = ProposalId(*id);
            let version = app.proposal(id).await?.version;
            let p = as_account(&user, app.grant_exception(&user, id, version, reason)).await?;
            writeln!(
                out,
                "Granted proposal {} ({}) an exception to the tie rule, approved by {}.",
                p.value.id, p.value.draft.title, user.name
            )
            .map_err(CliError::stdout)
        }
        ProposalCommand::Move {
            id,
            to,
            reason,
            check,
            acting,
        } => {
            let user = account(app, &acting.as_email).await?;
            let id = ProposalId(*id);
            let detail = app.proposal_detail(id).await?;
            let items = detail
                .next_gates
                .iter()
                .find(|g| g.to.as_str() == to.trim())
                .map_or(&[][..], |g| g.checklist.as_slice());
            let check: Vec<String> = check.iter().map(|c| checklist_item(items, c)).collect();
            let outcome = as_account(
                &user,
                app.pass_gate(&user, id, detail.version, to.trim(), reason, &check),
            )
            .await?;
            moved(out, &outcome)
        }
    }
}

/// The checklist item `--check` names: its number (from 1), its text in
/// any case, or the start of its text when only one item starts so. Anything
/// else is passed on as written, for the gate to refuse by name.
fn checklist_item(items: &[String], raw: &str) -> String {
    let raw = raw.trim();
    if let Ok(n) = raw.parse::<usize>()
        && let Some(item) = n.checked_sub(1).and_then(|i| items.get(i))
    {
        return item.clone();
    }
    let lower = raw.to_lowercase();
    if let Some(item) = items.iter().find(|i| i.to_lowercase() == lower) {
        return item.clone();
    }
    let starting: Vec<&String> = items
        .iter()
        .filter(|i| !lower.is_empty() && i.to_lowercase().starts_with(&lower))
        .collect();
    match starting.as_slice() {
        [one] => (*one).clone(),
        _ => raw.to_owned(),
    }
}

async fn add(app: &App, file: &PathBuf, acting: &Acting, out: &mut impl Write) -> CliResult {
    let (name, text) = if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| CliError::failed(format!("cannot read standard input: {e}")))?;
        ("<stdin>".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::failed(format!("cannot read {}: {e}", file.display())))?;
        (file.display().to_string(), text)
    };
    let user = account(app, &acting.as_email).await?;
    let parsed = proposal_file::parse(&name, &text)?;
    let draft = proposal_file::resolve(app, &name, parsed).await?;
    let created = as_account(&user, app.create_proposal(&user, &draft))
        .await
        .map_err(|e| match e {
            ServiceError::Invalid(v) => {
                proposal_file::invalid(&name, vec![proposal_file::file_field(v)])
            }
            other => other.into(),
        })?;
    let p = created.value;
    let next = if p.draft.objectives.is_empty() {
        "it has no tie to an objective yet: submitting needs one, or an exception"
    } else {
        "submit it with `lodestar proposal submit ID --as EMAIL`"
    };
    writeln!(
        out,
        "Created proposal {} ({}) as a draft, tied to {} objective(s); {next}.",
        p.id,
        p.draft.title,
        p.draft.objectives.len()
    )
    .map_err(CliError::stdout)
}

fn moved(out: &mut impl Write, o: &GateOutcome) -> CliResult {
    let t = &o.transition;
    let w = |e: std::io::Error| CliError::stdout(e);
    writeln!(
        out,
        "Proposal {} ({}) moved from {} to {} through the gate {}, by {}.",
        o.proposal.id, o.proposal.draft.title, t.from, t.to, t.gate, t.actor_name
    )
    .map_err(w)?;
    if let Some(node) = o.initiative {
        writeln!(out, "Created initiative node {node}.").map_err(w)?;
    }
    if let Some(note) = &t.note {
        writeln!(out, "Note: {note}.").map_err(w)?;
    }
    Ok(())
}

async fn list(
    app: &App,
    org: &Option<String>,
    stage: &Option<String>,
    json: bool,
    out: &mut impl Write,
) -> CliResult {
    let org = match org {
        Some(raw) => Some(organization(app, Some(raw)).await?),
        None => None,
    };
    let proposals: Vec<_> = app
        .list_proposals(org)
        .await?
        .into_iter()
        .map(|v| v.value)
        .filter(|p| {
            stage
                .as_deref()
                .is_none_or(|s| p.stage.as_str() == s.trim())
        })
        .collect();
    if json {
        return write_json(out, &proposals);
    }
    let w = |e: std::io::Error| CliError::stdout(e);
    if proposals.is_empty() {
        return writeln!(out, "No proposals.").map_err(w);
    }
    let rows: Vec<[String; 5]> = proposals
        .iter()
        .map(|p| {
            [
                p.id.to_string(),
                p.stage.to_string(),
                p.draft.risk.to_string(),
                if !p.draft.objectives.is_empty() {
                    format!("{} objective(s)", p.draft.objectives.len())
                } else if p.exception.is_some() {
                    "exception".into()
                } else {
                    "none".into()
                },
                shorten(p.draft.title.as_str(), 60),
            ]
        })
        .collect();
    write_table(
        out,
        &headings(["ID", "STAGE", "RISK", "TIE", "TITLE"]),
        &rows,
    )
    .map_err(w)
}

async fn show(app: &App, id: ProposalId, json: bool, out: &mut impl Write) -> CliResult {
    let d = app.proposal_detail(id).await?;
    if json {
        return write_json(out, &d);
    }
    let p = &d.proposal;
    let mut text = String::new();
    use std::fmt::Write as _;
    let _ = writeln!(text, "Proposal {}: {}", p.id, p.draft.title);
    let _ = writeln!(
        text,
        "Stage: {}   Risk: {}   Created by {} on {}",
        p.stage,
        p.draft.risk,
        p.created_by_name,
        p.created_at.date()
    );
    if let Some(problem) = &p.draft.problem {
        let _ = writeln!(text, "Problem: {problem}");
    }
    if let Some(benefits) = &p.draft.benefits {
        let _ = writeln!(text, "Benefits: {benefits}");
    }
    let objectives: Vec<String> = p.draft.objectives.iter().map(|o| o.to_string()).collect();
    let _ = writeln!(
        text,
        "Objectives (node ids): {}",
        if objectives.is_empty() {
            "none".into()
        } else {
            objectives.join(", ")
        }
    );
    if let Some(e) = &p.exception {
        let _ = writeln!(
            text,
            "Exception: granted by {} on {}: {}",
            e.approver_name,
            e.granted_at.date(),
            e.reason
        );
    }
    if let Some(node) = p.node_id {
        let _ = writeln!(text, "Initiative: node {node}");
    }
    for c in &p.draft.costs {
        let _ = writeln!(
            text,
            "Cost: FY{} {} {} {}",
            c.fiscal_year, c.kind, c.recurrence, c.amount
        );
    }
    for e in &p.draft.effort {
        let _ = writeln!(text, "Effort: {} h of {} in {}", e.hours, e.role, e.month);
    }
    let score = d.summary.score.map_or_else(
        || "unscored".to_owned(),
        |s| format!("{s:.2} of 5 ({:.1} %)", d.summary.percent.unwrap_or(0.0)),
    );
    let _ = writeln!(
        text,
        "Score: {score}, {} of {} criteria scored",
        d.summary.criteria_scored, d.summary.criteria_total
    );
    for s in &d.scores {
        let _ = writeln!(
            text,
            "  {} scored {} {}{}",
            s.reviewer_name,
            s.criterion,
            s.score,
            s.comment
                .as_deref()
                .map_or_else(String::new, |c| format!(": {c}"))
        );
    }
    for t in &d.transitions {
        let _ = writeln!(
            text,
            "Moved {} → {} ({}) by {} on {}: {}",
            t.from,
            t.to,
            t.gate,
            t.actor_name,
            t.at.date(),
            t.reason
        );
    }
    for g in &d.next_gates {
        let roles: Vec<&str> = g.roles.iter().map(|r| r.as_str()).collect();
        let _ = writeln!(
            text,
            "Next: --to {} (gate {}; {})",
            g.to,
            g.name,
            roles.join(", ")
        );
        for (i, item) in g.checklist.iter().enumerate() {
            let _ = writeln!(text, "  --check {}: {item}", i + 1);
        }
    }
    write!(out, "{text}").map_err(CliError::stdout)
}

#[cfg(test)]
mod tests {
    use super::checklist_item;

    #[test]
    fn a_checklist_item_is_named_by_number_text_or_unique_start() {
        let items = [
            "The proposal is complete".to_owned(),
            "Every criterion has been scored".to_owned(),
            "Every cost is funded".to_owned(),
        ];
        assert_eq!(checklist_item(&items, "2"), items[1]);
        assert_eq!(checklist_item(&items, "the PROPOSAL is complete"), items[0]);
        assert_eq!(checklist_item(&items, "every crit"), items[1]);
        // Ambiguous, out of range or unknown: passed on for the gate to name.
        assert_eq!(checklist_item(&items, "every"), "every");
        assert_eq!(checklist_item(&items, "4"), "4");
        assert_eq!(checklist_item(&items, "budget"), "budget");
    }
}
