//! Writing result files: all or nothing, and never over a file the user did not mean to replace.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use caseload::input::provenance::InputFile;
use caseload::input::{Loaded, MAX_INPUT_BYTES};

use super::CliError;

/// Where an output goes, once [`check_output`] has found it may be written.
pub struct Writable {
    /// The file to replace or create (a link at the output followed).
    target: PathBuf,
    /// What is there now, when something is.
    existing: Option<std::fs::Metadata>,
}

/// The checks made before writing `path`, made again before the work that produces it, so that
/// a run that cannot write its output says so at once instead of after a long solve: nothing
/// but a regular file is ever replaced, an existing file only with `force`, and the folders
/// missing on the way must be creatable (the nearest existing one is a folder).
pub fn check_output(path: &Path, force: bool) -> Result<Writable, CliError> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if !meta.is_file() {
            return Err(CliError::with_help(
                format!(
                    "`{}` is not a regular file (a directory, device or pipe); nothing was written",
                    path.display()
                ),
                "name a file to write",
            ));
        }
        if !force {
            return Err(CliError::exists(
                path,
                "choose another file, or pass --force to replace it",
            ));
        }
    }
    let nearest = target
        .ancestors()
        .skip(1)
        .find(|a| a.as_os_str().is_empty() || std::fs::symlink_metadata(a).is_ok());
    if let Some(folder) = nearest.filter(|a| !a.as_os_str().is_empty() && !a.is_dir()) {
        return Err(CliError::with_help(
            format!(
                "cannot write `{}`: `{}` is not a folder; nothing was written",
                path.display(),
                folder.display()
            ),
            "choose a path inside a folder",
        ));
    }
    Ok(Writable { target, existing })
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename, so
/// a reader never sees a partial file. Refuses to replace an existing file unless `force`, and
/// never replaces what is not a regular file (a directory, a device, a pipe). The temporary
/// file (tempfile's: created new under a random name, so a file or link planted there is never
/// followed, and removed if anything fails) gets the permissions of the file it replaces, or the
/// usual ones of a new file; a link at `path` is followed, and the file it names is replaced.
/// Missing folders on the way are created. Without `force`, the rename itself refuses a file
/// created meanwhile (by another writer of the same name), so none is ever replaced.
pub fn write_atomically(path: &Path, contents: &[u8], force: bool) -> Result<(), CliError> {
    let writable = check_output(path, force)?;
    if write_through_temp(path, writable, contents, force)? {
        Ok(())
    } else {
        Err(CliError::exists(
            path,
            "choose another file, or pass --force to replace it",
        ))
    }
}

/// Writes `contents` to `path` as [`write_atomically`] does, but only as a new file: when
/// anything is at `path`, even a file another writer created meanwhile (the rename refuses to
/// replace it), nothing is written and the answer is false.
pub fn write_new(path: &Path, contents: &[u8]) -> Result<bool, CliError> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let writable = check_output(path, false)?;
    write_through_temp(path, writable, contents, false)
}

/// Writes `contents` to a temporary file beside the target and renames it over the target
/// (`replace`) or to it only when nothing is there (false when something is).
fn write_through_temp(
    path: &Path,
    Writable { target, existing }: Writable,
    contents: &[u8],
    replace: bool,
) -> Result<bool, CliError> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::file(
            format!(
                "cannot create the folder `{}`; nothing was written",
                dir.display()
            ),
            e,
        )
    })?;
    let file_name = target
        .file_name()
        .ok_or_else(|| CliError::new(format!("`{}` is not a file path", path.display())))?;
    let cannot = |e| {
        CliError::file(
            format!("cannot write `{}`; nothing was written", path.display()),
            e,
        )
    };
    let prefix = format!(".{}.", file_name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Read and write for all, less the umask, as any program creates a file: the output is the
    // user's file, not tempfile's private default.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(cannot)?;
    if let Some(meta) = &existing {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(cannot)?;
    }
    temp.write_all(contents).map_err(cannot)?;
    temp.as_file().sync_all().map_err(cannot)?;
    if replace {
        temp.persist(&target).map_err(|e| cannot(e.error))?;
        return Ok(true);
    }
    match temp.persist_noclobber(&target) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(cannot(e.error)),
    }
}

/// A proposal file, as read.
pub struct ProposalFile {
    /// Its text.
    pub text: String,
    /// The file, with the digest of the bytes read.
    pub input: InputFile,
}

/// Reads a proposal the user names (JSON written by `rebalance` or `assign`): a regular file of
/// at most [`MAX_INPUT_BYTES`], so that a pipe cannot block and a device cannot fill memory.
pub fn read_proposal_file(path: &Path) -> Result<ProposalFile, CliError> {
    let cannot = |e| CliError::file(format!("cannot read the proposal `{}`", path.display()), e);
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(CliError::with_help(
            format!(
                "the proposal `{}` is not a regular file (a directory, pipe or device)",
                path.display()
            ),
            "save the proposal to a file (`--output FILE`) and name that file",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::new(format!(
            "the proposal `{}` is larger than {} MiB: not a proposal caseload wrote",
            path.display(),
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    let input = InputFile::of(path, &bytes);
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::with_help(
            format!("the proposal `{}` is not UTF-8 text", path.display()),
            "pass the JSON written by `caseload rebalance --format json`",
        )
    })?;
    Ok(ProposalFile { text, input })
}

/// Writes `text` to `output` (atomically, replacing only with `force`), or to standard output.
pub fn emit(output: Option<&Path>, force: bool, text: &str) -> Result<(), CliError> {
    emit_bytes(output, force, text.as_bytes())
}

/// Writes `bytes` (text or a workbook) to `output` as [`emit`] does, or to standard output.
pub fn emit_bytes(output: Option<&Path>, force: bool, bytes: &[u8]) -> Result<(), CliError> {
    match output {
        Some(path) => write_atomically(path, bytes, force),
        None => print_bytes(bytes),
    }
}

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    print_bytes(text.as_bytes())
}

/// Writes `bytes` to standard output.
fn print_bytes(bytes: &[u8]) -> Result<(), CliError> {
    std::io::stdout()
        .lock()
        .write_all(bytes)
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

/// Before the work that produces it: refuses an output that is one of the files a scenario was
/// read from (the scenarios it extends, its CSV files and its model included), or that could
/// not be written (see [`check_output`]).
pub fn ready_to_write(output: Option<&Path>, force: bool, loaded: &Loaded) -> Result<(), CliError> {
    if let Some(out) = output {
        let inputs: Vec<&Path> = loaded.inputs.iter().map(|f| f.path.as_path()).collect();
        refuse_input_as_output(out, &inputs)?;
        check_output(out, force)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_written_only_where_nothing_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept").join("new.toml");
        assert!(write_new(&path, b"first").unwrap(), "its folder is made");
        assert!(!write_new(&path, b"second").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("kept"))
            .unwrap()
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
