//! Reading values out of a parsed TOML table while keeping their spans and collecting problems.
//!
//! We walk the spanned document tree (`toml::de::DeTable`) instead of deriving `Deserialize`:
//! serde stops at the first mismatch, and we want every problem of a file at once, each with its
//! line and column, plus "did you mean" hints for unknown keys.

use std::ops::Range;

use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

use crate::input::diagnostic::{Diagnostics, SourceFile};
use crate::input::suggest::did_you_mean;

/// A value read from the input, with the byte range it came from.
pub type Sp<T> = Spanned<T>;

/// Reads the keys of one table, remembering which keys were read so the rest can be reported
/// as unknown.
pub struct TableReader<'t, 'i> {
    table: &'t DeTable<'i>,
    /// Span used for problems of the table itself (e.g. a missing key): its header.
    header: Range<usize>,
    /// How messages name the table, e.g. `[[staff]]` or ``[[case]] `C-7` ``.
    pub context: String,
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// Starts reading `table`; `header` is the span to point at for missing keys.
    pub fn new(table: &'t DeTable<'i>, header: Range<usize>, context: impl Into<String>) -> Self {
        TableReader {
            table,
            header,
            context: context.into(),
        }
    }

    /// The span of the table's header.
    pub fn header(&self) -> Range<usize> {
        self.header.clone()
    }

    fn get(&self, key: &str) -> Option<(&'t Spanned<DeValue<'i>>, Range<usize>)> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
    }

    /// Reports every key not in `known`, suggesting the closest known key.
    pub fn reject_unknown(&self, known: &[&str], file: &SourceFile, diags: &mut Diagnostics) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let mut d = file.error(
                &key.span(),
                format!("unknown key `{name}` in {}", self.context),
            );
            d = match did_you_mean(name, known) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "the keys of {} are: {}",
                    self.context,
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            diags.push(d);
        }
    }

    fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) {
        diags.push(
            file.error(
                &value.span(),
                format!(
                    "`{key}` in {} must be {expected}, not {}",
                    self.context,
                    describe(value.get_ref())
                ),
            )
            .with_help(format!("write `{key} = ` followed by {expected}")),
        );
    }

    /// A string, or `None` (with an error if the key is there with another type).
    pub fn string(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<Sp<String>> {
        let (value, _) = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
            _ => {
                self.wrong_type(key, value, "a string in quotes", file, diags);
                None
            }
        }
    }

    /// A boolean.
    pub fn boolean(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<Sp<bool>> {
        let (value, _) = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Spanned::new(value.span(), *b)),
            _ => {
                self.wrong_type(key, value, "`true` or `false`", file, diags);
                None
            }
        }
    }

    /// A number (integer or float), not yet range-checked; non-finite numbers are reported.
    pub fn number(&self, key: &str, file: &SourceFile, diags: &mut Diagnostics) -> Option<Sp<f64>> {
        let (value, _) = self.get(key)?;
        match number_of(value.get_ref()) {
            Some(n) if n.is_finite() => Some(Spanned::new(value.span(), n)),
            Some(n) => {
                diags.push(
                    file.error(
                        &value.span(),
                        format!(
                            "`{key}` in {} is {n}, which is not a finite number",
                            self.context
                        ),
                    )
                    .with_help("give an ordinary number such as 1 or 2.5"),
                );
                None
            }
            None => {
                self.wrong_type(key, value, "a number", file, diags);
                None
            }
        }
    }

    /// A number or a string (for `acuity`, which is points or a level name).
    pub fn number_or_string(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<Sp<NumberOrName>> {
        let (value, _) = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned::new(
                value.span(),
                NumberOrName::Name(s.to_string()),
            )),
            other => match number_of(other) {
                Some(n) => Some(Spanned::new(value.span(), NumberOrName::Number(n))),
                None => {
                    self.wrong_type(
                        key,
                        value,
                        "a number or a level name in quotes",
                        file,
                        diags,
                    );
                    None
                }
            },
        }
    }

    /// A list of strings; every element that is not a string is reported.
    pub fn string_list(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Sp<String>>> {
        let (value, _) = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            let hint = match value.get_ref() {
                DeValue::String(s) => format!("write `{key} = [\"{s}\"]`"),
                _ => format!("write `{key} = [\"...\", \"...\"]`"),
            };
            diags.push(
                file.error(
                    &value.span(),
                    format!(
                        "`{key}` in {} must be a list of strings, not {}",
                        self.context,
                        describe(value.get_ref())
                    ),
                )
                .with_help(hint),
            );
            return None;
        };
        Some(strings_of(key, items, &self.context, file, diags))
    }

    /// A sub-table, e.g. `[policy]`.
    pub fn table(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let (value, key_span) = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some((t, key_span)),
            _ => {
                diags.push(
                    file.error(
                        &value.span(),
                        format!("`{key}` must be a table, written `[{key}]` on a line of its own"),
                    )
                    .with_help(format!("put the settings under a `[{key}]` header")),
                );
                None
            }
        }
    }

    /// An array of tables, e.g. `[[staff]]`: each table with the span of its entry.
    pub fn array_of_tables(
        &self,
        key: &str,
        file: &SourceFile,
        diags: &mut Diagnostics,
    ) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some((value, key_span)) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            diags.push(
                file.error(
                    &key_span,
                    format!("`{key}` must be a list of entries, each starting with `[[{key}]]`"),
                )
                .with_help(format!("write each entry under its own `[[{key}]]` header")),
            );
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => tables.push((t, item.span())),
                other => diags.push(file.error(
                    &item.span(),
                    format!(
                        "each `{key}` entry must be a table, not {}",
                        describe(other)
                    ),
                )),
            }
        }
        tables
    }
}

/// An `acuity` value before the model resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrName {
    /// Points given directly.
    Number(f64),
    /// A level name.
    Name(String),
}

fn strings_of(
    key: &str,
    items: &DeArray<'_>,
    context: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Vec<Sp<String>> {
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
            other => diags.push(
                file.error(
                    &item.span(),
                    format!(
                        "`{key}` in {context} must list strings, but this element is {}",
                        describe(other)
                    ),
                )
                .with_help("put each name in double quotes"),
            ),
        }
    }
    out
}

/// The numeric value of an integer or float, if it is one.
fn number_of(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let (negative, digits) = match digits.strip_prefix('-') {
                Some(rest) => (true, rest.to_string()),
                None => (false, digits.trim_start_matches('+').to_string()),
            };
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b");
            let magnitude = i128::from_str_radix(digits, i.radix()).ok()? as f64;
            Some(if negative { -magnitude } else { magnitude })
        }
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            match text.trim_start_matches(['+', '-']) {
                "inf" => Some(if text.starts_with('-') {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }),
                "nan" => Some(f64::NAN),
                _ => text.parse().ok(),
            }
        }
        _ => None,
    }
}

/// "a string", "a list", ... for messages.
pub fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(_) => "a date".to_string(),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_number(text: &str) -> Option<f64> {
        let doc = DeTable::parse(text).unwrap();
        let v = doc.get_ref().iter().next().unwrap().1.get_ref().clone();
        number_of(&v)
    }

    #[test]
    fn integers_and_floats_of_every_toml_spelling() {
        assert_eq!(parse_number("x = 40"), Some(40.0));
        assert_eq!(parse_number("x = -3"), Some(-3.0));
        assert_eq!(parse_number("x = 1_000"), Some(1000.0));
        assert_eq!(parse_number("x = 0x10"), Some(16.0));
        assert_eq!(parse_number("x = 2.5"), Some(2.5));
        assert_eq!(parse_number("x = 1e2"), Some(100.0));
        assert_eq!(parse_number("x = inf"), Some(f64::INFINITY));
        assert!(parse_number("x = nan").unwrap().is_nan());
        assert_eq!(parse_number("x = \"3\""), None);
    }
}
