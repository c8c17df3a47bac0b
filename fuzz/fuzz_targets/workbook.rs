//! Any bytes as the workbook a scenario names (the staff and cases CSV share the cases CSV's
//! reader, fuzzed by `cases_csv`).
#![no_main]

use caseload::input::{load_scenario, LoadOptions};
use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = "name = \"fuzz\"\nworkbook = \"team.xlsx\"\n";

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("team.xlsx"), data).expect("write");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, SCENARIO).expect("write");
    let _ = load_scenario(&path, &LoadOptions::default());
});
