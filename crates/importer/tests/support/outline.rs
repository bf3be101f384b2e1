//! A draft's tree as text, one `code title [horizon]` line per node indented
//! by depth, so that tests compare whole trees in one readable assertion.

use lodestar_domain::document::NodeEntry;
use lodestar_importer::Draft;

/// The lines of the draft's tree.
pub fn outline(draft: &Draft) -> Vec<String> {
    fn walk(node: &NodeEntry, depth: usize, out: &mut Vec<String>) {
        let horizon = node.horizon.map(|h| format!(" [{h}]")).unwrap_or_default();
        let code = node.code.as_ref().map_or("-", |c| c.as_str());
        out.push(format!(
            "{}{code} {}{horizon}",
            "  ".repeat(depth),
            node.title.as_str()
        ));
        for child in &node.children {
            walk(child, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for node in &draft.document.nodes {
        walk(node, 0, &mut out);
    }
    out
}
