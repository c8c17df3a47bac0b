//! `rebalance` and `assign`: solve one scenario and report the proposal. Also the options and
//! the load-then-solve step they share with `explain`, `handout` and `whatif`, and the choice
//! `explain` and `handout` make between a saved proposal and solving again.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use caseload::explain::{seconds_to_explain, Explanation};
use caseload::input::provenance::{InputFile, Provenance};
use caseload::input::{LoadOptions, Loaded};
use caseload::plan::budget::{budget_curve, budgets_around};
use caseload::plan::seconds_until;
use caseload::report::html::proposal_html;
use caseload::report::outcome::verbose_lines;
use caseload::report::proposal::{
    proposal_csv, proposal_json, proposal_text_styled, proposal_xlsx,
};
use caseload::report::style::TextStyle;
use caseload::solve::model::Mode;
use caseload::solve::saved::{read_saved, Mismatch, SavedError};
use caseload::solve::{solve, Proposal, SolveOptions};

use super::apply::refuse_changed_inputs;
use super::format::{workbook_error, TableArgs};
use super::output::{emit_bytes, read_proposal_file, ready_to_write, refuse_input_as_output};
use super::progress::spinner;
use super::terminal::report_style;
use super::{
    check_balance_band, check_target, check_time_limit, deadline, exit_codes, load, CliError,
    Format, Messages, Status,
};

/// Options shared by the commands that solve.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, value_parser = Format::among(Format::TEXT_JSON), default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it already exists (`explain` and `handout`: also use a --proposal made
    /// from other contents of the scenario's files, or that records none).
    #[arg(long)]
    pub force: bool,
    /// Finish within SECS seconds, counted from the start (reading and explaining included),
    /// with the best proposal found, marked `feasible` when time ran out.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    pub time_limit: f64,
    /// Use this acuity model instead of the one the scenario names.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// The balance band in utilization points (overrides the policy's `balance_band`): no case
    /// is left with a worker when a colleague who may take it would end more than this below.
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true)]
    pub balance_band: Option<f64>,
    /// The target utilization (overrides the policy's `target_utilization`), e.g. 0.9 for 90%:
    /// load above it is overload.
    #[arg(long, value_name = "UTILIZATION", allow_negative_numbers = true)]
    pub target: Option<f64>,
    /// Print each objective step's result and time on standard error.
    #[arg(long, short)]
    pub verbose: bool,
    /// No spinner while solving (it shows only when standard error is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

impl SolveArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// Loads the scenario (with `max_moves` overriding its policy) after checking that the
    /// output is none of the inputs and that the format may go where it is sent; `None` after
    /// input errors (already printed).
    pub fn load(&self, max_moves: Option<u32>) -> Result<Option<Loaded>, CliError> {
        self.format.check_destination(self.output.as_deref())?;
        if let Some(out) = &self.output {
            refuse_input_as_output(out, &[&self.scenario])?;
        }
        if let Some(band) = self.balance_band {
            check_balance_band(band)?;
        }
        if let Some(target) = self.target {
            check_target(target)?;
        }
        let options = LoadOptions {
            model: self.model.clone(),
            max_moves,
            balance_band: self.balance_band,
            target_utilization: self.target,
        };
        let Some(loaded) = load(&self.scenario, &options, self.messages()) else {
            return Ok(None);
        };
        ready_to_write(self.output.as_deref(), self.force, &loaded)?;
        Ok(Some(loaded))
    }

    /// Checks the time limit, loads the scenario and solves it in `mode`; `None` after input
    /// errors (already printed).
    pub fn load_and_solve(
        &self,
        mode: Mode,
        max_moves: Option<u32>,
    ) -> Result<Option<(Loaded, Proposal)>, CliError> {
        check_time_limit(self.time_limit)?;
        let Some(loaded) = self.load(max_moves)? else {
            return Ok(None);
        };
        self.note_warnings(&loaded);
        let spinner = spinner(self.quiet, "solving");
        let proposal = solve(
            &loaded.scenario,
            &SolveOptions {
                mode,
                time_limit: seconds_until(self.solve_deadline(&loaded)),
            },
        );
        spinner.finish_and_clear();
        if self.verbose {
            self.messages().verbose(None, &verbose_lines(&proposal));
        }
        Ok(Some((loaded, proposal)))
    }

    /// When the solves of the run must end: the time limit, less what the explanation of
    /// `loaded` needs.
    pub fn solve_deadline(&self, loaded: &Loaded) -> Instant {
        let explaining = seconds_to_explain(&loaded.scenario, self.time_limit);
        self.deadline()
            .checked_sub(Duration::from_secs_f64(explaining))
            .unwrap_or_else(Instant::now)
    }

    /// The instant the run must be done by.
    pub fn deadline(&self) -> Instant {
        deadline(self.time_limit)
    }

    /// How a text report is written: to the terminal, a pipe or the --output file.
    pub fn text_style(&self) -> TextStyle {
        report_style(self.output.as_deref())
    }

    /// Points to `caseload check` when the input has warnings; gives them as JSON, where a
    /// program reads them.
    pub fn note_warnings(&self, loaded: &Loaded) {
        let messages = self.messages();
        if messages == Messages::Json {
            messages.problems(&loaded.warnings);
        } else if !loaded.warnings.is_empty() {
            messages.note(&format!(
                "{} warning(s) about the input; `caseload check {}` lists them",
                loaded.warnings.len(),
                self.scenario.display()
            ));
        }
    }

    /// Solves in `mode` and writes the proposal (as `table` with --format csv);
    /// `with_budget_curve` adds what other move budgets would give (rebalance only).
    fn run(
        &self,
        mode: Mode,
        max_moves: Option<u32>,
        with_budget_curve: bool,
        table: &TableArgs,
    ) -> Result<Status, CliError> {
        let table = table.for_format(self.format)?;
        let Some((loaded, proposal)) = self.load_and_solve(mode, max_moves)? else {
            return Ok(Status::InputError);
        };
        let scenario = &loaded.scenario;
        let mut view = Explanation::by(scenario, &proposal, Some(self.deadline()));
        if with_budget_curve && mode == Mode::Rebalance && view.proposal.budget.is_some() {
            // The proposal's own solve comes first; the curve's solves share what it leaves.
            let budgets = budgets_around(scenario.policy.max_moves);
            let deadline = self.solve_deadline(&loaded);
            // Budgets the time limit left unsolved are left out.
            let curve = budget_curve(scenario, &budgets, deadline, &|| {});
            view = view.with_budget_curve(curve.into_iter().flatten().collect());
        }
        let provenance = Provenance::of(loaded.inputs);
        let bytes = match self.format {
            Format::Text => proposal_text_styled(&view, &self.text_style()).into_bytes(),
            Format::Json => proposal_json(&view, &provenance).into_bytes(),
            Format::Csv => proposal_csv(&view, table).into_bytes(),
            Format::Xlsx => proposal_xlsx(&view, &provenance).map_err(workbook_error)?,
            Format::Html => proposal_html(&view).into_bytes(),
        };
        emit_bytes(self.output.as_deref(), self.force, &bytes)?;
        Ok(Status::placed(proposal.is_complete()))
    }
}

/// The exit codes of the commands that report on one proposal (`rebalance`, `assign`,
/// `handout`): those of the proposal.
pub const ONE_PROPOSAL_EXIT_CODES: &str = exit_codes!(
    solving:
    "0    a proposal that places every case, every hard rule kept",
    "1    a proposal that leaves some cases unplaced (each listed with why), or none: the hard rules admit no assignment (with a diagnosis) or time ran out before one was found",
    "2    bad input or usage (a saved --proposal that does not fit included); nothing is written",
);

/// What the commands that report on one proposal share (`explain`, `handout`): the solve
/// options, and which proposal: one decided earlier (`--proposal`), or the one solving gives.
#[derive(Debug, clap::Args)]
pub struct ProposalArgs {
    #[command(flatten)]
    pub solve: SolveArgs,
    /// Cap on discretionary reassignments (overrides the scenario and model policy).
    #[arg(long, value_name = "N")]
    pub max_moves: Option<u32>,
    /// The `assign` proposal instead of `rebalance`.
    #[arg(long, conflicts_with = "proposal")]
    pub assign: bool,
    /// The proposal decided earlier, as `rebalance` or `assign` wrote it with --format json:
    /// read as it is instead of solving again. It must fit the scenario, loaded with the
    /// options it was made with (--max-moves, --balance-band, --model), and have been made
    /// from the files as they are now (it records their SHA-256; --force uses it anyway).
    #[arg(long = "proposal", id = "proposal", value_name = "FILE")]
    pub saved: Option<PathBuf>,
}

/// A scenario and the proposal to report on.
pub struct ToReport {
    /// The scenario, as loaded.
    pub loaded: Loaded,
    /// The proposal: the saved one, or a new solve.
    pub proposal: Proposal,
    /// The saved proposal's file, with its digest, when one was read.
    pub saved: Option<InputFile>,
}

impl ToReport {
    /// The provenance of a JSON answer about the proposal: the scenario's files, then the
    /// saved proposal's.
    pub fn provenance(&self) -> Provenance {
        Provenance::of(self.loaded.inputs.iter().chain(&self.saved).cloned())
    }
}

impl ProposalArgs {
    /// Loads the scenario and the proposal to report on: the saved one, read as it is, or
    /// a new solve; `None` after input errors (already printed).
    pub fn load(&self) -> Result<Option<ToReport>, CliError> {
        let Some(path) = &self.saved else {
            let mode = if self.assign {
                Mode::Assign
            } else {
                Mode::Rebalance
            };
            let solved = self.solve.load_and_solve(mode, self.max_moves)?;
            return Ok(solved.map(|(loaded, proposal)| ToReport {
                loaded,
                proposal,
                saved: None,
            }));
        };
        if let Some(out) = &self.solve.output {
            refuse_input_as_output(out, &[path])?;
        }
        let Some(loaded) = self.solve.load(self.max_moves)? else {
            return Ok(None);
        };
        self.solve.note_warnings(&loaded);
        let file = read_proposal_file(path)?;
        let proposal = read_saved(&loaded.scenario, &file.text)
            .map_err(|e| saved_error(path, &self.solve.scenario, e))?;
        refuse_changed_inputs(
            &file,
            &loaded.inputs,
            self.solve.force,
            self.solve.messages(),
        )?;
        Ok(Some(ToReport {
            loaded,
            proposal,
            saved: Some(file.input),
        }))
    }
}

/// Most misfits of a saved proposal listed; the rest are counted.
const MAX_MISFITS: usize = 10;

/// Why a saved proposal cannot be used, naming the file, and what to do.
fn saved_error(path: &Path, scenario: &Path, error: SavedError) -> CliError {
    let file = path.display();
    match error {
        SavedError::Malformed { .. } => CliError::with_help(
            format!("cannot read the proposal `{file}`: {error}"),
            "pass the JSON file that `caseload rebalance` or `caseload assign` wrote with --format json",
        ),
        SavedError::NoProposal { .. } => CliError::with_help(
            format!("the proposal `{file}` cannot be used: {error}"),
            "run the command without --proposal to solve the scenario again and see why",
        ),
        SavedError::Mismatch(misfits) => {
            let mut message = format!(
                "the proposal `{file}` does not fit the scenario `{}`:",
                scenario.display()
            );
            for misfit in misfits.iter().take(MAX_MISFITS) {
                message.push_str(&format!("\n  - {misfit}"));
            }
            if misfits.len() > MAX_MISFITS {
                message.push_str(&format!(
                    "\n  - and {} more",
                    misfits.len() - MAX_MISFITS
                ));
            }
            CliError::with_help(message, misfit_help(&misfits))
        }
    }
}

/// What to do about misfits: the options that give the proposal's policy, when that is what
/// differs; else use the scenario it was made from, or make a new proposal.
fn misfit_help(misfits: &[Mismatch]) -> String {
    let options: Vec<String> = misfits
        .iter()
        .filter_map(|m| match m {
            Mismatch::Policy {
                key: "max_moves",
                proposal,
                ..
            } if proposal != "none" => Some(format!("--max-moves {proposal}")),
            Mismatch::Policy {
                key: "balance_band",
                proposal,
                ..
            } => Some(format!("--balance-band {proposal}")),
            Mismatch::Policy {
                key: "target_utilization",
                proposal,
                ..
            } => Some(format!("--target {proposal}")),
            _ => None,
        })
        .collect();
    if !options.is_empty() && options.len() == misfits.len() {
        return format!(
            "pass the options the proposal was made with: {}",
            options.join(" ")
        );
    }
    "use the scenario (and the options) the proposal was made from, or make a new proposal with `caseload rebalance SCENARIO --format json --output FILE`".to_string()
}

/// Propose an equitable redistribution of the whole caseload.
///
/// Places new intake and moves existing cases where equity needs it, within the move budget.
/// The objective, in order: (1) the most loaded worker as light as possible; (2) the least
/// overload above target; (3) balance: no case left where a colleague who may take it would
/// end more than balance_band (default 5 points) lower; (4) the fewest reassignments,
/// allowing the policy's equity_tolerance; (5) the most `prefer` wishes honoured. Hard rules always hold: needs,
/// avoid lists, leave, pins, max_cases, families together, and the move budget.
/// Reassignments the rules force (holder on leave, lacking a need, or avoided) do not count
/// against max_moves.
///
/// --format csv writes one table (--table: the moves, the workers or the unplaced cases);
/// --format xlsx a workbook with a sheet for each, the summary, what binds and the handouts;
/// --format html one self-contained page: each worker's utilization as bars, what binds, the
/// moves to sort and filter, and each worker's handout to print.
///
/// Example:
///   caseload rebalance scenarios/riverside.toml
///   caseload rebalance scenarios/riverside.toml --max-moves 5 --format json --output week47.json
///   caseload rebalance scenarios/riverside.toml --format xlsx --output week47.xlsx
///   caseload rebalance scenarios/riverside.toml --format html --output week47.html
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = ONE_PROPOSAL_EXIT_CODES,
    mut_arg("format", Format::only(Format::SPREADSHEETS))
)]
pub struct RebalanceArgs {
    #[command(flatten)]
    solve: SolveArgs,
    #[command(flatten)]
    table: TableArgs,
    /// Cap on discretionary reassignments (overrides the scenario and model policy).
    #[arg(long, value_name = "N")]
    max_moves: Option<u32>,
    /// Also solve with 5 fewer and 5, 10 and 20 more moves, and show what each would give.
    #[arg(long)]
    budget_curve: bool,
}

impl RebalanceArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.solve.messages()
    }

    /// `caseload rebalance`.
    pub fn run(&self) -> Result<Status, CliError> {
        self.solve.run(
            Mode::Rebalance,
            self.max_moves,
            self.budget_curve,
            &self.table,
        )
    }
}

/// Place the week's new intake; keep existing holders.
///
/// Existing cases stay where they are, except those that must move (holder on leave,
/// lacking a need, or avoided) and families split today, which are brought together. New
/// cases are placed equitably with the same objective as `rebalance`. What a weekly batch
/// job runs.
///
/// --format csv, --format xlsx and --format html write what they write for `rebalance`.
///
/// Example:
///   caseload assign scenarios/riverside.toml --format json --output intake.json
///   caseload assign scenarios/riverside.toml --format csv --output intake.csv
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = ONE_PROPOSAL_EXIT_CODES,
    mut_arg("format", Format::only(Format::SPREADSHEETS))
)]
pub struct AssignArgs {
    #[command(flatten)]
    solve: SolveArgs,
    #[command(flatten)]
    table: TableArgs,
}

impl AssignArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.solve.messages()
    }

    /// `caseload assign`.
    pub fn run(&self) -> Result<Status, CliError> {
        self.solve.run(Mode::Assign, None, false, &self.table)
    }
}
