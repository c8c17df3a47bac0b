//! Which of caseload's TOML formats a file is, for the commands that are given a folder and must
//! tell a team's scenario from the acuity model or the hiring profiles kept beside it. The
//! formats' own keys (see [`formats`](crate::input::formats)) decide: nothing is listed twice.

use std::io::Read as _;
use std::path::Path;

use toml::de::DeTable;

use crate::input::formats::{ModelToml, ProfilesToml, ScenarioToml};

/// One of the TOML formats people write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlFormat {
    /// A scenario or a what-if overlay; also any document that is clearly none of the others,
    /// since reading it as a scenario says best what is wrong with it.
    Scenario,
    /// An acuity model (`points_per_fte`, `[acuity]`).
    Model,
    /// Hiring profiles (`[[profile]]`).
    Profiles,
}

impl TomlFormat {
    /// The format a document's top-level keys say: a model's or the profiles' when one key
    /// belongs to that format alone and none to a scenario alone; a scenario's otherwise
    /// (keys both share, such as `name` and `policy`, say nothing).
    pub fn of_keys<'k>(keys: impl IntoIterator<Item = &'k str>) -> TomlFormat {
        let keys: Vec<&str> = keys.into_iter().collect();
        let has_own = |own: &[&str], others: [&[&str]; 2]| {
            keys.iter()
                .any(|k| own.contains(k) && others.iter().all(|o| !o.contains(k)))
        };
        let (scenario, model, profiles) = (ScenarioToml::KEYS, ModelToml::KEYS, ProfilesToml::KEYS);
        if has_own(scenario, [model, profiles]) {
            TomlFormat::Scenario
        } else if has_own(model, [scenario, profiles]) {
            TomlFormat::Model
        } else if has_own(profiles, [scenario, model]) {
            TomlFormat::Profiles
        } else {
            TomlFormat::Scenario
        }
    }

    /// The format of a TOML text, from the keys that parse (a text with a syntax error is
    /// judged by the rest).
    pub fn of_text(text: &str) -> TomlFormat {
        let (doc, _errors) = DeTable::parse_recoverable(text);
        TomlFormat::of_keys(doc.get_ref().keys().map(|k| k.get_ref().as_ref()))
    }

    /// The format of a file, from its first 64 KiB (a model or profiles file is far smaller; a
    /// scenario's own keys come first). A file that cannot be read is a scenario: reading it as
    /// one says why it cannot be.
    pub fn of_file(path: &Path) -> TomlFormat {
        const HEAD_BYTES: u64 = 64 << 10;
        let mut head = Vec::new();
        let read =
            std::fs::File::open(path).and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head));
        if read.is_err() {
            return TomlFormat::Scenario;
        }
        if head.len() as u64 == HEAD_BYTES {
            // The whole lines only: a line cut short would be a syntax error.
            let end = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            head.truncate(end);
        }
        match std::str::from_utf8(&head) {
            Ok(text) => TomlFormat::of_text(text),
            Err(_) => TomlFormat::Scenario,
        }
    }

    /// What the file is, in words: "a scenario", "an acuity model", "hiring profiles".
    pub fn described(self) -> &'static str {
        match self {
            TomlFormat::Scenario => "a scenario",
            TomlFormat::Model => "an acuity model",
            TomlFormat::Profiles => "hiring profiles",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formats_own_keys_tell_them_apart() {
        for (text, format) in [
            (
                "name = \"T\"\n[[staff]]\nid = \"ana\"\n",
                TomlFormat::Scenario,
            ),
            ("extends = \"riverside.toml\"\n", TomlFormat::Scenario),
            (
                "name = \"T\"\n[policy]\nmax_moves = 3\n",
                TomlFormat::Scenario,
            ),
            ("", TomlFormat::Scenario),
            (
                "points_per_fte = 40\n[acuity.levels]\nlow = 1\n",
                TomlFormat::Model,
            ),
            (
                "name = \"M\"\ndescription = \"d\"\n[policy]\n",
                TomlFormat::Model,
            ),
            ("[[profile]]\nname = \"generalist\"\n", TomlFormat::Profiles),
            // A key only a scenario has makes it one: its problems are a scenario's.
            (
                "points_per_fte = 40\n[[staff]]\nid = \"ana\"\n",
                TomlFormat::Scenario,
            ),
            (
                "[[profile]]\nname = \"g\"\n[[case]]\nid = \"C-1\"\n",
                TomlFormat::Scenario,
            ),
            // Unknown keys alone: read as a scenario, which names them.
            ("nmae = \"T\"\n", TomlFormat::Scenario),
            // A syntax error further down: the keys above it still tell.
            ("points_per_fte = 40\n[acuity\n", TomlFormat::Model),
        ] {
            assert_eq!(TomlFormat::of_text(text), format, "{text}");
        }
    }

    #[test]
    fn the_example_files_are_what_their_folders_say() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let format = |path: &str| {
            let text = std::fs::read_to_string(root.join(path)).expect("the example file");
            TomlFormat::of_text(&text)
        };
        for model in ["standard", "child-welfare", "health-plan"] {
            assert_eq!(format(&format!("models/{model}.toml")), TomlFormat::Model);
        }
        assert_eq!(
            format("scenarios/profiles/hires.toml"),
            TomlFormat::Profiles
        );
        for scenario in ["riverside", "riverside-leave", "county-east", "lakeside"] {
            let path = format!("scenarios/{scenario}.toml");
            assert_eq!(format(&path), TomlFormat::Scenario, "{path}");
        }
    }

    #[test]
    fn a_file_is_judged_by_its_head_and_one_that_cannot_be_read_is_a_scenario() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let comments = "# a long comment line, repeated to make the file large\n".repeat(4000);
        let model = dir.path().join("model.toml");
        std::fs::write(
            &model,
            format!("points_per_fte = 40\n{comments}[acuity.levels]\n"),
        )
        .expect("written");
        assert_eq!(TomlFormat::of_file(&model), TomlFormat::Model);
        let late = dir.path().join("late.toml");
        std::fs::write(&late, format!("{comments}[[profile]]\nname = \"g\"\n")).expect("written");
        assert_eq!(
            TomlFormat::of_file(&late),
            TomlFormat::Scenario,
            "beyond the head"
        );
        let missing = dir.path().join("missing.toml");
        assert_eq!(TomlFormat::of_file(&missing), TomlFormat::Scenario);
        let binary = dir.path().join("binary.toml");
        std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("written");
        assert_eq!(TomlFormat::of_file(&binary), TomlFormat::Scenario);
    }
}
