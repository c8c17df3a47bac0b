//! Where a thing was defined: a file, line and column (or CSV column), or a cell of a workbook's
//! sheet. Every staff entry, case and setting keeps its location, so an error or a rule in a
//! conflict can point at the line or cell a supervisor would edit.
//!
//! The file is a shared path: a scenario of many thousands of cases names its file once, not once
//! per case.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The column of a location: a character position in a TOML file, a named column in a CSV file,
/// a column of a workbook's sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// 1-based character column; in a sheet, the 1-based column (A is 1), shown as letters.
    Number(usize),
    /// Name of a CSV column, as in the header row.
    Named(String),
}

/// Where in which file something stands. Lines and character columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as the user named it (or as resolved relative to the scenario).
    pub file: Arc<Path>,
    /// The sheet, in a workbook: then `line` is the row and `column` the sheet's column, and
    /// `None` for both is the whole sheet.
    pub sheet: Option<Arc<str>>,
    /// 1-based line (a sheet's row); `None` for problems of the whole file (missing, empty, too
    /// large).
    pub line: Option<usize>,
    /// Column within the line, when known.
    pub column: Option<Column>,
}

impl Location {
    /// The whole file, with no line.
    pub fn file(path: &Path) -> Self {
        Location {
            file: Arc::from(path),
            sheet: None,
            line: None,
            column: None,
        }
    }

    /// A line and character column of a file.
    pub fn at(path: &Path, line: usize, column: usize) -> Self {
        Location {
            file: Arc::from(path),
            sheet: None,
            line: Some(line),
            column: Some(Column::Number(column)),
        }
    }

    /// A cell of a CSV file: its physical line and column name.
    pub fn csv_cell(path: &Path, line: usize, column: &str) -> Self {
        Location {
            file: Arc::from(path),
            sheet: None,
            line: Some(line),
            column: Some(Column::Named(column.to_string())),
        }
    }

    /// A sheet of a workbook, or its row, or (with a column, A = 1) its cell.
    pub fn sheet_cell(
        path: &Path,
        sheet: Arc<str>,
        row: Option<usize>,
        column: Option<usize>,
    ) -> Self {
        Location {
            file: Arc::from(path),
            sheet: Some(sheet),
            line: row,
            column: column.map(Column::Number),
        }
    }

    /// The cell's reference as a spreadsheet writes it (`Cases!C14`, `'Open cases'!C14`), or
    /// the row's (`Cases row 14`) or the sheet's (`Cases`), for a location in a sheet.
    pub fn cell_reference(&self) -> Option<String> {
        let sheet = self.sheet.as_deref()?;
        let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
        let sheet = if plain {
            sheet.to_string()
        } else {
            format!("'{}'", sheet.replace('\'', "''"))
        };
        Some(match (self.line, &self.column) {
            (Some(row), Some(Column::Number(column))) => {
                format!("{sheet}!{}{row}", column_letters(*column))
            }
            (Some(row), _) => format!("{sheet} row {row}"),
            (None, _) => sheet,
        })
    }
}

/// A sheet's 1-based column as letters: 1 is `A`, 27 is `AA`.
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name is shown with its control characters escaped: it must not move the
        // cursor or forge a line.
        let file = self.file.display().to_string();
        if file.chars().any(char::is_control) {
            write!(f, "{}", file.escape_debug())?;
        } else {
            write!(f, "{file}")?;
        }
        if let Some(cell) = self.cell_reference() {
            // A sheet's name is the user's text: shown as written, its controls escaped.
            let shown: String = cell
                .chars()
                .map(|c| match c.is_control() {
                    true => c.escape_default().to_string(),
                    false => c.to_string(),
                })
                .collect();
            return write!(f, ": {shown}");
        }
        match (&self.line, &self.column) {
            (Some(line), Some(Column::Number(col))) => write!(f, ":{line}:{col}"),
            (Some(line), Some(Column::Named(name))) => write!(f, ":{line}: column `{name}`"),
            (Some(line), None) => write!(f, ":{line}"),
            (None, _) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_shown_as_a_spreadsheet_refers_to_it() {
        let cell = |sheet: &str, row, column| {
            Location::sheet_cell(Path::new("team.xlsx"), sheet.into(), row, column).to_string()
        };
        assert_eq!(cell("Cases", Some(14), Some(3)), "team.xlsx: Cases!C14");
        assert_eq!(
            cell("Open cases", Some(2), Some(28)),
            "team.xlsx: 'Open cases'!AB2"
        );
        assert_eq!(cell("Bo's", Some(2), Some(1)), "team.xlsx: 'Bo''s'!A2");
        assert_eq!(cell("Staff", Some(7), None), "team.xlsx: Staff row 7");
        assert_eq!(cell("Staff", None, None), "team.xlsx: Staff");
        assert_eq!(
            cell("a\u{1b}b", Some(1), Some(1)),
            "team.xlsx: 'a\\u{1b}b'!A1"
        );
    }

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        let letters: Vec<String> = [1, 2, 26, 27, 52, 53, 702, 703, 16_384]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }

    #[test]
    fn cells_sort_by_sheet_then_row_then_column() {
        let at = |sheet: &str, row, column| {
            Location::sheet_cell(Path::new("t.xlsx"), sheet.into(), Some(row), Some(column))
        };
        let mut cells = vec![at("Staff", 2, 1), at("Cases", 9, 2), at("Cases", 3, 4)];
        cells.sort();
        assert_eq!(
            cells,
            [at("Cases", 3, 4), at("Cases", 9, 2), at("Staff", 2, 1)]
        );
    }
}
