//! Well-known single-file libraries: projects distributed as one file that repositories
//! copy in whole. A file is one when its name matches and its header (first
//! [`super::holder::HEADER_BYTES`]) holds the library's marker, so that a repository's own
//! `json.hpp` is not taken for nlohmann's. The version is the first version-like word
//! after the version marker in the header, when there is one.

/// One library: file-name test, marker the header must hold, and the text after which
/// its header states the version.
struct Known {
    name: &'static str,
    file: fn(&str) -> bool,
    marker: &'static str,
    version_after: &'static [&'static str],
}

const KNOWN: &[Known] = &[
    Known {
        name: "OpenCL C++ bindings (Khronos)",
        file: |f| matches!(f, "cl.hpp" | "cl2.hpp" | "opencl.hpp"),
        marker: "Khronos",
        version_after: &["Version ", "version "],
    },
    Known {
        name: "nlohmann/json",
        file: |f| f == "json.hpp" || f == "json_fwd.hpp",
        marker: "nlohmann",
        version_after: &["version "],
    },
    Known {
        name: "Catch",
        file: |f| matches!(f, "catch.hpp" | "catch_amalgamated.hpp" | "catch_amalgamated.cpp"),
        marker: "Catch",
        version_after: &["Catch v", "Catch2 v"],
    },
    Known {
        name: "doctest",
        file: |f| f == "doctest.h",
        marker: "doctest",
        version_after: &["DOCTEST_VERSION_STR \"", "version "],
    },
    Known {
        name: "stb",
        file: |f| f.starts_with("stb_") && f.ends_with(".h"),
        marker: "stb",
        version_after: &[" - v", " v"],
    },
    Known {
        name: "SQLite",
        file: |f| matches!(f, "sqlite3.c" | "sqlite3.h" | "sqlite3ext.h"),
        marker: "SQLite",
        version_after: &["SQLite version ", "version "],
    },
];

/// A version as stated: the value, its 1-based line and column.
pub type Stated = (String, usize, usize);

/// Whether `file_name` is the name of a known library (its header still has to say so).
pub fn could_be(file_name: &str) -> bool {
    KNOWN.iter().any(|k| (k.file)(file_name))
}

/// The library `file_name` with this `header` is, and the version the header states with
/// its 1-based line and column.
pub fn known_library(file_name: &str, header: &str) -> Option<(&'static str, Option<Stated>)> {
    let known = KNOWN
        .iter()
        .find(|k| (k.file)(file_name) && header.contains(k.marker))?;
    let version = known
        .version_after
        .iter()
        .find_map(|after| version_after(header, after));
    Some((known.name, version))
}

fn version_after(header: &str, after: &str) -> Option<Stated> {
    header.lines().enumerate().find_map(|(index, line)| {
        let at = line.find(after)? + after.len();
        let word: String = line[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        let word = word.trim_end_matches('.');
        let plausible = word.starts_with(|c: char| c.is_ascii_digit()) && word.contains('.');
        plausible.then(|| (word.to_string(), index + 1, line[..at].chars().count() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_files_and_their_versions() {
        let json = "/*\n    __ _____ _____ _____\n |  |   |  |   |  | JSON for Modern C++\n |  |  |__   |  |   | | | |  version 3.11.3\n https://github.com/nlohmann/json\n*/\n";
        assert_eq!(
            known_library("json.hpp", json),
            Some(("nlohmann/json", Some(("3.11.3".to_string(), 4, 38))))
        );
        assert_eq!(known_library("json.hpp", "// our own JSON helpers\n"), None);
        let stb = "/* stb_image - v2.28 - public domain image loader - http://nothings.org/stb\n";
        assert_eq!(
            known_library("stb_image.h", stb).and_then(|(_, v)| v).map(|v| v.0),
            Some("2.28".to_string())
        );
        let sqlite = "/***\n** This file is an amalgamation of many separate C source files from SQLite\n** version 3.45.1.  By combining all the individual C code files into this\n";
        assert_eq!(
            known_library("sqlite3.c", sqlite).and_then(|(_, v)| v).map(|v| v.0),
            Some("3.45.1".to_string())
        );
        assert_eq!(
            known_library("catch.hpp", "/*\n *  Catch v2.13.10\n").map(|k| k.0),
            Some("Catch")
        );
    }
}
