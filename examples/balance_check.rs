//! Counts the transfers a proposal leaves open against the balance guarantee, for
//! `benches/balance.sh`, which measures the solver's proposals on generated teams:
//!
//! ```text
//! cargo run --release --example balance_check -- SCENARIO PROPOSAL_JSON BAND
//! ```
//!
//! Prints `violations N`, `worst_gap G` (utilization, `-` when none) and `worst LINE`.

use std::path::Path;
use std::process::ExitCode;

use caseload::verify::balance::imbalances;
use caseload::{load_scenario, LoadOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [scenario, proposal, band] = args.as_slice() else {
        eprintln!("usage: balance_check SCENARIO PROPOSAL_JSON BAND");
        return ExitCode::from(2);
    };
    match run(Path::new(scenario), Path::new(proposal), band) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("balance_check: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(scenario: &Path, proposal: &Path, band: &str) -> Result<(), String> {
    let band: f64 = band.parse().map_err(|e| format!("band {band:?}: {e}"))?;
    let loaded = load_scenario(scenario, &LoadOptions::default()).map_err(|e| e.to_string())?;
    let text =
        std::fs::read_to_string(proposal).map_err(|e| format!("{}: {e}", proposal.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", proposal.display()))?;
    let found = imbalances(&loaded.scenario, &json, band);
    println!("violations {}", found.len());
    match found.iter().max_by(|a, b| a.gap().total_cmp(&b.gap())) {
        Some(worst) => {
            println!("worst_gap {:.4}", worst.gap());
            println!("worst {worst}");
        }
        None => println!("worst_gap -"),
    }
    Ok(())
}
