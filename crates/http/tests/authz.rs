//! Who may call what: every route of the OpenAPI document (and every page)
//! called by every kind of caller, checked against a table written here by
//! hand from the roles' definitions — never derived from the server's code.
//!
//! Callers: anonymous; accounts with each role; a sponsor of goal 1 and an
//! owner of node 1.1.1 (viewers linked to those people), and a sponsor and an
//! owner elsewhere in the plan; a read-scoped token of an administrator; a
//! write-measures token of a plan editor. A refusal is 401 (anonymous, or a
//! token that does not work) or 403; anything else means the request got
//! past the gate (it may still be 404 or 422: the bodies here are minimal).
//! Deletes are checked for every caller who must be refused (a refusal never
//! deletes), and then once by the least-privileged caller who may.

mod common;

use common::{Server, client_with_token, token_for};
use lodestar_domain::{PersonId, Role, TokenScope};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Viewer,
    Reviewer,
    ReadToken,
    MetricsToken,
    OtherSponsor,
    OtherOwner,
    Owner,
    Sponsor,
    Editor,
    Admin,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    Viewer,
    Reviewer,
    ReadToken,
    MetricsToken,
    OtherSponsor,
    OtherOwner,
    Owner,
    Sponsor,
    Editor,
    Admin,
];
const SIGNED_IN: &[Who] = &[
    Viewer,
    Reviewer,
    ReadToken,
    MetricsToken,
    OtherSponsor,
    OtherOwner,
    Owner,
    Sponsor,
    Editor,
    Admin,
];
/// Signed in with a session or a token that may change things of its own.
const OWN: &[Who] = &[
    Viewer,
    Reviewer,
    MetricsToken,
    OtherSponsor,
    OtherOwner,
    Owner,
    Sponsor,
    Editor,
    Admin,
];
const EDITORS: &[Who] = &[Editor, Admin];
const BENEATH_GOAL_1: &[Who] = &[Sponsor, Editor, Admin];
const REPORT_ON_NODE: &[Who] = &[Owner, Sponsor, Editor, Admin];
const RECORD_VALUES: &[Who] = &[Owner, Sponsor, Editor, Admin, MetricsToken];
const PLAN_VALUES: &[Who] = &[Editor, Admin, MetricsToken];
const ADMINS: &[Who] = &[Admin];
/// Portfolio intake (issue 8): any signed-in account, tokens with the admin scope.
const INTAKE: &[Who] = &[
    Viewer,
    Reviewer,
    OtherSponsor,
    OtherOwner,
    Owner,
    Sponsor,
    Editor,
    Admin,
];
/// Scoring proposals (issue 8).
const REVIEWERS: &[Who] = &[Reviewer, Editor, Admin];

/// Who the table says may call `method template`.
fn allowed(method: &str, template: &str) -> &'static [Who] {
    match (method, template) {
        ("GET", "/healthz" | "/api/v1/openapi.json" | "/login" | "/static/{file}") => EVERYONE,
        ("POST", "/api/v1/session" | "/login") => EVERYONE,
        (_, t) if t.starts_with("/api/v1/users") => ADMINS,
        ("GET", "/api/v1/audit.csv") => ADMINS,
        ("GET", "/imports/new" | "/imports/{id}") => EDITORS,
        ("GET", "/nodes/{id}/edit" | "/nodes/{id}/measures/new") => BENEATH_GOAL_1,
        ("GET", "/nodes/{id}/checkins/new") => REPORT_ON_NODE,
        ("GET", "/measures/{id}/observations/new") => RECORD_VALUES,
        // Open data of published plans: for anyone (404 while unpublished).
        (
            "GET",
            "/data.json"
            | "/public/plans/{key}/nodes.csv"
            | "/public/plans/{key}/nodes.json"
            | "/public/plans/{key}/measures.csv"
            | "/public/plans/{key}/measures.json"
            | "/public/plans/{key}/observations.csv"
            | "/public/plans/{key}/observations.json"
            | "/public/plans/{key}/plan.stratml.xml",
        ) => EVERYONE,
        // The public portal: for anyone (404 while unpublished).
        (
            "GET",
            "/public"
            | "/public/plans/{key}"
            | "/public/plans/{key}/nodes/{node}"
            | "/public/plans/{key}/report"
            | "/public/plans/{key}/report.md"
            | "/public/plans/{key}/report.csv"
            | "/public/plans/{key}/report.pdf",
        ) => EVERYONE,
        // Portfolio pages (issue 8): the intake form for whoever may write
        // proposals; the fixture's proposal is the administrator's, so its
        // edit form is for its author, plan editors and administrators.
        ("GET", "/proposals/new") => INTAKE,
        ("GET", "/proposals/{id}/edit") => EDITORS,
        ("GET", _) => SIGNED_IN,
        ("POST", "/account/password") => OWN,
        ("POST", "/imports" | "/imports/{id}" | "/imports/{id}/confirm") => EDITORS,
        ("POST", "/nodes/{id}/edit" | "/nodes/{id}/measures") => BENEATH_GOAL_1,
        ("POST", "/nodes/{id}/checkins") => REPORT_ON_NODE,
        ("POST", "/measures/{id}/observations") => RECORD_VALUES,
        // Portfolio forms (issue 8): past the gate, the JSON body sent here
        // is refused as not a form (415) before any role is checked.
        (
            "POST",
            "/proposals"
            | "/proposals/{id}/edit"
            | "/proposals/{id}/gate"
            | "/proposals/{id}/exception",
        ) => INTAKE,
        ("POST", "/proposals/{id}/scores") => REVIEWERS,
        ("DELETE", "/api/v1/session")
        | ("POST", "/api/v1/session/password" | "/api/v1/tokens" | "/logout") => OWN,
        ("DELETE", "/api/v1/tokens/{id}") => OWN,
        (
            "POST",
            "/api/v1/plans"
            | "/api/v1/plans/import"
            | "/api/v1/imports"
            | "/api/v1/imports/{id}/confirm"
            | "/api/v1/organizations"
            | "/api/v1/people"
            | "/api/v1/departments"
            | "/api/v1/tags",
        ) => EDITORS,
        (
            "PUT" | "DELETE",
            "/api/v1/organizations/{id}"
            | "/api/v1/people/{id}"
            | "/api/v1/departments/{id}"
            | "/api/v1/tags/{id}"
            | "/api/v1/plans/{id}",
        ) => EDITORS,
        ("POST", "/api/v1/plans/{id}/revisions") => EDITORS,
        ("PUT" | "DELETE", "/api/v1/plans/{id}/publication") => EDITORS,
        ("PUT" | "DELETE", "/api/v1/nodes/{id}/publication") => BENEATH_GOAL_1,
        ("POST", "/api/v1/nodes" | "/api/v1/measures" | "/api/v1/alignments") => BENEATH_GOAL_1,
        (
            "PUT" | "DELETE",
            "/api/v1/nodes/{id}"
            | "/api/v1/nodes/{id}/status-override"
            | "/api/v1/nodes/{id}/tags/{tag_id}"
            | "/api/v1/alignments/{id}"
            | "/api/v1/measures/{id}",
        ) => BENEATH_GOAL_1,
        (
            "POST",
            "/api/v1/nodes/{id}/checkins"
            | "/api/v1/nodes/{id}/milestones"
            | "/api/v1/nodes/{id}/evidence",
        ) => REPORT_ON_NODE,
        ("PUT", "/api/v1/checkins/{id}") => REPORT_ON_NODE,
        ("PUT" | "DELETE", "/api/v1/milestones/{id}" | "/api/v1/evidence/{id}") => REPORT_ON_NODE,
        ("POST", "/api/v1/measures/{id}/observations") => RECORD_VALUES,
        ("POST", "/api/v1/plans/{id}/observations")
        | ("DELETE", "/api/v1/plans/{id}/observations/{observation_id}") => PLAN_VALUES,
        // Portfolio governance API (issue 8). The fixture's proposal is the
        // administrator's draft: submitting someone else's proposal is for
        // plan editors and administrators (the service refuses the others).
        // The other writes get an empty body, refused as such past the gate.
        ("POST", "/api/v1/proposals") => INTAKE,
        ("PUT", "/api/v1/proposals/{id}" | "/api/v1/proposals/{id}/exception") => INTAKE,
        ("POST", "/api/v1/proposals/{id}/transitions") => INTAKE,
        ("POST", "/api/v1/proposals/{id}/submit") => EDITORS,
        ("POST", "/api/v1/proposals/{id}/scores") => REVIEWERS,
        ("PUT", "/api/v1/organizations/{id}/capacity" | "/api/v1/organizations/{id}/budgets") => {
            EDITORS
        }
        ("PUT", "/api/v1/organizations/{id}/governance") => ADMINS,
        other => panic!("the test's table has no row for {other:?}; add one"),
    }
}

/// The records requests name, made before the matrix runs.
struct Fixture {
    ids: HashMap<&'static str, i64>,
    clients: HashMap<Who, reqwest::Client>,
}

async fn json_of(server: &Server, path: &str) -> Value {
    let (status, body) = server.get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn find<'a>(items: &'a Value, field: &str, value: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} = {value}"))
}

async fn fixture(server: &Server) -> Fixture {
    let plan = server.first_plan_id().await;
    let node = server.node_id("1.1.1").await;
    let objective = server.node_id("1.1").await;
    let goal_2 = server.node_id("2").await;
    let people = json_of(server, "/api/v1/people").await;
    let person = |name: &str| PersonId(find(&people, "name", name)["id"].as_i64().unwrap());
    let measures = json_of(server, &format!("/api/v1/measures?node_id={objective}")).await;
    let measure = measures.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let milestone = json_of(server, &format!("/api/v1/nodes/{node}/milestones")).await[0]["id"]
        .as_i64()
        .unwrap();
    let (s, checkin) = server
        .post(
            &format!("/api/v1/nodes/{node}/checkins"),
            &json!({"status": "on-track", "percent": 40}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{checkin}");
    let (s, evidence) = server
        .post(
            &format!("/api/v1/nodes/{node}/evidence"),
            &json!({"title": "Launch report", "date": "2025-06-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{evidence}");
    let other = server
        .app
        .import_plan_code(
            "county.yaml",
            "organization: {name: Harbor County}\nkey: county-it\ntitle: County IT plan\n\
             period: {start_year: 2025, end_year: 2029}\nnodes:\n  - {code: C1, title: Shared services}\n",
        )
        .await
        .unwrap();
    let other_node =
        json_of(server, &format!("/api/v1/nodes?plan_id={}", other.id.0)).await[0]["id"]
            .as_i64()
            .unwrap();
    let (s, alignment) = server
        .post(
            "/api/v1/alignments",
            &json!({"from_node_id": node, "to_node_id": other_node}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{alignment}");
    // Records of their own for the directory routes, so that deleting them
    // takes nothing from the plan the other callers' rights come from.
    let created = |path: &'static str, body: Value| async move {
        let (s, made) = server.post(path, &body).await;
        assert_eq!(s, StatusCode::CREATED, "{path}: {made}");
        made["id"].as_i64().unwrap()
    };
    let organization = created("/api/v1/organizations", json!({"name": "Test Authority"})).await;
    let department = created(
        "/api/v1/departments",
        json!({"organization_id": organization, "name": "Test Office"}),
    )
    .await;
    let spare_person = created(
        "/api/v1/people",
        json!({"organization_id": organization, "name": "Test Person"}),
    )
    .await;
    let tag = created(
        "/api/v1/tags",
        json!({"plan_id": plan, "key": "test-tag", "name": "Test tag"}),
    )
    .await;
    let (s, import) = server
        .post_bytes(
            "/api/v1/imports?name=p.txt",
            b"GOAL 1: One\nGOAL 2: Two\n".to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{import}");
    // A draft proposal of the administrator's (issue 8).
    let proposal = created(
        "/api/v1/proposals",
        json!({"organization_id": organization, "title": "Test proposal", "risk": "low"}),
    )
    .await;
    let mut ids = HashMap::from([
        ("plan", plan),
        ("proposal", proposal),
        ("node", node),
        ("goal_2", goal_2),
        ("other_node", other_node),
        ("measure", measure),
        ("milestone", milestone),
        ("checkin", checkin["id"].as_i64().unwrap()),
        ("evidence", evidence["id"].as_i64().unwrap()),
        ("tag", tag),
        ("organization", organization),
        ("department", department),
        ("person", spare_person),
        ("import", import["id"].as_i64().unwrap()),
        ("observation", 999_999),
        ("alignment", alignment["id"].as_i64().unwrap()),
    ]);
    let app = &server.app;
    let mut clients = HashMap::from([
        (Anonymous, server.anonymous.clone()),
        (Admin, server.http.clone()),
    ]);
    for (who, role, person_name, scopes) in [
        (Viewer, Role::Viewer, None, &[TokenScope::Admin][..]),
        (Reviewer, Role::Reviewer, None, &[TokenScope::Admin][..]),
        (Editor, Role::PlanEditor, None, &[TokenScope::Admin][..]),
        (
            Sponsor,
            Role::Viewer,
            Some("Rebecca Haines"),
            &[TokenScope::Admin][..],
        ),
        (
            Owner,
            Role::Viewer,
            Some("Tomás Beaulieu"),
            &[TokenScope::Admin][..],
        ),
        (
            OtherSponsor,
            Role::Viewer,
            Some("Marisol Ortega"),
            &[TokenScope::Admin][..],
        ),
        (
            OtherOwner,
            Role::Viewer,
            Some("Priya Raghunathan"),
            &[TokenScope::Admin][..],
        ),
        (
            ReadToken,
            Role::Administrator,
            None,
            &[TokenScope::Read][..],
        ),
        (
            MetricsToken,
            Role::PlanEditor,
            None,
            &[TokenScope::WriteMeasures][..],
        ),
    ] {
        let email = format!("{who:?}@tests.example").to_lowercase();
        let token = token_for(app, &email, role, person_name.map(person), scopes).await;
        clients.insert(who, client_with_token(&token));
    }
    let spare = token_for(
        app,
        "spare@tests.example",
        Role::Viewer,
        None,
        &[TokenScope::Read],
    )
    .await;
    let spare_id = app.token_principal(&spare).await.unwrap().unwrap();
    let lodestar_services::accounts::Credential::Token(info) = spare_id.via else {
        unreachable!()
    };
    ids.insert("token", info.id.0);
    ids.insert("user", spare_id.user.id.0);
    Fixture { ids, clients }
}

/// The path of `template` with the fixture's ids in it.
fn concrete(template: &str, ids: &HashMap<&str, i64>) -> String {
    let id_for = |t: &str| -> i64 {
        let key = [
            ("/api/v1/plans/{id}", "plan"),
            ("/api/v1/nodes/{id}", "node"),
            ("/api/v1/measures/{id}", "measure"),
            ("/api/v1/checkins/{id}", "checkin"),
            ("/api/v1/milestones/{id}", "milestone"),
            ("/api/v1/evidence/{id}", "evidence"),
            ("/api/v1/alignments/{id}", "alignment"),
            ("/api/v1/tags/{id}", "tag"),
            ("/api/v1/organizations/{id}", "organization"),
            ("/api/v1/departments/{id}", "department"),
            ("/api/v1/people/{id}", "person"),
            ("/api/v1/imports/{id}", "import"),
            ("/api/v1/proposals/{id}", "proposal"),
            ("/api/v1/tokens/{id}", "token"),
            ("/api/v1/users/{id}", "user"),
            ("/plans/{id}", "plan"),
            ("/nodes/{id}", "node"),
            ("/measures/{id}", "measure"),
            ("/imports/{id}", "import"),
            ("/proposals/{id}", "proposal"),
        ]
        .iter()
        .find(|(prefix, _)| t.starts_with(prefix))
        .map(|(_, key)| *key)
        .unwrap_or_else(|| panic!("no id for {t}"));
        ids[key]
    };
    let mut path = template.to_owned();
    if path.contains("{id}") {
        path = path.replace("{id}", &id_for(template).to_string());
    }
    path.replace("{tag_id}", &ids["tag"].to_string())
        .replace("{observation_id}", &ids["observation"].to_string())
        .replace("{file}", "lodestar.css")
        .replace("{key}", "harbor-falls-it-2025")
        .replace("{node}", &ids["node"].to_string())
}

/// A body that names the records the gate looks at; otherwise empty.
fn body(method: &str, template: &str, ids: &HashMap<&str, i64>) -> Value {
    match (method, template) {
        ("POST", "/api/v1/nodes") => json!({"plan_id": ids["plan"], "parent_id": ids["node"]}),
        ("PUT", "/api/v1/nodes/{id}") => json!({"plan_id": ids["plan"], "parent_id": ids["node"]}),
        ("POST", "/api/v1/measures") => json!({"node_id": ids["node"]}),
        ("POST", "/api/v1/alignments") => {
            json!({"from_node_id": ids["node"], "to_node_id": ids["other_node"]})
        }
        _ => json!({}),
    }
}

/// Every route: the OpenAPI document's, and the pages'.
async fn routes(server: &Server) -> BTreeSet<(String, String)> {
    let doc = json_of(server, "/api/v1/openapi.json").await;
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.to_uppercase(), path.clone()));
        }
    }
    for (m, p) in [
        ("GET", "/"),
        ("GET", "/plans/{id}"),
        ("GET", "/plans/{id}/explorer"),
        ("GET", "/plans/{id}/roadmap"),
        ("GET", "/plans/{id}/report"),
        ("GET", "/plans/{id}/report.md"),
        ("GET", "/plans/{id}/report.csv"),
        ("GET", "/plans/{id}/report.html"),
        ("GET", "/plans/{id}/report.pdf"),
        ("GET", "/plans/{id}/revisions"),
        ("GET", "/plans/{id}/diff"),
        ("GET", "/nodes/{id}"),
        ("GET", "/nodes/{id}/edit"),
        ("POST", "/nodes/{id}/edit"),
        ("GET", "/nodes/{id}/checkins/new"),
        ("POST", "/nodes/{id}/checkins"),
        ("GET", "/nodes/{id}/measures/new"),
        ("POST", "/nodes/{id}/measures"),
        ("GET", "/measures/{id}/observations/new"),
        ("POST", "/measures/{id}/observations"),
        ("GET", "/imports/new"),
        ("POST", "/imports"),
        ("GET", "/imports/{id}"),
        ("POST", "/imports/{id}"),
        ("POST", "/imports/{id}/confirm"),
        ("GET", "/search"),
        ("GET", "/account"),
        ("POST", "/account/password"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/logout"),
        ("GET", "/healthz"),
        ("GET", "/static/{file}"),
        ("GET", "/data.json"),
        ("GET", "/public/plans/{key}/nodes.csv"),
        ("GET", "/public/plans/{key}/nodes.json"),
        ("GET", "/public/plans/{key}/measures.csv"),
        ("GET", "/public/plans/{key}/measures.json"),
        ("GET", "/public/plans/{key}/observations.csv"),
        ("GET", "/public/plans/{key}/observations.json"),
        ("GET", "/public"),
        ("GET", "/public/plans/{key}"),
        ("GET", "/public/plans/{key}/nodes/{node}"),
        ("GET", "/public/plans/{key}/plan.stratml.xml"),
        ("GET", "/public/plans/{key}/report"),
        ("GET", "/public/plans/{key}/report.md"),
        ("GET", "/public/plans/{key}/report.csv"),
        ("GET", "/public/plans/{key}/report.pdf"),
        // Portfolio pages (issue 8).
        ("GET", "/proposals"),
        ("POST", "/proposals"),
        ("GET", "/proposals/new"),
        ("GET", "/proposals/exceptions"),
        ("GET", "/proposals/{id}"),
        ("GET", "/proposals/{id}/edit"),
        ("POST", "/proposals/{id}/edit"),
        ("POST", "/proposals/{id}/scores"),
        ("POST", "/proposals/{id}/gate"),
        ("POST", "/proposals/{id}/exception"),
        ("GET", "/portfolio"),
        ("GET", "/capacity"),
        ("GET", "/budget"),
    ] {
        routes.insert((m.to_owned(), p.to_owned()));
    }
    routes
}

fn refused(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN
}

#[tokio::test]
async fn every_caller_reaches_exactly_the_routes_their_role_allows() {
    for server in Server::all(true).await {
        let f = fixture(&server).await;
        let routes = routes(&server).await;
        assert!(routes.len() > 80, "only {} routes found", routes.len());
        let mut wrong = Vec::new();
        let mut deletes_allowed = Vec::new();
        for (method, template) in &routes {
            let allow = allowed(method, template);
            for who in EVERYONE {
                let is_allowed = allow.contains(who);
                if method == "DELETE" && is_allowed {
                    deletes_allowed.push((template.clone(), *who));
                    continue;
                }
                let path = concrete(template, &f.ids);
                let client = &f.clients[who];
                let request = client
                    .request(
                        Method::from_bytes(method.as_bytes()).unwrap(),
                        server.url(&path),
                    )
                    .header("If-Match", "\"0\"");
                let request = if method == "POST" && template == "/login" {
                    request.form(&[
                        ("email", "nobody@tests.example"),
                        ("password", "wrong password!"),
                    ])
                } else if method == "GET" || method == "DELETE" {
                    request
                } else {
                    request.json(&body(method, template, &f.ids))
                };
                let response = request.send().await.unwrap();
                let status = response.status();
                let to_sign_in = status == StatusCode::SEE_OTHER
                    && response
                        .headers()
                        .get("location")
                        .is_some_and(|l| l.to_str().unwrap().starts_with("/login?next="));
                // A wrong password on the sign-in form is 401 by design: only 403 refuses it.
                let was_refused = if template == "/login" {
                    status == StatusCode::FORBIDDEN
                } else {
                    refused(status) || to_sign_in
                };
                if was_refused == is_allowed {
                    wrong.push(format!(
                        "{who:?} {method} {path}: {status} but the table says {}",
                        if is_allowed { "allowed" } else { "refused" }
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{}: {} wrong answers:\n{}",
            server.backend,
            wrong.len(),
            wrong.join("\n")
        );

        // Each delete once, by the least-privileged caller the table allows.
        let mut by_route: HashMap<String, Who> = HashMap::new();
        for (template, who) in deletes_allowed {
            by_route
                .entry(template)
                .and_modify(|w| *w = (*w).min(who))
                .or_insert(who);
        }
        let mut by_route: Vec<(String, Who)> = by_route.into_iter().collect();
        // The plan and its nodes go last: the other deletes are about them.
        by_route.sort_by_key(|(t, _)| {
            (
                t.starts_with("/api/v1/plans/{id}") || t == "/api/v1/nodes/{id}",
                t.clone(),
            )
        });
        for (template, who) in by_route {
            let path = concrete(&template, &f.ids);
            let status = f.clients[&who]
                .delete(server.url(&path))
                .send()
                .await
                .unwrap()
                .status();
            assert!(
                !refused(status),
                "{}: {who:?} DELETE {path} was refused: {status}",
                server.backend
            );
        }
    }
}

#[tokio::test]
async fn a_revoked_token_and_a_disabled_account_are_refused() {
    let server = Server::sqlite(true).await;
    let token = token_for(
        &server.app,
        "job@tests.example",
        Role::PlanEditor,
        None,
        &[TokenScope::Read],
    )
    .await;
    let client = client_with_token(&token);
    let status = client
        .get(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::OK);
    let principal = server.app.token_principal(&token).await.unwrap().unwrap();
    let lodestar_services::accounts::Credential::Token(info) = &principal.via else {
        unreachable!()
    };
    let (s, _) = server
        .send(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", info.id.0),
            &json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let status = client
        .get(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let token = token_for(
        &server.app,
        "leaver@tests.example",
        Role::Viewer,
        None,
        &[TokenScope::Read],
    )
    .await;
    let user = server
        .app
        .token_principal(&token)
        .await
        .unwrap()
        .unwrap()
        .user;
    let (s, body) = server
        .put(
            &format!("/api/v1/users/{}", user.id.0),
            &json!({"role": "viewer", "disabled": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let status = client_with_token(&token)
        .get(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_that_is_not_one_is_refused_with_a_challenge() {
    let server = Server::sqlite(false).await;
    let response = client_with_token("lst_not-a-real-token")
        .get(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().contains_key("www-authenticate"));
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid")
    );
}
