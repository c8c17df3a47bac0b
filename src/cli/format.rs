//! Output formats: the one [`Format`] every command's `--format` takes, which formats each
//! command writes, and the checks made before any work. A command lists its formats once (one
//! of the lists below): clap then refuses any other with a usage error (exit code 2) and the
//! command's help shows only those. A binary format (a workbook) goes to `--output FILE` or to
//! a standard output that is not a terminal, never to a terminal; `--table` picks the table of
//! a CSV and goes with `--format csv` only.

use std::path::Path;

use caseload::report::proposal::ProposalTable;
use caseload::report::workbook::WorkbookError;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Arg, ValueEnum};

use super::terminal::stdout_is_terminal;
use super::{CliError, Messages};

/// What a command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people at a terminal.
    Text,
    /// For programs and batch jobs (messages on standard error too, as JSON Lines).
    Json,
    /// One table for spreadsheets: plain numbers (`.` decimals, utilization as a fraction),
    /// text that a spreadsheet would run as a formula prefixed with `'`.
    Csv,
    /// An Excel workbook, a sheet per table; to --output FILE or a pipe, never to a terminal.
    Xlsx,
}

impl Format {
    /// What `check`, `explain`, `handout` and `batch` write.
    pub const TEXT_JSON: &'static [Format] = &[Format::Text, Format::Json];
    /// What `compare` writes: its table for spreadsheets too.
    pub const TABLE: &'static [Format] = &[Format::Text, Format::Json, Format::Csv];
    /// What the commands that report a proposal, a curve or a plan write (`rebalance`,
    /// `assign`, `whatif`, `tradeoff`, `staffing`).
    pub const SPREADSHEETS: &'static [Format] =
        &[Format::Text, Format::Json, Format::Csv, Format::Xlsx];

    /// The parser of a `--format` that takes only `formats` (a field's `value_parser`).
    pub fn among(formats: &'static [Format]) -> impl TypedValueParser<Value = Format> {
        PossibleValuesParser::new(formats.iter().filter_map(|f| f.to_possible_value()))
            .map(|name| Format::from_str(&name, false).expect("the possible values are formats"))
    }

    /// The same for a `--format` that comes from options shared by several commands:
    /// `#[command(mut_arg("format", Format::only(...)))]` on the command.
    pub fn only(formats: &'static [Format]) -> impl FnOnce(Arg) -> Arg {
        move |arg| arg.value_parser(Format::among(formats))
    }

    /// True for a format that is not text (a workbook).
    fn is_binary(self) -> bool {
        self == Format::Xlsx
    }

    /// Before any work: refuses to send a binary format to a terminal, where it would show as
    /// garbage; `output` is the `--output` file, if any.
    pub fn check_destination(self, output: Option<&Path>) -> Result<(), CliError> {
        if self.is_binary() && output.is_none() && stdout_is_terminal() {
            return Err(CliError::with_help(
                "an xlsx workbook is not shown on a terminal; nothing was done",
                "write it to a file with --output FILE.xlsx (or redirect standard output to one)",
            ));
        }
        Ok(())
    }
}

impl From<Format> for Messages {
    fn from(format: Format) -> Messages {
        Messages::json_if(format == Format::Json)
    }
}

/// The table of a proposal that `--format csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableChoice {
    /// Each case whose worker changes, with why (the default).
    Moves,
    /// Each worker before and after.
    Workers,
    /// Each case left unplaced, with why.
    Unplaced,
}

/// `--table`, of the commands that write a proposal.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// With --format csv: the table to write (a CSV holds one): moves (the default), workers
    /// or unplaced. The workbook of --format xlsx has a sheet for each.
    #[arg(long, value_enum, value_name = "TABLE")]
    table: Option<TableChoice>,
}

impl TableArgs {
    /// The table a CSV of the proposal holds; refuses --table with any format but csv.
    pub fn for_format(&self, format: Format) -> Result<ProposalTable, CliError> {
        match (self.table, format) {
            (Some(_), Format::Text | Format::Json | Format::Xlsx) => Err(CliError::with_help(
                "--table picks the table of a CSV and goes with --format csv",
                "add --format csv, or leave --table out (the workbook of --format xlsx has every table)",
            )),
            (None | Some(TableChoice::Moves), _) => Ok(ProposalTable::Moves),
            (Some(TableChoice::Workers), _) => Ok(ProposalTable::Workers),
            (Some(TableChoice::Unplaced), _) => Ok(ProposalTable::Unplaced),
        }
    }
}

/// A workbook that could not be made (a sheet beyond Excel's limits), with what to do.
pub fn workbook_error(error: WorkbookError) -> CliError {
    CliError::with_help(
        format!("{error}; nothing was written"),
        "write --format csv or --format json instead",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_parses_only_its_formats() {
        let command = clap::Command::new("t").arg(
            Arg::new("format")
                .long("format")
                .value_parser(Format::among(Format::TABLE)),
        );
        let parsed = command
            .clone()
            .try_get_matches_from(["t", "--format", "csv"])
            .unwrap();
        assert_eq!(parsed.get_one::<Format>("format"), Some(&Format::Csv));
        assert!(command
            .try_get_matches_from(["t", "--format", "xlsx"])
            .is_err());
    }

    #[test]
    fn a_table_goes_with_csv_only() {
        let args = |table| TableArgs { table };
        assert_eq!(
            args(None).for_format(Format::Xlsx).unwrap(),
            ProposalTable::Moves
        );
        assert_eq!(
            args(Some(TableChoice::Workers))
                .for_format(Format::Csv)
                .unwrap(),
            ProposalTable::Workers
        );
        assert!(args(Some(TableChoice::Workers))
            .for_format(Format::Json)
            .is_err());
    }
}
