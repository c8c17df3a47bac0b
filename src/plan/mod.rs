//! Many scenarios at once: side-by-side comparisons, what-ifs, the move budget's trade-off curve,
//! staffing plans and the week's batch. Each runs the single-scenario pipeline per scenario, in
//! parallel, with results in input order.

pub mod batch;
pub mod budget;
pub mod compare;
pub mod hiring;
pub mod staffing;
pub mod whatif;
pub mod whatif_overlay;

/// The time limit of a solve that starts now and must end by `deadline` (zero once it has
/// passed). Solves that share a deadline each take what is left when they start: none outlasts
/// it, and when it does not bind every solve has time enough, so the answers are the same at
/// any thread count.
pub fn seconds_until(deadline: std::time::Instant) -> f64 {
    deadline
        .saturating_duration_since(std::time::Instant::now())
        .as_secs_f64()
}
