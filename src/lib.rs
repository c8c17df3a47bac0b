//! `caseload` proposes equitable caseload assignments for case-management teams.
//!
//! Data flows one way: scenario files ([`input`]) become validated [`domain`] types; the team as
//! it stands is summarised ([`summary`]); an integer program proposes who should hold each case;
//! reports render the results. The library knows nothing of terminals: the `caseload` binary is a
//! thin layer over it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod apply;
pub mod binding;
pub mod budget;
pub mod check;
pub mod conflict;
pub mod diagnostic;
pub mod domain;
pub mod explain;
pub mod figures;
pub mod generate;
pub mod input;
pub mod many;
pub mod model;
pub mod report;
pub mod search;
pub mod solve;
pub mod staffing;
pub mod summary;
pub mod whatif;
pub mod why_not;
