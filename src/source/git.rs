//! Snapshots of git repositories, through gix: the index with the work tree, or a
//! commit's tree straight from the object database. Also the repository facts.

use gix::bstr::{BStr, ByteSlice};
use gix::remote::Direction;

use crate::error::UserError;
use crate::model::{
    redact_url, CommitFacts, NameSource, PathSample, Remote, RepositoryFacts, SnapshotKind, Upstream, WorktreeStatus,
};

use super::read::Content;
use super::{folder_name, Entry, EntryKind, Snapshot, WorktreeScan};

pub(super) fn open(repo: gix::Repository, rev: Option<&str>) -> Result<Snapshot, UserError> {
    let bare = repo.workdir().is_none();
    let head_id = repo.head_id().ok().map(|id| id.detach());
    let mut facts = repository_facts(&repo, head_id);
    facts.bare = bare;
    let (root_name, name_source) = match name_from_remote(&repo) {
        Some(name) => (name, NameSource::Remote),
        None => (
            folder_name(repo.workdir().unwrap_or_else(|| repo.git_dir())),
            NameSource::Folder,
        ),
    };
    let sync = repo.clone().into_sync();

    match (rev, repo.workdir()) {
        (None, Some(workdir)) => {
            let workdir = workdir.to_path_buf();
            let (entries, skip_worktree) = index_entries(&repo, &workdir)?;
            Ok(Snapshot {
                kind: SnapshotKind::WorkTree,
                root_name,
                name_source,
                worktree: Some(workdir.clone()),
                requested_revision: None,
                commit: head_id.map(|id| id.to_string()),
                entries,
                repo: Some(facts),
                content: Content::Disk {
                    root: workdir,
                    odb: skip_worktree.then(|| sync.clone()),
                },
                status_repo: Some(sync),
            })
        }
        _ => {
            // A bare repository without --rev is audited at HEAD; an unborn HEAD there
            // is an empty snapshot, not an error.
            let commit = match rev {
                Some(rev) => Some(resolve_commit(&repo, rev)?),
                None => head_id,
            };
            let entries = match commit {
                Some(id) => tree_entries(&repo, id)?,
                None => Vec::new(),
            };
            if let (Some(id), Some(_)) = (commit, rev) {
                facts.audited_commit = commit_facts(&repo, id);
            }
            Ok(Snapshot {
                kind: SnapshotKind::Revision,
                root_name,
                name_source,
                worktree: repo.workdir().map(|p| p.to_path_buf()),
                requested_revision: rev.map(str::to_string),
                commit: commit.map(|id| id.to_string()),
                entries,
                repo: Some(facts),
                content: Content::Odb(sync),
                status_repo: None,
            })
        }
    }
}

fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId, UserError> {
    // In a shallow clone, `HEAD~1` and older commits are simply not there: say so, or the
    // user looks for a typo.
    let unknown = || {
        match repo.is_shallow().unwrap_or(false) {
        true => UserError::UnknownRevision(format!(
            "{rev} (this is a shallow clone: history beyond its depth was not fetched; `git fetch --unshallow` fetches it)"
        )),
        false => UserError::UnknownRevision(rev.to_string()),
    }
    };
    let object = repo
        .rev_parse_single(rev)
        .map_err(|_| unknown())?
        .object()
        .map_err(|_| unknown())?;
    let commit = object
        .peel_to_commit()
        .map_err(|_| UserError::UnknownRevision(format!("{rev} (does not name a commit)")))?;
    Ok(commit.id)
}

/// Every entry of the commit's tree, like `git ls-tree -r`: files, symlinks, gitlinks.
fn tree_entries(repo: &gix::Repository, commit: gix::ObjectId) -> Result<Vec<Entry>, UserError> {
    let fail = |e: String| UserError::Repository(repo.git_dir().to_path_buf(), e);
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| fail(e.to_string()))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| fail(format!("reading the tree of {commit}: {e}")))?;
    let mut entries: Vec<Entry> = recorder
        .records
        .into_iter()
        .filter_map(|record| {
            use gix::object::tree::EntryKind as Kind;
            let kind = match record.mode.kind() {
                Kind::Tree => return None,
                Kind::Blob | Kind::BlobExecutable => EntryKind::File {
                    object: Some(record.oid),
                },
                Kind::Link => EntryKind::Symlink {
                    object: Some(record.oid),
                },
                Kind::Commit => EntryKind::Submodule {
                    commit: record.oid,
                    checked_out: None,
                },
            };
            Some(Entry::new(&record.filepath, kind, true))
        })
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// The index's entries (one per path, whatever its stage). The flag says whether any
/// entry is skip-worktree (sparse checkout), whose bytes then come from the object database.
fn index_entries(repo: &gix::Repository, workdir: &std::path::Path) -> Result<(Vec<Entry>, bool), UserError> {
    use gix::index::entry::{Flags, Mode};
    let index = repo
        .index_or_empty()
        .map_err(|e| UserError::Repository(repo.git_dir().to_path_buf(), e.to_string()))?;
    let mut entries: Vec<Entry> = Vec::with_capacity(index.entries().len());
    let mut skip_worktree = false;
    for entry in index.entries() {
        let raw = entry.path(&index);
        let path = raw.to_str_lossy();
        if entries.last().is_some_and(|last: &Entry| last.path == path) {
            continue; // conflict stages of the same path
        }
        let sparse = entry.flags.contains(Flags::SKIP_WORKTREE);
        skip_worktree |= sparse;
        let object = sparse.then_some(entry.id);
        let kind = if entry.mode == Mode::COMMIT {
            EntryKind::Submodule {
                commit: entry.id,
                checked_out: Some(workdir.join(path.as_ref()).join(".git").exists()),
            }
        } else if entry.mode == Mode::SYMLINK {
            EntryKind::Symlink { object }
        } else if entry.mode == Mode::DIR {
            continue; // a sparse-index directory: its files are not listed
        } else {
            EntryKind::File { object }
        };
        entries.push(Entry::new(raw, kind, true));
    }
    Ok((entries, skip_worktree))
}

/// `git status` as counts and samples, plus the untracked, not ignored files.
/// A status that cannot be computed leaves the counts empty rather than stopping the audit.
pub(super) fn worktree_status(repo: &gix::Repository) -> WorktreeScan {
    let (mut staged, mut modified, mut deleted) = (vec![], vec![], vec![]);
    let mut untracked_raw: Vec<Vec<u8>> = Vec::new();
    let mut index_worktree = |change: &gix::status::index_worktree::Item| {
        use gix::status::index_worktree::iter::Summary;
        let path = lossy(change.rela_path());
        match change.summary() {
            Some(Summary::Added) => untracked_raw.push(change.rela_path().to_vec()),
            Some(Summary::Removed) => deleted.push(path),
            Some(Summary::IntentToAdd) => staged.push(path),
            Some(_) => modified.push(path),
            None => {}
        }
    };
    let platform = repo.status(gix::progress::Discard).map(|status| {
        status
            .untracked_files(gix::status::UntrackedFiles::Files)
            .index_worktree_submodules(None)
    });
    match (platform, index_matches_head(repo)) {
        (Ok(platform), true) => {
            if let Ok(iter) = platform.into_index_worktree_iter(None) {
                iter.flatten().for_each(|item| index_worktree(&item));
            }
        }
        (Ok(platform), false) => {
            let mut head_index = Vec::new();
            if let Ok(iter) = platform.into_iter(None) {
                for item in iter.flatten() {
                    match &item {
                        gix::status::Item::TreeIndex(change) => head_index.push(lossy(change.location())),
                        gix::status::Item::IndexWorktree(change) => index_worktree(change),
                    }
                }
            }
            staged.extend(head_index);
        }
        (Err(_), _) => {}
    }
    untracked_raw.sort();
    let untracked: Vec<Entry> = untracked_raw
        .iter()
        .map(|raw| Entry::new(raw, EntryKind::File { object: None }, false))
        .collect();
    let status = WorktreeStatus {
        staged: PathSample::from_sorted(staged),
        modified: PathSample::from_sorted(modified),
        deleted: PathSample::from_sorted(deleted),
        untracked: PathSample::from_sorted(untracked.iter().map(|e| e.path.clone()).collect()),
    };
    WorktreeScan { status, untracked }
}

/// Whether the index holds exactly HEAD's tree, read from its cache-tree extension: a
/// valid root entry whose id is HEAD's tree proves it without building an index from
/// HEAD and comparing every path (`git` takes the same shortcut). Saves 15 ms of the
/// executorch audit and 70 ms of Linux's.
fn index_matches_head(repo: &gix::Repository) -> bool {
    let (Ok(index), Ok(head_tree)) = (repo.index_or_empty(), repo.head_tree_id_or_empty()) else {
        return false;
    };
    index
        .tree()
        .is_some_and(|root| root.num_entries.is_some() && root.id == head_tree.detach())
}

fn lossy(path: &BStr) -> String {
    path.to_str_lossy().into_owned()
}

fn repository_facts(repo: &gix::Repository, head: Option<gix::ObjectId>) -> RepositoryFacts {
    let head_name = repo.head_name().ok().flatten();
    RepositoryFacts {
        bare: false,
        shallow: repo.is_shallow().unwrap_or(false),
        branch: head_name
            .as_ref()
            .map(|name| name.shorten().to_str_lossy().into_owned()),
        upstream: head_name
            .as_ref()
            .zip(head)
            .and_then(|(name, id)| upstream(repo, name, id)),
        head: head.and_then(|id| commit_facts(repo, id)),
        audited_commit: None,
        remotes: remotes(repo),
        status: None,
        submodules: Vec::new(),
    }
}

fn upstream(repo: &gix::Repository, branch: &gix::refs::FullName, head: gix::ObjectId) -> Option<Upstream> {
    let tracking = repo
        .branch_remote_tracking_ref_name(branch.as_ref(), Direction::Fetch)?
        .ok()?;
    let name = tracking.shorten().to_str_lossy().into_owned();
    let tip = repo
        .try_find_reference(tracking.as_ref())
        .ok()
        .flatten()
        .and_then(|mut r| r.peel_to_id().ok())
        .map(|id| id.detach());
    let count = |from: gix::ObjectId, hidden: gix::ObjectId| {
        repo.rev_walk([from])
            .with_hidden([hidden])
            .all()
            .ok()
            .map(|walk| walk.filter(Result::is_ok).count())
    };
    Some(Upstream {
        name,
        ahead: tip.and_then(|tip| count(head, tip)),
        behind: tip.and_then(|tip| count(tip, head)),
    })
}

pub(crate) fn commit_facts(repo: &gix::Repository, id: gix::ObjectId) -> Option<CommitFacts> {
    let commit = repo.find_commit(id).ok()?;
    let author = commit.author().ok()?;
    let date = author
        .time()
        .ok()
        .map(|t| t.format_or_unix(gix::date::time::format::ISO8601_STRICT))
        .unwrap_or_default();
    let subject = commit
        .message()
        .map(|m| m.summary().to_str_lossy().into_owned())
        .unwrap_or_default();
    Some(CommitFacts {
        sha: id.to_string(),
        author: author.name.trim().to_str_lossy().into_owned(),
        author_email: author.email.trim().to_str_lossy().into_owned(),
        date,
        subject,
    })
}

/// The repository's name from its remote, `origin` or else the only one: the path of the
/// fetch URL without `.git` (`git@github.com:owner/name.git` and
/// `https://github.com/owner/name` both give `owner/name`). Two clones in folders of
/// different names then give the same pack.
fn name_from_remote(repo: &gix::Repository) -> Option<String> {
    let names = repo.remote_names();
    let chosen = match names.iter().find(|name| name.as_bstr() == "origin") {
        Some(origin) => origin,
        None if names.len() == 1 => names.iter().next()?,
        None => return None,
    };
    let remote = repo.find_remote(chosen.as_bstr()).ok()?;
    name_from_url(remote.url(Direction::Fetch)?)
}

/// `owner/name` from a remote URL with a host. A URL without one (a local path,
/// `file://`) names a folder of this machine, not a repository: `None`. Only the path is
/// read, so credentials in the URL never reach the name.
fn name_from_url(url: &gix::Url) -> Option<String> {
    url.host()?;
    let path = url.path.to_str_lossy();
    let path = path.trim_matches('/');
    let name = path.strip_suffix(".git").unwrap_or(path).trim_end_matches('/');
    (!name.is_empty()).then(|| name.to_string())
}

fn remotes(repo: &gix::Repository) -> Vec<Remote> {
    let mut remotes: Vec<Remote> = repo
        .remote_names()
        .iter()
        .filter_map(|name| {
            let remote = repo.find_remote(name.as_bstr()).ok()?;
            let url = |direction| {
                remote
                    .url(direction)
                    .map(|u| redact_url(&u.to_bstring().to_str_lossy()))
            };
            Some(Remote {
                name: name.to_str_lossy().into_owned(),
                fetch_url: url(Direction::Fetch),
                push_url: url(Direction::Push),
            })
        })
        .collect();
    remotes.sort();
    remotes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(url: &str) -> Option<String> {
        name_from_url(&gix::Url::from_bytes(url.into()).expect("a valid URL"))
    }

    #[test]
    fn a_remote_url_names_the_repository_by_its_path() {
        let expected = Some("owner/name".to_string());
        assert_eq!(name("git@github.com:owner/name.git"), expected);
        assert_eq!(name("https://github.com/owner/name.git"), expected);
        assert_eq!(name("https://github.com/owner/name/"), expected);
        assert_eq!(name("https://ghp_token@github.com/owner/name"), expected);
        assert_eq!(name("ssh://git@host:2222/owner/name.git"), expected);
        assert_eq!(
            name("https://gitlab.com/group/sub/name.git").as_deref(),
            Some("group/sub/name")
        );
    }

    #[test]
    fn a_local_remote_gives_no_name() {
        assert_eq!(name("/home/someone/src/name"), None);
        assert_eq!(name("file:///home/someone/src/name.git"), None);
        assert_eq!(name("https://github.com/"), None);
    }
}
