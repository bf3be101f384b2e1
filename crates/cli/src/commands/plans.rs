//! `lodestar plans`: the plans in the database, as a table.

use super::table::{headings, write_table};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::Write;

const HEADINGS: [&str; 5] = ["ID", "KEY", "STATUS", "PERIOD", "TITLE"];

/// Writes one line per plan: id, key, status, period and title.
pub async fn run(app: &App, out: &mut impl Write) -> CliResult {
    let plans = app.store().list_plans().await.map_err(ServiceError::from)?;
    if plans.is_empty() {
        return writeln!(
            out,
            "No plans yet. Import one with `lodestar import FILE`; `lodestar serve` loads a sample plan."
        )
        .map_err(CliError::stdout);
    }
    let rows: Vec<[String; 5]> = plans
        .iter()
        .map(|plan| {
            [
                plan.id.to_string(),
                plan.key.to_string(),
                plan.status.to_string(),
                format!("{}-{}", plan.period.start_year, plan.period.end_year),
                plan.title.to_string(),
            ]
        })
        .collect();
    write_table(out, &headings(HEADINGS), &rows).map_err(CliError::stdout)
}
