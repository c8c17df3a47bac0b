//! What-if overlays (`extends`): each kind of change, nesting, cycles, and errors located in the
//! overlay's own lines.

mod common;

use std::path::Path;

use caseload::domain::Scenario;
use caseload::input::{load_scenario, LoadOptions};
use common::{caseload, code, write};

const BASE: &str = r#"name = "Base team"

[policy]
max_moves = 7
equity_tolerance = 0.02

[[staff]]
id = "ana"
capacity = 20
skills = ["spanish"]
max_cases = 9

[[staff]]
id = "bo"
capacity = 20

[[staff]]
id = "cy"
capacity = 10

[[case]]
id = "C1"
acuity = 4
needs = ["spanish"]
assigned = "ana"
pinned = true

[[case]]
id = "C2"
acuity = 3
assigned = "bo"
prefer = ["cy"]

[[case]]
id = "C3"
acuity = 2
assigned = "cy"
avoid = ["bo"]
"#;

fn load(path: &Path) -> Scenario {
    load_scenario(path, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn staff<'a>(s: &'a Scenario, id: &str) -> &'a caseload::domain::Staff {
    &s.staff[s
        .staff_by_id(id)
        .unwrap_or_else(|| panic!("no worker {id}"))]
}

fn case<'a>(s: &'a Scenario, id: &str) -> &'a caseload::domain::Case {
    &s.cases[s.case_by_id(id).unwrap_or_else(|| panic!("no case {id}"))]
}

#[test]
fn an_entry_with_a_known_id_changes_only_the_keys_it_gives() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let path = write(
        dir.path(),
        "leave.toml",
        "extends = \"base.toml\"\n[[staff]]\nid = \"ana\"\nmax_cases = 4\n[[case]]\nid = \"C2\"\nacuity = 5\n",
    );
    let s = load(&path);
    let ana = staff(&s, "ana");
    assert!(ana.available);
    assert_eq!(ana.skills, ["spanish"]);
    assert_eq!(ana.max_cases, Some(4));
    assert_eq!(ana.capacity, 20.0);
    let c2 = case(&s, "C2");
    assert_eq!(c2.weight, 5.0);
    assert_eq!(c2.assigned, s.staff_by_id("bo"));
    assert_eq!(c2.prefer, vec![s.staff_by_id("cy").unwrap()]);
    // Without a name of its own, an overlay is told apart by its file name.
    assert_eq!(s.name, "Base team — leave");
    assert_eq!(s.staff.len(), 3);
    assert_eq!(s.cases.len(), 3);
}

#[test]
fn new_ids_add_workers_and_cases_and_policy_keys_override_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let path = write(
        dir.path(),
        "hire.toml",
        r#"extends = "base.toml"
name = "With a hire"
[policy]
max_moves = 3
[[staff]]
id = "di"
capacity = 15
skills = ["spanish"]
[[case]]
id = "N1"
acuity = 6
needs = ["spanish"]
"#,
    );
    let s = load(&path);
    assert_eq!(s.name, "With a hire");
    assert_eq!(staff(&s, "di").skills, ["spanish"]);
    assert_eq!(case(&s, "N1").assigned, None);
    assert_eq!(s.policy.max_moves, 3);
    assert_eq!(s.policy.equity_tolerance, 0.02);
    let ids: Vec<&str> = s.staff.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["ana", "bo", "cy", "di"]);
}

#[test]
fn removed_workers_leave_their_cases_as_intake_and_closed_cases_go() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    let path = write(
        dir.path(),
        "smaller.toml",
        "extends = \"base.toml\"\nremove_staff = [\"bo\", \"cy\"]\nclose_cases = [\"C1\"]\n",
    );
    let s = load(&path);
    assert_eq!(s.staff.len(), 1);
    assert!(s.case_by_id("C1").is_none());
    // bo's case becomes intake; wishes naming the removed workers are dropped.
    let c2 = case(&s, "C2");
    assert_eq!(c2.assigned, None);
    assert!(c2.prefer.is_empty());
    let c3 = case(&s, "C3");
    assert_eq!(c3.assigned, None);
    assert!(c3.avoid.is_empty());
}

#[test]
fn an_overlay_adds_cases_from_its_own_csv_and_can_be_extended_again() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    std::fs::create_dir(dir.path().join("whatif")).unwrap();
    write(
        &dir.path().join("whatif"),
        "more.csv",
        "id,acuity,needs\nK1,2,\nK2,3,spanish\n",
    );
    write(
        &dir.path().join("whatif"),
        "surge.toml",
        "extends = \"../base.toml\"\ncases_csv = \"more.csv\"\n",
    );
    let outer = write(
        dir.path(),
        "surge-and-leave.toml",
        "extends = \"whatif/surge.toml\"\n[[staff]]\nid = \"cy\"\navailable = false\n[[case]]\nid = \"K2\"\nacuity = 8\n",
    );
    let s = load(&outer);
    assert_eq!(case(&s, "K1").weight, 2.0);
    assert_eq!(case(&s, "K2").weight, 8.0);
    assert_eq!(case(&s, "K2").needs, ["spanish"]);
    assert!(!staff(&s, "cy").available);
    let ids: Vec<&str> = s.cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["C1", "C2", "C3", "K1", "K2"]);
}

#[test]
fn a_cycle_is_an_error_at_the_extends_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.toml", "extends = \"b.toml\"\n");
    let b = write(dir.path(), "b.toml", "name = \"B\"\nextends = \"a.toml\"\n");
    let out = caseload(&["check", b.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a.toml:1:11"), "{stderr}");
    assert!(stderr.contains("`extends` forms a cycle"), "{stderr}");
}

#[test]
fn errors_in_an_overlay_point_at_the_overlay_s_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", BASE);
    let overlay = write(
        dir.path(),
        "bad.toml",
        "extends = \"base.toml\"\nremove_staff = [\"bob\"]\n\n[[staff]]\nid = \"ana\"\nfte = -1\n",
    );
    let before = std::fs::read(&base).unwrap();
    let out = caseload(&["rebalance", overlay.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let o = overlay.display();
    assert!(
        stderr.contains(&format!("{o}:2:17")) && stderr.contains("did you mean `bo`?"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{o}:6:7")), "{stderr}");
    assert!(stderr.contains("`fte` of `ana` is -1"), "{stderr}");
    assert_eq!(std::fs::read(&base).unwrap(), before);
    // A missing base is named at the `extends` line.
    let orphan = write(dir.path(), "orphan.toml", "extends = \"nowhere.toml\"\n");
    let out = caseload(&["check", orphan.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:1:11", orphan.display())),
        "{stderr}"
    );
}

#[test]
fn the_example_overlays_match_their_base_but_for_their_changes() {
    let root = common::root();
    let base = load(&root.join("scenarios/riverside.toml"));
    let leave = load(&root.join("scenarios/riverside-leave.toml"));
    assert_eq!(base.cases, leave.cases);
    assert!(!staff(&leave, "derek").available);
    let hire = load(&root.join("scenarios/riverside-new-hire.toml"));
    assert_eq!(hire.staff.len(), base.staff.len() + 1);
    let surge = load(&root.join("scenarios/riverside-surge.toml"));
    assert_eq!(surge.cases.len(), base.cases.len() + 13);
}

#[test]
fn an_id_given_twice_in_an_overlay_and_a_csv_row_clashing_with_a_case_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.toml", BASE);
    write(dir.path(), "more.csv", "id,acuity\nC2,9\n");
    let overlay = write(
        dir.path(),
        "twice.toml",
        "extends = \"base.toml\"\ncases_csv = \"more.csv\"\nremove_staff = [\"cy\", \"cy\"]\n[[staff]]\nid = \"di\"\n[[staff]]\nid = \"di\"\n",
    );
    let out = caseload(&["check", overlay.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let o = overlay.display();
    assert!(
        stderr.contains(&format!("{o}:3:23: `cy` is given twice in this overlay")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{o}:7:6: `di` is given twice in this overlay")),
        "{stderr}"
    );
    assert!(stderr.contains("case id `C2` is used twice"), "{stderr}");
}

#[test]
fn no_output_replaces_a_scenario_that_an_overlay_extends() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(dir.path(), "base.toml", BASE);
    let overlay = write(dir.path(), "o.toml", "extends = \"base.toml\"\n");
    let before = std::fs::read(&base).unwrap();
    for command in ["rebalance", "tradeoff", "compare"] {
        let out = caseload(&[
            command,
            overlay.to_str().unwrap(),
            "--output",
            base.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(code(&out), 2, "{command}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is one of the inputs"));
    }
    assert_eq!(std::fs::read(&base).unwrap(), before);
}

#[test]
fn an_overlay_putting_a_worker_on_leave_gives_the_answer_of_whatif_leave() {
    let dir = tempfile::tempdir().unwrap();
    let base = common::root().join("scenarios/riverside.toml");
    let overlay = write(
        dir.path(),
        "tom-away.toml",
        &format!(
            "extends = \"{}\"\n\n[[staff]]\nid = \"tom\"\navailable = false\n",
            base.display()
        ),
    );
    // Tom holds a pinned case: the pin is lifted, with a warning naming it, not an error.
    let checked = caseload(&["check", overlay.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(code(&checked), 0, "{stderr}");
    assert!(
        stderr.contains("`tom` is on leave here, so the pins of `C-1014` to them are lifted"),
        "{stderr}"
    );
    assert!(stderr.contains("tom-away.toml:5:"), "{stderr}");
    let s = load(&overlay);
    assert!(!case(&s, "C-1014").pinned);
    assert!(case(&s, "C-1001").pinned, "other workers' pins stay");
    // The same proposal as `whatif --leave tom`.
    let json = |args: &[&str]| -> serde_json::Value {
        let out = caseload(args);
        assert!(code(&out) <= 1, "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let from_overlay = json(&["rebalance", overlay.to_str().unwrap(), "--format", "json"]);
    let from_whatif = json(&[
        "whatif",
        base.to_str().unwrap(),
        "--leave",
        "tom",
        "--format",
        "json",
    ]);
    assert_eq!(
        from_overlay["assignments"], from_whatif["proposal"]["assignments"],
        "{from_whatif}"
    );
}

#[test]
fn a_pin_the_overlay_sets_to_a_worker_it_puts_on_leave_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let base = common::root().join("scenarios/riverside.toml");
    let overlay = write(
        dir.path(),
        "contradiction.toml",
        &format!(
            "extends = \"{}\"\n\n[[staff]]\nid = \"tom\"\navailable = false\n\n[[case]]\nid = \"C-1014\"\npinned = true\n",
            base.display()
        ),
    );
    let checked = caseload(&["check", overlay.to_str().unwrap()]);
    assert_eq!(code(&checked), 2);
}
