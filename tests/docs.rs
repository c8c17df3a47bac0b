//! Documentation that cannot drift: every example in the README and in `caseload help` runs
//! against the real binary, and what it prints is compared with what the documentation shows.
//!
//! - README: each ```` ```console ```` block holds `$ caseload ...` lines, each followed by the
//!   output shown for it (standard error, then standard output) and, when the run does not exit
//!   0, a `? CODE` line. `...` on a line of its own stands for any lines and `[..]` for any text
//!   within a line, so the README may shorten long outputs.
//! - Help: the text of `caseload help COMMAND` for every command, and the output of every example
//!   line it shows, are kept in `tests/snapshots/`. `SNAPSHOTS=overwrite cargo test --test docs`
//!   rewrites them after a deliberate change; review the diff before committing.
//!
//! Each example runs in a fresh folder holding copies of `scenarios/` and `models/`, so examples
//! that write files write them there, and a README example may use what an earlier one in the
//! same block wrote. The comparison is snapbox's, the engine of trycmd.

use std::path::{Path, PathBuf};
use std::process::Command;

use snapbox::{Assert, Data};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A fresh folder with copies of the example scenarios and models, and a home folder (`~`)
/// with the folders that examples install completions and the manual page into.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for folder in ["scenarios", "models"] {
        copy_folder(&Path::new(ROOT).join(folder), &dir.path().join(folder));
    }
    for folder in [
        ".local/share/bash-completion/completions",
        ".local/share/man/man1",
        ".zfunc",
        ".config/fish/completions",
    ] {
        std::fs::create_dir_all(dir.path().join("home").join(folder)).expect("folder created");
    }
    dir
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder created");
    for entry in std::fs::read_dir(from).expect("folder read") {
        let entry = entry.expect("entry read");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// What one example printed: standard error, then standard output, then `? CODE` when the
/// exit code is not 0 (as the README writes it).
fn run_example(dir: &Path, line: &str) -> String {
    // Run by the shell, as a reader would type it (globs, `>`), with the binary under test
    // first on the PATH and the sandbox's home as `~`.
    assert!(
        line.starts_with("caseload "),
        "a documented example runs caseload: `{line}`"
    );
    let binary = Path::new(env!("CARGO_BIN_EXE_caseload"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().expect("a folder").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .expect("a PATH");
    let output = Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir.join("home"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .output()
        .expect("the shell runs");
    let code = output
        .status
        .code()
        .expect("exited normally, not by a signal");
    assert!(
        code <= 2,
        "`{line}` ended with exit code {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Notes and warnings come before the report on a terminal: they are said while reading.
    let mut printed = String::from_utf8_lossy(&output.stderr).into_owned();
    printed.push_str(&String::from_utf8_lossy(&output.stdout));
    if code != 0 {
        printed.push_str(&format!("? {code}\n"));
    }
    printed
}

/// One `$ caseload ...` line of the README and the output shown under it.
struct ReadmeExample {
    line: String,
    expected: String,
    /// The README line of the command, for the failure message.
    at: usize,
}

/// The ```` ```console ```` blocks of a Markdown text, each a list of examples.
fn console_blocks(markdown: &str) -> Vec<Vec<ReadmeExample>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<ReadmeExample>> = None;
    for (n, text) in markdown.lines().enumerate() {
        match &mut current {
            None if text.trim_end() == "```console" => current = Some(Vec::new()),
            None => {}
            Some(_) if text.trim_end() == "```" => blocks.extend(current.take()),
            Some(block) => match text.strip_prefix("$ ") {
                Some(line) => block.push(ReadmeExample {
                    line: line.to_string(),
                    expected: String::new(),
                    at: n + 1,
                }),
                None => {
                    let example = block
                        .last_mut()
                        .unwrap_or_else(|| panic!("README line {}: output before any `$`", n + 1));
                    example.expected.push_str(text);
                    example.expected.push('\n');
                }
            },
        }
    }
    assert!(
        current.is_none(),
        "a ```console block of the README is not closed"
    );
    blocks
}

#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    let blocks = console_blocks(&readme);
    assert!(
        !blocks.is_empty(),
        "the README shows examples in ```console blocks"
    );
    for block in blocks {
        let dir = sandbox();
        for example in block {
            let printed = run_example(dir.path(), &example.line);
            // Blank lines separate the examples of a block; they are not part of the output.
            if let Err(error) = Assert::new().normalize_paths(false).try_eq(
                None,
                Data::text(format!("{}\n", printed.trim_end())),
                Data::text(format!("{}\n", example.expected.trim_end())),
            ) {
                panic!(
                    "README line {}: `{}` printed something else:\n{error}",
                    example.at, example.line
                );
            }
        }
    }
}

/// The commands `caseload --help` lists.
fn commands() -> Vec<String> {
    let help = run_example(Path::new(ROOT), "caseload --help");
    let listed: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(
        listed.len() > 5,
        "caseload --help lists the commands:\n{help}"
    );
    listed
}

/// The example lines of a command's help: the indented `caseload ...` lines.
fn examples_in(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("caseload "))
        .map(str::to_string)
        .collect()
}

fn snapshot(name: &str) -> PathBuf {
    Path::new(ROOT).join("tests/snapshots").join(name)
}

#[test]
fn every_help_page_and_its_examples_match_their_snapshots() {
    // JSON escapes (`\"`) are not Windows paths: compare the text as it is.
    let assert = Assert::new().action_env("SNAPSHOTS").normalize_paths(false);
    for command in commands() {
        let help = run_example(Path::new(ROOT), &format!("caseload help {command}"));
        assert.eq(
            Data::text(help.clone()),
            Data::read_from(&snapshot(&format!("help/{command}.txt")), None),
        );
        let dir = sandbox();
        for (n, line) in examples_in(&help).iter().enumerate() {
            let printed = format!("$ {line}\n{}", run_example(dir.path(), line));
            assert.eq(
                Data::text(printed),
                Data::read_from(
                    &snapshot(&format!("examples/{command}-{}.txt", n + 1)),
                    None,
                ),
            );
        }
    }
}

#[test]
fn readme_blocks_are_read_as_commands_and_outputs() {
    let blocks = console_blocks(
        "text\n```console\n$ caseload check a.toml\nline one\n...\n$ caseload x\n? 2\n```\n```sh\n$ not this\n```\n",
    );
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].len(), 2);
    assert_eq!(blocks[0][0].line, "caseload check a.toml");
    assert_eq!(blocks[0][0].expected, "line one\n...\n");
    assert_eq!(blocks[0][1].expected, "? 2\n");
    assert_eq!(blocks[0][1].at, 6);
}
