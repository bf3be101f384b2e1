//! `lodestar demo-data` as a user runs it: a small portfolio written, listed
//! and reported on; a second run refused; the progress bar silent when
//! standard error is not a terminal. PostgreSQL runs when
//! `LODESTAR_TEST_DATABASE_URL` is set.

mod support;

use support::{Database, Workspace, describe};

fn databases(work: &Workspace) -> Vec<Database> {
    let mut databases = vec![work.sqlite("demo")];
    match Database::postgres() {
        Some(postgres) => databases.push(postgres),
        None => eprintln!(
            "notice: {} is not set; ran on SQLite only",
            support::POSTGRES_ENV
        ),
    }
    databases
}

#[test]
fn demo_data_small_writes_two_plans_and_prints_how_to_sign_in() {
    let work = Workspace::new("demo_data");
    for db in databases(&work) {
        let b = db.backend();
        let output = db.run(&[
            &"demo-data",
            &"--scale",
            &"small",
            &"--seed",
            &"4",
            &"--as-of",
            &"2026-06-15",
        ]);
        assert!(output.status.success(), "{b}: {}", describe(&output));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("2 plans, 4 goals, 8 objectives, 30 initiatives, 10 measures, 500 values, 60 check-ins, 6 accounts"), "{b}: {stdout}");
        assert!(stdout.contains("Administrator: "), "{b}: {stdout}");
        assert!(
            stdout.contains("Password of every demo account: "),
            "{b}: {stdout}"
        );
        assert!(
            output.stderr.is_empty(),
            "{b}: no progress bar off a terminal: {}",
            String::from_utf8_lossy(&output.stderr)
        );

        let plans = db.ok(&[&"plans"]);
        assert_eq!(plans.matches("-s4 ").count(), 2, "{b}: {plans}");
        let key = plans
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_owned();
        let status = db.ok(&[&"status", &key]);
        assert!(status.contains("IT Strategic Plan"), "{b}: {status}");

        let again = db.run(&[&"demo-data", &"--scale", &"small"]);
        assert!(!again.status.success(), "{b}: a second run is refused");
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(
            stderr.contains("--force") && stderr.contains("nothing was written"),
            "{b}: {stderr}"
        );
        assert_eq!(db.ok(&[&"plans"]), plans, "{b}: nothing changed");
    }
}
