//! The dashboard's own pages: the frame around the reports (the what-if form, the list of
//! what-ifs, where each solve stands, the downloads). The reports themselves are the HTML
//! report's pages, shown in a frame, never drawn a second time here. maud escapes every
//! inserted text; the pages run no script (a solving what-if's page, and the overview's frame
//! while today's team solves, reload themselves).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use caseload::report::percent;

use super::folder::{team_base, TeamLine, Today};
use super::whatifs::{Entry, SavedOverlay, State};

const STYLE: &str = include_str!("dashboard.css");

/// Nothing loads from anywhere but this server, and nothing runs.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'self'";

/// A dashboard page; `reload` makes it reload itself every second (while solving).
fn page(title: &str, reload: bool, body: Markup) -> String {
    document(
        title,
        reload,
        html! {
            header { a href="/" { "caseload dashboard" } " · " (title) }
            main { (body) }
        },
    )
}

/// The document around every page and frame of the dashboard.
fn document(title: &str, reload: bool, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                @if reload { meta http-equiv="refresh" content="1"; }
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// The address of a team's overview, whose pages are under `base` ("" when the dashboard serves
/// one scenario, `/team/N` for a folder's N-th team).
pub fn home(base: &str) -> &str {
    if base.is_empty() {
        "/"
    } else {
        base
    }
}

/// The overview: the what-if form, the what-ifs asked so far, and today's proposal.
pub fn overview(
    base: &str,
    team: &str,
    workers: &[String],
    whatifs: &[Entry],
    today_ready: bool,
) -> String {
    let body = html! {
        h2 { "What if" }
        (whatif_form(base, workers))
        @if !whatifs.is_empty() {
            h2 { "What-ifs asked" }
            ol.whatifs {
                @for (i, entry) in whatifs.iter().enumerate() {
                    li { a href={ (base) "/whatif/" (i + 1) } { (entry.said) } " — " span.state { (state_word(&entry.state)) } }
                }
            }
            // Shown while today's team is still solving too (the overview does not reload
            // itself then): the comparison says so until today's proposal is there.
            @if whatifs.iter().any(|e| matches!(e.state, State::Done(..))) {
                p { a href={ (base) "/compare" } { "Every solved what-if side by side with today" } }
            }
        }
        h2 { "Today's team and proposal" }
        p { a href={ (base) "/apply" } { "Apply today's proposal: next week's scenario…" } }
        (why_form(&format!("{base}/why")))
        // While today's team is solving, only the frame reloads itself (until it is the report),
        // so a what-if being filled in above is never reset.
        @if today_ready {
            iframe.report src={ (base) "/today.html" } title="Today's proposal" {}
        } @else {
            iframe.report src={ (base) "/today-solving" } title="Today's proposal" {}
        }
    };
    page(team, false, body)
}

/// What the overview's frame shows while today's team waits for its turn (`waiting`, in a
/// folder) or is solving; it reloads itself every second and becomes the report once there is
/// one.
pub fn today_solving(waiting: bool) -> String {
    let said = if waiting {
        "Today's team waits for its turn: other teams of the folder are being solved."
    } else {
        "Solving today's team…"
    };
    document(
        "Solving today's team",
        true,
        html! { main { p #today-state { (said) " Its proposal shows here once it is solved." } } },
    )
}

fn whatif_form(base: &str, workers: &[String]) -> Markup {
    html! {
        form.whatif method="post" action={ (base) "/whatif" } {
            label { "Worker on leave"
                select name="leave" {
                    option value="" { "(nobody)" }
                    @for w in workers { option value=(w) { (w) } }
                }
            }
            label { "FTE change: worker"
                select name="fte_worker" {
                    option value="" { "(nobody)" }
                    @for w in workers { option value=(w) { (w) } }
                }
            }
            label { "new FTE" input name="fte" inputmode="decimal" placeholder="0.5"; }
            label { "New hire: skills" input name="hire_skills" placeholder="spanish,youth"; }
            label { "hire's FTE" input name="hire_fte" inputmode="decimal" placeholder="1.0"; }
            label { "Intake surge (%)" input name="surge" inputmode="decimal" placeholder="15"; }
            label { "Move budget" input name="max_moves" inputmode="numeric" placeholder="policy"; }
            label { "Balance band" input name="balance_band" inputmode="decimal" placeholder="policy"; }
            label { "Target utilization" input name="target" inputmode="decimal" placeholder="policy"; }
            button type="submit" { "Solve what if" }
        }
    }
}

fn state_word(state: &State) -> String {
    match state {
        State::Solving(started) => format!("solving ({} s)", started.elapsed().as_secs()),
        State::Done(_, took) => format!("solved in {:.1} s", took.as_secs_f64()),
        State::Failed(_) => "failed".to_string(),
        State::Cancelling => "cancelling (the solve is finishing)".to_string(),
        State::Cancelled => "cancelled".to_string(),
    }
}

/// The solved what-ifs side by side with today's team (`count` columns in all): the report
/// `caseload compare` draws.
pub fn compare(base: &str, count: usize) -> String {
    let title = format!("Today and {} what-if(s) side by side", count - 1);
    let body = html! {
        p { "Today's team, then each solved what-if in the order asked, as "
            code { "caseload compare" } " of the scenario and the what-ifs saved as overlays shows them." }
        iframe.report src={ (base) "/compare.html" } title="The what-ifs side by side" {}
    };
    page(&title, false, body)
}

/// A what-if's page: where its solve stands; once solved, its downloads and its report (today's
/// team beside the changed one, then the changed team's proposal).
pub fn whatif(base: &str, number: usize, entry: &Entry) -> String {
    let title = format!("What if {number}: {}", entry.said);
    let body = html! {
        p { "State: " span.state #state data-state=(state_key(&entry.state)) { (state_word(&entry.state)) } }
        @match &entry.state {
            State::Solving(_) => {
                form method="post" action={ (base) "/whatif/" (number) "/cancel" } {
                    button type="submit" { "Cancel" }
                }
            }
            State::Done(reports, _) => {
                h2 { (reports.title) }
                nav.downloads {
                    "Download: "
                    @for (ext, what) in [("json", "JSON"), ("csv", "CSV (moves)"), ("xlsx", "Excel workbook"), ("html", "HTML report")] {
                        a href={ (base) "/whatif/" (number) "/whatif." (ext) } download { (what) }
                    }
                }
                form.save method="post" action={ (base) "/whatif/" (number) "/save-overlay" } {
                    button type="submit" { "Save as an overlay" }
                    " beside the scenario: a scenario file that says what this what-if changes"
                }
                (why_form(&format!("{base}/whatif/{number}/why")))
                iframe.report src={ (base) "/whatif/" (number) "/report.html" } title="The what-if's report" {}
            }
            State::Failed(message) => { p.error { (message) } }
            State::Cancelling | State::Cancelled => {}
        }
    };
    page(
        &title,
        matches!(entry.state, State::Solving(_) | State::Cancelling),
        body,
    )
}

/// The state as a word for programs (tests read it from `data-state` or `/whatif/N/state`).
pub fn state_key(state: &State) -> &'static str {
    match state {
        State::Solving(_) => "solving",
        State::Done(..) => "done",
        State::Failed(_) => "failed",
        State::Cancelling => "cancelling",
        State::Cancelled => "cancelled",
    }
}

/// A report as the dashboard shows it: the HTML report's own bytes, told that this server
/// answers why beside the report's address (`why?case=ID`), so that the report's script makes
/// every case id a link to that case's answer. Downloads stay the report's own bytes.
pub fn answering_why(report: &str) -> String {
    report.replacen(
        r#"<html lang="en">"#,
        r#"<html lang="en" data-why="why">"#,
        1,
    )
}

/// The answer about one case or worker, as `caseload explain` words it.
pub fn answer(title: &str, text: &str) -> String {
    page(title, false, html! { pre.answer { (text) } })
}

/// The form that asks about one case or one worker of a proposal (`action`: its `why` route).
fn why_form(action: &str) -> Markup {
    html! {
        form.why method="get" action=(action) {
            label { "Why: case " input name="case" placeholder="case id"; }
            " or worker " input name="worker" placeholder="worker id";
            button type="submit" { "Ask" }
        }
    }
}

/// The page of a scenario that does not load: its problems as the command line words them,
/// and a button that reads it again.
pub fn not_loaded(base: &str, scenario: &str, errors: &str) -> String {
    page(
        "The scenario does not load",
        false,
        html! {
            p { "The dashboard cannot show " code { (scenario) } " until these problems are mended:" }
            pre.errors { (errors) }
            form method="post" action={ (base) "/load" } {
                button type="submit" { "Load again" }
                " (after mending the files)"
            }
        },
    )
}

/// The confirmation `apply` asks for: what it would write.
pub fn apply_confirm(base: &str, next: &str) -> String {
    page(
        "Apply today's proposal",
        false,
        html! {
            p { "This writes next week's scenario, " code { (next) } ", with today's proposal's holders (and its cases CSV or workbook beside it, as " code { "caseload apply" } " does). It never writes over the scenario's files or over a file that exists." }
            form method="post" action={ (base) "/apply" } {
                button type="submit" { "Write it" }
                " " a href=(home(base)) { "Back" }
            }
        },
    )
}

/// What `apply` wrote.
pub fn applied(base: &str, paths: &[String]) -> String {
    page(
        "Applied",
        false,
        html! {
            p { "Written:" }
            ul { @for p in paths { li { code { (p) } } } }
            p { a href=(home(base)) { "Back to the dashboard" } }
        },
    )
}

/// What saving a what-if as an overlay wrote, and the commands that use it.
pub fn saved_overlay(base: &str, saved: &SavedOverlay) -> String {
    page(
        "Saved as an overlay",
        false,
        html! {
            p { "The what-if is kept in " code { (saved.path.display()) } ": an overlay of today's scenario, which says only what the what-if changes." }
            @if let Some(rebalance) = &saved.rebalance {
                p { "On the command line, " code { (rebalance) } " gives the changed team's proposal." }
            }
            @if let Some(whatif) = &saved.whatif {
                p { code { (whatif) } " asks the same what-if, beside today's team." }
            }
            p { a href=(home(base)) { "Back to the dashboard" } }
        },
    )
}

/// A short page for a refused request or a bad one, linking `back` to the dashboard (`/`) or
/// to the team's overview it came from ([`home`]).
pub fn message(back: &str, title: &str, text: &str) -> String {
    page(
        title,
        false,
        html! { p.error { (text) } p { a href=(back) { "Back to the dashboard" } } },
    )
}

/// The index of a folder's dashboard: each team with its file, its size and how today's solve
/// went, linking to its own dashboard, then the files left out; it reloads itself while a team
/// waits or solves.
pub fn index(dir: &str, teams: &[TeamLine], left_out: &[(String, &str)]) -> String {
    let solving = teams
        .iter()
        .any(|t| matches!(t.today, Today::Waiting | Today::Solving));
    let body = html! {
        table.teams {
            thead { tr {
                th { "Team" } th { "File" } th.num { "Workers" } th.num { "Cases" }
                th.num { "Max utilization: today → proposed" } th { "Today's proposal" }
            } }
            tbody {
                @for (i, line) in teams.iter().enumerate() {
                    tr data-state=(today_key(&line.today)) {
                        @match &line.team {
                            Some((name, workers, cases)) => {
                                td { a href=(team_base(i + 1)) { (name) } }
                                td { code { (line.file) } }
                                td.num { (workers) } td.num { (cases) }
                            }
                            None => {
                                td { a href=(team_base(i + 1)) { (line.file) } }
                                td { code { (line.file) } }
                                td.num { "—" } td.num { "—" }
                            }
                        }
                        @match &line.today {
                            Today::Solved(s) => {
                                td.num { (percent(s.max_utilization_before)) " → " (percent(s.max_utilization_after)) }
                                td { (s.status.name()) ", " (s.moves) " moves"
                                    @if s.unplaced > 0 { ", " (s.unplaced) " unplaced" } }
                            }
                            other => { td.num {} td.state { (today_word(other)) } }
                        }
                    }
                }
            }
        }
        @if !left_out.is_empty() {
            p.left-out { "Not listed, as they are not scenarios: "
                @for (i, (file, what)) in left_out.iter().enumerate() {
                    @if i > 0 { ", " }
                    code { (file) } " (" (what) ")"
                }
            }
        }
    };
    page(&format!("Teams in {dir}"), solving, body)
}

/// Where a team's today's solve stands, in words.
fn today_word(today: &Today) -> &'static str {
    match today {
        Today::DoesNotLoad => "does not load",
        Today::Waiting => "waiting to be solved",
        Today::Solving => "solving",
        Today::Solved(_) => "solved",
        Today::NotSolved => "not solved (an internal error)",
    }
}

/// The same as a word for programs (tests read it from `data-state`).
fn today_key(today: &Today) -> &'static str {
    match today {
        Today::DoesNotLoad => "not-loaded",
        Today::Waiting => "waiting",
        Today::Solving => "solving",
        Today::Solved(_) => "done",
        Today::NotSolved => "failed",
    }
}
