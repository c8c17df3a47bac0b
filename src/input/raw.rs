//! Scenario entries as written, before validation: every value keeps where it came from.
//!
//! TOML entries, CSV rows and workbook rows all become these structs, so one validator checks
//! them alike and its messages point at a TOML line and column, a CSV row and column name, or a
//! sheet's cell.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::input::diagnostic::{Column, Diagnostic, Location, Snippet, SourceFile, SourceText};
use crate::input::formats::{CaseToml, ScenarioToml, StaffToml};
use crate::input::model_file::PolicyOverrides;
use crate::input::toml_reader::{NumberOrName, Sp};

/// Where a value was written: a TOML byte range, a CSV row or cell, or a workbook's row or cell.
///
/// Kept small, since every value of a large scenario has one: the shared file and a few numbers,
/// with the location and the line to show worked out when a message is made.
#[derive(Clone)]
pub struct At {
    file: Arc<SourceText>,
    spot: Spot,
}

/// Offsets and lines are `u32`: a source file is at most
/// [`MAX_INPUT_BYTES`](crate::input::MAX_INPUT_BYTES) long.
#[derive(Debug, Clone, Copy)]
enum Spot {
    /// A byte range of a TOML file, and whether the file's lines could be quoted when the value
    /// was read.
    Range {
        start: u32,
        end: u32,
        quotable: bool,
    },
    /// A physical line of a CSV file and, for a cell, its column's position in the header.
    Row { line: u32, column: Option<u32> },
    /// A row of a workbook's sheet (its position among the sheets read; row 0 for the whole
    /// sheet) and, for a cell, its column (A is 1).
    Cell {
        sheet: u8,
        row: u32,
        column: Option<u32>,
    },
}

/// A number that fits in a `u32` for any file read (see [`Spot`]); saturated otherwise, which
/// points at the end of the file.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl At {
    /// A TOML byte range.
    pub fn toml(file: &SourceFile, span: &Range<usize>) -> Self {
        let span = file.in_whole_text(span);
        At {
            file: Arc::clone(file.shared_text()),
            spot: Spot::Range {
                start: small(span.start),
                end: small(span.end),
                quotable: file.lines_quotable(),
            },
        }
    }

    /// A row of a CSV file: its physical line.
    pub fn csv_row(file: &SourceFile, line: usize) -> Self {
        At {
            file: Arc::clone(file.shared_text()),
            spot: Spot::Row {
                line: small(line),
                column: None,
            },
        }
    }

    /// A cell of a CSV file: its physical line and its column's position in the header
    /// (0-based; see [`SourceFile::set_header`]).
    pub fn csv_cell(file: &SourceFile, line: usize, column: usize) -> Self {
        At {
            file: Arc::clone(file.shared_text()),
            spot: Spot::Row {
                line: small(line),
                column: Some(small(column)),
            },
        }
    }

    /// A row of a workbook's sheet (its position among the sheets of
    /// [`SourceFile::workbook`]) and, for a cell, its column; row and column are 1-based.
    pub fn sheet_cell(file: &SourceFile, sheet: usize, row: usize, column: Option<usize>) -> Self {
        At {
            file: Arc::clone(file.shared_text()),
            spot: Spot::Cell {
                sheet: u8::try_from(sheet).unwrap_or(u8::MAX),
                row: small(row),
                column: column.map(small),
            },
        }
    }

    /// A workbook's sheet as a whole (its position among the sheets of
    /// [`SourceFile::workbook`]).
    pub fn sheet(file: &SourceFile, sheet: usize) -> Self {
        At::sheet_cell(file, sheet, 0, None)
    }

    /// The file the value was written in, as messages name it.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// File, line and column.
    pub fn location(&self) -> Location {
        match self.spot {
            Spot::Range { start, .. } => self.file.location(start as usize),
            Spot::Row { line, column } => Location {
                file: Arc::clone(self.file.path()),
                sheet: None,
                line: Some(line as usize),
                column: column
                    .and_then(|i| self.file.header_name(i as usize))
                    .map(|name| Column::Named(name.to_string())),
            },
            Spot::Cell { sheet, row, column } => match self.file.sheet_name(usize::from(sheet)) {
                Some(name) => Location {
                    file: Arc::clone(self.file.path()),
                    sheet: Some(Arc::clone(name)),
                    line: (row > 0).then_some(row as usize),
                    column: column.map(|c| Column::Number(c as usize)),
                },
                None => Location::file(self.file.path()),
            },
        }
    }

    /// The line to show under a message.
    pub fn snippet(&self) -> Option<Snippet> {
        match self.spot {
            Spot::Range {
                start,
                end,
                quotable: true,
            } => self.file.quote(&(start as usize..end as usize)),
            Spot::Range { .. } | Spot::Row { .. } | Spot::Cell { .. } => None,
        }
    }

    /// An error here.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.location(), message).with_snippet(self.snippet())
    }

    /// A warning here.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.location(), message).with_snippet(self.snippet())
    }
}

impl PartialEq for At {
    /// Two places are equal when messages show them alike: same location, same line shown.
    fn eq(&self, other: &Self) -> bool {
        self.location() == other.location() && self.snippet() == other.snippet()
    }
}

impl fmt::Debug for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "At({})", self.location())
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    /// The value as read.
    pub value: T,
    /// Where it was written.
    pub at: At,
}

impl<T> Field<T> {
    /// A value from a TOML span.
    pub fn toml(file: &SourceFile, spanned: Sp<T>) -> Self {
        let at = At::toml(file, &spanned.span());
        Field {
            value: spanned.into_inner(),
            at,
        }
    }
}

/// A `[[staff]]` entry, CSV row or workbook row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawStaff {
    /// The entry's header, for problems of the entry as a whole.
    pub at: At,
    /// `id`.
    pub id: Option<Field<String>>,
    /// True when an `id` key is present, even if its value was unusable (already reported).
    pub id_given: bool,
    /// `name`.
    pub name: Option<Field<String>>,
    /// `fte`.
    pub fte: Option<Field<f64>>,
    /// `capacity`.
    pub capacity: Option<Field<f64>>,
    /// `max_cases`.
    pub max_cases: Option<Field<f64>>,
    /// `skills`.
    pub skills: Vec<Field<String>>,
    /// `available`.
    pub available: Option<Field<bool>>,
    /// The keys of [`STAFF_KEYS`] the entry gives (for a row, its non-empty cells), so an overlay
    /// changes only those.
    pub keys: GivenKeys,
}

/// A `[[case]]` entry, CSV row or workbook row as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCase {
    /// The entry's header or the CSV row.
    pub at: At,
    /// `id`.
    pub id: Option<Field<String>>,
    /// True when an `id` key is present, even if its value was unusable (already reported).
    pub id_given: bool,
    /// `acuity`.
    pub acuity: Option<Field<NumberOrName>>,
    /// `factors`.
    pub factors: Vec<Field<String>>,
    /// `needs`.
    pub needs: Vec<Field<String>>,
    /// `assigned`.
    pub assigned: Option<Field<String>>,
    /// `family`.
    pub family: Option<Field<String>>,
    /// `pinned`.
    pub pinned: Option<Field<bool>>,
    /// `avoid`.
    pub avoid: Vec<Field<String>>,
    /// `prefer`.
    pub prefer: Vec<Field<String>>,
    /// The keys of [`CASE_KEYS`] the entry gives (for a CSV row, its non-empty cells), so an
    /// overlay changes only those.
    pub keys: GivenKeys,
}

/// A scenario file as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawScenario {
    /// `name`.
    pub name: Option<Field<String>>,
    /// `model`.
    pub model: Option<Field<String>>,
    /// `cases_csv`.
    pub cases_csv: Option<Field<String>>,
    /// `staff_csv`.
    pub staff_csv: Option<Field<String>>,
    /// `workbook`.
    pub workbook: Option<Field<String>>,
    /// `extends`: the scenario this one changes.
    pub extends: Option<Field<String>>,
    /// `remove_staff`: workers of the extended scenario taken out.
    pub remove_staff: Vec<Field<String>>,
    /// `close_cases`: cases of the extended scenario taken out.
    pub close_cases: Vec<Field<String>>,
    /// `[policy]`.
    pub policy: PolicyOverrides,
    /// `[[staff]]` entries.
    pub staff: Vec<RawStaff>,
    /// `[[case]]` entries.
    pub cases: Vec<RawCase>,
}

/// Which of its kind's known keys ([`STAFF_KEYS`], [`CASE_KEYS`]) an entry gives, as a set of
/// their positions. An unknown key is not kept: it is reported, and the load fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GivenKeys(u16);

impl GivenKeys {
    /// The keys of `known` among `keys`.
    pub fn of<'k>(known: &[&str], keys: impl IntoIterator<Item = &'k str>) -> Self {
        let mut given = GivenKeys::default();
        for key in keys {
            given.insert(known, key);
        }
        given
    }

    /// Adds `key`, if it is one of `known`.
    pub fn insert(&mut self, known: &[&str], key: &str) {
        if let Some(i) = known.iter().position(|k| *k == key) {
            self.0 |= 1 << i;
        }
    }

    /// Whether `key`, one of `known`, is given.
    pub fn gives(self, known: &[&str], key: &str) -> bool {
        known
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// The keys given by either.
    pub fn union(self, other: GivenKeys) -> GivenKeys {
        GivenKeys(self.0 | other.0)
    }
}

/// Keys of a `[[case]]` entry, which the columns of a cases CSV or sheet name: the fields of
/// [`CaseToml`].
pub const CASE_KEYS: &[&str] = CaseToml::KEYS;

/// Keys of a `[[staff]]` entry, which the columns of a staff CSV or sheet name: the fields of
/// [`StaffToml`].
pub const STAFF_KEYS: &[&str] = StaffToml::KEYS;

/// Top-level keys of a scenario file: the fields of [`ScenarioToml`].
pub const SCENARIO_KEYS: &[&str] = ScenarioToml::KEYS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_keys_are_the_known_ones_given() {
        let staff = GivenKeys::of(STAFF_KEYS, ["id", "skills", "neds"]);
        assert!(staff.gives(STAFF_KEYS, "id") && staff.gives(STAFF_KEYS, "skills"));
        assert!(!staff.gives(STAFF_KEYS, "fte") && !staff.gives(STAFF_KEYS, "neds"));
        let mut case = GivenKeys::default();
        case.insert(CASE_KEYS, "prefer");
        let both = case.union(GivenKeys::of(CASE_KEYS, ["id"]));
        assert!(both.gives(CASE_KEYS, "prefer") && both.gives(CASE_KEYS, "id"));
        assert!(!both.gives(CASE_KEYS, "avoid"));
    }
}
