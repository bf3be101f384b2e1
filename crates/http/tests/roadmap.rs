//! The roadmap against the sample plan on every backend, with the calendar
//! stopped on one day so that what is overdue is known.

mod common;

use common::{Server, escaped};
use reqwest::StatusCode;
use serde_json::Value;

const TODAY: &str = "2026-11-16";

/// The table row of `html` that links to node `id`.
fn row_of(html: &str, id: i64) -> &str {
    let at = html
        .find(&format!("<a href=\"/nodes/{id}\">"))
        .unwrap_or_else(|| panic!("node {id} is not in the table"));
    let start = html[..at].rfind("<tr>").unwrap();
    &html[start..at + html[at..].find("</tr>").unwrap()]
}

/// The roadmap's table (inside its `<details>`).
fn table(html: &str) -> &str {
    let start = html.find("<details class=\"roadmap-table\">").unwrap();
    &html[start..start + html[start..].find("</details>").unwrap()]
}

/// The plan's initiatives (its deepest nodes) from the status API.
async fn initiatives(s: &Server, plan: i64) -> Vec<Value> {
    let (_, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
    let nodes = report["nodes"].as_array().unwrap().clone();
    let deepest = nodes
        .iter()
        .map(|n| n["node"]["level"].as_i64())
        .max()
        .unwrap();
    nodes
        .into_iter()
        .filter(|n| n["node"]["level"].as_i64() == deepest)
        .collect()
}

fn closed(n: &Value) -> bool {
    matches!(
        n["status"]["status"].as_str(),
        Some("completed" | "deferred" | "cancelled")
    )
}

#[tokio::test]
async fn every_scheduled_initiative_is_listed_with_its_dates_and_overdue_ones_are_marked() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (status, html) = s.text(&format!("/plans/{plan}/roadmap")).await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        let table = table(&html);
        let mut late = 0;
        for n in initiatives(&s, plan).await {
            let (Some(start), Some(due)) = (
                n["schedule"]["start"].as_str(),
                n["schedule"]["due"].as_str(),
            ) else {
                continue;
            };
            let row = row_of(table, n["node"]["id"].as_i64().unwrap());
            assert!(row.contains(&escaped(n["node"]["title"].as_str().unwrap())));
            assert!(row.contains(&format!("<td>{start}</td>")), "{row}");
            assert!(row.contains(&format!("<td>{due}</td>")), "{row}");
            let overdue = due < TODAY && !closed(&n);
            assert_eq!(row.contains("Overdue"), overdue, "{row}");
            late += usize::from(overdue);
        }
        assert!(late > 0, "the sample has an overdue initiative");
        let svg = &html[html.find("<svg class=\"roadmap\"").unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert_eq!(svg.matches("⚠ Overdue</text>").count(), late);
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"roadmap-title\">Roadmap of"));
        assert!(svg.contains(&format!("; {late} overdue. Today is {TODAY}.</desc>")));
    }
}

#[tokio::test]
async fn the_timeline_has_today_and_year_and_quarter_gridlines() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (_, html) = s.text(&format!("/plans/{plan}/roadmap")).await;
        assert!(html.contains("<line class=\"today\""));
        assert!(html.contains(">Today</text>"));
        for year in 2025..=2029 {
            assert!(html.contains(&format!(">{year}</text>")), "{year}");
        }
        assert_eq!(html.matches(">Q3</text>").count(), 5);
        assert!(html.contains("<h2 id=\"unscheduled-heading\">Unscheduled</h2>"));
        for goal in [
            "Resident-Centered Digital Services",
            "A Skilled and Supported Workforce",
        ] {
            assert!(html.contains("class=\"goal-label\"") && html.contains(goal));
        }
    }
}

#[tokio::test]
async fn the_dashboard_filters_apply_to_the_roadmap() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let all = initiatives(&s, plan).await;
        let code = |c: &str| all.iter().find(|n| n["node"]["code"] == c).unwrap().clone();
        let (finance, hr) = (code("1.1.3"), code("1.2.3"));
        let department = finance["node"]["department_id"].as_i64().unwrap();
        let (status, html) = s
            .text(&format!("/plans/{plan}/roadmap?department={department}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let rows = table(&html);
        row_of(rows, finance["node"]["id"].as_i64().unwrap());
        assert!(!rows.contains(&format!("/nodes/{}\"", hr["node"]["id"])));
        assert!(html.contains(&format!("<option value=\"{department}\" selected>")));
        assert!(html.contains(&format!("href=\"/plans/{plan}/roadmap\">Clear filters</a>")));

        let (status, html) = s.text(&format!("/plans/{plan}/roadmap?tag=nope")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("This plan has no tag “nope”"));
        row_of(table(&html), hr["node"]["id"].as_i64().unwrap());
    }
}
