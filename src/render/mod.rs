//! Renderers: one module per output format, each reading the model only.

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
        Format::Dot => dot::render(audit),
    }
}

/// Writes every file to a temporary name in `dir` first and renames them into place only
/// when all are written, so a failed run leaves the previous pack whole.
pub fn write_all_atomic(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), UserError> {
    let fail = |path: &Path, e: std::io::Error| UserError::Write(path.to_path_buf(), e.to_string());
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let result = files.iter().try_for_each(|(path, text)| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        temps.push((temp.clone(), path));
        let mut file = std::fs::File::create(&temp).map_err(|e| fail(&temp, e))?;
        file.write_all(text.as_bytes()).map_err(|e| fail(&temp, e))?;
        file.sync_all().map_err(|e| fail(&temp, e))
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
