//! Optimistic concurrency over HTTP, on the real server and every backend:
//! reads give the record's version as `ETag`, a change must send the version
//! it was based on as `If-Match`, and a change based on an old version is a
//! 409 that names the current one, so no accepted change is ever lost.

mod common;

use common::{Server, error_code, etag};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Sends `method` to `path` with the given `If-Match` value (none if `None`)
/// and JSON body (none if `Null`): the status, the body, and the version the
/// answer's ETag names.
async fn send(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    if_match: Option<&str>,
    body: &Value,
) -> (StatusCode, Value, Option<i64>) {
    let mut req = s.http.request(method, s.url(path));
    if let Some(tag) = if_match {
        req = req.header(reqwest::header::IF_MATCH, tag);
    }
    if !body.is_null() {
        req = req.json(body);
    }
    let res = req.send().await.unwrap();
    let (status, version) = (res.status(), etag(&res));
    (status, res.json().await.unwrap_or(Value::Null), version)
}

/// A plan with one goal, made through the API: the plan's and the goal's ids.
async fn plan_with_goal(s: &Server, key: &str) -> (i64, i64) {
    let (_, orgs) = s.get("/api/v1/organizations").await;
    let org = match orgs.as_array().and_then(|o| o.first()) {
        Some(org) => org["id"].clone(),
        None => s
            .post("/api/v1/organizations", &json!({"name": "Riverton"}))
            .await
            .1["id"]
            .clone(),
    };
    let (status, plan) = s
        .post(
            "/api/v1/plans",
            &json!({"organization_id": org, "key": key, "title": "Riverton IT plan",
                    "period": {"start_year": 2025, "end_year": 2030}}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let plan = plan["id"].as_i64().unwrap();
    let (status, goal) = s
        .post(
            "/api/v1/nodes",
            &json!({"plan_id": plan, "code": "1", "title": "Resilient infrastructure"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{goal}");
    (plan, goal["id"].as_i64().unwrap())
}

fn goal_body(plan: i64, title: &str) -> Value {
    json!({"plan_id": plan, "code": "1", "title": title})
}

#[tokio::test]
async fn a_change_must_name_the_version_it_is_based_on() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (plan, goal) = plan_with_goal(&s, "riverton-it").await;
        let url = format!("/api/v1/nodes/{goal}");
        let body = goal_body(plan, "Changed blind");

        let (status, err, _) = send(&s, reqwest::Method::PUT, &url, None, &body).await;
        assert_eq!(
            (status, error_code(&err)),
            (StatusCode::PRECONDITION_REQUIRED, "precondition_required"),
            "{b}: {err}"
        );
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("If-Match"),
            "{b}: the message names the header: {err}"
        );
        let (status, err, _) = send(&s, reqwest::Method::PUT, &url, Some("*"), &body).await;
        assert_eq!(
            (status, error_code(&err)),
            (StatusCode::PRECONDITION_REQUIRED, "precondition_required"),
            "{b}: * would overwrite blindly"
        );
        for bad in ["1", "\"one\"", "\"1\", \"2\""] {
            let (status, err, _) = send(&s, reqwest::Method::PUT, &url, Some(bad), &body).await;
            assert_eq!(
                (status, error_code(&err)),
                (StatusCode::BAD_REQUEST, "bad_request"),
                "{b}: If-Match: {bad}"
            );
        }
        let (_, stored, version) = s.get_tagged(&url).await;
        assert_eq!(
            (stored["title"].as_str(), version),
            (Some("Resilient infrastructure"), Some(1)),
            "{b}: nothing was written"
        );
    }
}

#[tokio::test]
async fn a_stale_change_is_a_conflict_that_names_the_current_version() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (plan, goal) = plan_with_goal(&s, "riverton-it").await;
        let url = format!("/api/v1/nodes/{goal}");
        let (status, _, version) = s.put_if_match(&url, 1, &goal_body(plan, "First")).await;
        assert_eq!((status, version), (StatusCode::OK, Some(2)), "{b}");
        let (status, _, version) = s.put_if_match(&url, 2, &goal_body(plan, "Second")).await;
        assert_eq!((status, version), (StatusCode::OK, Some(3)), "{b}");

        let (status, err, _) = s.put_if_match(&url, 1, &goal_body(plan, "Lost")).await;
        assert_eq!(
            (status, error_code(&err)),
            (StatusCode::CONFLICT, "version_conflict"),
            "{b}: {err}"
        );
        assert_eq!(err["error"]["current_version"], 3, "{b}: {err}");
        assert_eq!(
            err["error"]["message"],
            format!(
                "node {goal} was changed by someone else: you sent version 1, it is now at version 3"
            ),
            "{b}"
        );
        let (_, stored, version) = s.get_tagged(&url).await;
        assert_eq!(
            (stored["title"].as_str(), version),
            (Some("Second"), Some(3)),
            "{b}"
        );

        let (status, err, _) = s
            .put_if_match("/api/v1/nodes/987654", 1, &goal_body(plan, "Nowhere"))
            .await;
        assert_eq!(
            (status, error_code(&err)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn deletes_check_the_version_when_one_is_given() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (plan, goal) = plan_with_goal(&s, "riverton-it").await;
        let url = format!("/api/v1/nodes/{goal}");
        s.put_if_match(&url, 1, &goal_body(plan, "Changed")).await;
        let delete =
            |tag: Option<&'static str>| send(&s, reqwest::Method::DELETE, &url, tag, &Value::Null);
        let (status, err, _) = delete(Some("\"1\"")).await;
        assert_eq!(
            (status, error_code(&err), &err["error"]["current_version"]),
            (StatusCode::CONFLICT, "version_conflict", &json!(2)),
            "{b}: {err}"
        );
        let (status, _, _) = delete(Some("*")).await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED, "{b}");
        let (status, _, _) = delete(Some("\"2\"")).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{b}");
        let (status, _, _) = delete(None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
    }
}

/// What each kind of record is created with and changed to, and where.
struct Kind {
    what: &'static str,
    create_at: String,
    item: &'static str,
    created: Value,
    changed: Value,
}

#[tokio::test]
async fn every_record_a_client_can_replace_carries_its_version() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (plan, goal) = plan_with_goal(&s, "riverton-it").await;
        let (_, other_goal) = plan_with_goal(&s, "county-it").await;
        let org = s.get(&format!("/api/v1/plans/{plan}")).await.1["organization_id"].clone();
        let plan_body = |title: &str| {
            json!({"organization_id": org, "key": "riverton-2", "title": title,
                   "period": {"start_year": 2025, "end_year": 2030}})
        };
        let measure = |name: &str| {
            json!({"node_id": goal, "key": "uptime", "name": name, "direction": "higher-is-better",
                   "frequency": "monthly", "targets": [{"period": "2026", "value": 99.5}]})
        };
        let kinds = [
            Kind {
                what: "organization",
                create_at: "/api/v1/organizations".into(),
                item: "/api/v1/organizations",
                created: json!({"name": "Harbor"}),
                changed: json!({"name": "Harbor Falls"}),
            },
            Kind {
                what: "department",
                create_at: "/api/v1/departments".into(),
                item: "/api/v1/departments",
                created: json!({"organization_id": org, "name": "IT"}),
                changed: json!({"organization_id": org, "name": "IT Services"}),
            },
            Kind {
                what: "person",
                create_at: "/api/v1/people".into(),
                item: "/api/v1/people",
                created: json!({"organization_id": org, "name": "Ana"}),
                changed: json!({"organization_id": org, "name": "Ana Diaz"}),
            },
            Kind {
                what: "plan",
                create_at: "/api/v1/plans".into(),
                item: "/api/v1/plans",
                created: plan_body("Second plan"),
                changed: plan_body("Second plan, revised"),
            },
            Kind {
                what: "node",
                create_at: "/api/v1/nodes".into(),
                item: "/api/v1/nodes",
                created: json!({"plan_id": plan, "code": "2", "title": "Open data"}),
                changed: json!({"plan_id": plan, "code": "2", "title": "Open data by default"}),
            },
            Kind {
                what: "tag",
                create_at: "/api/v1/tags".into(),
                item: "/api/v1/tags",
                created: json!({"plan_id": plan, "key": "cloud", "name": "Cloud"}),
                changed: json!({"plan_id": plan, "key": "cloud", "name": "Cloud first"}),
            },
            Kind {
                what: "alignment",
                create_at: "/api/v1/alignments".into(),
                item: "/api/v1/alignments",
                created: json!({"from_node_id": goal, "to_node_id": other_goal}),
                changed: json!({"from_node_id": goal, "to_node_id": other_goal, "note": "Shared data centre"}),
            },
            Kind {
                what: "measure",
                create_at: "/api/v1/measures".into(),
                item: "/api/v1/measures",
                created: measure("Uptime"),
                changed: measure("Uptime of core systems"),
            },
            Kind {
                what: "milestone",
                create_at: format!("/api/v1/nodes/{goal}/milestones"),
                item: "/api/v1/milestones",
                created: json!({"title": "Vendor chosen"}),
                changed: json!({"title": "Vendor signed"}),
            },
            Kind {
                what: "evidence",
                create_at: format!("/api/v1/nodes/{goal}/evidence"),
                item: "/api/v1/evidence",
                created: json!({"title": "Backups tested", "date": "2025-06-01"}),
                changed: json!({"title": "Backups restored", "date": "2025-06-01"}),
            },
            Kind {
                what: "check-in",
                create_at: format!("/api/v1/nodes/{goal}/checkins"),
                item: "/api/v1/checkins",
                created: json!({"status": "on-track", "percent": 10}),
                changed: json!({"status": "on-track", "percent": 20, "reason": "Typo"}),
            },
        ];
        for k in kinds {
            let what = k.what;
            let (status, made, version) =
                send(&s, reqwest::Method::POST, &k.create_at, None, &k.created).await;
            assert_eq!(
                (status, version),
                (StatusCode::CREATED, Some(1)),
                "{b}: a new {what} is at version 1: {made}"
            );
            let url = format!("{}/{}", k.item, made["id"]);
            assert_eq!(s.get_tagged(&url).await.2, Some(1), "{b}: {what}");
            let (status, err, _) = send(&s, reqwest::Method::PUT, &url, None, &k.changed).await;
            assert_eq!(
                status,
                StatusCode::PRECONDITION_REQUIRED,
                "{b}: {what}: {err}"
            );
            let (status, body, version) = s.put_if_match(&url, 1, &k.changed).await;
            assert_eq!(
                (status, version),
                (StatusCode::OK, Some(2)),
                "{b}: {what}: {body}"
            );
            let (status, err, _) = s.put_if_match(&url, 1, &k.changed).await;
            assert_eq!(
                (status, error_code(&err), &err["error"]["current_version"]),
                (StatusCode::CONFLICT, "version_conflict", &json!(2)),
                "{b}: {what}: {err}"
            );
            assert_eq!(s.get_tagged(&url).await.2, Some(2), "{b}: {what}");
        }
    }
}

#[tokio::test]
async fn a_status_override_is_replaced_only_at_its_version() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (_, goal) = plan_with_goal(&s, "riverton-it").await;
        let url = format!("/api/v1/nodes/{goal}/status-override");
        let over = |reason: &str| json!({"status": "at-risk", "reason": reason});
        let put = |tag: Option<&'static str>, reason: &'static str| {
            let body = over(reason);
            let (s, url) = (&s, url.clone());
            async move { send(s, reqwest::Method::PUT, &url, tag, &body).await }
        };

        let (status, _, _) = s.get_tagged(&url).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}: no override yet");
        let (status, body, version) = put(None, "Vendor slipped").await;
        assert_eq!((status, version), (StatusCode::OK, Some(1)), "{b}: {body}");
        assert_eq!(body["override"]["reason"], "Vendor slipped");
        let (status, shown, version) = s.get_tagged(&url).await;
        assert_eq!(
            (status, shown["reason"].as_str(), version),
            (StatusCode::OK, Some("Vendor slipped"), Some(1)),
            "{b}"
        );

        let (status, err, _) = put(None, "Blind").await;
        assert_eq!(
            (status, &err["error"]["current_version"]),
            (StatusCode::PRECONDITION_REQUIRED, &json!(1)),
            "{b}: replacing needs the version: {err}"
        );
        let (status, _, version) = put(Some("\"1\""), "Escalated").await;
        assert_eq!((status, version), (StatusCode::OK, Some(2)), "{b}");
        let (status, err, _) = put(Some("\"1\""), "Stale").await;
        assert_eq!(
            (status, error_code(&err), &err["error"]["current_version"]),
            (StatusCode::CONFLICT, "version_conflict", &json!(2)),
            "{b}"
        );

        let (status, _, _) = send(
            &s,
            reqwest::Method::DELETE,
            &url,
            Some("\"1\""),
            &Value::Null,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "{b}: a stale clear is refused"
        );
        let (status, _, _) = send(
            &s,
            reqwest::Method::DELETE,
            &url,
            Some("\"2\""),
            &Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let (status, err, _) = put(Some("\"2\""), "Too late").await;
        assert_eq!(
            (
                status,
                error_code(&err),
                err["error"].get("current_version")
            ),
            (StatusCode::CONFLICT, "version_conflict", None),
            "{b}: the override it would replace was cleared: {err}"
        );
        let (status, _, version) = put(None, "Fresh").await;
        assert_eq!(
            (status, version),
            (StatusCode::OK, Some(3)),
            "{b}: a new override never reuses an old one's version"
        );
    }
}

/// How many writers change the node at once, and how many changes each must get accepted.
const WRITERS: usize = 16;
const WRITES_EACH: usize = 4;

/// A change the server accepted: the version it was based on, the version
/// the server answered with, and the title it wrote.
#[derive(Debug, Clone)]
struct Accepted {
    sent: i64,
    got: i64,
    title: String,
}

/// One writer: reads the node, changes its title based on the version read,
/// and on a conflict reads again and retries, until `WRITES_EACH` changes of
/// its own are accepted. Returns them and how many conflicts it met.
async fn writer(s: &Server, url: String, plan: i64, w: usize) -> (Vec<Accepted>, usize) {
    let mut accepted = Vec::new();
    let mut conflicts = 0;
    while accepted.len() < WRITES_EACH {
        let title = format!("Writer {w}, change {}", accepted.len());
        let (status, _, read) = s.get_tagged(&url).await;
        assert_eq!(status, StatusCode::OK);
        let sent = read.expect("a read answers with an ETag");
        let (status, body, got) = s.put_if_match(&url, sent, &goal_body(plan, &title)).await;
        match status {
            StatusCode::OK => accepted.push(Accepted {
                sent,
                got: got.expect("an accepted change answers with an ETag"),
                title,
            }),
            StatusCode::CONFLICT => {
                assert_eq!(error_code(&body), "version_conflict", "{body}");
                let current = body["error"]["current_version"].as_i64().unwrap();
                assert!(current > sent, "{body}: the node moved on past {sent}");
                conflicts += 1;
            }
            other => panic!("writer {w}: {other}: {body}"),
        }
    }
    (accepted, conflicts)
}

/// Every update the audit log holds for the node, oldest first, as (version, title).
async fn audited_titles(s: &Server, node: i64) -> Vec<(Option<i64>, String)> {
    let mut entries = Vec::new();
    let mut before = String::new();
    loop {
        let (status, page) = s
            .get(&format!("/api/v1/nodes/{node}/audit?limit=500{before}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let page = page.as_array().unwrap().clone();
        let Some(last) = page.last() else { break };
        before = format!("&before_id={}", last["id"]);
        entries.extend(page);
    }
    entries.reverse();
    entries
        .iter()
        .filter(|e| e["entity"] == "nodes" && e["action"] == "update" && e["entity_id"] == node)
        .map(|e| {
            let after = &e["after"];
            (
                after["version"].as_i64(),
                after["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_never_lose_an_accepted_change() {
    for s in Server::all(false).await {
        let b = s.backend;
        let (plan, goal) = plan_with_goal(&s, "riverton-it").await;
        let url = format!("/api/v1/nodes/{goal}");
        let s = std::sync::Arc::new(s);
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (s, url) = (s.clone(), url.clone());
                tokio::spawn(async move { writer(&s, url, plan, w).await })
            })
            .collect();
        let mut accepted = Vec::new();
        let mut conflicts = 0;
        for w in writers {
            let (mine, met) = w.await.expect("a writer panicked");
            accepted.extend(mine);
            conflicts += met;
        }
        let total = (WRITERS * WRITES_EACH) as i64;
        assert_eq!(accepted.len() as i64, total, "{b}");
        assert!(
            conflicts > 0,
            "{b}: the writers never raced; the test proved nothing"
        );

        for a in &accepted {
            assert_eq!(
                a.got,
                a.sent + 1,
                "{b}: {a:?} was accepted on a version other than the one it was based on"
            );
        }
        accepted.sort_by_key(|a| a.got);
        let versions: Vec<i64> = accepted.iter().map(|a| a.got).collect();
        let expected: Vec<i64> = (2..=1 + total).collect();
        assert_eq!(
            versions, expected,
            "{b}: every accepted change got its own version, with no gap"
        );

        let (_, stored, version) = s.get_tagged(&url).await;
        assert_eq!(version, Some(1 + total), "{b}");
        let last = accepted.last().unwrap();
        assert_eq!(
            stored["title"].as_str(),
            Some(last.title.as_str()),
            "{b}: the title is the one the last accepted change wrote"
        );

        let history = audited_titles(&s, goal).await;
        let in_order: Vec<(Option<i64>, String)> = accepted
            .iter()
            .map(|a| (Some(a.got), a.title.clone()))
            .collect();
        assert_eq!(
            history, in_order,
            "{b}: the audit log holds every accepted change, with its version, in order"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_declares_the_versions() {
    let s = Server::sqlite(false).await;
    let (_, doc) = s.get("/api/v1/openapi.json").await;
    let paths = &doc["paths"];
    for path in [
        "/api/v1/organizations/{id}",
        "/api/v1/departments/{id}",
        "/api/v1/people/{id}",
        "/api/v1/plans/{id}",
        "/api/v1/nodes/{id}",
        "/api/v1/tags/{id}",
        "/api/v1/alignments/{id}",
        "/api/v1/measures/{id}",
        "/api/v1/milestones/{id}",
        "/api/v1/evidence/{id}",
        "/api/v1/checkins/{id}",
        "/api/v1/nodes/{id}/status-override",
    ] {
        let put = &paths[path]["put"];
        let if_match = put["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-Match" && p["in"] == "header");
        assert!(if_match.is_some(), "PUT {path} declares no If-Match");
        for status in ["409", "428"] {
            assert!(
                put["responses"][status].is_object(),
                "PUT {path} declares no {status}"
            );
        }
        assert!(
            put["responses"]["200"]["headers"]["ETag"].is_object(),
            "PUT {path} declares no ETag"
        );
        assert!(
            paths[path]["get"]["responses"]["200"]["headers"]["ETag"].is_object(),
            "GET {path} declares no ETag"
        );
    }
    let detail = &doc["components"]["schemas"]["ErrorDetail"]["properties"];
    assert!(detail["current_version"].is_object(), "{detail}");
}
