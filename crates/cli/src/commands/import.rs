//! `lodestar import`: a plan document of any kind read into a new plan, or
//! with `--dry-run` only shown; and `lodestar import-warnings`, what the
//! importer was unsure about in the document a plan came from.

use super::input::{self, Input};
use super::outline;
use crate::config::{Import, ImportWarnings, ReportFormat};
use crate::error::{CliError, CliResult};
use lodestar_domain::document::{NodeEntry, PlanDocument};
use lodestar_services::App;
use lodestar_services::imports::{self, Draft, Overrides, Warning};
use serde::Serialize;
use std::io::Write;
use time::Date;

/// What `--dry-run --format json` prints: the plan document as `lodestar
/// export --format json` writes it, with the warnings after its fields.
#[derive(Serialize)]
struct DryRun<'a> {
    #[serde(flatten)]
    document: &'a PlanDocument,
    warnings: &'a [Warning],
}

/// Imports the document and reports the new plan: its id, key, title and
/// size, and how many warnings there are to review.
pub async fn run(app: &App, settings: &Import, out: &mut impl Write) -> CliResult {
    let input = input::read(&settings.source)?;
    let draft = read(&input, &settings.overrides, app.today())?;
    let plan = app.store_draft(&input.name, &draft).await?;
    let nodes = count(&draft.document.nodes);
    let noun = if nodes == 1 { "node" } else { "nodes" };
    writeln!(
        out,
        "Imported plan {} {}: {} ({nodes} {noun})",
        plan.id, plan.key, plan.title
    )
    .map_err(CliError::stdout)?;
    match draft.warnings.len() {
        0 => Ok(()),
        n => writeln!(
            out,
            "{n} {} to review: lodestar import-warnings {}",
            if n == 1 { "warning" } else { "warnings" },
            plan.key
        )
        .map_err(CliError::stdout),
    }
}

/// Reads the document and prints the plan it would become, storing nothing
/// and opening no database.
pub fn preview(settings: &Import, format: ReportFormat, out: &mut impl Write) -> CliResult {
    let input = input::read(&settings.source)?;
    let today = time::OffsetDateTime::now_utc().date();
    let draft = read(&input, &settings.overrides, today)?;
    match format {
        ReportFormat::Json => super::write_json(
            out,
            &DryRun {
                document: &draft.document,
                warnings: &draft.warnings,
            },
        ),
        ReportFormat::Text => outline::write(out, &draft).map_err(CliError::stdout),
    }
}

/// Lists the warnings kept with an imported plan.
pub async fn warnings(app: &App, settings: &ImportWarnings, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&settings.plan).await?;
    let warnings = app.import_warnings(plan.id).await?;
    if settings.format == ReportFormat::Json {
        return super::write_json(out, &warnings);
    }
    if warnings.is_empty() {
        return writeln!(out, "Plan {} has no import warnings.", plan.key)
            .map_err(CliError::stdout);
    }
    for w in &warnings {
        writeln!(out, "{}", outline::warning_line(w)).map_err(CliError::stdout)?;
    }
    Ok(())
}

/// Reads the input into a draft. Plan-as-code that is not UTF-8 is refused
/// naming the input, as it always was.
fn read(input: &Input, overrides: &Overrides, today: Date) -> CliResult<Draft> {
    if imports::is_plan_code(imports::detect(&input.name, &input.bytes)?) {
        input.text("plan-as-code documents are YAML or JSON in UTF-8")?;
    }
    Ok(imports::read(&input.name, &input.bytes, overrides, today)?)
}

fn count(nodes: &[NodeEntry]) -> usize {
    nodes.iter().map(|n| 1 + count(&n.children)).sum()
}
