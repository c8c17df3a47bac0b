//! A team kept in a workbook (`workbook = "team.xlsx"`, or an OpenDocument `team.ods`): a sheet
//! `Staff`, one worker a row, and a sheet `Cases`, one case a row, each under a header row as in
//! a CSV file.
//!
//! Sheets are found by name ignoring case; each is read cell by cell (formula cells by the value
//! last computed, an Excel sheet here, an OpenDocument one by [`ods`](super::ods)), so memory
//! follows what the sheet holds, never the rectangle it spans, and a sheet holds at most
//! [`SheetBudget`] allows. Cells keep their type: a number cell is a number, a boolean cell a
//! boolean, an empty cell an absent key; the rest follows the conventions of
//! [`table`](super::table), the same from either format. Every problem is located by sheet and
//! cell (`team.xlsx: Cases!C14`), and a workbook that cannot be read at all is one problem of
//! the file, never a crash.

use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::input::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::input::limits::{MAX_CELL_REPEATS, MAX_SHEET_CELLS, MAX_SHEET_TEXT_BYTES};
use crate::input::ods::{read_ods, OdsBook};
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

/// The kind of entries a sheet named `name` holds: its name is [`sheet_name`], ignoring case
/// and spaces around it.
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
    let format = match Format::of(path) {
        Ok(format) => format,
        Err(other) => {
            diags.push(whole(
                format!(
                    "`{}` is {other}, which is not read as a workbook",
                    path.display()
                ),
                "save it as an Excel workbook (.xlsx) or an OpenDocument spreadsheet (.ods) and name that file",
            ));
            return None;
        }
    };
    if bytes.is_empty() {
        diags.push(whole(
            "the workbook file is empty".into(),
            &format.save_again(),
        ));
        return None;
    }
    let mut workbook = match Book::open(format, bytes) {
        Ok(w) => w,
        Err(e) => {
            diags.push(whole(
                format!("this is not {} that can be read: {e}", format.named()),
                &format.save_again(),
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
        let cells = match workbook.cells(*kind, name) {
            Ok(cells) => cells,
            Err(problem) => {
                diags.push(problem.diagnostic(&sheet, format));
                continue;
            }
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

/// The formats read as workbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// An Excel workbook (`.xlsx`, `.xlsm`).
    Excel,
    /// An OpenDocument spreadsheet (`.ods`), as LibreOffice and Google Sheets save them.
    OpenDocument,
}

impl Format {
    /// The format of the workbook at `path`, by its extension (Excel unless it says otherwise),
    /// or what a spreadsheet file of a format not read as a workbook is.
    fn of(path: &Path) -> Result<Format, &'static str> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase);
        match extension.as_deref() {
            Some("ods") => Ok(Format::OpenDocument),
            Some("xls") => Err("an Excel 97-2003 workbook (.xls)"),
            Some("xlsb") => Err("an Excel binary workbook (.xlsb)"),
            Some("csv" | "tsv" | "txt") => Err("a text file"),
            _ => Ok(Format::Excel),
        }
    }

    /// The format with an article, as in "this is not ... that can be read".
    fn named(self) -> &'static str {
        match self {
            Format::Excel => "an Excel workbook (.xlsx)",
            Format::OpenDocument => "an OpenDocument spreadsheet (.ods)",
        }
    }

    /// The help for a workbook that cannot be read.
    fn save_again(self) -> String {
        format!(
            "check that this is the workbook you meant; open it in a spreadsheet program and save it again as {}",
            self.named()
        )
    }
}

/// A sheet of a workbook read again: its name and, for a sheet of a team (see [`sheet_kind`]),
/// its kind and filled cells.
pub type SheetCells = (String, Option<(TableKind, Vec<Filled>)>);

/// The sheets of the workbook at `path` (its `bytes`), in order, read as [`read_workbook`] reads
/// them, for a writer that copies a team's sheets cell for cell. Errors say what could not be
/// read.
pub fn team_sheets(path: &Path, bytes: &[u8]) -> Result<Vec<SheetCells>, String> {
    let format = Format::of(path)
        .map_err(|what| format!("this is {what}, which is not read as a workbook"))?;
    let mut book = Book::open(format, bytes)
        .map_err(|e| format!("this is not {} that can be read: {e}", format.named()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let cells = match sheet_kind(&name) {
            Some(kind) => {
                let cells = book.cells(kind, &name).map_err(|_| {
                    format!("the sheet `{name}` cannot be read again; check the workbook with `caseload check`")
                })?;
                Some((kind, cells))
            }
            None => None,
        };
        sheets.push((name, cells));
    }
    Ok(sheets)
}

/// A workbook opened: an Excel one is read a sheet at a time, an OpenDocument one was read in
/// one pass over its content (keeping only the sheets of a team).
enum Book<'b> {
    Excel(Box<Xlsx<Cursor<&'b [u8]>>>),
    OpenDocument(OdsBook<TableKind>),
}

impl<'b> Book<'b> {
    fn open(format: Format, bytes: &'b [u8]) -> Result<Book<'b>, String> {
        match format {
            Format::Excel => Xlsx::new(Cursor::new(bytes))
                .map(|book| Book::Excel(Box::new(book)))
                .map_err(|e| e.to_string()),
            Format::OpenDocument => read_ods(bytes, sheet_kind)
                .map(Book::OpenDocument)
                .map_err(|e| e.to_string()),
        }
    }

    /// The names of all its sheets, in order.
    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Excel(book) => book.sheet_names(),
            Book::OpenDocument(book) => book.names.clone(),
        }
    }

    /// The filled cells of the sheet `name`, which holds entries of `kind`.
    fn cells(&mut self, kind: TableKind, name: &str) -> Result<Vec<Filled>, SheetProblem> {
        match self {
            Book::Excel(book) => read_cells(book, name),
            Book::OpenDocument(book) => book.take(kind),
        }
    }
}

/// Why the cells of a sheet were not read.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetProblem {
    /// The reader failed, saying this.
    Unreadable(String),
    /// More than [`MAX_SHEET_CELLS`] filled cells.
    TooManyCells,
    /// More than [`MAX_SHEET_TEXT_BYTES`] of text in its cells.
    TooMuchText,
    /// A filled cell of an OpenDocument sheet (its first copy at `row` and `column`) stands
    /// repeated `times` times, more than [`MAX_CELL_REPEATS`].
    RepeatedCell {
        /// 1-based row of its first copy.
        row: u32,
        /// 1-based column of its first copy.
        column: u32,
        /// Columns times rows it stands repeated on.
        times: u64,
    },
    /// A filled cell of an OpenDocument sheet past the last row or column of a spreadsheet.
    OutsideTheSheet,
}

const TOO_BIG_HELP: &str = "check that this is the workbook you meant; split a very large agency into one workbook per team";

impl SheetProblem {
    fn diagnostic(&self, sheet: &Sheet<'_>, format: Format) -> Diagnostic {
        let whole = |message: String, help: &str| sheet.whole().error(message).with_help(help);
        match self {
            SheetProblem::Unreadable(e) => whole(
                format!("the sheet cannot be read: {e}"),
                &format.save_again(),
            ),
            SheetProblem::TooManyCells => whole(
                format!(
                    "the sheet has more than {MAX_SHEET_CELLS} filled cells, too many to be a team"
                ),
                TOO_BIG_HELP,
            ),
            SheetProblem::TooMuchText => whole(
                format!(
                    "the sheet's cells hold more than {} MiB of text, too much to be a team",
                    MAX_SHEET_TEXT_BYTES >> 20
                ),
                TOO_BIG_HELP,
            ),
            SheetProblem::RepeatedCell { row, column, times } => sheet
                .at(*row, Some(*column))
                .error(format!(
                    "this cell's value stands repeated on {times} cells, more than the {MAX_CELL_REPEATS} any team sheet needs"
                ))
                .with_help("check that this is the workbook you meant; a team sheet has one row per worker or case: clear the cells that repeat this value"),
            SheetProblem::OutsideTheSheet => whole(
                "the sheet has a filled cell past its last row or column".into(),
                &format.save_again(),
            ),
        }
    }
}

/// What one sheet may still hold, so that a workbook that unpacks to far more than its size
/// stops before it exhausts memory: [`MAX_SHEET_CELLS`] filled cells and
/// [`MAX_SHEET_TEXT_BYTES`] of text.
#[derive(Debug, Clone)]
pub struct SheetBudget {
    cells: usize,
    text: usize,
}

impl Default for SheetBudget {
    fn default() -> Self {
        SheetBudget {
            cells: MAX_SHEET_CELLS,
            text: MAX_SHEET_TEXT_BYTES,
        }
    }
}

impl SheetBudget {
    /// The bytes of text the sheet may still hold.
    pub fn text_left(&self) -> usize {
        self.text
    }

    /// Takes `copies` copies of `cell` from the budget, or says which limit they pass.
    pub fn take(&mut self, cell: &Cell, copies: usize) -> Result<(), SheetProblem> {
        let text = match cell {
            Cell::Text(s) | Cell::Error(s) => s.len(),
            Cell::Number(_) | Cell::Bool(_) | Cell::Date => 0,
        };
        self.cells = self
            .cells
            .checked_sub(copies)
            .ok_or(SheetProblem::TooManyCells)?;
        self.text = text
            .checked_mul(copies)
            .and_then(|bytes| self.text.checked_sub(bytes))
            .ok_or(SheetProblem::TooMuchText)?;
        Ok(())
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
pub type Filled = (u32, u32, Cell);

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

/// The filled cells of the Excel sheet `name`.
fn read_cells(workbook: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Vec<Filled>, SheetProblem> {
    let unreadable = |e: &dyn std::fmt::Display| SheetProblem::Unreadable(e.to_string());
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| unreadable(&e))?;
    let mut cells = Vec::new();
    let mut budget = SheetBudget::default();
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.get_position();
        let Some(value) = cell_value(cell.get_value()) else {
            continue;
        };
        budget.take(&value, 1)?;
        cells.push((row.saturating_add(1), column.saturating_add(1), value));
    }
    Ok(cells)
}

/// A text cell, `None` for one of spaces only (an empty cell).
pub fn text_cell(text: &str) -> Option<Cell> {
    let text = text.trim();
    (!text.is_empty()).then(|| Cell::Text(text.to_string()))
}

/// A cell's value, `None` for an empty one (or text of spaces only).
fn cell_value(data: &DataRef<'_>) -> Option<Cell> {
    match data {
        DataRef::Empty => None,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
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
