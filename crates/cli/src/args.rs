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

    /// Read a plan document (text, Markdown, PDF, Word, StratML, plan-as-code) into a new plan.
    #[command(
        long_about = "Read a plan document into a new plan: plain text, Markdown, \
a PDF, a Word (.docx) file, StratML XML, or a plan-as-code document in YAML or JSON (see \
docs/import.md and docs/plan-format.md). The kind of document is told from its content, \
and from the file name only between text, Markdown and YAML. A document other than \
plan-as-code becomes a plan in status draft, with a warning for every place where the \
reading is unsure; the warnings are kept with the plan (`lodestar import-warnings PLAN`). \
Values the document reports for its measures (StratML actual results) are recorded too. \
Plan-as-code is checked first and every problem is reported with its place in the file. \
Nothing is stored unless the whole document can be; --dry-run stores nothing at all and \
prints the plan the document would become, with its warnings."
    )]
    Import(ImportArgs),

    /// List what the importer was unsure about in the document a plan was read from.
    #[command(long_about = "List the warnings of the import that created a plan: \
each place where the importer was unsure how to read the document (a title cut short, \
a period assumed, a level guessed), with the line of the document it is about. A plan \
made some other way has none. --format json writes them as JSON, for programs.")]
    ImportWarnings(ImportWarningsArgs),

    /// File a check-in on a node: where it stands, how far along, what happened.
    #[command(long_about = "File a check-in on a node: where it stands (--status), \
how much of the work is done (--percent), what happened, what comes next and what help \
is needed. NODE is PLAN:CODE (harbor-falls-it-2025:1.2.3), a code with --plan PLAN, or \
a node's numeric id. The check-in is filed by the node's owner unless --author names \
another person of the plan's organization, and speaks for today unless --date says \
otherwise. Every option is checked first; nothing is stored if one is wrong. The \
statuses of the node and everything above it are brought up to date at once.")]
    Checkin(CheckinArgs),

    /// Work with the values of a plan's measures.
    #[command(
        subcommand,
        long_about = "Work with the values of a plan's measures. \
`lodestar measures import FILE --plan PLAN` loads values from a CSV file (see \
docs/measures-csv.md)."
    )]
    Measures(MeasuresCommand),

    /// Manage accounts: add one, list them, reset a password.
    #[command(
        subcommand,
        long_about = "Manage the accounts that sign in to Lodestar. \
A fresh installation has none and no default password: create the first administrator \
with `lodestar user add EMAIL --name NAME --role administrator`. Passwords are stored \
only as argon2id hashes."
    )]
    User(UserCommand),

    /// Make API tokens for machine clients.
    #[command(subcommand)]
    Token(TokenCommand),

    /// Show where every node and measure of a plan stands.
    #[command(long_about = "Show where every node and measure of a plan stands, \
as of today: the plan as an indented outline in tree order, each node with the status \
shown for it, its progress and, when an owner overrode the computed status, the reason; \
then every measure with its latest value and its health; then a summary line. \
Statuses are brought up to date first. --format json writes the whole report as JSON \
instead, for programs.")]
    Status(StatusArgs),

    /// List the nodes whose owners owe a check-in.
    #[command(long_about = "List the nodes whose owners owe a check-in, most \
overdue first: nodes with a cadence (monthly, quarterly, annually) that are not \
completed, deferred or cancelled, whose latest check-in, or start if they never had \
one, is further back than the cadence allows. Each line gives the days overdue, the \
plan, the node, its owner and the owner's e-mail address, and the day of the last \
check-in. Without --plan every active plan is searched.")]
    Overdue(OverdueArgs),

    /// Write a consistent copy of the whole database to a file, while the server runs.
    #[command(long_about = "Write a consistent copy of the whole database to FILE, \
which must not exist yet. The server may go on running and writing: the copy is one \
snapshot, as the database stood at one moment. The file is a SQLite database holding \
every table, the schema version, and when and from what database it was taken; it \
restores into SQLite or PostgreSQL alike (`lodestar restore FILE`). It appears under \
its name only once it is complete. See docs/operations.md for scheduling backups.")]
    Backup(BackupArgs),

    /// Fill an empty database from a backup file.
    #[command(
        long_about = "Fill the database from a backup written by `lodestar backup`, \
in one transaction: either all of it is restored or nothing changes. The database must \
be empty (a new data directory, or a new PostgreSQL database) unless --force is given, \
which replaces everything it holds. A backup from an older lodestar is brought up to \
this version's schema as it is restored; one from a newer lodestar is refused. Stop the \
servers using the database first."
    )]
    Restore(RestoreArgs),

    /// Write a plan's annual report card: grades with their basis, measures, recommendations.
    #[command(
        long_about = "Write the annual report card of a plan for one year: the \
overall grade, counts by status, highlights and concerns from check-ins, then per goal and \
objective a grade with the numbers behind it (initiatives completed of those due, measures \
against their targets with their trend, the latest check-in), and recommendations for the \
annual review. Grades follow the rule in docs/report-card.md. --format is pdf, html, md or \
csv (default: from the extension of --output, else md); -o - or no -o writes text formats to \
standard output, a PDF needs -o FILE."
    )]
    Report(crate::commands::report::ReportArgs),

    /// Apply an edited plan-as-code document to a plan as its next revision.
    #[command(
        long_about = "Apply an edited plan-as-code document (typically an edited \
`lodestar export`) to a plan as its next revision, for the annual review. Nodes are matched \
by code: matched nodes are re-worded and moved in place, new ones added, and nodes the \
document leaves out are retired: they leave the plan, its statuses and roll-ups, while \
their check-ins, measures and values are kept. All or nothing. See docs/revisions.md."
    )]
    Revise(crate::commands::revisions::ReviseArgs),

    /// List a plan's revisions.
    #[command(
        long_about = "List a plan's revisions, oldest first: number, when, by whom, \
how many nodes and the note. Revision 1 is the plan as it stood when revisions were first \
asked for. --format json writes them as JSON."
    )]
    Revisions(crate::commands::revisions::RevisionsArgs),

    /// Show what changed between two revisions of a plan, node by node.
    #[command(
        long_about = "Show what changed between two revisions of a plan, node by \
node in tree order: nodes added, retired, re-worded, moved (re-parented or re-leveled), \
and measures added or removed. --format json writes the changes as JSON."
    )]
    Diff(crate::commands::revisions::DiffArgs),

    /// Publish a plan on the public portal, optionally keeping some nodes private.
    #[command(
        long_about = "Publish a plan: anyone may then read it, without signing in, \
under /public/plans/KEY and in the open-data downloads. Every node is public except those \
withheld: --withhold CODE keeps a node and its whole subtree private (repeat it for more; \
nodes withheld before stay withheld). People, e-mail addresses and internal notes are never \
public. All codes are checked before anything changes. See docs/open-data.md."
    )]
    Publish(crate::commands::publish::PublishArgs),

    /// Make a published plan private again.
    #[command(
        long_about = "Make a published plan private again: its public pages and \
downloads answer 404 like an unknown plan's. The nodes withheld stay withheld for the next \
`lodestar publish`."
    )]
    Unpublish(crate::commands::publish::UnpublishArgs),

    /// Fill the database with a deterministic synthetic portfolio (small, city or federal).
    #[command(
        long_about = "Generate a synthetic IT strategic-plan portfolio into the database: \
organizations, people with accounts, plans of goals, objectives and initiatives with owners and \
dates, measures with targets and values, and check-ins. --scale small|city|federal sets the size \
(federal: 25 plans, 15,000 initiatives, 1,000,000 values; see docs/demo-data.md). The same \
--seed, --scale and --as-of give the same portfolio. Everything is written in one transaction: \
all or nothing. A database that already holds plans is refused unless --force is given. Every \
account gets one password, printed at the end (or read with --password-stdin)."
    )]
    DemoData(crate::commands::demo_data::DemoDataArgs),

    // Portfolio governance (issue 8); see docs/portfolio.md.
    /// Write, submit, list, show, and move project proposals through stage gates.
    #[command(
        subcommand,
        long_about = "Work with proposals (requests for IT projects and purchases): \
`add FILE` writes a draft from a YAML or JSON file, `submit ID` sends it for review (refused \
unless it is tied to an objective of an active plan or carries an exception), `list` and \
`show ID` read them, `exception ID` grants an exception to the tie rule, and `move ID --to \
STAGE` passes a stage gate. Steps that depend on a role act as the account --as EMAIL names \
(or LODESTAR_AS); its role is checked as the web application checks it. See docs/portfolio.md."
    )]
    Proposal(crate::commands::proposals::ProposalCommand),

    /// Rank the proposals and show the cut line against capacity and budget.
    #[command(
        long_about = "Rank the proposals waiting for a decision by weighted score \
and fill them greedily, best first, into the staff hours and budget left after committed \
work: each is in or out of the cut line, with the reason (what it uses, or its first \
shortfall). --json writes the whole portfolio as JSON."
    )]
    Portfolio(crate::commands::portfolio::PortfolioArgs),

    /// Staff capacity per role per month against committed work; `capacity set` records it.
    #[command(
        long_about = "Show, for every staff role and month from --from to --to, \
the hours available, the hours approved and in-flight proposals need, and what is left; \
over-allocated months are marked. `lodestar capacity set ROLE MONTH HOURS` records the \
hours a role has available in a month."
    )]
    Capacity(crate::commands::portfolio::CapacityArgs),

    /// The budget roll-up by fiscal year, goal and objective; `budget set` records a budget.
    #[command(
        long_about = "Show committed proposals' costs by fiscal year, capital \
versus operating, against each year's budget, and by goal and objective. `lodestar budget \
set FY --capital X --operating Y` records a fiscal year's budget (dollars)."
    )]
    Budget(crate::commands::portfolio::BudgetArgs),
}

/// Arguments of `lodestar backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Arguments of `lodestar restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file to read.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Replace everything the database holds, in the same transaction as the restore.
    #[arg(long)]
    pub force: bool,
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

    /// The site's public address, for the absolute URLs of the open-data
    /// catalog (/data.json). Default: each request's Host and X-Forwarded-Proto.
    #[arg(long, env = "LODESTAR_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// The e-mail address the open-data catalog names as its contact.
    /// Default: webmaster@ the public host.
    #[arg(long, env = "LODESTAR_OPEN_DATA_EMAIL", value_name = "EMAIL")]
    pub open_data_email: Option<String>,

    /// The name the open-data catalog gives its contact. Default: the
    /// organization whose plan it is.
    #[arg(long, env = "LODESTAR_OPEN_DATA_CONTACT", value_name = "NAME")]
    pub open_data_contact: Option<String>,
}

/// Arguments of `lodestar export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// The document format. Default: json when --output ends in `.json`,
    /// stratml when it ends in `.xml` or --stratml-part is given, otherwise yaml.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// With stratml: Part 2 (a performance plan or report, with measures,
    /// targets and values; the default) or Part 1 (a strategic plan).
    #[arg(long, value_name = "PART", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub stratml_part: Option<u8>,

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

    /// Store nothing: print the plan the document would become and what to
    /// review in it.
    #[arg(long)]
    pub dry_run: bool,

    /// With --dry-run: text (an outline with the warnings in place) for
    /// people, json (the plan document with a "warnings" list) for programs.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "dry_run")]
    pub format: Option<ReportFormatArg>,

    /// File the plan under this organization, whatever the document says.
    #[arg(long, value_name = "NAME")]
    pub organization: Option<String>,

    /// Give the plan this key instead of the document's, or of one made from its title.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
}

/// Arguments of `lodestar import-warnings`.
#[derive(Debug, Args)]
pub struct ImportWarningsArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,
}

/// Arguments of `lodestar checkin`.
#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The node: `PLAN:CODE` (`harbor-falls-it-2025:1.2.3`), a code with --plan,
    /// or the node's numeric id.
    #[arg(value_name = "NODE")]
    pub node: String,

    /// Where the node stands: not-started, on-track, at-risk, off-track,
    /// completed, deferred or cancelled.
    #[arg(long, value_name = "STATUS")]
    pub status: String,

    /// How much of the work is done, from 0 to 100. Default: the previous
    /// check-in's figure; 100 when the status is completed.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub percent: Option<f64>,

    /// What happened since the last check-in.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// What comes next.
    #[arg(long, value_name = "TEXT")]
    pub next: Option<String>,

    /// What help is needed, and from whom.
    #[arg(long, value_name = "TEXT")]
    pub help_needed: Option<String>,

    /// Who files the check-in: a person of the plan's organization, by name.
    /// Default: the node's owner.
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,

    /// The day the check-in speaks for, not later than today. Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// The plan, by id or key, when NODE is a code alone.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
}

/// The subcommands of `lodestar user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a random password is made
    /// and printed once.
    Add(UserAddArgs),
    /// List the accounts.
    List,
    /// Set a new password for an account and end its sessions. Without
    /// --password-stdin a random password is made and printed once.
    ResetPassword(UserPasswordArgs),
}

/// Arguments of `lodestar user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The account's email address, which it signs in with.
    #[arg(value_name = "EMAIL")]
    pub email: String,
    /// The name shown for it.
    #[arg(long)]
    pub name: String,
    /// What it may do: administrator, plan-editor, reviewer or viewer.
    #[arg(long, default_value = "viewer")]
    pub role: String,
    /// The id of the person it is (makes it sponsor or owner of their nodes).
    #[arg(long, value_name = "ID")]
    pub person: Option<i64>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Arguments of `lodestar user reset-password`.
#[derive(Debug, Args)]
pub struct UserPasswordArgs {
    /// The account's email address.
    #[arg(value_name = "EMAIL")]
    pub email: String,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

/// The subcommands of `lodestar token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for an account and print it (only now, never again).
    Create(TokenCreateArgs),
}

/// Arguments of `lodestar token create`.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The account it acts for, by email address.
    #[arg(long, value_name = "EMAIL")]
    pub user: String,
    /// What it is for ("nightly ticket metrics").
    #[arg(long)]
    pub name: String,
    /// What it may do: read, write-measures or admin; repeat for several.
    #[arg(long = "scope", value_name = "SCOPE", required = true)]
    pub scopes: Vec<String>,
}

/// The subcommands of `lodestar measures`.
#[derive(Debug, Subcommand)]
pub enum MeasuresCommand {
    /// Import values of a plan's measures from a CSV file.
    #[command(long_about = "Import values of a plan's measures from a CSV file \
whose header names the columns measure, period and value, and optionally \
observed_on, note and source (see docs/measures-csv.md). The whole file is checked \
first: if any row is wrong, every problem is reported with its row and column and \
nothing is imported. A value identical to the stored one counts as unchanged, so \
importing the same file twice changes nothing; a different value for a period \
replaces the stored one, which is kept in the measure's history.")]
    Import(MeasuresImportArgs),
}

/// Arguments of `lodestar measures import`.
#[derive(Debug, Args)]
pub struct MeasuresImportArgs {
    /// The CSV file to read; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The plan whose measures the values belong to: its id or key.
    #[arg(long, value_name = "PLAN")]
    pub plan: String,
}

/// Arguments of `lodestar status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,
}

/// Arguments of `lodestar overdue`.
#[derive(Debug, Args)]
pub struct OverdueArgs {
    /// Only this plan, by id or key. Default: every active plan.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,

    /// text for people, json for programs.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text, value_name = "FORMAT")]
    pub format: ReportFormatArg,
}

/// How a report is written, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Aligned text, for people.
    Text,
    /// JSON, for programs.
    Json,
}

/// A plan-as-code format, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// YAML, for people.
    Yaml,
    /// JSON, for programs.
    Json,
    /// StratML (ISO 17469) XML, for other planning tools and open data portals.
    Stratml,
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
    fn checkin_takes_a_node_a_status_and_optional_details() {
        let cli = Cli::try_parse_from([
            "lodestar",
            "checkin",
            "city-it:1.2.3",
            "--status",
            "at-risk",
            "--percent",
            "40",
            "--note",
            "Vendor slipped",
            "--help-needed",
            "A decision on the contract",
            "--author",
            "Ann Lee",
        ])
        .unwrap();
        let Command::Checkin(checkin) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(checkin.node, "city-it:1.2.3");
        assert_eq!(checkin.status, "at-risk");
        assert_eq!(checkin.percent, Some(40.0));
        assert_eq!(checkin.note.as_deref(), Some("Vendor slipped"));
        assert_eq!(
            checkin.help_needed.as_deref(),
            Some("A decision on the contract")
        );
        assert_eq!(checkin.author.as_deref(), Some("Ann Lee"));
        assert_eq!(checkin.date, None);
        assert_eq!(checkin.plan, None);
    }

    #[test]
    fn checkin_needs_a_status_and_a_numeric_percent() {
        let err = Cli::try_parse_from(["lodestar", "checkin", "7"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let err = Cli::try_parse_from([
            "lodestar",
            "checkin",
            "7",
            "--status",
            "on-track",
            "--percent",
            "lots",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--percent"), "{err}");
    }

    #[test]
    fn measures_import_takes_a_file_and_a_plan() {
        let cli = Cli::try_parse_from(["lodestar", "measures", "import", "-", "--plan", "city-it"])
            .unwrap();
        let Command::Measures(MeasuresCommand::Import(import)) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(import.file, PathBuf::from("-"));
        assert_eq!(import.plan, "city-it");
        let err = Cli::try_parse_from(["lodestar", "measures", "import", "v.csv"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn reports_are_text_unless_json_is_asked_for() {
        let cli = Cli::try_parse_from(["lodestar", "status", "city-it"]).unwrap();
        let Command::Status(status) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(status.format, ReportFormatArg::Text);
        let cli = Cli::try_parse_from(["lodestar", "overdue", "--format", "json"]).unwrap();
        let Command::Overdue(overdue) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(overdue.format, ReportFormatArg::Json);
        assert_eq!(overdue.plan, None);
    }

    #[test]
    fn import_takes_a_dry_run_format_and_overrides() {
        let cli = Cli::try_parse_from([
            "lodestar",
            "import",
            "plan.pdf",
            "--dry-run",
            "--format",
            "json",
            "--organization",
            "City of Harbor Falls",
            "--key",
            "hf-2026",
        ])
        .unwrap();
        let Command::Import(import) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert!(import.dry_run);
        assert_eq!(import.format, Some(ReportFormatArg::Json));
        assert_eq!(import.organization.as_deref(), Some("City of Harbor Falls"));
        assert_eq!(import.key.as_deref(), Some("hf-2026"));
        let err =
            Cli::try_parse_from(["lodestar", "import", "p.txt", "--format", "json"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "--format needs --dry-run");
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

    #[test]
    fn capacity_shows_a_range_or_sets_one_month_but_not_both() {
        use crate::commands::portfolio::CapacityCommand;
        let cli = Cli::try_parse_from([
            "lodestar", "capacity", "--from", "2026-01", "--to", "2027-12",
        ])
        .unwrap();
        let Command::Capacity(shown) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!(
            (shown.from.as_deref(), shown.to.as_deref()),
            (Some("2026-01"), Some("2027-12"))
        );
        let cli =
            Cli::try_parse_from(["lodestar", "capacity", "set", "developer", "2026-03", "160"])
                .unwrap();
        let Command::Capacity(set) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert!(matches!(
            set.set,
            Some(CapacityCommand::Set { hours: 160, .. })
        ));
        let err = Cli::try_parse_from(["lodestar", "capacity", "--from", "2026-01"]).unwrap_err();
        assert_eq!(err.exit_code(), 2, "--to is needed too");
    }

    #[test]
    fn moving_a_proposal_names_the_acting_account() {
        if std::env::var_os("LODESTAR_AS").is_some() {
            return; // the environment names the account already
        }
        let err = Cli::try_parse_from([
            "lodestar", "proposal", "move", "7", "--to", "approved", "--reason", "ok",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2, "--as is required");
        assert!(err.to_string().contains("--as <EMAIL>"), "{err}");
    }
}
