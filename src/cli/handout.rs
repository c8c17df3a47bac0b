//! `handout`: each worker's part of a proposal, for their supervisor to give them.

use caseload::explain::handout::Handouts;
use caseload::explain::Explanation;
use caseload::report::handout::{handout_json, handout_text};

use super::explain::find_staff;
use super::output::emit;
use super::solve::{ProposalArgs, ONE_PROPOSAL_EXIT_CODES};
use super::{CliError, Format, Messages, Status};

/// Hand each case manager their part of a proposal: what changes for them, why, and where
/// they stand.
///
/// One section per worker (or only --staff W), under a header naming them: the cases
/// they keep, hand over and take on (count and points), each move with its reason, any case
/// of theirs no one may hold, their utilization today and after against the range and
/// median of the team after, and why they are more than the balance band below or above a
/// colleague, when they are. Text for a supervisor to print or send; JSON with the same
/// facts.
///
/// Reads the proposal saved with --proposal (the JSON `rebalance` or `assign` wrote),
/// exactly as it was decided; without --proposal, solves the scenario as `rebalance` does
/// (or `assign` with --assign).
///
/// Example:
///   caseload rebalance scenarios/riverside.toml --format json --output week47.json
///   caseload handout scenarios/riverside.toml --proposal week47.json --output week47.txt
///   caseload handout scenarios/riverside.toml --proposal week47.json --staff tom
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment, after_help = ONE_PROPOSAL_EXIT_CODES)]
pub struct HandoutArgs {
    #[command(flatten)]
    proposal: ProposalArgs,
    /// Only this worker's section (their id).
    #[arg(long, value_name = "ID")]
    staff: Option<String>,
}

impl HandoutArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.proposal.solve.messages()
    }

    /// `caseload handout`.
    pub fn run(&self) -> Result<Status, CliError> {
        let Some(to_report) = self.proposal.load()? else {
            return Ok(Status::InputError);
        };
        let (scenario, proposal) = (&to_report.loaded.scenario, &to_report.proposal);
        let only = self
            .staff
            .as_deref()
            .map(|w| find_staff(scenario, w))
            .transpose()?;
        let explanation = Explanation::by(scenario, proposal, Some(self.proposal.solve.deadline()));
        let handouts = Handouts::of(&explanation, only);
        let solve = &self.proposal.solve;
        let text = match solve.format {
            Format::Text => handout_text(&handouts, &solve.text_style()),
            Format::Json => handout_json(&handouts, &to_report.provenance()),
            Format::Csv | Format::Xlsx => unreachable!("handout writes Format::TEXT_JSON"),
        };
        emit(solve.output.as_deref(), solve.force, &text)?;
        Ok(Status::placed(proposal.is_complete()))
    }
}
