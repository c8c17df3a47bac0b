//! Teams from spreadsheets, end to end through the binary: one team given as TOML, as CSV files
//! of each delimiter and convention, as a staff CSV with a cases CSV, as a workbook and as an
//! OpenDocument spreadsheet gives the same proposal; a bad cell is located in each format, in text and in JSON; overlays extend
//! workbook and staff CSV scenarios; a changed workbook is noticed; the example workbook is the
//! one its TOML writes.

mod common;

use std::path::{Path, PathBuf};

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

#[test]
fn apply_refuses_cases_kept_in_a_workbook_and_writes_nothing() {
    let dir = example_copy();
    let scenario = dir.path().join("lakeside.toml");
    let proposal = dir.path().join("proposal.json");
    let next = dir.path().join("next.toml");
    let [scenario, proposal, next] =
        [&scenario, &proposal, &next].map(|p| p.to_str().expect("UTF-8"));
    assert_eq!(
        code(&common::solve_to_file("rebalance", scenario, proposal)),
        0
    );
    let out = common::apply(scenario, proposal, next);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`Cases` sheet of the workbook"), "{stderr}");
    assert!(!Path::new(next).exists());
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
