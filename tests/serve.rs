//! `caseload serve` as a browser would use it, through the real binary over HTTP: the token
//! required on every request, a what-if asked by POST and polled until solved, and its figures
//! and downloads byte for byte those of `caseload whatif` on the command line.

mod common;

use std::time::{Duration, Instant};

use common::caseload;
use common::server::Server;

const RIVERSIDE: &str = "scenarios/riverside.toml";

#[test]
fn a_request_without_the_token_is_refused() {
    let server = Server::start(RIVERSIDE);
    for path in [
        "/",
        "/today.html",
        "/whatif/1",
        "/whatif/1/whatif.csv",
        "/no/such/page",
    ] {
        let answer = server.request("GET", path, &[], "");
        assert_eq!(answer.status, 403, "{path}");
        assert!(answer.text().contains("token"), "{path}: {}", answer.text());
    }
    let wrong = "0".repeat(32);
    let answer = server.request("GET", "/", &[("X-Caseload-Token", &wrong)], "");
    assert_eq!(answer.status, 403);
    let answer = server.request("GET", &format!("/?token={wrong}"), &[], "");
    assert_eq!(answer.status, 403);
    // A what-if asked without the token is not asked.
    let answer = server.request("POST", "/whatif", &[], "leave=derek");
    assert_eq!(answer.status, 403);
    assert_eq!(server.get("/whatif/1").status, 404);
}

#[test]
fn an_address_the_dashboard_does_not_have_is_its_own_not_found_page() {
    let server = Server::start(RIVERSIDE);
    for path in [
        "/no/such/page",
        "/..%2F..%2FCargo.toml",
        "/whatif/1/..%2F..%2F..%2FCargo.toml",
        "/today.html/../../Cargo.toml",
    ] {
        server.assert_not_found(path);
    }
}

#[test]
fn the_token_in_the_address_becomes_a_cookie() {
    let server = Server::start(RIVERSIDE);
    let answer = server.request("GET", &format!("/?token={}", server.token), &[], "");
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("location"),
        Some("/"),
        "the token leaves the address bar"
    );
    let cookie = answer.header("set-cookie").expect("a cookie");
    assert!(cookie.starts_with(&format!("caseload_token={};", server.token)));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let page = server.request(
        "GET",
        "/",
        &[("Cookie", cookie.split(';').next().unwrap())],
        "",
    );
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Riverside North, week 47"), "{text}");
    assert!(text.contains(r#"<option value="derek">derek</option>"#));
}

#[test]
fn the_token_in_the_address_never_sends_the_browser_elsewhere() {
    // A browser reads `//host`, `///host` and `/\host` as another site's address.
    let server = Server::start(RIVERSIDE);
    for (path, to) in [
        ("//evil.example/", "/"),
        ("///evil.example", "/"),
        ("/\\evil.example/", "/"),
        ("/today.html", "/today.html"),
    ] {
        let answer = server.request("GET", &format!("{path}?token={}", server.token), &[], "");
        assert_eq!(answer.status, 303, "{path}");
        assert_eq!(answer.header("location"), Some(to), "{path}");
    }
}

#[test]
fn a_leave_solved_on_the_dashboard_is_the_command_lines_whatif() {
    let server = Server::start(RIVERSIDE);
    let answer = server.post("/whatif", "leave=derek");
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), Some("/whatif/1"));
    assert_eq!(server.wait_for(1), "done");
    let page = server.get("/whatif/1").text();
    assert!(page.contains("derek on leave"), "{page}");
    assert!(page.contains(r#"data-state="done""#));
    for format in ["json", "csv", "html", "xlsx"] {
        let download = server.get(&format!("/whatif/1/whatif.{format}"));
        assert_eq!(download.status, 200, "{format}");
        let cli = caseload(&["whatif", RIVERSIDE, "--leave", "derek", "--format", format]);
        assert!(cli.status.success(), "{format}");
        assert!(
            download.body == cli.stdout,
            "the dashboard's {format} differs from `caseload whatif --leave derek --format {format}`"
        );
    }
    // The report shown is the download, told to link case ids to their answers.
    let report = server.get("/whatif/1/report.html");
    assert_eq!(
        report.text(),
        server.get("/whatif/1/whatif.html").text().replacen(
            r#"<html lang="en">"#,
            r#"<html lang="en" data-why="why">"#,
            1
        )
    );
}

#[test]
fn a_target_asked_on_the_dashboard_is_the_command_lines_target() {
    let server = Server::start(RIVERSIDE);
    assert_eq!(
        server.post("/whatif", "leave=derek&target=0.85").status,
        303
    );
    assert_eq!(server.wait_for(1), "done");
    assert!(server
        .get("/")
        .text()
        .contains("derek on leave, a target of 0.85"));
    for format in ["json", "csv"] {
        let cli = caseload(&[
            "whatif", RIVERSIDE, "--leave", "derek", "--target", "0.85", "--format", format,
        ]);
        assert!(cli.status.success(), "{format}");
        assert!(
            server.get(&format!("/whatif/1/whatif.{format}")).body == cli.stdout,
            "the dashboard's {format} differs from `caseload whatif --leave derek --target 0.85`"
        );
    }
    let answer = server.post("/whatif", "target=0");
    assert_eq!(answer.status, 400);
    assert!(answer
        .text()
        .contains("the target must be a utilization above 0"));
}

/// The text of riverside with its model named by an absolute path, so that a copy in another
/// folder loads the same team.
fn riverside_elsewhere() -> String {
    let model = std::fs::canonicalize("models/standard.toml").unwrap();
    std::fs::read_to_string(RIVERSIDE).unwrap().replacen(
        "model = \"../models/standard.toml\"",
        &format!("model = {}", toml::Value::from(model.to_str().unwrap())),
        1,
    )
}

#[test]
fn target_on_the_command_line_is_the_policys_target_utilization() {
    // The same team with `target_utilization = 0.85` in its policy, in a folder of its own
    // (its model named by an absolute path): the same proposal but for the record of its input
    // files.
    let with_target =
        riverside_elsewhere().replacen("[policy]", "[policy]\ntarget_utilization = 0.85", 1);
    assert!(
        with_target.contains("target_utilization = 0.85") && !with_target.contains("../models")
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("riverside.toml");
    std::fs::write(&copy, with_target).unwrap();
    let by_policy = caseload(&[
        "whatif",
        copy.to_str().unwrap(),
        "--leave",
        "derek",
        "--format",
        "json",
    ]);
    let by_option = caseload(&[
        "whatif", RIVERSIDE, "--leave", "derek", "--target", "0.85", "--format", "json",
    ]);
    let without_inputs = |out: &std::process::Output| {
        let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json.as_object_mut().unwrap().remove("inputs");
        json
    };
    assert!(by_policy.status.success() && by_option.status.success());
    assert_eq!(without_inputs(&by_policy), without_inputs(&by_option));
    let refused = caseload(&["rebalance", RIVERSIDE, "--target", "-1"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn a_cancelled_whatif_stops_its_solve_long_before_its_time_limit() {
    // A team whose what-if would take minutes under a 600-second limit.
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::write_generated(dir.path(), "scenario.toml", 200, 6000, 1);
    let server = Server::start_with(scenario.to_str().unwrap(), &["--time-limit", "600"]);
    assert_eq!(server.post("/whatif", "leave=w001").status, 303);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.get("/whatif/1/state").text(), "solving");
    assert_eq!(server.post("/whatif/1/cancel", "").status, 303);
    let cancelled = Instant::now();
    loop {
        let state = server.get("/whatif/1/state").text();
        if state == "cancelled" {
            break;
        }
        assert_eq!(state, "cancelling");
        assert!(
            cancelled.elapsed() < Duration::from_secs(60),
            "the solve is still running a minute after it was cancelled"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.get("/whatif/1").text().contains("cancelled"));
    assert_eq!(server.get("/whatif/1/whatif.json").status, 404);
}

#[test]
fn while_today_solves_only_its_frame_reloads_so_a_form_being_filled_in_stays() {
    // A team whose own solve takes far longer than the requests below.
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::write_generated(dir.path(), "scenario.toml", 200, 6000, 2);
    let server = Server::start_with(scenario.to_str().unwrap(), &["--time-limit", "600"]);
    let overview = server.get("/");
    assert_eq!(overview.status, 200);
    let text = overview.text();
    assert!(!text.contains("http-equiv=\"refresh\""), "{text}");
    assert!(text.contains(r#"<select name="leave">"#), "{text}");
    assert!(text.contains(r#"src="/today-solving""#), "{text}");
    let frame = server.get("/today-solving");
    assert_eq!(frame.status, 200);
    let frame = frame.text();
    assert!(frame.contains(r#"http-equiv="refresh""#), "{frame}");
    assert!(frame.contains("Solving today's team"), "{frame}");
    for path in ["/why?case=c0001", "/apply"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 503, "{path}");
        assert!(answer.text().contains("still being solved"), "{path}");
    }

    assert_eq!(server.get("/today.html").status, 503);
    drop(server);

    // Once solved, the frame is sent on to the report, and the overview shows it directly.
    let server = Server::start(RIVERSIDE);
    server.wait_for_today();
    let frame = server.get("/today-solving");
    assert_eq!(frame.status, 303);
    assert_eq!(frame.header("location"), Some("/today.html"));
    assert!(server.get("/").text().contains(r#"src="/today.html""#));
}

#[test]
fn ctrl_c_stops_the_dashboard_and_says_so() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["serve", RIVERSIDE, "--port", "0"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut address = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    assert!(address.contains("http://127.0.0.1:"), "{address}");
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("interrupted: stopping the dashboard"),
        "{stderr}"
    );
}

/// The text of an answer page: its `<pre>`, unescaped.
fn answer_text(page: &str) -> String {
    let start = page.find("<pre class=\"answer\">").expect("an answer") + 20;
    let end = start + page[start..].find("</pre>").expect("its end");
    page[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn why_a_case_goes_where_it_goes_is_explains_answer() {
    let server = Server::start(RIVERSIDE);
    server.wait_for_today();
    assert!(server.get("/").text().contains(r#"action="/why""#));
    for (query, args) in [
        ("case=C-1079", ["--case", "C-1079"]),
        ("worker=tom", ["--staff", "tom"]),
    ] {
        let page = server.get(&format!("/why?{query}"));
        assert_eq!(page.status, 200, "{query}");
        let cli = caseload(&[&["explain", RIVERSIDE][..], &args[..]].concat());
        assert!(cli.status.success());
        assert_eq!(
            answer_text(&page.text()),
            String::from_utf8(cli.stdout).unwrap(),
            "{query}"
        );
    }
    let unknown = server.get("/why?case=C-107");
    assert_eq!(unknown.status, 404);
    assert!(unknown
        .text()
        .contains("no case has the id `C-107`; did you mean"));

    // On a what-if: derek's cases say why derek no longer holds them.
    assert_eq!(server.post("/whatif", "leave=derek").status, 303);
    assert_eq!(server.wait_for(1), "done");
    let json: serde_json::Value = serde_json::from_slice(
        &caseload(&["whatif", RIVERSIDE, "--leave", "derek", "--format", "json"]).stdout,
    )
    .unwrap();
    let moved = json["proposal"]["moves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["from"] == "derek")
        .expect("a case leaves derek");
    let case = moved["case"].as_str().unwrap();
    let page = server.get(&format!("/whatif/1/why?case={case}"));
    assert_eq!(page.status, 200);
    let text = answer_text(&page.text());
    assert!(text.contains(case) && text.contains("on leave"), "{text}");
}

#[test]
fn a_scenario_that_does_not_load_is_shown_on_the_page_and_read_again_when_mended() {
    let dir = tempfile::tempdir().unwrap();
    let good = "name = \"Small\"\n\n[[staff]]\nid = \"ana\"\ncapacity = 10\n\n[[staff]]\nid = \"bo\"\ncapacity = 10\n\n[[case]]\nid = \"C-1\"\nacuity = 4\nassigned = \"ana\"\n";
    let bad = good.replace(
        "capacity = 10\n\n[[staff]]",
        "capacity = \"ten\"\n\n[[staff]]",
    );
    let scenario = common::write(dir.path(), "team.toml", &bad);
    let server = Server::start(scenario.to_str().unwrap());
    let page = server.get("/");
    assert_eq!(page.status, 503);
    let text = page.text();
    assert!(
        text.contains("team.toml:5:12"),
        "located as on the command line: {text}"
    );
    assert!(text.contains(r#"action="/load""#));
    assert_eq!(server.post("/whatif", "leave=ana").status, 503);
    // Still broken: the page says so again.
    assert_eq!(server.post("/load", "").status, 303);
    assert_eq!(server.get("/").status, 503);
    std::fs::write(&scenario, good).unwrap();
    assert_eq!(server.post("/load", "").status, 303);
    server.wait_for_today();
    assert!(server.get("/").text().contains("What if"));
    assert_eq!(server.post("/whatif", "leave=bo").status, 303);
    assert_eq!(server.wait_for(1), "done");
}

#[test]
fn apply_from_the_dashboard_writes_what_caseload_apply_writes_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let text = riverside_elsewhere();
    let scenario = common::write(dir.path(), "riverside.toml", &text);
    let server = Server::start(scenario.to_str().unwrap());
    server.wait_for_today();
    let next = dir.path().join("riverside-next.toml");
    let confirm = server.get("/apply").text();
    assert!(confirm.contains(&next.display().to_string()), "{confirm}");
    assert!(!next.exists(), "a GET writes nothing");
    let written = server.post("/apply", "");
    assert_eq!(written.status, 200, "{}", written.text());

    let proposal = dir.path().join("proposal.json");
    let expected = dir.path().join("expected.toml");
    let [scenario, proposal, expected] =
        [&scenario, &proposal, &expected].map(|p| p.to_str().unwrap());
    assert!(caseload(&[
        "rebalance",
        scenario,
        "--format",
        "json",
        "--output",
        proposal
    ])
    .status
    .success());
    assert!(
        caseload(&["apply", scenario, proposal, "--output", expected])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(&next).unwrap(),
        std::fs::read(expected).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(scenario).unwrap(),
        text,
        "the input is unchanged"
    );
    // Never over a file that exists.
    let again = server.post("/apply", "");
    assert_eq!(again.status, 409);
    assert!(again.text().contains("already exists"), "{}", again.text());
}

#[test]
fn apply_asked_several_times_at_once_writes_once() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::write(dir.path(), "riverside.toml", &riverside_elsewhere());
    let server = Server::start(scenario.to_str().unwrap());
    server.wait_for_today();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let posts: Vec<_> = (0..8)
            .map(|_| s.spawn(|| server.post("/apply", "").status))
            .collect();
        posts.into_iter().map(|p| p.join().unwrap()).collect()
    });
    let written = statuses.iter().filter(|&&s| s == 200).count();
    assert_eq!(
        written, 1,
        "one apply writes, the others are refused: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|&s| s == 200 || s == 409),
        "{statuses:?}"
    );
}

#[test]
fn todays_page_is_the_html_report_of_rebalance() {
    let server = Server::start(RIVERSIDE);
    let page = server.wait_for_today();
    let cli = caseload(&["rebalance", RIVERSIDE, "--format", "html", "--budget-curve"]);
    // The same page, told that this server answers why, so that its case ids link there.
    let told = String::from_utf8(cli.stdout).unwrap().replacen(
        r#"<html lang="en">"#,
        r#"<html lang="en" data-why="why">"#,
        1,
    );
    assert!(
        page.text() == told,
        "today's page differs from rebalance --format html"
    );
    assert!(server.get("/").text().contains(r#"src="/today.html""#));
}

#[test]
fn a_change_that_does_not_fit_the_team_is_refused_with_what_to_do() {
    let server = Server::start(RIVERSIDE);
    let answer = server.post("/whatif", "leave=dere");
    assert_eq!(answer.status, 400);
    assert!(answer
        .text()
        .contains("no worker has the id `dere`; did you mean `derek`?"));
    let answer = server.post("/whatif", "fte_worker=tom&fte=half");
    assert_eq!(answer.status, 400);
    assert!(answer
        .text()
        .contains("the new FTE must be a number, e.g. 0.5, not `half`"));
    let answer = server.post("/whatif", "leave=");
    assert_eq!(answer.status, 400);
    assert!(answer.text().contains("say what changes"));
    assert_eq!(server.get("/whatif/1").status, 404, "nothing was asked");
}

#[test]
fn a_request_the_dashboard_cannot_take_is_answered_with_its_own_page() {
    let server = Server::start(RIVERSIDE);
    let cookie = format!("caseload_token={}", server.token);
    let huge = format!("leave={}", "x".repeat(3 << 20));
    let answers = [
        (server.get("/whatif/abc"), 404, "There is no such page"),
        (
            server.get("/whatif/99999999999999999999999/whatif.csv"),
            404,
            "There is no such page",
        ),
        (server.get("/whatif"), 405, "does not take a GET request"),
        (
            server.request("PUT", "/apply", &[("Cookie", &cookie)], ""),
            405,
            "does not take a PUT request",
        ),
        (
            server.get("/why?case=a&case=b"),
            400,
            "duplicate field `case`",
        ),
        (server.post("/whatif", &huge), 413, "length limit exceeded"),
    ];
    for (answer, status, said) in answers {
        assert_eq!(answer.status, status, "{said}");
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{said}"
        );
        let text = answer.text();
        assert!(text.contains("caseload dashboard"), "{text}");
        assert!(text.contains(said), "{text}");
    }
    let refused = server.request("POST", "/", &[("Cookie", &cookie)], "");
    assert_eq!(
        refused.header("allow"),
        Some("GET,HEAD"),
        "405 still says what is allowed"
    );
}

#[test]
fn get_changes_nothing_and_no_path_reaches_the_files() {
    let server = Server::start(RIVERSIDE);
    assert_eq!(server.get("/whatif?leave=derek").status, 405);
    assert_eq!(server.get("/whatif/1").status, 404);
    for path in [
        "/../Cargo.toml",
        "/whatif/1/..%2F..%2FCargo.toml",
        "/scenarios/riverside.toml",
        "/whatif/1/%2Fetc%2Fpasswd",
    ] {
        let status = server.get(path).status;
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
}

#[test]
fn several_whatifs_are_kept_side_by_side() {
    let server = Server::start(RIVERSIDE);
    assert_eq!(server.post("/whatif", "leave=derek").status, 303);
    assert_eq!(
        server
            .post("/whatif", "fte_worker=tom&fte=0.5&surge=10%25")
            .status,
        303
    );
    assert_eq!(server.wait_for(1), "done");
    assert_eq!(server.wait_for(2), "done");
    let overview = server.get("/").text();
    assert!(
        overview.contains(r#"<a href="/whatif/1">derek on leave</a>"#),
        "{overview}"
    );
    assert!(
        overview.contains("tom at 0.5 FTE, 9 more intake cases (10%)"),
        "{overview}"
    );
    let cli = caseload(&[
        "whatif", RIVERSIDE, "--fte", "tom=0.5", "--surge", "10%", "--format", "csv",
    ]);
    assert!(server.get("/whatif/2/whatif.csv").body == cli.stdout);
}

#[test]
fn text_from_the_input_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let hostile_team = "<script>window.ran = 3</script> & co";
    let team = common::Team::new()
        .name(hostile_team)
        .staff("ana", |s| s.capacity(10))
        .staff("ben", |s| s.capacity(10).skills(&["x"]))
        .case("C-1", |c| c.acuity(4).needs(&["x"]).assigned("ana"))
        .case("C-2", |c| c.acuity(4).assigned("ana"));
    let scenario = team.write(dir.path());
    let server = Server::start(scenario.to_str().unwrap());
    let escaped = "&lt;script&gt;window.ran = 3&lt;/script&gt; &amp; co";
    let overview = server.get("/").text();
    assert!(overview.contains(escaped), "{overview}");
    assert!(!overview.contains(hostile_team));
    assert_eq!(server.post("/whatif", "leave=ana").status, 303);
    assert_eq!(server.wait_for(1), "done");
    let page = server.get("/whatif/1").text();
    assert!(
        page.contains(&format!("{escaped} — what if: ana on leave")),
        "{page}"
    );
    assert!(!page.contains(hostile_team));
    // A refusal repeats what was typed, as text.
    let answer = server.post("/whatif", "fte_worker=ana&fte=%3Cb%3E");
    assert!(
        answer.text().contains("not `&lt;b&gt;`"),
        "{}",
        answer.text()
    );
}

#[test]
fn an_id_with_spaces_around_it_is_asked_about_as_the_report_links_it() {
    // The input keeps the spaces of ` ana ` and ` C1 `, and so does the command line: the
    // dashboard's leave list offers ` ana `, and the report links ` C1 ` to `why?case=%20C1%20`.
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::Team::new()
        .staff(" ana ", |s| s.capacity(20))
        .staff("bo", |s| s.capacity(20))
        .case(" C1 ", |c| c.acuity(5).assigned(" ana "))
        .case("C2", |c| c.acuity(5).assigned(" ana ").pinned())
        .write(dir.path());
    let server = Server::start(scenario.to_str().unwrap());
    let today = server.wait_for_today().text();
    assert!(today.contains(r#"data-case=" C1 ""#), "{today}");
    let answer = server.get("/why?case=%20C1%20");
    assert_eq!(answer.status, 200, "{}", answer.text());
    let answer = server.get("/why?worker=%20ana%20");
    assert_eq!(answer.status, 200, "{}", answer.text());
    // An id typed with a stray space is still found.
    assert_eq!(server.get("/why?case=C2%20").status, 200);
    let asked = server.post("/whatif", "leave=%20ana%20");
    assert_eq!(asked.status, 303, "{}", asked.text());
    assert_eq!(server.wait_for(1), "done");
    let cli = caseload(&[
        "whatif",
        scenario.to_str().unwrap(),
        "--leave",
        " ana ",
        "--format",
        "csv",
    ]);
    assert!(cli.status.success());
    assert!(server.get("/whatif/1/whatif.csv").body == cli.stdout);
}

#[test]
fn a_whatif_asked_after_the_scenario_is_edited_is_of_the_team_on_the_page() {
    // The dashboard shows the team as it loaded; a what-if that changes the move budget is of
    // that team too, not of the file as edited since (nor refused when it is gone).
    let dir = tempfile::tempdir().unwrap();
    let text = riverside_elsewhere();
    let scenario = common::write(dir.path(), "riverside.toml", &text);
    let path = scenario.to_str().unwrap();
    let cli = caseload(&[
        "whatif",
        path,
        "--leave",
        "derek",
        "--max-moves",
        "5",
        "--format",
        "csv",
    ]);
    assert!(cli.status.success());
    let server = Server::start(path);
    server.wait_for_today();
    let edited = text.replacen("Riverside North, week 47", "Edited since", 1);
    std::fs::write(&scenario, edited).unwrap();
    assert_eq!(
        server.post("/whatif", "leave=derek&max_moves=5").status,
        303
    );
    assert_eq!(server.wait_for(1), "done");
    let page = server.get("/whatif/1").text();
    assert!(
        page.contains("Riverside North, week 47 — what if: derek on leave"),
        "{page}"
    );
    assert!(server.get("/whatif/1/whatif.csv").body == cli.stdout);
    std::fs::remove_file(&scenario).unwrap();
    assert_eq!(server.post("/whatif", "target=0.9").status, 303);
    assert_eq!(server.wait_for(2), "done");
}

/// A JSON document without its record of the files it was read from.
fn without_inputs(bytes: &[u8]) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let document = json.as_object_mut().unwrap();
    for key in ["caseload_version", "format_version", "inputs"] {
        document.remove(key);
    }
    json
}

#[test]
fn a_whatif_saved_from_the_dashboard_is_an_overlay_beside_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let text = riverside_elsewhere();
    let scenario = common::write(dir.path(), "riverside.toml", &text);
    let server = Server::start(scenario.to_str().unwrap());
    let asked = "leave=tom&hire_skills=spanish&hire_fte=0.5&max_moves=10";
    assert_eq!(server.post("/whatif", asked).status, 303);
    assert_eq!(server.wait_for(1), "done");
    let page = server.get("/whatif/1").text();
    assert!(
        page.contains(r#"<form class="save" method="post" action="/whatif/1/save-overlay">"#),
        "{page}"
    );
    let saved = dir.path().join("riverside-whatif-1.toml");
    // A GET writes nothing, nor a POST without the token.
    assert_eq!(server.get("/whatif/1/save-overlay").status, 405);
    let refused = server.request("POST", "/whatif/1/save-overlay", &[], "");
    assert_eq!(refused.status, 403);
    assert!(!saved.exists());

    let answer = server.post("/whatif/1/save-overlay", "");
    assert_eq!(answer.status, 200, "{}", answer.text());
    let shown = answer.text();
    let saved_path = saved.to_str().unwrap();
    assert!(
        shown.contains(&format!("caseload rebalance {saved_path}")),
        "{shown}"
    );
    let whatif = format!(
        "caseload whatif {} --leave tom --hire spanish@0.5 --max-moves 10",
        scenario.display()
    );
    assert!(shown.contains(&whatif), "{shown}");
    // Its proposal is the what-if's download, but for the name, which adds the move budget.
    let download = without_inputs(&server.get("/whatif/1/whatif.json").body);
    let mut expected = download["proposal"].clone();
    let title = expected["scenario"].as_str().unwrap().to_string();
    expected["scenario"] = format!("{title}, a budget of 10 moves").into();
    let rebalanced = caseload(&["rebalance", saved_path, "--format", "json"]);
    assert!(rebalanced.status.success());
    assert!(
        without_inputs(&rebalanced.stdout) == expected,
        "the overlay's proposal differs"
    );

    // A second save writes a second file; the first stays as it was, and so does the input.
    let first = std::fs::read_to_string(&saved).unwrap();
    let again = server.post("/whatif/1/save-overlay", "");
    assert_eq!(again.status, 200, "{}", again.text());
    let second = dir.path().join("riverside-whatif-1-2.toml");
    assert!(again.text().contains(second.to_str().unwrap()));
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), first);
    assert_eq!(
        std::fs::read_to_string(&second).unwrap(),
        first.replace("riverside-whatif-1.toml", "riverside-whatif-1-2.toml"),
        "the same overlay, naming itself"
    );
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), text);
    assert_eq!(server.post("/whatif/2/save-overlay", "").status, 404);
}

#[test]
fn a_whatif_is_never_saved_over_a_file_of_the_team() {
    // `team.toml` extends `team-whatif-1.toml`: the name the first save would take is an input.
    let dir = tempfile::tempdir().unwrap();
    let base = common::Team::new()
        .staff("ana", |s| s.capacity(20))
        .staff("bo", |s| s.capacity(20))
        .case("C1", |c| c.acuity(5).assigned("ana"))
        .case("C2", |c| c.acuity(5).assigned("ana"));
    let base_text = base.toml();
    let base_path = common::write(dir.path(), "team-whatif-1.toml", &base_text);
    let scenario = common::write(
        dir.path(),
        "team.toml",
        "extends = \"team-whatif-1.toml\"\n",
    );
    let server = Server::start(scenario.to_str().unwrap());
    assert_eq!(server.post("/whatif", "leave=bo").status, 303);
    assert_eq!(server.wait_for(1), "done");
    let answer = server.post("/whatif/1/save-overlay", "");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(std::fs::read_to_string(&base_path).unwrap(), base_text);
    let saved = dir.path().join("team-whatif-1-2.toml");
    let overlay = std::fs::read_to_string(&saved).unwrap();
    assert!(overlay.contains("extends = \"team.toml\""), "{overlay}");
}

#[test]
fn the_whatifs_side_by_side_are_caseload_compare_of_their_overlays() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::write(dir.path(), "riverside.toml", &riverside_elsewhere());
    let server = Server::start(scenario.to_str().unwrap());
    server.wait_for_today();
    // Nothing to compare before a what-if is solved.
    assert_eq!(server.get("/compare").status, 404);
    assert!(!server.get("/").text().contains("side by side with today"));
    for (n, asked) in ["leave=derek", "hire_skills=spanish&hire_fte=0.5"]
        .iter()
        .enumerate()
    {
        assert_eq!(server.post("/whatif", asked).status, 303);
        assert_eq!(server.wait_for(n + 1), "done");
        assert_eq!(
            server
                .post(&format!("/whatif/{}/save-overlay", n + 1), "")
                .status,
            200
        );
    }
    let overview = server.get("/").text();
    assert!(
        overview.contains(r#"<a href="/compare">Every solved what-if side by side with today</a>"#),
        "{overview}"
    );
    let page = server.get("/compare");
    assert_eq!(page.status, 200);
    assert!(page.text().contains(r#"src="/compare.html""#));
    let cli = caseload(&[
        "compare",
        scenario.to_str().unwrap(),
        dir.path().join("riverside-whatif-1.toml").to_str().unwrap(),
        dir.path().join("riverside-whatif-2.toml").to_str().unwrap(),
        "--format",
        "html",
    ]);
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(
        server.get("/compare.html").body == cli.stdout,
        "the dashboard's comparison differs from caseload compare of the saved overlays"
    );
}
