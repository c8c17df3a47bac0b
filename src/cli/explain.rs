//! `explain`: answer about one case or one worker, for a saved proposal or after solving as
//! `rebalance` (or `assign`) does.

use caseload::domain::{CaseIdx, Scenario, StaffIdx};
use caseload::explain::why_not::why_not;
use caseload::explain::Explanation;
use caseload::input::suggest::did_you_mean;
use caseload::report::why::{case_json, case_text, staff_json, staff_text};

use super::output::emit;
use super::solve::ProposalArgs;
use super::{exit_codes, CliError, Format, Messages, Status};

/// Explain a proposal: why a case goes where it goes and why not each other worker, or
/// what a worker loses and gains.
///
/// Explains the proposal saved with --proposal FILE (the JSON `rebalance` or `assign`
/// wrote with --format json), exactly as it was decided; without --proposal, solves the
/// scenario as `rebalance` does (or `assign` with --assign). Then answers about one case
/// (--case) or one worker (--staff). For a case: its move and the reason, and for every
/// other worker the first reason they were not chosen (on leave, lacks a skill, on the
/// avoid list, pinned elsewhere, family, max_cases, would rise above the proposal's max,
/// assign keeps holders, the move budget is spent, ...). --why-not narrows that to one
/// worker. For a worker: what they lose and gain, and why they are lower than each busier
/// colleague more than the balance band above them.
///
/// Example:
///   caseload explain scenarios/riverside.toml --case C-1079
///   caseload explain scenarios/riverside.toml --case C-1079 --why-not maria
///   caseload explain scenarios/riverside.toml --staff tom --format json
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        solving:
        "0    the question is answered, whatever the proposal (also one that leaves cases unplaced, or none: the answer says so; `rebalance` and `handout` exit 1 then)",
        "2    bad input or usage: an unknown case or worker, a saved --proposal that does not fit; nothing is written",
    )
)]
pub struct ExplainArgs {
    #[command(flatten)]
    proposal: ProposalArgs,
    /// The case to explain (its id).
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "staff",
        conflicts_with = "staff"
    )]
    case: Option<String>,
    /// Only this worker's reason for not taking the case.
    #[arg(long, value_name = "WORKER", requires = "case")]
    why_not: Option<String>,
    /// The worker to explain (their id).
    #[arg(long, value_name = "ID")]
    staff: Option<String>,
}

impl ExplainArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.proposal.solve.messages()
    }

    /// `caseload explain`.
    pub fn run(&self) -> Result<Status, CliError> {
        let Some(to_report) = self.proposal.load()? else {
            return Ok(Status::InputError);
        };
        let (scenario, proposal) = (&to_report.loaded.scenario, &to_report.proposal);
        let view = Explanation::by(scenario, proposal, Some(self.proposal.solve.deadline()));
        let format = self.proposal.solve.format;
        let text = match (&self.case, &self.staff) {
            (Some(case), _) => {
                let ci = find_case(scenario, case)?;
                let only = self
                    .why_not
                    .as_deref()
                    .map(|w| find_staff(scenario, w))
                    .transpose()?;
                let verdicts = why_not(scenario, proposal, &view.figures, ci);
                match format {
                    Format::Text => {
                        let style = self.proposal.solve.text_style();
                        case_text(&view, ci, &verdicts, only, &style)
                    }
                    Format::Json => case_json(&view, ci, &verdicts, only, &to_report.provenance()),
                    Format::Csv | Format::Xlsx | Format::Html => {
                        unreachable!("explain writes Format::TEXT_JSON")
                    }
                }
            }
            (None, Some(staff)) => {
                let w = find_staff(scenario, staff)?;
                match format {
                    Format::Text => staff_text(&view, w, &self.proposal.solve.text_style()),
                    Format::Json => staff_json(&view, w, &to_report.provenance()),
                    Format::Csv | Format::Xlsx | Format::Html => {
                        unreachable!("explain writes Format::TEXT_JSON")
                    }
                }
            }
            (None, None) => unreachable!("clap requires --case or --staff"),
        };
        let solve = &self.proposal.solve;
        emit(solve.output.as_deref(), solve.force, &text)?;
        // The question is answered, whatever the proposal: whether it places every case is
        // what `rebalance` (or `handout`) exits with.
        Ok(Status::Done)
    }
}

/// Looks up a case by id, or suggests the nearest one.
fn find_case(scenario: &Scenario, id: &str) -> Result<CaseIdx, CliError> {
    scenario.case_by_id(id).ok_or_else(|| {
        let (message, help) = no_such_case(scenario, id);
        CliError::with_help(message, help)
    })
}

/// Looks up a worker by id, or says which ids exist.
pub(super) fn find_staff(scenario: &Scenario, id: &str) -> Result<StaffIdx, CliError> {
    scenario.staff_by_id(id).ok_or_else(|| {
        let (message, help) = no_such_worker(scenario, id);
        CliError::with_help(message, help)
    })
}

/// That no case has the id `id`, and what to ask instead: the nearest id, or what the ids look
/// like.
pub(super) fn no_such_case(scenario: &Scenario, id: &str) -> (String, String) {
    let ids: Vec<&str> = scenario.cases.iter().map(|c| c.id.as_str()).collect();
    let hint = did_you_mean(id, &ids)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            let some: Vec<&str> = ids.iter().take(3).copied().collect();
            format!(
                "the scenario has {} cases; their ids look like {}",
                ids.len(),
                some.join(", ")
            )
        });
    (format!("no case has the id `{id}`"), hint)
}

/// That no worker has the id `id`, and what to ask instead: the nearest id, or every id.
pub(super) fn no_such_worker(scenario: &Scenario, id: &str) -> (String, String) {
    let ids: Vec<&str> = scenario.staff.iter().map(|s| s.id.as_str()).collect();
    let hint = did_you_mean(id, &ids)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| format!("the workers are: {}", ids.join(", ")));
    (format!("no worker has the id `{id}`"), hint)
}
