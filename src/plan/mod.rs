//! Many scenarios at once: side-by-side comparisons, what-ifs, the move budget's trade-off curve
//! and staffing plans. Each runs the single-scenario pipeline per scenario, in parallel, with
//! results in input order.

pub mod budget;
pub mod compare;
pub mod hiring;
pub mod staffing;
pub mod whatif;
