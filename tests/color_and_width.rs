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
