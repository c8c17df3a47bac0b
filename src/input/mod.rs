//! From files on disk to a validated [`Scenario`], with every problem located.
//!
//! The steps: read each file (refusing ones too large to be a scenario), parse TOML into a spanned
//! tree, read raw entries ([`raw`]), load the model and the cases CSV the scenario names, then
//! validate everything together ([`validate`](mod@validate)). Problems of all files are collected
//! and returned at once; warnings travel with a successful load, and so does the record of every
//! file read, with the digest of its bytes ([`provenance`]).

pub mod apply;
pub mod case_batches;
pub mod csv_file;
pub mod diagnostic;
pub mod formats;
pub mod generate;
pub mod limits;
pub mod model_file;
pub mod ods;
pub mod overlay;
pub mod profiles;
pub mod provenance;
pub mod raw;
pub mod scenario_file;
pub mod spellings;
pub mod starter;
pub mod suggest;
pub mod table;
pub mod team_workbook;
pub mod toml_format;
pub mod toml_reader;
pub mod validate;
pub mod workbook;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use crate::domain::{Policy, Scenario};
use crate::input::case_batches::BatchSizes;
use crate::input::diagnostic::{fold, Diagnostic, Diagnostics, Location, Shown, SourceFile};
use crate::input::model_file::{read_model, ModelFile, BUILTIN_MODEL_TOML};
use crate::input::provenance::InputFile;
use crate::input::raw::{At, Field, RawCase, RawScenario, RawStaff};
use crate::input::table::TableKind;
use crate::input::validate::{validate, ModelChoice, ValidationInput};
use crate::report::style::StyledDisplay;

/// Files larger than this are refused: no real scenario comes near it, and reading a huge file
/// by mistake (a database dump, a disk image) should fail fast instead of exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Choices made outside the scenario file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Use this model file instead of the one the scenario names (`--model`).
    pub model: Option<PathBuf>,
    /// Override the policy's `max_moves` (`--max-moves`), the highest precedence.
    pub max_moves: Option<u32>,
    /// Override the policy's `balance_band` (`--balance-band`), the highest precedence.
    pub balance_band: Option<f64>,
    /// Override the policy's `target_utilization` (`--target`), the highest precedence.
    pub target_utilization: Option<f64>,
}

impl LoadOptions {
    /// Sets in `policy` what these options override (`--max-moves`, `--balance-band`,
    /// `--target`): what a load with them does to the files' policy.
    pub fn override_policy(&self, policy: &mut Policy) {
        if let Some(max_moves) = self.max_moves {
            policy.max_moves = max_moves;
            policy.max_moves_source = crate::domain::Source::CommandLine("--max-moves");
        }
        if let Some(band) = self.balance_band {
            policy.balance_band = band;
        }
        if let Some(target) = self.target_utilization {
            policy.target_utilization = target;
        }
    }
}

/// A scenario that passed validation, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Problems that did not stop the load, stage by stage, each stage sorted by location.
    pub warnings: Vec<Diagnostic>,
    /// Every file read, in the order read, with the digest of its bytes: the scenario, the
    /// scenarios it extends, CSV files and the model. No output replaces one of them, and JSON
    /// outputs list them.
    pub inputs: Vec<InputFile>,
}

/// The input could not be used: every problem found, root causes first (see
/// [`Diagnostics::sorted`]). As text, large groups of consequences are folded ([`fold`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Errors and warnings, stage by stage, each stage sorted by location.
    pub diagnostics: Vec<Diagnostic>,
}

impl InputError {
    /// Number of errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_styled(f, false)
    }
}

impl StyledDisplay for InputError {
    /// Every diagnostic (large groups of consequences folded), coloured when `color`, then how
    /// many errors there are.
    fn fmt_styled(&self, f: &mut fmt::Formatter<'_>, color: bool) -> fmt::Result {
        for shown in fold(&self.diagnostics) {
            match shown {
                Shown::Problem(d) => writeln!(f, "{}\n", d.styled(color))?,
                Shown::More { kind, count } => writeln!(f, "{}\n", kind.more(count))?,
            }
        }
        let n = self.error_count();
        write!(
            f,
            "{n} error{} found; nothing was changed",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for InputError {}

/// Reads, parses and validates a scenario and the files it names.
pub fn load_scenario(path: &Path, options: &LoadOptions) -> Result<Loaded, InputError> {
    let mut diags = Diagnostics::new();
    let mut inputs = Vec::new();
    let scenario = load_into(path, options, &mut inputs, &mut diags);
    match scenario {
        Some(scenario) if !diags.has_errors() => Ok(Loaded {
            scenario,
            warnings: diags.sorted(),
            inputs,
        }),
        _ => Err(InputError {
            diagnostics: diags.sorted(),
        }),
    }
}

fn load_into(
    path: &Path,
    options: &LoadOptions,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Option<Scenario> {
    let mut chain = vec![overlay::chain_key(path)];
    let raw = resolve(path, None, &mut chain, inputs, diags)?;

    // The model: --model, else the scenario's `model` (relative to the file that names it),
    // else the built-in one.
    let (model_file, model_choice) = match (&options.model, &raw.model) {
        (Some(model_path), _) => (
            load_model(model_path, None, inputs, diags),
            ModelChoice::CommandLine,
        ),
        (None, Some(field)) => {
            let dir = field.at.path().parent().unwrap_or(Path::new(""));
            (
                load_model(&dir.join(&field.value), Some(&field.at), inputs, diags),
                ModelChoice::Key(field.at.clone()),
            )
        }
        (None, None) => (Some(builtin_model()), ModelChoice::BuiltIn),
    };
    let csv_cases = Vec::new(); // read into `raw.cases` by `resolve`

    let ModelFile {
        model,
        policy: model_policy,
    } = model_file?;
    let mut policy = raw
        .policy
        .apply_to(model_policy.apply_to(Policy::default()));
    options.override_policy(&mut policy);
    let default_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    validate(
        ValidationInput {
            path: path.to_path_buf(),
            default_name,
            raw,
            csv_cases,
            model,
            model_choice,
            policy,
        },
        diags,
    )
}

/// Reads a scenario file and its cases CSV into raw entries and, when it `extends` another
/// scenario, applies it as an overlay of that one (read the same way, recursively).
fn resolve(
    path: &Path,
    named_at: Option<&At>,
    chain: &mut overlay::Chain,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Option<RawScenario> {
    let file = read_source_at(path, "scenario", named_at, inputs, diags)?;
    let mut raw = scenario_file::read_scenario_file(&file, &BatchSizes::STANDARD, diags)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    // Rows of CSV files and sheets only add entries, also in an overlay: a row whose id exists is
    // a duplicate.
    let rows = read_rows(&raw, dir, inputs, diags);
    let Some(extends) = raw.extends.clone() else {
        rows.add_to(&mut raw);
        return Some(raw);
    };
    let base_path = dir.join(&extends.value);
    let key = overlay::chain_key(&base_path);
    if chain.contains(&key) {
        let mut names: Vec<String> = chain.iter().map(|p| p.display().to_string()).collect();
        names.push(key.display().to_string());
        diags.push(
            extends
                .at
                .error(format!("`extends` forms a cycle: {}", names.join(" → ")))
                .with_help("an overlay may extend another overlay, but never one that extends it"),
        );
        return None;
    }
    if chain.len() >= overlay::MAX_DEPTH {
        diags.push(
            extends
                .at
                .error(format!(
                    "overlays extend each other more than {} deep",
                    overlay::MAX_DEPTH
                ))
                .with_help("extend the complete scenario directly"),
        );
        return None;
    }
    chain.push(key);
    let base = resolve(&base_path, Some(&extends.at), chain, inputs, diags);
    chain.pop();
    let mut merged = overlay::apply_overlay(base?, raw, path, diags);
    rows.add_to(&mut merged);
    Some(merged)
}

/// The entries that a scenario file's CSV files and workbook add to those it lists.
#[derive(Debug, Default)]
struct Rows {
    staff: Vec<RawStaff>,
    cases: Vec<RawCase>,
}

impl Rows {
    fn add_to(self, raw: &mut RawScenario) {
        raw.staff.extend(self.staff);
        raw.cases.extend(self.cases);
    }
}

/// Reads the rows of the `staff_csv`, `cases_csv` and `workbook` that `raw` names (relative to
/// `dir`, its folder).
fn read_rows(
    raw: &RawScenario,
    dir: &Path,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Rows {
    let mut rows = Rows::default();
    if let Some(field) = &raw.staff_csv {
        let file = read_source_at(
            &dir.join(&field.value),
            "staff CSV",
            Some(&field.at),
            inputs,
            diags,
        );
        if let Some(file) = file {
            rows.staff = csv_file::read_staff_csv(&file, diags);
        }
    }
    if let Some(field) = &raw.cases_csv {
        let file = read_source_at(
            &dir.join(&field.value),
            "cases CSV",
            Some(&field.at),
            inputs,
            diags,
        );
        if let Some(file) = file {
            rows.cases = csv_file::read_cases_csv(&file, diags);
        }
    }
    if let Some(field) = &raw.workbook {
        let path = dir.join(&field.value);
        let team = read_bytes_at(&path, "workbook", Some(&field.at), inputs, diags)
            .and_then(|bytes| workbook::read_workbook(&path, &bytes, diags));
        if let Some(team) = team {
            refuse_second_sources(raw, field, &team, diags);
            rows.staff.extend(team.staff.unwrap_or_default());
            rows.cases.extend(team.cases.unwrap_or_default());
        }
    }
    rows
}

/// One source of workers and one of cases per scenario file: a workbook's `Staff` sheet is the
/// staff list, so the file may not list workers as well (nor its `Cases` sheet and cases).
fn refuse_second_sources(
    raw: &RawScenario,
    named_at: &Field<String>,
    team: &workbook::WorkbookTeam,
    diags: &mut Diagnostics,
) {
    let staff_elsewhere = match (&raw.staff_csv, raw.staff.is_empty()) {
        (Some(_), _) => Some("`staff_csv`"),
        (None, false) => Some("the [[staff]] entries"),
        (None, true) => None,
    };
    let cases_elsewhere = match (&raw.cases_csv, raw.cases.is_empty()) {
        (Some(_), _) => Some("`cases_csv`"),
        (None, false) => Some("the [[case]] entries"),
        (None, true) => None,
    };
    for (sheet, kind, elsewhere) in [
        (team.staff.is_some(), TableKind::Staff, staff_elsewhere),
        (team.cases.is_some(), TableKind::Cases, cases_elsewhere),
    ] {
        let (true, Some(elsewhere)) = (sheet, elsewhere) else {
            continue;
        };
        let sheet = workbook::sheet_name(kind);
        let noun = kind.noun();
        diags.push(
            named_at
                .at
                .error(format!(
                    "the workbook's `{sheet}` sheet lists the {noun}, and so do {elsewhere} of this file"
                ))
                .with_help(format!(
                    "keep the {noun} in one place: the `{sheet}` sheet, or {elsewhere} (then rename or remove the sheet)"
                )),
        );
    }
}

/// The model compiled into the binary (`models/standard.toml`).
pub fn builtin_model() -> ModelFile {
    let file = SourceFile::new(
        "<built-in standard model>".into(),
        BUILTIN_MODEL_TOML.into(),
    );
    let mut diags = Diagnostics::new();
    let doc = DeTable::parse(file.text()).expect("the built-in model is valid TOML");
    let model = read_model(doc.get_ref(), &file, true, &mut diags);
    assert!(!diags.has_errors(), "the built-in model is valid");
    model.expect("the built-in model is valid")
}

/// Reads and validates a model file on its own (for `--model` and the scenario's `model`).
pub fn load_model_file(path: &Path) -> Result<ModelFile, InputError> {
    let mut diags = Diagnostics::new();
    match load_model(path, None, &mut Vec::new(), &mut diags) {
        Some(m) if !diags.has_errors() => Ok(m),
        _ => Err(InputError {
            diagnostics: diags.sorted(),
        }),
    }
}

fn load_model(
    path: &Path,
    named_at: Option<&At>,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Option<ModelFile> {
    let file = read_source_at(path, "model", named_at, inputs, diags)?;
    let doc = parse_toml(&file, "model", diags)?;
    read_model(doc.get_ref(), &file, false, diags)
}

/// Reads a whole text file, refusing missing, oversized, non-UTF-8 and empty files; records
/// the file, with the digest of the bytes read, in `inputs` as soon as they are read.
/// `named_at` is where another file named this one, to point at when it is missing.
fn read_source_at(
    path: &Path,
    what: &str,
    named_at: Option<&At>,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Option<SourceFile> {
    let bytes = read_bytes_at(path, what, named_at, inputs, diags)?;
    let whole_file = Location::file(path);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let column = String::from_utf8_lossy(
                &good[good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1)..],
            )
            .chars()
            .count()
                + 1;
            diags.push(
                Diagnostic::error(
                    Location::at(path, line, column),
                    format!("the {what} file is not valid UTF-8 text"),
                )
                .with_help("save the file as UTF-8 (spreadsheet programs offer \"CSV UTF-8\")"),
            );
            return None;
        }
    };
    let file = SourceFile::new(path.to_path_buf(), text);
    if named_at.is_some() {
        // Named by another file: quote none of it until it reads as a {what} file.
        file.hide_lines();
    }
    if file.text().trim().is_empty() {
        diags.push(
            Diagnostic::error(whole_file, format!("the {what} file is empty"))
                .with_help(match what {
                    "scenario" => "a scenario needs at least one `[[staff]]` entry; see scenarios/README.md for the format",
                    "model" => "a model needs `points_per_fte` and `[acuity.levels]`; see models/README.md",
                    "staff CSV" => "start with a header row naming the columns, e.g. `id,name,fte,skills`",
                    _ => "start with a header row naming the columns, e.g. `id,acuity,needs,assigned`",
                }),
        );
        return None;
    }
    Some(file)
}

/// Reads a whole file, refusing missing, oversized and unreadable ones; records the file, with
/// the digest of the bytes read, in `inputs` as soon as they are read. `named_at` is where
/// another file named this one, to point at when it is missing.
fn read_bytes_at(
    path: &Path,
    what: &str,
    named_at: Option<&At>,
    inputs: &mut Vec<InputFile>,
    diags: &mut Diagnostics,
) -> Option<Vec<u8>> {
    let whole_file = Location::file(path);
    let missing = |message: String, help: String| match named_at {
        Some(at) => at.error(message).with_help(help),
        None => Diagnostic::error(whole_file.clone(), message).with_help(help),
    };
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.push(missing(
                format!("the {what} file `{}` does not exist", path.display()),
                match named_at {
                    Some(_) => {
                        "paths are relative to the scenario file; check the spelling".to_string()
                    }
                    None => "check the path and the spelling".to_string(),
                },
            ));
            return None;
        }
        Err(e) => {
            diags.push(missing(
                format!("cannot read the {what} file `{}`: {e}", path.display()),
                "check that the file is readable".into(),
            ));
            return None;
        }
    };
    if metadata.is_dir() {
        diags.push(missing(
            format!("`{}` is a directory, not a {what} file", path.display()),
            "name a file".into(),
        ));
        return None;
    }
    if !metadata.is_file() {
        // A pipe would block the read, a device would never end.
        diags.push(missing(
            format!(
                "`{}` is not a regular file (a pipe or a device), so it is not read as a {what} file",
                path.display()
            ),
            "save the content to a file and name that file".into(),
        ));
        return None;
    }
    if metadata.len() > MAX_INPUT_BYTES {
        diags.push(too_large(path, what));
        return None;
    }
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        diags.push(missing(
            format!("cannot read the {what} file `{}`: {e}", path.display()),
            "check that the file is readable".into(),
        ));
        return None;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        diags.push(too_large(path, what));
        return None;
    }
    inputs.push(InputFile::of(path, &bytes));
    Some(bytes)
}

fn too_large(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(
        Location::file(path),
        format!(
            "the {what} file is larger than {} MiB, too large to be a {what}",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
    .with_help("check that this is the file you meant; split a very large agency into one scenario per team")
}

/// Parses TOML, turning syntax errors into located diagnostics (all of them the parser can find).
pub(crate) fn parse_toml<'i>(
    file: &'i SourceFile,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<toml::Spanned<DeTable<'i>>> {
    let (doc, errors) = DeTable::parse_recoverable(file.text());
    if errors.is_empty() {
        file.quote_lines();
        return Some(doc);
    }
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().trim_end_matches('.').to_string();
        diags.push(
            file.error(
                &span,
                format!("the {what} file is not valid TOML: {message}"),
            )
            .with_help("check quotes, brackets and `key = value` syntax on this line"),
        );
    }
    None
}
