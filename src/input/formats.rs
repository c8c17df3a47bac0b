//! The TOML formats people write (scenarios and their overlays, acuity models, hiring
//! profiles), as types: every key of every table, its type, and what it means to the
//! supervisor who edits the file.
//!
//! The readers walk the spanned TOML tree by hand, to report every problem with its line and
//! column, so no serde type defines these formats. These types do: each table's list of keys,
//! which its reader accepts (any other key is reported, with "did you mean"), is the list of
//! the type's fields, and the JSON Schema that editors check the files with is generated from
//! the same types, their doc comments becoming its descriptions. A key added to a table here is
//! known to both; one added to a reader only is refused as unknown.

use std::collections::BTreeMap;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};

use crate::domain::MAX_FTE;
use crate::input::limits::{CAPACITY_RANGE, MAX_POINTS, MIN_FTE};
use crate::input::profiles::MAX_PROFILE_HIRES;

/// Declares one table of a file format: a struct whose fields are the table's keys (deriving
/// `JsonSchema`, unknown keys denied) and `KEYS`, their names in the order written.
macro_rules! toml_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $key:ident : $ty:ty, )*
        }
    ) => {
        #[derive(Debug, Clone, PartialEq, JsonSchema)]
        $(#[$meta])*
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$field_meta])* pub $key: $ty, )*
        }

        impl $name {
            /// The keys of this table: the only ones its reader accepts.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];
        }
    };
}

toml_table! {
    /// A scenario: one team, its cases and policy. A what-if overlay is a scenario that
    /// `extends` another and gives only what changes.
    #[schemars(title = "caseload scenario")]
    // A scenario that extends no other must give every case's acuity, and list its staff unless
    // a staff CSV or a workbook does; an overlay's entries may change one key of an existing
    // worker or case.
    #[schemars(extend(
        "allOf" = [
            {
                "if": { "required": ["extends"] },
                "else": { "properties": { "case": { "items": { "required": ["acuity"] } } } }
            },
            {
                "if": {
                    "anyOf": [
                        { "required": ["extends"] },
                        { "required": ["staff_csv"] },
                        { "required": ["workbook"] }
                    ]
                },
                "else": { "required": ["staff"], "properties": { "staff": { "minItems": 1 } } }
            }
        ]
    ))]
    pub struct ScenarioToml {
        /// The team's name, shown in reports. When left out: the file name (for an overlay, the
        /// name of the scenario it extends and the overlay's file name).
        name: Option<String>,
        /// The acuity model's file, relative to this file, e.g. "../models/standard.toml". When
        /// left out: the built-in standard model.
        model: Option<String>,
        /// A CSV file of more cases, relative to this file: a header row naming `[[case]]` keys
        /// (or their spreadsheet spellings, such as "Case ID"), one case a row, list items
        /// separated by `;` or `,`; the delimiter `,`, `;` or a tab.
        cases_csv: Option<String>,
        /// A CSV file of more workers, relative to this file: a header row naming `[[staff]]`
        /// keys (or their spreadsheet spellings, such as "Staff ID"), one worker a row, with the
        /// conventions of `cases_csv`.
        staff_csv: Option<String>,
        /// An Excel workbook (.xlsx) or OpenDocument spreadsheet (.ods) holding the team,
        /// relative to this file: a sheet `Staff` (one worker a row) and a sheet `Cases` (one
        /// case a row), each with a header row like a CSV file's. Either sheet may be left out
        /// when this file lists those entries instead; a sheet may not be combined with another
        /// source of the same entries.
        workbook: Option<String>,
        /// What-if overlay: the scenario this file changes, relative to this file. Then
        /// `[[staff]]` and `[[case]]` entries with an existing id change only the keys they give;
        /// new ids are added.
        extends: Option<String>,
        /// Overlay only: ids of workers of the extended scenario to take out. Their cases become
        /// new intake.
        remove_staff: Option<Vec<String>>,
        /// Overlay only: ids of cases of the extended scenario to take out.
        close_cases: Option<Vec<String>>,
        /// Policy for this team; each key set here overrides the model's `[policy]`.
        policy: Option<PolicyToml>,
        /// The workers, one `[[staff]]` table each.
        staff: Option<Vec<StaffToml>>,
        /// The cases, open and newly referred, one `[[case]]` table each.
        case: Option<Vec<CaseToml>>,
    }
}

toml_table! {
    /// One worker (`[[staff]]`).
    pub struct StaffToml {
        /// A short unique id, e.g. "maria": cases name their worker by it. At most 200
        /// characters, no control characters.
        id: String,
        /// The name shown in reports, e.g. "María Delgado".
        name: Option<String>,
        /// Full-time equivalent: 1.0 full time, 0.5 half time; from 0.01 to 1.5. Default 1.0.
        #[schemars(range(min = MIN_FTE, max = MAX_FTE), extend("default" = 1.0))]
        fte: Option<f64>,
        /// Acuity points the worker carries at 100% utilization, from 0.01 to 1,000,000. When
        /// left out: the model's `points_per_fte` times `fte`.
        #[schemars(range(min = CAPACITY_RANGE.0, max = CAPACITY_RANGE.1))]
        capacity: Option<f64>,
        /// The most cases the worker may hold, a whole number. When left out: no cap.
        max_cases: Option<u32>,
        /// The worker's skills, e.g. ["spanish", "youth"]: a case's `needs` must all be among
        /// them. Default none.
        skills: Option<Vec<String>>,
        /// `false` when the worker is on leave: their cases must move and they take none.
        /// Default `true`.
        #[schemars(extend("default" = true))]
        available: Option<bool>,
    }
}

toml_table! {
    /// One case (`[[case]]`); the same keys name the columns of a `cases_csv` file.
    pub struct CaseToml {
        /// A unique case id, e.g. "C-1001". At most 200 characters, no control characters.
        id: String,
        /// How much work the case is: a level of the model (e.g. "high") or a number of points.
        /// Required, except in an overlay entry that changes an existing case.
        acuity: Option<AcuityToml>,
        /// Factors of the model that add points, e.g. ["court-involved"]. Default none.
        factors: Option<Vec<String>>,
        /// Skills the worker holding the case must have, all of them, e.g. ["spanish"].
        /// Default none.
        needs: Option<Vec<String>>,
        /// The id of the worker holding the case today. Left out: new intake, to be placed.
        assigned: Option<String>,
        /// A family id: with `keep_families_together`, all cases of a family end with one
        /// worker.
        family: Option<String>,
        /// `true`: the case stays with its `assigned` worker. Default `false`.
        #[schemars(extend("default" = false))]
        pinned: Option<bool>,
        /// Ids of workers who must never hold the case (a conflict of interest). Default none.
        avoid: Option<Vec<String>>,
        /// Ids of workers the case would rather go to; a wish, honoured when it costs nothing
        /// else. Default none.
        prefer: Option<Vec<String>>,
    }
}

/// The other names a spreadsheet's header may give a `[[staff]]` key's column: a header names
/// the key when, ignoring case and everything but letters and digits, it is the key itself
/// (`Max cases` is `max_cases`) or one of these. Shown as written in messages and in
/// scenarios/README.md.
pub const STAFF_COLUMN_NAMES: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "Staff ID",
            "Worker ID",
            "Employee ID",
            "Staff",
            "Worker",
            "Case manager",
        ],
    ),
    (
        "name",
        &["Full name", "Staff name", "Worker name", "Display name"],
    ),
    ("fte", &["Full-time equivalent"]),
    ("capacity", &["Capacity points", "Max points"]),
    ("max_cases", &["Maximum cases", "Case limit", "Case cap"]),
    ("skills", &["Skill"]),
    ("available", &["Availability", "Active"]),
];

/// The other names a spreadsheet's header may give a `[[case]]` key's column, matched as
/// [`STAFF_COLUMN_NAMES`] are.
pub const CASE_COLUMN_NAMES: &[(&str, &[&str])] = &[
    ("id", &["Case ID", "Case", "Case number", "Case no"]),
    (
        "acuity",
        &["Level", "Acuity level", "Acuity points", "Points", "Weight"],
    ),
    ("factors", &["Factor", "Acuity factors", "Risk factors"]),
    (
        "needs",
        &[
            "Need",
            "Skills required",
            "Required skills",
            "Skills needed",
        ],
    ),
    (
        "assigned",
        &[
            "Assigned to",
            "Worker",
            "Case manager",
            "Caseworker",
            "Holder",
            "Held by",
            "Staff",
        ],
    ),
    ("family", &["Family ID", "Household", "Household ID"]),
    ("pinned", &["Pin"]),
    (
        "avoid",
        &["Conflicts", "Conflict of interest", "Do not assign"],
    ),
    ("prefer", &["Preferred", "Preferred workers", "Preference"]),
];

/// The key a spreadsheet column's header names, among `names` (a table of
/// [`STAFF_COLUMN_NAMES`] or [`CASE_COLUMN_NAMES`]).
pub fn column_key(names: &[(&'static str, &[&str])], header: &str) -> Option<&'static str> {
    let header = header_words(header);
    if header.is_empty() {
        return None;
    }
    names
        .iter()
        .find(|(key, others)| {
            header_words(key) == header || others.iter().any(|o| header_words(o) == header)
        })
        .map(|(key, _)| *key)
}

/// A header as [`column_key`] compares it: lower case, letters and digits only.
fn header_words(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A case's `acuity`.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum AcuityToml {
    /// Acuity points, from 0 to 1,000,000, e.g. 2.5.
    Points(#[schemars(range(min = 0.0, max = MAX_POINTS))] f64),
    /// A level of the model, e.g. "high".
    Level(String),
}

toml_table! {
    /// The policy (`[policy]`) of a model or a scenario. Each key left out comes from the
    /// model's `[policy]`, then from the built-in default.
    pub struct PolicyToml {
        /// The most discretionary reassignments one run may propose, a whole number. Moves a
        /// case must make (its worker on leave or no longer able to hold it) do not count.
        /// Built-in default 20; `--max-moves` overrides it.
        max_moves: Option<u32>,
        /// The share of capacity above which load is overload: 1.0 is 100% of capacity. Above
        /// 0; built-in default 1.0.
        #[schemars(extend("exclusiveMinimum" = 0))]
        target_utilization: Option<f64>,
        /// How much equity fewer moves may cost, in utilization: 0.01 is one point. 0 or more;
        /// built-in default 0.01.
        #[schemars(range(min = 0.0))]
        equity_tolerance: Option<f64>,
        /// Balance below the top, in utilization: no case is left with a worker when a
        /// colleague who may take it would end more than this below them. 0.05 is five points.
        /// 0 or more; built-in default 0.05; `--balance-band` overrides it.
        #[schemars(range(min = 0.0))]
        balance_band: Option<f64>,
        /// `true`: all cases of one family end with one worker. Built-in default `true`.
        keep_families_together: Option<bool>,
    }
}

toml_table! {
    /// An acuity model: how much work each case is and how much a full-time worker carries.
    #[schemars(title = "caseload acuity model")]
    pub struct ModelToml {
        /// The model's name, shown in reports. When left out: the file name.
        name: Option<String>,
        /// One or two sentences on what the scale is for.
        description: Option<String>,
        /// Acuity points one full-time worker carries at 100% utilization, above 0, e.g. 40.
        #[schemars(extend("exclusiveMinimum" = 0))]
        points_per_fte: f64,
        /// The levels and factors that weigh a case.
        acuity: AcuityScaleToml,
        /// The model's default policy; a scenario's `[policy]` overrides it key by key.
        policy: Option<PolicyToml>,
    }
}

toml_table! {
    /// A model's `[acuity]`: a case weighs its level's points plus those of its factors.
    pub struct AcuityScaleToml {
        /// Points of each level, e.g. `low = 1`, `high = 3`: a case's `acuity = "high"`. At
        /// least one level.
        #[schemars(extend("minProperties" = 1))]
        levels: BTreeMap<String, PointsToml>,
        /// Points each factor listed on a case adds, e.g. `court-involved = 1`. Default none.
        factors: Option<BTreeMap<String, PointsToml>>,
    }
}

/// Acuity points of a level or a factor: 0 or more, e.g. 2 or 0.5.
#[derive(Debug, Clone, PartialEq, JsonSchema)]
pub struct PointsToml(#[schemars(range(min = 0.0))] pub f64);

toml_table! {
    /// Hiring profiles for `caseload staffing --profiles`: the kinds of worker the agency could
    /// hire.
    #[schemars(title = "caseload hiring profiles")]
    pub struct ProfilesToml {
        /// The profiles, one `[[profile]]` table each; at least one.
        #[schemars(length(min = 1))]
        profile: Vec<ProfileToml>,
    }
}

toml_table! {
    /// One kind of worker that could be hired (`[[profile]]`).
    pub struct ProfileToml {
        /// The profile's name, e.g. "spanish-speaking".
        name: String,
        /// The hire's skills, e.g. ["spanish"]. Default none.
        skills: Option<Vec<String>>,
        /// Full-time equivalent of one hire, above 0 and at most 1.5. Default 1.0.
        #[schemars(range(max = MAX_FTE), extend("exclusiveMinimum" = 0, "default" = 1.0))]
        fte: Option<f64>,
        /// The relative cost of one hire (e.g. its FTE or its salary), above 0. Default: the
        /// FTE.
        #[schemars(extend("exclusiveMinimum" = 0))]
        cost: Option<f64>,
        /// The most hires of this profile, from 0 to 1,000. When left out: no cap.
        #[schemars(range(max = MAX_PROFILE_HIRES))]
        max: Option<u32>,
    }
}

/// The JSON Schema of scenario files (overlays included).
pub fn scenario_schema() -> Schema {
    toml_schema::<ScenarioToml>()
}

/// The JSON Schema of acuity model files.
pub fn model_schema() -> Schema {
    toml_schema::<ModelToml>()
}

/// The JSON Schema of hiring profiles files.
pub fn profiles_schema() -> Schema {
    toml_schema::<ProfilesToml>()
}

/// The schema of a TOML document read as JSON. TOML has no null: a key left out is how a value
/// is not given, so the null that optional keys would allow is taken out.
fn toml_schema<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .with_transform(RecursiveTransform(without_null))
        .into_generator()
        .into_root_schema_for::<T>()
}

/// `schema` without `null` among its types, or among the alternatives of an `anyOf`.
fn without_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".into(), only);
        }
    }
    let Some(serde_json::Value::Array(alternatives)) = object.get_mut("anyOf") else {
        return;
    };
    alternatives.retain(|a| a.get("type").is_none_or(|t| t != "null"));
    if let [only] = alternatives.as_slice() {
        let Some(only) = only.as_object().cloned() else {
            return;
        };
        object.remove("anyOf");
        for (key, value) in only {
            object.entry(key).or_insert(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use toml_edit::{value, DocumentMut, InlineTable, Item};

    use super::*;
    use crate::input::diagnostic::{Diagnostics, SourceFile};
    use crate::input::model_file::read_model;
    use crate::input::parse_toml;
    use crate::input::profiles::load_profiles;
    use crate::input::raw::{CASE_KEYS, SCENARIO_KEYS, STAFF_KEYS};
    use crate::input::scenario_file::read_scenario;

    /// A format: a valid document with every table in it, the format's schema, and its reader
    /// (the messages it gives for a text).
    struct Format {
        base: &'static str,
        schema: Schema,
        read: fn(&str) -> String,
    }

    fn scenario() -> Format {
        Format {
            base: "name = \"Team\"\n[policy]\nmax_moves = 3\n\
                   [[staff]]\nid = \"ana\"\n[[case]]\nid = \"C-1\"\nacuity = 2\n",
            schema: scenario_schema(),
            read: |text| {
                read_toml(text, |doc, file, diags| {
                    read_scenario(doc, file, diags);
                })
            },
        }
    }

    fn model() -> Format {
        Format {
            base: "points_per_fte = 40\n[acuity.levels]\nlow = 1\n[policy]\nmax_moves = 3\n",
            schema: model_schema(),
            read: |text| {
                read_toml(text, |doc, file, diags| {
                    read_model(doc, file, false, diags);
                })
            },
        }
    }

    fn profiles() -> Format {
        Format {
            base: "[[profile]]\nname = \"generalist\"\n",
            schema: profiles_schema(),
            read: |text| {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let path = dir.path().join("hires.toml");
                std::fs::write(&path, text).expect("written");
                match load_profiles(&path) {
                    Ok(_) => String::new(),
                    Err(e) => e.to_string(),
                }
            },
        }
    }

    /// The messages of reading `text` as a TOML document with `read`.
    fn read_toml(
        text: &str,
        read: impl FnOnce(&toml::de::DeTable<'_>, &SourceFile, &mut Diagnostics),
    ) -> String {
        let file = SourceFile::new("file.toml".into(), text.into());
        let mut diags = Diagnostics::new();
        if let Some(doc) = parse_toml(&file, "test", &mut diags) {
            read(doc.get_ref(), &file, &mut diags);
        }
        diags.iter().map(|d| format!("{d}\n")).collect()
    }

    /// Whether `text`, read as JSON, is valid against `schema`.
    fn valid(schema: &Schema, text: &str) -> bool {
        let instance: Value = toml::from_str(text).expect("TOML");
        jsonschema::draft202012::new(schema.as_value())
            .expect("the schema compiles")
            .is_valid(&instance)
    }

    /// `base` with `edit` made to it.
    fn edited(base: &str, edit: impl FnOnce(&mut DocumentMut)) -> String {
        let mut doc: DocumentMut = base.parse().expect("TOML");
        edit(&mut doc);
        doc.to_string()
    }

    /// True when a key's schema takes a table or a list of tables, false for values.
    fn takes_tables(property: &Value, schema: &Value) -> bool {
        let resolved = |s: &Value| match s.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema
                .pointer(reference.trim_start_matches('#'))
                .cloned()
                .expect("a reference to the schema's own definitions"),
            None => s.clone(),
        };
        let is_table = |s: &Value| resolved(s)["type"] == "object";
        is_table(property) || property.get("items").is_some_and(is_table)
    }

    /// Every key of the table `T`, given a value of the wrong type in the document `format`
    /// at `table`, is reported by the reader and refused by the schema; so is an unknown key.
    fn check_every_key<T: JsonSchema>(format: &Format, table: fn(&mut DocumentMut) -> &mut Item) {
        let own = toml_schema::<T>();
        assert_eq!((format.read)(format.base), "", "{}", format.base);
        assert!(valid(&format.schema, format.base), "{}", format.base);
        let properties = own
            .get("properties")
            .and_then(Value::as_object)
            .expect("a table has properties");
        for (key, property) in properties {
            let wrong = if takes_tables(property, own.as_value()) {
                value("x")
            } else {
                let mut table = InlineTable::new();
                table.insert("x", 1.into());
                value(table)
            };
            let text = edited(format.base, |doc| table(doc)[key.as_str()] = wrong);
            let messages = (format.read)(&text);
            assert!(
                messages.contains(&format!("`{key}`")) && messages.contains("must be"),
                "the reader does not read `{key}`:\n{text}\n{messages}"
            );
            assert!(!valid(&format.schema, &text), "the schema takes:\n{text}");
        }
        let text = edited(format.base, |doc| table(doc)["neds"] = value(1));
        assert!(
            (format.read)(&text).contains("unknown key `neds`"),
            "{text}"
        );
        assert!(!valid(&format.schema, &text), "the schema takes:\n{text}");
    }

    #[test]
    fn the_reader_reads_every_key_of_the_scenario_schema_and_no_other() {
        let format = scenario();
        check_every_key::<ScenarioToml>(&format, DocumentMut::as_item_mut);
        check_every_key::<PolicyToml>(&format, |doc| &mut doc["policy"]);
        check_every_key::<StaffToml>(&format, |doc| &mut doc["staff"][0]);
        check_every_key::<CaseToml>(&format, |doc| &mut doc["case"][0]);
    }

    #[test]
    fn the_reader_reads_every_key_of_the_model_schema_and_no_other() {
        let format = model();
        check_every_key::<ModelToml>(&format, DocumentMut::as_item_mut);
        check_every_key::<AcuityScaleToml>(&format, |doc| &mut doc["acuity"]);
        check_every_key::<PolicyToml>(&format, |doc| &mut doc["policy"]);
    }

    #[test]
    fn the_reader_reads_every_key_of_the_profiles_schema_and_no_other() {
        let format = profiles();
        check_every_key::<ProfilesToml>(&format, DocumentMut::as_item_mut);
        check_every_key::<ProfileToml>(&format, |doc| &mut doc["profile"][0]);
    }

    #[test]
    fn each_table_schema_has_exactly_the_keys_its_reader_accepts() {
        fn same<T: JsonSchema>(keys: &[&str]) {
            let schema = toml_schema::<T>();
            let mut properties: Vec<&str> = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let mut keys = keys.to_vec();
            properties.sort_unstable();
            keys.sort_unstable();
            assert_eq!(properties, keys, "{}", T::schema_name());
        }
        same::<ScenarioToml>(SCENARIO_KEYS);
        same::<StaffToml>(STAFF_KEYS);
        same::<CaseToml>(CASE_KEYS);
        same::<PolicyToml>(crate::input::model_file::POLICY_KEYS);
        same::<ModelToml>(ModelToml::KEYS);
        same::<AcuityScaleToml>(AcuityScaleToml::KEYS);
        same::<ProfilesToml>(ProfilesToml::KEYS);
        same::<ProfileToml>(ProfileToml::KEYS);
    }

    #[test]
    fn every_key_has_its_column_names_and_no_name_gives_two_keys() {
        for (names, keys) in [
            (STAFF_COLUMN_NAMES, STAFF_KEYS),
            (CASE_COLUMN_NAMES, CASE_KEYS),
        ] {
            let listed: Vec<&str> = names.iter().map(|(key, _)| *key).collect();
            assert_eq!(listed, keys);
            let mut seen = std::collections::BTreeMap::new();
            for (key, others) in names {
                for name in std::iter::once(*key).chain(others.iter().copied()) {
                    assert_eq!(column_key(names, name), Some(*key), "{name}");
                    let earlier = seen.insert(header_words(name), *key);
                    assert!(earlier.is_none(), "`{name}` given twice");
                }
            }
        }
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_punctuation() {
        for (header, key) in [
            ("Case ID", Some("id")),
            ("case_id", Some("id")),
            ("CASE-ID", Some("id")),
            ("Case #", Some("id")),
            ("  Acuity ", Some("acuity")),
            ("Skills required", Some("needs")),
            ("Worker", Some("assigned")),
            ("Assigned to:", Some("assigned")),
            ("Pinned?", Some("pinned")),
            ("Priority", None),
            ("", None),
            ("---", None),
        ] {
            assert_eq!(column_key(CASE_COLUMN_NAMES, header), key, "{header}");
        }
        assert_eq!(
            column_key(STAFF_COLUMN_NAMES, "Max cases"),
            Some("max_cases")
        );
        assert_eq!(column_key(STAFF_COLUMN_NAMES, "Worker"), Some("id"));
        assert_eq!(column_key(STAFF_COLUMN_NAMES, "FTE"), Some("fte"));
    }

    #[test]
    fn toml_schemas_allow_no_null() {
        for schema in [scenario_schema(), model_schema(), profiles_schema()] {
            let text = serde_json::to_string(&schema).expect("JSON");
            assert!(!text.contains("\"null\""), "{text}");
        }
    }
}
