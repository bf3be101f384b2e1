//! What people do with the pages, in the browser, on every storage backend:
//! filter the dashboard, drill down by links, file a check-in and see its
//! effect, get a form's mistakes explained, and import a plan document.

use crate::common::Server;
use crate::find::xpath_literal;
use crate::harness::{Browser, sample_servers};
use std::collections::HashSet;

/// The sample plan's goal, objective and initiative the flows walk through.
const GOAL: &str = "Resident-Centered Digital Services";
const OBJECTIVE: &str = "Offer one front door to city services";
const INITIATIVE: &str = "Redesign the city website around resident tasks";

/// The node ids that rows of the page's tables link to (`/nodes/{id}`).
async fn linked_nodes(b: &Browser) -> HashSet<i64> {
    let hrefs = b
        .js(
            "return [...document.querySelectorAll('main table a[href^=\"/nodes/\"]')]
                .map(a => a.getAttribute('href'));",
            Vec::new(),
        )
        .await;
    hrefs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str()?.strip_prefix("/nodes/"))
        .filter_map(|h| h.split(['#', '/', '?']).next()?.parse().ok())
        .collect()
}

/// The id of the sample plan's department called `name`, and the ids of
/// the nodes in it.
async fn department(s: &Server, name: &str) -> (i64, HashSet<i64>) {
    let plan = s.first_plan_id().await;
    let (_, departments) = s.get("/api/v1/departments").await;
    let id = departments
        .as_array()
        .unwrap_or_else(|| panic!("departments: {departments}"))
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no department {name}"))["id"]
        .as_i64()
        .unwrap();
    let (_, nodes) = s.get(&format!("/api/v1/nodes?plan_id={plan}")).await;
    let inside = nodes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["department_id"].as_i64() == Some(id))
        .filter_map(|n| n["id"].as_i64())
        .collect();
    (id, inside)
}

/// Choosing a department in the dashboard's filter form and applying it
/// puts the filter in the URL, and every node the dashboard then lists is in
/// that department, where before some were not.
#[tokio::test]
async fn filtering_the_dashboard_by_department() {
    for s in sample_servers().await {
        let Some(b) = Browser::start(&s).await else {
            return;
        };
        let (dept, inside) = department(&s, "Public Works Department").await;
        let plan = s.first_plan_id().await;
        b.visit(&format!("/plans/{plan}"), "Harbor Falls").await;
        let before = linked_nodes(&b).await;
        assert!(
            before.iter().any(|n| !inside.contains(n)),
            "{}: the unfiltered dashboard lists no node outside Public Works",
            s.backend
        );
        b.field("Department")
            .await
            .select_by_label("Public Works Department")
            .await
            .unwrap();
        b.button("Apply filters").await.click().await.unwrap();
        let path = b
            .wait_for_path(|p| p.contains(&format!("department={dept}")))
            .await;
        assert!(path.starts_with(&format!("/plans/{plan}?")), "{path}");
        let after = linked_nodes(&b).await;
        let outside: Vec<_> = after.difference(&inside).collect();
        assert!(
            outside.is_empty(),
            "{}: filtered to Public Works, the dashboard still lists nodes {outside:?}",
            s.backend
        );
        assert!(b.main_text().await.contains("Public Works Department"));
        b.quit().await;
    }
}

/// How many initiatives of `goal` the dashboard counts as `status`.
async fn dashboard_count(b: &Browser, goal: &str, status: &str) -> u32 {
    let list = format!(
        "//ul[starts-with(@aria-label, 'Initiatives of') and contains(@aria-label, {})]",
        xpath_literal(goal)
    );
    b.xpath(&list, "the goal's status counts").await;
    let item = format!(
        "{list}/li[contains(normalize-space(.), {})]",
        xpath_literal(status)
    );
    match b.all(&item).await.first() {
        None => 0,
        Some(li) => {
            let text = li.text().await.unwrap();
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            digits
                .parse()
                .unwrap_or_else(|_| panic!("no count in “{text}”"))
        }
    }
}

/// The node page's "Status: …" line.
async fn node_status(b: &Browser) -> String {
    b.xpath(
        "//main//p[starts-with(normalize-space(.), 'Status:')]",
        "status line",
    )
    .await
    .text()
    .await
    .unwrap()
}

/// From the dashboard, links lead to a goal, its objective and an
/// initiative; a check-in filed there through the form changes the
/// initiative's status on its page and the goal's counts on the dashboard.
#[tokio::test]
async fn drilling_down_and_filing_a_check_in() {
    for s in sample_servers().await {
        let Some(b) = Browser::start(&s).await else {
            return;
        };
        let plan = s.first_plan_id().await;
        b.visit(&format!("/plans/{plan}"), "Harbor Falls").await;
        let off_before = dashboard_count(&b, GOAL, "Off track").await;

        b.link(GOAL).await.click().await.unwrap();
        b.wait_for_path(|p| p.starts_with("/nodes/")).await;
        assert!(b.h1().await.contains(GOAL), "{}", b.h1().await);
        b.link(OBJECTIVE).await.click().await.unwrap();
        b.wait_for_path(|p| p.starts_with("/nodes/")).await;
        assert!(b.h1().await.contains(OBJECTIVE), "{}", b.h1().await);
        b.link(INITIATIVE).await.click().await.unwrap();
        let node = b.wait_for_path(|p| p.starts_with("/nodes/")).await;
        assert!(b.h1().await.contains(INITIATIVE), "{}", b.h1().await);
        let status_before = node_status(&b).await;
        assert!(!status_before.contains("Off track"), "{status_before}");

        b.link("New check-in").await.click().await.unwrap();
        b.wait_for_path(|p| p == format!("{node}/checkins/new"))
            .await;
        b.field("Status")
            .await
            .select_by_label("Off track")
            .await
            .unwrap();
        b.field("Percent done").await.send_keys("35").await.unwrap();
        b.field("What happened")
            .await
            .send_keys("The vendor missed the beta date.")
            .await
            .unwrap();
        b.button("File the check-in").await.click().await.unwrap();
        b.wait_for_path(|p| p == node || p.starts_with(&format!("{node}?")))
            .await;
        let status_after = node_status(&b).await;
        assert!(
            status_after.contains("Off track"),
            "{}: after an off-track check-in the page says “{status_after}”",
            s.backend
        );
        assert!(
            b.main_text()
                .await
                .contains("The vendor missed the beta date.")
        );

        b.visit(&format!("/plans/{plan}"), "Harbor Falls").await;
        let off_after = dashboard_count(&b, GOAL, "Off track").await;
        assert_eq!(
            off_after,
            off_before + 1,
            "{}: the goal's off-track count on the dashboard",
            s.backend
        );
        b.quit().await;
    }
}

/// A check-in with "abc" for its percent comes back with the message next
/// to that field, tied to it for screen readers, and what was typed kept.
#[tokio::test]
async fn an_invalid_check_in_explains_itself_and_keeps_the_text() {
    for s in sample_servers().await {
        let Some(b) = Browser::start(&s).await else {
            return;
        };
        let node = s.node_id("1.1.1").await;
        b.visit(&format!("/nodes/{node}/checkins/new"), "check-in")
            .await;
        b.field("Percent done")
            .await
            .send_keys("abc")
            .await
            .unwrap();
        b.field("Next steps")
            .await
            .send_keys("Test the beta with residents.")
            .await
            .unwrap();
        b.button("File the check-in").await.click().await.unwrap();
        b.heading("There is a problem").await;
        let percent = b.field("Percent done").await;
        assert_eq!(percent.prop("value").await.unwrap().as_deref(), Some("abc"));
        assert_eq!(
            percent.attr("aria-invalid").await.unwrap().as_deref(),
            Some("true")
        );
        let next = b.field("Next steps").await;
        assert_eq!(
            next.prop("value").await.unwrap().as_deref(),
            Some("Test the beta with residents."),
            "{}: typed text lost",
            s.backend
        );
        let message = b
            .js(
                "const f = arguments[0];
                 const ids = (f.getAttribute('aria-describedby') || '').split(/\\s+/);
                 const m = ids.map(id => document.getElementById(id))
                    .find(e => e && e.id.endsWith('error') && e.parentElement === f.parentElement);
                 return m ? m.textContent.trim() : null;",
                vec![serde_json::to_value(&percent).unwrap()],
            )
            .await;
        assert!(
            message.as_str().is_some_and(|m| !m.is_empty()),
            "{}: no message beside the percent field tied by aria-describedby",
            s.backend
        );
        b.quit().await;
    }
}

/// A plan document uploaded through `/imports/new`, reviewed and confirmed
/// becomes a plan whose dashboard the browser lands on.
#[tokio::test]
async fn importing_a_plan_document() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../importer/tests/fixtures/harbor-falls.txt")
        .canonicalize()
        .unwrap();
    for s in sample_servers().await {
        let Some(b) = Browser::start(&s).await else {
            return;
        };
        let sample = s.first_plan_id().await;
        b.go("/").await;
        b.link("Import a plan").await.click().await.unwrap();
        b.wait_for_path(|p| p == "/imports/new").await;
        let file = b.xpath("//main//input[@type='file']", "file field").await;
        file.send_keys(&fixture.display().to_string())
            .await
            .unwrap();
        let submit = "//main//form[.//input[@type='file']]//button[not(@type) or @type='submit']";
        b.xpath(submit, "upload button")
            .await
            .click()
            .await
            .unwrap();
        let review = b
            .wait_for_path(|p| p.starts_with("/imports/") && p != "/imports/new")
            .await;
        assert!(
            b.main_text()
                .await
                .contains("Residents reach every city service online"),
            "{}: the review at {review} does not show the document's first goal",
            s.backend
        );
        b.button("Confirm").await.click().await.unwrap();
        let dashboard = b
            .wait_for_path(|p| {
                p.strip_prefix("/plans/")
                    .and_then(|id| id.parse::<i64>().ok())
                    .is_some_and(|id| id != sample)
            })
            .await;
        assert!(
            b.main_text()
                .await
                .contains("Residents reach every city service online"),
            "{}: the new plan's dashboard {dashboard} does not show its first goal",
            s.backend
        );
        b.quit().await;
    }
}
