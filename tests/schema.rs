//! `caseload schema`: each schema is a valid JSON Schema; every example scenario, overlay,
//! model and profiles file is valid against its schema; files the readers refuse for their
//! structure (an unknown key, a wrong type, a missing key) are refused by the schema too; and
//! the JSON that `rebalance` and `assign` write is valid against the proposal schema.

mod common;

use std::path::{Path, PathBuf};

use common::{caseload, code, root, Team};
use serde_json::Value;

/// The schema `caseload schema KIND` prints, checked to be JSON and a valid draft 2020-12
/// schema.
fn schema(kind: &str) -> Value {
    let out = caseload(&["schema", kind]);
    assert_eq!(
        code(&out),
        0,
        "{kind}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schema: Value = serde_json::from_slice(&out.stdout).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{kind}"
    );
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{kind}: not a valid schema: {e}");
    }
    schema
}

/// The problems `schema` finds in `instance`, one a line; empty when it is valid.
fn problems(schema: &Value, instance: &Value) -> String {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}\n", e, e.instance_path()))
        .collect()
}

/// A TOML file read as JSON, as an editor's language server does.
fn toml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("readable");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.toml` files of a folder of the project, sorted.
fn toml_files(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(folder))
        .expect("folder exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{folder}");
    files
}

#[test]
fn every_schema_is_a_valid_json_schema_with_descriptions() {
    for kind in ["scenario", "model", "profiles", "proposal"] {
        let schema = schema(kind);
        assert!(schema["title"].as_str().is_some(), "{kind}");
        assert!(schema["description"].as_str().is_some(), "{kind}");
    }
    // A supervisor's editor shows the field's doc comment.
    let scenario = schema("scenario");
    let fte = &scenario["$defs"]["StaffToml"]["properties"]["fte"];
    assert!(
        fte["description"].as_str().unwrap().contains("Full-time"),
        "{fte}"
    );
    assert_eq!(fte["default"], 1.0);
    assert_eq!(fte["maximum"], 1.5);
}

#[test]
fn unknown_kinds_are_a_usage_error() {
    let out = caseload(&["schema", "spreadsheet"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
}

#[test]
fn output_writes_the_same_schema_and_replaces_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schemas/caseload-scenario.schema.json");
    let path = file.to_str().unwrap();
    let written = caseload(&["schema", "scenario", "--output", path]);
    assert_eq!(code(&written), 0);
    assert!(written.stdout.is_empty());
    let printed = caseload(&["schema", "scenario"]);
    assert_eq!(std::fs::read(&file).unwrap(), printed.stdout);

    let again = caseload(&["schema", "model", "--output", path]);
    assert_eq!(code(&again), 2);
    assert_eq!(std::fs::read(&file).unwrap(), printed.stdout);
    let forced = caseload(&["schema", "model", "--output", path, "--force"]);
    assert_eq!(code(&forced), 0);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        caseload(&["schema", "model"]).stdout
    );
}

/// The example scenarios and overlays, and the teams of `tests/outputs` (rules that bar,
/// conflict or leave cases unplaced).
fn scenario_files() -> Vec<PathBuf> {
    let mut files = toml_files("scenarios");
    files.extend(toml_files("tests/outputs"));
    files
}

#[test]
fn every_example_scenario_and_overlay_is_valid() {
    let schema = schema("scenario");
    for path in scenario_files() {
        let problems = problems(&schema, &toml_as_json(&path));
        assert!(problems.is_empty(), "{}:\n{problems}", path.display());
    }
}

#[test]
fn a_scenario_naming_its_schema_on_its_first_line_reads_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/mercy-health.toml")).unwrap();
    let text = text.replace("../models/", &format!("{}/models/", root().display()));
    let named = common::write(
        dir.path(),
        "team.toml",
        &format!("#:schema ./caseload-scenario.schema.json\n{text}"),
    );
    let checked = caseload(&["check", named.to_str().unwrap()]);
    assert_eq!(
        code(&checked),
        0,
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn generated_scenarios_are_valid() {
    let schema = schema("scenario");
    let dir = tempfile::tempdir().unwrap();
    for csv in [false, true] {
        let out = dir.path().join(format!("csv-{csv}"));
        let mut args = vec!["generate", "--staff", "6", "--cases", "40", "--seed", "3"];
        args.extend(["--output", out.to_str().unwrap()]);
        if csv {
            args.push("--csv");
        }
        assert_eq!(code(&caseload(&args)), 0);
        let problems = problems(&schema, &toml_as_json(&out.join("scenario.toml")));
        assert!(problems.is_empty(), "--csv {csv}:\n{problems}");
    }
}

#[test]
fn every_model_is_valid() {
    let schema = schema("model");
    for path in toml_files("models") {
        let problems = problems(&schema, &toml_as_json(&path));
        assert!(problems.is_empty(), "{}:\n{problems}", path.display());
    }
}

#[test]
fn every_profiles_file_is_valid() {
    let schema = schema("profiles");
    for path in toml_files("scenarios/profiles") {
        let problems = problems(&schema, &toml_as_json(&path));
        assert!(problems.is_empty(), "{}:\n{problems}", path.display());
    }
}

#[test]
fn a_draft_7_validator_reads_the_toml_schemas_alike() {
    // The TOML language server of editors (taplo) validates as draft 7 does: the schemas use
    // nothing that means otherwise there.
    for (kind, folder) in [("scenario", "scenarios"), ("model", "models")] {
        let mut schema = schema(kind);
        schema.as_object_mut().unwrap().remove("$schema");
        let validator = jsonschema::draft7::new(&schema).expect("a draft 7 schema");
        for path in toml_files(folder) {
            assert!(
                validator.is_valid(&toml_as_json(&path)),
                "{}",
                path.display()
            );
        }
        if kind == "scenario" {
            for (file, _) in BAD_SCENARIOS {
                let bad = toml_as_json(&root().join("tests/bad").join(file));
                assert!(!validator.is_valid(&bad), "{file}");
            }
        }
    }
}

/// Files of `tests/bad` the readers refuse for their structure, with what the schema says of
/// them.
const BAD_SCENARIOS: &[(&str, &str)] = &[
    ("unknown-key-case.toml", "Additional properties"),
    ("unknown-key-cases-table.toml", "Additional properties"),
    ("staff-table-misspelled.toml", "Additional properties"),
    ("staff-id-misspelled.toml", "\"id\" is a required property"),
    ("fte-wrong-type.toml", "is not of type \"number\""),
    ("skills-wrong-type.toml", "is not of type \"array\""),
    ("missing-acuity.toml", "\"acuity\" is a required property"),
    ("no-staff.toml", "\"staff\" is a required property"),
    ("empty.toml", "\"staff\" is a required property"),
    ("fte-negative.toml", "less than the minimum"),
    (
        "policy-target-zero.toml",
        "less than or equal to the minimum",
    ),
    ("policy-max-moves-negative.toml", "less than the minimum"),
    ("max-cases-fractional.toml", "is not of type \"integer\""),
    ("negative-acuity.toml", "anyOf"),
];

#[test]
fn the_scenario_schema_refuses_what_the_reader_refuses_for_its_structure() {
    let schema = schema("scenario");
    for (file, expected) in BAD_SCENARIOS {
        let path = root().join("tests/bad").join(file);
        let problems = problems(&schema, &toml_as_json(&path));
        assert!(problems.contains(expected), "{file}: {problems}");
        let checked = caseload(&["check", path.to_str().unwrap()]);
        assert_eq!(code(&checked), 2, "{file}");
    }
}

#[test]
fn the_model_schema_refuses_what_the_reader_refuses_for_its_structure() {
    let schema = schema("model");
    for (file, expected) in [
        ("model-unknown-key.model.toml", "Additional properties"),
        ("bad-model.model.toml", ""),
    ] {
        let path = root().join("tests/bad").join(file);
        let problems = problems(&schema, &toml_as_json(&path));
        assert!(
            !problems.is_empty() && problems.contains(expected),
            "{file}: {problems}"
        );
    }
    // A model without levels, and one without `points_per_fte`.
    let no_levels = serde_json::json!({"points_per_fte": 40, "acuity": {"levels": {}}});
    assert!(problems(&schema, &no_levels).contains("has less than 1 property"));
    let no_points = serde_json::json!({"acuity": {"levels": {"low": 1}}});
    assert!(problems(&schema, &no_points).contains("\"points_per_fte\" is a required property"));
}

/// The proposal JSON of `caseload COMMAND SCENARIO --format json`, with its exit code.
fn proposal(command: &str, scenario: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![
        command,
        scenario.to_str().unwrap(),
        "--format",
        "json",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let out = caseload(&args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{command} {}: {e}\n{}",
            scenario.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, code(&out))
}

#[test]
fn the_proposals_of_every_example_scenario_are_valid() {
    let schema = schema("proposal");
    for path in scenario_files() {
        for command in ["rebalance", "assign"] {
            let (json, _) = proposal(command, &path, &[]);
            let problems = problems(&schema, &json);
            assert!(
                problems.is_empty(),
                "{command} {}:\n{problems}",
                path.display()
            );
        }
    }
    // The budget curve, and a proposal that leaves a gap to explain.
    let riverside = root().join("scenarios/riverside.toml");
    let (json, _) = proposal("rebalance", &riverside, &["--budget-curve"]);
    assert!(json["budget_curve"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    let problems = problems(&schema, &json);
    assert!(problems.is_empty(), "--budget-curve:\n{problems}");
}

#[test]
fn a_proposal_with_a_conflict_or_unplaced_cases_is_valid() {
    let schema = schema("proposal");
    let dir = tempfile::tempdir().unwrap();
    let conflict = Team::new()
        .policy("max_moves", 0)
        .staff("ana", |s| s.capacity(10).max_cases(1))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(2).assigned("ana").family("F1"))
        .case("C2", |c| c.acuity(2).assigned("bo").family("F1"))
        .write(dir.path());
    let (json, exit) = proposal("rebalance", &conflict, &[]);
    assert_eq!((exit, &json["status"]), (1, &Value::from("infeasible")));
    assert!(json["conflict"]["rules"].as_array().is_some());
    let found = problems(&schema, &json);
    assert!(found.is_empty(), "conflict:\n{found}");

    let unplaced = Team::new()
        .staff("ana", |s| s.capacity(10))
        .case("C1", |c| c.acuity(2).needs(&["asl"]))
        .write(dir.path());
    let (json, exit) = proposal("assign", &unplaced, &[]);
    assert_eq!(exit, 1);
    assert_eq!(json["unassigned"][0]["case"], "C1");
    let found = problems(&schema, &json);
    assert!(found.is_empty(), "unplaced:\n{found}");

    // And the schema is a contract: a proposal with a misspelt status, of another format
    // version, or without the files it was made from is not valid.
    let mut wrong = json.clone();
    wrong["status"] = "optimall".into();
    assert!(!problems(&schema, &wrong).is_empty());
    let mut wrong = json.clone();
    wrong["format_version"] = (json["format_version"].as_u64().unwrap() + 1).into();
    assert!(!problems(&schema, &wrong).is_empty());
    let mut wrong = json;
    wrong.as_object_mut().unwrap().remove("inputs");
    assert!(problems(&schema, &wrong).contains("\"inputs\" is a required property"));
}
