//! The balance statement in words: either that no case can go to a less loaded colleague who
//! may take it and leave them more than the band below the giver, or, for each worker left more
//! than the band below busier colleagues, why.

use schemars::JsonSchema;
use serde::Serialize;

use crate::domain::rules::Barrier;
use crate::domain::{Scenario, StaffIdx};
use crate::explain::balance::{Balance, Gap, GapReason};
use crate::explain::figures::round9;
use crate::report::{and_list, percent, points_of, staff_id};

/// Most lines about workers below busier colleagues in a text report; JSON lists every pair.
pub const MAX_GAP_LINES: usize = 12;

/// The band as a supervisor reads it, e.g. "5 points".
pub fn band_words(band: f64) -> String {
    points_of(100.0 * band)
}

/// The balance statement, then one line per worker (and reason) left more than the band below
/// busier colleagues, at most [`MAX_GAP_LINES`] of them.
pub fn balance_lines(scenario: &Scenario, balance: &Balance, max_moves: u32) -> Vec<String> {
    let band = band_words(balance.band);
    let mut lines = Vec::new();
    if balance.is_balanced() {
        lines.push(format!(
            "Balanced: no case can go to a less loaded colleague who may take it and leave them more than {band} below the giver."
        ));
    } else {
        lines.push(format!(
            "Not balanced (time ran out): {} case(s) could still go to a colleague who would end more than {band} below the giver, e.g. {}.",
            balance.unbalanced_units,
            balance
                .unbalanced
                .first()
                .map(|u| format!(
                    "`{}` from {} at {} to {}, who would end at {}",
                    scenario.cases[u.case].id,
                    staff_id(scenario, u.giver),
                    percent(u.giver_utilization),
                    staff_id(scenario, u.receiver),
                    percent(u.receiver_after)
                ))
                .unwrap_or_default()
        ));
    }
    let grouped = group_gaps(&balance.gaps);
    if grouped.is_empty() {
        return lines;
    }
    lines.push(format!(
        "Busier workers with colleagues more than {band} below them, and why none of their cases goes to those colleagues:"
    ));
    for (colleague, utilization, workers, reason) in grouped.iter().take(MAX_GAP_LINES) {
        lines.push(format!(
            "  {} ({}): {}",
            staff_id(scenario, *colleague),
            percent(*utilization),
            reason_words(scenario, balance, *colleague, workers, reason, max_moves)
        ));
    }
    if grouped.len() > MAX_GAP_LINES {
        lines.push(format!(
            "  … and {} more (`--format json` lists the pairs under `balance`)",
            grouped.len() - MAX_GAP_LINES
        ));
    }
    if balance.gaps_not_listed > 0 {
        lines.push(format!(
            "  ({} more pairs, each a worker and a colleague busier than their {} busiest, are not listed)",
            balance.gaps_not_listed,
            crate::explain::balance::MAX_COLLEAGUES
        ));
    }
    lines
}

/// Most workers named in one line; the rest are counted.
const MAX_NAMED: usize = 6;

/// A busier worker, their utilization, the colleagues below them for one reason, and the
/// reason (for the first of them; the rules of every one of them when they are barred).
type GapGroup = (StaffIdx, f64, Vec<(StaffIdx, f64)>, GapReason);

/// Gaps grouped by busier worker (busiest first) and reason, compared by kind.
fn group_gaps(gaps: &[Gap]) -> Vec<GapGroup> {
    let mut groups: Vec<GapGroup> = Vec::new();
    for gap in gaps {
        let key = reason_key(&gap.reason);
        let found = groups
            .iter_mut()
            .find(|(c, _, _, r)| *c == gap.colleague && reason_key(r) == key);
        match found {
            Some(group) => {
                group.2.push((gap.worker, gap.utilization));
                if let (GapReason::Barred(all), GapReason::Barred(more)) =
                    (&mut group.3, &gap.reason)
                {
                    all.extend(more.iter().cloned());
                }
            }
            None => groups.push((
                gap.colleague,
                gap.colleague_utilization,
                vec![(gap.worker, gap.utilization)],
                gap.reason.clone(),
            )),
        }
    }
    groups.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    groups
}

/// What keeps a worker from each of a colleague's cases, as clauses of "each case ...": the
/// skills lacked (all of them), then pins, families, avoid lists, leave and `max_cases`.
fn barrier_clauses(scenario: &Scenario, barriers: &[(Barrier, u32)]) -> Vec<String> {
    let mut skills: Vec<String> = Vec::new();
    let mut clauses: Vec<String> = Vec::new();
    let mut add = |clause: String| {
        if !clauses.contains(&clause) {
            clauses.push(clause);
        }
    };
    for (barrier, _) in barriers {
        match barrier {
            Barrier::Lacks(missing) => {
                for skill in missing {
                    if !skills.contains(skill) {
                        skills.push(skill.clone());
                    }
                }
            }
            Barrier::PinnedElsewhere(w) => add(format!("is pinned to {}", staff_id(scenario, *w))),
            Barrier::FamilyBlocked { .. } => {
                add("belongs to a family kept together with a case they may not hold".into())
            }
            Barrier::Avoided => add("names them on its avoid list".into()),
            Barrier::OnLeave => add("cannot go to a worker on leave".into()),
            Barrier::AtMaxCases { .. } => add("would put them over max_cases".into()),
        }
    }
    skills.sort();
    let mut all = Vec::new();
    if !skills.is_empty() {
        let names: Vec<String> = skills.iter().map(|s| format!("`{s}`")).collect();
        all.push(format!("needs a skill they lack ({})", names.join(", ")));
    }
    all.extend(clauses);
    all
}

/// What two reasons must share to be worded once: their kind.
fn reason_key(reason: &GapReason) -> u8 {
    match reason {
        GapReason::WithinBand { .. } => 0,
        GapReason::RaisesOverload => 1,
        GapReason::BudgetSpent => 2,
        GapReason::AssignKeepsHolders => 3,
        GapReason::Barred(_) => 4,
    }
}

fn reason_words(
    scenario: &Scenario,
    balance: &Balance,
    colleague: StaffIdx,
    workers: &[(StaffIdx, f64)],
    reason: &GapReason,
    max_moves: u32,
) -> String {
    let busier = staff_id(scenario, colleague);
    let mut named: Vec<String> = workers
        .iter()
        .take(MAX_NAMED)
        .map(|(w, u)| format!("{} ({})", staff_id(scenario, *w), percent(*u)))
        .collect();
    if workers.len() > MAX_NAMED {
        named.push(format!("{} more", workers.len() - MAX_NAMED));
    }
    let who = and_list(&named);
    let (they, each) = if workers.len() == 1 {
        (staff_id(scenario, workers[0].0).to_string(), "them")
    } else {
        ("each of them".to_string(), "them")
    };
    let band = band_words(balance.band);
    match reason {
        GapReason::WithinBand { lightest_after } if workers.len() == 1 => format!(
            "any case of {busier}'s that {who} may take would leave {they} no more than {band} below {busier} (the lightest would bring {each} to {})",
            percent(*lightest_after)
        ),
        GapReason::WithinBand { .. } => format!(
            "any case of {busier}'s that {who} may take would leave {they} no more than {band} below {busier}"
        ),
        GapReason::RaisesOverload => format!(
            "moving any case of {busier}'s that {who} may take would raise the team's overload"
        ),
        GapReason::BudgetSpent => match balance.moves_to_balance {
            Some(more) => format!(
                "{who} may take some of {busier}'s cases, but the move budget is spent (max_moves = {max_moves}); {more} more reassignment(s) from this proposal would balance the team"
            ),
            None => format!(
                "{who} may take some of {busier}'s cases, but the move budget is spent (max_moves = {max_moves})"
            ),
        },
        GapReason::AssignKeepsHolders => format!(
            "assign keeps today's holders, and every case of {busier}'s that {who} may take is held today"
        ),
        GapReason::Barred(barriers) => {
            let clauses = barrier_clauses(scenario, barriers);
            let last = clauses.len().saturating_sub(1);
            let joined = match clauses.split_at(last) {
                ([], [only]) => only.clone(),
                (rest, [last]) => format!("{} or {last}", rest.join(", ")),
                _ => String::new(),
            };
            format!("{who} may take none of {busier}'s cases: each {joined}")
        }
    }
}

/// The balance of a proposal as JSON: the band, whether it holds, anything left unbalanced,
/// every pair of workers more than the band apart with why, and the moves that would balance
/// the team when the budget is what stops it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct BalanceJson<'a> {
    /// The balance band, in utilization (0.05 is five points).
    band: f64,
    /// True when no case is left where a colleague who may take it would end more than the band
    /// below its holder.
    balanced: bool,
    /// How many cases (or families kept together) are left so.
    unbalanced_units: usize,
    /// Those cases, with the colleague who could take each.
    unbalanced: Vec<UnbalancedJson<'a>>,
    /// Each worker more than the band below a busier colleague, with why.
    gaps: Vec<GapJson<'a>>,
    /// How many such pairs are not listed in `gaps`.
    gaps_not_listed: usize,
    /// When the move budget is what stops balance: how many more moves would balance the team.
    #[serde(skip_serializing_if = "Option::is_none")]
    moves_to_balance: Option<u32>,
}

/// A case left with a worker although a colleague who may take it would end more than the band
/// below them.
#[derive(Debug, Serialize, JsonSchema)]
struct UnbalancedJson<'a> {
    /// The case's id.
    case: &'a str,
    /// The worker who holds it in the proposal.
    giver: &'a str,
    /// Their utilization in the proposal.
    giver_utilization: f64,
    /// The colleague who could take it.
    receiver: &'a str,
    /// The colleague's utilization after taking it.
    receiver_utilization_after: f64,
}

/// A worker more than the band below a busier colleague, and why.
#[derive(Debug, Serialize, JsonSchema)]
struct GapJson<'a> {
    /// The less loaded worker.
    worker: &'a str,
    /// Their utilization after the proposal.
    utilization: f64,
    /// The busier colleague.
    colleague: &'a str,
    /// The colleague's utilization after the proposal.
    colleague_utilization: f64,
    reason: GapReasonJson,
    /// For `within_band`: the worker's utilization after taking the lightest case they may take.
    #[serde(skip_serializing_if = "Option::is_none")]
    lightest_after: Option<f64>,
    /// For `barred`: each rule that keeps the worker from the colleague's cases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<RuleCountJson<'a>>,
}

/// Why a worker is more than the band below a busier colleague.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum GapReasonJson {
    /// Each case of the colleague's the worker may take would leave them no more than the band
    /// below the colleague.
    WithinBand,
    /// Moving any case the worker may take would raise the team's overload.
    RaisesOverload,
    /// The move budget is spent.
    BudgetSpent,
    /// `assign` keeps today's holders, and the colleague's cases are all held today.
    AssignKeepsHolders,
    /// The worker may take none of the colleague's cases (see `rules`).
    Barred,
}

/// One rule that keeps the worker from some of the colleague's cases, and how many.
#[derive(Debug, Serialize, JsonSchema)]
struct RuleCountJson<'a> {
    rule: BarrierJson,
    /// For `lacks`: the skills the worker lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skills: Vec<String>,
    /// For `pinned`: the worker the cases are pinned to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pinned_to: Option<&'a str>,
    /// For `family`: the family that keeps them together.
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    /// How many of the colleague's cases the rule keeps from the worker.
    cases: u32,
}

/// A rule that keeps a worker from a case.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum BarrierJson {
    /// The worker lacks skills the cases need.
    Lacks,
    /// The cases are pinned to another worker.
    Pinned,
    /// The cases' families stay with another worker.
    Family,
    /// The worker is on the cases' `avoid` lists.
    Avoided,
    /// The worker is on leave.
    OnLeave,
    /// The worker is at their `max_cases`.
    MaxCases,
}

/// The balance of a proposal as JSON data.
pub fn balance_json<'a>(scenario: &'a Scenario, balance: &Balance) -> BalanceJson<'a> {
    BalanceJson {
        band: round9(balance.band),
        balanced: balance.is_balanced(),
        unbalanced_units: balance.unbalanced_units,
        unbalanced: balance
            .unbalanced
            .iter()
            .map(|u| UnbalancedJson {
                case: &scenario.cases[u.case].id,
                giver: staff_id(scenario, u.giver),
                giver_utilization: round9(u.giver_utilization),
                receiver: staff_id(scenario, u.receiver),
                receiver_utilization_after: round9(u.receiver_after),
            })
            .collect(),
        gaps: balance.gaps.iter().map(|g| gap_json(scenario, g)).collect(),
        gaps_not_listed: balance.gaps_not_listed,
        moves_to_balance: balance.moves_to_balance,
    }
}

fn gap_json<'a>(scenario: &'a Scenario, gap: &Gap) -> GapJson<'a> {
    let (reason, lightest_after, rules) = match &gap.reason {
        GapReason::WithinBand { lightest_after } => (
            GapReasonJson::WithinBand,
            Some(round9(*lightest_after)),
            Vec::new(),
        ),
        GapReason::RaisesOverload => (GapReasonJson::RaisesOverload, None, Vec::new()),
        GapReason::BudgetSpent => (GapReasonJson::BudgetSpent, None, Vec::new()),
        GapReason::AssignKeepsHolders => (GapReasonJson::AssignKeepsHolders, None, Vec::new()),
        GapReason::Barred(barriers) => (
            GapReasonJson::Barred,
            None,
            barriers
                .iter()
                .map(|(b, n)| rule_count_json(scenario, b, *n))
                .collect(),
        ),
    };
    GapJson {
        worker: staff_id(scenario, gap.worker),
        utilization: round9(gap.utilization),
        colleague: staff_id(scenario, gap.colleague),
        colleague_utilization: round9(gap.colleague_utilization),
        reason,
        lightest_after,
        rules,
    }
}

fn rule_count_json<'a>(scenario: &'a Scenario, barrier: &Barrier, cases: u32) -> RuleCountJson<'a> {
    let mut json = RuleCountJson {
        rule: BarrierJson::Lacks,
        skills: Vec::new(),
        pinned_to: None,
        family: None,
        cases,
    };
    match barrier {
        Barrier::Lacks(missing) => {
            json.rule = BarrierJson::Lacks;
            json.skills.clone_from(missing);
        }
        Barrier::PinnedElsewhere(w) => {
            json.rule = BarrierJson::Pinned;
            json.pinned_to = Some(staff_id(scenario, *w));
        }
        Barrier::FamilyBlocked { family, .. } => {
            json.rule = BarrierJson::Family;
            json.family = Some(&scenario.families[*family].id);
        }
        Barrier::Avoided => json.rule = BarrierJson::Avoided,
        Barrier::OnLeave => json.rule = BarrierJson::OnLeave,
        Barrier::AtMaxCases { .. } => json.rule = BarrierJson::MaxCases,
    }
    json
}

/// For `explain --staff`: why a worker is more than the band below each busier colleague, and
/// why each lighter colleague more than the band below gets none of the worker's cases.
pub fn staff_balance_lines(
    scenario: &Scenario,
    balance: &Balance,
    worker: StaffIdx,
    max_moves: u32,
) -> Vec<String> {
    let band = band_words(balance.band);
    let who = staff_id(scenario, worker);
    let mut lines = Vec::new();
    for gap in balance.gaps.iter().filter(|g| g.worker == worker) {
        lines.push(format!(
            "Why {who} ({}) is lower than {} ({}): {}",
            percent(gap.utilization),
            staff_id(scenario, gap.colleague),
            percent(gap.colleague_utilization),
            reason_words(
                scenario,
                balance,
                gap.colleague,
                &[(gap.worker, gap.utilization)],
                &gap.reason,
                max_moves
            )
        ));
    }
    for gap in balance.gaps.iter().filter(|g| g.colleague == worker) {
        lines.push(format!(
            "Why {} ({}) is lower than {who} ({}): {}",
            staff_id(scenario, gap.worker),
            percent(gap.utilization),
            percent(gap.colleague_utilization),
            reason_words(
                scenario,
                balance,
                worker,
                &[(gap.worker, gap.utilization)],
                &gap.reason,
                max_moves
            )
        ));
    }
    if lines.is_empty() {
        lines.push(format!(
            "No available colleague is more than {band} above or below {who}."
        ));
    }
    lines
}

/// For `explain --staff` in JSON: the pairs the worker is in, as lighter and as busier worker.
pub fn staff_balance_json<'a>(
    scenario: &'a Scenario,
    balance: &Balance,
    worker: StaffIdx,
) -> serde_json::Value {
    let pairs = |lighter: bool| -> Vec<GapJson<'a>> {
        balance
            .gaps
            .iter()
            .filter(|g| {
                if lighter {
                    g.worker == worker
                } else {
                    g.colleague == worker
                }
            })
            .map(|g| gap_json(scenario, g))
            .collect()
    };
    serde_json::json!({
        "band": round9(balance.band),
        "balanced": balance.is_balanced(),
        "below": pairs(true),
        "above": pairs(false),
    })
}
