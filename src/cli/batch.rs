//! `batch`: the files of a batch. The library runs the scenarios; this module finds them in the
//! directory, guards and writes the proposals and the summaries, and shows progress.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;

use caseload::domain::Scenario;
use caseload::explain::Explanation;
use caseload::input::provenance::{InputFile, Provenance};
use caseload::plan::batch::{run_batch, Batch, BatchSink};
use caseload::report::batch::{batch_json, batch_text};
use caseload::report::outcome::trace_lines;
use caseload::report::proposal::proposal_json;
use caseload::solve::model::Mode;
use caseload::solve::{Proposal, SolveOptions};

use super::note;
use super::output::{print, refuse_input_as_output, write_atomically};
use super::progress::progress;
use super::terminal::report_style;
use super::{check_time_limit, exit_codes, CliError, Format, Messages, Status};

/// Which job `batch` runs on each scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchCommand {
    /// Place new intake, keep holders.
    Assign,
    /// Rebalance the whole caseload.
    Rebalance,
}

/// Every scenario in a directory, in parallel: one proposal JSON each, plus a summary.
///
/// Writes OUTDIR/<scenario>.json for each DIR/<scenario>.toml, and OUTDIR/summary.json and
/// summary.txt, and prints the summary (as text, or as summary.json with --format json). A
/// scenario with bad input is reported and does not stop the others. Each scenario is
/// independent, so a scheduler can also shard the directory.
///
/// Example:
///   caseload batch scenarios --output week47
///   caseload batch scenarios --output week47-rebalance --command rebalance --format json
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        solving:
        "0    every scenario's proposal places every case; all files are written",
        "1    the worst of the scenarios: some proposal leaves cases unplaced, or some scenario has none; all files are written",
        "2    the worst of the scenarios: some scenario cannot be read, its proposal could not be written, or its file name is not text (the others run, and the summary is written); or the batch cannot run at all (no scenarios, OUTDIR in use or not writable, a usage error), and nothing is written",
    )
)]
pub struct BatchArgs {
    /// Directory of scenario files (*.toml).
    dir: PathBuf,
    /// Directory to write the proposals and the summary into (created if missing).
    #[arg(long, value_name = "OUTDIR")]
    output: PathBuf,
    /// The job to run on each scenario.
    #[arg(long, value_enum, default_value_t = BatchCommand::Assign)]
    command: BatchCommand,
    /// Time limit of each scenario's solve, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    time_limit: f64,
    /// Replace files that already exist in OUTDIR.
    #[arg(long)]
    force: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// What to print on standard output: the summary as text, or as JSON (summary.json; then
    /// messages on standard error are JSON Lines too).
    #[arg(long, value_enum, value_parser = Format::among(Format::TEXT_JSON), default_value_t = Format::Text)]
    format: Format,
    /// Print what each scenario's solve did (its steps and their times) on standard error,
    /// once all are done, in the scenarios' order, each line labelled with its file.
    #[arg(long, short)]
    verbose: bool,
}

impl BatchArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// `caseload batch`.
    pub fn run(&self) -> Result<Status, CliError> {
        check_time_limit(self.time_limit)?;
        let (files, skipped) = scenario_files(&self.dir, self.messages())?;
        let out_dir = &self.output;
        refuse_the_input_folder(&self.dir, out_dir)?;
        let mut outputs: Vec<PathBuf> = files.iter().map(|f| proposal_path(out_dir, f)).collect();
        outputs.push(out_dir.join("summary.json"));
        outputs.push(out_dir.join("summary.txt"));
        if !self.force {
            if let Some(existing) = outputs.iter().find(|p| p.exists()) {
                return Err(CliError::exists(
                    existing,
                    "choose another --output directory, or pass --force to replace its files",
                ));
            }
        }
        for f in &files {
            refuse_input_as_output(&proposal_path(out_dir, f), &[f.as_path()])?;
        }
        std::fs::create_dir_all(out_dir)
            .map_err(|e| CliError::file(format!("cannot create `{}`", out_dir.display()), e))?;
        let _lock = OutputLock::take(out_dir)?;
        let mode = match self.command {
            BatchCommand::Assign => Mode::Assign,
            BatchCommand::Rebalance => Mode::Rebalance,
        };
        let proposals = ProposalFiles {
            out_dir,
            bar: progress(files.len(), self.quiet, "scenarios"),
        };
        let batch = run_batch(&files, mode, self.time_limit, &proposals);
        proposals.bar.finish_and_clear();
        self.report(&batch);
        let json = batch_json(&batch, &Provenance::of(batch.inputs().cloned()));
        write_atomically(&out_dir.join("summary.json"), json.as_bytes(), true)?;
        let summary_txt = out_dir.join("summary.txt");
        let text = batch_text(&batch, &report_style(Some(&summary_txt)));
        write_atomically(&summary_txt, text.as_bytes(), true)?;
        let shown = match self.format {
            Format::Text => batch_text(&batch, &report_style(None)),
            Format::Json => json,
            Format::Csv | Format::Xlsx | Format::Html => {
                unreachable!("batch writes Format::TEXT_JSON")
            }
        };
        print(&shown)?;
        // A scenario skipped for its name is bad input: the exit code says so.
        Ok(match batch.exit_code() {
            _ if skipped > 0 => Status::InputError,
            0 => Status::Done,
            1 => Status::Unplaced,
            _ => Status::InputError,
        })
    }
}

impl BatchArgs {
    /// Each scenario's problems, and with `--verbose` what each solve did, in the scenarios'
    /// order.
    fn report(&self, batch: &Batch) {
        let messages = self.messages();
        for e in &batch.entries {
            match messages {
                Messages::Text => {
                    for error in &e.errors {
                        note!("{error}\n");
                    }
                }
                Messages::Json if !e.problems.is_empty() => messages.problems(&e.problems),
                // A proposal that could not be written: the error of writing it.
                Messages::Json => {
                    for error in &e.errors {
                        let error = error.strip_prefix("error: ").unwrap_or(error);
                        messages.error(&CliError::new(error));
                    }
                }
            }
        }
        if self.verbose {
            for e in &batch.entries {
                if let Some(trace) = &e.trace {
                    messages.verbose(Some(&e.file), &trace_lines(trace));
                }
            }
        }
    }
}

/// The scenario files of `dir`, sorted, and how many were skipped because their name is not
/// text (each reported); refused when there are none, or when one is named `summary`, which
/// would clash with the batch's summary.
fn scenario_files(dir: &Path, messages: Messages) -> Result<(Vec<PathBuf>, usize), CliError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CliError::file(format!("cannot read the directory `{}`", dir.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(CliError::with_help(
            format!("`{}` holds no scenario (*.toml) files", dir.display()),
            "name the directory that holds the week's scenarios",
        ));
    }
    let before = files.len();
    files.retain(|f| {
        let text = f.file_stem().and_then(|s| s.to_str()).is_some();
        if !text {
            messages.error(&CliError::with_help(
                format!(
                    "the file name `{}` is not UTF-8 text, so it cannot name its proposal; it is skipped",
                    f.display().to_string().escape_debug()
                ),
                "rename the scenario file",
            ));
        }
        text
    });
    let skipped = before - files.len();
    if files.is_empty() {
        return Err(CliError::with_help(
            format!(
                "`{}` holds no scenario file with a usable name",
                dir.display()
            ),
            "rename the scenario files",
        ));
    }
    for f in &files {
        match f.file_stem().and_then(|s| s.to_str()) {
            None => {}
            Some("summary") => {
                return Err(CliError::with_help(
                    format!(
                        "`{}` would write summary.json, which holds the batch's summary; nothing was run",
                        f.display()
                    ),
                    "rename the scenario file",
                ))
            }
            Some(_) => {}
        }
    }
    Ok((files, skipped))
}

/// Each proposal as `OUTDIR/<scenario>.json`, with the progress bar moving as scenarios finish.
struct ProposalFiles<'a> {
    out_dir: &'a Path,
    bar: ProgressBar,
}

/// Refuses to write into the folder the scenarios are read from: a proposal or the summary
/// could replace a file a scenario reads (its model, its cases CSV).
fn refuse_the_input_folder(input: &Path, output: &Path) -> Result<(), CliError> {
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        (Ok(i), Ok(o)) => i == o,
        _ => false,
    };
    if same {
        return Err(CliError::with_help(
            format!(
                "the output folder `{}` is the folder of the scenarios; nothing was run",
                output.display()
            ),
            "choose another --output directory, so that no output can replace a file a scenario reads",
        ));
    }
    Ok(())
}

/// A lock file in the output folder while a batch writes into it, so that two batches never
/// mix their proposals and summaries there; removed when the batch ends.
struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    const NAME: &'static str = ".caseload-batch.lock";

    fn take(out_dir: &Path) -> Result<Self, CliError> {
        let path = out_dir.join(Self::NAME);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = writeln!(file, "{}", std::process::id());
                Ok(OutputLock { path })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(CliError::with_help(
                format!(
                    "another batch is writing into `{}`; nothing was run",
                    out_dir.display()
                ),
                format!(
                    "wait for it to finish, or choose another --output directory; if no batch is running, remove `{}`",
                    path.display()
                ),
            )),
            Err(e) => Err(CliError::file(
                format!("cannot lock `{}`", out_dir.display()),
                e,
            )),
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where the proposal of the scenario in `file` goes: `OUTDIR/<scenario>.json`.
fn proposal_path(out_dir: &Path, file: &Path) -> PathBuf {
    out_dir.join(format!(
        "{}.json",
        file.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
    ))
}

impl BatchSink for ProposalFiles<'_> {
    fn keep(
        &self,
        file: &Path,
        scenario: &Scenario,
        inputs: &[InputFile],
        proposal: &Proposal,
    ) -> Result<PathBuf, String> {
        let path = proposal_path(self.out_dir, file);
        let view = Explanation::of(scenario, proposal);
        let json = proposal_json(&view, &Provenance::of(inputs.iter().cloned()));
        write_atomically(&path, json.as_bytes(), true).map_err(|e| e.to_string())?;
        Ok(path)
    }

    fn drop_earlier(&self, file: &Path) {
        let _ = std::fs::remove_file(proposal_path(self.out_dir, file));
    }

    fn done(&self) {
        self.bar.inc(1);
    }
}
