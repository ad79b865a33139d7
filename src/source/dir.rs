//! Plain directories (not inside any git repository): walked with `.gitignore` rules,
//! hidden files included, symlinks listed but never followed.

use std::path::Path;

use crate::error::UserError;
use crate::model::{NameSource, SnapshotKind};

use super::read::Content;
use super::{folder_name, Entry, EntryKind, Snapshot};

/// An entry for a path below the root, keeping the name's bytes where they are not UTF-8.
fn relative_entry(relative: &Path, kind: EntryKind) -> Entry {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Entry::new(relative.as_os_str().as_bytes(), kind, true)
    }
    #[cfg(not(unix))]
    {
        Entry::new(relative.to_string_lossy().replace('\\', "/").as_bytes(), kind, true)
    }
}

pub(super) fn open(root: &Path) -> Result<Snapshot, UserError> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .parents(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    let mut entries = Vec::new();
    for item in walker {
        // An unreadable subdirectory is left out of the walk; the root itself was checked.
        let Ok(item) = item else { continue };
        let Some(file_type) = item.file_type() else { continue };
        let kind = if file_type.is_symlink() {
            EntryKind::Symlink { object: None }
        } else if file_type.is_file() {
            EntryKind::File { object: None }
        } else {
            continue;
        };
        let Ok(relative) = item.path().strip_prefix(root) else {
            continue;
        };
        entries.push(relative_entry(relative, kind));
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Snapshot {
        kind: SnapshotKind::PlainDirectory,
        root_name: folder_name(root),
        name_source: NameSource::Folder,
        worktree: Some(root.to_path_buf()),
        requested_revision: None,
        commit: None,
        entries,
        repo: None,
        content: Content::Disk {
            root: root.to_path_buf(),
            odb: None,
        },
        status_repo: None,
    })
}
