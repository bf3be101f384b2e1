//! The pages outside any one plan: the plan list, search, the account page,
//! and the frame, stylesheet and script every page shares.

mod common;

use common::Server;
use reqwest::StatusCode;

async fn page(server: &Server, path: &str) -> (StatusCode, String) {
    server.text(path).await
}

#[tokio::test]
async fn the_plan_list_links_to_each_plans_dashboard_inside_the_shared_frame() {
    for server in Server::all(true).await {
        let plan = server.first_plan_id().await;
        let (status, html) = page(&server, "/").await;
        assert_eq!(status, StatusCode::OK, "{}", server.backend);
        assert!(html.contains(&format!("href=\"/plans/{plan}\"")), "{html}");
        assert!(html.contains("Harbor Falls Information Technology Strategic Plan"));
        assert!(html.contains("Skip to main content"));
        assert!(html.contains("action=\"/logout\""), "a sign-out button");
        assert!(html.contains("admin@tests.example"), "who is signed in");
    }
}

#[tokio::test]
async fn search_finds_nodes_and_measures_by_every_word_in_any_case() {
    for server in Server::all(true).await {
        let (status, html) = page(&server, "/search?q=RESIDENT+account").await;
        assert_eq!(status, StatusCode::OK, "{}", server.backend);
        let node = server.node_id("1.1.2").await;
        assert!(
            html.contains(&format!("href=\"/nodes/{node}\"")),
            "the initiative 'Launch a single resident account': {html}"
        );
        assert!(
            html.contains("<mark>resident</mark>"),
            "matches marked: {html}"
        );
        assert!(
            !html.contains("Redesign the city website"),
            "a node with only one of the words is not a hit"
        );

        let (_, html) = page(&server, "/search?q=uptime").await;
        assert!(
            html.contains("City website and resident portal availability"),
            "a measure found by its key: {html}"
        );
        assert!(
            html.contains("#measure-"),
            "linked to its section of the node page"
        );
    }
}

#[tokio::test]
async fn a_search_that_finds_nothing_says_so_and_keeps_the_words() {
    let server = Server::sqlite(true).await;
    let (status, html) = page(&server, "/search?q=zeppelin+%3Cb%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("0 result(s)"), "{html}");
    assert!(
        html.contains("value=\"zeppelin &#60;b&#62;\"")
            || html.contains("value=\"zeppelin &lt;b&gt;\""),
        "the words are kept, escaped: {html}"
    );
}

#[tokio::test]
async fn an_overlong_search_is_refused_next_to_the_box() {
    let server = Server::sqlite(true).await;
    let (status, html) = page(&server, &format!("/search?q={}", "a".repeat(300))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("id=\"q-error\""), "{html}");
    assert!(html.contains("at most 200 characters, got 300"), "{html}");
}

#[tokio::test]
async fn the_account_page_shows_the_role_and_the_accounts_tokens() {
    let server = Server::sqlite(false).await;
    let viewer = server.viewer().await;
    let res = viewer.get(server.url("/account")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("viewer@tests.example"));
    assert!(html.contains("Viewer"));
    assert!(html.contains("<td>tests</td>"), "its token: {html}");
    assert!(
        !html.contains("/imports/new"),
        "no import link for a viewer"
    );

    let (_, admin) = page(&server, "/").await;
    assert!(admin.contains("/imports/new"), "administrators may import");
}

/// Sends the account page's password form.
async fn change_password(
    server: &Server,
    current: &str,
    new: &str,
    repeat: &str,
) -> reqwest::Response {
    let form = [
        ("current_password", current),
        ("new_password", new),
        ("confirm_password", repeat),
    ];
    server
        .http
        .post(server.url("/account/password"))
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_the_repeat() {
    for server in Server::all(false).await {
        let res = change_password(
            &server,
            "not the password",
            "a brand new long password",
            "a different long password",
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("the two new passwords differ"), "{html}");
        assert!(html.contains("id=\"confirm_password-error\""));
        assert!(
            !html.contains("a brand new long password"),
            "passwords are never echoed"
        );

        let res = change_password(
            &server,
            "not the password",
            "a brand new long password",
            "a brand new long password",
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("the current password is not right"), "{html}");

        let res = change_password(
            &server,
            "test password of the suite",
            "a brand new long password",
            "a brand new long password",
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", server.backend);
        assert_eq!(res.headers()["location"], "/account?changed=1");
        let signed_in = server
            .app
            .sign_in(
                "admin@tests.example",
                "a brand new long password".into(),
                "127.0.0.1",
            )
            .await;
        assert!(signed_in.is_ok(), "the new password works");
    }
}

#[tokio::test]
async fn the_stylesheet_and_script_are_served_and_pages_have_nothing_inline() {
    let server = Server::sqlite(true).await;
    let css = server
        .http
        .get(server.url("/static/lodestar.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let css = css.text().await.unwrap();
    assert!(
        css.contains("@media print"),
        "the print rules are part of it"
    );
    assert!(css.contains(":focus-visible"), "focus is styled");
    let js = server
        .http
        .get(server.url("/static/lodestar.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        js.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    for path in ["/", "/search?q=cloud", "/account"] {
        let (_, html) = page(&server, path).await;
        assert!(!html.contains(" style=\""), "{path} has an inline style");
        assert!(
            !html.contains("<script>"),
            "{path} has an inline script (the CSP would block it)"
        );
    }
}
