//! `lodestar status`: where every node and measure of a plan stands.

use super::table::{headings, number, shorten, write_table};
use crate::config::{ReportFormat, Status};
use crate::error::{CliError, CliResult};
use lodestar_domain::ProgressStatus;
use lodestar_services::{App, StatusReport};
use std::io::Write;

/// The most characters of a title or name shown in the text report.
const TITLE_CHARS: usize = 60;
/// The most characters of an override's reason shown in the text report.
const REASON_CHARS: usize = 80;

/// Brings the plan's statuses up to date and writes them as text or JSON.
pub async fn run(app: &App, settings: &Status, out: &mut impl Write) -> CliResult {
    let plan = app.resolve_plan(&settings.plan).await?;
    let report = app.plan_status(plan.id).await?;
    match settings.format {
        ReportFormat::Json => super::write_json(out, &report),
        ReportFormat::Text => write_text(out, &report).map_err(CliError::stdout),
    }
}

/// The report for people: a heading, the outline of nodes, the measures and
/// a summary line.
fn write_text(out: &mut impl Write, report: &StatusReport) -> std::io::Result<()> {
    writeln!(out, "Plan {}: {}", report.plan.key, report.plan.title)?;
    writeln!(out, "Status as of {}", report.as_of)?;
    writeln!(out)?;
    if report.nodes.is_empty() {
        writeln!(out, "The plan has no nodes.")?;
    } else {
        write_table(
            out,
            &headings(["NODE", "STATUS", "PROGRESS", ""]),
            &node_rows(report),
        )?;
    }
    writeln!(out)?;
    if report.measures.is_empty() {
        writeln!(out, "The plan has no measures.")?;
    } else {
        write_table(
            out,
            &headings(["MEASURE", "NAME", "PERIOD", "VALUE", "HEALTH", "WHY"]),
            &measure_rows(report),
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(report))
}

/// One row per node: the outline (indent, code, title), the shown status,
/// the progress, and the override's reason if there is one.
fn node_rows(report: &StatusReport) -> Vec<[String; 4]> {
    report
        .nodes
        .iter()
        .map(|n| {
            let indent = "  ".repeat(n.depth);
            let title = shorten(n.node.title.as_str(), TITLE_CHARS);
            let outline = match &n.node.code {
                Some(code) => format!("{indent}{code} {title}"),
                None => format!("{indent}{title}"),
            };
            let progress = n
                .status
                .computed
                .progress
                .map_or_else(|| "-".to_owned(), |p| format!("{:.0}%", p.round()));
            let note = n
                .status
                .status_override
                .as_ref()
                .map(|o| format!("(override: {})", shorten(o.reason.as_str(), REASON_CHARS)))
                .unwrap_or_default();
            [outline, n.status.status.to_string(), progress, note]
        })
        .collect()
}

/// One row per measure: key, name, latest period and value, health and why.
fn measure_rows(report: &StatusReport) -> Vec<[String; 6]> {
    report
        .measures
        .iter()
        .map(|m| {
            let value = m.status.value.map_or_else(
                || "-".to_owned(),
                |v| match &m.measure.unit {
                    Some(unit) if unit.as_str() == "%" => format!("{}%", number(v)),
                    Some(unit) => format!("{} {unit}", number(v)),
                    None => number(v),
                },
            );
            [
                m.measure.key.to_string(),
                shorten(m.measure.name.as_str(), TITLE_CHARS),
                m.status
                    .period
                    .map_or_else(|| "-".to_owned(), |p| p.to_string()),
                value,
                m.status.health.map_or("no data", |h| h.as_str()).to_owned(),
                shorten(&m.status.reason, usize::MAX),
            ]
        })
        .collect()
}

/// `Summary: 5 nodes: 1 on-track, 1 at-risk, 3 not-started (1 overridden); 2 measures: 1 green, 1 no data`
fn summary(report: &StatusReport) -> String {
    let nodes = report.nodes.len();
    let mut line = format!("Summary: {}", plural(nodes, "node", "nodes"));
    let by_status: Vec<String> = ProgressStatus::ALL
        .iter()
        .filter_map(|status| {
            let n = report
                .nodes
                .iter()
                .filter(|r| r.status.status == *status)
                .count();
            (n > 0).then(|| format!("{n} {status}"))
        })
        .collect();
    if !by_status.is_empty() {
        line.push_str(": ");
        line.push_str(&by_status.join(", "));
    }
    let overridden = report
        .nodes
        .iter()
        .filter(|r| r.status.status_override.is_some())
        .count();
    if overridden > 0 {
        line.push_str(&format!(" ({overridden} overridden)"));
    }
    line.push_str("; ");
    line.push_str(&plural(report.measures.len(), "measure", "measures"));
    let mut healths: Vec<(&str, usize)> = Vec::new();
    for m in &report.measures {
        let health = m.status.health.map_or("no data", |h| h.as_str());
        match healths.iter_mut().find(|(h, _)| *h == health) {
            Some((_, n)) => *n += 1,
            None => healths.push((health, 1)),
        }
    }
    // Worst first reads best: red, amber, green, then no data.
    healths.sort_by_key(|(h, _)| match *h {
        "red" => 0,
        "amber" => 1,
        "green" => 2,
        "no data" => 4,
        _ => 3,
    });
    if !healths.is_empty() {
        let parts: Vec<String> = healths.iter().map(|(h, n)| format!("{n} {h}")).collect();
        line.push_str(": ");
        line.push_str(&parts.join(", "));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
