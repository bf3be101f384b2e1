//! The text `lodestar import --dry-run` prints: the draft plan as an indented
//! outline, with each warning right after the node it concerns, so a reviewer
//! reads the doubts where they arise.
//!
//! A warning goes after the last node read from a line on or before its
//! line; warnings about the whole document, or about a line before the first
//! node, come first.

use lodestar_domain::document::NodeEntry;
use lodestar_services::{Draft, Warning};
use std::io::{self, Write};

/// Writes the outline of `draft`.
pub fn write(out: &mut impl Write, draft: &Draft) -> io::Result<()> {
    let doc = &draft.document;
    writeln!(
        out,
        "{} ({}), {}, {}-{}, read as {}",
        doc.title,
        doc.key,
        doc.organization.name,
        doc.period.start_year,
        doc.period.end_year,
        draft.source.as_str()
    )?;
    let mut nodes = Vec::new();
    flatten(&doc.nodes, 0, &mut nodes);
    let lines: Vec<Option<u32>> = (0..nodes.len())
        .map(|i| draft.lines.get(i).copied().flatten())
        .collect();
    let mut first = Vec::new();
    let mut after: Vec<Vec<&Warning>> = vec![Vec::new(); nodes.len()];
    for w in &draft.warnings {
        let node = w
            .line
            .and_then(|line| lines.iter().rposition(|l| l.is_some_and(|l| l <= line)));
        match node {
            Some(i) => after[i].push(w),
            None => first.push(w),
        }
    }
    for w in first {
        writeln!(out, "{}", warning_line(w))?;
    }
    for ((depth, node), warnings) in nodes.iter().zip(&after) {
        let indent = "  ".repeat(*depth);
        let code = node
            .code
            .as_ref()
            .map(|c| format!("{c} "))
            .unwrap_or_default();
        let horizon = node.horizon.map(|h| format!(" [{h}]")).unwrap_or_default();
        writeln!(out, "{indent}{code}{}{horizon}", node.title)?;
        for w in warnings {
            writeln!(out, "{indent}  {}", warning_line(w))?;
        }
    }
    writeln!(
        out,
        "{} {}, {} {}; nothing was stored (dry run)",
        nodes.len(),
        if nodes.len() == 1 { "node" } else { "nodes" },
        draft.warnings.len(),
        if draft.warnings.len() == 1 {
            "warning"
        } else {
            "warnings"
        }
    )
}

/// One warning on one line: `warning: line 12: …`, or `warning: …` for one
/// about the whole document.
pub fn warning_line(w: &Warning) -> String {
    match w.line {
        Some(line) => format!("warning: line {line}: {}", w.message),
        None => format!("warning: {}", w.message),
    }
}

/// The nodes in tree order, each with its depth.
fn flatten<'a>(nodes: &'a [NodeEntry], depth: usize, out: &mut Vec<(usize, &'a NodeEntry)>) {
    for node in nodes {
        out.push((depth, node));
        flatten(&node.children, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lodestar_domain::document::PlanDocument;
    use lodestar_services::SourceKind;

    fn draft(warnings: Vec<Warning>, lines: Vec<Option<u32>>) -> Draft {
        let yaml = "organization: {name: City of Harbor Falls}\nkey: hf\ntitle: Harbor Falls IT Plan\n\
                    period: {start_year: 2026, end_year: 2030}\nnodes:\n\
                    - {code: '1', title: Residents first, children: [{code: '1.1', title: Open data, horizon: short-term}]}\n\
                    - {code: '2', title: Reliable systems}\n";
        let document: PlanDocument = lodestar_services::plan_code::parse(
            "t.yaml",
            yaml,
            lodestar_services::plan_code::DocFormat::Yaml,
        )
        .unwrap();
        Draft {
            source: SourceKind::Text,
            document,
            observations: Vec::new(),
            warnings,
            lines,
        }
    }

    fn written(draft: &Draft) -> String {
        let mut out = Vec::new();
        write(&mut out, draft).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn warnings_follow_the_node_on_or_before_their_line() {
        let d = draft(
            vec![
                Warning::general("the document names no period"),
                Warning::at(1, "a title before any item"),
                Warning::at(4, "prose under 1.1"),
                Warning::at(5, "on goal 2"),
            ],
            vec![Some(2), Some(3), Some(5)],
        );
        assert_eq!(
            written(&d),
            "Harbor Falls IT Plan (hf), City of Harbor Falls, 2026-2030, read as text\n\
             warning: the document names no period\n\
             warning: line 1: a title before any item\n\
             1 Residents first\n\
             \x20 1.1 Open data [short-term]\n\
             \x20   warning: line 4: prose under 1.1\n\
             2 Reliable systems\n\
             \x20 warning: line 5: on goal 2\n\
             3 nodes, 4 warnings; nothing was stored (dry run)\n"
        );
    }

    #[test]
    fn a_node_without_a_line_takes_no_warnings() {
        let d = draft(vec![Warning::at(3, "somewhere")], vec![Some(2), None, None]);
        let out = written(&d);
        assert!(
            out.contains("1 Residents first\n  warning: line 3: somewhere\n  1.1 Open data"),
            "{out}"
        );
    }
}
