//! `whatif`: the changes as typed on the command line, turned into the library's [`Change`]s,
//! and the changed team's proposal next to today's.

use std::path::{Path, PathBuf};

use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::Loaded;
use caseload::plan::whatif::{apply_changes, rebalance_both, Change, ChangeError};
use caseload::plan::whatif_overlay::{whatif_overlay, OverlayError, PolicyChanges, WhatIfAsked};
use caseload::report::html::whatif_html;
use caseload::report::outcome::verbose_lines;
use caseload::report::whatif::{whatif_csv, whatif_json, whatif_text, whatif_xlsx};

use super::format::{workbook_error, TableArgs};
use super::output::{emit_bytes, ready_to_write, write_atomically};
use super::progress::spinner;
use super::solve::SolveArgs;
use super::{check_time_limit, exit_codes, CliError, Format, Messages, Status};

/// What if: the proposal for a changed team, next to today's.
///
/// Applies the changes to the scenario, rebalances both today's team and the changed one (in
/// parallel), and prints the changed team's proposal and a side-by-side comparison. A worker
/// on leave holds no case and their pins are lifted; an FTE change scales capacity; a hire
/// gets the model's points per FTE and no cases (ids hire-1, hire-2, ...); a surge adds new
/// intake drawn from the team's own cases (acuity, factors, needs), seeded.
///
/// --save-overlay FILE keeps the what-if as an overlay file (`extends = "team.toml"`, see
/// scenarios/README.md) that means exactly what it did: `caseload rebalance FILE` gives the
/// changed team's proposal. It is checked before solving, as --output is, and written
/// atomically, never over an input, nor over an existing file without --force.
///
/// --format csv writes one table of the changed team's proposal (--table, as for
/// `rebalance`); --format xlsx the workbook of `rebalance` for the changed team, with a last
/// sheet comparing it with today's; --format html a page with today's team and the changed
/// one side by side, on one scale, then the changed team's proposal as `rebalance` draws it.
///
/// Example:
///   caseload whatif scenarios/riverside.toml --leave derek
///   caseload whatif scenarios/riverside.toml --fte tom=0.5 --hire "spanish,substance-use@0.8" --surge 15%
///   caseload whatif scenarios/riverside.toml --leave derek --save-overlay scenarios/derek-away.toml
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    mut_arg("format", Format::only(Format::SPREADSHEETS)),
    after_help = exit_codes!(
        solving:
        "0    the changed team's proposal places every case",
        "1    the changed team's proposal leaves some cases unplaced, or there is none (the rules admit no assignment, or time ran out)",
        "2    bad input or usage (a change that does not fit the team, or a what-if --save-overlay cannot keep exactly, included); nothing is written",
    )
)]
pub struct WhatifArgs {
    #[command(flatten)]
    solve: SolveArgs,
    #[command(flatten)]
    table: TableArgs,
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
    /// Skills are those the team uses, in any letter case.
    #[arg(long, value_name = "SKILLS@FTE")]
    hire: Vec<String>,
    /// More intake: this percentage of today's caseload, e.g. 15%.
    #[arg(long, value_name = "PERCENT")]
    surge: Option<String>,
    /// Seed of the surge's draw.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the what-if as an overlay of the scenario to FILE (TOML), which
    /// `caseload rebalance FILE` answers as this what-if does.
    #[arg(long, value_name = "FILE")]
    save_overlay: Option<PathBuf>,
}

impl WhatifArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.solve.messages()
    }

    /// `caseload whatif`.
    pub fn run(&self) -> Result<Status, CliError> {
        let args = &self.solve;
        check_time_limit(args.time_limit)?;
        let table = self.table.for_format(args.format)?;
        let changes = self.changes()?;
        let Some(loaded) = args.load(self.max_moves)? else {
            return Ok(Status::InputError);
        };
        let today = &loaded.scenario;
        let changed =
            apply_changes(today, &changes).map_err(|e| CliError::new(change_error_text(&e)))?;
        let overlay = self.overlay(&loaded, &changes)?;
        let spinner = spinner(args.quiet, "solving today's team and the changed one");
        let what_if = rebalance_both(today, &changed, args.solve_deadline(&loaded));
        spinner.finish_and_clear();
        if args.verbose {
            let messages = self.messages();
            messages.verbose(Some("today"), &verbose_lines(&what_if.before));
            messages.verbose(Some("what if"), &verbose_lines(&what_if.after));
        }
        let view = Explanation::by(&changed, &what_if.after, Some(args.deadline()));
        let runs = &what_if.runs;
        let provenance = Provenance::of(loaded.inputs.clone());
        let bytes = match args.format {
            Format::Text => whatif_text(&view, runs, &args.text_style()).into_bytes(),
            Format::Json => whatif_json(&view, runs, &provenance).into_bytes(),
            Format::Csv => whatif_csv(&view, table).into_bytes(),
            Format::Xlsx => whatif_xlsx(&view, runs, &provenance).map_err(workbook_error)?,
            Format::Html => whatif_html(&view, runs).into_bytes(),
        };
        if let Some((path, text)) = &overlay {
            write_atomically(path, text.as_bytes(), args.force)?;
            self.messages().note(&format!(
                "the what-if is kept in {}: `caseload rebalance {}` answers it",
                path.display(),
                path.display()
            ));
        }
        emit_bytes(args.output.as_deref(), args.force, &bytes)?;
        Ok(Status::placed(what_if.after.is_complete()))
    }

    /// With --save-overlay: where the overlay goes and its text, checked before solving as
    /// --output is (never one of the inputs or the report's file, an existing file only with
    /// --force, its folder creatable), and refused when it cannot mean what the what-if does.
    fn overlay(
        &self,
        loaded: &Loaded,
        changes: &[Change],
    ) -> Result<Option<(PathBuf, String)>, CliError> {
        let Some(path) = &self.save_overlay else {
            return Ok(None);
        };
        let args = &self.solve;
        if args
            .output
            .as_deref()
            .is_some_and(|out| same_file(out, path))
        {
            return Err(CliError::with_help(
                "--output and --save-overlay name the same file; nothing was written",
                "write the report and the overlay to two files",
            ));
        }
        ready_to_write(Some(path), args.force, loaded)?;
        let asked = WhatIfAsked {
            today: &loaded.scenario,
            changes,
            policy: PolicyChanges {
                max_moves: self.max_moves,
                balance_band: args.balance_band,
                target: args.target,
            },
            model: args.model.as_deref(),
        };
        let text = whatif_overlay(&asked, path).map_err(|e| overlay_error(&e))?;
        Ok(Some((path.clone(), text)))
    }

    /// The changes, in the order they are applied: leaves, FTE changes, hires, then the
    /// surge. An error for the first value that does not parse, or when there is no change.
    fn changes(&self) -> Result<Vec<Change>, CliError> {
        let mut changes: Vec<Change> = self.leave.iter().cloned().map(Change::Leave).collect();
        for f in &self.fte {
            changes.push(parse_fte(f)?);
        }
        for h in &self.hire {
            changes.push(parse_hire(h)?);
        }
        if let Some(s) = &self.surge {
            changes.push(parse_surge(s, self.seed)?);
        }
        if changes.is_empty() {
            return Err(CliError::with_help(
                "no change given",
                "say what changes with --leave, --fte, --hire or --surge, e.g. --leave alice",
            ));
        }
        Ok(changes)
    }
}

// --fte, --hire and --surge are parsed when the command runs, not by clap value parsers: the
// messages say what to write (clap's would name the value's type), they come after the check of
// --time-limit as in every command, and --surge needs --seed.

/// Parses `id=0.5`.
fn parse_fte(text: &str) -> Result<Change, CliError> {
    let (id, fte) = text.split_once('=').ok_or_else(|| {
        CliError::new(format!(
            "--fte {text}: write WORKER=FTE, e.g. --fte bob=0.5"
        ))
    })?;
    let fte: f64 = fte.trim().parse().map_err(|_| {
        CliError::new(format!(
            "--fte {text}: `{fte}` is not a number; write e.g. --fte bob=0.5"
        ))
    })?;
    Ok(Change::Fte(id.trim().to_string(), fte))
}

/// Parses `spanish,substance-use@0.8` (FTE 1.0 when `@` is left out).
fn parse_hire(text: &str) -> Result<Change, CliError> {
    let (skills, fte) = match text.rsplit_once('@') {
        Some((skills, fte)) => {
            let fte: f64 = fte.trim().parse().map_err(|_| {
                CliError::new(format!(
                    "--hire {text}: `{fte}` is not an FTE; write e.g. --hire \"spanish,youth@0.8\""
                ))
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

/// Parses `15%` or `15`; `seed` is the draw's (--seed).
fn parse_surge(text: &str, seed: u64) -> Result<Change, CliError> {
    let number = text.trim().trim_end_matches('%');
    let percent: f64 = number.trim().parse().map_err(|_| {
        CliError::new(format!(
            "--surge {text}: write a percentage, e.g. --surge 15%"
        ))
    })?;
    Ok(Change::Surge { percent, seed })
}

/// Whether two paths name one file, which may not exist yet: the same name in the same folder
/// (links and `..` followed, as far as the folders exist).
fn same_file(a: &Path, b: &Path) -> bool {
    let key = |path: &Path| {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let folder = std::fs::canonicalize(folder).or_else(|_| std::path::absolute(folder));
        folder.ok().zip(path.file_name()).map(|(f, n)| f.join(n))
    };
    key(a).is_some() && key(a) == key(b)
}

/// A what-if that cannot be kept as an overlay, and what to do.
fn overlay_error(error: &OverlayError) -> CliError {
    match error {
        OverlayError::Change(e) => CliError::new(change_error_text(e)),
        OverlayError::Path { .. } => CliError::with_help(
            format!("--save-overlay: {error}; nothing was written"),
            "move or rename the file, or save the overlay in another folder",
        ),
        OverlayError::OutOfFileRange { .. } | OverlayError::Unsayable { .. } => {
            CliError::with_help(
                format!("--save-overlay: {error}; nothing was written"),
                "ask the what-if without --save-overlay, or write the overlay by hand (see scenarios/README.md)",
            )
        }
    }
}

/// A change that does not fit the team, in the terms of the options that asked for it.
pub(super) fn change_error_text(error: &ChangeError) -> String {
    match error {
        ChangeError::UnknownWorker {
            id,
            suggestion,
            known,
        } => {
            let hint = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the workers are: {}", known.join(", ")),
            };
            format!("no worker has the id `{id}`; {hint}")
        }
        ChangeError::Fte { worker, fte } => format!(
            "--fte {worker}={fte}: an FTE must be above 0 and at most 1.5; for a leave use --leave {worker}"
        ),
        ChangeError::HireFte { fte } => {
            format!("--hire: an FTE must be above 0 and at most 1.5, not {fte}")
        }
        ChangeError::UnknownSkill {
            skill,
            suggestion,
            known,
        } => {
            let hint = match (suggestion, known.is_empty()) {
                (Some(s), _) => format!("did you mean `{s}`?"),
                (None, true) => "the team uses no skills".to_string(),
                (None, false) => format!("the team's skills are: {}", known.join(", ")),
            };
            format!("--hire: no worker has `{skill}` and no case needs it, so a hire with it would change nothing; {hint}")
        }
        ChangeError::SurgePercent { percent } => format!(
            "--surge: give a percentage above 0 and at most 1000, e.g. 15%, not {percent}"
        ),
        ChangeError::NoCasesToDraw => {
            "--surge: the team has no cases to draw a surge's mix from".to_string()
        }
    }
}
