//! `lodestar export`: a stored plan written out as plan-as-code, or as
//! StratML (docs/open-data.md, "Exporting to StratML").

use crate::config::{Destination, Export};
use crate::error::{CliError, CliResult};
use lodestar_services::App;
use std::io::Write;

/// Writes the plan's document to standard output or to the chosen file; in
/// the latter case, says so on standard output.
pub async fn run(app: &App, settings: &Export, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&settings.plan).await?;
    let text = match settings.stratml {
        Some(part) => app.export_stratml(plan.id, part).await?,
        None => app.export_plan_code(plan.id, settings.format).await?,
    };
    match &settings.destination {
        Destination::Stdout => out.write_all(text.as_bytes()).map_err(CliError::stdout),
        Destination::File(path) => {
            std::fs::write(path, &text)
                .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))?;
            writeln!(
                out,
                "Exported plan {} {} to {}",
                plan.id,
                plan.key,
                path.display()
            )
            .map_err(CliError::stdout)
        }
    }
}
