//! `completions` and `man`: shell completions and the manual page, generated from the same clap
//! definitions as the commands themselves, so they cannot drift from what the binary accepts.

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

use super::output::{emit, print};
use super::{exit_codes, Cli, CliError, Status};

/// Print shell completions for caseload.
///
/// Example:
///   caseload completions bash > ~/.local/share/bash-completion/completions/caseload
///   caseload completions zsh > ~/.zfunc/_caseload
///   caseload completions fish > ~/.config/fish/completions/caseload.fish
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the completions are printed",
        "2    a usage error (a shell caseload has no completions for)",
    )
)]
pub struct CompletionsArgs {
    /// The shell: bash, elvish, fish, powershell or zsh.
    #[arg(value_enum)]
    shell: Shell,
}

impl CompletionsArgs {
    /// `caseload completions`.
    pub fn run(&self) -> Result<Status, CliError> {
        let mut bytes = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), "caseload", &mut bytes);
        print(&String::from_utf8_lossy(&bytes))?;
        Ok(Status::Done)
    }
}

/// Print the manual page (roff, for man(1)): read it with `man ./caseload.1`, or install it.
///
/// Example:
///   caseload man > caseload.1
///   caseload man --output ~/.local/share/man/man1/caseload.1
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = exit_codes!(
        "0    the page is printed or written",
        "2    FILE exists without --force or cannot be written, or a usage error; nothing is written",
    )
)]
pub struct ManArgs {
    /// Write the page to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it already exists.
    #[arg(long)]
    force: bool,
}

impl ManArgs {
    /// `caseload man`.
    pub fn run(&self) -> Result<Status, CliError> {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut bytes)
            .map_err(|e| CliError::file("cannot render the manual page", e))?;
        emit(
            self.output.as_deref(),
            self.force,
            &String::from_utf8_lossy(&bytes),
        )?;
        Ok(Status::Done)
    }
}
