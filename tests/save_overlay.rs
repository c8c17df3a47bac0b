//! `caseload whatif --save-overlay FILE`: a what-if kept as an overlay file means exactly what
//! the what-if did. For each kind of change, and for several at once, on the example team, a
//! generated one and one whose ids are hostile text: `caseload rebalance FILE` gives the
//! what-if's proposal (the JSON without its record of input files), the command in the file's
//! header asks the same what-if, and `caseload check FILE` warns of nothing today's team does
//! not, but what the change itself brings about. Then the file's own rules: checked before
//! solving, written atomically, never over an input, never over a file without `--force`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{caseload, caseload_threads, code, root, Team};
use serde_json::Value;
use tempfile::TempDir;

const RIVERSIDE: &str = "scenarios/riverside.toml";

/// A JSON document without its provenance (`caseload_version`, `format_version`, `inputs`):
/// the paths of the files read differ between a scenario and its overlay.
fn without_provenance(stdout: &[u8]) -> Value {
    let mut json: Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(stdout)));
    let document = json.as_object_mut().expect("a JSON object");
    for key in ["caseload_version", "format_version", "inputs"] {
        assert!(document.remove(key).is_some(), "no `{key}`");
    }
    json
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A what-if kept as an overlay: the folder it is in, the file, and the what-if's JSON answer.
struct Kept {
    _dir: TempDir,
    overlay: PathBuf,
    whatif: Value,
}

/// `caseload whatif SCENARIO ARGS --format json --save-overlay`, the overlay in a folder of a
/// fresh temporary one (so that `extends` has to find the scenario from elsewhere).
fn keep(scenario: &Path, args: &[&str]) -> Kept {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("kept").join("what-if.toml");
    let mut all = vec!["whatif", text(scenario)];
    all.extend_from_slice(args);
    all.extend(["--format", "json", "--save-overlay", text(&overlay)]);
    let out = caseload(&all);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(overlay.is_file(), "the overlay is written");
    Kept {
        whatif: without_provenance(&out.stdout),
        overlay,
        _dir: dir,
    }
}

/// The policy options among `args`, as the overlay's name adds them to the what-if's title.
fn policy_words(args: &[&str]) -> Vec<String> {
    let value = |option: &str| {
        let at = args.iter().position(|a| *a == option)?;
        Some(args[at + 1])
    };
    [
        value("--max-moves").map(|n| format!("a budget of {n} moves")),
        value("--balance-band").map(|b| format!("a balance band of {b}")),
        value("--target").map(|t| format!("a target of {t}")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `caseload rebalance OVERLAY` gives the what-if's proposal: moves, figures, assignments,
/// explanations. The one field that may differ is the team's name: the overlay adds the policy
/// options to the what-if's title ("…, a budget of 5 moves"), and cuts a name longer than the
/// 200 characters a scenario file takes to 199 and "…".
fn assert_rebalance_gives_the_whatifs_proposal(kept: &Kept, args: &[&str]) {
    let out = caseload(&["rebalance", text(&kept.overlay), "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let rebalanced = without_provenance(&out.stdout);
    let mut expected = kept.whatif["proposal"].clone();
    let title = expected["scenario"].as_str().unwrap().to_string();
    let words = policy_words(args);
    let mut name = if words.is_empty() {
        title
    } else {
        format!("{title}, {}", words.join(", "))
    };
    if name.chars().count() > 200 {
        name = name.chars().take(199).chain(['…']).collect();
    }
    expected["scenario"] = name.into();
    assert!(
        rebalanced == expected,
        "`caseload rebalance` on the overlay of `whatif {}` differs from the what-if:\n{}",
        args.join(" "),
        first_difference(&expected, &rebalanced, "")
    );
}

/// Where two JSON values first differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let null = Value::Null;
            match x.keys().chain(y.keys()).find(|k| x.get(*k) != y.get(*k)) {
                Some(k) => {
                    let (p, q) = (x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null));
                    first_difference(p, q, &format!("{at}.{k}"))
                }
                None => String::new(),
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{at}[{i}]"));
                }
            }
            String::new()
        }
        _ => format!("{at}: {a} (what-if) vs {b} (overlay)"),
    }
}

/// The command in the overlay's header, run by the shell from the overlay's folder, asks the
/// same what-if: the same answer, name included.
fn assert_the_header_command_asks_the_same(kept: &Kept) {
    let text = std::fs::read_to_string(&kept.overlay).unwrap();
    let command = text
        .lines()
        .find_map(|l| l.strip_prefix("#   caseload whatif "))
        .unwrap_or_else(|| panic!("no command in the header:\n{text}"));
    let binary = Path::new(env!("CARGO_BIN_EXE_caseload"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let out = Command::new("sh")
        .args(["-c", &format!("caseload whatif {command} --format json")])
        .current_dir(kept.overlay.parent().unwrap())
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        without_provenance(&out.stdout),
        kept.whatif,
        "`caseload whatif {command}`"
    );
}

/// The warnings of `caseload check FILE --format json` with `options` (line, column,
/// message); the check passes.
fn warnings(scenario: &Path, options: &[&str]) -> Vec<(u64, u64, String)> {
    let mut args = vec!["check", text(scenario), "--format", "json"];
    args.extend_from_slice(options);
    let out = caseload(&args);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let n = |key: &str| w[key].as_u64().unwrap_or(0);
            (
                n("line"),
                n("column"),
                w["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `caseload check` on the overlay warns of nothing that it does not on today's team (with the
/// what-if's `--model`, if any), but that a worker whose FTE the what-if lowers (`lowered`) is
/// over capacity today.
fn assert_no_new_warnings(scenario: &Path, args: &[&str], kept: &Kept, lowered: &[&str]) {
    let model: Vec<&str> = match args.iter().position(|a| *a == "--model") {
        Some(at) => args[at..at + 2].to_vec(),
        None => Vec::new(),
    };
    let today = warnings(scenario, &model);
    for warning in warnings(&kept.overlay, &[]) {
        let brought_about = lowered.iter().any(|w| {
            warning
                .2
                .starts_with(&format!("`{w}` is over capacity today"))
        });
        assert!(
            brought_about || today.contains(&warning),
            "a warning today's team does not have: {warning:?}"
        );
    }
}

/// Everything a kept what-if must be, for `caseload whatif SCENARIO ARGS`.
fn assert_kept_as_asked(scenario: &Path, args: &[&str], lowered: &[&str]) -> Kept {
    let kept = keep(scenario, args);
    assert_rebalance_gives_the_whatifs_proposal(&kept, args);
    assert_the_header_command_asks_the_same(&kept);
    assert_no_new_warnings(scenario, args, &kept, lowered);
    kept
}

#[test]
fn each_change_to_the_example_team_kept_as_an_overlay_is_the_whatif() {
    let riverside = root().join(RIVERSIDE);
    // C-1014 is pinned to tom: the overlay lifts the pin itself, without a warning.
    let leave = assert_kept_as_asked(&riverside, &["--leave", "tom"], &[]);
    let text = std::fs::read_to_string(&leave.overlay).unwrap();
    assert!(
        text.contains("[[case]]\nid = \"C-1014\"\npinned = false\n"),
        "{text}"
    );
    assert_kept_as_asked(&riverside, &["--fte", "linh=0.5"], &["linh"]);
    assert_kept_as_asked(&riverside, &["--fte", "kevin=1.2"], &[]);
    assert_kept_as_asked(&riverside, &["--hire", "Spanish,youth@0.8"], &[]);
    assert_kept_as_asked(&riverside, &["--surge", "15%", "--seed", "3"], &[]);
    let policy = [
        "--leave",
        "derek",
        "--max-moves",
        "5",
        "--balance-band",
        "0.1",
        "--target",
        "0.9",
    ];
    assert_kept_as_asked(&riverside, &policy, &[]);
    let all = [
        "--leave",
        "tom",
        "--leave",
        "derek",
        "--fte",
        "linh=0.5",
        "--fte",
        "linh=0.6",
        "--hire",
        "spanish@0.5",
        "--hire",
        "youth",
        "--surge",
        "20%",
        "--max-moves",
        "10",
    ];
    assert_kept_as_asked(&riverside, &all, &["linh"]);
}

#[test]
fn a_model_given_on_the_command_line_is_the_overlays_model() {
    // The standard model, but for 50 points per FTE: every capacity the scenario leaves to the
    // model changes, the hire's too.
    let dir = tempfile::tempdir().unwrap();
    let standard = std::fs::read_to_string(root().join("models/standard.toml")).unwrap();
    assert!(standard.contains("\npoints_per_fte = 40\n"));
    let richer = standard.replace("\npoints_per_fte = 40\n", "\npoints_per_fte = 50\n");
    let model = common::write(dir.path(), "richer.toml", &richer);
    let args = [
        "--hire",
        "spanish@0.5",
        "--leave",
        "derek",
        "--model",
        text(&model),
    ];
    let kept = assert_kept_as_asked(&root().join(RIVERSIDE), &args, &[]);
    let saved: toml::Table =
        toml::from_str(&std::fs::read_to_string(&kept.overlay).unwrap()).unwrap();
    let named = kept
        .overlay
        .parent()
        .unwrap()
        .join(saved["model"].as_str().unwrap());
    assert_eq!(std::fs::read_to_string(named).unwrap(), richer);
    assert_eq!(saved["staff"][1]["capacity"].as_float(), Some(25.0));
}

#[test]
fn changes_to_a_generated_team_kept_as_an_overlay_are_the_whatif() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team");
    let out = caseload(&[
        "generate",
        "--staff",
        "12",
        "--cases",
        "150",
        "--seed",
        "4",
        "--output",
        text(&team),
    ]);
    assert_eq!(code(&out), 0);
    let scenario = team.join("scenario.toml");
    // w08 holds three pinned cases; w02's capacity is given in the file (39 at 1.0 FTE), so the
    // overlay gives the capacity the what-if scaled, not the model's.
    let leave = assert_kept_as_asked(&scenario, &["--leave", "w08"], &[]);
    let pins = std::fs::read_to_string(&leave.overlay).unwrap();
    assert_eq!(pins.matches("pinned = false").count(), 3, "{pins}");
    let fte = assert_kept_as_asked(&scenario, &["--fte", "w02=0.8"], &["w02"]);
    let capacity = std::fs::read_to_string(&fte.overlay).unwrap();
    assert!(
        capacity.contains("fte = 0.8\ncapacity = 31.2"),
        "{capacity}"
    );
    assert_kept_as_asked(&scenario, &["--hire", "spanish@0.5"], &[]);
    assert_kept_as_asked(&scenario, &["--surge", "25%", "--seed", "9"], &[]);
    let all = [
        "--leave",
        "w08",
        "--fte",
        "w02=0.8",
        "--hire",
        "asl,spanish@1.2",
        "--surge",
        "10%",
        "--balance-band",
        "0.02",
    ];
    assert_kept_as_asked(&scenario, &all, &["w02"]);
}

#[test]
fn hostile_ids_read_back_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let quoted = r#"o"brien \ <script>alert(1)</script> 'x' #1 — Zoë"#;
    let other = r"ünï \n [[staff]] 'q'";
    let skill = r#"lang "ö" <b> \ '"#;
    let team = Team::new()
        .staff(quoted, |s| s.capacity(30).skills(&[skill]))
        .staff(other, |s| s.capacity(30).skills(&[skill]))
        .staff("ana", |s| s.capacity(30))
        .case(r#"C "1" </td>"#, |c| {
            c.acuity(6).needs(&[skill]).assigned(quoted).pinned()
        })
        .case("C-2 = 'two'", |c| {
            c.acuity("high").assigned(quoted).family(r#"F "x""#)
        })
        .case("C-3", |c| c.acuity(4).assigned(other).family(r#"F "x""#))
        .case("C-4 \\", |c| c.acuity(9).assigned("ana").avoid(&[other]));
    let scenario = team.write(dir.path());
    let fte = format!("{other}=0.75");
    let hire = format!("{skill}@0.5");
    for (args, changed) in [
        (vec!["--leave", quoted], quoted),
        (vec!["--fte", &fte, "--hire", &hire], other),
        (
            vec!["--leave", quoted, "--fte", "ana=0.5", "--surge", "100%"],
            quoted,
        ),
    ] {
        let kept = assert_kept_as_asked(&scenario, &args, &[]);
        let saved: toml::Table =
            toml::from_str(&std::fs::read_to_string(&kept.overlay).unwrap()).unwrap();
        assert_eq!(saved["staff"][0]["id"].as_str(), Some(changed));
    }
}

/// `caseload whatif riverside --leave derek --verbose` with `more` options; what it printed.
fn save(more: &[&str]) -> Output {
    let mut args = vec!["whatif", RIVERSIDE, "--leave", "derek", "--verbose"];
    args.extend_from_slice(more);
    caseload(&args)
}

/// Refused with exit code 2 and `said` before solving (no solve step printed by --verbose).
fn assert_refused_before_solving(out: &Output, said: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(out), 2, "{stderr}");
    assert!(stderr.contains(said), "{stderr}");
    assert!(
        !stderr.contains("today: "),
        "refused only after solving: {stderr}"
    );
}

#[test]
fn the_overlay_is_checked_before_solving_and_written_only_where_it_may_be() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("derek.toml");
    let report = dir.path().join("report.json");
    let [overlay_path, report_path] = [&overlay, &report].map(|p| text(p));
    std::fs::write(&overlay, "kept").unwrap();
    let out = save(&["--output", report_path, "--save-overlay", overlay_path]);
    assert_refused_before_solving(&out, "already exists");
    assert_eq!(std::fs::read_to_string(&overlay).unwrap(), "kept");
    assert!(!report.exists(), "nothing is written, the report neither");

    let out = save(&[
        "--output",
        report_path,
        "--save-overlay",
        overlay_path,
        "--force",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&overlay).unwrap();
    assert!(written.starts_with("# A what-if of "), "{written}");
    assert!(report.is_file());

    // Missing folders are made, as for --output.
    let nested = dir.path().join("a").join("b").join("derek.toml");
    let out = save(&["--save-overlay", text(&nested)]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let extends = |text: &str| {
        let doc: toml::Table = toml::from_str(text).unwrap();
        doc["extends"].as_str().unwrap().to_string()
    };
    let nested_text = std::fs::read_to_string(&nested).unwrap();
    assert_eq!(
        extends(&nested_text),
        format!("../../{}", extends(&written))
    );

    // Never over an input, whatever --force says: the scenario, the model.
    for input in [RIVERSIDE, "models/standard.toml"] {
        let before = std::fs::read(root().join(input)).unwrap();
        let out = save(&["--save-overlay", input, "--force"]);
        assert_refused_before_solving(&out, "is one of the inputs");
        assert_eq!(std::fs::read(root().join(input)).unwrap(), before);
    }
    // Nor over the report.
    let same = dir.path().join("same.toml");
    let round_about = dir.path().join("a").join("..").join("same.toml");
    let out = save(&[
        "--output",
        text(&same),
        "--save-overlay",
        text(&round_about),
    ]);
    assert_refused_before_solving(&out, "name the same file");
    assert!(!same.exists());
}

#[test]
fn a_whatif_no_overlay_can_say_is_refused_before_solving() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("tiny.toml");
    // The what-if takes any FTE above 0; a scenario file one of 0.01 or more.
    let out = caseload(&[
        "whatif",
        RIVERSIDE,
        "--fte",
        "tom=0.005",
        "--verbose",
        "--save-overlay",
        text(&overlay),
    ]);
    assert_refused_before_solving(
        &out,
        "fte of `tom` would be 0.005, but a scenario file takes 0.01 to 1.5",
    );
    assert!(!overlay.exists());
}

#[test]
fn the_overlay_is_the_same_bytes_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let kept: Vec<Vec<u8>> = ["1", "2"]
        .iter()
        .map(|threads| {
            let overlay = dir.path().join(format!("on-{threads}.toml"));
            let out = caseload_threads(
                threads,
                &[
                    "whatif",
                    RIVERSIDE,
                    "--leave",
                    "tom",
                    "--hire",
                    "youth@0.5",
                    "--surge",
                    "10%",
                    "--save-overlay",
                    text(&overlay),
                ],
            );
            assert_eq!(code(&out), 0);
            std::fs::read(&overlay).unwrap()
        })
        .collect();
    let [one, two] = [&kept[0], &kept[1]].map(|b| String::from_utf8_lossy(b).into_owned());
    // Each names itself in its header, and nothing else differs.
    assert_eq!(
        one.replace("on-1.toml", "on-N.toml"),
        two.replace("on-2.toml", "on-N.toml")
    );
}

#[test]
fn the_overlay_the_readme_shows_is_what_its_command_writes() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = readme
        .lines()
        .find_map(|l| {
            l.strip_prefix("$ caseload whatif ")
                .filter(|l| l.contains("--save-overlay"))
        })
        .expect("the README saves a what-if");
    let shown = readme
        .split("```toml\n")
        .find(|block| block.starts_with("# A what-if of "))
        .and_then(|block| block.split("```").next())
        .expect("the README shows the overlay");
    // As tests/docs.rs runs the README's examples: in a copy of the scenarios and models.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["scenarios", "models"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(root().join(folder)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(
                    entry.path(),
                    dir.path().join(folder).join(entry.file_name()),
                )
                .unwrap();
            }
        }
    }
    let args: Vec<&str> = command.split_whitespace().collect();
    let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("whatif")
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let at = args.iter().position(|a| *a == "--save-overlay").unwrap() + 1;
    assert_eq!(
        std::fs::read_to_string(dir.path().join(args[at])).unwrap(),
        shown
    );
}
