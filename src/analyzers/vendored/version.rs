//! The version a vendored component states about itself, with the line that states it.
//!
//! The rule, in order of trust (lower kind wins at equal depth; a file at the component's
//! top wins over one a level down): a `VERSION` / `version.txt` file (its first line),
//! package metadata (`package.json` `"version"`, `Cargo.toml` `[package]`,
//! `pyproject.toml` `[project]` / `[tool.poetry]`), CMake `project(... VERSION x)`,
//! `setup.py` `version="x"`. Only literal values count: a version computed at build time
//! is not a stated version.

/// Which kind of file states a version; the discriminant is its rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    VersionFile = 0,
    PackageJson = 1,
    TomlPackage = 2,
    Cmake = 3,
    SetupPy = 4,
}

/// The kind of version source a file name is, if any.
pub fn source(name: &str) -> Option<Source> {
    match name.to_ascii_lowercase().as_str() {
        "version" | "version.txt" => Some(Source::VersionFile),
        "package.json" => Some(Source::PackageJson),
        "cargo.toml" | "pyproject.toml" => Some(Source::TomlPackage),
        "cmakelists.txt" => Some(Source::Cmake),
        "setup.py" => Some(Source::SetupPy),
        _ => None,
    }
}

/// The version and its 1-based line and column, when `text` states one.
pub fn find(source: Source, text: &str) -> Option<(String, usize, usize)> {
    match source {
        Source::VersionFile => first_line(text),
        Source::PackageJson => json_version(text),
        Source::TomlPackage => toml_version(text),
        Source::Cmake => cmake_version(text),
        Source::SetupPy => setup_py_version(text),
    }
}

/// A plausible version: starts with a digit (or `v` and a digit), short, no spaces.
fn plausible(value: &str) -> bool {
    let digits = value.strip_prefix(['v', 'V']).unwrap_or(value);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && value.len() <= 40
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b))
}

fn located(text: &str, offset: usize, value: &str) -> Option<(String, usize, usize)> {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or(before).chars().count() + 1;
    plausible(value).then(|| (value.to_string(), line, column))
}

fn first_line(text: &str) -> Option<(String, usize, usize)> {
    let (index, line) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty())?;
    let value = line.trim();
    let column = line.len() - line.trim_start().len() + 1;
    plausible(value).then(|| (value.to_string(), index + 1, column))
}

/// The first quoted string after `key` on the same line, with its byte offset.
fn quoted_after(line: &str, key: usize) -> Option<(usize, &str)> {
    let rest = &line[key..];
    let open = rest.find(['"', '\''])?;
    let quote = rest[open..].chars().next()?;
    let value_start = key + open + 1;
    let close = line[value_start..].find(quote)?;
    Some((value_start, &line[value_start..value_start + close]))
}

/// Offsets of the lines of `text`, with the lines.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line.trim_end_matches(['\n', '\r'])))
    })
}

/// `"version": "1.2.3"` at the top level of `package.json` (the first at indent ≤ 2).
fn json_version(text: &str) -> Option<(String, usize, usize)> {
    lines_with_offsets(text).find_map(|(offset, line)| {
        let indent = line.len() - line.trim_start().len();
        let key = line.find("\"version\"").filter(|_| indent <= 2)?;
        let rest = line[key + 9..].trim_start().strip_prefix(':')?;
        let (start, value) = quoted_after(rest, 0)?;
        let absolute = offset + line.len() - rest.len() + start;
        located(text, absolute, value)
    })
}

/// `version = "x"` inside `[package]`, `[project]` or `[tool.poetry]`.
fn toml_version(text: &str) -> Option<(String, usize, usize)> {
    let mut in_package = false;
    for (offset, line) in lines_with_offsets(text) {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_package = matches!(trimmed, "[package]" | "[project]" | "[tool.poetry]");
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("version") else {
            continue;
        };
        if !in_package || !rest.trim_start().starts_with('=') {
            continue;
        }
        let key = line.len() - line.trim_start().len();
        let (start, value) = quoted_after(line, key)?;
        return located(text, offset + start, value);
    }
    None
}

/// `project(name VERSION 1.2.3 ...)`, the call possibly spanning lines.
fn cmake_version(text: &str) -> Option<(String, usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("project(") {
        let start = from + found;
        from = start + "project(".len();
        let word_start = start == 0 || !is_identifier_byte(lower.as_bytes()[start - 1]);
        let Some(length) = lower[from..].find(')').filter(|_| word_start) else {
            continue;
        };
        let call = &text[from..from + length];
        // Byte offsets of the call's words, from their addresses inside `call`.
        let mut words = call
            .split_ascii_whitespace()
            .map(|w| (w.as_ptr() as usize - call.as_ptr() as usize, w));
        if words.any(|(_, w)| w == "VERSION") {
            let (offset, value) = words.next()?;
            return located(text, from + offset, value);
        }
    }
    None
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `version="1.2.3"` (or `version = '1.2.3'`) in a `setup(...)` call.
fn setup_py_version(text: &str) -> Option<(String, usize, usize)> {
    lines_with_offsets(text).find_map(|(offset, line)| {
        let key = line.find("version")?;
        let preceded = line[..key]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let rest = line[key + 7..].trim_start().strip_prefix('=')?;
        let literal = rest.trim_start();
        if !preceded || !literal.starts_with(['"', '\'']) {
            return None;
        }
        let (start, value) = quoted_after(literal, 0)?;
        located(text, offset + line.len() - literal.len() + start, value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_states_its_version_at_its_line() {
        assert_eq!(find(Source::VersionFile, "\n 2.10.1\n"), Some(("2.10.1".into(), 2, 2)));
        assert_eq!(find(Source::VersionFile, "see the tags\n"), None);
        let json =
            "{\n  \"name\": \"x\",\n  \"version\": \"1.4.0\",\n  \"dependencies\": {\"a\": {\"version\": \"9\"}}\n}\n";
        assert_eq!(find(Source::PackageJson, json), Some(("1.4.0".into(), 3, 15)));
        let toml = "[dependencies]\nversion = \"9\"\n[package]\nname = \"x\"\nversion = \"0.3.2\"\n";
        assert_eq!(find(Source::TomlPackage, toml), Some(("0.3.2".into(), 5, 12)));
        let cmake = "cmake_minimum_required(VERSION 3.5)\nproject(fmt\n  VERSION 10.2.1\n  LANGUAGES CXX)\n";
        assert_eq!(find(Source::Cmake, cmake), Some(("10.2.1".into(), 3, 11)));
        assert_eq!(find(Source::Cmake, "project(x LANGUAGES C)\n"), None);
        let setup = "setup(\n    name='x',\n    version='2.1',\n)\n";
        assert_eq!(find(Source::SetupPy, setup), Some(("2.1".into(), 3, 14)));
        assert_eq!(find(Source::SetupPy, "setup(version=get_version())\n"), None);
    }
}
