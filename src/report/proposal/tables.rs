//! The proposal as tables for spreadsheets: the moves with their reasons, the workers before
//! and after, and the cases left unplaced. `--format csv` writes one of them; the workbook
//! (`--format xlsx`) has a sheet for each. Every figure and sentence is the explanation's, as
//! the text and JSON reports give them.

use crate::domain::{over_capacity, over_target, StaffIdx};
use crate::explain::Explanation;
use crate::report::proposal::json::move_kind;
use crate::report::proposal::sentences::why_move;
use crate::report::staff_id;
use crate::report::table::{json_name, table_csv, Cell, Table};

/// Which table of a proposal a CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProposalTable {
    /// Each case whose worker changes, new intake included, with why.
    #[default]
    Moves,
    /// Each worker before and after.
    Workers,
    /// Each case left unplaced, with why.
    Unplaced,
}

/// The columns of the moves table.
pub const MOVES_COLUMNS: &[&str] = &[
    "case",
    "weight",
    "from",
    "to",
    "kind",
    "counts_against_budget",
    "reason",
];

/// The columns of the workers table.
pub const WORKERS_COLUMNS: &[&str] = &[
    "id",
    "name",
    "available",
    "fte",
    "capacity",
    "load_before",
    "load_after",
    "cases_before",
    "cases_after",
    "utilization_before",
    "utilization_after",
    "target",
    "status",
];

/// The columns of the unplaced table.
pub const UNPLACED_COLUMNS: &[&str] = &["case", "weight", "family", "held_by", "reason"];

/// One table of the proposal as CSV.
pub fn proposal_csv(explanation: &Explanation<'_>, table: ProposalTable) -> String {
    table_csv(&proposal_table(explanation, table))
}

/// One table of the proposal.
pub fn proposal_table(explanation: &Explanation<'_>, table: ProposalTable) -> Table {
    match table {
        ProposalTable::Moves => moves_table(explanation),
        ProposalTable::Workers => workers_table(explanation),
        ProposalTable::Unplaced => unplaced_table(explanation),
    }
}

/// Each move, in the order of the report: the case, its weight, today's holder (empty for new
/// intake), the worker who takes it, the kind of move as JSON names it, whether it counts
/// against the move budget, and why.
fn moves_table(explanation: &Explanation<'_>) -> Table {
    let scenario = explanation.scenario;
    let mut table = Table::new(MOVES_COLUMNS);
    for m in &explanation.moves {
        let case = &scenario.cases[m.case];
        table.push(vec![
            Cell::text(&case.id),
            Cell::number(case.weight),
            Cell::text_or_empty(m.from.map(|w| staff_id(scenario, w))),
            Cell::text(staff_id(scenario, m.to)),
            Cell::text(json_name(&move_kind(m))),
            Cell::Flag(m.counts_against_budget),
            Cell::text(why_move(scenario, m)),
        ]);
    }
    table
}

/// Where a worker stands after the proposal (today, without one), as the workers table names
/// it: the first that holds of on leave, over capacity, over target, more than the balance band
/// below a busier colleague (one the balance explanation lists), or ok.
pub fn worker_status(explanation: &Explanation<'_>, worker: StaffIdx, load: f64) -> &'static str {
    let scenario = explanation.scenario;
    let staff = &scenario.staff[worker];
    let below_band = explanation
        .balance
        .as_ref()
        .is_some_and(|b| b.gaps.iter().any(|g| g.worker == worker));
    if !staff.available {
        "on leave"
    } else if over_capacity(load, staff.capacity) {
        "over capacity"
    } else if over_target(load, staff.capacity, scenario.policy.target_utilization) {
        "over target"
    } else if below_band {
        "below band"
    } else {
        "ok"
    }
}

/// Each worker in staff order, before and after the proposal (as today without one).
fn workers_table(explanation: &Explanation<'_>) -> Table {
    let scenario = explanation.scenario;
    let mut table = Table::new(WORKERS_COLUMNS);
    for w in explanation.workers_after() {
        let staff = &scenario.staff[w.worker];
        table.push(vec![
            Cell::text(&staff.id),
            Cell::text_or_empty(staff.name.as_deref()),
            Cell::Flag(staff.available),
            Cell::number(staff.fte),
            Cell::number(w.capacity),
            Cell::number(w.load_before),
            Cell::number(w.load_after),
            Cell::count(w.cases_before),
            Cell::count(w.cases_after),
            Cell::share(w.utilization_before()),
            Cell::share(w.utilization_after()),
            Cell::share(scenario.policy.target_utilization),
            Cell::text(worker_status(explanation, w.worker, w.load_after)),
        ]);
    }
    table
}

/// Each case left unplaced, in the order of the report, with its family, who holds it today
/// (empty for new intake) and why no worker may hold it.
fn unplaced_table(explanation: &Explanation<'_>) -> Table {
    let scenario = explanation.scenario;
    let mut table = Table::new(UNPLACED_COLUMNS);
    for u in &explanation.proposal.unplaced {
        let why = u.reason.sentence(scenario);
        for c in &u.cases {
            let case = &scenario.cases[*c];
            table.push(vec![
                Cell::text(&case.id),
                Cell::number(case.weight),
                Cell::text_or_empty(u.family.map(|f| scenario.families[f].id.as_str())),
                Cell::text_or_empty(case.assigned.map(|w| staff_id(scenario, w))),
                Cell::text(why.clone()),
            ]);
        }
    }
    table
}
