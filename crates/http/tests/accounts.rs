//! Signing in and out, sessions and their CSRF tokens, sign-in throttling,
//! passwords, and the security headers, against the real server.

mod common;

use common::Server;
use lodestar_domain::{Email, Name, Role};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

const PASSWORD: &str = "a long enough secret";

async fn account(server: &Server, email: &str) {
    server
        .app
        .add_user(
            &Email::parse(email).unwrap(),
            &Name::parse("Dana Okafor").unwrap(),
            Role::PlanEditor,
            None,
            PASSWORD.into(),
        )
        .await
        .unwrap();
}

fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in over the API: the cookie (kept by the client) and the CSRF token.
async fn sign_in(
    server: &Server,
    client: &Client,
    email: &str,
    password: &str,
) -> (StatusCode, Value, Option<String>) {
    let res = client
        .post(server.url("/api/v1/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned());
    (
        res.status(),
        res.json().await.unwrap_or(Value::Null),
        cookie,
    )
}

#[tokio::test]
async fn a_session_cookie_needs_its_csrf_token_for_changes_and_ends_on_sign_out() {
    for server in Server::all(false).await {
        account(&server, "dana@city.example").await;
        let client = browser();
        let (status, body, cookie) = sign_in(&server, &client, "dana@city.example", PASSWORD).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let cookie = cookie.expect("a session cookie");
        for attribute in ["lodestar_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP gets no Secure cookie: {cookie}"
        );
        let csrf = body["csrf_token"].as_str().unwrap().to_owned();

        let me: Value = client
            .get(server.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["user"]["email"], "dana@city.example");
        assert_eq!(me["csrf_token"], csrf.as_str());

        let org = json!({"name": "Harbor Falls"});
        let without = client
            .post(server.url("/api/v1/organizations"))
            .json(&org)
            .send()
            .await
            .unwrap();
        assert_eq!(without.status(), StatusCode::FORBIDDEN);
        let text = without.text().await.unwrap();
        assert!(text.contains("CSRF"), "{text}");
        let cross_site = client
            .post(server.url("/api/v1/organizations"))
            .header("x-csrf-token", &csrf)
            .header(header::ORIGIN, "https://evil.example")
            .json(&org)
            .send()
            .await
            .unwrap();
        assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
        let with = client
            .post(server.url("/api/v1/organizations"))
            .header("x-csrf-token", &csrf)
            .json(&org)
            .send()
            .await
            .unwrap();
        assert_eq!(with.status(), StatusCode::CREATED);

        let out = client
            .delete(server.url("/api/v1/session"))
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        assert!(
            out.headers()[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = client
            .get(server.url("/api/v1/session"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            after.status(),
            StatusCode::UNAUTHORIZED,
            "{}",
            server.backend
        );
    }
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_every_instance() {
    for server in Server::all(false).await {
        account(&server, "kim@city.example").await;
        let client = browser();
        for _ in 0..5 {
            let (status, body, _) =
                sign_in(&server, &client, "kim@city.example", "not the password").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("not right")
            );
        }
        let res = client
            .post(server.url("/api/v1/session"))
            .json(&json!({"email": "kim@city.example", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "even the right password waits"
        );
        assert!(res.headers().contains_key(header::RETRY_AFTER));
        // Another instance on the same database refuses it too.
        let other = lodestar_services::App::new(server.app.store().clone());
        let err = other
            .sign_in("kim@city.example", PASSWORD.into(), "10.0.0.9")
            .await
            .unwrap_err();
        assert!(
            matches!(err, lodestar_services::ServiceError::Throttled { .. }),
            "{err}"
        );
        // An unknown account is refused the same way as a wrong password.
        let (status, body, _) = sign_in(&server, &client, "nobody@city.example", PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_ends_other_sessions() {
    let server = Server::sqlite(false).await;
    account(&server, "lee@city.example").await;
    let (first, second) = (browser(), browser());
    let (_, body, _) = sign_in(&server, &first, "lee@city.example", PASSWORD).await;
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    sign_in(&server, &second, "lee@city.example", PASSWORD).await;
    let change = |current: &'static str| {
        first
            .post(server.url("/api/v1/session/password"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"current_password": current, "new_password": "an even longer secret"}))
            .send()
    };
    let wrong = change("not it at all").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let right = change(PASSWORD).await.unwrap();
    assert_eq!(right.status(), StatusCode::NO_CONTENT);
    let still = first
        .get(server.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        still.status(),
        StatusCode::OK,
        "the session that changed it stays"
    );
    let ended = second
        .get(server.url("/api/v1/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        ended.status(),
        StatusCode::UNAUTHORIZED,
        "other sessions end"
    );
    let (old, _, _) = sign_in(&server, &browser(), "lee@city.example", PASSWORD).await;
    assert_eq!(old, StatusCode::UNAUTHORIZED);
    let (new, _, _) = sign_in(
        &server,
        &browser(),
        "lee@city.example",
        "an even longer secret",
    )
    .await;
    assert_eq!(new, StatusCode::CREATED);
}

#[tokio::test]
async fn the_sign_in_page_signs_in_and_never_sends_anyone_to_another_site() {
    let server = Server::sqlite(true).await;
    account(&server, "ana@city.example").await;
    let client = browser();
    let page = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "pages need a sign-in");
    assert_eq!(page.headers()[header::LOCATION], "/login?next=/");
    let form = client
        .get(server.url("/login?next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    assert!(
        html.contains("name=\"password\"") && html.contains("autocomplete=\"current-password\"")
    );
    let wrong = client
        .post(server.url("/login"))
        .form(&[
            ("email", "ana@city.example"),
            ("password", "wrong password!"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.text().await.unwrap().contains("not right"));
    let signed = client
        .post(server.url("/login"))
        .form(&[
            ("email", "ana@city.example"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed.headers()[header::LOCATION], "/", "no open redirect");
    let home = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = Server::sqlite(true).await;
    for path in [
        "/api/v1/plans",
        "/",
        "/login",
        "/healthz",
        "/api/v1/nowhere",
    ] {
        let res = server.http.get(server.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{path}");
        assert!(
            !h.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{path}: no HSTS over plain HTTP"
        );
    }
    let api = server
        .http
        .get(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()[header::CACHE_CONTROL], "no-store");
    let https = server
        .http
        .get(server.url("/healthz"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(
        https
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    let css = server
        .anonymous
        .get(server.url("/static/lodestar.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK, "the stylesheet is public");
}

#[tokio::test]
async fn a_method_no_route_serves_is_405_not_a_refusal() {
    let server = Server::sqlite(false).await;
    let res = server
        .http
        .patch(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let head = server
        .http
        .head(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    let anonymous = server
        .anonymous
        .head(server.url("/api/v1/plans"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_body_too_large_for_the_gate_to_read_is_413() {
    let server = Server::sqlite(true).await;
    let huge = format!(
        "{{\"title\": \"{}\"}}",
        "x".repeat(lodestar_http::MAX_BODY_BYTES + 10)
    );
    let res = server
        .http
        .post(server.url("/api/v1/nodes"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
}
