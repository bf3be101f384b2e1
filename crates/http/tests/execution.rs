//! Check-ins, statuses, overrides, overdue updates, measures and CSV import
//! over real HTTP, on every storage backend.

mod common;

use common::{Server, error_code, error_field};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Dates relative to the day the test runs, since the server runs on the real calendar.
fn days_ago(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days)).to_string()
}

fn plan() -> String {
    format!(
        r#"
format: lodestar-plan/1
organization: {{ name: Town of Testwick }}
key: testwick-it
title: Testwick IT Plan
period: {{ start_year: 2024, end_year: 2030 }}
status: active
levels: [Goal, Initiative]
people:
  - {{ name: Ada Owner, email: ada@testwick.example.gov }}
nodes:
  - code: "1"
    title: Reliable services
    measures:
      - key: uptime
        name: Portal uptime
        direction: higher-is-better
        frequency: monthly
        targets: [{{ value: 99.5 }}]
        thresholds: {{ basis: absolute, green: 99.5, amber: 99.0 }}
    children:
      - {{ code: "1.1", title: Monitoring, owner: Ada Owner, cadence: monthly, start_date: "{start}" }}
      - {{ code: "1.2", title: Failover, owner: Ada Owner, cadence: quarterly, start_date: "{start}" }}
"#,
        start = days_ago(100)
    )
}

fn month_ago() -> String {
    days_ago(20)[..7].to_owned()
}

#[tokio::test]
async fn a_check_in_changes_the_status_up_the_tree() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let node = s.node_id("1.1").await;
        let goal = s.node_id("1").await;
        let (status, checkin) = s
            .post(
                &format!("/api/v1/nodes/{node}/checkins"),
                &json!({"status": "off-track", "percent": 30, "happened": "Vendor missed the install date",
                        "help_needed": "Procurement to escalate", "links": [{"url": "https://example.gov/r/7"}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {checkin}");
        assert_eq!(checkin["status"], "off-track");
        assert!(
            checkin["author_id"].is_i64(),
            "{b}: the owner is the default author"
        );

        let (_, st) = s.get(&format!("/api/v1/nodes/{goal}/status")).await;
        assert_eq!(st["status"], "off-track", "{b}: {st}");
        assert_eq!(st["computed"]["progress"], 15.0, "{b}: (30 + 0) / 2");

        let (status, over) = s
            .put(
                &format!("/api/v1/nodes/{node}/status-override"),
                &json!({"status": "at-risk", "reason": "Escalation agreed; new date confirmed"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{b}: {over}");
        assert_eq!(over["status"], "at-risk");
        assert_eq!(over["computed"]["status"], "off-track");
        assert_eq!(
            over["override"]["reason"],
            "Escalation agreed; new date confirmed"
        );
        let (_, st) = s.get(&format!("/api/v1/nodes/{goal}/status")).await;
        assert_eq!(st["status"], "at-risk", "{b}: the override counts upward");
        let path = format!("/api/v1/nodes/{node}/status-override");
        let (status, _, version) = s
            .put_if_match(
                &path,
                1,
                &json!({"status": "on-track", "reason": "Vendor delivered"}),
            )
            .await;
        assert_eq!((status, version), (StatusCode::OK, Some(2)), "{b}");
        assert_eq!(s.delete(&path).await, StatusCode::OK, "{b}");
        assert_eq!(
            s.delete(&path).await,
            StatusCode::NOT_FOUND,
            "{b}: nothing left to clear"
        );
        let (_, history) = s.get(&format!("{path}/history")).await;
        let reasons: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["reason"].as_str().unwrap())
            .collect();
        assert_eq!(
            reasons,
            ["Escalation agreed; new date confirmed", "Vendor delivered"],
            "{b}"
        );

        let plan = s.first_plan_id().await;
        let (status, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let nodes = report["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[0]["node"]["code"], "1", "{b}: tree order");
        assert_eq!(nodes[1]["depth"], 1);
    }
}

#[tokio::test]
async fn bad_check_ins_get_clear_errors_and_write_nothing() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let node = s.node_id("1.1").await;
        let path = format!("/api/v1/nodes/{node}/checkins");
        let cases: [(Value, StatusCode, &str); 5] = [
            (
                json!({"status": "on-track", "percent": 140}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "percent",
            ),
            (
                json!({"status": "late"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "status",
            ),
            (
                json!({"status": "on-track", "date": "2026-02-30"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "date",
            ),
            (
                json!({"status": "on-track", "date": "3026-01-01"}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "date",
            ),
            (
                json!({"status": "on-track", "links": [{"url": "javascript:alert(1)"}]}),
                StatusCode::UNPROCESSABLE_ENTITY,
                "links[0].url",
            ),
        ];
        for (body, code, field) in cases {
            let (status, err) = s.post(&path, &body).await;
            assert_eq!(status, code, "{b} {body}: {err}");
            assert_eq!(error_field(&err), field, "{b} {body}: {err}");
        }
        let (status, err) = s
            .post(
                "/api/v1/nodes/999999/checkins",
                &json!({"status": "on-track"}),
            )
            .await;
        assert_eq!(
            (status, error_code(&err)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{b}"
        );
        let (_, list) = s.get(&path).await;
        assert_eq!(list, json!([]), "{b}: nothing was written");
    }
}

#[tokio::test]
async fn a_correction_keeps_the_earlier_text_in_history() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let node = s.node_id("1.1").await;
        let (_, first) = s
            .post(
                &format!("/api/v1/nodes/{node}/checkins"),
                &json!({"status": "on-track", "percent": 80}),
            )
            .await;
        let id = first["id"].as_i64().unwrap();
        let (status, err, _) = s
            .put_if_match(
                &format!("/api/v1/checkins/{id}"),
                1,
                &json!({"status": "at-risk"}),
            )
            .await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "reason"),
            "{b}"
        );
        let (status, _, version) = s
            .put_if_match(
                &format!("/api/v1/checkins/{id}"),
                1,
                &json!({"status": "at-risk", "percent": 50, "reason": "Typo in percent"}),
            )
            .await;
        assert_eq!((status, version), (StatusCode::OK, Some(2)), "{b}");
        let (_, shown) = s.get(&format!("/api/v1/checkins/{id}")).await;
        assert_eq!(shown["checkin"]["revision"], 2, "{b}");
        assert_eq!(shown["history"][0]["percent"], 80.0, "{b}: {shown}");
        assert_eq!(shown["history"][0]["reason"], "Typo in percent");
    }
}

#[tokio::test]
async fn overdue_lists_owners_to_chase() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let (status, list) = s.get("/api/v1/overdue").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        // 1.1 monthly since 100 days ago: 69 days overdue; 1.2 quarterly: 8.
        let got: Vec<(String, i64)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["code"].as_str().unwrap().to_owned(),
                    o["days_overdue"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, [("1.1".to_owned(), 69), ("1.2".to_owned(), 8)], "{b}");
        assert_eq!(list[0]["owner_name"], "Ada Owner");
        let node = s.node_id("1.1").await;
        s.post(
            &format!("/api/v1/nodes/{node}/checkins"),
            &json!({"status": "on-track"}),
        )
        .await;
        let (_, list) = s.get("/api/v1/overdue?plan_id=1&bogus=2").await;
        assert_eq!(
            error_code(&list),
            "bad_request",
            "{b}: unknown query parameters are refused"
        );
        let plan = s.first_plan_id().await;
        let (_, list) = s.get(&format!("/api/v1/overdue?plan_id={plan}")).await;
        assert_eq!(list.as_array().unwrap().len(), 1, "{b}: {list}");
    }
}

#[tokio::test]
async fn csv_values_import_once_and_turn_a_measure_green() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let plan = s.first_plan_id().await;
        let path = format!("/api/v1/plans/{plan}/observations");
        let csv = format!("measure,period,value\nuptime,{},99.8\n", month_ago());
        let (status, counts) = s.post_raw(&path, "text/csv", csv.clone()).await;
        assert_eq!(status, StatusCode::OK, "{b}: {counts}");
        assert_eq!(
            counts,
            json!({"inserted": 1, "updated": 0, "unchanged": 0}),
            "{b}"
        );
        let (_, counts) = s.post_raw(&path, "text/csv", csv).await;
        assert_eq!(
            counts,
            json!({"inserted": 0, "updated": 0, "unchanged": 1}),
            "{b}"
        );

        let (_, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
        assert_eq!(
            report["measures"][0]["status"]["health"], "green",
            "{b}: {report}"
        );

        let (status, err) = s
            .post_raw(
                &path,
                "text/csv",
                "measure,period,value\nuptime,2026-13,1\n".into(),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(
            err["error"]["problems"][0]["field"], "row 2 column period",
            "{b}: {err}"
        );
        let (status, _) = s.post_raw(&path, "application/json", "{}".into()).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{b}");
    }
}

#[tokio::test]
async fn measures_are_validated_against_the_plan() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let node = s.node_id("1.1").await;
        let base = json!({"node_id": node, "key": "patch_days", "name": "Days to patch",
                          "direction": "lower-is-better", "frequency": "monthly",
                          "targets": [{"period": "2026", "value": 14}]});
        let (status, created) = s.post("/api/v1/measures", &base).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {created}");
        assert_eq!(
            created["thresholds"]["basis"], "percent-of-target",
            "{b}: default thresholds"
        );

        let (status, err) = s.post("/api/v1/measures", &base).await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::CONFLICT, "key"),
            "{b}"
        );
        let mut calc = base.clone();
        calc["key"] = json!("ratio");
        calc["formula"] = json!("patch_days / missing");
        let (status, err) = s.post("/api/v1/measures", &calc).await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "formula"),
            "{b}"
        );
        let mut range = base.clone();
        range["key"] = json!("variance");
        range["direction"] = json!("within-range");
        let (status, err) = s.post("/api/v1/measures", &range).await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "targets[0]"),
            "{b}"
        );

        let id = created["id"].as_i64().unwrap();
        let (status, err) = s
            .post(
                &format!("/api/v1/measures/{id}/observations"),
                &json!({"period": "2026-05", "value": "fast"}),
            )
            .await;
        assert_eq!(
            (status, error_field(&err)),
            (StatusCode::UNPROCESSABLE_ENTITY, "value"),
            "{b}"
        );
        let (status, out) = s
            .post(
                &format!("/api/v1/measures/{id}/observations"),
                &json!({"period": "2026-05", "value": 12}),
            )
            .await;
        assert_eq!(
            (status, &out["outcome"]),
            (StatusCode::OK, &json!("inserted")),
            "{b}"
        );
        let (_, series) = s.get(&format!("/api/v1/measures/{id}/observations")).await;
        assert_eq!(series[0]["value"], 12.0, "{b}");
        assert_eq!(
            s.delete(&format!("/api/v1/measures/{id}")).await,
            StatusCode::NO_CONTENT,
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_new_routes() {
    for s in Server::all_with(None).await {
        let (_, doc) = s.get("/api/v1/openapi.json").await;
        for path in [
            "/api/v1/nodes/{id}/checkins",
            "/api/v1/checkins/{id}",
            "/api/v1/nodes/{id}/status-override",
            "/api/v1/plans/{id}/status",
            "/api/v1/overdue",
            "/api/v1/measures",
            "/api/v1/plans/{id}/observations",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{}: {path} missing",
                s.backend
            );
        }
    }
}

#[tokio::test]
async fn the_explorer_shows_statuses_and_overrides() {
    for s in Server::all_with(Some(&plan())).await {
        let b = s.backend;
        let node = s.node_id("1.1").await;
        s.post(
            &format!("/api/v1/nodes/{node}/checkins"),
            &json!({"status": "off-track", "percent": 30}),
        )
        .await;
        let plan = s.first_plan_id().await;
        let (status, html) = s.text(&format!("/plans/{plan}/explorer")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains(r#"<span class="badge status-off-track">"#),
            "{b}: {html}"
        );
        assert!(
            html.contains("30%<span class=\"visually-hidden\"> done"),
            "{b}"
        );
        assert!(!html.contains("(set by owner)"), "{b}");
        s.put(
            &format!("/api/v1/nodes/{node}/status-override"),
            &json!({"status": "at-risk", "reason": "Escalated"}),
        )
        .await;
        let (_, html) = s.text(&format!("/plans/{plan}/explorer")).await;
        assert!(
            html.contains("At risk</span> <span class=\"muted\">(set by owner)</span>"),
            "{b}: {html}"
        );
    }
}
