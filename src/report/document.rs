//! The outer shape every JSON output shares: the [`Provenance`] (`caseload_version`,
//! `format_version`, `inputs`) as its first fields, then the fields of the document itself, so
//! that a batch job reads where any output came from the same way.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde::Serialize;

use crate::input::provenance::Provenance;

/// A JSON document: the provenance's fields first, then the body's.
#[derive(Serialize, JsonSchema)]
pub struct JsonDocument<'a, T> {
    /// Who wrote the document, in which format, from which files.
    #[serde(flatten)]
    pub provenance: &'a Provenance,
    /// The document's own fields (a body that serializes as a JSON object).
    #[serde(flatten)]
    pub body: &'a T,
}

/// `body` as a JSON document after `provenance`: pretty-printed, ending with a newline.
pub fn json_document<T: Serialize>(provenance: &Provenance, body: &T) -> String {
    let mut text = serde_json::to_string_pretty(&JsonDocument { provenance, body })
        .expect("a JSON document serializes");
    text.push('\n');
    text
}

/// The JSON Schema (draft 2020-12) of the documents whose body is a `T`: the provenance's
/// fields and the body's, generated from the structs that write them; titled `title` and
/// described as `T` is.
pub fn document_schema<T: JsonSchema + 'static>(title: &str) -> Schema {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let description = T::json_schema(&mut generator).get("description").cloned();
    let mut schema = generator.into_root_schema_for::<JsonDocument<'static, T>>();
    schema.insert("title".into(), title.into());
    match description {
        Some(description) => schema.insert("description".into(), description),
        None => schema.remove("description"),
    };
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::provenance::InputFile;
    use std::path::Path;

    #[test]
    fn the_provenance_comes_first_then_the_body() {
        let provenance = Provenance::of([InputFile::of(Path::new("team.toml"), b"x")]);
        let body = serde_json::json!({"assignments": {}, "scenario": "t"});
        let text = json_document(&provenance, &body);
        let keys: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  \""))
            .map(|l| l.trim().split('"').nth(1).unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "caseload_version",
                "format_version",
                "inputs",
                "assignments",
                "scenario"
            ]
        );
        assert!(text.ends_with("}\n"));
    }
}
