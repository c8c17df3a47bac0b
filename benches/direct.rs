//! The yardstick: the direct formulation (one binary per allowed case-worker pair, no
//! aggregation, no bounds of our own, no local search) given a fixed time per step, next to
//! `caseload`'s own solve of the same scenario.
//!
//!   cargo bench --bench direct -- SCENARIO.toml... [--max-moves N] [--seconds S]
//!
//! For each scenario it prints, side by side: the max utilization the direct equity step reaches
//! in S seconds (default 60), and the fewest reassignments the direct moves step finds in S
//! seconds at the same ceiling as `caseload`'s proposal (its max utilization plus the equity
//! tolerance), with whether HiGHS proved each.

use std::path::PathBuf;
use std::time::Instant;

use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::model::{build_units, Limits, Mode, Program, Step};
use caseload::solve::{max_utilization, reassignments, solve, SolveOptions};

fn main() {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut max_moves: Option<u32> = None;
    let mut seconds = 60.0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-moves" => max_moves = args.next().and_then(|v| v.parse().ok()),
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).unwrap_or(60.0),
            // Cargo passes `--bench` to every bench target.
            other if other.starts_with("--") => {}
            other => paths.push(PathBuf::from(other)),
        }
    }
    if paths.is_empty() {
        eprintln!(
            "usage: cargo bench --bench direct -- SCENARIO.toml... [--max-moves N] [--seconds S]"
        );
        return;
    }
    println!(
        "{:<40} {:>9} {:>9} {:>7} | {:>9} {:>7} {:>7} | {:>7} {:>6} {:>7} {:>7}",
        "scenario",
        "util",
        "bound",
        "secs",
        "direct",
        "proven",
        "secs",
        "moves",
        "direct",
        "proven",
        "secs"
    );
    for path in paths {
        let options = LoadOptions {
            model: None,
            max_moves,
            ..LoadOptions::default()
        };
        let scenario = match load_scenario(&path, &options) {
            Ok(loaded) => loaded.scenario,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        let start = Instant::now();
        let ours = solve(
            &scenario,
            &SolveOptions {
                mode: Mode::Rebalance,
                time_limit: seconds,
            },
        );
        let our_seconds = start.elapsed().as_secs_f64();
        let value = |step: Step| {
            ours.steps
                .iter()
                .find(|s| s.step == step)
                .map(|s| s.value)
                .unwrap_or(f64::NAN)
        };
        let (our_util, our_overload, our_moves) = (
            value(Step::Equity),
            value(Step::Overload),
            value(Step::Moves),
        );

        let units = build_units(&scenario, Mode::Rebalance);
        let direct = Program::direct(&scenario, &units.units, Some(scenario.policy.max_moves));
        let start = Instant::now();
        let equity = direct.solve_step(Step::Equity, &Limits::default(), None, seconds);
        let equity_seconds = start.elapsed().as_secs_f64();
        let (direct_util, equity_proven) = match &equity {
            Ok((solution, _)) => (max_utilization(&direct, &solution.choice), solution.proven),
            Err(_) => (f64::NAN, false),
        };

        let limits = Limits {
            max_utilization: Some(our_util + scenario.policy.equity_tolerance),
            overload: Some(our_overload),
            load_caps: None,
        };
        let start = Instant::now();
        let moves = direct.solve_step(Step::Moves, &limits, None, seconds);
        let moves_seconds = start.elapsed().as_secs_f64();
        let (direct_moves, moves_proven) = match &moves {
            Ok((solution, _)) => (
                reassignments(&direct, &solution.choice).to_string(),
                solution.proven,
            ),
            Err(e) => (format!("{e:?}"), false),
        };
        let name = path.display().to_string();
        println!(
            "{:<40} {:>9.6} {:>9.6} {:>7.2} | {:>9.6} {:>7} {:>7.2} | {:>7} {:>6} {:>7} {:>7.2}",
            &name[name.len().saturating_sub(40)..],
            our_util,
            ours.lower_bound_max_utilization,
            our_seconds,
            direct_util,
            equity_proven,
            equity_seconds,
            our_moves,
            direct_moves,
            moves_proven,
            moves_seconds
        );
    }
}
