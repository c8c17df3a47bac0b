//! Helpers shared by the end-to-end tests: run the real binary, write scenarios into fresh
//! temporary directories (small teams through [`Team`], so a test states only the workers, cases
//! and policy that matter to it), and check every proposal with the independent checker.
#![allow(dead_code)]

pub mod random_team;
pub mod server;
pub mod sheets;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use caseload::input::{load_scenario, LoadOptions};
use caseload::verify::balance::balance_violations;
use caseload::verify::check_proposal;
use proptest::test_runner::{Config, RngSeed};

/// The configuration of a property test: `cases` inputs from a fixed seed, so that every run
/// tries the same ones, and no failure files written into the repository. `PROPTEST_CASES` and
/// `PROPTEST_RNG_SEED` override the two for a longer or another search.
pub fn property_config(cases: u32) -> Config {
    let from_env = Config::default();
    let set = |name: &str| std::env::var_os(name).is_some();
    Config {
        cases: if set("PROPTEST_CASES") {
            from_env.cases
        } else {
            cases
        },
        rng_seed: if set("PROPTEST_RNG_SEED") {
            from_env.rng_seed
        } else {
            RngSeed::Fixed(15)
        },
        failure_persistence: None,
        ..from_env
    }
}

/// Runs `caseload` with `args` from the project root.
pub fn caseload(args: &[&str]) -> Output {
    caseload_with_env(args, &[])
}

/// Variables that change how the text looks (colour, width): unset for every run, so that the
/// tests' environment cannot change what they see, unless a test sets them in `env`.
const LOOK: [&str; 4] = ["COLUMNS", "NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR"];

/// Runs `caseload` with `args` from the project root on `threads` rayon threads.
pub fn caseload_threads(threads: &str, args: &[&str]) -> Output {
    caseload_with_env(args, &[("RAYON_NUM_THREADS", threads)])
}

/// Runs `caseload` with `args` from the project root, with the variables of `env` set.
pub fn caseload_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
    for name in LOOK {
        command.env_remove(name);
    }
    command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Exit code of a run.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// `caseload apply SCENARIO PROPOSAL --output OUTPUT`.
pub fn apply(scenario: &str, proposal: &str, output: &str) -> Output {
    caseload(&["apply", scenario, proposal, "--output", output])
}

/// `caseload COMMAND SCENARIO --format json --output OUTPUT`.
pub fn solve_to_file(command: &str, scenario: &str, output: &str) -> Output {
    caseload(&[command, scenario, "--format", "json", "--output", output])
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

/// Solves with the binary (`rebalance` or `assign`) as JSON, checks the proposal with the
/// independent checker, and returns it with the exit code.
pub fn solve_checked(command: &str, scenario: &Path, extra: &[&str]) -> (serde_json::Value, i32) {
    let path = scenario.to_str().expect("utf-8 path");
    let mut args = vec![command, path, "--format", "json"];
    args.extend_from_slice(extra);
    let out = caseload(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(code(&out), 0 | 1),
        "exit {} for {path}: {stderr}",
        code(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let max_moves = extra
        .iter()
        .position(|a| *a == "--max-moves")
        .map(|i| extra[i + 1].parse().expect("number"));
    let loaded = load_scenario(
        scenario,
        &LoadOptions {
            model: None,
            max_moves,
            ..LoadOptions::default()
        },
    )
    .expect("scenario loads");
    let problems = check_proposal(&loaded.scenario, &json);
    assert!(
        problems.is_empty(),
        "checker found problems in {path}:\n{}",
        problems.join("\n")
    );
    let band = extra
        .iter()
        .position(|a| *a == "--balance-band")
        .map_or(loaded.scenario.policy.balance_band, |i| {
            extra[i + 1].parse().expect("number")
        });
    let imbalances = balance_violations(&loaded.scenario, &json, band);
    assert!(
        imbalances.is_empty(),
        "{command} leaves transfers the balance guarantee forbids in {path}:\n{}",
        imbalances.join("\n")
    );
    (json, code(&out))
}

/// A team from `caseload generate` (scenario in TOML), written out and loaded with `options`.
pub fn generated_scenario(
    staff: usize,
    cases: usize,
    seed: u64,
    options: &LoadOptions,
) -> caseload::domain::Scenario {
    let dir = tempfile::tempdir().unwrap();
    let file = write_generated(dir.path(), "scenario.toml", staff, cases, seed);
    load_scenario(&file, options).unwrap().scenario
}

/// Writes the scenario `caseload generate --staff STAFF --cases CASES --seed SEED` makes (in
/// TOML) as `dir/name`; its path.
pub fn write_generated(dir: &Path, name: &str, staff: usize, cases: usize, seed: u64) -> PathBuf {
    use caseload::input::generate::{generate, GenerateOptions};
    let team = generate(&GenerateOptions {
        staff,
        cases,
        seed,
        csv: false,
    });
    let file = dir.join(name);
    std::fs::write(&file, &team.scenario_toml).unwrap();
    file
}

/// The SHA-256 of a file's bytes in lowercase hexadecimal (a path relative to the project root,
/// where [`caseload`] runs, or absolute).
pub fn sha256_of(path: &str) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(root().join(path)).expect("read the input file");
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks that a JSON output begins with `caseload_version` (the package's), `format_version`
/// (1) and `inputs`, which lists exactly `files`, in this order, each with the SHA-256 of its
/// bytes; returns the document without those three fields.
pub fn without_provenance(text: &str, files: &[&str]) -> serde_json::Value {
    let first_keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .take(3)
        .filter_map(|l| l.trim().split('"').nth(1))
        .collect();
    assert_eq!(
        first_keys,
        ["caseload_version", "format_version", "inputs"],
        "{text}"
    );
    let mut json: serde_json::Value = serde_json::from_str(text).expect("JSON output");
    let document = json.as_object_mut().expect("a JSON object");
    let version = document.remove("caseload_version");
    assert_eq!(version, Some(env!("CARGO_PKG_VERSION").into()));
    assert_eq!(document.remove("format_version"), Some(1.into()));
    let expected: Vec<serde_json::Value> = files
        .iter()
        .map(|f| serde_json::json!({"path": f, "sha256": sha256_of(f)}))
        .collect();
    assert_eq!(document.remove("inputs"), Some(expected.into()));
    json
}

/// The worker a proposal gives a case.
pub fn holder<'a>(json: &'a serde_json::Value, case: &str) -> Option<&'a str> {
    json["assignments"][case].as_str()
}

/// A small team written as a scenario file. Keys are written in the order they are given, one
/// per line, with `[policy]` first:
///
/// ```ignore
/// Team::new()
///     .policy("max_moves", 0)
///     .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
///     .case("C1", |c| c.acuity(4).needs(&["spanish"]).assigned("ana").pinned())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Team {
    name: Option<String>,
    policy: Vec<String>,
    entries: Vec<String>,
}

impl Team {
    /// A team with no workers, cases or policy yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The scenario's `name`, written as a TOML string whatever it holds.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(key_value("name", name));
        self
    }

    /// A `[policy]` key.
    pub fn policy(mut self, key: &str, value: impl Into<toml::Value>) -> Self {
        self.policy.push(key_value(key, value));
        self
    }

    /// A `[[staff]]` entry with this `id` and the keys `keys` adds.
    pub fn staff(mut self, id: &str, keys: impl FnOnce(StaffKeys) -> StaffKeys) -> Self {
        let lines = keys(StaffKeys::default()).0;
        self.entries.push(entry("[[staff]]", id, &lines));
        self
    }

    /// A `[[case]]` entry with this `id` and the keys `keys` adds.
    pub fn case(mut self, id: &str, keys: impl FnOnce(CaseKeys) -> CaseKeys) -> Self {
        let lines = keys(CaseKeys::default()).0;
        self.entries.push(entry("[[case]]", id, &lines));
        self
    }

    /// The scenario file's text.
    pub fn toml(&self) -> String {
        let mut text = self.name.clone().unwrap_or_default();
        if !self.policy.is_empty() {
            text.push_str("[policy]\n");
            for line in &self.policy {
                text.push_str(line);
            }
        }
        for entry in &self.entries {
            text.push_str(entry);
        }
        text
    }

    /// Writes the scenario to `dir/team.toml` and returns the path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        write(dir, "team.toml", &self.toml())
    }
}

/// Forensic cases weigh 88 points against 67 of forensic capacity, and the team as a whole is
/// short too.
pub fn forensic_inside_a_short_team() -> Team {
    let mut team = Team::new()
        .staff("fay", |s| s.capacity(34).skills(&["forensic"]))
        .staff("fox", |s| s.capacity(33).skills(&["forensic"]))
        .staff("gil", |s| s.capacity(40))
        .staff("gus", |s| s.capacity(40));
    for (id, holder) in [("F1", "fay"), ("F2", "fay"), ("F3", "fox"), ("F4", "fox")] {
        team = team.case(id, |c| c.acuity(22).needs(&["forensic"]).assigned(holder));
    }
    for (id, holder) in [("G1", "gil"), ("G2", "gil"), ("G3", "gus")] {
        team = team.case(id, |c| c.acuity(30).assigned(holder));
    }
    team
}

/// The keys of a `[[staff]]` entry after its `id`.
#[derive(Debug, Default)]
pub struct StaffKeys(Vec<String>);

impl StaffKeys {
    /// The display name.
    pub fn name(self, name: &str) -> Self {
        self.key("name", name)
    }

    pub fn fte(self, fte: f64) -> Self {
        self.key("fte", fte)
    }

    pub fn capacity(self, points: impl Into<toml::Value>) -> Self {
        self.key("capacity", points)
    }

    pub fn max_cases(self, cases: u32) -> Self {
        self.key("max_cases", cases)
    }

    pub fn skills(self, skills: &[&str]) -> Self {
        self.key("skills", list(skills))
    }

    pub fn available(self, available: bool) -> Self {
        self.key("available", available)
    }

    fn key(mut self, key: &str, value: impl Into<toml::Value>) -> Self {
        self.0.push(key_value(key, value));
        self
    }
}

/// The keys of a `[[case]]` entry after its `id`.
#[derive(Debug, Default)]
pub struct CaseKeys(Vec<String>);

impl CaseKeys {
    /// Points, or a level name of the model.
    pub fn acuity(self, acuity: impl Into<toml::Value>) -> Self {
        self.key("acuity", acuity)
    }

    pub fn factors(self, factors: &[&str]) -> Self {
        self.key("factors", list(factors))
    }

    pub fn needs(self, skills: &[&str]) -> Self {
        self.key("needs", list(skills))
    }

    pub fn assigned(self, worker: &str) -> Self {
        self.key("assigned", worker)
    }

    pub fn family(self, family: &str) -> Self {
        self.key("family", family)
    }

    pub fn pinned(self) -> Self {
        self.key("pinned", true)
    }

    pub fn avoid(self, workers: &[&str]) -> Self {
        self.key("avoid", list(workers))
    }

    pub fn prefer(self, workers: &[&str]) -> Self {
        self.key("prefer", list(workers))
    }

    fn key(mut self, key: &str, value: impl Into<toml::Value>) -> Self {
        self.0.push(key_value(key, value));
        self
    }
}

fn key_value(key: &str, value: impl Into<toml::Value>) -> String {
    format!("{key} = {}\n", value.into())
}

fn list(items: &[&str]) -> toml::Value {
    toml::Value::Array(items.iter().map(|s| toml::Value::from(*s)).collect())
}

fn entry(header: &str, id: &str, lines: &[String]) -> String {
    format!("{header}\n{}{}", key_value("id", id), lines.concat())
}
