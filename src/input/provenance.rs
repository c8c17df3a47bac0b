//! What a JSON output was made from, so that a batch job can trust it: the version of
//! `caseload`, the version of the JSON format, and every input file read, each with the SHA-256
//! of the bytes read. The readers record each file's digest as they read it (never reading a
//! file twice); the renderers put the [`Provenance`] first in every JSON document. A saved
//! proposal carries its inputs, so that `apply` and `explain --proposal` can refuse one made
//! from other contents of the files they read ([`input_changes`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// The version of the JSON documents' shape. Bumped on any change that could break a reader:
/// a field removed or renamed, its meaning or type changed, a document's top level changed.
/// Adding a field does not bump it: readers ignore fields they do not know.
pub const FORMAT_VERSION: u32 = 1;

/// The version of `caseload` that wrote an output (from Cargo).
pub const CASELOAD_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One input file, as read.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct InputFile {
    /// The path as the tool names the file in its messages: as given on the command line, or
    /// joined to the folder of the file that names it.
    #[serde(serialize_with = "as_displayed")]
    #[schemars(with = "String")]
    pub path: PathBuf,
    /// The SHA-256 of the bytes read, in lowercase hexadecimal.
    pub sha256: String,
}

impl InputFile {
    /// The record of `bytes`, read from `path`.
    pub fn of(path: &Path, bytes: &[u8]) -> InputFile {
        let digest = Sha256::digest(bytes);
        InputFile {
            path: path.to_path_buf(),
            sha256: format!("{digest:x}"),
        }
    }
}

/// A path as messages show it (a path that is not UTF-8 cannot be a JSON string as it is).
fn as_displayed<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&path.display())
}

/// The first fields of every JSON document: who wrote it, in which format, from which files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Provenance {
    /// The version of `caseload` that wrote the document.
    pub caseload_version: String,
    /// The version of the document's shape, raised when a field is removed or renamed or its
    /// meaning or type changes.
    #[schemars(extend("const" = FORMAT_VERSION))]
    pub format_version: u32,
    /// Every input file read to produce the document, in the order read; a file read twice is
    /// listed once.
    pub inputs: Vec<InputFile>,
}

impl Provenance {
    /// The provenance of a document this version of `caseload` writes from `inputs`.
    pub fn of(inputs: impl IntoIterator<Item = InputFile>) -> Provenance {
        let mut seen = BTreeSet::new();
        let listed = inputs
            .into_iter()
            .filter(|input| seen.insert(input.clone()))
            .collect();
        Provenance {
            caseload_version: CASELOAD_VERSION.to_string(),
            format_version: FORMAT_VERSION,
            inputs: listed,
        }
    }
}

/// The input files a saved JSON document records; `None` when it records none (it was written
/// before documents carried them, or its `inputs` is not a list of files with digests).
pub fn recorded_inputs(json_text: &str) -> Option<Vec<InputFile>> {
    #[derive(Deserialize)]
    struct Recorded {
        inputs: Vec<InputFile>,
    }
    serde_json::from_str::<Recorded>(json_text)
        .ok()
        .map(|r| r.inputs)
}

/// How the files read now differ from those a document was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputChange {
    /// A file read now whose contents are none of those the document was made from.
    Changed {
        /// The file, as read now.
        path: PathBuf,
    },
    /// A file the document was made from whose contents no file read now has.
    NotRead {
        /// The file, as the document names it.
        path: PathBuf,
    },
}

/// Compares the files read now with those a document records: every file read now must have
/// the contents of one the document was made from, and the contents of every file it was made
/// from must be read now. Contents are compared, not paths, so the same files named from
/// another folder match. A recorded file whose contents are gone is reported only when no file
/// read now has its path (that file is reported as changed).
pub fn input_changes(recorded: &[InputFile], read_now: &[InputFile]) -> Vec<InputChange> {
    let recorded_digests: BTreeSet<&str> = recorded.iter().map(|f| f.sha256.as_str()).collect();
    let digests_now: BTreeSet<&str> = read_now.iter().map(|f| f.sha256.as_str()).collect();
    let paths_now: BTreeSet<&Path> = read_now.iter().map(|f| f.path.as_path()).collect();
    let changed = read_now
        .iter()
        .filter(|f| !recorded_digests.contains(f.sha256.as_str()))
        .map(|f| InputChange::Changed {
            path: f.path.clone(),
        });
    let not_read = recorded
        .iter()
        .filter(|f| !digests_now.contains(f.sha256.as_str()))
        .filter(|f| !paths_now.contains(f.path.as_path()))
        .map(|f| InputChange::NotRead {
            path: f.path.clone(),
        });
    changed.chain(not_read).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> InputFile {
        InputFile::of(Path::new(path), text.as_bytes())
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_bytes_in_hex() {
        assert_eq!(
            file("a.toml", "").sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            file("a.toml", "abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn provenance_lists_each_file_once_in_the_order_read() {
        let p = Provenance::of([file("a", "1"), file("b", "2"), file("a", "1")]);
        let paths: Vec<&Path> = p.inputs.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(paths, [Path::new("a"), Path::new("b")]);
        assert_eq!(p.format_version, FORMAT_VERSION);
        assert_eq!(p.caseload_version, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn the_same_contents_match_wherever_they_are_named_from() {
        let then = [file("team.toml", "x"), file("cases.csv", "y")];
        let now = [file("../w/team.toml", "x"), file("../w/cases.csv", "y")];
        assert_eq!(input_changes(&then, &now), []);
    }

    #[test]
    fn an_edited_file_is_named_once_and_a_file_no_longer_read_is_named() {
        let then = [file("team.toml", "x"), file("model.toml", "m")];
        let edited = [file("team.toml", "x2"), file("model.toml", "m")];
        assert_eq!(
            input_changes(&then, &edited),
            [InputChange::Changed {
                path: "team.toml".into()
            }]
        );
        let other_model = [file("team.toml", "x")];
        assert_eq!(
            input_changes(&then, &other_model),
            [InputChange::NotRead {
                path: "model.toml".into()
            }]
        );
    }

    #[test]
    fn recorded_inputs_are_read_back_and_their_absence_is_none() {
        let p = Provenance::of([file("team.toml", "x")]);
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(recorded_inputs(&text), Some(p.inputs));
        assert_eq!(recorded_inputs("{\"scenario\": \"x\"}"), None);
        assert_eq!(recorded_inputs("{\"inputs\": [{\"path\": 1}]}"), None);
    }
}
