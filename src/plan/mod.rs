//! Many scenarios at once: side-by-side comparisons, what-ifs, the move budget's trade-off curve,
//! staffing plans and the week's batch. Each runs the single-scenario pipeline per scenario, in
//! parallel, with results in input order.

pub mod batch;
pub mod budget;
pub mod compare;
pub mod hiring;
pub mod staffing;
pub mod whatif;
