//! The independent check of the balance guarantee: proposals that leave a unit a less loaded
//! colleague could take are rejected, and each rule that bars such a transfer (skills, avoid
//! lists, leave, max_cases, pins, families, the move budget, overload, assign's kept holders, the
//! band) is honoured. Proposals are written by hand, or solved by the real binary and then
//! made lopsided.

mod common;

use caseload::domain::Scenario;
use caseload::input::{load_scenario, LoadOptions};
use caseload::verify::balance::imbalances;
use caseload::verify::balance_violations;
use common::{holder, solve_checked, CaseKeys, StaffKeys, Team};
use serde_json::{json, Value};

const BAND: f64 = 0.05;

/// The team written to a fresh folder and loaded as the checker sees it.
fn load(team: &Team) -> Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team.write(dir.path());
    load_scenario(&path, &LoadOptions::default())
        .expect("team loads")
        .scenario
}

/// A proposal as the checker reads it: its mode and who holds each case.
fn proposal(mode: &str, holders: &[(&str, &str)]) -> Value {
    let assignments: serde_json::Map<String, Value> = holders
        .iter()
        .map(|(case, worker)| ((*case).to_owned(), json!(worker)))
        .collect();
    json!({ "mode": mode, "assignments": assignments })
}

/// The balance violations of a rebalance proposal in which everyone keeps what they hold
/// today.
fn violations_kept(team: &Team) -> Vec<String> {
    let scenario = load(team);
    let holders: Vec<(&str, &str)> = scenario
        .cases
        .iter()
        .filter_map(|c| {
            c.assigned
                .map(|h| (c.id.as_str(), scenario.staff[h].id.as_str()))
        })
        .collect();
    balance_violations(&scenario, &proposal("rebalance", &holders), BAND)
}

/// Ana (10 points, Spanish) holds C1 and C2 (4 points each, with `case`'s keys) and bo (10
/// points, with `bo`'s keys) holds C3 (1 point): 80% next to 10%.
fn lopsided(
    policy: &[(&str, toml::Value)],
    case: impl Fn(CaseKeys) -> CaseKeys,
    bo: impl FnOnce(StaffKeys) -> StaffKeys,
) -> Team {
    let mut team = Team::new();
    for (key, value) in policy {
        team = team.policy(key, value.clone());
    }
    team.staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| bo(s.capacity(10)))
        .case("C1", |c| case(c.acuity(4).assigned("ana")))
        .case("C2", |c| case(c.acuity(4).assigned("ana")))
        .case("C3", |c| c.acuity(1).assigned("bo"))
}

fn plain(keys: CaseKeys) -> CaseKeys {
    keys
}

fn anyone(keys: StaffKeys) -> StaffKeys {
    keys
}

#[test]
fn an_obvious_transfer_is_rejected_in_plain_words() {
    let found = violations_kept(&lopsided(&[], plain, anyone));
    assert_eq!(
        found,
        [
            "C1 could go from ana at 80.0% to bo, who would end at 50.0%, 30.0 points below",
            "C2 could go from ana at 80.0% to bo, who would end at 50.0%, 30.0 points below",
        ]
    );
}

/// Three workers of 10 points and six intake cases of 2: the only proposal at the lowest
/// maximum gives each worker two cases.
fn even_intake() -> Team {
    (1..=6).fold(
        Team::new()
            .staff("ana", |s| s.capacity(10))
            .staff("bo", |s| s.capacity(10))
            .staff("cy", |s| s.capacity(10)),
        |team, n| team.case(&format!("C{n}"), |c| c.acuity(2)),
    )
}

#[test]
fn solved_proposals_are_balanced_and_a_lopsided_copy_is_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let team = even_intake();
    let path = team.write(dir.path());
    let scenario = load(&team);
    for command in ["rebalance", "assign"] {
        let (mut json, exit) = solve_checked(command, &path, &[]);
        assert_eq!(exit, 0);
        assert_eq!(
            balance_violations(&scenario, &json, BAND),
            Vec::<String>::new()
        );
        let from = holder(&json, "C1").expect("C1 placed").to_owned();
        let to = ["ana", "bo", "cy"]
            .into_iter()
            .find(|w| *w != from)
            .unwrap();
        json["assignments"]["C1"] = json!(to);
        let found = balance_violations(&scenario, &json, BAND);
        let back = format!(
            "C1 could go from {to} at 60.0% to {from}, who would end at 40.0%, 20.0 points below"
        );
        assert!(found.contains(&back), "{command}: {found:#?}");
    }
}

#[test]
fn a_receiver_without_the_skill_may_not_take_the_case() {
    let spanish = |c: CaseKeys| c.needs(&["spanish"]);
    assert!(violations_kept(&lopsided(&[], spanish, anyone)).is_empty());
    let bo_speaks = |s: StaffKeys| s.skills(&["spanish"]);
    assert_eq!(violations_kept(&lopsided(&[], spanish, bo_speaks)).len(), 2);
}

#[test]
fn a_receiver_on_the_avoid_list_may_not_take_the_case() {
    let avoid_bo = |c: CaseKeys| c.avoid(&["bo"]);
    assert!(violations_kept(&lopsided(&[], avoid_bo, anyone)).is_empty());
}

#[test]
fn a_receiver_on_leave_may_not_take_the_case() {
    let team = lopsided(&[], plain, |s| s.available(false));
    let scenario = load(&team);
    let all_with_ana = proposal("rebalance", &[("C1", "ana"), ("C2", "ana"), ("C3", "ana")]);
    assert!(balance_violations(&scenario, &all_with_ana, BAND).is_empty());
}

#[test]
fn a_receiver_at_max_cases_may_not_take_the_case() {
    let full = |s: StaffKeys| s.max_cases(1);
    assert!(violations_kept(&lopsided(&[], plain, full)).is_empty());
    let room = |s: StaffKeys| s.max_cases(2);
    assert_eq!(violations_kept(&lopsided(&[], plain, room)).len(), 2);
}

#[test]
fn a_pinned_case_stays() {
    let pinned = |c: CaseKeys| c.pinned();
    assert!(violations_kept(&lopsided(&[], pinned, anyone)).is_empty());
}

#[test]
fn a_family_moves_whole() {
    // C1 and C2 together would leave bo at 90%, above ana's 80%; alone, each could go.
    let family = |c: CaseKeys| c.family("F1");
    assert!(violations_kept(&lopsided(&[], family, anyone)).is_empty());
    let apart = [("keep_families_together", false.into())];
    assert_eq!(violations_kept(&lopsided(&apart, family, anyone)).len(), 2);
}

#[test]
fn a_family_goes_only_to_a_worker_who_may_take_every_case() {
    // Together C1 and C2 would leave bo at 40%, but only ana speaks Spanish; C3 is pinned.
    let team = Team::new()
        .staff("ana", |s| s.capacity(20).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(20))
        .case("C1", |c| {
            c.acuity(4).needs(&["spanish"]).family("F1").assigned("ana")
        })
        .case("C2", |c| c.acuity(4).family("F1").assigned("ana"))
        .case("C3", |c| c.acuity(8).assigned("ana").pinned());
    assert!(violations_kept(&team).is_empty());
    let apart = team.policy("keep_families_together", false);
    assert_eq!(
        violations_kept(&apart),
        ["C2 could go from ana at 80.0% to bo, who would end at 20.0%, 60.0 points below"]
    );
}

#[test]
fn the_family_line_names_the_family_and_its_cases() {
    let team = Team::new()
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(2).family("F1").assigned("ana"))
        .case("C2", |c| c.acuity(2).family("F1").assigned("ana"))
        .case("C3", |c| c.acuity(4).assigned("ana"));
    let found = violations_kept(&team);
    assert!(
        found.contains(
            &"family F1 (C1, C2) could go from ana at 80.0% to bo, who would end at 40.0%, 40.0 points below".to_owned()
        ),
        "{found:#?}"
    );
}

#[test]
fn no_move_once_the_budget_is_spent() {
    let none = [("max_moves", 0.into())];
    assert!(violations_kept(&lopsided(&none, plain, anyone)).is_empty());
    let one = [("max_moves", 1.into())];
    assert_eq!(violations_kept(&lopsided(&one, plain, anyone)).len(), 2);
}

/// Ana held C1, C2 and C3 (3 points each); the proposal moves C3 to cy, spending one move.
fn one_move_spent(max_moves: u32) -> Vec<String> {
    let team = Team::new()
        .policy("max_moves", max_moves)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(10))
        .case("C1", |c| c.acuity(3).assigned("ana"))
        .case("C2", |c| c.acuity(3).assigned("ana"))
        .case("C3", |c| c.acuity(3).assigned("ana"));
    let moved = proposal("rebalance", &[("C1", "ana"), ("C2", "ana"), ("C3", "cy")]);
    balance_violations(&load(&team), &moved, BAND)
}

#[test]
fn the_budget_counts_the_moves_the_proposal_already_makes() {
    assert!(one_move_spent(1).is_empty());
    assert_eq!(one_move_spent(2).len(), 2);
}

#[test]
fn a_case_may_go_back_to_its_holder_today_when_the_budget_is_spent() {
    // The proposal moved C1 from ana to bo, spending the one move; moving it back frees it.
    let team = Team::new()
        .policy("max_moves", 1)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(4).assigned("ana"))
        .case("C2", |c| c.acuity(4).assigned("bo").pinned());
    let moved = proposal("rebalance", &[("C1", "bo"), ("C2", "bo")]);
    assert_eq!(
        balance_violations(&load(&team), &moved, BAND),
        ["C1 could go from bo at 80.0% to ana, who would end at 40.0%, 40.0 points below"]
    );
}

#[test]
fn a_case_already_moved_may_move_on_at_no_cost() {
    // The proposal moved C1 from ana to bo, spending the one move; on to cy it is still one.
    let team = Team::new()
        .policy("max_moves", 1)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(10))
        .case("C1", |c| c.acuity(4).assigned("ana"))
        .case("C2", |c| c.acuity(4).assigned("ana").pinned())
        .case("C3", |c| c.acuity(4).assigned("bo").pinned());
    let moved = proposal("rebalance", &[("C1", "bo"), ("C2", "ana"), ("C3", "bo")]);
    assert_eq!(
        balance_violations(&load(&team), &moved, BAND),
        ["C1 could go from bo at 80.0% to cy, who would end at 40.0%, 40.0 points below"]
    );
}

#[test]
fn required_moves_and_intake_spend_no_budget() {
    // Ana is on leave: both her cases had to move, so cy may still take one with no budget.
    let team = Team::new()
        .policy("max_moves", 0)
        .staff("ana", |s| s.capacity(10).available(false))
        .staff("bo", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(10))
        .case("C1", |c| c.acuity(4).assigned("ana"))
        .case("C2", |c| c.acuity(4).assigned("ana"))
        .case("C3", |c| c.acuity(1));
    let moved = proposal("rebalance", &[("C1", "bo"), ("C2", "bo"), ("C3", "bo")]);
    assert_eq!(balance_violations(&load(&team), &moved, BAND).len(), 3);
}

/// Ana (10 points) holds C1 (4) and C2 (3) at 70%; bo (40 points) holds C3 (20) at 50%.
fn small_giver_large_receiver(target: f64) -> Team {
    Team::new()
        .policy("target_utilization", target)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(40))
        .case("C1", |c| c.acuity(4).assigned("ana"))
        .case("C2", |c| c.acuity(3).assigned("ana"))
        .case("C3", |c| c.acuity(20).assigned("bo"))
}

#[test]
fn no_move_that_raises_the_overload() {
    // At a target of 50% ana sheds at most 2 points of overload and bo gains 3 or 4.
    assert!(violations_kept(&small_giver_large_receiver(0.5)).is_empty());
    assert_eq!(violations_kept(&small_giver_large_receiver(1.0)).len(), 2);
}

#[test]
fn assign_judges_only_intake() {
    let team = lopsided(&[], plain, anyone).case("C4", |c| c.acuity(2));
    let placed = proposal(
        "assign",
        &[("C1", "ana"), ("C2", "ana"), ("C3", "bo"), ("C4", "ana")],
    );
    assert_eq!(
        balance_violations(&load(&team), &placed, BAND),
        ["C4 could go from ana at 100.0% to bo, who would end at 30.0%, 70.0 points below"]
    );
}

#[test]
fn a_receiver_within_the_band_is_no_violation() {
    // C1 to bo leaves bo at 70%, 10 points below ana's 80%.
    let team = lopsided(&[], plain, anyone).case("C4", |c| c.acuity(2).assigned("bo"));
    let scenario = load(&team);
    let kept = proposal(
        "rebalance",
        &[("C1", "ana"), ("C2", "ana"), ("C3", "bo"), ("C4", "bo")],
    );
    assert!(imbalances(&scenario, &kept, 0.10).is_empty());
    let found = imbalances(&scenario, &kept, 0.09);
    assert_eq!(found.len(), 2);
    assert!((found[0].gap() - 0.10).abs() < 1e-12);
}
