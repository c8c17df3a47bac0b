//! Staff and cases as CSV files, as spreadsheets and case-management systems export them, one
//! worker or case a row.
//!
//! The delimiter is `,`, `;` or a tab, whichever the header line uses most (outside quotes);
//! spreadsheets save `;`-separated CSV where the comma is the decimal mark, so there numbers may
//! have a decimal comma (`0,5`). UTF-8 with or without a byte order mark, lines ending in LF or
//! CRLF, RFC 4180 quoting. The header and the cells follow the conventions of [`table`]
//! (`Case ID` is `id`, lists split on `;` or `,`, `TRUE`/`FALSE`). Problems name the physical line
//! (header = line 1) and the column, as a spreadsheet user would look for them.

use crate::input::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::input::raw::{At, RawCase, RawStaff};
use crate::input::table::{
    case_row, header_keys, staff_row, Cell, HeaderCell, KeyCell, Numbers, TableKind,
};

/// Reads every row of a cases CSV; problems go to `diags`.
pub fn read_cases_csv(file: &SourceFile, diags: &mut Diagnostics) -> Vec<RawCase> {
    read_rows(file, TableKind::Cases, diags)
        .into_iter()
        .map(|row| case_row(row.at, row.cells, row.numbers, diags))
        .collect()
}

/// Reads every row of a staff CSV; problems go to `diags`.
pub fn read_staff_csv(file: &SourceFile, diags: &mut Diagnostics) -> Vec<RawStaff> {
    read_rows(file, TableKind::Staff, diags)
        .into_iter()
        .map(|row| staff_row(row.at, row.cells, row.numbers, diags))
        .collect()
}

/// One row of a CSV file, its non-empty cells under the keys their columns name.
struct Row {
    at: At,
    cells: Vec<KeyCell>,
    numbers: Numbers,
}

/// The delimiter of a CSV file: the one of `,`, `;` and tab its header line uses most outside
/// quotes (`,` when it uses none, or on a tie with it).
pub fn delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

/// How a message names a delimiter.
fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "`;`-separated",
        b'\t' => "tab-separated",
        _ => "`,`-separated",
    }
}

/// The rows of a CSV file of `kind`, none when its header cannot be used.
fn read_rows(file: &SourceFile, kind: TableKind, diags: &mut Diagnostics) -> Vec<Row> {
    let delimiter = delimiter(file.text());
    let numbers = match delimiter {
        b';' => Numbers::DecimalComma,
        _ => Numbers::DecimalPoint,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(file.text().as_bytes());
    let mut records = reader.records();
    let Some(columns) = read_header(file, kind, delimiter, records.next(), diags) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for record in records {
        match record {
            Ok(record) => rows.extend(read_row(file, &record, &columns, numbers, diags)),
            Err(e) => diags.push(csv_error(file, &e)),
        }
    }
    rows
}

/// The key of each column, from the first row; `None` when the header is missing or unusable
/// (the rows are not read then: their cells could not be told apart).
fn read_header(
    file: &SourceFile,
    kind: TableKind,
    delimiter: u8,
    first: Option<Result<csv::StringRecord, csv::Error>>,
    diags: &mut Diagnostics,
) -> Option<Vec<Option<&'static str>>> {
    let header = match first {
        None => {
            diags.push(
                Diagnostic::error(
                    Location::file(file.path()),
                    format!("the {} CSV file is empty", kind.noun()),
                )
                .with_help(start_with_a_header(kind)),
            );
            return None;
        }
        Some(Err(e)) => {
            diags.push(csv_error(file, &e));
            return None;
        }
        Some(Ok(h)) => h,
    };
    let names: Vec<String> = header.iter().map(|name| name.trim().to_string()).collect();
    if !file.lines_quotable() && !names.iter().any(|name| kind.column_key(name).is_some()) {
        // Nothing here reads as such a CSV: say so without quoting what it holds.
        diags.push(
            Diagnostic::error(
                Location::file(file.path()),
                format!(
                    "this does not look like a {} CSV: its first row names none of the known columns",
                    kind.noun()
                ),
            )
            .with_help(start_with_a_header(kind)),
        );
        return None;
    }
    file.quote_lines();
    file.set_header(names.clone());
    let mut usable = true;
    for (i, _) in names.iter().enumerate().filter(|(_, n)| n.is_empty()) {
        usable = false;
        diags.push(
            Diagnostic::error(
                Location::at(file.path(), 1, i + 1),
                format!("the header's column {} has no name", i + 1),
            )
            .with_help(format!(
                "name it, or remove the column; the columns may be: {}",
                kind.keys().join(", ")
            )),
        );
    }
    let cells: Vec<HeaderCell> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| HeaderCell {
            name,
            at: At::csv_cell(file, 1, i),
        })
        .collect();
    let read_as = format!("read as {}", delimiter_name(delimiter));
    let keys = header_keys(kind, &cells, &At::csv_row(file, 1), &read_as, diags);
    keys.filter(|_| usable)
}

fn start_with_a_header(kind: TableKind) -> String {
    format!(
        "start with a header row naming the columns, e.g. {}; known columns: {}",
        kind.example_header(),
        kind.keys().join(", ")
    )
}

/// One row's non-empty cells; `None` for a blank row or one whose cells do not match the header.
fn read_row(
    file: &SourceFile,
    record: &csv::StringRecord,
    columns: &[Option<&'static str>],
    numbers: Numbers,
    diags: &mut Diagnostics,
) -> Option<Row> {
    let line = record.position().map_or(0, |p| physical_line(file, p));
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return None; // a blank line, common at the end of exports
    }
    if record.len() != columns.len() {
        diags.push(
            At::csv_row(file, line)
                .error(format!(
                    "this row has {} cells but the header has {} columns",
                    record.len(),
                    columns.len()
                ))
                .with_help(
                "check for a missing or extra delimiter, or a cell with one that needs \"quotes\"",
            ),
        );
        return None;
    }
    let cells = record
        .iter()
        .zip(columns)
        .enumerate()
        .filter(|(_, (cell, _))| !cell.trim().is_empty())
        .map(|(i, (cell, key))| KeyCell {
            key: key.expect("header checked"),
            value: Cell::Text(cell.trim().to_string()),
            at: At::csv_cell(file, line, i),
        })
        .collect();
    Some(Row {
        at: At::csv_row(file, line),
        cells,
        numbers,
    })
}

/// The line a record starts on. The reader's own line count is one short after a CRLF line end
/// (its record starts at the `\n`), so the line is found from the byte offset, past line ends.
fn physical_line(file: &SourceFile, position: &csv::Position) -> usize {
    let text = file.text().as_bytes();
    let mut offset = usize::try_from(position.byte())
        .unwrap_or(usize::MAX)
        .min(text.len());
    while offset < text.len() && matches!(text[offset], b'\r' | b'\n') {
        offset += 1;
    }
    file.line_column(offset).0
}

fn csv_error(file: &SourceFile, error: &csv::Error) -> Diagnostic {
    let line = error.position().map(|p| physical_line(file, p));
    Diagnostic::error(
        Location {
            line,
            ..Location::file(file.path())
        },
        format!("this line is not valid CSV: {error}"),
    )
    .with_help("check the quoting: a cell with a delimiter, a quote or a line break must be in \"double quotes\", with inner quotes doubled")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_cases(text: &str) -> (Vec<RawCase>, Vec<String>) {
        let file = SourceFile::new("c.csv".into(), text.into());
        let mut diags = Diagnostics::new();
        let cases = read_cases_csv(&file, &mut diags);
        (cases, diags.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn the_delimiter_is_the_one_the_header_uses_outside_quotes() {
        assert_eq!(delimiter("id,acuity\n1;2;3;4\n"), b',');
        assert_eq!(delimiter("id;acuity;needs\n"), b';');
        assert_eq!(delimiter("id\tacuity\n"), b'\t');
        assert_eq!(delimiter("\"a;b;c\",id\n"), b',');
        assert_eq!(delimiter("\"x,y\";id\r\n"), b';');
        assert_eq!(delimiter("id\n"), b',');
        assert_eq!(delimiter("id;x,y\n"), b',');
    }

    #[test]
    fn a_semicolon_file_from_a_spreadsheet_is_read() {
        let text = "\u{feff}Case ID;Acuity;Skills required;Worker;Pinned\r\n\
                    C-1;2,5;\"spanish, youth\";ana;TRUE\r\n\
                    C-2;high;;;\r\n\r\n";
        let (cases, messages) = read_cases(text);
        assert_eq!(messages, Vec::<String>::new());
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[0].acuity.as_ref().map(|f| &f.value),
            Some(&crate::input::toml_reader::NumberOrName::Number(2.5))
        );
        let needs: Vec<&str> = cases[0].needs.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(needs, ["spanish", "youth"]);
        assert_eq!(cases[0].pinned.as_ref().map(|f| f.value), Some(true));
        assert_eq!(
            cases[0].assigned.as_ref().map(|f| f.value.as_str()),
            Some("ana")
        );
        assert!(cases[1].assigned.is_none() && cases[1].pinned.is_none());
        // A cell's location names its column as the header writes it.
        let at = cases[0].pinned.as_ref().unwrap().at.location().to_string();
        assert_eq!(at, "c.csv:2: column `Pinned`");
    }

    #[test]
    fn rows_are_located_on_their_physical_line_whatever_the_line_ends() {
        for text in [
            "id,pinned\nC-1,x\n\nC-2,y\n",
            "id,pinned\r\nC-1,x\r\n\r\nC-2,y\r\n",
        ] {
            let (_, messages) = read_cases(text);
            let lines: Vec<&str> = messages
                .iter()
                .map(|m| &m[..m.find(": `").unwrap()])
                .collect();
            assert_eq!(
                lines,
                [
                    "error: c.csv:2: column `pinned`",
                    "error: c.csv:4: column `pinned`"
                ],
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_header_with_no_id_says_which_delimiter_was_read() {
        let (_, messages) = read_cases("Acuity|Worker\nhigh|ana\n");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("read as `,`-separated, has `Acuity|Worker`")),
            "{messages:?}"
        );
    }

    #[test]
    fn staff_rows_are_read_with_the_same_conventions() {
        let file = SourceFile::new(
            "s.csv".into(),
            "Staff ID\tName\tFTE\tMax cases\tSkills\tAvailable\n\
             ana\tAna Ruiz\t0.5\t12\tspanish;youth\tfalse\n\
             bo\t\t1\t\t\tyes\n"
                .into(),
        );
        let mut diags = Diagnostics::new();
        let staff = read_staff_csv(&file, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(staff.len(), 2);
        assert_eq!(staff[0].fte.as_ref().map(|f| f.value), Some(0.5));
        assert_eq!(staff[0].max_cases.as_ref().map(|f| f.value), Some(12.0));
        assert_eq!(staff[0].skills.len(), 2);
        assert_eq!(staff[0].available.as_ref().map(|f| f.value), Some(false));
        assert!(staff[1].name.is_none() && staff[1].skills.is_empty());
        assert_eq!(staff[1].available.as_ref().map(|f| f.value), Some(true));
    }
}
