//! CSV files the tool writes open safely in a spreadsheet and come back as they went: `apply`
//! writes next week's cases CSV (and scenario) with the original's byte order mark and line
//! ends, untouched rows as they were, and never changes an input; report CSVs write text that a
//! spreadsheet would run as a formula as text.

mod common;

use std::path::Path;

use common::{apply, caseload, code, solve_to_file, write, Team};

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The lines of a CSV text with their endings, after a byte order mark.
fn lines(text: &str) -> Vec<&str> {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .split_inclusive('\n')
        .collect()
}

#[test]
fn apply_keeps_a_spreadsheet_s_byte_order_mark_line_ends_and_accents_and_changes_no_input() {
    let dir = tempfile::tempdir().unwrap();
    let csv_text = "\u{feff}id,acuity,needs,assigned,family\r\nC-1,4,,ana,Núñez\r\nC-2,4,,ana,Jiménez\r\nC-3,4,,ana,Peña\r\nC-4,1,,bo,\r\nC-5,2,,,Ibáñez\r\n";
    let csv = write(dir.path(), "cases.csv", csv_text);
    let toml = String::from("cases_csv = \"cases.csv\"\n")
        + &Team::new()
            .staff("ana", |s| s.capacity(10))
            .staff("bo", |s| s.capacity(10))
            .toml();
    let scenario = write(
        dir.path(),
        "team.toml",
        &format!("\u{feff}{}", toml.replace('\n', "\r\n")),
    );
    let scenario_before = std::fs::read(&scenario).unwrap();
    let proposal = dir.path().join("week47.json");
    let out = solve_to_file("rebalance", path(&scenario), path(&proposal));
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&proposal).unwrap()).unwrap();

    let next = dir.path().join("week48.toml");
    let out = apply(path(&scenario), path(&proposal), path(&next));
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read(&csv).unwrap(),
        csv_text.as_bytes(),
        "input unchanged"
    );
    assert_eq!(std::fs::read(&scenario).unwrap(), scenario_before);

    let next_toml = std::fs::read_to_string(&next).unwrap();
    assert!(next_toml.starts_with('\u{feff}'), "{next_toml:?}");
    assert!(
        lines(&next_toml).iter().all(|l| l.ends_with("\r\n")),
        "{next_toml:?}"
    );
    let written = std::fs::read_to_string(dir.path().join("week48-cases.csv")).unwrap();
    assert!(written.starts_with('\u{feff}'), "{written:?}");
    let (before, after) = (lines(csv_text), lines(&written));
    assert_eq!(before.len(), after.len());
    let mut moved = 0;
    for (old, new) in before.iter().zip(&after) {
        assert!(new.ends_with("\r\n"), "{new:?}");
        let id = old.split(',').next().unwrap();
        let holder = json["assignments"][id].as_str().unwrap_or("assigned");
        let old_holder = old.split(',').nth(3).unwrap();
        if holder == old_holder {
            assert_eq!(old, new, "a row whose holder stays is kept byte for byte");
        } else {
            moved += 1;
            let expected: Vec<&str> = old.trim_end().split(',').collect();
            let mut expected: Vec<String> = expected.iter().map(|c| c.to_string()).collect();
            expected[3] = holder.to_string();
            assert_eq!(new.trim_end(), expected.join(","));
        }
    }
    assert!(moved >= 2, "ana's overload and the intake move: {written}");

    // Next week's scenario reads the holders back, with the names as they were.
    let out = caseload(&["check", path(&next), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let loaded =
        caseload::input::load_scenario(&next, &caseload::input::LoadOptions::default()).unwrap();
    for case in loaded.scenario.cases.iter() {
        let holder = case.assigned.map(|w| loaded.scenario.staff[w].id.as_str());
        assert_eq!(
            holder,
            json["assignments"][&case.id].as_str(),
            "{}",
            case.id
        );
    }
    let families: Vec<&str> = loaded
        .scenario
        .cases
        .iter()
        .filter_map(|c| c.family.as_deref())
        .collect();
    assert_eq!(families, ["Núñez", "Jiménez", "Peña", "Ibáñez"]);
}

#[test]
fn apply_keeps_a_semicolon_csv_as_a_european_spreadsheet_saved_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv_text =
        "\u{feff}Case ID;Acuity;Worker\r\nC-1;2,5;ana\r\nC-2;2,5;ana\r\nC-3;2,5;ana\r\nC-4;1;bo\r\n";
    let csv = write(dir.path(), "cases.csv", csv_text);
    let scenario = write(
        dir.path(),
        "team.toml",
        &(String::from("cases_csv = \"cases.csv\"\n")
            + &Team::new()
                .staff("ana", |s| s.capacity(5))
                .staff("bo", |s| s.capacity(5))
                .toml()),
    );
    let proposal = dir.path().join("p.json");
    let out = solve_to_file("rebalance", path(&scenario), path(&proposal));
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let next = dir.path().join("next.toml");
    let out = apply(path(&scenario), path(&proposal), path(&next));
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&csv).unwrap(), csv_text.as_bytes());
    let written = std::fs::read_to_string(dir.path().join("next-cases.csv")).unwrap();
    let rows = lines(&written);
    assert!(
        written.starts_with("\u{feff}Case ID;Acuity;Worker\r\n"),
        "{written:?}"
    );
    assert!(rows.iter().all(|r| r.ends_with("\r\n")), "{written:?}");
    assert!(rows[1..]
        .iter()
        .all(|r| r.contains(";2,5;") || r.contains(";1;")));
    // bo keeps C-4 and takes one of ana's three: ana at 100%, bo at 70%.
    let with_bo = rows.iter().filter(|r| r.ends_with(";bo\r\n")).count();
    assert_eq!(with_bo, 2, "{written:?}");
}

#[test]
fn compare_writes_a_scenario_name_that_looks_like_a_formula_as_text_and_figures_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let team = Team::new()
        .staff("ana", |s| s.capacity(10))
        .case("C-1", |c| c.acuity(2).assigned("ana"))
        .toml();
    // A scenario without a `name` is named after its file, which no rule for ids checks.
    let names = ["=HYPERLINK(\"x\",\"y\")", "+1", "-3", "@SUM(A1)", "plain"];
    let files: Vec<String> = names
        .iter()
        .map(|n| path(&write(dir.path(), &format!("{n}.toml"), &team)).to_string())
        .collect();
    let mut args = vec!["compare", "--format", "csv"];
    args.extend(files.iter().map(String::as_str));
    let out = caseload(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let scenarios: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        scenarios,
        [
            "'=HYPERLINK(\"x\",\"y\")",
            "'+1",
            "'-3",
            "'@SUM(A1)",
            "plain"
        ]
    );
    for row in &rows {
        for figure in row.iter().skip(2) {
            assert!(figure.parse::<f64>().is_ok(), "a number: {figure:?}");
        }
    }
}
