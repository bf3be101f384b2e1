//! Milestones and evidence over the real server (started in-process on an
//! ephemeral port) and real HTTP, on every storage backend.

mod common;

use common::{Server, error_code, error_field};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A day no test run will reach, yet inside the years a date may have.
const FUTURE: &str = "2199-12-31";

/// An organization, a plan, and a goal with an objective beneath it: the
/// ids of the goal and the objective.
async fn goal_and_objective(s: &Server) -> (i64, i64) {
    let (status, org) = s
        .post("/api/v1/organizations", &json!({"name": "Riverton"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}: {org}", s.backend);
    let (status, plan) = s
        .post(
            "/api/v1/plans",
            &json!({"organization_id": org["id"], "key": "riverton-it", "title": "Riverton IT plan",
                    "period": {"start_year": 2025, "end_year": 2029}, "levels": ["Goal", "Objective"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let (status, goal) = s
        .post(
            "/api/v1/nodes",
            &json!({"plan_id": plan["id"], "code": "1", "title": "Resilient infrastructure"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{goal}");
    let (status, objective) = s
        .post(
            "/api/v1/nodes",
            &json!({"plan_id": plan["id"], "parent_id": goal["id"], "code": "1.1", "title": "Back up everything"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{objective}");
    (
        goal["id"].as_i64().unwrap(),
        objective["id"].as_i64().unwrap(),
    )
}

fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn milestones_are_created_listed_replaced_and_deleted() {
    for s in Server::all(false).await {
        let (goal, _) = goal_and_objective(&s).await;
        let list_url = format!("/api/v1/nodes/{goal}/milestones");
        let (status, list) = s.get(&list_url).await;
        assert_eq!((status, list), (StatusCode::OK, json!([])), "{}", s.backend);

        let (status, first) = s
            .post(
                &list_url,
                &json!({"title": "Vendor chosen", "due_date": "2025-03-31", "done_date": "2025-03-02"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {first}", s.backend);
        assert_eq!(first["node_id"], goal);
        assert_eq!(first["title"], "Vendor chosen");
        assert_eq!(first["due_date"], "2025-03-31");
        assert_eq!(first["done_date"], "2025-03-02");
        assert_eq!(first["position"], 0);
        let (status, second) = s
            .post(&list_url, &json!({"title": "Contract signed"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{second}");
        assert_eq!(second["position"], 1, "appended after the last");
        assert_eq!(second["due_date"], Value::Null);

        let (status, list) = s.get(&list_url).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list, json!([first, second]));

        let item_url = format!("/api/v1/milestones/{}", first["id"]);
        let (status, shown) = s.get(&item_url).await;
        assert_eq!((status, &shown), (StatusCode::OK, &first));

        let (status, updated, _) = s
            .put_if_match(
                &item_url,
                1,
                &json!({"title": "Vendor chosen, finally", "due_date": "2025-04-30"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {updated}", s.backend);
        assert_eq!(updated["title"], "Vendor chosen, finally");
        assert_eq!(
            updated["done_date"],
            Value::Null,
            "a PUT replaces every field"
        );
        assert_eq!(
            updated["position"], 0,
            "an omitted position keeps its place"
        );
        assert_eq!(s.get(&item_url).await.1, updated);

        let (status, moved, _) = s
            .put_if_match(
                &item_url,
                2,
                &json!({"title": "Vendor chosen, finally", "position": 7}),
            )
            .await;
        assert_eq!((status, &moved["position"]), (StatusCode::OK, &json!(7)));
        assert_eq!(
            titles(&s.get(&list_url).await.1),
            ["Contract signed", "Vendor chosen, finally"]
        );

        assert_eq!(s.delete(&item_url).await, StatusCode::NO_CONTENT);
        let (status, body) = s.get(&item_url).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
        assert_eq!(s.delete(&item_url).await, StatusCode::NOT_FOUND);
        let (status, body, _) = s
            .put_if_match(&item_url, 3, &json!({"title": "Back"}))
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
        assert_eq!(titles(&s.get(&list_url).await.1), ["Contract signed"]);
    }
}

#[tokio::test]
async fn milestones_list_by_position_then_creation() {
    for s in Server::all(false).await {
        let (goal, objective) = goal_and_objective(&s).await;
        let url = format!("/api/v1/nodes/{goal}/milestones");
        for body in [
            json!({"title": "A", "position": 2}),
            json!({"title": "B", "position": 0}),
            json!({"title": "C", "position": 2}),
            json!({"title": "D"}),
        ] {
            let (status, m) = s.post(&url, &body).await;
            assert_eq!(status, StatusCode::CREATED, "{}: {m}", s.backend);
        }
        s.post(
            &format!("/api/v1/nodes/{objective}/milestones"),
            &json!({"title": "Elsewhere"}),
        )
        .await;
        let (_, list) = s.get(&url).await;
        assert_eq!(titles(&list), ["B", "A", "C", "D"], "{}", s.backend);
        assert_eq!(list[3]["position"], 3);
    }
}

#[tokio::test]
async fn evidence_is_created_listed_latest_first_replaced_and_deleted() {
    for s in Server::all(false).await {
        let (goal, _) = goal_and_objective(&s).await;
        let list_url = format!("/api/v1/nodes/{goal}/evidence");
        let (status, list) = s.get(&list_url).await;
        assert_eq!((status, list), (StatusCode::OK, json!([])), "{}", s.backend);

        let full = json!({
            "title": "Permits issued in a day", "date": "2025-05-20",
            "before": "20–30 minutes per request", "after": "under a minute",
            "narrative": "The new portal pre-fills everything.", "source": "Permit system logs"
        });
        let (status, story) = s.post(&list_url, &full).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {story}", s.backend);
        assert_eq!(story["node_id"], goal);
        for field in ["title", "date", "before", "after", "narrative", "source"] {
            assert_eq!(story[field], full[field], "{field}");
        }
        for (title, date) in [
            ("Older", "2024-11-02"),
            ("Newer", "2025-06-01"),
            ("Same day", "2025-05-20"),
        ] {
            let (status, body) = s
                .post(&list_url, &json!({"title": title, "date": date}))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            assert_eq!(body["before"], Value::Null);
        }
        let (_, list) = s.get(&list_url).await;
        assert_eq!(
            titles(&list),
            ["Newer", "Permits issued in a day", "Same day", "Older"],
            "{}",
            s.backend
        );

        let item_url = format!("/api/v1/evidence/{}", story["id"]);
        assert_eq!(s.get(&item_url).await, (StatusCode::OK, story.clone()));
        let (status, updated, _) = s
            .put_if_match(
                &item_url,
                1,
                &json!({"title": "Permits in a day", "date": "2025-05-21", "after": "a minute"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["after"], "a minute");
        assert_eq!(
            updated["narrative"],
            Value::Null,
            "a PUT replaces every field"
        );
        assert_eq!(s.get(&item_url).await.1, updated);

        assert_eq!(s.delete(&item_url).await, StatusCode::NO_CONTENT);
        let (status, body) = s.get(&item_url).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("evidence {}", story["id"]))
        );
        assert_eq!(s.delete(&item_url).await, StatusCode::NOT_FOUND);
        assert_eq!(
            titles(&s.get(&list_url).await.1),
            ["Newer", "Same day", "Older"]
        );
    }
}

#[tokio::test]
async fn an_unknown_node_is_a_404_naming_it() {
    for s in Server::all(false).await {
        for (kind, draft) in [
            ("milestones", json!({"title": "T"})),
            ("evidence", json!({"title": "T", "date": "2025-01-01"})),
        ] {
            let url = format!("/api/v1/nodes/987654/{kind}");
            let (status, body) = s.get(&url).await;
            assert_eq!(
                (status, error_code(&body)),
                (StatusCode::NOT_FOUND, "not_found"),
                "{}: GET {url}",
                s.backend
            );
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("node 987654"),
                "{body}"
            );
            let (status, body) = s.post(&url, &draft).await;
            assert_eq!(
                (status, error_code(&body)),
                (StatusCode::NOT_FOUND, "not_found"),
                "POST {url}: {body}"
            );
            let (status, body) = s.get(&format!("/api/v1/nodes/abc/{kind}")).await;
            assert_eq!(
                (status, error_code(&body)),
                (StatusCode::BAD_REQUEST, "bad_request")
            );
        }
        let (status, _) = s.get("/api/v1/milestones/987654").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = s.get("/api/v1/evidence/987654").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn bad_fields_are_422_naming_the_field_and_write_nothing() {
    for s in Server::all(false).await {
        let (goal, _) = goal_and_objective(&s).await;
        let milestones = format!("/api/v1/nodes/{goal}/milestones");
        let evidence = format!("/api/v1/nodes/{goal}/evidence");
        let cases = [
            (&milestones, json!({"title": "   "}), "title"),
            (
                &milestones,
                json!({"title": "Live", "done_date": FUTURE}),
                "done_date",
            ),
            (
                &milestones,
                json!({"title": "Live", "due_date": "2025-02-30"}),
                "due_date",
            ),
            (
                &milestones,
                json!({"title": "Live", "done_date": "next week"}),
                "done_date",
            ),
            (
                &evidence,
                json!({"title": "", "date": "2025-01-01"}),
                "title",
            ),
            (
                &evidence,
                json!({"title": "Faster", "date": FUTURE}),
                "date",
            ),
            (
                &evidence,
                json!({"title": "Faster", "date": "01/02/2025"}),
                "date",
            ),
            (
                &evidence,
                json!({"title": "Faster", "date": "2025-01-01", "source": "x\ny"}),
                "source",
            ),
        ];
        for (url, body, field) in &cases {
            let (status, err) = s.post(url, body).await;
            assert_eq!(
                (status, error_code(&err), error_field(&err)),
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", *field),
                "{}: POST {url} {body}: {err}",
                s.backend
            );
        }
        let (_, err) = s
            .post(&milestones, &json!({"title": "Live", "done_date": FUTURE}))
            .await;
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("a milestone cannot be done on a future date"),
            "{err}"
        );
        let (status, err) = s
            .post(&milestones, &json!({"title": "Live", "owner": 3}))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown fields are refused: {err}"
        );
        let (status, err) = s.post(&evidence, &json!({"title": "No date"})).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a date is required: {err}"
        );

        let (_, m) = s.post(&milestones, &json!({"title": "Live"})).await;
        let (status, err, _) = s
            .put_if_match(
                &format!("/api/v1/milestones/{}", m["id"]),
                1,
                &json!({"title": "Live", "done_date": FUTURE}),
            )
            .await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "done_date"),
            "{err}"
        );
        let (_, e) = s
            .post(&evidence, &json!({"title": "Faster", "date": "2025-01-01"}))
            .await;
        let (status, err, _) = s
            .put_if_match(
                &format!("/api/v1/evidence/{}", e["id"]),
                1,
                &json!({"title": "Faster", "date": FUTURE}),
            )
            .await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "date"),
            "{err}"
        );

        let (_, list) = s.get(&milestones).await;
        assert_eq!(
            list,
            json!([m]),
            "{}: only the valid milestone was written",
            s.backend
        );
        let (_, list) = s.get(&evidence).await;
        assert_eq!(list, json!([e]), "only the valid evidence was written");
    }
}

#[tokio::test]
async fn deleting_a_node_removes_its_milestones_and_evidence() {
    for s in Server::all(false).await {
        let (goal, objective) = goal_and_objective(&s).await;
        let (_, own) = s
            .post(
                &format!("/api/v1/nodes/{goal}/milestones"),
                &json!({"title": "Goal's"}),
            )
            .await;
        let (_, child) = s
            .post(
                &format!("/api/v1/nodes/{objective}/milestones"),
                &json!({"title": "Objective's"}),
            )
            .await;
        let (_, story) = s
            .post(
                &format!("/api/v1/nodes/{objective}/evidence"),
                &json!({"title": "Story", "date": "2025-01-01"}),
            )
            .await;
        assert_eq!(
            s.delete(&format!("/api/v1/nodes/{goal}")).await,
            StatusCode::NO_CONTENT,
            "{}",
            s.backend
        );
        for url in [
            format!("/api/v1/milestones/{}", own["id"]),
            format!("/api/v1/milestones/{}", child["id"]),
            format!("/api/v1/evidence/{}", story["id"]),
            format!("/api/v1/nodes/{goal}/milestones"),
            format!("/api/v1/nodes/{objective}/evidence"),
        ] {
            let (status, body) = s.get(&url).await;
            assert_eq!(
                (status, error_code(&body)),
                (StatusCode::NOT_FOUND, "not_found"),
                "{}: GET {url}",
                s.backend
            );
        }
    }
}

#[tokio::test]
async fn the_openapi_document_describes_milestones_and_evidence() {
    let s = Server::sqlite(false).await;
    let (status, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/api/v1/nodes/{id}/milestones", &["get", "post"][..]),
        ("/api/v1/milestones/{id}", &["get", "put", "delete"]),
        ("/api/v1/nodes/{id}/evidence", &["get", "post"]),
        ("/api/v1/evidence/{id}", &["get", "put", "delete"]),
    ] {
        for m in methods {
            assert!(
                paths.get(path).and_then(|p| p.get(m)).is_some(),
                "{m} {path} is not documented"
            );
        }
    }
    assert!(
        paths["/api/v1/nodes/{id}/milestones"]["post"]["responses"]
            .get("201")
            .is_some()
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["Milestone", "MilestoneDraft", "Evidence", "EvidenceDraft"] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    assert_eq!(
        schemas["MilestoneDraft"]["additionalProperties"],
        json!(false)
    );
    assert_eq!(
        schemas["EvidenceDraft"]["additionalProperties"],
        json!(false)
    );
}
