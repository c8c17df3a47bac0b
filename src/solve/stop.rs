//! A request to stop early, from outside the solve: a supervisor who interrupts a long run
//! (Ctrl-C) wants the best proposal found so far, not nothing.
//!
//! The request is one flag for the process, or one for some solves only ([`StopHandle`]: a
//! what-if on the dashboard that the supervisor cancels). Every step reads them where it reads
//! the clock: a step that sees a stop takes no more time, so the solve returns what it has,
//! marked `feasible` where a step could not be proven. A solver call already under way finishes
//! first, within its own share of the time limit.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

static STOP: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The stop of the solves this thread works for, when they have one of their own.
    static OWN_STOP: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// A stop for the solves run under it ([`StopHandle::run`]) and no others.
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// Asks the solves run under this handle to finish with what they have.
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Runs `work`, whose solves stop when this handle is asked to: on this thread, and on the
    /// threads of a pool made for `work`, as many as the current pool has (the answers do not
    /// depend on the thread count). Without a pool (the system refused threads) `work` runs
    /// on the current pool, whose threads only the process-wide stop reaches.
    pub fn run<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        let flag = self.0.clone();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .start_handler(move |_| set_own_stop(Some(flag.clone())))
            .build();
        set_own_stop(Some(self.0.clone()));
        let result = match pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        set_own_stop(None);
        result
    }
}

fn set_own_stop(flag: Option<Arc<AtomicBool>>) {
    OWN_STOP.with(|own| *own.borrow_mut() = flag);
}

/// Asks every solve in the process to finish with what it has; returns true when a stop had
/// already been asked for (a second request).
pub fn request_stop() -> bool {
    STOP.swap(true, Ordering::SeqCst)
}

/// Whether a stop has been asked for: for every solve, or for those this thread works for.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
        || OWN_STOP.with(|own| {
            own.borrow()
                .as_ref()
                .is_some_and(|flag| flag.load(Ordering::SeqCst))
        })
}

/// True when `deadline` has passed or a stop was asked for: what every loop that may run long
/// asks before another round.
pub fn time_is_up(deadline: std::time::Instant) -> bool {
    stop_requested() || std::time::Instant::now() >= deadline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_stops_only_the_work_run_under_it_on_every_thread_of_that_work() {
        let asked = StopHandle::default();
        asked.request();
        assert!(asked.run(stop_requested));
        let (a, b) = asked.run(|| rayon::join(stop_requested, stop_requested));
        assert!(a && b, "the threads of the work's pool see the stop");
        assert!(
            !stop_requested(),
            "the thread that ran the work is itself again"
        );
        let other = StopHandle::default();
        assert!(!other.run(stop_requested));
        assert!(!other.run(|| rayon::join(stop_requested, stop_requested).0));
    }
}
