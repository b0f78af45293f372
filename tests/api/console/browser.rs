//! Headless Chromium driven through chromedriver (WebDriver, `fantoccini`), one chromedriver
//! and one browser per test on a free port. Without chromedriver the browser tests print a
//! skip line and pass — unless `CONSOLE_BROWSER_TESTS=required` (as `.ci/run` sets), when they
//! fail. Screenshots go to `target/console-screenshots/`. `CHROMEDRIVER` and `CHROMIUM` name
//! other binaries than Debian's `/usr/bin/chromedriver` and `/usr/bin/chromium`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::helpers::TestApp;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Desktop (1366×768) and phone (390×844) windows.
pub const DESKTOP: (u32, u32) = (1366, 768);
pub const PHONE: (u32, u32) = (390, 844);

/// A browser with its chromedriver; [`Browser::finish`] ends both and checks the browser log.
pub struct Browser {
    pub client: Client,
    driver: Child,
    port: u16,
    session: Option<String>,
    pub downloads: tempfile::TempDir,
    base: String,
    test: &'static str,
}

fn chromedriver() -> Option<String> {
    let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_string());
    if Path::new(&path).exists() {
        return Some(path);
    }
    let required = std::env::var("CONSOLE_BROWSER_TESTS").is_ok_and(|v| v == "required");
    assert!(!required, "CONSOLE_BROWSER_TESTS=required but chromedriver is missing at {path}");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Chromium's legacy log endpoint, which chromedriver still serves: the page's console messages
/// (and CSP violations, which Chromium reports there) since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

impl Browser {
    /// Starts chromedriver and a headless browser of `size` for `test`; `None` (after printing
    /// why) when chromedriver is not installed and not required.
    pub async fn start(app: &TestApp, test: &'static str, size: (u32, u32)) -> Option<Browser> {
        let Some(driver_path) = chromedriver() else {
            eprintln!("skipped: chromedriver is not installed (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let downloads = tempfile::tempdir().unwrap();
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        let mut chrome = json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-extensions", "--no-first-run", "--lang=zh-CN",
                     format!("--window-size={},{}", size.0, size.1)],
            "prefs": {"download.default_directory": downloads.path().to_str().unwrap(),
                      "download.prompt_for_download": false},
        });
        if size.0 < 500 {
            // A window cannot be narrower than 500 px: a phone's viewport is emulated.
            chrome["mobileEmulation"] =
                json!({"deviceMetrics": {"width": size.0, "height": size.1, "pixelRatio": 1.0}});
        }
        caps.insert("goog:chromeOptions".into(), chrome);
        caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        // chromedriver needs a moment to listen.
        for _ in 0..100 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    if size.0 >= 500 {
                        client.set_window_size(size.0, size.1).await.unwrap();
                    }
                    let session = client.session_id().await.unwrap();
                    return Some(Browser { client, driver, port, session, downloads, base: app.address.clone(), test });
                }
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("cannot start a browser session: {last_error:?}");
    }

    /// Opens a path of the service (e.g. `/console/`).
    pub async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Waits (up to 15 s) for the element matching `css`.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no element {css}: {e}", self.test))
    }

    /// Waits until the element matching `css` has text containing `want`; returns the text.
    pub async fn wait_text(&self, css: &str, want: &str) -> String {
        let mut text = String::new();
        for _ in 0..150 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                text = el.text().await.unwrap_or_default();
                if text.contains(want) {
                    return text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{}: {css} never showed {want:?}; last text {text:?}", self.test);
    }

    /// Types into the input matching `css` (after clearing it).
    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("{}: click {css}: {e}", self.test));
    }

    /// Logs in through the form and waits for the menu.
    pub async fn login(&self, username: &str, password: &str) {
        self.open("/console/").await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("#login-submit").await;
        self.find("#logout").await;
    }

    /// Logs out and waits for the login form.
    pub async fn logout(&self) {
        self.click("#logout").await;
        self.find("#login-form").await;
    }

    /// Asserts the page fits the window's width (nothing to scroll sideways but inside tables).
    pub async fn assert_fits_width(&self) {
        let widths = self
            .client
            .execute("return [document.documentElement.scrollWidth, window.innerWidth]", vec![])
            .await
            .unwrap();
        let (page, window) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(page <= window, "{}: the page is {page} px wide in a {window} px window", self.test);
    }

    /// Writes a screenshot to `target/console-screenshots/<test>-<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{}-{name}.png", self.test)), png).unwrap();
    }

    /// The browser's console messages since the last call.
    pub async fn log(&self) -> Vec<Value> {
        let logs = self.client.issue_cmd(BrowserLog).await.unwrap();
        logs.as_array().cloned().unwrap_or_default()
    }

    /// Asserts the page logged no error (a failed request, an exception, a CSP violation) but
    /// those containing one of `expected` (e.g. the 401 of a wrong password, which Chromium logs
    /// as a failed resource).
    pub async fn assert_no_errors(&self, expected: &[&str]) {
        let errors: Vec<Value> = self
            .log()
            .await
            .into_iter()
            .filter(|e| {
                e["level"] == "SEVERE" || e["message"].as_str().is_some_and(|m| m.contains("Content Security Policy"))
            })
            .filter(|e| !expected.iter().any(|x| e["message"].as_str().is_some_and(|m| m.contains(x))))
            .collect();
        assert!(errors.is_empty(), "{}: the browser logged errors: {errors:#?}", self.test);
    }

    /// Checks the log is clean (but `expected`), then ends the session and chromedriver.
    pub async fn finish(mut self, expected: &[&str]) {
        self.assert_no_errors(expected).await;
        if self.client.clone().close().await.is_ok() {
            self.session = None;
        }
    }
}

impl Drop for Browser {
    /// A failed test never reaches [`Browser::finish`]: its session is ended here, so that
    /// chromedriver closes the browser (killing chromedriver alone would leave it running).
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            let _ = delete_session(self.port, &id);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `DELETE /session/{id}` to chromedriver, blocking (from `Drop`).
fn delete_session(port: u16, id: &str) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(())
}
