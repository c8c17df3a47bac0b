//! `serve DIR`: a folder of scenarios on one dashboard, for a supervisor who keeps several teams
//! (or what-if overlays of one team) in one place. The teams are the scenario files directly in
//! the folder, in the order of their names; an acuity model or hiring profiles kept beside them
//! is left out, and said to be. Each team has the dashboard of `serve SCENARIO` under
//! `/team/N`, N its place in that order (never a name from the browser), and `/` lists them
//! with how today's solve of each went.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use caseload::input::toml_format::TomlFormat;
use caseload::plan::compare::{summarize, RunSummary};

use super::super::CliError;
use super::pages;
use super::routes::{self, html, Shared};

/// A folder's teams.
pub struct Folder {
    /// The folder, as given on the command line.
    pub dir: PathBuf,
    /// The teams, in the order of their files' names: team N is `teams[N - 1]`.
    pub teams: Vec<Arc<Shared>>,
    /// The TOML files of other formats, left out.
    pub left_out: Vec<(PathBuf, TomlFormat)>,
}

impl Folder {
    /// Every address of the folder's dashboard: the index at `/`, each team's dashboard under
    /// `/team/N`; any other address is not found.
    pub fn router(self: &Arc<Self>) -> Router {
        let mut router = Router::new()
            .route("/", get(index))
            .fallback(routes::unknown_address)
            .with_state(self.clone());
        for (i, team) in self.teams.iter().enumerate() {
            router = router.nest(&team_base(i + 1), routes::team_router(team.clone()));
        }
        router
    }
}

/// Where the pages of a folder's team `number` (from 1) are.
pub fn team_base(number: usize) -> String {
    format!("/team/{number}")
}

/// The `*.toml` files directly in a folder, sorted by name.
pub struct FolderFiles {
    /// The scenarios: the folder's teams.
    pub scenarios: Vec<PathBuf>,
    /// The files of other formats, left out.
    pub left_out: Vec<(PathBuf, TomlFormat)>,
}

/// The `*.toml` files directly in `dir`, sorted by name: the scenarios, and the files of other
/// formats. Refused when there is no scenario among them.
pub fn scenario_files(dir: &Path) -> Result<FolderFiles, CliError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CliError::file(format!("cannot read the folder `{}`", dir.display()), e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut scenarios = Vec::new();
    let mut left_out = Vec::new();
    for file in files {
        match TomlFormat::of_file(&file) {
            TomlFormat::Scenario => scenarios.push(file),
            other => left_out.push((file, other)),
        }
    }
    if scenarios.is_empty() {
        let others: Vec<String> = left_out
            .iter()
            .map(|(file, format)| format!("{} (`{}`)", format.described(), file_name(file)))
            .collect();
        let only = if others.is_empty() {
            String::new()
        } else {
            format!(", only {}", others.join(", "))
        };
        return Err(CliError::with_help(
            format!(
                "the folder `{}` holds no scenario (*.toml) file{only}",
                dir.display()
            ),
            "give the folder that holds the teams' scenarios, or one scenario file",
        ));
    }
    Ok(FolderFiles {
        scenarios,
        left_out,
    })
}

/// Refuses a path that does not exist, unless it names a scenario file (`.toml`), whose page
/// says it is missing until it appears: any other was meant as a folder, or mistyped.
pub fn refuse_a_missing_folder(path: &Path) -> Result<(), CliError> {
    if path.exists() || path.extension().is_some_and(|e| e == "toml") {
        return Ok(());
    }
    Err(CliError::with_help(
        format!("the folder `{}` does not exist", path.display()),
        "check the path and the spelling; give a folder of scenarios or a scenario file (.toml)",
    ))
}

/// The name of `file`, as text.
pub fn file_name(file: &Path) -> String {
    file.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// One team's line on the index.
pub struct TeamLine {
    /// The scenario file's name.
    pub file: String,
    /// The team's name, its available workers and its cases, once it has loaded.
    pub team: Option<(String, usize, usize)>,
    /// Where today's solve stands.
    pub today: Today,
}

/// Where a team's today's solve stands, for the index.
pub enum Today {
    /// The scenario does not load: its page says why.
    DoesNotLoad,
    /// Waiting for the teams before it.
    Waiting,
    /// Solving now.
    Solving,
    /// Solved: its figures.
    Solved(RunSummary),
    /// A bug stopped it: its page says so.
    NotSolved,
}

impl TeamLine {
    fn of(team: &Arc<Shared>) -> TeamLine {
        let file = file_name(&team.scenario);
        let Some(board) = team.board() else {
            return TeamLine {
                file,
                team: None,
                today: Today::DoesNotLoad,
            };
        };
        let scenario = &board.today.scenario;
        let workers = scenario.staff.iter().filter(|s| s.available).count();
        let today = match board.today_solved() {
            Some(solved) => Today::Solved(summarize(&solved.scenario, &solved.proposal)),
            None if board.overview().is_some() => Today::NotSolved,
            None if team.solves.is_waiting(team) => Today::Waiting,
            None => Today::Solving,
        };
        TeamLine {
            file,
            team: Some((scenario.name.clone(), workers, scenario.cases.len())),
            today,
        }
    }
}

async fn index(State(folder): State<Arc<Folder>>) -> Response {
    let lines: Vec<TeamLine> = folder.teams.iter().map(TeamLine::of).collect();
    let left_out: Vec<(String, &str)> = folder
        .left_out
        .iter()
        .map(|(file, format)| (file_name(file), format.described()))
        .collect();
    let dir = folder.dir.display().to_string();
    html(StatusCode::OK, pages::index(&dir, &lines, &left_out))
}
