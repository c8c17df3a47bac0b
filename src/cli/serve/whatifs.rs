//! The dashboard's what-ifs: each change a supervisor asks about is solved once, in the
//! background (on tokio's blocking pool, off the request threads), by the same library calls as
//! `caseload whatif`, and kept with its reports already rendered for its page and downloads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use caseload::domain::Scenario;
use caseload::explain::why_not::why_not;
use caseload::explain::{seconds_to_explain, Explanation};
use caseload::input::apply::apply_assignments;
use caseload::input::provenance::Provenance;
use caseload::input::{LoadOptions, Loaded};
use caseload::plan::budget::{budget_curve, budgets_around};
use caseload::plan::compare::{summarize, RunSummary};
use caseload::plan::seconds_until;
use caseload::plan::whatif::{apply_changes, rebalance_both, Change};
use caseload::plan::whatif_overlay::{
    rebalance_command, whatif_command, whatif_overlay, OverlayError, PolicyChanges, WhatIfAsked,
};
use caseload::report::html::{proposal_html, whatif_html};
use caseload::report::proposal::ProposalTable;
use caseload::report::style::TextStyle;
use caseload::report::whatif::{whatif_csv, whatif_json, whatif_xlsx};
use caseload::report::why::{case_text, staff_text};
use caseload::solve::model::Mode;
use caseload::solve::stop::StopHandle;
use caseload::solve::{solve, Proposal, SolveOptions};

use super::super::apply::write_applied;
use super::super::explain::{no_such_case, no_such_worker};
use super::super::output::{refuse_input_as_output, write_new};
use super::super::whatif::change_error_text;

/// One what-if as the supervisor asked it: the changes, and the policy overrides the command
/// line's `--max-moves`, `--balance-band` and `--target` would give.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The changes, in the order `caseload whatif` applies them.
    pub changes: Vec<Change>,
    /// The move budget, when it changes.
    pub max_moves: Option<u32>,
    /// The balance band, when it changes.
    pub balance_band: Option<f64>,
    /// The target utilization, when it changes.
    pub target: Option<f64>,
}

impl Asked {
    /// The policy it changes.
    pub fn policy(&self) -> PolicyChanges {
        PolicyChanges {
            max_moves: self.max_moves,
            balance_band: self.balance_band,
            target: self.target,
        }
    }
}

/// A what-if's reports, as `caseload whatif --format ...` writes them.
#[derive(Debug)]
pub struct Reports {
    /// The changed team's name, which says what changed.
    pub title: String,
    /// `--format html`: today's team and the changed one side by side, then the proposal.
    pub html: String,
    /// `--format json`.
    pub json: String,
    /// `--format csv` (the moves).
    pub csv: String,
    /// `--format xlsx`.
    pub xlsx: Vec<u8>,
    /// The changed team and its proposal, for the questions about one case or worker.
    pub solved: Solved,
    /// The changed team in a comparison's figures, as `caseload compare` shows it.
    pub changed: RunSummary,
    /// What was asked, to keep it as an overlay.
    pub asked: Asked,
}

/// A what-if kept as an overlay beside the scenario.
#[derive(Debug)]
pub struct SavedOverlay {
    /// The file written.
    pub path: PathBuf,
    /// `caseload rebalance FILE`, which answers it, when it can be typed.
    pub rebalance: Option<String>,
    /// The `caseload whatif` command that asks the same, when there is one.
    pub whatif: Option<String>,
}

/// A team and its proposal, kept to answer about one case or one worker as `caseload explain`
/// does.
#[derive(Debug)]
pub struct Solved {
    /// The team.
    pub scenario: Scenario,
    /// Its proposal.
    pub proposal: Proposal,
}

/// Whom a question is about: a case (`?case=ID`) or a worker (`?worker=ID`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Question {
    #[serde(default)]
    case: String,
    #[serde(default)]
    worker: String,
}

impl Solved {
    /// The answer of `caseload explain --case ID` (or `--staff ID`) as plain text, or what to
    /// ask instead.
    pub fn answer(&self, question: &Question) -> Result<String, String> {
        let scenario = &self.scenario;
        let view = Explanation::by(scenario, &self.proposal, None);
        let plain = TextStyle::default();
        // An id as given (an id may begin or end with a space), else as typed without them.
        let (case, worker) = (question.case.as_str(), question.worker.as_str());
        if !case.trim().is_empty() {
            let ci = scenario
                .case_by_id(case)
                .or_else(|| scenario.case_by_id(case.trim()))
                .ok_or_else(|| sentence(no_such_case(scenario, case.trim())))?;
            let verdicts = why_not(scenario, &self.proposal, &view.figures, ci);
            return Ok(case_text(&view, ci, &verdicts, None, &plain));
        }
        if !worker.trim().is_empty() {
            let w = scenario
                .staff_by_id(worker)
                .or_else(|| scenario.staff_by_id(worker.trim()))
                .ok_or_else(|| sentence(no_such_worker(scenario, worker.trim())))?;
            return Ok(staff_text(&view, w, &plain));
        }
        Err("ask about a case (its id) or a worker".to_string())
    }
}

/// Why a what-if cannot be kept as an overlay, as a sentence of a page.
fn overlay_error_text(error: &OverlayError) -> String {
    match error {
        OverlayError::Change(e) => change_error_text(e),
        other => format!("{other}; nothing was written"),
    }
}

/// A problem and what to do about it, as one sentence of a page.
fn sentence((message, help): (String, String)) -> String {
    format!("{message}; {help}")
}

/// Where a solve stands.
#[derive(Debug)]
pub enum State {
    /// Solving, since the instant given.
    Solving(Instant),
    /// Solved in the time given.
    Done(Box<Reports>, Duration),
    /// The change could not be solved (the scenario's files no longer load, for one).
    Failed(String),
    /// The supervisor cancelled it while it was solving: its solve is finishing early, and its
    /// result will be dropped.
    Cancelling,
    /// Cancelled, and its solve has ended.
    Cancelled,
}

/// One what-if on the dashboard.
#[derive(Debug)]
pub struct Entry {
    /// What was asked, in words.
    pub said: String,
    /// Where its solve stands.
    pub state: State,
    /// Stops its solve alone.
    pub stop: StopHandle,
}

/// The team the dashboard serves, today's proposal and every what-if asked, in the order asked.
pub struct Board {
    /// The scenario file given on the command line: the only path ever read.
    pub path: PathBuf,
    /// Today's team, as loaded at the start.
    pub today: Arc<Loaded>,
    /// Seconds each solve (and its explanation) may take.
    pub time_limit: f64,
    /// Today's proposal's page, as `rebalance --format html --budget-curve` draws it; none
    /// while solving.
    overview: Mutex<Option<String>>,
    /// Today's team and proposal, once solved.
    today_solved: Mutex<Option<Arc<Solved>>>,
    whatifs: Mutex<Vec<Entry>>,
}

impl Board {
    /// A board for `today`, with no what-if yet.
    pub fn new(path: PathBuf, today: Loaded, time_limit: f64) -> Board {
        Board {
            path,
            today: Arc::new(today),
            time_limit,
            overview: Mutex::new(None),
            today_solved: Mutex::new(None),
            whatifs: Mutex::new(Vec::new()),
        }
    }

    /// Today's proposal's page; none while solving.
    pub fn overview(&self) -> MutexGuard<'_, Option<String>> {
        lock(&self.overview)
    }

    /// Every what-if, in the order asked (numbered from 1 on the pages).
    pub fn whatifs(&self) -> MutexGuard<'_, Vec<Entry>> {
        lock(&self.whatifs)
    }

    /// Today's team and every solved what-if's changed team, in the order asked, as
    /// `caseload compare` of the scenario and the what-ifs' overlays would show them; `None`
    /// until today's team and at least one what-if are solved.
    pub fn compared(&self) -> Option<Vec<RunSummary>> {
        let today = self.today_solved()?;
        let mut runs = vec![summarize(&today.scenario, &today.proposal)];
        runs.extend(self.whatifs().iter().filter_map(|e| match &e.state {
            State::Done(reports, _) => Some(reports.changed.clone()),
            _ => None,
        }));
        (runs.len() > 1).then_some(runs)
    }

    /// Checks `asked` against today's team and records it as solving; its number (from 1), or
    /// what does not fit the team.
    pub fn ask(&self, asked: &Asked) -> Result<usize, String> {
        let changed = apply_changes(&self.today.scenario, &asked.changes)
            .map_err(|e| change_error_text(&e))?;
        let mut said = changed
            .name
            .split_once(" — what if: ")
            .map_or(String::new(), |(_, s)| s.to_string());
        for policy in asked.policy().said() {
            said = join(&said, &policy);
        }
        let mut list = self.whatifs();
        list.push(Entry {
            said,
            state: State::Solving(Instant::now()),
            stop: StopHandle::default(),
        });
        Ok(list.len())
    }

    /// The stop of what-if `number`'s solve (which must have been asked).
    pub fn stop_of(&self, number: usize) -> StopHandle {
        self.whatifs()[number - 1].stop.clone()
    }

    /// Records the result of what-if `number`, or that it was cancelled.
    pub fn finish(&self, number: usize, result: Result<Reports, String>) {
        let mut list = self.whatifs();
        let entry = &mut list[number - 1];
        entry.state = match entry.state {
            State::Solving(started) => match result {
                Ok(reports) => State::Done(Box::new(reports), started.elapsed()),
                Err(message) => State::Failed(message),
            },
            _ => State::Cancelled,
        };
    }

    /// Cancels what-if `number` if it is still solving: its solve is asked to finish with what
    /// it has, and the result is dropped. False when there is no such what-if.
    pub fn cancel(&self, number: usize) -> bool {
        let mut list = self.whatifs();
        let Some(entry) = number.checked_sub(1).and_then(|i| list.get_mut(i)) else {
            return false;
        };
        if matches!(entry.state, State::Solving(_)) {
            entry.state = State::Cancelling;
            entry.stop.request();
        }
        true
    }

    /// Whether what-if `number` (which must have been asked) was cancelled.
    pub fn is_cancelled(&self, number: usize) -> bool {
        matches!(
            self.whatifs()[number - 1].state,
            State::Cancelling | State::Cancelled
        )
    }

    /// Solves today's team and records its page: what
    /// `caseload rebalance --format html --budget-curve` writes.
    pub fn solve_overview(&self) {
        let scenario = &self.today.scenario;
        let deadline = deadline(self.time_limit);
        let solve_by = solve_deadline(scenario, self.time_limit, deadline);
        let options = SolveOptions {
            mode: Mode::Rebalance,
            time_limit: seconds_until(solve_by),
        };
        let proposal = solve(scenario, &options);
        let mut view = Explanation::by(scenario, &proposal, Some(deadline));
        if view.proposal.budget.is_some() {
            let budgets = budgets_around(scenario.policy.max_moves);
            let curve = budget_curve(scenario, &budgets, solve_by, &|| {});
            view = view.with_budget_curve(curve.into_iter().flatten().collect());
        }
        let page = proposal_html(&view);
        // The answers first: the overview offers them once its page is there.
        *lock(&self.today_solved) = Some(Arc::new(Solved {
            scenario: scenario.clone(),
            proposal,
        }));
        *self.overview() = Some(page);
    }

    /// Today's team and proposal, once solved.
    pub fn today_solved(&self) -> Option<Arc<Solved>> {
        lock(&self.today_solved).clone()
    }

    /// Where the dashboard may write: a new file beside today's scenario, named after it
    /// (`riverside.toml` and `-next.toml` → `riverside-next.toml`), never over one of
    /// [`Board::inputs`] nor over a file that exists. The browser never names a file.
    fn beside_scenario(&self, suffix: &str) -> PathBuf {
        let stem = self
            .path
            .file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        self.path.with_file_name(format!("{stem}{suffix}"))
    }

    /// The files the dashboard never writes over: today's scenario and every file its team
    /// was read from.
    fn inputs(&self) -> Vec<&Path> {
        let mut inputs: Vec<&Path> = self.today.inputs.iter().map(|f| f.path.as_path()).collect();
        inputs.push(&self.path);
        inputs
    }

    /// Where `apply` from the dashboard writes next week's scenario (`riverside-next.toml`).
    pub fn next_scenario(&self) -> PathBuf {
        self.beside_scenario("-next.toml")
    }

    /// Writes next week's scenario with today's proposal's holders, as `caseload apply` does
    /// (its cases CSV or workbook beside it): never over an input or an existing file. The
    /// files written, or why nothing was.
    pub fn apply_today(&self) -> Result<Vec<PathBuf>, String> {
        let solved = self
            .today_solved()
            .ok_or("today's proposal is still being solved")?;
        let scenario = &solved.scenario;
        let assignments = solved
            .proposal
            .holder_after
            .iter_enumerated()
            .filter_map(|(c, w)| {
                let w = (*w)?;
                Some((scenario.cases[c].id.clone(), scenario.staff[w].id.clone()))
            })
            .collect();
        let next = self.next_scenario();
        let applied =
            apply_assignments(scenario, Path::new("today's proposal"), &assignments, &next)
                .map_err(|e| e.to_string())?;
        write_applied(&applied, &next, &self.inputs(), false).map_err(|e| e.to_string())
    }

    /// What was asked in what-if `number`, once it is solved.
    fn asked_of_solved(&self, number: usize) -> Result<Asked, String> {
        let list = self.whatifs();
        match number
            .checked_sub(1)
            .and_then(|i| list.get(i))
            .map(|e| &e.state)
        {
            Some(State::Done(reports, _)) => Ok(reports.asked.clone()),
            Some(_) => Err("only a solved what-if can be kept, and this one is not".to_string()),
            None => Err("there is no such what-if".to_string()),
        }
    }

    /// Keeps solved what-if `number` as an overlay of today's scenario:
    /// `riverside-whatif-N.toml` beside it, or `riverside-whatif-N-2.toml`, `-3`, ... when that
    /// exists or is one of the team's files (never over a file, even one written meanwhile). The file, or why nothing was
    /// written.
    pub fn save_overlay(&self, number: usize) -> Result<SavedOverlay, String> {
        let asked = self.asked_of_solved(number)?;
        let inputs = self.inputs();
        for copy in 1..=MAX_COPIES {
            let suffix = match copy {
                1 => format!("-whatif-{number}.toml"),
                _ => format!("-whatif-{number}-{copy}.toml"),
            };
            let path = self.beside_scenario(&suffix);
            let taken = std::fs::symlink_metadata(&path).is_ok();
            if taken || refuse_input_as_output(&path, &inputs).is_err() {
                continue; // a file that exists or one of today's team: the next name
            }
            let overlay = WhatIfAsked {
                today: &self.today.scenario,
                changes: &asked.changes,
                policy: asked.policy(),
                model: None,
            };
            let text = whatif_overlay(&overlay, &path).map_err(|e| overlay_error_text(&e))?;
            if write_new(&path, text.as_bytes()).map_err(|e| e.to_string())? {
                let scenario = self.path.to_string_lossy();
                return Ok(SavedOverlay {
                    rebalance: rebalance_command(&path.to_string_lossy()),
                    whatif: whatif_command(&scenario, None, &asked.changes, &asked.policy()),
                    path,
                });
            }
        }
        Err(format!(
            "{MAX_COPIES} files of this what-if exist beside the scenario already; remove some"
        ))
    }

    /// Solves a what-if as `caseload whatif` does, with the same options, and renders its
    /// reports. Its today is the team as loaded (the one on the page), its policy overridden as
    /// loading with the options would: the files are not read again.
    pub fn solve_whatif(&self, asked: &Asked) -> Result<Reports, String> {
        let overridden;
        let loaded: &Loaded = if asked.max_moves.is_some()
            || asked.balance_band.is_some()
            || asked.target.is_some()
        {
            let options = LoadOptions {
                model: None,
                max_moves: asked.max_moves,
                balance_band: asked.balance_band,
                target_utilization: asked.target,
            };
            let mut today = Loaded::clone(&self.today);
            options.override_policy(&mut today.scenario.policy);
            overridden = today;
            &overridden
        } else {
            &self.today
        };
        let today = &loaded.scenario;
        let changed = apply_changes(today, &asked.changes).map_err(|e| change_error_text(&e))?;
        let deadline = deadline(self.time_limit);
        let what_if = rebalance_both(
            today,
            &changed,
            solve_deadline(today, self.time_limit, deadline),
        );
        let view = Explanation::by(&changed, &what_if.after, Some(deadline));
        let runs = &what_if.runs;
        let provenance = Provenance::of(loaded.inputs.clone());
        Ok(Reports {
            title: changed.name.clone(),
            html: whatif_html(&view, runs),
            json: whatif_json(&view, runs, &provenance),
            csv: whatif_csv(&view, ProposalTable::Moves),
            xlsx: whatif_xlsx(&view, runs, &provenance).map_err(|e| e.to_string())?,
            solved: Solved {
                proposal: what_if.after.clone(),
                scenario: changed.clone(),
            },
            changed: runs[1].clone(),
            asked: asked.clone(),
        })
    }
}

/// Most copies of one what-if kept beside the scenario.
const MAX_COPIES: usize = 100;

/// The instant a solve started now with `time_limit` must be done by.
fn deadline(time_limit: f64) -> Instant {
    Instant::now() + Duration::from_secs_f64(time_limit)
}

/// When the solves must end: the deadline, less what the explanation needs (as on the command
/// line).
fn solve_deadline(
    scenario: &caseload::domain::Scenario,
    time_limit: f64,
    deadline: Instant,
) -> Instant {
    let explaining = seconds_to_explain(scenario, time_limit);
    deadline
        .checked_sub(Duration::from_secs_f64(explaining))
        .unwrap_or_else(Instant::now)
}

fn join(said: &str, more: &str) -> String {
    if said.is_empty() {
        more.to_string()
    } else {
        format!("{said}, {more}")
    }
}

/// A lock that a panicked holder left behind is still usable: every write to the state is one
/// assignment.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
