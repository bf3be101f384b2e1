//! The application works on a generated demo portfolio: its dashboards,
//! explorers, status API and portfolio pages answer on every backend.

mod common;

use common::Server;
use lodestar_services::App;
use lodestar_services::demo_data::{DemoOptions, DemoProgress, Scale};
use lodestar_storage::testing;
use reqwest::StatusCode;

struct Quiet;
impl DemoProgress for Quiet {
    fn advance(&mut self, _: u64) {}
    fn plan(&mut self, _: usize, _: usize) {}
}

#[tokio::test]
async fn every_page_of_a_small_demo_portfolio_answers() {
    let day = time::macros::date!(2026 - 06 - 15);
    for store in testing::all().await {
        let app = App::new(store.store.clone()).on_day(day);
        let options = DemoOptions {
            scale: Scale::Small,
            seed: 1,
            as_of: day,
            force: false,
        };
        let summary = app
            .write_demo_data(options, "demo password for tests", &mut Quiet)
            .await
            .unwrap();
        let s = Server::start(store, app).await;
        for plan in &summary.plans {
            for path in [
                format!("/plans/{plan}"),
                format!("/plans/{plan}/explorer"),
                format!("/plans/{plan}/roadmap"),
            ] {
                let (status, html) = s.text(&path).await;
                assert_eq!(status, StatusCode::OK, "{}: {path}: {html}", s.backend);
            }
            let (status, report) = s.get(&format!("/api/v1/plans/{plan}/status")).await;
            assert_eq!(status, StatusCode::OK, "{}: {report}", s.backend);
        }
        let (status, html) = s.text(&format!("/plans/{}", summary.plans[0])).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("IT Strategic Plan"), "{}", s.backend);
        for path in ["/proposals", "/portfolio", "/capacity", "/budget"] {
            let (status, html) = s.text(path).await;
            assert_eq!(status, StatusCode::OK, "{}: {path}: {html}", s.backend);
        }
    }
}
