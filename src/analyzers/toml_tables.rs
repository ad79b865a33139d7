//! A TOML file of many `[[name]]` tables read one table at a time.
//!
//! The toml parser holds the whole document it parses, with a span for every key and
//! value: some 30 to 40 bytes for each byte of a file of small tables (a 10 MB baseline of
//! 110,000 entries took 314 MB). Each line that starts a `[[name]]` table starts a
//! document of its own here, so the parser holds one table at a time; a table below it
//! (`[name.sub]`, `[metadata]` at the end) stays in its document. A multi-line string
//! holding a line that reads `[[name]]` would be split there, and its document then does
//! not parse: files read this way are written by tools (lockfiles, `plumb baseline`).

/// The documents of `text` with their byte offsets: a new one at each line, after the
/// first, whose first token is the `[[name]]` header.
pub fn documents<'t>(text: &'t str, name: &'static str) -> impl Iterator<Item = (usize, &'t str)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i + 1);
        let mut end = first_line_end;
        while end < text.len() {
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            if is_header(&text[end..line_end], name) {
                break;
            }
            end = line_end;
        }
        let document = (start, &text[start..end]);
        start = end;
        Some(document)
    })
}

/// `[[name]]`, maybe indented, maybe followed by a comment.
pub fn is_header(line: &str, name: &str) -> bool {
    line.trim_start()
        .strip_prefix("[[")
        .and_then(|rest| rest.strip_prefix(name))
        .and_then(|rest| rest.strip_prefix("]]"))
        .is_some_and(|rest| matches!(rest.trim_start().chars().next(), None | Some('#')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_per_table_the_head_apart() {
        let text = "version = 3\n[[package]]\nname = \"b\"\n[package.meta]\nk = 1\n  [[package]] # x\nname = \"a\"\n[[package.wheels]]\n";
        let starts: Vec<(usize, &str)> = documents(text, "package").collect();
        assert_eq!(
            starts,
            [
                (0, "version = 3\n"),
                (12, "[[package]]\nname = \"b\"\n[package.meta]\nk = 1\n"),
                (56, "  [[package]] # x\nname = \"a\"\n[[package.wheels]]\n"),
            ]
        );
        assert_eq!(documents("", "package").count(), 0);
        assert_eq!(
            documents("[[package]]", "package").collect::<Vec<_>>(),
            [(0, "[[package]]")]
        );
    }

    #[test]
    fn headers_of_sub_tables_do_not_split() {
        assert!(is_header("[[package]]\n", "package"));
        assert!(is_header("  [[package]]  # x\n", "package"));
        assert!(!is_header("[[package.wheels]]\n", "package"));
        assert!(!is_header("[[package]]x\n", "package"));
        assert!(!is_header("\"[[package]]\"\n", "package"));
    }
}
