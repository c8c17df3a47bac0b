//! One rule for the names of skills, acuity levels and factors: matched whatever their case and
//! spacing, shown as first written (the model before the scenario, staff before cases), and
//! every odd spelling warned about where it is written: one written two ways, one close to
//! another, a case need no worker on the team has.

mod common;

use std::path::Path;

use caseload::input::{load_scenario, LoadOptions};
use common::{caseload, code, holder, solve_checked, write, Team};
use serde_json::Value;

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `check --format json`: the summary's warnings.
fn check_warnings(scenario: &Path) -> Vec<Value> {
    let out = caseload(&["check", path(scenario), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    json["warnings"].as_array().expect("warnings").clone()
}

/// `check` as text: standard error, where the warnings are.
fn check_text(scenario: &Path) -> String {
    let out = caseload(&["check", path(scenario)]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_need_spelled_another_way_goes_to_a_worker_with_the_skill_and_reads_as_first_written() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Team::new()
        .staff("ana", |s| s.capacity(20).skills(&["Spanish"]))
        .staff("bo", |s| s.capacity(20))
        .case("C-1", |c| c.acuity(2).needs(&["spanish"]).assigned("ana"))
        .case("C-2", |c| c.acuity(2).needs(&[" SPANISH "]))
        .case("C-3", |c| c.acuity(2).needs(&["spanish"]).assigned("bo"))
        .case("C-4", |c| c.acuity(2).assigned("bo"))
        .write(dir.path());
    let (json, exit) = solve_checked("rebalance", &scenario, &[]);
    assert_eq!(exit, 0, "every case placed");
    for case in ["C-1", "C-2", "C-3"] {
        assert_eq!(holder(&json, case), Some("ana"), "{case}");
    }
    let moved: Vec<&str> = json["moves"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["from"].is_string())
        .map(|m| m["case"].as_str().unwrap())
        .collect();
    assert_eq!(moved, ["C-3"], "C-1 stays: ana has its need");
    let text = String::from_utf8(caseload(&["rebalance", path(&scenario)]).stdout).unwrap();
    assert!(
        text.contains("bo lacks `Spanish`, which the case needs"),
        "{text}"
    );
    let json_text = serde_json::to_string(&json).unwrap();
    for shown in [&text, &json_text] {
        assert!(
            !shown.contains("spanish") && !shown.contains("SPANISH"),
            "only the first spelling is shown: {shown}"
        );
    }
}

#[test]
fn a_level_or_factor_in_another_case_is_the_model_s_and_its_spelling_is_warned_about_in_a_csv_cell()
{
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cases.csv",
        "id,acuity,factors,needs,assigned\nC-1,Moderate,Court-Involved,,ana\nC-2,moderate,,,ana\n",
    );
    let scenario = write(
        dir.path(),
        "team.toml",
        "cases_csv = \"cases.csv\"\n[[staff]]\nid = \"ana\"\n",
    );
    let loaded = load_scenario(&scenario, &LoadOptions::default()).expect("the team loads");
    let c1 = &loaded.scenario.cases[0.into()];
    // The built-in model: moderate = 2, court-involved = 1.
    assert_eq!(c1.weight, 3.0);
    assert_eq!(c1.acuity.to_string(), "moderate (2)");
    assert_eq!(c1.factors, [("court-involved".to_string(), 1.0)]);

    let warnings = check_warnings(&scenario);
    let csv = dir.path().join("cases.csv");
    let at = |column: &str| {
        warnings
            .iter()
            .find(|w| w["csv_column"] == column)
            .unwrap_or_else(|| panic!("a warning at column {column}: {warnings:?}"))
    };
    let level = at("acuity");
    assert_eq!(level["file"], path(&csv));
    assert_eq!(level["line"], 2);
    assert_eq!(
        level["message"],
        "acuity level `Moderate` is written `moderate` in model \"Standard acuity scale\": one acuity level, written two ways"
    );
    assert_eq!(level["refers_to"], "spelling");
    assert!(
        at("factors")["message"]
            .as_str()
            .unwrap()
            .starts_with("factor `Court-Involved` is written `court-involved`"),
        "{warnings:?}"
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn a_skill_written_two_ways_is_one_skill_with_a_warning_where_the_second_spelling_is() {
    let dir = tempfile::tempdir().unwrap();
    // Lines: 1 [[staff]], 2 id, 3 skills; 4 [[staff]], 5 id, 6 skills.
    let scenario = Team::new()
        .staff("ana", |s| s.skills(&["spanish"]))
        .staff("bo", |s| s.skills(&["Spanish"]))
        .case("C-1", |c| c.acuity(1).needs(&["Spanish"]))
        .write(dir.path());
    let text = check_text(&scenario);
    let file = path(&scenario);
    assert!(
        text.contains(&format!(
            "warning: {file}:6:11: skill `Spanish` is written `spanish` at {file}:3:11: one skill, written two ways"
        )),
        "{text}"
    );
    assert!(
        text.contains("this reads as `spanish`; write `spanish` here and in the 1 other places that write `Spanish`"),
        "{text}"
    );
    let warnings = check_warnings(&scenario);
    assert_eq!(
        warnings.len(),
        1,
        "one warning per odd spelling: {warnings:?}"
    );
    let loaded = load_scenario(&scenario, &LoadOptions::default()).unwrap();
    let staff = &loaded.scenario.staff;
    assert_eq!(staff[0.into()].skills, staff[1.into()].skills);
}

#[test]
fn a_skill_close_to_another_gets_a_located_did_you_mean_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    // Lines: 1-3 ana, 4-6 bo, 7-9 cy, then C-1 from 10 (needs on line 13).
    let scenario = Team::new()
        .staff("ana", |s| s.skills(&["spanish"]))
        .staff("bo", |s| s.skills(&["spansih"]))
        .staff("cy", |s| s.skills(&["spanish", "youth"]))
        .case("C-1", |c| c.acuity(1).assigned("bo").needs(&["spanish"]))
        .write(dir.path());
    let file = path(&scenario);
    let text = check_text(&scenario);
    assert!(
        text.contains(&format!(
            "warning: {file}:6:11: skill `spansih` is close to skill `spanish`, but they are read as two different skills"
        )),
        "{text}"
    );
    assert!(
        text.contains("= help: did you mean `spanish` (written 3 times, `spansih` once)?"),
        "{text}"
    );

    let warnings = check_warnings(&scenario);
    let close: Vec<&Value> = warnings
        .iter()
        .filter(|w| w["refers_to"] == "spelling")
        .collect();
    assert_eq!(close.len(), 1, "{warnings:?}");
    assert_eq!(close[0]["file"], file);
    assert_eq!(
        (close[0]["line"].clone(), close[0]["column"].clone()),
        (6.into(), 11.into())
    );
    assert_eq!(close[0]["severity"], "warning");
    assert_eq!(close[0]["stage"], "reference");
    assert!(close[0]["help"]
        .as_str()
        .unwrap()
        .starts_with("did you mean `spanish`"));

    // Close names are two names: bo may not hold C-1, which must move.
    let (json, _) = solve_checked("rebalance", &scenario, &[]);
    assert_ne!(holder(&json, "C-1"), Some("bo"));
}

#[test]
fn a_need_no_worker_has_is_a_warning_at_the_need_naming_the_closest_skill() {
    let dir = tempfile::tempdir().unwrap();
    // Lines: 1-3 ana, 4-6 bo; C-1 7-11 (needs on 11), C-2 12-16 (needs on 16).
    let scenario = Team::new()
        .staff("ana", |s| s.skills(&["spanish"]))
        .staff("bo", |s| s.skills(&["youth"]))
        .case("C-1", |c| c.acuity(1).assigned("ana").needs(&["spansih"]))
        .case("C-2", |c| c.acuity(1).assigned("bo").needs(&["asl"]))
        .write(dir.path());
    let file = path(&scenario);
    let text = check_text(&scenario);
    for expected in [
        format!("warning: {file}:11:10: case `C-1` needs `spansih`, which no worker on the team has"),
        "= help: did you mean `spanish`? Otherwise, until a worker has `spansih`, no one may hold the case".to_string(),
        format!("warning: {file}:16:10: case `C-2` needs `asl`, which no worker on the team has"),
        "= help: the closest skill on the team is `spanish`; until a worker has `asl`, no one may hold the case".to_string(),
    ] {
        assert!(text.contains(&expected), "{expected}\nnot in:\n{text}");
    }
    assert!(
        !text.contains("no available worker may hold"),
        "said once, at the need: {text}"
    );
    let warnings = check_warnings(&scenario);
    let needs: Vec<(&Value, &Value)> = warnings
        .iter()
        .filter(|w| w["refers_to"] == "need")
        .map(|w| (&w["line"], &w["column"]))
        .collect();
    assert_eq!(needs, [(&11.into(), &10.into()), (&16.into(), &10.into())]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn many_cases_needing_a_skill_no_worker_has_are_folded_in_text_and_all_listed_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut team = Team::new().staff("ana", |s| s.skills(&["spanish"]));
    for i in 1..=8 {
        team = team.case(&format!("C-{i}"), |c| c.acuity(1).needs(&["asl"]));
    }
    let scenario = team.write(dir.path());
    let text = check_text(&scenario);
    assert_eq!(
        text.matches("which no worker on the team has").count(),
        3,
        "{text}"
    );
    assert!(
        text.contains("... and 5 more cases need a skill no worker on the team has; check the workers' `skills` first"),
        "{text}"
    );
    assert_eq!(check_warnings(&scenario).len(), 8);
}

#[test]
fn a_model_naming_one_level_twice_in_two_spellings_is_refused_at_the_second() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "model.toml",
        "points_per_fte = 40\n[acuity.levels]\nhigh = 3\nHigh = 4\n",
    );
    let scenario = write(
        dir.path(),
        "team.toml",
        "model = \"model.toml\"\n[[staff]]\nid = \"ana\"\n[[case]]\nid = \"C-1\"\nacuity = \"high\"\n",
    );
    let out = caseload(&["check", path(&scenario)]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let model = dir.path().join("model.toml");
    assert!(
        stderr.contains(&format!(
            "error: {}:4:1: `High` in [acuity.levels] is the same name as `high`",
            model.display()
        )),
        "{stderr}"
    );
}

#[test]
fn an_overlay_s_skill_in_another_spelling_is_the_base_s_skill() {
    let dir = tempfile::tempdir().unwrap();
    Team::new()
        .staff("ana", |s| s.skills(&["spanish"]))
        .staff("bo", |s| s.capacity(40))
        .case("C-1", |c| c.acuity(2).needs(&["spanish"]).assigned("ana"))
        .write(dir.path());
    let overlay = write(
        dir.path(),
        "leave.toml",
        "extends = \"team.toml\"\n[[staff]]\nid = \"ana\"\navailable = false\n[[staff]]\nid = \"cy\"\nskills = [\"SPANISH\"]\n",
    );
    let (json, exit) = solve_checked("rebalance", &overlay, &[]);
    assert_eq!(exit, 0);
    assert_eq!(holder(&json, "C-1"), Some("cy"));
    let text = String::from_utf8(caseload(&["rebalance", path(&overlay)]).stdout).unwrap();
    assert!(
        text.contains("with `spanish`"),
        "the base's spelling: {text}"
    );
}

#[test]
fn a_hire_s_skill_in_another_spelling_takes_the_team_s_cases_and_a_misspelt_one_is_refused() {
    let riverside = "scenarios/riverside.toml";
    let whatif = |hire: &str| {
        caseload(&[
            "whatif", riverside, "--hire", hire, "--format", "json", "--quiet",
        ])
    };
    let capitalised = whatif("Spanish@0.5");
    assert_eq!(code(&capitalised), 0);
    assert_eq!(
        capitalised.stdout,
        whatif("spanish@0.5").stdout,
        "the same hire, spelt two ways"
    );
    let json: Value = serde_json::from_slice(&capitalised.stdout).unwrap();
    let loaded = load_scenario(Path::new(riverside), &LoadOptions::default()).unwrap();
    let spanish_cases: Vec<&str> = json["proposal"]["assignments"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, w)| *w == "hire-1")
        .map(|(c, _)| c.as_str())
        .filter(|c| {
            let case = loaded.scenario.case_by_id(c).unwrap();
            loaded.scenario.cases[case].needs == ["spanish"]
        })
        .collect();
    assert!(!spanish_cases.is_empty(), "the hire takes Spanish cases");

    let misspelt = whatif("spansih@0.5");
    assert_eq!(code(&misspelt), 2);
    assert!(misspelt.stdout.is_empty());
    let error: Value = serde_json::from_slice(&misspelt.stderr).unwrap();
    assert_eq!(
        error["message"],
        "--hire: no worker has `spansih` and no case needs it, so a hire with it would change nothing; did you mean `spanish`?"
    );
}

#[test]
fn a_hiring_profile_s_skill_in_another_spelling_is_the_team_s_skill() {
    let dir = tempfile::tempdir().unwrap();
    let team = Team::new()
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(40))
        .case("S1", |c| c.acuity(8).needs(&["spanish"]).assigned("ana"))
        .case("S2", |c| c.acuity(8).needs(&["spanish"]).assigned("ana"))
        .write(dir.path());
    let profiles = write(
        dir.path(),
        "hires.toml",
        "[[profile]]\nname = \"spanish-speaking\"\nskills = [\"Spanish \"]\nfte = 0.5\n",
    );
    let out = caseload(&[
        "staffing",
        path(&team),
        "--target",
        "1.0",
        "--profiles",
        path(&profiles),
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "hire-spanish-speaking-1 — spanish-speaking (`spanish`) at 0.5 FTE: would take 1 case"
        ),
        "{stdout}"
    );
}
