//! The portfolio governance API (issue 8) on the real server, on every
//! backend: intake and the tie rule, exceptions, scoring by several
//! reviewers, stage gates and the initiative an approval creates, the cut
//! line, capacity, and optimistic concurrency.

mod common;

use common::{Server, client_with_token, error_code, error_field, etag, token_for};
use lodestar_domain::{Role, TokenScope};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective, Initiative]
nodes:
  - code: "1"
    title: Reliable services
    children:
      - { code: "1.1", title: Keep the portal up }
"#;

/// A server with the plan, and clients acting for one account per role.
struct Town {
    server: Server,
    org: i64,
    objective: i64,
    viewer: Client,
    reviewer: Client,
    editor: Client,
}

async fn towns() -> Vec<Town> {
    let mut out = Vec::new();
    for server in Server::all_with(Some(PLAN)).await {
        let plan = server.first_plan_id().await;
        let (_, p) = server.get(&format!("/api/v1/plans/{plan}")).await;
        let org = p["organization_id"].as_i64().unwrap();
        let objective = server.node_id("1.1").await;
        let client = |email: &'static str, role: Role| {
            let app = server.app.clone();
            async move {
                let token = token_for(&app, email, role, None, &[TokenScope::Admin]).await;
                client_with_token(&token)
            }
        };
        let viewer = client("val@testwick.gov", Role::Viewer).await;
        let reviewer = client("rex@testwick.gov", Role::Reviewer).await;
        let editor = client("eve@testwick.gov", Role::PlanEditor).await;
        out.push(Town {
            server,
            org,
            objective,
            viewer,
            reviewer,
            editor,
        });
    }
    out
}

/// Sends `body` as JSON (with `If-Match` when a version is given) and
/// returns the status, the body and the version the ETag names.
async fn call(
    town: &Town,
    client: &Client,
    method: Method,
    path: &str,
    version: Option<i64>,
    body: &Value,
) -> (StatusCode, Value, Option<i64>) {
    let mut request = client.request(method, town.server.url(path)).json(body);
    if let Some(v) = version {
        request = request.header("If-Match", format!("\"{v}\""));
    }
    let res = request.send().await.unwrap();
    let (status, version) = (res.status(), etag(&res));
    (status, res.json().await.unwrap_or(Value::Null), version)
}

impl Town {
    fn proposal(&self, title: &str, tied: bool, extra: Value) -> Value {
        let mut body = json!({
            "organization_id": self.org,
            "title": title,
            "risk": "medium",
            "objectives": if tied { vec![self.objective] } else { vec![] },
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    }

    /// Creates a draft as the viewer: its id and version.
    async fn draft(&self, title: &str, tied: bool, extra: Value) -> (i64, i64) {
        let body = self.proposal(title, tied, extra);
        let (s, p, v) = call(
            self,
            &self.viewer,
            Method::POST,
            "/api/v1/proposals",
            None,
            &body,
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{}: {p}", self.server.backend);
        (p["id"].as_i64().unwrap(), v.unwrap())
    }

    /// Creates and submits a tied proposal as the viewer: its id and version.
    async fn submitted(&self, title: &str, extra: Value) -> (i64, i64) {
        let (id, v) = self.draft(title, true, extra).await;
        let path = format!("/api/v1/proposals/{id}/submit");
        let (s, body, v) = call(self, &self.viewer, Method::POST, &path, Some(v), &json!({})).await;
        assert_eq!(s, StatusCode::OK, "{}: {body}", self.server.backend);
        (id, v.unwrap())
    }

    async fn version(&self, id: i64) -> i64 {
        let (s, body, v) = self
            .server
            .get_tagged(&format!("/api/v1/proposals/{id}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        v.unwrap()
    }

    /// Passes the gate to `to` as `client`, confirming the gate's whole checklist.
    async fn pass(&self, client: &Client, id: i64, to: &str) -> (StatusCode, Value) {
        let (_, detail, v) = self
            .server
            .get_tagged(&format!("/api/v1/proposals/{id}"))
            .await;
        let checklist = detail["next_gates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["to"] == to)
            .map_or(json!([]), |g| g["checklist"].clone());
        let body = json!({"to": to, "reason": "as discussed at the board", "checklist": checklist});
        let path = format!("/api/v1/proposals/{id}/transitions");
        let (s, body, _) = call(self, client, Method::POST, &path, v, &body).await;
        (s, body)
    }

    /// Submitted → reviewed → approved, by a reviewer and then the administrator.
    async fn approve(&self, id: i64) -> Value {
        let (s, body) = self.pass(&self.reviewer, id, "reviewed").await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let (s, body) = self.pass(&self.server.http, id, "approved").await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body
    }

    async fn score(&self, client: &Client, id: i64, scores: Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/proposals/{id}/scores");
        let (s, body, _) = call(
            self,
            client,
            Method::POST,
            &path,
            None,
            &json!({"scores": scores}),
        )
        .await;
        (s, body)
    }
}

#[tokio::test]
async fn submission_without_a_tie_or_exception_is_refused_naming_the_field() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, v) = t.draft("Untied request", false, json!({})).await;
        let path = format!("/api/v1/proposals/{id}/submit");
        let (s, body, _) = call(&t, &t.viewer, Method::POST, &path, Some(v), &json!({})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {body}");
        assert_eq!(error_field(&body), "objectives", "{b}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("tie the proposal"),
            "{b}: {body}"
        );
        let (_, detail) = t.server.get(&format!("/api/v1/proposals/{id}")).await;
        assert_eq!(detail["proposal"]["stage"], "draft", "{b}: still a draft");

        // Tied, it goes through and the move is recorded.
        let (id, _) = t.submitted("Portal monitoring", json!({})).await;
        let (_, detail) = t.server.get(&format!("/api/v1/proposals/{id}")).await;
        assert_eq!(detail["proposal"]["stage"], "submitted", "{b}");
        assert_eq!(detail["transitions"][0]["gate"], "Submit", "{b}");
        assert_eq!(
            detail["transitions"][0]["actor_name"], "val@testwick.gov",
            "{b}"
        );
        let (_, listed) = t
            .server
            .get(&format!(
                "/api/v1/proposals?organization_id={}&stage=submitted",
                t.org
            ))
            .await;
        let titles: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Portal monitoring"], "{b}");
    }
}

#[tokio::test]
async fn an_exception_is_granted_by_an_administrator_not_a_viewer_and_reported() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, v) = t.draft("Emergency firewall", false, json!({})).await;
        let path = format!("/api/v1/proposals/{id}/exception");
        let body = json!({"reason": "security incident; the CIO approved it"});
        let (s, err, _) = call(&t, &t.viewer, Method::PUT, &path, Some(v), &body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}: {err}");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("administrator"),
            "{b}: {err}"
        );

        let (s, granted, v) = call(&t, &t.server.http, Method::PUT, &path, Some(v), &body).await;
        assert_eq!(s, StatusCode::OK, "{b}: {granted}");
        assert_eq!(
            granted["exception"]["approver_name"], "admin@tests.example",
            "{b}"
        );
        let submit = format!("/api/v1/proposals/{id}/submit");
        let (s, body, _) = call(&t, &t.viewer, Method::POST, &submit, v, &json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}: submitted by exception: {body}");

        let (s, report) = t
            .server
            .get(&format!(
                "/api/v1/proposal-exceptions?organization_id={}",
                t.org
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let entries = report.as_array().unwrap();
        assert_eq!(entries.len(), 1, "{b}: {report}");
        assert_eq!(entries[0]["title"], "Emergency firewall", "{b}");
        assert_eq!(entries[0]["tied"], false, "{b}");
        assert_eq!(
            entries[0]["exception"]["reason"], "security incident; the CIO approved it",
            "{b}"
        );
    }
}

#[tokio::test]
async fn two_reviewers_scores_give_the_documented_weighted_score() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, _) = t.submitted("Permit portal", json!({})).await;
        let (s, body) = t
            .score(
                &t.reviewer,
                id,
                json!([
                    {"criterion": "strategic-alignment", "score": 5},
                    {"criterion": "value", "score": 4},
                    {"criterion": "risk", "score": 3, "comment": "a known vendor"},
                ]),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}: {body}");
        let (s, body) = t
            .score(
                &t.editor,
                id,
                json!([
                    {"criterion": "strategic-alignment", "score": 4},
                    {"criterion": "value", "score": 2},
                    {"criterion": "urgency", "score": 4},
                ]),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}: {body}");
        // (30·4.5 + 25·3 + 15·3 + 15·4) / (30 + 25 + 15 + 15) = 315 / 85.
        let score = body["summary"]["score"].as_f64().unwrap();
        assert!((score - 315.0 / 85.0).abs() < 1e-9, "{b}: {score}");
        let percent = body["summary"]["percent"].as_f64().unwrap();
        assert!((percent - 67.647).abs() < 0.01, "{b}: {percent}");
        assert_eq!(body["summary"]["criteria_scored"], 4, "{b}");
        assert_eq!(
            body["scores"].as_array().unwrap().len(),
            6,
            "{b}: each reviewer's input stays"
        );

        // The proposal shows the same, with every reviewer's scores.
        let (_, detail) = t.server.get(&format!("/api/v1/proposals/{id}")).await;
        assert_eq!(detail["summary"]["score"], body["summary"]["score"], "{b}");
        let names: std::collections::BTreeSet<&str> = detail["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["reviewer_name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{b}: {names:?}");

        // A viewer may not score; an unknown criterion is named.
        let (s, _) = t
            .score(&t.viewer, id, json!([{"criterion": "value", "score": 5}]))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, err) = t
            .score(
                &t.reviewer,
                id,
                json!([{"criterion": "beauty", "score": 5}]),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {err}");
        assert_eq!(error_field(&err), "scores[0].criterion", "{b}");
    }
}

#[tokio::test]
async fn a_gate_refuses_the_wrong_role_naming_the_roles_allowed() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, _) = t.submitted("Data warehouse", json!({})).await;
        let (s, err) = t.pass(&t.viewer, id, "reviewed").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}: {err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("reviewer, plan-editor, administrator"),
            "{b}: {message}"
        );
        let (s, _) = t.pass(&t.reviewer, id, "reviewed").await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        // Approval is the administrators' alone.
        let (s, err) = t.pass(&t.editor, id, "approved").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}: {err}");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("administrator"),
            "{b}: {err}"
        );
        // No gate leads back to submitted: the field is named.
        let (s, err) = t.pass(&t.server.http, id, "submitted").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {err}");
        assert_eq!(error_field(&err), "to", "{b}");
    }
}

#[tokio::test]
async fn approval_creates_the_initiative_under_the_objective() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, _) = t
            .submitted(
                "Uptime monitoring",
                json!({"problem": "Outages go unnoticed", "target_start": "2026-03-01", "target_end": "2026-09-30"}),
            )
            .await;
        let outcome = t.approve(id).await;
        let node = outcome["initiative"]
            .as_i64()
            .expect("an initiative was created");
        assert_eq!(outcome["proposal"]["node_id"], node, "{b}");
        let (s, initiative) = t.server.get(&format!("/api/v1/nodes/{node}")).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(initiative["title"], "Uptime monitoring", "{b}");
        assert_eq!(initiative["parent_id"], t.objective, "{b}");
        assert_eq!(initiative["due_date"], "2026-09-30", "{b}");
        let (_, detail) = t.server.get(&format!("/api/v1/proposals/{id}")).await;
        let last = detail["transitions"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["to"], "approved", "{b}");
        assert!(
            last["note"]
                .as_str()
                .unwrap()
                .contains("created an initiative"),
            "{b}: {last}"
        );
    }
}

#[tokio::test]
async fn the_capacity_report_marks_over_allocated_months() {
    for t in towns().await {
        let b = t.server.backend;
        let path = format!("/api/v1/organizations/{}/capacity", t.org);
        let entries = json!({"entries": [
            {"role": "developer", "month": "2026-03", "hours": 160},
            {"role": "developer", "month": "2026-04", "hours": 160},
        ]});
        let (s, _, _) = call(&t, &t.viewer, Method::PUT, &path, None, &entries).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}: capacity is the editors'");
        let (s, body, _) = call(&t, &t.editor, Method::PUT, &path, None, &entries).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}: {body}");
        let effort = json!({"effort": [
            {"role": "developer", "month": "2026-03", "hours": 200},
            {"role": "developer", "month": "2026-04", "hours": 40},
        ]});
        let (id, _) = t.submitted("Permit system", effort).await;
        t.approve(id).await;

        let (s, rows) = t
            .server
            .get(&format!("{path}?from=2026-03&to=2026-04"))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}: {rows}");
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 2, "{b}: {rows:?}");
        assert_eq!(
            (
                &rows[0]["month"],
                &rows[0]["demand"],
                &rows[0]["free"],
                &rows[0]["over_allocated"]
            ),
            (&json!("2026-03"), &json!(200), &json!(-40), &json!(true)),
            "{b}"
        );
        assert_eq!(rows[1]["over_allocated"], false, "{b}");

        let (s, err) = t
            .server
            .get(&format!("{path}?from=2026-13&to=2026-04"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {err}");
        assert_eq!(error_field(&err), "from", "{b}");
    }
}

#[tokio::test]
async fn the_portfolio_ranks_proposals_and_says_why_one_is_below_the_cut_line() {
    for t in towns().await {
        let b = t.server.backend;
        let budgets = format!("/api/v1/organizations/{}/budgets", t.org);
        let body =
            json!({"budgets": [{"fiscal_year": 2026, "capital": 10_000_000, "operating": 0}]});
        let (s, stored, _) = call(&t, &t.editor, Method::PUT, &budgets, None, &body).await;
        assert_eq!(s, StatusCode::OK, "{b}: {stored}");
        assert_eq!(stored[0]["capital"], 10_000_000, "{b}");
        let cost = |dollars: i64| json!({"costs": [{"fiscal_year": 2026, "kind": "capital", "recurrence": "one-time", "amount": dollars * 100}]});
        let (a, _) = t.submitted("Network refresh", cost(60_000)).await;
        let (c, _) = t.submitted("Fiber ring", cost(50_000)).await;
        t.score(&t.reviewer, a, json!([{"criterion": "value", "score": 5}]))
            .await;
        t.score(&t.reviewer, c, json!([{"criterion": "value", "score": 4}]))
            .await;

        let (s, portfolio) = t
            .server
            .get(&format!("/api/v1/organizations/{}/portfolio", t.org))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}: {portfolio}");
        let ranked = portfolio["ranked"].as_array().unwrap();
        assert_eq!(ranked.len(), 2, "{b}");
        assert_eq!(ranked[0]["proposal"]["title"], "Network refresh", "{b}");
        assert_eq!(ranked[0]["entry"]["rank"], 1, "{b}");
        assert_eq!(ranked[0]["entry"]["fits"], true, "{b}");
        assert_eq!(ranked[1]["proposal"]["title"], "Fiber ring", "{b}");
        assert_eq!(ranked[1]["entry"]["fits"], false, "{b}");
        let reason = ranked[1]["entry"]["reason"].as_str().unwrap();
        assert!(
            reason.contains("FY2026 capital") && reason.contains("$40,000.00 left"),
            "{b}: {reason}"
        );
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict() {
    for t in towns().await {
        let b = t.server.backend;
        let (id, v) = t.draft("Wi-Fi in parks", true, json!({})).await;
        let path = format!("/api/v1/proposals/{id}");
        let changed = t.proposal("Wi-Fi in all parks", true, json!({}));
        let (s, body, v2) = call(&t, &t.viewer, Method::PUT, &path, Some(v), &changed).await;
        assert_eq!(s, StatusCode::OK, "{b}: {body}");
        assert_eq!(body["title"], "Wi-Fi in all parks", "{b}");
        assert_eq!(v2, Some(t.version(id).await), "{b}");
        let (s, err, _) = call(&t, &t.viewer, Method::PUT, &path, Some(v), &changed).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}: {err}");
        assert_eq!(error_code(&err), "version_conflict", "{b}");
        // Someone else's draft is for plan editors and administrators.
        let (s, err, _) = call(&t, &t.reviewer, Method::PUT, &path, v2, &changed).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}: {err}");
        let (s, _, _) = call(&t, &t.editor, Method::PUT, &path, v2, &changed).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
}

#[tokio::test]
async fn the_governance_configuration_is_read_by_all_and_changed_by_administrators() {
    for t in towns().await {
        let b = t.server.backend;
        let path = format!("/api/v1/organizations/{}/governance", t.org);
        let (s, settings, v) = call(&t, &t.viewer, Method::GET, &path, None, &json!(null)).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(settings["version"], Value::Null, "{b}: the default applies");
        assert_eq!(v, None, "{b}");
        let mut config = settings["config"].clone();
        config["criteria"][0]["weight"] = json!(40);
        let (s, _, _) = call(&t, &t.editor, Method::PUT, &path, None, &config).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, stored, v) = call(&t, &t.server.http, Method::PUT, &path, None, &config).await;
        assert_eq!(s, StatusCode::OK, "{b}: {stored}");
        assert_eq!(stored["config"]["criteria"][0]["weight"], 40, "{b}");
        assert_eq!(v, Some(1), "{b}");
        let (s, err, _) = call(&t, &t.server.http, Method::PUT, &path, None, &config).await;
        assert_eq!(s, StatusCode::PRECONDITION_REQUIRED, "{b}: {err}");
    }
}
