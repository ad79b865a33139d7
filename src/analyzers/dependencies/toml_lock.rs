//! TOML lockfiles (`Cargo.lock`, `uv.lock`, `poetry.lock`, `pdm.lock`) read one
//! `[[package]]` table at a time.
//!
//! The toml parser holds the whole document it parses, with a span for every key and
//! value: some 40 bytes for each byte of a lockfile of small packages (94 MB for a 2 MB
//! `Cargo.lock` of 40,000 packages). Each line that starts a `[[package]]` table starts a
//! document of its own here, so the parser holds one package at a time; a table below it
//! (`[package.metadata]`, `[metadata]` at the end) stays in its document. Lockfile tools
//! write no multi-line strings: a line of one that reads `[[package]]` would split it,
//! and the file is reported as not parsing, at that string.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::ParseError;

/// Hands every `[[package]]` table of `text`, in file order, to `each`; stops at the first
/// that does not parse, with where it is in `text`.
pub fn each_package<P: DeserializeOwned>(text: &str, mut each: impl FnMut(P)) -> Result<(), ParseError> {
    #[derive(Deserialize)]
    struct Document<P> {
        #[serde(default = "Vec::new")]
        package: Vec<P>,
    }
    for (start, chunk) in documents(text) {
        let document: Document<P> = toml::from_str(chunk).map_err(|e| {
            let at = e.span().map_or(start, |span| start + span.start);
            ParseError::at_offset(text, Some(at), e.message().to_string())
        })?;
        document.package.into_iter().for_each(&mut each);
    }
    Ok(())
}

/// The documents of `text` with their byte offsets: a new one at each line whose first
/// token is the `[[package]]` header.
fn documents(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && is_package_header(line) {
            starts.push(offset);
        }
        offset += line.len();
    }
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([text.len()]).collect();
    starts
        .into_iter()
        .zip(ends)
        .map(move |(start, end)| (start, &text[start..end]))
}

/// `[[package]]`, maybe indented, maybe followed by a comment.
fn is_package_header(line: &str) -> bool {
    line.trim_start()
        .strip_prefix("[[package]]")
        .is_some_and(|rest| matches!(rest.trim_start().chars().next(), None | Some('#')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Package {
        name: String,
        #[serde(default)]
        extra: Vec<String>,
        meta: Option<toml::Table>,
    }

    fn names(text: &str) -> Result<Vec<String>, ParseError> {
        let mut names = Vec::new();
        each_package(text, |p: Package| {
            names.push(format!("{}{:?}{}", p.name, p.extra, p.meta.map_or(0, |m| m.len())))
        })?;
        Ok(names)
    }

    #[test]
    fn every_package_with_its_own_tables_in_file_order() {
        let text = "version = 3\n\n[[package]]\nname = \"b\"\n\n[package.meta]\nk = 1\n\n  [[package]] # indented\nname = \"a\"\nextra = [\n  \"x\",\n]\n\n[metadata]\nchecksum = \"c\"\n";
        assert_eq!(names(text).expect("parses"), ["b[]1", "a[\"x\"]0"]);
        assert_eq!(names("# nothing locked\n").expect("parses"), Vec::<String>::new());
    }

    #[test]
    fn an_error_is_placed_in_the_whole_text() {
        let text = "[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nname = \"c\"\n";
        let error = names(text).expect_err("a duplicate key");
        assert_eq!((error.line, error.column), (6, 1), "{}", error.message);
    }

    #[test]
    fn headers_of_sub_tables_do_not_split() {
        assert!(is_package_header("[[package]]\n"));
        assert!(is_package_header("  [[package]]  # x\n"));
        assert!(!is_package_header("[[package.wheels]]\n"));
        assert!(!is_package_header("[[package]]x\n"));
        assert!(!is_package_header("\"[[package]]\"\n"));
    }
}
