//! Plan revisions over HTTP on every backend: the API makes and lists them
//! and answers what changed; the pages show the list and the changes.

mod common;

use common::{Server, assert_nothing_inline, error_code, escaped};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The node entry with `code` in a plan-as-code document's tree.
fn entry<'a>(nodes: &'a mut Value, code: &str) -> Option<&'a mut Value> {
    for n in nodes.as_array_mut()? {
        if n["code"] == code {
            return Some(n);
        }
        if let Some(found) = n.get_mut("children").and_then(|c| entry(c, code)) {
            return Some(found);
        }
    }
    None
}

/// Removes the entry with `code` from the tree.
fn remove(nodes: &mut Value, code: &str) -> bool {
    let Some(list) = nodes.as_array_mut() else {
        return false;
    };
    if let Some(i) = list.iter().position(|n| n["code"] == code) {
        list.remove(i);
        return true;
    }
    list.iter_mut()
        .any(|n| n.get_mut("children").is_some_and(|c| remove(c, code)))
}

#[tokio::test]
async fn a_revision_through_the_api_shows_on_the_diff_page() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let retired = s.node_id("1.4.2").await;
        let (status, text) = s
            .text(&format!("/api/v1/plans/{plan}/export?format=json"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        entry(&mut doc["nodes"], "1.1").unwrap()["title"] =
            json!("Core systems that never go down");
        assert!(remove(&mut doc["nodes"], "1.4.2"));

        let (status, body) = s
            .post(
                &format!("/api/v1/plans/{plan}/revisions"),
                &json!({"document": doc, "note": "Annual review <2026>"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{}: {body}", s.backend);
        assert_eq!(body["number"], 2);

        let (_, list) = s.get(&format!("/api/v1/plans/{plan}/revisions")).await;
        let numbers: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, vec![1, 2]);

        let (status, d) = s
            .get(&format!("/api/v1/plans/{plan}/diff?from=1&to=2"))
            .await;
        assert_eq!(status, StatusCode::OK, "{d}");
        let nodes = d["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 2, "{d}");
        assert_eq!(nodes[0]["changes"][0]["kind"], "retitled");
        assert_eq!(
            nodes[0]["changes"][0]["to"],
            "Core systems that never go down"
        );
        assert_eq!(nodes[1]["node"]["id"], retired);
        assert_eq!(nodes[1]["changes"][0]["kind"], "retired");

        // The retired node left the tree but still answers by id.
        let (_, tree) = s.text(&format!("/api/v1/plans/{plan}/tree")).await;
        assert!(!tree.contains("\"code\":\"1.4.2\""), "{}", s.backend);
        let (status, _) = s.get(&format!("/api/v1/nodes/{retired}")).await;
        assert_eq!(status, StatusCode::OK);

        let (status, body) = s
            .get(&format!("/api/v1/plans/{plan}/diff?from=1&to=7"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(body.to_string().contains("revision 7"), "{body}");
        let (status, body) = s
            .get(&format!("/api/v1/plans/{plan}/diff?from=one&to=2"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, body) = s
            .post(
                &format!("/api/v1/plans/{plan}/revisions"),
                &json!({"document": {"key": "x"}}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(!error_code(&body).is_empty());

        let viewer = s.viewer().await;
        let page = viewer
            .get(s.url(&format!("/plans/{plan}/revisions")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert_nothing_inline(&html);
        assert!(
            html.contains(&escaped("Annual review <2026>")),
            "the note, escaped"
        );
        assert!(html.contains("action=\"/plans/") && html.contains("name=\"from\""));

        let page = viewer
            .get(s.url(&format!("/plans/{plan}/diff?from=1&to=2")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert_nothing_inline(&html);
        assert!(html.contains("Changes from revision 1 to 2"), "{html}");
        assert!(html.contains("<strong>Re-worded:</strong>"));
        assert!(html.contains("Core systems that never go down"));
        assert!(html.contains("<strong>Retired:</strong>"));

        let page = viewer
            .get(s.url(&format!("/plans/{plan}/diff?from=2&to=2")))
            .send()
            .await
            .unwrap();
        assert!(page.text().await.unwrap().contains("Nothing changed"));
        let page = viewer
            .get(s.url(&format!("/plans/{plan}/diff?from=1&to=9")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
    }
}
