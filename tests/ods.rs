//! OpenDocument spreadsheets (`workbook = "team.ods"`) end to end through the binary: cells
//! located by sheet and cell counting every repeated row and column, rows repeated a million
//! times read at once, a filled cell repeated past all reason refused at its cell, formula cells
//! by their last value, and a file that is no readable spreadsheet one clear error, never a
//! crash. (The same team as `.ods` and in every other format gives the same proposal:
//! tests/spreadsheets.rs.)

mod common;

use common::sheets::{ods_archive, ods_cell, ods_of, ods_row};
use common::{caseload, code, root, write};
use serde_json::Value;
use toml::Value as Cell;

fn text(s: &str) -> Option<Cell> {
    Some(Cell::String(s.to_string()))
}

fn number(n: f64) -> Option<Cell> {
    Some(Cell::Float(n))
}

/// A `Staff` sheet of ana and bo.
fn staff() -> (&'static str, Vec<String>) {
    let rows = vec![
        ods_row(&[text("Staff ID"), text("FTE")]),
        ods_row(&[text("ana"), number(1.0)]),
        ods_row(&[text("bo"), number(0.5)]),
    ];
    ("Staff", rows)
}

/// `check` (with `args`) of a scenario naming the spreadsheet `bytes` saved as `team.ods`: exit
/// code, standard error and standard output, and the path of the spreadsheet.
fn check(bytes: &[u8], args: &[&str]) -> (i32, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("team.ods"), bytes).expect("written");
    let scenario = write(dir.path(), "team.toml", "workbook = \"team.ods\"\n");
    let mut all = vec!["check", scenario.to_str().expect("UTF-8")];
    all.extend_from_slice(args);
    let out = caseload(&all);
    let exit = code(&out);
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    (exit, stderr, stdout, dir)
}

/// The one error `check --format json` gives for `bytes`.
fn json_error(bytes: &[u8]) -> Value {
    let (exit, stderr, _, _dir) = check(bytes, &["--format", "json"]);
    assert_eq!(exit, 2, "{stderr}");
    let errors: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|p| p["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

fn path_of(dir: &tempfile::TempDir) -> String {
    dir.path().join("team.ods").display().to_string()
}

#[test]
fn rows_repeated_a_million_times_are_counted_and_a_cell_after_them_located() {
    // As a sheet formatted far down holds them: a million empty rows between two cases, each
    // filled out to the last column.
    let gap = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
    let cases = vec![
        ods_row(&[text("Case ID"), text("Acuity"), text("Worker")]),
        ods_row(&[text("C-1"), text("high"), text("ana")]),
        gap.to_string(),
        ods_row(&[text("C-2"), text("extreme"), text("bo")]),
    ];
    let bytes = ods_of(&[staff(), ("Cases", cases)]);
    let (exit, stderr, _, dir) = check(&bytes, &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {}: Cases!B1000003: unknown acuity level `extreme` for case `C-2`",
            path_of(&dir)
        )),
        "{stderr}"
    );
    let error = json_error(&bytes);
    assert_eq!(error["sheet"], "Cases");
    assert_eq!(error["cell"], "B1000003");
    assert_eq!(error["line"], 1_000_003);
}

#[test]
fn a_filled_cell_repeated_past_all_reason_is_refused_at_its_cell() {
    // A row of a case whose acuity stands on a thousand columns, a million times over.
    let repeated = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="string"><text:p>C-1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row>"#;
    let cases = vec![
        ods_row(&[text("Case ID"), text("Acuity")]),
        repeated.to_string(),
    ];
    let bytes = ods_of(&[staff(), ("Cases", cases)]);
    let (exit, stderr, stdout, dir) = check(&bytes, &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "error: {}: Cases!A2: this cell's value stands repeated on 1000000 cells, more than the 1000 any team sheet needs",
            path_of(&dir)
        )),
        "{stderr}"
    );
    let error = json_error(&bytes);
    assert_eq!(
        (error["sheet"].as_str(), error["cell"].as_str()),
        (Some("Cases"), Some("A2"))
    );
}

#[test]
fn formula_cells_count_by_their_last_value_and_an_error_value_is_located() {
    // As LibreOffice saves them: the value last computed beside the formula, and an error
    // marked as one.
    let formula = r#"<table:table-cell table:formula="of:=20*2" office:value-type="float" office:value="40" calcext:value-type="float"><text:p>40</text:p></table:table-cell>"#;
    let error = r#"<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>"#;
    let staff = vec![
        ods_row(&[text("Staff ID"), text("Capacity"), text("FTE")]),
        format!(
            "<table:table-row>{}{formula}{}</table:table-row>",
            ods_cell(&Cell::String("ana".into())),
            // 100% as a percentage cell.
            r#"<table:table-cell office:value-type="percentage" office:value="1"><text:p>100%</text:p></table:table-cell>"#
        ),
    ];
    let cases = |acuity: &str| {
        vec![
            ods_row(&[text("Case ID"), text("Acuity"), text("Worker")]),
            ods_row(&[text("C-1"), number(3.0), text("ana")]),
            format!(
                "<table:table-row>{}{acuity}{}</table:table-row>",
                ods_cell(&Cell::String("C-2".into())),
                ods_cell(&Cell::String("ana".into()))
            ),
        ]
    };
    let bytes = ods_of(&[("staff", staff.clone()), ("CASES", cases(error))]);
    let (exit, stderr, _, dir) = check(&bytes, &[]);
    assert_eq!(exit, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: {}: CASES!B3: `acuity` is the error #DIV/0!, not a level or a number",
            path_of(&dir)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("1 error found"), "{stderr}");
    let two = ods_cell(&Cell::Float(2.0));
    let (exit, stderr, stdout, _dir) =
        check(&ods_of(&[("staff", staff), ("CASES", cases(&two))]), &[]);
    assert_eq!(exit, 0, "{stderr}");
    // ana's capacity is the formula's 40: her 5 points are 12% of it.
    assert!(
        stdout.contains("ana      1.00       2         5     40    12%"),
        "{stdout}"
    );
}

/// The example spreadsheet, as LibreOffice saved it.
fn example() -> Vec<u8> {
    std::fs::read(root().join("scenarios/lakeside.ods")).expect("the example spreadsheet")
}

/// An archive as an OpenDocument file is, with `entries` (name and content) only.
fn archive_of(entries: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        archive
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("an entry");
        archive.write_all(content.as_bytes()).expect("written");
    }
    archive.finish().expect("an archive").into_inner()
}

#[test]
fn a_file_that_is_no_readable_spreadsheet_is_one_clear_error() {
    let example = example();
    let encrypted_manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry></manifest:manifest>"#;
    let text_mimetype = "application/vnd.oasis.opendocument.text";
    let cases: &[(&str, Vec<u8>, &str)] = &[
        ("empty", Vec::new(), "the workbook file is empty"),
        ("text", b"id,acuity\nC-1,high\n".to_vec(), "ZIP archive"),
        ("cut short", example[..example.len() / 2].to_vec(), "ZIP archive"),
        (
            "no content",
            archive_of(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet")]),
            "it has no `content.xml`",
        ),
        (
            "a text document",
            archive_of(&[("mimetype", text_mimetype), ("content.xml", "<a/>")]),
            "it is an OpenDocument file of type `application/vnd.oasis.opendocument.text`, not a spreadsheet",
        ),
        (
            "a password",
            archive_of(&[
                ("META-INF/manifest.xml", encrypted_manifest),
                ("content.xml", "\u{1}garbage"),
            ]),
            "it is protected with a password",
        ),
        (
            "broken XML",
            ods_archive("<office:document-content><table:table"),
            "its `content.xml` is broken at byte",
        ),
    ];
    for (label, bytes, expected) in cases {
        let (exit, stderr, stdout, dir) = check(bytes, &[]);
        assert_eq!(exit, 2, "{label}: {stderr}");
        assert!(stdout.is_empty(), "{label}: {stdout}");
        assert!(
            stderr.contains(&format!("error: {}: ", path_of(&dir))) && stderr.contains(expected),
            "{label}: {stderr}"
        );
        assert!(stderr.contains("1 error found"), "{label}: {stderr}");
    }
}

#[test]
fn a_spreadsheet_without_the_sheets_lists_those_it_has() {
    let other = vec![ods_row(&[text("id")]), ods_row(&[text("ana")])];
    let bytes = ods_of(&[("Sheet1", other.clone()), ("Notes", other)]);
    let (exit, stderr, _, _dir) = check(&bytes, &[]);
    assert_eq!(exit, 2);
    assert!(
        stderr.contains("the workbook has no sheet named `Staff` or `Cases`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("its sheets are `Sheet1`, `Notes`"),
        "{stderr}"
    );
}

#[test]
fn the_example_is_read_as_libreoffice_saved_it() {
    // Not written by the tests: styles, columns filled out to the last by repeats.
    let (exit, stderr, stdout, _dir) = check(&example(), &[]);
    assert_eq!(exit, 0, "{stderr}");
    assert!(
        stdout.contains("Cases: 33 (3 intake, 1 pinned, 1 families)"),
        "{stdout}"
    );
}
