//! How long one acknowledged write takes on SQLite with the store's connection
//! settings: creates organizations one at a time, each its own transaction,
//! and prints the median, 95th percentile and maximum.
//!
//! ```sh
//! cargo run --release -p lodestar-storage --example write_latency -- [WRITES] [DIR]
//! ```
//!
//! WRITES defaults to 1000; DIR (where the temporary database goes) to the
//! system's temporary directory. Put DIR on the disk a real installation would
//! use: on a RAM disk every sync is free and the figure means nothing.

#![allow(clippy::print_stdout)]

use lodestar_domain::{Name, OrganizationDraft};
use lodestar_storage::Store;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let writes: usize = args.next().map_or(Ok(1000), |n| n.parse())?;
    let base = args.next().map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = base.join(format!("lodestar-write-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open_sqlite(&dir.join("lodestar.db")).await?;

    let mut samples = Vec::with_capacity(writes);
    for i in 0..writes {
        let draft = OrganizationDraft {
            name: Name::parse(&format!("Organization {i}"))?,
            parent_id: None,
        };
        let started = Instant::now();
        store.create_organization(&draft).await?;
        samples.push(started.elapsed());
    }
    store.close().await;
    std::fs::remove_dir_all(&dir)?;

    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let total: Duration = samples.iter().sum();
    println!(
        "{writes} writes in {total:.2?}: median {:.1?}, p95 {:.1?}, max {:.1?}",
        at(0.5),
        at(0.95),
        at(1.0)
    );
    Ok(())
}
