//! Scan notes: every file that was skipped or only counted, and why.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ScanNote {
    pub path: String,
    pub reason: SkipReason,
    /// Extra detail: the symlink's target, the error text, the size.
    pub detail: Option<String>,
}

impl ScanNote {
    pub fn new(path: impl Into<String>, reason: SkipReason, detail: Option<String>) -> Self {
        ScanNote {
            path: path.into(),
            reason,
            detail,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Tracked by the index but absent from the work tree.
    MissingFromWorktree,
    /// The tree names a blob the object database does not have (partial or trimmed clone).
    BlobMissing,
    /// The file could not be read (permissions, I/O error).
    Unreadable,
    /// Larger than the size limit: counted, not parsed.
    TooLarge,
    /// Contains a NUL byte: counted, not line-counted.
    Binary,
    /// Not valid UTF-8 where an analyzer needed text.
    NonUtf8,
    /// A symlink whose target is inside the repository; counted, never followed.
    SymlinkInside,
    /// A symlink whose target leaves the repository; never followed.
    SymlinkOutside,
    /// A symlink whose target does not exist in the snapshot.
    SymlinkBroken,
    /// A symlink that resolves back to itself.
    SymlinkLoop,
    /// A tracked path below a directory that is a symlink in the work tree; not followed.
    ParentSymlink,
    /// Not a regular file in the work tree (fifo, socket, device, directory).
    NotRegularFile,
    /// A submodule: its pinned commit is recorded, its contents are not descended.
    Submodule,
    /// A submodule whose work tree is not populated.
    SubmoduleNotCheckedOut,
    /// A text file an analyzer could not parse.
    ParseError,
    /// plumb's own report from an earlier run: counted, not analysed (it changes every run).
    PlumbOutput,
    /// A line of a manifest in a form this version does not read (a local path or a URL
    /// without a package name, an include that is not in the snapshot); the detail says
    /// which line.
    UnknownSyntax,
    /// A manifest whose lockfile could not be read (too large, not UTF-8, malformed): its
    /// lock coverage is not checked.
    LockfileUnread,
    /// A lockfile its package manager does not use (a Cargo workspace member's own
    /// `Cargo.lock`: the workspace root's locks the member).
    LockfileUnused,
    /// A manifest or lockfile with more entries than plumb keeps of one file: the first
    /// are kept, the detail counts the rest.
    TooManyEntries,
    /// A value a build script computes when it runs (a `setup.py`'s `install_requires`
    /// built by a call or a format string), which plumb reads without running: what it
    /// could follow is recorded as inferred, the detail says what it could not.
    ComputedValue,
}

impl SkipReason {
    /// A sentence that says what happened to the file.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::MissingFromWorktree => "tracked but missing from the work tree",
            SkipReason::BlobMissing => "blob missing from the object database",
            SkipReason::Unreadable => "unreadable",
            SkipReason::TooLarge => "larger than the size limit: counted, not parsed",
            SkipReason::Binary => "binary (NUL byte): counted, not line-counted",
            SkipReason::NonUtf8 => "not UTF-8 where text was needed",
            SkipReason::SymlinkInside => "symlink inside the repository: not followed",
            SkipReason::SymlinkOutside => "symlink pointing outside the repository: never followed",
            SkipReason::SymlinkBroken => "broken symlink",
            SkipReason::SymlinkLoop => "symlink loop",
            SkipReason::ParentSymlink => "below a directory that is a symlink: not followed",
            SkipReason::NotRegularFile => "not a regular file",
            SkipReason::Submodule => "submodule: pinned commit recorded, not descended",
            SkipReason::SubmoduleNotCheckedOut => "submodule not checked out",
            SkipReason::ParseError => "could not be parsed",
            SkipReason::PlumbOutput => "plumb's own output: counted, not analysed",
            SkipReason::UnknownSyntax => "a manifest line this version does not read",
            SkipReason::LockfileUnread => "its lockfile could not be read: lock coverage not checked",
            SkipReason::TooManyEntries => "more entries than plumb keeps of one file: the first kept, the rest counted",
            SkipReason::LockfileUnused => "a lockfile its package manager does not use",
            SkipReason::ComputedValue => "a value computed when the file runs: only what could be followed is recorded",
        }
    }
}
