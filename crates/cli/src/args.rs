//! The command line as typed: every option and argument, the environment
//! variable that can stand in for it, its default and its help text.
//!
//! Nothing here is checked beyond what clap checks by itself (a number is a
//! number, an address is an address). [`crate::config`] turns these raw
//! values into settings that are known to be usable, so the commands never
//! see an empty URL or an unknown format.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

const ABOUT: &str = "Lodestar runs a public IT organization's strategic plan: \
plan, execute, measure, report, govern.";

const LONG_ABOUT: &str = "Lodestar runs a public IT organization's strategic plan: \
plan, execute, measure, report, govern. It keeps the plan's goals, objectives and \
initiatives, who owns them and when they are due, and serves them as web pages and a \
JSON API. `lodestar serve` starts the web application; the other commands work on the \
same database from the shell. Data is kept in SQLite under --data-dir unless \
--database-url names a PostgreSQL database.";

/// Everything `lodestar` accepts on its command line.
#[derive(Debug, Parser)]
#[command(name = "lodestar", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; accepted before or after the command name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Directory of the SQLite database, `lodestar.db`; created if missing.
    /// Ignored when --database-url is given.
    #[arg(
        long,
        global = true,
        env = "LODESTAR_DATA_DIR",
        default_value = "./lodestar-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,

    /// The database to use instead of SQLite in the data directory:
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE` or `sqlite://PATH`.
    // The value is hidden from --help: it may hold a password.
    #[arg(
        long,
        global = true,
        env = "LODESTAR_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web application and JSON API.
    #[command(long_about = "Start the web application and JSON API. \
The database is created and brought up to date if needed; when it holds no plan yet, \
the sample plan of the fictional City of Harbor Falls is loaded so there is something \
to look at (--no-sample prevents that). Lodestar then listens on --bind until it \
receives Ctrl-C or SIGTERM, and finishes the requests in progress before it exits. \
Logs go to standard error; set RUST_LOG (for example RUST_LOG=debug) to see more or less.")]
    Serve(ServeArgs),

    /// List the plans in the database.
    #[command(long_about = "List the plans in the database: each plan's id, key, \
status, period and title. Other commands accept either the id or the key.")]
    Plans,

    /// Write a plan as a plan-as-code document (YAML or JSON).
    #[command(long_about = "Write a plan as a plan-as-code document, YAML or JSON \
(see docs/plan-format.md). The output is deterministic: exporting a plan, importing \
the document and exporting again gives the same bytes, so a plan can be kept in \
version control and reviewed as a diff.")]
    Export(ExportArgs),

    /// Read a plan-as-code document (YAML or JSON) into a new plan.
    #[command(long_about = "Read a plan-as-code document, YAML or JSON (see \
docs/plan-format.md), and store it as a new plan. The whole document is checked first \
and every problem is reported with its place in the file; nothing is stored unless the \
document is entirely valid. The format is taken from the file name (.yaml, .yml, \
.json), or else from the content.")]
    Import(ImportArgs),
}

/// Options of `lodestar serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on; port 0 picks a free port.
    #[arg(
        long,
        env = "LODESTAR_BIND",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR:PORT"
    )]
    pub bind: SocketAddr,

    /// Do not load the sample plan into an empty database.
    #[arg(long)]
    pub no_sample: bool,
}

/// Arguments of `lodestar export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// The document format. Default: json when --output ends in `.json`, otherwise yaml.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `lodestar import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The document to read; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// A plan-as-code format, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// YAML, for people.
    Yaml,
    /// JSON, for programs.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_may_follow_the_command() {
        let cli = Cli::try_parse_from(["lodestar", "plans", "--data-dir", "/tmp/x"]).unwrap();
        assert_eq!(cli.global.data_dir, PathBuf::from("/tmp/x"));
        assert!(matches!(cli.command, Command::Plans));
    }

    #[test]
    fn export_takes_a_plan_a_format_and_an_output_file() {
        let cli = Cli::try_parse_from([
            "lodestar", "export", "city-it", "--format", "json", "-o", "p.json",
        ])
        .unwrap();
        let Command::Export(export) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(export.plan, "city-it");
        assert_eq!(export.format, Some(FormatArg::Json));
        assert_eq!(export.output, Some(PathBuf::from("p.json")));
    }

    #[test]
    fn an_unknown_format_is_a_usage_error() {
        let err = Cli::try_parse_from(["lodestar", "export", "x", "--format", "toml"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn serve_binds_to_localhost_by_default() {
        let cli = Cli::try_parse_from(["lodestar", "serve", "--no-sample"]).unwrap();
        let Command::Serve(serve) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(serve.bind, "127.0.0.1:8080".parse().unwrap());
        assert!(serve.no_sample);
    }
}
