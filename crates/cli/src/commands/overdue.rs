//! `lodestar overdue`: the check-ins owners owe, most overdue first.

use super::table::{headings, shorten, write_table};
use crate::config::{Overdue, ReportFormat};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, OverdueNode};
use std::io::Write;

const HEADINGS: [&str; 7] = [
    "DAYS",
    "PLAN",
    "CODE",
    "TITLE",
    "OWNER",
    "EMAIL",
    "LAST CHECK-IN",
];

/// The most characters of a title shown.
const TITLE_CHARS: usize = 50;

/// Writes the overdue nodes of one plan or all, as a table or JSON.
pub async fn run(app: &App, settings: &Overdue, out: &mut impl Write) -> CliResult {
    let plan = match &settings.plan {
        Some(reference) => Some(app.resolve_plan(reference).await?.id),
        None => None,
    };
    let overdue = app.overdue(plan).await?;
    match settings.format {
        ReportFormat::Json => super::write_json(out, &overdue),
        ReportFormat::Text if overdue.is_empty() => {
            writeln!(out, "No updates are overdue.").map_err(CliError::stdout)
        }
        ReportFormat::Text => {
            write_table(out, &headings(HEADINGS), &rows(&overdue)).map_err(CliError::stdout)
        }
    }
}

/// One row per node; a node without a code shows its id (`#17`), which
/// `lodestar checkin` accepts.
fn rows(overdue: &[OverdueNode]) -> Vec<[String; 7]> {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".to_owned());
    overdue
        .iter()
        .map(|o| {
            [
                o.days_overdue.to_string(),
                o.plan_key.to_string(),
                o.code
                    .as_ref()
                    .map_or_else(|| format!("#{}", o.node_id), ToString::to_string),
                shorten(o.title.as_str(), TITLE_CHARS),
                or_dash(o.owner_name.as_ref().map(ToString::to_string)),
                or_dash(o.owner_email.as_ref().map(ToString::to_string)),
                o.last_checkin
                    .map_or_else(|| "never".to_owned(), |d| d.to_string()),
            ]
        })
        .collect()
}
