//! Spreadsheet outputs on the real binary: `--format csv` (one table, stable headers, plain
//! numbers) and `--format xlsx` (a workbook read back with calamine) on `rebalance`, `assign`,
//! `whatif`, `tradeoff` and `staffing`. The workbook's figures are the JSON's; text a spreadsheet
//! would run as a formula stays text; the same input gives the same bytes at any thread count;
//! a workbook is never sent to a terminal.

mod common;

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use common::{caseload, caseload_threads, code, write, Team};
use serde_json::Value;

const RIVERSIDE: &str = "scenarios/riverside.toml";

/// Runs `args` with `--format json` and returns the document.
fn json_of(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = caseload(&all);
    assert!(matches!(code(&out), 0 | 1), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Runs `args` with `--format xlsx --output DIR/out.xlsx` and returns the workbook's path.
fn xlsx_of(dir: &Path, args: &[&str]) -> PathBuf {
    let path = dir.join("out.xlsx");
    let mut all = args.to_vec();
    all.extend(["--format", "xlsx", "--force", "--output"]);
    all.push(path.to_str().unwrap());
    let out = caseload(&all);
    assert!(
        matches!(code(&out), 0 | 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "nothing on standard output");
    path
}

/// Runs `args` with `--format csv` and returns the text.
fn csv_of(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    let out = caseload(&all);
    assert!(
        matches!(code(&out), 0 | 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The sheets of a workbook, in order, and each one's cells.
struct Book(Xlsx<std::io::BufReader<std::fs::File>>);

impl Book {
    fn open(path: &Path) -> Book {
        Book(open_workbook(path).expect("a workbook calamine reads"))
    }

    fn names(&self) -> Vec<String> {
        self.0.sheet_names()
    }

    fn sheet(&mut self, name: &str) -> Range<Data> {
        self.0.worksheet_range(name).expect("the sheet")
    }

    /// The rows of a table sheet as maps from its header's names to cells.
    fn table(&mut self, name: &str) -> Vec<Vec<(String, Data)>> {
        let range = self.sheet(name);
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .expect("a header")
            .iter()
            .map(|c| c.to_string())
            .collect();
        rows.map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
            .collect()
    }

    /// Every formula in every sheet.
    fn formulas(&mut self) -> Vec<String> {
        let mut all = Vec::new();
        for name in self.names() {
            let formulas = self.0.worksheet_formula(&name).expect("formulas");
            all.extend(formulas.used_cells().map(|(_, _, f)| f.clone()));
        }
        all.retain(|f| !f.is_empty());
        all
    }
}

fn cell<'a>(row: &'a [(String, Data)], column: &str) -> &'a Data {
    &row.iter()
        .find(|(name, _)| name == column)
        .unwrap_or_else(|| panic!("column {column}"))
        .1
}

fn text(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("text expected, found {other:?}"),
    }
}

fn number(data: &Data) -> f64 {
    match data {
        Data::Float(x) => *x,
        Data::Int(n) => *n as f64,
        other => panic!("a number expected, found {other:?}"),
    }
}

/// A team with a case no worker may hold (it needs `forensic`) and one whose holder goes on
/// leave.
fn team_with_unplaced(dir: &Path) -> PathBuf {
    Team::new()
        .staff("ana", |s| s.capacity(20))
        .staff("ben", |s| s.capacity(20).available(false))
        .case("C-1", |c| c.acuity(2).assigned("ana"))
        .case("C-2", |c| c.acuity(3).assigned("ben"))
        .case("C-3", |c| c.acuity(2).needs(&["forensic"]).assigned("ana"))
        .write(dir)
}

#[test]
fn the_workbook_has_the_json_figures() {
    let dir = tempfile::tempdir().unwrap();
    let json = json_of(&["rebalance", RIVERSIDE]);
    let mut book = Book::open(&xlsx_of(dir.path(), &["rebalance", RIVERSIDE]));
    assert_eq!(
        book.names(),
        [
            "Summary",
            "Workers",
            "Moves",
            "Unplaced",
            "What binds",
            "Handouts"
        ]
    );
    let workers = book.table("Workers");
    let staff = json["staff"].as_array().unwrap();
    assert_eq!(workers.len(), staff.len());
    for (row, s) in workers.iter().zip(staff) {
        assert_eq!(text(cell(row, "id")), s["id"].as_str().unwrap());
        for key in [
            "utilization_before",
            "utilization_after",
            "load_after",
            "capacity",
        ] {
            assert_eq!(number(cell(row, key)), s[key].as_f64().unwrap(), "{key}");
        }
        assert_eq!(
            number(cell(row, "cases_after")),
            s["cases_after"].as_f64().unwrap()
        );
    }
    let moves = book.table("Moves");
    let expected = json["moves"].as_array().unwrap();
    assert_eq!(moves.len(), expected.len());
    for (row, m) in moves.iter().zip(expected) {
        assert_eq!(text(cell(row, "case")), m["case"].as_str().unwrap());
        assert_eq!(text(cell(row, "from")), m["from"].as_str().unwrap_or(""));
        assert_eq!(text(cell(row, "to")), m["to"].as_str().unwrap());
        assert_eq!(text(cell(row, "kind")), m["kind"].as_str().unwrap());
        assert_eq!(text(cell(row, "reason")), m["why"].as_str().unwrap());
        let counts = if m["counts_against_budget"].as_bool().unwrap() {
            "yes"
        } else {
            "no"
        };
        assert_eq!(text(cell(row, "counts_against_budget")), counts);
    }
    let summary = book.sheet("Summary");
    let value = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label}"))[1]
            .clone()
    };
    let metrics = &json["metrics"];
    assert_eq!(
        number(&value("max utilization after")),
        metrics["max_utilization_after"].as_f64().unwrap()
    );
    assert_eq!(
        number(&value("reassignments")),
        metrics["moves"].as_f64().unwrap()
    );
    assert_eq!(text(&value("status")), json["status"].as_str().unwrap());
    assert_eq!(
        text(&value("caseload version")),
        json["caseload_version"].as_str().unwrap()
    );
}

#[test]
fn unplaced_cases_are_listed_as_the_json_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = team_with_unplaced(dir.path());
    let path = scenario.to_str().unwrap();
    let json = json_of(&["rebalance", path]);
    let mut book = Book::open(&xlsx_of(dir.path(), &["rebalance", path]));
    let unplaced = book.table("Unplaced");
    let expected = json["unassigned"].as_array().unwrap();
    assert_eq!(unplaced.len(), 1);
    assert_eq!(unplaced.len(), expected.len());
    assert_eq!(text(cell(&unplaced[0], "case")), "C-3");
    assert_eq!(text(cell(&unplaced[0], "held_by")), "ana");
    assert_eq!(
        text(cell(&unplaced[0], "reason")),
        expected[0]["why"].as_str().unwrap()
    );
    let csv = csv_of(&["rebalance", path, "--table", "unplaced"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("case,weight,family,held_by,reason"));
    assert!(lines.next().unwrap().starts_with("C-3,2,,ana,"), "{csv}");
    assert_eq!(lines.next(), None);
    // The worker on leave is marked so in the workers table, and the required move in the moves.
    let workers = csv_of(&["rebalance", path, "--table", "workers"]);
    assert!(workers
        .lines()
        .any(|l| l.starts_with("ben,,no,") && l.ends_with(",on leave")));
    let moves = csv_of(&["rebalance", path]);
    assert!(moves.contains("\nC-2,3,ben,ana,required,no,"), "{moves}");
}

/// Text a spreadsheet would run as a formula: ids and names of a scenario, hiring profiles' names
/// and file names may all begin so.
const RISKY: [&str; 4] = [
    "=HYPERLINK(\"http://example.invalid\",\"x\")",
    "+1",
    "@x",
    "-x",
];

#[test]
fn ids_that_look_like_formulas_stay_text_in_every_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let [heavy, light, first, second] = RISKY;
    // `heavy` holds both cases, 80% of capacity; the rebalance hands one to `light`.
    let team = Team::new()
        .staff(heavy, |s| s.capacity(10))
        .staff(light, |s| s.capacity(10))
        .case(first, |c| c.acuity(4).assigned(heavy))
        .case(second, |c| c.acuity(4).assigned(heavy));
    let toml = format!("{}\n[policy]\ntarget_utilization = 0.5\n", team.toml());
    let scenario = write(dir.path(), "team.toml", &toml);
    let path = scenario.to_str().unwrap();
    let json = json_of(&["rebalance", path]);
    let moved = json["moves"].as_array().expect("moves");
    assert_eq!(moved.len(), 1, "{json}");

    let mut book = Book::open(&xlsx_of(dir.path(), &["rebalance", path]));
    assert!(book.formulas().is_empty(), "{:?}", book.formulas());
    let workers: Vec<String> = book
        .table("Workers")
        .iter()
        .map(|row| text(cell(row, "id")))
        .collect();
    assert_eq!(workers, [heavy, light]);
    let moves = book.table("Moves");
    assert_eq!(moves.len(), 1);
    assert_eq!(
        text(cell(&moves[0], "case")),
        moved[0]["case"].as_str().unwrap()
    );
    assert_eq!(text(cell(&moves[0], "from")), heavy);
    assert_eq!(text(cell(&moves[0], "to")), light);

    for table in ["moves", "workers"] {
        let csv = csv_of(&["rebalance", path, "--table", table]);
        let mut rows = csv::Reader::from_reader(csv.as_bytes());
        for record in rows.records() {
            let record = record.expect("a row");
            let first_cell = &record[0];
            assert!(
                first_cell.starts_with('\''),
                "{table}: {first_cell} is prefixed"
            );
            assert!(RISKY.contains(&&first_cell[1..]), "{table}: {first_cell}");
        }
    }
}

#[test]
fn profile_names_that_look_like_formulas_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut profiles = String::new();
    for name in RISKY {
        let name = toml::Value::from(name);
        profiles.push_str(&format!("[[profile]]\nname = {name}\nfte = 1.0\n\n"));
    }
    let profiles = write(dir.path(), "profiles.toml", &profiles);
    let staffing = [
        "staffing",
        "scenarios/riverside-surge.toml",
        "--target",
        "0.9",
        "--profiles",
        profiles.to_str().unwrap(),
    ];
    let mut book = Book::open(&xlsx_of(dir.path(), &staffing));
    assert!(book.formulas().is_empty(), "{:?}", book.formulas());
    let names: Vec<String> = book
        .table("Profiles")
        .iter()
        .map(|row| text(cell(row, "profile")))
        .collect();
    assert_eq!(names, RISKY);
    let hired: Vec<String> = book
        .table("Hires")
        .iter()
        .map(|row| text(cell(row, "profile")))
        .collect();
    assert!(!hired.is_empty() && hired.iter().all(|p| RISKY.contains(&p.as_str())));
    let csv = csv_of(&staffing);
    for line in csv.lines().skip(1) {
        let profile = line.split(',').nth(1).unwrap();
        assert!(
            profile.starts_with('\'') || profile.starts_with("\"'"),
            "the profile is prefixed: {line}"
        );
    }
}

#[test]
fn file_names_that_look_like_formulas_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let team = Team::new()
        .staff("ana", |s| s.capacity(10))
        .case("C-1", |c| c.acuity(2).assigned("ana"));
    write(dir.path(), "=1+1.toml", &team.toml());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args([
            "rebalance",
            "=1+1.toml",
            "--format",
            "xlsx",
            "--output",
            "out.xlsx",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let mut book = Book::open(&dir.path().join("out.xlsx"));
    assert!(book.formulas().is_empty(), "{:?}", book.formulas());
    let summary = book.sheet("Summary");
    let input = summary
        .rows()
        .find(|r| r[0] == Data::String("input".into()))
        .expect("the input's row");
    assert_eq!(input[1], Data::String("=1+1.toml".into()));
}

#[test]
fn each_command_writes_a_csv_table_with_its_header() {
    let header = |csv: &str| csv.lines().next().unwrap_or_default().to_string();
    let moves = "case,weight,from,to,kind,counts_against_budget,reason";
    let workers = "id,name,available,fte,capacity,load_before,load_after,cases_before,cases_after,utilization_before,utilization_after,target,status";
    for command in ["rebalance", "assign"] {
        let csv = csv_of(&[command, RIVERSIDE]);
        assert_eq!(header(&csv), moves);
        let json = json_of(&[command, RIVERSIDE]);
        assert_eq!(
            csv.lines().count() - 1,
            json["moves"].as_array().unwrap().len()
        );
        let csv = csv_of(&[command, RIVERSIDE, "--table", "workers"]);
        assert_eq!(header(&csv), workers);
        assert_eq!(
            csv.lines().count() - 1,
            json["staff"].as_array().unwrap().len()
        );
        assert!(csv.contains("\nmaria,María Delgado,yes,1,40,52,"), "{csv}");
    }
    let whatif = ["whatif", RIVERSIDE, "--leave", "derek"];
    let csv = csv_of(&whatif);
    assert_eq!(header(&csv), moves);
    let json = json_of(&whatif);
    let changed = json["proposal"]["moves"].as_array().unwrap();
    assert_eq!(csv.lines().count() - 1, changed.len());
    let tradeoff = ["tradeoff", RIVERSIDE, "--max-moves", "3"];
    let csv = csv_of(&tradeoff);
    assert_eq!(
        header(&csv),
        "max_moves,status,max_utilization,overload,moves,discretionary_moves,unplaced"
    );
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 4);
    let curve = json_of(&tradeoff)["curve"].clone();
    for (row, point) in rows.iter().zip(curve.as_array().unwrap()) {
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!(cells[0], point["max_moves"].to_string());
        assert_eq!(cells[2], point["max_utilization"].to_string());
    }
    let staffing = [
        "staffing",
        "scenarios/riverside-surge.toml",
        "--target",
        "0.9",
    ];
    let csv = csv_of(&staffing);
    assert_eq!(
        header(&csv),
        "hire,profile,skills,fte,cost,capacity,cases,load,utilization,why"
    );
    let hires = json_of(&staffing)["hires"].as_array().unwrap().len();
    assert!(hires > 0);
    assert_eq!(csv.lines().count() - 1, hires);
}

#[test]
fn numbers_are_plain_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Team::new()
        .staff("big", |s| s.capacity(2_500_000 / 3))
        .case("C-1", |c| c.acuity(1234.5).assigned("big"))
        .write(dir.path());
    let csv = csv_of(&[
        "rebalance",
        scenario.to_str().unwrap(),
        "--table",
        "workers",
    ]);
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with("big,,yes,1,833333,1234.5,1234.5,1,1,"),
        "{row}"
    );
    let numbers: Vec<&str> = row.split(',').skip(3).take(9).collect();
    for n in numbers {
        assert!(
            n.chars().all(|c| c.is_ascii_digit() || c == '.'),
            "`{n}` is written plainly in {row}"
        );
    }
}

#[test]
fn tradeoff_and_staffing_workbooks_have_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let tradeoff = ["tradeoff", RIVERSIDE, "--max-moves", "3"];
    let mut book = Book::open(&xlsx_of(dir.path(), &tradeoff));
    assert_eq!(book.names(), ["Summary", "Curve"]);
    let curve = json_of(&tradeoff)["curve"].clone();
    let rows = book.table("Curve");
    assert_eq!(rows.len(), curve.as_array().unwrap().len());
    for (row, point) in rows.iter().zip(curve.as_array().unwrap()) {
        assert_eq!(
            number(cell(row, "max_moves")),
            point["max_moves"].as_f64().unwrap()
        );
        assert_eq!(
            number(cell(row, "max_utilization")),
            point["max_utilization"].as_f64().unwrap()
        );
    }
    let staffing = [
        "staffing",
        "scenarios/riverside-surge.toml",
        "--target",
        "0.9",
    ];
    let mut book = Book::open(&xlsx_of(dir.path(), &staffing));
    assert_eq!(book.names(), ["Summary", "Hires", "Profiles"]);
    let hires = json_of(&staffing)["hires"].clone();
    let rows = book.table("Hires");
    assert_eq!(rows.len(), hires.as_array().unwrap().len());
    for (row, hire) in rows.iter().zip(hires.as_array().unwrap()) {
        assert_eq!(text(cell(row, "hire")), hire["id"].as_str().unwrap());
        assert_eq!(number(cell(row, "load")), hire["load"].as_f64().unwrap());
    }
    let whatif = ["whatif", RIVERSIDE, "--leave", "derek"];
    let mut book = Book::open(&xlsx_of(dir.path(), &whatif));
    assert_eq!(book.names().last().map(String::as_str), Some("Compared"));
    assert_eq!(book.table("Compared").len(), 2);
}

#[test]
fn the_same_input_gives_the_same_workbook_at_any_thread_count() {
    for args in [
        vec!["rebalance", RIVERSIDE],
        vec!["whatif", RIVERSIDE, "--leave", "derek"],
        vec!["tradeoff", RIVERSIDE, "--max-moves", "3"],
    ] {
        let run = |threads: &str| {
            let mut all = args.clone();
            all.extend(["--format", "xlsx"]);
            let out = caseload_threads(threads, &all);
            assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        let one = run("1");
        assert!(one.starts_with(b"PK"), "a zip file");
        assert_eq!(one, run("1"), "{args:?} twice");
        assert_eq!(one, run("2"), "{args:?} at 1 and 2 threads");
    }
}

#[test]
fn a_workbook_is_not_sent_to_a_terminal() {
    // `script` runs the command on a pseudo-terminal; skipped where it is missing.
    let bin = env!("CARGO_BIN_EXE_caseload");
    let command = format!("{bin} rebalance {RIVERSIDE} --format xlsx; echo \"exit $?\"");
    let Ok(out) = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
    else {
        return;
    };
    let shown = String::from_utf8_lossy(&out.stdout);
    if !shown.contains("exit ") {
        return; // no pseudo-terminal here
    }
    assert!(shown.contains("exit 2"), "{shown}");
    assert!(shown.contains("not shown on a terminal"), "{shown}");
    assert!(shown.contains("--output FILE.xlsx"), "{shown}");
    assert!(!shown.contains("PK"), "{shown}");
    assert!(
        !shown.contains("warning(s)"),
        "refused before reading: {shown}"
    );
}

#[test]
fn formats_a_command_does_not_write_are_usage_errors() {
    for args in [
        vec!["explain", RIVERSIDE, "--case", "C-1079", "--format", "xlsx"],
        vec!["check", RIVERSIDE, "--format", "csv"],
        vec!["compare", RIVERSIDE, "--format", "xlsx"],
        vec![
            "rebalance",
            RIVERSIDE,
            "--format",
            "json",
            "--table",
            "workers",
        ],
        vec![
            "rebalance",
            RIVERSIDE,
            "--format",
            "csv",
            "--table",
            "cases",
        ],
    ] {
        let out = caseload(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_workbook_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("week.xlsx");
    std::fs::write(&path, "keep me").unwrap();
    let out = caseload(&[
        "rebalance",
        RIVERSIDE,
        "--format",
        "xlsx",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left");
}
