//! `caseload apply`: next week's scenario from this week's decision.
//!
//! Rewrites the scenario's `assigned` holders from a proposal's `assignments`, keeping every
//! comment and the layout of the file (via `toml_edit`). Cases kept in a CSV file get a new CSV
//! beside the new scenario, with the delimiter and header it had; a team kept in a workbook gets
//! a new workbook beside it, its `Staff` and `Cases` sheets as they were but for the holders
//! ([`workbook_with_holders`]). Other paths the scenario names (`model`, `staff_csv`) are
//! rewritten so they still point at the same files from the new location. Nothing is written
//! here: the caller writes the returned files.

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
        let (new_text, csv_changed) =
            rewrite_csv(&csv_text, assignments).map_err(|m| source_err(&old_csv, m))?;
        changed += csv_changed;
        let file_name = beside(new_path, "-cases.csv");
        doc.insert("cases_csv", value(file_name.clone()));
        cases_csv = Some((new_dir.join(file_name), new_text));
    }

    let workbook = next_workbook(&mut doc, &old_dir, new_path, assignments)?;
    changed += workbook.as_ref().map_or(0, |(_, changed)| *changed);
    Ok(AppliedScenario {
        scenario_toml: doc.to_string(),
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
    let next = workbook_with_holders(&bytes, assignments).map_err(source_err)?;
    let file_name = beside(new_path, ".xlsx");
    doc.insert("workbook", value(file_name.clone()));
    let workbook = AppliedWorkbook {
        path: new_path.with_file_name(file_name),
        bytes: next.bytes,
        left_out: next.left_out,
    };
    Ok(Some((workbook, next.changed)))
}

fn rewrite_csv(
    text: &str,
    assignments: &BTreeMap<String, String>,
) -> Result<(String, usize), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let column = |key| {
        header
            .iter()
            .position(|h| TableKind::Cases.column_key(h) == Some(key))
    };
    let id_col = column("id").ok_or("the CSV has no `id` column")?;
    let assigned_col = match column("assigned") {
        Some(i) => i,
        None => {
            header.push("assigned".into());
            header.len() - 1
        }
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    writer.write_record(&header).map_err(|e| e.to_string())?;
    let mut changed = 0;
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let mut row: Vec<String> = record.iter().map(str::to_string).collect();
        row.resize(header.len(), String::new());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let after = assignments
            .get(row[id_col].trim())
            .cloned()
            .unwrap_or_default();
        if row[assigned_col].trim() != after {
            changed += 1;
            row[assigned_col] = after;
        }
        writer.write_record(&row).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    Ok((
        String::from_utf8(bytes).map_err(|e| e.to_string())?,
        changed,
    ))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `name`, relative to `old_dir`, rewritten to be relative to `new_dir` (absolute if no
/// relative path exists, e.g. across drives).
fn relocate(name: &str, old_dir: &Path, new_dir: &Path) -> String {
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
        let (out, changed) = rewrite_csv(csv, &assignments).unwrap();
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
        let (out, changed) = rewrite_csv(csv, &assignments).unwrap();
        assert_eq!(
            out,
            "id,acuity,assigned\nC-1,2,bob\nC-2,3,alice\nC-3,1,bob\n"
        );
        assert_eq!(changed, 2);
    }
}
