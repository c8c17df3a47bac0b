//! Each worker's handout on the page: what they keep, hand over and take on, and why, and where
//! they stand afterwards; the text handout's facts and sentences, one article per worker, each
//! printed on a page of its own.

use maud::{html, Markup};

use crate::explain::handout::{Handouts, MoveSet, WorkerHandout};
use crate::explain::moves::MoveExplanation;
use crate::report::handout::standing_lines;
use crate::report::outcome::no_proposal_reason;
use crate::report::proposal::why_move;
use crate::report::{percent, points_of, staff_label};

use super::page::{case_id, handout_anchor, page};
use super::proposal::heading;

/// The handouts as a whole page, each worker's printed on a page of its own.
pub fn handout_html(handouts: &Handouts<'_, '_>) -> String {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let proposal = explanation.proposal;
    let title = format!("{} — handouts", scenario.name);
    let reason = no_proposal_reason(scenario, proposal.mode, &proposal.outcome);
    let body = html! {
        header { h1 { (title) } }
        @if let Some(reason) = reason {
            p { "No proposal, so no handouts: " (reason) "." }
        } @else {
            (handouts_section(handouts, 2))
        }
    };
    page(&title, "handout", body)
}

/// "1 case" or "3 cases".
fn cases(n: usize) -> String {
    if n == 1 {
        "1 case".to_string()
    } else {
        format!("{n} cases")
    }
}

/// The section of handouts, one article per worker.
pub(super) fn handouts_section(handouts: &Handouts<'_, '_>, level: u8) -> Markup {
    html! {
        section #per-worker {
            (heading(level, "Per worker"))
            p { "What each worker is told: the cases they keep, hand over and take on, and why. Printed, each handout starts a new page." }
            p.no-print { button type="button" #print-handouts hidden { "Print the handouts only" } }
            @for h in &handouts.workers {
                (worker_article(handouts, h, level + 1))
            }
        }
    }
}

fn worker_article(handouts: &Handouts<'_, '_>, h: &WorkerHandout, level: u8) -> Markup {
    let explanation = handouts.explanation;
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[h.worker];
    let id = &scenario.staff[h.worker].id;
    html! {
        article.handout data-worker=(id) id=(handout_anchor(h.worker)) {
            (heading(level, &staff_label(scenario, h.worker)))
            p { "Proposed changes to your caseload (" (scenario.name) ")." }
            p {
                "Today: " (cases(f.cases_before as usize)) ", " (points_of(f.load_before)) " ("
                (percent(f.utilization_before())) " of your capacity of " (points_of(f.capacity)) ")."
                br;
                "After: " (cases(f.cases_after as usize)) ", " (points_of(f.load_after)) " ("
                (percent(f.utilization_after())) ")."
            }
            @match (h.keeps.cases.len(), f.cases_before) {
                (_, 0) => {},
                (0, _) => p { "You keep none of your cases." },
                (kept, _) => p { "You keep " (cases(kept)) " (" (points_of(h.keeps.points)) ")." },
            }
            @if h.hands_over.moves.is_empty() && h.takes_on.moves.is_empty() {
                p { "No case moves to or from you." }
            }
            (move_list(handouts, "You hand over", &h.hands_over, |m| Some(format!("to {}", staff_label(scenario, m.to)))))
            (move_list(handouts, "You take on", &h.takes_on, |m| m.from.map(|w| format!("from {}", staff_label(scenario, w)))))
            @if !h.unplaced.is_empty() {
                p { (cases(h.unplaced.len())) " of yours (" (points_of(h.unplaced_points))
                    ") cannot be placed with anyone under the team's rules:" }
                ul.sentences {
                    @for u in &h.unplaced {
                        li { (case_id(&scenario.cases[u.case].id)) " (" (points_of(scenario.cases[u.case].weight)) "): "
                            (u.reason.sentence(scenario)) }
                    }
                }
            }
            @for line in standing_lines(handouts, h) { p { (line) } }
        }
    }
}

fn move_list(
    handouts: &Handouts<'_, '_>,
    title: &str,
    set: &MoveSet,
    other_end: impl Fn(&MoveExplanation) -> Option<String>,
) -> Markup {
    let scenario = handouts.explanation.scenario;
    html! {
        @if !set.moves.is_empty() {
            p { (title) " " (cases(set.moves.len())) " (" (points_of(set.points)) "):" }
            ul.sentences {
                @for m in &set.moves {
                    @let case = &scenario.cases[m.case];
                    li {
                        strong { (case_id(&case.id)) } " (" (points_of(case.weight)) ")"
                        @if let Some(end) = other_end(m) { ", " (end) }
                        ": " (why_move(scenario, m))
                    }
                }
            }
        }
    }
}
