//! Measures how Lodestar's cached roll-ups hold up on a large plan (issue 3:
//! "design for plans with 20,000 nodes and a million observations").
//!
//! ```text
//! cargo run --release -p lodestar-services --example rollup_scale -- \
//!     [--database-url postgres://postgres@127.0.0.1:5432/test] \
//!     [--nodes 20000] [--observations 1000000] [--chunk 100000] [--samples 100] \
//!     [--step-limit 120] [--keep]
//! ```
//!
//! Without `--database-url` the store is a fresh SQLite file in a temporary
//! directory. With it, the store is a fresh PostgreSQL schema made by
//! `lodestar_storage::testing::postgres()`, which reads the URL from
//! `LODESTAR_TEST_DATABASE_URL`; since the environment cannot be changed
//! safely in-process, the program runs itself again with that variable set.
//! Either store is removed when the program ends, unless `--keep` is given.
//!
//! Every step is timed with `std::time::Instant` and printed as a table.
//! Loading the observations stops at the first chunk boundary after
//! `--step-limit` seconds (0: no limit); the table then says so, and the
//! later steps run on the observations loaded so far.
#![allow(clippy::print_stdout)]

use lodestar_domain::{CheckInDraft, NodeId, ObservationDraft, PlanId};
use lodestar_services::App;
use lodestar_storage::testing::{self, POSTGRES_ENV, TestStore};
use serde_json::{Value as Json, json};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

struct Args {
    database_url: Option<String>,
    nodes: usize,
    observations: usize,
    chunk: usize,
    samples: usize,
    step_limit: u64,
    keep: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: rollup_scale [--database-url URL] [--nodes N] [--observations N] [--chunk ROWS] [--samples N] [--step-limit SECS] [--keep]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        database_url: None,
        nodes: 20_000,
        observations: 1_000_000,
        chunk: 100_000,
        samples: 100,
        step_limit: 120,
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (flag.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .unwrap_or_else(|| usage())
        };
        let number = |v: String| {
            v.replace('_', "")
                .parse::<usize>()
                .unwrap_or_else(|_| usage())
        };
        match name.as_str() {
            "--database-url" => args.database_url = Some(value()),
            "--nodes" => args.nodes = number(value()),
            "--observations" => args.observations = number(value()),
            "--chunk" => args.chunk = number(value()).max(1),
            "--samples" => args.samples = number(value()).max(1),
            "--step-limit" => args.step_limit = number(value()) as u64,
            "--keep" => args.keep = true,
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    if args.nodes < 20 {
        eprintln!("--nodes must be at least 20");
        std::process::exit(2);
    }
    args
}

/// One printed row: step, count, total time, time per item.
struct Row {
    step: String,
    count: usize,
    total: Duration,
    per_item: Duration,
    note: String,
}

struct Report {
    rows: Vec<Row>,
}

impl Report {
    fn add(&mut self, step: &str, count: usize, total: Duration, note: impl Into<String>) {
        let per_item = if count == 0 {
            Duration::ZERO
        } else {
            total / u32::try_from(count).unwrap_or(u32::MAX)
        };
        self.add_row(step, count, total, per_item, note);
    }

    fn add_row(
        &mut self,
        step: &str,
        count: usize,
        total: Duration,
        per_item: Duration,
        note: impl Into<String>,
    ) {
        let row = Row {
            step: step.to_owned(),
            count,
            total,
            per_item,
            note: note.into(),
        };
        eprintln!(
            "  done: {} — {} items, {}",
            row.step,
            row.count,
            fmt(row.total)
        );
        self.rows.push(row);
    }

    fn print(&self) {
        println!();
        println!("| step | count | total | per item | note |");
        println!("|---|---:|---:|---:|---|");
        for r in &self.rows {
            println!(
                "| {} | {} | {} | {} | {} |",
                r.step,
                r.count,
                fmt(r.total),
                fmt(r.per_item),
                r.note
            );
        }
    }
}

fn fmt(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.001 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(samples: &mut [Duration]) -> (Duration, Duration, Duration, Duration) {
    samples.sort_unstable();
    let total = samples.iter().sum();
    (
        total,
        percentile(samples, 50.0),
        percentile(samples, 95.0),
        *samples.last().unwrap_or(&Duration::ZERO),
    )
}

fn machine_facts(backend: &str) {
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or("unknown".to_owned(), |kb| {
            format!("{:.1} GiB", kb / 1024.0 / 1024.0)
        });
    println!("machine: nproc={nproc}, cpu={model}, ram={mem}, database={backend}");
}

/// The shape of the generated plan.
struct Shape {
    goals: usize,
    objectives: usize,
    initiatives: usize,
}

impl Shape {
    fn for_nodes(n: usize) -> Self {
        let goals = 5;
        let objectives = (n / 200).clamp(5, 100) / goals * goals;
        Self {
            goals,
            objectives,
            initiatives: n - goals - objectives,
        }
    }
}

fn month_back(from: (i32, u8), back: usize) -> (i32, u8) {
    let index = from.0 * 12 + i32::from(from.1) - 1 - i32::try_from(back).unwrap_or(0);
    (
        index.div_euclid(12),
        u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
    )
}

/// The plan document: 5 goals, `objectives` objectives spread over them, and
/// `initiatives` initiatives spread over the objectives, each initiative with
/// a monthly cadence and one monthly measure.
fn plan_document(shape: &Shape, start_year: i32, end_year: i32) -> Json {
    let per_goal = shape.objectives / shape.goals;
    let mut measure_no = 0usize;
    let goals: Vec<Json> = (0..shape.goals)
        .map(|g| {
            let objectives: Vec<Json> = (0..per_goal)
                .map(|o| {
                    let objective_index = g * per_goal + o;
                    let initiatives: Vec<Json> = (0..shape.initiatives)
                        .filter(|i| i % shape.objectives == objective_index)
                        .map(|i| {
                            measure_no += 1;
                            let seq = i / shape.objectives + 1;
                            json!({
                                "code": format!("{}.{}.{}", g + 1, o + 1, seq),
                                "title": format!("Initiative {}.{}.{}", g + 1, o + 1, seq),
                                "cadence": "monthly",
                                "measures": [{
                                    "key": format!("m_{measure_no:06}"),
                                    "name": format!("Measure {measure_no}"),
                                    "unit": "%",
                                    "direction": "higher-is-better",
                                    "frequency": "monthly",
                                    "targets": [{"period": format!("{end_year}"), "value": 90}, {"value": 90}],
                                }],
                            })
                        })
                        .collect();
                    json!({
                        "code": format!("{}.{}", g + 1, o + 1),
                        "title": format!("Objective {}.{}", g + 1, o + 1),
                        "children": initiatives,
                    })
                })
                .collect();
            json!({
                "code": format!("{}", g + 1),
                "title": format!("Goal {}", g + 1),
                "children": objectives,
            })
        })
        .collect();
    json!({
        "format": "lodestar-plan/1",
        "organization": {"name": "Benchmark County"},
        "key": "rollup-scale",
        "title": "Roll-up scale benchmark plan",
        "period": {"start_year": start_year, "end_year": end_year},
        "status": "active",
        "levels": ["Goal", "Objective", "Initiative"],
        "nodes": goals,
    })
}

/// A value that gives a mix of green, amber and red against a target of 90.
fn value_for(measure: usize, month: usize) -> f64 {
    let base = 55.0 + ((measure * 37) % 45) as f64;
    base + ((month * 7 + measure) % 5) as f64 - 2.0
}

/// Imports CSV chunks and keeps their timings.
struct Loader<'a> {
    app: &'a App,
    plan: PlanId,
    import_time: Duration,
    chunk_times: Vec<Duration>,
}

impl Loader<'_> {
    async fn flush(&mut self, text: String, rows: usize, rows_done: usize) {
        let started = Instant::now();
        let counts = self
            .app
            .import_observations_csv(self.plan, "bench.csv", &text)
            .await
            .expect("import observations");
        let took = started.elapsed();
        assert_eq!(counts.inserted, rows, "every row is new");
        self.import_time += took;
        self.chunk_times.push(took);
        eprintln!(
            "  step 2: chunk {} ({rows} rows) in {} — {rows_done} rows so far, {} total",
            self.chunk_times.len(),
            fmt(took),
            fmt(self.import_time)
        );
        let _ = std::io::stderr().flush();
    }
}

async fn open(args: &Args) -> TestStore {
    if args.database_url.is_some() {
        testing::postgres()
            .await
            .expect("LODESTAR_TEST_DATABASE_URL names the PostgreSQL server")
    } else {
        testing::sqlite().await
    }
}

fn main() {
    let args = parse_args();
    // `testing::postgres()` reads the server from the environment; setting
    // it in-process is unsafe, so run this program again with it set.
    if let Some(url) = &args.database_url
        && std::env::var(POSTGRES_ENV).ok().as_deref() != Some(url.as_str())
    {
        let exe = std::env::current_exe().expect("path of this program");
        let status = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(POSTGRES_ENV, url)
            .status()
            .expect("run this program with the database URL in the environment");
        std::process::exit(status.code().unwrap_or(1));
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(run(args));
}

async fn run(args: Args) {
    let test_store = open(&args).await;
    let backend = test_store.backend;
    machine_facts(backend);
    let store = test_store.store.clone();
    let today = time::OffsetDateTime::now_utc().date();
    let app = App::new(store.clone()).on_day(today);
    let mut report = Report { rows: Vec::new() };

    // 1. The plan.
    let shape = Shape::for_nodes(args.nodes);
    let measures = shape.initiatives;
    let per_measure = args.observations / measures;
    let extra = args.observations % measures;
    let months = per_measure + usize::from(extra > 0);
    // Monthly values end with the last complete month before today.
    let last = month_back((today.year(), today.month() as u8), 1);
    let first = month_back(last, months.saturating_sub(1));
    let end_year = today.year() + 3;
    println!(
        "plan: {} goals, {} objectives, {} initiatives = {} nodes; {} measures; \
         {} observations ({per_measure}–{months} monthly values each, {}-{:02} to {}-{:02}); today {today}",
        shape.goals,
        shape.objectives,
        shape.initiatives,
        shape.goals + shape.objectives + shape.initiatives,
        measures,
        args.observations,
        first.0,
        first.1,
        last.0,
        last.1,
    );
    let doc = plan_document(&shape, first.0, end_year);
    let text = serde_json::to_string(&doc).expect("serialize plan");
    drop(doc);
    eprintln!("step 1: importing the plan ({} bytes of JSON)", text.len());
    let started = Instant::now();
    let plan = app
        .import_plan_code("bench.json", &text)
        .await
        .expect("import plan");
    let took = started.elapsed();
    drop(text);
    let nodes = store.plan_nodes(plan.id).await.expect("plan nodes");
    report.add(
        "1. import plan document (nodes)",
        nodes.len(),
        took,
        format!("{measures} measures in the same call"),
    );
    let plan_id: PlanId = plan.id;

    // 2. The observations, CSV chunk by CSV chunk, measure-major.
    let plan_measures = store.plan_measures(plan_id).await.expect("plan measures");
    let mut keys: Vec<String> = plan_measures
        .iter()
        .map(|m| m.key.as_str().to_owned())
        .collect();
    keys.sort();
    let periods: Vec<String> = (0..months)
        .map(|k| {
            let (y, m) = month_back(last, months - 1 - k);
            format!("{y}-{m:02}")
        })
        .collect();
    let mut rows_done = 0usize;
    let mut chunk = String::new();
    let mut in_chunk = 0usize;
    eprintln!("step 2: importing {} observations", args.observations);
    let mut loader = Loader {
        app: &app,
        plan: plan_id,
        import_time: Duration::ZERO,
        chunk_times: Vec::new(),
    };
    let limit = Duration::from_secs(args.step_limit);
    let over_limit = |loader: &Loader<'_>| args.step_limit > 0 && loader.import_time >= limit;
    'load: for (i, key) in keys.iter().enumerate() {
        let count = per_measure + usize::from(i < extra);
        for (k, period) in periods.iter().take(count).enumerate() {
            if in_chunk == 0 {
                chunk.push_str("measure,period,value\n");
            }
            let _ = writeln!(chunk, "{key},{period},{}", value_for(i, k));
            in_chunk += 1;
            rows_done += 1;
            if in_chunk == args.chunk {
                loader
                    .flush(std::mem::take(&mut chunk), in_chunk, rows_done)
                    .await;
                in_chunk = 0;
                if over_limit(&loader) {
                    break 'load;
                }
            }
        }
    }
    let stopped = over_limit(&loader) && rows_done < args.observations;
    if in_chunk > 0 && !stopped {
        loader
            .flush(std::mem::take(&mut chunk), in_chunk, rows_done)
            .await;
    }
    if stopped {
        eprintln!(
            "  step 2 STOPPED: {} s step limit reached after {rows_done} of {} rows",
            args.step_limit, args.observations
        );
    }
    let Loader {
        import_time,
        chunk_times,
        ..
    } = loader;
    let mut sorted_chunks = chunk_times.clone();
    let (_, chunk_median, _, chunk_max) = summary(&mut sorted_chunks);
    report.add(
        "2. import observations CSV (rows)",
        rows_done,
        import_time,
        format!(
            "{}{} calls of ≤{} rows; per call median {}, max {}",
            if stopped {
                format!(
                    "**STOPPED at the {} s step limit after {rows_done} of {} rows**; ",
                    args.step_limit, args.observations
                )
            } else {
                String::new()
            },
            chunk_times.len(),
            args.chunk,
            fmt(chunk_median),
            fmt(chunk_max)
        ),
    );

    // 3. The first read after loading: the plan is stale, so it is rebuilt.
    eprintln!("step 3: first plan_status (stale cache)");
    let started = Instant::now();
    let status = app.plan_status(plan_id).await.expect("plan status");
    let took = started.elapsed();
    report.add(
        "3. plan_status, first read (rebuild) (nodes)",
        status.nodes.len(),
        took,
        format!("{} measures in the report", status.measures.len()),
    );
    let mut colours = std::collections::BTreeMap::new();
    for m in &status.measures {
        *colours
            .entry(format!("{:?}", m.status.health))
            .or_insert(0usize) += 1;
    }
    let mut node_statuses = std::collections::BTreeMap::new();
    for n in &status.nodes {
        *node_statuses
            .entry(n.status.status.as_str().to_owned())
            .or_insert(0usize) += 1;
    }
    eprintln!("  measure healths: {colours:?}; node statuses: {node_statuses:?}");
    drop(status);

    // 4. Warm reads: cached.
    eprintln!("step 4: warm plan_status ×5");
    let mut warm = Vec::new();
    let mut warm_nodes = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let status = app.plan_status(plan_id).await.expect("plan status");
        warm.push(started.elapsed());
        warm_nodes = status.nodes.len();
    }
    let in_order: Vec<String> = warm.iter().map(|d| fmt(*d)).collect();
    let (_, median, _, _) = summary(&mut warm);
    report.add_row(
        "4. plan_status, warm read, median of 5 (nodes)",
        warm_nodes,
        median,
        median / u32::try_from(warm_nodes.max(1)).unwrap_or(1),
        format!("in order: {}", in_order.join(", ")),
    );
    // What a warm read is made of, each part timed alone (median of 5).
    let mut parts: Vec<(&str, Vec<Duration>, usize)> = vec![
        ("4a. warm: Store::ensure_rollups (fresh check)", vec![], 1),
        ("4b. warm: Store::plan_tree (nodes)", vec![], 0),
        ("4c. warm: Store::plan_statuses (nodes)", vec![], 0),
        ("4d. warm: Store::measure_healths (measures)", vec![], 0),
        ("4e. warm: Store::plan_measures (measures)", vec![], 0),
    ];
    for _ in 0..5 {
        let t = Instant::now();
        store
            .ensure_rollups(plan_id, today)
            .await
            .expect("ensure rollups");
        parts[0].1.push(t.elapsed());
        let t = Instant::now();
        let tree = store.plan_tree(plan_id).await.expect("plan tree");
        parts[1].1.push(t.elapsed());
        parts[1].2 = tree.walk().len();
        let t = Instant::now();
        let s = store.plan_statuses(plan_id).await.expect("statuses");
        parts[2].1.push(t.elapsed());
        parts[2].2 = s.len();
        let t = Instant::now();
        let h = store.measure_healths(plan_id).await.expect("healths");
        parts[3].1.push(t.elapsed());
        parts[3].2 = h.len();
        let t = Instant::now();
        let m = store.plan_measures(plan_id).await.expect("measures");
        parts[4].1.push(t.elapsed());
        parts[4].2 = m.len();
    }
    for (name, mut samples, count) in parts {
        let (_, median, _, _) = summary(&mut samples);
        report.add_row(
            name,
            count,
            median,
            median / u32::try_from(count.max(1)).unwrap_or(1),
            "",
        );
    }

    // 5. Check-ins on leaves: the incremental path.
    let parents: HashSet<NodeId> = nodes.iter().filter_map(|n| n.parent_id).collect();
    let mut leaves: Vec<NodeId> = nodes
        .iter()
        .filter(|n| !parents.contains(&n.id))
        .map(|n| n.id)
        .collect();
    leaves.sort();
    let step = (leaves.len() / args.samples).max(1);
    let chosen: Vec<NodeId> = leaves
        .iter()
        .step_by(step)
        .take(args.samples)
        .copied()
        .collect();
    eprintln!("step 5: {} check-ins on leaves", chosen.len());
    let statuses = ["on-track", "at-risk", "off-track"];
    let mut samples = Vec::new();
    for (i, node) in chosen.iter().enumerate() {
        let draft: CheckInDraft = serde_json::from_value(json!({
            "status": statuses[i % statuses.len()],
            "percent": (i * 7) % 100,
            "happened": "Benchmark check-in.",
        }))
        .expect("check-in draft");
        let started = Instant::now();
        app.file_checkin(*node, &draft).await.expect("check-in");
        samples.push(started.elapsed());
    }
    let (total, median, p95, max) = summary(&mut samples);
    report.add_row(
        "5. file_checkin on a leaf, median (check-ins)",
        samples.len(),
        total,
        median,
        format!("p95 {}, max {}", fmt(p95), fmt(max)),
    );

    // 6. One observation at a time: the incremental path.
    let mut picked: Vec<_> = plan_measures
        .iter()
        .step_by((plan_measures.len() / args.samples).max(1))
        .take(args.samples)
        .collect();
    picked.sort_by_key(|m| m.id);
    let (y, m) = (today.year(), today.month() as u8);
    let current = format!("{y}-{m:02}");
    eprintln!(
        "step 6: {} observations for {current}, one call each",
        picked.len()
    );
    let mut samples = Vec::new();
    for (i, measure) in picked.iter().enumerate() {
        let draft: ObservationDraft = serde_json::from_value(json!({
            "period": current,
            "value": value_for(i, months),
        }))
        .expect("observation draft");
        let started = Instant::now();
        app.record_observation(measure.id, &draft)
            .await
            .expect("record observation");
        samples.push(started.elapsed());
    }
    let (total, median, p95, max) = summary(&mut samples);
    report.add_row(
        "6. record_observation, median (observations)",
        samples.len(),
        total,
        median,
        format!("p95 {}, max {}", fmt(p95), fmt(max)),
    );

    // 7. A new day: the daily full rebuild on the first read.
    let tomorrow = today.next_day().expect("tomorrow");
    eprintln!("step 7: plan_status on {tomorrow}");
    let next_day = App::new(store.clone()).on_day(tomorrow);
    let started = Instant::now();
    let status = next_day.plan_status(plan_id).await.expect("plan status");
    let took = started.elapsed();
    report.add(
        "7. plan_status, first read of a new day (nodes)",
        status.nodes.len(),
        took,
        "whole-plan rebuild + read",
    );
    drop(status);
    // The rebuild alone, on the day after.
    let day_after = tomorrow.next_day().expect("day after");
    let started = Instant::now();
    store
        .ensure_rollups(plan_id, day_after)
        .await
        .expect("ensure rollups");
    let took = started.elapsed();
    report.add(
        "7a. Store::ensure_rollups alone, another new day (nodes)",
        nodes.len(),
        took,
        "the rebuild without the read",
    );

    // 8. Overdue on the (warm) day after.
    eprintln!("step 8: overdue");
    let later = App::new(store.clone()).on_day(day_after);
    let started = Instant::now();
    let overdue = later.overdue(Some(plan_id)).await.expect("overdue");
    let took = started.elapsed();
    report.add(
        "8. overdue(Some(plan)), cache warm (nodes overdue)",
        overdue.len(),
        took,
        format!("{} nodes scanned", nodes.len()),
    );

    report.print();
    drop(store);
    drop(app);
    drop(next_day);
    drop(later);
    if args.keep {
        eprintln!(
            "--keep: the {backend} database is left behind (a lodestar_t_* directory in {} \
             or a lodestar_t_* schema)",
            std::env::temp_dir().display()
        );
        std::mem::forget(test_store);
    } else {
        drop(test_store);
    }
}
