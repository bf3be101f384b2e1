//! The report card as Markdown: the summary, then each goal and objective
//! with its grade, the basis beside it, and the evidence.

use lodestar_domain::grade::Graded;
use lodestar_domain::report_card::{MeasureLine, Narrative, ReportCard};
use std::fmt::Write;

/// The report card as a Markdown document.
pub fn render(card: &ReportCard) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_card(&mut out, card);
    out
}

fn write_card(out: &mut String, card: &ReportCard) -> std::fmt::Result {
    writeln!(
        out,
        "# {} — Report card {}",
        esc(&card.plan_title),
        card.period
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{} · plan `{}` · drawn up {}",
        esc(&card.organization),
        card.plan_key,
        card.as_of
    )?;
    writeln!(out)?;
    writeln!(out, "## Summary")?;
    writeln!(out)?;
    writeln!(
        out,
        "**Overall grade: {}**{}",
        card.overall.grade,
        score(&card.overall)
    )?;
    writeln!(out)?;
    writeln!(out, "Basis: {}", card.overall.basis)?;
    writeln!(out)?;
    writeln!(out, "Grading rule: {}.", card.rule)?;
    writeln!(out)?;
    writeln!(out, "| Status | Count |")?;
    writeln!(out, "| --- | ---: |")?;
    for c in &card.counts {
        writeln!(out, "| {} | {} |", c.status, c.count)?;
    }
    writeln!(out)?;
    narratives(out, "Highlights", &card.highlights)?;
    narratives(out, "Concerns", &card.concerns)?;
    writeln!(out, "## Goals")?;
    writeln!(out)?;
    writeln!(out, "| Goal | Grade | Score | Basis |")?;
    writeln!(out, "| --- | --- | ---: | --- |")?;
    for g in &card.goals {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&heading(&g.code, &g.title)),
            g.grade.grade,
            g.grade
                .score
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into()),
            cell(&g.grade.basis)
        )?;
    }
    writeln!(out)?;
    for g in &card.goals {
        writeln!(out, "## {}", esc(&heading(&g.code, &g.title)))?;
        writeln!(out)?;
        writeln!(
            out,
            "**Grade: {}**{} — {}",
            g.grade.grade,
            score(&g.grade),
            g.grade.basis
        )?;
        writeln!(out)?;
        measures(out, &g.measures)?;
        for o in &g.objectives {
            writeln!(out, "### {}", esc(&heading(&o.code, &o.title)))?;
            writeln!(out)?;
            writeln!(
                out,
                "**Grade: {}**{} — {}",
                o.grade.grade,
                score(&o.grade),
                o.grade.basis
            )?;
            writeln!(out)?;
            if let Some(s) = o.status {
                writeln!(out, "- Status: {s}")?;
            }
            writeln!(
                out,
                "- Initiatives due in {}: {} completed of {}",
                card.period, o.initiatives_completed, o.initiatives_due
            )?;
            writeln!(out)?;
            measures(out, &o.measures)?;
            if let Some(n) = &o.latest_narrative {
                writeln!(
                    out,
                    "Latest check-in ({}, {}, {}):",
                    n.date,
                    heading(&n.code, &n.title),
                    n.status
                )?;
                writeln!(out)?;
                quote(out, n)?;
            }
        }
    }
    writeln!(out, "## Recommendations")?;
    writeln!(out)?;
    if card.recommendations.is_empty() {
        writeln!(out, "None.")?;
    }
    for r in &card.recommendations {
        writeln!(
            out,
            "- **{}** — {}: {}",
            r.kind.label(),
            esc(&heading(&r.code, &r.title)),
            esc(&r.text)
        )?;
    }
    Ok(())
}

fn narratives(out: &mut String, title: &str, list: &[Narrative]) -> std::fmt::Result {
    writeln!(out, "### {title}")?;
    writeln!(out)?;
    if list.is_empty() {
        writeln!(out, "None in this year's check-ins.")?;
        writeln!(out)?;
    }
    for n in list {
        writeln!(
            out,
            "- **{}** ({}, {})",
            esc(&heading(&n.code, &n.title)),
            n.status,
            n.date
        )?;
        writeln!(out)?;
        quote(out, n)?;
    }
    Ok(())
}

fn quote(out: &mut String, n: &Narrative) -> std::fmt::Result {
    if !n.text.is_empty() {
        writeln!(out, "  > {}", esc(&one_line(&n.text)))?;
        writeln!(out)?;
    }
    if let Some(help) = &n.help_needed {
        writeln!(out, "  > Help needed: {}", esc(&one_line(help)))?;
        writeln!(out)?;
    }
    Ok(())
}

fn measures(out: &mut String, lines: &[MeasureLine]) -> std::fmt::Result {
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(out, "| Measure | Target | Latest | Health | Trend |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for m in lines {
        let unit = if m.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", m.unit)
        };
        let latest = match (m.latest, &m.latest_period) {
            (Some(v), Some(p)) => format!("{v}{unit} ({p})"),
            _ => "no value".into(),
        };
        let trend: Vec<String> = m
            .series
            .iter()
            .map(|p| format!("{} {}", p.period, p.value))
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&m.name),
            m.target
                .as_deref()
                .map(|t| format!("{t}{unit}"))
                .unwrap_or_else(|| "none".into()),
            latest,
            m.health
                .map(|h| h.to_string())
                .unwrap_or_else(|| "no data".into()),
            if trend.is_empty() {
                "—".into()
            } else {
                trend.join(", ")
            }
        )?;
    }
    writeln!(out)
}

/// "1.2 Title", or the title alone for a node without a code.
fn heading(code: &str, title: &str) -> String {
    if code.is_empty() {
        title.to_string()
    } else {
        format!("{code} {title}")
    }
}

fn score(g: &Graded) -> String {
    g.score.map(|s| format!(" (score {s})")).unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes the characters that would start Markdown markup inside text.
fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            s.push('\\');
        }
        s.push(ch);
    }
    s
}

/// Text for a table cell: one line, pipes and markup escaped.
fn cell(text: &str) -> String {
    esc(&one_line(text))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
