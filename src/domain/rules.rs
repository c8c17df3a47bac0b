//! The hard rules, in one vocabulary: who may hold a case and, when not, why; why a case must
//! leave its holder; why nobody may take a case; and which rules can be lifted when they
//! conflict.
//!
//! The model builds its units from these answers (and the local search works on those units),
//! the conflict search lifts and tests them, explanations and validation report them. Only the independent checker
//! (`crate::verify`) keeps its own copy of the rules, on purpose.

use std::fmt::Write as _;
use std::sync::Arc;

use super::{
    Case, CaseIdx, FamilyIdx, IndexVec, Location, Scenario, Skill, Source, Staff, StaffIdx,
};

/// Why a worker may not hold a case. The first five are rules of the case and the worker alone,
/// of a pin or of its family; `AtMaxCases` depends on what else the worker holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Barrier {
    /// The worker is on leave.
    OnLeave,
    /// The worker lacks skills the case needs (those missing, in the case's order).
    Lacks(Vec<Skill>),
    /// The worker is on the case's avoid list.
    Avoided,
    /// The case, or another case of its family, is pinned to another worker.
    PinnedElsewhere(StaffIdx),
    /// Families stay together, and the worker may not hold another case of the family.
    FamilyBlocked {
        /// The family.
        family: FamilyIdx,
        /// The family's case the worker may not hold.
        blocking_case: CaseIdx,
    },
    /// Taking the case (with its family) would put the worker over `max_cases`.
    AtMaxCases {
        /// Cases the worker holds after the proposal.
        cases_after: u32,
        /// Cases that would join them (the whole family when families stay together).
        joining: u32,
        /// The limit.
        max_cases: u32,
    },
}

/// Why no worker may take a case, or a family kept together.
#[derive(Debug, Clone, PartialEq)]
pub enum Unholdable {
    /// Nobody on the team is available.
    NobodyAvailable,
    /// No available worker has every skill the case needs.
    NoneHasSkills {
        /// The case's needs.
        needs: Vec<Skill>,
    },
    /// The only available workers with its skills are on its avoid list.
    AllAvoided {
        /// Those workers.
        with_skills: Vec<StaffIdx>,
    },
    /// A case of the family cannot be held by anyone, and the family stays together.
    FamilyMember {
        /// The family.
        family: FamilyIdx,
        /// The case nobody may hold.
        case: CaseIdx,
        /// Why nobody may hold that case.
        why: Box<Unholdable>,
    },
    /// The family is pinned to a worker who cannot hold all of its cases.
    FamilyPinned {
        /// The family.
        family: FamilyIdx,
        /// The worker it is pinned to.
        worker: StaffIdx,
    },
    /// No available worker has every skill the family's cases need together (and is on no
    /// case's avoid list).
    FamilyNeeds {
        /// The family.
        family: FamilyIdx,
        /// Its cases' needs together, sorted.
        needs: Vec<Skill>,
    },
    /// Every available worker is on the avoid list of one of the family's cases.
    FamilyAvoids {
        /// The family.
        family: FamilyIdx,
    },
}

/// A hard rule that can be lifted, and so can take part in a conflict: the rules between cases
/// and of the run (needs and avoid lists only narrow who may take a case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum HardRule {
    /// A worker's `max_cases`.
    MaxCases(StaffIdx),
    /// A case pinned to its holder.
    Pin(CaseIdx),
    /// A family's cases end with one worker.
    Family(FamilyIdx),
    /// The move budget, `max_moves`.
    MoveBudget,
}

/// True when `skills` (sorted) include every one of `needs`: the skill rule, for a worker or
/// for a hiring profile.
pub fn has_all_skills(skills: &[Skill], needs: &[Skill]) -> bool {
    needs.iter().all(|s| skills.binary_search(s).is_ok())
}

/// The first reason a worker may not hold a case with `needs` and `avoid` on its own terms: on
/// leave, lacking a need, or on the avoid list. Validation asks it of a pinned holder before the
/// case exists; [`Scenario::own_barrier`] asks it of a case.
pub fn own_barrier_of(
    index: StaffIdx,
    worker: &Staff,
    needs: &[Skill],
    avoid: &[StaffIdx],
) -> Option<Barrier> {
    if !worker.available {
        return Some(Barrier::OnLeave);
    }
    let missing = worker.missing(needs);
    if !missing.is_empty() {
        return Some(Barrier::Lacks(missing));
    }
    avoid.contains(&index).then_some(Barrier::Avoided)
}

impl Staff {
    /// True when the worker has every one of `needs`.
    pub fn has_all(&self, needs: &[Skill]) -> bool {
        has_all_skills(&self.skills, needs)
    }

    /// Those of `needs` the worker lacks, in the order given.
    pub fn missing(&self, needs: &[Skill]) -> Vec<Skill> {
        needs
            .iter()
            .filter(|n| self.skills.binary_search(n).is_err())
            .cloned()
            .collect()
    }
}

impl Case {
    /// True when a new hire with `skills` could take the case: it is not pinned and the skills
    /// cover its needs (a new worker is on no avoid list and holds no family yet).
    pub fn open_to_hire(&self, skills: &[Skill]) -> bool {
        !self.pinned && has_all_skills(skills, &self.needs)
    }

    /// True when `worker` is on the case's avoid list.
    pub fn avoids(&self, worker: StaffIdx) -> bool {
        self.avoid.binary_search(&worker).is_ok()
    }
}

/// The available workers with each set of needs asked about so far (see
/// [`Scenario::may_hold_all`]).
#[derive(Debug, Default)]
pub struct Qualified {
    by_needs: rustc_hash::FxHashMap<Vec<Skill>, Arc<[StaffIdx]>>,
}

impl Qualified {
    /// The available workers with every one of `needs`, shared.
    fn with_needs(&mut self, scenario: &Scenario, needs: &[Skill]) -> Arc<[StaffIdx]> {
        if let Some(workers) = self.by_needs.get(needs) {
            return workers.clone();
        }
        let workers: Arc<[StaffIdx]> = scenario.qualified(needs).map(|(w, _)| w).collect();
        self.by_needs.insert(needs.to_vec(), workers.clone());
        workers
    }
}

impl Scenario {
    /// The first reason `worker` may not hold `case` on its own terms: on leave, lacking a need,
    /// or on the case's avoid list. (Pins, families and `max_cases` are rules between cases.)
    pub fn own_barrier(&self, worker: StaffIdx, case: CaseIdx) -> Option<Barrier> {
        let c = &self.cases[case];
        own_barrier_of(worker, &self.staff[worker], &c.needs, &c.avoid)
    }

    /// True when `worker` may hold `case` on its own terms (see [`Scenario::own_barrier`]).
    pub fn may_hold(&self, worker: StaffIdx, case: CaseIdx) -> bool {
        let w = &self.staff[worker];
        let c = &self.cases[case];
        w.available && w.has_all(&c.needs) && !c.avoids(worker)
    }

    /// The available workers with every one of `needs`: who may hold a case with those needs,
    /// as far as leave and skills go.
    pub fn qualified<'s>(
        &'s self,
        needs: &'s [Skill],
    ) -> impl Iterator<Item = (StaffIdx, &'s Staff)> + Clone + 's {
        self.staff
            .iter_enumerated()
            .filter(move |(_, s)| s.available && s.has_all(needs))
    }

    /// Who may hold every one of `cases` on their own terms, in staff order: the workers for
    /// whom [`Scenario::may_hold`] holds for each case. `qualified` remembers the workers with
    /// each set of needs, so asking for many cases costs one pass over the staff per distinct
    /// set of needs, not one per case.
    pub fn may_hold_all(&self, cases: &[CaseIdx], qualified: &mut Qualified) -> Arc<[StaffIdx]> {
        let workers = match cases {
            [c] => qualified.with_needs(self, &self.cases[*c].needs),
            _ => {
                let mut needs: Vec<Skill> = cases
                    .iter()
                    .flat_map(|c| self.cases[*c].needs.iter().cloned())
                    .collect();
                needs.sort_unstable();
                needs.dedup();
                qualified.with_needs(self, &needs)
            }
        };
        if cases.iter().all(|c| self.cases[*c].avoid.is_empty()) {
            return workers;
        }
        workers
            .iter()
            .copied()
            .filter(|w| cases.iter().all(|c| !self.cases[*c].avoids(*w)))
            .collect()
    }

    /// The family `case` moves with: its family when the policy keeps families together.
    pub fn kept_family(&self, case: CaseIdx) -> Option<FamilyIdx> {
        self.policy
            .keep_families_together
            .then(|| self.families.of_case(case))
            .flatten()
    }

    /// The cases that end with one worker together with `case`, itself included, in scenario
    /// order: its family when families stay together, else the case alone.
    pub fn moves_with(&self, case: CaseIdx) -> Vec<CaseIdx> {
        match self.kept_family(case) {
            Some(f) => self.families[f].cases.clone(),
            None => vec![case],
        }
    }

    /// The worker a group of cases that moves together is pinned to: the holder of its first
    /// pinned case.
    pub fn pinned_holder(&self, cases: &[CaseIdx]) -> Option<StaffIdx> {
        cases
            .iter()
            .map(|c| &self.cases[*c])
            .find(|c| c.pinned)
            .and_then(|c| c.assigned)
    }

    /// With families kept together: the first other case of `case`'s family that `worker` may
    /// not hold, which keeps the whole family from `worker`.
    pub fn family_barrier(&self, worker: StaffIdx, case: CaseIdx) -> Option<Barrier> {
        let family = self.kept_family(case)?;
        let blocking_case = self.families[family]
            .cases
            .iter()
            .copied()
            .find(|other| *other != case && !self.may_hold(worker, *other))?;
        Some(Barrier::FamilyBlocked {
            family,
            blocking_case,
        })
    }

    /// The first rule that keeps `worker` from holding `case`, whatever else they hold: the
    /// worker's own terms, then a pin of the case or its family to someone else, then another
    /// case of its family the worker may not hold.
    pub fn barrier(&self, worker: StaffIdx, case: CaseIdx) -> Option<Barrier> {
        if let Some(barrier) = self.own_barrier(worker, case) {
            return Some(barrier);
        }
        if let Some(pin) = self
            .pinned_holder(&self.moves_with(case))
            .filter(|p| *p != worker)
        {
            return Some(Barrier::PinnedElsewhere(pin));
        }
        self.family_barrier(worker, case)
    }

    /// `max_cases`: taking `joining` more cases would put `worker`, who holds `cases_after`, over
    /// the limit.
    pub fn max_cases_barrier(
        &self,
        worker: StaffIdx,
        cases_after: u32,
        joining: u32,
    ) -> Option<Barrier> {
        let max_cases = self.staff[worker].max_cases?;
        (cases_after + joining > max_cases).then_some(Barrier::AtMaxCases {
            cases_after,
            joining,
            max_cases,
        })
    }

    /// True when `worker` is available and holds as many cases as `max_cases` allows.
    pub fn at_max_cases(&self, worker: StaffIdx, cases: u32) -> bool {
        let staff = &self.staff[worker];
        staff.available && staff.max_cases == Some(cases)
    }

    /// True when the family's cases sit with more than one worker today (a family kept together
    /// must then be reunited).
    pub fn split_today(&self, family: FamilyIdx) -> bool {
        let mut holders = self.families[family]
            .cases
            .iter()
            .filter_map(|c| self.cases[*c].assigned);
        let first = holders.next();
        holders.any(|h| Some(h) != first)
    }

    /// Why a case with a holder today must leave that holder whatever else happens: the holder
    /// is on leave, lacks a need, is on its avoid list, or (with families kept together) may not
    /// hold another case of its family. `None` for intake and for cases that may stay.
    pub fn required_move(&self, case: CaseIdx) -> Option<Barrier> {
        let holder = self.cases[case].assigned?;
        self.own_barrier(holder, case)
            .or_else(|| self.family_barrier(holder, case))
    }

    /// [`Scenario::required_move`] of every case.
    pub fn required_moves(&self) -> IndexVec<CaseIdx, Option<Barrier>> {
        IndexVec::from_vec(
            self.cases
                .indices()
                .map(|c| self.required_move(c))
                .collect(),
        )
    }

    /// Why no available worker may hold `case` on its own terms (see [`Scenario::own_barrier`]);
    /// meaningful when none may.
    pub fn why_unholdable(&self, case: CaseIdx) -> Unholdable {
        let c = &self.cases[case];
        if !self.staff.iter().any(|s| s.available) {
            return Unholdable::NobodyAvailable;
        }
        let with_skills: Vec<StaffIdx> = self.qualified(&c.needs).map(|(w, _)| w).collect();
        if with_skills.is_empty() {
            Unholdable::NoneHasSkills {
                needs: c.needs.clone(),
            }
        } else {
            Unholdable::AllAvoided { with_skills }
        }
    }

    /// Why no worker may take a group of cases that moves together (a case, or a family kept
    /// together), given the worker it is pinned to; meaningful when none may.
    pub fn why_group_unholdable(
        &self,
        cases: &[CaseIdx],
        pinned_to: Option<StaffIdx>,
    ) -> Unholdable {
        let family = match cases {
            [single] => return self.why_unholdable(*single),
            [first, ..] => self.kept_family(*first),
            [] => None,
        };
        let Some(family) = family else {
            // Only families move as more than one case.
            return Unholdable::NobodyAvailable;
        };
        if let Some(case) = cases
            .iter()
            .copied()
            .find(|c| !self.staff.indices().any(|w| self.may_hold(w, *c)))
        {
            return Unholdable::FamilyMember {
                family,
                case,
                why: Box::new(self.why_unholdable(case)),
            };
        }
        if let Some(worker) = pinned_to {
            return Unholdable::FamilyPinned { family, worker };
        }
        let mut needs: Vec<Skill> = cases
            .iter()
            .flat_map(|c| self.cases[*c].needs.iter().cloned())
            .collect();
        needs.sort();
        needs.dedup();
        if needs.is_empty() {
            Unholdable::FamilyAvoids { family }
        } else {
            Unholdable::FamilyNeeds { family, needs }
        }
    }

    /// The rules of this scenario that can conflict, in a stable order: `max_cases` of available
    /// workers, pins, families (when kept together, by id) and, when `with_budget`, the budget.
    pub fn liftable_rules(&self, with_budget: bool) -> Vec<HardRule> {
        let mut rules: Vec<HardRule> = self
            .staff
            .iter_enumerated()
            .filter(|(_, s)| s.max_cases.is_some() && s.available)
            .map(|(w, _)| HardRule::MaxCases(w))
            .collect();
        rules.extend(
            self.cases
                .iter_enumerated()
                .filter(|(_, c)| c.pinned && c.assigned.is_some())
                .map(|(ci, _)| HardRule::Pin(ci)),
        );
        if self.policy.keep_families_together {
            let mut families: Vec<(&str, FamilyIdx)> = self
                .families
                .iter_enumerated()
                .map(|(f, family)| (family.id.as_str(), f))
                .collect();
            families.sort();
            rules.extend(families.into_iter().map(|(_, f)| HardRule::Family(f)));
        }
        if with_budget {
            rules.push(HardRule::MoveBudget);
        }
        rules
    }

    /// Lifts one rule: the worker's `max_cases` goes, the pin goes, the family's cases no longer
    /// name it. Lifting the move budget is up to the caller, who decides whether a budget applies.
    /// Families are grouped anew by [`Scenario::regroup_families`].
    pub fn lift(&mut self, rule: &HardRule, families: &super::Families) {
        match rule {
            HardRule::MaxCases(w) => self.staff[*w].max_cases = None,
            HardRule::Pin(c) => self.cases[*c].pinned = false,
            HardRule::Family(f) => {
                for c in &families[*f].cases {
                    self.cases[*c].family = None;
                }
            }
            HardRule::MoveBudget => {}
        }
    }

    /// Where a rule was set: the worker's or case's entry, the first case of a family, the
    /// `max_moves` key; `None` for a built-in default or a command-line option.
    pub fn origin_of(&self, rule: &HardRule) -> Option<Location> {
        match rule {
            HardRule::MaxCases(w) => Some(self.staff[*w].origin.clone()),
            HardRule::Pin(c) => Some(self.cases[*c].origin.clone()),
            HardRule::Family(f) => self.families[*f]
                .cases
                .first()
                .map(|c| self.cases[*c].origin.clone()),
            HardRule::MoveBudget => match &self.policy.max_moves_source {
                Source::File(at) => Some(at.clone()),
                _ => None,
            },
        }
    }
}

impl Unholdable {
    /// The reason in a supervisor's words.
    pub fn sentence(&self, scenario: &Scenario) -> String {
        let family_id = |f: &FamilyIdx| scenario.families[*f].id.as_str();
        match self {
            Unholdable::NobodyAvailable => "no worker is available".to_string(),
            Unholdable::NoneHasSkills { needs } => format!(
                "it needs {}; no available worker has {}",
                needs
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                if needs.len() > 1 { "all of them" } else { "it" }
            ),
            Unholdable::AllAvoided { with_skills } => {
                let mut names = String::new();
                for (i, w) in with_skills.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(names, "{sep}{}", scenario.staff[*w].id);
                }
                format!(
                    "the only available workers with its skills ({names}) are on its `avoid` list"
                )
            }
            Unholdable::FamilyMember { family, case, why } => format!(
                "family `{}`: case `{}` cannot be held by anyone ({}), and the family stays together",
                family_id(family),
                scenario.cases[*case].id,
                why.sentence(scenario)
            ),
            Unholdable::FamilyPinned { family, worker } => format!(
                "family `{}` is pinned to `{}`, who cannot hold all of its cases",
                family_id(family),
                scenario.staff[*worker].id
            ),
            Unholdable::FamilyNeeds { family, needs } => format!(
                "family `{}` together needs {}; no available worker has all of them and is on no case's avoid list",
                family_id(family),
                needs
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Unholdable::FamilyAvoids { family } => format!(
                "family `{}`: every available worker is on the avoid list of one of its cases",
                family_id(family)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load_scenario, LoadOptions};

    /// A team where every rule has something to say: `cy` is on leave, `bo` lacks `spanish`,
    /// `ana` is on C-2's avoid list, family F-1 (C-1, C-2) is held by `ana`, F-2 (C-3, C-4) is
    /// pinned to `bo` by C-4.
    const TEAM: &str = r#"
[[staff]]
id = "ana"
skills = ["spanish", "youth"]
max_cases = 4
[[staff]]
id = "bo"
skills = ["youth"]
[[staff]]
id = "cy"
skills = ["spanish", "youth"]
available = false
max_cases = 2
[[case]]
id = "C-1"
acuity = "low"
family = "F-1"
assigned = "ana"
[[case]]
id = "C-2"
acuity = "low"
family = "F-1"
needs = ["spanish"]
avoid = ["ana"]
assigned = "ana"
[[case]]
id = "C-3"
acuity = "low"
family = "F-2"
needs = ["youth"]
[[case]]
id = "C-4"
acuity = "low"
family = "F-2"
assigned = "bo"
pinned = true
"#;

    fn team(keep_families_together: bool) -> Scenario {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("team.toml");
        let head = format!(
            "name = \"rules\"\n[policy]\nkeep_families_together = {keep_families_together}\n"
        );
        std::fs::write(&path, format!("{head}{TEAM}")).expect("write team");
        load_scenario(&path, &LoadOptions::default())
            .expect("team loads")
            .scenario
    }

    fn ids(
        s: &Scenario,
    ) -> (
        impl Fn(&str) -> StaffIdx + '_,
        impl Fn(&str) -> CaseIdx + '_,
    ) {
        (
            |id: &str| s.staff_by_id(id).expect("worker"),
            |id: &str| s.case_by_id(id).expect("case"),
        )
    }

    #[test]
    fn own_terms_come_in_order_leave_skills_avoid_and_agree_with_may_hold() {
        let s = team(true);
        let (w, c) = ids(&s);
        assert_eq!(s.own_barrier(w("cy"), c("C-2")), Some(Barrier::OnLeave));
        assert_eq!(
            s.own_barrier(w("bo"), c("C-2")),
            Some(Barrier::Lacks(vec!["spanish".to_string()]))
        );
        assert_eq!(s.own_barrier(w("ana"), c("C-2")), Some(Barrier::Avoided));
        assert_eq!(s.own_barrier(w("ana"), c("C-1")), None);
        for worker in s.staff.indices() {
            for case in s.cases.indices() {
                assert_eq!(
                    s.may_hold(worker, case),
                    s.own_barrier(worker, case).is_none()
                );
            }
        }
    }

    #[test]
    fn who_may_hold_all_of_some_cases_agrees_with_may_hold_case_by_case() {
        let s = team(true);
        let cases: Vec<CaseIdx> = s.cases.indices().collect();
        let mut qualified = Qualified::default();
        // Every non-empty subset, twice, so the second pass reads the remembered workers.
        for _ in 0..2 {
            for mask in 1..(1u32 << cases.len()) {
                let subset: Vec<CaseIdx> = (0..cases.len())
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| cases[i])
                    .collect();
                let expected: Vec<StaffIdx> = s
                    .staff
                    .indices()
                    .filter(|w| subset.iter().all(|c| s.may_hold(*w, *c)))
                    .collect();
                assert_eq!(s.may_hold_all(&subset, &mut qualified)[..], expected[..]);
            }
        }
    }

    #[test]
    fn families_move_whole_only_when_the_policy_keeps_them_together() {
        let s = team(true);
        let (w, c) = ids(&s);
        assert_eq!(s.moves_with(c("C-1")), vec![c("C-1"), c("C-2")]);
        assert_eq!(s.pinned_holder(&s.moves_with(c("C-3"))), Some(w("bo")));
        assert_eq!(
            s.barrier(w("ana"), c("C-3")),
            Some(Barrier::PinnedElsewhere(w("bo")))
        );
        let f1 = s.families.by_id("F-1").expect("family");
        assert_eq!(
            s.barrier(w("ana"), c("C-1")),
            Some(Barrier::FamilyBlocked {
                family: f1,
                blocking_case: c("C-2")
            })
        );
        let apart = team(false);
        assert_eq!(apart.moves_with(c("C-1")), vec![c("C-1")]);
        assert_eq!(apart.barrier(w("ana"), c("C-1")), None);
        assert_eq!(apart.barrier(w("ana"), c("C-3")), None);
    }

    #[test]
    fn a_case_must_leave_a_holder_who_may_not_hold_it_or_its_family() {
        let s = team(true);
        let (_, c) = ids(&s);
        let f1 = s.families.by_id("F-1").expect("family");
        assert_eq!(s.required_move(c("C-2")), Some(Barrier::Avoided));
        assert_eq!(
            s.required_move(c("C-1")),
            Some(Barrier::FamilyBlocked {
                family: f1,
                blocking_case: c("C-2")
            })
        );
        assert_eq!(s.required_move(c("C-3")), None, "intake");
        assert_eq!(s.required_move(c("C-4")), None);
        assert_eq!(team(false).required_move(c("C-1")), None);
    }

    #[test]
    fn liftable_rules_are_max_cases_of_available_workers_pins_families_then_the_budget() {
        let s = team(true);
        let (w, c) = ids(&s);
        let f1 = s.families.by_id("F-1").expect("family");
        let f2 = s.families.by_id("F-2").expect("family");
        assert_eq!(
            s.liftable_rules(true),
            vec![
                HardRule::MaxCases(w("ana")),
                HardRule::Pin(c("C-4")),
                HardRule::Family(f1),
                HardRule::Family(f2),
                HardRule::MoveBudget
            ]
        );
        assert_eq!(
            team(false).liftable_rules(false),
            vec![HardRule::MaxCases(w("ana")), HardRule::Pin(c("C-4"))]
        );
        let mut lifted = s.clone();
        lifted.lift(&HardRule::Family(f1), &s.families);
        lifted.regroup_families();
        assert_eq!(lifted.families.len(), 1);
        assert_eq!(lifted.moves_with(c("C-1")), vec![c("C-1")]);
    }

    #[test]
    fn nobody_may_hold_says_why() {
        let s = team(true);
        let (_, c) = ids(&s);
        // C-2 needs `spanish`: ana is avoided, cy is on leave.
        let why = s.why_unholdable(c("C-2"));
        assert_eq!(
            why.sentence(&s),
            "the only available workers with its skills (ana) are on its `avoid` list"
        );
        let family = s.moves_with(c("C-1"));
        assert_eq!(
            s.why_group_unholdable(&family, None).sentence(&s),
            "family `F-1`: case `C-2` cannot be held by anyone (the only available workers with its skills (ana) are on its `avoid` list), and the family stays together"
        );
    }
}
