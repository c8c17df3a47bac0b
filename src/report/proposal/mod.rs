//! The proposal of `rebalance` and `assign`, as text for a supervisor and JSON for programs.
//!
//! Both read one [`Explanation`](crate::explain::Explanation) and only word and lay it out. The
//! JSON shape is a contract with batch jobs: after the provenance every JSON output begins with
//! (see [`crate::report::document`]), `scenario`, `status`, `assignments`, `moves`,
//! `unassigned`, `staff` and `metrics` keep their meaning; fields may be added.

mod json;
mod sentences;
mod text;

pub(crate) use json::proposal_value;
pub use json::{move_kind, proposal_json, proposal_schema, MoveKind};
pub use sentences::why_move;
pub(crate) use sentences::{equity_why, overload_cause, status_word};
pub use text::{proposal_text, proposal_text_styled};
