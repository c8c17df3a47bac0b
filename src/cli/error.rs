//! The one error type of the binary's edge, so that every message a user reads has the same
//! shape: `error: WHAT`, then the system's reason when a file was involved, then
//! `  = help: HOW` when there is something to do about it.

use std::error::Error as _;
use std::fmt;
use std::io;
use std::path::Path;

use caseload::report::style::{paint, palette, StyledDisplay};
use serde::{Serialize, Serializer};

/// Why a command stopped without doing what was asked (exit code 2).
#[derive(Debug)]
pub enum CliError {
    /// The command line or the input cannot be used as given.
    Input {
        /// What is wrong.
        message: String,
        /// What to do about it, when there is something to say.
        help: Option<String>,
    },
    /// A file or directory could not be read, created or written.
    File {
        /// What was being done, e.g. "cannot read the proposal `week47.json`".
        doing: String,
        /// The system's reason.
        cause: io::Error,
    },
    /// Standard output could not be written (a full disk, a closed pipe): the system's reason
    /// says it all.
    Stdout(io::Error),
}

impl CliError {
    /// An input or usage error without advice.
    pub fn new(message: impl Into<String>) -> CliError {
        CliError::Input {
            message: message.into(),
            help: None,
        }
    }

    /// An input or usage error with what to do about it.
    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> CliError {
        CliError::Input {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// An output file that exists and may not be replaced; `help` says what to do instead.
    pub fn exists(path: &Path, help: &str) -> CliError {
        CliError::with_help(
            format!("`{}` already exists; nothing was written", path.display()),
            help,
        )
    }

    /// A file operation that failed, with what was being done.
    pub fn file(doing: impl Into<String>, cause: io::Error) -> CliError {
        CliError::File {
            doing: doing.into(),
            cause,
        }
    }

    /// Standard output that could not be written.
    pub fn stdout(cause: io::Error) -> CliError {
        CliError::Stdout(cause)
    }

    /// True when standard output was a pipe whose reader went away (`caseload ... | head`):
    /// the reader has what it wanted, so the run ends quietly, as ripgrep's and cargo's do.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, CliError::Stdout(cause) if cause.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// An error as JSON: what the text says, in fields.
#[derive(Serialize)]
struct ErrorJson<'a> {
    severity: &'static str,
    message: String,
    help: Option<&'a str>,
}

impl Serialize for CliError {
    /// One JSON object, for `--format json`: `severity` ("error"), `message` (with the system's
    /// reason when a file was involved) and `help` (`null` when there is nothing to say).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (message, help) = match self {
            CliError::Input { message, help } => (message.clone(), help.as_deref()),
            CliError::File { doing, cause } => (format!("{doing}: {}", Reason(cause)), None),
            CliError::Stdout(cause) => (
                format!("could not write to standard output: {}", Reason(cause)),
                None,
            ),
        };
        ErrorJson {
            severity: "error",
            message,
            help,
        }
        .serialize(serializer)
    }
}

/// The system's reason and what caused it, as [`write_cause`] writes them.
struct Reason<'a>(&'a io::Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_cause(f, self.0)
    }
}

/// The system's reason and, after `: `, whatever it says caused it.
fn write_cause(f: &mut fmt::Formatter<'_>, cause: &io::Error) -> fmt::Result {
    write!(f, "{cause}")?;
    let mut source = cause.source();
    while let Some(inner) = source {
        write!(f, ": {inner}")?;
        source = inner.source();
    }
    Ok(())
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_styled(f, false)
    }
}

impl StyledDisplay for CliError {
    /// The plain text, `error:` and `= help:` coloured as diagnostics colour them when `color`.
    fn fmt_styled(&self, f: &mut fmt::Formatter<'_>, color: bool) -> fmt::Result {
        let error = paint(color, palette::ERROR, "error:");
        match self {
            CliError::Input { message, help } => {
                write!(f, "{error} {message}")?;
                if let Some(help) = help {
                    write!(f, "\n  {} {help}", paint(color, palette::HELP, "= help:"))?;
                }
                Ok(())
            }
            CliError::File { doing, cause } => {
                write!(f, "{error} {doing}: ")?;
                write_cause(f, cause)
            }
            CliError::Stdout(cause) => {
                write!(f, "{error} could not write to standard output: ")?;
                write_cause(f, cause)
            }
        }
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_as_one_message() {
        assert_eq!(
            CliError::new("--time-limit must be a positive number of seconds, not 0").to_string(),
            "error: --time-limit must be a positive number of seconds, not 0"
        );
        assert_eq!(
            CliError::exists(Path::new("a.json"), "choose another file").to_string(),
            "error: `a.json` already exists; nothing was written\n  = help: choose another file"
        );
        let gone = || io::Error::new(io::ErrorKind::NotFound, "gone");
        assert_eq!(
            CliError::file("cannot read `a`", gone()).to_string(),
            "error: cannot read `a`: gone"
        );
        assert_eq!(
            CliError::stdout(gone()).to_string(),
            "error: could not write to standard output: gone"
        );
    }

    #[test]
    fn each_kind_is_one_json_object_with_the_same_message() {
        let json =
            serde_json::to_value(CliError::exists(Path::new("a.json"), "choose another file"))
                .unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "severity": "error",
                "message": "`a.json` already exists; nothing was written",
                "help": "choose another file",
            })
        );
        let gone = io::Error::new(io::ErrorKind::NotFound, "gone");
        let json = serde_json::to_value(CliError::file("cannot read `a`", gone)).unwrap();
        assert_eq!(json["message"], "cannot read `a`: gone");
        assert_eq!(json["help"], serde_json::Value::Null);
    }

    #[test]
    fn in_colour_only_the_labels_change() {
        let error = CliError::with_help("no case has the id `C-0`", "did you mean `C-1`?");
        assert_eq!(error.styled(false).to_string(), error.to_string());
        assert_eq!(
            error.styled(true).to_string(),
            "\u{1b}[1m\u{1b}[31merror:\u{1b}[0m no case has the id `C-0`\n  \u{1b}[1m\u{1b}[36m= help:\u{1b}[0m did you mean `C-1`?"
        );
    }
}
