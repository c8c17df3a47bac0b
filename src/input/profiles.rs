//! Hiring profiles for `caseload staffing` (`hires.toml`): the kinds of worker a planner could
//! hire, each with skills, FTE, a cost and an optional cap.
//!
//! ```toml
//! [[profile]]
//! name = "spanish-speaking"
//! skills = ["spanish"]
//! fte = 1.0
//! cost = 1.0   # optional; the FTE when left out
//! max = 3      # optional cap on hires of this profile
//! ```

use std::path::Path;

use crate::domain::index::typed_index;
use crate::domain::{Scenario, MAX_FTE};
use crate::input::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::input::formats::{ProfileToml, ProfilesToml};
use crate::input::provenance::InputFile;
use crate::input::toml_reader::TableReader;
use crate::input::InputError;

typed_index!(
    /// Position of a hiring profile in the list read from a profiles file (or made from the
    /// team).
    ProfileIdx
);

impl std::ops::Index<ProfileIdx> for [Profile] {
    type Output = Profile;
    fn index(&self, p: ProfileIdx) -> &Profile {
        &self[p.index()]
    }
}

/// A kind of worker that could be hired.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// Skills, sorted.
    pub skills: Vec<String>,
    /// Full-time equivalent of one hire.
    pub fte: f64,
    /// Cost of one hire (by default its FTE).
    pub cost: f64,
    /// Most hires of this profile, if capped.
    pub max: Option<u32>,
    /// Where the profile is written (`None` when derived from the team).
    pub origin: Option<Location>,
}

const PROFILE_KEYS: &[&str] = ProfileToml::KEYS;

/// The most hires of one profile a profiles file may allow.
pub const MAX_PROFILE_HIRES: u32 = 1_000;

/// A profiles file, read and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilesFile {
    /// The profiles, in the order written.
    pub profiles: Vec<Profile>,
    /// The file, with the digest of the bytes read.
    pub input: InputFile,
}

/// Reads and validates a profiles file; every problem at once, located.
pub fn load_profiles(path: &Path) -> Result<ProfilesFile, InputError> {
    let mut diags = Diagnostics::new();
    let mut inputs = Vec::new();
    let profiles = read(path, &mut inputs, &mut diags);
    match (profiles, inputs.pop()) {
        (Some(profiles), Some(input)) if !diags.has_errors() => {
            Ok(ProfilesFile { profiles, input })
        }
        _ => Err(InputError {
            diagnostics: diags.sorted(),
        }),
    }
}

fn read(path: &Path, inputs: &mut Vec<InputFile>, diags: &mut Diagnostics) -> Option<Vec<Profile>> {
    let file = super::read_source_at(path, "profiles", None, inputs, diags)?;
    let doc = super::parse_toml(&file, "profiles", diags)?;
    let top = TableReader::new(doc.get_ref(), 0..0, "the profiles file");
    top.reject_unknown(ProfilesToml::KEYS, &file, diags);
    let entries = top.array_of_tables("profile", &file, diags);
    if entries.is_empty() {
        diags.push(
            Diagnostic::error(
                Location::file(path),
                "the profiles file lists no `[[profile]]`",
            )
            .with_help("add `[[profile]]` entries with `name`, `skills` and `fte`; see README.md"),
        );
        return None;
    }
    let mut profiles = Vec::new();
    for (table, span) in entries {
        let r = TableReader::new(table, span.clone(), "[[profile]]");
        r.reject_unknown(PROFILE_KEYS, &file, diags);
        let at = file.location(&span);
        let name = r.string("name", &file, diags).map(|s| s.into_inner());
        let Some(name) = name else {
            diags.push(
                file.error(&span, "this [[profile]] has no `name`")
                    .with_help("add `name = \"...\"`, e.g. \"spanish-speaking\""),
            );
            continue;
        };
        let mut skills: Vec<String> = r
            .string_list("skills", &file, diags)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.into_inner())
            .collect();
        skills.sort();
        skills.dedup();
        let fte = match r.number("fte", &file, diags) {
            Some(f) if *f.get_ref() > 0.0 && *f.get_ref() <= MAX_FTE => *f.get_ref(),
            Some(f) => {
                diags.push(
                    file.error(
                        &f.span(),
                        format!(
                            "`fte` of profile `{name}` is {}, but must be above 0 and at most 1.5",
                            f.get_ref()
                        ),
                    )
                    .with_help("give the hire's full-time equivalent, e.g. 1.0 or 0.5"),
                );
                continue;
            }
            None => 1.0,
        };
        let cost = match r.number("cost", &file, diags) {
            Some(c) if *c.get_ref() > 0.0 => *c.get_ref(),
            Some(c) => {
                diags.push(
                    file.error(
                        &c.span(),
                        format!(
                            "`cost` of profile `{name}` is {}, but must be above 0",
                            c.get_ref()
                        ),
                    )
                    .with_help("give the relative cost of one hire, e.g. its FTE or its salary"),
                );
                continue;
            }
            None => fte,
        };
        let max = match r.number("max", &file, diags) {
            Some(m)
                if *m.get_ref() >= 0.0
                    && m.get_ref().fract() == 0.0
                    && *m.get_ref() <= f64::from(MAX_PROFILE_HIRES) =>
            {
                Some(*m.get_ref() as u32)
            }
            Some(m) => {
                diags.push(
                    file.error(&m.span(), format!("`max` of profile `{name}` is {}, but must be a whole number from 0 to {MAX_PROFILE_HIRES}", m.get_ref()))
                        .with_help("give the most hires of this profile, or leave `max` out"),
                );
                continue;
            }
            None => None,
        };
        profiles.push(Profile {
            name,
            skills,
            fte,
            cost,
            max,
            origin: Some(at),
        });
    }
    Some(profiles)
}

/// The profiles with their skills spelled the team's way (see [`crate::domain::names`]): a
/// profile's `Spanish` may take the team's `spanish` cases, and reports name it `spanish`.
pub fn spelled_as_team(profiles: Vec<Profile>, scenario: &Scenario) -> Vec<Profile> {
    profiles
        .into_iter()
        .map(|p| Profile {
            skills: scenario.spelled_skills(&p.skills),
            ..p
        })
        .collect()
}

/// Profiles derived from the team's own skill mix: one per distinct set of skills among the
/// available workers, at 1.0 FTE and a cost of 1.
pub fn profiles_from_team(scenario: &Scenario) -> Vec<Profile> {
    let mut sets: Vec<Vec<String>> = scenario
        .staff
        .iter()
        .filter(|s| s.available)
        .map(|s| s.skills.clone())
        .collect();
    sets.sort();
    sets.dedup();
    sets.into_iter()
        .map(|skills| Profile {
            name: if skills.is_empty() {
                "generalist".to_string()
            } else {
                skills.join("+")
            },
            skills,
            fte: 1.0,
            cost: 1.0,
            max: None,
            origin: None,
        })
        .collect()
}
