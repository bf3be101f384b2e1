//! The commands, each in its own module, and what they share: the runtime
//! and the opened database.

mod export;
mod import;
mod plans;
mod serve;

use crate::config::{Database, Settings, Task};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, Store};

/// Carries out a command to the end.
pub fn run(settings: Settings) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(execute(settings))
}

async fn execute(settings: Settings) -> CliResult {
    let app = App::new(open(&settings.database).await?);
    let stdout = || std::io::stdout().lock();
    let outcome = match &settings.task {
        Task::Serve(serve) => serve::run(&app, serve).await,
        Task::ListPlans => plans::run(&app, &mut stdout()).await,
        Task::Export(export) => export::run(&app, export, &mut stdout()).await,
        Task::Import(import) => import::run(&app, import, &mut stdout()).await,
    };
    app.store().close().await;
    outcome
}

/// Opens the database, creating the data directory and applying migrations as needed.
async fn open(database: &Database) -> CliResult<Store> {
    tracing::debug!(%database, "opening the database");
    let opened = match database {
        Database::DataDir(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| {
                CliError::failed(format!(
                    "cannot create the data directory {}: {e}",
                    dir.display()
                ))
            })?;
            Store::open_sqlite(&Database::sqlite_file(dir)).await
        }
        Database::Url(url) => Store::connect(url.expose()).await,
    };
    opened.map_err(|e| CliError::failed(format!("cannot open the database ({database}): {e}")))
}
