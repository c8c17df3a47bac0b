//! The dashboard's addresses, the token every request must carry, and the answers. No path
//! from a request reaches the file system: the addresses are fixed, a what-if (and a folder's
//! team) is named by its number, and every page and download is held in memory. GET changes
//! nothing; what-ifs are asked, cancelled and saved by POST.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{Form, FromRequestParts, Path, Query, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use caseload::input::{load_scenario, LoadOptions};
use caseload::plan::whatif::Change;
use caseload::report::html::compare_html;

use super::pages;
use super::solves::Solves;
use super::whatifs::{Asked, Board, Entry, Question, Solved, State as Solve};

/// What the handlers of one team share: its board, and where its pages are.
pub struct Shared {
    /// The team, today's proposal and the what-ifs, once the scenario has loaded.
    pub board: OnceLock<Board>,
    /// Where the team's pages are: "" when the dashboard serves one scenario, `/team/N` for
    /// the N-th of a folder's.
    pub base: String,
    /// The solves of every team, and how many run at once.
    pub solves: Arc<Solves>,
    /// The scenario file.
    pub scenario: PathBuf,
    /// Seconds each solve may take.
    pub time_limit: f64,
    /// Why the scenario did not load, as the command line says it, until it does.
    pub load_errors: Mutex<String>,
}

impl Shared {
    /// The board, once the scenario has loaded.
    pub fn board(&self) -> Option<&Board> {
        self.board.get()
    }

    /// Reads the scenario again when it has not loaded yet: true when it loads now (today's
    /// solve is then started).
    fn load_again(self: &Arc<Self>) -> bool {
        if self.board().is_some() {
            return true;
        }
        match load_scenario(&self.scenario, &LoadOptions::default()) {
            Ok(loaded) => {
                let board = Board::new(self.scenario.clone(), loaded, self.time_limit);
                if self.board.set(board).is_ok() {
                    self.solves.solve_today(self.clone());
                }
                true
            }
            Err(error) => {
                *self.load_errors.lock().unwrap_or_else(|e| e.into_inner()) = error.to_string();
                false
            }
        }
    }

    /// The page that says why the scenario does not load, with a button to read it again.
    fn not_loaded(&self) -> Response {
        let errors = self
            .load_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        html(
            StatusCode::SERVICE_UNAVAILABLE,
            pages::not_loaded(&self.base, &self.scenario.display().to_string(), &errors),
        )
    }
}

const COOKIE: &str = "caseload_token";
const TOKEN_HEADER: &str = "x-caseload-token";

/// Every address of one team's dashboard: at `/` when it serves one scenario, under `/team/N`
/// for each team of a folder.
pub fn team_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(overview))
        .route("/today.html", get(today))
        .route("/today-solving", get(today_solving))
        .route("/whatif", post(ask))
        .route("/whatif/{n}", get(whatif_page))
        .route("/whatif/{n}/state", get(whatif_state))
        .route("/whatif/{n}/report.html", get(report))
        .route("/whatif/{n}/{file}", get(download))
        .route("/whatif/{n}/cancel", post(cancel))
        .route("/whatif/{n}/save-overlay", post(save_overlay))
        .route("/compare", get(compare_page))
        .route("/compare.html", get(compare_report))
        .route("/why", get(why_today))
        .route("/load", post(load_again))
        .route("/apply", get(apply_page).post(apply_today))
        .route("/whatif/{n}/why", get(why_whatif))
        .fallback(unknown_address)
        .with_state(shared)
}

/// `routes`, every one behind the check of `token`, every refusal on a page of the dashboard.
pub fn guarded(routes: Router, token: String) -> Router {
    routes
        .layer(middleware::from_fn(refusals_as_pages))
        .layer(middleware::from_fn_with_state(Arc::new(token), token_check))
}

/// The refusals axum gives itself (a method an address does not take, a malformed query or
/// form, a body too large) come as plain text or nothing; each is put in a page of the
/// dashboard saying what was wrong, with its status and headers kept.
async fn refusals_as_pages(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !response.status().is_client_error() || is_page {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = if parts.status == StatusCode::METHOD_NOT_ALLOWED {
        format!(
            "This address does not take a {method} request; use the dashboard's links and buttons."
        )
    } else {
        let said = axum::body::to_bytes(body, 64 * 1024)
            .await
            .unwrap_or_default();
        format!(
            "The request was not understood: {}",
            String::from_utf8_lossy(&said)
        )
    };
    let title = parts.status.canonical_reason().unwrap_or("Refused");
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(pages::message("/", title, &text)))
}

/// The what-if's number in an address (`/whatif/{n}/...`); an address with anything else
/// there is one the dashboard does not have.
struct WhatIfNumber(usize);

impl<S: Send + Sync> FromRequestParts<S> for WhatIfNumber {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        params
            .iter()
            .find(|(name, _)| *name == "n")
            .and_then(|(_, n)| n.parse().ok())
            .map(WhatIfNumber)
            .ok_or_else(not_found)
    }
}

/// Lets through a request that carries the token (header or cookie); turns a GET with
/// `?token=` into a cookie and a redirect to the same page without it (so that it does not
/// stay in the address bar, and never to another site); refuses every other request with 403.
async fn token_check(State(token): State<Arc<String>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let given = headers
        .get(TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| cookie(headers));
    if given.is_some_and(|t| same(&t, &token)) {
        let mut response = next.run(request).await;
        protect(response.headers_mut());
        return response;
    }
    let in_query = request.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .map(str::to_string)
    });
    if request.method() == Method::GET && in_query.is_some_and(|t| same(&t, &token)) {
        // A path a browser reads as another site's address (`//host`, `/\host`) goes home.
        let path = request.uri().path();
        let path = match path.as_bytes().get(1) {
            Some(b'/' | b'\\') => "/",
            _ => path,
        };
        let mut response = Redirect::to(path).into_response();
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        protect(response.headers_mut());
        return response;
    }
    let text = "This dashboard needs the address `caseload serve` printed, with its token.";
    html(StatusCode::FORBIDDEN, pages::message("/", "Refused", text))
}

/// The token in the request's cookie, if any.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .map(str::to_string)
}

/// Compares without stopping at the first difference, so the time taken tells nothing.
fn same(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// No page is cached, framed by another site or told where it came from (the token is in the
/// first address).
fn protect(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'self'"),
    );
}

pub fn html(status: StatusCode, page: String) -> Response {
    let kind = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    (status, kind, page).into_response()
}

/// Any other address: the dashboard's own page saying there is none.
pub async fn unknown_address() -> Response {
    not_found()
}

fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        pages::message("/", "Not found", "There is no such page on this dashboard."),
    )
}

async fn overview(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    shared.solves.hurry(&shared);
    let workers: Vec<String> = board
        .today
        .scenario
        .staff
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let ready = board.overview().is_some();
    let list = board.whatifs();
    html(
        StatusCode::OK,
        pages::overview(
            &shared.base,
            &board.today.scenario.name,
            &workers,
            &list,
            ready,
        ),
    )
}

async fn today(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    match board.overview().as_ref() {
        Some(page) => html(StatusCode::OK, pages::answering_why(page)),
        None => today_still_solving(&shared.base),
    }
}

/// The overview's frame while today's team is solving; once it is solved (or failed), the frame
/// is sent on to today's page.
async fn today_solving(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    if board.overview().is_some() {
        return Redirect::to(&format!("{}/today.html", shared.base)).into_response();
    }
    // The frame of an open page keeps its team first in the queue, as the page did.
    shared.solves.hurry(&shared);
    let waiting = shared.solves.is_waiting(&shared);
    html(StatusCode::OK, pages::today_solving(waiting))
}

/// What a page that needs today's proposal says before it is solved.
fn today_still_solving(base: &str) -> Response {
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        pages::message(
            pages::home(base),
            "Still solving",
            "Today's proposal is still being solved; ask again once its report shows on the dashboard.",
        ),
    )
}

/// The what-if form's fields; empty fields are left out.
#[derive(Debug, serde::Deserialize)]
pub struct WhatIfForm {
    #[serde(default)]
    leave: String,
    #[serde(default)]
    fte_worker: String,
    #[serde(default)]
    fte: String,
    #[serde(default)]
    hire_skills: String,
    #[serde(default)]
    hire_fte: String,
    #[serde(default)]
    surge: String,
    #[serde(default)]
    max_moves: String,
    #[serde(default)]
    balance_band: String,
    #[serde(default)]
    target: String,
}

async fn ask(State(shared): State<Arc<Shared>>, Form(form): Form<WhatIfForm>) -> Response {
    let asked = match form.asked() {
        Ok(asked) => asked,
        Err(text) => {
            return html(
                StatusCode::BAD_REQUEST,
                pages::message(pages::home(&shared.base), "Not solved", &text),
            )
        }
    };
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    let number = match board.ask(&asked) {
        Ok(number) => number,
        Err(text) => {
            return html(
                StatusCode::BAD_REQUEST,
                pages::message(pages::home(&shared.base), "Not solved", &text),
            )
        }
    };
    let solving = shared.clone();
    let stop = board.stop_of(number);
    // One solve per what-if, on the blocking pool once a slot is free, stopped by its own
    // cancel alone; the request returns at once.
    tokio::task::spawn_blocking(move || {
        // A bug in one solve is reported on its page, not left solving for ever.
        let Some(board) = solving.board() else {
            return;
        };
        // Cancelled while it waited for a slot: never solved, and recorded as cancelled.
        let Some(_slot) = solving.solves.slot(|| board.is_cancelled(number)) else {
            return board.finish(number, Err("cancelled".to_string()));
        };
        let solve = std::panic::AssertUnwindSafe(|| board.solve_whatif(&asked));
        let result = stop
            .run(|| std::panic::catch_unwind(solve))
            .unwrap_or_else(|_| {
                Err("an internal error (a bug) stopped this solve; please report it".to_string())
            });
        board.finish(number, result);
    });
    Redirect::to(&format!("{}/whatif/{number}", shared.base)).into_response()
}

impl WhatIfForm {
    /// The changes in the order `caseload whatif` applies them (leave, FTE, hire, surge), or
    /// what to write instead.
    fn asked(&self) -> Result<Asked, String> {
        let mut changes = Vec::new();
        if let Some(worker) = chosen(&self.leave) {
            changes.push(Change::Leave(worker.to_string()));
        }
        if let Some(worker) = chosen(&self.fte_worker) {
            let fte = number(&self.fte, "the new FTE", "0.5")?
                .ok_or("give the worker's new FTE, e.g. 0.5")?;
            changes.push(Change::Fte(worker.to_string(), fte));
        }
        let hire_fte = number(&self.hire_fte, "the hire's FTE", "0.8")?;
        if filled(&self.hire_skills).is_some() || hire_fte.is_some() {
            let skills = self
                .hire_skills
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            changes.push(Change::Hire {
                skills,
                fte: hire_fte.unwrap_or(1.0),
            });
        }
        let surge = self.surge.trim().trim_end_matches('%');
        if let Some(percent) = number(surge, "the surge", "15")? {
            changes.push(Change::Surge { percent, seed: 1 });
        }
        let max_moves = match filled(&self.max_moves) {
            Some(n) => Some(n.parse().map_err(|_| {
                format!("the move budget must be a whole number, e.g. 10, not `{n}`")
            })?),
            None => None,
        };
        let balance_band = number(&self.balance_band, "the balance band", "0.05")?;
        if balance_band.is_some_and(|b| !(b.is_finite() && b >= 0.0)) {
            return Err("the balance band must be 0 or more, e.g. 0.05".to_string());
        }
        let target = number(&self.target, "the target", "0.9")?;
        if let Some(problem) = target.and_then(super::super::target_problem) {
            return Err(format!("the target {problem}"));
        }
        if changes.is_empty() && max_moves.is_none() && balance_band.is_none() && target.is_none() {
            return Err("say what changes: a leave, an FTE, a hire, a surge, the move budget, the balance band or the target".to_string());
        }
        Ok(Asked {
            changes,
            max_moves,
            balance_band,
            target,
        })
    }
}

/// A worker chosen from the form's list: the id as sent (an id may begin or end with a
/// space), none when blank.
fn chosen(id: &str) -> Option<&str> {
    Some(id).filter(|t| !t.trim().is_empty())
}

fn filled(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// A number typed in a field, none when the field is empty.
fn number(text: &str, what: &str, example: &str) -> Result<Option<f64>, String> {
    match filled(text) {
        Some(t) => t
            .parse()
            .map(Some)
            .map_err(|_| format!("{what} must be a number, e.g. {example}, not `{t}`")),
        None => Ok(None),
    }
}

/// Runs `answer` on what-if `n`, or answers 404.
fn with_whatif(shared: &Shared, n: usize, answer: impl FnOnce(&Entry) -> Response) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    let list = board.whatifs();
    match n.checked_sub(1).and_then(|i| list.get(i)) {
        Some(entry) => answer(entry),
        None => not_found(),
    }
}

/// The what-ifs side by side with today: a page around the comparison's report.
async fn compare_page(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    match board.compared() {
        Some(runs) => html(StatusCode::OK, pages::compare(&shared.base, runs.len())),
        None if board.overview().is_none() => today_still_solving(&shared.base),
        None => not_found(),
    }
}

/// The comparison's report: `caseload compare`'s page of today's team and the solved what-ifs.
async fn compare_report(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    match board.compared() {
        Some(runs) => html(StatusCode::OK, compare_html(&runs)),
        None => not_found(),
    }
}

async fn whatif_page(State(shared): State<Arc<Shared>>, WhatIfNumber(n): WhatIfNumber) -> Response {
    with_whatif(&shared, n, |entry| {
        html(StatusCode::OK, pages::whatif(&shared.base, n, entry))
    })
}

async fn whatif_state(
    State(shared): State<Arc<Shared>>,
    WhatIfNumber(n): WhatIfNumber,
) -> Response {
    with_whatif(&shared, n, |entry| {
        let kind = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
        (kind, pages::state_key(&entry.state)).into_response()
    })
}

async fn report(State(shared): State<Arc<Shared>>, WhatIfNumber(n): WhatIfNumber) -> Response {
    with_whatif(&shared, n, |entry| match &entry.state {
        Solve::Done(reports, _) => html(StatusCode::OK, pages::answering_why(&reports.html)),
        _ => not_found(),
    })
}

/// `whatif.json`, `.csv`, `.xlsx` or `.html`: the file `caseload whatif --format ...` writes.
async fn download(
    State(shared): State<Arc<Shared>>,
    WhatIfNumber(n): WhatIfNumber,
    Path((_, file)): Path<(String, String)>,
) -> Response {
    with_whatif(&shared, n, |entry| {
        let Solve::Done(reports, _) = &entry.state else {
            return not_found();
        };
        let (kind, bytes): (&str, Vec<u8>) = match file.as_str() {
            "whatif.json" => ("application/json", reports.json.clone().into_bytes()),
            "whatif.csv" => ("text/csv; charset=utf-8", reports.csv.clone().into_bytes()),
            "whatif.xlsx" => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                reports.xlsx.clone(),
            ),
            "whatif.html" => (
                "text/html; charset=utf-8",
                reports.html.clone().into_bytes(),
            ),
            _ => return not_found(),
        };
        let name = format!("attachment; filename=\"whatif-{n}.{}\"", &file[7..]);
        let disposition =
            HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment"));
        let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, kind)], bytes).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
        response
    })
}

async fn cancel(State(shared): State<Arc<Shared>>, WhatIfNumber(n): WhatIfNumber) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    if board.cancel(n) {
        Redirect::to(&format!("{}/whatif/{n}", shared.base)).into_response()
    } else {
        not_found()
    }
}

/// Keeps a solved what-if as an overlay file beside the scenario (by POST only: a GET writes
/// nothing), under a name the board chooses.
async fn save_overlay(
    State(shared): State<Arc<Shared>>,
    WhatIfNumber(n): WhatIfNumber,
) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    if n == 0 || n > board.whatifs().len() {
        return not_found();
    }
    let writing = shared.clone();
    let saved = tokio::task::spawn_blocking(move || match writing.board() {
        Some(board) => board.save_overlay(n),
        None => Err("the scenario has not loaded".to_string()),
    })
    .await
    .unwrap_or_else(|_| Err("an internal error (a bug) stopped the writing".to_string()));
    match saved {
        Ok(saved) => html(StatusCode::OK, pages::saved_overlay(&shared.base, &saved)),
        Err(text) => html(
            StatusCode::CONFLICT,
            pages::message(pages::home(&shared.base), "Nothing was written", &text),
        ),
    }
}

/// The answer about one case or worker of `solved`, as `caseload explain` gives it; 404 with
/// what to ask instead when there is no such case or worker.
fn answer(base: &str, title: &str, solved: &Solved, question: &Question) -> Response {
    match solved.answer(question) {
        Ok(text) => html(StatusCode::OK, pages::answer(title, &text)),
        Err(text) => html(
            StatusCode::NOT_FOUND,
            pages::message(pages::home(base), "No answer", &text),
        ),
    }
}

async fn why_today(
    State(shared): State<Arc<Shared>>,
    Query(question): Query<Question>,
) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    match board.today_solved() {
        Some(solved) => answer(&shared.base, "Today's proposal: why", &solved, &question),
        None if board.overview().is_none() => today_still_solving(&shared.base),
        None => not_found(),
    }
}

async fn why_whatif(
    State(shared): State<Arc<Shared>>,
    WhatIfNumber(n): WhatIfNumber,
    Query(question): Query<Question>,
) -> Response {
    with_whatif(&shared, n, |entry| match &entry.state {
        Solve::Done(reports, _) => answer(
            &shared.base,
            &format!("What if {n}: why"),
            &reports.solved,
            &question,
        ),
        _ => not_found(),
    })
}

async fn load_again(State(shared): State<Arc<Shared>>) -> Response {
    let reading = shared.clone();
    // Reading a large team takes a while: off the request threads.
    let _ = tokio::task::spawn_blocking(move || reading.load_again()).await;
    Redirect::to(pages::home(&shared.base)).into_response()
}

async fn apply_page(State(shared): State<Arc<Shared>>) -> Response {
    let Some(board) = shared.board() else {
        return shared.not_loaded();
    };
    if board.overview().is_none() {
        return today_still_solving(&shared.base);
    }
    let next = board.next_scenario().display().to_string();
    html(StatusCode::OK, pages::apply_confirm(&shared.base, &next))
}

async fn apply_today(State(shared): State<Arc<Shared>>) -> Response {
    let writing = shared.clone();
    let written = tokio::task::spawn_blocking(move || match writing.board() {
        Some(board) => board.apply_today(),
        None => Err("the scenario has not loaded".to_string()),
    })
    .await
    .unwrap_or_else(|_| Err("an internal error (a bug) stopped the writing".to_string()));
    match written {
        Ok(paths) => {
            let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            html(StatusCode::OK, pages::applied(&shared.base, &paths))
        }
        Err(text) => html(
            StatusCode::CONFLICT,
            pages::message(pages::home(&shared.base), "Nothing was written", &text),
        ),
    }
}
