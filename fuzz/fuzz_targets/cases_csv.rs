//! Any bytes as the cases CSV a scenario names.
#![no_main]

use caseload::input::{load_scenario, LoadOptions};
use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = "name = \"fuzz\"\ncases_csv = \"cases.csv\"\n\n[[staff]]\nid = \"ana\"\nskills = [\"spanish\"]\n\n[[staff]]\nid = \"bo\"\n";

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("cases.csv"), data).expect("write");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, SCENARIO).expect("write");
    let _ = load_scenario(&path, &LoadOptions::default());
});
