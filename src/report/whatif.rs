//! The answer of `whatif`: the changed team's proposal, then today's team and the changed one
//! side by side. Text for a supervisor, JSON for programs.

use crate::explain::Explanation;
use crate::input::provenance::Provenance;
use crate::plan::compare::RunSummary;
use crate::report::compare::compare_text;
use crate::report::document::json_document;
use crate::report::proposal::{proposal_text_styled, proposal_value};
use crate::report::style::TextStyle;

/// The changed team's proposal and the comparison with today's, for people; the proposal in
/// colour and wrapped as `style` says, the comparison a table.
pub fn whatif_text(changed: &Explanation<'_>, runs: &[RunSummary; 2], style: &TextStyle) -> String {
    format!(
        "{}\n{}\n{}",
        proposal_text_styled(changed, style),
        style.heading("Compared with today's team:"),
        compare_text(runs)
    )
}

/// The same for programs, after the `provenance` of the inputs: `today` and `what_if` in a
/// comparison's figures, and the changed team's whole `proposal`.
pub fn whatif_json(
    changed: &Explanation<'_>,
    runs: &[RunSummary; 2],
    provenance: &Provenance,
) -> String {
    let body = serde_json::json!({
        "today": runs[0],
        "what_if": runs[1],
        "proposal": proposal_value(changed),
    });
    json_document(provenance, &body)
}
