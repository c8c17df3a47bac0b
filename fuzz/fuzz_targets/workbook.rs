//! Any bytes as the workbook a scenario names, read both as an Excel workbook and as an
//! OpenDocument spreadsheet (the staff and cases CSV share the cases CSV's reader, fuzzed by
//! `cases_csv`).
#![no_main]

use caseload::input::{load_scenario, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["team.xlsx", "team.ods"] {
        std::fs::write(dir.path().join(name), data).expect("write");
        let path = dir.path().join("scenario.toml");
        let scenario = format!("name = \"fuzz\"\nworkbook = \"{name}\"\n");
        std::fs::write(&path, scenario).expect("write");
        let _ = load_scenario(&path, &LoadOptions::default());
    }
});
