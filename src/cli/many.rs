//! The commands that run many scenarios: `whatif`, `compare`, `tradeoff` and `batch`, with a
//! progress bar on standard error when it is a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use caseload::explain::Explanation;
use caseload::input::profiles::{load_profiles, profiles_from_team};
use caseload::input::{load_scenario, LoadOptions};
use caseload::plan::compare::{solve_all, summarize, tradeoff, RunSummary};
use caseload::plan::staffing::plan_staffing;
use caseload::plan::whatif::{apply_changes, Change};
use caseload::report::many::{
    compare_csv, compare_json, compare_text, tradeoff_json, tradeoff_text,
};
use caseload::report::proposal::{proposal_json, proposal_text};
use caseload::report::staffing::{staffing_json, staffing_text};
use caseload::solve::model::Mode;
use caseload::solve::{solve, SolveOptions, Status as SolveStatus};

use super::{emit, load, write_atomically, Format, SolveArgs, Status};

/// Options shared by the commands that run many solves or one long one.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Write the result to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    pub force: bool,
    /// Time limit of each solve, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    pub time_limit: f64,
    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A progress bar of `len` steps, or a hidden one when standard error is not a terminal or
/// `quiet` is set.
pub fn progress(len: usize, quiet: bool, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}

/// A spinner showing `template` (indicatif's, e.g. "{pos} budgets solved"), or a hidden one
/// when standard error is not a terminal or `quiet`.
fn spinner(quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {template} {{elapsed}}"))
            .expect("valid template"),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

fn check_time_limit(seconds: f64) -> Result<()> {
    if !(seconds.is_finite() && seconds > 0.0) {
        bail!("error: --time-limit must be a positive number of seconds, not {seconds}");
    }
    Ok(())
}

/// Output formats of the side-by-side table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// For people at a terminal.
    Text,
    /// For programs.
    Json,
    /// For spreadsheets.
    Csv,
}

/// `caseload compare`.
pub fn compare(
    paths: &[PathBuf],
    mode: Mode,
    format: TableFormat,
    run: &RunArgs,
) -> Result<Status> {
    check_time_limit(run.time_limit)?;
    let mut scenarios = Vec::new();
    let mut bad = false;
    for path in paths {
        match load(path, &LoadOptions::default()) {
            Some(loaded) => {
                super::refuse_sources(run.output.as_deref(), &loaded)?;
                scenarios.push(loaded.scenario);
            }
            None => bad = true,
        }
    }
    if bad {
        return Ok(Status::InputError);
    }
    let bar = progress(scenarios.len(), run.quiet, "solving");
    let proposals = solve_all(
        &scenarios,
        &SolveOptions {
            mode,
            time_limit: run.time_limit,
        },
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    let runs: Vec<RunSummary> = scenarios
        .iter()
        .zip(&proposals)
        .map(|(s, p)| summarize(s, p))
        .collect();
    let text = match format {
        TableFormat::Text => compare_text(&runs),
        TableFormat::Json => compare_json(&runs),
        TableFormat::Csv => compare_csv(&runs),
    };
    emit(run.output.as_deref(), run.force, &text)?;
    Ok(if proposals.iter().any(|p| !p.is_complete()) {
        Status::Unplaced
    } else {
        Status::Done
    })
}

/// `caseload tradeoff`.
pub fn tradeoff_command(
    path: &Path,
    max_moves: Option<u32>,
    format: Format,
    run: &RunArgs,
) -> Result<Status> {
    check_time_limit(run.time_limit)?;
    let Some(loaded) = load(path, &LoadOptions::default()) else {
        return Ok(Status::InputError);
    };
    super::refuse_sources(run.output.as_deref(), &loaded)?;
    let scenario = &loaded.scenario;
    // More budget than cases buys nothing.
    let cases = u32::try_from(scenario.cases.len()).unwrap_or(u32::MAX);
    let max = max_moves.map(|m| m.min(cases));
    // How many solves is not known ahead without --max-moves: a count, not a bar.
    let bar = match max {
        Some(m) => progress(m as usize + 1, run.quiet, "budgets"),
        None => spinner(run.quiet, "{pos} budgets solved"),
    };
    let curve = tradeoff(scenario, max, run.time_limit, &|| bar.inc(1));
    bar.finish_and_clear();
    let text = match format {
        Format::Text => tradeoff_text(&scenario.name, &curve, max_moves.is_none()),
        Format::Json => tradeoff_json(&scenario.name, &curve),
    };
    emit(run.output.as_deref(), run.force, &text)?;
    Ok(Status::Done)
}

/// Parses `id=0.5`.
fn parse_fte(text: &str) -> Result<Change> {
    let (id, fte) = text
        .split_once('=')
        .with_context(|| format!("error: --fte {text}: write WORKER=FTE, e.g. --fte bob=0.5"))?;
    let fte: f64 = fte.trim().parse().map_err(|_| {
        anyhow::anyhow!("error: --fte {text}: `{fte}` is not a number; write e.g. --fte bob=0.5")
    })?;
    Ok(Change::Fte(id.trim().to_string(), fte))
}

/// Parses `spanish,substance-use@0.8` (FTE 1.0 when `@` is left out).
fn parse_hire(text: &str) -> Result<Change> {
    let (skills, fte) = match text.rsplit_once('@') {
        Some((skills, fte)) => {
            let fte: f64 = fte.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "error: --hire {text}: `{fte}` is not an FTE; write e.g. --hire \"spanish,youth@0.8\""
                )
            })?;
            (skills, fte)
        }
        None => (text, 1.0),
    };
    let skills = skills
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Change::Hire { skills, fte })
}

/// Parses `15%` or `15`.
fn parse_surge(text: &str, seed: u64) -> Result<Change> {
    let number = text.trim().trim_end_matches('%');
    let percent: f64 = number.trim().parse().map_err(|_| {
        anyhow::anyhow!("error: --surge {text}: write a percentage, e.g. --surge 15%")
    })?;
    Ok(Change::Surge { percent, seed })
}

/// What `whatif` changes, as typed.
pub struct WhatIfChanges {
    /// `--leave`.
    pub leave: Vec<String>,
    /// `--fte`.
    pub fte: Vec<String>,
    /// `--hire`.
    pub hire: Vec<String>,
    /// `--surge`.
    pub surge: Option<String>,
    /// `--seed`.
    pub seed: u64,
}

/// `caseload whatif`.
pub fn whatif(args: &SolveArgs, max_moves: Option<u32>, changes: &WhatIfChanges) -> Result<Status> {
    check_time_limit(args.time_limit)?;
    let mut list: Vec<Change> = changes.leave.iter().cloned().map(Change::Leave).collect();
    for f in &changes.fte {
        list.push(parse_fte(f)?);
    }
    for h in &changes.hire {
        list.push(parse_hire(h)?);
    }
    if let Some(s) = &changes.surge {
        list.push(parse_surge(s, changes.seed)?);
    }
    if list.is_empty() {
        bail!("error: no change given\n  = help: say what changes with --leave, --fte, --hire or --surge, e.g. --leave alice");
    }
    if let Some(out) = &args.output {
        super::refuse_input_as_output(out, &[&args.scenario])?;
    }
    let options = LoadOptions {
        model: args.model.clone(),
        max_moves,
    };
    let Some(loaded) = load(&args.scenario, &options) else {
        return Ok(Status::InputError);
    };
    super::refuse_sources(args.output.as_deref(), &loaded)?;
    let today = &loaded.scenario;
    let changed = apply_changes(today, &list).map_err(|e| anyhow::anyhow!("error: {e}"))?;
    let solve_options = SolveOptions {
        mode: Mode::Rebalance,
        time_limit: args.time_limit,
    };
    let (before, after) = rayon::join(
        || solve(today, &solve_options),
        || solve(&changed, &solve_options),
    );
    let view = Explanation::of(&changed, &after);
    let runs = [summarize(today, &before), summarize(&changed, &after)];
    let text = match args.format {
        Format::Text => format!(
            "{}\nCompared with today's team:\n{}",
            proposal_text(&view),
            compare_text(&runs)
        ),
        Format::Json => {
            let proposal: serde_json::Value =
                serde_json::from_str(&proposal_json(&view)).expect("proposal JSON parses");
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "today": runs[0],
                "what_if": runs[1],
                "proposal": proposal,
            }))
            .expect("serializes");
            text.push('\n');
            text
        }
    };
    emit(args.output.as_deref(), args.force, &text)?;
    Ok(if !after.is_complete() {
        Status::Unplaced
    } else {
        Status::Done
    })
}

/// `caseload staffing`.
pub fn staffing(
    path: &Path,
    target: Option<f64>,
    profiles_path: Option<&Path>,
    format: Format,
    run: &RunArgs,
) -> Result<Status> {
    check_time_limit(run.time_limit)?;
    if let Some(t) = target {
        if !(t.is_finite() && t > 0.0 && t <= 10.0) {
            bail!("error: --target must be a utilization above 0, e.g. 0.9 for 90%, not {t}");
        }
    }
    if let Some(out) = &run.output {
        let mut inputs = vec![path];
        inputs.extend(profiles_path);
        super::refuse_input_as_output(out, &inputs)?;
    }
    let Some(loaded) = load(path, &LoadOptions::default()) else {
        return Ok(Status::InputError);
    };
    super::refuse_sources(run.output.as_deref(), &loaded)?;
    let scenario = &loaded.scenario;
    let profiles = match profiles_path {
        Some(p) => match load_profiles(p) {
            Ok(profiles) => profiles,
            Err(error) => {
                eprintln!("{error}");
                return Ok(Status::InputError);
            }
        },
        None => profiles_from_team(scenario),
    };
    let target = target.unwrap_or(scenario.policy.target_utilization);
    let spinner = spinner(run.quiet, "planning hires");
    let plan = plan_staffing(scenario, &profiles, target, run.time_limit);
    spinner.finish_and_clear();
    let text = match format {
        Format::Text => staffing_text(scenario, &profiles, &plan),
        Format::Json => staffing_json(scenario, &profiles, &plan),
    };
    emit(run.output.as_deref(), run.force, &text)?;
    Ok(match plan.status {
        SolveStatus::Optimal | SolveStatus::Feasible => Status::Done,
        _ => Status::Unplaced,
    })
}

/// Which job `batch` runs on each scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchCommand {
    /// Place new intake, keep holders.
    Assign,
    /// Rebalance the whole caseload.
    Rebalance,
}

/// One scenario's outcome in a batch.
#[derive(serde::Serialize)]
struct BatchEntry {
    file: String,
    exit_code: u8,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposal: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<RunSummary>,
}

/// `caseload batch`.
pub fn batch(
    dir: &Path,
    out_dir: &Path,
    command: BatchCommand,
    time_limit: f64,
    force: bool,
    quiet: bool,
) -> Result<Status> {
    check_time_limit(time_limit)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("error: cannot read the directory `{}`", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!(
            "error: `{}` holds no scenario (*.toml) files\n  = help: name the directory that holds the week's scenarios",
            dir.display()
        );
    }
    // Output names come from the file names: they must be text, and not clash with the summary.
    for f in &files {
        match f.file_stem().and_then(|s| s.to_str()) {
            None => bail!(
                "error: the file name `{}` is not UTF-8 text; nothing was run\n  = help: rename the scenario file",
                f.display()
            ),
            Some("summary") => bail!(
                "error: `{}` would write summary.json, which holds the batch's summary; nothing was run\n  = help: rename the scenario file",
                f.display()
            ),
            Some(_) => {}
        }
    }
    let target = |p: &Path| {
        out_dir.join(format!(
            "{}.json",
            p.file_stem().and_then(|s| s.to_str()).unwrap_or_default()
        ))
    };
    let mut outputs: Vec<PathBuf> = files.iter().map(|f| target(f)).collect();
    outputs.push(out_dir.join("summary.json"));
    outputs.push(out_dir.join("summary.txt"));
    if !force {
        if let Some(existing) = outputs.iter().find(|p| p.exists()) {
            bail!(
                "error: `{}` already exists; nothing was written\n  = help: choose another --output directory, or pass --force to replace its files",
                existing.display()
            );
        }
    }
    for f in &files {
        super::refuse_input_as_output(&target(f), &[f.as_path()])?;
    }
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("error: cannot create `{}`", out_dir.display()))?;
    let mode = match command {
        BatchCommand::Assign => Mode::Assign,
        BatchCommand::Rebalance => Mode::Rebalance,
    };
    let bar = progress(files.len(), quiet, "scenarios");
    let entries: Vec<BatchEntry> = files
        .par_iter()
        .map(|file| {
            let entry = run_one(file, &target(file), mode, time_limit);
            bar.inc(1);
            entry
        })
        .collect();
    bar.finish_and_clear();
    for e in &entries {
        for error in &e.errors {
            eprintln!("{error}\n");
        }
    }
    let worst = entries.iter().map(|e| e.exit_code).max().unwrap_or(0);
    let mut json = serde_json::to_string_pretty(&serde_json::json!({
        "command": match command { BatchCommand::Assign => "assign", BatchCommand::Rebalance => "rebalance" },
        "exit_code": worst,
        "scenarios": entries,
    }))
    .expect("summary serializes");
    json.push('\n');
    let text = batch_text(&entries);
    write_atomically(&out_dir.join("summary.json"), json.as_bytes(), true)?;
    write_atomically(&out_dir.join("summary.txt"), text.as_bytes(), true)?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(match worst {
        0 => Status::Done,
        1 => Status::Unplaced,
        _ => Status::InputError,
    })
}

fn run_one(file: &Path, output: &Path, mode: Mode, time_limit: f64) -> BatchEntry {
    let name = file.display().to_string();
    let loaded = match load_scenario(file, &LoadOptions::default()) {
        Ok(l) => l,
        Err(error) => {
            // A proposal from an earlier run (replaced with --force) must not stand beside a
            // summary that says this scenario failed.
            let _ = std::fs::remove_file(output);
            return BatchEntry {
                file: name,
                exit_code: 2,
                outcome: "input error",
                proposal: None,
                errors: vec![error.to_string()],
                summary: None,
            };
        }
    };
    let scenario = &loaded.scenario;
    let proposal = solve(scenario, &SolveOptions { mode, time_limit });
    let view = Explanation::of(scenario, &proposal);
    let written = write_atomically(output, proposal_json(&view).as_bytes(), true);
    let (exit_code, outcome, errors) = match (written, !proposal.is_complete()) {
        (Err(e), _) => (2, "not written", vec![format!("{e:#}")]),
        (Ok(()), true) => (1, "cases unplaced or no proposal", Vec::new()),
        (Ok(()), false) => (0, "done", Vec::new()),
    };
    BatchEntry {
        file: name,
        exit_code,
        outcome,
        proposal: (exit_code < 2).then(|| output.display().to_string()),
        errors,
        summary: Some(summarize(scenario, &proposal)),
    }
}

fn batch_text(entries: &[BatchEntry]) -> String {
    let width = entries
        .iter()
        .map(|e| e.file.chars().count())
        .max()
        .unwrap_or(4);
    let mut out = String::new();
    for e in entries {
        let detail = match &e.summary {
            Some(s) => format!(
                "{:?}, max utilization {:.0}% → {:.0}%, {} moves, {} unplaced",
                s.status,
                100.0 * s.max_utilization_before,
                100.0 * s.max_utilization_after,
                s.moves,
                s.unplaced
            )
            .to_lowercase(),
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<width$}  exit {}  {}{}{}\n",
            e.file,
            e.exit_code,
            e.outcome,
            if detail.is_empty() { "" } else { ": " },
            detail
        ));
    }
    let worst = entries.iter().map(|e| e.exit_code).max().unwrap_or(0);
    let ok = entries.iter().filter(|e| e.exit_code == 0).count();
    let unwritten = entries
        .iter()
        .filter(|e| e.outcome == "not written")
        .count();
    out.push_str(&format!(
        "{} scenarios: {ok} done, {} with unplaced cases or no proposal, {} not run (input errors){}; exit {worst}\n",
        entries.len(),
        entries.iter().filter(|e| e.exit_code == 1).count(),
        entries.iter().filter(|e| e.outcome == "input error").count(),
        if unwritten > 0 {
            format!(", {unwritten} not written")
        } else {
            String::new()
        }
    ));
    out
}
