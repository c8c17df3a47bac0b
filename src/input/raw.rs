//! Scenario entries as written, before validation: every value keeps where it came from.
//!
//! TOML entries and CSV rows both become these structs, so one validator checks them alike and
//! its messages point at a TOML line and column or at a CSV row and column name.

use crate::input::diagnostic::{Diagnostic, Location, Snippet, SourceFile};
use crate::input::model_file::PolicyOverrides;
use crate::input::toml_reader::{NumberOrName, Sp};

/// Where a value was written: a location plus, for TOML, the source line to show.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    /// File, line and column.
    pub location: Location,
    /// The line to show under a message.
    pub snippet: Option<Snippet>,
}

impl At {
    /// A TOML byte range.
    pub fn toml(file: &SourceFile, span: &std::ops::Range<usize>) -> Self {
        At {
            location: file.location(span),
            snippet: file.snippet(span),
        }
    }

    /// An error here.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.location.clone(), message).with_snippet(self.snippet.clone())
    }

    /// A warning here.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(self.location.clone(), message).with_snippet(self.snippet.clone())
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

/// A `[[staff]]` entry as written.
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
    /// The keys the entry gives, so an overlay changes only those.
    pub keys: Vec<String>,
}

/// A `[[case]]` entry or CSV row as written.
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
    /// The keys the entry gives (for a CSV row, its non-empty cells), so an overlay changes
    /// only those.
    pub keys: Vec<String>,
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

/// Keys of a `[[case]]` entry, which are also the CSV columns.
pub const CASE_KEYS: &[&str] = &[
    "id", "acuity", "factors", "needs", "assigned", "family", "pinned", "avoid", "prefer",
];

/// Keys of a `[[staff]]` entry.
pub const STAFF_KEYS: &[&str] = &[
    "id",
    "name",
    "fte",
    "capacity",
    "max_cases",
    "skills",
    "available",
];

/// Top-level keys of a scenario file.
pub const SCENARIO_KEYS: &[&str] = &[
    "name",
    "model",
    "cases_csv",
    "extends",
    "remove_staff",
    "close_cases",
    "policy",
    "staff",
    "case",
];
