//! The proposal of `rebalance` and `assign`, as text for a supervisor, JSON for programs, and
//! CSV tables and an Excel workbook for spreadsheets.
//!
//! All read one [`Explanation`](crate::explain::Explanation) and only word and lay it out. The
//! JSON shape is a contract with batch jobs: after the provenance every JSON output begins with
//! (see [`crate::report::document`]), `scenario`, `status`, `assignments`, `moves`,
//! `unassigned`, `staff` and `metrics` keep their meaning; fields may be added.

mod json;
mod sentences;
mod tables;
mod text;
mod xlsx;

pub(crate) use json::proposal_value;
pub use json::{move_kind, proposal_json, proposal_schema, MoveKind};
pub use sentences::why_move;
pub use tables::{
    proposal_csv, proposal_table, worker_status, ProposalTable, MOVES_COLUMNS, UNPLACED_COLUMNS,
    WORKERS_COLUMNS,
};
pub use text::{proposal_text, proposal_text_styled};
pub(crate) use xlsx::proposal_book;
pub use xlsx::proposal_xlsx;
