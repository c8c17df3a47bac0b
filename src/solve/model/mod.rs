//! The integer program: assignment units and the program built over them for each step.

mod build;
pub mod hall;
pub mod highs;
pub mod layout;
pub mod program;
pub mod units;

pub use hall::{tightest_cut, Cut, HallBound};
pub use layout::{ClassIdx, Counts, GroupIdx};
pub use program::{
    weight_granularity, Limits, MovesCut, OpenArrivals, Program, Relaxed, Step, StepFailure,
    StepSolution, SETUP_MARGIN, SETUP_SECONDS_PER_COLUMN,
};
pub use units::{
    build_units, Choice, Holder, Mode, MoveCost, Slot, Unit, UnitIdx, Units, Unplaceable,
};
