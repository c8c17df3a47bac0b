//! `staffing`: the plan is checked by the solver itself. With the hires added, a rebalance
//! reaches the target; with any one of them taken away, the proven best max utilization is
//! above it. Profiles files are validated with located errors.

mod common;

use caseload::input::profiles::{profiles_from_team, Profile};
use caseload::input::{load_scenario, LoadOptions};
use caseload::plan::staffing::{plan_staffing, with_hires};
use caseload::solve::model::Step;
use caseload::solve::{solve, SolveOptions, Status};
use common::{caseload, code, root, write, Team};

/// The proven best max utilization of a team, with no move budget in the way.
fn best_max_utilization(scenario: &caseload::domain::Scenario) -> f64 {
    let mut s = scenario.clone();
    s.policy.max_moves = s.cases.len() as u32;
    let proposal = solve(
        &s,
        &SolveOptions {
            mode: caseload::solve::model::Mode::Rebalance,
            time_limit: 60.0,
        },
    );
    assert_eq!(proposal.status(), Status::Optimal);
    assert!(proposal.unplaced.is_empty());
    let equity = proposal
        .steps
        .iter()
        .find(|s| s.step == Step::Equity)
        .unwrap();
    assert!(equity.proven);
    equity.value
}

fn check_plan(path: &str, target: f64, profiles: Option<Vec<Profile>>) -> usize {
    let scenario = load_scenario(&root().join(path), &LoadOptions::default())
        .unwrap()
        .scenario;
    let profiles = profiles.unwrap_or_else(|| profiles_from_team(&scenario));
    let plan = plan_staffing(&scenario, &profiles, target, 60.0);
    assert_eq!(plan.status, Status::Optimal);
    assert!(best_max_utilization(&plan.team_with_hires) <= target + 1e-9);
    let mut counts = vec![0usize; profiles.len()];
    for h in &plan.hires {
        counts[h.profile.index()] += 1;
    }
    for p in 0..profiles.len() {
        if counts[p] == 0 {
            continue;
        }
        let mut fewer = counts.clone();
        fewer[p] -= 1;
        let team = with_hires(&scenario, &profiles, &fewer);
        assert!(
            best_max_utilization(&team) > target + 1e-9,
            "{path} at {target}: one fewer {} still reaches it",
            profiles[p].name
        );
    }
    // Each hire's cases fit its room at target, and only hires take them.
    for h in &plan.hires {
        assert!(h.load <= target * h.capacity + 1e-9);
        let p = &profiles[h.profile.index()];
        for c in &h.cases {
            let case = &scenario.cases[*c];
            assert!(case.needs.iter().all(|n| p.skills.contains(n)));
            assert!(!case.pinned);
        }
    }
    plan.hires.len()
}

#[test]
fn the_hires_reach_the_target_and_one_fewer_cannot() {
    assert_eq!(check_plan("scenarios/riverside-surge.toml", 0.8, None), 2);
    assert_eq!(check_plan("scenarios/riverside-surge.toml", 0.9, None), 1);
    assert_eq!(check_plan("scenarios/riverside.toml", 1.0, None), 0);
}

#[test]
fn a_scarce_skill_needs_a_hire_with_that_skill() {
    let dir = tempfile::tempdir().unwrap();
    let team = Team::new()
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(40))
        .case("S1", |c| c.acuity(8).needs(&["spanish"]).assigned("ana"))
        .case("S2", |c| c.acuity(8).needs(&["spanish"]).assigned("ana"))
        .case("P1", |c| c.acuity(4).assigned("bo"))
        .write(dir.path());
    let profiles = write(
        dir.path(),
        "hires.toml",
        r#"
[[profile]]
name = "generalist"
fte = 1.0
cost = 1.0

[[profile]]
name = "spanish-speaking"
skills = ["spanish"]
fte = 0.5
cost = 1.2
"#,
    );
    let out = caseload(&[
        "staffing",
        team.to_str().unwrap(),
        "--target",
        "1.0",
        "--profiles",
        profiles.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("  hire-spanish-speaking-1 — spanish-speaking (`spanish`) at 0.5 FTE: would take 1 case, 8 points (40%), 1 of them needing a skill\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  ana, the only available worker with `spanish`, can take 10 points at target (100%), and the 2 cases only ana may hold weigh 16 points; 6 points of overload cannot be avoided by any assignment.\n"),
        "{stdout}"
    );
    // A generalist cannot help: with only that profile, no number of hires is enough.
    let only_generalists = write(
        dir.path(),
        "generalists.toml",
        "[[profile]]\nname = \"generalist\"\nfte = 1.0\n",
    );
    let out = caseload(&[
        "staffing",
        team.to_str().unwrap(),
        "--target",
        "1.0",
        "--profiles",
        only_generalists.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("staffing for a target of 100%: not reachable"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Even with every candidate hire: ana, the only available worker with `spanish`"
        ),
        "{stdout}"
    );
}

#[test]
fn a_bad_profiles_file_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = write(
        dir.path(),
        "hires.toml",
        "[[profile]]\nname = \"x\"\nfte = -1\n\n[[profile]]\nname = \"y\"\ncolour = \"red\"\n",
    );
    let out = caseload(&[
        "staffing",
        "scenarios/riverside.toml",
        "--profiles",
        profiles.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let p = profiles.display();
    assert!(stderr.contains(&format!("{p}:3:7")), "{stderr}");
    assert!(stderr.contains(&format!("{p}:7:1")), "{stderr}");
}

#[test]
fn cost_decides_before_any_tie_break_and_no_plan_is_explained_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let team = Team::new()
        .staff("ana", |s| s.capacity(10))
        .case("C1", |c| c.acuity(8).assigned("ana"))
        .case("C2", |c| c.acuity(8).assigned("ana"))
        .write(dir.path());
    // The cheaper profile has more skills: the tie-breaks must not outweigh a tiny cost gap.
    let profiles = write(
        dir.path(),
        "hires.toml",
        "[[profile]]\nname = \"cheap\"\nskills = [\"a\", \"b\"]\ncost = 0.00005\n[[profile]]\nname = \"pricey\"\nskills = [\"a\"]\ncost = 0.0001\n",
    );
    let out = caseload(&[
        "staffing",
        team.to_str().unwrap(),
        "--profiles",
        profiles.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["hires"][0]["profile"], "cheap");
    // A profile too small to matter, capped at one hire: no plan, and a reason.
    let tiny = write(
        dir.path(),
        "tiny.toml",
        "[[profile]]\nname = \"tiny\"\nfte = 0.05\nmax = 1\n",
    );
    let out = caseload(&[
        "staffing",
        team.to_str().unwrap(),
        "--profiles",
        tiny.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("not reachable"), "{stdout}");
    assert!(
        stdout.contains("Even with every candidate hire: The team is short-staffed"),
        "{stdout}"
    );
}

#[test]
fn a_short_skill_inside_a_short_team_is_named_and_each_hire_says_which_group_it_relieves() {
    let dir = tempfile::tempdir().unwrap();
    let team = common::forensic_inside_a_short_team().write(dir.path());
    let profiles = write(
        dir.path(),
        "hires.toml",
        "[[profile]]\nname = \"generalist\"\n[[profile]]\nname = \"forensic\"\nskills = [\"forensic\"]\n",
    );
    let args = [
        "staffing",
        team.to_str().unwrap(),
        "--target",
        "1.0",
        "--profiles",
        profiles.to_str().unwrap(),
    ];
    let out = caseload(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(
        "\nWhy:\n  The team is short-staffed: the 7 cases weigh 178 points and the 4 workers who may hold them can take 147 points at target (100%); 31 points of overload cannot be avoided by any assignment.\n  The 2 available workers with `forensic` (fay and fox) can take 67 points at target (100%), and the 4 cases only they may hold weigh 88 points; 21 points of overload cannot be avoided by any assignment, part of the 31 above.\n"
    ), "{stdout}");
    assert!(stdout.contains(
        "  hire-forensic-1 relieves the workers with `forensic` (fay and fox): it would take 1 of the 4 cases only they may hold (22 points).\n"
    ), "{stdout}");

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&caseload(&json_args).stdout).unwrap();
    let short = json["shortfalls_today"].as_array().unwrap();
    let workers = |i: usize| short[i]["workers"].clone();
    assert_eq!(workers(0), serde_json::json!(["fay", "fox", "gil", "gus"]));
    assert_eq!(workers(1), serde_json::json!(["fay", "fox"]));
    assert_eq!(short[1]["within"], 0);
    assert_eq!(short[1]["overload"], 21.0);
    // Each hire names the groups it relieves, and takes of them only cases they alone may hold:
    // a forensic hire relieves the forensic workers, a generalist the team as a whole.
    let scenario = load_scenario(&team, &LoadOptions::default())
        .unwrap()
        .scenario;
    for hire in json["hires"].as_array().unwrap() {
        let relieves = hire["relieves"].as_array().unwrap();
        assert!(!relieves.is_empty(), "{hire}");
        for relief in relieves {
            let group = relief["shortfall"].as_u64().unwrap() as usize;
            let forensic = relief["cases"].as_array().unwrap().iter().all(|c| {
                let case = scenario.cases.iter().find(|k| k.id == c.as_str().unwrap());
                case.unwrap().needs == ["forensic"]
            });
            assert_eq!(group == 1, forensic, "{hire}");
            assert_eq!(group == 1, hire["profile"] == "forensic", "{hire}");
        }
        assert!(hire["why"].as_str().unwrap().contains("relieves"), "{hire}");
    }
}
