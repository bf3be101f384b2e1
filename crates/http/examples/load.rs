//! A load test of a running Lodestar server: concurrent clients mix reads and
//! writes for a bounded time, every write the server acknowledges is
//! remembered, and at the end everything is read back to show that none was
//! lost.
//!
//! ```text
//! cargo run --release -p lodestar-http --example load -- \
//!     --url http://127.0.0.1:8080 --token lst_… [--clients 16] [--seconds 120] [--plan KEY]
//! ```
//!
//! `bench/load` starts a server on a fresh database, makes the token and runs
//! this. The token (or `LODESTAR_TOKEN`) must be admin-scoped. Only loopback
//! addresses are accepted: this is a test of a server on this machine.
//!
//! Each client loops until the time is up, picking at random: 70% reads (the
//! plan's tree, a node, a measure's series, the plan's statuses, in equal
//! parts) and 30% writes (a check-in filed on a leaf, a measure value recorded
//! for a period no other write uses and the measure had no value for, and a new title for one of a few "hot"
//! nodes that every client edits, read first and sent with `If-Match`; a 409
//! is counted and retried, not an error). Any other failure is an error.
//!
//! Read back at the end: every acknowledged check-in is listed on its node
//! with its text, every acknowledged value is in its measure's series, and
//! each hot node's acknowledged updates hold exactly the versions between its
//! first and its final version, once each, its final title the last one
//! written. The program exits non-zero on any error or lost write.
#![allow(clippy::print_stdout)]

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

struct Args {
    url: String,
    token: String,
    clients: usize,
    seconds: u64,
    plan: Option<String>,
    hot_nodes: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: load --url http://127.0.0.1:PORT [--token TOKEN] [--clients 16] [--seconds 120] [--plan KEY] [--hot-nodes 4]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        url: String::new(),
        token: std::env::var("LODESTAR_TOKEN").unwrap_or_default(),
        clients: 16,
        seconds: 120,
        plan: None,
        hot_nodes: 4,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--url" => args.url = value().trim_end_matches('/').to_owned(),
            "--token" => args.token = value(),
            "--clients" => args.clients = value().parse().unwrap_or_else(|_| usage()),
            "--seconds" => args.seconds = value().parse().unwrap_or_else(|_| usage()),
            "--plan" => args.plan = Some(value()),
            "--hot-nodes" => args.hot_nodes = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let host = args
        .url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let loopback =
        host.starts_with("127.") || host.starts_with("localhost:") || host.starts_with("[::1]:");
    if !loopback || args.token.is_empty() || args.clients == 0 || args.hot_nodes == 0 {
        eprintln!(
            "load: needs --url http://127.x.x.x:PORT (loopback only), a token, and at least one client"
        );
        usage()
    }
    args
}

/// The kinds of request timed, in the order the report lists them.
const KINDS: [&str; 7] = [
    "read plan tree",
    "read node",
    "read measure series",
    "read plan status",
    "file check-in",
    "record value",
    "update node title",
];
const TREE: usize = 0;
const NODE: usize = 1;
const SERIES: usize = 2;
const STATUS: usize = 3;
const CHECKIN: usize = 4;
const VALUE: usize = 5;
const TITLE: usize = 6;

/// What the clients share: the server, and the plan's ids.
struct Target {
    http: Client,
    url: String,
    token: String,
    plan: i64,
    nodes: Vec<i64>,
    leaves: Vec<i64>,
    hot: Vec<i64>,
    measures: Vec<i64>,
    /// The next period of each measure to try, as days before today.
    next_day: Vec<AtomicU32>,
    /// The periods each measure already had a value for before the run,
    /// which a write must not use (it would update, not insert).
    taken: Vec<HashSet<String>>,
    today: time::Date,
}

/// What one client did and saw.
#[derive(Default)]
struct Tally {
    micros: [Vec<u32>; KINDS.len()],
    conflicts: u64,
    errors: Vec<String>,
    checkins: Vec<(i64, i64, String)>,
    values: Vec<(i64, String, f64)>,
    titles: Vec<(i64, i64, String)>,
}

/// A response: status, the version its ETag names, and its JSON body.
struct Answer {
    status: StatusCode,
    version: Option<i64>,
    body: Json,
}

impl Target {
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Json>,
        if_match: Option<i64>,
    ) -> Result<Answer, String> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(version) = if_match {
            request = request.header("If-Match", format!("\"{version}\""));
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let version = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim_matches('"').parse().ok());
        let text = response
            .text()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let body = serde_json::from_str(&text).unwrap_or(Json::Null);
        Ok(Answer {
            status,
            version,
            body,
        })
    }

    /// A GET that must succeed.
    async fn read(&self, path: &str) -> Result<Answer, String> {
        let answer = self.call(Method::GET, path, None, None).await?;
        if answer.status.is_success() {
            Ok(answer)
        } else {
            Err(format!("GET {path}: {} {}", answer.status, answer.body))
        }
    }
}

/// A small, seeded xorshift generator: each client's choices repeat from run to run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Runs one request of `kind`, timing it into the tally.
async fn timed<F, T>(tally: &mut Tally, kind: usize, request: F) -> Result<T, String>
where
    F: std::future::Future<Output = Result<T, String>>,
{
    let started = Instant::now();
    let result = request.await;
    let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
    tally.micros[kind].push(micros);
    result
}

async fn client(target: Arc<Target>, id: usize, deadline: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (id as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let mut writes = 0u64;
    while Instant::now() < deadline {
        let roll = rng.below(100);
        let t = &*target;
        let outcome = match roll {
            0..=17 => timed(
                &mut tally,
                TREE,
                t.read(&format!("/api/v1/plans/{}/tree", t.plan)),
            )
            .await
            .map(drop),
            18..=34 => {
                let node = t.nodes[rng.below(t.nodes.len())];
                timed(&mut tally, NODE, t.read(&format!("/api/v1/nodes/{node}")))
                    .await
                    .map(drop)
            }
            35..=52 => {
                let measure = t.measures[rng.below(t.measures.len())];
                let path = format!("/api/v1/measures/{measure}/observations");
                timed(&mut tally, SERIES, t.read(&path)).await.map(drop)
            }
            53..=69 => timed(
                &mut tally,
                STATUS,
                t.read(&format!("/api/v1/plans/{}/status", t.plan)),
            )
            .await
            .map(drop),
            70..=79 => {
                writes += 1;
                let node = t.leaves[rng.below(t.leaves.len())];
                file_checkin(
                    t,
                    &mut tally,
                    node,
                    format!("load client {id} check-in {writes}"),
                )
                .await
            }
            80..=89 => {
                writes += 1;
                let which = rng.below(t.measures.len());
                let value = (id as f64) * 1000.0 + (writes % 1000) as f64 / 10.0;
                record_value(t, &mut tally, which, value).await
            }
            _ => {
                writes += 1;
                let node = t.hot[rng.below(t.hot.len())];
                update_title(
                    t,
                    &mut tally,
                    node,
                    format!("Load client {id} title {writes}"),
                    deadline,
                )
                .await
            }
        };
        if let Err(e) = outcome {
            tally.errors.push(e);
        }
    }
    tally
}

async fn file_checkin(
    t: &Target,
    tally: &mut Tally,
    node: i64,
    text: String,
) -> Result<(), String> {
    let path = format!("/api/v1/nodes/{node}/checkins");
    let body = json!({"status": "on-track", "percent": 50, "happened": text});
    let answer = timed(
        tally,
        CHECKIN,
        t.call(Method::POST, &path, Some(&body), None),
    )
    .await?;
    match (answer.status, answer.body["id"].as_i64()) {
        (StatusCode::CREATED, Some(id)) => {
            tally.checkins.push((node, id, text));
            Ok(())
        }
        (status, _) => Err(format!("POST {path}: {status} {}", answer.body)),
    }
}

async fn record_value(
    t: &Target,
    tally: &mut Tally,
    which: usize,
    value: f64,
) -> Result<(), String> {
    let measure = t.measures[which];
    let period = loop {
        let back = t.next_day[which].fetch_add(1, Ordering::Relaxed);
        let day = (t.today - time::Duration::days(i64::from(back) + 1)).to_string();
        if !t.taken[which].contains(&day) {
            break day;
        }
    };
    let path = format!("/api/v1/measures/{measure}/observations");
    let body = json!({"period": period, "value": value, "note": "load test"});
    let answer = timed(tally, VALUE, t.call(Method::POST, &path, Some(&body), None)).await?;
    match (answer.status, answer.body["outcome"].as_str()) {
        (StatusCode::OK, Some("inserted")) => {
            tally.values.push((measure, period, value));
            Ok(())
        }
        (status, _) => Err(format!("POST {path} ({period}): {status} {}", answer.body)),
    }
}

/// Reads the node, sends it back with a new title and the version it read,
/// and starts over when someone else changed it first.
async fn update_title(
    t: &Target,
    tally: &mut Tally,
    node: i64,
    title: String,
    deadline: Instant,
) -> Result<(), String> {
    let path = format!("/api/v1/nodes/{node}");
    while Instant::now() < deadline {
        let current = timed(tally, NODE, t.read(&path)).await?;
        let (Some(version), Json::Object(mut draft)) = (current.version, current.body) else {
            return Err(format!("GET {path}: no ETag or no node"));
        };
        draft.remove("id");
        draft.insert("title".into(), json!(title));
        let body = Json::Object(draft);
        let answer = timed(
            tally,
            TITLE,
            t.call(Method::PUT, &path, Some(&body), Some(version)),
        )
        .await?;
        match (answer.status, answer.version) {
            (StatusCode::OK, Some(new)) => {
                tally.titles.push((node, new, title));
                return Ok(());
            }
            (StatusCode::CONFLICT, _) => tally.conflicts += 1,
            (status, _) => return Err(format!("PUT {path}: {status} {}", answer.body)),
        }
    }
    Ok(())
}

/// The plan's nodes, depth first, as (id, whether it is a leaf).
fn walk(nodes: &Json, out: &mut Vec<(i64, bool)>) {
    for node in nodes.as_array().into_iter().flatten() {
        let children = &node["children"];
        let leaf = children.as_array().is_none_or(Vec::is_empty);
        if let Some(id) = node["id"].as_i64() {
            out.push((id, leaf));
        }
        walk(children, out);
    }
}

async fn prepare(args: &Args) -> Result<Target, String> {
    let http = Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(args.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let mut target = Target {
        http,
        url: args.url.clone(),
        token: args.token.clone(),
        plan: 0,
        nodes: Vec::new(),
        leaves: Vec::new(),
        hot: Vec::new(),
        measures: Vec::new(),
        next_day: Vec::new(),
        taken: Vec::new(),
        today: time::OffsetDateTime::now_utc().date(),
    };
    let plans = target.read("/api/v1/plans").await?.body;
    let plan = plans
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| args.plan.as_deref().is_none_or(|key| p["key"] == key))
        .ok_or("no such plan on the server")?;
    target.plan = plan["id"].as_i64().ok_or("a plan without an id")?;
    let tree = target
        .read(&format!("/api/v1/plans/{}/tree", target.plan))
        .await?;
    let mut nodes = Vec::new();
    walk(&tree.body["nodes"], &mut nodes);
    target.nodes = nodes.iter().map(|(id, _)| *id).collect();
    let mut leaves: Vec<i64> = nodes
        .iter()
        .filter(|(_, leaf)| *leaf)
        .map(|(id, _)| *id)
        .collect();
    if leaves.len() <= args.hot_nodes {
        return Err(format!(
            "the plan has {} leaves; it needs more than --hot-nodes",
            leaves.len()
        ));
    }
    target.hot = leaves.split_off(leaves.len() - args.hot_nodes);
    target.leaves = leaves;
    let measures = target
        .read(&format!("/api/v1/measures?plan_id={}", target.plan))
        .await?;
    target.measures = measures
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["formula"].is_null())
        .filter_map(|m| m["id"].as_i64())
        .collect();
    if target.measures.is_empty() {
        return Err("the plan has no measure that takes values".into());
    }
    target.next_day = target.measures.iter().map(|_| AtomicU32::new(0)).collect();
    for &m in &target.measures {
        let series = target
            .read(&format!("/api/v1/measures/{m}/observations"))
            .await?
            .body;
        let taken = series
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["period"].as_str().map(str::to_owned))
            .collect();
        target.taken.push(taken);
    }
    Ok(target)
}

/// Reads everything back; returns the lost writes, described.
async fn verify(
    t: &Target,
    all: &Tally,
    first_versions: &HashMap<i64, i64>,
) -> Result<Vec<String>, String> {
    let mut lost = Vec::new();
    let mut by_node: BTreeMap<i64, Vec<(i64, &str)>> = BTreeMap::new();
    for (node, id, text) in &all.checkins {
        by_node.entry(*node).or_default().push((*id, text));
    }
    for (node, filed) in by_node {
        let listed = t
            .read(&format!("/api/v1/nodes/{node}/checkins"))
            .await?
            .body;
        let stored: HashMap<i64, &str> = listed
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some((c["id"].as_i64()?, c["happened"].as_str()?)))
            .collect();
        for (id, text) in filed {
            if stored.get(&id) != Some(&text) {
                lost.push(format!("check-in {id} on node {node} ({text:?})"));
            }
        }
    }
    let mut by_measure: BTreeMap<i64, Vec<(&str, f64)>> = BTreeMap::new();
    for (measure, period, value) in &all.values {
        by_measure
            .entry(*measure)
            .or_default()
            .push((period, *value));
    }
    for (measure, recorded) in by_measure {
        let series = t
            .read(&format!("/api/v1/measures/{measure}/observations"))
            .await?
            .body;
        let stored: HashMap<&str, f64> = series
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some((p["period"].as_str()?, p["value"].as_f64()?)))
            .collect();
        for (period, value) in recorded {
            if stored.get(period) != Some(&value) {
                lost.push(format!("value {value} of measure {measure} for {period}"));
            }
        }
    }
    for (&node, &first) in first_versions {
        let now = t.read(&format!("/api/v1/nodes/{node}")).await?;
        let last = now.version.ok_or("a node read without an ETag")?;
        let mut acked: Vec<(i64, &str)> = all
            .titles
            .iter()
            .filter(|(n, _, _)| *n == node)
            .map(|(_, v, title)| (*v, title.as_str()))
            .collect();
        acked.sort_unstable();
        let versions: Vec<i64> = acked.iter().map(|(v, _)| *v).collect();
        let expected: Vec<i64> = (first + 1..=last).collect();
        if versions != expected {
            lost.push(format!(
                "node {node}: {} acknowledged updates for versions {first} → {last}, expected {}",
                versions.len(),
                expected.len()
            ));
        }
        if let Some((_, title)) = acked.last()
            && now.body["title"].as_str() != Some(title)
        {
            lost.push(format!(
                "node {node}: its title is {} after {title:?} was acknowledged last",
                now.body["title"]
            ));
        }
    }
    Ok(lost)
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let target = match prepare(&args).await {
        Ok(t) => Arc::new(t),
        Err(e) => {
            eprintln!("load: cannot prepare: {e}");
            std::process::exit(1)
        }
    };
    let mut first_versions = HashMap::new();
    for &node in &target.hot {
        match target.read(&format!("/api/v1/nodes/{node}")).await {
            Ok(Answer {
                version: Some(v), ..
            }) => first_versions.insert(node, v),
            _ => {
                eprintln!("load: cannot read node {node}'s version");
                std::process::exit(1)
            }
        };
    }
    println!(
        "load: {} clients for {} s against {} (plan {}: {} nodes, {} leaves for check-ins, hot nodes {:?}, {} measures)",
        args.clients,
        args.seconds,
        args.url,
        target.plan,
        target.nodes.len(),
        target.leaves.len(),
        target.hot,
        target.measures.len()
    );
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let tasks: Vec<_> = (0..args.clients)
        .map(|id| tokio::spawn(client(Arc::clone(&target), id, deadline)))
        .collect();
    let mut all = Tally::default();
    for task in tasks {
        let Ok(tally) = task.await else {
            all.errors.push("a client panicked".into());
            continue;
        };
        for (kind, micros) in tally.micros.into_iter().enumerate() {
            all.micros[kind].extend(micros);
        }
        all.conflicts += tally.conflicts;
        all.errors.extend(tally.errors);
        all.checkins.extend(tally.checkins);
        all.values.extend(tally.values);
        all.titles.extend(tally.titles);
    }
    let elapsed = started.elapsed().as_secs_f64();

    println!("\n| kind | requests | per second | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = 0;
    for (kind, micros) in all.micros.iter_mut().enumerate() {
        micros.sort_unstable();
        total += micros.len();
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            KINDS[kind],
            micros.len(),
            micros.len() as f64 / elapsed,
            percentile(micros, 50.0),
            percentile(micros, 99.0),
            percentile(micros, 100.0)
        );
    }
    let mut every: Vec<u32> = all.micros.iter().flatten().copied().collect();
    every.sort_unstable();
    println!(
        "| all | {total} | {:.1} | {:.1} | {:.1} | {:.1} |",
        total as f64 / elapsed,
        percentile(&every, 50.0),
        percentile(&every, 99.0),
        percentile(&every, 100.0)
    );
    println!(
        "\nelapsed {elapsed:.1} s; acknowledged writes: {} check-ins, {} values, {} title updates; \
         {} stale-version conflicts (409) retried",
        all.checkins.len(),
        all.values.len(),
        all.titles.len(),
        all.conflicts
    );
    let reading = Instant::now();
    let lost = match verify(&target, &all, &first_versions).await {
        Ok(lost) => lost,
        Err(e) => {
            all.errors.push(format!("reading back: {e}"));
            Vec::new()
        }
    };
    println!(
        "read back in {:.1} s; errors: {}",
        reading.elapsed().as_secs_f64(),
        all.errors.len()
    );
    for e in all.errors.iter().take(10) {
        println!("  {e}");
    }
    println!("lost writes: {}", lost.len());
    for l in lost.iter().take(10) {
        println!("  {l}");
    }
    if !all.errors.is_empty() || !lost.is_empty() {
        std::process::exit(1);
    }
}
