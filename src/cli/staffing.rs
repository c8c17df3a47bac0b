//! `staffing`: the cheapest hires that bring every worker to a target, with a spinner while the
//! hiring program runs.

use std::path::PathBuf;

use caseload::input::profiles::{load_profiles, profiles_from_team, spelled_as_team};
use caseload::input::provenance::Provenance;
use caseload::input::LoadOptions;
use caseload::plan::staffing::plan_staffing;
use caseload::report::html::staffing_html;
use caseload::report::staffing::{
    staffing_csv, staffing_json, staffing_text, staffing_verbose_lines, staffing_xlsx,
};
use caseload::solve::Status as SolveStatus;

use super::format::workbook_error;
use super::output::{emit_bytes, ready_to_write, refuse_input_as_output};
use super::progress::spinner;
use super::terminal::report_style;
use super::{
    check_target, check_time_limit, exit_codes, load, seconds_left, CliError, Format, Messages,
    RunArgs, Status,
};

/// The fewest (cheapest) hires so that every worker can be at or below a target.
///
/// An integer program over the team plus candidate hires from hiring profiles (skills, FTE,
/// cost, optional cap): the cheapest set of hires with which every worker can be at or
/// below --target utilization and every case placed, all hard rules kept (the move budget
/// aside). Says which skill groups are short and what each hire would take. Without
/// --profiles, one profile per skill mix of the team's available workers, 1.0 FTE, cost 1.
///
/// --format csv writes one row per hire; --format xlsx a workbook with a summary, the hires
/// and the profiles; --format html a page with the hires and the short groups drawn.
///
/// Example:
///   caseload staffing scenarios/riverside-surge.toml --target 0.9
///   caseload staffing scenarios/riverside.toml --target 0.8 --profiles scenarios/profiles/hires.toml
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        solving:
        "0    a plan: with its hires (none, when none is needed) every worker can be at or below the target with every case placed",
        "1    no plan: some case no worker or profile may hold, no set of hires from the profiles is enough, or time ran out before a plan was found; why is written all the same",
        "2    bad input or usage (the profiles included); nothing is written",
    )
)]
pub struct StaffingArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Target utilization every worker must be at or below (default: the policy's).
    #[arg(long, value_name = "UTILIZATION")]
    target: Option<f64>,
    /// Hiring profiles (TOML, `[[profile]]` entries).
    #[arg(long, value_name = "FILE")]
    profiles: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, value_parser = Format::among(Format::SPREADSHEETS), default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    run: RunArgs,
}

impl StaffingArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// `caseload staffing`.
    pub fn run(&self) -> Result<Status, CliError> {
        let run = &self.run;
        check_time_limit(run.time_limit)?;
        self.format.check_destination(run.output.as_deref())?;
        if let Some(target) = self.target {
            check_target(target)?;
        }
        if let Some(out) = &run.output {
            let mut inputs = vec![self.scenario.as_path()];
            inputs.extend(self.profiles.as_deref());
            refuse_input_as_output(out, &inputs)?;
        }
        let Some(loaded) = load(&self.scenario, &LoadOptions::default(), self.messages()) else {
            return Ok(Status::InputError);
        };
        ready_to_write(run.output.as_deref(), run.force, &loaded)?;
        let scenario = &loaded.scenario;
        let mut inputs = loaded.inputs.clone();
        let profiles = match &self.profiles {
            Some(p) => match load_profiles(p) {
                Ok(file) => {
                    inputs.push(file.input);
                    spelled_as_team(file.profiles, scenario)
                }
                Err(error) => {
                    self.messages().input_error(&error);
                    return Ok(Status::InputError);
                }
            },
            None => profiles_from_team(scenario),
        };
        let target = self.target.unwrap_or(scenario.policy.target_utilization);
        let spinner = spinner(run.quiet, "planning hires");
        let plan = plan_staffing(scenario, &profiles, target, seconds_left(run.time_limit));
        spinner.finish_and_clear();
        if run.verbose {
            self.messages()
                .verbose(None, &staffing_verbose_lines(&plan));
        }
        let provenance = Provenance::of(inputs);
        let bytes = match self.format {
            Format::Text => {
                let style = report_style(run.output.as_deref());
                staffing_text(scenario, &profiles, &plan, &style).into_bytes()
            }
            Format::Json => staffing_json(scenario, &profiles, &plan, &provenance).into_bytes(),
            Format::Csv => staffing_csv(scenario, &profiles, &plan).into_bytes(),
            Format::Xlsx => {
                staffing_xlsx(scenario, &profiles, &plan, &provenance).map_err(workbook_error)?
            }
            Format::Html => staffing_html(scenario, &profiles, &plan).into_bytes(),
        };
        emit_bytes(run.output.as_deref(), run.force, &bytes)?;
        Ok(match plan.status {
            SolveStatus::Optimal | SolveStatus::Feasible => Status::Done,
            _ => Status::Unplaced,
        })
    }
}
