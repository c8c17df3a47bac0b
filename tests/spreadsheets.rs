//! Teams from spreadsheets, end to end through the binary: one team given as TOML, as CSV files
//! of each delimiter and convention, as a staff CSV with a cases CSV, as a workbook and as an
//! OpenDocument spreadsheet gives the same proposal; a bad cell is located in each format, in text and in JSON; overlays extend
//! workbook and staff CSV scenarios; a changed workbook is noticed; the example workbook is the
//! one its TOML writes.

mod common;

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;
use std::process::Output;

use calamine::{Data, Reader, Xlsx};
use caseload::input::{load_scenario, LoadOptions};
use common::sheets::{csv, ods, workbook, CsvStyle, Team, CASE_COLUMNS, STAFF_COLUMNS};
use common::{caseload, code, root, solve_checked, write};
use serde_json::Value;
use toml::Table;

/// The example team as TOML: the data of the example workbook.
const SOURCE: &str = "tests/teams/lakeside.toml";

/// The example scenario that names the workbook.
const EXAMPLE: &str = "scenarios/lakeside.toml";

/// The example workbook.
const EXAMPLE_WORKBOOK: &str = "scenarios/lakeside.xlsx";

/// The first line of every scenario written here: the example's name.
const NAME: &str = "name = \"Lakeside Family Services\"\n";

fn source() -> Team {
    Team::from_toml(&std::fs::read_to_string(root().join(SOURCE)).expect("the source"))
}

#[test]
fn the_example_workbook_is_written_from_its_toml() {
    let bytes = workbook(&source());
    let path = root().join(EXAMPLE_WORKBOOK);
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::write(&path, &bytes).expect("write the example workbook");
    }
    let committed = std::fs::read(&path).expect("the example workbook");
    assert!(
        committed == bytes,
        "{EXAMPLE_WORKBOOK} is not the workbook {SOURCE} writes; `SNAPSHOTS=overwrite cargo test --test spreadsheets` writes it anew"
    );
    // Written twice, the same bytes.
    assert!(workbook(&source()) == bytes);
}

/// The JSON text without its `inputs` block (which names each variant's own files).
fn without_inputs(text: &str) -> String {
    let start = text.find("\"inputs\"").expect("an inputs block");
    let open = start + text[start..].find('[').expect("a list");
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    for (i, c) in text[open..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '[' | '{' if !in_string => depth += 1,
            ']' | '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return format!("{}{}", &text[..start], &text[open + i + 1..]);
                }
            }
            _ => {}
        }
    }
    panic!("an unclosed inputs block")
}

/// The example team in every format, each a scenario in `dir` (or the repository's own): a
/// label, the scenario's path, and the files it names.
fn every_format(dir: &Path) -> Vec<(&'static str, PathBuf, &'static [&'static str])> {
    let team = source();
    let with_cases_csv = |name: &str, style: CsvStyle| {
        let folder = dir.join(name);
        std::fs::create_dir(&folder).expect("a folder");
        write(&folder, "cases.csv", &csv(&team.cases, CASE_COLUMNS, style));
        let scenario = format!("{NAME}cases_csv = \"cases.csv\"\n{}", team.staff_toml());
        write(&folder, "team.toml", &scenario)
    };
    let both = dir.join("both");
    std::fs::create_dir(&both).expect("a folder");
    let tabs = CsvStyle {
        delimiter: b'\t',
        spreadsheet_headers: true,
        crlf: true,
        ..CsvStyle::PLAIN
    };
    let commas_in_lists = CsvStyle {
        list_separator: ", ",
        ..CsvStyle::PLAIN
    };
    write(&both, "staff.csv", &csv(&team.staff, STAFF_COLUMNS, tabs));
    write(
        &both,
        "cases.csv",
        &csv(&team.cases, CASE_COLUMNS, commas_in_lists),
    );
    let both_files = "staff_csv = \"staff.csv\"\ncases_csv = \"cases.csv\"\n";
    let open_document = dir.join("ods");
    std::fs::create_dir(&open_document).expect("a folder");
    std::fs::write(open_document.join("team.ods"), ods(&team)).expect("written");
    vec![
        ("TOML", root().join(SOURCE), &[]),
        (
            "CSV with `,`",
            with_cases_csv("comma", CsvStyle::PLAIN),
            &["comma/cases.csv"],
        ),
        (
            "CSV with `;`, decimal commas, BOM and CRLF",
            with_cases_csv("semicolon", CsvStyle::EUROPEAN_EXCEL),
            &["semicolon/cases.csv"],
        ),
        (
            "staff CSV (tabs) and cases CSV",
            write(&both, "team.toml", &format!("{NAME}{both_files}")),
            &["both/staff.csv", "both/cases.csv"],
        ),
        (
            "workbook",
            root().join(EXAMPLE),
            &["scenarios/lakeside.xlsx"],
        ),
        (
            "OpenDocument spreadsheet",
            write(
                &open_document,
                "team.toml",
                &format!("{NAME}workbook = \"team.ods\"\n"),
            ),
            &["ods/team.ods"],
        ),
        (
            "OpenDocument spreadsheet saved by LibreOffice",
            root().join("scenarios/lakeside-libreoffice.toml"),
            &["scenarios/lakeside.ods"],
        ),
    ]
}

/// `rebalance --format json` of `scenario`, as text.
fn rebalance_json(scenario: &Path) -> String {
    let path = scenario.to_str().expect("UTF-8");
    let out = caseload(&["rebalance", path, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_same_team_in_every_format_gives_the_same_proposal() {
    let dir = tempfile::tempdir().expect("a folder");
    let formats = every_format(dir.path());
    let (_, toml, _) = &formats[0];
    let expected = without_inputs(&rebalance_json(toml));
    assert!(expected.contains("\"C-372\""), "{expected}");
    for (label, scenario, files) in &formats {
        let check = caseload(&["check", scenario.to_str().expect("UTF-8")]);
        assert_eq!(
            code(&check),
            0,
            "{label}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let json = rebalance_json(scenario);
        assert_eq!(without_inputs(&json), expected, "{label}");
        // Every file read is an input, with its digest.
        let json: Value = serde_json::from_str(&json).expect("JSON");
        let inputs = json["inputs"].as_array().expect("inputs");
        let read: Vec<&str> = inputs
            .iter()
            .map(|f| f["path"].as_str().expect("a path"))
            .collect();
        assert_eq!(read.len(), 1 + files.len(), "{label}: {read:?}");
        assert!(read[0].ends_with(".toml"), "{label}: {read:?}");
        for file in *files {
            let input = inputs
                .iter()
                .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(file)))
                .unwrap_or_else(|| panic!("{label}: {file} is not among {read:?}"));
            let path = if scenario.starts_with(root()) {
                root()
            } else {
                dir.path().to_path_buf()
            };
            let bytes = std::fs::read(path.join(file)).expect("the file");
            let digest = caseload::input::provenance::InputFile::of(Path::new(file), &bytes).sha256;
            assert_eq!(input["sha256"], digest.as_str(), "{label}");
        }
        // And the independent checker finds every rule kept.
        solve_checked("rebalance", scenario, &[]);
    }
}

/// The example team with `pinned = "maybe"` on its third case and `fte = "lots"` on its second
/// worker.
fn with_bad_cells() -> Team {
    let mut team = source();
    team.cases[2].insert("pinned".into(), "maybe".into());
    team.staff[1].insert("fte".into(), "lots".into());
    team
}

/// The errors `check --format json` gives for `scenario`, after asserting exit code 2.
fn json_problems(scenario: &Path) -> Vec<Value> {
    let out = caseload(&[
        "check",
        scenario.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|p| p["severity"] == "error")
        .collect()
}

/// The text `check` gives for `scenario`, after asserting exit code 2 and that it wrote nothing
/// on stdout.
fn text_problems(scenario: &Path) -> String {
    let out = caseload(&["check", scenario.to_str().expect("UTF-8")]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).expect("UTF-8")
}

#[test]
fn a_bad_cell_is_located_in_a_workbook_by_sheet_and_cell() {
    for (name, bytes) in [
        ("team.xlsx", workbook(&with_bad_cells())),
        ("team.ods", ods(&with_bad_cells())),
    ] {
        let dir = tempfile::tempdir().expect("a folder");
        std::fs::write(dir.path().join(name), bytes).expect("written");
        let scenario = write(
            dir.path(),
            "team.toml",
            &format!("{NAME}workbook = \"{name}\"\n"),
        );
        let text = text_problems(&scenario);
        let workbook = dir.path().join(name);
        let workbook = workbook.display();
        // Both problems at once, each at its cell.
        assert!(
            text.contains(&format!(
                "error: {workbook}: Staff!C3: `fte` is \"lots\", which is not a number"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "error: {workbook}: Cases!G4: `pinned` is \"maybe\", which is not true or false"
            )),
            "{text}"
        );
        let problems = json_problems(&scenario);
        let pinned = problems
            .iter()
            .find(|p| p["sheet"] == "Cases")
            .unwrap_or_else(|| panic!("{problems:?}"));
        assert_eq!(pinned["cell"], "G4");
        assert_eq!(pinned["line"], 4);
        assert_eq!(pinned["column"], 7);
        assert_eq!(pinned["file"], workbook.to_string());
        assert!(problems
            .iter()
            .any(|p| p["sheet"] == "Staff" && p["cell"] == "C3"));
    }
}

#[test]
fn a_bad_cell_is_located_in_a_csv_file_by_line_and_column_and_in_toml_by_line() {
    let dir = tempfile::tempdir().expect("a folder");
    let team = with_bad_cells();
    for (name, style, column) in [
        ("plain.csv", CsvStyle::PLAIN, "pinned"),
        ("excel.csv", CsvStyle::EUROPEAN_EXCEL, "Pinned"),
    ] {
        write(dir.path(), name, &csv(&team.cases, CASE_COLUMNS, style));
        let scenario = write(
            dir.path(),
            "team.toml",
            &format!("{NAME}cases_csv = \"{name}\"\n{}", source().staff_toml()),
        );
        let text = text_problems(&scenario);
        let at = format!("{}:4: column `{column}`", dir.path().join(name).display());
        assert!(
            text.contains(&format!(
                "error: {at}: `pinned` is \"maybe\", which is not true or false"
            )),
            "{text}"
        );
        let problems = json_problems(&scenario);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0]["line"], 4);
        assert_eq!(problems[0]["csv_column"], column);
        assert_eq!(problems[0]["sheet"], Value::Null);
    }
    let toml = std::fs::read_to_string(root().join(SOURCE))
        .expect("the source")
        .replace("id = \"C-303\"\n", "id = \"C-303\"\npinned = \"maybe\"\n");
    let line = toml
        .lines()
        .position(|l| l == "pinned = \"maybe\"")
        .expect("the line")
        + 1;
    let scenario = write(dir.path(), "team.toml", &toml);
    let text = text_problems(&scenario);
    assert!(
        text.contains(&format!("team.toml:{line}:10: `pinned`")),
        "{text}"
    );
    let problems = json_problems(&scenario);
    assert_eq!(
        (problems[0]["line"].as_u64(), problems[0]["column"].as_u64()),
        (Some(line as u64), Some(10))
    );
}

#[test]
fn a_semicolon_file_that_names_no_id_says_how_it_was_read() {
    let dir = tempfile::tempdir().expect("a folder");
    write(
        dir.path(),
        "cases.csv",
        "Nummer;Acuity;Worker\r\nC-1;high;ana\r\n",
    );
    let scenario = write(
        dir.path(),
        "team.toml",
        "cases_csv = \"cases.csv\"\n[[staff]]\nid = \"ana\"\n",
    );
    let text = text_problems(&scenario);
    assert!(
        text.contains("unknown column `Nummer` in the header"),
        "{text}"
    );
    assert!(text.contains("the header has no `id` column"), "{text}");
    assert!(
        text.contains("the header, read as `;`-separated, has `Nummer`, `Acuity`, `Worker`"),
        "{text}"
    );
}

/// A folder with a copy of the example scenario and workbook.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    for file in [EXAMPLE, EXAMPLE_WORKBOOK] {
        let name = Path::new(file).file_name().expect("a name");
        std::fs::copy(root().join(file), dir.path().join(name)).expect("copied");
    }
    dir
}

/// The holder of each case in a proposal.
fn holders(json: &str) -> Table {
    let json: Value = serde_json::from_str(json).expect("JSON");
    let text = serde_json::to_string(&json["assignments"]).expect("JSON");
    serde_json::from_str(&text).expect("case → worker")
}

#[test]
fn an_overlay_extends_a_workbook_scenario_with_paths_relative_to_each_file() {
    let dir = example_copy();
    let whatif = dir.path().join("whatif");
    std::fs::create_dir(&whatif).expect("a folder");
    let overlay = write(
        &whatif,
        "dev-on-leave.toml",
        "extends = \"../lakeside.toml\"\n[[staff]]\nid = \"dev\"\navailable = false\n",
    );
    let json = rebalance_json(&overlay);
    let holders = holders(&json);
    assert_eq!(holders.len(), 33);
    assert!(
        !holders.values().any(|w| w.as_str() == Some("dev")),
        "{holders:?}"
    );
    assert!(json.contains("lakeside.xlsx"), "the workbook is an input");
    solve_checked("rebalance", &overlay, &[]);
}

#[test]
fn an_overlay_adds_workers_from_its_own_staff_csv() {
    let dir = tempfile::tempdir().expect("a folder");
    let team = source();
    write(
        dir.path(),
        "staff.csv",
        &csv(&team.staff, STAFF_COLUMNS, CsvStyle::EUROPEAN_EXCEL),
    );
    write(
        dir.path(),
        "cases.csv",
        &csv(&team.cases, CASE_COLUMNS, CsvStyle::PLAIN),
    );
    write(
        dir.path(),
        "team.toml",
        &format!("{NAME}staff_csv = \"staff.csv\"\ncases_csv = \"cases.csv\"\n"),
    );
    let whatif = dir.path().join("whatif");
    std::fs::create_dir(&whatif).expect("a folder");
    write(
        &whatif,
        "hires.csv",
        "Staff ID;FTE;Skills\ngus;0,5;spanish, youth\n",
    );
    let overlay = write(
        &whatif,
        "hire.toml",
        "extends = \"../team.toml\"\nstaff_csv = \"hires.csv\"\n",
    );
    let json = rebalance_json(&overlay);
    assert!(
        holders(&json).values().any(|w| w.as_str() == Some("gus")),
        "{json}"
    );
    let parsed: Value = serde_json::from_str(&json).expect("JSON");
    let paths: Vec<&str> = parsed["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|f| f["path"].as_str().expect("a path"))
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("whatif/hires.csv")),
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("staff.csv")), "{paths:?}");
}

#[test]
fn a_proposal_from_another_version_of_the_workbook_is_refused() {
    let dir = example_copy();
    let scenario = dir.path().join("lakeside.toml");
    let scenario = scenario.to_str().expect("UTF-8");
    let proposal = dir.path().join("proposal.json");
    let proposal = proposal.to_str().expect("UTF-8");
    let out = caseload(&[
        "rebalance",
        scenario,
        "--format",
        "json",
        "--output",
        proposal,
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let explain = |args: &[&str]| {
        let mut all = vec![
            "explain",
            scenario,
            "--case",
            "C-303",
            "--proposal",
            proposal,
        ];
        all.extend_from_slice(args);
        caseload(&all)
    };
    assert_eq!(code(&explain(&[])), 0);
    // A name changed: every figure of the proposal still fits, but not the file's digest.
    let mut team = source();
    team.staff[0].insert("name".into(), "Ana M. Morales".into());
    std::fs::write(dir.path().join("lakeside.xlsx"), workbook(&team)).expect("written");
    let out = explain(&[]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lakeside.xlsx"), "{stderr}");
    assert_eq!(code(&explain(&["--force"])), 0);
}

/// Every filled cell of the sheet `name` of the workbook `bytes`, by (row, column) from 0.
fn sheet_cells(bytes: &[u8], name: &str) -> BTreeMap<(u32, u32), Data> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range(name).expect("the sheet");
    let (top, left) = range.start().unwrap_or_default();
    range
        .used_cells()
        .map(|(r, c, data)| ((top + r as u32, left + c as u32), data.clone()))
        .collect()
}

/// Applies the proposal that `rebalance` makes for `scenario` (in `dir`), writing `next.toml`
/// there; returns the proposal's holders and what apply said.
fn rebalance_and_apply(dir: &Path, scenario: &Path) -> (Table, Output) {
    let proposal = dir.join("proposal.json");
    let next = dir.join("next.toml");
    let [scenario, proposal_path, next] =
        [scenario, &proposal, &next].map(|p| p.to_str().expect("UTF-8"));
    let out = common::solve_to_file("rebalance", scenario, proposal_path);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let proposal = std::fs::read_to_string(&proposal).expect("the proposal");
    (
        holders(&proposal),
        common::apply(scenario, proposal_path, next),
    )
}

/// Each case's holder in the scenario `path`, as the tool loads it (intake left out).
fn loaded_holders(path: &Path) -> Table {
    let loaded = load_scenario(path, &LoadOptions::default()).expect("the scenario loads");
    let scenario = &loaded.scenario;
    scenario
        .cases
        .iter()
        .filter_map(|case| {
            let holder = &scenario.staff[case.assigned?].id;
            Some((case.id.clone(), toml::Value::String(holder.to_string())))
        })
        .collect()
}

#[test]
fn apply_writes_a_new_workbook_with_the_proposals_holders_and_every_other_cell_as_it_was() {
    let dir = example_copy();
    let scenario = dir.path().join("lakeside.toml");
    let inputs_before = [
        std::fs::read(&scenario).expect("read"),
        std::fs::read(dir.path().join("lakeside.xlsx")).expect("read"),
    ];
    let (assignments, out) = rebalance_and_apply(dir.path(), &scenario);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("next.xlsx"), "{stdout}");
    let today = loaded_holders(&scenario);
    let changed = assignments
        .iter()
        .filter(|(case, holder)| today.get(*case) != Some(holder))
        .count();
    assert!(
        stdout.contains(&format!("({changed} case holder(s) changed)")),
        "{stdout}"
    );
    let inputs_after = [
        std::fs::read(&scenario).expect("read"),
        std::fs::read(dir.path().join("lakeside.xlsx")).expect("read"),
    ];
    assert!(inputs_before == inputs_after, "an input file changed");

    // The new scenario names the new workbook, and reads back as the proposal's team.
    let next = dir.path().join("next.toml");
    let text = std::fs::read_to_string(&next).expect("the new scenario");
    assert!(text.contains("workbook = \"next.xlsx\""), "{text}");
    assert!(
        text.contains("# Lakeside Family Services, kept in a workbook"),
        "{text}"
    );
    assert_eq!(loaded_holders(&next), assignments);
    let check = caseload(&["check", next.to_str().expect("UTF-8")]);
    assert_eq!(
        code(&check),
        0,
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let (json, exit) = solve_checked("assign", &next, &[]);
    assert_eq!(exit, 0);
    assert_eq!(json["metrics"]["moves"], 0);
    assert_eq!(holders(&json.to_string()), assignments);

    // Cell for cell the old workbook, but for the holders.
    let old = &inputs_before[1];
    let new = std::fs::read(dir.path().join("next.xlsx")).expect("the new workbook");
    assert_eq!(sheet_cells(old, "Staff"), sheet_cells(&new, "Staff"));
    let (old_cases, new_cases) = (sheet_cells(old, "Cases"), sheet_cells(&new, "Cases"));
    let holder_col = CASE_COLUMNS
        .iter()
        .position(|(key, _)| *key == "assigned")
        .expect("a holder column") as u32;
    let (holders, others): (Vec<_>, Vec<_>) = new_cases
        .iter()
        .partition(|((row, col), _)| *row > 0 && *col == holder_col);
    let old_others: Vec<_> = old_cases
        .iter()
        .filter(|((row, col), _)| *row == 0 || *col != holder_col)
        .collect();
    assert_eq!(others, old_others);
    assert_eq!(holders.len(), assignments.len(), "every case is placed");
    for ((row, _), holder) in holders {
        let id = new_cases[&(*row, 0)].to_string();
        assert_eq!(
            holder.to_string(),
            assignments[&id].as_str().expect("a worker"),
            "{id}"
        );
    }

    // The same apply again writes the same bytes.
    let again = common::apply(
        scenario.to_str().expect("UTF-8"),
        dir.path().join("proposal.json").to_str().expect("UTF-8"),
        dir.path().join("again.toml").to_str().expect("UTF-8"),
    );
    assert_eq!(
        code(&again),
        0,
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(std::fs::read(dir.path().join("again.xlsx")).expect("written") == new);
}

#[test]
fn apply_to_a_team_from_an_opendocument_spreadsheet_writes_an_excel_workbook_of_the_same_team() {
    // The tool writes Excel workbooks only: next week's team from `lakeside.ods` is an .xlsx
    // with the same cells, but for the holders.
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::copy(
        root().join("scenarios/lakeside.ods"),
        dir.path().join("lakeside.ods"),
    )
    .expect("copied");
    let scenario = write(dir.path(), "team.toml", "workbook = \"lakeside.ods\"\n");
    let ods_before = std::fs::read(dir.path().join("lakeside.ods")).expect("read");
    let (assignments, out) = rebalance_and_apply(dir.path(), &scenario);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read(dir.path().join("lakeside.ods")).expect("read"),
        ods_before,
        "the input spreadsheet changed"
    );
    let next = dir.path().join("next.toml");
    let text = std::fs::read_to_string(&next).expect("the new scenario");
    assert!(text.contains("workbook = \"next.xlsx\""), "{text}");
    assert_eq!(loaded_holders(&next), assignments);
    let new = std::fs::read(dir.path().join("next.xlsx")).expect("the new workbook");
    // Cell for cell the spreadsheet's staff, as an OpenDocument reader reads them.
    let mut ods = calamine::Ods::new(std::io::Cursor::new(&ods_before)).expect("a spreadsheet");
    let range = ods.worksheet_range("Staff").expect("the sheet");
    let (top, left) = range.start().unwrap_or_default();
    let ods_staff: BTreeMap<(u32, u32), Data> = range
        .used_cells()
        .map(|(r, c, data)| ((top + r as u32, left + c as u32), data.clone()))
        .collect();
    assert_eq!(ods_staff, sheet_cells(&new, "Staff"));
    let (json, exit) = solve_checked("assign", &next, &[]);
    assert_eq!(exit, 0);
    assert_eq!(json["metrics"]["moves"], 0);
}

#[test]
fn apply_keeps_a_sheets_layout_adds_a_holder_column_and_says_which_sheets_it_leaves_out() {
    let dir = tempfile::tempdir().expect("a folder");
    // The header in row 2 from column B, a formula, a number id, no holder column: all intake.
    let staff: &[&[&str]] = &[
        &[],
        &["", "Worker", "Capacity", "Skills"],
        &["", "ana", "=20*2|40", "spanish"],
        &["", "bo", "30", ""],
    ];
    let cases: &[&[&str]] = &[
        &[],
        &["", "Case #", "Points", "Needs"],
        &["", "1001", "3", "spanish"],
        &["", "C-2", "2", ""],
        &["", "C-3", "4", ""],
    ];
    let notes: &[&[&str]] = &[&["Team notes"], &["=1+1|2"]];
    let old = workbook_of(&[("Notes", notes), ("Staff", staff), ("cases", cases)]);
    std::fs::write(dir.path().join("team.xlsx"), &old).expect("written");
    let scenario = write(dir.path(), "team.toml", "workbook = \"team.xlsx\"\n");
    let (assignments, out) = rebalance_and_apply(dir.path(), &scenario);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(assignments.len(), 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: ") && stderr.contains("next.xlsx holds only the `Staff` and `Cases` sheets; the workbook's other sheets (`Notes`) are not carried over"),
        "{stderr}"
    );
    let new = std::fs::read(dir.path().join("next.xlsx")).expect("the new workbook");
    let book = Xlsx::new(std::io::Cursor::new(&new)).expect("a workbook");
    assert_eq!(book.sheet_names(), ["Staff", "cases"]);
    // The staff sheet as it was: the formula's value in its place.
    assert_eq!(sheet_cells(&old, "Staff"), sheet_cells(&new, "Staff"));
    assert_eq!(sheet_cells(&new, "Staff")[&(2, 2)], Data::Float(40.0));
    // The cases sheet as it was, with a holder column after the others.
    let new_cases = sheet_cells(&new, "cases");
    for (at, cell) in sheet_cells(&old, "cases") {
        assert_eq!(new_cases[&at], cell, "{at:?}");
    }
    assert_eq!(new_cases[&(1, 4)], Data::String("Worker".into()));
    for row in 2..5 {
        let id = new_cases[&(row, 1)].to_string();
        assert_eq!(
            new_cases[&(row, 4)].to_string(),
            assignments[&id].as_str().expect("a worker"),
            "{id}"
        );
    }
    assert_eq!(loaded_holders(&dir.path().join("next.toml")), assignments);
}

#[test]
fn apply_never_writes_over_the_workbook_it_read_nor_an_existing_one_without_force() {
    let dir = example_copy();
    let junk = write(dir.path(), "next.xlsx", "not mine to replace");
    let (_, out) = rebalance_and_apply(dir.path(), &dir.path().join("lakeside.toml"));
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("next.xlsx") && stderr.contains("already exists"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&junk).expect("kept"),
        "not mine to replace"
    );
    assert!(!dir.path().join("next.toml").exists(), "nothing is written");

    // `week.toml` names lakeside.xlsx; applied as lakeside.toml, its workbook would be
    // lakeside.xlsx: refused, --force or not.
    let workbook_before = std::fs::read(dir.path().join("lakeside.xlsx")).expect("read");
    let week = write(dir.path(), "week.toml", "workbook = \"lakeside.xlsx\"\n");
    let proposal = dir.path().join("week.json");
    let output = dir.path().join("lakeside.toml");
    let [week, proposal, output] = [&week, &proposal, &output].map(|p| p.to_str().expect("UTF-8"));
    assert_eq!(code(&common::solve_to_file("rebalance", week, proposal)), 0);
    let out = caseload(&["apply", week, proposal, "--output", output, "--force"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert!(std::fs::read(dir.path().join("lakeside.xlsx")).expect("read") == workbook_before);
}

#[test]
fn a_workbook_sheet_and_entries_of_the_same_kind_in_one_file_are_refused() {
    let dir = example_copy();
    let scenario = write(
        dir.path(),
        "both.toml",
        "workbook = \"lakeside.xlsx\"\n[[staff]]\nid = \"zoe\"\n",
    );
    let text = text_problems(&scenario);
    assert!(
        text.contains("the workbook's `Staff` sheet lists the staff, and so do the [[staff]] entries of this file"),
        "{text}"
    );
}

/// A workbook of the given sheets, each a list of rows of cells written by `write`.
fn workbook_of(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                // `=...|result`: a formula and the value it last computed.
                let written = match cell.split_once('|') {
                    Some((formula, result)) => sheet.write_formula(
                        r,
                        c,
                        rust_xlsxwriter::Formula::new(formula).set_result(result),
                    ),
                    None => match cell.parse::<f64>() {
                        Ok(n) => sheet.write_number(r, c, n),
                        Err(_) if cell.is_empty() => continue,
                        Err(_) => sheet.write_string(r, c, *cell),
                    },
                };
                written.expect("written");
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}

/// `check` of a scenario naming a workbook of `bytes` saved as `name`: exit code and messages.
fn check_workbook(name: &str, bytes: &[u8]) -> (i32, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join(name), bytes).expect("written");
    let scenario = write(dir.path(), "team.toml", &format!("workbook = \"{name}\"\n"));
    let out = caseload(&["check", scenario.to_str().expect("UTF-8")]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    (code(&out), text, dir)
}

#[test]
fn formula_cells_count_by_their_last_value_and_an_error_value_is_located() {
    let staff: &[&[&str]] = &[
        &["Staff ID", "Capacity"],
        &["ana", "=20*2|40"],
        &["bo", "30"],
    ];
    let cases: &[&[&str]] = &[
        &["Case ID", "Acuity", "Worker"],
        &["C-1", "=1+2|3", "ana"],
        &["C-2", "=VLOOKUP(A3,X:Y,2)|#N/A", "bo"],
    ];
    // Sheet names are matched ignoring case.
    let (exit, text, _dir) = check_workbook(
        "team.xlsx",
        &workbook_of(&[("staff", staff), ("CASES", cases)]),
    );
    assert_eq!(exit, 2, "{text}");
    assert!(
        text.contains("team.xlsx: CASES!B3: `acuity` is the error #N/A, not a level or a number"),
        "{text}"
    );
    assert!(
        text.contains("fix the formula that gives the error, or type the value"),
        "{text}"
    );
    assert!(text.contains("1 error found"), "{text}");
    let fixed: &[&[&str]] = &[&["Case ID", "Acuity", "Worker"], &["C-1", "=1+2|3", "ana"]];
    let (exit, text, _dir) = check_workbook(
        "team.xlsx",
        &workbook_of(&[("Staff", staff), ("Cases", fixed)]),
    );
    assert_eq!(exit, 0, "{text}");
    // ana's capacity is the formula's 40: her 3 points are 8% of it.
    assert!(
        text.contains("ana      1.00       1         3     40     8%"),
        "{text}"
    );
}

#[test]
fn a_workbook_without_the_sheets_or_in_another_format_says_what_to_do() {
    let other: &[&[&str]] = &[&["id"], &["ana"]];
    let (exit, text, _dir) = check_workbook(
        "team.xlsx",
        &workbook_of(&[("Sheet1", other), ("Notes", other)]),
    );
    assert_eq!(exit, 2);
    assert!(
        text.contains("the workbook has no sheet named `Staff` or `Cases`"),
        "{text}"
    );
    assert!(text.contains("its sheets are `Sheet1`, `Notes`"), "{text}");
    let (exit, text, _dir) = check_workbook("team.xls", b"anything");
    assert_eq!(exit, 2);
    assert!(
        text.contains("Excel 97-2003")
            && text.contains(
                "save it as an Excel workbook (.xlsx) or an OpenDocument spreadsheet (.ods)"
            ),
        "{text}"
    );
    for bytes in [
        &b""[..],
        b"PK\x03\x04 not really a zip",
        b"id,acuity\nC-1,high\n",
    ] {
        let (exit, text, _dir) = check_workbook("team.xlsx", bytes);
        assert_eq!(exit, 2, "{text}");
        assert!(text.contains("team.xlsx: "), "{text}");
        assert!(
            !text.contains("panicked") && !text.contains("lists no staff"),
            "{text}"
        );
    }
}

#[test]
fn a_value_under_a_column_with_no_header_is_located() {
    let staff: &[&[&str]] = &[
        &["Staff ID", "", "FTE"],
        &["ana", "", "1"],
        &["bo", "oops", "0.5"],
    ];
    let (exit, text, _dir) = check_workbook("team.xlsx", &workbook_of(&[("Staff", staff)]));
    assert_eq!(exit, 2);
    assert!(
        text.contains(
            "team.xlsx: Staff!B3: this cell has a value, but its column has no name in the header"
        ),
        "{text}"
    );
}
