//! Cases exported from a case-management system as CSV, one case per row.
//!
//! The header names `[[case]]` keys; an empty cell means the key is absent; list cells split on
//! `;`. Problems name the physical line (header = line 1) and the column, as a spreadsheet user
//! would look for them.

use std::sync::Arc;

use crate::input::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::input::raw::{At, Field, GivenKeys, RawCase, CASE_KEYS};
use crate::input::suggest::did_you_mean;
use crate::input::toml_reader::NumberOrName;

/// The delimiter of a cases CSV's text: `,`. What reads the file and what writes it anew
/// (`apply`) both ask here.
pub fn delimiter(_text: &str) -> u8 {
    b','
}

/// Reads every row of a cases CSV; problems go to `diags`.
pub fn read_cases_csv(file: &SourceFile, diags: &mut Diagnostics) -> Vec<RawCase> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(file.text()))
        .from_reader(file.text().as_bytes());
    let mut records = reader.records();
    let Some(columns) = read_header(file, records.next(), diags) else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(file, &e));
                continue;
            }
        };
        if let Some(case) = read_row(file, &record, &columns, diags) {
            cases.push(case);
        }
    }
    cases
}

/// The key of each column, from the first row; `None` when the header is missing or unusable
/// (the rows are not read then: their cells could not be told apart).
fn read_header(
    file: &SourceFile,
    first: Option<Result<csv::StringRecord, csv::Error>>,
    diags: &mut Diagnostics,
) -> Option<Vec<Option<&'static str>>> {
    let header = match first {
        None => {
            diags.push(
                Diagnostic::error(Location::file(file.path()), "the cases CSV file is empty")
                    .with_help(format!(
                        "start with a header row naming the columns, e.g. `id,acuity,needs,assigned`; known columns: {}",
                        CASE_KEYS.join(", ")
                    )),
            );
            return None;
        }
        Some(Err(e)) => {
            diags.push(csv_error(file, &e));
            return None;
        }
        Some(Ok(h)) => h,
    };
    let (columns, mut header_ok) = column_keys(file, &header, diags);
    if !file.lines_quotable() {
        return None; // not a cases CSV at all, already reported
    }
    if !columns.contains(&Some("id")) {
        header_ok = false;
        diags.push(
            Diagnostic::error(
                Location::at(file.path(), 1, 1),
                "the header has no `id` column",
            )
            .with_help("add an `id` column: every case needs a unique id"),
        );
    }
    header_ok.then_some(columns)
}

/// Maps each column to a key, reporting unknown and repeated columns; the flag is false after
/// such a report.
fn column_keys(
    file: &SourceFile,
    header: &csv::StringRecord,
    diags: &mut Diagnostics,
) -> (Vec<Option<&'static str>>, bool) {
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut header_ok = true;
    if !header.iter().any(|name| CASE_KEYS.contains(&name.trim())) && !file.lines_quotable() {
        // Nothing here reads as a cases CSV: say so without quoting what it holds.
        diags.push(
            Diagnostic::error(
                Location::file(file.path()),
                "this does not look like a cases CSV: its first row names none of the known columns",
            )
            .with_help(format!(
                "start with a header row naming the columns, e.g. `id,acuity,needs,assigned`; known columns: {}",
                CASE_KEYS.join(", ")
            )),
        );
        return (vec![None; header.len()], false);
    }
    file.quote_lines();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let at = if name.is_empty() {
            // A header cell left empty: named by its position.
            Location::at(file.path(), 1, i + 1)
        } else {
            Location::csv_cell(file.path(), 1, name)
        };
        match CASE_KEYS.iter().find(|k| **k == name) {
            Some(key) if columns.contains(&Some(*key)) => {
                header_ok = false;
                diags.push(
                    Diagnostic::error(at, format!("column `{key}` appears twice in the header"))
                        .with_help("keep one column per key"),
                );
                columns.push(None);
            }
            Some(key) => columns.push(Some(key)),
            None => {
                header_ok = false;
                let shown = if name.is_empty() {
                    format!("column {} has no name", i + 1)
                } else {
                    format!("`{name}`")
                };
                let help = match did_you_mean(name, CASE_KEYS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the columns may be: {}", CASE_KEYS.join(", ")),
                };
                let message = if name.is_empty() {
                    format!("the header's {shown}")
                } else {
                    format!("unknown column {shown} in the header")
                };
                diags.push(Diagnostic::error(at, message).with_help(help));
                columns.push(None);
            }
        }
    }
    (columns, header_ok)
}

/// One row as a case; `None` for a blank row or one whose cells do not match the header.
fn read_row(
    file: &SourceFile,
    record: &csv::StringRecord,
    columns: &[Option<&'static str>],
    diags: &mut Diagnostics,
) -> Option<RawCase> {
    let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
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
                "check for a missing or extra comma, or a cell with a comma that needs \"quotes\"",
            ),
        );
        return None;
    }
    let mut case = RawCase {
        at: At::csv_row(file, line),
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
    for (cell, key) in record.iter().zip(columns) {
        let key = key.expect("header checked");
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        case.keys.insert(CASE_KEYS, key);
        let at = At::csv_cell(file, line, key);
        read_cell(&mut case, key, cell, at, diags);
    }
    Some(case)
}

/// Sets the key of `case` that a non-empty cell gives.
fn read_cell(case: &mut RawCase, key: &str, cell: &str, at: At, diags: &mut Diagnostics) {
    let text = |v: &str| Field {
        value: v.to_string(),
        at: at.clone(),
    };
    let list = |v: &str| -> Vec<Field<String>> {
        v.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Field {
                value: s.to_string(),
                at: at.clone(),
            })
            .collect()
    };
    match key {
        "id" => case.id = Some(text(cell)),
        "acuity" => {
            let value = match cell.parse::<f64>() {
                Ok(n) => NumberOrName::Number(n),
                Err(_) => NumberOrName::Name(cell.to_string()),
            };
            case.acuity = Some(Field { value, at });
        }
        "factors" => case.factors = list(cell),
        "needs" => case.needs = list(cell),
        "assigned" => case.assigned = Some(text(cell)),
        "family" => case.family = Some(text(cell)),
        "pinned" => match cell.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => case.pinned = Some(Field { value: true, at }),
            "false" | "no" | "0" => case.pinned = Some(Field { value: false, at }),
            _ => diags.push(
                at.error(format!(
                    "`pinned` is \"{cell}\", which is not true or false"
                ))
                .with_help("write true, false, or leave the cell empty"),
            ),
        },
        "avoid" => case.avoid = list(cell),
        "prefer" => case.prefer = list(cell),
        _ => unreachable!("all case keys handled"),
    }
}

fn csv_error(file: &SourceFile, error: &csv::Error) -> Diagnostic {
    let line = error.position().map(|p| p.line() as usize);
    Diagnostic::error(
        Location {
            file: Arc::clone(file.path()),
            line,
            column: None,
        },
        format!("this line is not valid CSV: {error}"),
    )
    .with_help("check the quoting: a cell with a comma, a quote or a line break must be in \"double quotes\", with inner quotes doubled")
}
