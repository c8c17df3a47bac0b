//! Every scenario in `tests/bad/` must be rejected by `caseload check` with exit code 2, nothing on
//! stdout, no panic, and an `error:` line naming the file and line that `tests/bad/EXPECTED` gives,
//! with the expected message on that same line.
//!
//! The scenarios are run in place (`check tests/bad/FILE` from the crate root), so the paths in
//! the messages are those a user would see.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

const BAD_DIR: &str = "tests/bad";
const MANIFEST: &str = "tests/bad/EXPECTED";

/// One line of the manifest.
#[derive(Debug)]
struct Expectation {
    /// Line of the manifest, for messages.
    manifest_line: usize,
    /// Scenario file name passed to `caseload check`.
    scenario: String,
    /// File holding the error (scenario, CSV or model).
    name: String,
    /// 1-based line of the error; `None` for a problem of the whole file.
    line: Option<usize>,
    /// Text that must appear on the same `error:` line.
    fragment: String,
}

impl Expectation {
    /// The text that locates the error on an `error:` line: `NAME:LINE:` or, for a whole-file
    /// problem, `NAME: ` (the name followed directly by the message).
    fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}:", self.name),
            None => format!("{}: ", self.name),
        }
    }

    fn where_(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.name),
            None => self.name.clone(),
        }
    }
}

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bad_dir() -> PathBuf {
    crate_root().join(BAD_DIR)
}

fn manifest() -> Vec<Expectation> {
    let path = crate_root().join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        assert!(
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty()),
            "{MANIFEST}:{}: expected `FILE | WHERE | FRAGMENT`, got: {raw}",
            i + 1
        );
        let (name, line_no) = match parts[1].rsplit_once(':') {
            Some((name, n)) => {
                let n: usize = n.parse().unwrap_or_else(|_| {
                    panic!("{MANIFEST}:{}: `{}` is not NAME:LINE", i + 1, parts[1])
                });
                assert!(n >= 1, "{MANIFEST}:{}: lines are 1-based", i + 1);
                (name.to_string(), Some(n))
            }
            None => (parts[1].to_string(), None),
        };
        out.push(Expectation {
            manifest_line: i + 1,
            scenario: parts[0].to_string(),
            name,
            line: line_no,
            fragment: parts[2].to_string(),
        });
    }
    out
}

/// Runs `caseload check tests/bad/FILE` from the crate root.
fn check(scenario: &str) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(crate_root())
        .arg("check")
        .arg(format!("{BAD_DIR}/{scenario}"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run caseload on {scenario}: {e}"))
}

/// True when `needle` occurs in `line` as a whole file name: at the start, or after `/` or a
/// space (so `a.toml:3:` does not match `data.toml:3:`).
fn names_location(line: &str, needle: &str) -> bool {
    line.match_indices(needle)
        .any(|(at, _)| at == 0 || matches!(line[..at].chars().next_back(), Some('/') | Some(' ')))
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect()
}

/// What is wrong with one run, if anything.
fn problems_of(expect: &Expectation, output: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut problems = Vec::new();
    if output.status.code() != Some(2) {
        problems.push(format!(
            "exit status is {:?}, expected code 2",
            output.status
        ));
    }
    if !stdout.is_empty() {
        problems.push(format!("stdout is not empty:\n{stdout}"));
    }
    if stderr.contains("panicked") {
        problems.push("stderr reports a panic".to_string());
    }
    let location = expect.location();
    let errors = error_lines(&stderr);
    let at_location: Vec<&&str> = errors
        .iter()
        .filter(|l| names_location(l, &location))
        .collect();
    if at_location.is_empty() {
        problems.push(format!("no `error: ` line names `{location}`"));
    } else if !at_location.iter().any(|l| l.contains(&expect.fragment)) {
        problems.push(format!(
            "the `error: ` line(s) naming `{location}` do not contain `{}`",
            expect.fragment
        ));
    }
    problems
}

#[test]
fn every_bad_scenario_is_rejected_where_the_manifest_says() {
    let mut report = String::new();
    let mut failed = 0;
    let expectations = manifest();
    for expect in &expectations {
        let output = check(&expect.scenario);
        let problems = problems_of(expect, &output);
        if problems.is_empty() {
            continue;
        }
        failed += 1;
        let _ = writeln!(
            report,
            "\n=== {} (EXPECTED line {}: {} | {})",
            expect.scenario,
            expect.manifest_line,
            expect.where_(),
            expect.fragment
        );
        for p in &problems {
            let _ = writeln!(report, "  - {p}");
        }
        let _ = writeln!(
            report,
            "  stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(
        failed == 0,
        "{failed} of {} bad scenarios did not fail as expected:\n{report}",
        expectations.len()
    );
}

#[test]
fn manifest_lists_every_bad_scenario() {
    let expectations = manifest();
    assert!(
        expectations.len() >= 20,
        "{MANIFEST} has only {} entries, expected at least 20",
        expectations.len()
    );

    let mut listed = BTreeSet::new();
    for e in &expectations {
        assert!(
            listed.insert(e.scenario.as_str()),
            "{MANIFEST}:{}: `{}` is listed twice",
            e.manifest_line,
            e.scenario
        );
        assert!(
            bad_dir().join(&e.scenario).is_file(),
            "{MANIFEST}:{}: `{}` does not exist in {BAD_DIR}",
            e.manifest_line,
            e.scenario
        );
    }

    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(bad_dir()).expect("tests/bad is readable") {
        let name = entry.expect("directory entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".toml") && !name.ends_with(".model.toml") && !listed.contains(&*name) {
            unlisted.push(name.into_owned());
        }
    }
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "scenarios in {BAD_DIR} missing from {MANIFEST}: {unlisted:?}"
    );
}

#[test]
fn several_mistakes_are_reported_at_once() {
    // Line of each mistake in tests/bad/several-mistakes.toml and part of its message.
    const MISTAKES: &[(usize, &str)] = &[
        (6, "`fte` in [[staff]] must be a number"),
        (10, "unknown key `skils` in [[staff]]"),
        (14, "unknown acuity level `extreme`"),
        (20, "names `carla`, who is not on the staff list"),
        (25, "case `C-3` is pinned but has no `assigned` holder"),
    ];
    let output = check("several-mistakes.toml");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(output.stdout.is_empty(), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");

    let errors = error_lines(&stderr);
    assert!(
        errors.len() >= 4,
        "expected at least 4 errors, found {}; stderr:\n{stderr}",
        errors.len()
    );
    let mut missing = Vec::new();
    for (line, fragment) in MISTAKES {
        let location = format!("several-mistakes.toml:{line}:");
        if !errors
            .iter()
            .any(|l| names_location(l, &location) && l.contains(fragment))
        {
            missing.push(format!("{location} {fragment}"));
        }
    }
    assert!(
        missing.is_empty(),
        "mistakes not reported: {missing:?}; stderr:\n{stderr}"
    );
}

#[test]
fn check_leaves_bad_input_files_unchanged() {
    // Scenarios with the files they name, so CSV and model files are covered too.
    const FILES: &[(&str, &[&str])] = &[
        (
            "duplicate-id-toml-csv.toml",
            &["duplicate-id-toml-csv.toml", "duplicate-id-toml-csv.csv"],
        ),
        (
            "csv-invalid-utf8.toml",
            &["csv-invalid-utf8.toml", "csv-invalid-utf8.csv"],
        ),
        (
            "bad-model.toml",
            &["bad-model.toml", "bad-model.model.toml"],
        ),
        ("several-mistakes.toml", &["several-mistakes.toml"]),
    ];
    let listing = || -> BTreeSet<String> {
        std::fs::read_dir(bad_dir())
            .expect("tests/bad is readable")
            .map(|e| {
                e.expect("directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let files_before = listing();
    for (scenario, files) in FILES {
        let before: Vec<Vec<u8>> = files
            .iter()
            .map(|f| std::fs::read(bad_dir().join(f)).expect("input file is readable"))
            .collect();
        let output = check(scenario);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{scenario}: stderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        for (file, bytes) in files.iter().zip(&before) {
            let after = std::fs::read(bad_dir().join(file)).expect("input file is readable");
            assert!(
                &after == bytes,
                "`caseload check {BAD_DIR}/{scenario}` changed {file}"
            );
        }
    }
    assert_eq!(
        files_before,
        listing(),
        "`caseload check` created or removed files in {BAD_DIR}"
    );
}

#[test]
fn a_full_standard_output_is_an_error_not_a_crash() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not every system has /dev/full
    };
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["generate", "--staff", "3", "--cases", "5", "--out"])
        .arg(dir.path().join("team"))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not write to standard output"));
}

#[cfg(unix)]
#[test]
fn outputs_keep_permissions_follow_links_and_never_replace_devices() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week.json");
    let run = |target: &Path, force: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"));
        cmd.args([
            "rebalance",
            "scenarios/riverside.toml",
            "--format",
            "json",
            "--output",
        ])
        .arg(target);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    assert_eq!(run(&out, false).status.code(), Some(0));
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(run(&out, true).status.code(), Some(0));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private file stays private when replaced");

    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink(&out, &link).unwrap();
    assert_eq!(run(&link, true).status.code(), Some(0));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());

    let device = run(Path::new("/dev/null"), true);
    assert_eq!(device.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&device.stderr).contains("is not a regular file"));
    let folder = run(dir.path(), true);
    assert_eq!(folder.status.code(), Some(2));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_instead_of_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scenario.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut inputs = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        inputs.push(fifo);
    }
    for input in inputs {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
            .arg("check")
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", input.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not a regular file"),
            "{}",
            input.display()
        );
    }
}

#[test]
fn a_file_named_as_something_it_is_not_is_never_quoted() {
    for scenario in ["leak-model.toml", "leak-csv.toml", "leak-extends.toml"] {
        let out = check(scenario);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{scenario}: {stderr}");
        assert!(
            !stderr.contains("hunter2"),
            "{scenario} quotes the file:\n{stderr}"
        );
    }
}

#[test]
fn a_file_name_with_control_characters_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil\u{1b}]0;x\u{7}.toml");
    std::fs::copy(crate_root().join(BAD_DIR).join("id-newline.toml"), &evil).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("check")
        .arg(&evil)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        stderr.contains("evil\\u{1b}]0;x\\u{7}.toml:8:6"),
        "{stderr}"
    );
}

#[test]
fn a_list_longer_than_the_limit_is_refused_at_its_first_entry_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let skills: Vec<String> = (0..1_001).map(|i| format!("\"s{i}\"")).collect();
    let needs: Vec<String> = (0..1_000).map(|i| format!("\"s{i}\"")).collect();
    let text = format!(
        "name = \"long lists\"\n[[staff]]\nid = \"ana\"\nskills = [{}]\n[[case]]\nid = \"C-1\"\nacuity = 1\nneeds = [{}]\n",
        skills.join(", "),
        needs.join(", ")
    );
    let path = dir.path().join("lists.toml");
    std::fs::write(&path, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One error: the skills (1,001), not the needs (1,000, at the limit).
    assert_eq!(error_lines(&stderr).len(), 1, "{stderr}");
    assert!(
        stderr.contains("`skills` of `ana` has 1001 entries, more than 1000"),
        "{stderr}"
    );
    let column = text.lines().nth(3).unwrap().find("\"s1000\"").unwrap() + 1;
    assert!(
        stderr.contains(&format!("lists.toml:4:{column}:")),
        "{stderr}"
    );
}

#[test]
fn the_root_cause_comes_first_and_its_many_consequences_are_counted() {
    // Fixture, the first error (location and message), the line standing for the consequences
    // not shown, how many of them are shown, and the errors found in all.
    const ROOTS: &[(&str, &str, &str, &str, usize, usize)] = &[
        (
            "staff-id-misspelled.toml",
            "staff-id-misspelled.toml:6:",
            "unknown key `idd` in [[staff]]",
            "... and 7 more cases name a holder who is not on the staff list; check the [[staff]] table first",
            3,
            12,
        ),
        (
            "staff-table-misspelled.toml",
            "staff-table-misspelled.toml:5:",
            "unknown key `staf` in the scenario file",
            "... and 5 more cases name a holder who is not on the staff list; check the [[staff]] table first",
            3,
            10,
        ),
        (
            "wrong-model.toml",
            "wrong-model.toml:4:",
            "8 of the 8 cases that give an acuity level give one that model \"Child welfare acuity scale\" does not define",
            "... and 5 more cases give an acuity level the model does not define; check that the scenario names the right `model` first",
            3,
            9,
        ),
    ];
    for (fixture, location, first, more, shown, found) in ROOTS {
        let output = check(fixture);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        let errors = error_lines(&stderr);
        assert!(
            names_location(errors[0], location) && errors[0].contains(first),
            "{fixture}: the first error is not the root cause:\n{stderr}"
        );
        let mores: Vec<&str> = stderr.lines().filter(|l| l.starts_with("...")).collect();
        assert_eq!(mores, [*more], "{fixture}:\n{stderr}");
        // The consequences shown come right before the line that counts the others.
        let lines: Vec<&str> = stderr.lines().collect();
        let at = lines.iter().position(|l| l == more).unwrap();
        let consequences = lines[..at]
            .iter()
            .filter(|l| {
                l.starts_with("error: ")
                    && (l.contains("who is not on the staff list")
                        || l.contains("unknown acuity level"))
            })
            .count();
        assert_eq!(consequences, *shown, "{fixture}:\n{stderr}");
        assert!(
            stderr.ends_with(&format!("{found} errors found; nothing was changed\n")),
            "{fixture}:\n{stderr}"
        );
    }
}
