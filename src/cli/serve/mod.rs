//! `serve`: a local web dashboard for one team, for a supervisor who does not use the command
//! line. The command-line side is here: the address it listens on, the token, the runtime.
//! What-ifs are solved in [`whatifs`] by the library calls of `caseload whatif`, the pages are
//! in [`pages`] (the reports are the HTML report's own), the addresses in [`routes`].

mod pages;
mod routes;
mod whatifs;

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::stop::stop_requested;
use caseload::solve::SolveOptions;

use super::{check_time_limit, exit_codes, note, CliError, Messages, Status};
use routes::Shared;
use whatifs::Board;

/// A local web dashboard: today's proposal and live what-ifs, in the browser.
///
/// Loads the scenario, listens on 127.0.0.1 (a free port unless --port says which) and prints
/// the dashboard's address with a random token; every request must carry that token (the
/// first page turns it into a cookie). The overview shows today's team and proposal as
/// `rebalance --format html --budget-curve` draws it; the form asks what-ifs (a worker on
/// leave, an FTE change, a hire, an intake surge, the move budget, the balance band), each
/// solved in the background as `caseload whatif` solves it, with its report beside today's and
/// its downloads (JSON, CSV, Excel, HTML); a form asks why about one case or worker. Only the
/// scenario's own files are read; two things are written, beside the scenario and never over a
/// file: next week's scenario when "Apply today's proposal" is confirmed (NAME-next.toml, as
/// `caseload apply` writes it), and a solved what-if when "Save as an overlay" is pressed
/// (NAME-whatif-N.toml, as `caseload whatif --save-overlay` writes it). A scenario that does not load is said on the terminal and on the page, with each
/// problem located as on the command line, and read again from the page once mended. Ctrl-C
/// stops the server.
///
/// For example, `caseload serve scenarios/riverside.toml` serves the example team until
/// Ctrl-C.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the server stopped (Ctrl-C)",
        "2    bad input or usage (the address cannot be listened on, a bad option); a scenario that does not load is not one: the page shows its problems and reads it again when asked",
    )
)]
pub struct ServeArgs {
    /// The scenario file (TOML).
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
        // A scenario that does not load is said here and on the page, which reads it again
        // when asked (once the supervisor has mended it).
        let loaded = load_scenario(&self.scenario, &LoadOptions::default());
        let load_errors = match &loaded {
            Ok(_) => String::new(),
            Err(error) => {
                Messages::Text.input_error(error);
                error.to_string()
            }
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| CliError::new(format!("cannot start the server: {e}")))?;
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
        let token = new_token()?;
        let board = OnceLock::new();
        if let Ok(loaded) = loaded {
            let _ = board.set(Board::new(self.scenario.clone(), loaded, self.time_limit));
        }
        let shared = Arc::new(Shared {
            board,
            token,
            scenario: self.scenario.clone(),
            time_limit: self.time_limit,
            load_errors: Mutex::new(load_errors),
        });
        let url = format!("http://{bound}/?token={}", shared.token);
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "caseload dashboard for {}: {url}",
            self.scenario.display()
        );
        let _ = writeln!(out, "Ctrl-C stops it.");
        let _ = out.flush();
        let result = runtime.block_on(serve(listener, shared));
        runtime.shutdown_background();
        result.map(|()| Status::Done)
    }
}

/// Solves today's team in the background and answers requests until Ctrl-C.
async fn serve(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| CliError::new(format!("cannot listen: {e}")))?;
    if shared.board().is_some() {
        solve_today(shared.clone());
    }
    axum::serve(listener, routes::router(shared))
        .with_graceful_shutdown(interrupted())
        .await
        .map_err(|e| CliError::new(format!("the server stopped: {e}")))
}

/// Solves today's team on the blocking pool, once the scenario has loaded.
fn solve_today(shared: Arc<Shared>) {
    tokio::task::spawn_blocking(move || {
        let Some(board) = shared.board() else {
            return;
        };
        let solve = std::panic::AssertUnwindSafe(|| board.solve_overview());
        if std::panic::catch_unwind(solve).is_err() {
            let text = "an internal error (a bug) stopped today's solve; please report it";
            *board.overview() = Some(pages::message("Not solved", text));
        }
    });
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
