//! A starter team for `caseload init`: one small team, kept two ways, for a supervisor to start
//! from and replace with their own.
//!
//! - [`WORKBOOK_FILE`], a workbook: the sheets `Staff` and `Cases` (written by
//!   [`team_workbook`](super::team_workbook)), after a sheet [`GUIDE_SHEET`] that says what each
//!   column means and how to write it, one line a column, taken from the scenario format's own
//!   descriptions ([`scenario_schema`]) and column names ([`TableKind::column_names`]), with the
//!   levels and factors of the built-in model: the same sources the reader uses, so the guide
//!   cannot say other than what is read;
//! - [`WORKBOOK_SCENARIO_FILE`], the scenario that names the workbook;
//! - [`TOML_SCENARIO_FILE`], the same team as `[[staff]]` and `[[case]]` entries.
//!
//! The team is `starter_team.toml`, the third file as written; the workbook is made from its
//! entries, so both hold the same team. The binary decides where the files go.

use serde_json::Value as Json;
use toml::{Table, Value};

use crate::input::builtin_model;
use crate::input::formats::scenario_schema;
use crate::input::limits::shown;
use crate::input::table::TableKind;
use crate::input::team_workbook::{entries_workbook, written_headers};
use crate::input::workbook::sheet_name;
use crate::report::workbook::{Sheet, WorkbookError};

/// The scenario that names the workbook: the file to run.
pub const WORKBOOK_SCENARIO_FILE: &str = "team.toml";
/// The workbook holding the team.
pub const WORKBOOK_FILE: &str = "team.xlsx";
/// The same team, all in TOML.
pub const TOML_SCENARIO_FILE: &str = "team-in-toml.toml";
/// The sheet of the workbook that says how to fill it in.
pub const GUIDE_SHEET: &str = "How to fill this in";

/// The starter team as TOML: [`TOML_SCENARIO_FILE`] as written.
const STARTER_TEAM_TOML: &str = include_str!("starter_team.toml");

/// One file of the starter team: its name in the folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    /// The file's name, e.g. [`WORKBOOK_FILE`].
    pub name: &'static str,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The files of the starter team, in the order to write them: the workbook, the scenario that
/// names it, and the team in TOML. The same bytes every time.
pub fn starter_files() -> Result<Vec<StarterFile>, WorkbookError> {
    let team: Table = STARTER_TEAM_TOML
        .parse()
        .expect("the starter team is valid TOML");
    let entries = |key: &str| -> Vec<Table> {
        team.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
            .unwrap_or_default()
    };
    let name = team
        .get("name")
        .and_then(Value::as_str)
        .expect("the starter team has a name");
    let workbook = entries_workbook(&entries("staff"), &entries("case"), vec![guide_sheet()?])?;
    Ok(vec![
        StarterFile {
            name: WORKBOOK_FILE,
            bytes: workbook,
        },
        StarterFile {
            name: WORKBOOK_SCENARIO_FILE,
            bytes: workbook_scenario(name).into_bytes(),
        },
        StarterFile {
            name: TOML_SCENARIO_FILE,
            bytes: STARTER_TEAM_TOML.as_bytes().to_vec(),
        },
    ])
}

/// The scenario naming the workbook, for the team `name`.
fn workbook_scenario(name: &str) -> String {
    let staff = sheet_name(TableKind::Staff);
    let cases = sheet_name(TableKind::Cases);
    format!(
        "# The team is kept in {WORKBOOK_FILE}: the sheet `{staff}` has one worker a row and the sheet\n\
         # `{cases}` one case a row, each under a header row naming the columns; the sheet\n\
         # \"{GUIDE_SHEET}\" says what each column means. {TOML_SCENARIO_FILE} is the same team in TOML.\n\
         #\n\
         # Then: caseload check {WORKBOOK_SCENARIO_FILE}, and caseload rebalance {WORKBOOK_SCENARIO_FILE}.\n\
         name = {}\n\
         workbook = \"{WORKBOOK_FILE}\"\n",
        Value::String(name.to_string())
    )
}

/// What the guide says before its table of columns, a sentence a row.
const GUIDE_INTRODUCTION: &[&str] = &[
    "One worker a row on the sheet Staff, one case a row on the sheet Cases, under the header row. The rows there are an example: replace them with your team, and keep the header row.",
    "A column may also be headed by any name under \"Also read from\" below, in upper or lower case. An empty cell leaves the key out: its default holds.",
    "Lists are written in one cell, items separated by , or ; (spanish, youth). Yes-or-no columns take TRUE or FALSE (or yes or no).",
    "Then run: caseload check team.toml, and caseload rebalance team.toml.",
];

/// The columns of the guide's table, under a heading naming the sheet of the rows that follow.
const GUIDE_COLUMNS: &[&str] = &[
    "Column",
    "What it means",
    "How to write it",
    "Also read from",
];

/// The sheet that says how to fill the workbook in: the sentences in the wide columns (the
/// columns are fitted to what they hold), labels and names in the narrow first one.
fn guide_sheet() -> Result<Sheet, WorkbookError> {
    let mut sheet = Sheet::new(GUIDE_SHEET)?;
    sheet.heading(0, 0, GUIDE_SHEET)?;
    let mut row = 1;
    for sentence in GUIDE_INTRODUCTION {
        sheet.sentence(row, 1, sentence)?;
        row += 1;
    }
    row += 1;
    sheet.header(row, GUIDE_COLUMNS)?;
    row += 1;
    let schema = scenario_schema();
    for (kind, entry) in [
        (TableKind::Staff, "StaffToml"),
        (TableKind::Cases, "CaseToml"),
    ] {
        sheet.heading(row, 0, sheet_name(kind))?;
        row += 1;
        let entry = &schema.as_value()["$defs"][entry];
        for line in guide_rows(kind, entry, schema.as_value()) {
            for (col, text) in (0u16..).zip(&line) {
                match col {
                    0 => sheet.text(row, col, text)?,
                    _ => sheet.sentence(row, col, text)?,
                }
            }
            row += 1;
        }
    }
    model_rows(&mut sheet, row + 1)?;
    Ok(sheet)
}

/// A line of the guide for each column of `kind`: the header written, what the key means and
/// how to write it (from `entry`, the schema of its table, within `schema`), and the other
/// headers read as it.
fn guide_rows(kind: TableKind, entry: &Json, schema: &Json) -> Vec<[String; 4]> {
    let required: Vec<&str> = entry["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    written_headers(kind)
        .iter()
        .map(|(key, header)| {
            let property = &entry["properties"][*key];
            let mut how = how_to_write(property, schema);
            if required.contains(key) {
                how.push_str("; required");
            }
            let others: Vec<&str> = kind
                .column_names()
                .iter()
                .filter(|(k, _)| k == key)
                .flat_map(|(k, others)| std::iter::once(*k).chain(others.iter().copied()))
                .filter(|name| name != header)
                .collect();
            [
                (*header).to_string(),
                one_line(property["description"].as_str().unwrap_or_default()),
                how,
                others.join(", "),
            ]
        })
        .collect()
}

/// How a cell of a key with the schema `property` is written, by its type.
fn how_to_write(property: &Json, schema: &Json) -> String {
    if let Some(reference) = property["$ref"].as_str() {
        let definition = schema
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(&Json::Null);
        return how_to_write(definition, schema);
    }
    if let Some(alternatives) = property["anyOf"].as_array() {
        let each: Vec<String> = alternatives
            .iter()
            .map(|a| one_line(a["description"].as_str().unwrap_or_default()))
            .collect();
        return each.join(" Or: ");
    }
    match property["type"].as_str() {
        Some("boolean") => "TRUE or FALSE".into(),
        Some("integer") => "a whole number".into(),
        Some("number") => "a number".into(),
        Some("array") => "a list, items separated by , or ;".into(),
        _ => "text".into(),
    }
}

/// A description as one line: its lines joined by spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The levels and factors of the built-in model, with their points, from `row`.
fn model_rows(sheet: &mut Sheet, row: u32) -> Result<(), WorkbookError> {
    let model = builtin_model().model;
    let mut row = row;
    sheet.heading(row, 0, "Acuity")?;
    sheet.sentence(
        row,
        1,
        &format!(
            "The cases are weighed by the model \"{}\": a case's level, plus its factors; a full-time worker carries {} points.",
            model.name,
            shown(model.points_per_fte)
        ),
    )?;
    row += 1;
    for (label, items, sign) in [
        ("Level", &model.levels, ""),
        ("Factor", &model.factors, "+"),
    ] {
        let mut items: Vec<(&String, &f64)> = items.iter().collect();
        items.sort_by(|a, b| a.1.total_cmp(b.1).then(a.0.cmp(b.0)));
        sheet.header(row, &[label, "Points"])?;
        row += 1;
        for (name, points) in items {
            sheet.text(row, 0, name)?;
            sheet.text(row, 1, &format!("{sign}{}", shown(*points)))?;
            row += 1;
        }
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toml_team_names_the_files_it_is_written_with() {
        for name in [WORKBOOK_FILE, TOML_SCENARIO_FILE, GUIDE_SHEET] {
            assert!(STARTER_TEAM_TOML.contains(name), "{name}");
        }
        let introduction = GUIDE_INTRODUCTION.join(" ");
        assert!(introduction.contains(WORKBOOK_SCENARIO_FILE));
    }

    #[test]
    fn the_first_entry_of_each_kind_gives_every_key() {
        let team: Table = STARTER_TEAM_TOML.parse().expect("TOML");
        for (key, kind) in [("staff", TableKind::Staff), ("case", TableKind::Cases)] {
            let first = team[key][0].as_table().expect("an entry");
            let keys: Vec<&str> = first.keys().map(String::as_str).collect();
            let mut expected = kind.keys().to_vec();
            let mut keys = keys;
            expected.sort_unstable();
            keys.sort_unstable();
            assert_eq!(keys, expected, "{key}");
        }
    }

    #[test]
    fn the_guide_has_a_line_for_every_column_with_its_meaning() {
        let schema = scenario_schema();
        for (kind, entry) in [
            (TableKind::Staff, "StaffToml"),
            (TableKind::Cases, "CaseToml"),
        ] {
            let rows = guide_rows(kind, &schema.as_value()["$defs"][entry], schema.as_value());
            assert_eq!(rows.len(), kind.keys().len());
            for [header, means, how, _] in &rows {
                assert!(!means.is_empty() && !means.contains('\n'), "{header}");
                assert!(!how.is_empty(), "{header}");
            }
        }
        let cases = guide_rows(
            TableKind::Cases,
            &schema.as_value()["$defs"]["CaseToml"],
            schema.as_value(),
        );
        let acuity = cases.iter().find(|r| r[0] == "Acuity").expect("acuity");
        assert!(acuity[2].contains("A level of the model"), "{acuity:?}");
        let worker = cases.iter().find(|r| r[0] == "Worker").expect("holder");
        assert!(worker[3].contains("assigned") && worker[3].contains("Assigned to"));
        assert_eq!(cases[0][2], "text; required");
    }

    #[test]
    fn the_starter_files_are_the_same_bytes_every_time() {
        assert_eq!(
            starter_files().expect("made"),
            starter_files().expect("made")
        );
    }
}
