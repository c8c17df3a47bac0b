//! Scenario files (TOML): the team, its cases and policy overrides, read into raw entries.

use toml::de::DeTable;

use crate::input::case_batches::{case_batches, BatchSizes, CaseBatches};
use crate::input::diagnostic::{Diagnostics, SourceFile};
use crate::input::model_file::{read_policy, PolicyOverrides};
use crate::input::parse_toml;
use crate::input::raw::{
    At, Field, GivenKeys, RawCase, RawScenario, RawStaff, CASE_KEYS, SCENARIO_KEYS, STAFF_KEYS,
};
use crate::input::toml_reader::TableReader;

/// Parses a scenario file and reads it into raw entries; `None` when it is not valid TOML (the
/// parser's messages go to `diags`).
///
/// A large file made of a head and `[[case]]` sections is parsed a batch of cases at a time
/// (see [`case_batches`]), each batch read into raw entries before the next is parsed: the
/// entries, and every message, are those of parsing the whole document, without the parser's
/// structures for all of it at once. Any other file is parsed whole.
pub fn read_scenario_file(
    file: &SourceFile,
    sizes: &BatchSizes,
    diags: &mut Diagnostics,
) -> Option<RawScenario> {
    if let Some(batches) = case_batches(file.text(), sizes) {
        if let Some(raw) = read_in_batches(file, &batches, diags) {
            return Some(raw);
        }
    }
    let doc = parse_toml(file, "scenario", diags)?;
    Some(read_scenario(doc.get_ref(), file, diags))
}

/// The raw entries of a file read a batch at a time; `None`, with nothing reported, when the
/// head defines `case` itself or some piece is not valid TOML: then the whole document must be
/// parsed, for the parser's messages about the whole of it.
fn read_in_batches(
    file: &SourceFile,
    batches: &CaseBatches,
    diags: &mut Diagnostics,
) -> Option<RawScenario> {
    // Values read now are quoted as if the whole document had parsed; if a piece does not
    // parse, they are dropped unseen and the file hidden again.
    let quotable = file.lines_quotable();
    file.quote_lines();
    let mut found = Diagnostics::new();
    let raw = read_pieces(file, batches, &mut found);
    match raw {
        Some(_) => diags.extend(found),
        None if !quotable => file.hide_lines(),
        None => {}
    }
    raw
}

/// The head, then each batch in turn, parsed and read; `None` as soon as a piece cannot be read
/// as the whole document would be.
fn read_pieces(
    file: &SourceFile,
    batches: &CaseBatches,
    diags: &mut Diagnostics,
) -> Option<RawScenario> {
    let text = file.text();
    let (head, errors) = DeTable::parse_recoverable(&text[batches.head.clone()]);
    if !errors.is_empty() || head.get_ref().contains_key("case") {
        return None;
    }
    let mut raw = read_scenario(head.get_ref(), file, diags);
    drop(head);
    for batch in &batches.batches {
        let (doc, errors) = DeTable::parse_recoverable(&text[batch.clone()]);
        if !errors.is_empty() {
            return None;
        }
        let top = TableReader::new(doc.get_ref(), 0..0, "the scenario file");
        raw.cases
            .extend(read_cases(&top, &file.spans_from(batch.start), diags));
    }
    Some(raw)
}

/// Reads a parsed scenario document into raw entries; type and key problems go to `diags`.
pub fn read_scenario(doc: &DeTable<'_>, file: &SourceFile, diags: &mut Diagnostics) -> RawScenario {
    let top = TableReader::new(doc, 0..0, "the scenario file");
    top.reject_unknown(SCENARIO_KEYS, file, diags);

    let name = top
        .string("name", file, diags)
        .map(|v| Field::toml(file, v));
    let model = top
        .string("model", file, diags)
        .map(|v| Field::toml(file, v));
    let cases_csv = top
        .string("cases_csv", file, diags)
        .map(|v| Field::toml(file, v));
    let staff_csv = top
        .string("staff_csv", file, diags)
        .map(|v| Field::toml(file, v));
    let workbook = top
        .string("workbook", file, diags)
        .map(|v| Field::toml(file, v));
    let extends = top
        .string("extends", file, diags)
        .map(|v| Field::toml(file, v));
    let remove_staff = list(&top, "remove_staff", file, diags);
    let close_cases = list(&top, "close_cases", file, diags);
    let policy = match top.table("policy", file, diags) {
        Some((table, span)) => read_policy(table, span, file, diags),
        None => PolicyOverrides::default(),
    };
    let staff = read_staff(&top, file, diags);
    let cases = read_cases(&top, file, diags);

    RawScenario {
        name,
        model,
        cases_csv,
        staff_csv,
        workbook,
        extends,
        remove_staff,
        close_cases,
        policy,
        staff,
        cases,
    }
}

/// The `[[staff]]` entries of a scenario document.
fn read_staff(
    top: &TableReader<'_, '_>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Vec<RawStaff> {
    top.array_of_tables("staff", file, diags)
        .into_iter()
        .map(|(table, span)| {
            let r = TableReader::new(table, span.clone(), "[[staff]]");
            r.reject_unknown(STAFF_KEYS, file, diags);
            RawStaff {
                at: At::toml(file, &span),
                id: r.string("id", file, diags).map(|v| Field::toml(file, v)),
                id_given: table.contains_key("id"),
                name: r.string("name", file, diags).map(|v| Field::toml(file, v)),
                fte: r.number("fte", file, diags).map(|v| Field::toml(file, v)),
                capacity: r
                    .number("capacity", file, diags)
                    .map(|v| Field::toml(file, v)),
                max_cases: r
                    .number("max_cases", file, diags)
                    .map(|v| Field::toml(file, v)),
                skills: list(&r, "skills", file, diags),
                available: r
                    .boolean("available", file, diags)
                    .map(|v| Field::toml(file, v)),
                keys: GivenKeys::of(STAFF_KEYS, table.keys().map(|k| k.get_ref().as_ref())),
            }
        })
        .collect()
}

/// The `[[case]]` entries of a scenario document (or of a batch of its cases).
fn read_cases(
    top: &TableReader<'_, '_>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Vec<RawCase> {
    top.array_of_tables("case", file, diags)
        .into_iter()
        .map(|(table, span)| {
            let r = TableReader::new(table, span.clone(), "[[case]]");
            r.reject_unknown(CASE_KEYS, file, diags);
            RawCase {
                at: At::toml(file, &span),
                id: r.string("id", file, diags).map(|v| Field::toml(file, v)),
                id_given: table.contains_key("id"),
                acuity: r
                    .number_or_string("acuity", file, diags)
                    .map(|v| Field::toml(file, v)),
                factors: list(&r, "factors", file, diags),
                needs: list(&r, "needs", file, diags),
                assigned: r
                    .string("assigned", file, diags)
                    .map(|v| Field::toml(file, v)),
                family: r
                    .string("family", file, diags)
                    .map(|v| Field::toml(file, v)),
                pinned: r
                    .boolean("pinned", file, diags)
                    .map(|v| Field::toml(file, v)),
                avoid: list(&r, "avoid", file, diags),
                prefer: list(&r, "prefer", file, diags),
                keys: GivenKeys::of(CASE_KEYS, table.keys().map(|k| k.get_ref().as_ref())),
            }
        })
        .collect()
}

fn list(
    r: &TableReader<'_, '_>,
    key: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Vec<Field<String>> {
    r.string_list(key, file, diags)
        .unwrap_or_default()
        .into_iter()
        .map(|s| Field::toml(file, s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Policy;
    use crate::input::generate::{generate, GenerateOptions};
    use crate::input::validate::{validate, ValidationInput};
    use crate::input::{builtin_model, ModelFile};

    /// Every `[[case]]` section a batch of its own.
    const EVERY_CASE: BatchSizes = BatchSizes {
        smallest_text: 0,
        batch_bytes: 1,
    };

    /// A few cases a batch.
    const FEW_CASES: BatchSizes = BatchSizes {
        smallest_text: 0,
        batch_bytes: 300,
    };

    /// What a load shows of a scenario read one way: its raw entries, and every message of
    /// reading and validating it, as printed.
    #[derive(Debug, PartialEq)]
    struct Read {
        raw: Option<RawScenario>,
        messages: String,
    }

    fn read(text: &str, sizes: &BatchSizes, named_by_another_file: bool) -> Read {
        let file = SourceFile::new("team.toml".into(), text.into());
        if named_by_another_file {
            file.hide_lines();
        }
        let mut diags = Diagnostics::new();
        let raw = read_scenario_file(&file, sizes, &mut diags);
        if let Some(raw) = raw.clone() {
            let ModelFile { model, policy } = builtin_model();
            let policy = raw.policy.apply_to(policy.apply_to(Policy::default()));
            let input = ValidationInput {
                path: "team.toml".into(),
                default_name: "team".into(),
                raw,
                csv_cases: Vec::new(),
                model,
                model_choice: crate::input::validate::ModelChoice::BuiltIn,
                policy,
            };
            validate(input, &mut diags);
        }
        let messages = diags.sorted().iter().map(|d| format!("{d}\n")).collect();
        Read { raw, messages }
    }

    /// Whether the text is read in batches (not parsed whole after all).
    fn read_in_batches_as_is(text: &str, sizes: &BatchSizes) -> bool {
        let file = SourceFile::new("team.toml".into(), text.into());
        case_batches(text, sizes)
            .is_some_and(|b| read_in_batches(&file, &b, &mut Diagnostics::new()).is_some())
    }

    /// Reads `text` whole and in batches of every size, quoted and not, and asserts they show
    /// the same; returns the messages.
    fn same_both_ways(text: &str) -> String {
        for hidden in [false, true] {
            let whole = read(text, &BatchSizes::WHOLE, hidden);
            for sizes in [EVERY_CASE, FEW_CASES] {
                let batched = read(text, &sizes, hidden);
                assert_eq!(
                    whole.messages, batched.messages,
                    "{sizes:?}, hidden {hidden}"
                );
                assert!(
                    whole == batched,
                    "raw entries differ, {sizes:?}, hidden {hidden}"
                );
            }
        }
        read(text, &BatchSizes::WHOLE, false).messages
    }

    fn team(cases: usize, seed: u64) -> String {
        generate(&GenerateOptions {
            staff: 12,
            cases,
            seed,
            csv: false,
        })
        .scenario_toml
    }

    /// The `n`th (0-based) `[[case]]` section's text replaced by `f` of it.
    fn edit_case(text: &str, n: usize, f: impl Fn(&str) -> String) -> String {
        let starts: Vec<usize> = text.match_indices("[[case]]").map(|(i, _)| i).collect();
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        format!(
            "{}{}{}",
            &text[..starts[n]],
            f(&text[starts[n]..end]),
            &text[end..]
        )
    }

    /// A `[[case]]` section with `key` given as `value` (any line of it giving `key` removed).
    fn with_key(case: &str, key: &str, value: &str) -> String {
        let kept: String = case
            .lines()
            .filter(|line| !line.starts_with(&format!("{key} =")))
            .map(|line| format!("{line}\n"))
            .collect();
        format!("{kept}{key} = {value}\n")
    }

    #[test]
    fn generated_teams_read_the_same_in_batches_as_whole() {
        for seed in 1..=3 {
            let text = team(150, seed);
            assert!(read_in_batches_as_is(&text, &EVERY_CASE));
            assert!(read_in_batches_as_is(&text, &FEW_CASES));
            same_both_ways(&text);
            let crlf = text.replace('\n', "\r\n");
            assert!(read_in_batches_as_is(&crlf, &FEW_CASES));
            same_both_ways(&crlf);
        }
    }

    #[test]
    fn errors_in_cases_of_several_batches_are_the_same_messages() {
        let mut text = team(120, 7);
        for (n, key, value) in [
            (3, "acuity", "true"),
            (3, "ignored", "1"),
            (40, "neds", "[\"x\"]"),
            (77, "pinned", "\"yes\""),
            (119, "needs", "\"spanish\""),
            (119, "assigned", "\"nobody\""),
            // Non-ASCII text before a value moves its column.
            (60, "family", "\"fam-ñandú\" # ñ"),
            (61, "avoid", "[\"w01\", \"ñ\", \"w01\"]"),
        ] {
            text = edit_case(&text, n, |case| with_key(case, key, value));
        }
        assert!(read_in_batches_as_is(&text, &FEW_CASES));
        let messages = same_both_ways(&text);
        for expected in [
            "unknown key `ignored`",
            "unknown key `neds`",
            "`pinned`",
            "`needs`",
        ] {
            assert!(messages.contains(expected), "{expected}: {messages}");
        }
    }

    #[test]
    fn a_case_id_repeated_in_a_later_batch_is_reported_at_both_places() {
        let text = team(100, 2);
        let text = edit_case(&text, 90, |case| {
            let id = case.find("id = ").unwrap();
            let end = id + case[id..].find('\n').unwrap();
            format!("{}id = \"C-0005\"{}", &case[..id], &case[end..])
        });
        assert!(read_in_batches_as_is(&text, &EVERY_CASE));
        let messages = same_both_ways(&text);
        assert!(
            messages.contains("case id `C-0005` is used twice"),
            "{messages}"
        );
    }

    #[test]
    fn invalid_toml_in_a_late_batch_gives_the_parsers_messages_for_the_whole_document() {
        let text = team(100, 3);
        for broken in [
            // A syntax error.
            edit_case(&text, 95, |case| {
                case.replacen("acuity = ", "acuity = = ", 1)
            }),
            // A key given twice in one case.
            edit_case(&text, 97, |case| {
                case.replacen("id = ", "id = \"x\"\nid = ", 1)
            }),
            // A table given twice in one case.
            edit_case(&text, 98, |case| format!("{case}[case.x]\n[case.x]\n")),
            // A string left open at the end of the text.
            format!("{text}[[case]]\nid = \"\"\"open\n"),
        ] {
            assert!(!read_in_batches_as_is(&broken, &EVERY_CASE));
            let messages = same_both_ways(&broken);
            assert!(messages.contains("not valid TOML"), "{messages}");
        }
    }

    #[test]
    fn a_head_that_defines_case_itself_is_read_whole() {
        let text = team(30, 4);
        let name_end = text.find("\n\n[policy]").unwrap();
        for definition in [
            "\ncase = []",
            "\ncase.x = 1",
            "\ncase = [{ id = \"C-1\", acuity = 2 }]",
        ] {
            let head_case = format!("{}{definition}{}", &text[..name_end], &text[name_end..]);
            assert!(!read_in_batches_as_is(&head_case, &EVERY_CASE));
            let messages = same_both_ways(&head_case);
            assert!(messages.contains("not valid TOML"), "{messages}");
        }
        for table in ["\n[case]\nx = 1", "\n[[ case ]]\nid = \"C-9\"\nacuity = 2"] {
            let head_case = format!("{}{table}{}", &text[..name_end], &text[name_end..]);
            assert!(!read_in_batches_as_is(&head_case, &EVERY_CASE));
            same_both_ways(&head_case);
        }
    }

    #[test]
    fn header_lines_inside_values_are_read_the_same() {
        let mut text = team(40, 5);
        for (n, key, value) in [
            (10, "avoid", "[\n[[\"w01\"]],\n]"),
            (20, "family", "\"\"\"\n[[case]]\nid = \"C-0001\"\n\"\"\""),
            (30, "prefer", "[ # [[case]]\n  \"w01\", '[[case]]',\n]"),
        ] {
            text = edit_case(&text, n, |case| with_key(case, key, value));
        }
        assert!(read_in_batches_as_is(&text, &EVERY_CASE));
        same_both_ways(&text);
    }

    #[test]
    fn other_tables_after_the_cases_are_read_whole() {
        let text = team(30, 6);
        for table in [
            "[case.visits]\nx = 1\n",
            "[[case.visits]]\nx = 1\n",
            "[[\"case\"]]\nid = \"C-99\"\nacuity = 2\n",
            "[policy]\nmax_moves = 2\n",
            "[[staff]]\nid = \"late\"\n",
        ] {
            let late = format!("{text}{table}");
            assert!(case_batches(&late, &EVERY_CASE).is_none(), "{table}");
            same_both_ways(&late);
        }
    }
}
