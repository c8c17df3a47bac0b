//! A team kept in an Excel workbook (`workbook = "team.xlsx"`): a sheet `Staff`, one worker a
//! row, and a sheet `Cases`, one case a row, each under a header row as in a CSV file.
//!
//! Sheets are found by name ignoring case; each is read cell by cell (formula cells by the value
//! last computed), so memory follows what the sheet holds, never the rectangle it spans. Cells
//! keep their type: a number cell is a number, a boolean cell a boolean, an empty cell an absent
//! key; the rest follows the conventions of [`table`](super::table). Every problem is located by
//! sheet and cell (`team.xlsx: Cases!C14`), and a workbook that cannot be read at all is one
//! problem of the file, never a crash.

use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::input::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::input::limits::MAX_SHEET_CELLS;
use crate::input::raw::{At, RawCase, RawStaff};
use crate::input::table::{
    case_row, header_keys, staff_row, Cell, HeaderCell, KeyCell, Numbers, TableKind,
};

/// The entries of a workbook's sheets; a sheet the workbook does not have is `None`.
#[derive(Debug, Default)]
pub struct WorkbookTeam {
    /// The rows of the `Staff` sheet.
    pub staff: Option<Vec<RawStaff>>,
    /// The rows of the `Cases` sheet.
    pub cases: Option<Vec<RawCase>>,
}

/// The name of the sheet of each kind of entry, matched ignoring case.
pub fn sheet_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Staff => "Staff",
        TableKind::Cases => "Cases",
    }
}

/// The entries a sheet named `name` holds, if any: its name is a [`sheet_name`], ignoring case.
pub fn sheet_kind(name: &str) -> Option<TableKind> {
    let name = name.trim().to_lowercase();
    [TableKind::Staff, TableKind::Cases]
        .into_iter()
        .find(|kind| sheet_name(*kind).to_lowercase() == name)
}

/// Reads the `Staff` and `Cases` sheets of the workbook `bytes`, read from `path`; `None` when
/// it cannot be read (every problem in `diags`).
pub fn read_workbook(path: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<WorkbookTeam> {
    let whole = |message: String, help: &str| {
        Diagnostic::error(Location::file(path), message).with_help(help.to_string())
    };
    if let Some(format) = other_spreadsheet(path) {
        diags.push(whole(
            format!(
                "`{}` is {format}, which is not read as a workbook",
                path.display()
            ),
            "save it as an Excel workbook (.xlsx) and name that file",
        ));
        return None;
    }
    if bytes.is_empty() {
        diags.push(whole("the workbook file is empty".into(), SAVE_AGAIN));
        return None;
    }
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            diags.push(whole(
                format!("this is not an Excel workbook (.xlsx) that can be read: {e}"),
                SAVE_AGAIN,
            ));
            return None;
        }
    };
    let names = workbook.sheet_names();
    let found: Vec<(TableKind, String)> = [TableKind::Staff, TableKind::Cases]
        .into_iter()
        .filter_map(|kind| {
            let name = names.iter().find(|n| sheet_kind(n) == Some(kind))?;
            Some((kind, name.clone()))
        })
        .collect();
    if found.is_empty() {
        let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        diags.push(whole(
            "the workbook has no sheet named `Staff` or `Cases`".into(),
            &format!(
                "its sheets are {}; name the sheet of workers `Staff` and the sheet of cases `Cases`",
                listed.join(", ")
            ),
        ));
        return None;
    }
    let file = SourceFile::workbook(
        path.to_path_buf(),
        found.iter().map(|(_, name)| name.clone()).collect(),
    );
    let mut team = WorkbookTeam::default();
    for (index, (kind, name)) in found.iter().enumerate() {
        let sheet = Sheet {
            file: &file,
            index,
            kind: *kind,
        };
        let Some(cells) = read_cells(&mut workbook, name, &sheet, diags) else {
            continue;
        };
        let rows = sheet.rows(cells, diags);
        match kind {
            TableKind::Staff => {
                team.staff = Some(
                    rows.into_iter()
                        .map(|(at, cells)| staff_row(at, cells, Numbers::DecimalPoint, diags))
                        .collect(),
                );
            }
            TableKind::Cases => {
                team.cases = Some(
                    rows.into_iter()
                        .map(|(at, cells)| case_row(at, cells, Numbers::DecimalPoint, diags))
                        .collect(),
                );
            }
        }
    }
    Some(team)
}

const SAVE_AGAIN: &str = "check that this is the workbook you meant; open it in a spreadsheet program and save it again as an Excel workbook (.xlsx)";

/// What a spreadsheet file of a format not read as a workbook is, by its extension.
fn other_spreadsheet(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    match extension.as_str() {
        "ods" => Some("an OpenDocument spreadsheet (.ods)"),
        "xls" => Some("an Excel 97-2003 workbook (.xls)"),
        "xlsb" => Some("an Excel binary workbook (.xlsb)"),
        "csv" | "tsv" | "txt" => Some("a text file"),
        _ => None,
    }
}

/// A sheet being read: where its cells are located, and what its rows are.
struct Sheet<'f> {
    file: &'f SourceFile,
    /// Its position among the sheets of `file`.
    index: usize,
    kind: TableKind,
}

/// A filled cell: 1-based row and column, and value.
type Filled = (u32, u32, Cell);

impl Sheet<'_> {
    fn at(&self, row: u32, column: Option<u32>) -> At {
        At::sheet_cell(
            self.file,
            self.index,
            row as usize,
            column.map(|c| c as usize),
        )
    }

    /// The sheet as a whole.
    fn whole(&self) -> At {
        At::sheet(self.file, self.index)
    }

    /// The entries' rows: the first filled row is the header, each later one an entry (its
    /// place and its cells under a key). Problems of the header stop the sheet.
    fn rows(&self, mut cells: Vec<Filled>, diags: &mut Diagnostics) -> Vec<(At, Vec<KeyCell>)> {
        cells.sort_by_key(|(row, column, _)| (*row, *column));
        let Some(&(header_row, _, _)) = cells.first() else {
            let sheet = sheet_name(self.kind);
            diags.push(
                Diagnostic::error(
                    self.whole().location(),
                    format!("the sheet `{sheet}` is empty"),
                )
                .with_help(format!(
                    "start it with a header row naming the columns, e.g. {}",
                    self.kind.example_header()
                )),
            );
            return Vec::new();
        };
        let body = cells.split_off(cells.partition_point(|(row, _, _)| *row == header_row));
        let header: Vec<HeaderCell> = cells
            .iter()
            .map(|(row, column, value)| HeaderCell {
                name: header_text(value),
                at: self.at(*row, Some(*column)),
            })
            .collect();
        let read_as = format!("in row {header_row} of the sheet");
        let Some(keys) = header_keys(
            self.kind,
            &header,
            &self.at(header_row, None),
            &read_as,
            diags,
        ) else {
            return Vec::new();
        };
        let key_of = |column: u32| {
            cells
                .iter()
                .zip(&keys)
                .find(|((_, c, _), _)| *c == column)
                .and_then(|(_, key)| *key)
        };
        let mut rows: Vec<(At, Vec<KeyCell>)> = Vec::new();
        let mut current_row = header_row;
        for (row, column, value) in body {
            if row != current_row {
                current_row = row;
                rows.push((self.at(row, None), Vec::new()));
            }
            let at = self.at(row, Some(column));
            match (key_of(column), rows.last_mut()) {
                (Some(key), Some((_, row_cells))) => row_cells.push(KeyCell { key, value, at }),
                _ => diags.push(
                    at.error("this cell has a value, but its column has no name in the header")
                        .with_help(format!(
                            "name the column in row {header_row}, or clear the cell; the columns may be: {}",
                            self.kind.keys().join(", ")
                        )),
                ),
            }
        }
        rows
    }
}

/// The filled cells of the sheet `name`, or `None` (reported) when it cannot be read.
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    sheet: &Sheet<'_>,
    diags: &mut Diagnostics,
) -> Option<Vec<Filled>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        sheet
            .whole()
            .error(format!("the sheet cannot be read: {e}"))
            .with_help(SAVE_AGAIN)
    };
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => {
            diags.push(unreadable(&e));
            return None;
        }
    };
    let mut cells = Vec::new();
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => return Some(cells),
            Err(e) => {
                diags.push(unreadable(&e));
                return None;
            }
        };
        let (row, column) = cell.get_position();
        let Some(value) = cell_value(cell.get_value()) else {
            continue;
        };
        if cells.len() >= MAX_SHEET_CELLS {
            diags.push(
                sheet
                    .whole()
                    .error(format!(
                        "the sheet has more than {MAX_SHEET_CELLS} filled cells, too many to be a team"
                    ))
                    .with_help("check that this is the workbook you meant; split a very large agency into one workbook per team"),
            );
            return None;
        }
        cells.push((row.saturating_add(1), column.saturating_add(1), value));
    }
}

/// A cell's value, `None` for an empty one (or text of spaces only).
fn cell_value(data: &DataRef<'_>) -> Option<Cell> {
    let text = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| Cell::Text(s.to_string()))
    };
    match data {
        DataRef::Empty => None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Some(Cell::Number(*i as f64)),
        DataRef::Float(f) => Some(Cell::Number(*f)),
        DataRef::Bool(b) => Some(Cell::Bool(*b)),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
            Some(Cell::Date)
        }
        DataRef::Error(e) => Some(Cell::Error(e.to_string())),
    }
}

/// A header cell's name: its text, or a number as written.
fn header_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(n) => n.to_string(),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date => "(a date)".to_string(),
        Cell::Error(e) => e.clone(),
    }
}
