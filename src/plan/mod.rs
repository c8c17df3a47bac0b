//! Many scenarios at once: side-by-side comparisons, what-ifs, the move budget's trade-off curve,
//! staffing plans and the week's batch. Each runs the single-scenario pipeline per scenario, in
//! parallel, with results in input order.

pub mod batch;
pub mod budget;
pub mod compare;
pub mod hiring;
pub mod staffing;
pub mod whatif;

/// Each of `solves` solves run side by side on the thread pool gets this share of the time
/// left: all of it when they run at once, less when they queue.
pub fn parallel_share(solves: usize) -> f64 {
    let threads = rayon::current_num_threads().max(1);
    let rounds = solves.div_ceil(threads).max(1);
    1.0 / rounds as f64
}
