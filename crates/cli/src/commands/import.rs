//! `lodestar import`: a plan-as-code document read into a new plan.

use super::input;
use crate::config::Import;
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::Write;

/// Imports the document and reports the new plan: its id, key, title and size.
pub async fn run(app: &App, settings: &Import, out: &mut impl Write) -> CliResult {
    let input = input::read(&settings.source)?;
    let text = input.text("plan documents are YAML or JSON in UTF-8")?;
    let plan = app.import_plan_code(&input.name, text).await?;
    let nodes = app
        .store()
        .plan_nodes(plan.id)
        .await
        .map_err(ServiceError::from)?
        .len();
    let noun = if nodes == 1 { "node" } else { "nodes" };
    writeln!(
        out,
        "Imported plan {} {}: {} ({nodes} {noun})",
        plan.id, plan.key, plan.title
    )
    .map_err(CliError::stdout)
}
