//! `caseload` proposes equitable caseload assignments for case-management teams.
//!
//! Data flows one way, and the modules follow it: scenario files ([`input`]) become validated
//! [`domain`] types; [`solve`] builds the integer program and runs its lexicographic steps;
//! [`explain`] turns the answer into facts (figures, why each move, why not, what binds);
//! [`report`] renders those facts as text or JSON; [`plan`] runs many scenarios at once (compare,
//! what-if, trade-off, staffing, batch). [`verify`] checks a proposal against every hard rule with code
//! of its own. The library knows nothing of terminals: the `caseload` binary is a thin layer
//! over it.

pub mod domain;
pub mod explain;
pub mod input;
pub mod plan;
pub mod report;
pub mod solve;
pub mod verify;
