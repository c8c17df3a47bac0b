//! A batch's summary: one line per scenario and a total for people (summary.txt and standard
//! output), and the entries as JSON for the programs that schedule the batch (summary.json).

use crate::input::provenance::Provenance;
use crate::plan::batch::{Batch, BatchOutcome};
use crate::plan::compare::RunSummary;
use crate::report::document::json_document;
use crate::report::style::{palette, status_style, utilization_style, TextStyle};
use crate::report::{percent, MAX_COLUMN};
use crate::solve::model::Mode;

/// One line per scenario (its exit code, outcome and figures), then the totals; in colour
/// and wrapped as `style` says, a scenario's line going on under its exit code.
pub fn batch_text(batch: &Batch, style: &TextStyle) -> String {
    let entries = &batch.entries;
    let width = entries
        .iter()
        .map(|e| e.file.chars().count())
        .max()
        .unwrap_or(4)
        .min(MAX_COLUMN);
    let mut out = String::new();
    for e in entries {
        let outcome = match e.outcome {
            BatchOutcome::Done => e.outcome.as_str().to_string(),
            _ => style.paint(palette::BAD, e.outcome.as_str()),
        };
        let detail = match &e.summary {
            Some(s) => summary_detail(s, style),
            None => String::new(),
        };
        let line = format!(
            "{:<width$}  exit {}  {outcome}{}{detail}",
            e.file,
            e.exit_code,
            if detail.is_empty() { "" } else { ": " },
        );
        style.push_line(&mut out, "", width + 2, &line);
    }
    let count = |outcome: BatchOutcome| entries.iter().filter(|e| e.outcome == outcome).count();
    let unwritten = count(BatchOutcome::NotWritten);
    let totals = format!(
        "{} scenarios: {} done, {} with unplaced cases or no proposal, {} not run (input errors){}; exit {}",
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
    );
    style.push_line(&mut out, "", 2, &totals);
    out
}

/// A scenario's figures: its status and max utilization (coloured), its moves and unplaced
/// cases.
fn summary_detail(s: &RunSummary, style: &TextStyle) -> String {
    let utilization = |u: f64| style.paint(utilization_style(u, s.target), percent(u));
    format!(
        "{}, max utilization {} → {}, {} moves, {} unplaced",
        style.paint(status_style(s.status), s.status.name()),
        utilization(s.max_utilization_before),
        utilization(s.max_utilization_after),
        s.moves,
        s.unplaced
    )
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
            batch_text(&batch, &TextStyle::PLAIN),
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
