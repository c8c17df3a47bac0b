//! The names a scenario writes (skills, acuity levels, factors), read through the one rule of
//! [`crate::domain::names`], and the warnings worth giving about them: a name written two ways
//! (read as one, shown as first written), a skill so close to another that one is likely a typo
//! of the other (read as two), and a case need that no worker on the team has (the case can then
//! go to no one).
//!
//! Each warning points at the entry that writes the odd spelling, so that a supervisor corrects
//! the one cell that differs rather than the many that agree.

use std::collections::HashMap;

use crate::domain::names::Spellings;
use crate::domain::AcuityModel;
use crate::input::diagnostic::{Diagnostics, Reference, Stage};
use crate::input::raw::{At, Field};
use crate::input::suggest::{closest, did_you_mean, likely_misspelt};

/// Most skill names compared pairwise for likely typos: far more than any team uses; above it
/// the comparison is skipped rather than made slow.
const MAX_COMPARED: usize = 500;

/// What kind of name: the word messages use.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Skill,
    Level,
    Factor,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Level => "acuity level",
            Kind::Factor => "factor",
        }
    }
}

/// The names read so far, in reading order: the model's levels and factors first, then the
/// workers' skills, then the cases' needs, levels and factors.
pub struct ScenarioNames {
    skills: Spellings<At>,
    /// Per skill name (as [`Spellings::names`] orders them): whether a worker has it.
    held: Vec<bool>,
    /// Levels and factors, the model's first (read nowhere in the scenario's files: `None`).
    levels: Spellings<Option<At>>,
    factors: Spellings<Option<At>>,
    model_name: String,
    /// The help of the warning about a need no worker has, by skill name, once worked out.
    missing_help: HashMap<usize, String>,
}

impl ScenarioNames {
    /// The model's levels and factors, read first.
    pub fn new(model: &AcuityModel) -> Self {
        let mut levels = Spellings::default();
        for level in model.levels.keys() {
            levels.read(level, || None);
        }
        let mut factors = Spellings::default();
        for factor in model.factors.keys() {
            factors.read(factor, || None);
        }
        ScenarioNames {
            skills: Spellings::default(),
            held: Vec::new(),
            levels,
            factors,
            model_name: model.name.clone(),
            missing_help: HashMap::new(),
        }
    }

    /// A worker's skill, as first written.
    pub fn staff_skill(&mut self, skill: &Field<String>) -> String {
        let name = self.skills.read(&skill.value, || skill.at.clone());
        if self.held.len() <= name {
            self.held.resize(name + 1, false);
        }
        self.held[name] = true;
        self.skills.names()[name].shown().to_string()
    }

    /// A case's need, as first written; when no worker has it, a warning at the need.
    pub fn need(&mut self, need: &Field<String>, case_id: &str, diags: &mut Diagnostics) -> String {
        let name = self.skills.read(&need.value, || need.at.clone());
        let shown = self.skills.names()[name].shown().to_string();
        if !self.held.get(name).copied().unwrap_or(false) {
            let help = self.missing_help(name).to_string();
            diags.push(
                need.at
                    .warning(format!(
                        "case `{case_id}` needs `{shown}`, which no worker on the team has"
                    ))
                    .with_help(help)
                    .at_stage(Stage::Reference(Reference::Need)),
            );
        }
        shown
    }

    /// What to do about a need no worker has: the closest skill on the team, as a "did you
    /// mean" when it is likely the one meant.
    fn missing_help(&mut self, name: usize) -> &str {
        let (skills, held) = (&self.skills, &self.held);
        self.missing_help.entry(name).or_insert_with(|| {
            let need = skills.names()[name].shown();
            let team: Vec<&str> = skills
                .names()
                .iter()
                .enumerate()
                .filter(|(i, _)| held.get(*i).copied().unwrap_or(false))
                .map(|(_, n)| n.shown())
                .collect();
            let until = format!("until a worker has `{need}`, no one may hold the case");
            match (did_you_mean(need, &team), closest(need, &team)) {
                (Some(meant), _) => format!("did you mean `{meant}`? Otherwise, {until}"),
                (None, Some(near)) => format!("the closest skill on the team is `{near}`; {until}"),
                (None, None) => format!("no worker on the team has any skill; {until}"),
            }
        })
    }

    /// A level the model defines, as the model writes it; `None`, and nothing read, when the
    /// model has no such level.
    pub fn level(&mut self, written: &str, at: &At) -> Option<String> {
        let name = self.levels.read_known(written, || Some(at.clone()))?;
        Some(self.levels.names()[name].shown().to_string())
    }

    /// Whether the model defines the level `written` names.
    pub fn knows_level(&self, written: &str) -> bool {
        self.levels.known(written).is_some()
    }

    /// A factor the model defines, as the model writes it; `None`, and nothing read, when the
    /// model has no such factor.
    pub fn factor(&mut self, factor: &Field<String>) -> Option<String> {
        let name = self
            .factors
            .read_known(&factor.value, || Some(factor.at.clone()))?;
        Some(self.factors.names()[name].shown().to_string())
    }

    /// The warnings about every name read: each spelling other than the first, where it is
    /// first written; each skill likely a typo of another, where it is first written.
    pub fn warn(&self, diags: &mut Diagnostics) {
        self.warn_spellings(Kind::Skill, &self.skills, |at| Some(at), diags);
        self.warn_spellings(Kind::Level, &self.levels, Option::as_ref, diags);
        self.warn_spellings(Kind::Factor, &self.factors, Option::as_ref, diags);
        self.warn_close_skills(diags);
    }

    fn warn_spellings<P>(
        &self,
        kind: Kind,
        spellings: &Spellings<P>,
        place: impl Fn(&P) -> Option<&At>,
        diags: &mut Diagnostics,
    ) {
        for name in spellings.names() {
            let first = name.shown();
            let written_first = match place(name.first_at()) {
                Some(at) => format!("at {}", at.location()),
                None => format!("in model \"{}\"", self.model_name),
            };
            for odd in &name.spellings[1..] {
                let Some(at) = place(&odd.first_at) else {
                    continue;
                };
                let elsewhere = match odd.uses {
                    1 => String::new(),
                    n => format!(
                        " and in the {} other places that write `{}`",
                        n - 1,
                        odd.shown
                    ),
                };
                diags.push(
                    at.warning(format!(
                        "{} `{}` is written `{first}` {written_first}: one {0}, written two ways",
                        kind.word(),
                        odd.shown
                    ))
                    .with_help(format!(
                        "names of skills, levels and factors are matched whatever their case and spacing, and shown as first written: this reads as `{first}`; write `{first}` here{elsewhere}"
                    ))
                    .at_stage(Stage::Reference(Reference::Spelling)),
                );
            }
        }
    }

    /// Each skill a worker has that is likely a typo of a skill written more often (or as often
    /// and before it): a warning where it is first written. A need no worker has is not
    /// warned about here: its own warning names the closest skill.
    fn warn_close_skills(&self, diags: &mut Diagnostics) {
        let names = self.skills.names();
        if names.len() > MAX_COMPARED {
            return;
        }
        let held = |i: usize| self.held.get(i).copied().unwrap_or(false);
        // More uses first, then the one read first: the established spelling.
        let established = |i: usize| (std::cmp::Reverse(names[i].uses()), i);
        for (odd, name) in names.iter().enumerate().filter(|(i, _)| held(*i)) {
            let likely = (0..names.len())
                .filter(|other| established(*other) < established(odd))
                .filter(|other| likely_misspelt(name.shown(), names[*other].shown()))
                .min_by_key(|other| established(*other));
            let Some(meant) = likely.map(|i| &names[i]) else {
                continue;
            };
            diags.push(
                name.first_at()
                    .warning(format!(
                        "skill `{}` is close to skill `{}`, but they are read as two different skills",
                        name.shown(),
                        meant.shown()
                    ))
                    .with_help(format!(
                        "did you mean `{}` (written {}, `{}` {})? A case that needs one may not go to a worker with the other",
                        meant.shown(),
                        times(meant.uses()),
                        name.shown(),
                        times(name.uses())
                    ))
                    .at_stage(Stage::Reference(Reference::Spelling)),
            );
        }
    }
}

/// `n` as a number of times: "once", "twice", "3 times".
fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}
