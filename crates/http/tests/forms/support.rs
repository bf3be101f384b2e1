//! What the form tests share: posting a form, reading a field's HTML,
//! and finding the sample plan's records.

use crate::common::Server;
use reqwest::{Response, header};
use serde_json::Value;

/// Posts `fields` form-encoded with the administrator's token.
pub async fn post_form(server: &Server, path: &str, fields: &[(&str, &str)]) -> Response {
    server
        .http
        .post(server.url(path))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// Where a redirect goes.
pub fn location(res: &Response) -> &str {
    res.headers()[header::LOCATION].to_str().unwrap()
}

/// The HTML of one field of a form: from its wrapping `<div class="field…">`
/// to the end of its control.
pub fn field<'a>(html: &'a str, id: &str) -> &'a str {
    let label = html
        .find(&format!("<label for=\"{id}\""))
        .unwrap_or_else(|| panic!("no field {id} in {html}"));
    let start = html[..label]
        .rfind("<div class=\"field")
        .expect("a field wrapper");
    let end = label + html[label..].find("</div>").expect("the wrapper's end");
    &html[start..end]
}

/// Checks that `id` is marked wrong with a message containing `message`,
/// tied to the control, and linked from the error summary.
pub fn assert_invalid(html: &str, id: &str, message: &str) {
    let summary = html
        .find("<div class=\"error-summary\" role=\"alert\"")
        .expect("an error summary");
    assert!(
        html[summary..].contains(&format!("href=\"#{id}\"")),
        "the summary links to {id}: {html}"
    );
    let f = field(html, id);
    assert!(f.starts_with("<div class=\"field invalid\">"), "{f}");
    assert!(
        f.contains(&format!("<p class=\"field-error\" id=\"{id}-error\">")),
        "{f}"
    );
    assert!(f.contains(message), "{id} should say {message:?}: {f}");
    assert!(f.contains("aria-invalid=\"true\""), "{f}");
    let described = f
        .split("aria-describedby=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    assert!(described.contains(&format!("{id}-error")), "{f}");
}

pub fn today(server: &Server) -> String {
    server.app.today().to_string()
}

/// The id of the sample plan's measure with `key`.
pub async fn measure_id(s: &Server, key: &str) -> i64 {
    let plan = s.first_plan_id().await;
    let (_, measures) = s.get(&format!("/api/v1/measures?plan_id={plan}")).await;
    measures
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("no measure {key}"))["id"]
        .as_i64()
        .unwrap()
}

/// The latest value the plan's status gives for measure `id`.
pub async fn latest_value(s: &Server, id: i64) -> Value {
    let plan = s.first_plan_id().await;
    let (_, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
    report["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["measure"]["id"] == id)
        .unwrap_or_else(|| panic!("no measure {id} in {report}"))["status"]["value"]
        .clone()
}

/// The edit form's fields for node `id` as stored, with `title` typed over.
pub async fn edit_fields(s: &Server, id: i64, title: &str) -> Vec<(String, String)> {
    let (_, n) = s.get(&format!("/api/v1/nodes/{id}")).await;
    let text = |k: &str| match &n[k] {
        Value::Null => String::new(),
        Value::String(v) => v.clone(),
        v => v.to_string(),
    };
    let html = s.text(&format!("/nodes/{id}/edit")).await.1;
    let version = html
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("the form carries its version")
        .to_owned();
    [
        ("version", version),
        ("code", text("code")),
        ("title", title.to_owned()),
        ("description", text("description")),
        ("owner", text("owner_id")),
        ("sponsor", text("sponsor_id")),
        ("department", text("department_id")),
        ("horizon", text("horizon")),
        ("start_date", text("start_date")),
        ("due_date", text("due_date")),
        ("cadence", text("cadence")),
        ("weight", text("weight")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
