//! `lodestar`: the one program that runs Lodestar.
//!
//! `lodestar serve` starts the web application; `plans`, `export`, `import`,
//! `import-warnings`, `checkin`, `measures import`, `status` and `overdue` work
//! on the same database from the shell. This file only parses the command line
//! and hands over: [`args`] defines it, [`config`] turns it into settings,
//! [`commands`] carries them out, and [`error`] reports what went wrong.

mod args;
mod commands;
mod config;
mod error;
mod logging;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let outcome = config::Settings::from_cli(cli).and_then(|settings| {
        logging::init(settings.task.default_log_filter());
        commands::run(settings)
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // If standard error is gone too, there is no one left to tell.
            let _ = err.report(&mut std::io::stderr().lock());
            ExitCode::from(err.exit_code())
        }
    }
}
