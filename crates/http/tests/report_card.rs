//! The annual report card page and its downloads against the sample plan
//! with its data, on every backend, for an administrator and a viewer.

mod common;

use common::{Server, assert_nothing_inline, escaped};
use reqwest::StatusCode;

#[tokio::test]
async fn the_report_card_page_shows_every_goal_with_its_grade_and_basis() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        let path = format!("/plans/{plan}/report?period=2026");
        let (status, html) = s.text(&path).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", s.backend);
        assert_nothing_inline(&html);
        let (_, csv) = s
            .text(&format!("/plans/{plan}/report.csv?period=2026"))
            .await;
        let mut goals = 0;
        for row in csv.lines().skip(1).filter(|r| r.starts_with("goal,")) {
            goals += 1;
            let title = row.split(',').nth(2).unwrap();
            assert!(
                html.contains(&escaped(title)),
                "{}: goal {title} missing",
                s.backend
            );
        }
        assert_eq!(goals, 5, "{}: {csv}", s.backend);
        assert!(html.contains("Overall grade: "), "{}", s.backend);
        assert!(
            html.contains("Basis: 1 of 3 initiatives due in 2026 completed (33.3%)"),
            "{}: objective 1.1's basis",
            s.backend
        );
        assert!(
            html.contains("<svg class=\"trend-chart\""),
            "{}: a trend chart",
            s.backend
        );
        assert!(html.contains("Red for two periods"), "{}", s.backend);
        assert!(
            html.contains(&format!("href=\"/plans/{plan}/report\"")),
            "{}: nav link",
            s.backend
        );

        let viewer = s.viewer().await;
        let res = viewer.get(s.url(&path)).send().await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}: a viewer reads it",
            s.backend
        );
        assert!(res.text().await.unwrap().contains("Overall grade: "));
    }
}

#[tokio::test]
async fn downloads_come_as_files_named_after_the_plan_and_year() {
    for s in Server::all_with_sample_data().await {
        let plan = s.first_plan_id().await;
        for (ext, mime, start) in [
            ("md", "text/markdown", "# "),
            ("csv", "text/csv", "level,code,title,grade,score,basis"),
            ("html", "text/html", "<!doctype html>"),
        ] {
            let res = s
                .http
                .get(s.url(&format!("/plans/{plan}/report.{ext}?period=2026")))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{}: .{ext}", s.backend);
            let h = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
            assert!(h("content-type").starts_with(mime), "{}: .{ext}", s.backend);
            assert_eq!(
                h("content-disposition"),
                format!("attachment; filename=\"harbor-falls-it-2025-report-card-2026.{ext}\"")
            );
            let body = res.text().await.unwrap();
            assert!(
                body.starts_with(start),
                "{}: .{ext}: {}",
                s.backend,
                &body[..80]
            );
        }
    }
}

#[tokio::test]
async fn a_year_outside_the_plan_or_not_a_year_is_refused_with_the_reason() {
    let s = Server::sqlite(true).await;
    let plan = s.first_plan_id().await;
    let (status, html) = s.text(&format!("/plans/{plan}/report?period=2040")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("outside the plan"), "{html}");
    let (status, html) = s
        .text(&format!("/plans/{plan}/report.csv?period=next"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(html.contains("is not a year"), "{html}");
}
