//! `apply`: write the scenario with a proposal's holders, for next week's run. The library
//! edits the text; this module reads the proposal and guards the files it writes. Also the
//! refusal of a proposal made from other contents of the files it is used with, which
//! `explain` and `handout` share.

use std::path::{Path, PathBuf};

use caseload::domain::Scenario;
use caseload::input::apply::{apply_assignments, read_assignments, AppliedScenario};
use caseload::input::provenance::{input_changes, recorded_inputs, InputChange, InputFile};
use caseload::input::LoadOptions;
use caseload::verify::hard_rule_violations;

use super::output::{
    print, read_proposal_file, refuse_input_as_output, write_atomically, ProposalFile,
};
use super::{exit_codes, load, CliError, Messages, Status};

/// Write the scenario with a proposal's holders, for next week's run.
///
/// Reads SCENARIO and a proposal written by `rebalance` or `assign` with --format json, and
/// writes NEW.toml: the same file, comments, byte order mark and line ends kept, with each
/// case's `assigned` set to its holder in the proposal. Cases kept in a CSV get a new CSV
/// beside NEW.toml, with the original's byte order mark, line ends and delimiter and each
/// unchanged row as it was; a team kept in a workbook a new workbook (NEW.xlsx: its Staff
/// and Cases sheets as they were, with the proposal's holders; other sheets are not carried
/// over; an .ods team gets an .xlsx workbook too).
/// Refuses a proposal made from other contents of the scenario's files (the proposal records
/// the SHA-256 of each) or that records none, unless --force. Never changes its inputs;
/// refuses to replace an existing file without --force; writes atomically.
///
/// Example:
///   caseload rebalance scenarios/riverside.toml --format json --output week47.json
///   caseload apply scenarios/riverside.toml week47.json --output scenarios/riverside-week48.toml
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the new scenario is written (and its cases CSV or workbook, when the team is kept in one)",
        "2    refused: the scenario cannot be used, the proposal does not fit it (every misfit listed), an output is one of the inputs or exists without --force, or a usage error; nothing is written",
    )
)]
pub struct ApplyArgs {
    /// The scenario the proposal was made from.
    scenario: PathBuf,
    /// The proposal (JSON).
    proposal: PathBuf,
    /// Where to write the new scenario.
    #[arg(long, value_name = "NEW.toml")]
    output: PathBuf,
    /// Apply the proposal even when the scenario's files have changed since it was made (or it
    /// records no digests of them), and replace existing files.
    #[arg(long)]
    force: bool,
}

impl ApplyArgs {
    /// `caseload apply`.
    pub fn run(&self) -> Result<Status, CliError> {
        let Some(loaded) = load(&self.scenario, &LoadOptions::default(), Messages::Text) else {
            return Ok(Status::InputError);
        };
        let proposal = read_proposal_file(&self.proposal)?;
        let assignments = read_assignments(&self.proposal, &proposal.text)
            .map_err(|e| CliError::new(e.to_string()))?;
        refuse_misfits(
            &loaded.scenario,
            &self.scenario,
            &self.proposal,
            &proposal.text,
        )?;
        let applied =
            apply_assignments(&loaded.scenario, &self.proposal, &assignments, &self.output)
                .map_err(|e| CliError::new(e.to_string()))?;
        refuse_changed_inputs(&proposal, &loaded.inputs, self.force, Messages::Text)?;
        // Every file the run read (the scenario, what it extends, its cases CSV, the model) and
        // the proposal: none may be written over, whatever --force says.
        let mut inputs: Vec<&Path> = loaded.inputs.iter().map(|f| f.path.as_path()).collect();
        inputs.push(&self.scenario);
        inputs.push(&self.proposal);
        let written = write_applied(&applied, &self.output, &inputs, self.force)?;
        for path in &written[..written.len() - 1] {
            print(&format!("wrote {}\n", path.display()))?;
        }
        print(&format!(
            "wrote {} ({} case holder(s) changed)\n",
            self.output.display(),
            applied.changed
        ))?;
        Ok(Status::Done)
    }
}

/// Writes an applied scenario: its cases CSV or workbook beside `output`, then `output`, each
/// atomically; never over one of `inputs`, nor over an existing file unless `force`; nothing is
/// written when any of them is refused. Returns the paths written, `output` last.
pub(super) fn write_applied(
    applied: &AppliedScenario,
    output: &Path,
    inputs: &[&Path],
    force: bool,
) -> Result<Vec<PathBuf>, CliError> {
    if output.is_dir() {
        return Err(CliError::with_help(
            format!("`{}` is a directory; nothing was written", output.display()),
            "name the new scenario file, e.g. week48.toml",
        ));
    }
    // The cases CSV and the workbook written beside the new scenario.
    let beside: Vec<(&Path, &[u8])> = applied
        .cases_csv
        .iter()
        .map(|(path, text)| (path.as_path(), text.as_bytes()))
        .chain(
            applied
                .workbook
                .iter()
                .map(|w| (w.path.as_path(), w.bytes.as_slice())),
        )
        .collect();
    for (path, _) in &beside {
        refuse_input_as_output(path, inputs)?;
        if path.exists() && !force {
            return Err(CliError::exists(
                path,
                "choose another output name, or pass --force to replace it",
            ));
        }
    }
    refuse_input_as_output(output, inputs)?;
    if output.exists() && !force {
        return Err(CliError::exists(
            output,
            "choose another file, or pass --force to replace it",
        ));
    }
    for (path, contents) in &beside {
        write_atomically(path, contents, force)?;
    }
    write_atomically(output, applied.scenario_toml.as_bytes(), force)?;
    if let Some(workbook) = applied.workbook.as_ref().filter(|w| !w.left_out.is_empty()) {
        let sheets: Vec<String> = workbook.left_out.iter().map(|s| format!("`{s}`")).collect();
        Messages::Text.note(&format!(
            "{} holds only the `Staff` and `Cases` sheets; the workbook's other sheets ({}) are not carried over",
            workbook.path.display(),
            sheets.join(", ")
        ));
    }
    let mut written: Vec<PathBuf> = beside.iter().map(|(p, _)| p.to_path_buf()).collect();
    written.push(output.to_path_buf());
    Ok(written)
}

/// Most problems of a proposal listed; the rest are counted.
const MAX_LISTED: usize = 10;

/// Refuses a proposal that breaks a hard rule of the scenario or names another scenario: what
/// it would write could not be loaded, or would hold a case where it may not be held.
fn refuse_misfits(
    scenario: &Scenario,
    scenario_path: &Path,
    proposal_path: &Path,
    text: &str,
) -> Result<(), CliError> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| CliError::new(e.to_string()))?;
    let problems = hard_rule_violations(scenario, &json);
    if problems.is_empty() {
        return Ok(());
    }
    let mut listed: Vec<String> = problems.iter().take(MAX_LISTED).cloned().collect();
    if problems.len() > MAX_LISTED {
        listed.push(format!("and {} more", problems.len() - MAX_LISTED));
    }
    Err(CliError::with_help(
        format!(
            "the proposal `{}` does not fit `{}`; nothing was written:\n  - {}",
            proposal_path.display(),
            scenario_path.display(),
            listed.join("\n  - ")
        ),
        "apply the proposal that `caseload rebalance` or `assign` wrote for this scenario, unchanged",
    ))
}

/// Refuses a proposal made from other contents of the files read now (`read_now`), or that
/// records no digests of its input files, unless `force`; with `force`, says on standard error
/// what it lets through. Checked after the proposal's contents fit: a misfit says more.
pub(super) fn refuse_changed_inputs(
    proposal: &ProposalFile,
    read_now: &[InputFile],
    force: bool,
    messages: Messages,
) -> Result<(), CliError> {
    let file = proposal.input.path.display();
    let Some(recorded) = recorded_inputs(&proposal.text) else {
        let message = format!(
            "the proposal `{file}` records no digests of the files it was made from (it was written before proposals recorded them), so it cannot be checked against the files read now"
        );
        if force {
            messages.warning(&format!("{message}; it is used unchecked (--force)"));
            return Ok(());
        }
        return Err(CliError::with_help(
            message,
            "make the proposal again with this version of caseload, or pass --force to use it unchecked",
        ));
    };
    let changes = input_changes(&recorded, read_now);
    if changes.is_empty() {
        return Ok(());
    }
    let header = format!("the proposal `{file}` was made from other contents of its input files");
    let mut list = String::new();
    for change in &changes {
        list.push_str(&match change {
            InputChange::Changed { path } => format!(
                "\n  - `{}` has changed since the proposal was made",
                path.display()
            ),
            InputChange::NotRead { path } => format!(
                "\n  - `{}`, which the proposal was made from, is not read now",
                path.display()
            ),
        });
    }
    if force {
        messages.warning(&format!("{header} (used as it is: --force):{list}"));
        return Ok(());
    }
    Err(CliError::with_help(
        format!("{header}:{list}"),
        "make the proposal again from the files as they are now (`caseload rebalance` or `caseload assign` with --format json), or pass --force to use it as it is",
    ))
}
