//! Tables for spreadsheets: a header and rows of typed cells, built once from the data a report
//! renders and then written as CSV or as a sheet of a workbook, so that the two cannot differ.
//!
//! A cell says what it holds (text, a number, a share such as a utilization, a count, yes or
//! no), not how it looks: CSV writes numbers plainly (`.` decimals, no thousands separators,
//! shares as fractions, 0.85 for 85%), a workbook as numbers with a number format. Text that a
//! spreadsheet would run as a formula never becomes one: CSV prefixes it
//! ([`spreadsheet_safe`]), a workbook stores it as a string.

use serde::Serialize;

use crate::explain::figures::round9;
use crate::report::spreadsheet_safe;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from files or sentences: never a formula.
    Text(String),
    /// A number, such as acuity points or capacity.
    Number(f64),
    /// A fraction shown as a percentage, such as a utilization (0.85 is 85%).
    Share(f64),
    /// A whole number, such as a count of cases.
    Count(u64),
    /// Yes or no.
    Flag(bool),
    /// Nothing: a figure that does not exist (no proposal, new intake's holder today).
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// A text cell, or an empty one.
    pub fn text_or_empty(text: Option<&str>) -> Cell {
        text.map_or(Cell::Empty, Cell::text)
    }

    /// A number rounded for output; empty when it is not finite.
    pub fn number(x: f64) -> Cell {
        if x.is_finite() {
            Cell::Number(round9(x))
        } else {
            Cell::Empty
        }
    }

    /// A share rounded for output; empty when it is not finite.
    pub fn share(x: f64) -> Cell {
        if x.is_finite() {
            Cell::Share(round9(x))
        } else {
            Cell::Empty
        }
    }

    /// A count.
    pub fn count(n: impl Into<u64>) -> Cell {
        Cell::Count(n.into())
    }

    /// The cell as CSV writes it.
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => spreadsheet_safe(text),
            // f64's Display never uses an exponent or a thousands separator.
            Cell::Number(x) | Cell::Share(x) => x.to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Flag(yes) => if *yes { "yes" } else { "no" }.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A table: its column names (the CSV header, stable: programs read columns by name) and its
/// rows, each with one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names.
    pub columns: &'static [&'static str],
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: &'static [&'static str]) -> Table {
        Table {
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row (one cell per column).
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "one cell per column");
        self.rows.push(row);
    }

    /// The position of the column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == name)
    }
}

/// The table as CSV: the header, then a line per row, `,`-separated and quoted where needed.
pub fn table_csv(table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(table.columns);
    for row in &table.rows {
        let _ = writer.write_record(row.iter().map(Cell::csv));
    }
    String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// The name JSON gives a unit variant (`MoveKind::MakesRoom` → `makes_room`), so that tables
/// name kinds as the JSON does.
pub fn json_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_writes_numbers_plainly_and_text_safely() {
        let mut table = Table::new(&["id", "points", "utilization", "cases", "moved", "from"]);
        table.push(vec![
            Cell::text("=HYPERLINK(\"x\")"),
            Cell::number(1234567.5),
            Cell::share(0.85 + 1e-12),
            Cell::count(3u32),
            Cell::Flag(true),
            Cell::Empty,
        ]);
        table.push(vec![
            Cell::text("a, b"),
            Cell::number(f64::NAN),
            Cell::share(1e-3),
            Cell::count(0u32),
            Cell::Flag(false),
            Cell::text("-x"),
        ]);
        assert_eq!(
            table_csv(&table),
            "id,points,utilization,cases,moved,from\n\
             \"'=HYPERLINK(\"\"x\"\")\",1234567.5,0.85,3,yes,\n\
             \"a, b\",,0.001,0,no,'-x\n"
        );
    }

    #[test]
    fn kinds_are_named_as_json_names_them() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            MakesRoom,
        }
        assert_eq!(json_name(&Kind::MakesRoom), "makes_room");
    }
}
