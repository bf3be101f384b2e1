//! The server's life as an operator sees it: stopping it with SIGTERM while
//! a request is in progress, and killing it outright in the middle of a
//! stream of writes, on SQLite and (when `LODESTAR_TEST_DATABASE_URL` is set)
//! on PostgreSQL.

mod support;

use std::collections::HashSet;
use std::io::Write;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{
    Database, Server, Workspace, admin_token, read_response, request_head, send, wait_until_healthy,
};

/// A fresh SQLite data directory, and a fresh PostgreSQL schema when one is configured.
fn databases(work: &Workspace) -> Vec<Database> {
    let mut databases = vec![work.sqlite("data")];
    match Database::postgres() {
        Some(postgres) => databases.push(postgres),
        None => eprintln!(
            "notice: {} is not set; ran on SQLite only",
            support::POSTGRES_ENV
        ),
    }
    databases
}

fn organization(name: &str) -> Vec<u8> {
    serde_json::json!({ "name": name }).to_string().into_bytes()
}

/// The names of the organizations the server lists.
fn organization_names(address: &str, token: &str) -> HashSet<String> {
    let listed = send(
        address,
        "GET",
        "/api/v1/organizations",
        token,
        b"",
        "application/json",
    )
    .expect("the server answers");
    assert_eq!(listed.status, 200, "{listed:?}");
    let stored: Vec<serde_json::Value> = serde_json::from_str(&listed.body).unwrap();
    stored
        .iter()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_request_in_progress_refuses_new_connections_and_exits_cleanly() {
    let work = Workspace::new("sigterm");
    for db in databases(&work) {
        let backend = db.backend();
        let token = admin_token(&db);
        let mut server = Server::start(&db);
        wait_until_healthy(&server.address);

        // A client that has sent the request line, the headers and half the body.
        let body = organization("Started Before Shutdown");
        let (first, rest) = body.split_at(body.len() / 2);
        let mut in_progress = TcpStream::connect(&server.address).unwrap();
        let head = request_head(
            &server.address,
            "POST",
            "/api/v1/organizations",
            &token,
            &body,
            "application/json",
        );
        in_progress.write_all(head.as_bytes()).unwrap();
        in_progress.write_all(first).unwrap();
        in_progress.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));

        server.terminate();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match TcpStream::connect(&server.address) {
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
                other => {
                    assert!(
                        Instant::now() < deadline,
                        "{backend}: still accepting connections: {other:?}"
                    );
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "{backend}: exited with a request in progress"
        );

        in_progress.write_all(rest).unwrap();
        let response = read_response(&mut in_progress).unwrap();
        assert_eq!(response.status, 201, "{backend}: {response:?}");
        let (exit, logs) = server.wait(Duration::from_secs(20));
        assert!(exit.success(), "{backend}: {exit:?}\n{}", logs.join("\n"));
        assert!(
            logs.iter().any(|l| l.contains("database closed")),
            "{backend}: no word of the database being closed:\n{}",
            logs.join("\n")
        );

        let server = Server::start(&db);
        let names = organization_names(&server.address, &token);
        assert!(
            names.contains("Started Before Shutdown"),
            "{backend}: {names:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn every_write_acknowledged_before_a_sigkill_is_there_after_a_restart() {
    let work = Workspace::new("sigkill");
    for db in databases(&work) {
        let backend = db.backend();
        let token = admin_token(&db);
        let mut server = Server::start(&db);
        wait_until_healthy(&server.address);

        // Two clients create organizations one after another, each noting the
        // names the server acknowledged, until the server is gone.
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let writers: Vec<_> = (0..2)
            .map(|writer| {
                let address = server.address.clone();
                let (token, acknowledged) = (token.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    for n in 0.. {
                        let name = format!("Written {writer}-{n}");
                        let body = organization(&name);
                        let path = "/api/v1/organizations";
                        match send(&address, "POST", path, &token, &body, "application/json") {
                            Ok(response) if response.status == 201 => {
                                acknowledged.lock().unwrap().push(name);
                            }
                            Ok(response) if response.status == 0 => return,
                            Ok(response) => panic!("{name}: {response:?}"),
                            Err(_) => return,
                        }
                    }
                })
            })
            .collect();

        let deadline = Instant::now() + Duration::from_secs(60);
        while acknowledged.lock().unwrap().len() < 100 {
            assert!(
                Instant::now() < deadline,
                "{backend}: the writes were too slow"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        server.child.kill().expect("SIGKILL the server");
        server.child.wait().unwrap();
        for writer in writers {
            writer.join().expect("a writer ended without panicking");
        }
        let acknowledged = acknowledged.lock().unwrap().clone();

        let server = Server::start(&db);
        let names = organization_names(&server.address, &token);
        let lost: Vec<&String> = acknowledged
            .iter()
            .filter(|n| !names.contains(*n))
            .collect();
        assert!(
            lost.is_empty(),
            "{backend}: {} of {} acknowledged writes lost: {lost:?}",
            lost.len(),
            acknowledged.len()
        );
        eprintln!(
            "{backend}: {} writes acknowledged before SIGKILL, all there after a restart ({} stored)",
            acknowledged.len(),
            names.len()
        );
    }
}
