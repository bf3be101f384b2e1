//! `lodestar restore FILE`: an empty database filled from a backup.

use crate::config::Restore;
use crate::error::{CliError, CliResult};
use lodestar_services::App;
use lodestar_services::backup::Existing;
use std::io::Write;

/// Restores the backup in one transaction and says what it held:
/// `Restored nightly.lodestar (taken 2026-05-04T02:00:00Z from postgres, schema version 6): 24 tables, 1830 rows`.
pub async fn run(app: &App, settings: &Restore, out: &mut impl Write) -> CliResult {
    let existing = match settings.force {
        true => Existing::Replace,
        false => Existing::Refuse,
    };
    let summary = app
        .store()
        .restore_from(&settings.file, existing)
        .await
        .map_err(|e| CliError::failed(format!("nothing was restored: {e}")))?;
    let rows: u64 = summary.tables.iter().map(|t| t.rows).sum();
    let taken = match (&summary.taken_at, &summary.taken_from) {
        (Some(at), Some(from)) => format!("taken {at} from {from}, "),
        _ => String::new(),
    };
    let version = match summary.backup_version == summary.schema_version {
        true => format!("schema version {}", summary.schema_version),
        false => format!(
            "schema version {}, brought up to {}",
            summary.backup_version, summary.schema_version
        ),
    };
    let replaced = match summary.replaced {
        true => "; what the database held before was replaced",
        false => "",
    };
    writeln!(
        out,
        "Restored {} ({taken}{version}): {} tables, {rows} rows{replaced}",
        settings.file.display(),
        summary.tables.len(),
    )
    .map_err(CliError::stdout)
}
