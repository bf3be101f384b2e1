//! The Typst source of a report card: a fixed preamble (page setup and a few
//! helper functions) followed by the card's content. Every text taken from
//! the card goes through `escape`, so a title can never inject markup.

use std::fmt::Write;

use lodestar_domain::ProgressStatus;
use lodestar_domain::grade::Graded;
use lodestar_domain::report_card::{
    GoalCard, MeasureLine, Narrative, ObjectiveCard, Recommendation, RecommendationKind, ReportCard,
};
use lodestar_domain::status::Health;

use super::chart::sparkline;
use super::escape::{escape, escape_lines, string_literal};

/// How many highlights and concerns the one-page summary quotes.
const SUMMARY_QUOTES: usize = 4;

/// Page setup and the helpers the content calls. `org` and `period` are
/// defined just before it.
const PREAMBLE: &str = r##"
#set text(font: "Libertinus Serif", size: 10pt, lang: "en")
#set par(justify: false)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 1): set block(below: 1em)
#show heading.where(level: 2): set text(size: 12pt)
#show heading.where(level: 2): set block(above: 1.4em, below: 0.7em)
#let accent = rgb("#1f4e79")
#let grade-box(g) = box(stroke: 0.8pt + accent, inset: (x: 5pt, y: 3pt), radius: 2pt, text(weight: "bold", fill: accent, g))
#let graded(what, label, score, basis) = block(below: 0.9em)[
  #what #grade-box(label)#if score != none [ #h(0.5em) score #score of 100] \
  #text(size: 9pt, fill: luma(70))[Basis: #basis]
]
#let spark-target = (paint: luma(140), thickness: 0.5pt, dash: "dashed")
#let spark(target, lx, ly, points) = box(width: 72pt, height: 18pt, baseline: 12pt, {
  if target != none { place(line(start: (0pt, target * 1pt), end: (72pt, target * 1pt), stroke: spark-target)) }
  if points.len() > 1 {
    place(curve(stroke: 0.9pt + accent, curve.move(points.first().map(v => v * 1pt)),
      ..points.slice(1).map(p => curve.line(p.map(v => v * 1pt)))))
  }
  place(dx: lx * 1pt - 1.4pt, dy: ly * 1pt - 1.4pt, circle(radius: 1.4pt, fill: accent))
})
#let measure-row(c) = block(above: 0pt, below: 5pt, breakable: false,
  box(width: 1fr, inset: (right: 4pt), c.at(0)) + box(width: 58pt, inset: (x: 4pt), c.at(1))
  + box(width: 58pt, inset: (x: 4pt), align(right, c.at(2))) + box(width: 44pt, inset: (x: 4pt), c.at(3))
  + box(width: 76pt, inset: (left: 4pt), c.at(4)))
#let measures(..cells) = block(below: 1em, {
  measure-row(([*Measure*], [*Target*], [*Latest*], [*Health*], [*Trend*]))
  block(above: 0pt, below: 5pt, line(length: 100%, stroke: 0.5pt + luma(120)))
  for row in cells.pos().chunks(5) { measure-row(row) }
})
"##;

/// The whole Typst document for `card`.
pub(crate) fn document(card: &ReportCard) -> String {
    let mut out = String::with_capacity(4096 + card.goals.len() * 16_384);
    let org = escape(&card.organization);
    let plan = escape(&card.plan_title);
    let period = card.period;
    let date = card.as_of.date();

    // Writing to a String cannot fail; the results are ignored below.
    let _ = writeln!(
        out,
        "#set document(title: {}, author: {}, date: datetime(year: {}, month: {}, day: {}))",
        string_literal(&format!(
            "{} — annual report card {period}",
            card.plan_title
        )),
        string_literal(&card.organization),
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    out.push_str(PREAMBLE);
    cover(&mut out, card, &org, &plan);
    // The contents are numbered i, ii, ... and the report from 1, so the
    // report's page numbers do not depend on how long the contents are and
    // Typst settles them in one extra layout pass instead of two.
    let _ = writeln!(
        out,
        "#let footer(num) = text(size: 8.5pt, fill: luma(90))[{org} · {period} #h(1fr) page #num]\n\
         #set page(paper: \"a4\", margin: (x: 2.2cm, top: 2.4cm, bottom: 2.2cm),\n  \
         header: text(size: 8.5pt, fill: luma(90))[{org} #h(1fr) {plan} · annual report card {period}],\n  \
         footer: footer(context counter(page).display(\"i\")))\n\
         #counter(page).update(1)\n\
         #show outline.entry.where(level: 2): set outline.entry(fill: none)\n\
         #outline(title: [Contents], depth: 2)\n\
         #set page(footer: footer(context [#counter(page).display() of #counter(page).final().first()]))\n\
         #counter(page).update(1)"
    );
    summary(&mut out, card);
    if card.goals.is_empty() {
        out.push_str("\n#pagebreak(weak: true)\n= Goals\nThis plan has no goals to grade.\n");
    }
    for goal in &card.goals {
        goal_section(&mut out, card, goal);
    }
    recommendations(&mut out, &card.recommendations);
    out
}

fn cover(out: &mut String, card: &ReportCard, org: &str, plan: &str) {
    let _ = write!(
        out,
        "#page(paper: \"a4\", margin: 2.5cm, header: none, footer: none)[\n\
         #v(18%)\n\
         #text(size: 14pt, fill: luma(60))[{org}]\n\
         #v(0.6em)\n\
         #text(size: 26pt, weight: \"bold\")[{plan}]\n\
         #v(0.4em)\n\
         #text(size: 16pt)[Annual report card {period}]\n\
         #v(2.5em)\n\
         #text(size: 11pt)[Overall grade] #linebreak()\n\
         #text(size: 40pt, weight: \"bold\", fill: accent)[{grade}]\n\
         #v(0.4em)\n\
         #text(size: 9.5pt)[{basis}]\n\
         #v(1fr)\n\
         #text(size: 9pt, fill: luma(70))[As of {as_of}. Grades: {rule}]\n\
         ]\n",
        period = card.period,
        grade = escape(card.overall.grade.label()),
        basis = escape(&card.overall.basis),
        as_of = escape(&card.as_of.to_string()),
        rule = escape(&card.rule),
    );
}

fn summary(out: &mut String, card: &ReportCard) {
    let _ = writeln!(out, "\n#pagebreak(weak: true)\n= Summary");
    let _ = writeln!(out, "{}", graded("Overall grade", &card.overall));
    let _ = writeln!(out, "*Grading rule:* {}\n", escape(&card.rule));
    out.push_str("\n== Goals, objectives and initiatives by status\n");
    if card.counts.is_empty() {
        out.push_str("Nothing in the plan has a status yet.\n");
    } else {
        out.push_str(
            "#table(columns: (auto, auto), stroke: none, inset: (x: 6pt, y: 2pt), align: (left, right),\n",
        );
        for c in &card.counts {
            let _ = writeln!(out, "  [{}], [{}],", status_label(c.status), c.count);
        }
        out.push_str(")\n");
    }
    quotes(
        out,
        "Highlights",
        "No highlights were reported this year.",
        &card.highlights,
    );
    quotes(
        out,
        "Concerns",
        "No concerns were reported this year.",
        &card.concerns,
    );
}

fn quotes(out: &mut String, heading: &str, none: &str, items: &[Narrative]) {
    let _ = writeln!(out, "\n== {heading}");
    if items.is_empty() {
        let _ = writeln!(out, "{none}");
        return;
    }
    for n in items.iter().take(SUMMARY_QUOTES) {
        let _ = writeln!(out, "- {}", narrative(n));
    }
    if items.len() > SUMMARY_QUOTES {
        let _ = writeln!(
            out,
            "\n#text(size: 9pt)[And {} more; the latest for each objective is in its section.]",
            items.len() - SUMMARY_QUOTES
        );
    }
}

fn goal_section(out: &mut String, card: &ReportCard, goal: &GoalCard) {
    let _ = writeln!(
        out,
        "\n#pagebreak(weak: true)\n= {}",
        titled(&goal.code, &goal.title)
    );
    let _ = writeln!(out, "{}", graded("Grade", &goal.grade));
    if let Some(status) = goal.status {
        let _ = writeln!(out, "*Status:* {}\n", status_label(status));
    }
    if !goal.measures.is_empty() {
        measure_table(out, &goal.measures);
    }
    if goal.objectives.is_empty() {
        out.push_str("This goal has no objectives.\n");
    }
    for objective in &goal.objectives {
        objective_section(out, card, objective);
    }
}

fn objective_section(out: &mut String, card: &ReportCard, objective: &ObjectiveCard) {
    let _ = writeln!(out, "\n== {}", titled(&objective.code, &objective.title));
    let _ = writeln!(out, "{}", graded("Grade", &objective.grade));
    if let Some(status) = objective.status {
        let _ = writeln!(out, "*Status:* {} \\", status_label(status));
    }
    let _ = writeln!(
        out,
        "*Initiatives:* {} of {} due in {} completed\n",
        objective.initiatives_completed, objective.initiatives_due, card.period
    );
    if objective.measures.is_empty() {
        out.push_str("*Measures:* none\n\n");
    } else {
        measure_table(out, &objective.measures);
    }
    match &objective.latest_narrative {
        Some(n) => {
            let _ = writeln!(out, "*Latest narrative:* {}\n", narrative(n));
        }
        None => out.push_str("*Latest narrative:* no check-in this year\n"),
    }
}

fn measure_table(out: &mut String, lines: &[MeasureLine]) {
    out.push_str("#measures(\n");
    for m in lines {
        let unit = if m.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", escape(&m.unit))
        };
        let name = if m.reason.is_empty() {
            escape(&m.name)
        } else {
            format!(
                "{} #linebreak() #text(size: 8pt, fill: luma(80))[{}]",
                escape(&m.name),
                escape(&m.reason)
            )
        };
        let target = m
            .target
            .as_deref()
            .map(|t| format!("{}{unit}", escape(t)))
            .unwrap_or_else(|| "none".into());
        let latest = match (m.latest, &m.latest_period) {
            (Some(v), Some(p)) => format!(
                "{}{unit} #linebreak() #text(size: 8pt)[{}]",
                escape(&number(v)),
                escape(p)
            ),
            (Some(v), None) => format!("{}{unit}", escape(&number(v))),
            (None, _) => "no value".into(),
        };
        let _ = writeln!(
            out,
            "  [{name}], [{target}], [{latest}], [{}], {},",
            health_label(m.health),
            sparkline(&m.series, m.target_value)
        );
    }
    out.push_str(")\n");
}

fn recommendations(out: &mut String, items: &[Recommendation]) {
    out.push_str("\n#pagebreak(weak: true)\n= Recommendations\n");
    if items.is_empty() {
        out.push_str("No adjustments are recommended: nothing was overdue or red for two periods, and every objective has a measure.\n");
        return;
    }
    for kind in [
        RecommendationKind::OverdueTwoPeriods,
        RecommendationKind::RedTwoPeriods,
        RecommendationKind::NoMeasure,
    ] {
        let of_kind: Vec<&Recommendation> = items.iter().filter(|r| r.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n== {}", escape(kind.label()));
        for r in of_kind {
            let _ = writeln!(
                out,
                "- *{}:* {}",
                titled(&r.code, &r.title),
                escape(&r.text)
            );
        }
    }
}

/// A grade line with its score and basis.
fn graded(what: &str, g: &Graded) -> String {
    let score = g
        .score
        .map(|s| format!("[{}]", escape(&number(s))))
        .unwrap_or_else(|| "none".into());
    format!(
        "#graded([{what}], [{}], {score}, [{}])",
        escape(g.grade.label()),
        escape(&g.basis)
    )
}

/// A quoted check-in: who, when, what, and any help asked for.
fn narrative(n: &Narrative) -> String {
    let mut s = format!(
        "_{} ({}, {})_: {}",
        titled(&n.code, &n.title),
        status_label(n.status),
        escape(&n.date.to_string()),
        escape_lines(&n.text)
    );
    if let Some(help) = n.help_needed.as_deref().filter(|h| !h.trim().is_empty()) {
        let _ = write!(s, " #linebreak() *Help needed:* {}", escape_lines(help));
    }
    s
}

/// A node's code and title, escaped: "1.2 Title", or the title alone.
fn titled(code: &str, title: &str) -> String {
    if code.trim().is_empty() {
        escape(title)
    } else {
        format!("{} {}", escape(code), escape(title))
    }
}

/// A number as printed: whole numbers without decimals, others with at most two.
fn number(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A status in words, as the web pages show it.
fn status_label(status: ProgressStatus) -> &'static str {
    match status {
        ProgressStatus::NotStarted => "Not started",
        ProgressStatus::OnTrack => "On track",
        ProgressStatus::AtRisk => "At risk",
        ProgressStatus::OffTrack => "Off track",
        ProgressStatus::Completed => "Completed",
        ProgressStatus::Deferred => "Deferred",
        ProgressStatus::Cancelled => "Cancelled",
    }
}

/// A measure's colour in words.
fn health_label(health: Option<Health>) -> &'static str {
    match health {
        Some(Health::Green) => "Green",
        Some(Health::Amber) => "Amber",
        Some(Health::Red) => "Red",
        None => "No colour",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_briefly() {
        assert_eq!(number(99.5), "99.5");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(f64::NAN), "n/a");
    }

    #[test]
    fn codes_lead_titles() {
        assert_eq!(titled("1.2", "Fix #it"), r"1\.2 Fix \#it");
        assert_eq!(titled("", "Alone"), "Alone");
    }
}
