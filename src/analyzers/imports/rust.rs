//! Rust module scanner: `mod x;` declarations (not inline `mod x { }`) and the paths of
//! `use` declarations, `{}` groups expanded.
//!
//! Comments, strings (raw ones included) and char literals are blanked first, keeping the
//! newlines, so line numbers stay right; `mod` and `use` are keywords, so in what remains
//! every occurrence as a whole word is a declaration.

use memchr::memchr;
use serde::Deserialize;

use crate::model::ImportKind;

use super::{statement_text, Found, LineCounter, RawImport, Target};

/// How deeply `use a::{b::{c::{…}}}` groups are followed (deeper input is left out).
const MAX_GROUP_DEPTH: usize = 32;

/// The module declarations and use paths of one Rust file.
///
/// Inline modules (`mod tests { use super::*; }`) are tracked by brace depth: a leading
/// `super` inside one names the enclosing module of the same file, so it is rewritten to
/// `self` (otherwise every file with inline tests would seem to import its parent).
pub fn scan(bytes: &[u8]) -> Found {
    let code = blank_comments_and_literals(bytes);
    let mut lines = LineCounter::new();
    let mut out = Found::default();
    let mut depth = 0usize;
    let mut inline_modules: Vec<usize> = Vec::new();
    let mut pos = 0;
    while pos < code.len() {
        match code[pos] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if inline_modules.last() == Some(&depth) {
                    inline_modules.pop();
                }
            }
            b if is_ident(b) => {
                let word_end = pos + code[pos..].iter().take_while(|&&b| is_ident(b)).count();
                let found = match &code[pos..word_end] {
                    b"mod" => module_item(&code, word_end, depth, &mut inline_modules),
                    b"use" => memchr(b';', &code[word_end..]).map(|i| {
                        let paths = use_paths(&code[word_end..word_end + i], inline_modules.len());
                        (paths, word_end + i + 1)
                    }),
                    _ => None,
                };
                let Some((targets, end)) = found else {
                    pos = word_end;
                    continue;
                };
                let line = lines.line_at(&code, pos);
                let text = statement_text(&code[pos..end]);
                out.extend(targets.into_iter().map(|target| RawImport {
                    line,
                    kind: ImportKind::Eager,
                    target,
                    text: text.clone(),
                    guard: None,
                }));
                pos = end;
                continue;
            }
            _ => {}
        }
        pos += 1;
    }
    out
}

/// What a `Cargo.toml` says of its package's library: the name other crates `use` it by
/// and the path of its root file, relative to the manifest's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub name: String,
    pub path: String,
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
    lib: Option<LibTarget>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
}

#[derive(Deserialize)]
struct LibTarget {
    name: Option<String>,
    path: Option<String>,
}

/// The library of the package a `Cargo.toml` declares: `[lib] name`, else the package's
/// name with `-` as `_` (as Cargo names the crate); `[lib] path`, else `src/lib.rs`.
/// `None` for a manifest without a package (a virtual workspace) or that does not parse;
/// whether the root file exists is resolution's to check.
pub fn library(bytes: &[u8]) -> Option<Library> {
    let text = std::str::from_utf8(bytes).ok()?;
    if super::super::caps::too_large_for_a_tree(text).is_some() {
        return None;
    }
    let manifest: Manifest = toml::from_str(text).ok()?;
    let package = manifest.package?.name;
    let (lib_name, lib_path) = manifest.lib.map_or((None, None), |lib| (lib.name, lib.path));
    let name = lib_name.or_else(|| package.map(|p| p.replace('-', "_")))?;
    Some(Library {
        name,
        path: lib_path.unwrap_or_else(|| "src/lib.rs".to_string()),
    })
}

/// `mod name;` gives its target; `mod name {` opens an inline module at `depth`.
fn module_item(code: &[u8], pos: usize, depth: usize, inline_modules: &mut Vec<usize>) -> Option<(Vec<Target>, usize)> {
    if let Some((name, end)) = mod_declaration(code, pos) {
        return Some((vec![Target::RustMod(name)], end));
    }
    let after_name = pos
        + code[pos..]
            .iter()
            .take_while(|&&b| b.is_ascii_whitespace() || is_ident(b))
            .count();
    if code.get(after_name) == Some(&b'{') {
        inline_modules.push(depth);
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `mod name;` after the keyword ending at `pos`: the name and the end of the `;`.
fn mod_declaration(code: &[u8], pos: usize) -> Option<(String, usize)> {
    let start = pos + code[pos..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    let name_len = code[start..].iter().take_while(|&&b| is_ident(b)).count();
    let after = start + name_len;
    let semi = after + code[after..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    (name_len > 0 && code.get(semi) == Some(&b';'))
        .then(|| (String::from_utf8_lossy(&code[start..after]).into_owned(), semi + 1))
}

/// Every path a use tree names: `crate::{a, b::{self, C}}` gives `crate::a`, `crate::b`,
/// `crate::b::C`; a glob names its prefix.
fn use_paths(tree: &[u8], inline_depth: usize) -> Vec<Target> {
    let tokens = tokens(tree);
    let mut paths = Vec::new();
    let mut prefix = Vec::new();
    use_tree(&tokens, 0, &mut prefix, &mut paths, 0);
    paths
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|p| Target::RustUse(absorb_inline_supers(p, inline_depth)))
        .collect()
}

/// Inside `inline_depth` inline modules, the first that many `super`s stay in the file.
fn absorb_inline_supers(mut path: Vec<String>, inline_depth: usize) -> Vec<String> {
    let supers = path.iter().take_while(|s| *s == "super").count();
    let absorbed = supers.min(inline_depth);
    if absorbed == 0 {
        return path;
    }
    path.drain(..absorbed);
    if absorbed == supers {
        path.insert(0, "self".to_string());
    }
    path
}

fn tokens(tree: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < tree.len() {
        let b = tree[pos];
        if is_ident(b) {
            let len = tree[pos..].iter().take_while(|&&b| is_ident(b)).count();
            out.push(&tree[pos..pos + len]);
            pos += len;
        } else if b == b':' && tree.get(pos + 1) == Some(&b':') {
            out.push(&tree[pos..pos + 2]);
            pos += 2;
        } else {
            if !b.is_ascii_whitespace() {
                out.push(&tree[pos..pos + 1]);
            }
            pos += 1;
        }
    }
    out
}

/// Parses the use tree at `i`, pushing the paths it names; returns the index after it.
fn use_tree(
    tokens: &[&[u8]],
    mut i: usize,
    prefix: &mut Vec<String>,
    paths: &mut Vec<Vec<String>>,
    depth: usize,
) -> usize {
    let outer = prefix.len();
    while let Some(token) = tokens.get(i) {
        match *token {
            b"::" => {}
            b"{" if depth < MAX_GROUP_DEPTH => {
                i += 1;
                while tokens.get(i).is_some_and(|t| *t != b"}") {
                    let next = use_tree(tokens, i, prefix, paths, depth + 1);
                    if next == i {
                        // Not a use tree: give up on the rest rather than loop.
                        return tokens.len();
                    }
                    i = next;
                    if tokens.get(i) == Some(&&b","[..]) {
                        i += 1;
                    }
                }
                prefix.truncate(outer);
                return i + 1;
            }
            b"*" => {
                paths.push(prefix.clone());
                prefix.truncate(outer);
                return i + 1;
            }
            b"as" => i += 1,
            token if is_ident(token[0]) => {
                // `self` names the prefix itself, except as a path's first segment.
                if token != b"self" || prefix.is_empty() {
                    prefix.push(String::from_utf8_lossy(token).into_owned());
                }
            }
            _ => break,
        }
        i += 1;
    }
    paths.push(prefix.clone());
    prefix.truncate(outer);
    i
}

/// A copy of `bytes` with comments, string and char literals replaced by spaces (newlines
/// kept).
fn blank_comments_and_literals(bytes: &[u8]) -> Vec<u8> {
    let mut code = bytes.to_vec();
    let mut pos = 0;
    while pos < code.len() {
        let end = match (code[pos], code.get(pos + 1).copied()) {
            (b'/', Some(b'/')) => memchr(b'\n', &code[pos..]).map_or(code.len(), |i| pos + i),
            (b'/', Some(b'*')) => block_comment_end(&code, pos),
            (b'"', _) => string_end(&code, pos + 1),
            (b'r', Some(b'"' | b'#')) if pos == 0 || !is_ident(code[pos - 1]) => raw_string_end(&code, pos + 1),
            (b'\'', _) => char_end(&code, pos),
            _ => {
                pos += 1;
                continue;
            }
        };
        for b in &mut code[pos..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        pos = end.max(pos + 1);
    }
    code
}

/// Block comments nest in Rust.
fn block_comment_end(code: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut pos = start;
    while pos + 1 < code.len() {
        match (code[pos], code[pos + 1]) {
            (b'/', b'*') => {
                depth += 1;
                pos += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                pos += 2;
                if depth == 0 {
                    return pos;
                }
            }
            _ => pos += 1,
        }
    }
    code.len()
}

fn string_end(code: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = code.get(pos) {
        match b {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    code.len()
}

/// `r"…"`, `r#"…"#`: `pos` is just after the `r`. Not a raw string (`r#ident`) gives
/// `pos` back.
fn raw_string_end(code: &[u8], pos: usize) -> usize {
    let hashes = code[pos..].iter().take_while(|&&b| b == b'#').count();
    if code.get(pos + hashes) != Some(&b'"') {
        return pos;
    }
    let mut at = pos + hashes + 1;
    while let Some(i) = memchr(b'"', &code[at..]) {
        let close = at + i + 1;
        if code[close..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return close + hashes;
        }
        at = close;
    }
    code.len()
}

/// A char literal (`'a'`, `'\n'`, `'é'`) or a lifetime (`'a`, left alone).
fn char_end(code: &[u8], pos: usize) -> usize {
    if code.get(pos + 1) == Some(&b'\\') {
        return memchr(b'\'', &code[(pos + 3).min(code.len())..]).map_or(code.len(), |i| pos + 4 + i);
    }
    let char_len = code.get(pos + 1).map_or(1, |&b| utf8_len(b));
    if code.get(pos + 1 + char_len) == Some(&b'\'') {
        pos + 2 + char_len
    } else {
        pos + 1
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(source: &str) -> Vec<String> {
        scan(source.as_bytes())
            .kept
            .into_iter()
            .map(|import| match import.target {
                Target::RustMod(name) => format!("{} mod {name}", import.line),
                Target::RustUse(path) => format!("{} use {}", import.line, path.join("::")),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn mods_and_use_groups() {
        let source = "mod a;\npub(crate) mod b;\nmod inline { use super::x; mod deeper { use super::super::y; } }\nuse crate::{c::{self, D}, e::*, f as g};\nuse std::io;\n// use no::one;\nconst S: &str = \"mod no;\";\nconst R: &str = r#\"use no::two;\"#;\nfn f<'a>(c: char) -> bool { c == '\\'' || c == '\"' }\nuse self::h;\n";
        assert_eq!(
            compact(source),
            [
                "1 mod a",
                "2 mod b",
                "3 use self::x",
                "3 use self::y",
                "4 use crate::c",
                "4 use crate::c::D",
                "4 use crate::e",
                "4 use crate::f",
                "5 use std::io",
                "10 use self::h",
            ]
        );
    }

    #[test]
    fn super_leaves_the_file_only_past_its_inline_modules() {
        let source = "mod tests {\n    use super::*;\n    mod more { use super::super::super::z; }\n}\nuse super::w;\n";
        assert_eq!(compact(source), ["2 use self", "3 use super::z", "5 use super::w"]);
    }

    #[test]
    fn a_manifest_names_its_library_as_cargo_does() {
        let library = |text: &str| library(text.as_bytes()).map(|l| format!("{} {}", l.name, l.path));
        assert_eq!(
            library("[package]\nname = \"ruff-python-ast\"\n").as_deref(),
            Some("ruff_python_ast src/lib.rs")
        );
        assert_eq!(
            library("[package]\nname = \"a-b\"\n[lib]\nname = \"c\"\npath = \"lib.rs\"\n").as_deref(),
            Some("c lib.rs")
        );
        assert_eq!(library("[workspace]\nmembers = [\"crates/*\"]\n"), None);
        assert_eq!(library("[package\nname = \"x\""), None);
        assert_eq!(library("[package]\nname = 1\n"), None);
        assert!(super::library(b"[package]\nname = \"\xff\"\n").is_none());
    }

    #[test]
    fn deep_groups_and_unterminated_input() {
        let deep = format!("use a::{}b{};", "{".repeat(10_000), "}".repeat(10_000));
        assert!(!scan(deep.as_bytes()).kept.is_empty());
        assert!(scan(b"/* /* unclosed */ use a::b;").kept.is_empty());
        assert!(scan(b"use a::b").kept.is_empty());
    }
}
