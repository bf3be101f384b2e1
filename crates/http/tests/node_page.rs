//! The node page against the sample plan with its measure values and
//! check-ins, on every backend: a goal's children and measure trends, an
//! initiative's check-ins and alignment links, controls only for those who
//! may use them, and a 404 for a node that does not exist.

mod common;

use common::Server;
use lodestar_domain::{LongText, NodeId, ProgressStatus, StatusOverrideDraft};
use reqwest::StatusCode;

/// The page of the node with `code`, as the administrator sees it.
async fn page(s: &Server, code: &str) -> (i64, String) {
    let id = s.node_id(code).await;
    let (status, html) = s.text(&format!("/nodes/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{}: {code}", s.backend);
    common::assert_nothing_inline(&html);
    (id, html)
}

#[tokio::test]
async fn a_goal_shows_its_children_and_its_measures_with_trends_and_data() {
    for s in Server::all_with_sample_data().await {
        let (id, html) = page(&s, "1").await;
        assert!(html.contains("Resident-Centered Digital Services</h1>"));
        assert!(html.contains("aria-label=\"Breadcrumbs\""));
        for child in ["1.1", "1.2", "1.3", "1.4"] {
            let child_id = s.node_id(child).await;
            assert!(
                html.contains(&format!("<a href=\"/nodes/{child_id}\">")),
                "{}: child {child} is listed",
                s.backend
            );
        }
        let children = &html[html.find("<table class=\"children\"").unwrap()..];
        assert!(
            children.contains("class=\"badge status-"),
            "children carry a badge"
        );
        let measures = s.app.store().node_measures(NodeId(id)).await.unwrap();
        assert!(!measures.is_empty());
        for m in &measures {
            let at = html
                .find(&format!(
                    "<section class=\"measure\" id=\"measure-{}\"",
                    m.id
                ))
                .unwrap_or_else(|| panic!("{}: a section for {}", s.backend, m.name));
            let section = &html[at..at + html[at..].find("</section>").unwrap()];
            assert!(section.contains(&m.name.to_string()));
            assert!(section.contains("<svg") && section.contains("role=\"img\""));
            assert!(section.contains("<title id=") && section.contains("<desc id="));
            assert!(section.contains("class=\"target\""), "the target line");
            assert!(section.contains("band-green"), "the threshold bands");
            let series = s.app.measure_series(m.id).await.unwrap();
            let latest = series.last().unwrap();
            assert!(
                section.contains(&format!("<th scope=\"row\">{}</th>", latest.period)),
                "{}: the data table has the latest period",
                s.backend
            );
            assert!(section.contains("Baseline") && section.contains("Thresholds"));
            assert!(section.contains(&format!("/measures/{}/observations/new", m.id)));
        }
    }
}

#[tokio::test]
async fn an_initiative_shows_its_check_ins_newest_first_and_its_milestones() {
    for s in Server::all_with_sample_data().await {
        let (_, html) = page(&s, "1.1.2").await;
        let latest = html
            .find("14,200 residents have signed up")
            .unwrap_or_else(|| panic!("{}: the latest check-in's text", s.backend));
        assert!(html.contains("<dt>Help needed</dt>"));
        assert!(html.contains("escalate the connector delay"));
        assert!(html.contains("62% done"));
        assert!(html.contains("<h2>Milestones</h2>"));
        let crumbs = &html[html.find("aria-label=\"Breadcrumbs\"").unwrap()..];
        let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
        let (goal, objective) = (s.node_id("1").await, s.node_id("1.1").await);
        let plan = s.first_plan_id().await;
        let trail = [
            format!("<a href=\"/plans/{plan}\">"),
            format!("<a href=\"/nodes/{goal}\">1 Resident-Centered Digital Services</a>"),
            format!("<a href=\"/nodes/{objective}\">1.1 Offer one front door"),
            "aria-current=\"page\">1.1.2 ".to_owned(),
        ];
        let mut from = 0;
        for step in &trail {
            let at = crumbs[from..]
                .find(step.as_str())
                .unwrap_or_else(|| panic!("{step} in {crumbs}"));
            from += at;
        }
        // A newer check-in goes to the top.
        let node = NodeId(s.node_id("1.1.2").await);
        let draft = serde_json::from_value(serde_json::json!({
            "status": "on-track", "percent": 70,
            "happened": "The vendor delivered the permitting connector"
        }))
        .unwrap();
        s.app.file_checkin(node, &draft).await.unwrap();
        let (_, html) = s.text(&format!("/nodes/{}", node.0)).await;
        let newest = html
            .find("The vendor delivered the permitting connector")
            .unwrap();
        let older = html.find("14,200 residents have signed up").unwrap();
        assert!(newest < older, "{}: newest first", s.backend);
        assert!(latest > 0);
    }
}

#[tokio::test]
async fn alignment_links_show_both_ways_and_an_override_shows_its_reason() {
    for s in Server::all_with_sample_data().await {
        let from = s.node_id("1.1.2").await;
        let other = s
            .app
            .import_plan_code(
                "county.yaml",
                "organization: {name: Harbor County}\nkey: county-it\ntitle: County IT plan\n\
                 period: {start_year: 2025, end_year: 2029}\nnodes:\n  - {code: C1, title: Shared services}\n",
            )
            .await
            .unwrap();
        let to = s.app.store().plan_nodes(other.id).await.unwrap()[0].id.0;
        let (status, body) = s
            .post(
                "/api/v1/alignments",
                &serde_json::json!({"from_node_id": from, "to_node_id": to, "note": "Shares the identity service"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, html) = s.text(&format!("/nodes/{from}")).await;
        let section = &html[html.find("<h2>Alignment</h2>").unwrap()..];
        assert!(section.contains("supports</h3>"));
        assert!(section.contains(&format!("<a href=\"/nodes/{to}\">C1 Shared services</a>")));
        assert!(section.contains("in County IT plan"));
        assert!(section.contains("Shares the identity service"));
        let (status, html) = s.text(&format!("/nodes/{to}")).await;
        assert_eq!(status, StatusCode::OK);
        let section = &html[html.find("<h2>Alignment</h2>").unwrap()..];
        assert!(section.contains("Supporting this"));
        assert!(section.contains(&format!("<a href=\"/nodes/{from}\">1.1.2 ")));

        let draft = StatusOverrideDraft {
            status: ProgressStatus::OffTrack,
            reason: LongText::parse("The vendor has gone bankrupt").unwrap(),
            set_by: None,
        };
        s.app
            .set_status_override(NodeId(from), None, &draft)
            .await
            .unwrap();
        let (_, html) = s.text(&format!("/nodes/{from}")).await;
        let head = &html[html.find("<h1>").unwrap()..html.find("<h2>").unwrap()];
        assert!(
            head.contains("Off track"),
            "{}: the override's status",
            s.backend
        );
        assert!(head.contains("The vendor has gone bankrupt"));
        assert!(head.contains("The roll-up alone gives"));
    }
}

#[tokio::test]
async fn controls_show_only_where_the_viewer_may_act() {
    for s in Server::all_with_sample_data().await {
        let id = s.node_id("1.1.2").await;
        let path = format!("/nodes/{id}");
        let (_, html) = s.text(&path).await;
        for control in [
            format!("href=\"/nodes/{id}/checkins/new\">New check-in</a>"),
            format!("href=\"/nodes/{id}/edit\">Edit</a>"),
            format!("href=\"/nodes/{id}/measures/new\">Add a measure</a>"),
        ] {
            assert!(
                html.contains(&control),
                "{}: admin sees {control}",
                s.backend
            );
        }
        let viewer = s.viewer().await;
        let res = viewer.get(s.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("14,200 residents"),
            "the viewer reads the page"
        );
        for absent in ["New check-in", "/edit\"", "Add a measure", "Record a value"] {
            assert!(
                !html.contains(absent),
                "{}: a viewer sees {absent}",
                s.backend
            );
        }
        let goal = s.node_id("1").await;
        let res = viewer
            .get(s.url(&format!("/nodes/{goal}")))
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("role=\"img\"") && !html.contains("Record a value"));
    }
}

#[tokio::test]
async fn a_saved_form_leaves_a_notice_and_an_unknown_node_is_not_found() {
    let s = &Server::all_with_sample_data().await[0];
    let id = s.node_id("1.1").await;
    for (saved, text) in [
        ("checkin", "Your check-in was saved."),
        ("observation", "The value was recorded."),
        ("node", "Your changes were saved."),
        ("measure", "The measure was added."),
    ] {
        let (_, html) = s.text(&format!("/nodes/{id}?saved={saved}")).await;
        assert!(html.contains(&format!("<p class=\"notice\" role=\"status\">{text}</p>")));
    }
    let (_, html) = s.text(&format!("/nodes/{id}?saved=nonsense")).await;
    assert!(!html.contains("class=\"notice\""));
    let (_, html) = s.text(&format!("/nodes/{id}")).await;
    assert!(!html.contains("class=\"notice\""));
    for path in ["/nodes/987654", "/nodes/abc"] {
        let (status, html) = s.text(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"));
    }
}
