//! The binary's side of `caseload`: what the user typed, one clap struct per command in its own
//! module with the `run` that carries it out, and what every command shares (the exit status,
//! the output formats (in `format`), the exit codes, loading a scenario with its problems
//! printed). Every
//! figure comes from the library; what stays here is arguments, terminals, files and exit codes.

mod apply;
mod batch;
mod check;
mod compare;
mod error;
mod explain;
mod format;
mod generate;
mod handout;
mod init;
mod manuals;
mod messages;
mod output;
mod progress;
mod schema;
mod serve;
mod solve;
mod staffing;
mod terminal;
mod whatif;

/// Writes a line to standard error as `eprintln!` does, but never panics: a reader of standard
/// error that went away (`caseload ... 2>&1 | head`) is no reason to stop, and nothing else can
/// be told about it.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use note;

/// The "Exit codes:" paragraph of a command's help (`after_help`): the command's own codes, one
/// literal a line, then the code every command shares and, after `solving:`, that of a second
/// Ctrl-C (the first finishes the solve early).
macro_rules! exit_codes {
    ($($line:literal),* $(,)?) => {
        concat!(
            "Exit codes:\n",
            $("  ", $line, "\n",)*
            "  70   an internal error (a bug, reported as one); nothing is written"
        )
    };
    (solving: $($line:literal),* $(,)?) => {
        concat!(
            exit_codes!($($line),*),
            "\n  130  a second Ctrl-C: stopped at once, nothing more is written, and no file is",
            " left half written (the first Ctrl-C finishes with the best proposal found so far)"
        )
    };
}
pub(crate) use exit_codes;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use caseload::input::{load_scenario, LoadOptions, Loaded};
use caseload::solve::{SolveOptions, MAX_SECONDS};

pub use error::CliError;
use format::Format;
pub use messages::Messages;
use terminal::ColorChoice;

/// How a run ended, as an exit code. What each command means by each is in its help ("Exit
/// codes:") and in README.md; 70 (an internal error) and 130 (a second Ctrl-C) are `main`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything asked for was done.
    Done = 0,
    /// The work was done, but its answer falls short: some cases cannot be placed, or there is
    /// no proposal (or no staffing plan) at all.
    Unplaced = 1,
    /// The input or the command line could not be used; nothing was written.
    InputError = 2,
}

impl Status {
    /// `Done` when every case found a place, else `Unplaced`.
    fn placed(all: bool) -> Status {
        if all {
            Status::Done
        } else {
            Status::Unplaced
        }
    }
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
/// Exit codes: 0 success; 1 done, but some cases cannot be placed or there is no proposal;
/// 2 an input or usage error (nothing is written); 70 an internal error. Each command's help
/// says what they mean for it.
#[derive(Debug, Parser)]
#[command(name = "caseload", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour: auto (on a terminal; not in --output files, not when NO_COLOR is set),
    /// always (pipes and --output files too), never.
    ///
    /// Text reports wrap to the terminal's width when standard output is a terminal, or to
    /// COLUMNS when it is set (on a terminal or not); piped output and --output files are not
    /// wrapped. CLICOLOR_FORCE colours pipes in auto.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto
    )]
    color: ColorChoice,
}

impl Cli {
    /// Parses the command line, clap's own help and errors coloured as `--color` says, and
    /// records the choice for the rest of the run.
    pub fn parse_args() -> Cli {
        let args: Vec<OsString> = std::env::args_os().collect();
        let choice = ColorChoice::in_args(&args).for_clap();
        let matches = Cli::command().color(choice).get_matches_from(args);
        let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        terminal::choose(cli.color);
        cli
    }
}

impl Cli {
    /// How the command asked for its messages on standard error: as JSON Lines when it was
    /// given `--format json`, else as text (also for commands without `--format`).
    pub fn messages(&self) -> Messages {
        match &self.command {
            Command::Rebalance(args) => args.messages(),
            Command::Assign(args) => args.messages(),
            Command::Explain(args) => args.messages(),
            Command::Handout(args) => args.messages(),
            Command::Check(args) => args.messages(),
            Command::Whatif(args) => args.messages(),
            Command::Compare(args) => args.messages(),
            Command::Tradeoff(args) => args.messages(),
            Command::Staffing(args) => args.messages(),
            Command::Batch(args) => args.messages(),
            Command::Apply(_)
            | Command::Serve(_)
            | Command::Generate(_)
            | Command::Init(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Schema(_) => Messages::Text,
        }
    }

    /// What the first Ctrl-C (or SIGTERM) does, in the words printed when it comes.
    pub fn interrupted_note(&self) -> &'static str {
        match &self.command {
            Command::Serve(_) => {
                "interrupted: stopping the dashboard; press Ctrl-C again to quit at once"
            }
            _ => "interrupted: finishing with the best proposal found so far; press Ctrl-C again to quit",
        }
    }
}

// Each command's help is the doc comment of its struct; `caseload --help` lists them in this
// order.
#[derive(Debug, Subcommand)]
enum Command {
    Rebalance(solve::RebalanceArgs),
    Assign(solve::AssignArgs),
    Apply(apply::ApplyArgs),
    Explain(explain::ExplainArgs),
    Handout(handout::HandoutArgs),
    Check(check::CheckArgs),
    Whatif(whatif::WhatifArgs),
    Compare(compare::CompareArgs),
    Tradeoff(compare::TradeoffArgs),
    Staffing(staffing::StaffingArgs),
    Batch(batch::BatchArgs),
    Serve(serve::ServeArgs),
    Generate(generate::GenerateArgs),
    Init(init::InitArgs),
    Completions(manuals::CompletionsArgs),
    Man(manuals::ManArgs),
    Schema(schema::SchemaArgs),
}

/// When the command started: `--time-limit` counts from here, reading the input included.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// The instant `--time-limit` counts from.
fn started() -> Instant {
    *STARTED.get_or_init(Instant::now)
}

/// The instant a run with `time_limit` must be done by.
fn deadline(time_limit: f64) -> Instant {
    started() + Duration::from_secs_f64(time_limit.min(MAX_SECONDS))
}

/// Seconds of `time_limit` left, counted from the command's start.
fn seconds_left(time_limit: f64) -> f64 {
    (time_limit - started().elapsed().as_secs_f64()).max(0.0)
}

/// Runs a command and says how it ended.
pub fn run(cli: Cli) -> Result<Status, CliError> {
    started();
    match cli.command {
        Command::Rebalance(args) => args.run(),
        Command::Assign(args) => args.run(),
        Command::Apply(args) => args.run(),
        Command::Explain(args) => args.run(),
        Command::Handout(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Whatif(args) => args.run(),
        Command::Compare(args) => args.run(),
        Command::Tradeoff(args) => args.run(),
        Command::Staffing(args) => args.run(),
        Command::Batch(args) => args.run(),
        Command::Serve(args) => args.run(),
        Command::Generate(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::Completions(args) => args.run(),
        Command::Man(args) => args.run(),
        Command::Schema(args) => args.run(),
    }
}

/// Options shared by the commands that run many solves or one long one.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Write the result to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    force: bool,
    /// Time limit of the whole run, in seconds (reading and writing included); its solves share
    /// it.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    time_limit: f64,
    /// No progress display.
    #[arg(long, short)]
    quiet: bool,
    /// Print what each solve did (its steps and their times) on standard error, once all are
    /// done, in input order, each line labelled with its scenario or budget.
    #[arg(long, short)]
    verbose: bool,
}

/// Refuses a time limit the solver cannot keep: the one check of `--time-limit`, made by every
/// command that solves before it reads any file (not by clap, whose message would name the
/// value's type instead of what to write).
fn check_time_limit(seconds: f64) -> Result<(), CliError> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(CliError::new(format!(
            "--time-limit must be a positive number of seconds, not {seconds}"
        )));
    }
    Ok(())
}

/// What is wrong with a target utilization given on the command line or the dashboard, if
/// anything: the one rule for `--target`.
fn target_problem(target: f64) -> Option<String> {
    (!(target.is_finite() && target > 0.0 && target <= 10.0))
        .then(|| format!("must be a utilization above 0, e.g. 0.9 for 90%, not {target}"))
}

/// `--target`, checked.
fn check_target(target: f64) -> Result<(), CliError> {
    match target_problem(target) {
        Some(problem) => Err(CliError::new(format!("--target {problem}"))),
        None => Ok(()),
    }
}

fn check_balance_band(points: f64) -> Result<(), CliError> {
    if !(points.is_finite() && points >= 0.0) {
        return Err(CliError::new(format!(
            "--balance-band must be 0 or more utilization points (e.g. 0.05 for five points), not {points}"
        )));
    }
    Ok(())
}

/// Loads a scenario, printing every problem (as `messages` says) and returning `None` on
/// errors.
fn load(path: &Path, options: &LoadOptions, messages: Messages) -> Option<Loaded> {
    match load_scenario(path, options) {
        Ok(loaded) => Some(loaded),
        Err(error) => {
            messages.input_error(&error);
            None
        }
    }
}
