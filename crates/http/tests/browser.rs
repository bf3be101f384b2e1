//! End-to-end tests in a real browser: Debian's Chromium, driven through
//! chromedriver, against the real server started in-process. They do what a
//! person does (follow links, fill forms, press Tab) and check what a person
//! would see, and every page type passes axe-core at WCAG 2.1 A and AA.
//!
//! Needs `chromium`, `chromium-driver` and `npm ci` in `tests/browser`
//! (.ci/run does all three); without them each test prints what is missing
//! and passes, unless `LODESTAR_REQUIRE_BROWSER=1`.

mod common;

#[path = "browser/axe.rs"]
mod axe;
#[path = "browser/find.rs"]
mod find;
#[path = "browser/flows.rs"]
mod flows;
#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/pages.rs"]
mod pages;

use harness::{Browser, sample_sqlite};

/// The harness itself: signing in lands on the plans list, whose link opens
/// the plan; the sign-in page and the plans list pass axe, and axe does
/// catch a field without a label.
#[tokio::test]
async fn signs_in_and_opens_a_plan() {
    let server = sample_sqlite().await;
    let Some(b) = Browser::start(&server).await else {
        return;
    };
    assert_eq!(b.h1().await, "Plans");
    let mut found = Vec::new();
    axe::check(&b, "plans list", &mut found).await;
    b.link("Harbor Falls Information Technology Strategic Plan")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for_path(|p| p.starts_with("/plans/")).await;
    b.go("/login").await;
    axe::check(&b, "sign-in", &mut found).await;
    let unlabelled = "<!doctype html><html lang=en><title>t</title><main><input></main></html>";
    let encoded: String = unlabelled
        .bytes()
        .map(|c| match c {
            b'a'..=b'z' | b'0'..=b'9' => (c as char).to_string(),
            _ => format!("%{c:02X}"),
        })
        .collect();
    b.client
        .goto(&format!("data:text/html,{encoded}"))
        .await
        .unwrap();
    let caught = axe::violations(&b, "a page with an unlabelled field").await;
    assert!(
        caught.iter().any(|v| v.contains(": label [")),
        "axe missed an unlabelled input: {caught:?}"
    );
    b.quit().await;
    axe::assert_none(&found);
}
