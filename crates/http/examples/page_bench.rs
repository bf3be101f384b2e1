//! How long the server takes to draw each page type of the sample plan, and
//! how large each page is. Requests go through the whole router (access gate,
//! security headers, handler, template) in-process, so the figures are the
//! server's own time without the network.
//!
//! ```text
//! cargo run --release -p lodestar-http --example page_bench [-- --runs 200 --database-url URL]
//! ```
//!
//! Without `--database-url` it uses a new SQLite file in a temporary folder;
//! with a PostgreSQL URL it uses that database, which must be empty.
#![allow(clippy::print_stdout)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lodestar_domain::{Email, Name, Role, TokenScope};
use lodestar_services::App;
use lodestar_storage::Store;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[tokio::main]
async fn main() {
    let mut runs = 200usize;
    let mut url = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--runs", Some(n)) => runs = n.parse().expect("--runs takes a number"),
            ("--database-url", Some(u)) => url = Some(u),
            _ => {
                eprintln!("usage: page_bench [--runs N] [--database-url URL]");
                std::process::exit(2);
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("lodestar-page-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let store = match &url {
        Some(url) => Store::connect(url).await.expect("the database"),
        None => Store::open_sqlite(&dir.join("bench.db"))
            .await
            .expect("a SQLite file"),
    };
    let app = App::new(store);
    let plan = app
        .load_sample_if_empty()
        .await
        .expect("the sample plan")
        .expect("an empty database");
    let user = app
        .add_user(
            &Email::parse("bench@example.org").expect("an address"),
            &Name::parse("Bench").expect("a name"),
            Role::Administrator,
            None,
            "a password for the benchmark".into(),
        )
        .await
        .expect("an account");
    let (_, token) = app
        .create_token(user.id, "bench", &[TokenScope::Admin])
        .await
        .expect("a token");
    let tree = app.store().plan_tree(plan.id).await.expect("the tree");
    let goal = tree.nodes[0].node.id.0;
    let initiative = tree.nodes[0].children[0].children[0].node.id.0;
    let measure = app
        .store()
        .plan_measures(plan.id)
        .await
        .expect("the measures")[0]
        .id
        .0;
    let router = lodestar_http::router(app.clone());
    let id = plan.id.0;
    let pages = [
        ("plans", "/".to_owned()),
        ("dashboard", format!("/plans/{id}")),
        (
            "dashboard, filtered",
            format!("/plans/{id}?status=at-risk&tag=cloud"),
        ),
        ("explorer", format!("/plans/{id}/explorer")),
        ("roadmap", format!("/plans/{id}/roadmap")),
        ("node page (goal)", format!("/nodes/{goal}")),
        ("node page (initiative)", format!("/nodes/{initiative}")),
        ("check-in form", format!("/nodes/{initiative}/checkins/new")),
        (
            "value form",
            format!("/measures/{measure}/observations/new"),
        ),
        ("search", "/search?q=resident".to_owned()),
    ];
    println!(
        "{:<24} {:>10} {:>10} {:>10} {:>9}",
        "page", "median ms", "p95 ms", "max ms", "kB"
    );
    for (name, path) in pages {
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let request = Request::get(&path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .expect("a request");
            let start = Instant::now();
            let response = router.clone().oneshot(request).await.expect("a response");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("the body");
            times.push(start.elapsed());
            assert_eq!(status, StatusCode::OK, "{path}");
            bytes = body.len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{name:<24} {:>10.2} {:>10.2} {:>10.2} {:>9.1}",
            ms(times[runs / 2]),
            ms(times[runs * 95 / 100]),
            ms(times[runs - 1]),
            bytes as f64 / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
