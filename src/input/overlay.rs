//! What-if overlays: a scenario that says `extends = "team.toml"` and lists only its changes.
//!
//! Overlays are merged as raw entries, before validation, so every value keeps the file, line
//! and column it was written at: a mistake in an overlay is reported at the overlay's own line,
//! one in the extended scenario at that scenario's. The rules, in the scenario format itself:
//! a `[[staff]]` or `[[case]]` entry whose id exists changes only the keys it gives; one with a
//! new id is added; `remove_staff` and `close_cases` take entries out; `[policy]` keys override
//! key by key; `cases_csv`, `staff_csv` and a `workbook` add entries; `name` and `model`
//! replace. An overlay may extend an
//! overlay; a cycle is an error.

use std::path::{Path, PathBuf};

use crate::input::diagnostic::Diagnostics;
use crate::input::model_file::PolicyOverrides;
use crate::input::raw::{Field, RawCase, RawScenario, RawStaff, CASE_KEYS, STAFF_KEYS};
use crate::input::suggest::did_you_mean;

/// The deepest chain of overlays followed; deeper is surely a mistake.
pub const MAX_DEPTH: usize = 32;

/// The scenario files being read, outermost first, to refuse cycles.
pub(crate) type Chain = Vec<PathBuf>;

/// A key of the chain: the canonical path when the file exists, else the path as given.
pub(crate) fn chain_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Applies `overlay` to `base` (the base with the entries of its CSV files and workbook already
/// read into `staff` and `cases`; the overlay's are added after).
pub(crate) fn apply_overlay(
    mut base: RawScenario,
    overlay: RawScenario,
    overlay_path: &Path,
    diags: &mut Diagnostics,
) -> RawScenario {
    repeated_ids(
        overlay.staff.iter().map(|s| s.id.as_ref()),
        "[[staff]] entry",
        diags,
    );
    repeated_ids(
        overlay.cases.iter().map(|c| c.id.as_ref()),
        "[[case]] entry",
        diags,
    );
    repeated_ids(
        overlay.remove_staff.iter().map(Some),
        "`remove_staff`",
        diags,
    );
    repeated_ids(overlay.close_cases.iter().map(Some), "`close_cases`", diags);
    for id in &overlay.remove_staff {
        let Some(position) = base
            .staff
            .iter()
            .position(|s| s.id.as_ref().is_some_and(|f| f.value == id.value))
        else {
            let ids: Vec<&str> = base
                .staff
                .iter()
                .filter_map(|s| s.id.as_ref().map(|f| f.value.as_str()))
                .collect();
            diags.push(unknown(id, "worker", "remove_staff", &ids));
            continue;
        };
        base.staff.remove(position);
        forget_worker(&mut base.cases, &id.value);
    }
    for id in &overlay.close_cases {
        let Some(position) = base
            .cases
            .iter()
            .position(|c| c.id.as_ref().is_some_and(|f| f.value == id.value))
        else {
            let ids: Vec<&str> = base
                .cases
                .iter()
                .filter_map(|c| c.id.as_ref().map(|f| f.value.as_str()))
                .collect();
            diags.push(unknown(id, "case", "close_cases", &ids));
            continue;
        };
        base.cases.remove(position);
    }
    // Workers this overlay puts on leave, with where it says so.
    let mut on_leave: Vec<(String, Field<bool>)> = Vec::new();
    for staff in overlay.staff {
        if let (Some(id), Some(available)) = (&staff.id, &staff.available) {
            if !available.value {
                on_leave.push((id.value.clone(), available.clone()));
            }
        }
        let existing = staff.id.as_ref().and_then(|id| {
            base.staff
                .iter_mut()
                .find(|s| s.id.as_ref().is_some_and(|f| f.value == id.value))
        });
        match existing {
            Some(target) => patch_staff(target, staff),
            None => base.staff.push(staff),
        }
    }
    // Cases whose pin this overlay sets itself: a pin it asks for is kept, and checked.
    let pinned_here: Vec<String> = overlay
        .cases
        .iter()
        .filter(|c| c.keys.gives(CASE_KEYS, "pinned"))
        .filter_map(|c| c.id.as_ref().map(|id| id.value.clone()))
        .collect();
    for case in overlay.cases {
        let existing = case.id.as_ref().and_then(|id| {
            base.cases
                .iter_mut()
                .find(|c| c.id.as_ref().is_some_and(|f| f.value == id.value))
        });
        match existing {
            Some(target) => patch_case(target, case),
            None => base.cases.push(case),
        }
    }
    for (worker, said) in &on_leave {
        lift_pins_of_worker_on_leave(&mut base.cases, worker, said, &pinned_here, diags);
    }
    // Without a name of its own, the overlay is told apart by its file name.
    let name = overlay.name.or_else(|| {
        base.name.map(|base_name| {
            let stem = overlay_path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Field {
                value: format!("{} — {stem}", base_name.value),
                at: base_name.at,
            }
        })
    });
    RawScenario {
        name,
        model: overlay.model.or(base.model),
        cases_csv: overlay.cases_csv.or(base.cases_csv),
        staff_csv: overlay.staff_csv.or(base.staff_csv),
        workbook: overlay.workbook.or(base.workbook),
        extends: None,
        remove_staff: Vec::new(),
        close_cases: Vec::new(),
        policy: merge_policy(base.policy, overlay.policy),
        staff: base.staff,
        cases: base.cases,
    }
}

/// Reports an id given twice within one overlay (in entries or in a list): which of the two
/// is meant would be a guess.
fn repeated_ids<'a>(
    ids: impl Iterator<Item = Option<&'a Field<String>>>,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: std::collections::HashMap<&str, &Field<String>> =
        std::collections::HashMap::new();
    for id in ids.flatten() {
        if let Some(first) = seen.get(id.value.as_str()) {
            diags.push(
                id.at
                    .error(format!(
                        "`{}` is given twice in this overlay ({what})",
                        id.value
                    ))
                    .with_help(format!(
                        "it is first given at {}; give each change once",
                        first.at.location()
                    )),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}

fn unknown(
    id: &Field<String>,
    what: &str,
    key: &str,
    ids: &[&str],
) -> crate::input::diagnostic::Diagnostic {
    let help = match did_you_mean(&id.value, ids) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("`{key}` names {what}s of the extended scenario by id"),
    };
    id.at
        .error(format!(
            "`{key}` names `{}`, but the extended scenario has no {what} with that id",
            id.value
        ))
        .with_help(help)
}

/// A worker the overlay puts on leave no longer holds their pinned cases to them: the pins are
/// lifted, with a warning naming the cases, so that the overlay gives the same answer as
/// `whatif --leave` (a pin the overlay sets itself is kept, and validation says it cannot be
/// honoured).
fn lift_pins_of_worker_on_leave(
    cases: &mut [RawCase],
    worker: &str,
    said: &Field<bool>,
    pinned_here: &[String],
    diags: &mut Diagnostics,
) {
    let mut lifted = Vec::new();
    for case in cases.iter_mut() {
        let id = case
            .id
            .as_ref()
            .map(|f| f.value.clone())
            .unwrap_or_default();
        if case.assigned.as_ref().is_some_and(|a| a.value == worker)
            && case.pinned.as_ref().is_some_and(|p| p.value)
            && !pinned_here.contains(&id)
        {
            case.pinned = None;
            lifted.push(format!("`{id}`"));
        }
    }
    if lifted.is_empty() {
        return;
    }
    diags.push(
        said.at
            .warning(format!(
                "`{worker}` is on leave here, so the pins of {} to them are lifted",
                lifted.join(", ")
            ))
            .with_help("as `caseload whatif --leave` does; pin a case to another worker in this overlay to keep it pinned"),
    );
}

/// A worker taken out of the team: their cases become intake (no holder, no pin), and wishes
/// naming them are dropped.
fn forget_worker(cases: &mut [RawCase], id: &str) {
    for case in cases {
        if case.assigned.as_ref().is_some_and(|a| a.value == id) {
            case.assigned = None;
            case.pinned = None;
        }
        case.avoid.retain(|a| a.value != id);
        case.prefer.retain(|p| p.value != id);
    }
}

fn patch_staff(target: &mut RawStaff, change: RawStaff) {
    let gives = |key| change.keys.gives(STAFF_KEYS, key);
    if gives("name") {
        target.name = change.name;
    }
    if gives("fte") {
        target.fte = change.fte;
    }
    if gives("capacity") {
        target.capacity = change.capacity;
    }
    if gives("max_cases") {
        target.max_cases = change.max_cases;
    }
    if gives("skills") {
        target.skills = change.skills;
    }
    if gives("available") {
        target.available = change.available;
    }
    target.keys = target.keys.union(change.keys);
}

fn patch_case(target: &mut RawCase, change: RawCase) {
    let gives = |key| change.keys.gives(CASE_KEYS, key);
    if gives("acuity") {
        target.acuity = change.acuity;
    }
    if gives("factors") {
        target.factors = change.factors;
    }
    if gives("needs") {
        target.needs = change.needs;
    }
    if gives("assigned") {
        target.assigned = change.assigned;
    }
    if gives("family") {
        target.family = change.family;
    }
    if gives("pinned") {
        target.pinned = change.pinned;
    }
    if gives("avoid") {
        target.avoid = change.avoid;
    }
    if gives("prefer") {
        target.prefer = change.prefer;
    }
    target.keys = target.keys.union(change.keys);
}

fn merge_policy(base: PolicyOverrides, overlay: PolicyOverrides) -> PolicyOverrides {
    let max_moves_from_overlay = overlay.max_moves.is_some();
    PolicyOverrides {
        max_moves: overlay.max_moves.or(base.max_moves),
        max_moves_at: if max_moves_from_overlay {
            overlay.max_moves_at
        } else {
            base.max_moves_at
        },
        target_utilization: overlay.target_utilization.or(base.target_utilization),
        equity_tolerance: overlay.equity_tolerance.or(base.equity_tolerance),
        balance_band: overlay.balance_band.or(base.balance_band),
        keep_families_together: overlay
            .keep_families_together
            .or(base.keep_families_together),
    }
}
