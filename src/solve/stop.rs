//! A request to stop early, from outside the solve: a supervisor who interrupts a long run
//! (Ctrl-C) wants the best proposal found so far, not nothing.
//!
//! The request is one flag for the process. Every step reads it where it reads the clock: a
//! step that sees it takes no more time, so the solve returns what it has, marked `feasible`
//! where a step could not be proven. A solver call already under way finishes first, within
//! its own share of the time limit.

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every solve in the process to finish with what it has; returns true when a stop had
/// already been asked for (a second request).
pub fn request_stop() -> bool {
    STOP.swap(true, Ordering::SeqCst)
}

/// Whether a stop has been asked for.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// True when `deadline` has passed or a stop was asked for: what every loop that may run long
/// asks before another round.
pub fn time_is_up(deadline: std::time::Instant) -> bool {
    stop_requested() || std::time::Instant::now() >= deadline
}
