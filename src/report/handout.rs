//! The handouts of a proposal in words: one section per worker, for a supervisor to give each
//! case manager (text), and the same facts for programs (JSON). Every figure comes from
//! [`Handouts`]; the reasons are the proposal report's own sentences.

use std::fmt::Write as _;

use serde::Serialize;

use crate::domain::{CaseIdx, Scenario, StaffIdx};
use crate::explain::figures::round9;
use crate::explain::handout::{Handouts, MoveSet, Spread, TeamStanding, WorkerHandout};
use crate::explain::moves::MoveExplanation;
use crate::input::provenance::Provenance;
use crate::report::balance::{staff_balance_json, staff_balance_lines};
use crate::report::document::json_document;
use crate::report::outcome::no_proposal_reason;
use crate::report::proposal::{move_kind, why_move, MoveKind};
use crate::report::style::TextStyle;
use crate::report::{percent, points_of, printable, staff_id, staff_label};
use crate::solve::model::Mode;
use crate::solve::Status;

/// "1 case" or "3 cases".
fn cases(n: usize) -> String {
    if n == 1 {
        "1 case".to_string()
    } else {
        format!("{n} cases")
    }
}

/// The handouts as text: a section per worker, each under its own header; in colour and
/// wrapped as `style` says.
pub fn handout_text(handouts: &Handouts<'_, '_>, style: &TextStyle) -> String {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let proposal = explanation.proposal;
    if let Some(reason) = no_proposal_reason(scenario, proposal.mode, &proposal.outcome) {
        let mut out = String::new();
        let line = format!(
            "{}: no proposal, so no handouts: {reason}.",
            printable(&scenario.name)
        );
        style.push_line(&mut out, "", 0, &line);
        return out;
    }
    let sections: Vec<String> = handouts
        .workers
        .iter()
        .map(|h| worker_text(handouts, h, style))
        .collect();
    sections.join("\n")
}

fn worker_text(handouts: &Handouts<'_, '_>, h: &WorkerHandout, style: &TextStyle) -> String {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[h.worker];
    let label = staff_label(scenario, h.worker);
    let mut out = String::new();
    let underline = "=".repeat(label.chars().count());
    let _ = writeln!(out, "{}\n{underline}", style.heading(&label));
    let intro = format!(
        "Proposed changes to your caseload ({}).",
        printable(&scenario.name)
    );
    style.push_line(&mut out, "", 0, &intro);
    out.push('\n');
    let today = format!(
        "Today: {}, {} ({} of your capacity of {}).",
        cases(f.cases_before as usize),
        points_of(f.load_before),
        percent(f.utilization_before()),
        points_of(f.capacity)
    );
    style.push_line(&mut out, "", 0, &today);
    let after = format!(
        "After: {}, {} ({}).",
        cases(f.cases_after as usize),
        points_of(f.load_after),
        percent(f.utilization_after())
    );
    style.push_line(&mut out, "", 0, &after);
    out.push('\n');
    write_changes(&mut out, scenario, h, f.cases_before, style);
    write_standing(&mut out, handouts, h, style);
    out
}

/// What the worker keeps, hands over, takes on, and holds that no one may hold.
fn write_changes(
    out: &mut String,
    scenario: &Scenario,
    h: &WorkerHandout,
    held_today: u32,
    style: &TextStyle,
) {
    match (h.keeps.cases.len(), held_today) {
        (_, 0) => {}
        (0, _) => {
            let _ = writeln!(out, "You keep none of your cases.");
        }
        (kept, _) => {
            let _ = writeln!(
                out,
                "You keep {} ({}).",
                cases(kept),
                points_of(h.keeps.points)
            );
        }
    }
    if h.hands_over.moves.is_empty() && h.takes_on.moves.is_empty() {
        let _ = writeln!(out, "No case moves to or from you.");
    }
    write_moves(out, scenario, style, "You hand over", &h.hands_over, |m| {
        Some(format!("to {}", staff_label(scenario, m.to)))
    });
    // New intake comes from no one; its reason says it is new intake.
    write_moves(out, scenario, style, "You take on", &h.takes_on, |m| {
        m.from
            .map(|from| format!("from {}", staff_label(scenario, from)))
    });
    if !h.unplaced.is_empty() {
        let heading = format!(
            "{} of yours ({}) cannot be placed with anyone under the team's rules:",
            cases(h.unplaced.len()),
            points_of(h.unplaced_points)
        );
        style.push_line(out, "", 0, &heading);
        for u in &h.unplaced {
            let line = format!(
                "{} ({}): {}",
                printable(&scenario.cases[u.case].id),
                points_of(scenario.cases[u.case].weight),
                u.reason.sentence(scenario)
            );
            style.push_line(out, "  ", 4, &line);
        }
    }
}

fn write_moves(
    out: &mut String,
    scenario: &Scenario,
    style: &TextStyle,
    title: &str,
    set: &MoveSet,
    other_end: impl Fn(&MoveExplanation) -> Option<String>,
) {
    if set.moves.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{title} {} ({}):",
        cases(set.moves.len()),
        points_of(set.points)
    );
    for m in &set.moves {
        let case = &scenario.cases[m.case];
        let other_end = other_end(m).map(|w| format!(", {w}")).unwrap_or_default();
        let line = format!(
            "{} ({}){other_end}: {}",
            printable(&case.id),
            points_of(case.weight),
            why_move(scenario, m)
        );
        style.push_line(out, "  ", 4, &line);
    }
}

/// Where the worker stands against the available workers after the proposal, and why they
/// are more than the balance band from colleagues, when they are.
fn write_standing(
    out: &mut String,
    handouts: &Handouts<'_, '_>,
    h: &WorkerHandout,
    style: &TextStyle,
) {
    let _ = writeln!(out);
    for line in standing_lines(handouts, h) {
        style.push_line(out, "", 0, &line);
    }
}

/// The sentences of [`write_standing`]: the worker against the team after the changes, then the
/// balance lines; for a worker on leave, that they hold no cases after.
pub(crate) fn standing_lines(handouts: &Handouts<'_, '_>, h: &WorkerHandout) -> Vec<String> {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[h.worker];
    if !scenario.staff[h.worker].available {
        return vec!["You are on leave, so you hold no cases after the changes.".to_string()];
    }
    let team = &handouts.team;
    let team_words = match team.after {
        Some(after) if team.available_workers > 1 => {
            let n = team.available_workers;
            if percent(after.lowest) == percent(after.highest) {
                format!(
                    "after the changes the {n} available workers would all be at {} of their capacity",
                    percent(after.lowest)
                )
            } else {
                format!(
                    "after the changes the {n} available workers would be between {} and {} of their capacity (median {})",
                    percent(after.lowest),
                    percent(after.highest),
                    percent(after.median)
                )
            }
        }
        _ => "you are the only available worker".to_string(),
    };
    let mut lines = vec![format!(
        "Where you stand: {team_words}; you would be at {} ({} today).",
        percent(f.utilization_after()),
        percent(f.utilization_before())
    )];
    if let Some(balance) = &explanation.balance {
        lines.extend(staff_balance_lines(
            scenario,
            balance,
            h.worker,
            scenario.policy.max_moves,
        ));
    }
    lines
}

/// The handouts as JSON, after the `provenance` of the inputs: the same facts as the text, ids
/// as ids.
pub fn handout_json(handouts: &Handouts<'_, '_>, provenance: &Provenance) -> String {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let proposal = explanation.proposal;
    let json = HandoutsJson {
        scenario: &scenario.name,
        mode: proposal.mode,
        status: proposal.status(),
        diagnosis: no_proposal_reason(scenario, proposal.mode, &proposal.outcome),
        team: team_json(&handouts.team),
        workers: handouts
            .workers
            .iter()
            .map(|h| worker_json(handouts, h))
            .collect(),
    };
    json_document(provenance, &json)
}

#[derive(Serialize)]
struct HandoutsJson<'a> {
    scenario: &'a str,
    mode: Mode,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<String>,
    team: TeamJson,
    workers: Vec<WorkerJson<'a>>,
}

#[derive(Serialize)]
struct SpreadJson {
    lowest: f64,
    median: f64,
    highest: f64,
}

/// The available workers' utilization today and after.
#[derive(Serialize)]
struct TeamJson {
    available_workers: usize,
    utilization_before: Option<SpreadJson>,
    utilization_after: Option<SpreadJson>,
}

/// A worker's cases, points and utilization at one time.
#[derive(Serialize)]
struct HoldsJson {
    cases: u32,
    points: f64,
    utilization: f64,
}

#[derive(Serialize)]
struct CaseSetJson<'a> {
    count: usize,
    points: f64,
    cases: Vec<&'a str>,
}

#[derive(Serialize)]
struct MoveSetJson<'a> {
    count: usize,
    points: f64,
    moves: Vec<MoveJson<'a>>,
}

#[derive(Serialize)]
struct MoveJson<'a> {
    case: &'a str,
    weight: f64,
    /// Today's holder (`null` for new intake).
    from: Option<&'a str>,
    to: &'a str,
    kind: MoveKind,
    why: String,
}

#[derive(Serialize)]
struct UnplacedJson<'a> {
    count: usize,
    points: f64,
    cases: Vec<UnplacedCaseJson<'a>>,
}

#[derive(Serialize)]
struct UnplacedCaseJson<'a> {
    case: &'a str,
    weight: f64,
    why: String,
}

#[derive(Serialize)]
struct WorkerJson<'a> {
    id: &'a str,
    name: Option<&'a str>,
    available: bool,
    capacity: f64,
    before: HoldsJson,
    after: HoldsJson,
    keeps: CaseSetJson<'a>,
    hands_over: MoveSetJson<'a>,
    takes_on: MoveSetJson<'a>,
    unplaced: UnplacedJson<'a>,
    /// The pairs the worker is in, as lighter and as busier worker (`null` for a worker on
    /// leave).
    balance: Option<serde_json::Value>,
}

fn spread_json(spread: Option<Spread>) -> Option<SpreadJson> {
    spread.map(|s| SpreadJson {
        lowest: round9(s.lowest),
        median: round9(s.median),
        highest: round9(s.highest),
    })
}

fn team_json(team: &TeamStanding) -> TeamJson {
    TeamJson {
        available_workers: team.available_workers,
        utilization_before: spread_json(team.before),
        utilization_after: spread_json(team.after),
    }
}

fn case_ids<'a>(scenario: &'a Scenario, cases: &[CaseIdx]) -> Vec<&'a str> {
    cases
        .iter()
        .map(|c| scenario.cases[*c].id.as_str())
        .collect()
}

fn move_set_json<'a>(scenario: &'a Scenario, set: &MoveSet) -> MoveSetJson<'a> {
    let id = |w: StaffIdx| staff_id(scenario, w);
    MoveSetJson {
        count: set.moves.len(),
        points: round9(set.points),
        moves: set
            .moves
            .iter()
            .map(|m| MoveJson {
                case: &scenario.cases[m.case].id,
                weight: round9(scenario.cases[m.case].weight),
                from: m.from.map(id),
                to: id(m.to),
                kind: move_kind(m),
                why: why_move(scenario, m),
            })
            .collect(),
    }
}

fn worker_json<'a>(handouts: &Handouts<'_, 'a>, h: &WorkerHandout) -> WorkerJson<'a> {
    let explanation = handouts.explanation;
    let scenario: &'a Scenario = explanation.scenario;
    let staff = &scenario.staff[h.worker];
    let f = &explanation.figures.workers[h.worker];
    WorkerJson {
        id: &staff.id,
        name: staff.name.as_deref(),
        available: staff.available,
        capacity: round9(f.capacity),
        before: HoldsJson {
            cases: f.cases_before,
            points: round9(f.load_before),
            utilization: round9(f.utilization_before()),
        },
        after: HoldsJson {
            cases: f.cases_after,
            points: round9(f.load_after),
            utilization: round9(f.utilization_after()),
        },
        keeps: CaseSetJson {
            count: h.keeps.cases.len(),
            points: round9(h.keeps.points),
            cases: case_ids(scenario, &h.keeps.cases),
        },
        hands_over: move_set_json(scenario, &h.hands_over),
        takes_on: move_set_json(scenario, &h.takes_on),
        unplaced: UnplacedJson {
            count: h.unplaced.len(),
            points: round9(h.unplaced_points),
            cases: h
                .unplaced
                .iter()
                .map(|u| UnplacedCaseJson {
                    case: &scenario.cases[u.case].id,
                    weight: round9(scenario.cases[u.case].weight),
                    why: u.reason.sentence(scenario),
                })
                .collect(),
        },
        balance: explanation
            .balance
            .as_ref()
            .filter(|_| staff.available)
            .map(|b| staff_balance_json(scenario, b, h.worker)),
    }
}
