//! The real server, started in-process on an ephemeral port for each storage
//! backend, and a client for it: shared by the API test files.

#![allow(dead_code)]

use lodestar_services::App;
use lodestar_storage::testing::{self, TestStore};
use reqwest::StatusCode;
use serde_json::Value;

/// A running server and a client for it.
pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    pub backend: &'static str,
    _store: TestStore,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    /// Serves `app`, which runs on `store`.
    pub async fn start(store: TestStore, app: App) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(lodestar_http::serve(listener, app, async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            http: reqwest::Client::new(),
            backend: store.backend,
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
