//! What the lifecycle and backup tests share: the `lodestar` binary run with
//! none of the caller's settings, a temporary data directory or PostgreSQL
//! schema per test, a running server, plain HTTP requests, and reading every
//! table of a database to compare two of them.

#![allow(dead_code)]

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Column, Connection, Row, TypeInfo, ValueRef};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The environment variable naming the test PostgreSQL server.
pub const POSTGRES_ENV: &str = "LODESTAR_TEST_DATABASE_URL";

pub fn unique_name(label: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "lodestar_life_{label}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A `lodestar` command with none of the caller's Lodestar settings.
pub fn lodestar() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lodestar"));
    for var in [
        "LODESTAR_DATA_DIR",
        "LODESTAR_DATABASE_URL",
        "LODESTAR_BIND",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command.stdin(Stdio::null());
    command
}

pub fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The sample plan, in plan-as-code.
pub fn sample_plan() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../services/sample/harbor-falls-it-plan.yaml")
}

/// A temporary directory, removed when dropped.
pub struct Workspace {
    pub dir: PathBuf,
}

impl Workspace {
    pub fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(unique_name(label));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A fresh SQLite database in a data directory of its own.
    pub fn sqlite(&self, name: &str) -> Database {
        let dir = self.path(name);
        Database {
            args: vec!["--data-dir".into(), dir.clone().into()],
            kind: Kind::Sqlite(dir.join("lodestar.db")),
        }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A database for `lodestar` to use, and the options that select it.
pub struct Database {
    pub args: Vec<OsString>,
    kind: Kind,
}

enum Kind {
    Sqlite(PathBuf),
    Postgres { server: String, schema: String },
}

impl Database {
    /// A fresh PostgreSQL schema, when `LODESTAR_TEST_DATABASE_URL` names a server.
    pub fn postgres() -> Option<Self> {
        let server = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
        let schema = unique_name("pg");
        block_on(async {
            let mut conn = sqlx::PgConnection::connect(&server)
                .await
                .expect("connect to the test server");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&mut conn)
                .await
                .unwrap();
        });
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options=-c%20search_path%3D{schema}");
        Some(Self {
            args: vec!["--database-url".into(), url.into()],
            kind: Kind::Postgres { server, schema },
        })
    }

    /// "sqlite" or "postgres", for messages.
    pub fn backend(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite(_) => "sqlite",
            Kind::Postgres { .. } => "postgres",
        }
    }

    /// Runs `lodestar` on this database.
    pub fn run(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
        let mut command = lodestar();
        command.args(&self.args);
        for arg in args {
            command.arg(arg);
        }
        command.output().expect("run lodestar")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Every table (the migration ledger too) as sorted rows, read straight
    /// from the database.
    pub fn dump(&self) -> Dump {
        block_on(async {
            match &self.kind {
                Kind::Sqlite(file) => {
                    let options = SqliteConnectOptions::new().filename(file).read_only(true);
                    let mut conn = sqlx::SqliteConnection::connect_with(&options)
                        .await
                        .unwrap();
                    dump_sqlite(&mut conn).await
                }
                Kind::Postgres { server, schema } => {
                    let options = PgConnectOptions::from_str(server)
                        .unwrap()
                        .options([("search_path", schema.as_str())]);
                    let mut conn = sqlx::PgConnection::connect_with(&options).await.unwrap();
                    dump_postgres(&mut conn).await
                }
            }
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Kind::Postgres { server, schema } = &self.kind {
            block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(server).await {
                    let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                    let _ = sqlx::query(&drop).execute(&mut conn).await;
                }
            });
        }
    }
}

pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// Tables by name, each a sorted list of its rows written out.
pub type Dump = BTreeMap<String, Vec<String>>;

/// The one table a restore does not reproduce: the change mark, which a
/// restore raises on the target rather than copying (docs/operations.md).
const NOT_RESTORED: &str = "change_mark";

async fn dump_sqlite(conn: &mut sqlx::SqliteConnection) -> Dump {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut dump = Dump::new();
    for name in names.into_iter().filter(|n| n != NOT_RESTORED) {
        let rows = sqlx::query(&format!("SELECT * FROM \"{name}\""))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                let values: Vec<String> = (0..row.len())
                    .map(|i| {
                        let column = row.column(i).name().to_owned();
                        let value = match row.try_get_raw(i).unwrap().type_info().name() {
                            "NULL" => "NULL".to_owned(),
                            "INTEGER" => row.get::<i64, _>(i).to_string(),
                            "REAL" => format!("{:?}", row.get::<f64, _>(i)),
                            "BLOB" => format!("{:?}", row.get::<Vec<u8>, _>(i)),
                            _ => format!("{:?}", row.get::<String, _>(i)),
                        };
                        format!("{column}={value}")
                    })
                    .collect();
                values.join(" ")
            })
            .collect();
        lines.sort();
        dump.insert(name, lines);
    }
    dump
}

async fn dump_postgres(conn: &mut sqlx::PgConnection) -> Dump {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut dump = Dump::new();
    for name in names.into_iter().filter(|n| n != NOT_RESTORED) {
        let sql = format!("SELECT to_jsonb(t)::text FROM \"{name}\" t");
        let mut lines: Vec<String> = sqlx::query_scalar(&sql)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        lines.sort();
        dump.insert(name, lines);
    }
    dump
}

/// The same SQLite dump with every RFC 3339 time cut to whole seconds:
/// PostgreSQL keeps microseconds, SQLite the text it was given, so a time that
/// went through PostgreSQL differs below the second and nowhere else.
pub fn to_seconds(dump: &Dump) -> Dump {
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    let cut = |line: &String| -> String {
        line.split(' ')
            .map(|field| match field.split_once('=') {
                Some((column, value)) => {
                    match time::OffsetDateTime::parse(value.trim_matches('"'), rfc3339) {
                        Ok(t) => format!("{column}={}", t.unix_timestamp()),
                        Err(_) => field.to_owned(),
                    }
                }
                None => field.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    dump.iter()
        .map(|(table, rows)| {
            let mut rows: Vec<String> = rows.iter().map(cut).collect();
            rows.sort();
            (table.clone(), rows)
        })
        .collect()
}

/// An API token with the admin scope, made as an operator would: an
/// administrator account (`lodestar user add … --role administrator
/// --password-stdin`), then `lodestar token create --user … --scope admin`,
/// which prints the token on standard output.
pub fn admin_token(db: &Database) -> String {
    let email = "operator@lifecycle.example.gov";
    let mut add = lodestar()
        .args(&db.args)
        .args([
            "user",
            "add",
            email,
            "--name",
            "Operator",
            "--role",
            "administrator",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lodestar user add");
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long and unguessable test password 7\n")
        .unwrap();
    let output = add.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "lodestar user add: {}",
        describe(&output)
    );
    let printed = db.ok(&[
        &"token",
        &"create",
        &"--user",
        &email,
        &"--name",
        &"lifecycle",
        &"--scope",
        &"admin",
    ]);
    let line = printed.lines().rev().find(|l| !l.trim().is_empty());
    let token = line.and_then(|l| l.split_whitespace().last());
    token.expect("a token on standard output").to_owned()
}

/// A running `lodestar serve`, killed when dropped if still running.
pub struct Server {
    pub child: Child,
    pub address: String,
    logs: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `lodestar serve --no-sample` on a free port and waits until it
    /// says where it listens.
    pub fn start(db: &Database) -> Self {
        Self::start_with(db, &["--no-sample"])
    }

    /// Starts `lodestar serve` with these options besides `--bind`.
    pub fn start_with(db: &Database, options: &[&str]) -> Self {
        let mut child = lodestar()
            .args(&db.args)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(options)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lodestar serve");
        let (tx, logs) = mpsc::channel();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        let address = loop {
            match logs.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => {
                    if let Some((_, rest)) = line.split_once("listening on http://") {
                        break rest.split_whitespace().next().unwrap().to_owned();
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "the server did not say where it listens:\n{}",
                        seen.join("\n")
                    );
                }
            }
        };
        Self {
            child,
            address,
            logs,
        }
    }

    /// Sends SIGTERM, as service managers do.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    /// Waits for the process to end; its exit status and everything it logged.
    pub fn wait(&mut self, within: Duration) -> (ExitStatus, Vec<String>) {
        let deadline = Instant::now() + within;
        let exit = loop {
            if let Some(exit) = self.child.try_wait().expect("wait for the server") {
                break exit;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop within {within:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The log reader may still be passing on the last lines.
        std::thread::sleep(Duration::from_millis(50));
        (exit, self.logs.try_iter().collect())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response: its status code and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// An HTTP/1.1 request's head, with the token (none if empty) and `Connection: close`.
pub fn request_head(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &[u8],
    content_type: &str,
) -> String {
    let authorization = match token {
        "" => String::new(),
        token => format!("Authorization: Bearer {token}\r\n"),
    };
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{authorization}\
         Accept: application/json\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
}

/// Reads a response to the end of the connection.
pub fn read_response(stream: &mut TcpStream) -> std::io::Result<Response> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok(Response { status, body })
}

/// Sends one request on a new connection and reads the response.
pub fn send(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &[u8],
    content_type: &str,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(address)?;
    let head = request_head(address, method, path, token, body, content_type);
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    read_response(&mut stream)
}

/// Waits until `GET /healthz` answers 200.
pub fn wait_until_healthy(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Response { status: 200, .. }) =
            send(address, "GET", "/healthz", "", b"", "text/plain")
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server never answered /healthz"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
