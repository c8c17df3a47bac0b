//! Where outputs go: an output that could not be written is refused before the work that would
//! produce it, and the folders missing on the way to a new one are created.

mod common;

use common::{caseload, code};

#[test]
fn an_output_that_could_not_be_written_is_refused_before_solving() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("week47.json");
    std::fs::write(&existing, "kept").unwrap();
    let under_a_file = existing.join("week48.json");
    for (output, says) in [
        (&existing, "already exists"),
        (&under_a_file, "is not a folder"),
    ] {
        for command in ["rebalance", "whatif", "tradeoff", "compare"] {
            let mut args = vec![command, "scenarios/riverside.toml"];
            match command {
                "whatif" => args.extend(["--leave", "maria"]),
                "compare" => args.push("scenarios/riverside-leave.toml"),
                _ => {}
            }
            if command != "tradeoff" && command != "compare" {
                args.push("-v");
            }
            args.extend(["--output", output.to_str().unwrap()]);
            let out = caseload(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(code(&out), 2, "{command}: {stderr}");
            assert!(stderr.contains(says), "{command}: {stderr}");
            // Refused before the solve: no step was reported.
            assert!(!stderr.contains("step equity"), "{command}: {stderr}");
        }
    }
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "kept");
}

#[test]
fn the_folders_missing_on_the_way_to_an_output_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("reports/week47/proposal.json");
    let out = caseload(&[
        "rebalance",
        "scenarios/riverside.toml",
        "--format",
        "json",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&output).unwrap();
    assert!(written.contains("\"assignments\""));
}
