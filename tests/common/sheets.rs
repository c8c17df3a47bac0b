//! A team written as spreadsheets: the `[[staff]]` and `[[case]]` entries of a TOML scenario as
//! CSV files (any delimiter, header names, decimal mark, line ends, byte order mark) and as an
//! Excel workbook with typed cells, so that tests can give one team in every format the tool
//! reads. The example workbook of `scenarios/` is written by [`workbook`] too, which is the
//! library's own writing of a team as a workbook.

use caseload::input::team_workbook::{entries_workbook, CASE_HEADERS, STAFF_HEADERS};
use toml::{Table, Value};

/// The entries of a scenario, each as its keys in the order written.
pub struct Team {
    /// `[[staff]]` entries.
    pub staff: Vec<Table>,
    /// `[[case]]` entries.
    pub cases: Vec<Table>,
}

impl Team {
    /// The entries of the scenario `text`.
    pub fn from_toml(text: &str) -> Team {
        let doc: Table = text.parse().expect("a TOML scenario");
        let entries = |key: &str| -> Vec<Table> {
            doc.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_table().cloned()).collect())
                .unwrap_or_default()
        };
        Team {
            staff: entries("staff"),
            cases: entries("case"),
        }
    }

    /// The `[[staff]]` entries as TOML text.
    pub fn staff_toml(&self) -> String {
        let mut doc = Table::new();
        doc.insert(
            "staff".into(),
            Value::Array(self.staff.iter().cloned().map(Value::Table).collect()),
        );
        toml::to_string(&doc).expect("TOML")
    }
}

/// The keys of `[[staff]]` entries, in the order of their columns, with the header a
/// spreadsheet would give each: those the tool writes.
pub const STAFF_COLUMNS: &[(&str, &str)] = STAFF_HEADERS;

/// See [`STAFF_COLUMNS`].
pub const CASE_COLUMNS: &[(&str, &str)] = CASE_HEADERS;

/// How a CSV file is written.
#[derive(Debug, Clone, Copy)]
pub struct CsvStyle {
    /// `,`, `;` or tab.
    pub delimiter: u8,
    /// Headers as a spreadsheet names the columns (`Case ID`), not the keys (`id`).
    pub spreadsheet_headers: bool,
    /// `2,5` for 2.5.
    pub decimal_comma: bool,
    /// Between the items of a list cell.
    pub list_separator: &'static str,
    /// Lines end in CRLF.
    pub crlf: bool,
    /// A UTF-8 byte order mark first.
    pub bom: bool,
}

impl CsvStyle {
    /// As the tool documented CSV files before spreadsheets: `,`, keys, `;` in lists.
    pub const PLAIN: CsvStyle = CsvStyle {
        delimiter: b',',
        spreadsheet_headers: false,
        decimal_comma: false,
        list_separator: ";",
        crlf: false,
        bom: false,
    };

    /// As Excel saves "CSV UTF-8" where the comma is the decimal mark.
    pub const EUROPEAN_EXCEL: CsvStyle = CsvStyle {
        delimiter: b';',
        spreadsheet_headers: true,
        decimal_comma: true,
        list_separator: ", ",
        crlf: true,
        bom: true,
    };
}

/// The columns of `entries` among `columns`: those that some entry gives.
fn used<'c>(entries: &[Table], columns: &'c [(&'c str, &'c str)]) -> Vec<(&'c str, &'c str)> {
    columns
        .iter()
        .filter(|(key, _)| entries.iter().any(|e| e.contains_key(*key)))
        .copied()
        .collect()
}

/// `entries` as a CSV file of `style`.
pub fn csv(entries: &[Table], columns: &[(&str, &str)], style: CsvStyle) -> String {
    let columns = used(entries, columns);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(if style.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    let header = columns
        .iter()
        .map(|(key, shown)| match style.spreadsheet_headers {
            true => *shown,
            false => *key,
        });
    writer.write_record(header).expect("written");
    for entry in entries {
        let row = columns.iter().map(|(key, _)| match entry.get(*key) {
            None => String::new(),
            Some(value) => cell_text(value, style),
        });
        writer.write_record(row).expect("written");
    }
    let text = String::from_utf8(writer.into_inner().expect("written")).expect("UTF-8");
    if style.bom {
        format!("\u{feff}{text}")
    } else {
        text
    }
}

fn cell_text(value: &Value, style: CsvStyle) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) if style.decimal_comma => f.to_string().replace('.', ","),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| cell_text(i, style))
            .collect::<Vec<_>>()
            .join(style.list_separator),
        other => panic!("no cell for {other}"),
    }
}

/// The team as an Excel workbook: a sheet `Staff` and a sheet `Cases` under spreadsheet
/// headers, numbers and booleans in cells of their type, lists as `a, b`; the same bytes for the
/// same team (the document's date is fixed).
pub fn workbook(team: &Team) -> Vec<u8> {
    entries_workbook(&team.staff, &team.cases, Vec::new()).expect("a workbook")
}
