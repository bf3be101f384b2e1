//! The plan explorer against the sample plan with its measure values and
//! check-ins, on every backend: every node in its place in the tree, with
//! its status in words, and nothing inline for the Content-Security-Policy.

mod common;

use common::{Server, escaped};
use lodestar_domain::{NodeId, PlanId, ProgressStatus};
use reqwest::StatusCode;
use std::collections::HashMap;

/// A status as the page words it: `at-risk` is "At risk".
fn word(status: ProgressStatus) -> String {
    let text = status.as_str().replace('-', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The node each linked row sits under: for every `/nodes/{id}` link, the
/// node of the list item enclosing its own list item, if any.
fn parents(html: &str) -> HashMap<i64, Option<i64>> {
    let start = html.find("class=\"tree\"").expect("a tree");
    let tree = &html[start..html.find("</main>").expect("a main")];
    let mut stack: Vec<Option<i64>> = Vec::new();
    let mut found = HashMap::new();
    let mut rest = tree;
    loop {
        let next = [
            rest.find("<li"),
            rest.find("</li>"),
            rest.find("href=\"/nodes/"),
        ];
        let Some((kind, at)) = next
            .iter()
            .enumerate()
            .filter_map(|(k, at)| at.map(|a| (k, a)))
            .min_by_key(|(_, a)| *a)
        else {
            break;
        };
        match kind {
            0 => stack.push(None),
            1 => {
                stack.pop();
            }
            _ => {
                let digits: String = rest[at + 13..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let id: i64 = digits.parse().unwrap();
                if let Some(own) = stack.last_mut()
                    && own.is_none()
                {
                    *own = Some(id);
                    let parent = stack.len().checked_sub(2).and_then(|i| stack[i]);
                    found.insert(id, parent);
                }
            }
        }
        rest = &rest[at + 3..];
    }
    found
}

#[tokio::test]
async fn every_node_is_listed_under_its_parent_with_its_status_in_words() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (status, html) = s.text(&format!("/plans/{plan}/explorer")).await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        let report = s.app.plan_status(PlanId(plan)).await.unwrap();
        assert!(report.nodes.len() > 50, "the sample is the whole plan");
        let placed = parents(&html);
        for n in &report.nodes {
            let id = n.node.id.0;
            assert_eq!(
                placed.get(&id).copied(),
                Some(n.node.parent_id.map(|p: NodeId| p.0)),
                "{}: node {} ({:?}) is not under its parent",
                s.backend,
                id,
                n.node.code
            );
            let row = &html[html.find(&format!("href=\"/nodes/{id}\"")).unwrap()..];
            let row = &row[..row.find("</div>").unwrap()];
            assert!(row.contains(&escaped(n.node.title.as_str())), "{row}");
            let status_word = word(n.status.status);
            assert!(
                row.contains(&status_word),
                "{id}: {status_word} not in {row}"
            );
        }
        // Each node with children folds, and starts open.
        let with_children = report
            .nodes
            .iter()
            .filter(|n| {
                report
                    .nodes
                    .iter()
                    .any(|c| c.node.parent_id == Some(n.node.id))
            })
            .count();
        assert_eq!(html.matches("<details open").count(), with_children);
        assert_eq!(html.matches("<summary>").count(), with_children);
        common::assert_nothing_inline(&html);
    }
}

#[tokio::test]
async fn the_plan_statements_and_its_exports_are_kept() {
    let s = &Server::all_with_sample_data().await[0];
    let plan = s.first_plan_id().await;
    let (_, html) = s.text(&format!("/plans/{plan}/explorer")).await;
    assert!(
        html.contains("<h1>Harbor Falls"),
        "the plan's title heads the page"
    );
    for heading in [
        "Vision",
        "Mission",
        "Guiding principles",
        "Cross-cutting tags",
    ] {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert!(html.contains("City of Harbor Falls"));
    assert!(html.contains(&format!("href=\"/api/v1/plans/{plan}/export?format=yaml\"")));
    assert!(html.contains(">Export as YAML</a>"));
    assert!(html.contains("aria-current=\"page\">Explorer</a>"));
    // Progress is a number in words as well as a bar.
    assert!(html.contains("<progress max=\"100\""));
    assert!(html.contains("% done") || html.contains("%<span class=\"visually-hidden\"> done"));
    // The expand and collapse buttons are the script's; without it there are none.
    assert!(!html.contains("Expand all"));
    assert!(html.contains("data-tree-tools=\"tree\""));
}

#[tokio::test]
async fn an_unknown_plan_is_not_found() {
    let s = &Server::all_with_sample_data().await[0];
    for path in ["/plans/987654/explorer", "/plans/nope/explorer"] {
        let (status, html) = s.text(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"), "{path}: the error page");
    }
}
