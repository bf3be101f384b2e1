//! A real browser for the tests: Debian's Chromium driven through
//! chromedriver (a child process on a free port, killed on drop) with a fresh
//! profile, signed in to the in-process server as an administrator. Elements
//! are found the way a person finds them: by visible text, label and role.

use crate::common::Server;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The administrator the browser signs in as.
pub const EMAIL: &str = "browser@tests.example";
/// That administrator's password.
pub const PASSWORD: &str = "correct horse battery staple";
/// How long to wait for something to appear before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// One server per backend with the whole sample: the plan, its measures'
/// values and check-ins dated relative to today, as `lodestar serve` shows it.
pub async fn sample_servers() -> Vec<Server> {
    let servers = Server::all(false).await;
    for s in &servers {
        s.app.load_sample_if_empty().await.unwrap();
    }
    servers
}

/// The whole sample on SQLite only.
pub async fn sample_sqlite() -> Server {
    let s = Server::sqlite(false).await;
    s.app.load_sample_if_empty().await.unwrap();
    s
}

/// The folder with the browser tests' npm package (axe-core).
pub fn npm_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Where axe-core's script is once `npm ci` has run in [`npm_dir`].
pub fn axe_path() -> PathBuf {
    npm_dir().join("node_modules/axe-core/axe.min.js")
}

/// The first `name` on PATH that is a file.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Chromium, chromedriver and axe-core, or what is missing and how to get it.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let mut missing = Vec::new();
    let chromium = on_path("chromium");
    let driver = on_path("chromedriver");
    if chromium.is_none() {
        missing.push("chromium (apt-get install chromium)");
    }
    if driver.is_none() {
        missing.push("chromedriver (apt-get install chromium-driver)");
    }
    if !axe_path().is_file() {
        missing.push("axe-core (npm ci in crates/http/tests/browser)");
    }
    match (chromium, driver) {
        (Some(c), Some(d)) if missing.is_empty() => Ok((c, d)),
        _ => Err(missing.join(", ")),
    }
}

/// A signed-in browser on a [`Server`].
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    /// The server's base URL.
    pub base: String,
    _driver: Driver,
}

/// chromedriver, in a process group of its own (Chromium joins it), and the
/// fresh profile it starts Chromium with: both gone on drop.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl Browser {
    /// A browser signed in to `server` as a new administrator, or `None`
    /// (with a notice) when Chromium, chromedriver or axe-core is missing,
    /// unless `LODESTAR_REQUIRE_BROWSER=1`, when that fails the test.
    pub async fn start(server: &Server) -> Option<Self> {
        let (chromium, driver) = match tools() {
            Ok(found) => found,
            Err(missing) => {
                let how = "(.ci/run installs them)";
                if std::env::var("LODESTAR_REQUIRE_BROWSER").as_deref() == Ok("1") {
                    panic!("LODESTAR_REQUIRE_BROWSER=1 but the browser tests miss {missing} {how}");
                }
                eprintln!(
                    "browser test skipped: missing {missing} {how}; \
                     LODESTAR_REQUIRE_BROWSER=1 makes this a failure"
                );
                return None;
            }
        };
        server
            .app
            .add_user(
                &lodestar_domain::Email::parse(EMAIL).unwrap(),
                &lodestar_domain::Name::parse("Browser Tester").unwrap(),
                lodestar_domain::Role::Administrator,
                None,
                PASSWORD.into(),
            )
            .await
            .unwrap();
        let browser = Self::launch(&chromium, &driver, &server.base).await;
        browser.sign_in().await;
        Some(browser)
    }

    /// Starts chromedriver on a free port and a Chromium session through it
    /// with a fresh profile, the window 1280×900.
    async fn launch(chromium: &Path, driver: &Path, base: &str) -> Self {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let profile =
            std::env::temp_dir().join(format!("lodestar-chromium-{}-{port}", std::process::id()));
        let driver = Driver { child, profile };
        let client = Self::connect(port, chromium, &driver.profile).await;
        client.set_window_size(1280, 900).await.unwrap();
        Self {
            client,
            base: base.to_owned(),
            _driver: driver,
        }
    }

    /// A WebDriver session, once chromedriver on `port` answers.
    async fn connect(port: u16, chromium: &Path, profile: &Path) -> Client {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-quic",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => return client,
                Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Ends the session, so that chromedriver closes Chromium itself.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
    }

    /// Signs in through `/login` and waits for the plans page.
    async fn sign_in(&self) {
        self.go("/login").await;
        self.field("Email address")
            .await
            .send_keys(EMAIL)
            .await
            .unwrap();
        self.field("Password")
            .await
            .send_keys(PASSWORD)
            .await
            .unwrap();
        self.button("Sign in").await.click().await.unwrap();
        self.wait_for_path(|p| p == "/").await;
    }

    /// Opens `path` on the server.
    pub async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// Opens `path` and checks it is the page asked for (the signed-in
    /// frame around an `<h1>` containing `h1`), not an error page.
    pub async fn visit(&self, path: &str, h1: &str) {
        self.go(path).await;
        self.assert_page(path, h1).await;
    }

    /// Checks the page shown is a signed-in page whose `<h1>` contains `h1`.
    pub async fn assert_page(&self, what: &str, h1: &str) {
        let heading = self.h1().await;
        assert!(
            self.has("//nav[@aria-label='Site']").await && heading.contains(h1),
            "{what}: expected a page with “{h1}” in its h1, got “{heading}”:\n{}",
            self.main_text().await
        );
    }

    /// The current path and query, e.g. `/plans/1?status=on-track`.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the current path and query satisfy `ok`, and returns them.
    pub async fn wait_for_path(&self, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let path = self.path().await;
            if ok(&path) {
                return path;
            }
            if Instant::now() > deadline {
                panic!("still on {path}; page says:\n{}", self.main_text().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Browser {
    /// Presses and releases `key` wherever the focus is.
    pub async fn press(&self, key: fantoccini::key::Key) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let value: char = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// The focused element: tag, id, text, whether it is inside `<main>`,
    /// and its computed outline style and width, for keyboard checks.
    pub async fn focused(&self) -> Value {
        self.js(
            "const e = document.activeElement; const s = getComputedStyle(e);
             return { tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim().slice(0, 80),
                      inMain: !!e.closest('main'),
                      outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) };",
            Vec::new(),
        )
        .await
    }

    /// Saves a PNG of the window as `name`.png under the target directory
    /// and, with `LODESTAR_UPDATE_SCREENSHOTS=1`, under docs/screenshots/.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let mut dirs = vec![Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")];
        if std::env::var("LODESTAR_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2);
            dirs.push(root.expect("the workspace root").join("docs/screenshots"));
        }
        for dir in dirs {
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{name}.png"));
            std::fs::write(&file, &png).unwrap();
            eprintln!("screenshot: {}", file.display());
        }
    }
}
