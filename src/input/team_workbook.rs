//! A team as a workbook: the `Staff` and `Cases` sheets that the [workbook
//! reader](super::workbook) reads, written. The one home of how the tool writes a team into a
//! workbook, for each place that does:
//!
//! - `apply` writes next week's workbook from this week's ([`workbook_with_holders`]): each sheet
//!   of the team cell for cell as it was read (the same headers in the same places, every value of
//!   the same type), with the holders of the proposal;
//! - `init` writes a starter team, and the tests the example workbook, from `[[staff]]` and
//!   `[[case]]` entries ([`entries_workbook`]), under the headers of [`written_headers`].
//!
//! Every workbook is made as the reports' are ([`Book`]): fixed document dates, so the same team
//! gives the same bytes, and text always stored as text, never as a formula.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{ColNum, RowNum};
use toml::{Table, Value};

use crate::input::table::{number_text, Cell, TableKind};
use crate::input::workbook::{sheet_name, team_sheets, Filled};
use crate::report::workbook::{Book, Sheet, WorkbookError};

/// The header a written `Staff` sheet gives each key's column, in the order of the columns: as
/// a spreadsheet names them, and each read back as its key.
pub const STAFF_HEADERS: &[(&str, &str)] = &[
    ("id", "Staff ID"),
    ("name", "Name"),
    ("fte", "FTE"),
    ("capacity", "Capacity"),
    ("max_cases", "Max cases"),
    ("skills", "Skills"),
    ("available", "Available"),
];

/// The header a written `Cases` sheet gives each key's column; see [`STAFF_HEADERS`].
pub const CASE_HEADERS: &[(&str, &str)] = &[
    ("id", "Case ID"),
    ("acuity", "Acuity"),
    ("factors", "Factors"),
    ("needs", "Skills required"),
    ("assigned", "Worker"),
    ("family", "Family"),
    ("pinned", "Pinned"),
    ("avoid", "Avoid"),
    ("prefer", "Prefer"),
];

/// The keys of a kind of entries with the header a written sheet gives each, in column order.
pub fn written_headers(kind: TableKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TableKind::Staff => STAFF_HEADERS,
        TableKind::Cases => CASE_HEADERS,
    }
}

/// How a list is written in one cell: items separated by a comma and a space, as people type
/// them (the reader splits on `,` and `;`).
const LIST_SEPARATOR: &str = ", ";

/// A filled cell of a team's sheet, as the workbook holds it.
#[derive(Debug, Clone, PartialEq)]
enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl CellValue {
    /// The cell as the reader reads an id or a holder: text trimmed, a number as a spreadsheet
    /// shows it.
    fn as_id(&self) -> Option<String> {
        match self {
            CellValue::Text(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
            CellValue::Number(n) => Some(number_text(*n)),
            CellValue::Bool(_) => None,
        }
    }
}

/// One sheet of a team: its name, its header row and its filled cells by (row, column), both
/// counted from 0 as the writer counts them.
#[derive(Debug, Clone)]
struct TeamSheet {
    name: String,
    header_row: RowNum,
    cells: BTreeMap<(RowNum, ColNum), CellValue>,
}

impl TeamSheet {
    /// `entries` under the headers of [`written_headers`]: the columns that some entry gives, in
    /// their order; numbers and booleans in cells of their type, lists in one cell.
    fn from_entries(kind: TableKind, entries: &[Table]) -> TeamSheet {
        let columns = written_headers(kind)
            .iter()
            .filter(|(key, _)| entries.iter().any(|e| e.contains_key(*key)));
        let mut cells = BTreeMap::new();
        for ((key, header), col) in columns.zip(0..) {
            cells.insert((0, col), CellValue::Text((*header).to_string()));
            for (entry, row) in entries.iter().zip(1..) {
                if let Some(value) = entry.get(*key) {
                    cells.insert((row, col), entry_cell(value));
                }
            }
        }
        TeamSheet {
            name: sheet_name(kind).to_string(),
            header_row: 0,
            cells,
        }
    }

    /// The sheet `name`, cell for cell from its filled `cells` as the reader read them
    /// (formula cells by the value they last computed).
    fn read(name: &str, filled: Vec<Filled>) -> Result<TeamSheet, String> {
        let mut cells = BTreeMap::new();
        for (row, col, cell) in filled {
            // Filled cells count rows and columns from 1, the writer from 0.
            let beyond = || format!("the sheet `{name}` has a cell beyond Excel's rows or columns");
            let at = (
                row.checked_sub(1).ok_or_else(beyond)?,
                col.checked_sub(1)
                    .and_then(|c| ColNum::try_from(c).ok())
                    .ok_or_else(beyond)?,
            );
            let value = match cell {
                Cell::Text(s) => CellValue::Text(s),
                Cell::Number(f) => CellValue::Number(f),
                Cell::Bool(b) => CellValue::Bool(b),
                // The reader refuses these in every column of a team, so a team that loaded has
                // none.
                Cell::Date | Cell::Error(_) => {
                    return Err(format!(
                        "the sheet `{name}` has a date, time or error value in row {row}, column {col}, which a team does not hold"
                    ))
                }
            };
            cells.insert(at, value);
        }
        // The reader's header: the first row with a cell that is not blank.
        let header_row = cells
            .iter()
            .find(|(_, value)| !matches!(value, CellValue::Text(t) if t.trim().is_empty()))
            .map_or(0, |((row, _), _)| *row);
        Ok(TeamSheet {
            name: name.to_string(),
            header_row,
            cells,
        })
    }

    /// The column whose header names `key` for entries of `kind`.
    fn column_of(&self, kind: TableKind, key: &str) -> Option<ColNum> {
        self.header().find_map(|(col, value)| match value {
            CellValue::Text(header) if kind.column_key(header) == Some(key) => Some(col),
            _ => None,
        })
    }

    /// The cells of the header row, by column.
    fn header(&self) -> impl Iterator<Item = (ColNum, &CellValue)> {
        self.cells
            .range((self.header_row, 0)..=(self.header_row, ColNum::MAX))
            .map(|((_, col), value)| (*col, value))
    }

    /// Sets each case's holder to the one `assignments` gives it (none: the cell emptied), adding
    /// a holder column after the others when the sheet has none; returns how many changed.
    fn set_holders(&mut self, assignments: &BTreeMap<String, String>) -> usize {
        let Some(id_col) = self.column_of(TableKind::Cases, "id") else {
            return 0;
        };
        let holder_col = match self.column_of(TableKind::Cases, "assigned") {
            Some(col) => col,
            None => {
                let col = self.header().map(|(col, _)| col + 1).max().unwrap_or(0);
                let header = holder_header();
                self.cells
                    .insert((self.header_row, col), CellValue::Text(header.to_string()));
                col
            }
        };
        let ids: Vec<(RowNum, String)> = self
            .cells
            .iter()
            .filter(|((row, col), _)| *row > self.header_row && *col == id_col)
            .filter_map(|((row, _), value)| Some((*row, value.as_id()?)))
            .collect();
        let mut changed = 0;
        for (row, id) in ids {
            let before = self
                .cells
                .get(&(row, holder_col))
                .and_then(CellValue::as_id);
            let after = assignments.get(&id);
            if before.as_ref() == after {
                continue;
            }
            changed += 1;
            match after {
                Some(holder) => {
                    self.cells
                        .insert((row, holder_col), CellValue::Text(holder.clone()));
                }
                None => {
                    self.cells.remove(&(row, holder_col));
                }
            }
        }
        changed
    }

    /// The sheet as a worksheet of `book`: the header row in bold and frozen, every cell of
    /// its type.
    fn write(&self, book: &mut Book) -> Result<(), WorkbookError> {
        let mut sheet = Sheet::new(&self.name)?;
        for (&(row, col), value) in &self.cells {
            match value {
                CellValue::Text(text) if row == self.header_row => {
                    sheet.header_cell(row, col, text)?;
                }
                CellValue::Text(text) => sheet.text(row, col, text)?,
                CellValue::Number(n) => {
                    sheet.worksheet.write_number(row, col, *n)?;
                }
                CellValue::Bool(b) => {
                    sheet.worksheet.write_boolean(row, col, *b)?;
                }
            }
        }
        sheet.worksheet.set_freeze_panes(self.header_row + 1, 0)?;
        book.push(sheet);
        Ok(())
    }
}

/// The header of the holder column added to a `Cases` sheet that has none.
fn holder_header() -> &'static str {
    CASE_HEADERS
        .iter()
        .find(|(key, _)| *key == "assigned")
        .map_or("assigned", |(_, header)| header)
}

/// A value of a `[[staff]]` or `[[case]]` entry as a cell.
fn entry_cell(value: &Value) -> CellValue {
    match value {
        Value::Integer(i) => CellValue::Number(*i as f64),
        Value::Float(f) => CellValue::Number(*f),
        Value::Boolean(b) => CellValue::Bool(*b),
        Value::Array(items) => CellValue::Text(
            items
                .iter()
                .map(|item| match item {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        ),
        Value::String(s) => CellValue::Text(s.clone()),
        other => CellValue::Text(other.to_string()),
    }
}

/// The workbook of a team given as `[[staff]]` and `[[case]]` entries: a sheet `Staff` and a
/// sheet `Cases` (each left out when it has no entries), after the sheets of `before`.
pub fn entries_workbook(
    staff: &[Table],
    cases: &[Table],
    before: Vec<Sheet>,
) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new()?;
    for sheet in before {
        book.push(sheet);
    }
    for (kind, entries) in [(TableKind::Staff, staff), (TableKind::Cases, cases)] {
        if !entries.is_empty() {
            TeamSheet::from_entries(kind, entries).write(&mut book)?;
        }
    }
    book.finish()
}

/// Next week's workbook, made by [`workbook_with_holders`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextWorkbook {
    /// The new workbook's bytes.
    pub bytes: Vec<u8>,
    /// Cases whose holder changed.
    pub changed: usize,
    /// The names of the sheets of the old workbook that the new one does not have: all but
    /// `Staff` and `Cases`.
    pub left_out: Vec<String>,
}

/// The workbook `bytes` with each case of its `Cases` sheet held by the worker `assignments`
/// gives it: its `Staff` and `Cases` sheets, in their order and under their names, each cell
/// as it was read except the holders; its other sheets are left out. Errors say what could not
/// be read or written.
pub fn workbook_with_holders(
    path: &Path,
    bytes: &[u8],
    assignments: &BTreeMap<String, String>,
) -> Result<NextWorkbook, String> {
    let mut book = Book::new().map_err(|e| e.to_string())?;
    let (mut changed, mut left_out) = (0, Vec::new());
    for (name, cells) in team_sheets(path, bytes)? {
        let Some((kind, cells)) = cells else {
            left_out.push(name);
            continue;
        };
        let mut sheet = TeamSheet::read(&name, cells)?;
        if kind == TableKind::Cases {
            changed += sheet.set_holders(assignments);
        }
        sheet.write(&mut book).map_err(|e| e.to_string())?;
    }
    Ok(NextWorkbook {
        bytes: book.finish().map_err(|e| e.to_string())?,
        changed,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_header_reads_back_as_its_key() {
        for kind in [TableKind::Staff, TableKind::Cases] {
            let keys: Vec<&str> = written_headers(kind).iter().map(|(key, _)| *key).collect();
            assert_eq!(keys, kind.keys());
            for (key, header) in written_headers(kind) {
                assert_eq!(kind.column_key(header), Some(*key), "{header}");
            }
        }
    }

    fn case(id: Value, holder: Option<&str>) -> Table {
        let mut entry = Table::new();
        entry.insert("id".into(), id);
        entry.insert("acuity".into(), Value::Integer(2));
        if let Some(holder) = holder {
            entry.insert("assigned".into(), Value::String(holder.into()));
        }
        entry
    }

    fn text(s: &str) -> Option<CellValue> {
        Some(CellValue::Text(s.into()))
    }

    #[test]
    fn holders_are_set_by_case_id_and_emptied_for_cases_left_unplaced() {
        let cases = [
            case(Value::String("C-1".into()), Some("ana")),
            case(Value::Integer(1002), Some("bo")),
            case(Value::String(" C-3 ".into()), None),
        ];
        let mut sheet = TeamSheet::from_entries(TableKind::Cases, &cases);
        let assignments: BTreeMap<String, String> = [("C-1", "ana"), ("C-3", "bo")]
            .into_iter()
            .map(|(case, worker)| (case.to_string(), worker.to_string()))
            .collect();
        assert_eq!(sheet.set_holders(&assignments), 2);
        // Columns: Case ID, Acuity, Worker.
        assert_eq!(sheet.cells.get(&(1, 2)).cloned(), text("ana"));
        assert_eq!(sheet.cells.get(&(2, 2)).cloned(), None);
        assert_eq!(sheet.cells.get(&(3, 2)).cloned(), text("bo"));
        assert_eq!(
            sheet.cells.get(&(2, 0)).cloned(),
            Some(CellValue::Number(1002.0))
        );
    }

    #[test]
    fn a_cases_sheet_without_holders_gets_a_holder_column_after_the_others() {
        let cases = [case(Value::String("C-1".into()), None)];
        let mut sheet = TeamSheet::from_entries(TableKind::Cases, &cases);
        let assignments = BTreeMap::from([("C-1".to_string(), "ana".to_string())]);
        assert_eq!(sheet.set_holders(&assignments), 1);
        assert_eq!(sheet.cells.get(&(0, 2)).cloned(), text("Worker"));
        assert_eq!(sheet.cells.get(&(1, 2)).cloned(), text("ana"));
    }
}
