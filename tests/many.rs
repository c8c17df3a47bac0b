//! Many scenarios at once: `compare` order and determinism at 1 and 2 threads, `tradeoff`
//! monotone, the same at 1 and 2 threads, never worse than single runs and every point a
//! proposal that keeps the rules, `batch` with a broken scenario among good ones, `whatif`
//! equal to the same change written as an overlay.

mod common;

use std::path::{Path, PathBuf};

use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::{check_proposal, proposal_json, Explanation};
use common::{caseload_threads, code, root, write};
use serde_json::Value;

const SCENARIOS: [&str; 4] = [
    "scenarios/riverside-surge.toml",
    "scenarios/riverside.toml",
    "scenarios/riverside-leave.toml",
    "scenarios/riverside-new-hire.toml",
];

#[test]
fn compare_keeps_input_order_and_gives_the_same_bytes_at_1_and_2_threads() {
    let mut args = vec!["compare", "--format", "json"];
    args.extend(SCENARIOS);
    let one = caseload_threads("1", &args);
    let two = caseload_threads("2", &args);
    assert_eq!(code(&one), 0, "{}", String::from_utf8_lossy(&one.stderr));
    assert_eq!(one.stdout, two.stdout);
    // Standard error is not a terminal here: no progress bar.
    assert!(!String::from_utf8_lossy(&two.stderr).contains("solving"));
    // One summary per scenario, under `scenarios`.
    let runs = serde_json::from_slice::<Value>(&one.stdout).unwrap()["scenarios"].take();
    let names: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Riverside North, week 47 — intake surge of 15%",
            "Riverside North, week 47",
            "Riverside North, week 47 — Derek Washington on leave",
            "Riverside North, week 47 — new part-time hire",
        ]
    );
    // Each column is what the single run proposes.
    for (path, run) in SCENARIOS.iter().zip(runs.as_array().unwrap()) {
        let (single, _) = common::solve_checked("rebalance", &root().join(path), &[]);
        assert_eq!(
            run["max_utilization_after"],
            single["metrics"]["max_utilization_after"]
        );
        assert_eq!(run["moves"], single["metrics"]["moves"]);
    }
    let csv = caseload_threads(
        "2",
        &["compare", "--format", "csv", SCENARIOS[1], SCENARIOS[2]],
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text
        .lines()
        .nth(2)
        .unwrap()
        .starts_with("\"Riverside North, week 47 — Derek"));
}

/// `scenario` (under `scenarios/`) without the equity tolerance, as the trade-off curve solves
/// it, written as an overlay into `dir`.
fn without_tolerance(dir: &Path, scenario: &str) -> PathBuf {
    let text = format!(
        "extends = \"{}\"\n\n[policy]\nequity_tolerance = 0\n",
        root().join("scenarios").join(scenario).display()
    );
    write(dir, &format!("exact-{scenario}"), &text)
}

/// A point's measures in the solver's order: max utilization, overload, moves.
fn measures(max_utilization: &Value, overload: &Value, moves: &Value) -> (f64, f64, u64) {
    (
        max_utilization.as_f64().unwrap(),
        overload.as_f64().unwrap(),
        moves.as_u64().unwrap(),
    )
}

/// True when `a` is no worse than `b` in the solver's order.
fn no_worse(a: (f64, f64, u64), b: (f64, f64, u64)) -> bool {
    if (a.0 - b.0).abs() > 1e-9 {
        return a.0 < b.0;
    }
    if (a.1 - b.1).abs() > 1e-9 {
        return a.1 < b.1;
    }
    a.2 <= b.2
}

#[test]
fn the_curve_never_worsens_is_the_same_at_1_and_2_threads_and_ends_at_the_unlimited_equity() {
    let dir = tempfile::tempdir().unwrap();
    for scenario in ["riverside.toml", "mercy-health.toml"] {
        let path = format!("scenarios/{scenario}");
        let run = |threads: &str, format: &str| {
            let out = caseload_threads(threads, &["tradeoff", &path, "--format", format]);
            assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        assert_eq!(run("1", "json"), run("2", "json"), "{scenario}");
        assert_eq!(run("1", "text"), run("2", "text"), "{scenario}");
        let json: Value = serde_json::from_slice(&run("2", "json")).unwrap();
        assert_eq!(json["cut_short_by_time_limit"], false);
        let curve = json["curve"].as_array().unwrap();
        let point = |p: &Value| measures(&p["max_utilization"], &p["overload"], &p["moves"]);
        for (i, p) in curve.iter().enumerate() {
            assert_eq!(p["max_moves"].as_u64().unwrap(), i as u64);
            assert!(p["discretionary_moves"].as_u64().unwrap() <= i as u64);
        }
        for pair in curve.windows(2) {
            assert!(no_worse(point(&pair[1]), point(&pair[0])), "{json}");
        }
        // The curve stops at the first budget that reaches an unlimited budget's equity.
        let (unlimited, _) = common::solve_checked(
            "rebalance",
            &without_tolerance(dir.path(), scenario),
            &["--max-moves", "1000"],
        );
        let m = &unlimited["metrics"];
        let best = (
            m["max_utilization_after"].as_f64().unwrap(),
            m["overload_after"].as_f64().unwrap(),
        );
        let reaches = |p: (f64, f64, u64)| p.0 <= best.0 + 1e-9 && p.1 <= best.1 + 1e-9;
        assert!(reaches(point(curve.last().unwrap())), "{json}");
        assert!(!reaches(point(&curve[curve.len() - 2])), "{json}");
    }
}

#[test]
fn no_point_is_worse_than_solving_its_budget_alone() {
    // Every budget of the curve, solved from scratch without the curve's head starts: the
    // curve's point is never worse, and each of those proposals keeps every rule.
    let dir = tempfile::tempdir().unwrap();
    for scenario in ["riverside-surge.toml", "harbor-child-welfare.toml"] {
        let path = format!("scenarios/{scenario}");
        let out = caseload_threads("2", &["tradeoff", &path, "--format", "json"]);
        assert!(code(&out) <= 1, "{}", String::from_utf8_lossy(&out.stderr));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let exact = without_tolerance(dir.path(), scenario);
        for p in json["curve"].as_array().unwrap() {
            let budget = p["max_moves"].to_string();
            let (single, _) = common::solve_checked("rebalance", &exact, &["--max-moves", &budget]);
            if p["max_utilization"].is_null() {
                assert_eq!(single["status"], "infeasible", "budget {budget}: {p}");
                continue;
            }
            let m = &single["metrics"];
            let alone = measures(
                &m["max_utilization_after"],
                &m["overload_after"],
                &m["moves"],
            );
            let curve = measures(&p["max_utilization"], &p["overload"], &p["moves"]);
            assert!(
                no_worse(curve, alone),
                "{scenario}, budget {budget}: the curve has {curve:?}, alone {alone:?}"
            );
        }
    }
}

#[test]
fn every_point_of_the_curve_is_a_proposal_that_keeps_every_rule_under_its_budget() {
    for scenario in [
        "riverside.toml",
        "mercy-health.toml",
        "riverside-leave.toml",
    ] {
        let loaded = load_scenario(
            &root().join("scenarios").join(scenario),
            &LoadOptions::default(),
        )
        .unwrap();
        let tradeoff = caseload::plan::compare::tradeoff(
            &loaded.scenario,
            caseload::plan::compare::CurveRange::default(),
            60.0,
            &|| {},
        );
        assert!(!tradeoff.cut_short);
        assert_eq!(tradeoff.curve.len(), tradeoff.proposals.len());
        for (point, proposal) in tradeoff.curve.iter().zip(&tradeoff.proposals) {
            let mut under = loaded.scenario.clone();
            under.policy.max_moves = point.max_moves;
            let json: Value = serde_json::from_str(&proposal_json(
                &Explanation::of(&under, proposal),
                &Provenance::of(loaded.inputs.clone()),
            ))
            .unwrap();
            let problems = check_proposal(&under, &json);
            assert!(
                problems.is_empty(),
                "{scenario}, budget {}: {}",
                point.max_moves,
                problems.join("\n")
            );
            let m = &json["metrics"];
            assert_eq!(m["max_utilization_after"].as_f64(), point.max_utilization);
            assert_eq!(m["overload_after"].as_f64(), point.overload);
            assert_eq!(m["moves"].as_u64(), point.moves.map(u64::from));
        }
    }
}

/// A folder `week` in `dir` for a batch, and the riverside example's text with its model path
/// made absolute, so that copies of it load from anywhere.
fn week_folder(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let input = dir.join("week");
    std::fs::create_dir(&input).unwrap();
    let good = std::fs::read_to_string(root().join("scenarios/riverside.toml"))
        .unwrap()
        .replace(
            "../models/standard.toml",
            &root().join("models/standard.toml").display().to_string(),
        );
    (input, good)
}

#[test]
fn batch_reports_a_broken_scenario_and_runs_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let (input, good) = week_folder(dir.path());
    write(&input, "a-team.toml", &good);
    write(&input, "b-broken.toml", "[[staff]]\nid = \"x\"\nfte = -2\n");
    write(
        &input,
        "c-team.toml",
        &good.replace("Riverside North", "Riverside South"),
    );
    let out_dir = dir.path().join("out");
    let run = |threads: &str| {
        caseload_threads(
            threads,
            &[
                "batch",
                input.to_str().unwrap(),
                "--output",
                out_dir.to_str().unwrap(),
                "--force",
            ],
        )
    };
    let out = run("2");
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("b-broken.toml:3:7"), "{stderr}");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    let codes: Vec<u64> = summary["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["exit_code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [0, 2, 0]);
    assert_eq!(summary["exit_code"], 2);
    assert!(!out_dir.join("b-broken.json").exists());
    let a = std::fs::read(out_dir.join("a-team.json")).unwrap();
    let proposal: Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(proposal["mode"], "assign");
    // The same bytes at one thread.
    let summary_two = std::fs::read(out_dir.join("summary.json")).unwrap();
    run("1");
    assert_eq!(std::fs::read(out_dir.join("a-team.json")).unwrap(), a);
    assert_eq!(
        std::fs::read(out_dir.join("summary.json")).unwrap(),
        summary_two
    );
    // Without --force, existing files are not replaced and nothing is written.
    let again = caseload_threads(
        "2",
        &[
            "batch",
            input.to_str().unwrap(),
            "--output",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&again), 2);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    // A scenario named like the summary is refused before anything runs.
    write(&input, "summary.toml", &good);
    let clash = run("1");
    assert_eq!(code(&clash), 2);
    assert!(String::from_utf8_lossy(&clash.stderr).contains("summary.json"));
}

#[test]
fn whatif_leave_matches_the_overlay_that_says_the_same() {
    let out = caseload_threads(
        "2",
        &[
            "whatif",
            "scenarios/riverside.toml",
            "--leave",
            "derek",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (overlay, _) = common::solve_checked(
        "rebalance",
        &root().join("scenarios/riverside-leave.toml"),
        &[],
    );
    assert_eq!(json["proposal"]["assignments"], overlay["assignments"]);
    assert_eq!(json["what_if"]["workers"], 9);
    assert_eq!(json["today"]["workers"], 10);
    let (today, _) =
        common::solve_checked("rebalance", &root().join("scenarios/riverside.toml"), &[]);
    assert_eq!(
        json["today"]["max_utilization_after"],
        today["metrics"]["max_utilization_after"]
    );
}

#[test]
fn whatif_hire_and_surge_change_the_team_as_asked() {
    let out = caseload_threads(
        "1",
        &[
            "whatif",
            "scenarios/riverside.toml",
            "--hire",
            "spanish,youth@0.5",
            "--surge",
            "10%",
            "--fte",
            "tom=0.5",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let staff = json["proposal"]["staff"].as_array().unwrap();
    let hire = staff.iter().find(|s| s["id"] == "hire-1").unwrap();
    assert_eq!(hire["capacity"], 20.0); // 0.5 FTE at 40 points per FTE
    let tom = staff.iter().find(|s| s["id"] == "tom").unwrap();
    assert_eq!(tom["capacity"], 20.0); // 40 points at 1.0 FTE, halved
                                       // 10% of 88 cases: 9 new intake cases.
    let surge = json["proposal"]["assignments"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("SURGE-"))
        .count();
    assert_eq!(surge, 9);
    let bad = caseload_threads(
        "1",
        &["whatif", "scenarios/riverside.toml", "--leave", "dreek"],
    );
    assert_eq!(code(&bad), 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `derek`?"));
}

#[test]
fn batch_never_writes_into_its_input_folder_and_one_batch_at_a_time_writes_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (input, good) = week_folder(dir.path());
    write(&input, "a-team.toml", &good);
    let batch = |out: &std::path::Path| {
        caseload_threads(
            "1",
            &[
                "batch",
                input.to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
                "--force",
                "--quiet",
            ],
        )
    };
    let same = batch(&input);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("is the folder of the scenarios"));
    assert!(!input.join("a-team.json").exists());

    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(".caseload-batch.lock"), "12345\n").unwrap();
    let locked = batch(&out);
    assert_eq!(locked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("another batch is writing"));
    assert!(!out.join("summary.json").exists());
    std::fs::remove_file(out.join(".caseload-batch.lock")).unwrap();
    let free = batch(&out);
    assert_eq!(
        free.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&free.stderr)
    );
    assert!(
        !out.join(".caseload-batch.lock").exists(),
        "the lock is released"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn batch_skips_a_scenario_whose_name_is_not_text_and_runs_the_others() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let (input, good) = week_folder(dir.path());
    write(&input, "a-team.toml", &good);
    let bad = input.join(std::ffi::OsStr::from_bytes(b"b-\xff.toml"));
    std::fs::write(&bad, &good).unwrap();
    let out = dir.path().join("out");
    let run = caseload_threads(
        "1",
        &[
            "batch",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(
        run.status.code(),
        Some(2),
        "a skipped scenario is bad input"
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not UTF-8 text"));
    assert!(out.join("a-team.json").exists());
}

#[cfg(unix)]
#[test]
fn an_interrupt_returns_the_best_proposal_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team");
    let out = caseload_threads(
        "1",
        &[
            "generate",
            "--staff",
            "400",
            "--cases",
            "12000",
            "--seed",
            "2",
            "--out",
            team.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let proposal = dir.path().join("p.json");
    let started = std::time::Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args([
            "rebalance",
            "--format",
            "json",
            "--time-limit",
            "600",
            "--output",
        ])
        .arg(&proposal)
        .arg(team.join("scenario.toml"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    assert!(stderr.contains("interrupted: finishing with the best proposal found so far"));
    assert!(
        started.elapsed().as_secs() < 200,
        "stopped well before the 300 s limit"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proposal).unwrap()).unwrap();
    assert!(
        json["status"] == "feasible" || json["status"] == "optimal",
        "{}",
        json["status"]
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_still_writes_every_proposal_and_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("week");
    std::fs::create_dir(&input).unwrap();
    for seed in 1..=3 {
        let team = dir.path().join(format!("team{seed}"));
        let out = caseload_threads(
            "1",
            &[
                "generate",
                "--staff",
                "300",
                "--cases",
                "9000",
                "--seed",
                &seed.to_string(),
                "--out",
                team.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0));
        std::fs::copy(
            team.join("scenario.toml"),
            input.join(format!("team{seed}.toml")),
        )
        .unwrap();
    }
    let out_dir = dir.path().join("out");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["batch", "--quiet", "--output"])
        .arg(&out_dir)
        .arg(&input)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    assert!(stderr.contains("interrupted: finishing"), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        summary["scenarios"].as_array().map(Vec::len),
        Some(3),
        "{summary}"
    );
    for seed in 1..=3 {
        assert!(out_dir.join(format!("team{seed}.json")).exists());
    }
}

#[test]
fn tradeoff_keeps_to_its_time_limit_and_says_where_it_stopped() {
    // A millisecond for a curve of 89 budgets: the limit stops it after at most one round.
    let args = [
        "tradeoff",
        "scenarios/riverside.toml",
        "--max-moves",
        "88",
        "--time-limit",
        "0.001",
    ];
    let json_out = caseload_threads("2", &[&args[..], &["--format", "json"]].concat());
    let json: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(json["cut_short_by_time_limit"], true, "{json}");
    let points = json["curve"].as_array().unwrap().len();
    assert!(points < 89, "{points}");
    // Every budget solved places every case; with none solved there is no proposal: 1.
    assert_eq!(code(&json_out), if points == 0 { 1 } else { 0 }, "{json}");
    let text_out = caseload_threads("2", &args);
    let text = String::from_utf8_lossy(&text_out.stdout);
    assert!(
        text.contains("The time limit stopped the curve before every budget was solved; the budgets missing from the table were not tried"),
        "{text}"
    );
    assert!(!text.contains("no budget does better"), "{text}");
    // With time enough, the same curve is whole.
    let whole = caseload_threads(
        "2",
        &[
            "tradeoff",
            "scenarios/riverside.toml",
            "--max-moves",
            "3",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(json["cut_short_by_time_limit"], false, "{json}");
    assert_eq!(json["curve"].as_array().unwrap().len(), 4);
}

#[test]
fn a_step_shows_every_n_th_budget_and_the_last_with_the_points_of_the_whole_curve() {
    for (scenario, step) in [
        ("scenarios/riverside.toml", "5"),
        ("scenarios/mercy-health.toml", "3"),
    ] {
        let run = |extra: &[&str]| -> Value {
            let out = caseload_threads(
                "2",
                &[&["tradeoff", scenario, "--format", "json"], extra].concat(),
            );
            assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let whole = run(&["--step", "1"]);
        // Short ranges show every budget without being asked.
        assert_eq!(run(&[]), whole, "{scenario}");
        assert_eq!(whole["step"], 1);
        let stepped = run(&["--step", step]);
        assert_eq!(stepped["step"].to_string(), step);
        let n: u64 = step.parse().unwrap();
        let all = whole["curve"].as_array().unwrap();
        let last = all.last().unwrap()["max_moves"].as_u64().unwrap();
        let budgets: Vec<u64> = stepped["curve"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["max_moves"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (0..last).step_by(n as usize).chain([last]).collect();
        assert_eq!(budgets, expected, "{scenario}");
        // Each point's equity and overload are that budget's proven optimum, whatever the
        // spacing.
        for p in stepped["curve"].as_array().unwrap() {
            let same = &all[p["max_moves"].as_u64().unwrap() as usize];
            for key in ["max_utilization", "overload", "unplaced"] {
                assert_eq!(p[key], same[key], "{scenario}: {p} against {same}");
            }
        }
    }
    // The text says how far apart the budgets are, and how to see them all.
    let text = caseload_threads(
        "2",
        &["tradeoff", "scenarios/riverside.toml", "--step", "4"],
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(
            "The table shows budgets 4 apart, to come back quickly; --step 1 shows every budget."
        ),
        "{text}"
    );
    // A step of 0 is a usage error.
    let zero = caseload_threads(
        "2",
        &["tradeoff", "scenarios/riverside.toml", "--step", "0"],
    );
    assert_eq!(code(&zero), 2);
}

#[test]
fn tradeoff_exits_1_when_a_budget_leaves_cases_unplaced_or_has_no_proposal() {
    for team in [
        "tests/outputs/unplaceable.toml",
        "tests/outputs/conflict.toml",
    ] {
        let out = caseload_threads("2", &["tradeoff", team, "--max-moves", "1"]);
        assert_eq!(code(&out), 1, "{team}");
    }
    let out = caseload_threads(
        "2",
        &[
            "tradeoff",
            "scenarios/riverside.toml",
            "--max-moves",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    for point in json["curve"].as_array().unwrap() {
        assert_eq!(point["unplaced"], 0, "{point}");
    }
}

#[test]
fn compare_takes_the_move_budget_and_the_model_for_every_scenario() {
    let json = |args: &[&str]| -> Value {
        let out = caseload_threads("2", &[&["compare"], args, &["--format", "json"]].concat());
        assert!(code(&out) <= 1, "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["scenarios"].take()
    };
    let scenarios = ["scenarios/riverside.toml", "scenarios/riverside-leave.toml"];
    let free = json(&scenarios);
    let none = json(&[&scenarios[..], &["--max-moves", "0"]].concat());
    for (f, n) in free
        .as_array()
        .unwrap()
        .iter()
        .zip(none.as_array().unwrap())
    {
        // With no discretionary move, only required ones remain: no more than before, and
        // the same as `rebalance --max-moves 0` of that scenario says.
        assert!(n["moves"].as_u64() <= f["moves"].as_u64(), "{n} {f}");
    }
    let single = caseload_threads(
        "2",
        &[
            "rebalance",
            scenarios[0],
            "--max-moves",
            "0",
            "--format",
            "json",
        ],
    );
    let single: Value = serde_json::from_slice(&single.stdout).unwrap();
    assert_eq!(none[0]["moves"], single["metrics"]["moves"]);
    // A model where `high` counts 4 points instead of 3: the same cases weigh more.
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("heavier.toml");
    let standard_model = std::fs::read_to_string(root().join("models/standard.toml")).unwrap();
    std::fs::write(&model, standard_model.replace("\nhigh = 3", "\nhigh = 4")).unwrap();
    let heavier = json(&[scenarios[0], "--model", model.to_str().unwrap()]);
    let standard = json(&[scenarios[0]]);
    let weight = |v: &Value| v[0]["total_weight"].as_f64().unwrap();
    assert!(weight(&heavier) > weight(&standard), "{heavier} {standard}");
}

#[test]
fn on_generated_teams_a_stepped_curve_has_the_whole_curves_equity_at_its_budgets() {
    use caseload::plan::compare::{auto_step, tradeoff, CurveRange};
    for seed in 1..=3 {
        let team = common::generated_scenario(12, 200, seed, &LoadOptions::default());
        let curve = |range| tradeoff(&team, range, 120.0, &|| {});
        let whole = curve(CurveRange {
            max: None,
            step: Some(1),
        });
        assert!(!whole.cut_short, "seed {seed}");
        let last = whole.curve.last().unwrap().max_moves;
        assert_eq!(whole.curve.len() as u32, last + 1, "seed {seed}");
        // Without a step, the tool's range is shown in about 16 points.
        let shown = curve(CurveRange::default());
        assert_eq!(shown.step, auto_step(last), "seed {seed}");
        for step in [shown.step, 3] {
            let stepped = curve(CurveRange {
                max: None,
                step: Some(step),
            });
            let budgets: Vec<u32> = stepped.curve.iter().map(|p| p.max_moves).collect();
            let expected: Vec<u32> = (0..last).step_by(step as usize).chain([last]).collect();
            assert_eq!(budgets, expected, "seed {seed}, step {step}");
            for p in &stepped.curve {
                let same = &whole.curve[p.max_moves as usize];
                assert_eq!(
                    (p.max_utilization, p.overload, p.unplaced),
                    (same.max_utilization, same.overload, same.unplaced),
                    "seed {seed}, step {step}, budget {}",
                    p.max_moves
                );
            }
        }
    }
}

#[test]
fn a_stepped_curve_ends_at_the_first_budget_that_reaches_the_best_equity() {
    // On this team the unlimited budget's proposal spends 38 moves, but 36 reach its equity:
    // the whole curve ends at 36, and so does a curve shown 5, 7 or 11 apart, even where the
    // budget before 36 in its steps does not reach it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("team");
    let made = caseload_threads(
        "2",
        &[
            "generate",
            "--staff",
            "12",
            "--cases",
            "200",
            "--seed",
            "1",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&made), 0, "{}", String::from_utf8_lossy(&made.stderr));
    let team = out.join("scenario.toml");
    let curve = |step: &str| -> Vec<Value> {
        let args = ["tradeoff", team.to_str().unwrap(), "--format", "json"];
        let out = caseload_threads("2", &[&args[..], &["--step", step]].concat());
        assert!(code(&out) <= 1, "{}", String::from_utf8_lossy(&out.stderr));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["cut_short_by_time_limit"], false, "{json}");
        json["curve"].as_array().unwrap().clone()
    };
    let whole = curve("1");
    let last = whole.last().unwrap()["max_moves"].as_u64().unwrap();
    for step in [5, 7, 11] {
        let stepped = curve(&step.to_string());
        let budgets: Vec<u64> = stepped
            .iter()
            .map(|p| p["max_moves"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (0..last).step_by(step).chain([last]).collect();
        assert_eq!(budgets, expected, "step {step}");
        for p in &stepped {
            let same = &whole[p["max_moves"].as_u64().unwrap() as usize];
            for key in ["max_utilization", "overload", "unplaced"] {
                assert_eq!(p[key], same[key], "step {step}: {p} against {same}");
            }
        }
    }
}

#[test]
fn a_step_longer_than_the_curve_shows_how_far_apart_its_budgets_really_are() {
    let run = |extra: &[&str]| {
        let args = ["tradeoff", "scenarios/riverside.toml", "--max-moves"];
        let out = caseload_threads("2", &[&args[..], extra].concat());
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    // Budgets 0 and 3 are 3 apart, whatever larger step was asked for.
    let json: Value =
        serde_json::from_str(&run(&["3", "--step", "5", "--format", "json"])).unwrap();
    let budgets: Vec<&Value> = json["curve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["max_moves"])
        .collect();
    assert_eq!(budgets, [0, 3]);
    assert_eq!(json["step"], 3);
    let text = run(&["3", "--step", "4294967295"]);
    assert!(text.contains("The table shows budgets 3 apart"), "{text}");
    // A single budget is every budget: no step to speak of.
    let json: Value =
        serde_json::from_str(&run(&["0", "--step", "5", "--format", "json"])).unwrap();
    assert_eq!(json["step"], 1);
    let text = run(&["0", "--step", "5"]);
    assert!(!text.contains("apart"), "{text}");
}
