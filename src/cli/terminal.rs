//! Colour and width, by the conventions of ripgrep and cargo: the one place that reads
//! `--color`, `NO_COLOR`, `CLICOLOR_FORCE`, `TERM` and `COLUMNS`, and asks whether a stream is a
//! terminal and how wide it is. The renderers get the answer as a plain [`TextStyle`].
//!
//! Colour: `--color never` never; `--color always` always, files written with `--output`
//! included; `--color auto` (the default) only on a stream that is a terminal, never in a file,
//! and not when `NO_COLOR` is set (and not empty) or `TERM` is `dumb`; `CLICOLOR_FORCE` (set, not
//! empty and not `0`) colours pipes too, unless `NO_COLOR` is set.
//!
//! Width: text written to standard output wraps at `COLUMNS` when it is set to a positive whole
//! number (on a terminal or not), else at the terminal's width when standard output is a
//! terminal, else not at all, so pipes and scripts get whole lines. Files written with
//! `--output` are never wrapped.

use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::OnceLock;

use caseload::report::style::TextStyle;
use clap::ValueEnum;

/// When to colour, as `--color` says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Colour everywhere, in pipes and --output files too.
    Always,
    /// No colour.
    Never,
}

impl ColorChoice {
    /// The same choice for clap's help and errors (whose `auto` reads the same variables).
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            ColorChoice::Auto => clap::ColorChoice::Auto,
            ColorChoice::Always => clap::ColorChoice::Always,
            ColorChoice::Never => clap::ColorChoice::Never,
        }
    }

    /// The choice `args` (the whole command line) make with `--color WHEN` or `--color=WHEN`,
    /// read before clap parses them, so that clap's own help and errors follow it; `auto` when
    /// none is given or the value is not one (clap then says why).
    pub fn in_args(args: &[OsString]) -> ColorChoice {
        let mut choice = ColorChoice::Auto;
        let mut args = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
        while let Some(arg) = args.next() {
            let value = match arg {
                "--" => break,
                "--color" => args.next().unwrap_or(""),
                _ => match arg.strip_prefix("--color=") {
                    Some(value) => value,
                    None => continue,
                },
            };
            choice = ColorChoice::from_str(value, false).unwrap_or(choice);
        }
        choice
    }
}

/// The choice made on the command line, once it is parsed.
static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records the `--color` of this run.
pub fn choose(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// What the environment says about colour.
#[derive(Debug, Clone, Copy, Default)]
struct ColorEnv {
    /// `NO_COLOR` is set and not empty.
    no_color: bool,
    /// `CLICOLOR_FORCE` is set, not empty and not `0`.
    force: bool,
    /// `TERM` is `dumb`.
    dumb: bool,
}

impl ColorEnv {
    fn read() -> ColorEnv {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        ColorEnv {
            no_color: var("NO_COLOR").is_some(),
            force: var("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            dumb: var("TERM").is_some_and(|v| v == "dumb"),
        }
    }
}

/// Whether to colour a stream that is (or is not) a terminal.
fn colors(choice: ColorChoice, env: ColorEnv, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !env.no_color && (env.force || (terminal && !env.dumb)),
    }
}

/// The width to wrap at, from `COLUMNS` and the terminal's width (`None` when standard output
/// is not a terminal).
fn wrap_width(columns: Option<&OsStr>, terminal: Option<usize>) -> Option<usize> {
    let columns = columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0);
    columns.or(terminal)
}

fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or_default()
}

/// Whether messages on standard error are coloured.
pub fn stderr_colors() -> bool {
    colors(choice(), ColorEnv::read(), std::io::stderr().is_terminal())
}

/// Whether standard output is a terminal (where a binary format is never written).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// How a text report is written: to the file `output` when given (no wrapping, and colour only
/// with `--color always`), else to standard output.
pub fn report_style(output: Option<&Path>) -> TextStyle {
    if output.is_some() {
        return TextStyle {
            color: choice() == ColorChoice::Always,
            width: None,
        };
    }
    let terminal = std::io::stdout().is_terminal();
    let terminal_width = terminal
        .then(|| console::Term::stdout().size_checked())
        .flatten()
        .map(|(_rows, cols)| usize::from(cols));
    TextStyle {
        color: colors(choice(), ColorEnv::read(), terminal),
        width: wrap_width(std::env::var_os("COLUMNS").as_deref(), terminal_width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color_or_a_dumb_terminal() {
        let plain = ColorEnv::default();
        assert!(colors(ColorChoice::Auto, plain, true));
        assert!(!colors(ColorChoice::Auto, plain, false));
        let no_color = ColorEnv {
            no_color: true,
            ..plain
        };
        assert!(!colors(ColorChoice::Auto, no_color, true));
        let dumb = ColorEnv {
            dumb: true,
            ..plain
        };
        assert!(!colors(ColorChoice::Auto, dumb, true));
    }

    #[test]
    fn clicolor_force_colours_pipes_but_no_color_wins() {
        let force = ColorEnv {
            force: true,
            ..ColorEnv::default()
        };
        assert!(colors(ColorChoice::Auto, force, false));
        let both = ColorEnv {
            no_color: true,
            ..force
        };
        assert!(!colors(ColorChoice::Auto, both, false));
    }

    #[test]
    fn always_and_never_override_the_environment() {
        let no_color = ColorEnv {
            no_color: true,
            ..ColorEnv::default()
        };
        assert!(colors(ColorChoice::Always, no_color, false));
        let force = ColorEnv {
            force: true,
            ..ColorEnv::default()
        };
        assert!(!colors(ColorChoice::Never, force, true));
    }

    #[test]
    fn columns_sets_the_width_else_the_terminal_does() {
        let columns = |c: &str| Some(OsStr::new(c).to_os_string());
        assert_eq!(wrap_width(columns("60").as_deref(), None), Some(60));
        assert_eq!(wrap_width(columns("60").as_deref(), Some(120)), Some(60));
        assert_eq!(wrap_width(None, Some(120)), Some(120));
        assert_eq!(wrap_width(None, None), None);
        for ignored in ["0", "wide", "", "-3"] {
            assert_eq!(wrap_width(columns(ignored).as_deref(), None), None);
        }
    }

    #[test]
    fn the_color_option_is_found_before_parsing() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let choice = |a: &[&str]| ColorChoice::in_args(&args(a));
        assert_eq!(choice(&["caseload", "check", "x.toml"]), ColorChoice::Auto);
        assert_eq!(
            choice(&["caseload", "--color", "never", "check"]),
            ColorChoice::Never
        );
        assert_eq!(
            choice(&["caseload", "check", "x.toml", "--color=always"]),
            ColorChoice::Always
        );
        assert_eq!(choice(&["caseload", "--color", "pink"]), ColorChoice::Auto);
        assert_eq!(
            choice(&["caseload", "check", "--", "--color=always"]),
            ColorChoice::Auto
        );
    }
}
