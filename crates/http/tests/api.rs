//! The API and pages, on the real server (started in-process on an ephemeral
//! port) over real HTTP, on every storage backend.

mod common;

use common::{Server, error_code, error_field};
use lodestar_services::sample::SAMPLE_PLAN;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn health_check_answers_when_the_database_does() {
    for s in Server::all(false).await {
        let (status, body) = s.text("/healthz").await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "ok"),
            "{}",
            s.backend
        );
    }
}

#[tokio::test]
async fn the_plan_tree_comes_whole_in_one_response() {
    for s in Server::all(true).await {
        let id = s.first_plan_id().await;
        let (status, tree) = s.get(&format!("/api/v1/plans/{id}/tree")).await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        assert_eq!(tree["plan"]["key"], "harbor-falls-it-2025");
        let goals = tree["nodes"].as_array().unwrap();
        assert_eq!(goals.len(), 5);
        assert_eq!(goals[0]["code"], "1");
        assert_eq!(goals[0]["level_name"], "Goal");
        let objective = &goals[0]["children"][0];
        assert_eq!(objective["level_name"], "Objective");
        assert_eq!(objective["children"][0]["level_name"], "Initiative");
        assert!(objective["children"][0]["due_date"].is_string());
        let (_, flat) = s.get(&format!("/api/v1/nodes?plan_id={id}")).await;
        assert_eq!(flat[0]["code"], "1", "flat list starts with the first goal");
    }
}

#[tokio::test]
async fn a_plan_can_be_built_read_changed_and_deleted() {
    for s in Server::all(false).await {
        let (status, org) = s
            .post("/api/v1/organizations", &json!({"name": "Riverton"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {org}", s.backend);
        let plan_body = json!({
            "organization_id": org["id"], "key": "riverton-it", "title": "Riverton IT plan",
            "period": {"start_year": 2026, "end_year": 2030}, "levels": ["Pillar", "Strategy", "Action"]
        });
        let (status, plan) = s.post("/api/v1/plans", &plan_body).await;
        assert_eq!(status, StatusCode::CREATED, "{plan}");
        assert_eq!(plan["status"], "draft");
        let (status, pillar) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": plan["id"], "code": "P1", "title": "Resilient infrastructure"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{pillar}");
        let (status, strategy) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": plan["id"], "parent_id": pillar["id"], "code": "1:1", "title": "Back up everything",
                        "horizon": "Short term", "due_date": "2027-06-30", "weight": 2.5}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{strategy}");
        assert_eq!(strategy["level"], 1);
        assert_eq!(strategy["horizon"], "short-term");
        let node_url = format!("/api/v1/nodes/{}", strategy["id"]);
        let mut changed = strategy.clone();
        changed.as_object_mut().unwrap().remove("id");
        changed["title"] = json!("Back up everything, twice");
        let (status, updated, version) = s.put_if_match(&node_url, 1, &changed).await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(version, Some(2), "the answer carries the new version");
        assert_eq!(
            s.get(&node_url).await.1["title"],
            "Back up everything, twice"
        );
        let res = s.http.delete(s.url(&node_url)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        let (status, body) = s.get(&node_url).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_clear_errors() {
    for s in Server::all(false).await {
        let (status, body) = s.get("/api/v1/plans/987654").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{}",
            s.backend
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("plan 987654")
        );
        let (status, body) = s.get("/api/v1/plans/abc").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
        let (status, body) = s.get("/api/v1/nodes?plan_id=x").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
        let (status, body) = s.get("/api/v1/nothing-here").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
}

#[tokio::test]
async fn bad_bodies_get_the_right_status_and_name_the_field() {
    for s in Server::all(true).await {
        let plan_id = s.first_plan_id().await;
        let raw = s
            .http
            .post(s.url("/api/v1/organizations"))
            .header("content-type", "application/json")
            .body("{\"name\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), StatusCode::BAD_REQUEST, "{}", s.backend);

        let (status, body) = s
            .post("/api/v1/organizations", &json!({"name": "   "}))
            .await;
        assert_eq!(
            (status, error_code(&body), error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "name")
        );

        let (status, body) = s
            .post("/api/v1/plans", &json!({"organization_id": 1, "key": "x", "title": "X", "period": {"start_year": 2030, "end_year": 2020}}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error_field(&body), "period");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("before it starts")
        );

        let (status, body) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": plan_id, "title": "T", "percent": 5}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown fields are refused: {body}"
        );

        let (status, body) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": plan_id, "title": "T", "level": 9}),
            )
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "level"),
            "{body}"
        );

        let (status, body) = s
            .post("/api/v1/nodes", &json!({"plan_id": 424242, "title": "T"}))
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "plan_id"),
            "{body}"
        );

        let (status, body) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": plan_id, "code": "1", "title": "Again"}),
            )
            .await;
        assert_eq!(
            (status, error_code(&body), error_field(&body)),
            (StatusCode::CONFLICT, "conflict", "code")
        );

        let wrong_type = s
            .http
            .post(s.url("/api/v1/organizations"))
            .body("name=x")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong_type.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let huge = format!(
            "{{\"name\": \"{}\"}}",
            "x".repeat(lodestar_http::MAX_BODY_BYTES + 1)
        );
        let res = s
            .http
            .post(s.url("/api/v1/organizations"))
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body: Value = res.json().await.unwrap();
        assert_eq!(error_code(&body), "payload_too_large");

        let (_, tree) = s.get(&format!("/api/v1/plans/{plan_id}/tree")).await;
        let count = |v: &Value| -> usize {
            fn walk(nodes: &Value) -> usize {
                nodes
                    .as_array()
                    .map_or(0, |a| a.iter().map(|n| 1 + walk(&n["children"])).sum())
            }
            walk(&v["nodes"])
        };
        assert_eq!(
            count(&tree),
            75,
            "nothing was written by the rejected requests"
        );
        let (_, orgs) = s.get("/api/v1/organizations").await;
        assert_eq!(orgs.as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn moves_that_break_the_tree_are_refused() {
    for s in Server::all(true).await {
        let plan_id = s.first_plan_id().await;
        let (_, tree) = s.get(&format!("/api/v1/plans/{plan_id}/tree")).await;
        let goal = tree["nodes"][0].clone();
        let initiative_id = goal["children"][0]["children"][0]["id"].clone();
        let mut moved: Value = goal.clone();
        for k in ["id", "children", "level_name", "tags"] {
            moved.as_object_mut().unwrap().remove(k);
        }
        moved["parent_id"] = initiative_id;
        moved["level"] = Value::Null;
        let (status, body, _) = s
            .put_if_match(&format!("/api/v1/nodes/{}", goal["id"]), 1, &moved)
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "parent_id"),
            "{}: {body}",
            s.backend
        );

        let (_, other) = s
            .post(
                "/api/v1/plans",
                &json!({"organization_id": tree["plan"]["organization_id"], "key": "other", "title": "Other",
                        "period": {"start_year": 2025, "end_year": 2026}}),
            )
            .await;
        let (status, body) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": other["id"], "parent_id": goal["id"], "title": "Stray"}),
            )
            .await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "parent_id"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn alignment_is_shown_from_both_ends() {
    for s in Server::all(true).await {
        let plan_id = s.first_plan_id().await;
        let (_, tree) = s.get(&format!("/api/v1/plans/{plan_id}/tree")).await;
        let target = tree["nodes"][1]["children"][0]["id"].clone();
        let (_, dept) = s
            .post(
                "/api/v1/plans",
                &json!({"organization_id": tree["plan"]["organization_id"], "key": "police-it", "title": "Police IT",
                        "period": {"start_year": 2025, "end_year": 2027}}),
            )
            .await;
        let (_, source) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": dept["id"], "code": "A", "title": "Encrypt laptops"}),
            )
            .await;
        let (status, link) = s
            .post(
                "/api/v1/alignments",
                &json!({"from_node_id": source["id"], "to_node_id": target, "note": "Part of 2.1"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {link}", s.backend);
        let (_, from) = s
            .get(&format!("/api/v1/nodes/{}/alignments", source["id"]))
            .await;
        assert_eq!(from[0]["direction"], "supports");
        assert_eq!(from[0]["plan_id"], plan_id);
        let (_, to) = s.get(&format!("/api/v1/nodes/{target}/alignments")).await;
        assert_eq!(to[0]["direction"], "supported_by");
        assert_eq!(to[0]["node_code"], "A");
    }
}

#[tokio::test]
async fn plans_import_and_export_as_code_over_http() {
    for s in Server::all(false).await {
        let res = s
            .http
            .post(s.url("/api/v1/plans/import"))
            .header("content-type", "application/yaml")
            .body(SAMPLE_PLAN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{}", s.backend);
        let plan: Value = res.json().await.unwrap();
        let (status, yaml) = s
            .text(&format!("/api/v1/plans/{}/export?format=yaml", plan["id"]))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(yaml.starts_with("format: lodestar-plan/1\n"), "{yaml}");

        assert!(yaml.contains("code: \"1.2\""), "{yaml}");
        let broken = s
            .http
            .post(s.url("/api/v1/plans/import"))
            .header("content-type", "application/yaml")
            .body("key: [oops\n")
            .send()
            .await
            .unwrap();
        assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
        let body: Value = broken.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("body.yaml:1:"),
            "{body}"
        );

        let invalid = yaml
            .replacen("code: \"1.2\"", "code: \"1.1\"", 1)
            .replace("key: harbor-falls-it-2025", "key: copy");
        let res = s
            .http
            .post(s.url("/api/v1/plans/import"))
            .header("content-type", "application/yaml")
            .body(invalid)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_document"),
            "{body}"
        );
        assert!(
            body["error"]["problems"][0]["field"]
                .as_str()
                .unwrap()
                .ends_with(".code")
        );
        let (_, plans) = s.get("/api/v1/plans").await;
        assert_eq!(
            plans.as_array().unwrap().len(),
            1,
            "the invalid document wrote nothing"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let s = Server::sqlite(false).await;
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/healthz", &["get"][..]),
        ("/api/v1/organizations", &["get", "post"]),
        ("/api/v1/organizations/{id}", &["get", "put", "delete"]),
        ("/api/v1/departments/{id}", &["get", "put", "delete"]),
        ("/api/v1/people", &["get", "post"]),
        ("/api/v1/plans/{id}/tree", &["get"]),
        ("/api/v1/plans/{id}/export", &["get"]),
        ("/api/v1/plans/import", &["post"]),
        ("/api/v1/nodes/{id}", &["get", "put", "delete"]),
        ("/api/v1/nodes/{id}/alignments", &["get"]),
        ("/api/v1/nodes/{id}/tags/{tag_id}", &["put", "delete"]),
        ("/api/v1/tags", &["get", "post"]),
        ("/api/v1/alignments/{id}", &["get", "put", "delete"]),
        ("/api/v1/imports", &["post"]),
        ("/api/v1/imports/{id}", &["get"]),
        ("/api/v1/imports/{id}/confirm", &["post"]),
        ("/api/v1/plans/{id}/import-warnings", &["get"]),
    ] {
        for m in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(m)).is_some(),
                "{m} {path} is not documented"
            );
        }
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Plan",
        "PlanDraft",
        "Node",
        "NodeDraft",
        "PlanTree",
        "TreeNode",
        "ErrorBody",
        "Horizon",
        "DocumentImport",
        "Warning",
        "PlanDocument",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    assert_eq!(
        schemas["NodeDraft"]["additionalProperties"],
        json!(false),
        "unknown fields are refused, and said so"
    );
}

#[tokio::test]
async fn pages_list_plans_and_show_the_tree_escaped() {
    for s in Server::all(true).await {
        let (status, html) = s.text("/").await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        assert!(
            html.contains("Harbor Falls Information Technology Strategic Plan"),
            "{html}"
        );
        let id = s.first_plan_id().await;
        let (status, html) = s.text(&format!("/plans/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let (_, tree) = s.get(&format!("/api/v1/plans/{id}/tree")).await;
        for goal in tree["nodes"].as_array().unwrap() {
            let title = goal["title"]
                .as_str()
                .unwrap()
                .replace('&', "&amp;")
                .replace('\'', "&#39;");
            assert!(html.contains(&title), "goal {title} missing from the page");
        }
        let (_, node) = s
            .post(
                "/api/v1/nodes",
                &json!({"plan_id": id, "title": "<script>alert(1)</script>"}),
            )
            .await;
        assert!(node["id"].is_i64());
        let (_, html) = s.text(&format!("/plans/{id}")).await;
        assert!(!html.contains("<script>alert(1)</script>"));
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "the title is shown, escaped: {}",
            &html[html.find("alert").map_or(0, |i| i.saturating_sub(40))..]
        );
        let (status, html) = s.text("/plans/999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("Not found"));
    }
}
