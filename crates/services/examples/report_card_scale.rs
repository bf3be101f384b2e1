//! Times the annual report card of a large plan (issue 7: "a plan of 750
//! objectives takes under 2 seconds"): 50 goals × 15 objectives, each
//! objective with 3 initiatives and a quarterly measure with 8 values, on a
//! fresh SQLite store; then typesets it as a PDF and prints both times.
//!
//! ```text
//! cargo run --release -p lodestar-services --example report_card_scale -- [OBJECTIVES]
//! ```
#![allow(clippy::print_stdout)]

use lodestar_domain::grade::GradingRule;
use lodestar_services::App;
use lodestar_storage::testing;
use std::fmt::Write as _;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let objectives: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(750);
    let goals = objectives.div_ceil(15);
    let mut yaml = String::from(
        "format: lodestar-plan/1\norganization:\n  name: Scale City\nkey: scale\ntitle: Scale plan\nperiod: {start_year: 2025, end_year: 2029}\nlevels: [Goal, Objective, Initiative]\nnodes:\n",
    );
    let mut csv = String::from("measure,period,value\n");
    let mut made = 0;
    for g in 1..=goals {
        let _ = writeln!(
            yaml,
            "  - code: \"{g}\"\n    title: Goal {g}\n    children:"
        );
        for o in 1..=15 {
            if made == objectives {
                break;
            }
            made += 1;
            let _ = writeln!(
                yaml,
                "      - code: \"{g}.{o}\"\n        title: Objective {g}.{o}\n        measures:\n          - key: m_{g}_{o}\n            name: Measure {g}.{o}\n            direction: higher-is-better\n            frequency: quarterly\n            targets: [{{value: 90}}]\n        children:"
            );
            for i in 1..=3 {
                let _ = writeln!(
                    yaml,
                    "          - code: \"{g}.{o}.{i}\"\n            title: Initiative {g}.{o}.{i}\n            due_date: \"2025-0{}-15\"\n            cadence: quarterly",
                    i + 2
                );
            }
            for (q, year) in (1..=8).map(|k| ((k - 1) % 4 + 1, 2024 + (k - 1) / 4)) {
                let _ = writeln!(csv, "m_{g}_{o},{year}-Q{q},{}", 70 + (g + o + q) % 30);
            }
        }
    }
    let store = testing::sqlite().await;
    let app = App::new(store.store.clone()).on_day(time::macros::date!(2026 - 03 - 01));
    let plan = app
        .import_plan_code("scale.yaml", &yaml)
        .await
        .expect("plan");
    app.import_observations_csv(plan.id, "values.csv", &csv)
        .await
        .expect("values");
    // The first call also brings the cached roll-ups up to date.
    let started = Instant::now();
    app.plan_status(plan.id).await.expect("status");
    let rollups = started.elapsed();
    let started = Instant::now();
    let card = app
        .report_card(plan.id, 2025, &GradingRule::default())
        .await
        .expect("report card");
    let built = started.elapsed();
    let started = Instant::now();
    let pdf = lodestar_report::pdf::render(&card).expect("typeset");
    let typeset = started.elapsed();
    println!(
        "{made} objectives, {} goals: roll-ups {rollups:?}; report card built in {built:?}, \
         typeset in {typeset:?} ({} kB PDF); together {:?} (overall {} — {})",
        card.goals.len(),
        pdf.len() / 1024,
        built + typeset,
        card.overall.grade,
        card.overall.basis
    );
}
