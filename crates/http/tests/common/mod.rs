//! The real server, started in-process on an ephemeral port for each storage
//! backend, and a client for it: shared by the API test files.

#![allow(dead_code)]

use lodestar_services::App;
use lodestar_storage::testing::{self, TestStore};
use reqwest::StatusCode;
use serde_json::Value;

/// A running server and a client for it. The client acts as an
/// administrator through an API token; `anonymous` sends no credentials.
pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub anonymous: reqwest::Client,
    pub backend: &'static str,
    pub app: App,
    _store: TestStore,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A client that sends `token` with every request.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Creates an account with `role` (linked to `person` if given) and an API
/// token for it with `scopes`, and returns the token.
pub async fn token_for(
    app: &App,
    email: &str,
    role: lodestar_domain::Role,
    person: Option<lodestar_domain::PersonId>,
    scopes: &[lodestar_domain::TokenScope],
) -> String {
    let user = app
        .add_user(
            &lodestar_domain::Email::parse(email).unwrap(),
            &lodestar_domain::Name::parse(email).unwrap(),
            role,
            person,
            "test password of the suite".into(),
        )
        .await
        .unwrap();
    app.create_token(user.id, "tests", scopes).await.unwrap().1
}

impl Server {
    /// Serves `app`, which runs on `store`.
    pub async fn start(store: TestStore, app: App) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let token = token_for(
            &app,
            "admin@tests.example",
            lodestar_domain::Role::Administrator,
            None,
            &[lodestar_domain::TokenScope::Admin],
        )
        .await;
        tokio::spawn(lodestar_http::serve(listener, app.clone(), async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            http: client_with_token(&token),
            anonymous: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            backend: store.backend,
            app,
            _store: store,
            _stop: stop,
        }
    }

    /// One server per available backend, each with `plan` (plan-as-code) imported.
    pub async fn all_with(plan: Option<&str>) -> Vec<Self> {
        let mut servers = Vec::new();
        for store in testing::all().await {
            let app = App::new(store.store.clone());
            if let Some(plan) = plan {
                app.import_plan_code("plan.yaml", plan).await.unwrap();
            }
            servers.push(Self::start(store, app).await);
        }
        servers
    }

    /// One server per available backend, with the sample plan imported or not.
    pub async fn all(with_sample: bool) -> Vec<Self> {
        let sample = lodestar_services::sample::SAMPLE_PLAN;
        Self::all_with(with_sample.then_some(sample)).await
    }

    /// One server per available backend with the sample plan and its
    /// measure values and check-ins, on a calendar stopped at 2026-11-16 so
    /// that what is due, overdue, red or amber is the same on every run.
    pub async fn all_with_sample_data() -> Vec<Self> {
        let mut servers = Vec::new();
        for store in testing::all().await {
            let app = App::new(store.store.clone()).on_day(time::macros::date!(2026 - 11 - 16));
            app.load_sample_if_empty().await.unwrap().unwrap();
            servers.push(Self::start(store, app).await);
        }
        servers
    }

    /// A client acting for a new account with the viewer role (a read-scoped token).
    pub async fn viewer(&self) -> reqwest::Client {
        let token = token_for(
            &self.app,
            "viewer@tests.example",
            lodestar_domain::Role::Viewer,
            None,
            &[lodestar_domain::TokenScope::Read],
        )
        .await;
        client_with_token(&token)
    }

    /// A server on SQLite only.
    pub async fn sqlite(with_sample: bool) -> Self {
        let store = testing::sqlite().await;
        let app = App::new(store.store.clone());
        if with_sample {
            app.import_plan_code("plan.yaml", lodestar_services::sample::SAMPLE_PLAN)
                .await
                .unwrap();
        }
        Self::start(store, app).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let res = self.http.get(self.url(path)).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let res = self
            .http
            .request(method, self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> StatusCode {
        self.http
            .delete(self.url(path))
            .send()
            .await
            .unwrap()
            .status()
    }

    /// The body as text.
    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let res = self.http.get(self.url(path)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a body of the given media type.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: String,
    ) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Posts raw bytes with no content type, as a file upload might.
    pub async fn post_bytes(&self, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url(path))
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// The id of the only plan, or the first one.
    pub async fn first_plan_id(&self) -> i64 {
        let (_, plans) = self.get("/api/v1/plans").await;
        plans[0]["id"].as_i64().unwrap()
    }

    /// The id of the node with this code in the first plan.
    pub async fn node_id(&self, code: &str) -> i64 {
        let plan = self.first_plan_id().await;
        let (_, nodes) = self.get(&format!("/api/v1/nodes?plan_id={plan}")).await;
        nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == code)
            .unwrap_or_else(|| panic!("no node {code}"))["id"]
            .as_i64()
            .unwrap()
    }
}

/// The `error.code` of an error body.
pub fn error_code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
}

/// The `error.field` of an error body, or "".
pub fn error_field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or("")
}

/// The version a response's `ETag` names: `"3"` is 3.
pub fn etag(res: &reqwest::Response) -> Option<i64> {
    let tag = res.headers().get(reqwest::header::ETAG)?.to_str().ok()?;
    tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

/// Optimistic concurrency: reads that give the version, writes that send it.
impl Server {
    /// Reads `path`: the status, the body and the version its ETag names.
    pub async fn get_tagged(&self, path: &str) -> (StatusCode, Value, Option<i64>) {
        let res = self.http.get(self.url(path)).send().await.unwrap();
        let (status, version) = (res.status(), etag(&res));
        (status, res.json().await.unwrap_or(Value::Null), version)
    }

    /// Replaces `path` with `body`, based on `version` (sent as `If-Match`):
    /// the status, the body and the new version its ETag names.
    pub async fn put_if_match(
        &self,
        path: &str,
        version: i64,
        body: &Value,
    ) -> (StatusCode, Value, Option<i64>) {
        let res = self
            .http
            .put(self.url(path))
            .header(reqwest::header::IF_MATCH, format!("\"{version}\""))
            .json(body)
            .send()
            .await
            .unwrap();
        let (status, version) = (res.status(), etag(&res));
        (status, res.json().await.unwrap_or(Value::Null), version)
    }
}

/// Text as the page templates escape it.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Fails unless the page has no inline style attribute, script or event
/// handler: the Content-Security-Policy would block them.
pub fn assert_nothing_inline(html: &str) {
    assert!(!html.contains(" style="), "an inline style");
    for (at, _) in html.match_indices("<script") {
        assert!(html[at..].starts_with("<script src="), "an inline script");
    }
    for handler in [
        " onclick=",
        " onload=",
        " onchange=",
        " onsubmit=",
        " oninput=",
    ] {
        assert!(!html.contains(handler), "an inline handler {handler}");
    }
}

/// `value` percent-encoded for a query string.
pub fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
