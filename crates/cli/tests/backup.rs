//! `lodestar backup` and `lodestar restore` as an operator runs them: round
//! trips that reproduce every table, a backup moving an installation between
//! SQLite and PostgreSQL, backups taken while plans are being written, and
//! the refusals. PostgreSQL runs when `LODESTAR_TEST_DATABASE_URL` is set.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use support::{Database, Server, Workspace, admin_token, describe, send, wait_until_healthy};

/// A fresh SQLite data directory, and a fresh PostgreSQL schema when one is configured.
fn databases(work: &Workspace, name: &str) -> Vec<Database> {
    let mut databases = vec![work.sqlite(name)];
    match Database::postgres() {
        Some(postgres) => databases.push(postgres),
        None => eprintln!(
            "notice: {} is not set; ran on SQLite only",
            support::POSTGRES_ENV
        ),
    }
    databases
}

/// A fresh database of the same kind as `like`.
fn fresh(work: &Workspace, like: &Database, name: &str) -> Database {
    match like.backend() {
        "sqlite" => work.sqlite(name),
        _ => Database::postgres().expect("PostgreSQL is configured"),
    }
}

/// Fills `db` the way a first start does: an administrator and their API
/// token (returned), then the sample plan with its measure values and
/// check-ins; stops the server cleanly.
fn installation(db: &Database) -> String {
    let token = admin_token(db);
    let mut server = Server::start_with(db, &[]);
    wait_until_healthy(&server.address);
    server.terminate();
    let (exit, logs) = server.wait(Duration::from_secs(30));
    assert!(exit.success(), "{exit:?}\n{}", logs.join("\n"));
    token
}

fn backup(db: &Database, file: &Path) -> String {
    db.ok(&[&"backup", &file])
}

fn restore(db: &Database, file: &Path) -> String {
    db.ok(&[&"restore", &file])
}

#[test]
fn a_restored_backup_reproduces_every_table() {
    let work = Workspace::new("round_trip");
    for db in databases(&work, "original") {
        let backend = db.backend();
        installation(&db);
        let file = work.path(&format!("{backend}.lodestar-backup"));
        let said = backup(&db, &file);
        assert!(
            said.starts_with("Backed up ") && said.contains("schema version"),
            "{said}"
        );

        let restored = fresh(&work, &db, "restored");
        let said = restore(&restored, &file);
        assert!(
            said.starts_with(&format!("Restored {}", file.display())),
            "{said}"
        );
        assert!(said.contains(&format!("from {backend}")), "{said}");
        let (before, after) = (db.dump(), restored.dump());
        assert!(
            before["nodes"].len() > 10
                && !before["observations"].is_empty()
                && !before["users"].is_empty(),
            "{backend}: the sample plan and an account were there to back up"
        );
        for (table, rows) in &before {
            assert_eq!(
                Some(rows),
                after.get(table),
                "{backend}: table {table} differs"
            );
        }
        assert_eq!(before.len(), after.len(), "{backend}: the same tables");
    }
}

#[test]
fn a_backup_moves_an_installation_between_sqlite_and_postgresql() {
    let work = Workspace::new("cross");
    let Some(postgres) = Database::postgres() else {
        eprintln!("notice: {} is not set; skipped", support::POSTGRES_ENV);
        return;
    };
    let sqlite = work.sqlite("sqlite");
    let token = installation(&sqlite);
    backup(&sqlite, &work.path("from-sqlite"));
    restore(&postgres, &work.path("from-sqlite"));
    backup(&postgres, &work.path("from-postgres"));
    let back = work.sqlite("back");
    let said = restore(&back, &work.path("from-postgres"));
    assert!(said.contains("from postgres"), "{said}");
    let before = support::to_seconds(&sqlite.dump());
    let after = support::to_seconds(&back.dump());
    for (table, rows) in &before {
        assert_eq!(
            Some(rows),
            after.get(table),
            "table {table} differs after SQLite → PostgreSQL → SQLite"
        );
    }
    assert_eq!(before.len(), after.len());

    // The token travelled with the accounts; the restored plan is served, and
    // a new row gets an id of its own.
    let server = Server::start(&postgres);
    let plans = send(
        &server.address,
        "GET",
        "/api/v1/plans",
        &token,
        b"",
        "application/json",
    )
    .unwrap();
    assert!(plans.body.contains("harbor-falls-it-2025"), "{plans:?}");
    let body = br#"{"name": "Added After Restore"}"#;
    let created = send(
        &server.address,
        "POST",
        "/api/v1/organizations",
        &token,
        body,
        "application/json",
    )
    .unwrap();
    assert_eq!(created.status, 201, "{created:?}");
}

/// A plan of one goal with three objectives: four nodes, written in one transaction.
fn small_plan(n: usize) -> Vec<u8> {
    format!(
        "format: lodestar-plan/1\n\
         organization: {{ name: Importville }}\n\
         key: written-{n}\n\
         title: Written {n}\n\
         period: {{ start_year: 2025, end_year: 2029 }}\n\
         levels: [Goal, Objective]\n\
         nodes:\n\
         \x20 - code: \"1\"\n\
         \x20   title: Goal\n\
         \x20   children:\n\
         \x20     - {{ code: \"1.1\", title: One }}\n\
         \x20     - {{ code: \"1.2\", title: Two }}\n\
         \x20     - {{ code: \"1.3\", title: Three }}\n"
    )
    .into_bytes()
}

/// Checks a backup file on its own: no row refers to a missing row, and every
/// plan has its four nodes. Returns how many plans it holds.
fn check_consistent(file: &Path) -> i64 {
    support::block_on(async {
        use sqlx::Connection;
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .read_only(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        let broken: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        assert!(
            broken.is_empty(),
            "{}: rows refer to missing rows in {broken:?}",
            file.display()
        );
        let partial: Vec<(String, i64)> = sqlx::query_as(
            "SELECT p.plan_key, COUNT(n.id) FROM plans p LEFT JOIN nodes n ON n.plan_id = p.id \
             GROUP BY p.id HAVING COUNT(n.id) <> 4",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert!(
            partial.is_empty(),
            "{}: plans caught half-written: {partial:?}",
            file.display()
        );
        sqlx::query_scalar("SELECT COUNT(*) FROM plans")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    })
}

#[test]
fn a_backup_taken_while_plans_are_written_holds_each_plan_whole() {
    let work = Workspace::new("during_writes");
    for db in databases(&work, "live") {
        let backend = db.backend();
        let token = admin_token(&db);
        let server = Server::start(&db);
        wait_until_healthy(&server.address);
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let writer = {
            let address = server.address.clone();
            let (token, stop, written) = (token.clone(), stop.clone(), written.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let path = "/api/v1/plans/import";
                    let response = send(
                        &address,
                        "POST",
                        path,
                        &token,
                        &small_plan(n),
                        "application/yaml",
                    )
                    .expect("the server answers");
                    assert_eq!(response.status, 201, "plan {n}: {response:?}");
                    written.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        for round in 0..3 {
            while written.load(Ordering::SeqCst) < 5 * (round + 1) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let file = work.path(&format!("{backend}-{round}"));
            let before = written.load(Ordering::SeqCst) as i64;
            backup(&db, &file);
            let after = written.load(Ordering::SeqCst) as i64;
            let plans = check_consistent(&file);
            // A plan stored but not yet acknowledged may be in the backup too.
            assert!(
                (before..=after + 1).contains(&plans),
                "{backend}: backup {round} holds {plans} plans; {before} were written when it started, {after} when it ended"
            );
            eprintln!(
                "{backend}: backup {round}: {plans} whole plans ({before} written at its start, {after} at its end)"
            );
            restore(&work.sqlite(&format!("restored-{backend}-{round}")), &file);
        }
        stop.store(true, Ordering::SeqCst);
        writer.join().expect("the writer saw every plan stored");
    }
}

#[test]
fn restore_refuses_a_database_in_use_and_files_that_are_not_backups() {
    let work = Workspace::new("refusals");
    for db in databases(&work, "source") {
        let backend = db.backend();
        db.ok(&[&"import", &support::sample_plan()]);
        let file = work.path(&format!("{backend}.backup"));
        backup(&db, &file);

        let output = db.run(&[&"backup", &file]);
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("already exists"), "{err}");

        let output = db.run(&[&"restore", &file]);
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.starts_with("error: nothing was restored: the database is not empty ("),
            "{err}"
        );
        assert!(
            err.contains("plans holds 1 row") && err.contains("--force"),
            "{err}"
        );

        let said = db.ok(&[&"restore", &file, &"--force"]);
        assert!(
            said.contains("what the database held before was replaced"),
            "{backend}: {said}"
        );
    }
    let empty = work.sqlite("empty");
    let text = work.path("notes.txt");
    std::fs::write(
        &text,
        "meeting notes, not a backup, but long enough for a header",
    )
    .unwrap();
    let output = empty.run(&[&"restore", &text]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&format!("{} is not a Lodestar backup", text.display())),
        "{err}"
    );
    let output = empty.run(&[&"restore", &work.path("missing")]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("missing: No such file"),
        "{}",
        describe(&output)
    );
}
