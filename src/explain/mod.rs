//! Explanations as data: the figures of a proposal, why each case moves, why not each other
//! worker, whether the team is balanced below the top, what holds the team back, why the proposal
//! stops where it does, what each worker is told about it, and where the team stands today.
//! Reports word these facts; nothing here knows about text layout.

pub mod balance;
pub mod binding;
pub mod budget;
mod explanation;
pub mod figures;
pub mod handout;
pub mod held_back;
pub mod moves;
pub mod today;
pub mod why_not;

pub use explanation::{
    seconds_to_explain, Explanation, Measure, Metrics, MovesTogether, Objective, MAX_EXPLAIN_SHARE,
};
