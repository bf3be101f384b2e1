//! What the CLI tests share: the `lodestar` binary run with none of the
//! caller's settings, a temporary workspace, a SQLite data directory or a
//! fresh PostgreSQL schema, and a running server.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(crate) const SAMPLE_KEY: &str = "harbor-falls-it-2025";

pub(crate) fn sample_plan() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../services/sample/harbor-falls-it-plan.yaml")
}

pub(crate) fn unique_name(label: &str) -> String {
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
pub(crate) fn lodestar() -> Command {
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
pub(crate) struct Workspace {
    pub(crate) dir: PathBuf,
}

impl Workspace {
    pub(crate) fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(unique_name(label));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        Self { dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub(crate) fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).expect("write a test file");
        path
    }

    /// A fresh SQLite database in a data directory of its own.
    pub(crate) fn sqlite(&self, name: &str) -> Database {
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
pub(crate) struct Database {
    pub(crate) args: Vec<OsString>,
    pub(crate) _schema: Option<postgres::Schema>,
}

impl Database {
    /// A fresh PostgreSQL schema, when `LODESTAR_TEST_DATABASE_URL` names a server.
    pub(crate) fn postgres() -> Option<Self> {
        let schema = postgres::Schema::create()?;
        Some(Self {
            args: vec!["--database-url".into(), schema.url().into()],
            _schema: Some(schema),
        })
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        lodestar()
            .args(&self.args)
            .args(args)
            .output()
            .expect("run lodestar")
    }

    pub(crate) fn run_with(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
        let mut command = lodestar();
        command.args(&self.args);
        for arg in args {
            command.arg(arg);
        }
        command.output().expect("run lodestar")
    }

    /// Runs a command that must succeed; returns its standard output.
    pub(crate) fn ok(&self, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
        let output = self.run_with(args);
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }
}

pub(crate) fn describe(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Imports `file`, exports the plan it became to `out`, and returns the bytes.
pub(crate) fn import_then_export(db: &Database, file: &Path, out: &Path) -> Vec<u8> {
    let imported = db.ok(&[&"import", &file]);
    assert!(imported.starts_with("Imported plan "), "{imported}");
    assert!(imported.contains(SAMPLE_KEY), "{imported}");
    db.ok(&[&"export", &SAMPLE_KEY, &"--format", &"yaml", &"-o", &out]);
    std::fs::read(out).expect("read the export")
}

/// A running `lodestar serve`, stopped when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) address: String,
    pub(crate) logs: mpsc::Receiver<String>,
    /// Sent as `Authorization: Bearer …` when set.
    pub(crate) token: Option<String>,
}

impl Server {
    pub(crate) fn start(db: &Database) -> Self {
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
    pub(crate) fn get(&self, path: &str) -> std::io::Result<(u16, String)> {
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
    pub(crate) fn wait_for_ok(&self, path: &str) -> String {
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
    pub(crate) fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
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

/// Fresh PostgreSQL schemas for the CLI to use through `--database-url`.
pub(crate) mod postgres {
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

    pub(crate) fn execute(url: &str, sql: &str) {
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
