//! Random small teams for property tests: 1-5 workers, 1-8 cases, every rule the solver knows
//! (leave, skills, `max_cases`, needs, families, pins, avoid and prefer lists) and a policy, with
//! all case weights multiples of one step (1, 1/2, 1/4, 1/3 or 1/10) so that equal loads are
//! common. A team prints as its scenario file, which is what a shrunk failure shows.

use std::fmt;

use proptest::collection::vec;
use proptest::prelude::*;

use super::Team;

/// Skills workers have and cases need.
const SKILLS: [&str; 2] = ["spanish", "asl"];
/// Capacities in points: whole and half points, small next to the weights so that loads bind.
const CAPACITIES: [f64; 7] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0];
/// The steps of case weights, as denominators: 1, 1/2, 1/4, 1/3, 1/10.
const STEPS: [u32; 5] = [1, 2, 4, 3, 10];
/// Heaviest case, in points.
const MAX_WEIGHT: u32 = 4;
/// Target utilizations.
const TARGETS: [f64; 5] = [0.8, 0.9, 1.0, 1.1, 1.2];

/// One worker.
#[derive(Debug, Clone)]
pub struct RandomWorker {
    pub capacity: f64,
    pub max_cases: Option<u32>,
    pub skills: Vec<&'static str>,
    pub available: bool,
}

/// One case; workers are named by index.
#[derive(Debug, Clone)]
pub struct RandomCase {
    /// Weight in steps of the team's step.
    pub steps: u32,
    pub needs: Vec<&'static str>,
    pub assigned: Option<usize>,
    pub family: Option<u8>,
    pub pinned: bool,
    pub avoid: Vec<usize>,
    pub prefer: Vec<usize>,
}

/// The `[policy]` of a team.
#[derive(Debug, Clone)]
pub struct RandomPolicy {
    pub max_moves: u32,
    pub target_utilization: f64,
    pub equity_tolerance: f64,
    pub keep_families_together: bool,
}

/// A team: workers, cases, policy and the step of its weights (a denominator).
#[derive(Clone)]
pub struct RandomTeam {
    pub step: u32,
    pub workers: Vec<RandomWorker>,
    pub cases: Vec<RandomCase>,
    pub policy: RandomPolicy,
}

/// The ids a team is written with: plain ones (`w0`, `C1`, `F0`), or any text a file may hold;
/// and workers' display names, if any.
#[derive(Debug, Clone)]
pub struct Ids {
    pub workers: Vec<String>,
    pub names: Vec<String>,
    pub cases: Vec<String>,
    pub families: Vec<String>,
}

impl Ids {
    /// `w0`, `w1`, ... for workers, `C1`, `C2`, ... for cases, `F0`, `F1`, ... for families.
    pub fn plain() -> Self {
        Ids {
            workers: (0..5).map(|w| format!("w{w}")).collect(),
            names: Vec::new(),
            cases: (1..=8).map(|c| format!("C{c}")).collect(),
            families: (0..3).map(|f| format!("F{f}")).collect(),
        }
    }
}

impl RandomTeam {
    /// A case's weight in points.
    pub fn weight(&self, case: &RandomCase) -> f64 {
        f64::from(case.steps) / f64::from(self.step)
    }

    /// The team as a scenario file.
    pub fn toml(&self) -> String {
        self.toml_with(&Ids::plain())
    }

    /// The team as a scenario file with these ids.
    pub fn toml_with(&self, ids: &Ids) -> String {
        let p = &self.policy;
        let mut team = Team::new()
            .policy("max_moves", i64::from(p.max_moves))
            .policy("target_utilization", p.target_utilization)
            .policy("equity_tolerance", p.equity_tolerance)
            .policy("balance_band", 0.05)
            .policy("keep_families_together", p.keep_families_together);
        for (w, worker) in self.workers.iter().enumerate() {
            team = team.staff(&ids.workers[w], |mut s| {
                s = s.capacity(worker.capacity).skills(&worker.skills);
                if let Some(name) = ids.names.get(w) {
                    s = s.name(name);
                }
                if let Some(m) = worker.max_cases {
                    s = s.max_cases(m);
                }
                if !worker.available {
                    s = s.available(false);
                }
                s
            });
        }
        for (c, case) in self.cases.iter().enumerate() {
            let named = |workers: &[usize]| {
                workers
                    .iter()
                    .map(|w| ids.workers[*w].as_str())
                    .collect::<Vec<_>>()
            };
            let (avoid, prefer) = (named(&case.avoid), named(&case.prefer));
            team = team.case(&ids.cases[c], |mut k| {
                k = k.acuity(self.weight(case));
                if !case.needs.is_empty() {
                    k = k.needs(&case.needs);
                }
                if let Some(w) = case.assigned {
                    k = k.assigned(&ids.workers[w]);
                }
                if let Some(f) = case.family {
                    k = k.family(&ids.families[usize::from(f)]);
                }
                if case.pinned {
                    k = k.pinned();
                }
                if !avoid.is_empty() {
                    k = k.avoid(&avoid);
                }
                if !prefer.is_empty() {
                    k = k.prefer(&prefer);
                }
                k
            });
        }
        team.toml()
    }
}

impl fmt::Debug for RandomTeam {
    /// The scenario file, so that a failure shows the input as a user would write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.toml())
    }
}

/// Members of `0..n` where `picked` is true.
fn indices(picked: Vec<bool>) -> Vec<usize> {
    picked
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| p.then_some(i))
        .collect()
}

/// Skills where `picked` is true.
fn skills(picked: Vec<bool>) -> Vec<&'static str> {
    indices(picked).into_iter().map(|i| SKILLS[i]).collect()
}

fn worker() -> impl Strategy<Value = RandomWorker> {
    (
        prop::sample::select(&CAPACITIES[..]),
        prop::option::weighted(0.3, 0u32..=4),
        vec(prop::bool::weighted(0.3), SKILLS.len()),
        prop::bool::weighted(0.85),
    )
        .prop_map(|(capacity, max_cases, picked, available)| RandomWorker {
            capacity,
            max_cases,
            skills: skills(picked),
            available,
        })
}

fn case(workers: usize, step: u32) -> impl Strategy<Value = RandomCase> {
    (
        0..=MAX_WEIGHT * step,
        vec(prop::bool::weighted(0.2), SKILLS.len()),
        prop::option::weighted(0.6, 0..workers),
        prop::option::weighted(0.4, 0u8..3),
        prop::bool::weighted(0.15),
        vec(prop::bool::weighted(0.1), workers),
        vec(prop::bool::weighted(0.1), workers),
    )
        .prop_map(
            |(steps, needs, assigned, family, pinned, avoid, prefer)| RandomCase {
                steps,
                needs: skills(needs),
                assigned,
                family,
                // Only a case with a holder can be pinned; the rest would just be skipped.
                pinned: pinned && assigned.is_some(),
                avoid: indices(avoid),
                prefer: indices(prefer),
            },
        )
}

fn policy() -> impl Strategy<Value = RandomPolicy> {
    (
        0u32..=4,
        prop::sample::select(&TARGETS[..]),
        prop::sample::select(&[0.0, 0.01][..]),
        any::<bool>(),
    )
        .prop_map(
            |(max_moves, target_utilization, equity_tolerance, keep)| RandomPolicy {
                max_moves,
                target_utilization,
                equity_tolerance,
                keep_families_together: keep,
            },
        )
}

/// Teams of 1-5 workers and 1-8 cases.
pub fn team() -> impl Strategy<Value = RandomTeam> {
    (vec(worker(), 1..=5), prop::sample::select(&STEPS[..])).prop_flat_map(|(workers, step)| {
        let n = workers.len();
        (vec(case(n, step), 1..=8), policy()).prop_map(move |(cases, policy)| RandomTeam {
            step,
            workers: workers.clone(),
            cases,
            policy,
        })
    })
}

/// Text an id may be: plain, any printable characters, quotes and markup, formula starts, emoji
/// and combining marks, long.
fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        "\\PC{1,16}",
        "[\"'\\\\ <>&=,;%#\\[\\]{}]{1,6}",
        // Formula characters inside the text (at its start they are refused, see input::limits).
        "[A-Z][=+@-][A-Z]{1,3}\\(?[0-9]{0,3}\\)?",
        "[\u{1F600}-\u{1F64F}\u{0301}\u{200B}]{1,4}",
        "[a-z]{150,190}",
    ]
}

/// `count` distinct ids made of [`odd_text`] (a number after each keeps them apart).
fn odd_ids(count: usize) -> impl Strategy<Value = Vec<String>> {
    vec(odd_text(), count).prop_map(|texts| {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, t)| format!("{t}{i}"))
            .collect()
    })
}

/// Ids for the largest team [`team`] makes, any text a file may hold.
pub fn odd_team_ids() -> impl Strategy<Value = Ids> {
    (odd_ids(5), vec(odd_text(), 5), odd_ids(8), odd_ids(3)).prop_map(
        |(workers, names, cases, families)| Ids {
            workers,
            names,
            cases,
            families,
        },
    )
}
