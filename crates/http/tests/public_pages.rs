//! The public portal as a visitor sees it: published plans only, a plan's
//! dashboard, node pages with measures, charts and updates, withholding and
//! unpublishing through the API, and who may publish.

mod common;

use common::{Server, assert_nothing_inline};
use reqwest::StatusCode;

async fn anonymous(s: &Server, path: &str) -> (StatusCode, String) {
    let res = s.anonymous.get(s.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn publish(s: &Server) -> (i64, String) {
    let plan = s.first_plan_id().await;
    let res = s
        .http
        .put(s.url(&format!("/api/v1/plans/{plan}/publication")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", s.backend);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["published"], true, "{}: {body}", s.backend);
    (plan, "harbor-falls-it-2025".to_owned())
}

#[tokio::test]
async fn a_plan_is_private_until_published_and_then_readable_without_signing_in() {
    for s in Server::all_with_sample_data().await {
        let (status, index) = anonymous(&s, "/public").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            index.contains("No plan is published yet"),
            "{}: {index}",
            s.backend
        );
        let (status, _) = anonymous(&s, "/public/plans/harbor-falls-it-2025").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", s.backend);

        let (_, key) = publish(&s).await;
        let (_, index) = anonymous(&s, "/public").await;
        assert!(
            index.contains(&format!("href=\"/public/plans/{key}\"")),
            "{}: {index}",
            s.backend
        );
        assert!(index.contains("City of Harbor Falls"), "{}", s.backend);
        assert!(
            !index.contains("Sign out"),
            "{}: the public frame has no account controls",
            s.backend
        );

        let (status, dash) = anonymous(&s, &format!("/public/plans/{key}")).await;
        assert_eq!(status, StatusCode::OK, "{}: {dash}", s.backend);
        assert_nothing_inline(&dash);
        assert!(dash.contains("Harbor Falls Information Technology Strategic Plan"));
        assert!(
            dash.contains("Status at a glance") && dash.contains("class=\"badge"),
            "{}",
            s.backend
        );
        let goal = s.node_id("1").await;
        assert!(
            dash.contains(&format!("/public/plans/{key}/nodes/{goal}")),
            "{}",
            s.backend
        );
        assert!(dash.contains("Measures needing attention"), "{}", s.backend);
        assert!(
            dash.contains(&format!("/public/plans/{key}/nodes.csv")),
            "{}",
            s.backend
        );
    }
}

#[tokio::test]
async fn a_node_page_shows_status_measures_with_chart_and_table_updates_and_children() {
    for s in Server::all_with_sample_data().await {
        let (_, key) = publish(&s).await;
        let goal = s.node_id("1").await;
        let (status, page) = anonymous(&s, &format!("/public/plans/{key}/nodes/{goal}")).await;
        assert_eq!(status, StatusCode::OK, "{}: {page}", s.backend);
        assert_nothing_inline(&page);
        assert!(
            page.contains("Beneath it"),
            "{}: children listed",
            s.backend
        );
        let objective = s.node_id("1.1").await;
        assert!(
            page.contains(&format!("/public/plans/{key}/nodes/{objective}")),
            "{}",
            s.backend
        );

        // Some published node has a measure with values: its chart and table are drawn.
        let public = s.app.public_plan(&key).await.unwrap();
        let measured = public
            .measures
            .iter()
            .find(|m| m.observations.iter().any(|o| o.value.is_some()))
            .expect("the sample has values");
        let (_, page) = anonymous(
            &s,
            &format!("/public/plans/{key}/nodes/{}", measured.node_id.0),
        )
        .await;
        assert!(
            page.contains("<svg class=\"trend-chart\""),
            "{}: no chart",
            s.backend
        );
        assert!(
            page.contains(&format!("Values of {}", measured.name)),
            "{}: no table",
            s.backend
        );

        let reported = public
            .nodes
            .iter()
            .find(|n| !n.checkins.is_empty())
            .expect("the sample has check-ins");
        let (_, page) =
            anonymous(&s, &format!("/public/plans/{key}/nodes/{}", reported.id.0)).await;
        assert!(
            page.contains("Updates") && page.contains(&reported.checkins[0].date.to_string()),
            "{}",
            s.backend
        );
    }
}

#[tokio::test]
async fn withholding_a_goal_hides_its_subtree_and_measures_until_released() {
    for s in Server::all_with_sample_data().await {
        let (_, key) = publish(&s).await;
        let goal = s.node_id("1").await;
        let initiative = s.node_id("1.1.1").await;
        assert_eq!(
            s.delete(&format!("/api/v1/nodes/{goal}/publication")).await,
            StatusCode::OK
        );
        let public = s.app.public_plan(&key).await.unwrap();
        assert!(
            public.node(lodestar_domain::NodeId(goal)).is_none(),
            "{}",
            s.backend
        );
        assert!(
            public.nodes.iter().all(|n| n
                .code
                .as_ref()
                .is_none_or(|c| !c.as_str().starts_with("1."))),
            "{}",
            s.backend
        );
        assert!(
            public
                .measures
                .iter()
                .all(|m| public.node(m.node_id).is_some()),
            "{}",
            s.backend
        );
        for id in [goal, initiative] {
            let (status, _) = anonymous(&s, &format!("/public/plans/{key}/nodes/{id}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{}: node {id}", s.backend);
        }
        let (_, dash) = anonymous(&s, &format!("/public/plans/{key}")).await;
        assert!(!dash.contains(&format!("/nodes/{goal}\"")), "{}", s.backend);

        let res = s
            .http
            .put(s.url(&format!("/api/v1/nodes/{goal}/publication")))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            (body["withheld"].as_bool(), body["changed"].as_bool()),
            (Some(false), Some(true)),
            "{}",
            s.backend
        );
        let (status, _) = anonymous(&s, &format!("/public/plans/{key}/nodes/{initiative}")).await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
    }
}

#[tokio::test]
async fn only_plan_editors_and_administrators_publish_and_an_unknown_node_is_404() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let viewer = s.viewer().await;
        let res = viewer
            .put(s.url(&format!("/api/v1/plans/{plan}/publication")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{}", s.backend);
        let res = s
            .anonymous
            .put(s.url(&format!("/api/v1/plans/{plan}/publication")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", s.backend);
        assert_eq!(
            s.delete("/api/v1/nodes/999999/publication").await,
            StatusCode::NOT_FOUND
        );
        let res = s
            .http
            .put(s.url("/api/v1/plans/999999/publication"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{}", s.backend);
        let (status, page) =
            anonymous(&s, "/public/plans/harbor-falls-it-2025/nodes/not-a-number").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", s.backend);
        assert!(page.contains("no published page"), "{}: {page}", s.backend);
    }
}

/// The rows of a report card's CSV, header left out.
fn card_rows(csv: &str) -> Vec<String> {
    csv.lines().skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn the_public_report_card_grades_published_work_only() {
    for s in Server::all_with_sample_data().await {
        let (status, _) = anonymous(&s, "/public/plans/harbor-falls-it-2025/report").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}: unpublished", s.backend);
        let (plan, key) = publish(&s).await;
        let (status, internal) = s
            .text(&format!("/plans/{plan}/report.csv?period=2026"))
            .await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        let internal = card_rows(&internal);
        let public_csv = format!("/public/plans/{key}/report.csv?period=2026");

        // With nothing withheld, the public card is the internal one.
        let (status, public) = anonymous(&s, &public_csv).await;
        assert_eq!(status, StatusCode::OK, "{}: {public}", s.backend);
        assert_eq!(card_rows(&public), internal, "{}", s.backend);

        // Withholding goal 1 takes it and its objectives out; the other goals keep their grades.
        let goal = s.node_id("1").await;
        assert_eq!(
            s.delete(&format!("/api/v1/nodes/{goal}/publication")).await,
            StatusCode::OK
        );
        let (_, public) = anonymous(&s, &public_csv).await;
        let outside_goal_1: Vec<String> = internal
            .iter()
            .filter(|r| !r.starts_with("goal,1,") && !r.starts_with("objective,1."))
            .cloned()
            .collect();
        assert!(outside_goal_1.len() < internal.len(), "{}", s.backend);
        assert_eq!(card_rows(&public), outside_goal_1, "{}", s.backend);
        let (_, page) = anonymous(&s, &format!("/public/plans/{key}/report?period=2026")).await;
        assert_nothing_inline(&page);
        assert!(page.contains("Overall grade: "), "{}", s.backend);
        let (_, withheld) = s.get(&format!("/api/v1/nodes/{goal}")).await;
        let title = withheld["title"].as_str().unwrap();
        assert!(
            !page.contains(&common::escaped(title)),
            "{}: {title}",
            s.backend
        );

        // A year the plan does not cover, or not a year, is a 400 that says why.
        let (status, body) =
            anonymous(&s, &format!("/public/plans/{key}/report?period=1999")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", s.backend);
        assert!(body.contains("outside the plan"), "{}: {body}", s.backend);
        let (status, body) =
            anonymous(&s, &format!("/public/plans/{key}/report.pdf?period=next")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", s.backend);
        assert!(body.contains("is not a year"), "{}: {body}", s.backend);
    }
}
