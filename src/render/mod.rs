//! Renderers: one module per output format, each reading the model only.

pub mod cyclonedx;
mod dot;
mod json;
mod markdown;
mod sarif;
pub mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Format;
use crate::error::UserError;
use crate::model::Audit;

/// The audit in one format.
pub fn render(format: Format, audit: &Audit) -> String {
    match format {
        Format::Md => markdown::render(audit),
        Format::Json => json::render(audit),
        Format::Sarif => sarif::render(audit),
        Format::Cyclonedx => cyclonedx::render(audit),
        Format::Dot => dot::render(audit),
    }
}

/// The audit in one format, as the pieces of its text in order, for writing: the JSON
/// pack is laid out in parts that are never copied together ([`json::render_parts`]).
pub fn render_parts(format: Format, audit: &Audit) -> Vec<Vec<u8>> {
    match format {
        Format::Json => json::render_parts(audit),
        _ => vec![render(format, audit).into_bytes()],
    }
}

/// `text` with every byte but ASCII letters, digits, URIs' unreserved `-._~` and `keep`
/// percent-encoded (`%20`, `%C3%A9`), for SARIF artifact URIs and package URLs.
fn percent_encode(text: &str, keep: &[u8]) -> String {
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
            .try_for_each(|(temp, path)| std::fs::rename(temp, path).map_err(|e| fail(path, e)))
    });
    if result.is_err() {
        for (temp, _) in &temps {
            let _ = std::fs::remove_file(temp);
        }
    }
    result
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
