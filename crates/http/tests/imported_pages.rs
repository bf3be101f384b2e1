//! Every page type against imported plans, not only the sample: the fictional
//! city's plan in each format the importer reads, and the published plans in
//! `../shared/plans/` when that folder is beside the repository (skipped with
//! a notice otherwise). Imported plans have no owners, dates or measures and
//! often odd shapes (one level, five levels, hundreds of items); every page
//! must still draw, and show the plan's items.

mod common;

use common::{Server, escaped};
use lodestar_domain::{PlanId, PlanTree};
use lodestar_services::Overrides;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};

/// The fictional city's plan documents the importer's own tests use.
fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../importer/tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The published plans, when `../shared/plans` (or `$LODESTAR_SHARED_DIR/plans`) is there.
fn shared_plans() -> Vec<PathBuf> {
    let dir = std::env::var_os("LODESTAR_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
        .join("plans");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "notice: {} not found (set LODESTAR_SHARED_DIR); pages were drawn for the fixtures only",
            dir.display()
        );
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt") && !p.to_string_lossy().contains(".expected.")
        })
        .collect();
    files.sort();
    files
}

/// Imports `file` as a new plan and returns its id.
async fn import(s: &Server, file: &Path, key: &str) -> PlanId {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let overrides = Overrides {
        key: Some(lodestar_domain::Key::parse(key).unwrap()),
        ..Overrides::default()
    };
    let pending = s
        .app
        .start_import(&name, std::fs::read(file).unwrap(), &overrides)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    s.app.confirm_import(pending.id, None).await.unwrap().id
}

async fn page(s: &Server, path: &str, what: &str) -> String {
    let (status, html) = s.text(path).await;
    assert_eq!(status, StatusCode::OK, "{what}: {path}");
    common::assert_nothing_inline(&html);
    html
}

/// Draws the plan's dashboard, explorer and roadmap and its first and last
/// items' pages, and checks that each shows what it should.
async fn draw_every_page(s: &Server, plan: PlanId, what: &str) {
    let tree: PlanTree = s.app.store().plan_tree(plan).await.unwrap();
    let nodes = tree.walk();
    assert!(!nodes.is_empty(), "{what}: the import made no items");
    let first = &nodes[0].node;
    let last = &nodes[nodes.len() - 1].node;
    let id = plan.0;

    let dashboard = page(s, &format!("/plans/{id}"), what).await;
    assert!(
        dashboard.contains(&format!("href=\"/nodes/{}\"", first.id.0)),
        "{what}: the dashboard links to the first goal"
    );
    let explorer = page(s, &format!("/plans/{id}/explorer"), what).await;
    for n in &nodes {
        assert!(
            explorer.contains(&format!("href=\"/nodes/{}\"", n.node.id.0)),
            "{what}: the explorer lists {}",
            n.node.title
        );
    }
    page(s, &format!("/plans/{id}/roadmap"), what).await;
    for node in [first, last] {
        let html = page(s, &format!("/nodes/{}", node.id.0), what).await;
        assert!(
            html.contains(&escaped(node.title.as_str())),
            "{what}: the page of {} shows its title",
            node.title
        );
    }
    let word = first
        .title
        .as_str()
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap();
    let found = page(s, &format!("/search?q={}", common::query_value(word)), what).await;
    assert!(
        found.contains(&format!("href=\"/nodes/{}\"", first.id.0)),
        "{what}: search for {word:?} finds the first goal"
    );
}

#[tokio::test]
async fn every_page_draws_for_the_fixture_plan_in_each_format() {
    for s in Server::all(false).await {
        for (i, file) in fixtures().iter().enumerate() {
            let what = format!("{} on {}", file.display(), s.backend);
            let plan = import(&s, file, &format!("fixture-{i}")).await;
            draw_every_page(&s, plan, &what).await;
        }
    }
}

#[tokio::test]
async fn every_page_draws_for_the_published_plans() {
    let s = Server::sqlite(false).await;
    for (i, file) in shared_plans().iter().enumerate() {
        let what = file.display().to_string();
        let plan = import(&s, file, &format!("published-{i}")).await;
        draw_every_page(&s, plan, &what).await;
    }
}
