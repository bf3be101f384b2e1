//! `lodestar revise`, `lodestar revisions` and `lodestar diff`: the annual
//! review as a new revision of a plan, the list of revisions, and what
//! changed between two of them (docs/revisions.md).

use super::write_json;
use crate::args::ReportFormatArg;
use crate::error::{CliError, CliResult};
use clap::Args;
use lodestar_services::App;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `lodestar revise`.
#[derive(Debug, Args)]
pub struct ReviseArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// The plan as it should stand, as plan-as-code (an edited `lodestar export`); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Why it changed, kept with the revision.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Arguments of `lodestar revisions`.
#[derive(Debug, Args)]
pub struct RevisionsArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,
}

/// Arguments of `lodestar diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// The earlier revision's number.
    #[arg(long, value_name = "REV")]
    pub from: i64,

    /// The later revision's number.
    #[arg(long, value_name = "REV")]
    pub to: i64,

    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,
}

/// Applies the document to the plan as its next revision and says what changed.
pub async fn revise(app: &App, args: &ReviseArgs, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&args.plan).await?;
    let (name, text) = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| CliError::failed(format!("cannot read standard input: {e}")))?;
        ("stdin".to_owned(), text)
    } else {
        let text = std::fs::read_to_string(&args.file)
            .map_err(|e| CliError::failed(format!("cannot read {}: {e}", args.file.display())))?;
        (args.file.display().to_string(), text)
    };
    let revision = app
        .revise_plan_code(plan.id, &name, &text, args.note.as_deref())
        .await?;
    let d = app
        .diff_revisions(plan.id, revision.number - 1, revision.number)
        .await?;
    writeln!(
        out,
        "Plan {} {} is now at revision {} ({} node(s) changed; `lodestar diff {} --from {} --to {}` lists them)",
        plan.id,
        plan.key,
        revision.number,
        d.nodes.len(),
        plan.key,
        revision.number - 1,
        revision.number
    )
    .map_err(CliError::stdout)
}

/// Lists the plan's revisions, oldest first.
pub async fn list(app: &App, args: &RevisionsArgs, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&args.plan).await?;
    let revisions = app.revisions(plan.id).await?;
    let when = |r: &lodestar_services::revisions::Revision| {
        r.created_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    if args.format == ReportFormatArg::Json {
        let rows: Vec<serde_json::Value> = revisions
            .iter()
            .map(|r| {
                serde_json::json!({
                    "number": r.number, "created_at": when(r), "created_by": r.created_by,
                    "note": r.note, "nodes": r.snapshot.nodes.len(),
                })
            })
            .collect();
        return write_json(out, &rows);
    }
    for r in &revisions {
        writeln!(
            out,
            "{:>4}  {}  {}  {} nodes  {}",
            r.number,
            when(r),
            r.created_by,
            r.snapshot.nodes.len(),
            r.note.as_deref().unwrap_or("")
        )
        .map_err(CliError::stdout)?;
    }
    Ok(())
}

/// Writes what changed between two revisions, node by node.
pub async fn diff(app: &App, args: &DiffArgs, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&args.plan).await?;
    let d = app.diff_revisions(plan.id, args.from, args.to).await?;
    match args.format {
        ReportFormatArg::Json => write_json(
            out,
            &serde_json::json!({ "from": d.from.number, "to": d.to.number, "nodes": d.nodes }),
        ),
        ReportFormatArg::Text => out
            .write_all(d.to_text().as_bytes())
            .map_err(CliError::stdout),
    }
}
