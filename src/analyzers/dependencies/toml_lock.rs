//! TOML lockfiles (`Cargo.lock`, `uv.lock`, `poetry.lock`, `pdm.lock`) read one
//! `[[package]]` table at a time ([`crate::analyzers::toml_tables`]): a tree of a whole
//! lockfile of small packages took some 40 bytes a byte (94 MB for a 2 MB `Cargo.lock` of
//! 40,000 packages).

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::ParseError;
use crate::analyzers::toml_tables;

/// Hands every `[[package]]` table of `text`, in file order, to `each`; stops at the first
/// that does not parse, with where it is in `text`.
pub fn each_package<P: DeserializeOwned>(text: &str, mut each: impl FnMut(P)) -> Result<(), ParseError> {
    #[derive(Deserialize)]
    struct Document<P> {
        #[serde(default = "Vec::new")]
        package: Vec<P>,
    }
    for (start, chunk) in toml_tables::documents(text, "package") {
        let document: Document<P> = toml::from_str(chunk).map_err(|e| {
            let at = e.span().map_or(start, |span| start + span.start);
            ParseError::at_offset(text, Some(at), e.message().to_string())
        })?;
        document.package.into_iter().for_each(&mut each);
    }
    Ok(())
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
}
