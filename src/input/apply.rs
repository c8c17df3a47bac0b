//! `caseload apply`: next week's scenario from this week's decision.
//!
//! Rewrites the scenario's `assigned` holders from a proposal's `assignments`, keeping every
//! comment and the layout of the file (via `toml_edit`), its byte order mark and line ends.
//! Cases kept in a CSV file get a new CSV beside the new scenario, written as the original was
//! (see `rewrite_csv`); a team kept in a workbook gets a new workbook beside it, its `Staff` and
//! `Cases` sheets as they were but for the holders ([`workbook_with_holders`]). Other paths the
//! scenario names (`model`, `staff_csv`) are rewritten so they still point at the same files
//! from the new location. Nothing is written here: the caller writes the returned files.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;
use toml_edit::{value, DocumentMut, Item};

use crate::domain::Scenario;
use crate::input::csv_file::delimiter;
use crate::input::table::TableKind;
use crate::input::team_workbook::workbook_with_holders;

/// The files of the applied scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedScenario {
    /// The new scenario file's text.
    pub scenario_toml: String,
    /// The new cases CSV (path, text), when the scenario keeps cases in CSV.
    pub cases_csv: Option<(PathBuf, String)>,
    /// The new workbook, when the scenario keeps its team in one.
    pub workbook: Option<AppliedWorkbook>,
    /// Cases whose holder changed.
    pub changed: usize,
}

/// The workbook of the applied scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedWorkbook {
    /// Where it goes: beside the new scenario, named after it.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// The sheets of the scenario's workbook that it does not carry over (all but `Staff` and
    /// `Cases`).
    pub left_out: Vec<String>,
}

/// Why a proposal cannot be applied.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ApplyError {
    /// The proposal file is not JSON of the expected shape.
    #[error("{path}: {message}")]
    BadProposal {
        /// The proposal file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The proposal does not fit the scenario.
    #[error("{path}: {message}")]
    Mismatch {
        /// The proposal file.
        path: PathBuf,
        /// What does not fit.
        message: String,
    },
    /// The scenario's files could not be re-read for editing.
    #[error("{path}: {message}")]
    Source {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Reads the `assignments` of a proposal JSON: case id → staff id.
pub fn read_assignments(path: &Path, text: &str) -> Result<BTreeMap<String, String>, ApplyError> {
    let bad = |message: String| ApplyError::BadProposal {
        path: path.to_path_buf(),
        message,
    };
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "line {} column {}: not valid JSON ({e}); pass the file written by `caseload rebalance --format json`",
            e.line(),
            e.column()
        ))
    })?;
    if let Some(status @ ("infeasible" | "unknown")) = json.get("status").and_then(|s| s.as_str()) {
        return Err(bad(format!(
            "the proposal's status is {status}: it holds no assignment to apply"
        )));
    }
    let assignments = json
        .get("assignments")
        .and_then(|a| a.as_object())
        .ok_or_else(|| bad("no `assignments` object; pass the JSON written by `caseload rebalance --format json`".into()))?;
    let mut out = BTreeMap::new();
    for (case, staff) in assignments {
        let staff = staff.as_str().ok_or_else(|| {
            bad(format!(
                "the assignment of case `{case}` is not a staff id string"
            ))
        })?;
        out.insert(case.clone(), staff.to_string());
    }
    Ok(out)
}

/// Applies assignments to a scenario. `new_path` is where the new scenario will be written.
pub fn apply_assignments(
    scenario: &Scenario,
    proposal_path: &Path,
    assignments: &BTreeMap<String, String>,
    new_path: &Path,
) -> Result<AppliedScenario, ApplyError> {
    let mismatch = |message: String| ApplyError::Mismatch {
        path: proposal_path.to_path_buf(),
        message,
    };
    for (case, staff) in assignments {
        let c = scenario.case_by_id(case).ok_or_else(|| {
            mismatch(format!(
                "the proposal assigns case `{case}`, which is not in scenario `{}`; was it made from another scenario?",
                scenario.path.display()
            ))
        })?;
        let w = scenario.staff_by_id(staff).ok_or_else(|| {
            mismatch(format!(
                "the proposal gives case `{case}` to `{staff}`, who is not on the staff list"
            ))
        })?;
        if scenario.cases[c].pinned && scenario.cases[c].assigned != Some(w) {
            return Err(mismatch(format!(
                "the proposal moves case `{case}`, which is pinned to its holder"
            )));
        }
    }

    let source_err = |path: &Path, message: String| ApplyError::Source {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(&scenario.path)
        .map_err(|e| source_err(&scenario.path, e.to_string()))?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| source_err(&scenario.path, e.to_string()))?;
    if doc.contains_key("extends") {
        return Err(source_err(
            &scenario.path,
            "this scenario is a what-if overlay (`extends`): most of its cases are written in the scenario it extends, so its holders cannot be changed here; apply the proposal to a complete scenario".to_string(),
        ));
    }
    let old_dir = parent_dir(&scenario.path);
    let new_dir = parent_dir(new_path);
    let mut changed = 0;

    // Cases written as `case = [{ ... }]` become `[[case]]` tables so they can be edited alike.
    if let Some(item) = doc.get_mut("case") {
        if let Some(tables) = item
            .clone()
            .into_array_of_tables()
            .ok()
            .filter(|_| item.is_value())
        {
            *item = Item::ArrayOfTables(tables);
        }
    }
    if let Some(cases) = doc.get_mut("case").and_then(Item::as_array_of_tables_mut) {
        for table in cases.iter_mut() {
            let Some(id) = table.get("id").and_then(|v| v.as_str()).map(str::to_string) else {
                continue;
            };
            let before = table
                .get("assigned")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let after = assignments.get(&id).cloned();
            if before == after {
                continue;
            }
            changed += 1;
            match after {
                Some(holder) => {
                    table.insert("assigned", value(holder));
                }
                None => {
                    table.remove("assigned");
                }
            }
        }
    }

    for key in ["model", "staff_csv"] {
        if let Some(name) = doc.get(key).and_then(|v| v.as_str()).map(str::to_string) {
            doc.insert(key, value(relocate(&name, &old_dir, &new_dir)));
        }
    }

    let mut cases_csv = None;
    if let Some(csv_name) = doc
        .get("cases_csv")
        .and_then(|v| v.as_str())
        .map(str::to_string)
    {
        let old_csv = old_dir.join(&csv_name);
        let csv_text =
            std::fs::read_to_string(&old_csv).map_err(|e| source_err(&old_csv, e.to_string()))?;
        let separator = delimiter(&csv_text);
        let (new_text, csv_changed) =
            rewrite_csv(&csv_text, separator, assignments).map_err(|m| source_err(&old_csv, m))?;
        changed += csv_changed;
        let file_name = beside(new_path, "-cases.csv");
        doc.insert("cases_csv", value(file_name.clone()));
        cases_csv = Some((new_dir.join(file_name), new_text));
    }

    let workbook = next_workbook(&mut doc, &old_dir, new_path, assignments)?;
    changed += workbook.as_ref().map_or(0, |(_, changed)| *changed);
    Ok(AppliedScenario {
        scenario_toml: in_the_layout_of(&text, doc.to_string()),
        cases_csv,
        workbook: workbook.map(|(workbook, _)| workbook),
        changed,
    })
}

/// The name of a file written beside the new scenario `new_path`: its name without the
/// extension, then `suffix`.
fn beside(new_path: &Path, suffix: &str) -> String {
    let stem = new_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    format!("{stem}{suffix}")
}

/// The new workbook, when the scenario `doc` (in `old_dir`) names one, with how many holders
/// changed in it; `doc` then names the new one, beside `new_path`.
fn next_workbook(
    doc: &mut DocumentMut,
    old_dir: &Path,
    new_path: &Path,
    assignments: &BTreeMap<String, String>,
) -> Result<Option<(AppliedWorkbook, usize)>, ApplyError> {
    let Some(name) = doc.get("workbook").and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    let old = old_dir.join(name);
    let source_err = |message: String| ApplyError::Source {
        path: old.clone(),
        message,
    };
    let bytes = std::fs::read(&old).map_err(|e| source_err(e.to_string()))?;
    let next = workbook_with_holders(&old, &bytes, assignments).map_err(source_err)?;
    let file_name = beside(new_path, ".xlsx");
    doc.insert("workbook", value(file_name.clone()));
    let workbook = AppliedWorkbook {
        path: new_path.with_file_name(file_name),
        bytes: next.bytes,
        left_out: next.left_out,
    };
    Ok(Some((workbook, next.changed)))
}

/// The cases CSV with each case's `assigned` cell set to its holder in `assignments`, and the
/// number of cases whose holder changed; `delimiter` is the one the file was read with.
///
/// The file is next week's input, read by the same people and programs as this week's, so it
/// keeps what it was: a leading byte order mark (which tells a spreadsheet the text is UTF-8),
/// each line's own ending (CRLF or LF), the delimiter, and every row whose holder is unchanged
/// byte for byte. A rewritten row keeps its cells as read, quoted only where the delimiter,
/// quotes or line breaks require. No cell is altered otherwise: a `'` against formulas (as
/// [`crate::report::spreadsheet_safe`] adds to reports) would change the data the next run reads;
/// an id that begins like a formula comes back as it was in the file the supervisor gave.
fn rewrite_csv(
    text: &str,
    delimiter: u8,
    assignments: &BTreeMap<String, String>,
) -> Result<(String, usize), String> {
    const BOM: &str = "\u{feff}";
    let body = text.strip_prefix(BOM).unwrap_or(text);
    let records = records_with_spans(body, delimiter)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Ok((text.to_string(), 0));
    };
    let mut header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let column = |key| {
        header
            .iter()
            .position(|h| TableKind::Cases.column_key(h) == Some(key))
    };
    let id_col = column("id").ok_or("the CSV has no `id` column")?;
    let assigned_col = column("assigned");
    let widened = assigned_col.is_none();
    if widened {
        header.push("assigned".into());
    }
    let assigned_col = assigned_col.unwrap_or(header.len() - 1);
    let mut out = String::with_capacity(text.len() + 64);
    if text.starts_with(BOM) {
        out.push_str(BOM);
    }
    let (header_span, _) = &records[0];
    out.push_str(&body[..header_span.start]);
    if widened {
        out.push_str(&rewritten(&body[header_span.clone()], &header, delimiter)?);
    } else {
        out.push_str(&body[header_span.clone()]);
    }
    let mut changed = 0;
    for (span, record) in rows {
        let original = &body[span.clone()];
        let mut row: Vec<String> = record.iter().map(str::to_string).collect();
        if row.iter().all(|c| c.trim().is_empty()) {
            out.push_str(original); // a blank line, not a case
            continue;
        }
        row.resize(header.len(), String::new());
        let after = assignments
            .get(row[id_col].trim())
            .cloned()
            .unwrap_or_default();
        let moved = row[assigned_col].trim() != after;
        if moved {
            changed += 1;
            row[assigned_col] = after;
        }
        if moved || widened {
            out.push_str(&rewritten(original, &row, delimiter)?);
        } else {
            out.push_str(original);
        }
    }
    Ok((out, changed))
}

/// Every record of a CSV text with the byte range it takes: from its first byte to the first
/// byte of the next record (its line break and any blank lines after it included). Blank lines
/// before the first record are before the first range.
fn records_with_spans(
    body: &str,
    delimiter: u8,
) -> Result<Vec<(std::ops::Range<usize>, csv::StringRecord)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut records: Vec<(std::ops::Range<usize>, csv::StringRecord)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        // The reader may place a record after the `\r` of a CRLF: it starts at its first byte
        // that is no line break (a record never begins with one; blank lines are skipped).
        let from = record.position().map_or(0, |p| p.byte() as usize);
        let start = body[from..]
            .find(|c| c != '\r' && c != '\n')
            .map_or(body.len(), |i| from + i);
        if let Some((previous, _)) = records.last_mut() {
            previous.end = start;
        }
        records.push((start..body.len(), record));
    }
    Ok(records)
}

/// The cells written as one record in place of `original`, keeping what follows its last cell
/// there: the line break as written (CRLF or LF), blank lines, or nothing at the end of a file.
fn rewritten(original: &str, cells: &[String], delimiter: u8) -> Result<String, String> {
    let ending = &original[original.trim_end_matches(['\r', '\n']).len()..];
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(cells).map_err(|e| e.to_string())?;
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    let record = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok(format!("{}{ending}", record.trim_end_matches('\n')))
}

/// `edited` (TOML as `toml_edit` writes it: no byte order mark, LF line ends) with the byte
/// order mark and the line ends of `original` (those of its first line), so that the file next
/// week is written as this week's was.
fn in_the_layout_of(original: &str, edited: String) -> String {
    let body = original.strip_prefix('\u{feff}').unwrap_or(original);
    let crlf = body
        .find('\n')
        .is_some_and(|end| body[..end].ends_with('\r'));
    let edited = edited.strip_prefix('\u{feff}').unwrap_or(&edited);
    let edited = if crlf {
        edited.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        edited.to_string()
    };
    if body.len() < original.len() {
        format!("\u{feff}{edited}")
    } else {
        edited
    }
}

pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `name`, relative to `old_dir`, rewritten to be relative to `new_dir` (absolute if no
/// relative path exists, e.g. across drives).
pub(crate) fn relocate(name: &str, old_dir: &Path, new_dir: &Path) -> String {
    let target = Path::new(name);
    if target.is_absolute() {
        return name.to_string();
    }
    let (Ok(old_abs), Ok(new_abs)) = (std::path::absolute(old_dir), std::path::absolute(new_dir))
    else {
        return name.to_string();
    };
    let target_abs = normalize(&old_abs.join(target));
    let new_abs = normalize(&new_abs);
    if new_abs == normalize(&old_abs) {
        return name.to_string();
    }
    match pathdiff::diff_paths(&target_abs, &new_abs) {
        Some(p) => p.to_string_lossy().replace('\\', "/"),
        None => target_abs.to_string_lossy().into_owned(),
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relocated_to_the_new_directory() {
        assert_eq!(
            relocate(
                "../models/m.toml",
                Path::new("/a/scenarios"),
                Path::new("/a/scenarios")
            ),
            "../models/m.toml"
        );
        assert_eq!(
            relocate(
                "../models/m.toml",
                Path::new("/a/scenarios"),
                Path::new("/a/x/y")
            ),
            "../../models/m.toml"
        );
        assert_eq!(
            relocate(
                "../models/m.toml",
                Path::new("/a/scenarios"),
                Path::new("/a/out")
            ),
            "../models/m.toml"
        );
        assert_eq!(
            relocate("b/c.csv", Path::new("/a"), Path::new("/a/b")),
            "c.csv"
        );
    }

    #[test]
    fn a_semicolon_csv_keeps_its_delimiter_and_header_names() {
        let csv = "Case ID;Acuity;Worker\nC-1;2,5;alice\nC-2;1;\n";
        let assignments: BTreeMap<String, String> = [("C-1", "bob"), ("C-2", "alice")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let (out, changed) = rewrite_csv(csv, delimiter(csv), &assignments).unwrap();
        assert_eq!(out, "Case ID;Acuity;Worker\nC-1;2,5;bob\nC-2;1;alice\n");
        assert_eq!(changed, 2);
    }

    #[test]
    fn csv_holders_are_rewritten_and_other_cells_kept() {
        let csv = "id,acuity,assigned\nC-1,2,alice\nC-2,\"3\",\nC-3,1,bob\n";
        let assignments: BTreeMap<String, String> =
            [("C-1", "bob"), ("C-2", "alice"), ("C-3", "bob")]
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let (out, changed) = rewrite_csv(csv, b',', &assignments).unwrap();
        assert_eq!(
            out,
            "id,acuity,assigned\nC-1,2,bob\nC-2,3,alice\nC-3,1,bob\n"
        );
        assert_eq!(changed, 2);
    }

    fn holders(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(case, worker)| (case.to_string(), worker.to_string()))
            .collect()
    }

    #[test]
    fn a_csv_keeps_its_byte_order_mark_line_ends_and_untouched_rows_byte_for_byte() {
        let csv = "\u{feff}id,acuity,family,assigned\r\nC-1,2,Jiménez,ana\r\nC-2,\"3\",\"Núñez, M\",bo\r\n\r\nC-3,1,,ana";
        let (out, changed) = rewrite_csv(
            csv,
            b',',
            &holders(&[("C-1", "bo"), ("C-2", "bo"), ("C-3", "bo")]),
        )
        .unwrap();
        assert_eq!(
            out,
            "\u{feff}id,acuity,family,assigned\r\nC-1,2,Jiménez,bo\r\nC-2,\"3\",\"Núñez, M\",bo\r\n\r\nC-3,1,,bo"
        );
        assert_eq!(changed, 2);
        let (same, changed) = rewrite_csv(
            csv,
            b',',
            &holders(&[("C-1", "ana"), ("C-2", "bo"), ("C-3", "ana")]),
        )
        .unwrap();
        assert_eq!(
            (same.as_str(), changed),
            (csv, 0),
            "nothing moved, nothing changed"
        );
    }

    #[test]
    fn a_scenario_keeps_its_byte_order_mark_and_line_ends() {
        let edited = "[[case]]\nid = \"C-1\"\nassigned = \"bo\"\n".to_string();
        assert_eq!(
            in_the_layout_of("\u{feff}[[case]]\r\nid = \"C-1\"\r\n", edited.clone()),
            "\u{feff}[[case]]\r\nid = \"C-1\"\r\nassigned = \"bo\"\r\n"
        );
        assert_eq!(
            in_the_layout_of("[[case]]\nid = \"C-1\"\n", edited.clone()),
            edited
        );
    }

    #[test]
    fn line_breaks_inside_cells_and_blank_lines_stay_where_they_are() {
        let csv =
            "\r\nid,note,assigned\r\nC-1,\"two\r\nlines\",ana\r\n  \r\nC-2,x,ana\rC-3,\"\",ana\r\n";
        let (out, changed) = rewrite_csv(
            csv,
            b',',
            &holders(&[("C-1", "bo"), ("C-2", "bo"), ("C-3", "ana")]),
        )
        .unwrap();
        assert_eq!(
            out,
            "\r\nid,note,assigned\r\nC-1,\"two\r\nlines\",bo\r\n  \r\nC-2,x,bo\rC-3,\"\",ana\r\n"
        );
        assert_eq!(changed, 2);
    }

    #[test]
    fn a_csv_without_an_assigned_column_gains_one_in_its_own_delimiter_and_line_ends() {
        let csv = "id;acuity;needs\nC-1;2;spanish;youth\nC-2;1;\n";
        let csv = csv.replace("spanish;youth", "\"spanish;youth\"");
        let (out, changed) = rewrite_csv(&csv, b';', &holders(&[("C-1", "ana")])).unwrap();
        assert_eq!(
            out,
            "id;acuity;needs;assigned\nC-1;2;\"spanish;youth\";ana\nC-2;1;;\n"
        );
        assert_eq!(changed, 1);
    }
}
