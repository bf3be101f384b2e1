//! The audit log over HTTP, on every backend: a write made through the API
//! appears in the node's history and in the CSV export, naming its caller.

mod common;

use common::{Server, error_code, error_field};
use reqwest::StatusCode;
use serde_json::json;

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective]
nodes:
  - code: "1"
    title: Reliable services
    children:
      - { code: "1.1", title: Keep the portal up }
"#;

/// Renames node 1.1 through the API and returns its id.
async fn rename(s: &Server) -> i64 {
    let node = s.node_id("1.1").await;
    let url = format!("/api/v1/nodes/{node}");
    let (_, mut draft, version) = s.get_tagged(&url).await;
    draft.as_object_mut().unwrap().remove("id");
    draft["title"] = json!("Keep the portal running");
    let (status, body, _) = s.put_if_match(&url, version.unwrap(), &draft).await;
    assert_eq!(status, StatusCode::OK, "{}: {body}", s.backend);
    node
}

#[tokio::test]
async fn a_write_through_the_api_shows_in_the_nodes_history_with_its_caller() {
    for s in Server::all_with(Some(PLAN)).await {
        let node = rename(&s).await;
        let (status, history) = s.get(&format!("/api/v1/nodes/{node}/audit")).await;
        assert_eq!(status, StatusCode::OK, "{}: {history}", s.backend);
        let entries = history.as_array().unwrap();
        assert_eq!(entries.len(), 2, "{}: {history}", s.backend);
        let (update, insert) = (&entries[0], &entries[1]);
        assert_eq!(update["action"], "update", "{}", s.backend);
        assert_eq!(update["entity"], "nodes", "{}", s.backend);
        assert_eq!(update["node_id"], node, "{}", s.backend);
        assert_eq!(
            update["before"]["title"], "Keep the portal up",
            "{}",
            s.backend
        );
        assert_eq!(
            update["after"]["title"], "Keep the portal running",
            "{}",
            s.backend
        );
        let actor = update["actor"].as_str().unwrap();
        assert!(
            actor.contains("admin@tests.example"),
            "{}: {actor}",
            s.backend
        );
        assert!(update["actor_id"].is_i64(), "{}: {update}", s.backend);
        assert_eq!(
            (insert["action"].as_str(), insert["before"].is_null()),
            (Some("insert"), true),
            "{}",
            s.backend
        );
    }
}

#[tokio::test]
async fn a_nodes_history_is_read_a_page_at_a_time() {
    for s in Server::all_with(Some(PLAN)).await {
        let node = rename(&s).await;
        let (_, first) = s.get(&format!("/api/v1/nodes/{node}/audit?limit=1")).await;
        assert_eq!(first.as_array().unwrap().len(), 1, "{}: {first}", s.backend);
        assert_eq!(first[0]["action"], "update", "{}", s.backend);
        let before_id = first[0]["id"].as_i64().unwrap();
        let (_, next) = s
            .get(&format!(
                "/api/v1/nodes/{node}/audit?limit=1&before_id={before_id}"
            ))
            .await;
        assert_eq!(next[0]["action"], "insert", "{}: {next}", s.backend);
        let (status, body) = s.get("/api/v1/nodes/999999/audit").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{}",
            s.backend
        );
    }
}

#[tokio::test]
async fn the_csv_export_has_a_header_and_one_line_per_write_of_the_plan() {
    for s in Server::all_with(Some(PLAN)).await {
        let node = rename(&s).await;
        let plan = s.first_plan_id().await;
        let res = s
            .http
            .get(s.url(&format!("/api/v1/audit.csv?plan={plan}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{}", s.backend);
        let media = res.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(media.starts_with("text/csv"), "{}: {media}", s.backend);
        let text = res.text().await.unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0], "id,at,actor,action,entity,entity_id,plan_id,node_id,before,after",
            "{}",
            s.backend
        );
        // The plan and its two nodes were inserted, then one node renamed.
        assert_eq!(lines.len(), 5, "{}: {text}", s.backend);
        let last = lines[4];
        assert!(last.contains(",update,nodes,"), "{}: {last}", s.backend);
        assert!(
            last.contains(&format!(",{plan},{node},")),
            "{}: {last}",
            s.backend
        );
        assert!(
            last.contains("Keep the portal running"),
            "{}: {last}",
            s.backend
        );
    }
}

#[tokio::test]
async fn an_export_bound_that_is_not_a_date_is_refused() {
    for s in Server::all_with(Some(PLAN)).await {
        let (status, body) = s.get("/api/v1/audit.csv?since=last-tuesday").await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {body}",
            s.backend
        );
        assert_eq!(error_field(&body), "since", "{}", s.backend);
        let (status, text) = s.text("/api/v1/audit.csv?since=2999-01-01").await;
        assert_eq!(
            (status, text.lines().count()),
            (StatusCode::OK, 1),
            "{}: {text}",
            s.backend
        );
    }
}

#[tokio::test]
async fn the_audit_routes_are_documented() {
    let s = Server::sqlite(false).await;
    let (_, doc) = s.get("/api/v1/openapi.json").await;
    for path in ["/api/v1/nodes/{id}/audit", "/api/v1/audit.csv"] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is not documented"
        );
    }
    assert!(
        doc["components"]["schemas"]["AuditEntry"].is_object(),
        "AuditEntry schema missing"
    );
}
