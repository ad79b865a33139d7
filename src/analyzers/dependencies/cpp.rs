//! C and C++: Conan (`conanfile.txt`, `conanfile.py`), vcpkg (`vcpkg.json`) and the
//! sources CMake fetches itself (`FetchContent_Declare`, `ExternalProject_Add`).

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use crate::model::{DependencyScope, Ecosystem, PinClass};

use super::js::JsonSection;
use super::{is_commit_sha, Declaration, Declared, ParseError, Parsed};

/// The rule for Conan references (`name/version@user/channel#revision`): a recipe
/// revision is hash-pinned; a version range `[...]` is bounded with `<` or `~`/`^`,
/// lower-bound with `>` alone, unpinned for `[*]`; a plain version is exact.
fn conan_pin(version: &str) -> PinClass {
    if version.contains('#') {
        return PinClass::HashPinned;
    }
    let Some(range) = version.strip_prefix('[') else {
        return PinClass::Exact;
    };
    if range.contains('<') || range.starts_with(['~', '^']) {
        PinClass::Bounded
    } else if range.contains('>') {
        PinClass::LowerBound
    } else if range.starts_with('*') {
        PinClass::Unpinned
    } else {
        PinClass::Exact
    }
}

fn conan_declaration(reference: &str, scope: DependencyScope) -> Option<Declaration> {
    let (name, version) = reference.split_once('/')?;
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.+-".contains(&b));
    valid.then(|| Declaration {
        name: name.to_string(),
        specifier: version.to_string(),
        scope,
        group: None,
        pin: conan_pin(version),
    })
}

fn conan_scope(section: &str) -> Option<DependencyScope> {
    match section {
        "requires" => Some(DependencyScope::Runtime),
        "tool_requires" | "build_requires" => Some(DependencyScope::Build),
        "test_requires" => Some(DependencyScope::Dev),
        _ => None,
    }
}

pub fn conanfile_txt(path: &str, text: &str) -> Parsed {
    let mut declared = Declared::new(path, text);
    let mut scope = None;
    for (index, raw) in text.lines().enumerate() {
        // `#` also separates a recipe revision, so only whole-line comments are comments.
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            scope = conan_scope(section);
        } else if let Some(declaration) = scope.and_then(|s| conan_declaration(line, s)) {
            declared.add(index + 1, declaration);
        }
    }
    Parsed::Manifest(declared.into_manifest(Ecosystem::Conan, "conanfile.txt", text))
}

/// `requires = "a/1.0"` or a tuple/list of them, and `self.requires("a/1.0")` (and the
/// tool/test variants): the quoted references on those lines, and on the following lines
/// while a bracket stays open. Python is not evaluated: computed references are missed.
pub fn conanfile_py(path: &str, text: &str) -> Parsed {
    let mut declared = Declared::new(path, text);
    let mut open: Option<DependencyScope> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let scope = open.or_else(|| py_requires_scope(line));
        let Some(scope) = scope else { continue };
        for reference in line.split(['"', '\'']).skip(1).step_by(2) {
            if let Some(declaration) = conan_declaration(reference, scope) {
                declared.add(index + 1, declaration);
            }
        }
        let depth = line.matches(['(', '[']).count() as i64 - line.matches([')', ']']).count() as i64;
        open = match (open, depth) {
            (Some(s), d) if d >= 0 => Some(s),
            (None, d) if d > 0 => Some(scope),
            _ => None,
        };
    }
    if declared.dependencies.is_empty() {
        return Parsed::Nothing;
    }
    Parsed::Manifest(declared.into_manifest(Ecosystem::Conan, "conanfile.py", text))
}

fn py_requires_scope(line: &str) -> Option<DependencyScope> {
    let trimmed = line.trim_start().trim_start_matches("self.");
    ["tool_requires", "build_requires", "test_requires", "requires"]
        .iter()
        .find(|k| trimmed.starts_with(*k))
        .and_then(|k| conan_scope(k))
}

#[derive(Deserialize)]
struct Vcpkg {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    dependencies: Vec<serde_json::Value>,
    #[serde(default)]
    overrides: Vec<serde_json::Value>,
    #[serde(rename = "builtin-baseline")]
    builtin_baseline: Option<String>,
}

/// The rule for vcpkg: an `overrides` entry fixes a version (exact); `version>=` is
/// lower-bound; no constraint is exact when `builtin-baseline` fixes the registry commit
/// (every port then resolves to that commit's version), else unpinned.
pub fn vcpkg(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let parsed: Vcpkg = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let mut declared = Declared::new(path, text);
    let field = |value: &serde_json::Value, key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let section = JsonSection::new(text, "dependencies");
    // The first override of each name, as a search from the start would find it.
    let mut overrides: HashMap<String, Option<String>> = HashMap::new();
    for entry in &parsed.overrides {
        if let Some(name) = field(entry, "name") {
            overrides.entry(name).or_insert_with(|| field(entry, "version"));
        }
    }
    for value in &parsed.dependencies {
        let Some(name) = value.as_str().map(str::to_string).or_else(|| field(value, "name")) else {
            continue;
        };
        let override_version = overrides.get(&name).cloned().flatten();
        let (specifier, pin) = match (override_version, field(value, "version>=")) {
            (Some(version), _) => (format!("override {version}"), PinClass::Exact),
            (None, Some(minimum)) => (format!(">={minimum}"), PinClass::LowerBound),
            (None, None) if parsed.builtin_baseline.is_some() => ("baseline".to_string(), PinClass::Exact),
            (None, None) => (String::new(), PinClass::Unpinned),
        };
        let scope = match value.get("host").and_then(serde_json::Value::as_bool) {
            Some(true) => DependencyScope::Build,
            _ => DependencyScope::Runtime,
        };
        declared.add_near(
            section.offset_of(&name),
            Declaration {
                name,
                specifier,
                scope,
                group: None,
                pin,
            },
        );
    }
    let mut draft = declared.into_manifest(Ecosystem::Vcpkg, "vcpkg.json", text);
    draft.manifest.package = parsed.name;
    draft.manifest.version = parsed.version;
    Ok(Parsed::Manifest(draft))
}

/// CMake commands are case-insensitive.
static FETCH_COMMANDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(["FetchContent_Declare", "ExternalProject_Add"])
        .ok()
});

/// Each `FetchContent_Declare(name ...)` / `ExternalProject_Add(name ...)` outside a
/// comment, read up to its closing parenthesis. Sources are fetched while building, so
/// their scope is build. Pins follow [`fetch_pin`].
pub fn cmake(path: &str, text: &str) -> Parsed {
    let Some(matcher) = FETCH_COMMANDS.as_ref() else {
        return Parsed::Nothing;
    };
    let mut declared = Declared::new(path, text);
    // The text is walked once: whether a `#` precedes the match on its line is carried
    // forward, and a match inside an earlier call's arguments is not read again.
    let (mut walked, mut in_comment, mut resume) = (0, false, 0);
    for found in matcher.find_iter(text) {
        for &byte in &text.as_bytes()[walked..found.start()] {
            match byte {
                b'\n' => in_comment = false,
                b'#' => in_comment = true,
                _ => {}
            }
        }
        walked = found.start();
        if in_comment || found.start() < resume {
            continue;
        }
        let after = &text[found.end()..];
        let Some((arguments, used)) = call_arguments(after) else {
            if after.trim_start().starts_with('(') {
                // Unclosed to the end of the file: no later call can be read either.
                break;
            }
            continue;
        };
        resume = found.end() + used;
        let words: Vec<&str> = arguments.split_whitespace().map(|w| w.trim_matches('"')).collect();
        let Some((name, rest)) = words.split_first() else {
            continue;
        };
        let value = |key: &str| {
            rest.iter()
                .position(|w| *w == key)
                .and_then(|i| rest.get(i + 1))
                .copied()
        };
        let (specifier, pin) = fetch_pin(
            value("GIT_REPOSITORY"),
            value("GIT_TAG"),
            value("URL"),
            value("URL_HASH").or(value("URL_MD5")),
        );
        declared.add_near(
            found.start(),
            Declaration {
                name: name.to_string(),
                specifier,
                scope: DependencyScope::Build,
                group: None,
                pin,
            },
        );
    }
    if declared.dependencies.is_empty() {
        return Parsed::Nothing;
    }
    Parsed::Manifest(declared.into_manifest(Ecosystem::Cmake, "CMake FetchContent / ExternalProject", text))
}

/// The text between `(` (after optional spaces) and its matching `)`, comments dropped.
fn call_arguments(after: &str) -> Option<(String, usize)> {
    let body = after.trim_start().strip_prefix('(')?;
    let body_at = after.len() - body.len();
    let mut depth = 1;
    let mut out = String::new();
    let mut in_comment = false;
    for (at, c) in body.char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => continue,
            '#' => {
                in_comment = true;
                continue;
            }
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return Some((out, body_at + at + 1));
        }
        out.push(c);
    }
    None
}

/// The rule for fetched sources: `URL` with `URL_HASH` is hash-pinned, a `GIT_TAG` that is
/// a full commit is hash-pinned, one that looks like a version (`v1.2`, `1.2.3`, `release-1`)
/// is exact, any other `GIT_TAG` (a branch such as `main`) or none is unpinned; a `URL`
/// without hash names one archive, exact, but unchecked.
fn fetch_pin(repository: Option<&str>, tag: Option<&str>, url: Option<&str>, hash: Option<&str>) -> (String, PinClass) {
    match (repository, tag, url) {
        (_, _, Some(url)) if hash.is_some() => (url.to_string(), PinClass::HashPinned),
        (_, _, Some(url)) => (url.to_string(), PinClass::Exact),
        (repository, Some(tag), None) => {
            let pin = if is_commit_sha(tag) {
                PinClass::HashPinned
            } else if tag.chars().any(|c| c.is_ascii_digit()) {
                PinClass::Exact
            } else {
                PinClass::Unpinned
            };
            (format!("{} @ {tag}", repository.unwrap_or("git")), pin)
        }
        (repository, None, None) => (repository.unwrap_or("").to_string(), PinClass::Unpinned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetch_content() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let text = format!(
            "# FetchContent_Declare(old GIT_TAG main)\nFetchContent_Declare(\n  gtest\n  GIT_REPOSITORY https://x/gtest.git\n  GIT_TAG {sha}\n)\nfetchcontent_declare(json URL https://x/j.tar.xz URL_HASH SHA256=ab)\nExternalProject_Add(foo GIT_REPOSITORY https://x/foo GIT_TAG main)\n"
        );
        let Parsed::Manifest(draft) = cmake("CMakeLists.txt", &text) else {
            panic!()
        };
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.location.line, d.pin))
            .collect();
        assert_eq!(
            got,
            [
                ("foo", 8, PinClass::Unpinned),
                ("gtest", 2, PinClass::HashPinned),
                ("json", 7, PinClass::HashPinned)
            ]
        );
    }

    #[test]
    fn conan() {
        let Parsed::Manifest(draft) = conanfile_txt(
            "conanfile.txt",
            "[requires]\nzlib/1.3\nfmt/[>=10 <11]\n[tool_requires]\ncmake/3.27#abc\n[generators]\nCMakeDeps\n",
        ) else {
            panic!()
        };
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.pin, d.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("cmake", PinClass::HashPinned, DependencyScope::Build),
                ("fmt", PinClass::Bounded, DependencyScope::Runtime),
                ("zlib", PinClass::Exact, DependencyScope::Runtime)
            ]
        );
    }
}
