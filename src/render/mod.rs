//! Renderers: one module per output format, each reading the model only.

pub mod baseline_file;
pub mod cyclonedx;
mod dot;
pub mod escape;
pub mod gate;
mod json;
mod markdown;
pub mod refactor_md;
mod sarif;
pub mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Format;
use crate::error::UserError;
use crate::model::Audit;

/// The audit in one format.
pub fn render(format: Format, audit: &Audit) -> String {
    let text = match format {
        Format::Md => markdown::render(audit),
        Format::Json => json::render(audit),
        Format::Sarif => sarif::render(audit),
        Format::Cyclonedx => cyclonedx::render(audit),
        Format::Dot => dot::render(audit),
    };
    match format {
        // Masked as laid out, part by part.
        Format::Json => text,
        Format::Sarif | Format::Cyclonedx => {
            let mut bytes = text.into_bytes();
            escape::json(&mut bytes);
            String::from_utf8(bytes).expect("masking replaces whole characters with `*`")
        }
        Format::Md | Format::Dot => text,
    }
}

/// The audit in one format, as the pieces of its text in order, for writing: the JSON
/// pack is laid out in parts that are never copied together, each masked on its own
/// ([`json::render_parts`]).
pub fn render_parts(format: Format, audit: &Audit) -> Vec<Vec<u8>> {
    match format {
        Format::Json => json::render_parts(audit),
        _ => vec![render(format, audit).into_bytes()],
    }
}

/// `text`, secrets masked, with every byte but ASCII letters, digits, URIs' unreserved
/// `-._~` and `keep` percent-encoded (`%20`, `%C3%A9`), for SARIF artifact URIs and
/// package URLs.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    // Masked first: once encoded (`%20ghp_...`), a secret is no longer recognised.
    let text = crate::analyzers::secrets::mask(text);
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Writes a pack into `dir`: [`write_all_atomic`], holding an exclusive `flock` on the
/// folder itself, so that two runs writing the same folder at once leave one run's pack,
/// not the JSON of one and the Markdown of the other. A run that finds the folder locked
/// waits for the other to finish (and says so unless `quiet`). The folder is locked, not
/// a lock file in it: nothing is left behind to be taken for part of the pack or to be
/// scanned by the next audit, and the lock goes with the process however it ends.
pub fn write_pack(dir: &Path, files: &[(PathBuf, Vec<Vec<u8>>)], quiet: bool) -> Result<(), UserError> {
    std::fs::create_dir_all(dir).map_err(|e| UserError::Write(dir.to_path_buf(), e.to_string()))?;
    let _lock = lock_folder(dir, quiet)?;
    write_all_atomic(dir, files)
}

/// Takes the exclusive `flock` of `dir`, waiting while another run holds it; released
/// when the returned descriptor is closed. A file system that cannot lock a folder (some
/// network file systems) gets the pack written without the lock, as before it existed.
#[cfg(unix)]
fn lock_folder(dir: &Path, quiet: bool) -> Result<Option<std::fs::File>, UserError> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let fail = |e: std::io::Error| UserError::Write(dir.to_path_buf(), e.to_string());
    let folder = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
        .open(dir)
        .map_err(fail)?;
    let flock = |operation| {
        // SAFETY: `flock` on a descriptor this function owns, open for the whole call.
        match unsafe { libc::flock(folder.as_raw_fd(), operation) } {
            0 => Ok(()),
            _ => Err(std::io::Error::last_os_error()),
        }
    };
    match flock(libc::LOCK_EX | libc::LOCK_NB) {
        Ok(()) => return Ok(Some(folder)),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(_) => return Ok(None),
    }
    if !quiet {
        eprintln!(
            "plumb: waiting for another plumb run to finish writing {}",
            escape::terminal(&dir.display().to_string())
        );
    }
    loop {
        match flock(libc::LOCK_EX) {
            Ok(()) => return Ok(Some(folder)),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(fail(e)),
        }
    }
}

/// No `flock` here: concurrent runs are not kept apart.
#[cfg(not(unix))]
fn lock_folder(_dir: &Path, _quiet: bool) -> Result<(), UserError> {
    Ok(())
}

/// Removes the temporary files of reports ([`write_all_atomic`] names them
/// `.<report>.<pid>.tmp`) whose process is gone: a run killed between writing and
/// renaming leaves them. A live process's are kept (`plumb sbom -o` writes without the
/// lock), and so is any other file. Called before the scan, which would otherwise count
/// them as untracked files of the audited tree.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        if !process_is_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a report's temporary file name, `.audit.json.1234.tmp`.
fn temp_file_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (report, pid) = inner.rsplit_once('.')?;
    let is_report = <Format as clap::ValueEnum>::value_variants()
        .iter()
        .any(|format| format.file_name() == report);
    let pid = pid
        .parse::<u32>()
        .ok()
        .filter(|_| pid.bytes().all(|b| b.is_ascii_digit()))?;
    is_report.then_some(pid)
}

/// Whether `pid` names a running process other than this one (this run's own temporary
/// files do not exist yet when it cleans up, so one with its id is a dead run's). A
/// process of another user counts as running (`kill` says EPERM, not ESRCH).
fn process_is_alive(pid: u32) -> bool {
    // 0 is no process (`kill` would take it for this process group).
    if pid == 0 || pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Writes every file to a temporary name in `dir` first and renames them into place only
/// when all are written, so a failed or interrupted run leaves the previous pack whole.
///
/// No `fsync`: it guards against a power cut, not a failed run, and a pack is rebuilt by
/// running plumb again; on executorch it added 10 to 200 ms of disk wait to a 4 MB pack.
///
/// Each file is given as the pieces of its text, written in order.
pub fn write_all_atomic(dir: &Path, files: &[(PathBuf, Vec<Vec<u8>>)]) -> Result<(), UserError> {
    let fail = |path: &Path, e: std::io::Error| UserError::Write(path.to_path_buf(), e.to_string());
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let result = files.iter().try_for_each(|(path, parts)| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        temps.push((temp.clone(), path));
        let mut file = std::fs::File::create(&temp).map_err(|e| fail(&temp, e))?;
        parts
            .iter()
            .try_for_each(|part| file.write_all(part))
            .map_err(|e| fail(&temp, e))
    });
    let result = result.and_then(|()| {
        temps
            .iter()
            .try_for_each(|(temp, path)| put_in_place(temp, path).map_err(|e| fail(path, e)))
    });
    if result.is_err() {
        for (temp, _) in &temps {
            let _ = std::fs::remove_file(temp);
        }
    }
    result
}

/// Moves the written `temp` to `path`. A file already at `path` (the pack of an earlier
/// run) is swapped with `temp` in one step, then removed: renaming over it would make
/// ext4 write `temp`'s data to disk before the rename returns (its `auto_da_alloc` guard
/// against a power cut, which the pack does not need: see above). On executorch that
/// was 3.3 ms for the 3 MB `audit.json`; the swap and the removal take 1 ms.
fn put_in_place(temp: &Path, path: &Path) -> std::io::Result<()> {
    // Only a regular file is swapped: a directory or a symlink at `path` is left for the
    // rename to refuse or replace as it always did.
    #[cfg(target_os = "linux")]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        // A file system without the swap (it is Linux 3.15's) gets the plain rename.
        if renameat_with(CWD, temp, CWD, path, RenameFlags::EXCHANGE).is_ok() {
            // `temp` now holds the previous file.
            return std::fs::remove_file(temp);
        }
    }
    std::fs::rename(temp, path)
}

/// Writes `text` to a temporary `file_name` and runs `tests/<script>`, a validator against
/// an official schema (installed by `.ci/install-*-validator`), failing with its messages.
#[cfg(test)]
pub(crate) fn assert_valid(script: &str, file_name: &str, text: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(file_name);
    std::fs::write(&file, text).expect("write the document");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(script);
    let output = std::process::Command::new("python3")
        .arg(&script)
        .arg(&file)
        .output()
        .expect("python3 runs the validator");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read the folder")
            .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_pack_written_over_an_earlier_one_replaces_it_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files =
            |text: &str| ["audit.json", "audit.md"].map(|name| (dir.path().join(name), vec![text.as_bytes().to_vec()]));
        write_all_atomic(dir.path(), &files("first")).expect("the first pack is written");
        write_all_atomic(dir.path(), &files("second")).expect("the second pack is written");
        for name in ["audit.json", "audit.md"] {
            let text = std::fs::read_to_string(dir.path().join(name)).expect("read");
            assert_eq!(text, "second", "{name}");
        }
        assert_eq!(names_in(dir.path()), ["audit.json", "audit.md"]);
    }

    #[test]
    fn only_reports_temporary_names_are_taken_for_leftovers() {
        assert_eq!(temp_file_pid(".audit.json.1234.tmp"), Some(1234));
        assert_eq!(temp_file_pid(".sbom.cdx.json.7.tmp"), Some(7));
        for other in [
            ".notes.12.tmp",
            "audit.json.12.tmp",
            ".audit.json.tmp",
            ".audit.json.+1.tmp",
            ".audit.md.12",
        ] {
            assert_eq!(temp_file_pid(other), None, "{other}");
        }
    }

    #[test]
    fn a_folder_where_a_report_goes_is_left_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("audit.json")).expect("mkdir");
        std::fs::write(dir.path().join("audit.json").join("kept"), "kept").expect("write");
        let files = [(dir.path().join("audit.json"), vec![b"pack".to_vec()])];
        assert!(write_all_atomic(dir.path(), &files).is_err());
        let kept = std::fs::read_to_string(dir.path().join("audit.json").join("kept"));
        assert_eq!(kept.expect("the folder is still there"), "kept");
        assert_eq!(names_in(dir.path()), ["audit.json"]);
    }
}
