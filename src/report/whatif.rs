//! The answer of `whatif`: the changed team's proposal, then today's team and the changed one
//! side by side. Text for a supervisor, JSON for programs, a CSV table or a workbook for
//! spreadsheets.

use crate::explain::Explanation;
use crate::input::provenance::Provenance;
use crate::plan::compare::RunSummary;
use crate::report::compare::{compare_table, compare_text};
use crate::report::document::json_document;
use crate::report::proposal::{
    proposal_book, proposal_csv, proposal_text_styled, proposal_value, ProposalTable,
};
use crate::report::style::TextStyle;
use crate::report::workbook::{Sheet, WorkbookError};

/// The changed team's proposal and the comparison with today's, for people, in colour and
/// fitted to the width as `style` says.
pub fn whatif_text(changed: &Explanation<'_>, runs: &[RunSummary; 2], style: &TextStyle) -> String {
    format!(
        "{}\n{}\n{}",
        proposal_text_styled(changed, style),
        style.heading("Compared with today's team:"),
        compare_text(runs, style)
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

/// One table of the changed team's proposal as CSV (a CSV holds one table; the comparison with
/// today's team is in the workbook, and `compare` writes it as CSV).
pub fn whatif_csv(changed: &Explanation<'_>, table: ProposalTable) -> String {
    proposal_csv(changed, table)
}

/// The changed team's proposal as a workbook (the sheets of `rebalance`'s), with a last sheet,
/// Compared, holding today's team and the changed one side by side, a row each.
pub fn whatif_xlsx(
    changed: &Explanation<'_>,
    runs: &[RunSummary; 2],
    provenance: &Provenance,
) -> Result<Vec<u8>, WorkbookError> {
    let mut book = proposal_book(changed, provenance)?;
    let mut compared = Sheet::new("Compared")?;
    compared.table(&compare_table(runs))?;
    book.push(compared);
    book.finish()
}
