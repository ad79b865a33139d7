//! Reading one entry's bytes, exactly once, without following symlinks.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::SkipReason;

use super::pack_pages::PackPages;
use super::{Entry, EntryKind};

/// Where a snapshot's bytes live.
pub(crate) enum Content {
    /// Files on disk under this root; entries that carry an object id (skip-worktree
    /// entries of a sparse checkout) are read from `odb` instead.
    Disk {
        root: PathBuf,
        odb: Option<gix::ThreadSafeRepository>,
    },
    /// Every file from the object database.
    Odb(gix::ThreadSafeRepository),
}

impl Content {
    pub(crate) fn reader(&self) -> Reader {
        match self {
            Content::Disk { root, odb } => Reader {
                root: Some(root.clone()),
                repo: odb.as_ref().map(|r| r.to_thread_local()),
                symlinked_dirs: HashMap::new(),
                spare: Vec::new(),
                pack_pages: PackPages::default(),
            },
            Content::Odb(repo) => Reader {
                root: None,
                repo: Some(with_delta_cache(repo.to_thread_local())),
                symlinked_dirs: HashMap::new(),
                spare: Vec::new(),
                pack_pages: PackPages::default(),
            },
        }
    }
}

/// How much of a file the scan needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Every byte (files that get line-counted or parsed).
    All,
    /// Only the size: the path alone decides everything else (known binary formats).
    Size,
    /// The first [`PREFIX_BYTES`] (enough for the binary and generated-marker tests); the
    /// rest can still be read from where the prefix stopped, see [`Partial`].
    Prefix,
}

/// How many bytes [`Want::Prefix`] reads: git's 8,000-byte binary test, rounded up.
pub const PREFIX_BYTES: usize = 8192;

/// Reading every blob of a tree resolves many deltas against the same bases; a
/// memory-capped cache of decoded bases (32 MiB per thread) saves most of that work.
fn with_delta_cache(mut repo: gix::Repository) -> gix::Repository {
    repo.objects
        .set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(32 << 20)));
    repo
}

/// What reading an entry gave.
pub enum Blob {
    /// The bytes, or their first part when only a prefix was wanted.
    Bytes(Vec<u8>, Partial),
    /// Bigger than the limit: only its size is known.
    TooLarge(u64),
    /// Not read, as asked ([`Want::Size`]): only its size is known.
    Unread(u64),
    /// A symlink and its target text; the target is never opened.
    Symlink(String),
    /// Could not be read, for this reason (with detail).
    Skipped(SkipReason, Option<String>),
}

/// Whether [`Blob::Bytes`] holds the whole file.
pub enum Partial {
    Complete,
    /// Only a prefix was read; the open file continues right after it.
    Rest {
        file: std::fs::File,
        size: u64,
    },
}

impl Partial {
    /// Reads the rest of the file onto `bytes`: the same single pass, continued.
    pub fn complete(self, bytes: &mut Vec<u8>) -> std::io::Result<()> {
        match self {
            Partial::Complete => Ok(()),
            Partial::Rest { mut file, .. } => file.read_to_end(bytes).map(|_| ()),
        }
    }

    /// The file's size, given the bytes read so far.
    pub fn size(&self, read: &[u8]) -> u64 {
        match self {
            Partial::Complete => read.len() as u64,
            Partial::Rest { size, .. } => *size,
        }
    }
}

/// A per-thread reader (see [`super::Snapshot::reader`]).
pub struct Reader {
    root: Option<PathBuf>,
    repo: Option<gix::Repository>,
    /// Memo of "is this directory a symlink on disk", so each directory costs one `lstat`.
    symlinked_dirs: HashMap<PathBuf, bool>,
    /// A buffer handed back by [`Reader::recycle`]: reusing it spares the page faults of a
    /// fresh allocation for every file.
    spare: Vec<u8>,
    /// The pack pages this thread's object reads have mapped, given back as it goes.
    pack_pages: PackPages,
}

impl Reader {
    /// Reads `entry`, or says why not. Submodules are never read.
    pub fn read(&mut self, entry: &Entry, max_bytes: u64, want: Want) -> Blob {
        match (&entry.kind, &self.root) {
            (EntryKind::Submodule { .. }, _) => Blob::Skipped(SkipReason::Submodule, None),
            (EntryKind::File { object: Some(id) }, _) | (EntryKind::Symlink { object: Some(id) }, None) => {
                let link = matches!(entry.kind, EntryKind::Symlink { .. });
                self.read_object(*id, link, max_bytes, want)
            }
            (EntryKind::Symlink { .. }, Some(root)) => {
                let root = root.clone();
                self.read_disk_symlink(&root, &entry.relative_path())
            }
            (EntryKind::File { object: None }, Some(root)) => {
                let root = root.clone();
                self.read_disk(&root, &entry.relative_path(), max_bytes, want)
            }
            (EntryKind::File { object: None }, None) | (EntryKind::Symlink { object: None }, None) => {
                Blob::Skipped(SkipReason::BlobMissing, None)
            }
        }
    }

    fn read_object(&mut self, id: gix::ObjectId, link: bool, max_bytes: u64, want: Want) -> Blob {
        let Some(repo) = &self.repo else {
            return Blob::Skipped(SkipReason::BlobMissing, None);
        };
        // The header gives the size without inflating the blob, so a huge blob costs nothing.
        let size = match repo.find_header(id) {
            Ok(header) => header.size(),
            Err(_) => return Blob::Skipped(SkipReason::BlobMissing, Some(id.to_string())),
        };
        if size > max_bytes && !link {
            return Blob::TooLarge(size);
        }
        if want == Want::Size && !link {
            return Blob::Unread(size);
        }
        match repo.find_object(id) {
            Ok(object) => {
                let data = object.detach().data;
                self.pack_pages.note_read(data.len());
                if link {
                    Blob::Symlink(String::from_utf8_lossy(&data).into_owned())
                } else {
                    Blob::Bytes(data, Partial::Complete)
                }
            }
            Err(_) => Blob::Skipped(SkipReason::BlobMissing, Some(id.to_string())),
        }
    }

    fn read_disk_symlink(&mut self, root: &Path, rel: &Path) -> Blob {
        if let Some(blob) = self.parent_symlink(root, rel) {
            return blob;
        }
        match std::fs::read_link(root.join(rel)) {
            Ok(target) => Blob::Symlink(target.to_string_lossy().into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Blob::Skipped(SkipReason::MissingFromWorktree, None),
            // The index says symlink but the disk has a file: report, never read through.
            Err(e) => Blob::Skipped(SkipReason::NotRegularFile, Some(e.to_string())),
        }
    }

    fn read_disk(&mut self, root: &Path, rel: &Path, max_bytes: u64, want: Want) -> Blob {
        if let Some(blob) = self.parent_symlink(root, rel) {
            return blob;
        }
        let path = root.join(rel);
        let mut file = match open_no_follow(&path) {
            Ok(file) => file,
            Err(e) => return self.open_error(&path, e),
        };
        let meta = match file.metadata() {
            Ok(meta) => meta,
            Err(e) => return Blob::Skipped(SkipReason::Unreadable, Some(e.to_string())),
        };
        if !meta.is_file() {
            return Blob::Skipped(SkipReason::NotRegularFile, None);
        }
        if meta.len() > max_bytes {
            return Blob::TooLarge(meta.len());
        }
        if want == Want::Size {
            return Blob::Unread(meta.len());
        }
        let result = match want {
            Want::Prefix if meta.len() > PREFIX_BYTES as u64 => {
                let mut bytes = self.buffer(PREFIX_BYTES);
                (&mut file)
                    .take(PREFIX_BYTES as u64)
                    .read_to_end(&mut bytes)
                    .map(|_| Blob::Bytes(bytes, Partial::Rest { file, size: meta.len() }))
            }
            _ => {
                let mut bytes = self.buffer(meta.len() as usize + 1);
                file.read_to_end(&mut bytes)
                    .map(|_| Blob::Bytes(bytes, Partial::Complete))
            }
        };
        result.unwrap_or_else(|e| Blob::Skipped(SkipReason::Unreadable, Some(e.to_string())))
    }

    /// An empty buffer with room for `capacity` bytes, the spare one when there is one.
    fn buffer(&mut self, capacity: usize) -> Vec<u8> {
        let mut bytes = std::mem::take(&mut self.spare);
        bytes.clear();
        bytes.reserve(capacity);
        bytes
    }

    /// Takes back the bytes of a file the scan is done with, for the next read. A buffer
    /// over 1 MiB is dropped, so a thread holds at most that much between files.
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        if bytes.capacity() <= 1 << 20 {
            self.spare = bytes;
        }
    }

    fn open_error(&self, path: &Path, e: std::io::Error) -> Blob {
        match e.kind() {
            std::io::ErrorKind::NotFound => Blob::Skipped(SkipReason::MissingFromWorktree, None),
            _ if is_symlink_error(&e) => match std::fs::read_link(path) {
                Ok(target) => Blob::Symlink(target.to_string_lossy().into_owned()),
                Err(e) => Blob::Skipped(SkipReason::Unreadable, Some(e.to_string())),
            },
            _ => Blob::Skipped(SkipReason::Unreadable, Some(e.to_string())),
        }
    }

    /// `Some` when a directory above `rel` is a symlink on disk: reading through it could
    /// leave the repository.
    fn parent_symlink(&mut self, root: &Path, rel: &Path) -> Option<Blob> {
        let parents: Vec<&Path> = rel.ancestors().skip(1).filter(|p| !p.as_os_str().is_empty()).collect();
        // From the top down, so the outermost linked directory is the one reported.
        for dir in parents.into_iter().rev() {
            let is_link = match self.symlinked_dirs.get(dir) {
                Some(known) => *known,
                None => {
                    let link = std::fs::symlink_metadata(root.join(dir))
                        .map(|m| m.file_type().is_symlink())
                        .unwrap_or(false);
                    self.symlinked_dirs.insert(dir.to_path_buf(), link);
                    link
                }
            };
            if is_link {
                return Some(Blob::Skipped(
                    SkipReason::ParentSymlink,
                    Some(dir.to_string_lossy().into_owned()),
                ));
            }
        }
        None
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("symlink"));
    }
    std::fs::File::open(path)
}

/// `O_NOFOLLOW` on a symlink fails with `ELOOP`.
#[cfg(unix)]
fn is_symlink_error(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_symlink_error(e: &std::io::Error) -> bool {
    e.to_string() == "symlink"
}
