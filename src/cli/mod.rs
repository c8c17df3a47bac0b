//! Command-line arguments (what the user typed) and the dispatch to each command.

mod many;
mod output;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use caseload::domain::StaffIdx;
use caseload::explain::today::TeamSummary;
use caseload::explain::why_not::why_not;
use caseload::explain::Explanation;
use caseload::input::apply::{apply_assignments, read_assignments};
use caseload::input::generate::{generate, GenerateOptions, CASES_FILE, SCENARIO_FILE};
use caseload::input::suggest::did_you_mean;
use caseload::input::{load_scenario, LoadOptions, Loaded};
use caseload::plan::budget::{budget_curve as budget_curve_of, budgets_around};
use caseload::report::outcome::verbose_lines;
use caseload::report::proposal::{proposal_json, proposal_text};
use caseload::report::team::{check_json, check_text};
use caseload::report::why::{case_json, case_text, staff_json, staff_text};
use caseload::solve::model::Mode;
use caseload::solve::{solve, SolveOptions};

pub use output::{emit, write_atomically};

/// How a run ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything asked for was done.
    Done = 0,
    /// A proposal was made, but some cases could not be placed.
    Unplaced = 1,
    /// The input or the command line could not be used.
    InputError = 2,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

/// Equitable caseload assignments for case-management teams.
///
/// caseload reads a scenario (staff with FTE, capacity and skills; cases with acuity, needs and
/// current holder), checks it, and proposes who should hold each case so that work is shared by
/// intensity, every hard rule is kept, and as few clients as possible change worker.
///
/// Exit codes: 0 success; 1 a proposal was made but some cases could not be placed;
/// 2 an input or usage error (nothing is written).
#[derive(Debug, Parser)]
#[command(name = "caseload", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people at a terminal.
    Text,
    /// For programs and batch jobs.
    Json,
}

/// Options shared by the commands that solve.
#[derive(Debug, clap::Args)]
struct SolveArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    force: bool,
    /// Stop after SECS seconds with the best proposal found, marked `feasible`.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    time_limit: f64,
    /// Use this acuity model instead of the one the scenario names.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Print each objective step's result and time on standard error.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Propose an equitable redistribution of the whole caseload.
    ///
    /// Places new intake and moves existing cases where equity needs it, within the move budget.
    /// The objective, in order: (1) the most loaded worker as light as possible; (2) the least
    /// overload above target; (3) the fewest reassignments, allowing the policy's
    /// equity_tolerance; (4) the most `prefer` wishes honoured. Hard rules always hold: needs,
    /// avoid lists, leave, pins, max_cases, families together, and the move budget.
    /// Reassignments the rules force (holder on leave, lacking a need, or avoided) do not count
    /// against max_moves.
    ///
    /// Exit code 0 when every case is placed, 1 when some cases cannot be placed (listed with
    /// the reason) or the rules admit no assignment, 2 for bad input.
    ///
    /// Example:
    ///   caseload rebalance scenarios/riverside.toml
    ///   caseload rebalance scenarios/riverside.toml --max-moves 5 --format json --output week47.json
    #[command(verbatim_doc_comment)]
    Rebalance {
        #[command(flatten)]
        solve: SolveArgs,
        /// Cap on discretionary reassignments (overrides the scenario and model policy).
        #[arg(long, value_name = "N")]
        max_moves: Option<u32>,
        /// Also solve with 5 fewer and 5, 10 and 20 more moves, and show what each would give.
        #[arg(long)]
        budget_curve: bool,
    },
    /// Place the week's new intake; keep existing holders.
    ///
    /// Existing cases stay where they are, except those that must move (holder on leave,
    /// lacking a need, or avoided) and families split today, which are brought together. New
    /// cases are placed equitably with the same objective as `rebalance`. What a weekly batch
    /// job runs.
    ///
    /// Example:
    ///   caseload assign scenarios/riverside.toml --format json --output intake.json
    #[command(verbatim_doc_comment)]
    Assign {
        #[command(flatten)]
        solve: SolveArgs,
    },
    /// Write the scenario with a proposal's holders, for next week's run.
    ///
    /// Reads SCENARIO and a proposal written by `rebalance` or `assign` with --format json, and
    /// writes NEW.toml: the same file, comments kept, with each case's `assigned` set to its
    /// holder in the proposal. Cases kept in a CSV get a new CSV beside NEW.toml. Never changes
    /// its inputs; refuses to replace an existing file without --force; writes atomically.
    ///
    /// Example:
    ///   caseload rebalance scenarios/riverside.toml --format json --output week47.json
    ///   caseload apply scenarios/riverside.toml week47.json --output scenarios/riverside-week48.toml
    #[command(verbatim_doc_comment)]
    Apply {
        /// The scenario the proposal was made from.
        scenario: PathBuf,
        /// The proposal (JSON).
        proposal: PathBuf,
        /// Where to write the new scenario.
        #[arg(long, value_name = "NEW.toml")]
        output: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
    },
    /// Explain a proposal: why a case goes where it goes and why not each other worker, or
    /// what a worker loses and gains.
    ///
    /// Solves the scenario as `rebalance` does (or `assign` with --assign), then answers about
    /// one case (--case) or one worker (--staff). For a case: its move and the reason, and for
    /// every other worker the first reason they were not chosen (on leave, lacks a skill, on
    /// the avoid list, pinned elsewhere, family, max_cases, would rise above the proposal's
    /// max, would cost an extra reassignment, ...). --why-not narrows that to one worker.
    ///
    /// Example:
    ///   caseload explain scenarios/riverside.toml --case R-1007
    ///   caseload explain scenarios/riverside.toml --case R-1007 --why-not carol
    ///   caseload explain scenarios/riverside.toml --staff dana --format json
    #[command(verbatim_doc_comment)]
    Explain {
        #[command(flatten)]
        solve: SolveArgs,
        /// Cap on discretionary reassignments (overrides the scenario and model policy).
        #[arg(long, value_name = "N")]
        max_moves: Option<u32>,
        /// Explain the `assign` proposal instead of `rebalance`.
        #[arg(long)]
        assign: bool,
        /// The case to explain (its id).
        #[arg(
            long,
            value_name = "ID",
            required_unless_present = "staff",
            conflicts_with = "staff"
        )]
        case: Option<String>,
        /// Only this worker's reason for not taking the case.
        #[arg(long, value_name = "WORKER", requires = "case")]
        why_not: Option<String>,
        /// The worker to explain (their id).
        #[arg(long, value_name = "ID")]
        staff: Option<String>,
    },
    /// Validate a scenario and summarise where the team stands today.
    ///
    /// Reports every problem in the scenario, its model and its cases CSV at once, each with
    /// file, line and column, what is wrong and what to do. When the scenario is valid, prints
    /// staff, FTE and capacity, cases and intake, total weight, each worker's load and
    /// utilization today (most loaded first, over-target marked), demand against capacity per
    /// skill, and warnings (cases nobody may hold, workers over capacity).
    ///
    /// Example:
    ///   caseload check scenarios/riverside.toml
    ///   caseload check scenarios/riverside.toml --model models/child-welfare.toml --format json
    #[command(verbatim_doc_comment)]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Use this acuity model instead of the one the scenario names.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What if: the proposal for a changed team, next to today's.
    ///
    /// Applies the changes to the scenario, rebalances both today's team and the changed one (in
    /// parallel), and prints the changed team's proposal and a side-by-side comparison. A worker
    /// on leave holds no case and their pins are lifted; an FTE change scales capacity; a hire
    /// gets the model's points per FTE and no cases (ids hire-1, hire-2, ...); a surge adds new
    /// intake drawn from the team's own cases (acuity, factors, needs), seeded. For changes worth
    /// keeping, write an overlay file (`extends = "team.toml"`, see scenarios/README.md).
    ///
    /// Example:
    ///   caseload whatif scenarios/riverside.toml --leave derek
    ///   caseload whatif scenarios/riverside.toml --fte tom=0.5 --hire "spanish,substance-use@0.8" --surge 15%
    #[command(verbatim_doc_comment)]
    Whatif {
        #[command(flatten)]
        solve: SolveArgs,
        /// Cap on discretionary reassignments (overrides the scenario and model policy).
        #[arg(long, value_name = "N")]
        max_moves: Option<u32>,
        /// A worker goes on leave (repeatable).
        #[arg(long, value_name = "WORKER")]
        leave: Vec<String>,
        /// A worker's new FTE, as WORKER=FTE (repeatable).
        #[arg(long, value_name = "WORKER=FTE")]
        fte: Vec<String>,
        /// A new worker, as SKILLS@FTE, e.g. "spanish,youth@0.8" (repeatable; FTE 1 if left out).
        #[arg(long, value_name = "SKILLS@FTE")]
        hire: Vec<String>,
        /// More intake: this percentage of today's caseload, e.g. 15%.
        #[arg(long, value_name = "PERCENT")]
        surge: Option<String>,
        /// Seed of the surge's draw.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Solve several scenarios in parallel and show them side by side.
    ///
    /// Workers, FTE, capacity, total weight, max utilization and spread before and after,
    /// overload, moves, unplaced cases, and workers over target, one column per scenario, in the
    /// order given. Which option is better, and by how much.
    ///
    /// Example:
    ///   caseload compare scenarios/riverside.toml scenarios/riverside-leave.toml scenarios/riverside-new-hire.toml
    ///   caseload compare scenarios/riverside*.toml --format csv --output options.csv
    #[command(verbatim_doc_comment)]
    Compare {
        /// The scenario files (TOML).
        #[arg(required = true, num_args = 1..)]
        scenarios: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = many::TableFormat::Text)]
        format: many::TableFormat,
        /// Compare the intake job (`assign`) instead of `rebalance`.
        #[arg(long)]
        assign: bool,
        #[command(flatten)]
        run: many::RunArgs,
    },
    /// The equity-continuity curve: the best max utilization for each move budget.
    ///
    /// Rebalances with budgets 0, 1, 2, ... (in parallel) up to --max-moves, or without it up
    /// to the first budget that reaches the equity of an unlimited budget. Shows where extra
    /// moves stop paying off. A larger budget never shows a worse proposal.
    ///
    /// Example:
    ///   caseload tradeoff scenarios/county-east.toml --max-moves 40
    #[command(verbatim_doc_comment)]
    Tradeoff {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// The largest budget to try.
        #[arg(long, value_name = "K")]
        max_moves: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        run: many::RunArgs,
    },
    /// The fewest (cheapest) hires so that every worker can be at or below a target.
    ///
    /// An integer program over the team plus candidate hires from hiring profiles (skills, FTE,
    /// cost, optional cap): the cheapest set of hires with which every worker can be at or
    /// below --target utilization and every case placed, all hard rules kept (the move budget
    /// aside). Says which skill groups are short and what each hire would take. Without
    /// --profiles, one profile per skill mix of the team's available workers, 1.0 FTE, cost 1.
    ///
    /// Example:
    ///   caseload staffing scenarios/riverside-surge.toml --target 0.9
    ///   caseload staffing scenarios/riverside.toml --target 0.8 --profiles scenarios/profiles/hires.toml
    #[command(verbatim_doc_comment)]
    Staffing {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Target utilization every worker must be at or below (default: the policy's).
        #[arg(long, value_name = "UTILIZATION")]
        target: Option<f64>,
        /// Hiring profiles (TOML, `[[profile]]` entries).
        #[arg(long, value_name = "FILE")]
        profiles: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        run: many::RunArgs,
    },
    /// Every scenario in a directory, in parallel: one proposal JSON each, plus a summary.
    ///
    /// Writes OUTDIR/<scenario>.json for each DIR/<scenario>.toml, and OUTDIR/summary.json and
    /// summary.txt. A scenario with bad input is reported and does not stop the others. The
    /// exit code is the worst of the runs (0 all placed, 1 some unplaced or no proposal, 2 input
    /// errors). Each scenario is independent, so a scheduler can also shard the directory.
    ///
    /// Example:
    ///   caseload batch scenarios --output week47
    ///   caseload batch teams/ --output out/ --command rebalance --force
    #[command(verbatim_doc_comment)]
    Batch {
        /// Directory of scenario files (*.toml).
        dir: PathBuf,
        /// Directory to write the proposals and the summary into (created if missing).
        #[arg(long, value_name = "OUTDIR")]
        output: PathBuf,
        /// The job to run on each scenario.
        #[arg(long, value_enum, default_value_t = many::BatchCommand::Assign)]
        command: many::BatchCommand,
        /// Time limit of each solve, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
        time_limit: f64,
        /// Replace files that already exist in OUTDIR.
        #[arg(long)]
        force: bool,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Generate a realistic synthetic team, deterministic per seed.
    ///
    /// Writes DIR/scenario.toml (and DIR/cases.csv with --csv): workers with FTE, capacity and
    /// skills (rare languages included), cases with acuity levels, factors, needs, families,
    /// pins, conflicts of interest and a little intake. Work is handed out unevenly, so some
    /// workers start overloaded: a team worth rebalancing. Used by benchmarks, tests and demos.
    ///
    /// Example:
    ///   caseload generate --staff 50 --cases 1500 --seed 1 --out /tmp/team50
    ///   caseload check /tmp/team50/scenario.toml
    #[command(verbatim_doc_comment)]
    Generate {
        /// Number of workers.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
        staff: u32,
        /// Number of cases.
        #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
        cases: u32,
        /// Seed: the same seed gives the same team.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
        /// Directory to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Put the cases in DIR/cases.csv instead of the scenario file.
        #[arg(long)]
        csv: bool,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
    },
}

/// Runs a command and says how it ended.
pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Check {
            scenario,
            model,
            format,
        } => check(&scenario, model, format),
        Command::Rebalance {
            solve,
            max_moves,
            budget_curve,
        } => run_solve(&solve, Mode::Rebalance, max_moves, budget_curve),
        Command::Assign { solve } => run_solve(&solve, Mode::Assign, None, false),
        Command::Whatif {
            solve,
            max_moves,
            leave,
            fte,
            hire,
            surge,
            seed,
        } => many::whatif(
            &solve,
            max_moves,
            &many::WhatIfChanges {
                leave,
                fte,
                hire,
                surge,
                seed,
            },
        ),
        Command::Compare {
            scenarios,
            format,
            assign,
            run,
        } => many::compare(
            &scenarios,
            if assign {
                Mode::Assign
            } else {
                Mode::Rebalance
            },
            format,
            &run,
        ),
        Command::Tradeoff {
            scenario,
            max_moves,
            format,
            run,
        } => many::tradeoff_command(&scenario, max_moves, format, &run),
        Command::Staffing {
            scenario,
            target,
            profiles,
            format,
            run,
        } => many::staffing(&scenario, target, profiles.as_deref(), format, &run),
        Command::Batch {
            dir,
            output,
            command,
            time_limit,
            force,
            quiet,
        } => many::batch(&dir, &output, command, time_limit, force, quiet),
        Command::Explain {
            solve,
            max_moves,
            assign,
            case,
            why_not,
            staff,
        } => {
            let mode = if assign {
                Mode::Assign
            } else {
                Mode::Rebalance
            };
            let question = match (case, staff) {
                (Some(case), _) => Question::Case { case, why_not },
                (None, Some(staff)) => Question::Staff(staff),
                (None, None) => unreachable!("clap requires --case or --staff"),
            };
            explain(&solve, mode, max_moves, &question)
        }
        Command::Apply {
            scenario,
            proposal,
            output,
            force,
        } => apply(&scenario, &proposal, &output, force),
        Command::Generate {
            staff,
            cases,
            seed,
            out,
            csv,
            force,
        } => {
            let team = generate(&GenerateOptions {
                staff: staff as usize,
                cases: cases as usize,
                seed,
                csv,
            });
            std::fs::create_dir_all(&out).with_context(|| {
                format!("error: cannot create the directory `{}`", out.display())
            })?;
            let scenario_path = out.join(SCENARIO_FILE);
            let csv_path = out.join(CASES_FILE);
            for path in [&scenario_path, &csv_path] {
                if path.exists() && !force && (path == &scenario_path || team.cases_csv.is_some()) {
                    anyhow::bail!(
                        "error: `{}` already exists; nothing was written\n  = help: choose another directory, or pass --force to replace it",
                        path.display()
                    );
                }
            }
            if let Some(csv_text) = &team.cases_csv {
                write_atomically(&csv_path, csv_text.as_bytes(), force)?;
            }
            write_atomically(&scenario_path, team.scenario_toml.as_bytes(), force)?;
            println!("wrote {}", scenario_path.display());
            if team.cases_csv.is_some() {
                println!("wrote {}", csv_path.display());
            }
            Ok(Status::Done)
        }
    }
}

/// Loads a scenario, printing every problem and returning `None` on errors.
fn load(path: &Path, options: &LoadOptions) -> Option<Loaded> {
    match load_scenario(path, options) {
        Ok(loaded) => Some(loaded),
        Err(error) => {
            eprintln!("{error}");
            None
        }
    }
}

fn check(path: &Path, model: Option<PathBuf>, format: Format) -> Result<Status> {
    let options = LoadOptions {
        model,
        ..LoadOptions::default()
    };
    let Some(loaded) = load(path, &options) else {
        return Ok(Status::InputError);
    };
    let summary = TeamSummary::of(&loaded.scenario);
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Text => {
            for w in &loaded.warnings {
                eprintln!("{w}\n");
            }
            stdout.write_all(check_text(&summary).as_bytes())?;
            if !loaded.warnings.is_empty() {
                writeln!(stdout, "\n{} warning(s): see above.", loaded.warnings.len())?;
            }
        }
        Format::Json => stdout.write_all(check_json(&summary, &loaded.warnings).as_bytes())?,
    }
    Ok(Status::Done)
}

/// What `explain` was asked about.
enum Question {
    /// One case, and perhaps one worker who did not get it.
    Case {
        case: String,
        why_not: Option<String>,
    },
    /// One worker.
    Staff(String),
}

/// Looks up a worker by id, or says which ids exist.
fn find_staff(scenario: &caseload::domain::Scenario, id: &str) -> Result<StaffIdx> {
    scenario
        .staff
        .iter_enumerated()
        .find(|(_, s)| s.id == id)
        .map(|(w, _)| w)
        .ok_or_else(|| {
            let ids: Vec<&str> = scenario.staff.iter().map(|s| s.id.as_str()).collect();
            let hint = did_you_mean(id, &ids)
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("the workers are: {}", ids.join(", ")));
            anyhow::anyhow!("error: no worker has the id `{id}`\n  = help: {hint}")
        })
}

fn explain(
    args: &SolveArgs,
    mode: Mode,
    max_moves: Option<u32>,
    question: &Question,
) -> Result<Status> {
    let Some((loaded, proposal)) = load_and_solve(args, mode, max_moves)? else {
        return Ok(Status::InputError);
    };
    let scenario = &loaded.scenario;
    let view = Explanation::of(scenario, &proposal);
    let text = match question {
        Question::Case {
            case,
            why_not: only,
        } => {
            let Some(ci) = scenario
                .cases
                .iter_enumerated()
                .find(|(_, c)| &c.id == case)
                .map(|(i, _)| i)
            else {
                let ids: Vec<&str> = scenario.cases.iter().map(|c| c.id.as_str()).collect();
                let hint = did_you_mean(case, &ids)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| "`caseload check` lists the scenario's cases".to_string());
                anyhow::bail!("error: no case has the id `{case}`\n  = help: {hint}");
            };
            let only = only
                .as_deref()
                .map(|w| find_staff(scenario, w))
                .transpose()?;
            let verdicts = why_not(scenario, &proposal, &view.figures, ci);
            match args.format {
                Format::Text => case_text(&view, ci, &verdicts, only),
                Format::Json => case_json(&view, ci, &verdicts, only),
            }
        }
        Question::Staff(id) => {
            let w = find_staff(scenario, id)?;
            match args.format {
                Format::Text => staff_text(&view, w),
                Format::Json => staff_json(&view, w),
            }
        }
    };
    emit(args.output.as_deref(), args.force, &text)?;
    Ok(Status::Done)
}

/// Checks the solve options, loads the scenario and solves it; `None` after input errors
/// (already printed).
fn load_and_solve(
    args: &SolveArgs,
    mode: Mode,
    max_moves: Option<u32>,
) -> Result<Option<(Loaded, caseload::solve::Proposal)>> {
    if !(args.time_limit.is_finite() && args.time_limit > 0.0) {
        anyhow::bail!(
            "error: --time-limit must be a positive number of seconds, not {}",
            args.time_limit
        );
    }
    if let Some(out) = &args.output {
        refuse_input_as_output(out, &[&args.scenario])?;
    }
    let options = LoadOptions {
        model: args.model.clone(),
        max_moves,
    };
    let Some(loaded) = load(&args.scenario, &options) else {
        return Ok(None);
    };
    refuse_sources(args.output.as_deref(), &loaded)?;
    if !loaded.warnings.is_empty() {
        eprintln!(
            "note: {} warning(s) about the input; `caseload check {}` lists them",
            loaded.warnings.len(),
            args.scenario.display()
        );
    }
    let scenario = &loaded.scenario;
    let proposal = solve(
        scenario,
        &SolveOptions {
            mode,
            time_limit: args.time_limit,
        },
    );
    if args.verbose {
        for line in verbose_lines(&proposal) {
            eprintln!("{line}");
        }
    }
    Ok(Some((loaded, proposal)))
}

fn run_solve(
    args: &SolveArgs,
    mode: Mode,
    max_moves: Option<u32>,
    budget_curve: bool,
) -> Result<Status> {
    let Some((loaded, proposal)) = load_and_solve(args, mode, max_moves)? else {
        return Ok(Status::InputError);
    };
    let scenario = &loaded.scenario;
    let mut view = Explanation::of(scenario, &proposal);
    if budget_curve && mode == Mode::Rebalance && view.proposal.budget.is_some() {
        let budgets = budgets_around(scenario.policy.max_moves);
        view = view.with_budget_curve(budget_curve_of(scenario, &budgets, args.time_limit, &|| {}));
    }
    let text = match args.format {
        Format::Text => proposal_text(&view),
        Format::Json => proposal_json(&view),
    };
    emit(args.output.as_deref(), args.force, &text)?;
    Ok(if proposal.is_complete() {
        Status::Done
    } else {
        Status::Unplaced
    })
}

/// Refuses to write over any of the inputs, whatever --force says.
/// Refuses an output that is one of the files a scenario was read from (the scenarios it
/// extends, its CSV files and its model included).
fn refuse_sources(output: Option<&Path>, loaded: &Loaded) -> Result<()> {
    if let Some(out) = output {
        let inputs: Vec<&Path> = loaded.sources.iter().map(PathBuf::as_path).collect();
        refuse_input_as_output(out, &inputs)?;
    }
    Ok(())
}

fn refuse_input_as_output(output: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // does not exist yet, so it is no input
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            anyhow::bail!(
                "error: the output `{}` is one of the inputs; nothing was written\n  = help: write to a new file",
                output.display()
            );
        }
    }
    Ok(())
}

fn apply(scenario_path: &Path, proposal_path: &Path, output: &Path, force: bool) -> Result<Status> {
    let Some(loaded) = load(scenario_path, &LoadOptions::default()) else {
        return Ok(Status::InputError);
    };
    let scenario = &loaded.scenario;
    let proposal_text = std::fs::read_to_string(proposal_path).with_context(|| {
        format!(
            "error: cannot read the proposal `{}`",
            proposal_path.display()
        )
    })?;
    let assignments = read_assignments(proposal_path, &proposal_text)
        .map_err(|e| anyhow::anyhow!("error: {e}"))?;
    let applied = apply_assignments(scenario, proposal_path, &assignments, output)
        .map_err(|e| anyhow::anyhow!("error: {e}"))?;
    let inputs: Vec<&Path> = vec![scenario_path, proposal_path];
    if let Some((csv_path, _)) = &applied.cases_csv {
        refuse_input_as_output(csv_path, &inputs)?;
        if csv_path.exists() && !force {
            anyhow::bail!(
                "error: `{}` already exists; nothing was written\n  = help: choose another output name, or pass --force to replace it",
                csv_path.display()
            );
        }
    }
    refuse_input_as_output(output, &inputs)?;
    if output.exists() && !force {
        anyhow::bail!(
            "error: `{}` already exists; nothing was written\n  = help: choose another file, or pass --force to replace it",
            output.display()
        );
    }
    if let Some((csv_path, csv_text)) = &applied.cases_csv {
        write_atomically(csv_path, csv_text.as_bytes(), force)?;
    }
    write_atomically(output, applied.scenario_toml.as_bytes(), force)?;
    println!(
        "wrote {} ({} case holder(s) changed)",
        output.display(),
        applied.changed
    );
    Ok(Status::Done)
}
