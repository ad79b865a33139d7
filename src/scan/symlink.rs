//! Where a symlink points, decided from the snapshot's own path list: lexically, without
//! ever asking the file system to follow it, so a link to `/etc/passwd` or `../../x` is
//! reported and never opened.

use std::collections::{HashMap, HashSet};

use crate::model::SkipReason;

/// The snapshot's paths: files (with symlink targets) and every directory above them.
pub struct PathIndex<'a> {
    files: HashSet<&'a str>,
    links: HashMap<&'a str, &'a str>,
    dirs: HashSet<&'a str>,
}

/// How many links a chain may pass through before it is called a loop (Linux's limit).
const MAX_HOPS: usize = 40;

impl<'a> PathIndex<'a> {
    pub fn new(paths: impl Iterator<Item = &'a str>, links: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut files = HashSet::new();
        let mut dirs = HashSet::new();
        for path in paths {
            files.insert(path);
            let mut rest = path;
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                rest = parent;
            }
        }
        PathIndex {
            files,
            links: links.collect(),
            dirs,
        }
    }

    /// Classifies the link at `path` whose target text is `target`.
    pub fn classify(&self, path: &str, target: &str) -> SkipReason {
        if target.starts_with('/') || target.is_empty() {
            return SkipReason::SymlinkOutside;
        }
        let mut current: Vec<String> = path.split('/').map(str::to_string).collect();
        current.pop();
        let mut pending: Vec<String> = components_reversed(target);
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "" | "." => {}
                ".." => {
                    if current.pop().is_none() {
                        return SkipReason::SymlinkOutside;
                    }
                }
                name => {
                    current.push(name.to_string());
                    let joined = current.join("/");
                    if let Some(next) = self.links.get(joined.as_str()) {
                        hops += 1;
                        if hops > MAX_HOPS {
                            return SkipReason::SymlinkLoop;
                        }
                        if next.starts_with('/') {
                            return SkipReason::SymlinkOutside;
                        }
                        current.pop();
                        pending.extend(components_reversed(next));
                    } else if self.files.contains(joined.as_str()) {
                        if !pending.iter().all(|p| p.is_empty() || p == ".") {
                            return SkipReason::SymlinkBroken; // descends into a file
                        }
                    } else if !self.dirs.contains(joined.as_str()) {
                        return SkipReason::SymlinkBroken;
                    }
                }
            }
        }
        SkipReason::SymlinkInside
    }
}

fn components_reversed(target: &str) -> Vec<String> {
    target.split('/').rev().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_resolved_within_the_snapshot() {
        let files = ["a/file.txt", "a/up", "a/self", "b/ping", "b/pong", "a/dirlink", "a/bad"];
        let links = [
            ("a/up", "../../outside"),
            ("a/self", "self"),
            ("b/ping", "pong"),
            ("b/pong", "ping"),
            ("a/dirlink", "../b"),
            ("a/bad", "nothing/here"),
        ];
        let index = PathIndex::new(files.into_iter(), links.into_iter());
        assert_eq!(index.classify("a/ok", "file.txt"), SkipReason::SymlinkInside);
        assert_eq!(index.classify("a/up", "../../outside"), SkipReason::SymlinkOutside);
        assert_eq!(index.classify("x", "/etc/passwd"), SkipReason::SymlinkOutside);
        assert_eq!(index.classify("a/self", "self"), SkipReason::SymlinkLoop);
        assert_eq!(index.classify("b/ping", "pong"), SkipReason::SymlinkLoop);
        assert_eq!(index.classify("c", "a/dirlink/pong"), SkipReason::SymlinkLoop);
        assert_eq!(index.classify("a/bad", "nothing/here"), SkipReason::SymlinkBroken);
        assert_eq!(index.classify("c", "a/dirlink"), SkipReason::SymlinkInside);
        assert_eq!(index.classify("c", "a/file.txt/x"), SkipReason::SymlinkBroken);
    }
}
