//! `check`: validate a scenario and summarise where the team stands today.

use std::path::PathBuf;

use caseload::explain::today::TeamSummary;
use caseload::input::provenance::Provenance;
use caseload::input::LoadOptions;
use caseload::report::html::check_html;
use caseload::report::team::{check_json, check_text};

use super::output::{emit, ready_to_write, refuse_input_as_output};
use super::terminal::report_style;
use super::{exit_codes, load, CliError, Format, Messages, Status};

/// Validate a scenario and summarise where the team stands today.
///
/// Reports every problem in the scenario, its model and its cases CSV at once, each with
/// file, line and column, what is wrong and what to do, the problems of the files themselves
/// first. When the scenario is valid, prints staff, FTE and capacity, cases and intake, total
/// weight, each worker's load and utilization today (most loaded first, over-target marked),
/// demand against capacity per skill, and warnings (cases nobody may hold, workers over
/// capacity, names written two ways or likely misspelt, needs no worker has). Skills, levels
/// and factors match whatever their letter case and spacing. With --format json the summary
/// and its warnings are one JSON document, and the problems of an invalid scenario are JSON
/// Lines on standard error. With --format html the summary is one self-contained page, with
/// charts.
///
/// Example:
///   caseload check scenarios/riverside.toml
///   caseload check scenarios/harbor-child-welfare.toml --model models/child-welfare.toml --format json --output today.json
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the scenario is valid (with or without warnings); the summary is written",
        "2    the scenario, its model or its cases CSV cannot be used (every problem listed), or a usage error; nothing is written",
    )
)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Use this acuity model instead of the one the scenario names.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, value_parser = Format::among(Format::PAGE), default_value_t = Format::Text)]
    format: Format,
    /// Write the summary to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    force: bool,
}

impl CheckArgs {
    /// How the command writes its messages.
    pub fn messages(&self) -> Messages {
        self.format.into()
    }

    /// `caseload check`.
    pub fn run(&self) -> Result<Status, CliError> {
        if let Some(out) = &self.output {
            refuse_input_as_output(out, &[&self.scenario])?;
        }
        let options = LoadOptions {
            model: self.model.clone(),
            ..LoadOptions::default()
        };
        let Some(loaded) = load(&self.scenario, &options, self.messages()) else {
            return Ok(Status::InputError);
        };
        ready_to_write(self.output.as_deref(), self.force, &loaded)?;
        let summary = TeamSummary::of(&loaded.scenario);
        let warnings = &loaded.warnings;
        let text = match self.format {
            Format::Text => {
                self.messages().problems(warnings);
                let mut text = check_text(&summary, &report_style(self.output.as_deref()));
                if !warnings.is_empty() {
                    let said = match self.output {
                        None => "see above",
                        Some(_) => "printed on standard error when the check ran",
                    };
                    text.push_str(&format!("\n{} warning(s): {said}.\n", warnings.len()));
                }
                text
            }
            Format::Json => check_json(&summary, warnings, &Provenance::of(loaded.inputs.clone())),
            Format::Html => {
                self.messages().problems(warnings);
                check_html(&summary, warnings)
            }
            Format::Csv | Format::Xlsx => unreachable!("check writes Format::PAGE"),
        };
        emit(self.output.as_deref(), self.force, &text)?;
        Ok(Status::Done)
    }
}
