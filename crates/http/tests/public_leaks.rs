//! Nothing unpublished leaks through the public portal: secret markers are
//! planted in every private place (a withheld node and what belongs to it, a
//! node beneath it, an unpublished plan, people's names and e-mail
//! addresses, help-needed text, an override reason, an evidence narrative, a
//! value's note), the plan is published, and every public page and download
//! is crawled as an anonymous visitor, the report card's PDF read as text.

mod common;

use common::Server;
use lodestar_report::testing::pdf_text;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeSet, VecDeque};

/// Everything planted, and where the crawl must find none of it.
struct Planted {
    key: String,
    plan_id: i64,
    withheld: i64,
    hidden_child: i64,
    secret_plan_key: String,
    secret_plan_node: i64,
    markers: Vec<String>,
}

async fn created(s: &Server, path: &str, body: Value) -> Value {
    let (status, out) = s.post(path, &body).await;
    assert!(
        status.is_success(),
        "{}: POST {path}: {status} {out}",
        s.backend
    );
    out
}

async fn plant(s: &Server) -> Planted {
    let plan_id = s.first_plan_id().await;
    let (_, plan) = s.get(&format!("/api/v1/plans/{plan_id}")).await;
    let key = plan["key"].as_str().unwrap().to_owned();
    let org = plan["organization_id"].clone();
    let goal = s.node_id("1").await;
    let objective = s.node_id("1.1").await;

    // A withheld node with everything that belongs to a node, and a node beneath it.
    let withheld = created(
        s,
        "/api/v1/nodes",
        json!({"plan_id": plan_id, "parent_id": goal, "code": "1.9",
        "title": "ZQXWITHHELDTITLE", "description": "ZQXWITHHELDDESC"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let hidden_child = created(
        s,
        "/api/v1/nodes",
        json!({"plan_id": plan_id, "parent_id": withheld,
        "code": "1.9.1", "title": "ZQXHIDDENCHILD"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let measure = created(
        s,
        "/api/v1/measures",
        json!({"node_id": withheld, "key": "zqxwithheldkey",
        "name": "ZQXWITHHELDMEASURE", "direction": "higher-is-better", "frequency": "monthly",
        "targets": [{"period": "2026", "value": 99.5}]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    created(
        s,
        &format!("/api/v1/measures/{measure}/observations"),
        json!({"period": "2026-10", "value": 42, "note": "ZQXWITHHELDVALUENOTE"}),
    )
    .await;
    created(
        s,
        &format!("/api/v1/nodes/{withheld}/checkins"),
        json!({"status": "on-track", "happened": "ZQXWITHHELDCHECKIN"}),
    )
    .await;
    created(
        s,
        &format!("/api/v1/nodes/{withheld}/milestones"),
        json!({"title": "ZQXWITHHELDMILESTONE"}),
    )
    .await;
    created(
        s,
        &format!("/api/v1/nodes/{withheld}/evidence"),
        json!({"title": "ZQXWITHHELDEVIDENCE", "date": "2026-10-01"}),
    )
    .await;

    // Internal notes on published nodes.
    let author = created(
        s,
        "/api/v1/people",
        json!({"organization_id": org, "name": "ZQXAUTHORNAME",
        "email": "zqx.author@secret.example"}),
    )
    .await["id"]
        .clone();
    created(
        s,
        &format!("/api/v1/nodes/{objective}/checkins"),
        json!({"status": "at-risk", "author_id": author,
        "happened": "Public progress text", "help_needed": "ZQXHELPNEEDED",
        "links": [{"url": "https://intranet.example/zqxlink"}]}),
    )
    .await;
    let (status, out) = s
        .put(
            &format!("/api/v1/nodes/{goal}/status-override"),
            &json!({"status": "at-risk", "reason": "ZQXOVERRIDEREASON"}),
        )
        .await;
    assert!(
        status.is_success(),
        "{}: override: {status} {out}",
        s.backend
    );
    created(
        s,
        &format!("/api/v1/nodes/{objective}/evidence"),
        json!({"title": "Faster permits",
        "date": "2026-10-01", "narrative": "ZQXNARRATIVE"}),
    )
    .await;
    let (_, measures) = s.get(&format!("/api/v1/measures?plan_id={plan_id}")).await;
    let public_measure = measures
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["formula"].is_null() && m["node_id"] != json!(withheld))
        .expect("the sample has a measure that is not calculated")["id"]
        .as_i64()
        .unwrap();
    created(
        s,
        &format!("/api/v1/measures/{public_measure}/observations"),
        json!({"period": "2026-10", "value": 50, "note": "ZQXVALUENOTE"}),
    )
    .await;

    // A plan that is never published.
    let secret = created(
        s,
        "/api/v1/plans",
        json!({"organization_id": org, "key": "zqx-secret-plan",
        "title": "ZQXSECRETPLAN", "period": {"start_year": 2026, "end_year": 2030}}),
    )
    .await;
    let secret_plan_node = created(
        s,
        "/api/v1/nodes",
        json!({"plan_id": secret["id"],
        "title": "ZQXSECRETPLANGOAL"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    assert_eq!(
        s.http
            .put(s.url(&format!("/api/v1/plans/{plan_id}/publication")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        s.delete(&format!("/api/v1/nodes/{withheld}/publication"))
            .await,
        StatusCode::OK
    );

    let mut markers: Vec<String> = [
        "ZQXWITHHELDTITLE",
        "ZQXWITHHELDDESC",
        "ZQXHIDDENCHILD",
        "zqxwithheldkey",
        "ZQXWITHHELDMEASURE",
        "ZQXWITHHELDVALUENOTE",
        "ZQXWITHHELDCHECKIN",
        "ZQXWITHHELDMILESTONE",
        "ZQXWITHHELDEVIDENCE",
        "ZQXAUTHORNAME",
        "zqx.author@secret.example",
        "ZQXHELPNEEDED",
        "zqxlink",
        "ZQXOVERRIDEREASON",
        "ZQXNARRATIVE",
        "ZQXVALUENOTE",
        "zqx-secret-plan",
        "ZQXSECRETPLAN",
        "ZQXSECRETPLANGOAL",
    ]
    .map(str::to_owned)
    .to_vec();
    // Every person's name and e-mail address (the sample's owners and sponsors).
    let (_, people) = s.get("/api/v1/people").await;
    for p in people.as_array().unwrap() {
        markers.extend(p["email"].as_str().map(str::to_owned));
        markers.extend(p["name"].as_str().map(str::to_owned));
    }
    Planted {
        key,
        plan_id,
        withheld,
        hidden_child,
        secret_plan_key: "zqx-secret-plan".into(),
        secret_plan_node,
        markers,
    }
}

/// The paths under /public (and data files) that `body` links to.
fn links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in body.match_indices("/public") {
        let rest = &body[at..];
        let end = rest
            .find(|c: char| {
                matches!(
                    c,
                    '"' | '\'' | '<' | '>' | ' ' | '\n' | '\r' | '\t' | ',' | ')' | '#' | '?'
                )
            })
            .unwrap_or(rest.len());
        let path = &rest[..end];
        if path == "/public" || path.starts_with("/public/") {
            out.push(path.trim_end_matches('.').to_owned());
        }
    }
    out
}

/// Fetches every public page and download reachable from /public and
/// /data.json as an anonymous visitor; returns the paths and bodies.
async fn crawl(s: &Server) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = ["/public", "/data.json"].map(str::to_owned).into();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let res = s.anonymous.get(s.url(&path)).send().await.unwrap();
        let status = res.status();
        let bytes = res.bytes().await.unwrap();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}: {path} is linked but answers {status}",
            s.backend
        );
        // A PDF is read as its text; without pdftotext its pages go unchecked (a notice says so).
        let body = if path.ends_with(".pdf") {
            assert!(
                bytes.starts_with(b"%PDF-"),
                "{}: {path} is not a PDF",
                s.backend
            );
            pdf_text(&bytes).unwrap_or_default()
        } else {
            String::from_utf8(bytes.to_vec()).expect("public pages are UTF-8")
        };
        queue.extend(links(&body));
        pages.push((path, body));
    }
    pages
}

#[tokio::test]
async fn nothing_unpublished_appears_on_any_public_page_or_download() {
    for s in Server::all_with_sample_data().await {
        let planted = plant(&s).await;
        // The markers really are stored: the internal API shows them to a signed-in caller.
        let (_, internal) = s.get(&format!("/api/v1/nodes/{}", planted.withheld)).await;
        assert_eq!(internal["title"], "ZQXWITHHELDTITLE");

        let pages = crawl(&s).await;
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        assert!(
            paths.contains(&format!("/public/plans/{}", planted.key).as_str()),
            "{}: {paths:?}",
            s.backend
        );
        assert!(
            paths.iter().filter(|p| p.contains("/nodes/")).count() > 10,
            "{}: {paths:?}",
            s.backend
        );
        for report in ["report", "report.md", "report.csv", "report.pdf"] {
            let path = format!("/public/plans/{}/{report}", planted.key);
            assert!(
                paths.contains(&path.as_str()),
                "{}: {path} not crawled: {paths:?}",
                s.backend
            );
        }
        // The report card quotes the at-risk check-in's public text as a concern.
        let report = &pages
            .iter()
            .find(|(p, _)| p.ends_with("/report"))
            .expect("the report card was crawled")
            .1;
        assert!(
            report.contains("Public progress text"),
            "{}: {report}",
            s.backend
        );
        assert!(
            paths.iter().any(|p| p.ends_with(".csv")),
            "{}: no download crawled: {paths:?}",
            s.backend
        );
        assert!(
            paths
                .iter()
                .any(|p| p.ends_with(".json") && p.starts_with("/public/")),
            "{}: {paths:?}",
            s.backend
        );
        // The crawl reaches what is public: a check-in's public text, evidence, values.
        for public in ["Public progress text", "Faster permits", "ZQX"] {
            let found = pages.iter().any(|(_, b)| b.contains(public));
            assert_eq!(
                found,
                public != "ZQX",
                "{}: {public:?} found: {found}",
                s.backend
            );
        }
        for (path, body) in &pages {
            let lower = body.to_lowercase();
            for marker in &planted.markers {
                assert!(
                    !lower.contains(&marker.to_lowercase()),
                    "{}: {path} shows {marker:?}",
                    s.backend
                );
            }
            assert!(
                !lower.contains('@') || !lower.contains(".example"),
                "{}: {path} shows an e-mail address",
                s.backend
            );
        }
    }
}

#[tokio::test]
async fn withheld_and_unpublished_things_answer_404_like_unknown_ones() {
    for s in Server::all_with_sample_data().await {
        let p = plant(&s).await;
        let get = |path: String| {
            let s = &s;
            async move {
                let res = s.anonymous.get(s.url(&path)).send().await.unwrap();
                (res.status(), res.text().await.unwrap())
            }
        };
        let (unknown_status, unknown_body) = get("/public/plans/no-such-plan".into()).await;
        assert_eq!(unknown_status, StatusCode::NOT_FOUND);
        let (status, body) = get(format!("/public/plans/{}", p.secret_plan_key)).await;
        assert_eq!(
            (status, body),
            (unknown_status, unknown_body.clone()),
            "{}: an unpublished plan must look unknown",
            s.backend
        );
        let (_, unknown_node) = get(format!("/public/plans/{}/nodes/999999", p.key)).await;
        for id in [p.withheld, p.hidden_child, p.secret_plan_node] {
            let (status, body) = get(format!("/public/plans/{}/nodes/{id}", p.key)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{}: node {id}", s.backend);
            assert_eq!(
                body, unknown_node,
                "{}: node {id} must look unknown",
                s.backend
            );
        }
        for file in [
            "nodes.csv",
            "nodes.json",
            "measures.csv",
            "observations.json",
        ] {
            let (status, _) = get(format!("/public/plans/{}/{file}", p.secret_plan_key)).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{}: {file} of the unpublished plan",
                s.backend
            );
        }

        // Unpublished again, the plan is gone from the portal.
        assert_eq!(
            s.delete(&format!("/api/v1/plans/{}/publication", p.plan_id))
                .await,
            StatusCode::OK
        );
        let (status, body) = get(format!("/public/plans/{}", p.key)).await;
        assert_eq!(
            (status, body),
            (unknown_status, unknown_body),
            "{}",
            s.backend
        );
        let (_, index) = get("/public".into()).await;
        assert!(!index.contains(&p.key), "{}: {index}", s.backend);
    }
}

#[tokio::test]
async fn internal_pages_and_the_api_stay_refused_to_anonymous_visitors() {
    for s in Server::all_with_sample_data().await {
        let p = plant(&s).await;
        let goal = s.node_id("1").await;
        for path in [
            "/".to_owned(),
            format!("/plans/{}", p.plan_id),
            format!("/plans/{}/explorer", p.plan_id),
            format!("/nodes/{goal}"),
            format!("/nodes/{}", p.withheld),
            "/search?q=ZQX".to_owned(),
        ] {
            let res = s.anonymous.get(s.url(&path)).send().await.unwrap();
            assert!(
                res.status().is_redirection(),
                "{}: {path}: {}",
                s.backend,
                res.status()
            );
            let to = res.headers()["location"].to_str().unwrap();
            assert!(
                to.starts_with("/login"),
                "{}: {path} goes to {to}",
                s.backend
            );
        }
        for path in [
            format!("/api/v1/plans/{}", p.plan_id),
            format!("/api/v1/nodes/{}", p.withheld),
            "/api/v1/people".into(),
        ] {
            let res = s.anonymous.get(s.url(&path)).send().await.unwrap();
            assert_eq!(
                res.status(),
                StatusCode::UNAUTHORIZED,
                "{}: {path}",
                s.backend
            );
        }
        let res = s
            .anonymous
            .put(s.url(&format!("/api/v1/plans/{}/publication", p.secret_plan_key)))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{}", s.backend);
    }
}
