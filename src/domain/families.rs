//! Families: cases that belong together (siblings, a household), grouped once.
//!
//! A family is named in the input by a bare id on each of its cases. The grouping is built here,
//! once per scenario, in order of first appearance, and every rule about families (they stay
//! together, they move as one, a family split today is reunited) reads it from here.

use std::collections::BTreeMap;

use super::index::{typed_index, CaseIdx, IndexVec};
use super::Case;

typed_index!(
    /// Position of a family in [`Families`].
    FamilyIdx
);

/// One family: its id and its cases, in scenario order.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The id shared by its cases.
    pub id: String,
    /// Its cases, in scenario order.
    pub cases: Vec<CaseIdx>,
}

/// Every family of a scenario, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Families {
    list: IndexVec<FamilyIdx, Family>,
    of_case: Vec<Option<FamilyIdx>>,
}

impl Families {
    /// Groups `cases` by their family id.
    pub fn of(cases: &[Case]) -> Self {
        let mut list: IndexVec<FamilyIdx, Family> = IndexVec::default();
        let mut by_id: BTreeMap<&str, FamilyIdx> = BTreeMap::new();
        let of_case = cases
            .iter()
            .enumerate()
            .map(|(ci, case)| {
                let id = case.family.as_deref()?;
                let f = *by_id.entry(id).or_insert_with(|| {
                    list.push(Family {
                        id: id.to_string(),
                        cases: Vec::new(),
                    });
                    FamilyIdx::from(list.len() - 1)
                });
                list[f].cases.push(CaseIdx::from(ci));
                Some(f)
            })
            .collect();
        Families { list, of_case }
    }

    /// Number of families.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when no case names a family.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The family of a case, if it has one.
    pub fn of_case(&self, case: CaseIdx) -> Option<FamilyIdx> {
        self.of_case.get(case.index()).copied().flatten()
    }

    /// Families with their indices, in order of first appearance.
    pub fn iter_enumerated(&self) -> impl Iterator<Item = (FamilyIdx, &Family)> + '_ {
        self.list.iter_enumerated()
    }

    /// Looks a family up by id.
    pub fn by_id(&self, id: &str) -> Option<FamilyIdx> {
        self.list
            .iter_enumerated()
            .find(|(_, f)| f.id == id)
            .map(|(f, _)| f)
    }
}

impl std::ops::Index<FamilyIdx> for Families {
    type Output = Family;
    fn index(&self, f: FamilyIdx) -> &Family {
        &self.list[f]
    }
}
