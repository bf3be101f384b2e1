//! `lodestar measures import`: values of a plan's measures read from CSV.

use super::input;
use crate::config::ImportMeasures;
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::Write;

/// What a refused file is called in the closing error line.
const KIND: &str = "CSV file of measure values";

/// Imports the values, all or nothing, and counts what happened:
/// `values.csv: 12 inserted, 0 updated, 3 unchanged`.
pub async fn import(app: &App, settings: &ImportMeasures, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&settings.plan).await?;
    let input = input::read(&settings.source)?;
    let text = input.text("CSV files of measure values are UTF-8 text")?;
    let counts = app
        .import_observations_csv(plan.id, &input.name, text)
        .await
        .map_err(|err| match err {
            ServiceError::InvalidDocument {
                source_name,
                errors,
            } => CliError::InvalidFile {
                source_name,
                kind: KIND,
                errors,
            },
            other => other.into(),
        })?;
    writeln!(
        out,
        "{}: {} inserted, {} updated, {} unchanged",
        input.name, counts.inserted, counts.updated, counts.unchanged
    )
    .map_err(CliError::stdout)
}
