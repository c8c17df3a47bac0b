//! `caseload init`, end to end through the binary: a starter team as a workbook and as TOML that
//! `check` passes and `rebalance` solves alike, a workbook with every column the reader knows and
//! a guide to each, and a folder never half written or written over without `--force`.

mod common;

use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use caseload::input::starter::{
    GUIDE_SHEET, TOML_SCENARIO_FILE, WORKBOOK_FILE, WORKBOOK_SCENARIO_FILE,
};
use caseload::input::table::TableKind;
use caseload::input::team_workbook::written_headers;
use common::{caseload, code, solve_checked};

const FILES: [&str; 3] = [WORKBOOK_FILE, WORKBOOK_SCENARIO_FILE, TOML_SCENARIO_FILE];

fn init(args: &[&str]) -> std::process::Output {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    caseload(&all)
}

/// The bytes of each file of the starter team in `dir`.
fn contents(dir: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|name| std::fs::read(dir.join(name)).expect("written"))
        .collect()
}

#[test]
fn init_writes_a_team_that_check_passes_and_rebalance_solves_alike_in_both_forms() {
    let dir = tempfile::tempdir().expect("a folder");
    let team = dir.path().join("new").join("team");
    let out = init(&[team.to_str().expect("UTF-8")]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in FILES {
        assert!(
            stdout.contains(&format!("wrote {}", team.join(name).display())),
            "{stdout}"
        );
    }
    let mut proposals = Vec::new();
    for scenario in [WORKBOOK_SCENARIO_FILE, TOML_SCENARIO_FILE] {
        let path = team.join(scenario);
        let check = caseload(&["check", path.to_str().expect("UTF-8")]);
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert_eq!(code(&check), 0, "{stderr}");
        assert!(!stderr.contains("warning"), "{scenario}: {stderr}");
        let (json, exit) = solve_checked("rebalance", &path, &[]);
        assert_eq!(exit, 0, "{scenario}");
        assert_eq!(json["status"], "optimal", "{scenario}");
        proposals.push(json);
    }
    for key in ["assignments", "moves", "metrics", "unplaced"] {
        assert_eq!(proposals[0][key], proposals[1][key], "{key}");
    }
    assert!(
        proposals[0]["metrics"]["moves"].as_u64() > Some(0),
        "a team worth rebalancing"
    );
}

#[test]
fn the_workbook_has_every_column_the_reader_knows_filled_and_a_guide_to_each() {
    let dir = tempfile::tempdir().expect("a folder");
    assert_eq!(code(&init(&[dir.path().to_str().expect("UTF-8")])), 0);
    let bytes = std::fs::read(dir.path().join(WORKBOOK_FILE)).expect("written");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    assert_eq!(book.sheet_names(), [GUIDE_SHEET, "Staff", "Cases"]);
    let guide = book.worksheet_range(GUIDE_SHEET).expect("the guide");
    let guide_rows: Vec<Vec<String>> = guide
        .rows()
        .map(|row| row.iter().map(Data::to_string).collect())
        .collect();
    // Each column's line, under the heading that names its sheet: (sheet, line).
    let mut section = String::new();
    let mut lines = Vec::new();
    for row in &guide_rows {
        match row.iter().filter(|cell| !cell.is_empty()).count() {
            1 => section = row[0].clone(),
            n if n >= 3 => lines.push((section.clone(), row.clone())),
            _ => {}
        }
    }
    for (kind, sheet) in [(TableKind::Staff, "Staff"), (TableKind::Cases, "Cases")] {
        let range = book.worksheet_range(sheet).expect("the sheet");
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .expect("a header")
            .iter()
            .map(Data::to_string)
            .collect();
        let written: Vec<&str> = written_headers(kind).iter().map(|(_, h)| *h).collect();
        assert_eq!(header, written, "every column the reader knows");
        let example = rows.next().expect("an example row");
        assert!(
            example.iter().all(|cell| *cell != Data::Empty),
            "the first {sheet} row fills every column: {example:?}"
        );
        for column in &written {
            let (_, line) = lines
                .iter()
                .find(|(section, line)| section == sheet && line[0] == *column)
                .unwrap_or_else(|| panic!("no guide line for {sheet}: {column}"));
            assert!(!line[1].is_empty() && !line[2].is_empty(), "{line:?}");
        }
    }
    // The levels of the model the team is weighed by, with their points.
    let text = guide_rows.concat().join("|");
    for level in [
        "low|1",
        "moderate|2",
        "high|3",
        "intensive|5",
        "court-involved|+1",
    ] {
        assert!(text.contains(level), "{level}: {text}");
    }
}

#[test]
fn init_refuses_a_folder_that_holds_any_of_its_files_unless_forced() {
    let dir = tempfile::tempdir().expect("a folder");
    let folder = dir.path().to_str().expect("UTF-8");
    // A scenario of the user's own, named as the starter's: nothing is written.
    std::fs::write(dir.path().join(WORKBOOK_SCENARIO_FILE), "name = \"Mine\"\n").expect("written");
    let out = init(&[folder]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!dir.path().join(WORKBOOK_FILE).exists());
    assert!(!dir.path().join(TOML_SCENARIO_FILE).exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join(WORKBOOK_SCENARIO_FILE)).expect("kept"),
        "name = \"Mine\"\n"
    );
    // --force replaces them, with the same bytes every time.
    assert_eq!(code(&init(&[folder, "--force"])), 0);
    let first = contents(dir.path());
    assert_eq!(code(&init(&[folder, "--force"])), 0);
    assert!(contents(dir.path()) == first);
    let out = init(&[folder]);
    assert_eq!(code(&out), 2);
    assert!(contents(dir.path()) == first);
}

#[test]
fn init_into_a_file_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("team");
    std::fs::write(&file, "a file").expect("written");
    let out = init(&[file.to_str().expect("UTF-8"), "--force"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "a file");
}
