//! `init`: write the library's starter team into a folder, all files or none.

use std::path::PathBuf;

use caseload::input::starter::{starter_files, GUIDE_SHEET, WORKBOOK_FILE, WORKBOOK_SCENARIO_FILE};

use super::output::{check_output, print, write_atomically};
use super::{exit_codes, CliError, Status};

/// Start a team from nothing: a starter team as a workbook and as TOML.
///
/// Writes into DIR (created if missing):
///   team.xlsx          the team in a workbook: a sheet Staff (one worker a row), a sheet
///                      Cases (one case a row), and a sheet "How to fill this in" saying what
///                      each column means and how to write it
///   team.toml          the scenario to run, which names team.xlsx
///   team-in-toml.toml  the same team as [[staff]] and [[case]] entries in TOML
/// The example rows fill every column, with the levels and factors of the built-in standard
/// model; replace them with your team. Refuses a DIR that holds any of these files, unless
/// --force; writes each file atomically.
///
/// Example:
///   caseload init myteam
///   caseload check myteam/team.toml
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the starter team is written",
        "2    a file exists without --force, the folder cannot be written, or a usage error; nothing is written",
    )
)]
pub struct InitArgs {
    /// The folder to write the starter team into.
    dir: PathBuf,
    /// Replace the starter team's files where they already exist.
    #[arg(long)]
    force: bool,
}

impl InitArgs {
    /// `caseload init`.
    pub fn run(&self) -> Result<Status, CliError> {
        let files = starter_files().map_err(|e| CliError::new(e.to_string()))?;
        let paths: Vec<PathBuf> = files.iter().map(|f| self.dir.join(f.name)).collect();
        // Every file may be written before any is, so a refusal leaves the folder as it was.
        for path in &paths {
            check_output(path, self.force)?;
        }
        for (path, file) in paths.iter().zip(&files) {
            write_atomically(path, &file.bytes, self.force)?;
        }
        for path in &paths {
            print(&format!("wrote {}\n", path.display()))?;
        }
        print(&format!(
            "Fill in {} (its sheet \"{GUIDE_SHEET}\" says how), then run `caseload check {}`.\n",
            self.dir.join(WORKBOOK_FILE).display(),
            self.dir.join(WORKBOOK_SCENARIO_FILE).display()
        ))?;
        Ok(Status::Done)
    }
}
