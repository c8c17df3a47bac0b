//! One rule for the names of skills, acuity levels and factors: two spellings are one name when
//! they differ only in letter case and spacing (`Spanish`, `spanish`, ` SPANISH `), and a name
//! is shown as it was first written.
//!
//! Names come from many hands: a model written by one person, a staff list by another, cases
//! exported from a spreadsheet that capitalises the first letter of a cell. Matched exactly,
//! `Spanish` and `spanish` would be two skills, and a case needing one would never go to a worker
//! with the other. So names are compared by their [`name_key`]: trimmed, every run of
//! whitespace inside one space, lower-cased letter by letter as Unicode defines it. Nothing else
//! is folded: `substance-use` and `substance use` stay two names (validation warns that they are
//! close). Ids (of workers, cases, families) are not names: they are matched exactly.
//!
//! Validation reads every name through [`Spellings`], which gives back the first spelling read
//! of each name, in reading order: the model's levels and factors before the scenario's, staff
//! skills before case needs, and entries in the order of the files (an overlay's after those of
//! the scenario it extends, CSV rows after `[[case]]` tables). The validated scenario then holds
//! one spelling per name, so that every later stage (the rules, the solver, the reports)
//! compares names as plain strings; what comes later from elsewhere (a hire's skills from the
//! command line, a hiring profile's) is spelled the team's way with [`Scenario::spelled_skills`].

use rustc_hash::FxHashMap;

use super::{AcuityModel, Points, Scenario, Skill};

/// The key two spellings of one name share: trimmed, each run of whitespace inside one space,
/// lower case.
pub fn name_key(written: &str) -> String {
    tidy(written).to_lowercase()
}

/// A name as shown: trimmed, each run of whitespace inside one space, letters as written.
pub fn tidy(written: &str) -> String {
    let mut shown = String::with_capacity(written.len());
    for word in written.split_whitespace() {
        if !shown.is_empty() {
            shown.push(' ');
        }
        shown.push_str(word);
    }
    shown
}

/// True when `a` and `b` are spellings of one name.
pub fn same_name(a: &str, b: &str) -> bool {
    a == b || name_key(a) == name_key(b)
}

/// The names of one kind (skills, levels or factors) read so far, each with its spellings in the
/// order first read, where each was first read (`P`: a place in a file) and how often.
#[derive(Debug, Clone)]
pub struct Spellings<P> {
    /// Every text read so far, exactly as written: its name and which of the name's spellings.
    written: FxHashMap<String, (usize, usize)>,
    /// Each name's key: its position in `names`.
    keys: FxHashMap<String, usize>,
    names: Vec<Name<P>>,
}

/// One name and the spellings it was read in.
#[derive(Debug, Clone)]
pub struct Name<P> {
    /// Its spellings, in the order first read: the first is the name as shown.
    pub spellings: Vec<Spelling<P>>,
}

/// One spelling of a name.
#[derive(Debug, Clone)]
pub struct Spelling<P> {
    /// The spelling, tidied ([`tidy`]).
    pub shown: String,
    /// Where it was first read.
    pub first_at: P,
    /// How often it was read.
    pub uses: usize,
}

impl<P> Name<P> {
    /// The name as shown: its first spelling.
    pub fn shown(&self) -> &str {
        &self.spellings[0].shown
    }

    /// Where it was first read.
    pub fn first_at(&self) -> &P {
        &self.spellings[0].first_at
    }

    /// How often it was read, in any spelling.
    pub fn uses(&self) -> usize {
        self.spellings.iter().map(|s| s.uses).sum()
    }
}

impl<P> Default for Spellings<P> {
    fn default() -> Self {
        Spellings {
            written: FxHashMap::default(),
            keys: FxHashMap::default(),
            names: Vec::new(),
        }
    }
}

impl<P> Spellings<P> {
    /// Reads `written`, first read at `at` if it is a new spelling; returns the position of its
    /// name in [`Self::names`].
    pub fn read(&mut self, written: &str, at: impl FnOnce() -> P) -> usize {
        if let Some((name, spelling)) = self.written.get(written) {
            self.names[*name].spellings[*spelling].uses += 1;
            return *name;
        }
        let shown = tidy(written);
        let key = shown.to_lowercase();
        let name = match self.keys.get(&key) {
            Some(name) => *name,
            None => {
                self.keys.insert(key, self.names.len());
                self.names.push(Name {
                    spellings: Vec::new(),
                });
                self.names.len() - 1
            }
        };
        let spellings = &mut self.names[name].spellings;
        let spelling = match spellings.iter().position(|s| s.shown == shown) {
            Some(i) => i,
            None => {
                spellings.push(Spelling {
                    shown,
                    first_at: at(),
                    uses: 0,
                });
                spellings.len() - 1
            }
        };
        spellings[spelling].uses += 1;
        self.written.insert(written.to_string(), (name, spelling));
        name
    }

    /// Reads `written` as [`Self::read`] does when it spells a name already read; `None`, and
    /// nothing read, when it does not.
    pub fn read_known(&mut self, written: &str, at: impl FnOnce() -> P) -> Option<usize> {
        if !self.written.contains_key(written) {
            self.keys.get(&name_key(written))?;
        }
        Some(self.read(written, at))
    }

    /// The position of the name `written` spells, if it was read.
    pub fn known(&self, written: &str) -> Option<usize> {
        match self.written.get(written) {
            Some((name, _)) => Some(*name),
            None => self.keys.get(&name_key(written)).copied(),
        }
    }

    /// The names, in the order first read.
    pub fn names(&self) -> &[Name<P>] {
        &self.names
    }
}

impl AcuityModel {
    /// The level `written` names, as the model spells it, with its points.
    pub fn level(&self, written: &str) -> Option<(&str, Points)> {
        named(&self.levels, written)
    }

    /// The factor `written` names, as the model spells it, with its points.
    pub fn factor(&self, written: &str) -> Option<(&str, Points)> {
        named(&self.factors, written)
    }
}

/// The entry of `table` whose name `written` spells.
fn named<'t>(
    table: &'t std::collections::BTreeMap<String, Points>,
    written: &str,
) -> Option<(&'t str, Points)> {
    if let Some((name, points)) = table.get_key_value(written) {
        return Some((name.as_str(), *points));
    }
    let key = name_key(written);
    table
        .iter()
        .find(|(name, _)| name_key(name) == key)
        .map(|(name, points)| (name.as_str(), *points))
}

impl Scenario {
    /// The skill `written` names as the team spells it, when a worker has it or a case needs
    /// it.
    pub fn skill_spelling(&self, written: &str) -> Option<&str> {
        let key = name_key(written);
        let staff = self.staff.iter().flat_map(|s| &s.skills);
        let needs = self.cases.iter().flat_map(|c| &c.needs);
        staff
            .chain(needs)
            .find(|skill| *skill == written || name_key(skill) == key)
            .map(String::as_str)
    }

    /// Skills given from elsewhere (a hire, a hiring profile) spelled the team's way: as the
    /// team spells each one it knows, the others tidied; sorted, without repeats.
    pub fn spelled_skills(&self, written: &[Skill]) -> Vec<Skill> {
        let mut skills: Vec<Skill> = written
            .iter()
            .map(|w| match self.skill_spelling(w) {
                Some(team) => team.to_string(),
                None => tidy(w),
            })
            .collect();
        skills.sort();
        skills.dedup();
        skills
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_differing_in_case_and_spacing_are_one_name() {
        assert_eq!(name_key("  Spanish "), "spanish");
        assert_eq!(name_key("Substance\t  Use"), "substance use");
        assert_eq!(name_key("ESPAÑOL"), "español");
        assert!(same_name("Moderate", "moderate"));
        assert!(
            same_name("ΟΔΟΣ", "οδος"),
            "a final sigma is lower-cased as one"
        );
        assert!(!same_name("substance-use", "substance use"));
        assert!(!same_name("spansih", "spanish"));
        assert_eq!(tidy("  Substance \t Use "), "Substance Use");
    }

    #[test]
    fn a_name_is_shown_as_first_read_and_every_spelling_is_counted() {
        let mut skills: Spellings<u32> = Spellings::default();
        let spanish = skills.read("spanish", || 1);
        assert_eq!(skills.read("Spanish", || 2), spanish);
        assert_eq!(
            skills.read(" Spanish", || 3),
            spanish,
            "tidied, one spelling"
        );
        assert_eq!(skills.read("spanish", || 4), spanish);
        let youth = skills.read("youth", || 5);
        assert_ne!(youth, spanish);
        let name = &skills.names()[spanish];
        assert_eq!(name.shown(), "spanish");
        assert_eq!(name.uses(), 4);
        let spelt: Vec<(&str, u32, usize)> = name
            .spellings
            .iter()
            .map(|s| (s.shown.as_str(), s.first_at, s.uses))
            .collect();
        assert_eq!(spelt, [("spanish", 1, 2), ("Spanish", 2, 2)]);
        assert_eq!(skills.known("SPANISH"), Some(spanish));
        assert_eq!(skills.read_known("Asl", || 6), None);
        assert_eq!(skills.names().len(), 2, "an unknown name is not read");
    }
}
