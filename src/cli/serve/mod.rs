//! `serve`: a local web dashboard for one team, or for a folder of teams ([`folder`]), for a
//! supervisor who does not use the command line. The command-line side is here: the address it
//! listens on, the token, the runtime. What-ifs are solved in [`whatifs`] by the library calls
//! of `caseload whatif`, how many solves run at once is decided in [`solves`], the pages are in
//! [`pages`] (the reports are the HTML report's own), the addresses in [`routes`].

mod folder;
mod pages;
mod routes;
mod solves;
mod whatifs;

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::stop::stop_requested;
use caseload::solve::SolveOptions;

use super::{check_time_limit, exit_codes, note, CliError, Messages, Status};
use folder::Folder;
use routes::Shared;
use solves::Solves;
use whatifs::Board;

/// A local web dashboard: today's proposal and live what-ifs, in the browser, for one team or a
/// folder of teams.
///
/// Loads the scenario, listens on 127.0.0.1 (a free port unless --port says which) and prints
/// the dashboard's address with a random token; every request must carry that token (the
/// first page turns it into a cookie). The overview shows today's team and proposal as
/// `rebalance --format html --budget-curve` draws it; the form asks what-ifs (a worker on
/// leave, an FTE change, a hire, an intake surge, the move budget, the balance band), each
/// solved in the background as `caseload whatif` solves it, with its report beside today's and
/// its downloads (JSON, CSV, Excel, HTML), and every solved what-if side by side with today as
/// `caseload compare` draws them; a form asks why about one case or worker. Only the
/// scenario's own files are read; two things are written, beside the scenario and never over a
/// file: next week's scenario when "Apply today's proposal" is confirmed (NAME-next.toml, as
/// `caseload apply` writes it), and a solved what-if when "Save as an overlay" is pressed
/// (NAME-whatif-N.toml, as `caseload whatif --save-overlay` writes it). A scenario that does not load is said on the terminal and on the page, with each
/// problem located as on the command line, and read again from the page once mended. Ctrl-C
/// stops the server.
///
/// Given a folder, serves each scenario file directly in it (not in its subfolders) as a team,
/// in the order of the files' names: the first page lists the teams (name, file, workers,
/// cases; once today's solve is done, max utilization today → proposed and the proposal's
/// status), each linking to its own dashboard as above, under /team/N. An acuity model or
/// hiring profiles kept in the folder (a TOML file with a key only a model or profiles have,
/// and none only a scenario has) is no team: it is left out, and named on the terminal and
/// the page. Today's solves run one team at a time, the team whose page is open first, and no
/// more solves (today's and what-ifs) run at once than the machine has cores. A folder that
/// holds no scenario, or does not exist, is refused.
///
/// For example, `caseload serve scenarios/riverside.toml` serves the example team, and
/// `caseload serve scenarios` the nine example teams, until Ctrl-C.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the server stopped (Ctrl-C)",
        "2    bad input or usage (the address cannot be listened on, a folder without a scenario or that does not exist, a bad option); a scenario that does not load is not one: the page shows its problems and reads it again when asked",
    )
)]
pub struct ServeArgs {
    /// The scenario file (TOML), or a folder of scenario files.
    #[arg(value_name = "SCENARIO|DIR")]
    scenario: PathBuf,
    /// The port to listen on; 0 (the default) takes a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The address to listen on. Any but a loopback address lets other machines reach the
    /// dashboard (with the token).
    #[arg(long, value_name = "ADDRESS", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Seconds each solve (today's, and each what-if's) may take, explaining included.
    #[arg(long, value_name = "SECS", default_value_t = SolveOptions::DEFAULT_TIME_LIMIT)]
    time_limit: f64,
}

impl ServeArgs {
    /// `caseload serve`.
    pub fn run(&self) -> Result<Status, CliError> {
        check_time_limit(self.time_limit)?;
        let solves = Solves::new();
        let served = if self.scenario.is_dir() {
            Served::Folder(Arc::new(self.folder(&solves)?))
        } else {
            folder::refuse_a_missing_folder(&self.scenario)?;
            Served::Team(self.team(&self.scenario, String::new(), &solves))
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| CliError::new(format!("cannot start the server: {e}")))?;
        let (listener, bound) = self.listen()?;
        let token = new_token()?;
        let url = format!("http://{bound}/?token={token}");
        let mut out = std::io::stdout();
        let _ = match &served {
            Served::Team(_) => writeln!(
                out,
                "caseload dashboard for {}: {url}",
                self.scenario.display()
            ),
            Served::Folder(folder) => writeln!(
                out,
                "caseload dashboard for the {} teams in {}: {url}",
                folder.teams.len(),
                self.scenario.display()
            ),
        };
        let _ = writeln!(out, "Ctrl-C stops it.");
        let _ = out.flush();
        let result = runtime.block_on(serve(listener, served, token));
        runtime.shutdown_background();
        result.map(|()| Status::Done)
    }

    /// The listener on `--bind` and `--port`, and the address it has.
    fn listen(&self) -> Result<(std::net::TcpListener, SocketAddr), CliError> {
        let address = SocketAddr::new(self.bind, self.port);
        let listener = std::net::TcpListener::bind(address)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                CliError::new(format!(
                    "cannot listen on {address}: {e}; choose another --port, or 0 for a free one"
                ))
            })?;
        let bound = listener
            .local_addr()
            .map_err(|e| CliError::new(format!("cannot listen on {address}: {e}")))?;
        if !self.bind.is_loopback() {
            note!("warning: listening on {bound}: other machines can reach the dashboard (with its token)");
        }
        Ok((listener, bound))
    }

    /// The team of the scenario at `path`, its pages under `base`. A scenario that does not
    /// load is said here and on its page, which reads it again when asked (once the
    /// supervisor has mended it).
    fn team(&self, path: &Path, base: String, solves: &Arc<Solves>) -> Arc<Shared> {
        let loaded = load_scenario(path, &LoadOptions::default());
        let load_errors = match &loaded {
            Ok(_) => String::new(),
            Err(error) => {
                Messages::Text.input_error(error);
                error.to_string()
            }
        };
        let board = OnceLock::new();
        if let Ok(loaded) = loaded {
            let _ = board.set(Board::new(path.to_path_buf(), loaded, self.time_limit));
        }
        Arc::new(Shared {
            board,
            base,
            solves: solves.clone(),
            scenario: path.to_path_buf(),
            time_limit: self.time_limit,
            load_errors: Mutex::new(load_errors),
        })
    }

    /// The teams of the folder given, each loaded; the files of other formats are said to be
    /// left out.
    fn folder(&self, solves: &Arc<Solves>) -> Result<Folder, CliError> {
        let files = folder::scenario_files(&self.scenario)?;
        for (file, format) in &files.left_out {
            note!(
                "note: `{}` is {}, not a scenario: it is not listed",
                file.display(),
                format.described()
            );
        }
        let teams = files
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, file)| self.team(file, folder::team_base(i + 1), solves))
            .collect();
        Ok(Folder {
            dir: self.scenario.clone(),
            teams,
            left_out: files.left_out,
        })
    }
}

/// What the dashboard serves.
enum Served {
    /// One scenario's team, at `/`.
    Team(Arc<Shared>),
    /// A folder's teams, each under `/team/N`, and their index at `/`.
    Folder(Arc<Folder>),
}

impl Served {
    fn teams(&self) -> Vec<Arc<Shared>> {
        match self {
            Served::Team(team) => vec![team.clone()],
            Served::Folder(folder) => folder.teams.clone(),
        }
    }

    fn router(&self) -> axum::Router {
        match self {
            Served::Team(team) => routes::team_router(team.clone()),
            Served::Folder(folder) => folder.router(),
        }
    }
}

/// Queues today's solve of every team that has loaded, in order, and answers requests until
/// Ctrl-C.
async fn serve(
    listener: std::net::TcpListener,
    served: Served,
    token: String,
) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| CliError::new(format!("cannot listen: {e}")))?;
    for team in served.teams() {
        if team.board().is_some() {
            team.solves.solve_today(team.clone());
        }
    }
    axum::serve(listener, routes::guarded(served.router(), token))
        .with_graceful_shutdown(interrupted())
        .await
        .map_err(|e| CliError::new(format!("the server stopped: {e}")))
}

/// Ends when Ctrl-C asks every solve to stop (see `main`).
async fn interrupted() {
    while !stop_requested() {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// 128 random bits from the operating system, in hex.
fn new_token() -> Result<String, CliError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| CliError::new(format!("no random token from the system: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
