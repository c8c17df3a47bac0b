//! What a run says on standard error besides its progress display: problems in the input,
//! errors, warnings, notes and, with `--verbose`, what each solve did. As text for people
//! (coloured as `--color` says for standard error); as
//! JSON Lines (one object a line) when the command was asked for `--format json`, so that a
//! batch job that reads the output as JSON can read everything the run says as JSON too.
//!
//! Every object has `severity` ("error", "warning", "note" or "info") and `message`; problems
//! in the input add where they are (`file`, `line`, `column`), what to do (`help`) and at which
//! stage of reading they were found (`stage`); see README.md, "Errors as JSON".

use serde::Serialize;

use caseload::input::diagnostic::{fold, Diagnostic, Shown};
use caseload::input::InputError;
use caseload::report::style::{paint, palette, StyledDisplay};

use super::terminal::stderr_colors;
use super::{note, CliError};

/// How the run writes its messages on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Messages {
    /// For people: `error: ...`, `  = help: ...`.
    #[default]
    Text,
    /// For programs: one JSON object a line.
    Json,
}

impl Messages {
    /// JSON when `json`, else text.
    pub fn json_if(json: bool) -> Messages {
        if json {
            Messages::Json
        } else {
            Messages::Text
        }
    }

    /// Writes one JSON object as a line, its fields in the order they are declared.
    fn line(value: &impl Serialize) {
        let line = serde_json::to_string(value).expect("messages serialize");
        note!("{line}");
    }

    /// Every problem of input that could not be used: text folds large groups of consequences
    /// and ends with the count; JSON gives each problem.
    pub fn input_error(self, error: &InputError) {
        match self {
            Messages::Text => note!("{}", error.styled(stderr_colors())),
            Messages::Json => self.problems(&error.diagnostics),
        }
    }

    /// Problems of the input (warnings of a load that went on): text folds large groups of one
    /// kind as errors are folded; JSON gives each problem.
    pub fn problems(self, problems: &[Diagnostic]) {
        match self {
            Messages::Text => {
                for shown in fold(problems) {
                    match shown {
                        Shown::Problem(d) => note!("{}\n", d.styled(stderr_colors())),
                        Shown::More { kind, count } => note!("{}\n", kind.more(count)),
                    }
                }
            }
            Messages::Json => problems.iter().for_each(Messages::line),
        }
    }

    /// An error of the binary's edge: the command line, a file, standard output.
    pub fn error(self, error: &CliError) {
        match self {
            Messages::Text => note!("{}", error.styled(stderr_colors())),
            Messages::Json => Messages::line(error),
        }
    }

    /// A refusal the user chose to override (`warning: ...`): what was let through.
    pub fn warning(self, message: &str) {
        match self {
            Messages::Text => note!("warning: {message}"),
            Messages::Json => Messages::line(&Said {
                severity: "warning",
                message,
                ..Said::default()
            }),
        }
    }

    /// Something the user should know that is not a problem (`note: ...`).
    pub fn note(self, message: &str) {
        match self {
            Messages::Text => note!(
                "{} {message}",
                paint(stderr_colors(), palette::NOTE, "note:")
            ),
            Messages::Json => Messages::line(&Said {
                severity: "note",
                message,
                ..Said::default()
            }),
        }
    }

    /// What one solve did, a line per step; `solve` names it when the run has several (a
    /// scenario, a budget), in which case text prefixes each line with it.
    pub fn verbose(self, solve: Option<&str>, lines: &[String]) {
        for line in lines {
            match (self, solve) {
                (Messages::Text, None) => note!("{line}"),
                (Messages::Text, Some(label)) => note!("{label}: {line}"),
                (Messages::Json, _) => Messages::line(&Said {
                    severity: "info",
                    solve: Some(solve),
                    message: line,
                    ..Said::default()
                }),
            }
        }
    }

    /// An internal error (a bug): what happened, where, and what to do.
    pub fn internal_error(self, detail: &str) {
        let message = format!(
            "caseload {} stopped on an internal error; this is a bug, and nothing was written.",
            env!("CARGO_PKG_VERSION")
        );
        let help = "please report it with the command and the input that caused it";
        match self {
            Messages::Text => {
                let color = stderr_colors();
                note!(
                    "{} {message}\n  = detail: {detail}\n  {} {help}",
                    paint(color, palette::ERROR, "error:"),
                    paint(color, palette::HELP, "= help:")
                );
            }
            Messages::Json => Messages::line(&Said {
                severity: "error",
                message: &message,
                detail: Some(detail),
                help: Some(help),
                ..Said::default()
            }),
        }
    }
}

/// A note, a line of `--verbose` or an internal error as JSON; fields left out when they do not
/// apply to it.
#[derive(Debug, Default, Serialize)]
struct Said<'a> {
    severity: &'static str,
    /// The solve a line of `--verbose` is about (`null` when the run has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    solve: Option<Option<&'a str>>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}
