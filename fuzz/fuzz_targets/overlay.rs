//! Any bytes as an overlay of the riverside example (written next to a copy of it).
#![no_main]

use caseload::input::{load_scenario, LoadOptions};
use libfuzzer_sys::fuzz_target;

const BASE: &str = include_str!("../../scenarios/riverside.toml");
const MODEL: &str = include_str!("../../models/standard.toml");

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenarios = dir.path().join("scenarios");
    let models = dir.path().join("models");
    std::fs::create_dir_all(&scenarios).expect("dir");
    std::fs::create_dir_all(&models).expect("dir");
    std::fs::write(scenarios.join("riverside.toml"), BASE).expect("write");
    std::fs::write(models.join("standard.toml"), MODEL).expect("write");
    let path = scenarios.join("overlay.toml");
    std::fs::write(&path, data).expect("write");
    let _ = load_scenario(&path, &LoadOptions::default());
});
