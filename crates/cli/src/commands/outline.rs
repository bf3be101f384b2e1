//! The text `lodestar import --dry-run` prints: the draft plan as an indented
//! outline, with each warning right after the node it concerns, so a reviewer
//! reads the doubts where they arise.
//!
//! A draft's nodes do not carry the line they were read from, so each node is
//! found in the document by its title, searching forward from the previous
//! node. A warning goes after the last node found on or before its line;
//! warnings about the whole document, or about a line before the first node,
//! come first.

use lodestar_domain::document::NodeEntry;
use lodestar_services::{Draft, Warning};
use std::io::{self, Write};

/// How many characters of a title are looked for in the document: enough to
/// tell items apart, few enough to stay on the first line of a wrapped title.
const PROBE_CHARS: usize = 30;

/// How many lines past the previous node a title is looked for, so that a
/// long document whose items are not found is not searched to its end for each.
const SEARCH_LINES: usize = 5_000;

/// Writes the outline of `draft`; `text` is the text its warnings' line
/// numbers count in.
pub fn write(out: &mut impl Write, draft: &Draft, text: &str) -> io::Result<()> {
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
    let lines = locate(&nodes, text);
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

/// The 1-based line each node's title starts on, searching forward from the
/// previous node found; none for a node not found.
fn locate(nodes: &[(usize, &NodeEntry)], text: &str) -> Vec<Option<u32>> {
    let lines: Vec<String> = text.lines().map(fold).collect();
    let mut from = 0;
    nodes
        .iter()
        .map(|(_, node)| {
            let title = fold(node.title.as_str());
            let probe: String = title.chars().take(PROBE_CHARS).collect();
            let found = lines
                .iter()
                .skip(from)
                .take(SEARCH_LINES)
                .position(|l| l.contains(probe.trim()))?;
            from += found;
            u32::try_from(from + 1).ok()
        })
        .collect()
}

/// Text as compared: lower case, white space collapsed.
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lodestar_domain::document::PlanDocument;
    use lodestar_services::SourceKind;

    fn draft(warnings: Vec<Warning>) -> Draft {
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
        }
    }

    fn written(draft: &Draft, text: &str) -> String {
        let mut out = Vec::new();
        write(&mut out, draft, text).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn warnings_follow_the_node_on_or_before_their_line() {
        let text = "Harbor Falls IT Plan\nGOAL 1: Residents first\nObjective 1.1: Open data\n\
                    Some prose\nGOAL 2: Reliable   systems\n";
        let d = draft(vec![
            Warning::general("the document names no period"),
            Warning::at(1, "a title before any item"),
            Warning::at(4, "prose under 1.1"),
            Warning::at(5, "on goal 2"),
        ]);
        assert_eq!(
            written(&d, text),
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
    fn a_node_not_found_in_the_text_takes_no_warnings() {
        let d = draft(vec![Warning::at(3, "somewhere")]);
        let text = "x\nResidents first\ny\n";
        let out = written(&d, text);
        assert!(
            out.contains("1 Residents first\n  warning: line 3: somewhere\n  1.1 Open data"),
            "{out}"
        );
    }
}
