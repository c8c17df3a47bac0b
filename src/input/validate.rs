//! Checks raw entries against each other and the model, and builds the domain [`Scenario`].
//!
//! Every rule that can be checked without solving lives here: unique ids, references that
//! resolve, numbers in range, known levels and factors, pins that can be honoured. Problems that
//! make the input unusable are errors; things that are legal but likely unintended (a preferred
//! worker who does not exist, a case nobody may hold, a worker over capacity today) are warnings.
//!
//! What this module finds is about entries, never about the files' form ([`Stage::Entry`] at
//! least); a check that depends on another entry or on the model says so
//! ([`Stage::Reference`]), so that the problems it finds are listed after their likely cause.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::domain::rules::{own_barrier_of, Barrier};
use crate::domain::{
    Acuity, AcuityModel, Case, Families, IndexVec, Policy, Scenario, Staff, StaffIdx, MAX_FTE,
};
use crate::input::diagnostic::{Diagnostic, Diagnostics, Location, Reference, Stage};
use crate::input::limits;
use crate::input::raw::{At, Field, RawCase, RawScenario, RawStaff, CASE_KEYS};
use crate::input::spellings::ScenarioNames;
use crate::input::suggest::did_you_mean;
use crate::input::toml_reader::NumberOrName;

/// Everything validation needs besides the raw entries.
pub struct ValidationInput {
    /// The scenario file.
    pub path: PathBuf,
    /// Display name when the file gives none.
    pub default_name: String,
    /// The raw scenario.
    pub raw: RawScenario,
    /// Cases read from the CSV file, after the TOML cases.
    pub csv_cases: Vec<RawCase>,
    /// The model in force.
    pub model: AcuityModel,
    /// How it was chosen, for a message that points at the choice.
    pub model_choice: ModelChoice,
    /// Policy after model and scenario overrides.
    pub policy: Policy,
}

/// How the model in force was chosen.
#[derive(Debug, Clone)]
pub enum ModelChoice {
    /// By the `model` key of a scenario file, written here.
    Key(At),
    /// By `--model`.
    CommandLine,
    /// By neither: the built-in model.
    BuiltIn,
}

/// Validates and builds the scenario; `None` when there were errors (all of them in `diags`).
pub fn validate(input: ValidationInput, diags: &mut Diagnostics) -> Option<Scenario> {
    let errors_before = diags.error_count();
    let found_before = diags.len();
    let ValidationInput {
        path,
        default_name,
        raw,
        csv_cases,
        model,
        model_choice,
        policy,
    } = input;

    // A staff CSV or workbook that could not be read is already reported: its rows are missing.
    let staff_file_failed =
        (raw.staff_csv.is_some() || raw.workbook.is_some()) && diags.has_errors();
    if raw.staff.is_empty() && !staff_file_failed {
        diags.push(
            Diagnostic::error(Location::file(&path), "the scenario lists no staff")
                .with_help("add at least one worker under a `[[staff]]` header with an `id`, or name a `staff_csv` file or a `workbook` with a `Staff` sheet"),
        );
    }

    let mut names = ScenarioNames::new(&model);
    let staff = validate_staff(&raw.staff, &model, &mut names, diags);
    let checker = CaseChecker::new(&model, &staff);
    let mut seen_cases: HashMap<String, At> = HashMap::new();
    let mut levels = LevelsNamed::default();
    let cases: Vec<Case> = ReleasingInOrder::new(raw.cases)
        .chain(csv_cases)
        .filter_map(|rc| {
            levels.count(&rc, &names);
            checker.case(&rc, &mut seen_cases, &mut names, diags)
        })
        .collect();
    names.warn(diags);

    let scenario = Scenario {
        name: raw
            .name
            .filter(|n| printable_id(n, "scenario name", diags))
            .map(|n| n.value)
            .unwrap_or(default_name),
        path,
        model,
        policy,
        staff: IndexVec::from_vec(staff),
        families: Families::of(&cases),
        cases: IndexVec::from_vec(cases),
    };
    if scenario.policy.keep_families_together {
        check_family_pins(&scenario, diags);
    }
    diags.found_at_least(found_before, Stage::Entry);
    if let Some(wrong) = levels.wrong_model(&scenario, &model_choice) {
        diags.push(wrong);
    }

    if diags.error_count() > errors_before {
        return None;
    }
    warn_unholdable_and_overloaded(&scenario, diags);
    Some(scenario)
}

/// How many cases give their acuity as a level name, and how many of those the model lacks: when
/// most do, the model named is the likely mistake, not each case.
#[derive(Debug, Default)]
struct LevelsNamed {
    named: usize,
    unknown: usize,
}

impl LevelsNamed {
    /// Fewest unknown levels that point at the model rather than at the cases.
    const MANY: usize = 6;

    fn count(&mut self, rc: &RawCase, names: &ScenarioNames) {
        if let Some(Field {
            value: NumberOrName::Name(name),
            ..
        }) = &rc.acuity
        {
            self.named += 1;
            self.unknown += usize::from(!names.knows_level(name));
        }
    }

    /// The problem with the model, located where it was chosen, when most of the levels the
    /// cases name are not its own.
    fn wrong_model(&self, scenario: &Scenario, choice: &ModelChoice) -> Option<Diagnostic> {
        if self.unknown < Self::MANY || self.unknown * 2 <= self.named {
            return None;
        }
        let model = &scenario.model;
        let levels: Vec<&str> = model.levels.keys().map(String::as_str).collect();
        let message = format!(
            "{} of the {} cases that give an acuity level give one that model \"{}\" does not define (its levels are: {})",
            self.unknown,
            self.named,
            model.name,
            levels.join(", ")
        );
        let model_file = || Location::file(model.path.as_deref().unwrap_or(&scenario.path));
        let wrong = match choice {
            ModelChoice::Key(at) => at.error(message).with_help(
                "check that `model` names the model these cases were written for; the cases' errors follow",
            ),
            ModelChoice::CommandLine => Diagnostic::error(model_file(), message).with_help(
                "check that --model names the model these cases were written for; the cases' errors follow",
            ),
            ModelChoice::BuiltIn => Diagnostic::error(Location::file(&scenario.path), message)
                .with_help(format!(
                    "the scenario names no `model`, so the built-in model \"{}\" is in force: add `model = \"...\"` naming the model file these cases were written for",
                    model.name
                )),
        };
        Some(wrong)
    }
}

/// Raw entries handed over one by one, in order, the memory of those handed over returned as it
/// goes: on a large scenario the raw cases and the validated ones are then not all in memory at
/// once.
struct ReleasingInOrder<T> {
    /// The entries not yet handed over, last first.
    reversed: Vec<T>,
}

impl<T> ReleasingInOrder<T> {
    fn new(mut entries: Vec<T>) -> Self {
        entries.reverse();
        ReleasingInOrder { reversed: entries }
    }
}

impl<T> Iterator for ReleasingInOrder<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let next = self.reversed.pop()?;
        // Shrinking whenever an eighth more is handed over keeps what is held close to what is
        // left; were every shrink a copy, all of them together would copy the entries at most
        // eight times.
        if self.reversed.len() < self.reversed.capacity() / 8 * 7 {
            self.reversed.shrink_to_fit();
        }
        Some(next)
    }
}

fn validate_staff(
    raw: &[RawStaff],
    model: &AcuityModel,
    names: &mut ScenarioNames,
    diags: &mut Diagnostics,
) -> Vec<Staff> {
    let mut seen: HashMap<&str, &At> = HashMap::new();
    let mut staff = Vec::new();
    for rs in raw {
        let Some(id) = staff_id(rs, &mut seen, diags) else {
            continue;
        };
        // After a range error the worker is kept with a stand-in value (the load fails anyway),
        // so cases that name them get no false "not on the staff list" errors.
        let fte = fte(rs, &id.value, diags);
        let capacity = capacity(rs, &id.value, model.points_per_fte * fte, diags);
        let max_cases = max_cases(rs, &id.value, diags);
        within_list_limit(&rs.skills, "skills", &id.value, diags);
        for skill in &rs.skills {
            printable_id(skill, "skill", diags);
        }
        if let Some(name) = &rs.name {
            printable_id(name, "name", diags);
        }
        let mut skills: Vec<String> = rs.skills.iter().map(|s| names.staff_skill(s)).collect();
        skills.sort();
        skills.dedup();
        staff.push(Staff {
            id: id.value.clone(),
            name: rs.name.as_ref().map(|n| n.value.clone()),
            fte,
            capacity,
            max_cases,
            skills,
            available: rs.available.as_ref().map(|a| a.value).unwrap_or(true),
            origin: rs.at.location(),
        });
    }
    staff
}

/// The worker's id when it is given, not empty and not used before (then it is recorded in
/// `seen`); `None` after an error.
fn staff_id<'r>(
    rs: &'r RawStaff,
    seen: &mut HashMap<&'r str, &'r At>,
    diags: &mut Diagnostics,
) -> Option<&'r Field<String>> {
    let Some(id) = &rs.id else {
        if !rs.id_given {
            diags.push(
                rs.at
                    .error("this [[staff]] entry has no `id`")
                    .with_help("add `id = \"...\"`: a short unique name such as \"alice\""),
            );
        } // else its type is wrong, already reported
        return None;
    };
    if id.value.trim().is_empty() {
        diags.push(
            id.at
                .error("the staff `id` is empty")
                .with_help("give a short unique name such as \"alice\""),
        );
        return None;
    }
    if !printable_id(id, "staff id", diags) {
        return None;
    }
    if let Some(first) = seen.get(id.value.as_str()) {
        diags.push(
            id.at
                .error(format!("staff id `{}` is used twice", id.value))
                .with_help(format!(
                    "it is first defined at {}; give each worker a unique id",
                    first.location()
                )),
        );
        return None;
    }
    seen.insert(&id.value, &id.at);
    Some(id)
}

/// Whether the list `key` of `owner` (a worker or case id) has at most
/// [`limits::MAX_LIST_ENTRIES`] entries; reported at the first entry over the limit when not.
fn within_list_limit(
    list: &[Field<String>],
    key: &str,
    owner: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some(first_over) = list.get(limits::MAX_LIST_ENTRIES) else {
        return true;
    };
    diags.push(
        first_over
            .at
            .error(format!(
                "`{key}` of `{owner}` has {} entries, more than {}",
                list.len(),
                limits::MAX_LIST_ENTRIES
            ))
            .with_help("a list names skills, factors or workers; no team needs this many"),
    );
    false
}

/// Whether an id (or a skill or family name) is within [`limits`]: no control characters, not
/// too long. Reports it, escaped, when it is not.
fn printable_id(id: &Field<String>, what: &str, diags: &mut Diagnostics) -> bool {
    let Some(problem) = limits::id_problem(&id.value) else {
        return true;
    };
    let shown: String = id.value.chars().take(40).collect();
    diags.push(
        id.at
            .error(format!("the {what} `{}` {problem}", shown.escape_debug()))
            .with_help(format!(
                "use letters, digits, spaces and punctuation, at most {} characters",
                limits::MAX_ID_CHARS
            )),
    );
    false
}

/// `fte`: 1.0 when absent or out of range.
fn fte(rs: &RawStaff, id: &str, diags: &mut Diagnostics) -> f64 {
    match &rs.fte {
        None => 1.0,
        Some(f) if f.value < limits::MIN_FTE => {
            diags.push(
                f.at.error(format!("`fte` of `{id}` is {}, but must be at least {}", limits::shown(f.value), limits::MIN_FTE))
                    .with_help("give the worker's full-time equivalent, e.g. 1.0 or 0.5; for a worker on leave set `available = false`"),
            );
            1.0
        }
        Some(f) if f.value > MAX_FTE => {
            diags.push(
                f.at.error(format!("`fte` of `{id}` is {}, above the most a worker can be ({MAX_FTE})", f.value))
                    .with_help("fte is a fraction of full time, e.g. 1.0 or 0.5; for hours, divide by the hours of a full-time week"),
            );
            1.0
        }
        Some(f) => f.value,
    }
}

/// `capacity`: `by_fte` when absent, 1.0 when out of range.
fn capacity(rs: &RawStaff, id: &str, by_fte: f64, diags: &mut Diagnostics) -> f64 {
    match &rs.capacity {
        None => by_fte,
        Some(c) if c.value < limits::CAPACITY_RANGE.0 || c.value > limits::CAPACITY_RANGE.1 => {
            diags.push(
                c.at.error(format!("`capacity` of `{id}` is {}, but must be between {} and {}", limits::shown(c.value), limits::CAPACITY_RANGE.0, limits::CAPACITY_RANGE.1))
                    .with_help("give the acuity points the worker carries at 100%, or leave it out to use points_per_fte x fte; for a worker on leave set `available = false`"),
            );
            1.0
        }
        Some(c) => c.value,
    }
}

/// `max_cases`: no cap when absent or not a whole number 0 or more.
fn max_cases(rs: &RawStaff, id: &str, diags: &mut Diagnostics) -> Option<u32> {
    match &rs.max_cases {
        None => None,
        Some(m) if m.value < 0.0 || m.value.fract() != 0.0 || m.value > f64::from(u32::MAX) => {
            diags.push(
                m.at.error(format!(
                    "`max_cases` of `{id}` is {}, but must be a whole number 0 or more",
                    m.value
                ))
                .with_help("give the most cases this worker may hold, e.g. 25, or leave it out"),
            );
            None
        }
        Some(m) => Some(m.value as u32),
    }
}

/// What checking a case needs to know besides the case itself: the model and the staff list,
/// looked up by id. One method per group of keys, called in the order their problems are pushed.
struct CaseChecker<'a> {
    model: &'a AcuityModel,
    staff: &'a [Staff],
    staff_ids: HashMap<&'a str, StaffIdx>,
    known_ids: Vec<&'a str>,
}

impl<'a> CaseChecker<'a> {
    fn new(model: &'a AcuityModel, staff: &'a [Staff]) -> Self {
        CaseChecker {
            model,
            staff,
            staff_ids: staff
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), StaffIdx::from(i)))
                .collect(),
            known_ids: staff.iter().map(|s| s.id.as_str()).collect(),
        }
    }

    /// The case, or `None` when it has errors (all of them pushed to `diags`).
    fn case(
        &self,
        rc: &RawCase,
        seen: &mut HashMap<String, At>,
        names: &mut ScenarioNames,
        diags: &mut Diagnostics,
    ) -> Option<Case> {
        let errors_before = diags.error_count();
        let case_id = &case_id(rc, seen, diags)?.value;
        let acuity = self.acuity(rc, case_id, names, diags);
        let factors = self.factors(rc, case_id, names, diags);
        let assigned = rc
            .assigned
            .as_ref()
            .and_then(|a| self.resolve(a, "assigned", case_id, diags));
        for (key, list) in [
            ("needs", &rc.needs),
            ("factors", &rc.factors),
            ("avoid", &rc.avoid),
            ("prefer", &rc.prefer),
        ] {
            within_list_limit(list, key, case_id, diags);
        }
        let avoid = self.avoid(rc, case_id, diags);
        let prefer = self.prefer(rc, case_id, diags);
        for named in rc.needs.iter().chain(&rc.family) {
            let what = if rc.family.as_ref() == Some(named) {
                "family"
            } else {
                "skill"
            };
            printable_id(named, what, diags);
        }
        let mut needs: Vec<String> = rc
            .needs
            .iter()
            .map(|n| names.need(n, case_id, diags))
            .collect();
        needs.sort();
        needs.dedup();

        let pinned = rc.pinned.as_ref().map(|p| p.value).unwrap_or(false);
        if pinned {
            self.check_pin(rc, case_id, assigned, &needs, &avoid, diags);
        }

        if diags.error_count() > errors_before {
            return None;
        }
        let acuity = acuity?;
        let weight = acuity.points() + factors.iter().map(|(_, p)| p).sum::<f64>();
        Some(Case {
            id: case_id.clone(),
            acuity,
            factors,
            weight,
            needs,
            assigned,
            family: rc.family.as_ref().map(|f| f.value.clone()),
            pinned,
            avoid,
            prefer,
            origin: rc.at.location(),
        })
    }

    /// `acuity`: a number of points or a level of the model; `None` after an error.
    fn acuity(
        &self,
        rc: &RawCase,
        case_id: &str,
        names: &mut ScenarioNames,
        diags: &mut Diagnostics,
    ) -> Option<Acuity> {
        let model = self.model;
        match &rc.acuity {
            // Given but not usable (a value of another type): already reported where it stands.
            None if rc.keys.gives(CASE_KEYS, "acuity") => None,
            None => {
                let levels: Vec<&str> = model.levels.keys().map(String::as_str).collect();
                diags.push(
                    rc.at
                        .error(format!("case `{case_id}` has no `acuity`"))
                        .with_help(format!(
                            "add `acuity = ` with a number of points or a level of the model ({})",
                            levels.join(", ")
                        )),
                );
                None
            }
            Some(Field {
                value: NumberOrName::Number(n),
                at,
            }) => {
                if !n.is_finite() || *n < 0.0 || *n > limits::MAX_POINTS {
                    diags.push(
                        at.error(format!(
                            "`acuity` of case `{case_id}` is {}, but must be a number from 0 to {}",
                            limits::shown(*n),
                            limits::MAX_POINTS
                        ))
                        .with_help(
                            "give the case's acuity points, e.g. 2, or a level name of the model",
                        ),
                    );
                    None
                } else {
                    Some(Acuity::Points(*n))
                }
            }
            Some(Field {
                value: NumberOrName::Name(name),
                at,
            }) => match names.level(name, at) {
                Some(level) => Some(Acuity::Level {
                    points: model.levels[&level],
                    name: level,
                }),
                None => {
                    diags.push(
                        at.error(format!(
                            "unknown acuity level `{name}` for case `{case_id}`"
                        ))
                        .with_help(self.unknown_level_help(name))
                        .at_stage(Stage::Reference(Reference::Level)),
                    );
                    None
                }
            },
        }
    }

    fn unknown_level_help(&self, name: &str) -> String {
        let model = self.model;
        let levels: Vec<&str> = model.levels.keys().map(String::as_str).collect();
        match did_you_mean(name, &levels) {
            Some(s) => format!(
                "did you mean `{s}`? The levels of model \"{}\" are: {}",
                model.name,
                levels.join(", ")
            ),
            None => format!(
                "the levels of model \"{}\" are: {}; or give a number of points",
                model.name,
                levels.join(", ")
            ),
        }
    }

    /// `factors`, with their points; unknown ones are reported and left out.
    fn factors(
        &self,
        rc: &RawCase,
        case_id: &str,
        names: &mut ScenarioNames,
        diags: &mut Diagnostics,
    ) -> Vec<(String, f64)> {
        let model = self.model;
        let mut factors = Vec::new();
        for f in &rc.factors {
            match names.factor(f) {
                Some(factor) => {
                    let points = model.factors[&factor];
                    factors.push((factor, points));
                }
                None => {
                    let names: Vec<&str> = model.factors.keys().map(String::as_str).collect();
                    let help = match (did_you_mean(&f.value, &names), names.is_empty()) {
                        (_, true) => format!("model \"{}\" defines no factors; remove it or add it to the model's [acuity.factors]", model.name),
                        (Some(s), _) => format!("did you mean `{s}`? The factors of model \"{}\" are: {}", model.name, names.join(", ")),
                        (None, _) => format!("the factors of model \"{}\" are: {}", model.name, names.join(", ")),
                    };
                    diags.push(
                        f.at.error(format!("unknown factor `{}` for case `{case_id}`", f.value))
                            .with_help(help)
                            .at_stage(Stage::Reference(Reference::Factor)),
                    );
                }
            }
        }
        factors
    }

    /// The worker a key of the case names; an error when there is none.
    fn resolve(
        &self,
        f: &Field<String>,
        key: &str,
        case_id: &str,
        diags: &mut Diagnostics,
    ) -> Option<StaffIdx> {
        let refers = if key == "avoid" {
            Reference::Avoided
        } else {
            Reference::Holder
        };
        match self.staff_ids.get(f.value.as_str()) {
            Some(i) => Some(*i),
            None => {
                let help = match did_you_mean(&f.value, &self.known_ids) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "use the `id` of a [[staff]] entry".to_string(),
                };
                diags.push(
                    f.at.error(format!(
                        "`{key}` of case `{case_id}` names `{}`, who is not on the staff list",
                        f.value
                    ))
                    .with_help(help)
                    .at_stage(Stage::Reference(refers)),
                );
                None
            }
        }
    }

    /// `avoid`, sorted and without repeats.
    fn avoid(&self, rc: &RawCase, case_id: &str, diags: &mut Diagnostics) -> Vec<StaffIdx> {
        let mut avoid: Vec<StaffIdx> = rc
            .avoid
            .iter()
            .filter_map(|a| self.resolve(a, "avoid", case_id, diags))
            .collect();
        avoid.sort();
        avoid.dedup();
        avoid
    }

    /// `prefer`, in the order written and without repeats. A wish is not a rule: a name that is
    /// not on the staff list is only a warning.
    fn prefer(&self, rc: &RawCase, case_id: &str, diags: &mut Diagnostics) -> Vec<StaffIdx> {
        let mut prefer = Vec::new();
        for p in &rc.prefer {
            match self.staff_ids.get(p.value.as_str()) {
                Some(i) if !prefer.contains(i) => prefer.push(*i),
                Some(_) => {}
                None => {
                    let help = match did_you_mean(&p.value, &self.known_ids) {
                        Some(s) => format!(
                            "did you mean `{s}`? The wish is ignored until it names a worker"
                        ),
                        None => {
                            "the wish is ignored; use the `id` of a [[staff]] entry".to_string()
                        }
                    };
                    diags.push(
                        p.at.warning(format!(
                            "`prefer` of case `{case_id}` names `{}`, who is not on the staff list",
                            p.value
                        ))
                        .with_help(help)
                        .at_stage(Stage::Reference(Reference::Preferred)),
                    );
                }
            }
        }
        prefer
    }

    /// A pinned case must have a holder who may hold it.
    fn check_pin(
        &self,
        rc: &RawCase,
        case_id: &str,
        assigned: Option<StaffIdx>,
        needs: &[String],
        avoid: &[StaffIdx],
        diags: &mut Diagnostics,
    ) {
        let pin_at = &rc.pinned.as_ref().expect("pinned is set").at;
        match (&rc.assigned, assigned) {
            (None, _) => diags.push(
                pin_at.error(format!("case `{case_id}` is pinned but has no `assigned` holder"))
                    .with_help("a pinned case stays with its current holder: add `assigned = \"...\"` or remove `pinned`"),
            ),
            (Some(_), Some(holder)) => {
                let w = &self.staff[holder.index()];
                match own_barrier_of(holder, w, needs, avoid) {
                    Some(Barrier::OnLeave) => diags.push(
                        pin_at.error(format!("case `{case_id}` is pinned to `{}`, who is on leave (`available = false`)", w.id))
                            .with_help("unpin the case so it can move (in a what-if overlay: a `[[case]]` entry with its id and `pinned = false`), or make the worker available")
                            .at_stage(Stage::Reference(Reference::Pin)),
                    ),
                    Some(Barrier::Lacks(missing)) => diags.push(
                        pin_at.error(format!("case `{case_id}` is pinned to `{}`, who lacks `{}` that the case needs", w.id, missing.join("`, `")))
                            .with_help("unpin the case, or correct its `needs` or the worker's `skills`")
                            .at_stage(Stage::Reference(Reference::Pin)),
                    ),
                    Some(Barrier::Avoided) => diags.push(
                        pin_at.error(format!("case `{case_id}` is pinned to `{}`, who is also on its `avoid` list", w.id))
                            .with_help("a case cannot both stay with a worker and avoid them: remove one of the two")
                            .at_stage(Stage::Reference(Reference::Pin)),
                    ),
                    _ => {}
                }
            }
            (Some(_), None) => {} // unknown holder already reported
        }
    }
}

/// The case's id when it is given, not empty and not used before (then it is recorded in
/// `seen`); `None` after an error.
fn case_id<'r>(
    rc: &'r RawCase,
    seen: &mut HashMap<String, At>,
    diags: &mut Diagnostics,
) -> Option<&'r Field<String>> {
    let Some(id) = &rc.id else {
        if rc.id_given {
            return None; // its type is wrong, already reported
        }
        diags.push(
            rc.at
                .error("this case has no `id`")
                .with_help("add `id = \"...\"`: a unique case number such as \"C-1001\""),
        );
        return None;
    };
    if id.value.trim().is_empty() {
        diags.push(
            id.at
                .error("the case `id` is empty")
                .with_help("give a unique case number such as \"C-1001\""),
        );
        return None;
    }
    if !printable_id(id, "case id", diags) {
        return None;
    }
    if let Some(first) = seen.get(&id.value) {
        diags.push(
            id.at.error(format!("case id `{}` is used twice", id.value))
                .with_help(format!("it is first defined at {}; ids must be unique across the scenario and its CSV file", first.location())),
        );
        return None;
    }
    seen.insert(id.value.clone(), id.at.clone());
    Some(id)
}

/// With families kept together, two pins of one family to different workers cannot both hold,
/// and the worker a family is pinned to must be able to hold every case of it.
fn check_family_pins(scenario: &Scenario, diags: &mut Diagnostics) {
    let staff = &scenario.staff;
    for (_, family) in scenario.families.iter_enumerated() {
        let mut pins = family
            .cases
            .iter()
            .map(|c| &scenario.cases[*c])
            .filter(|c| c.pinned)
            .filter_map(|c| Some((c, c.assigned?)));
        let Some((pinned, holder)) = pins.next() else {
            continue;
        };
        let family = &family.id;
        for (case, other) in pins.filter(|(_, other)| *other != holder) {
            diags.push(
                Diagnostic::error(
                    case.origin.clone(),
                    format!(
                        "family `{family}` is pinned to two workers: case `{}` to `{}` and case `{}` (at {}) to `{}`",
                        case.id, staff[other].id, pinned.id, pinned.origin, staff[holder].id
                    ),
                )
                .with_help("cases of one family end with one worker: pin them to the same worker, unpin one, or set `keep_families_together = false` in [policy]")
                .at_stage(Stage::Reference(Reference::Pin)),
            );
        }
    }
    // The pinned holder must be able to hold every case of the family, which follows the pin.
    for (_, family) in scenario.families.iter_enumerated() {
        // Before validation ends a pin may lack a holder (reported elsewhere): skip those.
        let Some((pinned, holder)) = family
            .cases
            .iter()
            .map(|c| &scenario.cases[*c])
            .filter(|c| c.pinned)
            .find_map(|c| Some((c, c.assigned?)))
        else {
            continue;
        };
        let worker = &staff[holder];
        for case in family.cases.iter().map(|c| &scenario.cases[*c]) {
            let lacks = worker.missing(&case.needs);
            let problem = if !lacks.is_empty() {
                format!(
                    "lacks `{}`, which case `{}` needs",
                    lacks.join("`, `"),
                    case.id
                )
            } else if case.avoids(holder) {
                format!("is on the avoid list of case `{}`", case.id)
            } else {
                continue;
            };
            diags.push(
                Diagnostic::error(
                    pinned.origin.clone(),
                    format!(
                        "family `{}` is pinned to `{}` by case `{}`, but `{}` {problem}",
                        family.id, worker.id, pinned.id, worker.id
                    ),
                )
                .with_help("the whole family stays with the pinned worker: unpin the case, correct the needs or avoid list, or set `keep_families_together = false` in [policy]")
                .at_stage(Stage::Reference(Reference::Pin)),
            );
        }
    }
}

fn warn_unholdable_and_overloaded(scenario: &Scenario, diags: &mut Diagnostics) {
    // A case needing a skill no worker has is already warned about, at the need.
    let on_team: HashSet<&str> = scenario
        .staff
        .iter()
        .flat_map(|s| s.skills.iter().map(String::as_str))
        .collect();
    for (ci, case) in scenario.cases.iter_enumerated() {
        let need_on_no_one = case.needs.iter().any(|n| !on_team.contains(n.as_str()));
        if !need_on_no_one && !scenario.staff.indices().any(|w| scenario.may_hold(w, ci)) {
            diags.push(
                Diagnostic::warning(
                    case.origin.clone(),
                    format!("no available worker may hold case `{}`", case.id),
                )
                .with_help(scenario.why_unholdable(ci).sentence(scenario))
                .at_stage(Stage::Team),
            );
        }
    }
    let loads = scenario.loads_today();
    for (wi, worker) in scenario.staff.iter_enumerated() {
        let load = loads[wi];
        if load > worker.capacity + 1e-9 {
            diags.push(
                Diagnostic::warning(
                    worker.origin.clone(),
                    format!(
                        "`{}` is over capacity today: {} points held, capacity {} ({:.0}%)",
                        worker.id,
                        load,
                        worker.capacity,
                        100.0 * load / worker.capacity
                    ),
                )
                .with_help("`caseload rebalance` proposes moves that bring the team back within capacity where possible")
                .at_stage(Stage::Team),
            );
        }
    }
}
