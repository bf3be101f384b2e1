//! The import pages against the real server, on every backend: uploading a
//! document from the browser, reviewing its draft beside the warnings,
//! fixing titles and parents, confirming it into a plan, and who may.

mod common;

use common::Server;
use lodestar_domain::Role;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

const HARBOR_FALLS: &str = include_str!("../../importer/tests/fixtures/harbor-falls.txt");

fn document(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

/// Uploads the Harbor Falls text plan as the browser form does; the review's path.
async fn upload_harbor_falls(s: &Server) -> String {
    let res = s
        .http
        .post(s.url("/imports"))
        .multipart(document("harbor-falls.txt", HARBOR_FALLS.into()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", s.backend);
    let to = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/imports/"), "{to}");
    to
}

async fn page(client: &Client, s: &Server, path: &str) -> (StatusCode, String) {
    let res = client.get(s.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn submit(s: &Server, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    s.http.post(s.url(path)).form(fields).send().await.unwrap()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// What a browser would send for the form at `action` as drawn: its text
/// and hidden inputs, checked boxes, and the selected option of each select.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .expect("the form");
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    for tag in form.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.starts_with("input ") {
            let checkbox = attr(tag, "type").as_deref() == Some("checkbox");
            if checkbox && !tag.contains(" checked") {
                continue;
            }
            let name = attr(tag, "name").unwrap();
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        } else if tag.starts_with("select ") {
            fields.push((attr(tag, "name").unwrap(), String::new()));
        } else if tag.starts_with("option ") && tag.contains(" selected") {
            fields.last_mut().unwrap().1 = attr(tag, "value").unwrap();
        }
    }
    fields
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let field = fields.iter_mut().find(|(n, _)| n == name);
    field.unwrap_or_else(|| panic!("no field {name}")).1 = value.to_owned();
}

/// The row of the node whose legend starts with `code` ("1.1.2 Online…").
fn row_of(html: &str, code: &str) -> usize {
    let at = html
        .find(&format!("<legend>{code} "))
        .unwrap_or_else(|| panic!("no row for {code}"));
    let id = html[..at].rfind("<li id=\"node-").unwrap() + "<li id=\"node-".len();
    html[id..id + html[id..].find('"').unwrap()]
        .parse()
        .unwrap()
}

fn find<'a>(nodes: &'a [Value], code: &str) -> Option<&'a Value> {
    nodes.iter().find_map(|n| {
        (n["code"] == code)
            .then_some(n)
            .or_else(|| find(n["children"].as_array()?, code))
    })
}

#[tokio::test]
async fn an_upload_is_reviewed_renamed_moved_and_confirmed_into_a_plan() {
    for s in Server::all(false).await {
        let review = upload_harbor_falls(&s).await;
        let (status, html) = page(&s.http, &s, &review).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", s.backend);
        for goal in [
            "1 Residents reach every city service online",
            "2 A secure and resilient city network",
            "3 Decisions grounded in open data",
        ] {
            assert!(html.contains(&format!("<legend>{goal}")), "{goal}");
        }
        assert!(html.contains("printed twice"), "the importer's warnings");
        assert!(html.contains("Keeping the plan current"));
        assert!(html.contains("Confirm and create the plan"));

        let mut fields = form_fields(&html, &review);
        let billing = row_of(&html, "1.1.2");
        let analytics = row_of(&html, "3.2");
        let network = row_of(&html, "2");
        let renamed = "Online utility billing for every household";
        set(&mut fields, &format!("node-{billing}-title"), renamed);
        set(
            &mut fields,
            &format!("node-{analytics}-parent"),
            &network.to_string(),
        );
        let res = submit(&s, &format!("{review}/confirm"), &fields).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{}: {}",
            s.backend,
            res.text().await.unwrap()
        );
        let dashboard = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let plan = dashboard
            .strip_prefix("/plans/")
            .expect("the plan's dashboard");

        let (_, tree) = s.get(&format!("/api/v1/plans/{plan}/tree")).await;
        let nodes = tree["nodes"].as_array().unwrap();
        assert_eq!(find(nodes, "1.1.2").unwrap()["title"], renamed);
        let moved = find(nodes, "3.2").unwrap();
        assert_eq!(moved["parent_id"], find(nodes, "2").unwrap()["id"]);
        assert_eq!(
            moved["level_name"], "Objective",
            "it stays one below its goal"
        );
        assert_eq!(find(nodes, "3.2.1").unwrap()["parent_id"], moved["id"]);
    }
}

#[tokio::test]
async fn an_item_moved_beneath_itself_is_refused_beside_its_parent_and_nothing_typed_is_lost() {
    for s in Server::all(false).await {
        let review = upload_harbor_falls(&s).await;
        let (_, html) = page(&s.http, &s, &review).await;
        let mut fields = form_fields(&html, &review);
        let goal = row_of(&html, "1");
        let beneath = row_of(&html, "1.1");
        let other = row_of(&html, "2");
        set(
            &mut fields,
            &format!("node-{goal}-parent"),
            &beneath.to_string(),
        );
        set(
            &mut fields,
            &format!("node-{other}-title"),
            "Networks that hold",
        );
        let res = submit(&s, &review, &fields).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            s.backend
        );
        let html = res.text().await.unwrap();
        let message = format!(
            "<p class=\"field-error\" id=\"node-{goal}-parent-error\">an item cannot sit beneath itself"
        );
        assert!(html.contains(&message), "{html}");
        assert!(
            html.contains("value=\"Networks that hold\""),
            "the other edit stays typed"
        );
        assert!(
            html.contains(&format!("<option value=\"{beneath}\" selected>")),
            "the refused choice stays chosen"
        );

        set(&mut fields, &format!("node-{goal}-parent"), "");
        let res = submit(&s, &review, &fields).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", s.backend);
        assert!(res.text().await.unwrap().contains("Your changes are saved"));
        let (_, again) = page(&s.http, &s, &review).await;
        assert!(
            again.contains("value=\"Networks that hold\""),
            "the edit is kept with the import"
        );
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_plan_is_refused_with_the_importers_reason() {
    for s in Server::all(false).await {
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let res = s
            .http
            .post(s.url("/imports"))
            .multipart(document("noise.bin", noise).text("organization", "City of Harbor Falls"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            s.backend
        );
        let html = res.text().await.unwrap();
        assert!(
            html.contains(
                "<p class=\"field-error\" id=\"file-error\">noise.bin: unrecognized document format"
            ),
            "{html}"
        );
        assert!(
            html.contains("value=\"City of Harbor Falls\""),
            "what was typed stays"
        );
    }
}

#[tokio::test]
async fn a_second_confirmation_shows_the_plan_the_first_created() {
    for s in Server::all(false).await {
        let review = upload_harbor_falls(&s).await;
        let (_, html) = page(&s.http, &s, &review).await;
        let fields = form_fields(&html, &review);
        let first = submit(&s, &format!("{review}/confirm"), &fields).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER);
        let dashboard = first.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();

        let again = submit(&s, &format!("{review}/confirm"), &fields).await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "{}", s.backend);
        let html = again.text().await.unwrap();
        assert!(html.contains("already confirmed"), "{html}");
        assert!(html.contains(&format!("<a href=\"{dashboard}\">open the dashboard of")));
        assert!(
            !html.contains("Confirm and create the plan"),
            "no form to confirm again"
        );
        let (_, shown) = page(&s.http, &s, &review).await;
        assert!(shown.contains("This import was confirmed on"));
    }
}

#[tokio::test]
async fn a_viewer_may_not_import_or_review() {
    for s in Server::all(false).await {
        let review = upload_harbor_falls(&s).await;
        let viewer = s.viewer().await;
        for path in ["/imports/new", review.as_str()] {
            assert_eq!(
                page(&viewer, &s, path).await.0,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let upload = viewer
            .post(s.url("/imports"))
            .multipart(document("harbor-falls.txt", HARBOR_FALLS.into()))
            .send()
            .await
            .unwrap();
        assert_eq!(upload.status(), StatusCode::FORBIDDEN);
        let confirm = viewer
            .post(s.url(&format!("{review}/confirm")))
            .form(&[("title", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(confirm.status(), StatusCode::FORBIDDEN);
        let (_, plans) = s.get("/api/v1/plans").await;
        assert_eq!(plans, json!([]), "nothing was confirmed");
    }
}

#[tokio::test]
async fn the_upload_form_sends_a_labelled_file_as_multipart() {
    let s = Server::sqlite(false).await;
    let (status, html) = page(&s.http, &s, "/imports/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("<label for=\"file\">Plan document (required)</label>"));
    assert!(html.contains("accept=\".txt,.md,.markdown,.pdf,.docx,.xml,.yaml,.yml,.json\""));
    assert!(html.contains("name=\"csrf_token\""));
}

#[tokio::test]
async fn a_document_over_the_limit_is_a_413_page_naming_it() {
    let s = Server::sqlite(false).await;
    let (browser, csrf) = signed_in(&s).await;
    let huge = || vec![b'a'; lodestar_services::imports::MAX_INPUT_BYTES + 1];
    let by_token = s
        .http
        .post(s.url("/imports"))
        .multipart(document("huge.txt", huge()));
    let by_session = browser
        .post(s.url("/imports"))
        .multipart(document("huge.txt", huge()).text("csrf_token", csrf));
    for request in [by_token, by_session] {
        let res = request.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let html = res.text().await.unwrap();
        assert!(html.contains("larger than the 64 MiB"), "{html}");
    }
}

/// A browser's session: the cookie (kept by the client) and the CSRF token.
async fn signed_in(s: &Server) -> (Client, String) {
    let email = "editor@tests.example";
    let password = "a long enough secret";
    s.app
        .add_user(
            &lodestar_domain::Email::parse(email).unwrap(),
            &lodestar_domain::Name::parse("Dana Okafor").unwrap(),
            Role::PlanEditor,
            None,
            password.into(),
        )
        .await
        .unwrap();
    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = browser
        .post(s.url("/api/v1/session"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let body: Value = res.json().await.unwrap();
    (browser, body["csrf_token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_multipart_upload_with_a_session_cookie_needs_its_csrf_token_field() {
    for s in Server::all(false).await {
        let (browser, csrf) = signed_in(&s).await;
        let send = |token: Option<&str>| {
            let mut form = Form::new();
            if let Some(token) = token {
                form = form.text("csrf_token", token.to_owned());
            }
            let form = form.part(
                "file",
                Part::bytes(HARBOR_FALLS.as_bytes()).file_name("harbor-falls.txt"),
            );
            browser.post(s.url("/imports")).multipart(form).send()
        };
        assert_eq!(
            send(None).await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{}",
            s.backend
        );
        assert_eq!(
            send(Some("not the token")).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        let res = send(Some(&csrf)).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", s.backend);
        let review = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let (status, html) = page(&browser, &s, &review).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!("name=\"csrf_token\" value=\"{csrf}\"")));
    }
}
