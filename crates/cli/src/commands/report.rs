//! `lodestar report`: a plan's annual report card as Markdown, CSV, HTML or PDF.

use crate::error::{CliError, CliResult};
use clap::{Args, ValueEnum};
use lodestar_domain::grade::{GradeScale, GradingRule};
use lodestar_domain::report_card::ReportCard;
use lodestar_services::App;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `lodestar report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The plan: its id (`1`) or its key (`harbor-falls-it-2025`).
    #[arg(value_name = "PLAN")]
    pub plan: String,

    /// The year to report on (`2025`).
    #[arg(long, value_name = "YEAR")]
    pub period: i32,

    /// The document format. Default: from the extension of --output, else Markdown.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ReportFileFormat>,

    /// Write to this file; `-` or none writes to standard output (not for pdf).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Grade on the four-level scale (Exceeds/Meets/Approaching/Below) instead of A–F.
    #[arg(long)]
    pub levels: bool,

    /// The weight of initiatives completed of those due in the score.
    #[arg(long, value_name = "W", default_value_t = 1.0)]
    pub delivery_weight: f64,

    /// The weight of measures green (amber counting half) in the score.
    #[arg(long, value_name = "W", default_value_t = 1.0)]
    pub measure_weight: f64,
}

/// The formats of a report card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFileFormat {
    /// A typeset PDF.
    Pdf,
    /// A standalone HTML page, stylesheet included.
    Html,
    /// Markdown.
    Md,
    /// CSV, one row per goal and objective.
    Csv,
}

impl ReportArgs {
    /// The format asked for, or told from the output file's extension.
    fn format(&self) -> ReportFileFormat {
        if let Some(f) = self.format {
            return f;
        }
        let ext = self
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("pdf") => ReportFileFormat::Pdf,
            Some("html" | "htm") => ReportFileFormat::Html,
            Some("csv") => ReportFileFormat::Csv,
            _ => ReportFileFormat::Md,
        }
    }

    /// The file to write, none for standard output.
    fn file(&self) -> Option<&PathBuf> {
        self.output.as_ref().filter(|p| p.as_os_str() != "-")
    }

    fn rule(&self) -> GradingRule {
        GradingRule {
            delivery_weight: self.delivery_weight,
            measure_weight: self.measure_weight,
            scale: if self.levels {
                GradeScale::LEVELS
            } else {
                GradeScale::LETTERS
            },
        }
    }
}

/// The report card in `format`, as bytes.
fn render(card: &ReportCard, format: ReportFileFormat) -> CliResult<Vec<u8>> {
    Ok(match format {
        ReportFileFormat::Md => lodestar_report::markdown::render(card).into_bytes(),
        ReportFileFormat::Csv => lodestar_report::csv::render(card).into_bytes(),
        ReportFileFormat::Html => lodestar_http::report_card_html(card)
            .map_err(|e| CliError::failed(format!("cannot lay out the HTML report: {e}")))?
            .into_bytes(),
        ReportFileFormat::Pdf => lodestar_report::pdf::render(card)
            .map_err(|e| CliError::failed(format!("cannot typeset the PDF report: {e}")))?,
    })
}

/// Writes the report card to the chosen file (and says so) or to standard output.
pub async fn run(app: &App, args: &ReportArgs, out: &mut impl Write) -> CliResult {
    let format = args.format();
    let file = args.file();
    if format == ReportFileFormat::Pdf && file.is_none() {
        return Err(CliError::failed(
            "--format pdf needs a file: give -o FILE (a PDF is not written to standard output)",
        ));
    }
    let plan = app.resolve_plan(&args.plan).await?;
    let card = app.report_card(plan.id, args.period, &args.rule()).await?;
    let bytes = render(&card, format)?;
    match file {
        None => out.write_all(&bytes).map_err(CliError::stdout),
        Some(path) => {
            std::fs::write(path, &bytes)
                .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))?;
            writeln!(
                out,
                "Wrote the {} report card of plan {} {} (overall grade {}) to {}",
                args.period,
                plan.id,
                plan.key,
                card.overall.grade,
                path.display()
            )
            .map_err(CliError::stdout)
        }
    }
}
