//! Renderers: turn results (summaries, proposals, explanations) into text for people, JSON for
//! programs, and CSV tables and Excel workbooks for spreadsheets. Nothing here computes a
//! figure; every number comes from the data it renders.

pub mod balance;
pub mod batch;
pub mod binding;
pub mod compare;
pub mod document;
pub mod handout;
pub mod html;
pub mod outcome;
pub mod proposal;
pub mod staffing;
pub mod style;
pub mod table;
pub mod team;
pub mod whatif;
pub mod why;
pub mod workbook;

use crate::domain::{Scenario, StaffIdx};
use crate::input::limits::is_unprintable;

/// A text cell of a report written as CSV, made so that a spreadsheet will not run it as a
/// formula: text beginning with `=`, `+`, `-` or `@` (or a tab or carriage return) gets a
/// leading `'`, which spreadsheets read as "this is text".
///
/// Every text cell of a CSV report goes through here ([`table`]'s text cells): names and ids
/// come from files other people wrote, and may begin like a formula (a case-management
/// system's export may hold such ids). Figures the tool computes are written as numbers, not through
/// here, so a `-3` stays a number; a workbook stores text as strings, which never run. `apply`
/// does not use it: the cases CSV it writes is next week's input and keeps every cell as read
/// (see `input::apply`).
pub fn spreadsheet_safe(cell: &str) -> String {
    let risky = cell.chars().next().is_some_and(|c| {
        crate::input::limits::FORMULA_STARTS.contains(&c) || c == '\t' || c == '\r'
    });
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Widest column a text table pads to: a longer id or name runs past its column instead of
/// widening every row (and a huge width cannot be formatted at all).
pub const MAX_COLUMN: usize = 60;

/// A worker's id, as every report names them.
pub(crate) fn staff_id(scenario: &Scenario, w: StaffIdx) -> &str {
    &scenario.staff[w].id
}

/// A worker as headers and tables for people name them: "Name (id)" when the scenario gives a
/// display name, else the id. Both come from files other people wrote, so control characters
/// are shown escaped, never sent to the terminal.
pub fn staff_label(scenario: &Scenario, w: StaffIdx) -> String {
    let staff = &scenario.staff[w];
    let id = printable(&staff.id);
    match staff.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() && name != staff.id => {
            format!("{} ({id})", printable(name))
        }
        _ => id,
    }
}

/// `text` with control and text-direction characters (escape, newline, ...) written as escapes,
/// e.g. `\u{1b}`.
pub fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped = is_unprintable(c).then(|| c.escape_default());
            let plain = escaped.is_none().then_some(c);
            escaped.into_iter().flatten().chain(plain)
        })
        .collect()
}

/// A utilization as a whole percentage, e.g. `0.834` → `"83%"`.
pub fn percent(utilization: f64) -> String {
    if utilization.is_finite() {
        format!("{:.0}%", 100.0 * utilization)
    } else {
        "n/a".to_string()
    }
}

/// A utilization as a whole percentage rounded down, for "below" claims that must stay true:
/// `0.8666` → `"86%"`.
pub fn percent_floor(utilization: f64) -> String {
    if utilization.is_finite() {
        format!("{:.0}%", (100.0 * utilization + 1e-9).floor())
    } else {
        "n/a".to_string()
    }
}

/// Two utilizations, the first above the second, as percentages with just enough decimals to
/// show the difference (`"94.3%"` and `"94.2%"`, not `"94%"` twice), so that a stated
/// inequality reads true.
pub fn percents_apart(higher: f64, lower: f64) -> (String, String) {
    for decimals in 0..4 {
        let (h, l) = (
            format!("{:.*}%", decimals, 100.0 * higher),
            format!("{:.*}%", decimals, 100.0 * lower),
        );
        if h != l || !higher.is_finite() || !lower.is_finite() {
            return (h, l);
        }
    }
    (
        format!("{:.4}%", 100.0 * higher),
        format!("{:.4}%", 100.0 * lower),
    )
}

/// Items joined for reading: "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Skill names in backticks joined by "and", e.g. "`spanish` and `youth`".
pub fn skill_list(names: &[String]) -> String {
    names
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Acuity points without a needless `.0`, e.g. `41` or `40.5`.
pub fn points(p: f64) -> String {
    let rounded = (p * 100.0).round() / 100.0 + 0.0; // + 0.0 turns -0 into 0
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// Acuity points with their unit, singular for one: `"1 point"`, `"40.5 points"`.
pub fn points_of(p: f64) -> String {
    let n = points(p);
    if n == "1" {
        "1 point".to_string()
    } else {
        format!("{n} points")
    }
}

/// A bar of `width` cells filled to `fraction` (capped at 1.5 so overload shows past the mark),
/// with `|` at 100%.
pub fn bar(fraction: f64, width: usize) -> String {
    let cells = (fraction.clamp(0.0, 1.5) * width as f64).round() as usize;
    let mut out = String::with_capacity(width * 3 / 2 + 1);
    for i in 0..(width * 3 / 2) {
        if i == width {
            out.push('|');
        }
        out.push(if i < cells {
            '#'
        } else if i < width {
            '.'
        } else {
            ' '
        });
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_apart_shows_the_difference() {
        assert_eq!(percents_apart(0.96, 0.94), ("96%".into(), "94%".into()));
        assert_eq!(
            percents_apart(0.9404, 0.9401),
            ("94.04%".into(), "94.01%".into())
        );
        assert_eq!(
            percents_apart(0.945, 0.9401),
            ("94.5%".into(), "94.0%".into())
        );
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Riverside"), "Riverside");
        assert_eq!(
            spreadsheet_safe("-3"),
            "'-3",
            "text that reads as a number is text"
        );
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("\tcmd"), "'\tcmd");
        assert_eq!(spreadsheet_safe("\r=1"), "'\r=1");
        assert_eq!(spreadsheet_safe("a=1"), "a=1");
        assert_eq!(spreadsheet_safe(""), "");
    }

    #[test]
    fn one_point_is_singular() {
        assert_eq!(points_of(1.0), "1 point");
        assert_eq!(points_of(40.5), "40.5 points");
        assert_eq!(points_of(0.0), "0 points");
    }

    #[test]
    fn numbers_are_rendered_for_people() {
        assert_eq!(percent(0.834), "83%");
        assert_eq!(percent(f64::INFINITY), "n/a");
        assert_eq!(points(41.0), "41");
        assert_eq!(points(40.5), "40.5");
        assert_eq!(bar(0.5, 4), "##..|");
        assert_eq!(bar(1.25, 4), "####|#");
        assert_eq!(percent_floor(0.8666), "86%");
        assert_eq!(percent_floor(0.87), "87%");
        assert_eq!(and_list(&["a".into()]), "a");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(printable("Ana\u{1b}[31m\n"), "Ana\\u{1b}[31m\\n");
        assert_eq!(printable("María"), "María");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
    }
}
