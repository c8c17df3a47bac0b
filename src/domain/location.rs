//! Where a thing was defined: a file, line and column (or CSV column). Every staff entry, case
//! and setting keeps its location, so an error or a rule in a conflict can point at the line a
//! supervisor would edit.
//!
//! The file is a shared path: a scenario of many thousands of cases names its file once, not once
//! per case.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The column of a location: a character position in a TOML file, a named column in a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// 1-based character column.
    Number(usize),
    /// Name of a CSV column, as in the header row.
    Named(String),
}

/// Where in which file something stands. Lines and character columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file as the user named it (or as resolved relative to the scenario).
    pub file: Arc<Path>,
    /// 1-based line; `None` for problems of the whole file (missing, empty, too large).
    pub line: Option<usize>,
    /// Column within the line, when known.
    pub column: Option<Column>,
}

impl Location {
    /// The whole file, with no line.
    pub fn file(path: &Path) -> Self {
        Location {
            file: Arc::from(path),
            line: None,
            column: None,
        }
    }

    /// A line and character column of a file.
    pub fn at(path: &Path, line: usize, column: usize) -> Self {
        Location {
            file: Arc::from(path),
            line: Some(line),
            column: Some(Column::Number(column)),
        }
    }

    /// A cell of a CSV file: its physical line and column name.
    pub fn csv_cell(path: &Path, line: usize, column: &str) -> Self {
        Location {
            file: Arc::from(path),
            line: Some(line),
            column: Some(Column::Named(column.to_string())),
        }
    }
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
        match (&self.line, &self.column) {
            (Some(line), Some(Column::Number(col))) => write!(f, ":{line}:{col}"),
            (Some(line), Some(Column::Named(name))) => write!(f, ":{line}: column `{name}`"),
            (Some(line), None) => write!(f, ":{line}"),
            (None, _) => Ok(()),
        }
    }
}
