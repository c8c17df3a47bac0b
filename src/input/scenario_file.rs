//! Scenario files (TOML): the team, its cases and policy overrides, read into raw entries.

use toml::de::DeTable;

use crate::input::diagnostic::{Diagnostics, SourceFile};
use crate::input::model_file::{read_policy, PolicyOverrides};
use crate::input::raw::{
    At, Field, GivenKeys, RawCase, RawScenario, RawStaff, CASE_KEYS, SCENARIO_KEYS, STAFF_KEYS,
};
use crate::input::toml_reader::TableReader;

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
    let extends = top
        .string("extends", file, diags)
        .map(|v| Field::toml(file, v));
    let remove_staff = list(&top, "remove_staff", file, diags);
    let close_cases = list(&top, "close_cases", file, diags);
    let policy = match top.table("policy", file, diags) {
        Some((table, span)) => read_policy(table, span, file, diags),
        None => PolicyOverrides::default(),
    };

    let staff = top
        .array_of_tables("staff", file, diags)
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
        .collect();

    let cases = top
        .array_of_tables("case", file, diags)
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
        .collect();

    RawScenario {
        name,
        model,
        cases_csv,
        extends,
        remove_staff,
        close_cases,
        policy,
        staff,
        cases,
    }
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
