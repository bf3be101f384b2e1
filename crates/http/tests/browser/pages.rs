//! axe-core on every page type (and each form empty and sent back with
//! errors), keyboard use, and the screenshots for the README. Pages render
//! the same HTML on either backend, so these run on SQLite only.

use crate::axe;

use crate::harness::{Browser, sample_sqlite};
use fantoccini::key::Key;

/// The sign-in page, the plans list, search (with results and with none)
/// and the account page (as shown and with a mistake in its form).
#[tokio::test]
async fn axe_on_the_site_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let mut found = Vec::new();
    b.go("/login").await;
    b.heading("Sign in").await;
    axe::check(&b, "sign-in", &mut found).await;
    b.visit("/", "Plans").await;
    axe::check(&b, "plans list", &mut found).await;
    b.visit("/search?q=website", "Search").await;
    axe::check(&b, "search results", &mut found).await;
    b.visit("/search?q=zzzqqq", "Search").await;
    axe::check(&b, "search without results", &mut found).await;
    b.visit("/account", "account").await;
    axe::check(&b, "account", &mut found).await;
    b.field("Current password")
        .await
        .send_keys("not my password")
        .await
        .unwrap();
    b.field("New password")
        .await
        .send_keys("a long enough new password")
        .await
        .unwrap();
    b.field("Repeat the new password")
        .await
        .send_keys("a different long password")
        .await
        .unwrap();
    b.button("Change password").await.click().await.unwrap();
    b.xpath("//*[@aria-invalid='true']", "a field marked invalid")
        .await;
    axe::check(&b, "account with errors", &mut found).await;
    b.quit().await;
    axe::assert_none(&found);
}

/// The plan's dashboard (plain, filtered, and with a filter that names
/// nothing), explorer and roadmap.
#[tokio::test]
async fn axe_on_the_plan_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let plan = s.first_plan_id().await;
    let title = "Harbor Falls";
    let mut found = Vec::new();
    b.visit(&format!("/plans/{plan}"), title).await;
    axe::check(&b, "dashboard", &mut found).await;
    b.visit(&format!("/plans/{plan}?status=at-risk"), title)
        .await;
    axe::check(&b, "dashboard filtered", &mut found).await;
    b.go(&format!("/plans/{plan}?status=sideways")).await;
    b.xpath("//*[@aria-invalid='true']", "the filter marked invalid")
        .await;
    axe::check(&b, "dashboard with a bad filter", &mut found).await;
    b.visit(&format!("/plans/{plan}/explorer"), title).await;
    axe::check(&b, "explorer", &mut found).await;
    b.visit(&format!("/plans/{plan}/roadmap"), "").await;
    axe::check(&b, "roadmap", &mut found).await;
    b.visit(&format!("/plans/{plan}/report?period=2026"), "")
        .await;
    axe::check(&b, "report card", &mut found).await;
    b.quit().await;
    axe::assert_none(&found);
}

/// A plan's revisions and the changes between two of them.
#[tokio::test]
async fn axe_on_the_revision_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let plan = lodestar_domain::PlanId(s.first_plan_id().await);
    let mut doc = s.app.export_document(plan).await.unwrap();
    doc.nodes[0].title = lodestar_domain::Name::parse("Renamed goal").unwrap();
    doc.nodes[0].children[3].children.pop();
    s.app
        .revise_plan(plan, "review.yaml", &doc, Some("annual review"))
        .await
        .unwrap();
    let mut found = Vec::new();
    b.visit(&format!("/plans/{}/revisions", plan.0), "Revisions")
        .await;
    axe::check(&b, "revisions", &mut found).await;
    b.visit(&format!("/plans/{}/diff?from=1&to=2", plan.0), "Changes")
        .await;
    axe::check(&b, "revision diff", &mut found).await;
    b.quit().await;
    axe::assert_none(&found);
}

/// The public portal, as an anonymous visitor (the session cookie dropped):
/// the published plans, a plan's dashboard, a goal and an initiative, the
/// report card, and the 404 for something unpublished.
#[tokio::test]
async fn axe_on_the_public_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let plan = s
        .app
        .store()
        .get_plan(lodestar_domain::PlanId(s.first_plan_id().await))
        .await
        .unwrap();
    s.app.publish_plan(plan.id).await.unwrap();
    b.client.delete_all_cookies().await.unwrap();
    let key = plan.key.to_string();
    let mut found = Vec::new();
    let pages = [
        ("/public".to_owned(), "Published plans", "public plans list"),
        (
            format!("/public/plans/{key}"),
            "Harbor Falls",
            "public dashboard",
        ),
        (
            format!("/public/plans/{key}/nodes/{}", s.node_id("1").await),
            "1",
            "public goal page",
        ),
        (
            format!("/public/plans/{key}/nodes/{}", s.node_id("1.1.1").await),
            "1.1.1",
            "public initiative page",
        ),
        (
            format!("/public/plans/{key}/report?period=2026"),
            "report card 2026",
            "public report card",
        ),
        (
            "/public/plans/no-such-plan".to_owned(),
            "Not found",
            "public not found",
        ),
    ];
    for (path, h1, page) in pages {
        b.go(&path).await;
        let heading = b.h1().await;
        assert!(heading.contains(h1), "{page}: h1 “{heading}”");
        assert!(
            !b.has("//form[@action='/logout']").await,
            "{page}: shows account controls"
        );
        axe::check(&b, page, &mut found).await;
    }
    b.quit().await;
    axe::assert_none(&found);
}

/// A goal's page and an initiative's page.
#[tokio::test]
async fn axe_on_node_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let mut found = Vec::new();
    for (code, page) in [
        ("1", "goal page"),
        ("1.1", "objective page"),
        ("1.1.1", "initiative page"),
    ] {
        let id = s.node_id(code).await;
        b.visit(&format!("/nodes/{id}"), code).await;
        axe::check(&b, page, &mut found).await;
    }
    b.quit().await;
    axe::assert_none(&found);
}

/// Opens the form at `path`, checks it empty, fills `fields` (label, text;
/// a label of a select is chosen by option text after `select:`), sends it
/// with `button`, and checks it again as sent back with its errors.
async fn check_form(
    b: &Browser,
    name: &str,
    path: &str,
    fields: &[(&str, &str)],
    button: &str,
    found: &mut Vec<String>,
) {
    b.go(path).await;
    b.assert_page(path, "").await;
    b.xpath("//main//form[@method='post']", "a form").await;
    axe::check(b, &format!("{name} form"), found).await;
    for (label, text) in fields {
        let field = b.field(label).await;
        match text.strip_prefix("select:") {
            Some(option) => field.select_by_label(option).await.unwrap(),
            None => {
                field.clear().await.unwrap();
                field.send_keys(text).await.unwrap();
            }
        }
    }
    b.button(button).await.click().await.unwrap();
    b.heading("There is a problem").await;
    axe::check(b, &format!("{name} form with errors"), found).await;
}

/// Each form, empty and sent back with errors.
#[tokio::test]
async fn axe_on_the_forms() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let node = s.node_id("1.1.1").await;
    let (_, measures) = s
        .get(&format!(
            "/api/v1/measures?node_id={}",
            s.node_id("1.1").await
        ))
        .await;
    let measure = measures[0]["id"]
        .as_i64()
        .expect("a measure on objective 1.1");
    let mut found = Vec::new();
    let checkin = format!("/nodes/{node}/checkins/new");
    check_form(
        &b,
        "check-in",
        &checkin,
        &[("Percent done", "abc")],
        "File the check-in",
        &mut found,
    )
    .await;
    let edit = format!("/nodes/{node}/edit");
    check_form(
        &b,
        "edit node",
        &edit,
        &[("Title", "")],
        "Save the node",
        &mut found,
    )
    .await;
    let add = format!("/nodes/{node}/measures/new");
    check_form(
        &b,
        "add measure",
        &add,
        &[("Name", "")],
        "Add the measure",
        &mut found,
    )
    .await;
    let observe = format!("/measures/{measure}/observations/new");
    check_form(
        &b,
        "new observation",
        &observe,
        &[("Value", "abc")],
        "Record the value",
        &mut found,
    )
    .await;
    b.quit().await;
    axe::assert_none(&found);
}

/// The import upload form and the review of an uploaded document.
#[tokio::test]
async fn axe_on_the_import_pages() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../importer/tests/fixtures/harbor-falls.txt"
    );
    let (_, draft) = s
        .post_bytes("/api/v1/imports", std::fs::read(fixture).unwrap())
        .await;
    let id = draft["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no import: {draft}"));
    let mut found = Vec::new();
    b.visit("/imports/new", "Import").await;
    axe::check(&b, "import upload", &mut found).await;
    b.visit(&format!("/imports/{id}"), "").await;
    axe::check(&b, "import review", &mut found).await;
    b.quit().await;
    axe::assert_none(&found);
}

/// Whether the focused element (as [`Browser::focused`] describes it) shows
/// an outline.
fn outlined(focused: &serde_json::Value) -> bool {
    focused["outline"] != "none" && focused["outlineWidth"].as_f64().unwrap_or(0.0) >= 1.0
}

/// On the plans list, a dashboard, a goal's page and the roadmap: from the
/// top, Tab reaches the skip link first, with a visible focus; following it
/// moves the focus to the main content, and Tab from there reaches a link
/// in it, every control on the way showing its focus.
#[tokio::test]
async fn keyboard_skip_link_and_visible_focus() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let plan = s.first_plan_id().await;
    let goal = s.node_id("1").await;
    let pages = [
        "/".to_owned(),
        format!("/plans/{plan}"),
        format!("/nodes/{goal}"),
        format!("/plans/{plan}/roadmap"),
    ];
    for page in &pages {
        b.visit(page, "").await;
        b.press(Key::Tab).await;
        let skip = b.focused().await;
        assert_eq!(
            skip["text"], "Skip to main content",
            "{page}: first Tab: {skip}"
        );
        assert!(
            outlined(&skip),
            "{page}: the skip link's focus is not visible: {skip}"
        );
        b.press(Key::Enter).await;
        let main = b.focused().await;
        assert_eq!(main["tag"], "main", "{page}: after the skip link: {main}");
        let mut reached_link = false;
        for _ in 0..12 {
            b.press(Key::Tab).await;
            let now = b.focused().await;
            assert!(now["inMain"] == true, "{page}: Tab left main for {now}");
            assert!(outlined(&now), "{page}: no visible focus on {now}");
            if now["tag"] == "a" {
                reached_link = true;
                break;
            }
        }
        assert!(reached_link, "{page}: 12 Tabs from main reached no link");
    }
    b.quit().await;
}

/// The dashboard, a goal's page and the roadmap as PNG files.
#[tokio::test]
async fn screenshots_for_the_readme() {
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    // Tall enough to show more than the first screenful in the README.
    b.client.set_window_size(1280, 1500).await.unwrap();
    let plan = s.first_plan_id().await;
    b.visit(&format!("/plans/{plan}"), "Harbor Falls").await;
    b.screenshot("dashboard").await;
    b.visit(&format!("/nodes/{}", s.node_id("1").await), "Resident")
        .await;
    b.screenshot("node").await;
    b.visit(&format!("/plans/{plan}/roadmap"), "").await;
    b.screenshot("roadmap").await;
    b.quit().await;
}

/// The portfolio pages (issue 8): the intake form (empty and sent back with
/// errors), a proposal with scores, gate forms and an exception form, the
/// proposals list, the ranking with its cut line, capacity with an
/// over-allocated month, the budget roll-up and the exceptions.
#[tokio::test]
async fn axe_on_the_portfolio_pages() {
    use lodestar_domain::portfolio::*;
    use lodestar_domain::{Email, Name, NodeId, PlanId, Role};
    let s = sample_sqlite().await;
    let Some(b) = Browser::start(&s).await else {
        return;
    };
    let app = &s.app;
    let org = app
        .store()
        .get_plan(PlanId(s.first_plan_id().await))
        .await
        .unwrap()
        .organization_id;
    let user = |email: &'static str, name: &'static str, role| async move {
        app.add_user(
            &Email::parse(email).unwrap(),
            &Name::parse(name).unwrap(),
            role,
            None,
            "test password of the suite".into(),
        )
        .await
        .unwrap()
    };
    let rex = user("rex@tests.example", "Rex Reviewer", Role::Reviewer).await;
    let ada = user("ada@tests.example", "Ada Admin", Role::Administrator).await;
    let objective = NodeId(s.node_id("1.1").await);
    let draft = |title: &str, capital: i64, hours: u32| ProposalDraft {
        organization_id: org,
        plan_id: None,
        title: Name::parse(title).unwrap(),
        department_id: None,
        sponsor_id: None,
        problem: Some(lodestar_domain::LongText::parse("Kiosks fail twice a week").unwrap()),
        benefits: None,
        risk: RiskLevel::High,
        target_start: None,
        target_end: None,
        links: vec![],
        costs: vec![CostLine {
            fiscal_year: 2027,
            kind: CostKind::Capital,
            recurrence: Recurrence::OneTime,
            amount: Money::dollars(capital),
        }],
        effort: vec![EffortLine {
            role: StaffRole::parse("developer").unwrap(),
            month: "2027-03".parse().unwrap(),
            hours,
        }],
        objectives: vec![objective],
    };
    app.set_budget(
        org,
        2027,
        BudgetLimit {
            capital: Money::dollars(100_000),
            operating: Money::dollars(10_000),
        },
    )
    .await
    .unwrap();
    let role = StaffRole::parse("developer").unwrap();
    app.set_capacity(org, &role, "2027-03".parse().unwrap(), 160)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (title, capital, hours) in [
        ("Permit rebuild", 30_000, 200),
        ("Kiosk refresh", 40_000, 10),
        ("Data centre move", 90_000, 10),
    ] {
        let p = app
            .create_proposal(&rex, &draft(title, capital, hours))
            .await
            .unwrap();
        app.submit_proposal(&rex, p.value.id, p.version, None)
            .await
            .unwrap();
        app.score_proposal(&rex, p.value.id, "value", 4, Some("clear benefit"))
            .await
            .unwrap();
        ids.push(p.value.id);
    }
    let config = GovernanceConfig::default();
    for (who, to, gate) in [(&rex, "reviewed", 0), (&ada, "approved", 1)] {
        let v = app.proposal(ids[0]).await.unwrap().version;
        app.pass_gate(
            who,
            ids[0],
            v,
            to,
            "as agreed",
            &config.gates[gate].checklist,
        )
        .await
        .unwrap();
    }
    let untied = app
        .create_proposal(
            &rex,
            &ProposalDraft {
                objectives: vec![],
                ..draft("Emergency firewall", 5_000, 5)
            },
        )
        .await
        .unwrap();
    app.grant_exception(&ada, untied.value.id, untied.version, "Security incident")
        .await
        .unwrap();

    let mut found = Vec::new();
    b.visit("/proposals/new", "New proposal").await;
    axe::check(&b, "intake form", &mut found).await;
    b.field("Title")
        .await
        .send_keys("Replace the permit desk")
        .await
        .unwrap();
    b.field("Cost line 1, amount")
        .await
        .send_keys("lots")
        .await
        .unwrap();
    b.button("Submit for review").await.click().await.unwrap();
    b.xpath("//*[@aria-invalid='true']", "a field marked invalid")
        .await;
    axe::check(&b, "intake form with errors", &mut found).await;
    b.visit("/proposals", "Proposals").await;
    axe::check(&b, "proposals list", &mut found).await;
    b.visit(&format!("/proposals/{}", ids[1]), "Kiosk refresh")
        .await;
    axe::check(&b, "proposal page", &mut found).await;
    b.button("Review: move to Reviewed")
        .await
        .click()
        .await
        .unwrap();
    b.xpath("//*[@aria-invalid='true']", "the reason marked invalid")
        .await;
    axe::check(&b, "proposal page with a gate error", &mut found).await;
    b.visit(
        &format!("/proposals/{}", untied.value.id),
        "Emergency firewall",
    )
    .await;
    axe::check(&b, "draft with an exception", &mut found).await;
    b.visit("/portfolio", "Portfolio ranking").await;
    b.xpath("//tr[@class='cut-line']", "the cut line").await;
    axe::check(&b, "portfolio ranking", &mut found).await;
    b.visit("/capacity?from=2027-01&to=2027-12", "Capacity")
        .await;
    b.xpath("//tr[@class='over']", "an over-allocated month")
        .await;
    axe::check(&b, "capacity", &mut found).await;
    b.visit("/budget", "Budget").await;
    axe::check(&b, "budget", &mut found).await;
    b.visit("/proposals/exceptions", "Exceptions").await;
    axe::check(&b, "exceptions", &mut found).await;
    b.quit().await;
    axe::assert_none(&found);
}
