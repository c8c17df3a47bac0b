//! What the solver did, as events: the program's size, the start the local search found, each
//! equity probe, the moves step. Reports word them (`caseload -v`); tests and benchmarks read
//! them. Events carry times, so they never reach JSON, which must not vary between runs.

/// One thing the solver did.
#[derive(Debug, Clone, PartialEq)]
pub enum SolverEvent {
    /// The program as modelled.
    Model {
        /// Units (cases, or families kept together) that some worker may take.
        units: usize,
        /// Units with one allowed worker: constants.
        fixed: usize,
        /// Units with binaries of their own.
        singles: usize,
        /// Units counted in classes.
        grouped: usize,
        /// Classes of interchangeable units.
        classes: usize,
        /// Groups of those classes.
        groups: usize,
        /// Arrival columns of the classes.
        arrival_columns: usize,
    },
    /// The local search found a start.
    Start {
        /// Its max utilization.
        max_utilization: f64,
        /// Seconds since the solve began.
        seconds: f64,
    },
    /// The equity step's bounds before probing.
    EquityBounds {
        /// The least level at which the max flow fits.
        max_flow: f64,
        /// The least level the move budget allows.
        move_budget: f64,
        /// The start's max utilization.
        start: f64,
    },
    /// One equity probe: is there an assignment with every worker at or below `level`?
    Probe {
        /// The level probed.
        level: f64,
        /// The range of levels still open, `[lo..hi)`.
        lo: usize,
        /// End of that range.
        hi: usize,
        /// How many levels there are.
        levels: usize,
        /// Best max utilization so far.
        best: f64,
        /// Proven bound so far.
        bound: f64,
        /// The answer.
        answer: ProbeAnswer,
        /// Seconds the probe took.
        seconds: f64,
    },
    /// The moves step begins from this many reassignments.
    MovesStart {
        /// Reassignments of the answer so far.
        reassignments: u32,
    },
    /// The moves step on a large program: a relaxation, then an integer program over part of
    /// the arrival columns.
    MovesRestricted {
        /// Columns of the whole program.
        columns: usize,
        /// The relaxation's bound on reassignments.
        relaxation_bound: u32,
        /// Seconds the relaxation took.
        seconds: f64,
        /// Arrival columns kept open.
        open: usize,
    },
    /// The balance step: transfers to lighter colleagues, then units brought home.
    Balance {
        /// Reassignments of the fewest-moves answer it started from.
        moves_before: u32,
        /// Reassignments once the transfers were made.
        moves_after_transfers: u32,
        /// Reassignments in the end: units brought home, and on small programs the fewest that
        /// reach the balanced loads.
        moves_after: u32,
        /// True when the guarantee holds.
        balanced: bool,
        /// Seconds the step took.
        seconds: f64,
    },
}

/// What an equity probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeAnswer {
    /// An assignment exists at the level.
    Feasible,
    /// None exists.
    Infeasible,
    /// Time ran out.
    Undecided,
}

/// What one solve did, events and steps with their times, kept for `--verbose` by a result that
/// outlives its proposal (a point of the budget curve).
#[derive(Debug, Clone, Default)]
pub struct SolveTrace {
    /// What the solver did, in order.
    pub events: Vec<SolverEvent>,
    /// Each objective step's result and time.
    pub steps: Vec<crate::solve::StepReport>,
}

impl SolveTrace {
    /// The trace of a solve that made `proposal`.
    pub fn of(proposal: &crate::solve::Proposal) -> SolveTrace {
        SolveTrace {
            events: proposal.events.clone(),
            steps: proposal.steps.clone(),
        }
    }
}

impl PartialEq for SolveTrace {
    /// Always equal: times differ from run to run, and a trace is how a result was reached,
    /// not part of it, so it never makes two results differ.
    fn eq(&self, _: &SolveTrace) -> bool {
        true
    }
}
