//! Colour and width by the conventions of ripgrep and cargo: `--color auto|always|never`,
//! `NO_COLOR`, `CLICOLOR_FORCE`, colour only on a terminal in `auto`, never in an `--output` file
//! unless `always`; text wrapped to `COLUMNS` (or the terminal's width), never when piped. Colour
//! and wrapping change nothing else: with the escape sequences taken out and the lines joined,
//! the text is the plain one.

mod common;

use common::{caseload, caseload_with_env, code};

const RIVERSIDE: &str = "scenarios/riverside.toml";

/// `text` without its escape sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for end in chars.by_ref() {
                if end == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn has_ansi(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The words of a text, in order: what wrapping must keep.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The commands whose text the width tests look at.
const REPORTS: [&[&str]; 5] = [
    &["rebalance", RIVERSIDE],
    &["check", RIVERSIDE],
    &["explain", RIVERSIDE, "--case", "C-1079"],
    &["explain", RIVERSIDE, "--staff", "tom"],
    &["handout", RIVERSIDE, "--staff", "linh"],
];

#[test]
fn always_colours_reports_and_changes_nothing_else() {
    let plain = caseload(&["rebalance", RIVERSIDE]);
    let coloured = caseload(&["rebalance", RIVERSIDE, "--color", "always"]);
    assert_eq!(code(&coloured), 0);
    let out = text(&coloured.stdout);
    // The status in green, the headings bold, María's 130% today in red (over capacity).
    assert!(
        out.contains("rebalance: \u{1b}[32moptimal\u{1b}[0m"),
        "{out}"
    );
    assert!(out.contains("\u{1b}[1mWhat binds:\u{1b}[0m"), "{out}");
    assert!(out.contains("\u{1b}[31m 130%\u{1b}[0m"), "{out}");
    assert_eq!(strip_ansi(&out), text(&plain.stdout));
}

#[test]
fn always_colours_diagnostics_on_standard_error() {
    let fixture = "tests/bad/unknown-key-case.toml";
    let plain = caseload(&["check", fixture]);
    let coloured = caseload(&["check", fixture, "--color", "always"]);
    assert_eq!(code(&coloured), 2);
    let err = text(&coloured.stderr);
    assert!(err.contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m"), "{err}");
    assert!(err.contains("\u{1b}[1m\u{1b}[36m= help:\u{1b}[0m"), "{err}");
    assert_eq!(strip_ansi(&err), text(&plain.stderr));
    // The binary's own errors too.
    let missing = caseload(&["explain", RIVERSIDE, "--case", "C-0", "--color", "always"]);
    assert_eq!(code(&missing), 2);
    let err = text(&missing.stderr);
    assert!(
        err.contains("\u{1b}[1m\u{1b}[31merror:\u{1b}[0m no case"),
        "{err}"
    );
}

#[test]
fn never_pipes_and_no_color_get_no_colour() {
    let fixture = "tests/bad/unknown-key-case.toml";
    for (args, env) in [
        (vec!["--color", "never"], vec![]),
        (vec!["--color", "never"], vec![("CLICOLOR_FORCE", "1")]),
        // Piped, in auto.
        (vec![], vec![]),
        (vec!["--color", "auto"], vec![("NO_COLOR", "1")]),
        (vec![], vec![("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
    ] {
        for command in [vec!["rebalance", RIVERSIDE], vec!["check", fixture]] {
            let all: Vec<&str> = command.iter().chain(&args).copied().collect();
            let out = caseload_with_env(&all, &env);
            assert!(!has_ansi(&out.stdout), "{all:?} {env:?}");
            assert!(!has_ansi(&out.stderr), "{all:?} {env:?}");
        }
    }
}

#[test]
fn clicolor_force_colours_a_pipe_in_auto_and_always_beats_no_color() {
    let forced = caseload_with_env(&["rebalance", RIVERSIDE], &[("CLICOLOR_FORCE", "1")]);
    assert!(has_ansi(&forced.stdout));
    let zero = caseload_with_env(&["rebalance", RIVERSIDE], &[("CLICOLOR_FORCE", "0")]);
    assert!(!has_ansi(&zero.stdout));
    let always = caseload_with_env(
        &["rebalance", RIVERSIDE, "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(has_ansi(&always.stdout));
}

#[test]
fn output_files_get_colour_only_with_always_and_are_never_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let plain = caseload(&["rebalance", RIVERSIDE]);
    let env = [("CLICOLOR_FORCE", "1"), ("COLUMNS", "60")];
    let auto = dir.path().join("auto.txt");
    let out = caseload_with_env(
        &["rebalance", RIVERSIDE, "--output", auto.to_str().unwrap()],
        &env,
    );
    assert_eq!(code(&out), 0);
    assert_eq!(std::fs::read(&auto).unwrap(), plain.stdout);
    let always = dir.path().join("always.txt");
    let args = [
        "rebalance",
        RIVERSIDE,
        "--color",
        "always",
        "--output",
        always.to_str().unwrap(),
    ];
    let out = caseload_with_env(&args, &env);
    assert_eq!(code(&out), 0);
    let written = text(&std::fs::read(&always).unwrap());
    assert!(written.contains('\u{1b}'));
    assert_eq!(strip_ansi(&written), text(&plain.stdout));
}

#[test]
fn columns_keeps_every_line_within_the_width() {
    for width in ["60", "80"] {
        for args in REPORTS {
            for color in ["never", "always"] {
                let all: Vec<&str> = args.iter().copied().chain(["--color", color]).collect();
                let out = caseload_with_env(&all, &[("COLUMNS", width)]);
                assert_eq!(code(&out), 0, "{all:?}");
                let shown = strip_ansi(&text(&out.stdout));
                let most: usize = width.parse().unwrap();
                for line in shown.lines() {
                    assert!(
                        line.chars().count() <= most,
                        "{all:?} at {width}: {} columns: {line}\n{shown}",
                        line.chars().count()
                    );
                }
            }
        }
    }
}

#[test]
fn wrapping_only_breaks_lines() {
    // Sentences wrap; every word stays, in order, and a line that fits is left as it is.
    for args in [&REPORTS[2], &REPORTS[3], &REPORTS[4]] {
        let plain = text(&caseload(args).stdout);
        let wrapped = text(&caseload_with_env(args, &[("COLUMNS", "60")]).stdout);
        assert_ne!(plain, wrapped, "{args:?}");
        assert_eq!(words(&wrapped), words(&plain), "{args:?}");
        for line in plain.lines().filter(|l| l.chars().count() <= 60) {
            assert!(wrapped.lines().any(|w| w == line), "{args:?}: {line}");
        }
    }
    // In a proposal the tables give up their bars and names first; the sentences after them
    // keep every word.
    let plain = text(&caseload(&["rebalance", RIVERSIDE]).stdout);
    let wrapped = text(&caseload_with_env(&["rebalance", RIVERSIDE], &[("COLUMNS", "60")]).stdout);
    let after_table = |t: &str| words(&t[t.find("What binds:").unwrap()..]);
    assert_eq!(after_table(&wrapped), after_table(&plain));
    assert!(
        wrapped.contains("\n  maria      40      52 →     34"),
        "{wrapped}"
    );
}

#[test]
fn not_wrapped_when_piped_or_columns_is_not_a_width() {
    for args in REPORTS {
        let plain = caseload(args);
        for columns in ["0", "wide", ""] {
            let out = caseload_with_env(args, &[("COLUMNS", columns)]);
            assert_eq!(out.stdout, plain.stdout, "{args:?} COLUMNS={columns}");
        }
    }
}

#[test]
fn a_terminal_gets_colour_and_its_own_width() {
    // `script` runs the command on a pseudo-terminal of 70 columns; skipped where it is missing.
    let bin = env!("CARGO_BIN_EXE_caseload");
    let command =
        format!("stty cols 70 rows 40; {bin} explain {RIVERSIDE} --staff tom 2>/dev/null");
    let Ok(out) = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
    else {
        return;
    };
    if !out.status.success() {
        return; // no pseudo-terminal here
    }
    let shown = text(&out.stdout).replace("\r\n", "\n");
    assert!(shown.contains('\u{1b}'), "{shown}");
    let plain = strip_ansi(&shown);
    assert!(plain.lines().all(|l| l.chars().count() <= 70), "{plain}");
    assert!(plain.lines().any(|l| l.chars().count() > 60), "{plain}");
    let piped = text(&caseload(&["explain", RIVERSIDE, "--staff", "tom"]).stdout);
    assert_eq!(words(&plain), words(&piped));
}

#[test]
fn the_color_option_is_on_every_command_and_clap_follows_it() {
    for command in ["rebalance", "check", "explain", "compare", "man"] {
        let help = caseload(&[command, "--help"]);
        let help = text(&help.stdout);
        assert!(help.contains("--color <WHEN>"), "{command}: {help}");
        assert!(help.contains("COLUMNS"), "{command}: {help}");
    }
    let wrong = caseload(&["check", "--color", "always", "--no-such-option"]);
    assert_eq!(code(&wrong), 2);
    assert!(has_ansi(&wrong.stderr));
    let wrong = caseload_with_env(
        &["check", "--no-such-option"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!has_ansi(&wrong.stderr));
    let bad_choice = caseload(&["check", RIVERSIDE, "--color", "pink"]);
    assert_eq!(code(&bad_choice), 2);
    assert!(text(&bad_choice.stderr).contains("pink"));
}

#[test]
fn text_from_the_input_never_carries_control_sequences_coloured_or_not() {
    // A raw escape in a quoted line, and one (written as a TOML escape) in a key the message
    // names: only the colour codes the binary writes itself may reach the terminal.
    let dir = tempfile::tempdir().unwrap();
    let raw = common::write(dir.path(), "raw.toml", "name = \"x\u{1b}[2J\"\n");
    let key = common::write(
        dir.path(),
        "key.toml",
        "name = \"x\"\n\"a\\u001b[2Jb\" = 1\n",
    );
    for path in [&raw, &key] {
        let path = path.to_str().unwrap();
        let plain = caseload(&["check", path, "--color", "never"]);
        assert_eq!(code(&plain), 2);
        assert!(!has_ansi(&plain.stderr), "{}", text(&plain.stderr));
        let coloured = caseload(&["check", path, "--color", "always"]);
        let err = text(&coloured.stderr);
        assert!(!err.contains("\u{1b}[2J"), "{err:?}");
        assert_eq!(strip_ansi(&err), text(&plain.stderr));
    }
}

#[test]
fn json_is_never_coloured_nor_wrapped() {
    let env = [("CLICOLOR_FORCE", "1"), ("COLUMNS", "40")];
    for args in [
        vec![
            "rebalance",
            RIVERSIDE,
            "--format",
            "json",
            "--color",
            "always",
        ],
        vec![
            "check",
            "tests/bad/unknown-key-case.toml",
            "--format",
            "json",
            "--color",
            "always",
        ],
    ] {
        let plain = caseload(&args[..args.len() - 2]);
        let out = caseload_with_env(&args, &env);
        assert!(!has_ansi(&out.stdout), "{args:?}");
        assert!(!has_ansi(&out.stderr), "{args:?}");
        assert_eq!(out.stdout, plain.stdout, "{args:?}");
        assert_eq!(out.stderr, plain.stderr, "{args:?}");
        for line in text(&out.stderr).lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("a JSON line");
        }
    }
}

/// The planning reports (`staffing`, `compare`, `tradeoff`), each with its status as colour
/// shows it: `optimal` in green, and a budget without a proposal (`none`) in the red of its
/// status.
const PLANS: [(&[&str], &str); 3] = [
    (
        &[
            "staffing",
            "scenarios/riverside-surge.toml",
            "--target",
            "0.9",
        ],
        "90%: \u{1b}[32moptimal\u{1b}[0m\n",
    ),
    (
        &["compare", RIVERSIDE, "scenarios/riverside-leave.toml"],
        "status              \u{1b}[32moptimal\u{1b}[0m  ",
    ),
    (
        &["tradeoff", "scenarios/county-east.toml", "--max-moves", "2"],
        "       0  \u{1b}[31m           none\u{1b}[0m  ",
    ),
];

/// `args` then `more`, for one run.
fn with<'a>(args: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(more).copied().collect()
}

#[test]
fn always_colours_the_planning_reports_and_changes_nothing_else() {
    for (args, status) in PLANS {
        let plain = caseload(args);
        let coloured = caseload(&with(args, &["--color", "always"]));
        assert_eq!(code(&coloured), code(&plain), "{args:?}");
        let out = text(&coloured.stdout);
        assert!(out.contains(status), "{args:?}: {out}");
        assert_eq!(strip_ansi(&out), text(&plain.stdout), "{args:?}");
    }
}

#[test]
fn a_plan_out_of_reach_says_so_in_red() {
    let dir = tempfile::tempdir().unwrap();
    let generalists = common::write(
        dir.path(),
        "generalists.toml",
        "[[profile]]\nname = \"generalist\"\n",
    );
    let args = [
        "staffing",
        RIVERSIDE,
        "--target",
        "0.7",
        "--profiles",
        generalists.to_str().unwrap(),
        "--color",
        "always",
    ];
    let out = caseload(&args);
    assert_eq!(code(&out), 1);
    let out = text(&out.stdout);
    assert!(
        out.contains(": \u{1b}[31mnot reachable\u{1b}[0m\n"),
        "{out}"
    );
}

/// Whether `line` is a row of the trade-off curve: a budget, then its figures.
fn is_curve_row(line: &str) -> bool {
    line.starts_with("  ") && line.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// The utilization of a line of text, e.g. `135%` (the first figure with `%` in `cell`).
fn utilization_in(cell: &str) -> f64 {
    let figure = cell.split_whitespace().find(|w| w.ends_with('%')).unwrap();
    figure.trim_end_matches('%').parse().unwrap()
}

#[test]
fn utilizations_above_capacity_are_red_and_the_others_uncoloured() {
    // Riverside's target is its capacity: a utilization is red above 100%, else plain.
    let args = [
        "tradeoff",
        RIVERSIDE,
        "--max-moves",
        "8",
        "--color",
        "always",
    ];
    let out = text(&caseload(&args).stdout);
    let rows: Vec<&str> = out.lines().filter(|l| is_curve_row(l)).collect();
    assert_eq!(rows.len(), 9, "{out}");
    for row in &rows {
        let red = row.contains("\u{1b}[31m");
        assert_eq!(red, utilization_in(&strip_ansi(row)) > 100.0, "{row:?}");
    }
    assert!(rows.iter().any(|r| !r.contains('\u{1b}')), "{out}");
    // compare: the max utilization before (135%, over capacity) red, after (86%) not.
    let out = text(&caseload(&with(PLANS[1].0, &["--color", "always"])).stdout);
    let row = out
        .lines()
        .find(|l| l.starts_with("max utilization"))
        .unwrap();
    assert!(row.contains("\u{1b}[31m135%\u{1b}[0m → 86%"), "{row:?}");
}

#[test]
fn utilizations_above_target_are_yellow() {
    // A target of 80%, and ana's pinned case keeps her at 90% before and after.
    let dir = tempfile::tempdir().unwrap();
    let team = common::Team::new()
        .policy("target_utilization", 0.8)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(9).assigned("ana").pinned())
        .write(dir.path());
    let args = ["compare", team.to_str().unwrap(), "--color", "always"];
    let out = text(&caseload(&args).stdout);
    let row = out
        .lines()
        .find(|l| l.starts_with("max utilization"))
        .unwrap();
    let yellow = "\u{1b}[33m90%\u{1b}[0m";
    assert!(row.ends_with(&format!("{yellow} → {yellow}")), "{row:?}");
}

#[test]
fn never_pipes_and_no_color_leave_the_planning_reports_plain() {
    for (args, _) in PLANS {
        let plain = caseload(args);
        for (more, env) in [
            (vec!["--color", "never"], vec![("CLICOLOR_FORCE", "1")]),
            // Piped, in auto.
            (vec![], vec![]),
            (vec!["--color", "auto"], vec![("NO_COLOR", "1")]),
            (vec![], vec![("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
        ] {
            let out = caseload_with_env(&with(args, &more), &env);
            assert_eq!(out.stdout, plain.stdout, "{args:?} {more:?} {env:?}");
        }
    }
}

#[test]
fn planning_reports_in_output_files_are_coloured_only_with_always_and_never_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("CLICOLOR_FORCE", "1"), ("COLUMNS", "40")];
    for (n, (args, _)) in PLANS.iter().enumerate() {
        let plain = caseload(args);
        let auto = dir.path().join(format!("auto-{n}.txt"));
        let out = caseload_with_env(&with(args, &["--output", auto.to_str().unwrap()]), &env);
        assert_eq!(code(&out), code(&plain), "{args:?}");
        assert_eq!(std::fs::read(&auto).unwrap(), plain.stdout, "{args:?}");
        let always = dir.path().join(format!("always-{n}.txt"));
        let more = ["--color", "always", "--output", always.to_str().unwrap()];
        caseload_with_env(&with(args, &more), &env);
        let written = text(&std::fs::read(&always).unwrap());
        assert!(has_ansi(written.as_bytes()), "{args:?}");
        assert_eq!(strip_ansi(&written), text(&plain.stdout), "{args:?}");
    }
}

/// Every line of `shown` (colour taken out) within `width` columns, but for the table rows
/// kept whole, which `is_row` tells; these must be lines of `plain` as they are.
fn assert_fits(shown: &str, plain: &str, width: usize, is_row: impl Fn(&str) -> bool) {
    let shown = strip_ansi(shown);
    for line in shown.lines().filter(|l| l.chars().count() > width) {
        assert!(
            is_row(line) && plain.lines().any(|p| p == line),
            "{} columns, not a table row: {line}\n{shown}",
            line.chars().count()
        );
    }
}

#[test]
fn planning_reports_wrap_their_sentences_and_never_a_table_row() {
    for (args, _) in [PLANS[0], PLANS[2]] {
        let plain = text(&caseload(args).stdout);
        for color in ["never", "always"] {
            let out = caseload_with_env(&with(args, &["--color", color]), &[("COLUMNS", "60")]);
            let wrapped = text(&out.stdout);
            assert_fits(&wrapped, &plain, 60, |_| false);
            assert_eq!(words(&strip_ansi(&wrapped)), words(&plain), "{args:?}");
        }
    }
    // At 40 columns the sentences still fit; the curve's rows stay whole, wider than that.
    let tradeoff = PLANS[2].0;
    let plain = text(&caseload(tradeoff).stdout);
    let narrow = text(&caseload_with_env(tradeoff, &[("COLUMNS", "40")]).stdout);
    let is_row = |l: &str| is_curve_row(l) || l.trim_start().starts_with("budget");
    assert_fits(&narrow, &plain, 40, is_row);
    assert!(narrow.lines().any(|l| l.chars().count() > 40), "{narrow}");
    assert_eq!(words(&narrow), words(&plain));
}

#[test]
fn a_comparison_wider_than_the_width_is_cut_into_narrower_tables() {
    let args = [
        "compare",
        RIVERSIDE,
        "scenarios/riverside-leave.toml",
        "scenarios/riverside-new-hire.toml",
        "scenarios/riverside-surge.toml",
        "--color",
        "always",
    ];
    let plain = strip_ansi(&text(&caseload(&args).stdout));
    assert!(plain.lines().any(|l| l.chars().count() > 60), "{plain}");
    let wrapped = text(&caseload_with_env(&args, &[("COLUMNS", "60")]).stdout);
    assert_fits(&wrapped, &plain, 60, |_| false);
    let wrapped = strip_ansi(&wrapped);
    // Each measure's row is in every block, and its cells, block after block, are the row's.
    let labels: Vec<&str> = plain
        .lines()
        .skip_while(|l| !(l.starts_with(' ') && l.contains("[1]")))
        .skip(1)
        .map(|l| l.split("  ").next().unwrap().trim_end())
        .collect();
    assert_eq!(labels.len(), 11, "{plain}");
    for label in labels {
        let cells = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| l.starts_with(&format!("{label} ")))
                .flat_map(|l| words(&l[label.len()..]))
                .collect()
        };
        let rows = wrapped
            .lines()
            .filter(|l| l.starts_with(&format!("{label} ")));
        assert_eq!(rows.count(), 2, "{label}: {wrapped}");
        assert_eq!(cells(&wrapped), cells(&plain), "{label}");
    }
}

/// A batch folder: a team whose scenario has a long name and one that is broken, so that the
/// summary has a line of each kind, long enough to wrap.
fn batch_folder(dir: &std::path::Path) -> std::path::PathBuf {
    let teams = dir.join("teams");
    std::fs::create_dir(&teams).unwrap();
    let team = common::Team::new()
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(8).assigned("ana"))
        .case("C2", |c| c.acuity(5).assigned("ana"));
    common::write(&teams, "a-team-of-two.toml", &team.toml());
    common::write(&teams, "broken.toml", "[[staff]]\nid = 3\n");
    teams
}

#[test]
fn a_batch_summary_is_coloured_and_wrapped_on_standard_output_and_summary_txt_follows_output_files()
{
    let dir = tempfile::tempdir().unwrap();
    let teams = batch_folder(dir.path());
    let teams = teams.to_str().unwrap();
    let run = |name: &str, more: &[&str], env: &[(&str, &str)]| {
        let out_dir = dir.path().join(name);
        let args = with(
            &["batch", teams, "-q", "--output", out_dir.to_str().unwrap()],
            more,
        );
        let out = caseload_with_env(&args, env);
        assert_eq!(code(&out), 2, "broken.toml is broken");
        let summary = std::fs::read_to_string(out_dir.join("summary.txt")).unwrap();
        (text(&out.stdout), summary)
    };
    let (plain, plain_summary) = run("plain", &[], &[]);
    assert_eq!(plain_summary, plain);
    assert!(plain.lines().any(|l| l.chars().count() > 60), "{plain}");
    // Piped, never or NO_COLOR: plain, and summary.txt plain whatever the variables say.
    for (name, more, env) in [
        (
            "never",
            vec!["--color", "never"],
            vec![("CLICOLOR_FORCE", "1")],
        ),
        ("no-color", vec![], vec![("NO_COLOR", "1")]),
        (
            "forced",
            vec![],
            vec![("CLICOLOR_FORCE", "1"), ("COLUMNS", "60")],
        ),
    ] {
        let (shown, summary) = run(name, &more, &env);
        assert_eq!(summary, plain, "{name}");
        if name != "forced" {
            assert_eq!(shown, plain, "{name}");
        }
    }
    // Always: the status green, the max utilization over capacity red, an input error red; in
    // summary.txt too, which is not wrapped.
    let (shown, summary) = run("always", &["--color", "always"], &[("COLUMNS", "60")]);
    assert!(
        summary.contains("done: \u{1b}[32moptimal\u{1b}[0m,"),
        "{summary}"
    );
    assert!(summary.contains("\u{1b}[31m130%\u{1b}[0m → "), "{summary}");
    assert!(
        summary.contains("exit 2  \u{1b}[31minput error\u{1b}[0m"),
        "{summary}"
    );
    assert_eq!(strip_ansi(&summary), plain);
    assert!(has_ansi(shown.as_bytes()));
    assert_fits(&shown, &plain, 60, |_| false);
    assert_eq!(words(&strip_ansi(&shown)), words(&plain));
}
