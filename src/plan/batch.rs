//! A week's batch: every scenario of a directory through the same job (`assign` or
//! `rebalance`), in parallel, with results in input order.
//!
//! Each scenario runs the single-scenario pipeline on its own: one with bad input is recorded
//! with its errors and does not stop the others. What becomes of each proposal (the binary
//! writes it to a file) is the caller's, through a [`BatchSink`]; the entries say how each
//! scenario ended, with the exit code a single run of it would have had.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::domain::Scenario;
use crate::input::diagnostic::Diagnostic;
use crate::input::provenance::InputFile;
use crate::input::{load_scenario, LoadOptions};
use crate::plan::compare::{summarize, RunSummary};
use crate::solve::events::SolveTrace;
use crate::solve::model::Mode;
use crate::solve::{solve, Proposal, SolveOptions};

/// How one scenario of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    /// Every case placed, and the proposal kept.
    Done,
    /// The proposal was kept, but some cases are unplaced or the rules admit no proposal.
    Unplaced,
    /// Solved, but the proposal could not be kept.
    NotWritten,
    /// The scenario could not be read: nothing was run.
    InputError,
}

impl BatchOutcome {
    /// The exit code of a single run that ended this way (0 done, 1 unplaced, 2 error).
    pub fn exit_code(self) -> u8 {
        match self {
            BatchOutcome::Done => 0,
            BatchOutcome::Unplaced => 1,
            BatchOutcome::NotWritten | BatchOutcome::InputError => 2,
        }
    }

    /// The outcome in words, as the summaries show it.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchOutcome::Done => "done",
            BatchOutcome::Unplaced => "cases unplaced or no proposal",
            BatchOutcome::NotWritten => "not written",
            BatchOutcome::InputError => "input error",
        }
    }
}

impl Serialize for BatchOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One scenario's outcome in a batch.
#[derive(Debug, Clone, Serialize)]
pub struct BatchEntry {
    /// The scenario file, as given.
    pub file: String,
    /// The outcome's exit code (written out for programs that read the summary).
    pub exit_code: u8,
    /// How it ended.
    pub outcome: BatchOutcome,
    /// Where the proposal was kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// Why the scenario could not be read, or its proposal not kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// The proposal's figures, when the scenario was solved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<RunSummary>,
    /// The problems of a scenario that could not be read, one by one (`errors` has them as
    /// text), for messages in JSON.
    #[serde(skip)]
    pub problems: Vec<Diagnostic>,
    /// What the solve did, for `--verbose` (never in the summary: it has times).
    #[serde(skip)]
    pub trace: Option<SolveTrace>,
    /// The files read for the scenario, with their digests, when it could be read (listed in
    /// the summary's provenance, not in its entry).
    #[serde(skip)]
    pub inputs: Vec<InputFile>,
}

impl BatchEntry {
    fn new(file: &Path, outcome: BatchOutcome) -> BatchEntry {
        BatchEntry {
            file: file.display().to_string(),
            exit_code: outcome.exit_code(),
            outcome,
            proposal: None,
            errors: Vec::new(),
            summary: None,
            problems: Vec::new(),
            trace: None,
            inputs: Vec::new(),
        }
    }
}

/// A batch's results.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The job run on each scenario.
    pub mode: Mode,
    /// One entry per scenario, in input order.
    pub entries: Vec<BatchEntry>,
}

impl Batch {
    /// The worst exit code of its scenarios: the batch's own.
    pub fn exit_code(&self) -> u8 {
        self.entries.iter().map(|e| e.exit_code).max().unwrap_or(0)
    }

    /// The files read for the scenarios that could be read, in input order.
    pub fn inputs(&self) -> impl Iterator<Item = &InputFile> {
        self.entries.iter().flat_map(|e| &e.inputs)
    }
}

/// What becomes of a batch's proposals, and who hears of its progress. Called from several
/// threads at once.
pub trait BatchSink: Sync {
    /// Keeps the proposal made for the scenario read from `file` (and the other `inputs`, with
    /// their digests); where it was kept, or why it could not be.
    fn keep(
        &self,
        file: &Path,
        scenario: &Scenario,
        inputs: &[InputFile],
        proposal: &Proposal,
    ) -> Result<PathBuf, String>;
    /// `file` could not be read this time: drops what an earlier batch kept for it, which must
    /// not stand beside a summary that says this scenario failed.
    fn drop_earlier(&self, file: &Path);
    /// One more scenario is done.
    fn done(&self);
}

/// Runs `mode` on each scenario file, in parallel; entries in the order of `files`.
pub fn run_batch(files: &[PathBuf], mode: Mode, time_limit: f64, sink: &dyn BatchSink) -> Batch {
    let entries = files
        .par_iter()
        .map(|file| {
            let entry = run_one(file, mode, time_limit, sink);
            sink.done();
            entry
        })
        .collect();
    Batch { mode, entries }
}

fn run_one(file: &Path, mode: Mode, time_limit: f64, sink: &dyn BatchSink) -> BatchEntry {
    let loaded = match load_scenario(file, &LoadOptions::default()) {
        Ok(loaded) => loaded,
        Err(error) => {
            sink.drop_earlier(file);
            return BatchEntry {
                errors: vec![error.to_string()],
                problems: error.diagnostics,
                ..BatchEntry::new(file, BatchOutcome::InputError)
            };
        }
    };
    let scenario = &loaded.scenario;
    let proposal = solve(scenario, &SolveOptions { mode, time_limit });
    let kept = sink.keep(file, scenario, &loaded.inputs, &proposal);
    let outcome = match (&kept, proposal.is_complete()) {
        (Err(_), _) => BatchOutcome::NotWritten,
        (Ok(_), false) => BatchOutcome::Unplaced,
        (Ok(_), true) => BatchOutcome::Done,
    };
    let (proposal_path, errors) = match kept {
        Ok(path) => (Some(path.display().to_string()), Vec::new()),
        Err(error) => (None, vec![error]),
    };
    BatchEntry {
        proposal: proposal_path,
        errors,
        summary: Some(summarize(scenario, &proposal)),
        trace: Some(SolveTrace::of(&proposal)),
        inputs: loaded.inputs,
        ..BatchEntry::new(file, outcome)
    }
}
