//! The `caseload` command: parses arguments, runs the library, prints, and maps the outcome to an
//! exit code (0 done, 1 done with cases left unplaced, 2 bad input or usage).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(error) => {
            eprintln!("{error}");
            cli::Status::InputError.into()
        }
    }
}
