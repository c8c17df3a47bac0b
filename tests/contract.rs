//! The contract batch jobs rely on: every JSON output begins with the version of `caseload`, the
//! version of the format and every input file read, with the SHA-256 of its bytes; and a saved
//! proposal is used (`apply`, `explain --proposal`, `handout --proposal`) only with the files
//! it was made from, unless `--force` says otherwise.

mod common;

use std::path::Path;

use serde_json::Value;

use common::{caseload, code, root, sha256_of, without_provenance, write, Team};

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

/// A team whose cases are in a CSV file, written to `dir`; returns the scenario's path.
fn team_with_csv(dir: &Path) -> String {
    write(
        dir,
        "cases.csv",
        "id,acuity,needs,assigned\nC1,4,,ana\nC2,3,,ana\nC3,2,,bo\nC4,2,,\n",
    );
    let scenario = write(
        dir,
        "team.toml",
        "cases_csv = \"cases.csv\"\n\n[[staff]]\nid = \"ana\"\ncapacity = 10\n\n\
         [[staff]]\nid = \"bo\"\ncapacity = 10\n",
    );
    path(&scenario).to_string()
}

/// A team, its rebalance proposal and where `apply` may write, in a fresh folder.
struct Decided {
    dir: tempfile::TempDir,
    scenario: String,
    proposal: String,
}

impl Decided {
    fn new(extra: &[&str]) -> Decided {
        let dir = tempfile::tempdir().expect("temp dir");
        let scenario = team_with_csv(dir.path());
        let proposal = path(&dir.path().join("p.json")).to_string();
        let mut args = vec![
            "rebalance",
            &scenario,
            "--format",
            "json",
            "--output",
            &proposal,
        ];
        args.extend_from_slice(extra);
        let out = caseload(&args);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        Decided {
            dir,
            scenario,
            proposal,
        }
    }

    fn file(&self, name: &str) -> String {
        path(&self.dir.path().join(name)).to_string()
    }

    /// `caseload apply` of the proposal to the scenario, writing `output`.
    fn apply(&self, output: &str, extra: &[&str]) -> (String, i32) {
        let mut args = vec!["apply", &self.scenario, &self.proposal, "--output", output];
        args.extend_from_slice(extra);
        let out = caseload(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (stderr, code(&out))
    }

    /// Appends `text` to the file `name` of the folder.
    fn append(&self, name: &str, text: &str) {
        let file = self.dir.path().join(name);
        let mut contents = std::fs::read_to_string(&file).expect("read");
        contents.push_str(text);
        std::fs::write(file, contents).expect("write");
    }

    /// Rewrites the proposal as one written before proposals recorded their inputs.
    fn strip_provenance(&self) {
        let mut json: Value =
            serde_json::from_str(&std::fs::read_to_string(&self.proposal).unwrap()).unwrap();
        for key in ["caseload_version", "format_version", "inputs"] {
            json.as_object_mut().unwrap().remove(key);
        }
        std::fs::write(&self.proposal, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    }
}

#[test]
fn the_proposal_records_the_scenario_and_its_csv() {
    let decided = Decided::new(&[]);
    let text = std::fs::read_to_string(&decided.proposal).unwrap();
    let csv = decided.file("cases.csv");
    without_provenance(&text, &[&decided.scenario, &csv]);
    assert_eq!(sha256_of(&csv).len(), 64);
}

#[test]
fn apply_refuses_a_proposal_after_the_scenario_is_edited_and_force_applies_it() {
    let decided = Decided::new(&[]);
    let (stderr, exit) = decided.apply(&decided.file("next.toml"), &[]);
    assert_eq!(exit, 0, "{stderr}");

    decided.append("team.toml", "# edited after the proposal was made\n");
    let next = decided.file("next2.toml");
    let (stderr, exit) = decided.apply(&next, &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "error: the proposal `{}` was made from other contents of its input files:\n\
             \x20 - `{}` has changed since the proposal was made\n\
             \x20 = help: make the proposal again from the files as they are now \
             (`caseload rebalance` or `caseload assign` with --format json), or pass --force \
             to use it as it is\n",
            decided.proposal, decided.scenario
        )
    );
    assert!(!Path::new(&next).exists(), "nothing is written");
    assert!(!Path::new(&decided.file("next2-cases.csv")).exists());

    let (stderr, exit) = decided.apply(&next, &["--force"]);
    assert_eq!(exit, 0, "{stderr}");
    assert!(stderr.starts_with("warning: the proposal"), "{stderr}");
    assert!(stderr.contains(&decided.scenario), "{stderr}");
    assert!(Path::new(&next).exists());
}

#[test]
fn apply_names_an_edited_csv_and_a_model_no_longer_read() {
    let decided = Decided::new(&[]);
    // C4 is reassessed: heavier, and still held by no one before the proposal.
    let csv = decided.file("cases.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replace("C4,2,,", "C4,3,,")).unwrap();
    let (stderr, exit) = decided.apply(&decided.file("next.toml"), &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "  - `{csv}` has changed since the proposal was made\n"
        )),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&format!("`{}`", decided.scenario)),
        "{stderr}"
    );

    // Made with a model the scenario does not name: applied without it, that model is missing.
    let model = root().join("models/standard.toml");
    let model = path(&model);
    let decided = Decided::new(&["--model", model]);
    let (stderr, exit) = decided.apply(&decided.file("next.toml"), &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "  - `{model}`, which the proposal was made from, is not read now\n"
        )),
        "{stderr}"
    );
}

#[test]
fn a_proposal_without_digests_is_refused_unless_forced() {
    let decided = Decided::new(&[]);
    decided.strip_provenance();
    let next = decided.file("next.toml");
    let (stderr, exit) = decided.apply(&next, &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: the proposal `{}` records no digests of the files it was made from",
            decided.proposal
        )),
        "{stderr}"
    );
    assert!(stderr.contains("pass --force"), "{stderr}");
    assert!(!Path::new(&next).exists());
    let (stderr, exit) = decided.apply(&next, &["--force"]);
    assert_eq!(exit, 0, "{stderr}");
    assert!(stderr.contains("used unchecked (--force)"), "{stderr}");

    // `explain` and `handout` read saved proposals the same way.
    for command in ["explain", "handout"] {
        let mut args = vec![command, &decided.scenario, "--proposal", &decided.proposal];
        if command == "explain" {
            args.extend(["--case", "C1"]);
        }
        let out = caseload(&args);
        assert_eq!(code(&out), 2, "{command}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("records no digests"), "{command}: {stderr}");
        args.push("--force");
        assert_eq!(code(&caseload(&args)), 0, "{command} --force");
    }
}

#[test]
fn explain_and_handout_refuse_a_proposal_made_from_other_contents() {
    let decided = Decided::new(&[]);
    decided.append("team.toml", "# edited\n");
    for command in ["explain", "handout"] {
        let mut args = vec![
            command,
            &decided.scenario,
            "--proposal",
            &decided.proposal,
            "--format",
            "json",
        ];
        if command == "explain" {
            args.extend(["--staff", "ana"]);
        }
        let out = caseload(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), 2, "{command}: {stderr}");
        assert!(out.stdout.is_empty());
        // Asked for JSON, the run says everything on standard error as JSON Lines.
        let error: serde_json::Value =
            serde_json::from_str(stderr.lines().next().unwrap_or_default())
                .unwrap_or_else(|e| panic!("{command}: not a JSON line ({e}): {stderr}"));
        assert_eq!(error["severity"], "error", "{command}: {stderr}");
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!(
                    "  - `{}` has changed since the proposal was made",
                    decided.scenario
                )),
            "{command}: {stderr}"
        );
        args.push("--force");
        let out = caseload(&args);
        assert_eq!(code(&out), 0, "{command} --force");
        // What it answers says which files it read, as they are now.
        let csv = decided.file("cases.csv");
        let files = [decided.scenario.as_str(), &csv, &decided.proposal];
        without_provenance(&String::from_utf8_lossy(&out.stdout), &files);
    }
}

#[test]
fn a_proposal_that_does_not_fit_is_reported_as_a_misfit_first() {
    let decided = Decided::new(&[]);
    // Another team under the same file name: the contents say more than the digests.
    decided.append("team.toml", "\n[[staff]]\nid = \"cy\"\ncapacity = 10\n");
    let scenario = std::fs::read_to_string(&decided.scenario).unwrap();
    std::fs::write(&decided.scenario, format!("name = \"week 48\"\n{scenario}")).unwrap();
    let out = caseload(&[
        "explain",
        &decided.scenario,
        "--case",
        "C1",
        "--proposal",
        &decided.proposal,
    ]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not fit the scenario"), "{stderr}");
    assert!(!stderr.contains("has changed since"), "{stderr}");
    let (stderr, exit) = decided.apply(&decided.file("next.toml"), &["--force"]);
    assert_eq!(
        exit, 2,
        "--force never applies a proposal that does not fit"
    );
    assert!(stderr.contains("does not fit"), "{stderr}");
}
