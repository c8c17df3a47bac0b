//! Any bytes as a scenario file: the loader answers with a scenario or located errors, never a
//! panic.
#![no_main]

use caseload::input::{load_scenario, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, data).expect("write");
    let _ = load_scenario(&path, &LoadOptions::default());
});
