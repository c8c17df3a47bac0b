//! `schema`: the JSON Schema of one of caseload's file formats, for editors that check a
//! scenario or model as it is typed and for programs that read the proposal JSON. The schemas
//! come from the library's own types for each format, so they cannot drift from what the
//! readers accept and what the writers write.

use std::path::PathBuf;

use clap::ValueEnum;

use caseload::input::formats::{model_schema, profiles_schema, scenario_schema};
use caseload::report::proposal::proposal_schema;

use super::output::emit;
use super::{exit_codes, CliError, Status};

/// Print the JSON Schema (draft 2020-12) of a file format.
///
/// An editor with a TOML language server (Even Better TOML, taplo) checks and completes a
/// scenario against the schema: put `#:schema PATH` (relative to the scenario) as the file's
/// first line, e.g. `#:schema ../caseload-scenario.schema.json`, or name the schema for a
/// whole folder in a `.taplo.toml` (see README.md).
///
/// Example:
///   caseload schema scenario --output caseload-scenario.schema.json
///   caseload schema model --output caseload-model.schema.json
///   caseload schema proposal > caseload-proposal.schema.json
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the schema is printed or written",
        "2    FILE exists without --force or cannot be written, or a usage error; nothing is written",
    )
)]
pub struct SchemaArgs {
    /// The format.
    #[arg(value_enum)]
    kind: SchemaKind,
    /// Write the schema to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    force: bool,
}

/// The file formats with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaKind {
    /// A scenario TOML file, what-if overlays included.
    Scenario,
    /// An acuity model TOML file (models/*.toml).
    Model,
    /// A hiring profiles TOML file (`staffing --profiles`).
    Profiles,
    /// The proposal JSON of `rebalance` and `assign` with `--format json`.
    Proposal,
}

impl SchemaArgs {
    /// `caseload schema`.
    pub fn run(&self) -> Result<Status, CliError> {
        let schema = match self.kind {
            SchemaKind::Scenario => scenario_schema(),
            SchemaKind::Model => model_schema(),
            SchemaKind::Profiles => profiles_schema(),
            SchemaKind::Proposal => proposal_schema(),
        };
        let mut text = serde_json::to_string_pretty(&schema).expect("a schema is JSON");
        text.push('\n');
        emit(self.output.as_deref(), self.force, &text)?;
        Ok(Status::Done)
    }
}
