//! Views kept in memory (the dashboard, a plan's tree, a measure's series)
//! with two instances on one database, as behind a load balancer: a write
//! through one instance shows at once on the other, and each viewer gets their
//! own frame around a kept dashboard.

mod common;

use common::{Server, client_with_token, token_for};
use lodestar_services::App;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A second instance: another application (its own memory) on the same
/// database, serving on a port of its own until the sender is dropped.
async fn second_instance(s: &Server) -> (String, tokio::sync::oneshot::Sender<()>) {
    let app = App::new(s.app.store().clone()).on_day(time::macros::date!(2026 - 11 - 16));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(lodestar_http::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    (base, stop)
}

async fn text(client: &reqwest::Client, url: &str) -> String {
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.text().await.unwrap()
}

/// Renames node `id` through the API at `base`.
async fn rename(client: &reqwest::Client, base: &str, id: i64, title: &str) {
    let url = format!("{base}/api/v1/nodes/{id}");
    let res = client.get(&url).send().await.unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let mut node: Value = res.json().await.unwrap();
    let draft = node.as_object_mut().unwrap();
    draft.remove("id");
    draft.insert("title".into(), json!(title));
    let res = client
        .put(&url)
        .header("if-match", etag)
        .json(&node)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
}

#[tokio::test]
async fn a_write_through_one_instance_shows_at_once_on_the_other() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let (other, _stop) = second_instance(&s).await;
        let plan = s.first_plan_id().await;
        let (_, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
        let goal = report["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["node"]["parent_id"].is_null())
            .unwrap()["node"]["id"]
            .as_i64()
            .unwrap();
        let measure = report["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["measure"]["formula"].is_null())
            .unwrap()["measure"]["id"]
            .as_i64()
            .unwrap();
        let dashboard = s.url(&format!("/plans/{plan}"));
        let tree = format!("/api/v1/plans/{plan}/tree");
        let series = format!("/api/v1/measures/{measure}/observations");

        // This instance builds and keeps the three views; the other reads them too.
        let page = text(&s.http, &dashboard).await;
        let (_, tree_before) = s.get(&tree).await;
        let (_, series_before) = s.get(&series).await;
        assert_eq!(text(&s.http, &dashboard).await, page, "{b}: read again");
        assert_eq!(s.get(&tree).await.1, tree_before, "{b}");
        let (kept, bytes) = s.app.memo().size();
        assert!(
            kept >= 3 && bytes > page.len() / 2,
            "{b}: {kept} views, {bytes} bytes"
        );
        text(&s.http, &format!("{other}/plans/{plan}")).await;

        // The other instance writes: a goal's new title and a measure's value.
        let title = "Kept views renamed this goal";
        rename(&s.http, &other, goal, title).await;
        let last = series_before.as_array().unwrap().last().unwrap().clone();
        let res = s
            .http
            .post(format!("{other}{series}"))
            .json(&json!({"period": last["period"], "value": 4242.5}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{b}: {}",
            res.text().await.unwrap()
        );

        // This instance shows both writes at once, in every view it had kept.
        let page = text(&s.http, &dashboard).await;
        assert!(
            page.contains(title),
            "{b}: the dashboard still shows the old title"
        );
        let (_, tree_after) = s.get(&tree).await;
        assert!(tree_after.to_string().contains(title), "{b}: tree");
        let (_, series_after) = s.get(&series).await;
        let latest = series_after.as_array().unwrap().last().unwrap();
        assert_eq!(latest["period"], last["period"], "{b}");
        assert_eq!(latest["value"].as_f64(), Some(4242.5), "{b}: {latest}");
        // And so does the other, which had kept the dashboard before its own write.
        let theirs = text(&s.http, &format!("{other}/plans/{plan}")).await;
        assert!(theirs.contains(title), "{b}: the writing instance");
    }
}

#[tokio::test]
async fn each_viewer_gets_their_own_frame_around_a_kept_dashboard() {
    for s in Server::all_with_sample_data().await {
        let b = s.backend;
        let plan = s.first_plan_id().await;
        let dashboard = s.url(&format!("/plans/{plan}"));
        let admin = text(&s.http, &dashboard).await;
        let token = token_for(
            &s.app,
            "reader@tests.example",
            lodestar_domain::Role::Viewer,
            None,
            &[lodestar_domain::TokenScope::Read],
        )
        .await;
        let reader = text(&client_with_token(&token), &dashboard).await;
        assert!(admin.contains("admin@tests.example"), "{b}");
        assert!(reader.contains("reader@tests.example"), "{b}");
        assert!(
            !reader.contains("admin@tests.example"),
            "{b}: the reader sees the admin's frame"
        );
        assert!(
            !reader.contains("Import a plan"),
            "{b}: a viewer is not offered imports"
        );
        let content = |page: &str| {
            let start = page.find("<main").unwrap();
            page[start..].to_owned()
        };
        assert_eq!(content(&admin), content(&reader), "{b}: the same content");
    }
}
