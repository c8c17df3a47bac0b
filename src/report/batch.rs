//! A batch's summary: one line per scenario and a total for people (summary.txt and standard
//! output), and the entries as JSON for the programs that schedule the batch (summary.json).

use crate::input::provenance::Provenance;
use crate::plan::batch::{Batch, BatchOutcome};
use crate::report::document::json_document;
use crate::report::MAX_COLUMN;
use crate::solve::model::Mode;

/// One line per scenario (its exit code, outcome and figures), then the totals.
pub fn batch_text(batch: &Batch) -> String {
    let entries = &batch.entries;
    let width = entries
        .iter()
        .map(|e| e.file.chars().count())
        .max()
        .unwrap_or(4)
        .min(MAX_COLUMN);
    let mut out = String::new();
    for e in entries {
        let detail = match &e.summary {
            Some(s) => format!(
                "{:?}, max utilization {:.0}% → {:.0}%, {} moves, {} unplaced",
                s.status,
                100.0 * s.max_utilization_before,
                100.0 * s.max_utilization_after,
                s.moves,
                s.unplaced
            )
            .to_lowercase(),
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<width$}  exit {}  {}{}{}\n",
            e.file,
            e.exit_code,
            e.outcome.as_str(),
            if detail.is_empty() { "" } else { ": " },
            detail
        ));
    }
    let count = |outcome: BatchOutcome| entries.iter().filter(|e| e.outcome == outcome).count();
    let unwritten = count(BatchOutcome::NotWritten);
    out.push_str(&format!(
        "{} scenarios: {} done, {} with unplaced cases or no proposal, {} not run (input errors){}; exit {}\n",
        entries.len(),
        count(BatchOutcome::Done),
        count(BatchOutcome::Unplaced),
        count(BatchOutcome::InputError),
        if unwritten > 0 {
            format!(", {unwritten} not written")
        } else {
            String::new()
        },
        batch.exit_code()
    ));
    out
}

/// The job, the batch's exit code and every entry, as JSON, after the `provenance` of the
/// scenarios that could be read.
pub fn batch_json(batch: &Batch, provenance: &Provenance) -> String {
    let command = match batch.mode {
        Mode::Assign => "assign",
        Mode::Rebalance => "rebalance",
    };
    let body = serde_json::json!({
        "command": command,
        "exit_code": batch.exit_code(),
        "scenarios": batch.entries,
    });
    json_document(provenance, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::batch::BatchEntry;

    fn entry(file: &str, outcome: BatchOutcome) -> BatchEntry {
        BatchEntry {
            file: file.to_string(),
            exit_code: outcome.exit_code(),
            outcome,
            proposal: None,
            errors: vec!["error: something".to_string()],
            summary: None,
            problems: Vec::new(),
            trace: None,
            inputs: Vec::new(),
        }
    }

    #[test]
    fn a_line_per_scenario_then_the_totals_and_the_worst_exit_code() {
        let batch = Batch {
            mode: Mode::Assign,
            entries: vec![
                entry("a.toml", BatchOutcome::InputError),
                entry("long-name.toml", BatchOutcome::NotWritten),
            ],
        };
        assert_eq!(
            batch_text(&batch),
            "a.toml          exit 2  input error\n\
             long-name.toml  exit 2  not written\n\
             2 scenarios: 0 done, 0 with unplaced cases or no proposal, 1 not run (input errors), \
             1 not written; exit 2\n"
        );
        let provenance = Provenance::of(Vec::new());
        let json: serde_json::Value =
            serde_json::from_str(&batch_json(&batch, &provenance)).unwrap();
        assert_eq!(json["format_version"], provenance.format_version);
        assert_eq!(json["command"], "assign");
        assert_eq!(json["exit_code"], 2);
        assert_eq!(json["scenarios"][1]["outcome"], "not written");
    }
}
