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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Acuity, Location};

    fn case(id: &str, family: Option<&str>) -> Case {
        Case {
            id: id.to_string(),
            acuity: Acuity::Points(1.0),
            factors: Vec::new(),
            weight: 1.0,
            needs: Vec::new(),
            assigned: None,
            family: family.map(str::to_string),
            pinned: false,
            avoid: Vec::new(),
            prefer: Vec::new(),
            origin: Location::file(std::path::Path::new("team.toml")),
        }
    }

    #[test]
    fn families_are_grouped_once_in_order_of_first_appearance() {
        let cases = [
            case("A", Some("F-2")),
            case("B", None),
            case("C", Some("F-1")),
            case("D", Some("F-2")),
        ];
        let families = Families::of(&cases);
        assert_eq!(families.len(), 2);
        let f2 = families.by_id("F-2").expect("F-2");
        assert_eq!(f2, FamilyIdx(0), "F-2 appears first");
        assert_eq!(families[f2].cases, vec![CaseIdx(0), CaseIdx(3)]);
        assert_eq!(families.of_case(CaseIdx(1)), None);
        assert_eq!(families.of_case(CaseIdx(2)), families.by_id("F-1"));
        assert_eq!(
            families.of_case(CaseIdx(9)),
            None,
            "cases added later have none"
        );
    }
}
