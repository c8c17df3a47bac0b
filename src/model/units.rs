//! Assignment units: what the integer program places, one decision per unit.
//!
//! A unit is a single case, or a whole family when the policy keeps families together (its cases
//! end with one worker, so they are one decision; their needs and avoid lists combine). Each unit
//! knows the workers allowed to take it and what each choice costs in reassignments. Units nobody
//! may take are set aside with the reason, never silently dropped.

use std::collections::BTreeMap;

use crate::domain::{CaseIdx, IndexVec, Points, Scenario, StaffIdx};

/// Which job the proposal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Place intake and move existing cases where equity needs it, within the move budget.
    Rebalance,
    /// Place intake only: existing holders kept, except required reassignments and families
    /// split today.
    Assign,
}

/// Why a case with a holder today must leave that holder whatever else happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequiredReason {
    /// The holder is on leave.
    HolderOnLeave,
    /// The holder lacks skills the case needs.
    HolderLacks(Vec<String>),
    /// The holder is on the case's avoid list.
    HolderAvoided,
    /// The family stays together, and the holder cannot hold another of its cases (a need they
    /// lack, or an avoid list naming them): the whole family must go elsewhere.
    FamilyCannotStay {
        /// The family.
        family: String,
        /// The case the holder cannot hold.
        blocking_case: CaseIdx,
    },
}

/// One decision of the program.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its cases, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// The family, when the unit is one.
    pub family: Option<String>,
    /// Total weight.
    pub weight: Points,
    /// Workers who may take it, in staff order.
    pub allowed: Vec<StaffIdx>,
    /// Current holders of its held cases, each with whether the case must leave them.
    pub holders: Vec<(StaffIdx, bool)>,
    /// Workers named in `prefer`, one entry per case that prefers them.
    pub preferred: Vec<StaffIdx>,
}

impl Unit {
    /// Number of cases.
    pub fn count(&self) -> u32 {
        self.cases.len() as u32
    }

    /// Reassignments if the unit goes to `worker`: (all of them, discretionary ones).
    pub fn moves_to(&self, worker: StaffIdx) -> (u32, u32) {
        let mut all = 0;
        let mut discretionary = 0;
        for (holder, required) in &self.holders {
            if *holder != worker {
                all += 1;
                if !required {
                    discretionary += 1;
                }
            }
        }
        (all, discretionary)
    }

    /// Number of its cases that prefer `worker`.
    pub fn preference_for(&self, worker: StaffIdx) -> u32 {
        self.preferred.iter().filter(|w| **w == worker).count() as u32
    }
}

/// Cases no worker may hold, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaceable {
    /// The cases (a whole family when the family cannot be placed).
    pub cases: Vec<CaseIdx>,
    /// The family, when the reason concerns a family.
    pub family: Option<String>,
    /// Why, in a supervisor's words.
    pub reason: String,
}

/// The units of a scenario, ready to be modelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// Units that some worker may take.
    pub units: Vec<Unit>,
    /// Cases that no worker may take.
    pub unplaceable: Vec<Unplaceable>,
}

/// Why each case must leave its current holder, for the cases that must: the holder is on
/// leave, lacks a need of the case, is on its avoid list, or (with families kept together)
/// cannot hold another case of its family.
pub fn required_reasons(scenario: &Scenario) -> IndexVec<CaseIdx, Option<RequiredReason>> {
    let mut families: BTreeMap<&str, Vec<CaseIdx>> = BTreeMap::new();
    if scenario.policy.keep_families_together {
        for (ci, case) in scenario.cases.iter_enumerated() {
            if let Some(f) = &case.family {
                families.entry(f).or_default().push(ci);
            }
        }
    }
    let reasons = scenario
        .cases
        .iter_enumerated()
        .map(|(ci, c)| {
            let holder_idx = c.assigned?;
            let holder = &scenario.staff[holder_idx];
            if !holder.available {
                return Some(RequiredReason::HolderOnLeave);
            }
            let missing: Vec<String> = c
                .needs
                .iter()
                .filter(|n| holder.skills.binary_search(n).is_err())
                .cloned()
                .collect();
            if !missing.is_empty() {
                return Some(RequiredReason::HolderLacks(missing));
            }
            if c.avoid.contains(&holder_idx) {
                return Some(RequiredReason::HolderAvoided);
            }
            let family = c.family.as_deref()?;
            let blocking_case = families
                .get(family)?
                .iter()
                .copied()
                .find(|other| *other != ci && !scenario.may_hold(holder_idx, *other))?;
            Some(RequiredReason::FamilyCannotStay {
                family: family.to_string(),
                blocking_case,
            })
        })
        .collect();
    IndexVec::from_vec(reasons)
}

/// Groups cases into units and works out who may take each.
pub fn build_units(scenario: &Scenario, mode: Mode) -> Units {
    let required = required_reasons(scenario);
    let mut groups: Vec<(Option<String>, Vec<CaseIdx>)> = Vec::new();
    let mut family_slot: BTreeMap<&str, usize> = BTreeMap::new();
    for (ci, case) in scenario.cases.iter_enumerated() {
        match (&case.family, scenario.policy.keep_families_together) {
            (Some(f), true) => match family_slot.get(f.as_str()) {
                Some(slot) => groups[*slot].1.push(ci),
                None => {
                    family_slot.insert(f, groups.len());
                    groups.push((Some(f.clone()), vec![ci]));
                }
            },
            _ => groups.push((None, vec![ci])),
        }
    }

    let mut units = Vec::new();
    let mut unplaceable = Vec::new();
    for (family, cases) in groups {
        // A family of one is just a case.
        let family = family.filter(|_| cases.len() > 1);
        let pinned_to = cases
            .iter()
            .find(|c| scenario.cases[**c].pinned)
            .and_then(|c| scenario.cases[*c].assigned);
        let mut allowed: Vec<StaffIdx> = scenario
            .staff
            .indices()
            .filter(|w| cases.iter().all(|c| scenario.may_hold(*w, *c)))
            .filter(|w| pinned_to.is_none_or(|p| p == *w))
            .collect();
        let holders: Vec<(StaffIdx, bool)> = cases
            .iter()
            .filter_map(|c| {
                scenario.cases[*c]
                    .assigned
                    .map(|h| (h, required[*c].is_some()))
            })
            .collect();

        if allowed.is_empty() {
            let reason = unplaceable_reason(scenario, &cases, family.as_deref(), pinned_to);
            unplaceable.push(Unplaceable {
                cases,
                family,
                reason,
            });
            continue;
        }

        if mode == Mode::Assign {
            // Existing holders stay, unless a case must move or the family is split today.
            let first = holders.first().map(|h| h.0);
            let one_holder = first.is_some_and(|h| holders.iter().all(|(x, req)| *x == h && !req));
            if let (true, Some(h)) = (one_holder, first) {
                if allowed.contains(&h) {
                    allowed = vec![h];
                }
            }
        }

        let weight = cases.iter().map(|c| scenario.cases[*c].weight).sum();
        let preferred = cases
            .iter()
            .flat_map(|c| scenario.cases[*c].prefer.iter().copied())
            .collect();
        units.push(Unit {
            cases,
            family,
            weight,
            allowed,
            holders,
            preferred,
        });
    }
    Units { units, unplaceable }
}

/// Why no worker may take a group of cases.
fn unplaceable_reason(
    scenario: &Scenario,
    cases: &[CaseIdx],
    family: Option<&str>,
    pinned_to: Option<StaffIdx>,
) -> String {
    if let [single] = cases {
        return crate::input::validate::unholdable_reason(scenario, *single);
    }
    let family = family.unwrap_or("?");
    // Is one of its cases unholdable on its own?
    for c in cases {
        if !scenario.staff.indices().any(|w| scenario.may_hold(w, *c)) {
            return format!(
                "family `{family}`: case `{}` cannot be held by anyone ({}), and the family stays together",
                scenario.cases[*c].id,
                crate::input::validate::unholdable_reason(scenario, *c)
            );
        }
    }
    if let Some(p) = pinned_to {
        return format!(
            "family `{family}` is pinned to `{}`, who cannot hold all of its cases",
            scenario.staff[p].id
        );
    }
    let mut needs: Vec<&str> = cases
        .iter()
        .flat_map(|c| scenario.cases[*c].needs.iter().map(String::as_str))
        .collect();
    needs.sort();
    needs.dedup();
    if needs.is_empty() {
        format!(
            "family `{family}`: every available worker is on the avoid list of one of its cases"
        )
    } else {
        format!(
            "family `{family}` together needs {}; no available worker has all of them and is on no case's avoid list",
            needs.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        )
    }
}
