//! `caseload serve DIR` as a browser would use it, through the real binary over HTTP: a folder's
//! teams listed in the order of their files' names, each with the dashboard of `serve SCENARIO`
//! under `/team/N` whose pages and downloads are byte for byte the command line's, a team that
//! does not load shown with its located problems; and the folders that cannot be served refused.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::caseload;
use common::server::Server;

/// The scenarios of [`folder`], in the order the dashboard numbers them (from 1).
const TEAMS: [&str; 5] = [
    "broken.toml",
    "riverside-leave.toml",
    "riverside-new-hire.toml",
    "riverside-surge.toml",
    "riverside.toml",
];

/// A scenario that does not load: a capacity that is not a number, on line 5, column 12.
const BROKEN: &str = "name = \"Small\"\n\n[[staff]]\nid = \"ana\"\ncapacity = \"ten\"\n\n[[staff]]\nid = \"bo\"\ncapacity = 10\n\n[[case]]\nid = \"C-1\"\nacuity = 4\nassigned = \"ana\"\n";

/// A folder as a supervisor keeps one: riverside with its acuity model beside it, its three
/// what-if overlays, a scenario that does not load, and the model file itself.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let riverside = std::fs::read_to_string("scenarios/riverside.toml")
        .unwrap()
        .replacen(
            "model = \"../models/standard.toml\"",
            "model = \"standard.toml\"",
            1,
        );
    assert!(riverside.contains("model = \"standard.toml\""));
    common::write(dir.path(), "riverside.toml", &riverside);
    for overlay in &TEAMS[1..4] {
        std::fs::copy(
            Path::new("scenarios").join(overlay),
            dir.path().join(overlay),
        )
        .unwrap();
    }
    std::fs::copy("models/standard.toml", dir.path().join("standard.toml")).unwrap();
    common::write(dir.path(), "broken.toml", BROKEN);
    dir
}

fn path_in(dir: &tempfile::TempDir, file: &str) -> String {
    dir.path().join(file).to_str().unwrap().to_string()
}

/// The index's rows: each team's state (`data-state`) and its line's text.
fn rows(index: &str) -> Vec<(String, String)> {
    index
        .split("<tr data-state=\"")
        .skip(1)
        .map(|row| {
            let (state, rest) = row.split_once('"').unwrap();
            let line = rest[..rest.find("</tr>").unwrap()].to_string();
            (state.to_string(), line)
        })
        .collect()
}

/// Polls the index until no team waits or solves (two minutes at most); its rows.
fn wait_for_every_team(server: &Server) -> Vec<(String, String)> {
    let started = Instant::now();
    loop {
        let rows = rows(&server.get("/").text());
        if rows
            .iter()
            .all(|(state, _)| state != "waiting" && state != "solving")
        {
            return rows;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "still solving: {rows:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_index_lists_the_teams_in_order_and_each_overview_is_the_html_report_of_rebalance() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    let index = server.get("/");
    assert_eq!(index.status, 200);
    let text = index.text();
    let listed: Vec<(String, String)> = rows(&text);
    assert_eq!(listed.len(), TEAMS.len(), "{text}");
    for (i, ((_, line), file)) in listed.iter().zip(TEAMS).enumerate() {
        assert!(line.contains(&format!("<code>{file}</code>")), "{line}");
        assert!(
            line.contains(&format!("href=\"/team/{}\"", i + 1)),
            "{line}"
        );
    }
    assert!(
        text.contains("<code>standard.toml</code> (an acuity model)"),
        "the model is left out and said to be: {text}"
    );
    assert!(listed[1]
        .1
        .contains("Riverside North, week 47 — Derek Washington on leave"));
    assert!(listed[1]
        .1
        .contains("<td class=\"num\">9</td><td class=\"num\">88</td>"));

    let rows = wait_for_every_team(&server);
    assert_eq!(rows[0].0, "not-loaded");
    assert!(rows[0].1.contains("does not load"));
    assert!(
        rows.iter().skip(1).all(|(state, _)| state == "done"),
        "{rows:?}"
    );
    assert!(rows[4].1.contains("135% → 86%"), "{}", rows[4].1);
    assert!(rows[4].1.contains("optimal, 14 moves"), "{}", rows[4].1);
    for (i, file) in TEAMS.iter().enumerate().skip(1) {
        let base = format!("/team/{}", i + 1);
        let page = server.get(&format!("{base}/today.html"));
        assert_eq!(page.status, 200, "{file}");
        let scenario = path_in(&dir, file);
        let cli = caseload(&["rebalance", &scenario, "--format", "html", "--budget-curve"]);
        assert!(cli.status.success(), "{file}");
        // The same page, told that this server answers why (beside it, under the team's
        // base), as the dashboard of one scenario shows it.
        let told = String::from_utf8(cli.stdout).unwrap().replacen(
            r#"<html lang="en">"#,
            r#"<html lang="en" data-why="why">"#,
            1,
        );
        assert!(
            page.text() == told,
            "team {} ({file}): today's page differs from rebalance --format html --budget-curve",
            i + 1
        );
        let overview = server.get(&base).text();
        assert!(
            overview.contains(&format!("src=\"{base}/today.html\"")),
            "{overview}"
        );
        assert!(overview.contains(&format!("action=\"{base}/whatif\"")));
        assert!(overview.contains(&format!("href=\"{base}/apply\"")));
    }
}

#[test]
fn a_whatif_on_a_folders_team_is_the_command_lines_whatif_on_its_file() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    let answer = server.post("/team/2/whatif", "fte_worker=tom&fte=0.5");
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), Some("/team/2/whatif/1"));
    assert_eq!(server.wait_for_in("/team/2", 1), "done");
    let page = server.get("/team/2/whatif/1").text();
    assert!(page.contains("tom at 0.5 FTE"), "{page}");
    assert!(
        page.contains(r#"href="/team/2/whatif/1/whatif.json""#),
        "{page}"
    );
    assert!(page.contains(r#"src="/team/2/whatif/1/report.html""#));
    assert!(page.contains(r#"action="/team/2/whatif/1/why""#));
    let scenario = path_in(&dir, TEAMS[1]);
    for format in ["json", "csv", "html", "xlsx"] {
        let download = server.get(&format!("/team/2/whatif/1/whatif.{format}"));
        assert_eq!(download.status, 200, "{format}");
        let cli = caseload(&["whatif", &scenario, "--fte", "tom=0.5", "--format", format]);
        assert!(cli.status.success(), "{format}");
        assert!(
            download.body == cli.stdout,
            "team 2's {format} differs from `caseload whatif {} --fte tom=0.5 --format {format}`",
            TEAMS[1]
        );
    }
    // Each team keeps its own what-ifs.
    assert_eq!(server.get("/team/5/whatif/1").status, 404);
    assert_eq!(server.get("/whatif/1").status, 404);
    // Saved as an overlay: beside the team's own scenario, in the folder.
    assert!(
        page.contains(r#"action="/team/2/whatif/1/save-overlay""#),
        "{page}"
    );
    let saved = server.post("/team/2/whatif/1/save-overlay", "");
    assert_eq!(saved.status, 200, "{}", saved.text());
    let overlay = dir.path().join("riverside-leave-whatif-1.toml");
    assert!(overlay.exists(), "{}", saved.text());
    assert!(
        saved.text().contains(r#"href="/team/2""#),
        "{}",
        saved.text()
    );
}

#[test]
fn a_team_that_does_not_load_shows_its_problems_and_loads_once_mended() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    let page = server.get("/team/1");
    assert_eq!(page.status, 503);
    let text = page.text();
    assert!(
        text.contains("broken.toml:5:12"),
        "located as on the command line: {text}"
    );
    assert!(text.contains(r#"action="/team/1/load""#), "{text}");
    assert_eq!(server.post("/team/1/whatif", "leave=ana").status, 503);
    let mended = BROKEN.replace("capacity = \"ten\"", "capacity = 10");
    common::write(dir.path(), "broken.toml", &mended);
    let answer = server.post("/team/1/load", "");
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), Some("/team/1"));
    let rows = wait_for_every_team(&server);
    assert!(rows.iter().all(|(state, _)| state == "done"), "{rows:?}");
    assert!(rows[0].1.contains("Small"), "{}", rows[0].1);
    assert_eq!(server.get("/team/1/today.html").status, 200);
}

#[test]
fn a_solved_whatif_is_compared_from_the_overview_even_while_todays_team_waits() {
    // Team 1, a large generated team, keeps the queue of today's solves busy for a while, so
    // team 2 (riverside) waits for its own today's solve; its what-if takes a free slot at once.
    let dir = tempfile::tempdir().unwrap();
    common::write_generated(dir.path(), "a-large.toml", 200, 6000, 3);
    let riverside = std::fs::read_to_string(folder().path().join("riverside.toml")).unwrap();
    common::write(dir.path(), "b-riverside.toml", &riverside);
    std::fs::copy("models/standard.toml", dir.path().join("standard.toml")).unwrap();
    let server = Server::start_with(dir.path().to_str().unwrap(), &["--time-limit", "600"]);
    assert_eq!(server.post("/team/2/whatif", "leave=maria").status, 303);
    assert_eq!(server.wait_for_in("/team/2", 1), "done");
    let rows = rows(&server.get("/").text());
    assert_eq!(
        rows[1].0, "waiting",
        "team 2 is solved only after team 1: {rows:?}"
    );

    // The overview no longer reloads itself while today's team waits: the link is there from
    // the start, and the comparison says it waits for today's proposal.
    let overview = server.get("/team/2").text();
    assert!(overview.contains(r#"href="/team/2/compare""#), "{overview}");
    let compare = server.get("/team/2/compare");
    assert_eq!(compare.status, 503);
    assert!(
        compare.text().contains("still being solved"),
        "{}",
        compare.text()
    );
}

#[test]
fn a_teams_message_pages_lead_back_to_the_team_and_the_dashboards_to_the_index() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    wait_for_every_team(&server);
    let unanswered = server.get("/team/5/why?case=NO-SUCH-CASE");
    assert_eq!(unanswered.status, 404);
    let text = unanswered.text();
    assert!(
        text.contains(r#"<a href="/team/5">Back to the dashboard</a>"#),
        "{text}"
    );
    let refused = server.post("/team/5/whatif", "leave=");
    assert_eq!(refused.status, 400);
    assert!(
        refused.text().contains(r#"<a href="/team/5">Back"#),
        "{}",
        refused.text()
    );
    let nowhere = server.get("/team/99/whatif");
    assert_eq!(nowhere.status, 404);
    assert!(
        nowhere.text().contains(r#"<a href="/">Back"#),
        "{}",
        nowhere.text()
    );
}

#[test]
fn apply_on_a_folders_team_writes_beside_its_scenario() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    wait_for_every_team(&server);
    let confirm = server.get("/team/5/apply").text();
    let next = dir.path().join("riverside-next.toml");
    assert!(confirm.contains(&next.display().to_string()), "{confirm}");
    assert!(confirm.contains(r#"action="/team/5/apply""#), "{confirm}");
    let written = server.post("/team/5/apply", "");
    assert_eq!(written.status, 200, "{}", written.text());
    assert!(written.text().contains(r#"href="/team/5""#));
    assert!(next.exists());
}

#[test]
fn only_a_teams_number_names_it_and_every_address_needs_the_token() {
    let dir = folder();
    let server = Server::start(dir.path().to_str().unwrap());
    for path in [
        "/team/99",
        "/team/0",
        "/team/6",
        "/team/..%2f..",
        "/team/..%2F..%2FCargo.toml",
        "/team/riverside.toml",
        "/team/2/../../Cargo.toml",
        "/riverside.toml",
        "/today.html",
    ] {
        server.assert_not_found(path);
    }
    for path in ["/", "/team/2", "/team/2/today.html", "/team/99"] {
        let answer = server.request("GET", path, &[], "");
        assert_eq!(answer.status, 403, "{path}");
    }
    assert_eq!(
        server
            .request("POST", "/team/2/whatif", &[], "leave=derek")
            .status,
        403
    );
    assert_eq!(
        server.get("/team/2/whatif/1").status,
        404,
        "nothing was asked"
    );
    // The address printed leads to the index, which links each team.
    let first = server.request("GET", &format!("/?token={}", server.token), &[], "");
    assert_eq!(first.status, 303);
    assert_eq!(first.header("location"), Some("/"));
}

/// `caseload serve PATH`'s exit code and standard error, for a path that cannot be served (it
/// ends at once).
fn refused(path: &Path) -> (Option<i32>, String) {
    let out = caseload(&["serve", path.to_str().unwrap()]);
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_folder_without_a_scenario_or_that_does_not_exist_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    common::write(&empty, "notes.txt", "not a scenario");
    let (code, stderr) = refused(&empty);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: the folder `{}` holds no scenario (*.toml) file",
            empty.display()
        )),
        "{stderr}"
    );

    let models = dir.path().join("models");
    std::fs::create_dir(&models).unwrap();
    std::fs::copy("models/standard.toml", models.join("standard.toml")).unwrap();
    std::fs::copy("scenarios/profiles/hires.toml", models.join("hires.toml")).unwrap();
    let (code, stderr) = refused(&models);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("holds no scenario (*.toml) file, only hiring profiles (`hires.toml`), an acuity model (`standard.toml`)"),
        "{stderr}"
    );

    let missing: PathBuf = dir.path().join("missing");
    let (code, stderr) = refused(&missing);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: the folder `{}` does not exist",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: check the path and the spelling"),
        "{stderr}"
    );
}

#[test]
fn the_team_whose_page_is_open_is_solved_next_and_its_frame_says_it_waits_till_then() {
    // Three large teams, solved one at a time, each taking seconds.
    let dir = tempfile::tempdir().unwrap();
    for (seed, name) in [(1, "a.toml"), (2, "b.toml"), (3, "c.toml")] {
        common::write_generated(dir.path(), name, 200, 6000, seed);
    }
    let server = Server::start_with(dir.path().to_str().unwrap(), &["--time-limit", "4"]);
    let frame = server.get("/team/3/today-solving");
    assert_eq!(frame.status, 200);
    assert!(
        frame.text().contains("waits for its turn"),
        "{}",
        frame.text()
    );
    let started = Instant::now();
    while server.get("/team/3/today-solving").status != 303 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "team 3 unsolved"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        server.get("/team/2/today-solving").status,
        200,
        "team 2 was solved before the team whose page is open"
    );
}
