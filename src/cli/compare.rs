//! `compare` and `tradeoff`: many solves in parallel, shown side by side, with progress on a
//! terminal.

use std::path::PathBuf;

use caseload::input::provenance::Provenance;
use caseload::input::LoadOptions;
use caseload::plan::compare::{
    solve_all, summarize, tradeoff, unlimited_budget, CurveRange, RunSummary,
};
use caseload::report::compare::{
    compare_csv, compare_json, compare_text, tradeoff_csv, tradeoff_json, tradeoff_text,
    tradeoff_xlsx,
};
use caseload::report::html::{compare_html, tradeoff_html};
use caseload::report::outcome::{trace_lines, verbose_lines};
use caseload::solve::model::Mode;

use super::format::workbook_error;
use super::output::{emit, emit_bytes, ready_to_write};
use super::progress::{progress, spinner};
use super::terminal::report_style;
use super::{
    check_time_limit, deadline, exit_codes, load, seconds_left, CliError, Format, Messages,
    RunArgs, Status,
};

/// Solve several scenarios in parallel and show them side by side.
///
/// Workers, FTE, capacity, total weight, max utilization and spread before and after,
/// overload, moves, unplaced cases, and workers over target, one column per scenario, in the
/// order given. Which option is better, and by how much. --format html draws them side by side
/// on one scale, in one self-contained page.
///
/// Example:
///   caseload compare scenarios/riverside.toml scenarios/riverside-leave.toml scenarios/riverside-new-hire.toml
///   caseload compare scenarios/riverside*.toml --format csv --output options.csv
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        solving:
        "0    every scenario's proposal places every case",
        "1    some scenario's proposal leaves cases unplaced, or some scenario has none (the rules admit no assignment, or time ran out); the table is written all the same",
        "2    some scenario cannot be used (every problem of every scenario listed), or a usage error; nothing is written",
    )
)]
pub struct CompareArgs {
    /// The scenario files (TOML).
    #[arg(required = true, num_args = 1..)]
    scenarios: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, value_parser = Format::among(Format::TABLE), default_value_t = Format::Text)]
    format: Format,
    /// Compare the intake job (`assign`) instead of `rebalance`.
    #[arg(long)]
    assign: bool,
    /// Cap on discretionary reassignments in every scenario (overrides their policies).
    #[arg(long, value_name = "N", conflicts_with = "assign")]
    max_moves: Option<u32>,
    /// Use this acuity model for every scenario instead of the ones they name.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    #[command(flatten)]
    run: RunArgs,
}

impl CompareArgs {
    /// How the command writes its messages (CSV is for the table only: text).
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// `caseload compare`.
    pub fn run(&self) -> Result<Status, CliError> {
        let run = &self.run;
        check_time_limit(run.time_limit)?;
        // Every scenario is read, so that all their problems are printed at once.
        let mut scenarios = Vec::new();
        let mut inputs = Vec::new();
        let mut bad = false;
        let options = LoadOptions {
            model: self.model.clone(),
            max_moves: self.max_moves,
            ..LoadOptions::default()
        };
        for path in &self.scenarios {
            match load(path, &options, self.messages()) {
                Some(loaded) => {
                    ready_to_write(run.output.as_deref(), run.force, &loaded)?;
                    inputs.extend(loaded.inputs);
                    scenarios.push(loaded.scenario);
                }
                None => bad = true,
            }
        }
        if bad {
            return Ok(Status::InputError);
        }
        let mode = if self.assign {
            Mode::Assign
        } else {
            Mode::Rebalance
        };
        let bar = progress(scenarios.len(), run.quiet, "solving");
        let proposals = solve_all(&scenarios, mode, deadline(run.time_limit), &|| bar.inc(1));
        bar.finish_and_clear();
        if run.verbose {
            for (path, proposal) in self.scenarios.iter().zip(&proposals) {
                let label = path.display().to_string();
                self.messages()
                    .verbose(Some(&label), &verbose_lines(proposal));
            }
        }
        let runs: Vec<RunSummary> = scenarios
            .iter()
            .zip(&proposals)
            .map(|(s, p)| summarize(s, p))
            .collect();
        let text = match self.format {
            Format::Text => compare_text(&runs, &report_style(run.output.as_deref())),
            Format::Json => compare_json(&runs, &Provenance::of(inputs)),
            Format::Csv => compare_csv(&runs),
            Format::Html => compare_html(&runs),
            Format::Xlsx => unreachable!("compare writes Format::TABLE"),
        };
        emit(run.output.as_deref(), run.force, &text)?;
        Ok(Status::placed(proposals.iter().all(|p| p.is_complete())))
    }
}

/// The equity-continuity curve: the best max utilization for each move budget.
///
/// For each budget 0, 1, 2, ... up to --max-moves, or without it up to the first budget that
/// reaches the equity of an unlimited budget: the least max utilization, then overload, then
/// the fewest moves (the policy's equity tolerance, which gives up a little equity for fewer
/// moves when one proposal is chosen, has no part in it). Shows where extra moves stop paying
/// off. A larger budget never shows a worse proposal. The budgets are solved in rounds, in
/// parallel, each building on the proposals and bounds of the others.
///
/// Without --max-moves, a range of more than 16 budgets is shown in steps that keep the curve
/// to about 16 budgets, so that it comes back in seconds; --step 1 shows every budget, and
/// --step N every N-th (the last budget always).
///
/// --format csv writes one row per budget; --format xlsx a workbook with the curve, its chart
/// and a summary; --format html a page with the curve drawn.
///
/// Example:
///   caseload tradeoff scenarios/county-east.toml --max-moves 12
///   caseload tradeoff scenarios/riverside.toml --max-moves 6 --format csv
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        solving:
        "0    every budget on the curve has a proposal that places every case",
        "1    some budget's proposal leaves cases unplaced, or some budget has none (the rules admit no assignment, or time ran out), or time ran out before any budget was solved; the curve is written all the same",
        "2    bad input or usage; nothing is written",
    )
)]
pub struct TradeoffArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// The largest budget to try.
    #[arg(long, value_name = "K")]
    max_moves: Option<u32>,
    /// Show budgets N apart (1: every budget); without it, every budget up to --max-moves, or
    /// steps that keep a range the tool chose to about 16 budgets.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    step: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, value_parser = Format::among(Format::SPREADSHEETS), default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    run: RunArgs,
}

impl TradeoffArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// `caseload tradeoff`.
    pub fn run(&self) -> Result<Status, CliError> {
        let run = &self.run;
        check_time_limit(run.time_limit)?;
        self.format.check_destination(run.output.as_deref())?;
        let Some(loaded) = load(&self.scenario, &LoadOptions::default(), self.messages()) else {
            return Ok(Status::InputError);
        };
        ready_to_write(run.output.as_deref(), run.force, &loaded)?;
        let scenario = &loaded.scenario;
        let max = self.max_moves.map(|m| m.min(unlimited_budget(scenario)));
        // How many solves is not known ahead without --max-moves: a count, not a bar.
        let bar = match max {
            Some(m) => progress(
                m.div_ceil(self.step.unwrap_or(1)) as usize + 1,
                run.quiet,
                "budgets",
            ),
            None => spinner(run.quiet, "{pos} budgets solved"),
        };
        let tradeoff = tradeoff(
            scenario,
            CurveRange {
                max,
                step: self.step,
            },
            seconds_left(run.time_limit),
            &|| bar.inc(1),
        );
        bar.finish_and_clear();
        if run.verbose {
            for point in &tradeoff.curve {
                let label = format!("budget {}", point.max_moves);
                self.messages()
                    .verbose(Some(&label), &trace_lines(&point.trace));
            }
        }
        let reached_best = self.max_moves.is_none();
        let provenance = Provenance::of(loaded.inputs.clone());
        let name = &scenario.name;
        let bytes = match self.format {
            Format::Text => {
                let style = report_style(run.output.as_deref());
                tradeoff_text(name, &tradeoff, reached_best, &style).into_bytes()
            }
            Format::Json => tradeoff_json(name, &tradeoff, &provenance).into_bytes(),
            Format::Csv => tradeoff_csv(&tradeoff).into_bytes(),
            Format::Xlsx => {
                tradeoff_xlsx(name, &tradeoff, reached_best, &provenance).map_err(workbook_error)?
            }
            Format::Html => tradeoff_html(name, &tradeoff, reached_best).into_bytes(),
        };
        emit_bytes(run.output.as_deref(), run.force, &bytes)?;
        // As for one solve: 1 when some budget has no proposal or leaves cases unplaced, or
        // when no budget was solved at all.
        let curve = &tradeoff.curve;
        Ok(Status::placed(
            !curve.is_empty() && curve.iter().all(|p| p.is_complete()),
        ))
    }
}
