//! The enterprise dashboard against the sample plan with its measure values
//! and check-ins, on every backend, with the calendar stopped on one day.

mod common;

use common::{Server, escaped};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashMap;

/// The part of `html` inside the section with this id.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

/// The table row of `html` that contains `text`.
fn row_with<'a>(html: &'a str, text: &str) -> Option<&'a str> {
    let at = html.find(text)?;
    let start = html[..at].rfind("<tr>")?;
    let end = html[at..].find("</tr>")? + at;
    Some(&html[start..end])
}

fn label(node: &Value) -> String {
    format!(
        "{} {}",
        node["node"]["code"].as_str().unwrap(),
        node["node"]["title"].as_str().unwrap()
    )
}

/// The plan's status report from the API, and its nodes by code.
async fn report(s: &Server, plan: i64) -> (Value, HashMap<String, Value>) {
    let (status, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
    assert_eq!(status, StatusCode::OK);
    let by_code = report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["node"]["code"].as_str().unwrap().to_owned(), n.clone()))
        .collect();
    (report, by_code)
}

#[tokio::test]
async fn every_goal_shows_its_progress_and_its_initiatives_counted_as_the_status_report_says() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (report, _) = report(&s, plan).await;
        let nodes = report["nodes"].as_array().unwrap();
        let deepest = nodes
            .iter()
            .map(|n| n["node"]["level"].as_i64().unwrap())
            .max()
            .unwrap();
        let mut goal_of: HashMap<i64, i64> = HashMap::new();
        let mut counts: HashMap<i64, HashMap<String, usize>> = HashMap::new();
        for n in nodes {
            let id = n["node"]["id"].as_i64().unwrap();
            let goal = n["node"]["parent_id"].as_i64().map_or(id, |p| goal_of[&p]);
            goal_of.insert(id, goal);
            if n["node"]["level"].as_i64() == Some(deepest) {
                *counts
                    .entry(goal)
                    .or_default()
                    .entry(n["status"]["status"].as_str().unwrap().to_owned())
                    .or_default() += 1;
            }
        }
        let (status, html) = s.text(&format!("/plans/{plan}")).await;
        assert_eq!(status, StatusCode::OK, "{}", s.backend);
        let goals = section(&html, "goals");
        let words: HashMap<&str, &str> = [
            ("on-track", "On track"),
            ("at-risk", "At risk"),
            ("off-track", "Off track"),
            ("not-started", "Not started"),
            ("completed", "Completed"),
            ("deferred", "Deferred"),
            ("cancelled", "Cancelled"),
        ]
        .into();
        let top: Vec<&Value> = nodes.iter().filter(|n| n["depth"] == 0).collect();
        assert_eq!(top.len(), 5, "the sample has five goals");
        for g in top {
            let id = g["node"]["id"].as_i64().unwrap();
            let start = goals
                .find(&format!("id=\"goal-{id}-name\""))
                .unwrap_or_else(|| panic!("goal {id} missing"));
            let card = &goals[start..start + goals[start..].find("</article>").unwrap()];
            assert!(
                card.contains(&format!(
                    "<a href=\"/nodes/{id}\">{}</a>",
                    escaped(&label(g))
                )),
                "{card}"
            );
            if let Some(p) = g["status"]["computed"]["progress"].as_f64() {
                assert!(
                    card.contains(&format!(">{}%</span>", p.round())),
                    "progress {p} missing: {card}"
                );
            }
            let mine = &counts[&id];
            for (word, n) in mine {
                let shown = format!(
                    "{}</span> <span class=\"count\">{n}</span>",
                    words[word.as_str()]
                );
                assert!(
                    card.contains(&shown),
                    "goal {id}: {shown} missing from {card}"
                );
            }
            let total: usize = mine.values().sum();
            assert!(card.contains(&format!("Total <span class=\"count\">{total}</span>")));
            assert!(
                card.contains("role=\"img\""),
                "the bar has a text alternative"
            );
        }
    }
}

#[tokio::test]
async fn red_and_amber_measures_and_overdue_updates_are_listed() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (report, _) = report(&s, plan).await;
        let (_, html) = s.text(&format!("/plans/{plan}")).await;
        let measures = section(&html, "measures");
        let red: Vec<&Value> = report["measures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["status"]["health"] == "red")
            .collect();
        assert!(!red.is_empty(), "the sample has a red measure");
        for m in red {
            let link = format!(
                "<a href=\"/nodes/{}#measure-{}\">{}</a>",
                m["measure"]["node_id"],
                m["measure"]["id"],
                escaped(m["measure"]["name"].as_str().unwrap())
            );
            let row = row_with(measures, &link).unwrap_or_else(|| panic!("{link} missing"));
            assert!(row.contains("Red"), "{row}");
        }
        assert!(
            !measures.contains("Green</span>"),
            "green measures are not alerts"
        );

        let (_, late) = s.get(&format!("/api/v1/overdue?plan_id={plan}")).await;
        let first = &late[0];
        let overdue = section(&html, "overdue");
        let row = row_with(overdue, &escaped(first["title"].as_str().unwrap()))
            .expect("the most overdue node");
        assert!(
            row.contains(&escaped(first["owner_name"].as_str().unwrap())),
            "{row}"
        );
        assert!(
            row.contains(&format!(" {}</span>", first["days_overdue"])),
            "{row}"
        );
    }
}

#[tokio::test]
async fn filters_narrow_every_list_and_stay_selected_in_the_form() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (_, by_code) = report(&s, plan).await;
        // Due by 2026-12-31, within 90 days: 1.1.3 (Finance) and 1.3.2 (Public Works).
        let (finance_item, works_item) = (label(&by_code["1.1.3"]), label(&by_code["1.3.2"]));
        let (_, html) = s.text(&format!("/plans/{plan}")).await;
        let due = section(&html, "due-soon");
        assert!(
            due.contains(&escaped(&finance_item)) && due.contains(&escaped(&works_item)),
            "{due}"
        );

        let finance = by_code["1.1.3"]["node"]["department_id"].as_i64().unwrap();
        let (status, html) = s.text(&format!("/plans/{plan}?department={finance}")).await;
        assert_eq!(status, StatusCode::OK);
        let due = section(&html, "due-soon");
        assert!(
            due.contains(&escaped(&finance_item)),
            "inside the filter, it stays"
        );
        assert!(
            !due.contains(&escaped(&works_item)),
            "outside the filter, it goes"
        );
        assert!(html.contains(&format!(
            "<option value=\"{finance}\" selected>Finance Department</option>"
        )));
        assert!(
            !section(&html, "overdue").contains("Rebecca Haines"),
            "other departments' overdue nodes go"
        );
        assert!(html.contains("Showing only: Department: Finance Department."));

        let wanted = by_code["1.3.2"]["status"]["status"].as_str().unwrap();
        assert_ne!(
            by_code["1.1.3"]["status"]["status"].as_str().unwrap(),
            wanted
        );
        let (status, html) = s.text(&format!("/plans/{plan}?status={wanted}")).await;
        assert_eq!(status, StatusCode::OK);
        let due = section(&html, "due-soon");
        assert!(
            due.contains(&escaped(&works_item)) && !due.contains(&escaped(&finance_item)),
            "{due}"
        );
        assert!(html.contains(&format!("<option value=\"{wanted}\" selected>")));
        let deepest = by_code
            .values()
            .map(|n| n["node"]["level"].as_i64().unwrap())
            .max();
        let matching = by_code
            .values()
            .filter(|n| n["node"]["level"].as_i64() == deepest && n["status"]["status"] == wanted)
            .count();
        let counted: usize = section(&html, "goals")
            .split("Total <span class=\"count\">")
            .skip(1)
            .map(|t| t[..t.find('<').unwrap()].parse::<usize>().unwrap())
            .sum();
        assert_eq!(
            counted, matching,
            "goal counts count only matching initiatives"
        );
        assert!(html.contains(">Clear filters</a>"));
    }
}

#[tokio::test]
async fn a_filter_that_names_nothing_is_400_with_a_message_beside_it() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let (status, html) = s
            .text(&format!("/plans/{plan}?department=99999&status=on-track"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", s.backend);
        let field = &html[html.find("id=\"filter-department\"").unwrap()..];
        let field = &field[..field.find("</div>").unwrap()];
        assert!(
            field.contains("There is no department “99999” in this plan&#39;s organization"),
            "{field}"
        );
        assert!(
            html.contains("<option value=\"on-track\" selected>"),
            "the other filter still applies"
        );
        assert!(html.contains("Showing only: Status: On track."));

        let (status, html) = s.text(&format!("/plans/{plan}?status=sideways")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("“sideways” is not a status"));
        let (status, html) = s
            .text(&format!("/plans/{plan}?tag=nonsense&horizon=someday"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("This plan has no tag “nonsense”"));
        assert!(html.contains("“someday” is not a horizon"));
        let (status, _) = s.text("/plans/99999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_viewer_sees_the_dashboard_and_nothing_is_inline() {
    let s = Server::all_with_sample_data().await.remove(0);
    let plan = s.first_plan_id().await;
    let viewer = s.viewer().await;
    for path in [
        format!("/plans/{plan}"),
        format!("/plans/{plan}?status=at-risk&tag=cybersecurity"),
        format!("/plans/{plan}?department=x"),
        format!("/plans/{plan}/roadmap"),
        format!("/plans/{plan}/roadmap?horizon=short-term"),
    ] {
        let res = viewer.get(s.url(&path)).send().await.unwrap();
        assert!(
            res.status() == StatusCode::OK || res.status() == StatusCode::BAD_REQUEST,
            "{path}"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains("<h1>"), "{path}");
        assert!(!html.contains("style="), "{path} has an inline style");
        for script in html.split("<script").skip(1) {
            assert!(
                script.trim_start().starts_with("src="),
                "{path} has an inline script"
            );
        }
        assert!(
            !html.contains(" onclick=") && !html.contains(" onchange="),
            "{path}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{path}");
    }
}
