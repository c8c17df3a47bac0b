//! Every reader returns `Ok` or `Err` on any input, and never panics: the scenario loader, the
//! cases CSV, workbooks, OpenDocument spreadsheets, what-if overlays and saved proposals, fed
//! arbitrary bytes and "almost valid" files (the examples of `scenarios/` with random byte edits,
//! insertions, deletions and line-ending changes; workbooks cut short, edited, or written with
//! cells of any type; spreadsheets with their XML edited, or written with repeat counts of any
//! size). Random small teams with ids of any text also go through the proposal's text and JSON
//! renderers. A panic fails the property, and proptest shrinks the input to a small one.

mod common;

use std::cell::Cell;
use std::path::{Path, PathBuf};

use caseload::domain::Scenario;
use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::report::proposal::{proposal_json, proposal_text};
use caseload::solve::model::Mode;
use caseload::solve::saved::read_saved;
use caseload::solve::{solve, SolveOptions};
use caseload::verify::check_proposal;
use common::random_team::{odd_team_ids, team};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;
use serde_json::Value;
use tempfile::TempDir;

/// Inputs per property.
const CASES: u32 = 200;

/// Runs `test` on inputs of `strategy`; it says whether the reader accepted the input. A
/// failure shows the shrunk input. Returns how many inputs were accepted, of how many.
fn check<S: Strategy>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) -> (u32, u32) {
    let (accepted, tried) = (Cell::new(0), Cell::new(0));
    let result = TestRunner::new(common::property_config(CASES)).run(&strategy, |input| {
        let ok = test(input)?;
        tried.set(tried.get() + 1);
        accepted.set(accepted.get() + u32::from(ok));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    eprintln!(
        "{name}: {} of {} inputs accepted",
        accepted.get(),
        tried.get()
    );
    (accepted.get(), tried.get())
}

/// A copy of `models/` and `scenarios/` in a temporary folder, where edited files are written
/// beside the examples they extend or name (so relative paths resolve as in the repository).
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        for folder in ["models", "scenarios"] {
            std::fs::create_dir(dir.path().join(folder)).expect("folder");
            let from = common::root().join(folder);
            for entry in std::fs::read_dir(&from).expect("read folder") {
                let path = entry.expect("entry").path();
                if path.is_file() {
                    let to = dir
                        .path()
                        .join(folder)
                        .join(path.file_name().expect("name"));
                    std::fs::copy(&path, to).expect("copy");
                }
            }
        }
        Tree { dir }
    }

    /// Writes `bytes` to `scenarios/NAME` and returns the path.
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join("scenarios").join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    }
}

/// The text of an example, without its whole-line comments and blank lines, so that most edits
/// land on keys and values.
fn example(name: &str) -> Vec<u8> {
    let text =
        std::fs::read_to_string(common::root().join("scenarios").join(name)).expect("read example");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .flat_map(|l| [l, "\n"])
        .collect::<String>()
        .into_bytes()
}

/// Fragments that make "almost valid" input interesting: structure, odd numbers, keys.
const SNIPPETS: &[&str] = &[
    "[[case]]\n",
    "[[staff]]\n",
    "[policy]\n",
    "\"",
    "'''",
    "\"\"\"",
    "\\u{0}",
    "\\",
    "=",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "\n",
    "\r\n",
    "\r",
    "#",
    "-1",
    "0",
    "1e309",
    "-0.0",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "18446744073709551616",
    "1e-320",
    "true",
    "\u{feff}",
    "\u{202e}",
    "\u{1b}[31m",
    "é",
    "id = \"C-1001\"\n",
    "id = \"maria\"\n",
    "acuity = \"high\"\n",
    "acuity = 0\n",
    "assigned = \"maria\"\n",
    "family = \"F-302\"\n",
    "pinned = true\n",
    "avoid = [\"maria\"]\n",
    "needs = [\"spanish\"]\n",
    "max_cases = 0\n",
    "available = false\n",
    "capacity = 0.01\n",
    "fte = 1.5\n",
    "keep_families_together = false\n",
    "max_moves = 0\n",
    "extends = \"riverside.toml\"\n",
    "extends = \"edited.toml\"\n",
    "remove_staff = [\"maria\"]\n",
    "close_cases = [\"C-1001\"]\n",
    "cases_csv = \"edited.csv\"\n",
    "staff_csv = \"edited.csv\"\n",
    "workbook = \"edited.xlsx\"\n",
    "model = \"../models/standard.toml\"\n",
    "model = \"edited.toml\"\n",
    "C-1001,high,,,maria,F-1,true,,\n",
    ",,,,,,,,\n",
];

/// One change to a file.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the byte at a position.
    Replace(Index, u8),
    /// Insert bytes before a position.
    Insert(Index, Vec<u8>),
    /// Delete up to this many bytes from a position.
    Delete(Index, usize),
    /// The line break at or after a position becomes `\r\n`, a bare `\r`, or goes.
    LineEnd(Index, &'static str),
}

/// Mostly printable ASCII, sometimes any byte (which is seldom valid UTF-8).
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 0x20u8..0x7f, 1 => any::<u8>()]
}

fn inserted() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => byte().prop_map(|b| vec![b]),
        4 => prop::sample::select(SNIPPETS).prop_map(|s| s.as_bytes().to_vec()),
        1 => vec(byte(), 1..8),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), byte()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<Index>(), inserted()).prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<Index>(), 1usize..12).prop_map(|(i, n)| Edit::Delete(i, n)),
        (
            any::<Index>(),
            prop::sample::select(&["\r\n", "\r", ""][..])
        )
            .prop_map(|(i, e)| Edit::LineEnd(i, e)),
    ]
}

fn apply(text: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = text.to_vec();
    for edit in edits {
        let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
        match edit {
            Edit::Replace(i, b) if !out.is_empty() => {
                let k = i.index(out.len());
                out[k] = *b;
            }
            Edit::Replace(..) => {}
            Edit::Insert(i, bytes) => {
                let k = at(i, out.len());
                out.splice(k..k, bytes.iter().copied());
            }
            Edit::Delete(i, n) => {
                let k = at(i, out.len());
                let end = (k + n).min(out.len());
                out.drain(k..end);
            }
            Edit::LineEnd(i, ending) => {
                let k = at(i, out.len());
                if let Some(nl) = out[k..].iter().position(|b| *b == b'\n') {
                    out.splice(k + nl..=k + nl, ending.bytes());
                }
            }
        }
    }
    out
}

/// Edits of one of `examples`: which one, and the edits.
fn edited(examples: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let texts: Vec<Vec<u8>> = examples.iter().map(|e| example(e)).collect();
    (0..examples.len(), vec(edit(), 1..4))
        .prop_map(move |(which, edits)| apply(&texts[which], &edits))
}

/// Arbitrary bytes, and text made of the snippets.
fn junk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..600),
        vec(inserted(), 0..40).prop_map(|parts| parts.concat()),
    ]
}

/// Keys of scenario, overlay and model files, and a few others.
const KEYS: &[&str] = &[
    "id",
    "name",
    "fte",
    "capacity",
    "max_cases",
    "skills",
    "available",
    "acuity",
    "factors",
    "needs",
    "assigned",
    "family",
    "pinned",
    "avoid",
    "prefer",
    "model",
    "cases_csv",
    "staff_csv",
    "workbook",
    "extends",
    "remove_staff",
    "close_cases",
    "max_moves",
    "target_utilization",
    "equity_tolerance",
    "balance_band",
    "keep_families_together",
    "points_per_fte",
    "description",
    "low",
    "high",
    "court-involved",
    "levels",
    "\"quoted key\"",
];

/// Table headers, right and wrong.
const HEADERS: &[&str] = &[
    "[policy]",
    "[[staff]]",
    "[[case]]",
    "[acuity.levels]",
    "[acuity.factors]",
    "[acuity]",
    "[[policy]]",
    "[staff]",
    "[case.extra]",
];

/// Values of every TOML type, with the names and numbers the readers look out for.
fn toml_value() -> impl Strategy<Value = String> {
    let words = prop::sample::select(
        &[
            "ana",
            "ben",
            "C-1",
            "C-2",
            "low",
            "high",
            "moderate",
            "court-involved",
            "spanish",
            "F-1",
            "",
            "edited.toml",
            "model.toml",
            "cases.csv",
            "riverside.toml",
            "../models/standard.toml",
        ][..],
    )
    .prop_map(|w| format!("\"{w}\""));
    let numbers = prop::sample::select(
        &[
            "0",
            "-0.0",
            "1",
            "-1",
            "0.5",
            "1.5",
            "2",
            "40",
            "1e308",
            "1e-320",
            "nan",
            "-inf",
            "inf",
            "4294967296",
            "1e6",
            "1000001",
            "0.01",
            "0.009",
        ][..],
    )
    .prop_map(str::to_string);
    let scalar = prop_oneof![
        4 => words,
        4 => numbers,
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        1 => Just("1979-05-27T07:32:00Z".to_string()),
    ];
    scalar.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
            vec((prop::sample::select(KEYS), inner), 0..3).prop_map(|v| {
                let entries: Vec<String> = v.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{{}}}", entries.join(", "))
            }),
        ]
    })
}

/// A TOML file: `valid` with headers and `key = value` lines before and after it.
fn toml_file(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        1 => prop::sample::select(HEADERS).prop_map(str::to_string),
        4 => (prop::sample::select(KEYS), toml_value()).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    let lines = vec(line, 0..4).prop_map(|lines| lines.join("\n"));
    (lines.clone(), lines)
        .prop_map(move |(before, after)| format!("{before}\n{valid}\n{after}").into_bytes())
}

/// Columns of a cases CSV after `id` and `acuity`, and a stray one.
const CSV_COLUMNS: &[&str] = &[
    "factors", "needs", "assigned", "family", "pinned", "avoid", "prefer", "priority", "id", "",
];

/// Cells of a cases CSV: values the columns take, quoting, and odd text.
fn csv_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(
            &[
                "", "ana", "high", "low", "2.5", "0", "true", "false", "spanish", "F-1",
                "court-involved", "ana;ana", "C-9",
            ][..]
        )
        .prop_map(str::to_string),
        1 => prop::sample::select(
            &[
                "-1", "nan", "1e308", "maybe", "ben", "a;;b", "\"\"", "\"x,y\"", "\"", "\r",
                "\u{feff}", "\"a\nb\"",
            ][..]
        )
        .prop_map(str::to_string),
        1 => "[ -~]{0,6}",
    ]
}

/// A cases CSV: a header of `id`, `acuity` and other columns, then rows of cells (with a
/// distinct id first, mostly).
fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let header = vec(prop::sample::select(CSV_COLUMNS), 0..4);
    let row = (prop::bool::weighted(0.9), vec(csv_cell(), 0..8));
    (header, vec(row, 0..5)).prop_map(|(extra, rows)| {
        let mut text = ["id", "acuity"]
            .iter()
            .chain(&extra)
            .copied()
            .collect::<Vec<_>>()
            .join(",");
        for (i, (numbered, cells)) in rows.into_iter().enumerate() {
            text.push('\n');
            if numbered {
                text.push_str(&format!("R-{i},"));
            }
            text.push_str(&cells.join(","));
        }
        text.into_bytes()
    })
}

/// Loads `path`; any answer but a panic will do. True when it loads.
fn load(path: &Path) -> Result<bool, TestCaseError> {
    Ok(load_scenario(path, &LoadOptions::default()).is_ok())
}

/// Scenario files that name neither an overlay's base nor a CSV file.
const SCENARIOS: &[&str] = &[
    "riverside.toml",
    "harbor-child-welfare.toml",
    "mercy-health.toml",
];

#[test]
fn scenario_loader_never_panics_on_arbitrary_bytes() {
    let tree = Tree::new();
    check("arbitrary bytes", junk(), |bytes| {
        load(&tree.write("edited.toml", &bytes))
    });
}

#[test]
fn scenario_loader_never_panics_on_edited_examples() {
    let tree = Tree::new();
    let (accepted, _) = check("edited examples", edited(SCENARIOS), |bytes| {
        load(&tree.write("edited.toml", &bytes))
    });
    assert!(
        accepted > 0,
        "no edited example loads: the edits never reach validation"
    );
}

/// A scenario, its model and its cases CSV, each made of keys and values of every type, naming
/// one another (and themselves) by the names the values use.
#[test]
fn loader_never_panics_on_generated_files() {
    let tree = Tree::new();
    check(
        "generated files",
        (
            toml_file(
                "model = \"model.toml\"\ncases_csv = \"cases.csv\"\n[[staff]]\nid = \"ana\"\n[[case]]\nid = \"C-9\"\nacuity = \"high\"",
            ),
            toml_file("points_per_fte = 40\n[acuity.levels]\nlow = 1\nhigh = 3"),
            csv_file(),
        ),
        |(scenario, model, csv)| {
            tree.write("model.toml", &model);
            tree.write("cases.csv", &csv);
            load(&tree.write("edited.toml", &scenario))
        },
    );
}

/// The cases CSV: the first rows of `county-east-cases.csv`, edited, or arbitrary bytes, named by
/// `county-east.toml` (whose staff the rows assign cases to).
#[test]
fn cases_csv_reader_never_panics() {
    let tree = Tree::new();
    let county = String::from_utf8(example("county-east.toml")).expect("UTF-8");
    let scenario = tree.write(
        "edited-county.toml",
        county
            .replace("county-east-cases.csv", "edited.csv")
            .as_bytes(),
    );
    let csv = std::fs::read_to_string(common::root().join("scenarios/county-east-cases.csv"))
        .expect("read CSV");
    let rows: String = csv.lines().take(40).flat_map(|l| [l, "\n"]).collect();
    let rows = rows.into_bytes();
    let input = prop_oneof![
        vec(edit(), 1..8).prop_map(move |edits| apply(&rows, &edits)),
        junk(),
    ];
    let (accepted, _) = check("cases CSV", input, |bytes| {
        tree.write("edited.csv", &bytes);
        load(&scenario)
    });
    assert!(accepted > 0, "no edited CSV loads");
}

/// A cell of a generated workbook: text the columns take or odd text, a number, a boolean, or a
/// formula with its last value (an error among them).
#[derive(Debug, Clone)]
enum SheetCell {
    Text(String),
    Number(f64),
    Bool(bool),
    Formula(&'static str),
}

fn sheet_cell() -> impl Strategy<Value = SheetCell> {
    prop_oneof![
        4 => csv_cell().prop_map(SheetCell::Text),
        2 => prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-1.0),
            Just(0.5),
            Just(3.0),
            Just(1e300),
            any::<f64>()
        ]
        .prop_map(SheetCell::Number),
        1 => any::<bool>().prop_map(SheetCell::Bool),
        1 => prop::sample::select(&["#N/A", "#REF!", "#DIV/0!", "2", "TRUE", "text", ""][..])
            .prop_map(SheetCell::Formula),
    ]
}

/// The rows of a sheet, each its cells with their column.
type SheetRows = Vec<Vec<(u16, SheetCell)>>;

/// Rows of a sheet: a header of known and unknown columns, then rows of cells at any column
/// (some far to the right or below).
fn sheet_rows() -> impl Strategy<Value = SheetRows> {
    let header = vec(
        prop::sample::select(
            &[
                "id", "Case ID", "Staff ID", "acuity", "FTE", "Skills", "Worker", "Pinned",
                "priority", "",
            ][..],
        )
        .prop_map(|h| SheetCell::Text(h.to_string())),
        0..6,
    )
    .prop_map(|cells| {
        cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i as u16, c))
            .collect()
    });
    let row = vec(
        (
            prop_oneof![4 => 0u16..6, 1 => Just(16_383u16)],
            sheet_cell(),
        ),
        0..6,
    );
    (header, vec(row, 0..6)).prop_map(|(header, rows)| [vec![header], rows].concat())
}

/// A workbook of sheets named as given, each of those rows.
fn generated_workbook(sheets: &[(String, SheetRows)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut names = std::collections::BTreeSet::new();
    for (name, rows) in sheets {
        if !names.insert(name.to_lowercase()) {
            continue; // a workbook names each sheet once
        }
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("a sheet name");
        for (r, row) in rows.iter().enumerate() {
            // Some rows far below the rest.
            let r = if r == 5 { 1_048_575 } else { r as u32 };
            for (c, cell) in row {
                let _ = match cell {
                    SheetCell::Text(t) => sheet.write_string(r, *c, t),
                    SheetCell::Number(n) => sheet.write_number(r, *c, *n),
                    SheetCell::Bool(b) => sheet.write_boolean(r, *c, *b),
                    SheetCell::Formula(value) => sheet.write_formula(
                        r,
                        *c,
                        rust_xlsxwriter::Formula::new("=A1").set_result(*value),
                    ),
                };
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}

/// Workbooks: the example cut short or edited byte by byte, arbitrary bytes, and workbooks
/// written with sheets of any name and cells of any type, named by a scenario that may also list
/// entries of its own.
#[test]
fn workbook_reader_never_panics() {
    let tree = Tree::new();
    let example = std::fs::read(common::root().join("scenarios/lakeside.xlsx"))
        .expect("the example workbook");
    let length = example.len();
    let sheet_name = prop::sample::select(&["Staff", "Cases", "cases", " STAFF ", "Other"][..])
        .prop_map(str::to_string);
    let input = prop_oneof![
        (0..length).prop_map({
            let example = example.clone();
            move |n| example[..n].to_vec()
        }),
        vec(edit(), 1..4).prop_map(move |edits| apply(&example, &edits)),
        junk(),
        vec((sheet_name, sheet_rows()), 0..3).prop_map(|sheets| generated_workbook(&sheets)),
    ];
    let scenarios = prop::sample::select(
        &[
            "workbook = \"edited.xlsx\"\n",
            "workbook = \"edited.xlsx\"\n[[staff]]\nid = \"ana\"\n",
            "extends = \"lakeside.toml\"\nworkbook = \"edited.xlsx\"\n",
        ][..],
    );
    let (accepted, _) = check("workbooks", (input, scenarios), |(bytes, scenario)| {
        tree.write("edited.xlsx", &bytes);
        load(&tree.write("edited.toml", scenario.as_bytes()))
    });
    assert!(accepted > 0, "no workbook loads");
}

/// Repeat counts of OpenDocument rows and cells: mostly none, sometimes large, past the limits
/// or no count at all.
const REPEATS: &[&str] = &[
    "",
    "",
    "",
    "",
    "1",
    "2",
    "3",
    "999",
    "1000",
    "1001",
    "16384",
    "1048576",
    "0",
    "-1",
    "x",
    "18446744073709551616",
];

/// A filled `table:table-cell` of `cell`, standing on `repeat` columns.
fn ods_cell(cell: &SheetCell, repeat: &str) -> String {
    let (attributes, shown) = match cell {
        SheetCell::Text(t) => (r#"office:value-type="string""#.to_string(), t.clone()),
        SheetCell::Number(n) => (
            format!(r#"office:value-type="float" office:value="{n}""#),
            n.to_string(),
        ),
        SheetCell::Bool(b) => (
            format!(r#"office:value-type="boolean" office:boolean-value="{b}""#),
            b.to_string(),
        ),
        SheetCell::Formula(v) if v.starts_with('#') => (
            r#"table:formula="of:=A1" office:value-type="string" office:string-value="" calcext:value-type="error""#.to_string(),
            v.to_string(),
        ),
        SheetCell::Formula(v) => (
            format!(r#"table:formula="of:=A1" office:value-type="float" office:value="{v}""#),
            v.to_string(),
        ),
    };
    format!(
        "<table:table-cell{repeat} {attributes}><text:p>{}</text:p></table:table-cell>",
        common::sheets::xml_escaped(&shown)
    )
}

/// An OpenDocument spreadsheet of sheets named as given, each of those rows, with repeat counts
/// taken in turn from `repeats` on rows and filled cells.
fn generated_ods(sheets: &[(String, SheetRows)], repeats: &[Index]) -> Vec<u8> {
    let mut counts = repeats.iter().cycle();
    let mut repeat = |attribute: &str| match counts.next().map(|i| REPEATS[i.index(REPEATS.len())])
    {
        None | Some("") => String::new(),
        Some(n) => format!(r#" table:{attribute}="{n}""#),
    };
    let sheets: Vec<(&str, Vec<String>)> = sheets
        .iter()
        .map(|(name, rows)| {
            let rows = rows
                .iter()
                .map(|row| {
                    let mut cells = row.clone();
                    cells.sort_by_key(|(c, _)| *c);
                    let mut xml = format!("<table:table-row{}>", repeat("number-rows-repeated"));
                    let mut at = 0;
                    for (c, cell) in &cells {
                        if *c > at {
                            let gap = c - at;
                            xml.push_str(&format!(
                                r#"<table:table-cell table:number-columns-repeated="{gap}"/>"#
                            ));
                        }
                        xml.push_str(&ods_cell(cell, &repeat("number-columns-repeated")));
                        at = c + 1;
                    }
                    xml + "</table:table-row>"
                })
                .collect();
            (name.as_str(), rows)
        })
        .collect();
    common::sheets::ods_of(&sheets)
}

/// The `content.xml` of the example spreadsheet, as LibreOffice wrote it.
fn example_ods_content() -> Vec<u8> {
    use std::io::Read;
    let bytes = std::fs::read(common::root().join("scenarios/lakeside.ods"))
        .expect("the example spreadsheet");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an archive");
    let mut content = Vec::new();
    archive
        .by_name("content.xml")
        .expect("content.xml")
        .read_to_end(&mut content)
        .expect("read");
    content
}

/// Pieces of OpenDocument XML that make an edited `content.xml` interesting.
const ODS_SNIPPETS: &[&str] = &[
    r#" table:number-columns-repeated="1048576""#,
    r#" table:number-rows-repeated="1000000""#,
    "<table:table-row>",
    "</table:table-row>",
    "<table:table-cell/>",
    r#"<table:table-cell office:value-type="float" office:value="nan">"#,
    "</table:table-cell>",
    "<table:covered-table-cell>",
    r#"<text:s text:c="4294967296"/>"#,
    "<text:p>",
    "</text:p>",
    r#" office:value-type="date""#,
    r#" calcext:value-type="error""#,
    "&amp;",
    "&#0;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<table:table table:name=\"Cases\">",
    "</table:table>",
];

/// OpenDocument spreadsheets: the example (as LibreOffice saved it) cut short or edited byte
/// by byte, its `content.xml` edited and packed again, arbitrary bytes, and spreadsheets
/// written with sheets of any name, cells of any type and repeat counts of any size, named by a
/// scenario that may also list entries of its own.
#[test]
fn ods_reader_never_panics() {
    let tree = Tree::new();
    let example = std::fs::read(common::root().join("scenarios/lakeside.ods"))
        .expect("the example spreadsheet");
    let length = example.len();
    let content = example_ods_content();
    let sheet_name = prop::sample::select(&["Staff", "Cases", "cases", " STAFF ", "Other"][..])
        .prop_map(str::to_string);
    let xml_edit = prop_oneof![
        2 => edit(),
        1 => (any::<Index>(), prop::sample::select(ODS_SNIPPETS))
            .prop_map(|(i, s)| Edit::Insert(i, s.as_bytes().to_vec())),
    ];
    let input = prop_oneof![
        (0..length).prop_map({
            let example = example.clone();
            move |n| example[..n].to_vec()
        }),
        vec(edit(), 1..4).prop_map(move |edits| apply(&example, &edits)),
        vec(xml_edit, 1..4).prop_map(move |edits| {
            let xml = apply(&content, &edits);
            common::sheets::ods_archive(&String::from_utf8_lossy(&xml))
        }),
        junk(),
        (
            vec((sheet_name, sheet_rows()), 0..3),
            vec(any::<Index>(), 0..8)
        )
            .prop_map(|(sheets, repeats)| generated_ods(&sheets, &repeats)),
    ];
    let scenarios = prop::sample::select(
        &[
            "workbook = \"edited.ods\"\n",
            "workbook = \"edited.ods\"\n[[staff]]\nid = \"ana\"\n",
            "extends = \"lakeside.toml\"\nworkbook = \"edited.ods\"\n",
        ][..],
    );
    let (accepted, _) = check("ods", (input, scenarios), |(bytes, scenario)| {
        tree.write("edited.ods", &bytes);
        load(&tree.write("edited.toml", scenario.as_bytes()))
    });
    assert!(accepted > 0, "no spreadsheet loads");
}

/// What-if overlays of `riverside.toml`: the examples, edited.
#[test]
fn overlay_reader_never_panics() {
    let tree = Tree::new();
    let overlays: &[&str] = &[
        "riverside-leave.toml",
        "riverside-new-hire.toml",
        "riverside-surge.toml",
    ];
    let input = prop_oneof![
        edited(overlays),
        junk().prop_map(|bytes| [&b"extends = \"riverside.toml\"\n"[..], &bytes].concat()),
    ];
    let (accepted, _) = check("overlays", input, |bytes| {
        load(&tree.write("edited.toml", &bytes))
    });
    assert!(accepted > 0, "no edited overlay loads");
}

/// `scenarios/riverside.toml` and the JSON of its rebalance proposal.
fn riverside_and_proposal() -> (Scenario, Value) {
    let path = common::root().join("scenarios/riverside.toml");
    let scenario = load_scenario(&path, &LoadOptions::default())
        .expect("riverside loads")
        .scenario;
    let proposal = solve(
        &scenario,
        &SolveOptions {
            mode: Mode::Rebalance,
            time_limit: 30.0,
        },
    );
    let text = proposal_json(
        &Explanation::of(&scenario, &proposal),
        &Provenance::of(Vec::new()),
    );
    let json = serde_json::from_str(&text).expect("proposal JSON parses");
    (scenario, json)
}

/// Keys a saved proposal has, and ids of the riverside team.
const JSON_KEYS: &[&str] = &[
    "scenario",
    "mode",
    "status",
    "assignments",
    "steps",
    "metrics",
    "policy",
    "moves",
    "unassigned",
    "staff",
    "step",
    "value",
    "proven",
    "lower_bound_max_utilization",
    "moves_lower_bound",
    "max_moves",
    "target_utilization",
    "equity_tolerance",
    "balance_band",
    "keep_families_together",
    "rebalance",
    "assign",
    "optimal",
    "feasible",
    "infeasible",
    "C-1001",
    "maria",
];

/// Any JSON value whose strings and keys are mostly those of a proposal.
fn json_value() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        prop::sample::select(JSON_KEYS).prop_map(str::to_string),
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        text.clone().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::from),
            vec((text.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Replaces the values at some places of `json` (`None`: removes them).
fn replaced(json: &Value, changes: &[(Index, Option<Value>)]) -> Value {
    let mut json = json.clone();
    for (i, new) in changes {
        let mut all = Vec::new();
        pointers(&json, String::new(), &mut all);
        let at = &all[i.index(all.len())];
        let Some((parent, key)) = at.rsplit_once('/') else {
            continue;
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        match (json.pointer_mut(parent), new) {
            (Some(Value::Object(map)), None) => {
                map.remove(&key);
            }
            (Some(Value::Array(items)), None) => {
                items.remove(key.parse::<usize>().expect("index"));
            }
            (Some(_), Some(new)) => {
                if let Some(slot) = json.pointer_mut(at) {
                    *slot = new.clone();
                }
            }
            _ => {}
        }
    }
    json
}

/// What a saved proposal says of its own quality, which is read and not recomputed: the status,
/// each step's value and proof, the lower bounds.
fn self_reported(json: &Value) -> impl Strategy<Value = Vec<u8>> {
    let json = json.clone();
    let number = prop_oneof![
        prop::sample::select(&[0.0, -1.0, 1e308, -1e308, 5e-324, 4294967295.0, 0.5, 1e-9][..])
            .prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        prop::sample::select(&["optimal", "feasible", "feasibility", "moves"][..])
            .prop_map(Value::from),
    ];
    let places = prop::sample::select(
        &[
            "/status",
            "/metrics/lower_bound_max_utilization",
            "/metrics/moves_lower_bound",
            "/steps/0/value",
            "/steps/1/value",
            "/steps/2/value",
            "/steps/3/value",
            "/steps/4/value",
            "/steps/0/proven",
            "/steps/3/proven",
            "/steps/0/step",
            "/steps/3/step",
            "/steps",
            "/steps/0",
        ][..],
    );
    vec((places, prop::option::weighted(0.8, number)), 1..5).prop_map(move |changes| {
        let mut json = json.clone();
        for (at, new) in changes {
            match new {
                Some(new) => {
                    if let Some(slot) = json.pointer_mut(at) {
                        *slot = new;
                    }
                }
                None => {
                    if let Some(Value::Array(steps)) = json.pointer_mut("/steps") {
                        steps.pop();
                    }
                }
            }
        }
        serde_json::to_vec(&json).expect("JSON")
    })
}

#[test]
fn saved_proposal_reader_never_panics() {
    let (scenario, json) = riverside_and_proposal();
    let pretty = serde_json::to_string_pretty(&json).expect("serializes");
    let pretty = pretty.into_bytes();
    let changes = vec(
        (any::<Index>(), prop::option::weighted(0.7, json_value())),
        1..5,
    );
    let input = prop_oneof![
        self_reported(&json),
        changes.prop_map(move |c| serde_json::to_vec(&replaced(&json, &c)).expect("JSON")),
        vec(edit(), 1..8).prop_map(move |edits| apply(&pretty, &edits)),
        json_value().prop_map(|v| serde_json::to_vec(&v).expect("JSON")),
        junk(),
    ];
    check("saved proposals", input, |bytes| {
        let Ok(proposal) = read_saved(&scenario, &String::from_utf8_lossy(&bytes)) else {
            return Ok(false);
        };
        // What the file says of its own quality is taken from it: explaining it must not panic.
        let explanation = Explanation::of(&scenario, &proposal);
        proposal_text(&explanation);
        proposal_json(&explanation, &Provenance::of(Vec::new()));
        Ok(true)
    });
}

/// Random small teams with ids of any text a file may hold (those validation refuses are
/// skipped), solved in both jobs and rendered as text and JSON; the JSON must parse and pass the
/// checker.
#[test]
fn renderers_never_panic_on_odd_ids() {
    let tree = Tree::new();
    let (accepted, tried) = check("odd ids", (team(), odd_team_ids()), |(team, ids)| {
        let path = tree.write("team.toml", team.toml_with(&ids).as_bytes());
        let Ok(loaded) = load_scenario(&path, &LoadOptions::default()) else {
            return Ok(false);
        };
        let scenario = loaded.scenario;
        for mode in [Mode::Rebalance, Mode::Assign] {
            let proposal = solve(
                &scenario,
                &SolveOptions {
                    mode,
                    time_limit: 30.0,
                },
            );
            let explanation = Explanation::of(&scenario, &proposal);
            let text = proposal_text(&explanation);
            prop_assert!(text.contains(&scenario.name));
            let json: Value =
                serde_json::from_str(&proposal_json(&explanation, &Provenance::of(Vec::new())))
                    .expect("proposal JSON parses");
            let problems = check_proposal(&scenario, &json);
            prop_assert!(problems.is_empty(), "checker: {}", problems.join("\n"));
        }
        Ok(true)
    });
    assert!(
        2 * accepted > tried,
        "only {accepted} of {tried} teams are valid"
    );
}
