//! Loading scenarios: what validation computes and accepts, beyond the bad-input corpus.

mod common;

use caseload::domain::Acuity;
use caseload::input::{load_scenario, LoadOptions, MAX_INPUT_BYTES};
use common::{caseload, code, write};

#[test]
fn weights_capacities_and_policy_are_computed_from_model_and_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.toml",
        r#"
[policy]
max_moves = 3
[[staff]]
id = "ana"
fte = 0.5
[[staff]]
id = "bo"
capacity = 33
[[case]]
id = "C1"
acuity = "high"
factors = ["court-involved", "interpreter-needed"]
assigned = "ana"
[[case]]
id = "C2"
acuity = 2.5
"#,
    );
    let loaded = load_scenario(&path, &LoadOptions::default()).unwrap();
    let s = &loaded.scenario;
    // The built-in standard model: 40 points per FTE, high = 3, factors 1 and 0.5.
    assert_eq!(s.staff.as_slice()[0].capacity, 20.0);
    assert_eq!(s.staff.as_slice()[1].capacity, 33.0);
    assert_eq!(s.cases.as_slice()[0].weight, 4.5);
    assert!(
        matches!(s.cases.as_slice()[0].acuity, Acuity::Level { ref name, points } if name == "high" && points == 3.0)
    );
    assert_eq!(s.cases.as_slice()[1].weight, 2.5);
    assert_eq!(s.policy.max_moves, 3);
    assert_eq!(s.policy.equity_tolerance, 0.01);
    let overridden = load_scenario(
        &path,
        &LoadOptions {
            model: None,
            max_moves: Some(9),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        overridden.scenario.policy.max_moves, 9,
        "--max-moves wins over [policy]"
    );
    assert_eq!(s.name, "s", "file stem when the scenario has no name");
}

#[test]
fn a_preference_for_an_unknown_worker_is_only_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.toml",
        "[[staff]]\nid = \"ana\"\n[[case]]\nid = \"C1\"\nacuity = 1\nprefer = [\"anna\"]\n",
    );
    let loaded = load_scenario(&path, &LoadOptions::default()).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].message.contains("`anna`"));
    assert_eq!(
        loaded.warnings[0].help.as_deref(),
        Some("did you mean `ana`? The wish is ignored until it names a worker")
    );
    assert!(loaded.scenario.cases.as_slice()[0].prefer.is_empty());
    let out = caseload(&["check", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: "));
}

#[test]
fn csv_with_byte_order_mark_quotes_and_lists_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cases.csv",
        "\u{feff}id,acuity,needs,assigned,family,avoid\r\nC-1,high,spanish;youth,ana,,\r\n\"C-2\",\"2\",,,\"F, 1\",ana\r\n\r\n",
    );
    let path = write(
        dir.path(),
        "s.toml",
        "cases_csv = \"cases.csv\"\n[[staff]]\nid = \"ana\"\nskills = [\"spanish\", \"youth\"]\n[[staff]]\nid = \"bo\"\n",
    );
    let loaded = load_scenario(&path, &LoadOptions::default()).unwrap();
    let cases = loaded.scenario.cases.as_slice();
    assert_eq!(cases.len(), 2);
    assert_eq!(
        cases[0].needs,
        vec!["spanish".to_string(), "youth".to_string()]
    );
    assert_eq!(cases[0].weight, 3.0);
    assert_eq!(cases[1].weight, 2.0);
    assert_eq!(cases[1].family.as_deref(), Some("F, 1"));
    assert!(cases[1].assigned.is_none());
    assert_eq!(cases[1].avoid.len(), 1);
}

#[test]
fn a_file_too_large_to_be_a_scenario_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_INPUT_BYTES + 1).unwrap(); // sparse: no disk used
    let out = caseload(&["check", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("too large to be a scenario"), "{stderr}");
}

#[test]
fn another_model_can_be_used_for_the_same_team() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.toml",
        "[[staff]]\nid = \"ana\"\n[[case]]\nid = \"C1\"\nacuity = 2\n",
    );
    let model = common::root().join("models/child-welfare.toml");
    let loaded = load_scenario(
        &path,
        &LoadOptions {
            model: Some(model.clone()),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(loaded.scenario.model.path.as_deref(), Some(model.as_path()));
    let out = caseload(&[
        "rebalance",
        path.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0);
}

#[test]
fn a_family_pinned_to_a_worker_who_cannot_hold_all_of_it_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "s.toml",
        "[[staff]]\nid = \"a\"\n[[staff]]\nid = \"b\"\nskills = [\"asl\"]\n[[case]]\nid = \"C1\"\nacuity = 1\nassigned = \"a\"\nfamily = \"F\"\npinned = true\n[[case]]\nid = \"C2\"\nacuity = 1\nfamily = \"F\"\nneeds = [\"asl\"]\n",
    );
    let error = load_scenario(&path, &LoadOptions::default()).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("s.toml:6:1: family `F` is pinned to `a` by case `C1`, but `a` lacks `asl`, which case `C2` needs"), "{text}");
}
