//! `check`: validate a scenario and summarise where the team stands today.

use std::path::PathBuf;

use caseload::explain::today::TeamSummary;
use caseload::input::provenance::Provenance;
use caseload::input::LoadOptions;
use caseload::report::team::{check_json, check_text};

use super::note;
use super::output::print;
use super::{load, CliError, Format, Status};

/// Validate a scenario and summarise where the team stands today.
///
/// Reports every problem in the scenario, its model and its cases CSV at once, each with
/// file, line and column, what is wrong and what to do. When the scenario is valid, prints
/// staff, FTE and capacity, cases and intake, total weight, each worker's load and
/// utilization today (most loaded first, over-target marked), demand against capacity per
/// skill, and warnings (cases nobody may hold, workers over capacity).
///
/// Example:
///   caseload check scenarios/riverside.toml
///   caseload check scenarios/riverside.toml --model models/child-welfare.toml --format json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Use this acuity model instead of the one the scenario names.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

impl CheckArgs {
    /// `caseload check`.
    pub fn run(&self) -> Result<Status, CliError> {
        let options = LoadOptions {
            model: self.model.clone(),
            ..LoadOptions::default()
        };
        let Some(loaded) = load(&self.scenario, &options) else {
            return Ok(Status::InputError);
        };
        let summary = TeamSummary::of(&loaded.scenario);
        match self.format {
            Format::Text => {
                for w in &loaded.warnings {
                    note!("{w}\n");
                }
                print(&check_text(&summary))?;
                if !loaded.warnings.is_empty() {
                    print(&format!(
                        "\n{} warning(s): see above.\n",
                        loaded.warnings.len()
                    ))?;
                }
            }
            Format::Json => {
                let provenance = Provenance::of(loaded.inputs);
                print(&check_json(&summary, &loaded.warnings, &provenance))?;
            }
        }
        Ok(Status::Done)
    }
}
