//! A what-if kept as a file: the changes `caseload whatif` and the dashboard ask about, written
//! as an overlay (`extends = "team.toml"`, see [`crate::input::overlay`]) that means exactly
//! what the what-if did, so that `caseload rebalance` on it gives the what-if's proposal.
//!
//! The overlay is written from the difference between today's team and the team
//! [`apply_changes`] makes of it, not from a second reading of the changes: a worker on leave is
//! `available = false`, with `pinned = false` on the cases whose pins the leave lifts (so that
//! loading it warns of nothing); an FTE change gives the new `fte` and the capacity the what-if
//! gave (the base may set capacity itself, which an `fte` alone would not change); a hire and a
//! surge's cases are written with every key as the what-if created them. Values are written by
//! the `toml` crate, so any id reads back as it was. What an overlay cannot say (a key taken
//! away, a number a scenario file refuses) is an error, never an overlay that means something
//! else; only the name, which means nothing to a solve, is cut to the length a file takes.

use std::path::{Path, PathBuf};

use thiserror::Error;
use toml::Value;

use crate::domain::{Acuity, Case, Scenario, Staff, MAX_FTE};
use crate::input::apply::{parent_dir, relocate};
use crate::input::limits::{is_unprintable, CAPACITY_RANGE, MAX_ID_CHARS, MIN_FTE};
use crate::plan::whatif::{apply_changes, Change, ChangeError};

/// The policy a what-if changes, as `--max-moves`, `--balance-band` and `--target` give it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PolicyChanges {
    /// The move budget (`max_moves`).
    pub max_moves: Option<u32>,
    /// The balance band (`balance_band`).
    pub balance_band: Option<f64>,
    /// The target utilization (`target_utilization`).
    pub target: Option<f64>,
}

impl PolicyChanges {
    /// Each change in words, as the dashboard lists a what-if and an overlay's name ends:
    /// "a budget of 10 moves", "a balance band of 0.1", "a target of 0.9".
    pub fn said(&self) -> Vec<String> {
        let budget = self.max_moves.map(|n| format!("a budget of {n} moves"));
        let band = self.balance_band.map(|b| format!("a balance band of {b}"));
        let target = self.target.map(|t| format!("a target of {t}"));
        [budget, band, target].into_iter().flatten().collect()
    }

    /// The `[policy]` keys that say the same, in file order.
    fn keys(&self) -> Vec<(&'static str, Value)> {
        let budget = self
            .max_moves
            .map(|n| ("max_moves", Value::from(i64::from(n))));
        let band = self.balance_band.map(|b| ("balance_band", Value::from(b)));
        let target = self.target.map(|t| ("target_utilization", Value::from(t)));
        [budget, band, target].into_iter().flatten().collect()
    }

    /// The options of `caseload whatif` (or `rebalance`) that say the same.
    fn options(&self) -> Vec<String> {
        let budget = self
            .max_moves
            .map(|n| ["--max-moves".into(), n.to_string()]);
        let band = self
            .balance_band
            .map(|b| ["--balance-band".into(), b.to_string()]);
        let target = self.target.map(|t| ["--target".into(), t.to_string()]);
        [budget, band, target]
            .into_iter()
            .flatten()
            .flatten()
            .collect()
    }
}

/// A what-if as asked: the changes to today's team, the policy, and the model.
#[derive(Debug, Clone, Copy)]
pub struct WhatIfAsked<'a> {
    /// Today's team, as loaded; its `path` is the scenario the overlay extends.
    pub today: &'a Scenario,
    /// The changes, in the order they are applied.
    pub changes: &'a [Change],
    /// The policy it changes.
    pub policy: PolicyChanges,
    /// The model file used instead of the scenario's (`--model`), as given (relative to the
    /// working folder).
    pub model: Option<&'a Path>,
}

/// Why a what-if cannot be kept as an overlay.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OverlayError {
    /// The changes do not fit the team (as the what-if itself would say).
    #[error("the changes do not fit the team")]
    Change(ChangeError),
    /// The what-if gives a number that a scenario file refuses.
    #[error("{key} of `{owner}` would be {value}, but a scenario file takes {least} to {most}, so the what-if cannot be kept as an overlay that means the same")]
    OutOfFileRange {
        /// The key, e.g. `fte`.
        key: &'static str,
        /// The worker.
        owner: String,
        /// The what-if's value.
        value: f64,
        /// The least a file takes.
        least: f64,
        /// The most a file takes.
        most: f64,
    },
    /// The what-if does something an overlay has no way to say.
    #[error("an overlay cannot say that {what}")]
    Unsayable {
        /// What it does, e.g. "the holder of `C-1` is taken away".
        what: String,
    },
    /// A path the overlay names cannot be written in it.
    #[error("`{}` cannot be named in an overlay: {problem}", path.display())]
    Path {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        problem: &'static str,
    },
}

/// The overlay that says `asked`, to be written at `overlay` (whose folder `extends` and
/// `model` are written relative to): a header saying what it is and the command that asks the
/// same, `extends`, the changed team's `name`, `[policy]`, then the `[[staff]]` and `[[case]]`
/// entries the what-if changes or adds.
pub fn whatif_overlay(asked: &WhatIfAsked<'_>, overlay: &Path) -> Result<String, OverlayError> {
    let today = asked.today;
    let changed = apply_changes(today, asked.changes).map_err(OverlayError::Change)?;
    let overlay_dir = parent_dir(checked_path(overlay)?);
    let extends = relocate(
        &file_name(checked_path(&today.path)?),
        &parent_dir(&today.path),
        &overlay_dir,
    );
    let model = match asked.model {
        Some(path) => Some(relocate(
            checked_path(path)?.to_str().unwrap_or_default(),
            Path::new("."),
            &overlay_dir,
        )),
        None => None,
    };
    let mut text = header(asked, &extends, model.as_deref(), &file_name(overlay));
    text.push('\n');
    push_key(&mut text, "extends", Value::from(extends.as_str()));
    push_key(
        &mut text,
        "name",
        Value::from(overlay_name(asked, &changed)),
    );
    if let Some(model) = &model {
        push_key(&mut text, "model", Value::from(model.as_str()));
    }
    let policy = asked.policy.keys();
    if !policy.is_empty() {
        text.push_str("\n[policy]\n");
        for (key, value) in policy {
            push_key(&mut text, key, value);
        }
    }
    for entry in staff_entries(today, &changed)? {
        push_entry(&mut text, "[[staff]]", entry);
    }
    for entry in case_entries(today, &changed)? {
        push_entry(&mut text, "[[case]]", entry);
    }
    Ok(text)
}

/// The changed team's name, which says what changed (the what-if report's title), followed
/// by the policy changes; cut to the [`MAX_ID_CHARS`] a scenario file takes, ending with "…",
/// when longer.
fn overlay_name(asked: &WhatIfAsked<'_>, changed: &Scenario) -> String {
    let policy = asked.policy.said().join(", ");
    let name = match (policy.is_empty(), asked.changes.is_empty()) {
        (true, _) => changed.name.clone(),
        (false, true) => format!("{} — what if: {policy}", changed.name),
        (false, false) => format!("{}, {policy}", changed.name),
    };
    if name.chars().count() <= MAX_ID_CHARS {
        return name;
    }
    let mut cut: String = name.chars().take(MAX_ID_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The command that asks the same as `asked`, run from the folder `scenario` is named from:
/// `caseload whatif` with the changes' options, or `caseload rebalance` with the policy's when
/// nothing else changes. `None` when no one command can: the changes are not in the order
/// `caseload whatif` applies them (leaves, FTE changes, hires, one surge), or one of them
/// cannot be typed as its option (an id with `=` or spaces around it for `--fte`, a skill
/// with `,` for `--hire`).
pub fn whatif_command(
    scenario: &str,
    model: Option<&str>,
    changes: &[Change],
    policy: &PolicyChanges,
) -> Option<String> {
    let order = |c: &Change| match c {
        Change::Leave(_) => 0,
        Change::Fte(..) => 1,
        Change::Hire { .. } => 2,
        Change::Surge { .. } => 3,
    };
    let surges = changes.iter().filter(|c| order(c) == 3).count();
    if !changes.is_sorted_by_key(order) || surges > 1 {
        return None;
    }
    let command = if changes.is_empty() {
        "rebalance"
    } else {
        "whatif"
    };
    let mut words: Vec<String> = vec!["caseload".into(), command.into(), scenario.into()];
    for change in changes {
        words.extend(change_options(change)?);
    }
    words.extend(policy.options());
    if let Some(model) = model {
        words.extend(["--model".into(), model.into()]);
    }
    shell_words(&words)
}

/// `caseload rebalance OVERLAY`, which answers a saved what-if, as it is typed; `None` when the
/// path holds a character a comment line may not.
pub fn rebalance_command(overlay: &str) -> Option<String> {
    shell_words(&["caseload", "rebalance", overlay].map(String::from))
}

/// The options of `caseload whatif` that ask `change`, if it can be typed.
fn change_options(change: &Change) -> Option<Vec<String>> {
    Some(match change {
        Change::Leave(id) => vec!["--leave".into(), id.clone()],
        Change::Fte(id, fte) => {
            if id.contains('=') || id.trim() != id {
                return None;
            }
            vec!["--fte".into(), format!("{id}={fte}")]
        }
        Change::Hire { skills, fte } => {
            if skills.iter().any(|s| s.contains(',')) {
                return None;
            }
            vec!["--hire".into(), format!("{}@{fte}", skills.join(","))]
        }
        Change::Surge { percent, seed } => {
            let mut options = vec!["--surge".into(), format!("{percent}%")];
            if *seed != 1 {
                options.extend(["--seed".into(), seed.to_string()]);
            }
            options
        }
    })
}

/// `words` as a POSIX shell reads them back, each quoted when it needs to be; `None` when one
/// holds a character no comment line may (ids and skills never do).
fn shell_words(words: &[String]) -> Option<String> {
    if words.iter().any(|w| w.chars().any(is_unprintable)) {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| shell_word(w))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// One word for the shell: as it is when every character is one no shell gives a meaning to,
/// else in single quotes, inside which only a single quote needs care (`'\''`).
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The comment at the top: what the file is, the command that asks the same (when there is
/// one) and the one that answers it.
fn header(asked: &WhatIfAsked<'_>, extends: &str, model: Option<&str>, overlay: &str) -> String {
    let mut lines = vec![
        format!("A what-if of {extends}, kept as an overlay: everything comes from"),
        format!("{extends} except what is written here. From this file's folder,"),
    ];
    if let Some(ask) = whatif_command(extends, model, asked.changes, &asked.policy) {
        lines.extend([String::new(), format!("  {ask}"), String::new()]);
        lines.push("asks the same question, and".into());
    }
    if let Some(answer) = rebalance_command(overlay) {
        lines.extend([String::new(), format!("  {answer}"), String::new()]);
    }
    lines.push("gives the changed team's proposal.".into());
    lines
        .iter()
        .map(|l| format!("#{}{l}\n", if l.is_empty() { "" } else { " " }))
        .collect()
}

/// One `[[staff]]` or `[[case]]` entry: its keys, `id` first.
type Entry = Vec<(&'static str, Value)>;

/// The entries of the workers the what-if changes, then of those it adds.
fn staff_entries(today: &Scenario, changed: &Scenario) -> Result<Vec<Entry>, OverlayError> {
    let before = today.staff.as_slice();
    let after = changed.staff.as_slice();
    same_ids(before, after, |s| &s.id, "worker")?;
    let mut entries = Vec::new();
    for (was, is) in before.iter().zip(after) {
        let keys = changed_staff_keys(was, is)?;
        if !keys.is_empty() {
            entries.push(with_id(&is.id, keys));
        }
    }
    for new in &after[before.len()..] {
        entries.push(with_id(&new.id, new_staff_keys(new)?));
    }
    Ok(entries)
}

/// The keys of a worker that changed. A new FTE comes with the capacity the what-if gave.
fn changed_staff_keys(was: &Staff, is: &Staff) -> Result<Entry, OverlayError> {
    let mut keys = Entry::new();
    if was.name != is.name {
        keys.push((
            "name",
            Value::from(kept(is.name.as_deref(), "name", &is.id)?),
        ));
    }
    if !same_number(was.fte, is.fte) {
        keys.push(("fte", fte(is)?));
    }
    if !same_number(was.fte, is.fte) || !same_number(was.capacity, is.capacity) {
        keys.push(("capacity", capacity(is)?));
    }
    if was.max_cases != is.max_cases {
        let cap = kept(is.max_cases, "max_cases", &is.id)?;
        keys.push(("max_cases", Value::from(i64::from(cap))));
    }
    if was.skills != is.skills {
        keys.push(("skills", strings(&is.skills)));
    }
    if was.available != is.available {
        keys.push(("available", Value::from(is.available)));
    }
    Ok(keys)
}

/// Every key of a new worker, as the what-if made them.
fn new_staff_keys(new: &Staff) -> Result<Entry, OverlayError> {
    let mut keys = Entry::new();
    if let Some(name) = &new.name {
        keys.push(("name", Value::from(name.as_str())));
    }
    keys.push(("fte", fte(new)?));
    keys.push(("capacity", capacity(new)?));
    if let Some(cap) = new.max_cases {
        keys.push(("max_cases", Value::from(i64::from(cap))));
    }
    keys.push(("skills", strings(&new.skills)));
    if !new.available {
        keys.push(("available", Value::from(false)));
    }
    Ok(keys)
}

/// The entries of the cases the what-if changes, then of those it adds.
fn case_entries(today: &Scenario, changed: &Scenario) -> Result<Vec<Entry>, OverlayError> {
    let before = today.cases.as_slice();
    let after = changed.cases.as_slice();
    same_ids(before, after, |c| &c.id, "case")?;
    let mut entries = Vec::new();
    for (was, is) in before.iter().zip(after) {
        let keys = case_keys(Some(was), is, changed)?;
        if !keys.is_empty() {
            entries.push(with_id(&is.id, keys));
        }
    }
    for new in &after[before.len()..] {
        entries.push(with_id(&new.id, case_keys(None, new, changed)?));
    }
    Ok(entries)
}

/// The keys of case `is` that differ from `was`, a case of today's team; for a new case
/// (`was` is none), every key that says something.
fn case_keys(was: Option<&Case>, is: &Case, changed: &Scenario) -> Result<Entry, OverlayError> {
    let write = |same: fn(&Case, &Case) -> bool, says: bool| match was {
        Some(was) => !same(was, is),
        None => says,
    };
    let ids = |list: &[crate::domain::StaffIdx]| {
        let ids: Vec<String> = list.iter().map(|w| changed.staff[*w].id.clone()).collect();
        strings(&ids)
    };
    let mut keys = Entry::new();
    if write(|a, b| a.acuity == b.acuity, true) {
        keys.push(("acuity", acuity(&is.acuity)));
    }
    if write(|a, b| a.factors == b.factors, !is.factors.is_empty()) {
        let factors: Vec<String> = is.factors.iter().map(|(name, _)| name.clone()).collect();
        keys.push(("factors", strings(&factors)));
    }
    if write(|a, b| a.needs == b.needs, !is.needs.is_empty()) {
        keys.push(("needs", strings(&is.needs)));
    }
    if write(|a, b| a.assigned == b.assigned, is.assigned.is_some()) {
        let holder = kept(is.assigned, "holder", &is.id)?;
        keys.push(("assigned", Value::from(changed.staff[holder].id.as_str())));
    }
    if write(|a, b| a.family == b.family, is.family.is_some()) {
        let family = kept(is.family.as_deref(), "family", &is.id)?;
        keys.push(("family", Value::from(family)));
    }
    if write(|a, b| a.pinned == b.pinned, is.pinned) {
        keys.push(("pinned", Value::from(is.pinned)));
    }
    if write(|a, b| a.avoid == b.avoid, !is.avoid.is_empty()) {
        keys.push(("avoid", ids(&is.avoid)));
    }
    if write(|a, b| a.prefer == b.prefer, !is.prefer.is_empty()) {
        keys.push(("prefer", ids(&is.prefer)));
    }
    Ok(keys)
}

/// The value a key keeps; an error when the what-if took it away (no overlay takes a key
/// away).
fn kept<T>(value: Option<T>, key: &str, owner: &str) -> Result<T, OverlayError> {
    value.ok_or_else(|| OverlayError::Unsayable {
        what: format!("the {key} of `{owner}` is taken away"),
    })
}

/// Refuses a what-if that takes entries away or reorders them: an overlay only changes and
/// adds (its `remove_staff` and `close_cases` take entries away, which no change does).
fn same_ids<T>(
    before: &[T],
    after: &[T],
    id: fn(&T) -> &String,
    what: &str,
) -> Result<(), OverlayError> {
    let kept = after.len() >= before.len() && before.iter().zip(after).all(|(a, b)| id(a) == id(b));
    if kept {
        return Ok(());
    }
    Err(OverlayError::Unsayable {
        what: format!("a {what} is taken away or moved"),
    })
}

/// Whether two numbers are the same, bit for bit: the overlay means exactly what the
/// what-if did.
fn same_number(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

/// A worker's `fte`, when a scenario file takes it.
fn fte(staff: &Staff) -> Result<Value, OverlayError> {
    in_file_range("fte", staff, staff.fte, (MIN_FTE, MAX_FTE))
}

/// A worker's `capacity`, when a scenario file takes it.
fn capacity(staff: &Staff) -> Result<Value, OverlayError> {
    in_file_range("capacity", staff, staff.capacity, CAPACITY_RANGE)
}

fn in_file_range(
    key: &'static str,
    staff: &Staff,
    value: f64,
    (least, most): (f64, f64),
) -> Result<Value, OverlayError> {
    if (least..=most).contains(&value) {
        return Ok(Value::from(value));
    }
    Err(OverlayError::OutOfFileRange {
        key,
        owner: staff.id.clone(),
        value,
        least,
        most,
    })
}

/// A case's `acuity` as a file gives it: the level's name, or the points.
fn acuity(acuity: &Acuity) -> Value {
    match acuity {
        Acuity::Level { name, .. } => Value::from(name.as_str()),
        Acuity::Points(points) => Value::from(*points),
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn with_id(id: &str, mut keys: Entry) -> Entry {
    keys.insert(0, ("id", Value::from(id)));
    keys
}

fn push_key(text: &mut String, key: &str, value: Value) {
    text.push_str(&format!("{key} = {value}\n"));
}

fn push_entry(text: &mut String, header: &str, entry: Entry) {
    text.push('\n');
    text.push_str(header);
    text.push('\n');
    for (key, value) in entry {
        push_key(text, key, value);
    }
}

/// `path`, when it can be written in the overlay and its header: UTF-8, with no control or
/// text-direction character.
fn checked_path(path: &Path) -> Result<&Path, OverlayError> {
    let problem = match path.to_str() {
        None => "it is not UTF-8 text",
        Some(text) if text.chars().any(is_unprintable) => {
            "it holds a control or text-direction character"
        }
        Some(_) => return Ok(path),
    };
    Err(OverlayError::Path {
        path: path.to_path_buf(),
        problem,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{load_scenario, LoadOptions};

    fn riverside() -> Scenario {
        let path = Path::new("scenarios/riverside.toml");
        load_scenario(path, &LoadOptions::default())
            .expect("riverside loads")
            .scenario
    }

    fn overlay(today: &Scenario, changes: &[Change], at: &str) -> Result<String, OverlayError> {
        let asked = WhatIfAsked {
            today,
            changes,
            policy: PolicyChanges::default(),
            model: None,
        };
        whatif_overlay(&asked, Path::new(at))
    }

    /// The `[[staff]]` or `[[case]]` entry with `id`, as a TOML reader reads the overlay.
    fn entry(text: &str, list: &str, id: &str) -> toml::Table {
        let doc: toml::Table = toml::from_str(text).expect("the overlay is TOML");
        doc[list]
            .as_array()
            .expect("a list of entries")
            .iter()
            .map(|e| e.as_table().expect("an entry").clone())
            .find(|e| e["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no entry `{id}` in\n{text}"))
    }

    #[test]
    fn a_leave_is_available_false_and_the_pins_it_lifts_are_pinned_false() {
        let today = riverside();
        let text = overlay(&today, &[Change::Leave("tom".into())], "scenarios/t.toml").unwrap();
        let tom = entry(&text, "staff", "tom");
        assert_eq!(tom.len(), 2, "{tom:?}");
        assert_eq!(tom["available"].as_bool(), Some(false));
        // C-1014 is pinned to tom: the leave lifts its pin, and the overlay says so itself.
        let lifted = entry(&text, "case", "C-1014");
        assert_eq!(lifted.len(), 2, "{lifted:?}");
        assert_eq!(lifted["pinned"].as_bool(), Some(false));
        let doc: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(doc["extends"].as_str(), Some("riverside.toml"));
        assert_eq!(
            doc["name"].as_str(),
            Some("Riverside North, week 47 — what if: tom on leave")
        );
        assert!(!doc.contains_key("policy"), "no policy changes: {text}");
        assert!(
            text.contains("#   caseload whatif riverside.toml --leave tom\n"),
            "{text}"
        );
    }

    #[test]
    fn an_fte_comes_with_the_capacity_the_whatif_gave_and_a_hire_with_every_key() {
        let today = riverside();
        let changes = [
            Change::Fte("linh".into(), 0.5),
            Change::Hire {
                skills: vec!["Spanish".into()],
                fte: 0.8,
            },
        ];
        let text = overlay(&today, &changes, "scenarios/t.toml").unwrap();
        let linh = entry(&text, "staff", "linh");
        assert_eq!(linh["fte"].as_float(), Some(0.5));
        assert_eq!(linh["capacity"].as_float(), Some(32.0 * 0.5 / 0.8));
        let hire = entry(&text, "staff", "hire-1");
        assert_eq!(hire["fte"].as_float(), Some(0.8));
        assert_eq!(hire["capacity"].as_float(), Some(40.0 * 0.8));
        assert_eq!(
            hire["skills"].as_array().unwrap(),
            &[toml::Value::from("spanish")]
        );
    }

    #[test]
    fn a_surge_writes_exactly_the_cases_it_drew() {
        let today = riverside();
        let changes = [Change::Surge {
            percent: 15.0,
            seed: 4,
        }];
        let changed = apply_changes(&today, &changes).unwrap();
        let text = overlay(&today, &changes, "scenarios/t.toml").unwrap();
        let drawn = &changed.cases.as_slice()[today.cases.len()..];
        assert_eq!(drawn.len(), 13);
        for case in drawn {
            let written = entry(&text, "case", &case.id);
            assert_eq!(written["acuity"], acuity(&case.acuity));
            let factors: Vec<String> = case.factors.iter().map(|(f, _)| f.clone()).collect();
            let needs = written.get("needs").cloned().unwrap_or(strings(&[]));
            assert_eq!(needs, strings(&case.needs));
            let written_factors = written.get("factors").cloned().unwrap_or(strings(&[]));
            assert_eq!(written_factors, strings(&factors));
        }
        assert!(text.contains("--surge 15% --seed 4\n"), "{text}");
    }

    #[test]
    fn paths_are_written_relative_to_the_overlays_folder() {
        let today = riverside();
        let asked = WhatIfAsked {
            today: &today,
            changes: &[Change::Leave("derek".into())],
            policy: PolicyChanges {
                max_moves: Some(5),
                ..PolicyChanges::default()
            },
            model: Some(Path::new("models/standard.toml")),
        };
        let text = whatif_overlay(&asked, Path::new("scenarios/kept/derek.toml")).unwrap();
        let doc: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(doc["extends"].as_str(), Some("../riverside.toml"));
        assert_eq!(doc["model"].as_str(), Some("../../models/standard.toml"));
        assert_eq!(doc["policy"]["max_moves"].as_integer(), Some(5));
        assert_eq!(
            doc["name"].as_str(),
            Some("Riverside North, week 47 — what if: derek on leave, a budget of 5 moves")
        );
        assert!(
            text.contains("#   caseload whatif ../riverside.toml --leave derek --max-moves 5 --model ../../models/standard.toml\n"),
            "{text}"
        );
        assert!(
            text.contains("#   caseload rebalance derek.toml\n"),
            "{text}"
        );
    }

    #[test]
    fn what_a_scenario_file_refuses_is_an_error_not_another_meaning() {
        let today = riverside();
        let tiny = overlay(&today, &[Change::Fte("tom".into(), 0.005)], "t.toml");
        assert!(
            matches!(&tiny, Err(OverlayError::OutOfFileRange { key: "fte", owner, .. }) if owner == "tom"),
            "{tiny:?}"
        );
        let unknown = overlay(&today, &[Change::Leave("nobody".into())], "t.toml");
        assert!(matches!(unknown, Err(OverlayError::Change(_))));
    }

    #[test]
    fn the_command_is_typed_as_a_shell_reads_it_or_left_out() {
        let policy = PolicyChanges::default();
        let command = |changes: &[Change]| whatif_command("my team.toml", None, changes, &policy);
        assert_eq!(
            command(&[Change::Leave("o'brien".into())]).as_deref(),
            Some(r"caseload whatif 'my team.toml' --leave 'o'\''brien'")
        );
        // `--fte` splits at the first `=` and trims: such an id cannot be typed there.
        assert_eq!(command(&[Change::Fte("a=b".into(), 0.5)]), None);
        // `caseload whatif` applies leaves before hires, whatever the order typed.
        let hire = Change::Hire {
            skills: vec![],
            fte: 1.0,
        };
        assert_eq!(command(&[hire.clone(), Change::Leave("x".into())]), None);
        assert_eq!(
            command(&[Change::Leave("x".into()), hire]).as_deref(),
            Some("caseload whatif 'my team.toml' --leave x --hire @1")
        );
        let budget = PolicyChanges {
            max_moves: Some(3),
            ..policy
        };
        assert_eq!(
            whatif_command("t.toml", None, &[], &budget).as_deref(),
            Some("caseload rebalance t.toml --max-moves 3"),
            "a policy alone is a rebalance's option"
        );
    }
}
