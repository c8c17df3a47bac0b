//! How many solves the dashboard runs at once. A solve keeps a core or more busy for seconds or
//! minutes, and a folder of ten teams must not start ten solvers on a machine of two cores. So
//! today's solves wait in one queue and run one at a time, the team whose page is being looked
//! at first; and every solve, today's or a what-if's, first takes one of as many slots as the
//! machine has cores, so that planners asking what-ifs of several teams at once share the
//! machine instead of crowding it. A what-if cancelled while it waits leaves at once.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::pages;
use super::routes::Shared;

/// The dashboard's solves: the slots they take and the queue of today's.
pub struct Solves {
    /// Slots free.
    free: Mutex<usize>,
    /// Told when a slot is freed.
    freed: Condvar,
    today: Mutex<TodayQueue>,
}

/// The teams whose today's solve waits, in the order they will run.
#[derive(Default)]
struct TodayQueue {
    waiting: VecDeque<Arc<Shared>>,
    /// Whether a thread is working through the queue.
    running: bool,
}

/// A slot taken by one solve, freed when dropped.
pub struct Slot<'s>(&'s Solves);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *lock(&self.0.free) += 1;
        self.0.freed.notify_one();
    }
}

impl Solves {
    /// As many slots as the machine has cores.
    pub fn new() -> Arc<Solves> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Arc::new(Solves {
            free: Mutex::new(cores),
            freed: Condvar::new(),
            today: Mutex::new(TodayQueue::default()),
        })
    }

    /// Waits for a free slot; none when `given_up` says so first (it is asked every tenth of a
    /// second while waiting).
    pub fn slot(&self, given_up: impl Fn() -> bool) -> Option<Slot<'_>> {
        loop {
            if given_up() {
                return None;
            }
            let mut free = lock(&self.free);
            if *free > 0 {
                *free -= 1;
                return Some(Slot(self));
            }
            let waited = self.freed.wait_timeout(free, Duration::from_millis(100));
            drop(waited.unwrap_or_else(std::sync::PoisonError::into_inner));
        }
    }

    /// Queues today's solve of `team`, which has loaded; the queue is worked through on tokio's
    /// blocking pool, one team at a time.
    pub fn solve_today(self: &Arc<Self>, team: Arc<Shared>) {
        let mut queue = lock(&self.today);
        queue.waiting.push_back(team);
        if !queue.running {
            queue.running = true;
            let solves = self.clone();
            tokio::task::spawn_blocking(move || solves.work_through_today());
        }
    }

    /// Puts `team`'s today's solve first in the queue if it is still waiting: a supervisor is
    /// looking at its page.
    pub fn hurry(&self, team: &Arc<Shared>) {
        let mut queue = lock(&self.today);
        if let Some(i) = queue.waiting.iter().position(|t| Arc::ptr_eq(t, team)) {
            if let Some(team) = queue.waiting.remove(i) {
                queue.waiting.push_front(team);
            }
        }
    }

    /// Whether `team`'s today's solve is still waiting for its turn.
    pub fn is_waiting(&self, team: &Arc<Shared>) -> bool {
        lock(&self.today)
            .waiting
            .iter()
            .any(|t| Arc::ptr_eq(t, team))
    }

    fn work_through_today(&self) {
        while let Some(team) = self.next_today() {
            let _slot = self.slot(|| false);
            solve_today(&team);
        }
    }

    /// The next team to solve; none, and the queue's thread ends, when no team waits.
    fn next_today(&self) -> Option<Arc<Shared>> {
        let mut queue = lock(&self.today);
        let next = queue.waiting.pop_front();
        queue.running = next.is_some();
        next
    }
}

/// Solves today's team of `team` and records its page; a bug in the solve is said on the page.
fn solve_today(team: &Shared) {
    let Some(board) = team.board() else {
        return;
    };
    let solve = std::panic::AssertUnwindSafe(|| board.solve_overview());
    if std::panic::catch_unwind(solve).is_err() {
        let text = "an internal error (a bug) stopped today's solve; please report it";
        *board.overview() = Some(pages::message(pages::home(&team.base), "Not solved", text));
    }
}

/// A lock that a panicked holder left behind is still usable: every change under these locks
/// is complete before anything that may panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_taken_until_dropped_and_a_waiter_may_give_up() {
        let solves = Solves {
            free: Mutex::new(1),
            freed: Condvar::new(),
            today: Mutex::new(TodayQueue::default()),
        };
        let first = solves.slot(|| false).expect("a free slot");
        assert!(solves.slot(|| true).is_none(), "given up while waiting");
        let waited = std::thread::scope(|s| {
            let waiter = s.spawn(|| solves.slot(|| false).is_some());
            std::thread::sleep(Duration::from_millis(50));
            drop(first);
            waiter.join().expect("the waiter ends")
        });
        assert!(waited, "the slot freed goes to the one waiting");
        assert_eq!(*lock(&solves.free), 1);
    }
}
