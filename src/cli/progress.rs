//! Progress on standard error while many solves run: a bar when their number is known, a
//! spinner when it is not, and nothing when standard error is not a terminal or `--quiet` is set,
//! so that logs and pipes see only results.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar of `len` steps, or a hidden one when standard error is not a terminal or
/// `quiet` is set.
pub fn progress(len: usize, quiet: bool, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(what.to_string());
    bar
}

/// A spinner showing `template` (indicatif's, e.g. "{pos} budgets solved"), or a hidden one
/// when standard error is not a terminal or `quiet`.
pub fn spinner(quiet: bool, template: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} {template} {{elapsed}}"))
            .expect("valid template"),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}
