//! Importing plan documents over HTTP, on the real server and every storage
//! backend: upload, review, confirm (as read or edited), and the warnings
//! kept with the plan.

mod common;

use common::{Server, error_code, error_field};
use lodestar_services::sample::SAMPLE_PLAN;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A small plan in plain text, as a PDF's text might read; it names no
/// organization, so its draft has at least that warning. Needs the
/// importer's text reader.
const TEXT_PLAN: &str = "Harbor Falls IT Plan 2026-2030\n\nGOAL 1: Residents first\nObjective 1.1: Open data\n\
                         Objective 1.2: One resident account\nGOAL 2: Reliable systems\n";

/// A StratML performance report with one indicator and its actual result.
/// Needs the importer's StratML reader.
const STRATML_REPORT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PerformancePlanOrReport xmlns="urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport" Type="Performance_Report">
  <Name>Harbor Falls IT Performance Report</Name>
  <StrategicPlanCore>
    <Organization><Name>City of Harbor Falls</Name></Organization>
    <Goal>
      <Name>Residents first</Name>
      <Description>Serve residents where they are.</Description>
      <SequenceIndicator>1</SequenceIndicator>
      <Objective>
        <Name>Open data</Name>
        <SequenceIndicator>1.1</SequenceIndicator>
        <PerformanceIndicator PerformanceIndicatorType="Quantitative">
          <MeasurementDimension>Datasets published</MeasurementDimension>
          <UnitOfMeasurement>datasets</UnitOfMeasurement>
          <MeasurementInstance>
            <TargetResult><StartDate>2026-01-01</StartDate><EndDate>2026-12-31</EndDate><NumberOfUnits>40</NumberOfUnits></TargetResult>
            <ActualResult><StartDate>2026-01-01</StartDate><EndDate>2026-12-31</EndDate><NumberOfUnits>32</NumberOfUnits></ActualResult>
          </MeasurementInstance>
        </PerformanceIndicator>
      </Objective>
    </Goal>
  </StrategicPlanCore>
  <AdministrativeInformation><StartDate>2026-01-01</StartDate><EndDate>2028-12-31</EndDate></AdministrativeInformation>
</PerformancePlanOrReport>
"#;

async fn upload(s: &Server, query: &str, body: &str) -> (StatusCode, Value) {
    s.post_bytes(&format!("/api/v1/imports{query}"), body.as_bytes().to_vec())
        .await
}

async fn confirm(s: &Server, id: &Value, body: Option<&Value>) -> (StatusCode, Value) {
    let path = format!("/api/v1/imports/{id}/confirm");
    match body {
        Some(body) => s.post(&path, body).await,
        None => s.post_bytes(&path, Vec::new()).await,
    }
}

/// Needs the importer's text reader.
#[tokio::test]
async fn an_upload_is_kept_as_a_draft_and_confirmed_once_with_its_warnings() {
    for s in Server::all(false).await {
        let (status, draft) = upload(&s, "?name=harbor-falls.txt", TEXT_PLAN).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {draft}", s.backend);
        assert_eq!(draft["source"], "text");
        assert_eq!(draft["source_name"], "harbor-falls.txt");
        assert_eq!(draft["document"]["status"], "draft");
        assert_eq!(draft["plan_id"], Value::Null);
        let warnings = draft["warnings"].as_array().unwrap().clone();
        assert!(
            warnings
                .iter()
                .any(|w| w["message"].as_str().unwrap().contains("organization")),
            "{draft}"
        );
        let (_, plans) = s.get("/api/v1/plans").await;
        assert_eq!(plans, json!([]), "nothing stored before confirmation");

        let id = &draft["id"];
        let (status, again) = s.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["document"], draft["document"]);
        assert_eq!(again["warnings"], draft["warnings"]);

        let (status, plan) = confirm(&s, id, None).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {plan}", s.backend);
        assert_eq!(plan["status"], "draft");
        assert_eq!(plan["key"], draft["document"]["key"]);
        let (_, kept) = s
            .get(&format!("/api/v1/plans/{}/import-warnings", plan["id"]))
            .await;
        assert_eq!(kept, Value::Array(warnings));
        let (_, tree) = s.get(&format!("/api/v1/plans/{}/tree", plan["id"])).await;
        assert_eq!(tree["nodes"].as_array().unwrap().len(), 2);

        let (status, body) = confirm(&s, id, None).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::CONFLICT, "conflict")
        );
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(plan["key"].as_str().unwrap()), "{message}");
        let (_, confirmed) = s.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(confirmed["plan_id"], plan["id"]);
    }
}

/// Needs the importer's text reader.
#[tokio::test]
async fn a_confirmed_edit_is_what_is_stored_once_it_is_valid() {
    for s in Server::all(true).await {
        let (_, draft) = upload(
            &s,
            "?name=plan.txt&organization=City%20of%20Harbor%20Falls",
            TEXT_PLAN,
        )
        .await;
        assert_eq!(
            draft["document"]["organization"]["name"],
            "City of Harbor Falls"
        );
        let id = &draft["id"];

        let mut document = draft["document"].clone();
        document["nodes"][0]["children"][0]["code"] = json!("1.2");
        let (status, body) = confirm(&s, id, Some(&json!({ "document": document }))).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_document"),
            "{}: {body}",
            s.backend
        );

        let mut document = draft["document"].clone();
        document["key"] = json!("harbor-falls-it-2025");
        let (status, body) = confirm(&s, id, Some(&json!({ "document": document }))).await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::CONFLICT, "key"),
            "{body}"
        );

        document["key"] = json!("hf-digital-2026");
        document["title"] = json!("Harbor Falls Digital Plan");
        document["nodes"][1]["title"] = json!("Systems residents can rely on");
        let (status, plan) = confirm(&s, id, Some(&json!({ "document": document }))).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {plan}", s.backend);
        assert_eq!(plan["title"], "Harbor Falls Digital Plan");
        let (_, tree) = s.get(&format!("/api/v1/plans/{}/tree", plan["id"])).await;
        assert_eq!(tree["nodes"][1]["title"], "Systems residents can rely on");
    }
}

#[tokio::test]
async fn plan_as_code_uploads_keep_their_status_and_have_no_warnings() {
    for s in Server::all(false).await {
        let res = s
            .http
            .post(s.url("/api/v1/imports"))
            .header("content-type", "application/octet-stream")
            .header(
                "content-disposition",
                "attachment; filename=\"harbor-falls.yaml\"",
            )
            .body(SAMPLE_PLAN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{}", s.backend);
        let draft: Value = res.json().await.unwrap();
        assert_eq!(draft["source"], "plan-code-yaml");
        assert_eq!(draft["source_name"], "harbor-falls.yaml");
        assert_eq!(draft["warnings"], json!([]));
        let (status, plan) = confirm(&s, &draft["id"], Some(&json!({}))).await;
        assert_eq!(status, StatusCode::CREATED, "{plan}");
        assert_eq!(
            plan["status"], "active",
            "plan-as-code is stored as written"
        );
        let (_, warnings) = s
            .get(&format!("/api/v1/plans/{}/import-warnings", plan["id"]))
            .await;
        assert_eq!(warnings, json!([]));
    }
}

#[tokio::test]
async fn bad_uploads_are_refused_with_the_reason() {
    for s in Server::all(false).await {
        let (status, body) = upload(&s, "", "").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "bad_request"),
            "{}",
            s.backend
        );
        assert!(
            body["error"]["message"].as_str().unwrap().contains("empty"),
            "{body}"
        );

        let (status, body) = s
            .post_bytes(
                "/api/v1/imports?name=plan.pdf",
                b"\x00\x01\x02\xffbinary".to_vec(),
            )
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_document")
        );
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("plan.pdf: unrecognized document format"),
            "{message}"
        );

        let (status, body) = upload(&s, "?name=plan.yaml", "key: [oops\n").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("plan.yaml:1:"),
            "{body}"
        );

        let (status, body) = upload(&s, "?key=Not%20A%20Key", TEXT_PLAN).await;
        assert_eq!(
            (status, error_field(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "key")
        );
        let (status, _) = upload(&s, "?colour=blue", TEXT_PLAN).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, body) = s.get("/api/v1/imports/999").await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::NOT_FOUND, "not_found")
        );
        let (status, _) = confirm(&s, &json!(999), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = s.get("/api/v1/plans/999/import-warnings").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, imports) = s.get("/api/v1/plans").await;
        assert_eq!(imports, json!([]), "nothing was stored");
    }
}

#[tokio::test]
async fn an_upload_over_the_importers_limit_is_too_large() {
    let s = Server::sqlite(false).await;
    let body = vec![b'a'; lodestar_services::imports::MAX_INPUT_BYTES + 1];
    let (status, body) = s.post_bytes("/api/v1/imports?name=big.txt", body).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("64 MiB"),
        "{body}"
    );
}

#[tokio::test]
async fn a_plan_made_otherwise_has_no_import_warnings() {
    for s in Server::all(true).await {
        let id = s.first_plan_id().await;
        let (status, warnings) = s.get(&format!("/api/v1/plans/{id}/import-warnings")).await;
        assert_eq!(
            (status, warnings),
            (StatusCode::OK, json!([])),
            "{}",
            s.backend
        );
    }
}

/// Needs the importer's StratML reader.
#[tokio::test]
async fn a_stratml_report_records_its_actual_results_on_confirmation() {
    for s in Server::all(false).await {
        let (status, draft) = upload(&s, "?name=report.xml", STRATML_REPORT).await;
        assert_eq!(status, StatusCode::CREATED, "{}: {draft}", s.backend);
        assert_eq!(draft["source"], "stratml");
        assert_eq!(draft["observations"][0]["value"], json!(32.0), "{draft}");
        let (status, plan) = confirm(&s, &draft["id"], None).await;
        assert_eq!(status, StatusCode::CREATED, "{plan}");
        let (_, measures) = s
            .get(&format!("/api/v1/measures?plan_id={}", plan["id"]))
            .await;
        let measure = &measures[0]["id"];
        let (_, series) = s
            .get(&format!("/api/v1/measures/{measure}/observations"))
            .await;
        assert_eq!(series[0]["value"], json!(32.0), "{series}");
    }
}
