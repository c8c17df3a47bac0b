//! The validated picture of a team: staff, cases and the acuity model, ready to solve.
//!
//! Everything here has passed validation: ids are unique, references resolve to indices, numbers
//! are finite and in range, weights and capacities are computed. Later stages (the integer program,
//! the checker, reports) read these types and never the raw input.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

pub mod families;
pub mod index;
pub mod location;
pub mod names;
pub mod rules;

pub use families::{Families, Family, FamilyIdx};
pub use index::{CaseIdx, IndexVec, StaffIdx};
pub use location::Location;

/// A skill a worker has or a case needs (a language, a licence, a specialty), spelled as it was
/// first written: one spelling per skill in a validated scenario (see [`names`]).
pub type Skill = String;

/// Acuity points: the intensity of a case, or of a worker's whole load.
pub type Points = f64;

/// How a case's base acuity was given.
#[derive(Debug, Clone, PartialEq)]
pub enum Acuity {
    /// A level of the model, e.g. `"high"`, with its value.
    Level {
        /// The level's name, as the model spells it.
        name: String,
        /// Its points in the model.
        points: Points,
    },
    /// A plain number of points.
    Points(Points),
}

impl Acuity {
    /// The base points before factors.
    pub fn points(&self) -> Points {
        match self {
            Acuity::Level { points, .. } => *points,
            Acuity::Points(p) => *p,
        }
    }
}

impl fmt::Display for Acuity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Acuity::Level { name, points } => write!(f, "{name} ({points})"),
            Acuity::Points(p) => write!(f, "{p}"),
        }
    }
}

/// Full-time equivalent above this is surely a slip (hours typed for a fraction): the most a
/// worker, a hire or a hiring profile may have.
pub const MAX_FTE: f64 = 1.5;

/// Points of `load` above `target` utilization of `capacity`: the overload the policy counts.
/// Every step, figure and search move measures overload with it.
pub fn overload(load: Points, capacity: Points, target: f64) -> Points {
    (load - target * capacity).max(0.0)
}

/// Whether `load` is above `target` utilization of `capacity`: the worker carries overload
/// (rounding noise aside).
pub fn over_target(load: Points, capacity: Points, target: f64) -> bool {
    load > target * capacity + 1e-9
}

/// Whether `load` is above `capacity` itself: above 100% utilization (rounding noise aside).
pub fn over_capacity(load: Points, capacity: Points) -> bool {
    load > capacity + 1e-9
}

/// One case manager.
#[derive(Debug, Clone, PartialEq)]
pub struct Staff {
    /// Unique id, as in the input.
    pub id: String,
    /// Display name, if given.
    pub name: Option<String>,
    /// Full-time equivalent, > 0.
    pub fte: f64,
    /// Acuity points this worker carries at 100% utilization.
    pub capacity: Points,
    /// Hard cap on the number of cases, if any.
    pub max_cases: Option<u32>,
    /// Skills, sorted.
    pub skills: Vec<Skill>,
    /// False when on leave: holds no case after a solve.
    pub available: bool,
    /// Where the worker is defined.
    pub origin: Location,
}

impl Staff {
    /// Utilization at `load`: load over capacity.
    pub fn utilization(&self, load: Points) -> f64 {
        load / self.capacity
    }
}

/// One case (a client, a member, a child).
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Unique id, as in the input.
    pub id: String,
    /// Base acuity.
    pub acuity: Acuity,
    /// Factors that add points (named as the model spells them), with their points, in input
    /// order.
    pub factors: Vec<(String, Points)>,
    /// Base acuity plus factor points.
    pub weight: Points,
    /// Skills the holder must have, sorted.
    pub needs: Vec<Skill>,
    /// Current holder; `None` for new intake.
    pub assigned: Option<StaffIdx>,
    /// Family id, if the case belongs to one.
    pub family: Option<String>,
    /// True: stays with `assigned`.
    pub pinned: bool,
    /// Workers who must never hold the case, sorted.
    pub avoid: Vec<StaffIdx>,
    /// Workers the case would rather have, in input order (unknown ids dropped with a warning).
    pub prefer: Vec<StaffIdx>,
    /// Where the case is defined (a TOML line or a CSV row).
    pub origin: Location,
}

impl Case {
    /// True for a case with no holder today.
    pub fn is_intake(&self) -> bool {
        self.assigned.is_none()
    }
}

/// The rules of a run that an agency sets, with their sources resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Cap on discretionary reassignments per run.
    pub max_moves: u32,
    /// Load above `target_utilization * capacity` is overload.
    pub target_utilization: f64,
    /// Utilization points of equity that fewer moves may cost.
    pub equity_tolerance: f64,
    /// The balance guarantee's band: no unit is left with a worker when a colleague who may
    /// take it would still end more than this many utilization points below that worker.
    pub balance_band: f64,
    /// Cases of one family end with one worker.
    pub keep_families_together: bool,
    /// Where `max_moves` was set, so a conflict involving the budget can name it.
    pub max_moves_source: Source,
}

/// Where a setting comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The built-in default.
    BuiltIn,
    /// A key in a file.
    File(Location),
    /// A command-line option, by name.
    CommandLine(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::BuiltIn => write!(f, "the built-in default"),
            Source::File(at) => write!(f, "{at}"),
            Source::CommandLine(option) => write!(f, "the command line ({option})"),
        }
    }
}

impl Default for Policy {
    /// The built-in defaults (those of `models/standard.toml`).
    fn default() -> Self {
        Policy {
            max_moves: 20,
            target_utilization: 1.0,
            equity_tolerance: 0.01,
            balance_band: 0.05,
            keep_families_together: true,
            max_moves_source: Source::BuiltIn,
        }
    }
}

/// An acuity scale: how to turn a case's description into points, and how many points a worker
/// carries.
#[derive(Debug, Clone, PartialEq)]
pub struct AcuityModel {
    /// The model's name.
    pub name: String,
    /// The file it came from; `None` for the built-in default.
    pub path: Option<PathBuf>,
    /// Points one full-time worker carries at 100% utilization.
    pub points_per_fte: Points,
    /// Named levels and their points; no two names are one name (see [`names`]), so look a
    /// level up with [`AcuityModel::level`].
    pub levels: BTreeMap<String, Points>,
    /// Factors and the points each adds; looked up with [`AcuityModel::factor`].
    pub factors: BTreeMap<String, Points>,
}

/// A validated scenario: a team, its cases, its model and its policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Display name (the file stem when the file gives none).
    pub name: String,
    /// The scenario file.
    pub path: PathBuf,
    /// The acuity model in force.
    pub model: AcuityModel,
    /// The policy in force (model, then scenario overrides).
    pub policy: Policy,
    /// The team, in input order.
    pub staff: IndexVec<StaffIdx, Staff>,
    /// The cases, TOML cases first, then CSV rows, in input order.
    pub cases: IndexVec<CaseIdx, Case>,
    /// The cases grouped by family, derived from `cases` (see [`Scenario::regroup_families`]).
    pub families: Families,
}

impl Scenario {
    /// Looks a worker up by id.
    pub fn staff_by_id(&self, id: &str) -> Option<StaffIdx> {
        self.staff
            .iter_enumerated()
            .find(|(_, s)| s.id == id)
            .map(|(i, _)| i)
    }

    /// Looks a case up by id.
    pub fn case_by_id(&self, id: &str) -> Option<CaseIdx> {
        self.cases
            .iter_enumerated()
            .find(|(_, c)| c.id == id)
            .map(|(i, _)| i)
    }

    /// The capacity of a full-time worker as this team sets it: the median capacity per FTE of
    /// the available workers (the mean of the middle two when their number is even); `None`
    /// when no worker is available.
    pub fn typical_full_time_capacity(&self) -> Option<Points> {
        let mut per_fte: Vec<Points> = self
            .staff
            .iter()
            .filter(|s| s.available && s.fte > 0.0)
            .map(|s| s.capacity / s.fte)
            .collect();
        per_fte.sort_by(f64::total_cmp);
        let n = per_fte.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(per_fte[n / 2]),
            _ => Some((per_fte[n / 2 - 1] + per_fte[n / 2]) / 2.0),
        }
    }

    /// Adds a new worker with no cases: available, no `max_cases`, the model's points per FTE
    /// (a what-if hire, a staffing candidate).
    pub fn add_hire(
        &mut self,
        id: String,
        name: Option<String>,
        fte: f64,
        skills: Vec<Skill>,
        origin: Location,
    ) -> StaffIdx {
        self.staff.push(Staff {
            id,
            name,
            fte,
            capacity: self.model.points_per_fte * fte,
            max_cases: None,
            skills,
            available: true,
            origin,
        });
        StaffIdx::from(self.staff.len() - 1)
    }

    /// Groups the cases by family again, after cases were added, removed or given another
    /// family.
    pub fn regroup_families(&mut self) {
        self.families = Families::of(self.cases.as_slice());
    }

    /// Each worker's load today: the sum of the weights of the cases they hold.
    pub fn loads_today(&self) -> IndexVec<StaffIdx, Points> {
        let mut loads = vec![0.0; self.staff.len()];
        for case in self.cases.iter() {
            if let Some(holder) = case.assigned {
                loads[holder.index()] += case.weight;
            }
        }
        IndexVec::from_vec(loads)
    }

    /// Each worker's number of cases today.
    pub fn case_counts_today(&self) -> IndexVec<StaffIdx, u32> {
        let mut counts = vec![0u32; self.staff.len()];
        for case in self.cases.iter() {
            if let Some(holder) = case.assigned {
                counts[holder.index()] += 1;
            }
        }
        IndexVec::from_vec(counts)
    }
}

#[cfg(test)]
mod tests {
    use crate::input::{load_scenario, LoadOptions};

    #[test]
    fn a_full_time_worker_carries_the_median_per_fte_of_the_available_staff() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("team.toml");
        let staff = [
            ("a", 1.0, 30.0, true),
            ("b", 0.5, 20.0, true),
            ("c", 1.0, 50.0, true),
            ("d", 1.0, 90.0, false),
            ("e", 1.0, 34.0, true),
        ];
        let text: String = staff
            .iter()
            .map(|(id, fte, capacity, available)| {
                format!("[[staff]]\nid = \"{id}\"\nfte = {fte}\ncapacity = {capacity}\navailable = {available}\n")
            })
            .collect();
        std::fs::write(&path, text).expect("write team");
        let mut scenario = load_scenario(&path, &LoadOptions::default())
            .expect("team loads")
            .scenario;
        // Per FTE, available: 30, 40, 50 and 34; `d`, on leave, does not count.
        assert_eq!(scenario.typical_full_time_capacity(), Some(37.0));
        scenario.staff[4.into()].available = false;
        assert_eq!(scenario.typical_full_time_capacity(), Some(40.0));
        scenario.staff.iter_mut().for_each(|s| s.available = false);
        assert_eq!(scenario.typical_full_time_capacity(), None);
    }
}
