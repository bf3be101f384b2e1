//! axe-core in the page: injected through WebDriver (which the page's
//! Content-Security-Policy does not govern) and run at WCAG 2.1 A and AA.

use crate::harness::{Browser, axe_path};
use serde_json::Value;
use std::sync::OnceLock;

/// axe-core's script, read once.
fn source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        std::fs::read_to_string(axe_path())
            .unwrap_or_else(|e| panic!("read {}: {e}", axe_path().display()))
    })
}

/// Runs axe on the page and returns its violations as one line each with
/// the elements concerned, labelled with `page`.
pub async fn violations(browser: &Browser, page: &str) -> Vec<String> {
    let loaded = browser
        .js(
            &format!("{}\n;return typeof window.axe;", source()),
            Vec::new(),
        )
        .await;
    assert_eq!(loaded, "object", "axe-core did not load on {page}");
    let script = r#"
        const done = arguments[arguments.length - 1];
        window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            resultTypes: ["violations"],
        }).then(
            r => done(r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html.slice(0, 160) })),
            }))),
            e => done({ error: String(e) }),
        );"#;
    let found = browser
        .client
        .execute_async(script, Vec::new())
        .await
        .unwrap();
    if let Some(err) = found.get("error") {
        panic!("axe failed on {page}: {err}");
    }
    let path = browser.path().await;
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| describe(page, &path, v))
        .collect()
}

/// One violation in words: page, rule, impact, help and each element.
fn describe(page: &str, path: &str, v: &Value) -> String {
    let nodes: Vec<String> = v["nodes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|n| {
            format!(
                "    {} → {}",
                n["target"].as_str().unwrap_or(""),
                n["html"].as_str().unwrap_or("")
            )
        })
        .collect();
    format!(
        "{page} ({path}): {} [{}] {}\n{}",
        v["id"].as_str().unwrap_or("?"),
        v["impact"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        nodes.join("\n")
    )
}

/// Checks the page and adds its violations to `all`, printing them now so a
/// run shows every page's problems, not only the first page's.
pub async fn check(browser: &Browser, page: &str, all: &mut Vec<String>) {
    let found = violations(browser, page).await;
    if found.is_empty() {
        eprintln!("axe: {page}: no violations");
    }
    for v in &found {
        eprintln!("axe violation: {v}");
    }
    all.extend(found);
}

/// Fails with every violation collected, if any.
pub fn assert_none(all: &[String]) {
    assert!(
        all.is_empty(),
        "{} axe violation(s) at WCAG 2.1 A/AA:\n{}",
        all.len(),
        all.join("\n")
    );
}
