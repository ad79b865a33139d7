//! The one pass: every entry of the snapshot is read once, in parallel, classified
//! (language, role), line-counted, and handed to the analyzers that want it. Bytes are
//! dropped as soon as the analyzers are done with them, so memory stays bounded by
//! the number of threads times the size limit.

mod file;
pub mod language;
pub mod role;
mod symlink;

use std::collections::BTreeSet;
use std::io::Read;

use rayon::prelude::*;
use tokei::{Config, LanguageType};

pub use file::{File, FileInfo, FileRecord};

use crate::analyzers::{Analysis, SubmoduleEntry, ALL};
use crate::model::{LineCounts, Role, ScanNote, SkipReason};
use crate::source::{Blob, Entry, EntryKind, Reader, Snapshot};

/// Options of the scan that change its results.
pub struct ScanOptions {
    /// Files larger than this are counted and listed, not read.
    pub max_file_bytes: u64,
    /// Paths not to read: plumb's own reports from an earlier run.
    pub excluded: BTreeSet<String>,
}

/// Scans `snapshot`, calling `tick` once per entry (for a progress bar).
pub fn scan(snapshot: &Snapshot, options: &ScanOptions, tick: &(dyn Fn() + Sync)) -> Analysis {
    let config = Config::default();
    let mut links: Vec<(String, String)> = Vec::new();
    let (mut analysis, thread_links) = snapshot
        .entries
        .par_iter()
        .fold(
            || (snapshot.reader(), Analysis::default(), Vec::new()),
            |(mut reader, mut out, mut links), entry| {
                scan_entry(entry, &mut reader, options, &config, &mut out, &mut links);
                tick();
                (reader, out, links)
            },
        )
        .map(|(_, out, links)| (out, links))
        .reduce(
            || (Analysis::default(), Vec::new()),
            |(a, mut la), (b, lb)| {
                la.extend(lb);
                (a.merge(b), la)
            },
        );
    links.extend(thread_links);
    classify_symlinks(&mut analysis, &links);
    analysis.sort();
    analysis
}

fn scan_entry(
    entry: &Entry,
    reader: &mut Reader,
    options: &ScanOptions,
    config: &Config,
    out: &mut Analysis,
    links: &mut Vec<(String, String)>,
) {
    if let EntryKind::Submodule { commit, checked_out } = &entry.kind {
        out.submodules.push(SubmoduleEntry {
            path: entry.path.clone(),
            commit: commit.to_string(),
            checked_out: *checked_out,
        });
        let reason = match checked_out {
            Some(false) => SkipReason::SubmoduleNotCheckedOut,
            _ => SkipReason::Submodule,
        };
        out.notes
            .push(ScanNote::new(&entry.path, reason, Some(commit.to_string())));
        return;
    }
    let path_language = language::from_path(&entry.path, config);
    if options.excluded.contains(&entry.path) {
        out.notes
            .push(ScanNote::new(&entry.path, SkipReason::PlumbOutput, None));
        out.files.push(unread(entry, path_language, Role::Generated, 0));
        return;
    }
    match reader.read(entry, options.max_file_bytes) {
        Blob::Bytes(bytes) => scan_bytes(entry, path_language, &bytes, config, out),
        Blob::TooLarge(size) => {
            let detail = format!("{size} bytes, limit {}", options.max_file_bytes);
            out.notes
                .push(ScanNote::new(&entry.path, SkipReason::TooLarge, Some(detail)));
            out.files.push(unread_by_path(entry, path_language, size));
        }
        Blob::Symlink(target) => {
            links.push((entry.path.clone(), target));
            out.files.push(unread_by_path(entry, path_language, 0));
        }
        Blob::Skipped(reason, detail) => {
            out.notes.push(ScanNote::new(&entry.path, reason, detail));
            out.files.push(unread_by_path(entry, path_language, 0));
        }
    }
}

fn scan_bytes(entry: &Entry, path_language: Option<LanguageType>, bytes: &[u8], config: &Config, out: &mut Analysis) {
    let has_extension = entry.path.rsplit('/').next().is_some_and(|n| n.contains('.'));
    let language = path_language.or_else(|| (!has_extension).then(|| language::from_shebang(bytes)).flatten());
    let role = role::classify(&role::RoleInput {
        path: &entry.path,
        bytes: Some(bytes),
        language_known: language.is_some(),
    });
    let info = FileInfo {
        path: entry.path.clone(),
        language,
        role,
        bytes: bytes.len() as u64,
        tracked: entry.tracked,
    };
    let counts = match language {
        _ if role == Role::Binary => {
            out.notes.push(ScanNote::new(&entry.path, SkipReason::Binary, None));
            None
        }
        Some(language) => Some(count_lines(language, bytes, config)),
        None => None,
    };
    let counted = counts.is_some();
    let (lines, embedded) = counts.unwrap_or_default();
    let file = File::new(&info, bytes);
    for analyzer in ALL {
        if analyzer.wants(&info) {
            analyzer.visit(&file, out);
        }
    }
    out.files.push(FileRecord {
        info,
        counted,
        lines,
        embedded,
    });
}

/// tokei's counts for `bytes`: the language's own lines, and the lines of embedded
/// languages. Like `tokei::LanguageType::parse`, a UTF-16 or UTF-8 byte order mark is
/// decoded first, so the figures equal tokei's.
fn count_lines(language: LanguageType, bytes: &[u8], config: &Config) -> (LineCounts, LineCounts) {
    let has_bom =
        bytes.starts_with(b"\xEF\xBB\xBF") || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let stats = if has_bom {
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut reader = encoding_rs_io::DecodeReaderBytesBuilder::new().build(bytes);
        match reader.read_to_end(&mut decoded) {
            Ok(_) => language.parse_from_slice(&decoded, config),
            Err(_) => language.parse_from_slice(bytes, config),
        }
    } else {
        language.parse_from_slice(bytes, config)
    };
    let own = LineCounts {
        code: stats.code as u64,
        comments: stats.comments as u64,
        blanks: stats.blanks as u64,
    };
    let mut embedded = LineCounts::default();
    for blob in stats.blobs.values() {
        let blob = blob.summarise();
        embedded.add(LineCounts {
            code: blob.code as u64,
            comments: blob.comments as u64,
            blanks: blob.blanks as u64,
        });
    }
    (own, embedded)
}

/// A record for a file whose bytes were not read: the path alone decides its role.
fn unread_by_path(entry: &Entry, language: Option<LanguageType>, bytes: u64) -> FileRecord {
    let role = role::classify(&role::RoleInput {
        path: &entry.path,
        bytes: None,
        language_known: language.is_some(),
    });
    unread(entry, language, role, bytes)
}

fn unread(entry: &Entry, language: Option<LanguageType>, role: Role, bytes: u64) -> FileRecord {
    FileRecord {
        info: FileInfo {
            path: entry.path.clone(),
            language,
            role,
            bytes,
            tracked: entry.tracked,
        },
        counted: false,
        lines: LineCounts::default(),
        embedded: LineCounts::default(),
    }
}

/// Notes for every symlink, once the whole path list is known.
fn classify_symlinks(analysis: &mut Analysis, links: &[(String, String)]) {
    if links.is_empty() {
        return;
    }
    let index = symlink::PathIndex::new(
        analysis.files.iter().map(|f| f.info.path.as_str()),
        links.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    );
    for (path, target) in links {
        let reason = index.classify(path, target);
        analysis.notes.push(ScanNote::new(path, reason, Some(target.clone())));
    }
}
