//! The HTML reports as files: the same bytes for the same input at any thread count, nothing
//! fetched from anywhere, every move in the page's data, and `--format html` refused by the
//! commands that write no page. What the page shows in a browser is tests/browser.rs's.

mod common;

use common::{caseload, caseload_threads, code};
use serde_json::Value;

/// `caseload ARGS --format html` on standard output.
fn page(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "html"]);
    let out = caseload(&all);
    assert!(
        matches!(code(&out), 0 | 1),
        "{all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The JSON of the page's `<script type="application/json" id=ID>` block.
fn data_block(html: &str, id: &str) -> Value {
    let start = format!(r#"<script type="application/json" id="{id}">"#);
    let from = html.find(&start).expect("the data block") + start.len();
    let to = from + html[from..].find("</script>").expect("its end");
    serde_json::from_str(&html[from..to]).expect("JSON")
}

#[test]
fn the_same_input_gives_the_same_page_at_any_thread_count() {
    for args in [
        vec!["rebalance", "scenarios/riverside.toml"],
        vec!["whatif", "scenarios/riverside.toml", "--leave", "derek"],
        vec!["check", "scenarios/harbor-child-welfare.toml"],
    ] {
        let mut all = args.clone();
        all.extend(["--format", "html"]);
        let one = caseload_threads("1", &all);
        let two = caseload_threads("2", &all);
        assert!(!one.stdout.is_empty());
        assert!(
            one.stdout == two.stdout,
            "{args:?} differs at 1 and 2 threads"
        );
    }
}

#[test]
fn a_page_fetches_nothing_and_runs_only_its_own_script() {
    for args in [
        vec!["rebalance", "scenarios/riverside.toml", "--budget-curve"],
        vec![
            "compare",
            "scenarios/riverside.toml",
            "scenarios/riverside-leave.toml",
        ],
        vec![
            "staffing",
            "scenarios/riverside-surge.toml",
            "--target",
            "0.9",
        ],
        vec!["tradeoff", "scenarios/riverside.toml", "--max-moves", "3"],
    ] {
        let html = page(&args);
        assert!(html.starts_with("<!DOCTYPE html>"), "{args:?}");
        for outside in ["http:", "https:", " src=", "url(", "@import", "//cdn"] {
            assert!(
                !html.contains(outside),
                "{args:?}: the page names {outside}"
            );
        }
        assert!(html.contains("default-src 'none'"), "{args:?}: no policy");
        assert_eq!(html.matches("<script>").count(), 1, "{args:?}: one script");
    }
}

#[test]
fn every_move_is_in_the_pages_data_and_the_first_ones_in_its_html() {
    let html = page(&["rebalance", "scenarios/county-east.toml"]);
    let out = caseload(&[
        "rebalance",
        "scenarios/county-east.toml",
        "--format",
        "json",
    ]);
    let proposal: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let moves = proposal["moves"].as_array().expect("moves");
    let data = data_block(&html, "moves-data");
    let rows = data["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), moves.len());
    for (row, m) in rows.iter().zip(moves) {
        assert_eq!(row[0], m["case"]);
        assert_eq!(row[1], m["from"]);
        assert_eq!(row[2], m["to"]);
        assert_eq!(row[3], m["kind"]);
        assert_eq!(row[4], m["counts_against_budget"]);
        assert_eq!(row[6], m["why"]);
    }
    let shown = html.matches(r#"<td class="case" data-case=""#).count();
    assert_eq!(shown, moves.len().min(caseload::report::html::FIRST_PAGE));
    // Every worker has a handout.
    assert_eq!(
        html.matches(r#"<article class="handout""#).count(),
        proposal["staff"].as_array().unwrap().len()
    );
}

#[test]
fn commands_that_write_no_page_refuse_html_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("page.html");
    let output = output.to_str().unwrap();
    for args in [
        vec!["explain", "scenarios/riverside.toml", "--case", "C-1079"],
        vec!["batch", "scenarios", "--output", output],
    ] {
        let mut all = args.clone();
        all.extend(["--format", "html"]);
        let out = caseload(&all);
        assert_eq!(code(&out), 2, "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("html"), "{stderr}");
    }
    assert!(!dir.path().join("page.html").exists());
}

/// The values of `attribute="..."` in `html`, in order (as written: HTML-escaped).
fn attributes(html: &str, attribute: &str) -> Vec<String> {
    let start = format!(r#"{attribute}=""#);
    html.match_indices(&start)
        .map(|(at, _)| {
            let from = at + start.len();
            html[from..from + html[from..].find('"').expect("its end")].to_string()
        })
        .collect()
}

/// The `<details class="cases">` whose summary begins with `summary`.
fn cases_behind<'a>(html: &'a str, summary: &str) -> &'a str {
    let at = html
        .find(&format!("<summary>{summary}"))
        .unwrap_or_else(|| panic!("no {summary:?} in the page"));
    &html[at..at + html[at..].find("</details>").expect("its end")]
}

#[test]
fn case_ids_are_marked_and_every_worker_leads_to_their_handout() {
    // Two workers with `x` hold its heavy cases: their group binds, and the colleague far
    // below them may take none of those cases.
    let dir = tempfile::tempdir().unwrap();
    let team = common::Team::new()
        .staff("ana", |s| s.capacity(10).skills(&["x"]))
        .staff("ben", |s| s.capacity(10).skills(&["x"]))
        .staff("cal", |s| s.capacity(40))
        .case("X-1", |c| c.acuity(4).needs(&["x"]).assigned("ana"))
        .case("X-2", |c| c.acuity(4).needs(&["x"]).assigned("ana"))
        .case("X-3", |c| c.acuity(4).needs(&["x"]).assigned("ana"))
        .case("X-4", |c| c.acuity(4).needs(&["x"]).assigned("ben"))
        .case("C-1", |c| c.acuity(2).assigned("ana"))
        .case("C-2", |c| c.acuity(2).assigned("cal"));
    let scenario = team.write(dir.path());
    let scenario = scenario.to_str().unwrap();
    let html = page(&["rebalance", scenario]);
    let json: Value =
        serde_json::from_slice(&caseload(&["rebalance", scenario, "--format", "json"]).stdout)
            .unwrap();
    // Every case id the page marks is a case of the team.
    let cases = ["X-1", "X-2", "X-3", "X-4", "C-1", "C-2"];
    let marked = attributes(&html, "data-case");
    assert!(!marked.is_empty());
    for id in &marked {
        assert!(cases.contains(&id.as_str()), "{id} is not a case");
    }
    // Every link to a handout leads to one on the page, and each worker's bar has one.
    let anchors = attributes(&html, "id");
    let links: Vec<String> = attributes(&html, "href")
        .into_iter()
        .filter(|h| h.starts_with("#handout-"))
        .collect();
    for link in &links {
        assert!(
            anchors.contains(&link[1..].to_string()),
            "{link} leads nowhere"
        );
    }
    assert_eq!(
        links.iter().filter(|l| *l == "#handout-0").count(),
        2,
        "ana's bar and her row in the chart's table"
    );
    assert!(html.contains(r#"data-worker="ana" id="handout-0""#));
    // The group that binds lists the cases only it may hold.
    let group = cases_behind(&html, "The 4 cases only ana, ben may hold");
    assert_eq!(attributes(group, "data-case"), ["X-1", "X-2", "X-3", "X-4"]);
    // The balance statement lists the busier workers' cases after the proposal.
    let busier = cases_behind(&html, "The busier workers' cases");
    let mut held: Vec<String> = attributes(busier, "data-case");
    held.sort();
    let mut expected: Vec<String> = cases
        .iter()
        .filter(|c| matches!(common::holder(&json, c), Some("ana" | "ben")))
        .map(|c| c.to_string())
        .collect();
    expected.sort();
    assert_eq!(held, expected);
}
