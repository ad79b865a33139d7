//! One snapshot of a repository: its file list, a way to read each file's bytes, and the
//! git facts that describe it.
//!
//! Three kinds, one interface: a work tree (index entries read from disk), a revision
//! (a commit's tree read from the object database, no checkout) and a plain directory
//! (walked with `.gitignore` rules). Nothing here follows a symlink or writes anything.

mod dir;
mod git;
mod pack_pages;
mod read;

use std::path::{Path, PathBuf};

pub use read::{Blob, Partial, Reader, Want};

use crate::error::UserError;
use crate::model::{NameSource, RepositoryFacts, SnapshotKind, WorktreeStatus};

/// One entry of the snapshot's file list.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Repository-relative path with `/` separators (lossy where the name is not UTF-8).
    pub path: String,
    /// The name's own bytes, kept only when they are not UTF-8 (so `path` differs), to
    /// open the right file.
    pub raw_path: Option<Vec<u8>>,
    pub kind: EntryKind,
    /// `false` for untracked (not ignored) work-tree files, counted apart.
    pub tracked: bool,
}

#[derive(Debug, Clone)]
pub enum EntryKind {
    /// A regular file. `object` is where its bytes live when they do not come from disk.
    File {
        object: Option<gix::ObjectId>,
    },
    Symlink {
        object: Option<gix::ObjectId>,
    },
    /// A gitlink: the superproject pins `commit`; the contents are never descended.
    Submodule {
        commit: gix::ObjectId,
        checked_out: Option<bool>,
    },
}

impl Entry {
    /// An entry whose repository-relative path is `raw` (git stores bytes, not text).
    pub fn new(raw: &[u8], kind: EntryKind, tracked: bool) -> Entry {
        let path = String::from_utf8_lossy(raw);
        let raw_path = matches!(path, std::borrow::Cow::Owned(_)).then(|| raw.to_vec());
        Entry {
            path: path.into_owned(),
            raw_path,
            kind,
            tracked,
        }
    }

    /// The path to open below the root: the exact bytes of the name.
    pub fn relative_path(&self) -> std::borrow::Cow<'_, Path> {
        match &self.raw_path {
            #[cfg(unix)]
            Some(raw) => {
                use std::os::unix::ffi::OsStrExt;
                std::borrow::Cow::Borrowed(Path::new(std::ffi::OsStr::from_bytes(raw)))
            }
            _ => std::borrow::Cow::Borrowed(Path::new(&self.path)),
        }
    }
}

/// A repository or directory at one point in time.
pub struct Snapshot {
    pub kind: SnapshotKind,
    /// The repository's name for reports (see [`crate::model::SnapshotFacts::root_name`]).
    pub root_name: String,
    pub name_source: NameSource,
    /// The repository's work tree, or the plain directory; `None` for a bare repository.
    /// (Under `--rev` the files still come from the object database, not from here.)
    pub worktree: Option<PathBuf>,
    pub requested_revision: Option<String>,
    /// The commit audited (HEAD for a work tree).
    pub commit: Option<String>,
    /// Every tracked entry (every file of a plain directory), sorted by path. Untracked
    /// files come from [`Snapshot::worktree_status`].
    pub entries: Vec<Entry>,
    pub repo: Option<RepositoryFacts>,
    /// Where file bytes are read from.
    pub(crate) content: read::Content,
    /// The repository whose work-tree status is still to be computed (work trees only).
    status_repo: Option<gix::ThreadSafeRepository>,
}

/// A work tree's `git status`, and the untracked files it found (to be scanned too).
pub struct WorktreeScan {
    pub status: WorktreeStatus,
    pub untracked: Vec<Entry>,
}

impl Snapshot {
    /// Opens whatever `path` is: a place inside a work tree, a bare repository or a plain
    /// directory. With `rev`, the files come from that commit's tree.
    pub fn open(path: &Path, rev: Option<&str>) -> Result<Snapshot, UserError> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => UserError::NoSuchPath(path.to_path_buf()),
            _ => UserError::Unreadable(path.to_path_buf(), e.to_string()),
        })?;
        if !meta.is_dir() {
            return Err(UserError::NotADirectory(path.to_path_buf()));
        }
        // Reading the directory up front turns "permission denied" into one clear line
        // instead of an empty audit.
        std::fs::read_dir(path).map_err(|e| UserError::Unreadable(path.to_path_buf(), e.to_string()))?;
        use gix::discover::upwards::Error as NotFound;
        match gix::discover(path) {
            Ok(repo) => git::open(repo, rev),
            Err(e) => match e.downcast_any_ref::<NotFound>() {
                Some(
                    NotFound::NoGitRepository { .. }
                    | NotFound::NoGitRepositoryWithinCeiling { .. }
                    | NotFound::NoGitRepositoryWithinFs { .. },
                ) => match rev {
                    Some(rev) => Err(UserError::RevisionWithoutRepository(rev.to_string())),
                    None => dir::open(path),
                },
                _ => Err(UserError::Repository(path.to_path_buf(), e.to_string())),
            },
        }
    }

    /// `git status` of a work-tree snapshot; `None` for revisions and plain directories.
    /// Kept apart from [`Snapshot::open`] so that it can run alongside the scan of the
    /// tracked files.
    pub fn worktree_status(&self) -> Option<WorktreeScan> {
        self.status_repo
            .as_ref()
            .map(|repo| git::worktree_status(&repo.to_thread_local()))
    }

    /// A per-thread reader; `gix::Repository` is not `Sync`, so each rayon split makes one.
    pub fn reader(&self) -> Reader {
        self.content.reader()
    }
}

/// The last component of `path`, for reports that must not show absolute paths.
fn folder_name(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .components()
        .next_back()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_else(|| "/".to_string())
}
