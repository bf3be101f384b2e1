//! Times the import of a 100-page plan, for BENCHMARKS.md:
//! `cargo run --release -p lodestar-importer --example import_bench`.
//!
//! The plan is generated: 5 goals, 25 objectives and 500 initiatives in
//! flattened initiative tables, with contents, prose, running headers and
//! page numbers, about 300,000 characters. With a file argument, times that
//! file instead.

#![allow(clippy::print_stdout)] // a command-line tool: its output is the point

use lodestar_importer::{ImportOptions, import};
use std::fmt::Write;
use std::time::{Duration, Instant};

/// A printed page of a plan holds about 3,000 characters (500 words).
const CHARS_PER_PAGE: usize = 3_000;
const LINES_PER_PAGE: usize = 40;

fn generated_plan() -> String {
    let mut body = Vec::new();
    let mut contents = vec!["TABLE OF CONTENTS".to_owned()];
    let prose = "The department will work with every service area to make this objective real, \
                 measure it each quarter and report to the council each year on what changed.";
    for g in 1..=5 {
        contents.push(format!(
            "{g}. Goal number {g} for the city ........ {}",
            g * 18
        ));
        body.push(format!("{g}. Goal number {g} for the city"));
        body.push(String::new());
        for _ in 0..6 {
            body.push(prose.to_owned());
        }
        for o in 1..=5 {
            contents.push(format!(
                "{g}.{o}. Objective {o} of goal {g} ........ {}",
                g * 18 + o
            ));
            body.push(format!("{g}.{o}. Objective {o} of goal {g} for residents"));
            for _ in 0..70 {
                body.push(prose.to_owned());
            }
            body.push(String::new());
            body.push("Key Initiatives".to_owned());
            let mut short = String::from("Short-Term");
            let mut long = String::from("Long-Term");
            for i in 1..=20 {
                let row = if i <= 10 { &mut short } else { &mut long };
                write!(
                    row,
                    " Deliver service improvement {g}-{o}-{i} for residents"
                )
                .expect("string");
            }
            body.push(short);
            body.push(long);
        }
    }
    let mut lines = contents;
    for (n, chunk) in body.chunks(LINES_PER_PAGE).enumerate() {
        lines.extend(chunk.iter().cloned());
        lines.push("City Strategic Technology Plan 2025-2029".to_owned());
        lines.push((n + 1).to_string());
    }
    lines.join("\n")
}

fn main() {
    let (name, bytes) = match std::env::args().nth(1) {
        Some(path) => {
            let bytes = std::fs::read(&path).expect("readable file");
            (path, bytes)
        }
        None => (
            "generated 100-page plan".to_owned(),
            generated_plan().into_bytes(),
        ),
    };
    let options = ImportOptions {
        source_name: "plan.txt".into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let first = import(&bytes, &options).expect("the plan imports");
    let items = count(&first.document.nodes);
    let mut times: Vec<Duration> = (0..25)
        .map(|_| {
            let start = Instant::now();
            let draft = import(&bytes, &options).expect("the plan imports");
            let elapsed = start.elapsed();
            assert_eq!(count(&draft.document.nodes), items);
            elapsed
        })
        .collect();
    times.sort();
    println!(
        "{name}: {} bytes, {lines} lines (~{} pages), {items} items; import median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        bytes.len(),
        bytes.len() / CHARS_PER_PAGE,
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn count(nodes: &[lodestar_domain::document::NodeEntry]) -> usize {
    nodes.iter().map(|n| 1 + count(&n.children)).sum()
}
