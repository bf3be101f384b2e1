//! Open data over HTTP, as an anonymous visitor and a harvester see it: the
//! `/data.json` catalog validates against the published DCAT-US 1.1 JSON
//! Schemas, every download it lists answers with the media type it declares,
//! CSV and JSON hold the same rows under the documented columns, and a plan
//! that is not published is neither listed nor downloadable.
//!
//! The schemas are not in this repository: the validation reads them from
//! `$LODESTAR_SHARED_DIR/standards/dcat-us-1.1` or the `shared` folder beside
//! the repository, and prints a notice and skips that check when absent.

mod common;

use common::Server;
use lodestar_domain::{Email, PlanId};
use lodestar_services::App;
use lodestar_services::opendata::{Kind, OpenDataSettings};
use lodestar_storage::testing;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;

/// A description with a comma, a quote and a line break, in a published plan.
const AWKWARD: &str = "Faster, \"simpler\" permits\nfor every resident";

const QUIRKY_PLAN: &str = "organization: {name: City of Harbor Falls}\nkey: quirky-plan\n\
    title: Permits plan\nperiod: {start_year: 2026, end_year: 2027}\nnodes:\n  - code: P1\n    \
    title: Permits\n    description: \"Faster, \\\"simpler\\\" permits\\nfor every resident\"\n";

const PRIVATE_PLAN: &str = "organization: {name: City of Harbor Falls}\nkey: private-plan\n\
    title: Private plan\nperiod: {start_year: 2026, end_year: 2027}\nnodes:\n  - {code: S1, title: Secret goal}\n";

/// The sample with its data and two more plans; the sample and the quirky
/// plan published, the private one not. The contact is configured.
async fn servers() -> Vec<Server> {
    let mut servers = Vec::new();
    for store in testing::all().await {
        let settings = OpenDataSettings {
            contact_email: Some(Email::parse("opendata@harborfalls.example.gov").unwrap()),
            ..OpenDataSettings::default()
        };
        let app = App::new(store.store.clone())
            .on_day(time::macros::date!(2026 - 11 - 16))
            .with_open_data(settings);
        let sample = app.load_sample_if_empty().await.unwrap().unwrap();
        let quirky = app.import_plan_code("q.yaml", QUIRKY_PLAN).await.unwrap();
        app.import_plan_code("p.yaml", PRIVATE_PLAN).await.unwrap();
        for plan in [sample.id, quirky.id] {
            app.publish_plan(plan).await.unwrap();
        }
        servers.push(Server::start(store, app).await);
    }
    servers
}

async fn anonymous_get(server: &Server, url: &str) -> (StatusCode, String, String) {
    let response = server.anonymous.get(url).send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn catalog(server: &Server) -> Value {
    let (status, content_type, body) = anonymous_get(server, &server.url("/data.json")).await;
    assert_eq!(status, StatusCode::OK, "{}: {body}", server.backend);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    serde_json::from_str(&body).unwrap()
}

fn schema_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("LODESTAR_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("standards/dcat-us-1.1");
    dir.join("catalog.json").is_file().then_some(dir)
}

/// Every problem the DCAT-US 1.1 schemas find in `doc`, offline: the files
/// `catalog.json` refers to are registered under the addresses they name.
fn schema_problems(dir: &std::path::Path, doc: &Value) -> Vec<String> {
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let base = "https://project-open-data.cio.gov/v1.1/schema/";
    let parts = [
        "dataset.json",
        "distribution.json",
        "organization.json",
        "vcard.json",
    ];
    let registry = jsonschema::Registry::new()
        .extend(parts.map(|name| (format!("{base}{name}"), read(name))))
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&read("catalog.json"))
        .unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[tokio::test]
async fn the_catalog_validates_against_dcat_us_1_1_and_lists_only_published_plans() {
    for server in servers().await {
        let doc = catalog(&server).await;
        let keys: Vec<&str> = doc["dataset"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["landingPage"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
            })
            .collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.contains(&"harbor-falls-it-2025") && keys.contains(&"quirky-plan"));
        let text = doc.to_string();
        assert!(!text.contains("private-plan") && !text.contains("Secret goal"));
        let contact = &doc["dataset"][0]["contactPoint"];
        assert_eq!(
            contact["hasEmail"],
            "mailto:opendata@harborfalls.example.gov"
        );
        match schema_dir() {
            Some(dir) => {
                let problems = schema_problems(&dir, &doc);
                assert!(problems.is_empty(), "{}: {problems:#?}", server.backend);
            }
            None => eprintln!(
                "notice: ../shared/standards/dcat-us-1.1 not found (set LODESTAR_SHARED_DIR); \
                 /data.json was not validated against the schema"
            ),
        }
    }
}

#[tokio::test]
async fn the_schemas_refuse_a_catalog_that_breaks_them() {
    let Some(dir) = schema_dir() else {
        eprintln!("notice: ../shared/standards/dcat-us-1.1 not found; skipped");
        return;
    };
    let server = servers().await.remove(0);
    let mut doc = catalog(&server).await;
    doc["dataset"][0]["contactPoint"]["hasEmail"] = "someone".into();
    doc["dataset"][0]["distribution"][0]
        .as_object_mut()
        .unwrap()
        .remove("mediaType");
    let problems = schema_problems(&dir, &doc).join("\n");
    assert!(problems.contains("/contactPoint/hasEmail"), "{problems}");
    assert!(problems.contains("mediaType"), "{problems}");
}

#[tokio::test]
async fn every_listed_download_answers_with_its_declared_type_and_columns() {
    for server in servers().await {
        let doc = catalog(&server).await;
        for dataset in doc["dataset"].as_array().unwrap() {
            for dist in dataset["distribution"].as_array().unwrap() {
                let url = dist["downloadURL"].as_str().unwrap();
                let media_type = dist["mediaType"].as_str().unwrap();
                assert!(
                    url.starts_with(&server.base),
                    "{url} is not absolute on this server"
                );
                let (status, content_type, body) = anonymous_get(&server, url).await;
                assert_eq!(status, StatusCode::OK, "{url}: {body}");
                assert!(
                    content_type.starts_with(media_type),
                    "{url}: {content_type}"
                );
                let kind = Kind::ALL
                    .into_iter()
                    .find(|k| url.contains(&format!("/{}.", k.file_stem())))
                    .unwrap();
                let header: Vec<String> = if media_type == "text/csv" {
                    let mut reader = csv::Reader::from_reader(body.as_bytes());
                    reader
                        .headers()
                        .unwrap()
                        .iter()
                        .map(str::to_owned)
                        .collect()
                } else {
                    let rows: Value = serde_json::from_str(&body).unwrap();
                    let mut keys: Vec<String> = match rows.as_array().unwrap().first() {
                        Some(row) => row.as_object().unwrap().keys().cloned().collect(),
                        None => continue,
                    };
                    keys.sort();
                    let mut expected: Vec<String> =
                        kind.columns().iter().map(|c| (*c).to_owned()).collect();
                    expected.sort();
                    assert_eq!(keys, expected, "{url}");
                    continue;
                };
                assert_eq!(header, kind.columns(), "{url}");
            }
        }
    }
}

/// A JSON value as the CSV writes it.
fn as_csv_field(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().unwrap().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items.iter().map(as_csv_field).collect::<Vec<_>>().join(";"),
        Value::Object(_) => panic!("no cell is an object"),
    }
}

#[tokio::test]
async fn csv_and_json_hold_the_same_rows_and_awkward_text_round_trips() {
    for server in servers().await {
        for key in ["harbor-falls-it-2025", "quirky-plan"] {
            for kind in Kind::ALL {
                let path = |ext: &str| {
                    server.url(&format!("/public/plans/{key}/{}.{ext}", kind.file_stem()))
                };
                let (_, _, csv_body) = anonymous_get(&server, &path("csv")).await;
                let (_, _, json_body) = anonymous_get(&server, &path("json")).await;
                let json: Value = serde_json::from_str(&json_body).unwrap();
                let mut reader = csv::Reader::from_reader(csv_body.as_bytes());
                let header = reader.headers().unwrap().clone();
                let records: Vec<csv::StringRecord> =
                    reader.records().map(Result::unwrap).collect();
                let rows = json.as_array().unwrap();
                assert_eq!(records.len(), rows.len(), "{key} {kind:?}");
                if key == "harbor-falls-it-2025" {
                    assert!(!rows.is_empty(), "the sample has {kind:?}");
                }
                for (record, row) in records.iter().zip(rows) {
                    for (name, field) in header.iter().zip(record) {
                        let from_json = as_csv_field(&row[name]);
                        let same = from_json == field
                            || matches!(
                                (from_json.parse::<f64>(), field.parse::<f64>()),
                                (Ok(a), Ok(b)) if a == b
                            );
                        assert!(
                            same,
                            "{key} {kind:?} {name}: CSV {field:?}, JSON {from_json:?}"
                        );
                    }
                }
            }
        }
        let (_, _, nodes) =
            anonymous_get(&server, &server.url("/public/plans/quirky-plan/nodes.csv")).await;
        let mut reader = csv::Reader::from_reader(nodes.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        let description = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "description");
        assert_eq!(&record[description.unwrap()], AWKWARD);
    }
}

#[tokio::test]
async fn a_download_names_its_file_and_an_unpublished_plan_has_none() {
    for server in servers().await {
        let response = server
            .anonymous
            .get(server.url("/public/plans/harbor-falls-it-2025/measures.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            headers["content-disposition"],
            "attachment; filename=\"harbor-falls-it-2025-measures.csv\""
        );
        for path in [
            "/data.json",
            "/public/plans/harbor-falls-it-2025/nodes.json",
        ] {
            let head = server
                .anonymous
                .head(server.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(
                head.status(),
                StatusCode::OK,
                "HEAD {path}, as link checkers ask"
            );
        }
        for kind in ["nodes", "measures", "observations"] {
            for ext in ["csv", "json"] {
                for key in ["private-plan", "no-such-plan"] {
                    let url = server.url(&format!("/public/plans/{key}/{kind}.{ext}"));
                    let (status, _, body) = anonymous_get(&server, &url).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{url}");
                    assert!(!body.contains("Secret goal"), "{url}");
                }
            }
        }
        let (_, plans) = server.get("/api/v1/plans").await;
        let sample = plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == "harbor-falls-it-2025")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        server.app.unpublish_plan(PlanId(sample)).await.unwrap();
        let doc = catalog(&server).await;
        assert_eq!(doc["dataset"].as_array().unwrap().len(), 1, "{doc}");
        let url = server.url("/public/plans/harbor-falls-it-2025/nodes.json");
        assert_eq!(anonymous_get(&server, &url).await.0, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_withheld_node_and_everything_beneath_it_stay_out_of_the_downloads() {
    for server in servers().await {
        let goal_2 = server.node_id("2").await;
        server
            .app
            .withhold_node(lodestar_domain::NodeId(goal_2))
            .await
            .unwrap();
        let get = |table: &'static str| {
            let url = server.url(&format!("/public/plans/harbor-falls-it-2025/{table}.json"));
            let server = &server;
            async move {
                let (status, _, body) = anonymous_get(server, &url).await;
                assert_eq!(status, StatusCode::OK, "{url}");
                serde_json::from_str::<Value>(&body).unwrap()
            }
        };
        let beneath = |code: &Value| {
            code.as_str()
                .is_some_and(|c| c == "2" || c.starts_with("2."))
        };
        let nodes = get("nodes").await;
        assert!(!nodes.as_array().unwrap().is_empty());
        assert!(
            !nodes
                .as_array()
                .unwrap()
                .iter()
                .any(|n| beneath(&n["code"]))
        );
        let measures = get("measures").await;
        assert!(
            !measures
                .as_array()
                .unwrap()
                .iter()
                .any(|m| beneath(&m["node_code"]))
        );
        let kept: Vec<&Value> = measures
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["measure_key"])
            .collect();
        let observations = get("observations").await;
        assert!(
            observations
                .as_array()
                .unwrap()
                .iter()
                .all(|o| kept.contains(&&o["measure_key"]))
        );
        assert!(
            !observations.to_string().contains("mfa_coverage"),
            "a measure of goal 2 (objective 2.1) is withheld with it"
        );
    }
}
