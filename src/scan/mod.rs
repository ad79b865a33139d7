//! The one pass: every entry of the snapshot is read once, in parallel, classified
//! (language, role), line-counted, and handed to the analyzers that want it. Bytes are
//! dropped as soon as the analyzers are done with them, so memory stays bounded by
//! the number of threads times the size limit.

mod file;
pub mod language;
mod lines;
pub mod role;
mod symlink;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokei::{Config, LanguageType};

pub use file::{File, FileInfo, FileRecord};
pub use lines::{directive_lines, DirectiveLine};

use crate::analyzers::{Analysis, Analyzer, SubmoduleEntry, ALL};
use crate::model::{Role, ScanNote, SkipReason};
use crate::source::{Blob, Entry, EntryKind, Partial, Reader, Snapshot, Want};

/// Options of the scan that change its results.
pub struct ScanOptions {
    /// Files larger than this are counted and listed, not read.
    pub max_file_bytes: u64,
    /// Paths not to read: plumb's own reports from an earlier run.
    pub excluded: BTreeSet<String>,
}

/// What one read pass gathered: the analysis, plus the symlinks, which can only be
/// judged once every pass is in (a link may point at a file of another pass).
#[derive(Default)]
pub struct Pass {
    analysis: Analysis,
    links: Vec<(String, String)>,
}

impl Pass {
    pub fn merge(mut self, other: Pass) -> Pass {
        self.analysis = self.analysis.merge(other.analysis);
        self.links.extend(other.links);
        self
    }

    /// Classifies the symlinks against every path seen and sorts everything.
    pub fn finish(self) -> Analysis {
        let mut analysis = self.analysis;
        classify_symlinks(&mut analysis, &self.links);
        analysis.sort();
        // Vendored code found by its content: its files' role is settled before any
        // analyzer finishes, so every fact sees it as vendored.
        crate::analyzers::settle_vendored(&mut analysis);
        analysis
    }
}

/// How many entries a scan thread takes at a time.
const CHUNK: usize = 16;

/// Reads `entries` of `snapshot` in parallel, calling `tick` once per entry (for a
/// progress bar).
///
/// Each thread of the pool keeps one [`Worker`] (its reader's caches and buffers) and
/// takes the next [`CHUNK`] entries whenever it is free, so the threads finish together.
/// A parallel iterator splits the list into a few long runs up front, and a run cannot be
/// shared once begun: on executorch one thread read the last files alone for several
/// milliseconds (12 under `perf sched`), and both builds of `bench-graph.sh` took 3 to 5 ms
/// less this way.
pub fn scan(snapshot: &Snapshot, entries: &[Entry], options: &ScanOptions, tick: &(dyn Fn() + Sync)) -> Pass {
    let config = Config::default();
    let next = AtomicUsize::new(0);
    let workers = rayon::broadcast(|_| {
        let mut worker = Worker {
            reader: snapshot.reader(),
            out: Analysis::default(),
            links: Vec::new(),
            directives: Vec::new(),
        };
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= entries.len() {
                break;
            }
            for entry in &entries[start..(start + CHUNK).min(entries.len())] {
                scan_entry(entry, &mut worker, options, &config);
                tick();
            }
        }
        Pass {
            analysis: worker.out,
            links: worker.links,
        }
    });
    workers.into_iter().fold(Pass::default(), Pass::merge)
}

/// What one scan thread keeps from file to file.
struct Worker {
    reader: Reader,
    out: Analysis,
    links: Vec<(String, String)>,
    /// The buffer the line counter notes directive lines into, reused: Linux has three
    /// million of them.
    directives: Vec<DirectiveLine>,
}

fn scan_entry(entry: &Entry, worker: &mut Worker, options: &ScanOptions, config: &Config) {
    let out = &mut worker.out;
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
    match worker
        .reader
        .read(entry, options.max_file_bytes, want(&entry.path, path_language))
    {
        Blob::Bytes(bytes, partial) => {
            let bytes = scan_bytes(entry, path_language, (bytes, partial), config, worker);
            worker.reader.recycle(bytes);
        }
        Blob::Unread(size) => {
            out.notes.push(ScanNote::new(
                &entry.path,
                SkipReason::Binary,
                Some("known binary format".into()),
            ));
            out.files.push(unread_by_path(entry, path_language, size));
        }
        Blob::TooLarge(size) => {
            let detail = format!("{size} bytes, limit {}", options.max_file_bytes);
            out.notes
                .push(ScanNote::new(&entry.path, SkipReason::TooLarge, Some(detail)));
            out.files.push(unread_by_path(entry, path_language, size));
        }
        Blob::Symlink(target) => {
            worker.links.push((entry.path.clone(), target));
            out.files.push(unread_by_path(entry, path_language, 0));
        }
        Blob::Skipped(reason, detail) => {
            out.notes.push(ScanNote::new(&entry.path, reason, detail));
            out.files.push(unread_by_path(entry, path_language, 0));
        }
    }
}

fn scan_bytes(
    entry: &Entry,
    path_language: Option<LanguageType>,
    (mut bytes, partial): (Vec<u8>, Partial),
    config: &Config,
    worker: &mut Worker,
) -> Vec<u8> {
    let out = &mut worker.out;
    let language = path_language.or_else(|| {
        (!has_extension(&entry.path))
            .then(|| language::from_shebang(&bytes))
            .flatten()
    });
    let binary = role::is_binary(&bytes);
    let role = role::classify(&role::RoleInput {
        path: &entry.path,
        bytes: Some(&bytes),
        language_known: language.is_some(),
    });
    let info = FileInfo {
        path: entry.path.clone(),
        language,
        role,
        bytes: partial.size(&bytes),
        tracked: entry.tracked,
    };
    let wanted: Vec<&dyn Analyzer> = ALL.iter().copied().filter(|a| a.wants(&info)).collect();
    if !wanted.is_empty() {
        if let Err(e) = partial.complete(&mut bytes) {
            out.notes
                .push(ScanNote::new(&entry.path, SkipReason::Unreadable, Some(e.to_string())));
            out.files.push(FileRecord::uncounted(info));
            return bytes;
        }
    }
    // A binary file is never line-counted, whatever its role (a vendored one included).
    let counts = match language {
        _ if binary => {
            out.notes.push(ScanNote::new(&entry.path, SkipReason::Binary, None));
            None
        }
        Some(language) => {
            let directives = wanted
                .iter()
                .any(|a| a.wants_directive_lines(&info))
                .then(|| std::mem::take(&mut worker.directives));
            Some(lines::count(language, &bytes, config, directives))
        }
        None => None,
    };
    let directives = counts.as_ref().and_then(|c| c.directives.as_deref());
    let file = File::new(&info, &bytes).with_directives(directives);
    // Each visit's findings are capped as they are reported (`analyzers::caps`), so what
    // one file adds to the scan's findings is bounded.
    for analyzer in wanted {
        analyzer.visit(&file, out);
    }
    let counted = counts.is_some();
    let lines::Counted {
        own,
        embedded,
        directives,
    } = counts.unwrap_or_default();
    if let Some(directives) = directives {
        worker.directives = directives;
    }
    out.files.push(FileRecord {
        counted,
        info,
        lines: own,
        embedded,
    });
    bytes
}

/// How much of a file the scan reads: everything when tokei may count it (a known
/// language, or no extension and so perhaps a shebang); nothing but the size for a known
/// binary format (images, media, archives, model weights: half the bytes of some
/// repositories, and in a revision each would be inflated whole); else a prefix, which is
/// all the role rule needs.
fn want(path: &str, language: Option<LanguageType>) -> Want {
    if language.is_some() || !has_extension(path) {
        Want::All
    } else if role::has_binary_extension(path) {
        Want::Size
    } else {
        Want::Prefix
    }
}

/// Whether the file name has an extension, as `Path::extension` (and so tokei) sees it:
/// `.envrc` has none.
fn has_extension(path: &str) -> bool {
    Path::new(path.rsplit('/').next().unwrap_or(path)).extension().is_some()
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
    FileRecord::uncounted(FileInfo {
        path: entry.path.clone(),
        language,
        role,
        bytes,
        tracked: entry.tracked,
    })
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
