//! Criterion benchmarks of the pipeline's stages on generated teams: loading and validating a
//! scenario, building the assignment units and the program, each step of the solve (local
//! search, max-flow bound, an equity probe, the fewest-moves relaxation), and whole solves of
//! `rebalance` and `assign`; what binds, computed for every proposal's explanation.
//! Whole-process figures (time, quality, peak memory) come from `benches/whole-process.sh`.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

use caseload::explain::binding::what_binds;
use caseload::input::generate::{generate, GenerateOptions, SCENARIO_FILE};
use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::model::{build_units, HallBound, Limits, Mode, Program, Step};
use caseload::solve::search::quick_start;
use caseload::solve::{max_utilization, solve, SolveOptions};

/// Writes a generated team into a temporary directory and returns the scenario path.
fn team(staff: usize, cases: usize, seed: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let generated = generate(&GenerateOptions {
        staff,
        cases,
        seed,
        csv: false,
    });
    let path = dir.path().join(SCENARIO_FILE);
    std::fs::write(&path, generated.scenario_toml).expect("write scenario");
    (dir, path)
}

fn load(c: &mut Criterion) {
    let (_dir, path) = team(400, 12_000, 1);
    c.bench_function("load and validate 400x12000", |b| {
        b.iter(|| load_scenario(&path, &LoadOptions::default()).expect("valid"))
    });
}

/// What binds (the densest group and the groups short at target) on the largest team.
fn binding(c: &mut Criterion) {
    let (_dir, path) = team(400, 12_000, 1);
    let scenario = load_scenario(&path, &LoadOptions::default())
        .expect("valid")
        .scenario;
    let mut group = c.benchmark_group("explain");
    group.sample_size(10);
    group.bench_function("what binds 400x12000", |b| {
        b.iter(|| what_binds(&scenario, Mode::Rebalance))
    });
    group.finish();
}

fn units(c: &mut Criterion) {
    let (_dir, path) = team(50, 1_500, 1);
    let scenario = load_scenario(&path, &LoadOptions::default())
        .expect("valid")
        .scenario;
    c.bench_function("build units 50x1500", |b| {
        b.iter(|| build_units(&scenario, Mode::Rebalance))
    });
}

fn steps(c: &mut Criterion) {
    let (_dir, path) = team(50, 1_500, 1);
    let scenario = load_scenario(&path, &LoadOptions::default())
        .expect("valid")
        .scenario;
    let units = build_units(&scenario, Mode::Rebalance);
    let budget = Some(scenario.policy.max_moves);
    let mut group = c.benchmark_group("steps 50x1500");
    group.sample_size(10);
    group.bench_function("build program", |b| {
        b.iter(|| Program::new(&scenario, &units.units, budget))
    });
    let program = Program::new(&scenario, &units.units, budget);
    group.bench_function("local search", |b| {
        b.iter(|| quick_start(&program, far_off()))
    });
    let start = quick_start(&program, far_off()).expect("a start");
    let level = max_utilization(&program, &start);
    let g = program.granularity.expect("loads in half points");
    group.bench_function("max-flow bound at one level", |b| {
        b.iter(|| HallBound::new(&program, g).fits(level))
    });
    let limits = Limits {
        max_utilization: Some(level),
        ..Limits::default()
    };
    group.bench_function("equity probe at the start's level", |b| {
        b.iter(|| program.solve_step(Step::Feasibility, &limits, None, 60.0))
    });
    group.bench_function("fewest-moves relaxation", |b| {
        b.iter(|| program.relaxed(Step::Moves, &limits, 60.0))
    });
    group.finish();
}

fn solves(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    for (staff, cases) in [(8, 120), (12, 240), (50, 1_500)] {
        let (_dir, path) = team(staff, cases, 1);
        let scenario = load_scenario(&path, &LoadOptions::default())
            .expect("valid")
            .scenario;
        for mode in [Mode::Rebalance, Mode::Assign] {
            group.bench_function(format!("{mode:?} {staff}x{cases}").to_lowercase(), |b| {
                b.iter(|| {
                    solve(
                        &scenario,
                        &SolveOptions {
                            mode,
                            time_limit: 60.0,
                        },
                    )
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, load, units, binding, steps, solves);
criterion_main!(benches);

/// A deadline the local search never reaches here.
fn far_off() -> std::time::Instant {
    std::time::Instant::now() + std::time::Duration::from_secs(3600)
}
