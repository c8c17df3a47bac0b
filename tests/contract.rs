//! The contract batch jobs rely on: every JSON output begins with the version of `caseload`, the
//! version of the format and every input file read, with the SHA-256 of its bytes.

mod common;

use std::path::Path;

use common::{caseload, code, without_provenance, write, Team};

const RIVERSIDE: &str = "scenarios/riverside.toml";
/// The model of the Riverside scenarios, named as the tool names it: from the scenario's folder.
const RIVERSIDE_MODEL: &str = "scenarios/../models/standard.toml";

/// Standard output of `caseload ARGS...`, which must exit with 0 or 1.
fn json_of(args: &[&str]) -> String {
    let out = caseload(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(code(&out), 0 | 1), "{args:?}: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn every_json_output_begins_with_the_versions_and_the_digest_of_every_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let proposal = dir.path().join("week47.json");
    let proposal = path(&proposal);
    let saved = json_of(&[
        "rebalance",
        RIVERSIDE,
        "--format",
        "json",
        "--output",
        proposal,
    ]);
    assert!(saved.is_empty());
    let written = std::fs::read_to_string(proposal).expect("the proposal");
    let team = [RIVERSIDE, RIVERSIDE_MODEL];
    let with_proposal = [RIVERSIDE, RIVERSIDE_MODEL, proposal];
    let runs: Vec<(Vec<&str>, &[&str])> = vec![
        (vec!["rebalance", RIVERSIDE], &team),
        (vec!["assign", RIVERSIDE], &team),
        (vec!["check", RIVERSIDE], &team),
        (vec!["explain", RIVERSIDE, "--case", "C-1079"], &team),
        (vec!["explain", RIVERSIDE, "--staff", "tom"], &team),
        (
            vec![
                "explain",
                RIVERSIDE,
                "--staff",
                "tom",
                "--proposal",
                proposal,
            ],
            &with_proposal,
        ),
        (vec!["handout", RIVERSIDE, "--staff", "linh"], &team),
        (
            vec!["handout", RIVERSIDE, "--proposal", proposal],
            &with_proposal,
        ),
        (vec!["whatif", RIVERSIDE, "--leave", "derek"], &team),
        (vec!["tradeoff", RIVERSIDE, "--max-moves", "1", "-q"], &team),
    ];
    for (args, files) in runs {
        let json = json_of(&[&args[..], &["--format", "json"]].concat());
        let document = without_provenance(&json, files);
        assert!(
            document.as_object().is_some_and(|d| !d.is_empty()),
            "{args:?}"
        );
    }
    // The proposal written to a file carries them too, and the same input gives the same bytes.
    without_provenance(&written, &team);
    assert_eq!(
        json_of(&["rebalance", RIVERSIDE, "--format", "json"]),
        written
    );
}

#[test]
fn overlays_csv_files_models_and_profiles_are_inputs_too() {
    // An overlay reads the scenario it extends, which names the model.
    let leave = "scenarios/riverside-leave.toml";
    let json = json_of(&["check", leave, "--format", "json"]);
    without_provenance(&json, &[leave, RIVERSIDE, RIVERSIDE_MODEL]);
    // Cases in CSV; another model given on the command line.
    let json = json_of(&[
        "check",
        "scenarios/county-east.toml",
        "--model",
        "models/standard.toml",
        "--format",
        "json",
    ]);
    without_provenance(
        &json,
        &[
            "scenarios/county-east.toml",
            "scenarios/county-east-cases.csv",
            "models/standard.toml",
        ],
    );
    // Hiring profiles.
    let profiles = "scenarios/profiles/hires.toml";
    let json = json_of(&[
        "staffing",
        "scenarios/riverside-surge.toml",
        "--target",
        "0.85",
        "--profiles",
        profiles,
        "--format",
        "json",
        "-q",
    ]);
    let surge = "scenarios/riverside-surge.toml";
    without_provenance(&json, &[surge, RIVERSIDE, RIVERSIDE_MODEL, profiles]);
    // Several scenarios: every file once, in the order read.
    let json = json_of(&["compare", RIVERSIDE, leave, "--format", "json", "-q"]);
    let document = without_provenance(&json, &[RIVERSIDE, RIVERSIDE_MODEL, leave]);
    assert_eq!(document["scenarios"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_batch_records_the_inputs_of_each_proposal_and_of_its_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let teams = dir.path().join("teams");
    std::fs::create_dir(&teams).unwrap();
    let small = |ana: u32| {
        Team::new()
            .staff("ana", |s| s.capacity(ana))
            .staff("bo", |s| s.capacity(10))
            .case("C1", |c| c.acuity(3).assigned("ana"))
            .case("C2", |c| c.acuity(2))
    };
    let a = write(&teams, "a.toml", &small(10).toml());
    let b = write(&teams, "b.toml", &small(12).toml());
    let broken = write(&teams, "c.toml", "[[staff]]\nid = 3\n");
    let out_dir = dir.path().join("out");
    let out = caseload(&["batch", path(&teams), "--output", path(&out_dir), "-q"]);
    assert_eq!(code(&out), 2, "c.toml is broken");
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).expect("written");
    without_provenance(&read("a.json"), &[path(&a)]);
    without_provenance(&read("b.json"), &[path(&b)]);
    // The summary lists the files of the scenarios that could be read.
    let summary = without_provenance(&read("summary.json"), &[path(&a), path(&b)]);
    assert_eq!(summary["scenarios"][2]["file"], path(&broken));
}
