//! The HTML reports as a person sees them: written by the real binary, opened in headless
//! Chromium (Debian's `chromium`, driven through `chromedriver` on 127.0.0.1), and checked on
//! what the page draws and does: every worker's bar as long as the JSON's figure says, the
//! moves table sorting and filtering, ids from the input shown as text and never run. A
//! screenshot of each report is saved under `target/browser-screenshots/` for a reader to look
//! at.
//!
//! Without Chromium the tests say so and pass, unless `CASELOAD_BROWSER_TESTS=required` (set by
//! `.ci/run`, which installs it), when a missing browser is a failure.
//! `CASELOAD_README_SCREENSHOT=1` also writes the README's picture, `docs/rebalance-report.png`
//! (see `scripts/screenshot.sh`).

mod common;

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{caseload, code, root, Team};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How many times a browser session is tried before the test fails: starting Chromium on a
/// loaded machine now and then fails for reasons of its own, which are not what these tests test.
const SESSION_ATTEMPTS: usize = 3;

/// Headless Chromium driven by chromedriver, each test with its own, on a profile of its own.
struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a browser session; `None` (after saying why) when Chromium is
    /// not installed and the tests are not required.
    fn start() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            let required = std::env::var("CASELOAD_BROWSER_TESTS").as_deref() == Ok("required");
            assert!(
                !required,
                "CASELOAD_BROWSER_TESTS=required, but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver"
            );
            eprintln!(
                "skipped: no {CHROMIUM} or {CHROMEDRIVER} (apt-get install -y chromium chromium-driver)"
            );
            return None;
        }
        let mut failures = Vec::new();
        for _ in 0..SESSION_ATTEMPTS {
            match Browser::start_once() {
                Ok(browser) => return Some(browser),
                Err(failure) => {
                    eprintln!("a browser session did not start, trying again: {failure}");
                    failures.push(failure);
                }
            }
        }
        panic!("no browser session in {SESSION_ATTEMPTS} tries: {failures:#?}");
    }

    /// One try: a chromedriver on a port it picks itself (a port picked here and handed over
    /// could be taken in between by another test's server), then a session on it.
    fn start_once() -> Result<Browser, String> {
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver does not start: {e}"))?;
        let port = match driver_port(&mut driver) {
            Ok(port) => port,
            Err(failure) => {
                let _ = driver.kill();
                let _ = driver.wait();
                return Err(failure);
            }
        };
        let profile = tempfile::tempdir().expect("a profile folder");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "prefs": {
                    "download.default_directory": profile.path().join("downloads"),
                    "download.prompt_for_download": false,
                },
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--hide-scrollbars", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let session = runtime.block_on(
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.as_object().expect("an object").clone())
                .connect(&format!("http://127.0.0.1:{port}")),
        );
        match session {
            Ok(client) => Ok(Browser {
                runtime,
                client,
                driver,
                _profile: profile,
            }),
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                Err(format!("on port {port}: {e:?}"))
            }
        }
    }

    /// Where the browser saves what it downloads.
    fn downloads(&self) -> PathBuf {
        self._profile.path().join("downloads")
    }

    /// Runs a test's steps against the browser.
    fn run<F: Future<Output = ()>>(&self, steps: impl FnOnce(Client) -> F) {
        self.runtime.block_on(steps(self.client.clone()));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(client.close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The port chromedriver says it listens on (`--port=0` lets it pick one); its later output
/// is read and dropped on a thread of its own, so that a full pipe never stops it.
fn driver_port(driver: &mut Child) -> Result<u16, String> {
    const STARTED: &str = "was started successfully on port ";
    let stdout = driver
        .stdout
        .take()
        .expect("chromedriver's output is piped");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        for line in lines.by_ref() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.split(STARTED).nth(1) {
                let _ = sender.send(rest.trim_end_matches('.').trim().parse::<u16>().ok());
                break;
            }
        }
        lines.for_each(drop);
    });
    match receiver.recv_timeout(Duration::from_secs(30)) {
        Ok(Some(port)) => Ok(port),
        Ok(None) => Err("chromedriver named a port that is not a number".to_string()),
        Err(_) => Err("chromedriver did not say which port it listens on within 30 s".to_string()),
    }
}

/// Where the tests write their reports and screenshots.
fn output_folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join(name);
    std::fs::create_dir_all(&dir).expect("the folder is created");
    dir
}

/// Runs `caseload ARGS --format html --output NAME.html` and returns the report's path.
fn html_report(name: &str, args: &[&str]) -> PathBuf {
    let path = output_folder("browser-reports").join(format!("{name}.html"));
    let path_text = path.to_str().expect("a UTF-8 path").to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "html", "--output", &path_text, "--force"]);
    let out = caseload(&all);
    assert!(
        matches!(code(&out), 0 | 1),
        "caseload {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// The JSON of `caseload ARGS --format json`.
fn json_report(args: &[&str]) -> Value {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    let out = caseload(&all);
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Opens a report and waits until its script has run.
async fn open(client: &Client, path: &Path) {
    client
        .goto(&format!("file://{}", path.display()))
        .await
        .expect("the page opens");
    let started = Instant::now();
    loop {
        let ready = script(
            client,
            "return document.documentElement.dataset.ready || null",
        )
        .await;
        if ready == json!("true") {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the page's script did not finish: {}",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn script(client: &Client, code: &str) -> Value {
    client.execute(code, vec![]).await.expect("the script runs")
}

/// A script run while waiting for a page or frame that may be reloading or still arriving: one
/// cut off by the reload, or run before the document is there, gives null and is asked again
/// (the error is printed, and shown should the wait end in a failure).
async fn poll(client: &Client, code: &str) -> Value {
    client.execute(code, vec![]).await.unwrap_or_else(|e| {
        eprintln!("asked again: {e}");
        Value::Null
    })
}

/// Saves a screenshot of the page as `NAME.png`, the window as tall as the page (up to a
/// limit), so a reader can look at what the test saw.
async fn screenshot(client: &Client, name: &str) -> Vec<u8> {
    let height = script(client, "return document.documentElement.scrollHeight").await;
    let height = height.as_u64().unwrap_or(900).clamp(600, 6000) as u32;
    client.set_window_size(1280, height).await.expect("resize");
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(
        output_folder("browser-screenshots").join(format!("{name}.png")),
        &png,
    )
    .expect("the screenshot is saved");
    client.set_window_size(1280, 900).await.expect("resize");
    png
}

/// Every bar of the page's first bar chart, as drawn: the worker's id (`data-row`) and the
/// length of the bar after over the length of 100% on the screen.
const DRAWN_BARS: &str = r#"
const svg = document.querySelector("svg.chart.bars");
const x = (selector) => svg.querySelector(selector).getBoundingClientRect().x;
const zero = x('line[data-tick="0%"]'), full = x('line[data-tick="100%"]');
return Array.from(svg.querySelectorAll("g.row")).map((g) => [
  g.dataset.row,
  g.querySelector("rect.after").getBoundingClientRect().width / (full - zero),
  g.querySelector("title").textContent,
]);
"#;

/// Checks that every worker of `staff` (the JSON's) has a bar as long as its utilization after.
async fn bars_match(client: &Client, staff: &[Value], field: &str) {
    let drawn = script(client, DRAWN_BARS).await;
    let drawn = drawn.as_array().expect("bars");
    assert_eq!(drawn.len(), staff.len(), "one bar per worker");
    for worker in staff {
        let id = worker["id"].as_str().expect("an id");
        let bar = drawn
            .iter()
            .find(|b| b[0] == json!(id))
            .unwrap_or_else(|| panic!("no bar for {id}"));
        let figure = worker[field].as_f64().expect("a utilization");
        let length = bar[1].as_f64().expect("a length");
        assert!(
            (length - figure.min(3.0)).abs() < 0.005,
            "{id}: the bar shows {length}, the JSON says {figure}"
        );
        let percent = format!("{:.0}%", 100.0 * figure);
        assert!(
            bar[2].as_str().unwrap_or("").contains(&percent),
            "{id}: the bar's title {} does not say {percent}",
            bar[2]
        );
    }
}

#[test]
fn every_workers_bar_is_drawn_with_the_figure_from_the_json() {
    let Some(browser) = Browser::start() else {
        return;
    };
    for scenario in ["scenarios/riverside.toml", "scenarios/mercy-health.toml"] {
        let name = Path::new(scenario).file_stem().unwrap().to_str().unwrap();
        let page = html_report(&format!("rebalance-{name}"), &["rebalance", scenario]);
        let proposal = json_report(&["rebalance", scenario]);
        let today = json_report(&["check", scenario]);
        let check = html_report(&format!("check-{name}"), &["check", scenario]);
        browser.run(|client| async move {
            open(&client, &page).await;
            let staff = proposal["staff"].as_array().expect("staff");
            bars_match(&client, staff, "utilization_after").await;
            screenshot(&client, &format!("rebalance-{name}")).await;
            open(&client, &check).await;
            let workers = today["workers"].as_array().expect("workers");
            bars_match(&client, workers, "utilization").await;
            screenshot(&client, &format!("check-{name}")).await;
        });
    }
}

/// The cells of one column of the moves table, as shown.
async fn column(client: &Client, class: &str) -> Vec<String> {
    let cells = script(
        client,
        &format!(
            "return Array.from(document.querySelectorAll('#moves tbody td.{class}')).map((td) => td.textContent)"
        ),
    )
    .await;
    serde_json::from_value(cells).expect("strings")
}

async fn choose(client: &Client, select: &str, value: &str) {
    let element = client
        .find(Locator::Css(select))
        .await
        .expect("the control");
    element.select_by_value(value).await.expect("the option");
}

#[test]
fn the_moves_table_sorts_and_filters() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let args = ["rebalance", "scenarios/riverside.toml"];
    let page = html_report("moves", &args);
    let proposal = json_report(&args);
    let moves = proposal["moves"].as_array().expect("moves").clone();
    browser.run(|client| async move {
        open(&client, &page).await;
        let mut ids: Vec<String> = moves
            .iter()
            .map(|m| m["case"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            column(&client, "case").await,
            ids,
            "the moves in the JSON's order"
        );
        let case_heading = client
            .find(Locator::Css("#moves thead th:first-child button"))
            .await
            .expect("the Case heading");
        case_heading.click().await.expect("sort");
        ids.sort();
        assert_eq!(column(&client, "case").await, ids, "sorted by case");
        case_heading.click().await.expect("sort again");
        ids.reverse();
        assert_eq!(
            column(&client, "case").await,
            ids,
            "sorted by case, descending"
        );
        let sort = script(
            &client,
            "return document.querySelector('#moves thead th').getAttribute('aria-sort')",
        )
        .await;
        assert_eq!(sort, json!("descending"));

        choose(&client, "#moves-worker", "tom").await;
        let tom = moves
            .iter()
            .filter(|m| m["from"] == json!("tom") || m["to"] == json!("tom"))
            .count();
        let from = column(&client, "from").await;
        let to = column(&client, "to").await;
        assert_eq!(from.len(), tom, "tom's moves");
        assert!(tom > 0 && from.iter().zip(&to).all(|(f, t)| f == "tom" || t == "tom"));

        choose(&client, "#moves-worker", "").await;
        choose(&client, "#moves-kind", "required").await;
        let required = moves
            .iter()
            .filter(|m| m["kind"] == json!("required"))
            .count();
        let kinds = column(&client, "kind").await;
        assert_eq!(kinds.len(), required);
        assert!(required > 0 && kinds.iter().all(|k| k == "required"));

        choose(&client, "#moves-kind", "").await;
        choose(&client, "#moves-skill", "spanish").await;
        let spanish = moves
            .iter()
            .filter(|m| {
                m["explanation"]["needs"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("spanish"))
            })
            .count();
        assert_eq!(column(&client, "case").await.len(), spanish);
        let status = script(
            &client,
            "return document.getElementById('moves-status').textContent",
        )
        .await;
        assert_eq!(
            status,
            json!(format!(
                "Showing 1–{spanish} of the {spanish} moves that match (of {}).",
                moves.len()
            ))
        );
        screenshot(&client, "moves-filtered").await;
    });
}

/// Input text that would run, or load an image, if a page took it for markup: a case id, a
/// worker's name (or id) and a team's name. Each sets `window.ran` if it runs.
const HOSTILE_CASE: &str = "</script><script>window.ran = 1</script>";
const HOSTILE_NAME: &str = "<img src=x onerror=\"window.ran = 2\">";
const HOSTILE_TEAM: &str = "<script>window.ran = 3</script> & co";

#[test]
fn ids_from_the_input_are_shown_as_text_and_never_run() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (hostile_case, hostile_name, hostile_team) = (HOSTILE_CASE, HOSTILE_NAME, HOSTILE_TEAM);
    // The case needs a skill only ben has, so it moves: it is in the moves table, the data
    // for the page's script and both handouts.
    let team = Team::new()
        .name(hostile_team)
        .staff("ana", |s| s.capacity(10).name(hostile_name))
        .staff("ben", |s| s.capacity(10).skills(&["x"]))
        .case(hostile_case, |c| c.acuity(4).needs(&["x"]).assigned("ana"))
        .case("C-2", |c| c.acuity(4).assigned("ana"));
    let scenario = team.write(dir.path());
    let scenario = scenario.to_str().unwrap();
    let rebalance = html_report("hostile-rebalance", &["rebalance", scenario]);
    let check = html_report("hostile-check", &["check", scenario]);
    browser.run(|client| async move {
        open(&client, &rebalance).await;
        assert_eq!(column(&client, "case").await, [hostile_case]);
        let text = script(&client, "return document.body.innerText").await;
        let text = text.as_str().unwrap();
        for shown in [hostile_case, hostile_name, hostile_team] {
            assert!(text.contains(shown), "{shown} is not shown as text");
        }
        screenshot(&client, "hostile-rebalance").await;
        open(&client, &check).await;
        let text = script(&client, "return document.body.innerText").await;
        assert!(text.as_str().unwrap().contains(hostile_team));
        for page in [&rebalance, &check] {
            open(&client, page).await;
            let ran = script(
                &client,
                "return window.ran === undefined ? null : window.ran",
            )
            .await;
            assert_eq!(
                ran,
                Value::Null,
                "input text ran as a script in {}",
                page.display()
            );
            let images = script(&client, "return document.images.length").await;
            assert_eq!(
                images,
                json!(0),
                "input text became an image in {}",
                page.display()
            );
        }
    });
}

/// Every command's report for the example scenarios opens, draws its charts and its script
/// runs; a screenshot of each is saved.
#[test]
fn every_kind_of_report_opens_with_its_charts() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let reports: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "check",
            vec!["check", "scenarios/harbor-child-welfare.toml"],
            "svg.chart.bars",
        ),
        (
            "assign",
            vec!["assign", "scenarios/riverside.toml"],
            "#moves",
        ),
        (
            "rebalance-budget-curve",
            vec!["rebalance", "scenarios/riverside.toml", "--budget-curve"],
            "svg.chart.curve",
        ),
        (
            "whatif",
            vec!["whatif", "scenarios/riverside.toml", "--leave", "tom"],
            "#what-if svg.chart.bars",
        ),
        (
            "compare",
            vec![
                "compare",
                "scenarios/riverside.toml",
                "scenarios/riverside-leave.toml",
                "scenarios/riverside-new-hire.toml",
            ],
            "svg.chart.bars",
        ),
        (
            "tradeoff",
            vec!["tradeoff", "scenarios/riverside.toml", "--max-moves", "6"],
            "svg.chart.curve",
        ),
        (
            "staffing",
            vec![
                "staffing",
                "scenarios/riverside-surge.toml",
                "--target",
                "0.9",
            ],
            "svg.chart",
        ),
    ];
    let pages: Vec<(String, PathBuf, String)> = reports
        .iter()
        .map(|(name, args, mark)| (name.to_string(), html_report(name, args), mark.to_string()))
        .collect();
    browser.run(|client| async move {
        for (name, page, mark) in &pages {
            open(&client, page).await;
            let found = script(&client, &format!("return document.querySelectorAll('{mark}').length")).await;
            assert!(found.as_u64().unwrap_or(0) > 0, "{name}: no {mark}");
            let titled = script(
                &client,
                "return Array.from(document.querySelectorAll('svg.chart')).every((svg) => svg.querySelector('title'))",
            )
            .await;
            assert_eq!(titled, json!(true), "{name}: a chart without a title");
            screenshot(&client, name).await;
        }
    });
}

/// With `CASELOAD_README_SCREENSHOT=1`: the README's picture of a rebalance report.
#[test]
fn the_readme_screenshot() {
    if std::env::var("CASELOAD_README_SCREENSHOT").as_deref() != Ok("1") {
        return;
    }
    let Some(browser) = Browser::start() else {
        return;
    };
    let page = html_report("readme", &["rebalance", "scenarios/riverside.toml"]);
    browser.run(|client| async move {
        client.set_window_size(1100, 1400).await.expect("resize");
        open(&client, &page).await;
        let png = client.screenshot().await.expect("a screenshot");
        std::fs::write(root().join("docs/rebalance-report.png"), png).expect("saved");
    });
}

/// With `CASELOAD_HTML_REPORT=FILE` (see `benches/html-report.sh`): opens the report and prints
/// its size and how long Chromium took to show it, by the page's own clock: the script done
/// (`report-ready`), the first paint, and the load event.
#[test]
#[ignore = "a measurement: benches/html-report.sh runs it on a large team"]
fn time_a_report() {
    let Ok(path) = std::env::var("CASELOAD_HTML_REPORT") else {
        panic!("set CASELOAD_HTML_REPORT to the report to time");
    };
    let Some(browser) = Browser::start() else {
        return;
    };
    let path = PathBuf::from(path);
    let bytes = std::fs::metadata(&path).expect("the report").len();
    browser.run(|client| async move {
        for run in 1..=3 {
            let started = Instant::now();
            open(&client, &path).await;
            let driver = started.elapsed();
            let timings = script(
                &client,
                r#"const n = performance.getEntriesByType("navigation")[0];
                const paint = performance.getEntriesByName("first-contentful-paint")[0];
                return {
                  ready: performance.getEntriesByName("report-ready")[0].startTime,
                  first_paint: paint ? paint.startTime : null,
                  load: n.loadEventEnd,
                  elements: document.getElementsByTagName("*").length,
                };"#,
            )
            .await;
            println!(
                "run {run}: {bytes} bytes; script done at {:.0} ms, first paint at {:.0} ms, load event at {:.0} ms (by the page's clock); {} ms by the driver; {} elements",
                timings["ready"].as_f64().unwrap_or(f64::NAN),
                timings["first_paint"].as_f64().unwrap_or(f64::NAN),
                timings["load"].as_f64().unwrap_or(f64::NAN),
                driver.as_millis(),
                timings["elements"]
            );
        }
        screenshot(&client, "large-report").await;
    });
}

/// The dashboard as a supervisor uses it: open the printed address, put a worker on leave with
/// the form, wait for the re-solve, and read the what-if's figure in its report: the one
/// `caseload whatif --leave` gives on the command line. A screenshot of each step is saved;
/// `CASELOAD_README_SCREENSHOT=1` also writes the README's, `docs/dashboard.png`.
#[test]
fn the_dashboard_solves_a_leave_as_the_command_line_does() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let server = common::server::Server::start("scenarios/riverside.toml");
    let cli = json_report(&["whatif", "scenarios/riverside.toml", "--leave", "derek"]);
    let after = cli["what_if"]["max_utilization_after"].as_f64().unwrap();
    let url = server.url();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        let address = client.current_url().await.expect("an address");
        assert_eq!(address.query(), None, "the token leaves the address bar");
        screenshot(&client, "dashboard-overview").await;
        choose(&client, "select[name=leave]", "derek").await;
        let submit = client.find(Locator::Css("form.whatif button")).await;
        submit.expect("the button").click().await.expect("a click");
        let started = Instant::now();
        loop {
            let state = poll(
                &client,
                "const s = document.getElementById('state'); return s ? s.dataset.state : null",
            )
            .await;
            if state == json!("done") {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "still {state}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let frame = "document.querySelector('iframe.report').contentDocument";
        let started = Instant::now();
        while poll(&client, &format!("return {frame}.documentElement.dataset.ready || null")).await
            != json!("true")
        {
            assert!(started.elapsed() < Duration::from_secs(60), "the report did not load");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let title = script(
            &client,
            &format!("return {frame}.querySelector('#compared svg.chart.bars g.row[data-row=\"2\"] title').textContent"),
        )
        .await;
        let title = title.as_str().expect("the what-if's bar");
        let figure = format!("{:.0}% after", after * 100.0);
        assert!(title.contains(&figure), "{title} does not say {figure}");
        screenshot(&client, "dashboard-whatif").await;
        if std::env::var("CASELOAD_README_SCREENSHOT").as_deref() == Ok("1") {
            client.set_window_size(1100, 1000).await.expect("resize");
            let png = client.screenshot().await.expect("a screenshot");
            std::fs::write(root().join("docs/dashboard.png"), png).expect("saved");
        }
    });
}

/// Waits until the dashboard page's report (its frame) has run its script.
async fn report_frame_ready(client: &Client) {
    let frame = "document.querySelector('iframe.report')";
    let started = Instant::now();
    while poll(
        client,
        &format!("return {frame}?.contentDocument?.documentElement?.dataset.ready || null"),
    )
    .await
        != json!("true")
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the report did not load"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the browser's address has `path`.
async fn arrives_at(client: &Client, path: &str) {
    let started = Instant::now();
    loop {
        let url = client.current_url().await.expect("an address");
        if url.path() == path {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "still at {url}, not {path}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks what `css` finds on a page that reloads itself, finding it again when a reload took
/// the one found.
async fn click_through_reloads(client: &Client, css: &str) {
    let started = Instant::now();
    loop {
        let clicked = match client.find(Locator::Css(css)).await {
            Ok(element) => element.click().await,
            Err(e) => Err(e),
        };
        match clicked {
            Ok(()) => return,
            Err(e) => assert!(
                started.elapsed() < Duration::from_secs(60),
                "{css} could not be clicked: {e}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Enters the dashboard page's report frame.
async fn enter_report(client: &Client) {
    let frame = client
        .find(Locator::Css("iframe.report"))
        .await
        .expect("the report's frame");
    frame.enter_frame().await.expect("into the frame");
}

/// The dashboard as a supervisor clicks through it: a case in today's moves table opens where
/// it goes and why not each other worker, in the words of `caseload explain --case`; a worker
/// opens their handout; a what-if's CSV downloads as `caseload whatif --format csv` writes it;
/// without the token, or at an address that leaves the dashboard, nothing is served. A
/// screenshot of each step is saved.
#[test]
fn the_dashboard_answers_clicks_as_the_command_line_does() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let server = common::server::Server::start("scenarios/riverside.toml");
    server.wait_for_today();
    let url = server.url();
    let base = format!("http://{}", server.host);
    let downloads = browser.downloads();
    let workers = json_report(&["rebalance", "scenarios/riverside.toml"])["staff"].take();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        report_frame_ready(&client).await;
        // A case in today's moves table: its id is a link to its answer.
        enter_report(&client).await;
        let link = client
            .find(Locator::Css("#moves td.case a"))
            .await
            .expect("a case id is a link");
        let case = link.text().await.expect("its id");
        link.click().await.expect("a click");
        arrives_at(&client, "/why").await;
        let answer = script(&client, "return document.querySelector('pre.answer').textContent").await;
        let cli = caseload(&["explain", "scenarios/riverside.toml", "--case", &case]);
        assert_eq!(
            answer.as_str().expect("the answer").trim_end(),
            String::from_utf8_lossy(&cli.stdout).trim_end(),
            "the dashboard's answer about {case} is not `caseload explain --case {case}`"
        );
        screenshot(&client, "dashboard-why-case").await;
        // A worker in the workers table: the link goes to their handout on the page.
        client.goto(&format!("{base}/")).await.expect("back to the overview");
        report_frame_ready(&client).await;
        enter_report(&client).await;
        let worker = client
            .find(Locator::Css("svg.chart.bars g.row a"))
            .await
            .expect("a worker's bar label is a link");
        worker.click().await.expect("a click");
        let shown = script(
            &client,
            "const h = document.querySelector(location.hash); return h ? h.dataset.worker : null",
        )
        .await;
        assert_eq!(shown, workers[0]["id"], "the first worker's handout");
        let visible = script(
            &client,
            "const r = document.querySelector(location.hash).getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight",
        )
        .await;
        assert_eq!(visible, json!(true), "the handout is scrolled into view");
        client.enter_parent_frame().await.expect("out of the frame");
        screenshot(&client, "dashboard-handout").await;
        // A what-if, and its CSV as a download.
        choose(&client, "select[name=leave]", "derek").await;
        let submit = client.find(Locator::Css("form.whatif button")).await;
        submit.expect("the button").click().await.expect("a click");
        arrives_at(&client, "/whatif/1").await;
        report_frame_ready(&client).await;
        let csv = client
            .find(Locator::Css("a[href$='whatif.csv']"))
            .await
            .expect("a CSV download");
        csv.click().await.expect("a click");
        let saved = downloads.join("whatif-1.csv");
        let started = Instant::now();
        while !saved.exists() {
            assert!(started.elapsed() < Duration::from_secs(60), "nothing downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let cli = caseload(&[
            "whatif",
            "scenarios/riverside.toml",
            "--leave",
            "derek",
            "--format",
            "csv",
        ]);
        assert!(
            std::fs::read(&saved).expect("the download") == cli.stdout,
            "the downloaded CSV is not `caseload whatif --leave derek --format csv`"
        );
        screenshot(&client, "dashboard-whatif-download").await;
        // An address that leaves the dashboard's pages reaches no file.
        for path in [
            "/..%2F..%2F..%2Fetc%2Fpasswd",
            "/whatif/1/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            "/whatif/1/%2e%2e%2fCargo.toml",
        ] {
            client.goto(&format!("{base}{path}")).await.expect("a page");
            let text = script(&client, "return document.body.innerText").await;
            let text = text.as_str().expect("text");
            assert!(text.contains("Not found"), "{path}: {text}");
            assert!(!text.contains("root:") && !text.contains("[package]"), "{path}: {text}");
        }
        screenshot(&client, "dashboard-outside").await;
        // Without the token (no cookie, no address with it), nothing is shown.
        client.delete_all_cookies().await.expect("cookies gone");
        client.goto(&format!("{base}/")).await.expect("a page");
        let text = script(&client, "return document.body.innerText").await;
        let text = text.as_str().expect("text");
        assert!(text.contains("Refused"), "{text}");
        assert!(!text.contains("Riverside"), "{text}");
        screenshot(&client, "dashboard-no-token").await;
    });
}

/// A team whose ids and names are markup: the dashboard shows them as text, and none of it
/// runs, on the overview, in today's report and in an answer.
#[test]
fn the_dashboard_shows_markup_in_ids_as_text() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (hostile_case, hostile_worker, hostile_team) = (HOSTILE_CASE, HOSTILE_NAME, HOSTILE_TEAM);
    let team = Team::new()
        .name(hostile_team)
        .staff(hostile_worker, |s| s.capacity(10))
        .staff("ben", |s| s.capacity(10).skills(&["x"]))
        .case(hostile_case, |c| {
            c.acuity(4).needs(&["x"]).assigned(hostile_worker)
        })
        .case("C-2", |c| c.acuity(4).assigned(hostile_worker));
    let scenario = team.write(dir.path());
    let server = common::server::Server::start(scenario.to_str().unwrap());
    server.wait_for_today();
    let url = server.url();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        report_frame_ready(&client).await;
        let ran = "return window.ran === undefined ? null : window.ran";
        let text = script(&client, "return document.body.innerText").await;
        assert!(text.as_str().unwrap().contains(hostile_team), "{text}");
        assert_eq!(script(&client, ran).await, Value::Null);
        let images = "return document.images.length";
        assert_eq!(script(&client, images).await, json!(0));
        enter_report(&client).await;
        let text = script(&client, "return document.body.innerText").await;
        for shown in [hostile_case, hostile_worker, hostile_team] {
            assert!(
                text.as_str().unwrap().contains(shown),
                "{shown} is not shown"
            );
        }
        assert_eq!(script(&client, ran).await, Value::Null);
        assert_eq!(script(&client, images).await, json!(0));
        // The case's link carries its id as data, and its answer shows it as text.
        let link = client
            .find(Locator::Css("#moves td.case a"))
            .await
            .expect("the case is a link");
        assert_eq!(link.text().await.unwrap(), hostile_case);
        link.click().await.expect("a click");
        arrives_at(&client, "/why").await;
        let answer = script(
            &client,
            "return document.querySelector('pre.answer').textContent",
        )
        .await;
        assert!(answer.as_str().unwrap().contains(hostile_case), "{answer}");
        assert_eq!(script(&client, ran).await, Value::Null);
        screenshot(&client, "dashboard-hostile").await;
    });
}

/// A folder on the dashboard as a supervisor uses it: the printed address opens the index of the
/// example teams, in the order of their files; a team's link opens its own dashboard, whose
/// today's report loads in its frame (that team's solve goes first once its page is open), and a
/// case id in it opens that team's answer.
#[test]
fn the_dashboard_of_a_folder_lists_its_teams_and_opens_each() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let server = common::server::Server::start("scenarios");
    let url = server.url();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        let files = script(
            &client,
            "return Array.from(document.querySelectorAll('table.teams tbody td code')).map((c) => c.textContent)",
        )
        .await;
        let files: Vec<String> = serde_json::from_value(files).expect("file names");
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(files, sorted, "in the order of their names");
        assert!(files.contains(&"riverside.toml".to_string()), "{files:?}");
        screenshot(&client, "dashboard-folder-index").await;
        let row = files.iter().position(|f| f == "riverside.toml").expect("riverside") + 1;
        // The index reloads itself while teams solve: a link found before a reload is gone after.
        click_through_reloads(&client, &format!("table.teams tbody tr:nth-child({row}) a")).await;
        arrives_at(&client, &format!("/team/{row}")).await;
        report_frame_ready(&client).await;
        let frame = "document.querySelector('iframe.report')";
        let title = script(&client, &format!("return {frame}.contentDocument.title")).await;
        assert!(
            title.as_str().is_some_and(|t| t.contains("Riverside North, week 47")),
            "{title}"
        );
        screenshot(&client, "dashboard-folder-team").await;
        // A case id in the team's report asks the team's own dashboard why.
        enter_report(&client).await;
        let case = client
            .find(Locator::Css("#moves td.case a"))
            .await
            .expect("a case id is a link");
        case.click().await.expect("a click");
        arrives_at(&client, &format!("/team/{row}/why")).await;
        let answer = script(&client, "return document.querySelector('pre.answer') !== null").await;
        assert_eq!(answer, json!(true), "an answer");
    });
}

/// A what-if saved from its page: the button writes the overlay beside the scenario, and the
/// page that follows names it.
#[test]
fn a_whatif_is_saved_as_an_overlay_from_its_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a folder");
    let team = Team::new()
        .staff("ana", |s| s.capacity(20))
        .staff("bo", |s| s.capacity(20))
        .case("C1", |c| c.acuity(6).assigned("bo"))
        .case("C2", |c| c.acuity(4).assigned("ana"));
    let scenario = team.write(dir.path());
    let server = common::server::Server::start(scenario.to_str().expect("a UTF-8 path"));
    let saved = dir.path().join("team-whatif-1.toml");
    let expected = saved.display().to_string();
    let url = server.url();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        choose(&client, "select[name=leave]", "bo").await;
        let submit = client.find(Locator::Css("form.whatif button")).await;
        submit.expect("the button").click().await.expect("a click");
        let started = Instant::now();
        while client.find(Locator::Css("form.save button")).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(120), "not solved");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let save = client.find(Locator::Css("form.save button")).await;
        save.expect("the button").click().await.expect("a click");
        // The click returns as the form is sent; the page that names the file follows.
        let started = Instant::now();
        let said = loop {
            if let Ok(said) = client.find(Locator::Css("main p code")).await {
                break said;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no page names the file"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let named = said.text().await.expect("its text");
        assert_eq!(named, expected);
        screenshot(&client, "dashboard-saved-overlay").await;
    });
    let overlay = std::fs::read_to_string(&saved).expect("the overlay is written");
    assert!(
        overlay.contains("id = \"bo\"\navailable = false\n"),
        "{overlay}"
    );
}

/// A large team opened at once: while today's team solves, its place on the overview says so
/// and turns into the report by itself, and a what-if filled in meanwhile is still there, as
/// typed, when it does.
#[test]
fn a_whatif_filled_in_while_today_solves_is_kept() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a folder");
    let scenario = common::write_generated(dir.path(), "scenario.toml", 200, 6000, 4);
    let server = common::server::Server::start_with(
        scenario.to_str().expect("a UTF-8 path"),
        &["--time-limit", "3"],
    );
    let url = server.url();
    browser.run(|client| async move {
        client.goto(&url).await.expect("the dashboard opens");
        let solving = script(
            &client,
            "const d = document.querySelector('iframe.report').contentDocument; const s = d && d.getElementById('today-state'); return s ? s.textContent : null",
        )
        .await;
        assert!(
            solving.as_str().is_some_and(|s| s.contains("Solving today's team")),
            "{solving}"
        );
        screenshot(&client, "dashboard-today-solving").await;
        choose(&client, "select[name=leave]", "w003").await;
        let skills = client.find(Locator::Css("input[name=hire_skills]")).await;
        skills
            .expect("the hire's skills")
            .send_keys("spanish")
            .await
            .expect("typed");
        report_frame_ready(&client).await;
        let kept = script(
            &client,
            "return [document.querySelector('select[name=leave]').value, document.querySelector('input[name=hire_skills]').value]",
        )
        .await;
        assert_eq!(kept, json!(["w003", "spanish"]), "the form was reset");
    });
}
