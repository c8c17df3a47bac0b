//! `generate`: write a synthetic team made by the library into a directory.

use std::path::PathBuf;

use caseload::input::generate::{generate, GenerateOptions, CASES_FILE, SCENARIO_FILE};

use super::output::{print, write_atomically};
use super::{exit_codes, CliError, Status};

/// Generate a realistic synthetic team, deterministic per seed.
///
/// Writes DIR/scenario.toml (and DIR/cases.csv with --csv): workers with FTE, capacity and
/// skills (rare languages included), cases with acuity levels, factors, needs, families,
/// pins, conflicts of interest and a little intake. Work is handed out unevenly, so some
/// workers start overloaded: a team worth rebalancing. Used by benchmarks, tests and demos.
///
/// Example:
///   caseload generate --staff 50 --cases 1500 --seed 1 --output team50
///   caseload check team50/scenario.toml
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the team is written",
        "2    a file exists without --force, the directory cannot be written, or a usage error; nothing is written",
    )
)]
pub struct GenerateArgs {
    /// Number of workers.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    staff: u32,
    /// Number of cases.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    cases: u32,
    /// Seed: the same seed gives the same team.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Directory to write into (created if missing); `--out` is an older name for it.
    #[arg(long, visible_alias = "out", value_name = "DIR")]
    output: PathBuf,
    /// Put the cases in DIR/cases.csv instead of the scenario file.
    #[arg(long)]
    csv: bool,
    /// Replace files that already exist.
    #[arg(long)]
    force: bool,
}

impl GenerateArgs {
    /// `caseload generate`.
    pub fn run(&self) -> Result<Status, CliError> {
        let team = generate(&GenerateOptions {
            staff: self.staff as usize,
            cases: self.cases as usize,
            seed: self.seed,
            csv: self.csv,
        });
        let out = &self.output;
        std::fs::create_dir_all(out).map_err(|e| {
            CliError::file(
                format!("cannot create the directory `{}`", out.display()),
                e,
            )
        })?;
        let scenario_path = out.join(SCENARIO_FILE);
        let csv_path = out.join(CASES_FILE);
        for path in [&scenario_path, &csv_path] {
            if path.exists() && !self.force && (path == &scenario_path || team.cases_csv.is_some())
            {
                return Err(CliError::exists(
                    path,
                    "choose another directory, or pass --force to replace it",
                ));
            }
        }
        if let Some(csv_text) = &team.cases_csv {
            write_atomically(&csv_path, csv_text.as_bytes(), self.force)?;
        }
        write_atomically(&scenario_path, team.scenario_toml.as_bytes(), self.force)?;
        print(&format!("wrote {}\n", scenario_path.display()))?;
        if team.cases_csv.is_some() {
            print(&format!("wrote {}\n", csv_path.display()))?;
        }
        Ok(Status::Done)
    }
}
