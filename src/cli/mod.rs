//! Command-line arguments (what the user typed) and the dispatch to each command.

mod output;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use caseload::generate::{generate, GenerateOptions, CASES_FILE, SCENARIO_FILE};
use caseload::input::{load_scenario, LoadOptions, Loaded};
use caseload::report::check::{check_json, check_text};
use caseload::summary::TeamSummary;

pub use output::write_atomically;

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

#[derive(Debug, Subcommand)]
enum Command {
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
