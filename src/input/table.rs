//! Staff and cases as spreadsheets hold them: a header row naming the keys, then one worker or
//! case a row. CSV files and workbook sheets are read into the same [`Cell`]s, and this module
//! turns them into raw entries by one set of conventions, so that a team reads the same from
//! either: headers matched by [`column_key`] (`Case ID` is `id`), an empty cell is an absent key,
//! list cells split on `;` or `,`, booleans as spreadsheets write them (`TRUE`, `yes`, `1`), and
//! numbers with a decimal comma where the file's conventions say so ([`Numbers`]).

use crate::input::diagnostic::{Diagnostic, Diagnostics};
use crate::input::formats::{column_key, CASE_COLUMN_NAMES, STAFF_COLUMN_NAMES};
use crate::input::limits::shown;
use crate::input::raw::{At, Field, GivenKeys, RawCase, RawStaff, CASE_KEYS, STAFF_KEYS};
use crate::input::suggest::did_you_mean;
use crate::input::toml_reader::NumberOrName;

/// Which entries a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Workers: `[[staff]]` keys.
    Staff,
    /// Cases: `[[case]]` keys.
    Cases,
}

impl TableKind {
    /// The keys its columns name.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            TableKind::Staff => STAFF_KEYS,
            TableKind::Cases => CASE_KEYS,
        }
    }

    /// The keys and their other names as column headers.
    pub fn column_names(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            TableKind::Staff => STAFF_COLUMN_NAMES,
            TableKind::Cases => CASE_COLUMN_NAMES,
        }
    }

    /// "staff" or "cases", as in "a cases CSV".
    pub fn noun(self) -> &'static str {
        match self {
            TableKind::Staff => "staff",
            TableKind::Cases => "cases",
        }
    }

    /// A header row to start from, for a message about a missing one.
    pub fn example_header(self) -> &'static str {
        match self {
            TableKind::Staff => "`id,name,fte,skills`",
            TableKind::Cases => "`id,acuity,needs,assigned`",
        }
    }

    /// The key a column's header names, if any.
    pub fn column_key(self, header: &str) -> Option<&'static str> {
        column_key(self.column_names(), header)
    }

    /// The help for a header that names no key: the closest name, or every key.
    fn unknown_column_help(self, header: &str) -> String {
        let names: Vec<&str> = self
            .column_names()
            .iter()
            .flat_map(|(key, others)| std::iter::once(*key).chain(others.iter().copied()))
            .collect();
        match did_you_mean(header, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the columns may be: {} (other spellings in scenarios/README.md)",
                self.keys().join(", ")
            ),
        }
    }
}

/// How a file writes numbers kept as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// `0.5` only.
    DecimalPoint,
    /// `0,5` or `0.5`: the file is `;`-separated, as spreadsheets save CSV where the comma is
    /// the decimal mark.
    DecimalComma,
}

impl Numbers {
    /// The number `text` writes, if it is one.
    fn parse(self, text: &str) -> Option<f64> {
        match self {
            Numbers::DecimalPoint => text.parse().ok(),
            Numbers::DecimalComma => text
                .parse()
                .ok()
                .or_else(|| text.replacen(',', ".", 1).parse().ok()),
        }
    }

    fn example(self) -> &'static str {
        match self {
            Numbers::DecimalPoint => "0.5",
            Numbers::DecimalComma => "0,5",
        }
    }
}

/// A non-empty cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (every cell of a CSV file).
    Text(String),
    /// A number cell of a workbook.
    Number(f64),
    /// A boolean cell of a workbook.
    Bool(bool),
    /// A date or time cell of a workbook: no key takes one.
    Date,
    /// A formula's error value, such as `#N/A` or `#REF!`.
    Error(String),
}

/// One column of a header row: its name as written (trimmed; empty for a column with no name)
/// and where it stands.
#[derive(Debug, Clone)]
pub struct HeaderCell {
    /// The name as written.
    pub name: String,
    /// The header cell.
    pub at: At,
}

/// The key of each column of `header` (`None` for a column with no name), or `None` when the
/// header cannot be used: a column names no key or the key of another column, or no column
/// names the id. Each problem is reported, at its header cell; one of the whole header at
/// `header_at`, whose help says how the header was read (`read_as`, e.g. "read as
/// `;`-separated").
pub fn header_keys(
    kind: TableKind,
    header: &[HeaderCell],
    header_at: &At,
    read_as: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<Option<&'static str>>> {
    let mut keys: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    let mut usable = true;
    for (i, cell) in header.iter().enumerate() {
        if cell.name.is_empty() {
            keys.push(None);
            continue;
        }
        let key = kind.column_key(&cell.name);
        match key {
            Some(key) if keys.contains(&Some(key)) => {
                usable = false;
                let first = &header[keys.iter().position(|k| *k == Some(key)).unwrap_or(i)];
                diags.push(
                    cell.at
                        .error(format!(
                            "column `{}` gives `{key}`, as column `{}` does",
                            cell.name, first.name
                        ))
                        .with_help("keep one column per key"),
                );
                keys.push(None);
            }
            Some(key) => keys.push(Some(key)),
            None => {
                usable = false;
                diags.push(
                    cell.at
                        .error(format!("unknown column `{}` in the header", cell.name))
                        .with_help(kind.unknown_column_help(&cell.name)),
                );
                keys.push(None);
            }
        }
    }
    if !keys.contains(&Some("id")) {
        usable = false;
        diags.push(missing_id(kind, header, header_at, read_as));
    }
    usable.then_some(keys)
}

/// The problem of a header with no id column, saying how it was read and what it holds.
fn missing_id(kind: TableKind, header: &[HeaderCell], at: &At, read_as: &str) -> Diagnostic {
    let ids = kind
        .column_names()
        .iter()
        .find(|(key, _)| *key == "id")
        .map(|(_, others)| others.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>())
        .unwrap_or_default();
    let seen: Vec<String> = header
        .iter()
        .filter(|c| !c.name.is_empty())
        .map(|c| format!("`{}`", c.name))
        .collect();
    let seen = if seen.is_empty() {
        "no names".to_string()
    } else {
        seen.join(", ")
    };
    at.error("the header has no `id` column").with_help(format!(
        "the header, {read_as}, has {seen}; add a column `id` (or {}): every {} entry needs a unique id",
        ids.join(", "),
        match kind {
            TableKind::Staff => "staff",
            TableKind::Cases => "case",
        }
    ))
}

/// A non-empty cell under a column that names a key.
#[derive(Debug, Clone)]
pub struct KeyCell {
    /// The key its column names.
    pub key: &'static str,
    /// Its value.
    pub value: Cell,
    /// Where it stands.
    pub at: At,
}

/// A row of a staff table as a worker.
pub fn staff_row(
    at: At,
    cells: impl IntoIterator<Item = KeyCell>,
    numbers: Numbers,
    diags: &mut Diagnostics,
) -> RawStaff {
    let mut staff = RawStaff {
        at,
        id: None,
        id_given: false,
        name: None,
        fte: None,
        capacity: None,
        max_cases: None,
        skills: Vec::new(),
        available: None,
        keys: GivenKeys::default(),
    };
    for cell in cells {
        staff.keys.insert(STAFF_KEYS, cell.key);
        let read = CellReader {
            cell: &cell,
            numbers,
        };
        match cell.key {
            "id" => {
                staff.id_given = true;
                staff.id = read.text(diags);
            }
            "name" => staff.name = read.text(diags),
            "fte" => staff.fte = read.number(diags),
            "capacity" => staff.capacity = read.number(diags),
            "max_cases" => staff.max_cases = read.number(diags),
            "skills" => staff.skills = read.list(diags),
            "available" => staff.available = read.boolean(diags),
            _ => unreachable!("all staff keys handled"),
        }
    }
    staff
}

/// A row of a cases table as a case.
pub fn case_row(
    at: At,
    cells: impl IntoIterator<Item = KeyCell>,
    numbers: Numbers,
    diags: &mut Diagnostics,
) -> RawCase {
    let mut case = RawCase {
        at,
        id: None,
        id_given: false,
        acuity: None,
        factors: Vec::new(),
        needs: Vec::new(),
        assigned: None,
        family: None,
        pinned: None,
        avoid: Vec::new(),
        prefer: Vec::new(),
        keys: GivenKeys::default(),
    };
    for cell in cells {
        case.keys.insert(CASE_KEYS, cell.key);
        let read = CellReader {
            cell: &cell,
            numbers,
        };
        match cell.key {
            "id" => {
                case.id_given = true;
                case.id = read.text(diags);
            }
            "acuity" => case.acuity = read.number_or_name(diags),
            "factors" => case.factors = read.list(diags),
            "needs" => case.needs = read.list(diags),
            "assigned" => case.assigned = read.text(diags),
            "family" => case.family = read.text(diags),
            "pinned" => case.pinned = read.boolean(diags),
            "avoid" => case.avoid = read.list(diags),
            "prefer" => case.prefer = read.list(diags),
            _ => unreachable!("all case keys handled"),
        }
    }
    case
}

/// A cell read as the type of its key; a value of another type is reported at the cell.
struct CellReader<'c> {
    cell: &'c KeyCell,
    numbers: Numbers,
}

impl CellReader<'_> {
    fn field<T>(&self, value: T) -> Option<Field<T>> {
        Some(Field {
            value,
            at: self.cell.at.clone(),
        })
    }

    /// Reports that the cell is not of the type `expected`, with what to write instead.
    fn wrong<T>(&self, expected: &str, help: String, diags: &mut Diagnostics) -> Option<T> {
        let key = self.cell.key;
        let (message, help) = match &self.cell.value {
            Cell::Text(text) => (format!("`{key}` is \"{text}\", which is not {expected}"), help),
            Cell::Number(n) => (format!("`{key}` is the number {}, not {expected}", shown(*n)), help),
            Cell::Bool(b) => (
                format!("`{key}` is the boolean {}, not {expected}", if *b { "TRUE" } else { "FALSE" }),
                help,
            ),
            Cell::Date => (
                format!("`{key}` is a date or time, not {expected}"),
                "format the cell as text or as a number and type the value again (a spreadsheet may turn a value such as 3-12 into a date)".to_string(),
            ),
            Cell::Error(error) => (
                format!("`{key}` is the error {error}, not {expected}"),
                "fix the formula that gives the error, or type the value in its place".to_string(),
            ),
        };
        diags.push(self.cell.at.error(message).with_help(help));
        None
    }

    /// The cell as text: a number cell as written (`1001`, not `1001.0`).
    fn text_value(&self) -> Option<String> {
        match &self.cell.value {
            Cell::Text(text) => Some(text.clone()),
            Cell::Number(n) => Some(number_text(*n)),
            Cell::Bool(_) | Cell::Date | Cell::Error(_) => None,
        }
    }

    fn text(&self, diags: &mut Diagnostics) -> Option<Field<String>> {
        match self.text_value() {
            Some(text) => self.field(text),
            None => self.wrong("text", "write the value as text".into(), diags),
        }
    }

    /// A list cell: items separated by `;` or `,` (`spanish, youth` is two).
    fn list(&self, diags: &mut Diagnostics) -> Vec<Field<String>> {
        let Some(text) = self.text_value() else {
            return self
                .wrong(
                    "a list",
                    "write the items separated by `;` or `,`".into(),
                    diags,
                )
                .unwrap_or_default();
        };
        text.split([';', ','])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| Field {
                value: item.to_string(),
                at: self.cell.at.clone(),
            })
            .collect()
    }

    fn number(&self, diags: &mut Diagnostics) -> Option<Field<f64>> {
        let number = match &self.cell.value {
            Cell::Number(n) => Some(*n),
            Cell::Text(text) => self.numbers.parse(text),
            Cell::Bool(_) | Cell::Date | Cell::Error(_) => None,
        };
        match number {
            Some(n) => self.field(n),
            None => self.wrong(
                "a number",
                format!("write a number such as {}", self.numbers.example()),
                diags,
            ),
        }
    }

    /// `acuity`: a number when the cell is one or parses as one, else a level's name.
    fn number_or_name(&self, diags: &mut Diagnostics) -> Option<Field<NumberOrName>> {
        let value = match &self.cell.value {
            Cell::Number(n) => NumberOrName::Number(*n),
            Cell::Text(text) => match self.numbers.parse(text) {
                Some(n) => NumberOrName::Number(n),
                None => NumberOrName::Name(text.clone()),
            },
            Cell::Bool(_) | Cell::Date | Cell::Error(_) => {
                return self.wrong(
                    "a level or a number",
                    "write a level of the model (such as high) or a number of points".into(),
                    diags,
                );
            }
        };
        self.field(value)
    }

    /// `TRUE`/`FALSE` in any case, `yes`/`no`, `1`/`0`, or a boolean cell.
    fn boolean(&self, diags: &mut Diagnostics) -> Option<Field<bool>> {
        let value = match &self.cell.value {
            Cell::Bool(b) => Some(*b),
            Cell::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
            Cell::Text(text) => match text.to_lowercase().as_str() {
                "true" | "yes" | "1" => Some(true),
                "false" | "no" | "0" => Some(false),
                _ => None,
            },
            Cell::Number(_) | Cell::Date | Cell::Error(_) => None,
        };
        match value {
            Some(b) => self.field(b),
            None => self.wrong(
                "true or false",
                "write TRUE or FALSE (or yes or no), or leave the cell empty".into(),
                diags,
            ),
        }
    }
}

/// A number cell as text: whole numbers without a decimal point, as a spreadsheet shows them.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::diagnostic::SourceFile;

    fn cells(file: &SourceFile, values: &[(&'static str, Cell)]) -> Vec<KeyCell> {
        values
            .iter()
            .enumerate()
            .map(|(i, (key, value))| KeyCell {
                key,
                value: value.clone(),
                at: At::sheet_cell(file, 0, 2, Some(i + 1)),
            })
            .collect()
    }

    fn workbook() -> SourceFile {
        SourceFile::workbook("t.xlsx".into(), vec!["Cases".into()])
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn list_cells_split_on_semicolons_and_commas() {
        let file = workbook();
        let mut diags = Diagnostics::new();
        let at = At::sheet_cell(&file, 0, 2, None);
        let row = cells(
            &file,
            &[
                ("id", Cell::Number(1001.0)),
                ("needs", text("spanish, youth")),
                ("avoid", text("tom; kevin;")),
                ("prefer", text("priya")),
            ],
        );
        let case = case_row(at, row, Numbers::DecimalPoint, &mut diags);
        assert!(diags.is_empty());
        let values = |l: &[Field<String>]| l.iter().map(|f| f.value.clone()).collect::<Vec<_>>();
        assert_eq!(case.id.map(|f| f.value).as_deref(), Some("1001"));
        assert_eq!(values(&case.needs), ["spanish", "youth"]);
        assert_eq!(values(&case.avoid), ["tom", "kevin"]);
        assert_eq!(values(&case.prefer), ["priya"]);
        assert!(case.id_given && case.keys.gives(CASE_KEYS, "avoid"));
        assert!(!case.keys.gives(CASE_KEYS, "acuity"));
    }

    #[test]
    fn booleans_are_read_as_spreadsheets_write_them() {
        let file = workbook();
        for (cell, expected) in [
            (text("TRUE"), Some(true)),
            (text("False"), Some(false)),
            (text("yes"), Some(true)),
            (text("NO"), Some(false)),
            (text("1"), Some(true)),
            (Cell::Number(0.0), Some(false)),
            (Cell::Bool(true), Some(true)),
            (text("maybe"), None),
            (Cell::Number(2.0), None),
        ] {
            let mut diags = Diagnostics::new();
            let row = cells(&file, &[("pinned", cell.clone())]);
            let case = case_row(
                At::sheet_cell(&file, 0, 2, None),
                row,
                Numbers::DecimalPoint,
                &mut diags,
            );
            assert_eq!(case.pinned.map(|f| f.value), expected, "{cell:?}");
            assert_eq!(diags.has_errors(), expected.is_none(), "{cell:?}");
        }
    }

    #[test]
    fn a_decimal_comma_is_read_only_where_the_file_uses_one() {
        let file = workbook();
        let read = |cell: Cell, numbers| {
            let mut diags = Diagnostics::new();
            let row = cells(&file, &[("fte", cell), ("capacity", text("32"))]);
            let staff = staff_row(At::sheet_cell(&file, 0, 2, None), row, numbers, &mut diags);
            let messages: Vec<String> = diags.iter().map(ToString::to_string).collect();
            (staff.fte.map(|f| f.value), messages)
        };
        assert_eq!(
            read(text("0,5"), Numbers::DecimalComma),
            (Some(0.5), vec![])
        );
        assert_eq!(
            read(text("0.5"), Numbers::DecimalComma),
            (Some(0.5), vec![])
        );
        assert_eq!(
            read(Cell::Number(0.75), Numbers::DecimalPoint),
            (Some(0.75), vec![])
        );
        let (fte, messages) = read(text("0,5"), Numbers::DecimalPoint);
        assert_eq!(fte, None);
        assert_eq!(
            messages,
            ["error: t.xlsx: Cases!A2: `fte` is \"0,5\", which is not a number\n  = help: write a number such as 0.5"]
        );
    }

    #[test]
    fn acuity_is_a_number_when_it_reads_as_one_else_a_level() {
        let file = workbook();
        for (cell, numbers, expected) in [
            (
                text("2,5"),
                Numbers::DecimalComma,
                NumberOrName::Number(2.5),
            ),
            (
                text("2,5"),
                Numbers::DecimalPoint,
                NumberOrName::Name("2,5".into()),
            ),
            (
                Cell::Number(3.0),
                Numbers::DecimalPoint,
                NumberOrName::Number(3.0),
            ),
            (
                text("high"),
                Numbers::DecimalComma,
                NumberOrName::Name("high".into()),
            ),
        ] {
            let mut diags = Diagnostics::new();
            let row = cells(&file, &[("acuity", cell)]);
            let case = case_row(At::sheet_cell(&file, 0, 2, None), row, numbers, &mut diags);
            assert_eq!(case.acuity.map(|f| f.value), Some(expected));
        }
    }

    #[test]
    fn error_and_date_cells_are_located_errors() {
        let file = workbook();
        let mut diags = Diagnostics::new();
        let row = cells(
            &file,
            &[
                ("id", text("C-1")),
                ("acuity", Cell::Error("#N/A".into())),
                ("family", Cell::Date),
                ("needs", Cell::Error("#REF!".into())),
            ],
        );
        let case = case_row(
            At::sheet_cell(&file, 0, 2, None),
            row,
            Numbers::DecimalPoint,
            &mut diags,
        );
        assert!(case.acuity.is_none() && case.family.is_none() && case.needs.is_empty());
        let messages: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            messages[0].starts_with("error: t.xlsx: Cases!B2: `acuity` is the error #N/A"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("error: t.xlsx: Cases!C2: `family` is a date or time"),
            "{messages:?}"
        );
        assert!(
            messages[2].starts_with("error: t.xlsx: Cases!D2: `needs` is the error #REF!"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_header_without_an_id_says_how_it_was_read_and_what_it_holds() {
        let file = SourceFile::new("c.csv".into(), "x".into());
        let header: Vec<HeaderCell> = ["Acuity", "Worker"]
            .iter()
            .enumerate()
            .map(|(i, name)| HeaderCell {
                name: name.to_string(),
                at: At::csv_cell(&file, 1, i),
            })
            .collect();
        let mut diags = Diagnostics::new();
        let keys = header_keys(
            TableKind::Cases,
            &header,
            &At::csv_row(&file, 1),
            "read as `,`-separated",
            &mut diags,
        );
        assert_eq!(keys, None);
        let text = diags.iter().next().unwrap().to_string();
        assert!(text.contains("the header has no `id` column"), "{text}");
        assert!(
            text.contains("read as `,`-separated, has `Acuity`, `Worker`"),
            "{text}"
        );
        assert!(text.contains("`Case ID`"), "{text}");
    }

    #[test]
    fn unknown_and_repeated_columns_are_reported_with_a_suggestion() {
        let file = SourceFile::new("c.csv".into(), "x".into());
        let names = ["Case ID", "Acuty", "Level", "Skill required"];
        file.set_header(names.iter().map(ToString::to_string).collect());
        let header: Vec<HeaderCell> = names
            .iter()
            .enumerate()
            .map(|(i, name)| HeaderCell {
                name: name.to_string(),
                at: At::csv_cell(&file, 1, i),
            })
            .collect();
        let mut diags = Diagnostics::new();
        let keys = header_keys(
            TableKind::Cases,
            &header,
            &At::csv_row(&file, 1),
            "",
            &mut diags,
        );
        assert_eq!(keys, None);
        let messages: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "error: c.csv:1: column `Acuty`: unknown column `Acuty` in the header\n  = help: did you mean `acuity`?",
                "error: c.csv:1: column `Skill required`: unknown column `Skill required` in the header\n  = help: did you mean `Skills required`?",
            ]
        );
        let header = &header[..3];
        let mut diags = Diagnostics::new();
        let mut renamed = header.to_vec();
        renamed[1].name = "Acuity".into();
        assert_eq!(
            header_keys(
                TableKind::Cases,
                &renamed,
                &At::csv_row(&file, 1),
                "",
                &mut diags
            ),
            None
        );
        let text = diags.iter().next().unwrap().to_string();
        assert!(
            text.contains("column `Level` gives `acuity`, as column `Acuity` does"),
            "{text}"
        );
    }
}
