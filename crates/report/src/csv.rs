//! The report card as CSV: one row per graded goal and objective, in plan
//! order, with the columns in [`COLUMNS`] (documented in docs/report-card.md).

use lodestar_domain::grade::Graded;
use lodestar_domain::report_card::ReportCard;

/// The header row; these names are stable, new columns are only ever added at the end.
pub const COLUMNS: [&str; 6] = ["level", "code", "title", "grade", "score", "basis"];

/// The report card as CSV text (RFC 4180, a header row, `\n` line ends).
pub fn render(card: &ReportCard) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut rows: Vec<[String; 6]> = Vec::new();
    let row = |level: &str, code: &str, title: &str, g: &Graded| {
        [
            level.to_string(),
            code.to_string(),
            title.to_string(),
            g.grade.label().to_string(),
            g.score.map(|s| s.to_string()).unwrap_or_default(),
            g.basis.clone(),
        ]
    };
    for goal in &card.goals {
        rows.push(row("goal", &goal.code, &goal.title, &goal.grade));
        for o in &goal.objectives {
            rows.push(row("objective", &o.code, &o.title, &o.grade));
        }
    }
    // Writing to a Vec cannot fail; the text is UTF-8 because every field is.
    let _ = w.write_record(COLUMNS);
    for r in &rows {
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
