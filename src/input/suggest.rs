//! "Did you mean ...?" for misspelt keys, levels, factors and ids.

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
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn normalize(word: &str) -> String {
    let lower = word.to_lowercase().replace('_', "-");
    lower
        .strip_suffix('s')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or(lower)
}

/// Levenshtein distance counting an adjacent transposition as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (prev[j] + 1)
                .min(current[j - 1] + 1)
                .min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, current);
    }
    prev[b.len()]
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
    fn distance_counts_transpositions_once() {
        assert_eq!(edit_distance("abcd", "abdc"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
