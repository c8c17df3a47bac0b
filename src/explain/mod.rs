//! Explanations as data: the figures of a proposal, why each case moves, why not each other
//! worker, what holds the team back, and where the team stands today. Reports word these facts;
//! nothing here knows about text layout.

pub mod binding;
pub mod budget;
pub mod figures;
pub mod moves;
pub mod today;
pub mod why_not;
