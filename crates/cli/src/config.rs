//! Settings: the command line turned into values that are known to be usable.
//!
//! [`crate::args`] says what was typed; this module decides what it means
//! (which database, which format, where output goes) and refuses what cannot
//! work before anything is opened or written. The commands take these
//! settings and have nothing left to check. A database URL is kept in a type
//! whose `Debug` and `Display` hide the password, so it cannot leak into a
//! log line or an error message by accident.

use crate::args::{
    BackupArgs, CheckinArgs, Cli, Command, ExportArgs, FormatArg, GlobalArgs, ImportArgs,
    ImportWarningsArgs, MeasuresCommand, MeasuresImportArgs, OverdueArgs, ReportFormatArg,
    RestoreArgs, ServeArgs, StatusArgs, TokenCommand, UserCommand,
};
use crate::error::CliError;
use lodestar_domain::{
    CalendarDate, Code, Email, Key, LongText, Name, NodeId, Percent, PersonId, ProgressStatus,
    Role, TokenScope,
};
use lodestar_services::Overrides;
use lodestar_services::opendata::OpenDataSettings;
use lodestar_services::plan_code::DocFormat;
use lodestar_services::stratml_export::StratmlPart;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The name of the SQLite file inside the data directory.
pub const DATABASE_FILE: &str = "lodestar.db";

/// Everything a run needs: where the data is, and what to do.
#[derive(Debug)]
pub struct Settings {
    /// The database to open.
    pub database: Database,
    /// The command, with its own settings.
    pub task: Task,
}

/// Where Lodestar keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// SQLite in `lodestar.db` inside this directory, which is created if missing.
    DataDir(PathBuf),
    /// The database a URL names.
    Url(DatabaseUrl),
}

/// A database URL; shown with its password replaced by `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

/// One command, ready to run.
#[derive(Debug)]
pub enum Task {
    /// Serve the web application.
    Serve(Serve),
    /// List the plans.
    ListPlans,
    /// Write a plan as a document.
    Export(Export),
    /// Read a document into a new plan.
    Import(Import),
    /// List the warnings kept with an imported plan.
    ImportWarnings(ImportWarnings),
    /// File a check-in on a node.
    CheckIn(CheckIn),
    /// Read values of measures from a CSV file.
    ImportMeasures(ImportMeasures),
    /// Report where a plan stands.
    Status(Status),
    /// List the check-ins owed.
    Overdue(Overdue),
    /// Create an account.
    AddUser(AddUser),
    /// List the accounts.
    ListUsers,
    /// Set a new password for an account.
    ResetPassword(ResetPassword),
    /// Create an API token.
    CreateToken(CreateToken),
    /// Write a backup.
    Backup(Backup),
    /// Restore a backup.
    Restore(Restore),
    /// Write a plan's annual report card.
    Report(crate::commands::report::ReportArgs),
    /// Apply an edited document as a plan's next revision.
    Revise(crate::commands::revisions::ReviseArgs),
    /// List a plan's revisions.
    Revisions(crate::commands::revisions::RevisionsArgs),
    /// Show what changed between two revisions.
    Diff(crate::commands::revisions::DiffArgs),
    /// Publish a plan, withholding some nodes.
    Publish(crate::commands::publish::PublishArgs),
    /// Make a plan private again.
    Unpublish(crate::commands::publish::UnpublishArgs),
    /// Generate the synthetic demo portfolio.
    DemoData(crate::commands::demo_data::DemoDataArgs),
    /// Work with proposals.
    Proposal(crate::commands::proposals::ProposalCommand),
    /// Show the ranked portfolio.
    Portfolio(crate::commands::portfolio::PortfolioArgs),
    /// Show or record capacity.
    Capacity(crate::commands::portfolio::CapacityArgs),
    /// Show the budget roll-up or record a budget.
    Budget(crate::commands::portfolio::BudgetArgs),
}

/// Settings of `lodestar backup`.
#[derive(Debug)]
pub struct Backup {
    /// The file to write.
    pub file: PathBuf,
}

/// Settings of `lodestar restore`.
#[derive(Debug)]
pub struct Restore {
    /// The backup to read.
    pub file: PathBuf,
    /// Whether to replace what the database holds.
    pub force: bool,
}

/// Settings of `lodestar user add`.
#[derive(Debug)]
pub struct AddUser {
    /// Its email address.
    pub email: Email,
    /// Its name.
    pub name: Name,
    /// Its role.
    pub role: Role,
    /// The person it is.
    pub person: Option<PersonId>,
    /// Read the password from standard input instead of making one.
    pub password_stdin: bool,
}

/// Settings of `lodestar user reset-password`.
#[derive(Debug)]
pub struct ResetPassword {
    /// The account's email address.
    pub email: String,
    /// Read the password from standard input instead of making one.
    pub password_stdin: bool,
}

/// Settings of `lodestar token create`.
#[derive(Debug)]
pub struct CreateToken {
    /// The account's email address.
    pub user: String,
    /// The token's name.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<TokenScope>,
}

/// Settings of `lodestar serve`.
#[derive(Debug)]
pub struct Serve {
    /// The address to listen on.
    pub bind: SocketAddr,
    /// Whether to load the sample plan into an empty database.
    pub load_sample: bool,
    /// How the open-data catalog names the site and its contact.
    pub open_data: OpenDataSettings,
}

/// Settings of `lodestar export`.
#[derive(Debug)]
pub struct Export {
    /// The plan, by id or key, as the user named it.
    pub plan: String,
    /// The document format.
    pub format: DocFormat,
    /// Where the document goes.
    pub destination: Destination,
    /// Write StratML of this part instead of plan-as-code.
    pub stratml: Option<StratmlPart>,
}

/// Where output goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A file, replaced if it exists.
    File(PathBuf),
}

/// Settings of `lodestar import`.
#[derive(Debug)]
pub struct Import {
    /// Where the document comes from.
    pub source: Source,
    /// Print the draft in this format instead of storing it (`--dry-run`).
    pub dry_run: Option<ReportFormat>,
    /// The organization and key given on the command line.
    pub overrides: Overrides,
}

/// Settings of `lodestar import-warnings`.
#[derive(Debug)]
pub struct ImportWarnings {
    /// The plan, by id or key, as the user named it.
    pub plan: String,
    /// How the list is written.
    pub format: ReportFormat,
}

/// Where input comes from.
#[derive(Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file.
    File(PathBuf),
}

/// Settings of `lodestar checkin`: a draft whose every value is valid.
#[derive(Debug)]
pub struct CheckIn {
    /// The node to report on.
    pub node: NodeRef,
    /// Where it stands.
    pub status: ProgressStatus,
    /// How much is done.
    pub percent: Option<Percent>,
    /// What happened (`--note`).
    pub happened: Option<LongText>,
    /// What comes next.
    pub next: Option<LongText>,
    /// What help is needed.
    pub help_needed: Option<LongText>,
    /// The author's name, to look up in the plan's organization; the node's owner when none.
    pub author: Option<String>,
    /// The day it speaks for; today when none.
    pub date: Option<CalendarDate>,
}

/// A node as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRef {
    /// By its numeric id.
    Id(NodeId),
    /// By its code within a plan.
    Code {
        /// The plan, by id or key, as the user named it.
        plan: String,
        /// The node's code.
        code: Code,
    },
}

/// Settings of `lodestar measures import`.
#[derive(Debug)]
pub struct ImportMeasures {
    /// The plan, by id or key, as the user named it.
    pub plan: String,
    /// Where the CSV text comes from.
    pub source: Source,
}

/// Settings of `lodestar status`.
#[derive(Debug)]
pub struct Status {
    /// The plan, by id or key, as the user named it.
    pub plan: String,
    /// How the report is written.
    pub format: ReportFormat,
}

/// Settings of `lodestar overdue`.
#[derive(Debug)]
pub struct Overdue {
    /// Only this plan, by id or key; every plan when none.
    pub plan: Option<String>,
    /// How the list is written.
    pub format: ReportFormat,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Aligned text for people.
    Text,
    /// Pretty-printed JSON for programs.
    Json,
}

impl Settings {
    /// Checks the command line and settles every default.
    pub fn from_cli(cli: Cli) -> Result<Self, CliError> {
        Ok(Self {
            database: Database::from_args(cli.global)?,
            task: Task::from_command(cli.command)?,
        })
    }
}

impl Database {
    /// The URL if one is given (an empty one counts as none), else the data directory.
    pub fn from_args(args: GlobalArgs) -> Result<Self, CliError> {
        match args.database_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => Ok(Self::Url(DatabaseUrl::parse(url)?)),
            None if args.data_dir.as_os_str().is_empty() => Err(CliError::failed(
                "the data directory (--data-dir, LODESTAR_DATA_DIR) must not be empty",
            )),
            None => Ok(Self::DataDir(args.data_dir)),
        }
    }

    /// The SQLite file of a data directory.
    pub fn sqlite_file(dir: &Path) -> PathBuf {
        dir.join(DATABASE_FILE)
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DataDir(dir) => write!(f, "SQLite {}", Self::sqlite_file(dir).display()),
            Self::Url(url) => url.fmt(f),
        }
    }
}

impl DatabaseUrl {
    /// A URL Lodestar can open: `sqlite://PATH`, `sqlite:PATH`, `postgres://…` or `postgresql://…`.
    pub fn parse(raw: String) -> Result<Self, CliError> {
        let raw = raw.trim().to_owned();
        let known = ["sqlite:", "postgres://", "postgresql://"];
        if known.iter().any(|scheme| raw.starts_with(scheme)) {
            Ok(Self(raw))
        } else {
            Err(CliError::failed(format!(
                "unsupported database URL {}: use sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE",
                redact(&raw)
            )))
        }
    }

    /// The URL with its password, for opening the database and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", redact(&self.0))
    }
}

/// The URL with any password replaced by `***`.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    let authority = &url[scheme_end..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    match authority[..at].split_once(':') {
        Some((user, _)) => format!(
            "{}{user}:***{}",
            &url[..scheme_end],
            &url[scheme_end + at..]
        ),
        None => url.to_owned(),
    }
}

impl Task {
    fn from_command(command: Command) -> Result<Self, CliError> {
        Ok(match command {
            Command::Serve(args) => Self::Serve(Serve::from_args(args)?),
            Command::Plans => Self::ListPlans,
            Command::Export(args) => Self::Export(Export::from_args(args)?),
            Command::Import(args) => Self::Import(Import::from_args(args)?),
            Command::ImportWarnings(args) => Self::ImportWarnings(ImportWarnings::from_args(args)),
            Command::Checkin(args) => Self::CheckIn(CheckIn::from_args(args)?),
            Command::Measures(MeasuresCommand::Import(args)) => {
                Self::ImportMeasures(ImportMeasures::from_args(args))
            }
            Command::Status(args) => Self::Status(Status::from_args(args)),
            Command::Overdue(args) => Self::Overdue(Overdue::from_args(args)),
            Command::Backup(BackupArgs { file }) => Self::Backup(Backup { file }),
            Command::Restore(RestoreArgs { file, force }) => Self::Restore(Restore { file, force }),
            Command::Report(args) => Self::Report(args),
            Command::Revise(args) => Self::Revise(args),
            Command::Revisions(args) => Self::Revisions(args),
            Command::Diff(args) => Self::Diff(args),
            Command::Publish(args) => Self::Publish(args),
            Command::Unpublish(args) => Self::Unpublish(args),
            Command::DemoData(args) => Self::DemoData(args),
            Command::Proposal(args) => Self::Proposal(args),
            Command::Portfolio(args) => Self::Portfolio(args),
            Command::Capacity(args) => Self::Capacity(args),
            Command::Budget(args) => Self::Budget(args),
            Command::User(UserCommand::Add(args)) => Self::AddUser(AddUser {
                email: Email::parse(&args.email)
                    .map_err(|e| CliError::failed(format!("EMAIL: {e}")))?,
                name: Name::parse(&args.name)
                    .map_err(|e| CliError::failed(format!("--name: {e}")))?,
                role: args
                    .role
                    .parse()
                    .map_err(|e: String| CliError::failed(format!("--role: {e}")))?,
                person: args.person.map(PersonId),
                password_stdin: args.password_stdin,
            }),
            Command::User(UserCommand::List) => Self::ListUsers,
            Command::User(UserCommand::ResetPassword(args)) => Self::ResetPassword(ResetPassword {
                email: args.email,
                password_stdin: args.password_stdin,
            }),
            Command::Token(TokenCommand::Create(args)) => Self::CreateToken(CreateToken {
                user: args.user,
                name: args.name,
                scopes: args
                    .scopes
                    .iter()
                    .map(|s| {
                        s.parse()
                            .map_err(|e: String| CliError::failed(format!("--scope: {e}")))
                    })
                    .collect::<Result<_, _>>()?,
            }),
        })
    }

    /// The log filter when `RUST_LOG` is not set: the server reports what it
    /// does; the other commands speak through their output and stay quiet.
    pub fn default_log_filter(&self) -> &'static str {
        match self {
            Self::Serve(_) => "info",
            _ => "warn",
        }
    }
}

impl Serve {
    fn from_args(args: ServeArgs) -> Result<Self, CliError> {
        let public_url = args
            .public_url
            .map(|u| OpenDataSettings::parse_public_url(&u))
            .transpose()
            .map_err(|e| CliError::failed(format!("--public-url: {e}")))?;
        let contact_email = args
            .open_data_email
            .map(|e| Email::parse(&e))
            .transpose()
            .map_err(|e| CliError::failed(format!("--open-data-email: {e}")))?;
        let contact_name = args.open_data_contact.map(|n| n.trim().to_owned());
        if contact_name.as_deref() == Some("") {
            return Err(CliError::failed("--open-data-contact: the name is empty"));
        }
        Ok(Self {
            bind: args.bind,
            load_sample: !args.no_sample,
            open_data: OpenDataSettings {
                public_url,
                contact_name,
                contact_email,
                ..OpenDataSettings::default()
            },
        })
    }
}

impl Export {
    fn from_args(args: ExportArgs) -> Result<Self, CliError> {
        let stratml = match (args.format, args.stratml_part) {
            (Some(FormatArg::Yaml | FormatArg::Json), Some(_)) => {
                return Err(CliError::failed(
                    "--stratml-part: only with --format stratml",
                ));
            }
            (Some(FormatArg::Stratml), part) | (None, part @ Some(_)) => {
                Some(part.and_then(StratmlPart::from_number).unwrap_or_default())
            }
            (None, None) => args
                .output
                .as_deref()
                .filter(|path| has_extension(path, "xml"))
                .map(|_| StratmlPart::default()),
            (Some(_), None) => None,
        };
        let format = match args.format {
            Some(FormatArg::Json) => DocFormat::Json,
            Some(_) => DocFormat::Yaml,
            None => match &args.output {
                Some(path) if has_extension(path, "json") => DocFormat::Json,
                _ => DocFormat::Yaml,
            },
        };
        Ok(Self {
            plan: args.plan,
            format,
            destination: args.output.map_or(Destination::Stdout, Destination::File),
            stratml,
        })
    }
}

impl Import {
    fn from_args(args: ImportArgs) -> Result<Self, CliError> {
        let invalid =
            |option: &str, message: String| CliError::failed(format!("{option}: {message}"));
        let organization = args
            .organization
            .map(|o| Name::parse(&o).map_err(|m| invalid("--organization", m)))
            .transpose()?;
        let key = args
            .key
            .map(|k| Key::parse(&k).map_err(|m| invalid("--key", m)))
            .transpose()?;
        Ok(Self {
            source: Source::from_arg(args.file),
            dry_run: args
                .dry_run
                .then(|| args.format.unwrap_or(ReportFormatArg::Text).into()),
            overrides: Overrides { organization, key },
        })
    }
}

impl ImportWarnings {
    fn from_args(args: ImportWarningsArgs) -> Self {
        Self {
            plan: args.plan,
            format: args.format.into(),
        }
    }
}

impl Source {
    /// `-` for standard input, else a file.
    fn from_arg(file: PathBuf) -> Self {
        if file.as_os_str() == "-" {
            Self::Stdin
        } else {
            Self::File(file)
        }
    }
}

impl CheckIn {
    fn from_args(args: CheckinArgs) -> Result<Self, CliError> {
        let invalid =
            |option: &str, message: String| CliError::failed(format!("{option}: {message}"));
        let node = NodeRef::parse(&args.node, args.plan.as_deref())?;
        let status = args
            .status
            .parse::<ProgressStatus>()
            .map_err(|m| invalid("--status", m))?;
        let percent = args
            .percent
            .map(|p| {
                Percent::new(p).map_err(|_| {
                    invalid(
                        "--percent",
                        format!("must be a number from 0 to 100, got {p}"),
                    )
                })
            })
            .transpose()?;
        if status == ProgressStatus::Completed
            && let Some(p) = percent
            && p != Percent::FULL
        {
            return Err(invalid(
                "--percent",
                format!(
                    "a completed node is 100% done, but --percent says {}; leave it out",
                    p.value()
                ),
            ));
        }
        let text = |option: &str, raw: Option<String>| {
            raw.map(|t| LongText::parse(&t).map_err(|m| invalid(option, m)))
                .transpose()
        };
        let author = match args.author {
            Some(name) if name.trim().is_empty() => {
                return Err(invalid("--author", "must not be empty".into()));
            }
            other => other.map(|name| name.trim().to_owned()),
        };
        let date = args
            .date
            .map(|d| d.parse::<CalendarDate>().map_err(|m| invalid("--date", m)))
            .transpose()?;
        Ok(Self {
            node,
            status,
            percent,
            happened: text("--note", args.note)?,
            next: text("--next", args.next)?,
            help_needed: text("--help-needed", args.help_needed)?,
            author,
            date,
        })
    }
}

impl NodeRef {
    /// Reads NODE: a numeric id, `PLAN:CODE`, or (with `--plan`) a code.
    ///
    /// A plan's key never holds a colon, so `PLAN:CODE` splits at the first
    /// one and the code may hold more (`city-it:3:4`). With `--plan`, NODE is
    /// a code (even if it is all digits), optionally written `PLAN:CODE` with
    /// the same plan.
    pub fn parse(node: &str, plan: Option<&str>) -> Result<Self, CliError> {
        let node = node.trim();
        let code = |raw: &str| {
            Code::parse(raw).map_err(|m| CliError::failed(format!("NODE {node:?}: {m}")))
        };
        match plan.map(str::trim) {
            Some("") => Err(CliError::failed("--plan: must not be empty")),
            Some(plan) => {
                let raw = node
                    .strip_prefix(plan)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .unwrap_or(node);
                Ok(Self::Code {
                    plan: plan.to_owned(),
                    code: code(raw)?,
                })
            }
            None if !node.is_empty() && node.bytes().all(|b| b.is_ascii_digit()) => node
                .parse()
                .map(|id| Self::Id(NodeId(id)))
                .map_err(|_| CliError::failed(format!("NODE {node:?}: not a node id"))),
            None => match node.split_once(':') {
                Some((plan, raw)) if !plan.trim().is_empty() => Ok(Self::Code {
                    plan: plan.trim().to_owned(),
                    code: code(raw)?,
                }),
                _ => Err(CliError::failed(format!(
                    "NODE {node:?} does not say which plan it is in: write PLAN:{node}, add --plan PLAN, or give the node's numeric id"
                ))),
            },
        }
    }
}

impl ImportMeasures {
    fn from_args(args: MeasuresImportArgs) -> Self {
        Self {
            plan: args.plan,
            source: Source::from_arg(args.file),
        }
    }
}

impl Status {
    fn from_args(args: StatusArgs) -> Self {
        Self {
            plan: args.plan,
            format: args.format.into(),
        }
    }
}

impl Overdue {
    fn from_args(args: OverdueArgs) -> Self {
        Self {
            plan: args.plan,
            format: args.format.into(),
        }
    }
}

impl From<ReportFormatArg> for ReportFormat {
    fn from(arg: ReportFormatArg) -> Self {
        match arg {
            ReportFormatArg::Text => Self::Text,
            ReportFormatArg::Json => Self::Json,
        }
    }
}

fn has_extension(path: &Path, wanted: &str) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn settings(args: &[&str]) -> Result<Settings, CliError> {
        let mut argv = vec!["lodestar"];
        argv.extend_from_slice(args);
        Settings::from_cli(Cli::try_parse_from(argv).expect("valid command line"))
    }

    #[test]
    fn without_a_url_the_database_is_sqlite_in_the_data_dir() {
        let s = settings(&["--data-dir", "/srv/lodestar", "plans"]).unwrap();
        assert_eq!(
            s.database,
            Database::DataDir(PathBuf::from("/srv/lodestar"))
        );
        assert_eq!(s.database.to_string(), "SQLite /srv/lodestar/lodestar.db");
    }

    #[test]
    fn a_url_takes_precedence_and_never_shows_its_password() {
        let s = settings(&[
            "--database-url",
            "postgres://app:s3cret@db:5432/lodestar",
            "plans",
        ])
        .unwrap();
        assert_eq!(
            s.database.to_string(),
            "postgres://app:***@db:5432/lodestar"
        );
        assert!(!format!("{s:?}").contains("s3cret"));
    }

    #[test]
    fn an_empty_url_counts_as_none() {
        let s = settings(&["--database-url", "", "--data-dir", "d", "plans"]).unwrap();
        assert_eq!(s.database, Database::DataDir(PathBuf::from("d")));
    }

    #[test]
    fn unknown_database_schemes_are_refused_without_the_password() {
        let err = settings(&["--database-url", "mysql://root:pw@db/x", "plans"]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("unsupported database URL"), "{message}");
        assert!(!message.contains("pw@"), "{message}");
    }

    #[test]
    fn redaction_keeps_everything_but_the_password() {
        assert_eq!(redact("postgres://u:p@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgres://h/db?x=a@b"), "postgres://h/db?x=a@b");
        assert_eq!(redact("sqlite://./x.db"), "sqlite://./x.db");
    }

    #[test]
    fn export_format_follows_the_flag_then_the_output_name() {
        let format = |args: &[&str]| match settings(args).unwrap().task {
            Task::Export(e) => e.format,
            other => panic!("{other:?}"),
        };
        assert_eq!(format(&["export", "p"]), DocFormat::Yaml);
        assert_eq!(format(&["export", "p", "-o", "p.JSON"]), DocFormat::Json);
        assert_eq!(
            format(&["export", "p", "-o", "p.json", "--format", "yaml"]),
            DocFormat::Yaml
        );
    }

    #[test]
    fn stratml_follows_the_flag_the_part_or_an_xml_output_name() {
        let stratml = |args: &[&str]| match settings(args).map(|s| s.task) {
            Ok(Task::Export(e)) => Ok(e.stratml),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.to_string()),
        };
        let (one, two) = (Some(StratmlPart::Part1), Some(StratmlPart::Part2));
        assert_eq!(stratml(&["export", "p", "--format", "stratml"]), Ok(two));
        assert_eq!(stratml(&["export", "p", "--stratml-part", "1"]), Ok(one));
        assert_eq!(stratml(&["export", "p", "-o", "plan.XML"]), Ok(two));
        assert_eq!(stratml(&["export", "p", "-o", "plan.yaml"]), Ok(None));
        let err = stratml(&["export", "p", "--format", "json", "--stratml-part", "2"]);
        assert!(err.unwrap_err().contains("--stratml-part"));
        assert!(Cli::try_parse_from(["lodestar", "export", "p", "--stratml-part", "3"]).is_err());
    }

    fn checkin(args: &[&str]) -> Result<CheckIn, CliError> {
        let mut argv = vec!["checkin"];
        argv.extend_from_slice(args);
        match settings(&argv)?.task {
            Task::CheckIn(c) => Ok(c),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_node_is_an_id_a_plan_and_code_or_a_code_with_plan() {
        let code = |plan: &str, code: &str| NodeRef::Code {
            plan: plan.into(),
            code: Code::parse(code).unwrap(),
        };
        assert_eq!(NodeRef::parse("17", None).unwrap(), NodeRef::Id(NodeId(17)));
        assert_eq!(
            NodeRef::parse("city-it:1.2.3", None).unwrap(),
            code("city-it", "1.2.3")
        );
        assert_eq!(NodeRef::parse("2:3:4", None).unwrap(), code("2", "3:4"));
        assert_eq!(
            NodeRef::parse("1", Some("city-it")).unwrap(),
            code("city-it", "1")
        );
        assert_eq!(
            NodeRef::parse("city-it:1.2", Some("city-it")).unwrap(),
            code("city-it", "1.2")
        );
        let err = NodeRef::parse("1.2.3", None).unwrap_err().to_string();
        assert!(err.contains("--plan"), "{err}");
        let err = NodeRef::parse("city-it:1 2", None).unwrap_err().to_string();
        assert!(err.starts_with("NODE \"city-it:1 2\""), "{err}");
    }

    #[test]
    fn a_checkin_is_checked_before_anything_is_opened() {
        let c = checkin(&[
            "p:1",
            "--status",
            "At Risk",
            "--percent",
            "40",
            "--note",
            "Slipped",
            "--date",
            "2026-03-31",
        ])
        .unwrap();
        assert_eq!(c.status, ProgressStatus::AtRisk);
        assert_eq!(c.percent.map(Percent::value), Some(40.0));
        assert_eq!(c.happened.unwrap().as_str(), "Slipped");
        assert_eq!(c.date.unwrap().to_string(), "2026-03-31");

        let err = |args: &[&str]| checkin(args).unwrap_err().to_string();
        let e = err(&["p:1", "--status", "late"]);
        assert!(e.starts_with("--status: ") && e.contains("on-track"), "{e}");
        let e = err(&["p:1", "--status", "on-track", "--percent", "140"]);
        assert!(e.starts_with("--percent: ") && e.contains("140"), "{e}");
        let e = err(&["p:1", "--status", "completed", "--percent", "60"]);
        assert!(e.starts_with("--percent: "), "{e}");
        let e = err(&["p:1", "--status", "on-track", "--date", "2026-02-30"]);
        assert!(e.starts_with("--date: "), "{e}");
        let e = err(&["p:1", "--status", "on-track", "--note", " "]);
        assert!(e.starts_with("--note: "), "{e}");
    }

    #[test]
    fn import_overrides_are_checked_before_anything_is_read() {
        let import = |args: &[&str]| -> Result<Import, CliError> {
            let mut argv = vec!["import", "plan.txt"];
            argv.extend_from_slice(args);
            match settings(&argv)?.task {
                Task::Import(i) => Ok(i),
                other => panic!("{other:?}"),
            }
        };
        let i = import(&["--key", "hf-2026", "--dry-run"]).unwrap();
        assert_eq!(i.overrides.key.unwrap().as_str(), "hf-2026");
        assert_eq!(i.dry_run, Some(ReportFormat::Text));
        assert_eq!(import(&[]).unwrap().dry_run, None);
        let e = import(&["--key", "Not A Key"]).unwrap_err().to_string();
        assert!(e.starts_with("--key: "), "{e}");
        let e = import(&["--organization", " "]).unwrap_err().to_string();
        assert!(e.starts_with("--organization: "), "{e}");
    }

    #[test]
    fn a_dash_imports_standard_input() {
        match settings(&["import", "-"]).unwrap().task {
            Task::Import(i) => assert_eq!(i.source, Source::Stdin),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serve_takes_the_open_data_settings_and_names_a_bad_one() {
        let s = settings(&[
            "serve",
            "--public-url",
            "https://plans.example.gov/",
            "--open-data-email",
            "opendata@example.gov",
            "--open-data-contact",
            "Open Data Team",
        ])
        .unwrap();
        let Task::Serve(serve) = s.task else {
            panic!("{:?}", s.task)
        };
        assert_eq!(
            serve.open_data.public_url.as_deref(),
            Some("https://plans.example.gov")
        );
        assert_eq!(
            serve.open_data.contact_name.as_deref(),
            Some("Open Data Team")
        );
        let e = settings(&["serve", "--public-url", "plans.example.gov"]).unwrap_err();
        assert!(e.to_string().contains("--public-url"), "{e}");
        let e = settings(&["serve", "--open-data-email", "nobody"]).unwrap_err();
        assert!(e.to_string().contains("--open-data-email"), "{e}");
    }
}
