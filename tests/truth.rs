//! The truth test: every claim an explanation makes, recomputed from the scenario and the
//! proposal by code that shares nothing with the library's explanations, on generated teams of
//! several sizes, seeds and policies (tight budgets, little slack, scarce skills, cases nobody may
//! hold) in both jobs. It covers each move's figures and cause, every why-not verdict for every
//! case, and every group named in what binds.

use std::collections::{BTreeMap, BTreeSet};

mod common;

use caseload::domain::{CaseIdx, Scenario, StaffIdx};
use caseload::explain::why_not::why_not;
use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::LoadOptions;
use caseload::report::proposal::proposal_json;
use caseload::report::why::case_json;
use caseload::solve::model::Mode;
use caseload::solve::{solve, SolveOptions};
use common::generated_scenario;
use serde_json::Value;

const EPS: f64 = 1e-6;

fn generated(staff: usize, cases: usize, seed: u64) -> Scenario {
    generated_scenario(staff, cases, seed, &LoadOptions::default())
}

/// The scenario read plainly: who may hold what, loads, families, as the claims need them.
struct Facts<'a> {
    s: &'a Scenario,
    mode: &'a str,
    /// Holder after, per case.
    after: Vec<Option<StaffIdx>>,
    load: Vec<f64>,
    count: Vec<u32>,
}

impl<'a> Facts<'a> {
    fn new(s: &'a Scenario, json: &'a Value) -> Self {
        let by_id: BTreeMap<&str, StaffIdx> = s
            .staff
            .iter_enumerated()
            .map(|(w, st)| (st.id.as_str(), w))
            .collect();
        let after: Vec<Option<StaffIdx>> = s
            .cases
            .iter()
            .map(|c| json["assignments"][&c.id].as_str().map(|w| by_id[w]))
            .collect();
        let mut load = vec![0.0; s.staff.len()];
        let mut count = vec![0; s.staff.len()];
        for (c, h) in s.cases.iter().zip(&after) {
            if let Some(h) = h {
                load[h.index()] += c.weight;
                count[h.index()] += 1;
            }
        }
        Facts {
            s,
            mode: json["mode"].as_str().unwrap(),
            after,
            load,
            count,
        }
    }

    fn util(&self, w: StaffIdx) -> f64 {
        self.load[w.index()] / self.s.staff[w].capacity
    }

    fn staff(&self, id: &str) -> StaffIdx {
        self.s.staff_by_id(id).unwrap()
    }

    fn case(&self, id: &str) -> CaseIdx {
        self.s.case_by_id(id).unwrap()
    }

    /// Leave, skills and the avoid list: may `w` hold `c` on its own?
    fn holds_alone(&self, w: StaffIdx, c: CaseIdx) -> bool {
        let (st, case) = (&self.s.staff[w], &self.s.cases[c]);
        st.available && case.needs.iter().all(|n| st.skills.contains(n)) && !case.avoid.contains(&w)
    }

    /// The cases that end with one worker together with `c`.
    fn together(&self, c: CaseIdx) -> Vec<CaseIdx> {
        let family = self.s.cases[c].family.as_ref();
        match family.filter(|_| self.s.policy.keep_families_together) {
            Some(f) => self
                .s
                .cases
                .iter_enumerated()
                .filter(|(_, x)| x.family.as_ref() == Some(f))
                .map(|(i, _)| i)
                .collect(),
            None => vec![c],
        }
    }

    /// May `w` take `c` with every case that moves with it (leave, skills, avoid, pins)?
    fn may_take(&self, w: StaffIdx, c: CaseIdx) -> bool {
        self.together(c).iter().all(|x| {
            let case = &self.s.cases[*x];
            self.holds_alone(w, *x) && (!case.pinned || case.assigned == Some(w))
        })
    }

    fn weight_of(&self, cases: &[CaseIdx]) -> f64 {
        cases.iter().map(|c| self.s.cases[*c].weight).sum()
    }

    /// The holder today may not keep the case: they may not hold it, or another case of its
    /// family (which stays together).
    fn must_move(&self, c: CaseIdx) -> bool {
        self.s.cases[c]
            .assigned
            .is_some_and(|h| self.together(c).iter().any(|x| !self.holds_alone(h, *x)))
    }

    fn discretionary_used(&self) -> u32 {
        self.s
            .cases
            .iter_enumerated()
            .filter(|(c, case)| {
                case.assigned.is_some()
                    && self.after[c.index()].is_some()
                    && self.after[c.index()] != case.assigned
                    && !self.must_move(*c)
            })
            .count() as u32
    }

    fn max_util(&self) -> f64 {
        self.s
            .staff
            .iter_enumerated()
            .filter(|(_, st)| st.available)
            .map(|(w, _)| self.util(w))
            .fold(0.0, f64::max)
    }

    /// Reassignments (all, discretionary) if the cases with `c` went to `w`.
    fn cost_to(&self, c: CaseIdx, w: Option<StaffIdx>) -> (u32, u32) {
        let mut all = 0;
        let mut discretionary = 0;
        for x in self.together(c) {
            let today = self.s.cases[x].assigned;
            if today.is_some() && today != w {
                all += 1;
                discretionary += u32::from(!self.must_move(x));
            }
        }
        (all, discretionary)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

/// Every move's figures and cause.
fn check_moves(f: &Facts<'_>, json: &Value, label: &str, seen: &mut BTreeSet<String>) {
    for m in json["moves"].as_array().unwrap() {
        seen.insert(format!("move:{}", m["kind"].as_str().unwrap()));
        let c = f.case(m["case"].as_str().unwrap());
        let case = &f.s.cases[c];
        let e = &m["explanation"];
        let to = f.staff(e["to"]["id"].as_str().unwrap());
        assert_eq!(f.after[c.index()], Some(to), "{label}: {m}");
        assert!(
            close(e["to"]["utilization_after"].as_f64().unwrap(), f.util(to)),
            "{label}: {m}"
        );
        if let Some(q) = e["qualified_workers"].as_u64() {
            let n =
                f.s.staff
                    .iter()
                    .filter(|st| st.available && case.needs.iter().all(|x| st.skills.contains(x)))
                    .count();
            assert_eq!(q as usize, n, "{label}: {m}");
        }
        let from = case.assigned;
        assert_eq!(
            m["counts_against_budget"].as_bool().unwrap(),
            from.is_some() && !f.must_move(c),
            "{label}: {m}"
        );
        match m["kind"].as_str().unwrap() {
            "intake" => assert!(from.is_none(), "{label}: {m}"),
            "equity" if m["why"].as_str().unwrap().starts_with("evens the load") => {
                let from = from.unwrap();
                let before: f64 =
                    f.s.cases
                        .iter()
                        .filter(|x| x.assigned == Some(from))
                        .map(|x| x.weight)
                        .sum();
                assert!(
                    f.load[from.index()] < before - EPS,
                    "{label}: giver's load falls: {m}"
                );
            }
            "makes_room" => {
                let from = from.unwrap();
                let takes = f.case(e["holder_takes_instead"].as_str().unwrap());
                assert_eq!(f.after[takes.index()], Some(from), "{label}: {m}");
                assert_ne!(f.s.cases[takes].assigned, Some(from), "{label}: {m}");
                let n =
                    f.s.staff
                        .indices()
                        .filter(|w| f.may_take(*w, takes))
                        .count();
                // Families may narrow who can take it further; never widen.
                assert!(
                    e["which_may_hold"].as_u64().unwrap() as usize >= n.min(1),
                    "{label}: {m}"
                );
            }
            "required" => {
                let holder = from.unwrap();
                let reason = &e["required_because"];
                match reason["reason"].as_str().unwrap() {
                    "holder_on_leave" => assert!(!f.s.staff[holder].available, "{label}: {m}"),
                    "holder_lacks" => {
                        for skill in reason["skills"].as_array().unwrap() {
                            let skill = skill.as_str().unwrap().to_string();
                            assert!(case.needs.contains(&skill), "{label}: {m}");
                            assert!(!f.s.staff[holder].skills.contains(&skill), "{label}: {m}");
                        }
                    }
                    "holder_avoided" => assert!(case.avoid.contains(&holder), "{label}: {m}"),
                    "family_cannot_stay" => {
                        let blocking = f.case(reason["blocking_case"].as_str().unwrap());
                        assert!(f.together(c).contains(&blocking), "{label}: {m}");
                        assert!(!f.holds_alone(holder, blocking), "{label}: {m}");
                    }
                    other => panic!("{label}: unknown reason {other}"),
                }
            }
            _ => {}
        }
    }
}

/// Every why-not verdict of every placed case.
fn check_verdicts(f: &Facts<'_>, view: &Explanation<'_>, label: &str, seen: &mut BTreeSet<String>) {
    let s = f.s;
    for c in s.cases.indices() {
        let Some(holder) = f.after[c.index()] else {
            continue;
        };
        let verdicts = why_not(s, view.proposal, &view.figures, c);
        let json: Value = serde_json::from_str(&case_json(
            view,
            c,
            &verdicts,
            None,
            &Provenance::of(Vec::new()),
        ))
        .unwrap();
        for v in json["workers"].as_array().unwrap() {
            let w = f.staff(v["worker"].as_str().unwrap());
            let at = format!(
                "{label}: case {} worker {}: {v}",
                s.cases[c].id, s.staff[w].id
            );
            seen.insert(v["verdict"].as_str().unwrap().to_string());
            check_verdict(f, c, holder, v, &at);
        }
    }
}

/// One why-not verdict, recomputed.
fn check_verdict(f: &Facts<'_>, c: CaseIdx, holder: StaffIdx, v: &Value, at: &str) {
    let s = f.s;
    let together = f.together(c);
    let weight = f.weight_of(&together);
    let w = f.staff(v["worker"].as_str().unwrap());
    let figures = &v["figures"];
    let util_if = (f.load[w.index()] + weight) / s.staff[w].capacity;
    let band = s.policy.balance_band;
    match v["verdict"].as_str().unwrap() {
        "holds" => assert_eq!(w, holder, "{at}"),
        "on_leave" => assert!(!s.staff[w].available, "{at}"),
        "lacks_skill" => {
            let missing = figures["missing"].as_array().unwrap();
            assert!(!missing.is_empty(), "{at}");
            for skill in missing {
                let skill = skill.as_str().unwrap().to_string();
                assert!(s.cases[c].needs.contains(&skill), "{at}");
                assert!(!s.staff[w].skills.contains(&skill), "{at}");
            }
        }
        "avoided" => assert!(s.cases[c].avoid.contains(&w), "{at}"),
        "pinned_elsewhere" => assert!(
            together
                .iter()
                .any(|x| s.cases[*x].pinned && s.cases[*x].assigned != Some(w)),
            "{at}"
        ),
        "family" => assert!(
            together.len() > 1 && together.iter().any(|x| !f.holds_alone(w, *x)),
            "{at}"
        ),
        "max_cases" => {
            let max = s.staff[w].max_cases.expect("a max_cases to be at");
            assert_eq!(
                figures["cases_after"].as_u64().unwrap() as u32,
                f.count[w.index()],
                "{at}"
            );
            assert_eq!(
                figures["joining"].as_u64().unwrap() as usize,
                together.len(),
                "{at}"
            );
            assert!(f.count[w.index()] + together.len() as u32 > max, "{at}");
        }
        "above_max" => {
            assert!(
                close(figures["utilization_if"].as_f64().unwrap(), util_if),
                "{at}"
            );
            assert!(util_if > f.max_util() + 1e-9, "{at}");
        }
        "kept_by_assign" => {
            assert_eq!(f.mode, "assign", "{at}");
            let held: BTreeSet<StaffIdx> = together
                .iter()
                .filter_map(|x| s.cases[*x].assigned)
                .collect();
            assert_eq!(held.len(), 1, "{at}");
            assert!(together.iter().all(|x| !f.must_move(*x)), "{at}");
        }
        "budget_spent" => {
            assert_eq!(f.mode, "rebalance", "{at}");
            let used = f.discretionary_used();
            let needs = f.cost_to(c, Some(w)).1 - f.cost_to(c, Some(holder)).1;
            assert_eq!(
                figures["discretionary_needed"].as_u64().unwrap() as u32,
                needs,
                "{at}"
            );
            assert_eq!(
                figures["budget_left"].as_u64().unwrap() as u32,
                s.policy.max_moves.saturating_sub(used),
                "{at}"
            );
            assert!(used + needs > s.policy.max_moves, "{at}");
        }
        "extra_move" => {
            assert_eq!(s.cases[c].assigned, Some(holder), "{at}: the case stays");
            assert_eq!(
                figures["reassignments"].as_u64().unwrap() as u32,
                f.cost_to(c, Some(w)).0,
                "{at}"
            );
            assert!(util_if >= f.util(holder) - band - 1e-6, "{at}");
        }
        "raises_overload" => {
            let target = s.policy.target_utilization;
            let over = |load: f64, w: StaffIdx| (load - target * s.staff[w].capacity).max(0.0);
            let (lh, lw) = (f.load[holder.index()], f.load[w.index()]);
            let change =
                over(lh - weight, holder) - over(lh, holder) + over(lw + weight, w) - over(lw, w);
            assert!(change > 1e-9, "{at}");
        }
        "higher_than_chosen" => assert!(util_if > f.util(holder) + 1e-9, "{at}"),
        "as_good" => {
            assert!(util_if <= f.util(holder) + 1e-9, "{at}");
            assert!(
                f.cost_to(c, Some(w)).0 <= f.cost_to(c, Some(holder)).0,
                "{at}"
            );
        }
        "more_moves" => {
            assert!(util_if <= f.util(holder) + 1e-9, "{at}");
            let extra = f.cost_to(c, Some(w)).0 - f.cost_to(c, Some(holder)).0;
            assert_eq!(
                figures["extra_reassignments"].as_u64().unwrap() as u32,
                extra,
                "{at}"
            );
        }
        other => panic!("{at}: a verdict the test does not know: {other}"),
    }
}

/// Every group named in what binds: its cases are those no one outside may take, with the
/// weight and capacity stated.
fn check_binding(f: &Facts<'_>, json: &Value, label: &str) {
    let s = f.s;
    let mut groups: Vec<&Value> = Vec::new();
    if !json["binding"]["equity"].is_null() {
        groups.push(&json["binding"]["equity"]);
    }
    for g in json["binding"]["overload"].as_array().into_iter().flatten() {
        groups.push(g.get("group").unwrap_or(g));
    }
    for g in groups {
        let workers: BTreeSet<StaffIdx> = g["workers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| f.staff(w.as_str().unwrap()))
            .collect();
        let inside: Vec<CaseIdx> = s
            .cases
            .indices()
            .filter(|c| {
                let takers: Vec<StaffIdx> =
                    s.staff.indices().filter(|w| f.may_take(*w, *c)).collect();
                !takers.is_empty() && takers.iter().all(|w| workers.contains(w))
            })
            .collect();
        let capacity: f64 = workers.iter().map(|w| s.staff[*w].capacity).sum();
        assert!(
            close(g["capacity"].as_f64().unwrap(), capacity),
            "{label}: {g}"
        );
        if let Some(n) = g["case_count"].as_u64() {
            assert_eq!(n as usize, inside.len(), "{label}: {g}");
        }
        let weight = f.weight_of(&inside);
        assert!(close(g["weight"].as_f64().unwrap(), weight), "{label}: {g}");
        if let Some(level) = g["level"].as_f64() {
            assert!((level - weight / capacity).abs() < 1e-6, "{label}: {g}");
        }
    }
}

/// Checks every claim about `scenario`'s proposals in both jobs; returns the kinds of move and
/// verdict met, so that each test can show it covers what it means to.
fn check_team(scenario: &Scenario, label: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for mode in [Mode::Rebalance, Mode::Assign] {
        let proposal = solve(
            scenario,
            &SolveOptions {
                mode,
                time_limit: 60.0,
            },
        );
        if !proposal.has_proposal() {
            continue;
        }
        let view = Explanation::of(scenario, &proposal);
        let json: Value =
            serde_json::from_str(&proposal_json(&view, &Provenance::of(Vec::new()))).unwrap();
        let facts = Facts::new(scenario, &json);
        let label = format!("{label} {mode:?}");
        check_moves(&facts, &json, &label, &mut seen);
        check_verdicts(&facts, &view, &label, &mut seen);
        check_binding(&facts, &json, &label);
    }
    seen
}

fn assert_covers(seen: &BTreeSet<String>, kinds: &[&str]) {
    for kind in kinds {
        assert!(seen.contains(*kind), "no {kind} among {seen:?}");
    }
}

#[test]
fn every_claim_holds_on_generated_teams_under_default_policy() {
    let mut seen = BTreeSet::new();
    for (staff, cases, seed) in [(5, 60, 41), (8, 120, 42), (12, 240, 43)] {
        seen.extend(check_team(
            &generated(staff, cases, seed),
            &format!("{staff}x{cases} seed {seed}"),
        ));
    }
    assert_covers(
        &seen,
        &[
            "above_max",
            "extra_move",
            "higher_than_chosen",
            "pinned_elsewhere",
            "move:equity",
            "move:makes_room",
            "move:required",
            "move:intake",
        ],
    );
}

#[test]
fn every_claim_holds_under_tight_budgets_and_little_slack() {
    let mut seen = BTreeSet::new();
    for (staff, cases, seed) in [(6, 90, 51), (10, 200, 52)] {
        let mut scenario = generated(staff, cases, seed);
        scenario.policy.max_moves = 3;
        seen.extend(check_team(
            &scenario,
            &format!("{staff}x{cases} seed {seed} max_moves 3"),
        ));
        scenario.policy.max_moves = 0;
        scenario.policy.target_utilization = 0.8;
        seen.extend(check_team(
            &scenario,
            &format!("{staff}x{cases} seed {seed} max_moves 0 target 0.8"),
        ));
        // max_cases at every other worker, a case or two above what they hold today.
        scenario.policy.max_moves = 10;
        scenario.policy.target_utilization = 1.0;
        let held: Vec<u32> = scenario
            .staff
            .indices()
            .map(|w| {
                scenario
                    .cases
                    .iter()
                    .filter(|c| c.assigned == Some(w))
                    .count() as u32
            })
            .collect();
        for (i, st) in scenario.staff.iter_mut().enumerate() {
            if i % 2 == 0 {
                st.max_cases = Some(held[i] + 1 + (i as u32 % 2));
            }
        }
        seen.extend(check_team(
            &scenario,
            &format!("{staff}x{cases} seed {seed} max_cases"),
        ));
    }
    assert_covers(
        &seen,
        &[
            "above_max",
            "budget_spent",
            "kept_by_assign",
            "lacks_skill",
            "max_cases",
            "family",
        ],
    );
}

#[test]
fn every_claim_holds_when_a_skill_is_scarce_and_some_cases_cannot_be_held() {
    let mut scenario = generated(8, 150, 61);
    // Take a skill from all but one worker who has it, and give one case a skill nobody has.
    let skill = scenario
        .cases
        .iter()
        .flat_map(|c| c.needs.iter().cloned())
        .next()
        .expect("generated cases need skills");
    let mut kept = false;
    for st in scenario.staff.iter_mut() {
        if st.skills.contains(&skill) {
            if kept {
                st.skills.retain(|s| *s != skill);
            }
            kept = true;
        }
    }
    let last = scenario.cases.len() - 1;
    scenario.cases[CaseIdx::from(last)]
        .needs
        .push("sign-language".into());
    scenario.regroup_families();
    let seen = check_team(&scenario, "8x150 seed 61 scarce");
    assert_covers(&seen, &["lacks_skill", "move:required"]);
}
