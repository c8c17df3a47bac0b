//! Any text as a saved proposal of the riverside example: read back, and when it fits,
//! explained and rendered.
#![no_main]

use std::sync::OnceLock;

use caseload::domain::Scenario;
use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::report::proposal::{proposal_json, proposal_text};
use caseload::solve::saved::read_saved;
use libfuzzer_sys::fuzz_target;

fn riverside() -> &'static Scenario {
    static SCENARIO: OnceLock<Scenario> = OnceLock::new();
    SCENARIO.get_or_init(|| {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/riverside.toml");
        load_scenario(&path, &LoadOptions::default())
            .expect("the example loads")
            .scenario
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scenario = riverside();
    if let Ok(proposal) = read_saved(scenario, text) {
        let view = Explanation::of(scenario, &proposal);
        let _ = proposal_text(&view);
        let _ = proposal_json(&view, &Provenance::of(Vec::new()));
    }
});
