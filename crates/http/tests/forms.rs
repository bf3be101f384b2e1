//! The forms that change a plan, against the real server on every backend:
//! a check-in, a measure's value, a node's fields, a new measure. Each is
//! posted as a browser posts it (form-encoded); a mistake comes back as the
//! form with the message beside its field and what the user typed.

mod common;

#[path = "forms/support.rs"]
mod support;

use common::{Server, client_with_token, token_for};
use lodestar_domain::{Role, TokenScope};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use support::{
    assert_invalid, edit_fields, field, latest_value, location, measure_id, pairs, post_form, today,
};

#[tokio::test]
async fn a_check_in_changes_the_node_and_its_parents_roll_up() {
    for s in Server::all(true).await {
        let (b, node, parent) = (s.backend, s.node_id("1.1.1").await, s.node_id("1.1").await);
        let (_, before) = s.get(&format!("/api/v1/nodes/{parent}/status")).await;
        let form = s
            .http
            .get(s.url(&format!("/nodes/{node}/checkins/new")))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::OK, "{b}");
        let html = form.text().await.unwrap();
        assert!(html.contains("<h1>New check-in: 1.1.1 "), "{b}: {html}");
        assert!(
            html.contains(&format!("value=\"{}\"", today(&s))),
            "{b}: dated today"
        );
        assert!(
            html.contains("<option value=\"off-track\">Off track</option>"),
            "{b}"
        );
        assert!(html.contains("(required)"), "{b}");
        let res = post_form(
            &s,
            &format!("/nodes/{node}/checkins"),
            &[
                ("status", "off-track"),
                ("percent", "15"),
                ("date", &today(&s)),
                ("happened", "The vendor missed the install date"),
                ("help_needed", "A decision on the second vendor"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            location(&res),
            format!("/nodes/{node}?saved=checkin#checkins")
        );
        let (_, now) = s.get(&format!("/api/v1/nodes/{node}/status")).await;
        assert_eq!(now["reported_status"], "off-track", "{b}: {now}");
        assert_eq!(now["reported_percent"], 15.0, "{b}: {now}");
        let (_, after) = s.get(&format!("/api/v1/nodes/{parent}/status")).await;
        assert_ne!(
            before["computed"], after["computed"],
            "{b}: the parent's roll-up moved"
        );
    }
}

#[tokio::test]
async fn a_bad_check_in_comes_back_with_every_message_and_the_typed_text() {
    for s in Server::all(true).await {
        let (b, node) = (s.backend, s.node_id("1.1.1").await);
        let future = s
            .app
            .today()
            .saturating_add(time::Duration::days(30))
            .to_string();
        let res = post_form(
            &s,
            &format!("/nodes/{node}/checkins"),
            &[
                ("status", "at-risk"),
                ("percent", "abc"),
                ("date", &future),
                ("happened", "Cutover rehearsal done, two defects found"),
                ("next", "Fix the defects"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap();
        assert_invalid(&html, "percent", "is not a number");
        assert_invalid(&html, "date", "is in the future");
        assert!(field(&html, "percent").contains("value=\"abc\""), "{b}");
        assert!(
            field(&html, "date").contains(&format!("value=\"{future}\"")),
            "{b}"
        );
        assert!(
            html.contains(">Cutover rehearsal done, two defects found</textarea>"),
            "{b}"
        );
        assert!(html.contains(">Fix the defects</textarea>"), "{b}");
        assert!(html.contains("<option value=\"at-risk\" selected>"), "{b}");
        let (_, now) = s.get(&format!("/api/v1/nodes/{node}/status")).await;
        assert_eq!(now["last_checkin"], Value::Null, "{b}: nothing was filed");
    }
}

#[tokio::test]
async fn a_value_is_recorded_or_its_period_explained() {
    for s in Server::all(true).await {
        let (b, id, node) = (
            s.backend,
            measure_id(&s, "portal_uptime").await,
            s.node_id("1.1").await,
        );
        let form = s
            .http
            .get(s.url(&format!("/measures/{id}/observations/new")))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), StatusCode::OK, "{b}");
        let html = form.text().await.unwrap();
        assert!(
            html.contains("This measure is counted monthly: write a month, such as"),
            "{b}"
        );
        assert!(
            html.contains("<label for=\"value\">Value (%)"),
            "{b}: {html}"
        );
        let path = format!("/measures/{id}/observations");
        let bad = post_form(
            &s,
            &path,
            &[
                ("period", "2026-13"),
                ("value", "99.2"),
                ("note", "After the failover test"),
            ],
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = bad.text().await.unwrap();
        assert_invalid(&html, "period", "month 13");
        assert!(field(&html, "period").contains("value=\"2026-13\""), "{b}");
        assert!(field(&html, "value").contains("value=\"99.2\""), "{b}");
        assert!(html.contains(">After the failover test</textarea>"), "{b}");
        assert_eq!(
            latest_value(&s, id).await,
            Value::Null,
            "{b}: nothing recorded"
        );

        let period = s.app.today().to_string()[..7].to_owned();
        let good = post_form(&s, &path, &[("period", period.as_str()), ("value", "99.2")]).await;
        assert_eq!(good.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            location(&good),
            format!("/nodes/{node}?saved=observation#measure-{id}")
        );
        assert_eq!(latest_value(&s, id).await, 99.2, "{b}");
    }
}

#[tokio::test]
async fn an_edit_changes_the_title_and_a_stale_one_keeps_the_users_input() {
    for s in Server::all(true).await {
        let (b, id) = (s.backend, s.node_id("1.2").await);
        let (_, stored) = s.get(&format!("/api/v1/nodes/{id}")).await;
        let html = s.text(&format!("/nodes/{id}/edit")).await.1;
        assert!(
            html.contains(&format!(
                "<h1>Edit 1.2 {}</h1>",
                stored["title"].as_str().unwrap()
            )),
            "{b}"
        );
        assert!(
            html.contains(&format!("href=\"/nodes/{id}\"")),
            "{b}: a way back"
        );

        let mine = edit_fields(&s, id, "Online permits and licences").await;
        let theirs = edit_fields(&s, id, "Permits online, renamed by the PMO").await;
        let res = post_form(&s, &format!("/nodes/{id}/edit"), &pairs(&theirs)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), format!("/nodes/{id}?saved=node"));
        let (_, now) = s.get(&format!("/api/v1/nodes/{id}")).await;
        assert_eq!(now["title"], "Permits online, renamed by the PMO", "{b}");
        assert_eq!(now["owner_id"], stored["owner_id"], "{b}: the rest is kept");

        let res = post_form(&s, &format!("/nodes/{id}/edit"), &pairs(&mine)).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{b}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Someone else changed this node"),
            "{b}: {html}"
        );
        assert!(
            html.contains("<td>Permits online, renamed by the PMO</td>"),
            "{b}: the current value is shown"
        );
        assert!(
            field(&html, "title").contains("value=\"Online permits and licences\""),
            "{b}: the input is kept"
        );
        let (_, now) = s.get(&format!("/api/v1/nodes/{id}")).await;
        assert_eq!(
            now["title"], "Permits online, renamed by the PMO",
            "{b}: nothing overwritten"
        );

        let mut bad = mine.clone();
        bad[2].1 = "   ".into();
        bad[11].1 = "heavy".into();
        let res = post_form(&s, &format!("/nodes/{id}/edit"), &pairs(&bad)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap();
        assert_invalid(&html, "title", "Enter a title");
        assert_invalid(&html, "weight", "is not a number");
    }
}

#[tokio::test]
async fn a_measure_is_added_and_a_duplicate_key_is_explained() {
    for s in Server::all(true).await {
        let (b, node) = (s.backend, s.node_id("1.1.1").await);
        let html = s.text(&format!("/nodes/{node}/measures/new")).await.1;
        assert!(html.contains("<h1>Add a measure: 1.1.1 "), "{b}");
        let path = format!("/nodes/{node}/measures");
        let base = [
            ("name", "Permit requests completed online"),
            ("unit", "%"),
            ("direction", "higher-is-better"),
            ("frequency", "quarterly"),
            ("target_period", "2027"),
            ("target_value", "60"),
            ("baseline_value", "12"),
            ("weight", "1"),
        ];
        let mut duplicate = base.to_vec();
        duplicate.push(("key", "portal_uptime"));
        let res = post_form(&s, &path, &duplicate).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap();
        assert_invalid(&html, "key", "already has a measure with key");
        assert!(
            field(&html, "name").contains("value=\"Permit requests completed online\""),
            "{b}"
        );
        assert!(field(&html, "target_value").contains("value=\"60\""), "{b}");

        let mut fresh = base.to_vec();
        fresh.push(("key", "permits_online"));
        let res = post_form(&s, &path, &fresh).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let id = measure_id(&s, "permits_online").await;
        assert_eq!(
            location(&res),
            format!("/nodes/{node}?saved=measure#measure-{id}")
        );
        let (_, m) = s.get(&format!("/api/v1/measures/{id}")).await;
        assert_eq!(m["targets"][0]["period"], "2027", "{b}: {m}");
        assert_eq!(m["targets"][0]["value"], 60.0, "{b}: {m}");
        assert_eq!(m["baseline"]["value"], 12.0, "{b}: {m}");
    }
}

#[tokio::test]
async fn a_viewer_gets_none_of_the_forms() {
    for s in Server::all(true).await {
        let b = s.backend;
        let token = token_for(
            &s.app,
            "viewer@city.example",
            Role::Viewer,
            None,
            &[TokenScope::Admin],
        )
        .await;
        let viewer = client_with_token(&token);
        let (node, measure) = (
            s.node_id("1.1.1").await,
            measure_id(&s, "portal_uptime").await,
        );
        let gets = [
            format!("/nodes/{node}/checkins/new"),
            format!("/measures/{measure}/observations/new"),
            format!("/nodes/{node}/edit"),
            format!("/nodes/{node}/measures/new"),
        ];
        for path in &gets {
            let res = viewer.get(s.url(path)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: GET {path}");
        }
        let posts = [
            format!("/nodes/{node}/checkins"),
            format!("/measures/{measure}/observations"),
            format!("/nodes/{node}/edit"),
            format!("/nodes/{node}/measures"),
        ];
        for path in &posts {
            let res = viewer
                .post(s.url(path))
                .form(&[
                    ("status", "on-track"),
                    ("period", "2026-01"),
                    ("value", "1"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: POST {path}");
        }
        let (_, now) = s.get(&format!("/api/v1/nodes/{node}/status")).await;
        assert_eq!(now["last_checkin"], Value::Null, "{b}: nothing was filed");
    }
}

#[tokio::test]
async fn a_session_form_needs_its_csrf_token() {
    let s = Server::sqlite(true).await;
    token_for(
        &s.app,
        "owner@city.example",
        Role::PlanEditor,
        None,
        &[TokenScope::Read],
    )
    .await;
    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = browser
        .post(s.url("/login"))
        .form(&[
            ("email", "owner@city.example"),
            ("password", "test password of the suite"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let node = s.node_id("1.1.1").await;
    let html = browser
        .get(s.url(&format!("/nodes/{node}/checkins/new")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .filter(|t| !t.is_empty())
        .expect("the form carries the session's CSRF token")
        .to_owned();
    let path = s.url(&format!("/nodes/{node}/checkins"));
    let refused = browser
        .post(&path)
        .form(&[("status", "on-track")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, now) = s.get(&format!("/api/v1/nodes/{node}/status")).await;
    assert_eq!(now["last_checkin"], Value::Null, "nothing was filed");
    let filed = browser
        .post(&path)
        .form(&[("csrf_token", csrf.as_str()), ("status", "on-track")])
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
}
