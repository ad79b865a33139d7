//! Imports: the import graph of the repository's own modules, for Python, C/C++/CUDA/ObjC,
//! Rust, JavaScript/TypeScript and Go.
//!
//! Extraction runs in the one scan: `visit` runs a small hand-made scanner for the file's
//! language (a parser would cost 10× more on repositories of thousands of files; the
//! scanners only need to know where a statement starts and what is a string or comment).
//! Resolution needs every path of the snapshot, so it runs once in `finish`.
//!
//! The rule for what is a module, written here once:
//! - one module per source file that imports something or is imported (Go: the importing
//!   file, and the imported package as its directory, since Go imports name packages);
//! - `package` is the Python top-level package (first component of the dotted name) for
//!   Python modules whose package root is the repository root or one folder below it (a
//!   `src/` layout), and the top-level directory of the path (`.` at the root) otherwise;
//! - `code_lines` are the file's code lines as the scan counted them (for a Go package
//!   directory, the sum over its `.go` files).

mod cpp;
mod go;
mod javascript;
mod python;
mod resolve;
mod rust;

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use memchr::memmem::Finder;

use tokei::LanguageType;

use crate::model::{Guard, ImportKind, Role, ScanNote, SkipReason};
use crate::scan::{File, FileInfo};

use super::caps::thousands;
use super::{Analysis, Analyzer, Conclusion};

pub struct ImportsAnalyzer;

/// The searchers, built once rather than per file, chunk or comment: when the include scan
/// still searched Linux's 60,000 C files, a searcher per file cost 2 % of its time, one
/// per block comment 4 %. `IMPORT` is now the Python scan's; `COMMENT_END` every
/// scanner's that skips block comments.
static IMPORT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"import"));
static COMMENT_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"*/"));

/// The longest import text kept on an edge or example.
const MAX_TEXT: usize = 160;

/// At most this many import statements of one file are kept, the rest counted in a scan
/// note. The most of any real file seen is 157 (a Linux register header; executorch's
/// largest `__init__.py` has 156); a generated file of a million `#include` lines would
/// otherwise keep each, at some 15 bytes of memory per byte of the file.
pub const IMPORTS_PER_FILE: usize = 5_000;

/// A scanner's imports of one file: the first [`IMPORTS_PER_FILE`] kept, the rest only
/// counted. The cap sits inside the scan, not after it, so a file of nothing but imports
/// never holds more than the cap (issue 18: a 10 MB file of `import` lines took ten times
/// its size when the whole list was built first).
#[derive(Debug, Default)]
pub struct Found {
    pub kept: Vec<RawImport>,
    /// Imports found past the cap.
    pub more: usize,
}

impl Found {
    /// Keeps `import` if there is room; its index in `kept` if so.
    pub fn push(&mut self, import: RawImport) -> Option<usize> {
        if self.kept.len() < IMPORTS_PER_FILE {
            self.kept.push(import);
            Some(self.kept.len() - 1)
        } else {
            self.more += 1;
            None
        }
    }

    pub fn extend(&mut self, imports: impl IntoIterator<Item = RawImport>) {
        for import in imports {
            self.push(import);
        }
    }
}

/// The import-relevant family of a file's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Python,
    Cpp,
    Rust,
    JavaScript,
    Go,
}

impl Family {
    fn of(language: LanguageType) -> Option<Family> {
        use LanguageType as L;
        Some(match language {
            L::Python => Family::Python,
            L::C | L::CHeader | L::Cpp | L::CppHeader | L::Cuda | L::ObjectiveC | L::ObjectiveCpp => Family::Cpp,
            L::Rust => Family::Rust,
            L::JavaScript | L::TypeScript | L::Jsx | L::Tsx => Family::JavaScript,
            L::Go => Family::Go,
            _ => return None,
        })
    }

    /// The name used in `unresolved` and `external`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Python => "Python",
            Family::Cpp => "C/C++",
            Family::Rust => "Rust",
            Family::JavaScript => "JavaScript/TypeScript",
            Family::Go => "Go",
        }
    }
}

/// What an import statement names, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `import a.b` or `from ..a import x, y`.
    Python(PythonImport),
    /// `#include "a/b.h"` or `#include <a/b.h>`.
    Include { path: String, angle: bool },
    /// `mod x;`
    RustMod(String),
    /// One path of a `use` declaration, split at `::` (`crate`, `a`, `B`).
    RustUse(Vec<String>),
    /// The specifier of an `import`/`export from`/`require`.
    JavaScript(String),
    /// A Go import path.
    Go(String),
    /// A lazy import the scanner saw but whose target it cannot read, and why
    /// (`_import_structure` built at run time): counted, never guessed.
    Uncertain(&'static str),
}

/// What a Python import names: `import a.b` (`level` 0, no names) or `from ..a import x,
/// y` (`level` 2). The module and the names are kept in one string, `a x y`: one
/// allocation per statement rather than one per name (executorch has 26,000 imports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonImport {
    pub level: usize,
    /// The dotted module (may be empty: `from . import x`), then each name, after a space
    /// each: neither holds a space.
    words: Box<str>,
}

impl PythonImport {
    pub fn new<N, I>(level: usize, module: &str, names: I) -> PythonImport
    where
        N: AsRef<str>,
        I: IntoIterator<Item = N>,
        I::IntoIter: Clone,
    {
        let names = names.into_iter();
        // Sized exactly, so that the string is neither grown nor shrunk into its box.
        let len = module.len() + names.clone().map(|name| 1 + name.as_ref().len()).sum::<usize>();
        let mut words = String::with_capacity(len);
        words.push_str(module);
        for name in names {
            words.push(' ');
            words.push_str(name.as_ref());
        }
        PythonImport {
            level,
            words: words.into_boxed_str(),
        }
    }

    pub fn module(&self) -> &str {
        &self.words[..self.module_end()]
    }

    /// The imported names (`*` for a star import); none for `import a.b`.
    pub fn names(&self) -> Names<'_> {
        Names {
            rest: &self.words[self.module_end()..],
        }
    }

    fn module_end(&self) -> usize {
        self.words.bytes().position(|b| b == b' ').unwrap_or(self.words.len())
    }
}

/// The names of a [`PythonImport`]. Split by bytes: these strings are a few bytes long,
/// and `str::split`'s searcher was a fifth of the profile of executorch's resolution.
#[derive(Debug, Clone)]
pub struct Names<'a> {
    /// Each remaining name after a space.
    rest: &'a str,
}

impl<'a> Iterator for Names<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest.strip_prefix(' ')?;
        let end = rest.bytes().position(|b| b == b' ').unwrap_or(rest.len());
        self.rest = &rest[end..];
        Some(&rest[..end])
    }
}

/// One import statement (one per named path for `use` groups and Go blocks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawImport {
    /// 1-based line of the statement.
    pub line: usize,
    pub kind: ImportKind,
    pub target: Target,
    /// The statement as written, whitespace collapsed, capped at [`MAX_TEXT`]; shared by
    /// the statement's targets and its edges.
    pub text: Arc<str>,
    /// What made a Python import lazy or typing-only.
    pub guard: Option<Arc<Guard>>,
}

/// The imports of one file, gathered by `visit`.
#[derive(Debug, Clone)]
pub struct FileImports {
    pub path: String,
    pub family: Family,
    pub imports: Vec<RawImport>,
}

/// A `go.mod` file's directory and `module` path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoModule {
    pub dir: String,
    pub module: String,
}

/// A Rust package's library, from its `Cargo.toml`: what `use name::…` in another crate
/// of the repository names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RustCrate {
    /// The crate name, as `use` spells it.
    pub name: String,
    /// The directory of the `Cargo.toml`.
    pub dir: String,
    /// The library's root file relative to `dir`, as the manifest gives it (resolution
    /// normalizes it and checks that it is a file of the tree).
    pub root: String,
}

impl Analyzer for ImportsAnalyzer {
    fn id(&self) -> &'static str {
        "imports"
    }

    /// Tracked source files of the five language families (vendored code is someone
    /// else's graph), `go.mod` files for the Go module path and `Cargo.toml` files for
    /// the crates a `use` can name.
    fn wants(&self, file: &FileInfo) -> bool {
        file.tracked
            && file.role != Role::Vendored
            && (file.language.and_then(Family::of).is_some() || matches!(file.name(), "go.mod" | "Cargo.toml"))
    }

    /// The include scan reads only the lines that start with `#`.
    fn wants_directive_lines(&self, file: &FileInfo) -> bool {
        file.language.and_then(Family::of) == Some(Family::Cpp)
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        if file.info.name() == "go.mod" {
            if let Some(module) = go::module_path(file.bytes) {
                out.go_modules.push(GoModule {
                    dir: parent(&file.info.path).to_string(),
                    module,
                });
            }
            return;
        }
        if file.info.name() == "Cargo.toml" {
            if let Some(library) = rust::library(file.bytes) {
                out.rust_crates.push(RustCrate {
                    name: library.name,
                    dir: parent(&file.info.path).to_string(),
                    root: library.path,
                });
            }
            return;
        }
        let Some(family) = file.info.language.and_then(Family::of) else {
            return;
        };
        let Found { kept: imports, more } = match family {
            Family::Python => python::scan(file.bytes, python::own_name(file.info.name())),
            Family::Cpp => cpp::scan(
                file.bytes,
                &file.directive_lines(),
                file.info.language == Some(LanguageType::ObjectiveC)
                    || file.info.language == Some(LanguageType::ObjectiveCpp),
            ),
            Family::Rust => rust::scan(file.bytes),
            Family::JavaScript => javascript::scan(file.bytes),
            Family::Go => go::scan(file.bytes),
        };
        if more > 0 {
            let detail = format!(
                "and {} more import statements, not kept: plumb keeps at most {} per file",
                thousands(more),
                thousands(IMPORTS_PER_FILE)
            );
            out.notes
                .push(ScanNote::new(&file.info.path, SkipReason::TooManyEntries, Some(detail)));
        }
        if !imports.is_empty() {
            out.raw_imports.push(FileImports {
                path: file.info.path.clone(),
                family,
                imports,
            });
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let architecture = resolve::resolve(analysis);
        Box::new(move |audit| audit.architecture = architecture)
    }

    /// Resolution is the longest finish by far (executorch: 20 ms against 1 to 3 ms).
    fn finishes_long(&self) -> bool {
        true
    }
}

/// The directory of `path` (`""` at the root).
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// `text` with every whitespace run collapsed to one space, trimmed and capped at
/// [`MAX_TEXT`] characters (an ellipsis marks the cut).
pub fn statement_text(text: &[u8]) -> Arc<str> {
    // Most statements (Linux has 364,000 includes) are printable ASCII spaced singly:
    // collapsed already.
    match collapsed_already(text) {
        Some(collapsed) => capped_text(collapsed),
        None => collapsed_text(text),
    }
}

/// [`statement_text`], word by word.
fn collapsed_text(text: &[u8]) -> Arc<str> {
    let text = match std::str::from_utf8(text) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(text),
    };
    // Collapsed on the stack, then copied once into the `Arc`: Linux has 364,000 includes.
    let mut out = [0u8; MAX_TEXT + 4];
    // On ASCII, `split_ascii_whitespace` splits as `split_whitespace` does, except at a
    // vertical tab, and without decoding characters.
    let len = if text.is_ascii() && !text.contains('\x0b') {
        collapse(text.split_ascii_whitespace(), &mut out)
    } else {
        collapse(text.split_whitespace(), &mut out)
    };
    // A word cut at the end of `out` may end in part of a character: drop it (it lies
    // past the cap).
    let collapsed = match std::str::from_utf8(&out[..len]) {
        Ok(collapsed) => collapsed,
        Err(e) => std::str::from_utf8(&out[..e.valid_up_to()]).unwrap_or_default(),
    };
    capped_text(collapsed)
}

/// `text` as it is when [`statement_text`] would leave it so: printable ASCII, neither
/// starting nor ending with a space, never two in a row.
fn collapsed_already(text: &[u8]) -> Option<&str> {
    let printable = text.iter().all(|b| (b' '..=b'~').contains(b));
    let trimmed = text.first() != Some(&b' ') && text.last() != Some(&b' ');
    let single_spaced = !text.windows(2).any(|pair| pair == b"  ");
    if printable && trimmed && single_spaced {
        std::str::from_utf8(text).ok()
    } else {
        None
    }
}

/// [`statement_text`] of a text already collapsed and trimmed.
pub fn capped_text(collapsed: &str) -> Arc<str> {
    if collapsed.len() <= MAX_TEXT {
        return collapsed.into();
    }
    let mut cut = MAX_TEXT;
    while !collapsed.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &collapsed[..cut]).into()
}

/// The words joined by single spaces into `out`, stopping once past [`MAX_TEXT`] bytes
/// (the word that crosses it is cut at the end of `out`); the length written.
fn collapse<'a>(words: impl Iterator<Item = &'a str>, out: &mut [u8; MAX_TEXT + 4]) -> usize {
    let mut len = 0;
    for word in words {
        if len > 0 {
            out[len] = b' ';
            len += 1;
        }
        let take = word.len().min(out.len() - len);
        out[len..len + take].copy_from_slice(&word.as_bytes()[..take]);
        len += take;
        if len > MAX_TEXT {
            break;
        }
    }
    len
}

/// Just past the string literal whose body starts at `pos` (after its opening `quote`),
/// with backslash escapes; an unterminated one ends at its line end. The C/C++, Go and
/// JavaScript scanners share it.
pub fn quoted_end(bytes: &[u8], mut pos: usize, quote: u8) -> usize {
    while let Some(i) = memchr::memchr3(quote, b'\\', b'\n', &bytes[pos.min(bytes.len())..]) {
        let found = pos + i;
        match bytes[found] {
            b'\\' => pos = found + 2,
            b'\n' => return found,
            _ => return found + 1,
        }
    }
    bytes.len()
}

/// The 1-based line of byte offset `pos`, counting from a known (`line`, `from`) pair so
/// that a scanner moving forward pays for each newline once.
#[derive(Debug, Default)]
pub struct LineCounter {
    line: usize,
    upto: usize,
}

impl LineCounter {
    pub fn new() -> Self {
        LineCounter { line: 1, upto: 0 }
    }

    pub fn line_at(&mut self, bytes: &[u8], pos: usize) -> usize {
        let pos = pos.min(bytes.len());
        if pos >= self.upto {
            self.line += memchr::memchr_iter(b'\n', &bytes[self.upto..pos]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &bytes[pos..self.upto]).count();
        }
        self.upto = pos;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_python_import_keeps_its_module_and_names_apart() {
        let import = PythonImport::new(2, "a.b", ["c", "*", "d_e"]);
        assert_eq!((import.level, import.module()), (2, "a.b"));
        assert_eq!(import.names().collect::<Vec<_>>(), ["c", "*", "d_e"]);
        let bare = PythonImport::new(0, "x", None::<&str>);
        assert_eq!((bare.module(), bare.names().count()), ("x", 0));
        let relative = PythonImport::new(1, "", ["y"]);
        assert_eq!(
            (relative.module(), relative.names().collect::<Vec<_>>()),
            ("", vec!["y"])
        );
    }

    #[test]
    fn a_text_collapsed_already_is_kept_as_the_word_by_word_collapse_keeps_it() {
        let mut texts: Vec<String> = ["#include <a/b.h>", "import a", "a b", "", "~ !"]
            .map(String::from)
            .to_vec();
        for len in [MAX_TEXT - 1, MAX_TEXT, MAX_TEXT + 1, MAX_TEXT + 3, MAX_TEXT + 4, 300] {
            texts.push(
                "ab "
                    .repeat(len)
                    .chars()
                    .take(len)
                    .collect::<String>()
                    .trim_end()
                    .to_string(),
            );
        }
        for text in &texts {
            assert!(collapsed_already(text.as_bytes()).is_some(), "{text:?}");
            assert_eq!(
                statement_text(text.as_bytes()),
                collapsed_text(text.as_bytes()),
                "{text:?}"
            );
        }
        for text in [" a", "a ", "a  b", "a\tb", "a\x0bb", "caf\u{e9}", "a\x7fb"] {
            assert!(collapsed_already(text.as_bytes()).is_none(), "{text:?}");
        }
    }

    #[test]
    fn statement_text_collapses_every_kind_of_whitespace_and_caps() {
        assert_eq!(
            &*statement_text(b"  from  x\n\timport (a,\r\n b)  "),
            "from x import (a, b)"
        );
        assert_eq!(&*statement_text(b"import a\x0b\x0cb"), "import a b");
        assert_eq!(&*statement_text("import a\u{a0}b".as_bytes()), "import a b");
        assert_eq!(&*statement_text(b"import \xff"), "import \u{fffd}");
        let long = format!("import {}", "x".repeat(300));
        let text = statement_text(long.as_bytes());
        assert_eq!(text.chars().count(), MAX_TEXT + 1);
        assert!(text.ends_with('…'));
        // Cut between characters: `import ` and 76 two-byte ones fill 159 of 160 bytes.
        let long = format!("import {}", "é".repeat(100));
        assert_eq!(&*statement_text(long.as_bytes()), format!("import {}…", "é".repeat(76)));
        let long = format!("import {} {}", "x".repeat(150), "€".repeat(10));
        assert_eq!(
            &*statement_text(long.as_bytes()),
            format!("import {} …", "x".repeat(150))
        );
    }
}
