//! What binds, which rules conflict and what the budget costs, in a supervisor's words.
//!
//! Every figure here is read from the facts of `binding`, `conflict` and `budget`; nothing is
//! computed but the wording.

use crate::domain::rules::HardRule;
use crate::domain::{Scenario, Source, StaffIdx};
use crate::explain::binding::{Group, OneMore, Shortfall};
use crate::explain::budget::BudgetPoint;
use crate::report::{and_list, percent, percent_floor, points, points_of, skill_list};
use crate::solve::conflict::RuleFact;

/// Names of at most `shown` workers, then how many more.
fn worker_names(scenario: &Scenario, workers: &[StaffIdx]) -> String {
    const SHOWN: usize = 6;
    let mut names: Vec<String> = workers
        .iter()
        .take(SHOWN)
        .map(|w| scenario.staff[*w].id.clone())
        .collect();
    if workers.len() > SHOWN {
        names.push(format!("{} others", workers.len() - SHOWN));
    }
    and_list(&names)
}

/// "the 3 workers who may hold them have", or the singular.
fn holders_phrase(n: usize, verb_singular: &str, verb_plural: &str) -> String {
    if n == 1 {
        format!("the 1 worker who may hold them {verb_singular}")
    } else {
        format!("the {n} workers who may hold them {verb_plural}")
    }
}

/// "the 4 cases ... weigh" or "the 1 case ... weighs": the phrase and its verb.
fn cases_phrase(n: usize) -> (String, &'static str) {
    if n == 1 {
        ("the 1 case".to_string(), "weighs")
    } else {
        (format!("the {n} cases"), "weigh")
    }
}

/// The whole team's cases: "the 88 cases", or "the 87 placeable cases" when some cannot be
/// placed by anyone (those are reported as unplaced).
fn team_cases(scenario: &Scenario, n: usize) -> (String, &'static str) {
    let (phrase, verb) = cases_phrase(n);
    if n < scenario.cases.len() {
        (
            format!(
                "{} placeable case{}",
                phrase.trim_end_matches(" cases").trim_end_matches(" case"),
                if n == 1 { "" } else { "s" }
            ),
            verb,
        )
    } else {
        (phrase, verb)
    }
}

/// Who the group is: "the 3 available workers with `spanish` (ana, bo and cy)", "ana", ...
fn subject(scenario: &Scenario, g: &Group) -> String {
    let names = worker_names(scenario, &g.workers);
    let k = g.workers.len();
    if g.all_with_skills {
        if k == 1 {
            format!(
                "{names}, the only available worker with {},",
                skill_list(&g.shared_needs)
            )
        } else {
            format!(
                "the {k} available workers with {} ({names})",
                skill_list(&g.shared_needs)
            )
        }
    } else {
        names
    }
}

/// Capitalizes a sentence's first word unless it is an id, which keeps its spelling.
fn sentence_start(s: String) -> String {
    match s.strip_prefix("the ") {
        Some(rest) => format!("The {rest}"),
        None => s,
    }
}

/// Why max utilization cannot go lower than the densest group's level.
pub fn equity_sentence(scenario: &Scenario, g: &Group) -> String {
    let level = percent_floor(g.level());
    // A level under 1% bounds nothing worth saying: "below 0%" is true of no one.
    let negligible = level == percent_floor(0.0);
    if g.whole_team {
        let (cases, weigh) = team_cases(scenario, g.cases.len());
        let bound = if negligible {
            "under 1% of it".to_string()
        } else {
            format!("so no assignment keeps every worker below {level}")
        };
        return format!(
            "The team as a whole: {cases} {weigh} {} and {} {} of capacity, {bound}.",
            points_of(g.weight),
            holders_phrase(g.workers.len(), "has", "have"),
            points_of(g.capacity)
        );
    }
    let (cases, weigh) = cases_phrase(g.cases.len());
    let (has, only, who) = match g.workers.as_slice() {
        [one] => {
            let id = &scenario.staff[*one].id;
            ("has", format!("only {id} may hold"), id.clone())
        }
        _ => (
            "have",
            "only they may hold".to_string(),
            "all of them".to_string(),
        ),
    };
    let bound = if negligible {
        ", under 1% of that capacity".to_string()
    } else {
        format!(": no assignment keeps {who} below {level}")
    };
    format!(
        "{} {has} {} of capacity, and {cases} {only} {weigh} {}{bound}.",
        sentence_start(subject(scenario, g)),
        points_of(g.capacity),
        points_of(g.weight)
    )
}

/// What one more full-time worker would do to the bound just stated (both rounded down, as
/// "below" claims are); `None` when the two read the same.
pub fn one_more_sentence(group: &Group, one_more: &OneMore) -> Option<String> {
    let (from, to) = (percent_floor(group.level()), percent_floor(one_more.level));
    if from == to {
        return None;
    }
    let with = if one_more.skills.is_empty() {
        String::new()
    } else {
        format!(" with {}", skill_list(&one_more.skills))
    };
    Some(format!(
        "One more full-time worker{with} at the team's typical {} would lower that bound from {from} to {to}.",
        points_of(one_more.capacity),
    ))
}

/// Overload that no assignment avoids, and where: a sentence per group of `shortfalls`, in
/// order; a group inside another says its overload is part of that group's.
pub fn shortfall_sentences(scenario: &Scenario, shortfalls: &[Shortfall]) -> Vec<String> {
    shortfalls
        .iter()
        .map(|s| {
            let sentence = shortfall_sentence(scenario, s);
            match s.within.map(|o| &shortfalls[o]) {
                Some(outer) => format!(
                    "{}, part of the {} above.",
                    sentence.trim_end_matches('.'),
                    points(outer.overload)
                ),
                None => sentence,
            }
        })
        .collect()
}

/// Overload that no assignment avoids in one group, and where.
fn shortfall_sentence(scenario: &Scenario, s: &Shortfall) -> String {
    let g = &s.group;
    if g.whole_team {
        let (cases, weigh) = team_cases(scenario, g.cases.len());
        return format!(
            "The team is short-staffed: {cases} {weigh} {} and {} {} at target ({}); {} of overload cannot be avoided by any assignment.",
            points_of(g.weight),
            holders_phrase(g.workers.len(), "can take", "can take"),
            points_of(s.room),
            percent(s.target),
            points_of(s.overload)
        );
    }
    let only = match g.workers.as_slice() {
        [one] => format!("only {} may", scenario.staff[*one].id),
        _ => "only they may".to_string(),
    };
    let (cases, weigh) = cases_phrase(g.cases.len());
    format!(
        "{} can take {} at target ({}), and {cases} {only} hold {weigh} {}; {} of overload cannot be avoided by any assignment.",
        sentence_start(subject(scenario, g)),
        points_of(s.room),
        percent(s.target),
        points_of(g.weight),
        points_of(s.overload)
    )
}

/// What a conflicting rule requires.
pub fn rule_statement(scenario: &Scenario, rule: &HardRule) -> String {
    match rule {
        HardRule::MaxCases(w) => {
            let s = &scenario.staff[*w];
            let max = s.max_cases.unwrap_or(0);
            format!(
                "`{}` holds at most {max} case{} (max_cases)",
                s.id,
                if max == 1 { "" } else { "s" }
            )
        }
        HardRule::Pin(c) => {
            let case = &scenario.cases[*c];
            let holder = case
                .assigned
                .map(|w| scenario.staff[w].id.as_str())
                .unwrap_or("its holder");
            format!("case `{}` is pinned to `{holder}`", case.id)
        }
        HardRule::Family(f) => {
            let family = &scenario.families[*f];
            let ids: Vec<String> = family
                .cases
                .iter()
                .map(|c| format!("`{}`", scenario.cases[*c].id))
                .collect();
            format!(
                "family `{}` stays with one worker ({})",
                family.id,
                and_list(&ids)
            )
        }
        HardRule::MoveBudget => {
            let budget = scenario.policy.max_moves;
            let moves = if budget == 1 {
                "reassignment"
            } else {
                "reassignments"
            };
            match &scenario.policy.max_moves_source {
                Source::File(_) => format!("at most {budget} discretionary {moves} (max_moves)"),
                other => {
                    format!("at most {budget} discretionary {moves} (max_moves, from {other})")
                }
            }
        }
    }
}

/// A conflicting rule as a line: where, then what.
pub fn rule_line(scenario: &Scenario, fact: &RuleFact) -> String {
    match &fact.origin {
        Some(at) => format!("{at}: {}", rule_statement(scenario, &fact.rule)),
        None => rule_statement(scenario, &fact.rule),
    }
}

/// What another budget would give, next to the proposal's.
pub fn budget_sentence(budget: u32, current: &BudgetPoint, other: &BudgetPoint) -> String {
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    let difference = if other.max_moves > budget {
        let n = other.max_moves - budget;
        format!("With {n} more move{} ({})", plural(n), other.max_moves)
    } else {
        let n = budget - other.max_moves;
        format!("With {n} fewer move{} ({})", plural(n), other.max_moves)
    };
    let (Some(now), Some(then)) = (current.max_utilization, other.max_utilization) else {
        return match other.status {
            crate::solve::Status::Infeasible => {
                format!("{difference}, no proposal keeps every hard rule.")
            }
            _ => format!("{difference}, no proposal was found within the time limit."),
        };
    };
    let overload_now = current.overload.unwrap_or(0.0);
    let overload_then = other.overload.unwrap_or(0.0);
    let utilization = if percent(now) == percent(then) {
        format!("max utilization would stay at {}", percent(then))
    } else if then < now {
        format!(
            "max utilization would fall from {} to {}",
            percent(now),
            percent(then)
        )
    } else {
        format!(
            "max utilization would rise from {} to {}",
            percent(now),
            percent(then)
        )
    };
    let overload = if points(overload_now) == points(overload_then) {
        String::new()
    } else {
        format!(
            " and overload from {} to {}",
            points(overload_now),
            points_of(overload_then)
        )
    };
    let moves = other.moves.unwrap_or(0);
    format!(
        "{difference}, {utilization}{overload}, using {moves} reassignment{}.",
        plural(moves)
    )
}
