//! The integer program: assignment units and the program built over them for each step.

mod build;
pub mod hall;
pub mod highs;
pub mod layout;
pub mod program;
pub mod units;

pub use hall::{tightest_cut, Cut, HallBound};
pub use program::{
    weight_granularity, Choice, Limits, Program, Relaxed, Step, StepFailure, StepSolution,
};
pub use units::{build_units, Holder, Mode, MoveCost, Unit, Units, Unplaceable};
