//! "Did you mean ...?" for misspelt keys, levels, factors and ids.

use strsim::osa_distance;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Close means a small edit distance relative to the length (at most one edit for short words,
/// two or three for longer ones), or the same word up to case, `_`/`-` and a plural `s`.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normal = normalize(word);
    if let Some(exact) = candidates.iter().find(|c| normalize(c) == normal) {
        return Some(exact);
    }
    // A truncated name (`court` for `court-involved`) when only one candidate starts with it.
    if word.chars().count() >= 3 {
        let lower = word.to_lowercase();
        let mut starting = candidates
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&lower));
        if let (Some(only), None) = (starting.next(), starting.next()) {
            return Some(only);
        }
    }
    let allowed = match word.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    candidates
        .iter()
        .map(|c| (osa_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Whether two names read as different are likely one misspelt (`spansih` and `spanish`,
/// `substance_use` and `substance-use`, `youth` and `youths`): stricter than [`did_you_mean`],
/// since both are in use and short codes (`asl`, `esl`) or numbered names (`tier-1`, `tier-2`)
/// are often different things. The same word up to case, `_`/`-` and a plural `s`; else one edit
/// for names of 5 to 11 characters, two from 12 on, and never between names whose digits differ.
pub fn likely_misspelt(a: &str, b: &str) -> bool {
    if normalize(a) == normalize(b) {
        return true;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if digits(a) != digits(b) {
        return false;
    }
    let allowed = match a.chars().count().min(b.chars().count()) {
        0..=4 => return false,
        5..=11 => 1,
        _ => 2,
    };
    osa_distance(&a.to_lowercase(), &b.to_lowercase()) <= allowed
}

/// The candidate closest to `word` by edit distance (of a tie, the first in alphabetical order),
/// however far.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .min_by_key(|c| (osa_distance(&lower, &c.to_lowercase()), **c))
        .copied()
}

fn normalize(word: &str) -> String {
    let lower = word.to_lowercase().replace('_', "-");
    lower
        .strip_suffix('s')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE_KEYS: &[&str] = &[
        "id", "acuity", "factors", "needs", "assigned", "family", "pinned", "avoid", "prefer",
    ];

    #[test]
    fn typos_find_the_intended_key() {
        assert_eq!(did_you_mean("neds", CASE_KEYS), Some("needs"));
        assert_eq!(did_you_mean("asigned", CASE_KEYS), Some("assigned"));
        assert_eq!(did_you_mean("acuitty", CASE_KEYS), Some("acuity"));
        assert_eq!(did_you_mean("pinend", CASE_KEYS), Some("pinned"));
        assert_eq!(did_you_mean("Need", CASE_KEYS), Some("needs"));
        assert_eq!(did_you_mean("cases", &["case", "staff"]), Some("case"));
        assert_eq!(did_you_mean("max-cases", &["max_cases"]), Some("max_cases"));
        assert_eq!(
            did_you_mean("court", &["court-involved", "housing"]),
            Some("court-involved")
        );
    }

    #[test]
    fn unrelated_words_get_no_suggestion() {
        assert_eq!(did_you_mean("colour", CASE_KEYS), None);
        assert_eq!(did_you_mean("x", &["id"]), None);
    }

    #[test]
    fn names_in_use_are_likely_misspelt_only_when_very_close() {
        assert!(likely_misspelt("spansih", "spanish"));
        assert!(likely_misspelt("substance_use", "substance-use"));
        assert!(likely_misspelt("youths", "Youth"));
        assert!(likely_misspelt(
            "behavioral-health-licence",
            "behavioral-health-license"
        ));
        assert!(
            !likely_misspelt("asl", "esl"),
            "short codes differ by a letter"
        );
        assert!(!likely_misspelt("tier-1", "tier-2"), "numbered names");
        assert!(!likely_misspelt("pediatrics", "geriatrics"));
        assert!(!likely_misspelt("spanish", "english"));
    }

    #[test]
    fn the_closest_candidate_is_named_however_far() {
        assert_eq!(
            closest("asl", &["youth", "spanish", "adoption"]),
            Some("spanish")
        );
        assert_eq!(closest("yuoth", &["youth", "spanish"]), Some("youth"));
        assert_eq!(closest("x", &[]), None);
    }

    #[test]
    fn a_swap_of_two_letters_counts_as_one_edit() {
        // Plain Levenshtein counts `di` → `id` as two edits, too many for a two-letter word.
        assert_eq!(did_you_mean("di", &["id", "fte"]), Some("id"));
        assert_eq!(did_you_mean("nedes", CASE_KEYS), Some("needs"));
    }
}
