//! Writing result files: all or nothing, and never over a file the user did not mean to replace.

use std::io::Write;
use std::path::{Path, PathBuf};

use caseload::input::Loaded;

use super::CliError;

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so
/// a reader never sees a partial file. Refuses to replace an existing file unless `force`.
pub fn write_atomically(path: &Path, contents: &[u8], force: bool) -> Result<(), CliError> {
    if path.exists() && !force {
        return Err(CliError::exists(
            path,
            "choose another file, or pass --force to replace it",
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(CliError::with_help(
            format!(
                "the directory `{}` does not exist; nothing was written",
                dir.display()
            ),
            "create it first or choose another path",
        ));
    }
    let file_name = path
        .file_name()
        .ok_or_else(|| CliError::new(format!("`{}` is not a file path", path.display())))?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(CliError::file(
            format!("cannot write `{}`; nothing was written", path.display()),
            e,
        ));
    }
    Ok(())
}

/// Writes `text` to `output` (atomically, replacing only with `force`), or to standard output.
pub fn emit(output: Option<&Path>, force: bool, text: &str) -> Result<(), CliError> {
    match output {
        Some(path) => write_atomically(path, text.as_bytes(), force),
        None => print(text),
    }
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(CliError::stdout)
}

/// Refuses to write over any of the inputs, whatever --force says.
pub fn refuse_input_as_output(output: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // does not exist yet, so it is no input
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            return Err(CliError::with_help(
                format!(
                    "the output `{}` is one of the inputs; nothing was written",
                    output.display()
                ),
                "write to a new file",
            ));
        }
    }
    Ok(())
}

/// Refuses an output that is one of the files a scenario was read from (the scenarios it
/// extends, its CSV files and its model included).
pub fn refuse_sources(output: Option<&Path>, loaded: &Loaded) -> Result<(), CliError> {
    if let Some(out) = output {
        let inputs: Vec<&Path> = loaded.sources.iter().map(PathBuf::as_path).collect();
        refuse_input_as_output(out, &inputs)?;
    }
    Ok(())
}
