//! Shell completions and the manual page come from the same definitions as the commands: every
//! command is in them, for every shell.

mod common;

use common::{caseload, code};

/// The commands `caseload --help` lists.
fn commands() -> Vec<String> {
    let help = caseload(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout).into_owned();
    let listed: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line, not a wrapped line of its description.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(listed.len() >= 12, "{text}");
    listed
}

#[test]
fn completions_name_every_command_for_every_shell() {
    let commands = commands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = caseload(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: {command}");
        }
        // Options of a command, too.
        assert!(script.contains("time-limit"), "{shell}");
    }
    let unknown = caseload(&["completions", "cmd.exe"]);
    assert_eq!(code(&unknown), 2);
}

#[test]
fn bash_completion_is_a_script_bash_accepts() {
    let out = caseload(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    let Ok(checked) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
    else {
        return; // no bash here
    };
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn the_manual_page_is_roff_naming_every_command() {
    let out = caseload(&["man"]);
    assert_eq!(code(&out), 0);
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH caseload 1"), "{page}");
    for command in commands() {
        assert!(page.contains(&command), "{command}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("man1/caseload.1");
    let written = caseload(&["man", "--output", file.to_str().unwrap()]);
    assert_eq!(code(&written), 0);
    assert_eq!(std::fs::read(&file).unwrap(), out.stdout);
}
