//! `lodestar plans`: the plans in the database, as a table.

use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::Write;

const HEADINGS: [&str; 5] = ["ID", "KEY", "STATUS", "PERIOD", "TITLE"];

/// Writes one line per plan: id, key, status, period and title.
pub async fn run(app: &App, out: &mut impl Write) -> CliResult {
    let plans = app.store().list_plans().await.map_err(ServiceError::from)?;
    if plans.is_empty() {
        return writeln!(
            out,
            "No plans yet. Import one with `lodestar import FILE`; `lodestar serve` loads a sample plan."
        )
        .map_err(CliError::stdout);
    }
    let rows: Vec<[String; 5]> = plans
        .iter()
        .map(|plan| {
            [
                plan.id.to_string(),
                plan.key.to_string(),
                plan.status.to_string(),
                format!("{}-{}", plan.period.start_year, plan.period.end_year),
                plan.title.to_string(),
            ]
        })
        .collect();
    write_table(out, &HEADINGS.map(str::to_owned), &rows).map_err(CliError::stdout)
}

/// Writes rows in aligned columns, two spaces apart; the last column is not padded.
fn write_table<const N: usize>(
    out: &mut impl Write,
    headings: &[String; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths = [0; N];
    for row in std::iter::once(headings).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(headings).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                let padding = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', padding + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_whatever_the_characters() {
        let mut out = Vec::new();
        let cells = |a: &str, b: &str, c: &str| [a.to_owned(), b.to_owned(), c.to_owned()];
        write_table(
            &mut out,
            &cells("ID", "KEY", "TITLE"),
            &[
                cells("1", "ä-plan", "Plan 2025–2029"),
                cells("12", "k", "T"),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ID  KEY     TITLE\n1   ä-plan  Plan 2025–2029\n12  k       T\n"
        );
    }
}
