//! Acuity model files (`models/*.toml`): levels, factors, points per FTE and default policy.
//!
//! A model is read and validated on its own, so its problems point at its own lines whichever
//! scenario names it. The `[policy]` reader here is shared with the scenario file, whose
//! `[policy]` overrides the model's key by key.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::de::DeTable;

use crate::domain::names::name_key;
use crate::domain::{AcuityModel, Points, Policy, Source};
use crate::input::diagnostic::{Diagnostics, Location, SourceFile};
use crate::input::formats::{AcuityScaleToml, ModelToml, PolicyToml};
use crate::input::toml_reader::{Sp, TableReader};

/// The model compiled into the binary, used when a scenario names none.
pub const BUILTIN_MODEL_TOML: &str = include_str!("../../models/standard.toml");

/// Keys of `[policy]`, in the order the documentation gives them: the fields of [`PolicyToml`].
pub const POLICY_KEYS: &[&str] = PolicyToml::KEYS;

/// Policy keys a file sets; absent keys fall back to the next source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyOverrides {
    /// `max_moves`, if set.
    pub max_moves: Option<u32>,
    /// Where `max_moves` was set.
    pub max_moves_at: Option<Location>,
    /// `target_utilization`, if set.
    pub target_utilization: Option<f64>,
    /// `equity_tolerance`, if set.
    pub equity_tolerance: Option<f64>,
    /// `balance_band`, if set.
    pub balance_band: Option<f64>,
    /// `keep_families_together`, if set.
    pub keep_families_together: Option<bool>,
}

impl PolicyOverrides {
    /// `base` with the keys set here replacing its own.
    pub fn apply_to(&self, base: Policy) -> Policy {
        Policy {
            max_moves: self.max_moves.unwrap_or(base.max_moves),
            max_moves_source: match (&self.max_moves, &self.max_moves_at) {
                (Some(_), Some(at)) => Source::File(at.clone()),
                _ => base.max_moves_source,
            },
            target_utilization: self.target_utilization.unwrap_or(base.target_utilization),
            equity_tolerance: self.equity_tolerance.unwrap_or(base.equity_tolerance),
            balance_band: self.balance_band.unwrap_or(base.balance_band),
            keep_families_together: self
                .keep_families_together
                .unwrap_or(base.keep_families_together),
        }
    }
}

/// A model file's content, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFile {
    /// Levels, factors and points per FTE.
    pub model: AcuityModel,
    /// The model's `[policy]` keys.
    pub policy: PolicyOverrides,
}

const MODEL_KEYS: &[&str] = ModelToml::KEYS;
const ACUITY_KEYS: &[&str] = AcuityScaleToml::KEYS;

/// Reads a model from its parsed document; problems go to `diags` (located in `file`).
pub fn read_model(
    doc: &DeTable<'_>,
    file: &SourceFile,
    builtin: bool,
    diags: &mut Diagnostics,
) -> Option<ModelFile> {
    let top = TableReader::new(doc, 0..0, "the model file");
    top.reject_unknown(MODEL_KEYS, file, diags);
    let errors_before = diags.error_count();

    let name = top.string("name", file, diags).map(|s| s.into_inner());
    let _description = top.string("description", file, diags);
    let points_per_fte = top.number("points_per_fte", file, diags);
    match &points_per_fte {
        None if !doc.contains_key("points_per_fte") => diags.push(
            file.error(&(0..0), "the model has no `points_per_fte`")
                .with_help(
                "add `points_per_fte = 40` (acuity points one full-time worker carries at target)",
            ),
        ),
        Some(p) if *p.get_ref() <= 0.0 => diags.push(
            file.error(
                &p.span(),
                format!(
                    "`points_per_fte` is {}, but must be greater than 0",
                    p.get_ref()
                ),
            )
            .with_help("give the acuity points one full-time worker carries, e.g. 40"),
        ),
        _ => {}
    }

    let mut levels = BTreeMap::new();
    let mut factors = BTreeMap::new();
    match top.table("acuity", file, diags) {
        Some((acuity, span)) => {
            let reader = TableReader::new(acuity, span.clone(), "[acuity]");
            reader.reject_unknown(ACUITY_KEYS, file, diags);
            match reader.table("levels", file, diags) {
                Some((table, span)) => {
                    levels = read_points_table(table, span.clone(), "[acuity.levels]", file, diags);
                    if levels.is_empty() && table.is_empty() {
                        diags.push(
                            file.error(&span, "[acuity.levels] lists no level")
                                .with_help("add at least one level, e.g. `low = 1`"),
                        );
                    }
                }
                None if !acuity.contains_key("levels") => diags.push(
                    file.error(&span, "the model has no [acuity.levels]")
                        .with_help("add an [acuity.levels] table, e.g. `low = 1`, `high = 3`"),
                ),
                None => {}
            }
            if let Some((table, span)) = reader.table("factors", file, diags) {
                factors = read_points_table(table, span, "[acuity.factors]", file, diags);
            }
        }
        None if !doc.contains_key("acuity") => diags.push(
            file.error(&(0..0), "the model has no [acuity.levels] table")
                .with_help("add `[acuity.levels]` with at least one level, e.g. `low = 1`"),
        ),
        None => {}
    }

    let policy = match top.table("policy", file, diags) {
        Some((table, span)) => read_policy(table, span, file, diags),
        None => PolicyOverrides::default(),
    };

    if diags.error_count() > errors_before {
        return None;
    }
    let name = name.unwrap_or_else(|| {
        file.path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into())
    });
    Some(ModelFile {
        model: AcuityModel {
            name,
            path: (!builtin).then(|| file.path().to_path_buf()),
            points_per_fte: points_per_fte.map(|p| p.into_inner()).unwrap_or(0.0),
            levels,
            factors,
        },
        policy,
    })
}

/// A table of `name = points`, each points value a finite number >= 0.
fn read_points_table(
    table: &DeTable<'_>,
    span: Range<usize>,
    context: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Points> {
    let reader = TableReader::new(table, span, context);
    let mut out = BTreeMap::new();
    let mut keys: HashMap<String, &str> = HashMap::new();
    // In the order written, so that a name given twice is reported where it is given again.
    let mut written: Vec<_> = table.iter().map(|(key, _)| key).collect();
    written.sort_by_key(|key| key.span().start);
    for key in written {
        let name = key.get_ref().as_ref();
        if let Some(points) = reader.number(name, file, diags) {
            if let Some(first) = keys.get(&name_key(name)) {
                diags.push(
                    file.error(
                        &key.span(),
                        format!("`{name}` in {context} is the same name as `{first}`"),
                    )
                    .with_help("names of levels, factors and skills are matched whatever their case and spacing: keep one of the two"),
                );
            } else if *points.get_ref() < 0.0 {
                diags.push(
                    file.error(
                        &points.span(),
                        format!(
                            "`{name}` in {context} is {}, but points cannot be negative",
                            points.get_ref()
                        ),
                    )
                    .with_help("give 0 or more points"),
                );
            } else {
                keys.insert(name_key(name), name);
                out.insert(name.to_string(), points.into_inner());
            }
        }
    }
    out
}

/// Reads a `[policy]` table (of a model or a scenario).
pub fn read_policy(
    table: &DeTable<'_>,
    span: Range<usize>,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> PolicyOverrides {
    let reader = TableReader::new(table, span, "[policy]");
    reader.reject_unknown(POLICY_KEYS, file, diags);
    let max_moves_number = reader.number("max_moves", file, diags);
    let max_moves_at = max_moves_number.as_ref().map(|n| file.location(&n.span()));
    let max_moves = max_moves_number.and_then(|n| {
        let v = *n.get_ref();
        if v < 0.0 || v.fract() != 0.0 || v > f64::from(u32::MAX) {
            diags.push(
                file.error(
                    &n.span(),
                    format!("`max_moves` is {v}, but must be a whole number 0 or more"),
                )
                .with_help(
                    "give how many discretionary reassignments one run may propose, e.g. 20",
                ),
            );
            None
        } else {
            Some(v as u32)
        }
    });
    let target_utilization = positive(
        reader.number("target_utilization", file, diags),
        "target_utilization",
        "e.g. 1.0 for 100% of capacity",
        file,
        diags,
    );
    let equity_tolerance = reader
        .number("equity_tolerance", file, diags)
        .and_then(|n| {
            non_negative(
                &n,
                "equity_tolerance",
                "e.g. 0.01 (one utilization point)",
                file,
                diags,
            )
        });
    let balance_band = reader.number("balance_band", file, diags).and_then(|n| {
        non_negative(
            &n,
            "balance_band",
            "e.g. 0.05 (five utilization points)",
            file,
            diags,
        )
    });
    let keep_families_together = reader
        .boolean("keep_families_together", file, diags)
        .map(|b| b.into_inner());
    PolicyOverrides {
        max_moves,
        max_moves_at,
        target_utilization,
        equity_tolerance,
        balance_band,
        keep_families_together,
    }
}

fn positive(
    n: Option<Sp<f64>>,
    key: &str,
    example: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<f64> {
    let n = n?;
    if *n.get_ref() <= 0.0 {
        diags.push(
            file.error(
                &n.span(),
                format!("`{key}` is {}, but must be greater than 0", n.get_ref()),
            )
            .with_help(format!("give a positive number, {example}")),
        );
        return None;
    }
    Some(n.into_inner())
}

fn non_negative(
    n: &Sp<f64>,
    key: &str,
    example: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<f64> {
    if *n.get_ref() < 0.0 {
        diags.push(
            file.error(
                &n.span(),
                format!("`{key}` is {}, but cannot be negative", n.get_ref()),
            )
            .with_help(format!("give 0 or more, {example}")),
        );
        return None;
    }
    Some(*n.get_ref())
}
