//! The commands, each in its own module, and what they share: the runtime
//! and the opened database.

mod accounts;
mod backup;
mod checkin;
pub(crate) mod demo_data;
mod export;
mod import;
mod input;
mod measures;
mod outline;
mod overdue;
mod plans;
pub(crate) mod portfolio;
pub(crate) mod proposal_file;
pub(crate) mod proposals;
pub(crate) mod publish;
pub(crate) mod report;
mod restore;
pub(crate) mod revisions;
mod serve;
mod status;
mod table;

use crate::config::{Database, Settings, Task};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, Store};
use std::io::Write;

/// Carries out a command to the end.
pub fn run(settings: Settings) -> CliResult {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(execute(settings))
}

async fn execute(settings: Settings) -> CliResult {
    let stdout = || std::io::stdout().lock();
    if let Task::Import(import) = &settings.task
        && let Some(format) = import.dry_run
    {
        return import::preview(import, format, &mut stdout());
    }
    let app = App::new(open(&settings.database).await?);
    let actor = lodestar_services::Actor {
        user_id: None,
        name: format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "unknown".into())
        ),
    };
    let outcome = lodestar_services::acting_as(actor, dispatch(&app, &settings)).await;
    app.store().close().await;
    outcome
}

/// Runs the command; writes are recorded as the command line's.
async fn dispatch(app: &App, settings: &Settings) -> CliResult {
    let stdout = || std::io::stdout().lock();
    let app = app.clone();
    match &settings.task {
        Task::Serve(serve) => serve::run(&app, serve).await,
        Task::ListPlans => plans::run(&app, &mut stdout()).await,
        Task::Export(export) => export::run(&app, export, &mut stdout()).await,
        Task::Import(import) => import::run(&app, import, &mut stdout()).await,
        Task::ImportWarnings(list) => import::warnings(&app, list, &mut stdout()).await,
        Task::CheckIn(checkin) => checkin::run(&app, checkin, &mut stdout()).await,
        Task::ImportMeasures(import) => measures::import(&app, import, &mut stdout()).await,
        Task::Status(status) => status::run(&app, status, &mut stdout()).await,
        Task::Overdue(overdue) => overdue::run(&app, overdue, &mut stdout()).await,
        Task::AddUser(add) => accounts::add(&app, add, &mut stdout()).await,
        Task::ListUsers => accounts::list(&app, &mut stdout()).await,
        Task::ResetPassword(reset) => accounts::reset(&app, reset, &mut stdout()).await,
        Task::CreateToken(token) => accounts::token(&app, token, &mut stdout()).await,
        Task::Backup(backup) => backup::run(&app, backup, &mut stdout()).await,
        Task::Restore(restore) => restore::run(&app, restore, &mut stdout()).await,
        Task::Report(report) => report::run(&app, report, &mut stdout()).await,
        Task::Revise(args) => revisions::revise(&app, args, &mut stdout()).await,
        Task::Revisions(args) => revisions::list(&app, args, &mut stdout()).await,
        Task::Diff(args) => revisions::diff(&app, args, &mut stdout()).await,
        Task::Publish(args) => publish::publish(&app, args, &mut stdout()).await,
        Task::Unpublish(args) => publish::unpublish(&app, args, &mut stdout()).await,
        Task::DemoData(args) => demo_data::run(&app, args, &mut stdout()).await,
        Task::Proposal(args) => proposals::run(&app, args, &mut stdout()).await,
        Task::Portfolio(args) => portfolio::portfolio(&app, args, &mut stdout()).await,
        Task::Capacity(args) => portfolio::capacity(&app, args, &mut stdout()).await,
        Task::Budget(args) => portfolio::budget(&app, args, &mut stdout()).await,
    }
}

/// Writes `value` as pretty-printed JSON and a final line break.
fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::failed(format!("cannot write the report as JSON: {e}")))?;
    writeln!(out, "{text}").map_err(CliError::stdout)
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
