//! Step 3, the fewest reassignments, and among them the most preferences honoured, within the
//! equity tolerance and the overload already reached.
//!
//! One exact weighted objective ((reachable preferences + 1) x moves - preferences) settles both:
//! solved whole and proven on small programs; on larger ones, its linear relaxation gives a bound
//! and picks the arrivals worth considering, and the integer program over those (and the answer
//! so far) improves the answer at its root node only, so the answer does not depend on the
//! machine's speed.

use std::time::Instant;

use crate::domain::{IndexVec, StaffIdx};
use crate::solve::events::SolverEvent;
use crate::solve::model::{Choice, ClassIdx, Limits, OpenArrivals, Program, Slot, Step};
use crate::solve::score::{preferences, reassignments, respects};
use crate::solve::{Refuted, Run, Tried};

/// Largest fewest-moves integer program solved whole, to a proof (columns). Larger ones take
/// the relaxation's bound and an integer program over the arrivals the relaxation uses: answers
/// of the whole program, found in a fraction of the time, with the bound beside them.
pub const MAX_PROVEN_COLUMNS: usize = 2_500;

/// Share of the time limit for the restricted fewest-moves program. Its root node usually ends
/// well before (under a second at 50 x 1,500); on a 400 x 12,000 county it can take longer, and
/// the answer so far is then kept, with its bound.
pub const RESTRICTED_SHARE: f64 = 1.0 / 6.0;

/// Most arrival columns in the restricted fewest-moves program when it is widened to every
/// arrival at a receiving worker; beyond this it keeps only the relaxation's own arrivals.
pub const MAX_WIDENED_COLUMNS: usize = 5_000;

/// What the moves step established.
pub struct Moves {
    /// A proven lower bound on reassignments at these limits.
    pub lower_bound: u32,
    /// True when the weighted objective is proven: preferences are then settled too.
    pub both_proven: bool,
    /// How the step's solve went (its report waits for the balance step, which may add moves).
    pub(crate) tried: Tried,
}

impl Run<'_, '_> {
    /// Step 3 from `choice`, within `limits` (utilization with the tolerance, overload).
    pub(crate) fn moves_step(&mut self, choice: &mut Choice, limits: &Limits) -> Moves {
        if let Some(settled) = self.settled_by_refutation(choice, limits) {
            return settled;
        }
        let program = self.program;
        let columns = program.columns();
        let weight = f64::from(program.preferences_reachable) + 1.0;
        let (tried, mut relaxed_value) = if columns <= MAX_PROVEN_COLUMNS {
            let tried = self.run_step(Step::Moves, limits, choice, self.remaining(1.0));
            (tried, None)
        } else {
            self.restricted_moves(choice, limits, columns, weight)
        };
        let moves = reassignments(program, choice);
        let solved_whole = tried.proven;
        if !solved_whole && relaxed_value.is_none() {
            relaxed_value = program
                .relaxed(Step::Moves, limits, self.remaining(1.0))
                .ok()
                .map(|r| r.value);
        }
        let lower_bound = match (solved_whole, relaxed_value) {
            (true, _) => moves,
            (false, Some(value)) => moves_bound(value, weight).min(moves),
            (false, None) => 0,
        };
        // The weighted objective is a whole number, so an answer within less than one of the
        // relaxation's optimum is optimal: both moves and preferences are then proven.
        let honoured = preferences(program, choice);
        let both_proven = solved_whole
            || relaxed_value
                .is_some_and(|v| weight * f64::from(moves) - f64::from(honoured) - v < 1.0 - 1e-6);
        Moves {
            lower_bound,
            both_proven,
            tried: Tried {
                proven: both_proven || moves == lower_bound,
                ..tried
            },
        }
    }

    /// The moves step settled by [`Run::refute`]: no answer with one reassignment fewer, or as
    /// many and one more preference (the weighted objective is a whole number).
    fn settled_by_refutation(&mut self, choice: &mut Choice, limits: &Limits) -> Option<Moves> {
        let program = self.program;
        let weight = f64::from(program.preferences_reachable) + 1.0;
        let objective = weight * f64::from(reassignments(program, choice))
            - f64::from(preferences(program, choice));
        match self.refute(Step::Moves, limits, objective - 0.5, choice) {
            Refuted::Settled(tried) => Some(Moves {
                lower_bound: reassignments(program, choice),
                both_proven: true,
                tried,
            }),
            Refuted::Improved | Refuted::Undecided => None,
        }
    }

    /// The moves step on a program too large to prove quickly (never proven by itself); returns
    /// how it went and the relaxation's value.
    fn restricted_moves(
        &mut self,
        choice: &mut Choice,
        limits: &Limits,
        columns: usize,
        weight: f64,
    ) -> (Tried, Option<f64>) {
        let program = self.program;
        let started = Instant::now();
        let relaxed = program
            .relaxed(Step::Moves, limits, self.remaining(0.3))
            .ok();
        if let Some(relaxed) = &relaxed {
            let open = restricted_columns(program, choice, &relaxed.arrivals);
            self.events.push(SolverEvent::MovesRestricted {
                columns,
                relaxation_bound: moves_bound(relaxed.value, weight),
                seconds: started.elapsed().as_secs_f64(),
                open: open.count(),
            });
            let seconds = self
                .remaining(1.0)
                .min(self.options.time_limit * RESTRICTED_SHARE);
            if let Ok((solution, _)) =
                program.solve_restricted(Step::Moves, limits, Some(choice), seconds, &open)
            {
                if respects(program, &solution.choice, limits)
                    && reassignments(program, &solution.choice) <= reassignments(program, choice)
                {
                    *choice = solution.choice;
                }
            }
        }
        let tried = Tried {
            proven: false,
            seconds: started.elapsed().as_secs_f64(),
        };
        (tried, relaxed.map(|r| r.value))
    }
}

/// The relaxation minimizes (reachable preferences + 1) x moves - preferences, so its optimum
/// divided by that weight, rounded up, is a lower bound on moves.
fn moves_bound(value: f64, weight: f64) -> u32 {
    ((value / weight) - 1e-6).ceil().max(0.0) as u32
}

/// The arrival columns the restricted program keeps open: those the relaxation uses and those
/// of the answer so far, widened to every arrival at a worker the relaxation sends anything to
/// when that stays small, so room made at a worker can go to any unit that fits it.
fn restricted_columns(
    program: &Program<'_>,
    choice: &Choice,
    arrivals: &IndexVec<ClassIdx, IndexVec<Slot, f64>>,
) -> OpenArrivals {
    let arriving = program.layout.counts_of(choice).arrive;
    let used = OpenArrivals {
        open: IndexVec::from_vec(
            arrivals
                .iter()
                .zip(arriving.iter())
                .map(|(lp, now)| {
                    let open = lp.iter().zip(now.iter()).map(|(v, n)| *v > 1e-6 || *n > 0);
                    IndexVec::from_vec(open.collect())
                })
                .collect(),
        ),
    };
    let mut receives: IndexVec<StaffIdx, bool> =
        IndexVec::from_vec(vec![false; program.scenario.staff.len()]);
    for (class, open) in program.layout.classes.iter().zip(used.open.iter()) {
        for (w, open) in class.allowed.iter().zip(open.iter()) {
            receives[*w] |= *open;
        }
    }
    let widened = OpenArrivals {
        open: IndexVec::from_vec(
            program
                .layout
                .classes
                .iter()
                .zip(used.open.iter())
                .map(|(class, open)| {
                    let moving = open.iter().any(|o| *o);
                    let widened = class
                        .allowed
                        .iter()
                        .zip(open.iter())
                        .map(|(w, o)| *o || (moving && receives[*w]));
                    IndexVec::from_vec(widened.collect())
                })
                .collect(),
        ),
    };
    if widened.count() <= MAX_WIDENED_COLUMNS {
        widened
    } else {
        used
    }
}
