//! `lodestar demo-data`: a deterministic synthetic portfolio in the configured
//! database, for demonstrations and benchmarks (docs/demo-data.md).

use crate::error::{CliError, CliResult};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use lodestar_domain::CalendarDate;
use lodestar_services::App;
use lodestar_services::demo_data::{DemoOptions, DemoProgress, Scale};
use std::io::{BufRead, Write};

/// The sizes on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScaleArg {
    /// 2 organizations, 2 plans, 30 initiatives, 10 measures, 500 values.
    Small,
    /// 1 organization, 600 initiatives, 120 measures, 40,000 values.
    City,
    /// 25 organizations, 15,000 initiatives, 3,000 measures, 1,000,000 values.
    Federal,
}

impl From<ScaleArg> for Scale {
    fn from(s: ScaleArg) -> Self {
        match s {
            ScaleArg::Small => Scale::Small,
            ScaleArg::City => Scale::City,
            ScaleArg::Federal => Scale::Federal,
        }
    }
}

/// Arguments of `lodestar demo-data`.
#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// How big a portfolio.
    #[arg(long, value_enum, default_value = "small")]
    pub scale: ScaleArg,

    /// The seed: the same seed, scale and --as-of give the same portfolio.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// The day the data is as of (YYYY-MM-DD): values and check-ins end the day
    /// before, plan periods run from two years before to two years after. Default: today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Add the portfolio even though the database already holds plans.
    #[arg(long)]
    pub force: bool,

    /// Read the accounts' password from the first line of standard input
    /// instead of making a random one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// A bar on standard error; indicatif draws nothing when that is not a terminal.
struct Bar(ProgressBar);

impl DemoProgress for Bar {
    fn advance(&mut self, rows: u64) {
        self.0.inc(rows);
    }
    fn plan(&mut self, index: usize, of: usize) {
        self.0.set_message(format!("plan {} of {of}", index + 1));
    }
}

/// Generates and writes the portfolio, then says what it holds and how to sign in.
pub(crate) async fn run(app: &App, args: &DemoDataArgs, out: &mut impl Write) -> CliResult {
    let as_of = match &args.as_of {
        Some(raw) => raw
            .parse::<CalendarDate>()
            .map_err(|m| CliError::failed(format!("--as-of: {m}")))?
            .date(),
        None => app.today(),
    };
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            CliError::failed(format!("cannot read the password from standard input: {e}"))
        })?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        lodestar_services::accounts::random_password()
    };
    let options = DemoOptions {
        scale: args.scale.into(),
        seed: args.seed,
        as_of,
        force: args.force,
    };
    let bar = ProgressBar::new(options.scale.counts().rows());
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} rows ({elapsed})")
            .map_err(|e| CliError::failed(format!("progress bar: {e}")))?
            .progress_chars("=> "),
    );
    let mut progress = Bar(bar.clone());
    let started = std::time::Instant::now();
    let written = app.write_demo_data(options, &password, &mut progress).await;
    bar.finish_and_clear();
    let summary = written.map_err(|e| CliError::failed(format!("nothing was written: {e}")))?;
    let c = summary.counts;
    writeln!(
        out,
        "Wrote the {} demo portfolio (seed {}, as of {as_of}) in {:.1} s: {} organizations, {} plans, \
         {} goals, {} objectives, {} initiatives, {} measures, {} values, {} check-ins, {} accounts, {} proposals",
        options.scale,
        options.seed,
        started.elapsed().as_secs_f64(),
        c.organizations,
        c.plans,
        c.goals,
        c.objectives,
        c.initiatives,
        c.measures,
        c.observations,
        c.checkins,
        c.users,
        c.proposals
    )
    .map_err(CliError::stdout)?;
    writeln!(out, "Administrator: {}", summary.admin_email).map_err(CliError::stdout)?;
    if !args.password_stdin {
        writeln!(out, "Password of every demo account: {password}").map_err(CliError::stdout)?;
    }
    Ok(())
}
