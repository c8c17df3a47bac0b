//! `caseload` proposes equitable caseload assignments for case-management teams.
//!
//! Data flows one way, and the modules follow it: scenario files ([`input`]) become validated
//! [`domain`] types, whose [`domain::rules`] say who may hold what; [`solve`](mod@solve) builds
//! the integer program and runs its lexicographic steps (equity, overload, moves, preferences);
//! [`explain`] turns the answer into facts (figures, why each move, why not, what binds);
//! [`report`] words those facts as text or JSON; [`plan`] runs many scenarios at once (compare,
//! what-if, trade-off, staffing, batch). [`verify`] checks a proposal against every hard rule
//! with code of its own. The library knows nothing of terminals: the `caseload` binary is a thin
//! layer over it.
//!
//! The items most programs need are re-exported here:
//!
//! ```
//! use std::path::Path;
//! use caseload::{load_scenario, proposal_text, solve};
//! use caseload::{Explanation, LoadOptions, Mode, SolveOptions};
//!
//! let loaded = load_scenario(Path::new("scenarios/riverside.toml"), &LoadOptions::default())?;
//! let scenario = &loaded.scenario;
//! let options = SolveOptions { mode: Mode::Rebalance, time_limit: 60.0 };
//! let proposal = solve(scenario, &options);
//! assert!(proposal.is_complete(), "every case placed");
//!
//! let text = proposal_text(&Explanation::of(scenario, &proposal));
//! assert!(text.starts_with("Riverside North, week 47 — rebalance: optimal"));
//! # Ok::<(), caseload::InputError>(())
//! ```

pub mod domain;
pub mod explain;
pub mod input;
pub mod plan;
pub mod report;
pub mod solve;
pub mod verify;

pub use domain::rules::{Barrier, HardRule};
pub use domain::{Case, CaseIdx, Scenario, Staff, StaffIdx};
pub use explain::Explanation;
pub use input::{load_scenario, InputError, LoadOptions, Loaded};
pub use report::proposal::{proposal_json, proposal_text};
pub use solve::model::Mode;
pub use solve::{solve, Outcome, Proposal, SolveOptions, Status};
pub use verify::check_proposal;
