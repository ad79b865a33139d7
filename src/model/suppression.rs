//! Inline suppressions: the `plumb: ignore[rule-id]` comments of the snapshot's files,
//! found in the scan's one pass over each file's bytes and kept for the findings judged
//! after it (import cycles, god modules...), which have no file text to read them from.
//! Not written to `audit.json`: each finding says whether it is suppressed.

/// One file's `plumb: ignore[...]` comments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileSuppressions {
    pub path: String,
    /// The rule ids each comment names, by 1-based line, in line order.
    pub lines: Vec<(usize, Vec<String>)>,
}

/// Every file's comments, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct InlineSuppressions {
    files: Vec<FileSuppressions>,
}

impl InlineSuppressions {
    pub fn new(mut files: Vec<FileSuppressions>) -> InlineSuppressions {
        files.sort();
        InlineSuppressions { files }
    }

    /// Whether `rule` is silenced at 1-based `line` of `path`.
    pub fn suppressed(&self, path: &str, rule: &str, line: usize) -> bool {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .is_ok_and(|i| silenced(&self.files[i].lines, rule, line))
    }
}

/// Whether a comment naming `rule` sits on 1-based `line` or on the line above: the one
/// rule for every finding, whether judged during the scan or after it. `comments` is in
/// line order.
pub fn silenced<S: AsRef<str>>(comments: &[(usize, Vec<S>)], rule: &str, line: usize) -> bool {
    [line.wrapping_sub(1), line].iter().any(|l| {
        comments
            .binary_search_by_key(l, |(at, _)| *at)
            .is_ok_and(|i| comments[i].1.iter().any(|id| id.as_ref() == rule))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_silences_its_line_and_the_next_in_its_file_only() {
        let suppressions = InlineSuppressions::new(vec![
            FileSuppressions {
                path: "b.py".into(),
                lines: vec![(3, vec!["import-cycle".into(), "god-module".into()])],
            },
            FileSuppressions {
                path: "a.py".into(),
                lines: vec![(1, vec!["oversized-file".into()])],
            },
        ]);
        assert!(suppressions.suppressed("a.py", "oversized-file", 1));
        assert!(suppressions.suppressed("b.py", "import-cycle", 3));
        assert!(suppressions.suppressed("b.py", "god-module", 4));
        assert!(!suppressions.suppressed("b.py", "import-cycle", 5));
        assert!(!suppressions.suppressed("b.py", "oversized-file", 3));
        assert!(!suppressions.suppressed("c.py", "import-cycle", 3));
    }
}
