//! The `lodestar` binary, run as a user would run it, each test in a fresh
//! data directory (and, when `LODESTAR_TEST_DATABASE_URL` names a PostgreSQL
//! server, also against a fresh schema there).

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SAMPLE_KEY: &str = "harbor-falls-it-2025";

fn sample_plan() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../services/sample/harbor-falls-it-plan.yaml")
}

fn unique_name(label: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "lodestar_cli_{label}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A `lodestar` command with none of the caller's Lodestar settings.
fn lodestar() -> Command {
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

/// A temporary directory for data and files, removed when dropped.
struct Workspace {
    dir: PathBuf,
}

impl Workspace {
    fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(unique_name(label));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).expect("write a test file");
        path
    }

    /// A fresh SQLite database in a data directory of its own.
    fn sqlite(&self, name: &str) -> Database {
        Database {
            args: vec!["--data-dir".into(), self.path(name).into()],
            _schema: None,
        }
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where a command's data lives: the options that select it.
struct Database {
    args: Vec<OsString>,
    _schema: Option<postgres::Schema>,
}

impl Database {
    /// A fresh PostgreSQL schema, when `LODESTAR_TEST_DATABASE_URL` names a server.
    fn postgres() -> Option<Self> {
        let schema = postgres::Schema::create()?;
        Some(Self {
            args: vec!["--database-url".into(), schema.url().into()],
            _schema: Some(schema),
        })
    }

    fn run(&self, args: &[&str]) -> Output {
        lodestar()
            .args(&self.args)
            .args(args)
            .output()
            .expect("run lodestar")
    }

    fn run_with(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
        let mut command = lodestar();
        command.args(&self.args);
        for arg in args {
            command.arg(arg);
        }
        command.output().expect("run lodestar")
    }

    /// Runs a command that must succeed; returns its standard output.
    fn ok(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
        let output = self.run_with(args);
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Imports `file`, exports the plan it became to `out`, and returns the bytes.
fn import_then_export(db: &Database, file: &Path, out: &Path) -> Vec<u8> {
    let imported = db.ok(&[&"import", &file]);
    assert!(imported.starts_with("Imported plan "), "{imported}");
    assert!(imported.contains(SAMPLE_KEY), "{imported}");
    db.ok(&[&"export", &SAMPLE_KEY, &"--format", &"yaml", &"-o", &out]);
    std::fs::read(out).expect("read the export")
}

#[test]
fn an_imported_plan_is_listed_and_exports_byte_for_byte_the_same_after_a_round_trip() {
    let work = Workspace::new("round_trip");
    let first = work.sqlite("first");
    let exported = import_then_export(&first, &sample_plan(), &work.path("first.yaml"));

    let listing = first.ok(&[&"plans"]);
    let row = listing
        .lines()
        .find(|line| line.contains(SAMPLE_KEY))
        .unwrap_or_else(|| panic!("no row for the plan in:\n{listing}"));
    assert!(row.contains("active") && row.contains("2025-2029"), "{row}");
    assert!(listing.starts_with("ID "), "{listing}");

    let second = work.sqlite("second");
    let again = import_then_export(&second, &work.path("first.yaml"), &work.path("second.yaml"));
    assert!(
        exported == again,
        "the second export differs from the first"
    );

    let to_stdout = first.ok(&[&"export", &SAMPLE_KEY]);
    assert_eq!(to_stdout.as_bytes(), exported.as_slice());
}

#[test]
fn a_plan_moves_between_sqlite_and_postgresql_unchanged() {
    let Some(postgres) = Database::postgres() else {
        eprintln!("notice: LODESTAR_TEST_DATABASE_URL is not set; skipped the PostgreSQL CLI test");
        return;
    };
    let work = Workspace::new("postgres");
    let sqlite = work.sqlite("data");
    let from_sqlite = import_then_export(&sqlite, &sample_plan(), &work.path("sqlite.yaml"));
    let from_postgres =
        import_then_export(&postgres, &work.path("sqlite.yaml"), &work.path("pg.yaml"));
    assert!(
        from_sqlite == from_postgres,
        "PostgreSQL exported other bytes"
    );
    assert!(postgres.ok(&[&"plans"]).contains(SAMPLE_KEY));
}

#[test]
fn json_exports_import_like_yaml_and_standard_input_works() {
    let work = Workspace::new("json");
    let first = work.sqlite("first");
    first.ok(&[&"import", &sample_plan()]);
    let json = work.path("plan.json");
    first.ok(&[&"export", &"1", &"-o", &json]);
    assert!(std::fs::read_to_string(&json).unwrap().starts_with('{'));

    let second = work.sqlite("second");
    let mut child = lodestar()
        .args(&second.args)
        .args(["import", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lodestar");
    let text = std::fs::read(&json).unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    assert!(second.ok(&[&"plans"]).contains(SAMPLE_KEY));
}

#[test]
fn malformed_yaml_is_reported_at_its_line_and_column_and_nothing_is_imported() {
    let work = Workspace::new("broken");
    let db = work.sqlite("data");
    let file = work.write(
        "broken.yaml",
        b"format: lodestar-plan/1\nkey: broken\ntitle: [unclosed\nperiod: {start_year: 2025\n",
    );
    let output = db.run_with(&[&"import", &file]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    let prefix = format!("{}:", file.display());
    let location = err
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix} in:\n{err}"));
    let mut parts = location.splitn(3, ':');
    let line: u64 = parts.next().unwrap().parse().expect("a line number");
    let column: u64 = parts.next().unwrap().parse().expect("a column number");
    assert!(line >= 3 && column >= 1, "{err}");
    assert!(err.contains("error: "), "{err}");

    let listing = db.ok(&[&"plans"]);
    assert!(listing.starts_with("No plans"), "{listing}");
}

#[test]
fn every_problem_in_an_invalid_document_is_listed_with_its_field() {
    let work = Workspace::new("invalid");
    let db = work.sqlite("data");
    let file = work.write(
        "refs.yaml",
        concat!(
            "organization: {name: Test City}\n",
            "key: refs\n",
            "title: Refs\n",
            "period: {start_year: 2025, end_year: 2026}\n",
            "people:\n",
            "  - name: Ann\n",
            "    department: Nowhere\n",
            "  - name: Bo\n",
            "    department: Elsewhere\n",
        )
        .as_bytes(),
    );
    let output = db.run_with(&[&"import", &file]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    for field in ["people[0].department: ", "people[1].department: "] {
        let expected = format!("{}: {field}", file.display());
        assert!(
            err.lines().any(|l| l.starts_with(&expected)),
            "no line {expected} in:\n{err}"
        );
    }
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn missing_and_non_utf8_files_are_named_in_the_error() {
    let work = Workspace::new("files");
    let db = work.sqlite("data");
    let missing = work.path("missing.yaml");
    let output = db.run_with(&[&"import", &missing]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).starts_with(&format!("error: cannot read {}", missing.display())),
        "{}",
        describe(&output)
    );

    let latin1 = work.write("latin1.yaml", b"title: Caf\xe9\n");
    let output = db.run_with(&[&"import", &latin1]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains(&format!("{} is not UTF-8", latin1.display())),
        "{}",
        describe(&output)
    );
}

#[test]
fn exporting_an_unknown_plan_fails_with_not_found() {
    let work = Workspace::new("unknown");
    let output = work.sqlite("data").run(&["export", "nope"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_eq!(stderr(&output).trim_end(), "error: plan nope not found");
    assert!(output.stdout.is_empty());
}

#[test]
fn usage_errors_exit_with_two() {
    let output = lodestar().args(["export"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
}

#[test]
fn help_says_what_lodestar_and_each_command_do() {
    let help = |args: &[&str]| {
        let output = lodestar().args(args).output().unwrap();
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in [
        "strategic plan",
        "serve",
        "plans",
        "import",
        "export",
        "--data-dir",
        "--database-url",
    ] {
        assert!(top.contains(word), "{word:?} missing from:\n{top}");
    }
    let serve = help(&["serve", "--help"]);
    for word in [
        "--bind",
        "--no-sample",
        "sample plan",
        "SIGTERM",
        "LODESTAR_BIND",
    ] {
        assert!(serve.contains(word), "{word:?} missing from:\n{serve}");
    }
    assert!(help(&["import", "--help"]).contains("every problem"));
    assert!(help(&["export", "--help"]).contains("--format"));
}

#[test]
fn the_database_password_never_appears_in_help_or_errors() {
    let output = lodestar()
        .env("LODESTAR_DATABASE_URL", "mysql://app:hunter2@db/lodestar")
        .args(["plans"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        !stderr(&output).contains("hunter2"),
        "{}",
        describe(&output)
    );

    let output = lodestar()
        .env(
            "LODESTAR_DATABASE_URL",
            "postgres://app:hunter2@db/lodestar",
        )
        .args(["--help"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

/// A running `lodestar serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    logs: mpsc::Receiver<String>,
    /// Sent as `Authorization: Bearer …` when set.
    token: Option<String>,
}

impl Server {
    fn start(db: &Database) -> Self {
        let mut child = lodestar()
            .args(&db.args)
            .args(["serve", "--bind", "127.0.0.1:0"])
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
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        let address = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match logs.recv_timeout(left) {
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
            token: None,
        }
    }

    /// GETs `path` over HTTP/1.0: the status code and body.
    fn get(&self, path: &str) -> std::io::Result<(u16, String)> {
        let mut stream = TcpStream::connect(&self.address)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let authorization = self
            .token
            .as_ref()
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\nAccept: application/json\r\n{authorization}\r\n",
            self.address
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, body)| body)
            .to_owned();
        Ok((status, body))
    }

    /// Waits until `path` answers 200, polling briefly; panics after 20 s.
    fn wait_for_ok(&self, path: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let last = self.get(path);
            if let Ok((200, body)) = &last {
                return body.clone();
            }
            assert!(
                Instant::now() < deadline,
                "GET {path} never answered 200; last: {last:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Asks the server to stop as a service manager would, and waits for it.
    #[cfg(unix)]
    fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().expect("wait for the server") {
                break exit;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let logs = self.logs.try_iter().collect();
        (exit, logs)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_loads_the_sample_plan_answers_health_checks_and_serves_the_api() {
    let work = Workspace::new("serve");
    let db = work.sqlite("data");
    let mut server = Server::start(&db);
    server.wait_for_ok("/healthz");
    let (status, _) = server.get("/api/v1/plans").unwrap();
    assert_eq!(status, 401, "the API needs credentials");

    // The first administrator of a fresh installation, and a token for a script.
    let added = lodestar()
        .args(&db.args)
        .args([
            "user",
            "add",
            "cio@harborfalls.example",
            "--name",
            "Dana Okafor",
            "--role",
            "administrator",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&added.stdout);
    assert!(
        added.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        said.contains("Password: "),
        "a made password is shown once: {said}"
    );
    let token = lodestar()
        .args(&db.args)
        .args([
            "token",
            "create",
            "--user",
            "cio@harborfalls.example",
            "--name",
            "ci",
            "--scope",
            "read",
        ])
        .output()
        .unwrap();
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    server.token = Some(String::from_utf8(token.stdout).unwrap().trim().to_owned());
    let plans = server.wait_for_ok("/api/v1/plans");
    assert!(plans.contains(SAMPLE_KEY), "{plans}");

    #[cfg(unix)]
    {
        let (exit, logs) = server.terminate();
        assert!(exit.success(), "{exit:?}\n{}", logs.join("\n"));
    }
}

/// Fresh PostgreSQL schemas for the CLI to use through `--database-url`.
mod postgres {
    use sqlx::Connection;

    /// The environment variable naming the test server.
    const ENV: &str = "LODESTAR_TEST_DATABASE_URL";

    /// A schema of its own on the test server, dropped when this is dropped.
    pub struct Schema {
        server: String,
        name: String,
    }

    impl Schema {
        /// A new empty schema, or `None` when no server is configured.
        pub fn create() -> Option<Self> {
            let server = std::env::var(ENV).ok().filter(|url| !url.is_empty())?;
            let name = super::unique_name("pg");
            execute(&server, &format!("CREATE SCHEMA {name}"));
            Some(Self { server, name })
        }

        /// A URL whose connections use only this schema.
        pub fn url(&self) -> String {
            let separator = if self.server.contains('?') { '&' } else { '?' };
            format!(
                "{}{separator}options=-c%20search_path%3D{}",
                self.server, self.name
            )
        }
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            execute(
                &self.server,
                &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            );
        }
    }

    fn execute(url: &str, sql: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let mut conn = sqlx::PgConnection::connect(url)
                .await
                .unwrap_or_else(|e| panic!("connect to {ENV}: {e}"));
            sqlx::query(sql)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            let _ = conn.close().await;
        });
    }
}

/// A small plan with a measured objective and a monthly initiative that
/// started long ago and never had a check-in.
const SMALL_PLAN: &str = r#"format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2029 }
status: active
levels: [Goal, Objective]
people:
  - { name: Ada Owner, email: ada@testwick.example.gov }
  - { name: Ben Owner, email: ben@testwick.example.gov }
nodes:
  - code: "1"
    title: Reliable services
    children:
      - code: "1.1"
        title: Keep the portal up
        owner: Ada Owner
        measures:
          - key: uptime
            name: Portal uptime
            unit: "%"
            direction: higher-is-better
            frequency: monthly
            targets: [{ period: "2026", value: 95 }]
          - key: tickets
            name: Tickets opened
            direction: lower-is-better
            frequency: monthly
      - code: "1.2"
        title: Retire the mainframe
        owner: Ben Owner
        cadence: monthly
        start_date: "2025-01-01"
"#;

const SMALL_KEY: &str = "testwick-it";

/// A fresh database holding [`SMALL_PLAN`].
fn small_plan(work: &Workspace) -> Database {
    let db = work.sqlite("data");
    let file = work.write("plan.yaml", SMALL_PLAN.as_bytes());
    let imported = db.ok(&[&"import", &file]);
    assert!(imported.contains(SMALL_KEY), "{imported}");
    db
}

/// The line of a text status report that shows the node with `code`.
fn status_line(report: &str, code: &str) -> String {
    let prefix = format!("{code} ");
    report
        .lines()
        .find(|line| line.trim_start().starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {code} in:\n{report}"))
        .to_owned()
}

#[test]
fn a_checkin_is_filed_and_the_status_report_shows_it() {
    let work = Workspace::new("checkin");
    let db = small_plan(&work);
    let before = db.ok(&[&"status", &SMALL_KEY]);
    assert!(
        before.starts_with("Plan testwick-it: Testwick IT Plan\n"),
        "{before}"
    );
    assert!(
        status_line(&before, "1.2").contains("not-started"),
        "{before}"
    );
    assert!(
        status_line(&before, "1.1").starts_with("  1.1 Keep the portal up"),
        "the outline is indented by depth:\n{before}"
    );

    let filed = db.ok(&[
        &"checkin",
        &"testwick-it:1.2",
        &"--status",
        &"at-risk",
        &"--percent",
        &"40",
        &"--note",
        &"The vendor slipped",
        &"--help-needed",
        &"A decision on the contract",
    ]);
    assert!(
        filed.starts_with("Checked in on 1.2 \"Retire the mainframe\": at-risk, 40% (check-in "),
        "{filed}"
    );

    let after = db.ok(&[&"status", &SMALL_KEY]);
    let line = status_line(&after, "1.2");
    assert!(line.contains("at-risk") && line.contains("40%"), "{after}");
    let summary = after.lines().last().unwrap();
    assert!(summary.starts_with("Summary: 3 nodes: "), "{after}");
    assert!(summary.contains("at-risk"), "{after}");

    let json: serde_json::Value =
        serde_json::from_str(&db.ok(&[&"status", &SMALL_KEY, &"--format", &"json"]))
            .expect("status --format json is JSON");
    let node = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"]["code"] == "1.2")
        .unwrap_or_else(|| panic!("no node 1.2 in {json}"));
    assert_eq!(node["status"]["status"], "at-risk", "{json}");
    assert_eq!(node["depth"], 1, "{json}");
    assert_eq!(json["plan"]["key"], SMALL_KEY, "{json}");

    // The other ways to name the node and the author.
    let filed = db.ok(&[
        &"checkin",
        &"1.2",
        &"--plan",
        &SMALL_KEY,
        &"--status",
        &"On Track",
        &"--author",
        &"ada owner",
    ]);
    assert!(filed.contains(": on-track (check-in "), "{filed}");
    let id = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"]["code"] == "1.1")
        .unwrap()["node"]["id"]
        .to_string();
    let filed = db.ok(&[&"checkin", &id, &"--status", &"completed"]);
    assert!(
        filed.starts_with("Checked in on 1.1 \"Keep the portal up\": completed, 100% "),
        "{filed}"
    );
}

#[test]
fn a_wrong_checkin_names_the_option_and_stores_nothing() {
    let work = Workspace::new("bad_checkin");
    let db = small_plan(&work);
    let before = db.ok(&[&"status", &SMALL_KEY]);
    let cases: [(&[&str], &str); 7] = [
        (
            &["testwick-it:1.2", "--status", "at-risk", "--percent", "140"],
            "--percent",
        ),
        (&["testwick-it:1.2", "--status", "late"], "--status"),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--date",
                "2026-02-30",
            ],
            "--date",
        ),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--date",
                "2199-01-01",
            ],
            "--date",
        ),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--author",
                "Nobody",
            ],
            "no person named \"Nobody\" in Town of Testwick",
        ),
        (
            &["testwick-it:9.9", "--status", "on-track"],
            "has no node with code 9.9",
        ),
        (&["1.2", "--status", "on-track"], "--plan"),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["checkin"];
        argv.extend_from_slice(args);
        let output = db.run(&argv);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{argv:?}\n{}",
            describe(&output)
        );
        let err = stderr(&output);
        assert!(err.starts_with("error: "), "{argv:?}\n{err}");
        assert!(
            err.contains(expected),
            "{argv:?}: {expected:?} missing from\n{err}"
        );
        assert!(output.stdout.is_empty(), "{argv:?}\n{}", describe(&output));
    }
    assert_eq!(
        db.ok(&[&"status", &SMALL_KEY]),
        before,
        "a refused check-in changed the status"
    );
    assert!(
        db.ok(&[&"overdue"]).contains("never"),
        "a refused check-in was stored"
    );

    let output = db.run(&[
        "checkin",
        "testwick-it:1.2",
        "--status",
        "on-track",
        "--percent",
        "lots",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("--percent"),
        "{}",
        describe(&output)
    );
}

#[test]
fn measure_values_are_imported_from_csv_once_and_all_or_nothing() {
    let work = Workspace::new("measures");
    let db = small_plan(&work);
    let good = work.write(
        "values.csv",
        b"measure,period,value\nuptime,2026-01,99.5\nuptime,2026-02,97\ntickets,2026-02,120\n",
    );
    let first = db.ok(&[&"measures", &"import", &good, &"--plan", &SMALL_KEY]);
    assert_eq!(
        first,
        format!("{}: 3 inserted, 0 updated, 0 unchanged\n", good.display())
    );
    let again = db.ok(&[&"measures", &"import", &good, &"--plan", &SMALL_KEY]);
    assert_eq!(
        again,
        format!("{}: 0 inserted, 0 updated, 3 unchanged\n", good.display())
    );

    let report = db.ok(&[&"status", &SMALL_KEY]);
    let uptime = report
        .lines()
        .find(|l| l.starts_with("uptime "))
        .unwrap_or_else(|| panic!("no uptime row in:\n{report}"));
    assert!(
        uptime.contains("2026-02") && uptime.contains("97%"),
        "{report}"
    );
    assert!(report.contains("Portal uptime"), "{report}");

    let bad = work.write(
        "bad.csv",
        b"measure,period,value\nuptime,2026-03,98\nuptime,2026-04,9 7\nuptme,2026-04,1\n",
    );
    let output = db.run_with(&[&"measures", &"import", &bad, &"--plan", &SMALL_KEY]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    for place in ["row 3 column value: ", "row 4 column measure: "] {
        let expected = format!("{}: {place}", bad.display());
        assert!(
            err.lines().any(|l| l.starts_with(&expected)),
            "no line {expected} in:\n{err}"
        );
    }
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with(&format!("error: {}", bad.display()))
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(output.stdout.is_empty(), "{}", describe(&output));

    // Row 2 of the refused file was good, yet it was not stored.
    let mut child = lodestar()
        .args(&db.args)
        .args(["measures", "import", "-", "--plan", SMALL_KEY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lodestar");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"measure,period,value\nuptime,2026-03,98\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "<stdin>: 1 inserted, 0 updated, 0 unchanged\n"
    );
}

#[test]
fn overdue_lists_a_node_that_never_checked_in_until_it_does() {
    let work = Workspace::new("overdue");
    let db = small_plan(&work);
    for args in [&["overdue"][..], &["overdue", "--plan", SMALL_KEY]] {
        let listing = db.run(args);
        assert!(listing.status.success(), "{}", describe(&listing));
        let listing = String::from_utf8(listing.stdout).unwrap();
        let mut lines = listing.lines();
        let heading = lines.next().unwrap();
        assert!(
            heading.starts_with("DAYS  PLAN") && heading.ends_with("LAST CHECK-IN"),
            "{listing}"
        );
        let row = lines
            .next()
            .unwrap_or_else(|| panic!("no row in:\n{listing}"));
        for cell in [
            SMALL_KEY,
            "1.2",
            "Retire the mainframe",
            "Ben Owner",
            "ben@testwick.example.gov",
            "never",
        ] {
            assert!(row.contains(cell), "{cell:?} missing from:\n{listing}");
        }
        let days: i64 = row
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .expect("days first");
        assert!(days > 0, "{listing}");
        assert_eq!(lines.next(), None, "only 1.2 has a cadence:\n{listing}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&db.ok(&[&"overdue", &"--format", &"json"])).unwrap();
    assert_eq!(json[0]["code"], "1.2", "{json}");
    assert_eq!(json[0]["last_checkin"], serde_json::Value::Null, "{json}");

    db.ok(&[&"checkin", &"testwick-it:1.2", &"--status", &"on-track"]);
    assert_eq!(db.ok(&[&"overdue"]), "No updates are overdue.\n");
    assert_eq!(db.ok(&[&"overdue", &"--format", &"json"]).trim(), "[]");

    let output = db.run(&["overdue", "--plan", "nope"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_eq!(stderr(&output).trim_end(), "error: plan nope not found");
}

#[test]
fn help_describes_the_execution_commands() {
    let help = |args: &[&str]| {
        let output = lodestar().args(args).output().unwrap();
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in ["checkin", "measures", "status", "overdue"] {
        assert!(top.contains(word), "{word:?} missing from:\n{top}");
    }
    let checkin = help(&["checkin", "--help"]);
    for word in [
        "PLAN:CODE",
        "--status",
        "--percent",
        "--note",
        "--help-needed",
        "--author",
        "--date",
        "--plan",
    ] {
        assert!(checkin.contains(word), "{word:?} missing from:\n{checkin}");
    }
    let import = help(&["measures", "import", "--help"]);
    for word in ["--plan", "row and column", "unchanged"] {
        assert!(import.contains(word), "{word:?} missing from:\n{import}");
    }
    assert!(help(&["status", "--help"]).contains("--format"));
    assert!(help(&["overdue", "--help"]).contains("cadence"));
}

/// A small plan in plain text, as a PDF's text might read; it names no
/// organization, so its draft has a warning about that. The tests that read
/// it need the importer's text reader.
const TEXT_PLAN: &str = "Harbor Falls IT Plan 2026-2030\n\nGOAL 1: Residents first\n\
                         Objective 1.1: Open data\nObjective 1.2: One resident account\n\
                         GOAL 2: Reliable systems\nObjective 2.1: Replace the permit system\n";

/// The output of a dry run in JSON.
fn dry_run_json(db: &Database, file: &Path) -> (String, serde_json::Value) {
    let text = db.ok(&[&"import", &file, &"--dry-run", &"--format", &"json"]);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, value)
}

#[test]
fn a_dry_run_prints_the_plan_and_its_warnings_as_json_and_stores_nothing() {
    let work = Workspace::new("dry_json");
    let db = work.sqlite("data");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    let (text, plan) = dry_run_json(&db, &file);
    assert_eq!(plan["format"], "lodestar-plan/1", "{text}");
    assert_eq!(plan["status"], "draft");
    let goals = plan["nodes"].as_array().expect("top-level nodes");
    assert_eq!(goals.len(), 2, "{text}");
    assert_eq!(goals[0]["children"][1]["title"], "One resident account");
    let warnings = plan["warnings"].as_array().expect("top-level warnings");
    assert!(
        warnings.iter().any(|w| w["line"].is_null()
            && w["message"].as_str().unwrap().contains("organization")),
        "{text}"
    );
    assert!(
        text.find("\"nodes\"") < text.find("\"warnings\""),
        "the document's fields come first:\n{text}"
    );
    assert!(
        !work.path("data").exists(),
        "a dry run does not even open the database"
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn a_dry_run_in_text_is_an_outline_with_the_warnings_in_place() {
    let work = Workspace::new("dry_text");
    let db = work.sqlite("data");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    let outline = db.ok(&[&"import", &file, &"--dry-run", &"--key", &"hf-2026"]);
    let lines: Vec<&str> = outline.lines().collect();
    assert!(lines[0].contains("(hf-2026)"), "{outline}");
    let at = |wanted: &str| {
        lines
            .iter()
            .position(|l| *l == wanted)
            .unwrap_or_else(|| panic!("no line {wanted:?} in:\n{outline}"))
    };
    let general = lines
        .iter()
        .position(|l| l.starts_with("warning: ") && l.contains("organization"))
        .unwrap_or_else(|| panic!("no warning about the organization in:\n{outline}"));
    assert!(general < at("1 Residents first"), "{outline}");
    assert!(at("1 Residents first") < at("  1.1 Open data"));
    assert!(at("  1.2 One resident account") < at("2 Reliable systems"));
    let (_, plan) = dry_run_json(&db, &file);
    for w in plan["warnings"].as_array().unwrap() {
        let message = w["message"].as_str().unwrap();
        assert!(
            outline.contains(message),
            "{message:?} missing from:\n{outline}"
        );
    }
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("nothing was stored (dry run)")
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn an_imported_document_becomes_a_draft_plan_that_keeps_its_warnings() {
    let work = Workspace::new("import_text");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    for db in std::iter::once(work.sqlite("data")).chain(Database::postgres()) {
        let (_, preview) = dry_run_json(&db, &file);
        let imported = db.ok(&[
            &"import",
            &file,
            &"--key",
            &"hf-2026",
            &"--organization",
            &"City of Harbor Falls",
        ]);
        let mut lines = imported.lines();
        let first = lines.next().unwrap();
        assert!(
            first.starts_with("Imported plan ")
                && first.contains(" hf-2026: ")
                && first.ends_with("(5 nodes)"),
            "{imported}"
        );
        let expected: Vec<&serde_json::Value> = preview["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| !w["message"].as_str().unwrap().contains("organization"))
            .collect();
        if !expected.is_empty() {
            assert!(
                lines
                    .next()
                    .unwrap()
                    .contains("lodestar import-warnings hf-2026"),
                "{imported}"
            );
        }
        let listing = db.ok(&[&"plans"]);
        let row = listing.lines().find(|l| l.contains("hf-2026")).unwrap();
        assert!(row.contains("draft"), "{listing}");

        let kept = db.ok(&[&"import-warnings", &"hf-2026", &"--format", &"json"]);
        let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
        assert_eq!(
            kept.as_array().unwrap().iter().collect::<Vec<_>>(),
            expected,
            "the warnings of the import, less the one the organization option answers"
        );
        let text = db.ok(&[&"import-warnings", &"hf-2026"]);
        if expected.is_empty() {
            assert!(text.contains("no import warnings"), "{text}");
        } else {
            assert_eq!(text.lines().count(), expected.len(), "{text}");
        }

        let again = db.run_with(&[&"import", &file, &"--key", &"hf-2026"]);
        assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
        assert!(
            stderr(&again).contains("already exists"),
            "{}",
            describe(&again)
        );
    }
}

#[test]
fn an_unreadable_file_is_refused_naming_it_and_nothing_is_stored() {
    let work = Workspace::new("unreadable");
    let db = work.sqlite("data");
    let binary = work.write("plan.bin", b"\x00\x01\x02\x03\xff\xfe binary");
    let output = db.run_with(&[&"import", &binary]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let expected = format!("error: {}: unrecognized document format", binary.display());
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        describe(&output)
    );

    let empty = work.write("empty.txt", b"\n\n");
    let output = db.run_with(&[&"import", &empty, &"--dry-run"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains("the document is empty"),
        "{}",
        describe(&output)
    );

    let output = db.run_with(&[&"import", &binary, &"--key", &"Bad Key"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).starts_with("error: --key: "),
        "{}",
        describe(&output)
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn a_plan_as_code_dry_run_is_its_json_export_with_no_warnings() {
    let work = Workspace::new("dry_code");
    let db = work.sqlite("data");
    db.ok(&[&"import", &sample_plan()]);
    let exported = work.path("plan.json");
    db.ok(&[&"export", &SAMPLE_KEY, &"-o", &exported]);
    let exported = std::fs::read_to_string(&exported).unwrap();

    let (text, mut preview) = dry_run_json(&db, &work.path("plan.json"));
    let fields = exported.trim_end().strip_suffix('}').unwrap().trim_end();
    assert!(
        text.starts_with(fields),
        "the export's text, then the warnings:\n{text}"
    );
    assert_eq!(preview["warnings"], serde_json::json!([]));
    preview.as_object_mut().unwrap().remove("warnings");
    let exported: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(preview, exported);
    let warnings = db.ok(&[&"import-warnings", &SAMPLE_KEY]);
    assert!(warnings.contains("no import warnings"), "{warnings}");
}

#[test]
fn a_plan_exports_as_stratml_part_2_or_part_1_and_imports_back() {
    let work = Workspace::new("stratml");
    let db = work.sqlite("db");
    db.ok(&[&"import", &sample_plan()]);
    let part2 = db.ok(&[&"export", &SAMPLE_KEY, &"--format", &"stratml"]);
    assert!(part2.contains("<PerformancePlanOrReport "), "{part2}");
    assert!(part2.contains("<PerformanceIndicator "));
    let out = work.path("plan.xml");
    let said = db.ok(&[&"export", &SAMPLE_KEY, &"--stratml-part", &"1", &"-o", &out]);
    assert!(said.starts_with("Exported plan "), "{said}");
    let part1 = std::fs::read_to_string(&out).expect("read the export");
    assert!(part1.contains("<StrategicPlan ") && !part1.contains("PerformanceIndicator"));

    let other = work.sqlite("other");
    let imported = other.ok(&[&"import", &out]);
    assert!(imported.starts_with("Imported plan "), "{imported}");
}
