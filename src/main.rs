//! The `caseload` command: parses arguments, runs the library, prints, and maps the outcome to an
//! exit code (0 done, 1 done with cases left unplaced, 2 bad input or usage, 70 an internal
//! error: a bug, reported as one instead of a crash).

mod cli;

use std::process::ExitCode;
use std::sync::Mutex;

/// Exit code for an internal error (`EX_SOFTWARE`).
const INTERNAL_ERROR: u8 = 70;

/// Where the last panic happened and what it said, kept by the panic hook for `main` to report
/// if the panic reaches it (the solver's guard catches HiGHS faults on its own, quietly).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let args = cli::Cli::parse_args();
    // Errors in the form the command asked for (JSON Lines with --format json).
    let messages = args.messages();
    let interrupted = args.interrupted_note();
    // Ctrl-C (or SIGTERM): the first asks the solve to finish with the best proposal so far
    // (the dashboard: to stop), the second quits at once (outputs are written atomically, so nothing is left half done).
    let _ = ctrlc::set_handler(move || {
        if caseload::solve::stop::request_stop() {
            std::process::exit(130);
        }
        messages.note(interrupted);
    });
    match std::panic::catch_unwind(|| cli::run(args)) {
        Ok(Ok(code)) => code.into(),
        Ok(Err(error)) if error.is_closed_pipe() => ExitCode::SUCCESS,
        Ok(Err(error)) => {
            messages.error(&error);
            cli::Status::InputError.into()
        }
        Err(_) => {
            let what = LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut last| last.take())
                .unwrap_or_else(|| "no detail".to_string());
            messages.internal_error(&what);
            ExitCode::from(INTERNAL_ERROR)
        }
    }
}
