//! Python import scanner: a byte lexer that knows just enough of Python to find the
//! `import` and `from` statements and the blocks they sit in.
//!
//! It tracks strings (single, triple-quoted, any prefix: a backslash escapes the quote even
//! in raw strings, so prefixes need no special case), comments, backslash continuations,
//! bracket depth and indentation, and looks at a statement only where one starts: at the
//! start of a logical line, or after `;`. Indentation is kept as a stack of the blocks
//! that change an import's kind, each with the guard that did (named at its line in the
//! report): a `def` body makes it lazy; a branch of an `if`/`elif`/`else` chain whose
//! conditions name `TYPE_CHECKING` is typing-only when it never runs with `TYPE_CHECKING`
//! false, lazy when a type checker always takes it but a run only if something else holds
//! (`if TYPE_CHECKING or SLOW_IMPORT:`; see [`Views`]). Typing-only wins: such code never
//! runs. The keys of an `_import_structure` dict that the file hands to a lazy module in
//! `sys.modules[__name__]` (transformers, diffusers) are lazy imports of the submodules
//! they name. Conditions are read only when their statement names `TYPE_CHECKING`, the
//! dict only in statements starting with its name: nothing is added per byte. Every byte
//! is visited a bounded number of times, so the scan is linear even on a 20 MB generated
//! file, and bad input (Python 2, syntax errors, an unterminated string) only ends a
//! statement early: at the end of the line for a one-quote string, at the end of the file
//! for a triple-quoted one. What cannot be read (a condition too deep, keys computed at
//! run time) is counted as uncertain, never guessed.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use memchr::memmem::Finder;
use memchr::{memchr, memchr2, memchr3};
use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use crate::model::{Guard, GuardReason, ImportKind};

use super::{capped_text, statement_text, Found, LineCounter, PythonImport, RawImport, Target, IMPORT};

mod conditions;
mod structure;

use conditions::{evaluate, header_colon, Views, MAX_CONDITION};
use structure::IMPORT_STRUCTURE;

static TYPE_CHECKING: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"TYPE_CHECKING"));

/// Why a condition was not read, as counted in `uncertain`.
const CONDITION_UNREAD: &str = "`TYPE_CHECKING` condition too long or too deep to read";

/// The imports of one Python file, in file order. `own_name` is the file's module name
/// within its folder (`None` for an `__init__.py`): an `_import_structure` names the
/// submodules of the module it belongs to.
pub fn scan(bytes: &[u8], own_name: Option<&str>) -> Found {
    // Every import statement holds the keyword `import`, so none starts after the last
    // one: the scan ends there. On executorch that leaves 30 % of the Python bytes to lex.
    let Some(last_keyword) = last_import_keyword(bytes) else {
        return Found::default();
    };
    let mut scanner = Scanner {
        bytes,
        blocks: Vec::new(),
        chains: Vec::new(),
        alias: None,
        own_name,
        structure_keys: FxHashSet::default(),
        structure_imports: Vec::new(),
        lines: LineCounter::new(),
        out: Found::default(),
        cleaned: Vec::new(),
        targets: Vec::new(),
    };
    scanner.run(last_keyword);
    scanner.finish_structure();
    scanner.out
}

/// The file's module name within its folder, for [`scan`]: `None` for a package's
/// `__init__`.
pub fn own_name(file_name: &str) -> Option<&str> {
    let stem = file_name
        .strip_suffix(".py")
        .or_else(|| file_name.strip_suffix(".pyi"))
        .unwrap_or(file_name);
    (stem != "__init__").then_some(stem)
}

/// Where the last `import` that stands as a word (in code, a string or a comment alike)
/// starts. memchr's forward searcher is vectorized, its reverse one is not (it took half of
/// the Python scan's time): so the file is searched forward a chunk at a time, from its
/// end back, and the search stops at the first chunk holding the keyword. Imports sit near
/// the top of most files: on executorch this reads 70 % of the bytes rather than all.
fn last_import_keyword(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 16 * 1024;
    let is_word_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b >= 0x80;
    let is_keyword = |&start: &usize| {
        let before = start.checked_sub(1).map(|i| &bytes[i]);
        let after = bytes.get(start + b"import".len());
        !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte)
    };
    let mut end = bytes.len();
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        // The keywords that start in `start..end`, whole: each is found in one chunk only.
        let window = &bytes[start..(end + b"import".len() - 1).min(bytes.len())];
        let last = IMPORT.find_iter(window).map(|i| start + i).filter(is_keyword).last();
        if last.is_some() {
            return last;
        }
        end = start;
    }
    None
}

/// An open block that changes the kind of the imports in it. Only a block of a stronger
/// kind than the one around it is opened (a `def` inside `if TYPE_CHECKING:` changes
/// nothing), so there are at most two, and deep nesting costs nothing.
struct Block {
    /// The header's indentation: the block closes at a line indented no deeper.
    indent: usize,
    kind: ImportKind,
    reason: GuardReason,
    /// Where the guarding statement starts (for an `else`, the `if` of its chain).
    header: usize,
    is_else: bool,
    /// Built at the first import inside: most blocks hold none.
    guard: Option<Arc<Guard>>,
}

/// An `if`/`elif` chain whose conditions name `TYPE_CHECKING`, open for its `elif` and
/// `else` branches.
struct Chain {
    indent: usize,
    /// Where its `if` starts.
    header: usize,
    /// The value of "every condition so far is false": what the next branch runs under.
    rest: Views,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Branch {
    If,
    Elif,
    Else,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    /// Open blocks, innermost last (see [`Block`]).
    blocks: Vec<Block>,
    /// Open chains, innermost last.
    chains: Vec<Chain>,
    /// The name `TYPE_CHECKING` was imported under (`from typing import TYPE_CHECKING as TC`).
    alias: Option<Box<[u8]>>,
    own_name: Option<&'a str>,
    /// The `_import_structure` keys seen, and the index of each one's import in `out`.
    structure_keys: FxHashSet<Box<str>>,
    structure_imports: Vec<usize>,
    lines: LineCounter,
    out: Found,
    /// The statement being parsed, cleaned, and what it names: buffers kept between
    /// statements (executorch has 30,000 imports; allocating them was half the scan).
    cleaned: Vec<u8>,
    targets: Vec<Target>,
}

impl Scanner<'_> {
    /// Scans the logical lines that start at or before `last_keyword`.
    fn run(&mut self, last_keyword: usize) {
        let mut pos = 0;
        while pos <= last_keyword {
            let (indent, start) = indentation(self.bytes, pos);
            match self.bytes.get(start) {
                None => break,
                Some(_) if start > last_keyword => break,
                Some(b'\n' | b'\r') => pos = start + 1,
                Some(b'#') => pos = line_end(self.bytes, start),
                Some(_) => {
                    self.close_blocks(indent, start);
                    pos = self.logical_line(indent, start);
                }
            }
        }
    }

    /// Closes the blocks a line at `indent` ends, and the chains, unless it is their
    /// `elif` or `else`. Both lists are ordered by indentation, so this pops from the end.
    fn close_blocks(&mut self, indent: usize, start: usize) {
        while self.blocks.last().is_some_and(|block| block.indent >= indent) {
            self.blocks.pop();
        }
        if self.chains.is_empty() {
            return;
        }
        let continues = matches!(first_word(&self.bytes[start..]), b"elif" | b"else");
        while self
            .chains
            .last()
            .is_some_and(|chain| chain.indent > indent || chain.indent == indent && !continues)
        {
            self.chains.pop();
        }
    }

    /// Handles the statements of the logical line at `start`; returns where the next
    /// line starts.
    fn logical_line(&mut self, indent: usize, mut start: usize) -> usize {
        loop {
            start = skip_blanks(self.bytes, start);
            let (end, semicolon) = statement_end(self.bytes, start);
            self.statement(indent, start, end);
            if !semicolon {
                return end;
            }
            start = end;
        }
    }

    fn statement(&mut self, indent: usize, start: usize, end: usize) {
        let text = &self.bytes[start..end];
        match first_word(text) {
            b"import" | b"from" => {
                let (kind, guard) = self.kind();
                self.import(start, text, kind, guard);
            }
            b"def" => self.def(indent, start, end, b"def".len()),
            b"async" if first_word(text[5..].trim_ascii_start()) == b"def" => {
                let def = text.len() - text[5..].trim_ascii_start().len() + b"def".len();
                self.def(indent, start, end, def);
            }
            b"if" => self.branch(indent, start, end, Branch::If),
            b"elif" => self.branch(indent, start, end, Branch::Elif),
            b"else" => self.branch(indent, start, end, Branch::Else),
            b"try" | b"except" | b"finally" | b"with" | b"for" | b"while" | b"class" => self.one_line_body(start, end),
            IMPORT_STRUCTURE => self.import_structure(start, end),
            _ => {}
        }
    }

    /// A function body is lazy; a module's own `__getattr__` (at column 0) is named as such.
    fn def(&mut self, indent: usize, start: usize, end: usize, name_at: usize) {
        let name = first_word(self.bytes[start + name_at..end].trim_ascii_start());
        let reason = match (indent, name) {
            (0, b"__getattr__") => GuardReason::ModuleGetattr,
            _ => GuardReason::Function,
        };
        self.open(indent, ImportKind::Lazy, reason, start, false);
        self.one_line_body(start, end);
    }

    /// An `if`, `elif` or `else` header: the branch's kind from its chain's conditions
    /// (see [`Views`]).
    fn branch(&mut self, indent: usize, start: usize, end: usize, branch: Branch) {
        let condition = match branch {
            Branch::Else => Views::UNKNOWN,
            Branch::If | Branch::Elif => self.condition(start, end),
        };
        let chain = self.chains.last_mut().filter(|chain| chain.indent == indent);
        let (body, header, is_else) = match (branch, chain) {
            (Branch::Else, Some(chain)) => (chain.rest, chain.header, true),
            (Branch::Else, None) => (Views::UNKNOWN, start, false),
            (Branch::Elif, Some(chain)) => {
                let body = chain.rest.and(condition);
                chain.rest = chain.rest.and(condition.not());
                (body, start, false)
            }
            // An `if`, or an `elif` after conditions that do not name `TYPE_CHECKING`.
            (Branch::If | Branch::Elif, _) => {
                let before = match branch {
                    Branch::If => Views::ALWAYS,
                    _ => Views::UNKNOWN,
                };
                if condition != Views::UNKNOWN {
                    let rest = before.and(condition.not());
                    self.chains.push(Chain {
                        indent,
                        header: start,
                        rest,
                    });
                }
                (before.and(condition), start, false)
            }
        };
        if let Some(kind) = body.kind() {
            self.open(indent, kind, GuardReason::TypeChecking, header, is_else);
        }
        self.one_line_body(start, end);
    }

    /// The condition of the `if`/`elif` statement at `start..end`, when it names
    /// `TYPE_CHECKING` (or its alias); unknown otherwise, without reading it.
    fn condition(&mut self, start: usize, end: usize) -> Views {
        let text = &self.bytes[start..end];
        let named = TYPE_CHECKING.find(text).is_some()
            || self
                .alias
                .as_deref()
                .is_some_and(|alias| memchr::memmem::find(text, alias).is_some());
        if !named {
            return Views::UNKNOWN;
        }
        let keyword = first_word(text).len();
        let colon = header_colon(text).unwrap_or(text.len());
        let condition = &text[keyword..colon.max(keyword)];
        let read = (condition.len() <= MAX_CONDITION)
            .then(|| evaluate(condition, self.alias.as_deref(), 0))
            .flatten();
        read.unwrap_or_else(|| {
            self.uncertain(start, &text[..colon], CONDITION_UNREAD);
            Views::UNKNOWN
        })
    }

    /// Opens a block of `kind`, unless an open one is at least as strong.
    fn open(&mut self, indent: usize, kind: ImportKind, reason: GuardReason, header: usize, is_else: bool) {
        // `ImportKind` orders eager < lazy < typing-only: typing-only wins, as such code
        // never runs.
        if self.blocks.last().is_some_and(|block| block.kind >= kind) {
            return;
        }
        self.blocks.push(Block {
            indent,
            kind,
            reason,
            header,
            is_else,
            guard: None,
        });
    }

    /// The imports of a compound statement's one-line body (`if X: import y`), under the
    /// block its header opened.
    fn one_line_body(&mut self, start: usize, end: usize) {
        let text = &self.bytes[start..end];
        // Most headers end their line: nothing to read.
        if text.trim_ascii_end().last() == Some(&b':') {
            return;
        }
        let Some(colon) = header_colon(text) else { return };
        let body = &text[colon + 1..];
        let body_start = start + colon + 1 + (body.len() - body.trim_ascii_start().len());
        if matches!(first_word(&self.bytes[body_start..end]), b"import" | b"from") {
            let (kind, guard) = self.kind();
            self.import(body_start, &self.bytes[body_start..end], kind, guard);
        }
    }

    /// The kind of an import here and the guard that made it so: the innermost block's
    /// (the strongest, see [`Block`]).
    fn kind(&mut self) -> (ImportKind, Option<Arc<Guard>>) {
        let (bytes, lines) = (self.bytes, &mut self.lines);
        let Some(block) = self.blocks.last_mut() else {
            return (ImportKind::Eager, None);
        };
        if block.guard.is_none() {
            block.guard = Some(Arc::new(guard_of(bytes, lines, block)));
        }
        (block.kind, block.guard.clone())
    }

    /// Records the import statement `text` (which starts at byte `start`), if it is one.
    fn import(&mut self, start: usize, text: &[u8], kind: ImportKind, guard: Option<Arc<Guard>>) {
        let plain = clean(text, &mut self.cleaned);
        // Decoded once for all its words (invalid bytes replaced, as they would be word by
        // word: an ASCII delimiter always ends an invalid sequence).
        // Validated first: `from_utf8_lossy` reads valid text chunk by chunk, slower than
        // the validator's ASCII path (nearly every statement is ASCII).
        let cleaned = match std::str::from_utf8(&self.cleaned) {
            Ok(cleaned) => Cow::Borrowed(cleaned),
            Err(_) => String::from_utf8_lossy(&self.cleaned),
        };
        let alias = parse_statement(&cleaned, &mut self.targets);
        if self.targets.is_empty() {
            return;
        }
        if let Some(alias) = alias {
            self.alias = Some(alias.as_bytes().into());
        }
        let line = self.lines.line_at(self.bytes, start);
        let text = match cleaned {
            // Collapsed already; other whitespace (a vertical tab, Unicode's) is collapsed
            // by `statement_text`.
            Cow::Borrowed(cleaned) if plain => capped_text(cleaned),
            _ => statement_text(&self.cleaned),
        };
        self.out.extend(self.targets.drain(..).map(|target| RawImport {
            line,
            kind,
            target,
            text: text.clone(),
            guard: guard.clone(),
        }));
    }

    /// A lazy import at `start` whose target is not read, counted for `reason`.
    fn uncertain(&mut self, start: usize, text: &[u8], reason: &'static str) {
        let line = self.lines.line_at(self.bytes, start);
        self.out.push(RawImport {
            line,
            kind: ImportKind::Lazy,
            target: Target::Uncertain(reason),
            text: statement_text(text),
            guard: None,
        });
    }
}

/// The guard of an import in `block`: its header statement, and its line.
fn guard_of(bytes: &[u8], lines: &mut LineCounter, block: &Block) -> Guard {
    let line = lines.line_at(bytes, block.header);
    let (end, _) = statement_end(bytes, block.header);
    let header = &bytes[block.header..end];
    let text = match block.reason {
        GuardReason::Function | GuardReason::ModuleGetattr => {
            // `def name` (or `async def name`): the parameters say nothing of laziness.
            let def = memchr::memmem::find(header, b"def").unwrap_or(0) + b"def".len();
            let name = first_word(header[def..].trim_ascii_start());
            let keyword = &header[..def];
            format!("{} {}", String::from_utf8_lossy(keyword), String::from_utf8_lossy(name))
        }
        GuardReason::TypeChecking | GuardReason::LazyModule => {
            let condition = statement_text(&header[..header_colon(header).unwrap_or(header.len())]);
            match block.is_else {
                true => format!("{condition}: … else"),
                false => condition.to_string(),
            }
        }
    };
    Guard {
        reason: block.reason,
        text,
        line,
    }
}

/// The indentation width of the line at `pos` (tabs to the next multiple of 8, a form
/// feed resets it, as Python's tokenizer does) and where its first other byte is.
fn indentation(bytes: &[u8], mut pos: usize) -> (usize, usize) {
    // Spaces first, eight at a time: most indentation is spaces only, four to sixteen.
    let mut width = 0;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        if chunk != b"        " {
            break;
        }
        width += 8;
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        match b {
            b' ' => width += 1,
            b'\t' => width = (width / 8 + 1) * 8,
            b'\x0c' => width = 0,
            _ => break,
        }
        pos += 1;
    }
    (width, pos)
}

/// Past the whitespace, line continuations and comments at `pos`: inside brackets,
/// where lines go on.
fn skip_space(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'#' => pos = line_end(bytes, pos),
            b'\\' => pos += 1,
            _ if b.is_ascii_whitespace() => pos += 1,
            _ => break,
        }
    }
    pos
}

fn skip_blanks(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\x0c')) {
        pos += 1;
    }
    pos
}

/// Just past the newline ending the physical line at `pos` (or the end of the file).
fn line_end(bytes: &[u8], pos: usize) -> usize {
    memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i + 1)
}

/// The end of the statement starting at `pos`: just past the newline that ends its
/// logical line, or past a `;` at bracket depth 0 (then `true`).
///
/// An unbalanced opening bracket would swallow the rest of the file; so inside brackets a
/// line that starts at column 0 with `import`, `from`, `def` or `class` (never valid there)
/// ends the statement.
fn statement_end(bytes: &[u8], mut pos: usize) -> (usize, bool) {
    let mut depth = 0usize;
    while pos < bytes.len() {
        // Most bytes are plain code: skip them without the match below.
        let Some(found) = next_special(bytes, pos) else {
            break;
        };
        pos = found;
        let b = bytes[pos];
        match b {
            b'\n' if depth == 0 || starts_statement(&bytes[pos + 1..]) => return (pos + 1, false),
            b'#' => {
                pos = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
                continue;
            }
            b'\\' => pos += 1,
            b'\'' | b'"' => {
                pos = string_end(bytes, pos);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => return (pos + 1, true),
            _ => {}
        }
        pos += 1;
    }
    (bytes.len(), false)
}

/// The first byte at or after `pos` that [`statement_end`] must look at: sixteen bytes
/// at a time where SSE2 is there (every x86-64 processor has it): on executorch the
/// Python scan took 22.3 ms instead of 23.7 (one thread, the files in memory).
fn next_special(bytes: &[u8], mut pos: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = bytes.get(pos..pos + 16) {
        // SAFETY: SSE2 is part of the x86-64 baseline: every processor that runs this
        // build has it.
        let mask = unsafe { special_mask(chunk) };
        if mask != 0 {
            return Some(pos + mask.trailing_zeros() as usize);
        }
        pos += 16;
    }
    bytes[pos..].iter().position(|&b| SPECIAL[b as usize]).map(|i| pos + i)
}

/// Bit `i` set when `chunk[i]` (of 16) is in [`SPECIAL`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn special_mask(chunk: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    let mut low = [0u8; 8];
    let mut high = [0u8; 8];
    low.copy_from_slice(&chunk[..8]);
    high.copy_from_slice(&chunk[8..16]);
    let v = _mm_set_epi64x(i64::from_le_bytes(high), i64::from_le_bytes(low));
    // `(` and `)` differ in their lowest bit; `[ ]` and `{ }` in their 0x20 bit.
    let round = _mm_or_si128(v, _mm_set1_epi8(1));
    let folded = _mm_and_si128(v, _mm_set1_epi8(!0x20));
    let mut any = _mm_cmpeq_epi8(round, _mm_set1_epi8(b')' as i8));
    for (bytes, byte) in [
        (v, b'\n'),
        (v, b'#'),
        (v, b'\\'),
        (v, b'\''),
        (v, b'"'),
        (v, b';'),
        (folded, b'['),
        (folded, b']'),
    ] {
        any = _mm_or_si128(any, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(byte as i8)));
    }
    _mm_movemask_epi8(any) as u32
}

/// The bytes [`statement_end`] must look at.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"\n#\\'\"()[]{};";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

fn starts_statement(line: &[u8]) -> bool {
    let word = first_word(line);
    matches!(word, b"import" | b"from" | b"def" | b"class") && line.get(word.len()).is_some_and(|b| *b == b' ')
}

/// Just past the string whose opening quote is at `pos`. An unterminated one-quote string
/// ends before the newline (so the line still ends), a triple-quoted one at end of file.
fn string_end(bytes: &[u8], pos: usize) -> usize {
    let quote = bytes[pos];
    if bytes.get(pos + 1) == Some(&quote) && bytes.get(pos + 2) == Some(&quote) {
        return triple_string_end(bytes, pos + 3, quote);
    }
    let mut at = pos + 1;
    while let Some(i) = memchr3(quote, b'\\', b'\n', &bytes[at..]) {
        let found = at + i;
        match bytes[found] {
            b'\\' => at = found + 2,
            b'\n' => return found,
            _ => return found + 1,
        }
        if at >= bytes.len() {
            break;
        }
    }
    bytes.len()
}

fn triple_string_end(bytes: &[u8], mut at: usize, quote: u8) -> usize {
    while at < bytes.len() {
        let Some(i) = memchr2(quote, b'\\', &bytes[at..]) else {
            break;
        };
        let found = at + i;
        if bytes[found] == b'\\' {
            at = found + 2;
        } else if bytes.get(found + 1) == Some(&quote) && bytes.get(found + 2) == Some(&quote) {
            return found + 3;
        } else {
            at = found + 1;
        }
    }
    bytes.len()
}

/// The identifier at the start of `text` (non-ASCII bytes count as identifier bytes).
fn first_word(text: &[u8]) -> &[u8] {
    let len = text
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80))
        .unwrap_or(text.len());
    &text[..len]
}

/// The statement without comments, continuations and brackets, into `out`, with its
/// ASCII whitespace collapsed to single spaces and trimmed (which splits it into the same
/// tokens); whether it is ASCII without a vertical tab (then collapsed as
/// [`statement_text`] would).
fn clean(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.clear();
    // Most statements are one line of words, dots, commas and single spaces: clean already.
    let trimmed = text.trim_ascii();
    if is_clean(trimmed) {
        out.extend_from_slice(trimmed);
        return true;
    }
    strip_and_collapse(text, out)
}

/// [`clean`], byte by byte, each byte's part read off a table ([`STRIPPED`]); a comment
/// is skipped to its line's end at once. On executorch's 26,000 import statements (the
/// 4,000 written over several lines take this path) with [`is_clean`], [`tokens`] and
/// [`is_dotted`] read off tables too, the statements' parsing took 9 % fewer instructions.
fn strip_and_collapse(text: &[u8], out: &mut Vec<u8>) -> bool {
    out.reserve(text.len());
    let mut space = false;
    let mut plain = true;
    let mut at = 0;
    while at < text.len() {
        let b = text[at];
        match STRIPPED[b as usize] {
            KEPT => {
                if space && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                plain &= b.is_ascii() && b != b'\x0b';
                out.push(b);
            }
            BLANK => space = true,
            _ => {
                // A comment: up to the newline that ends it, itself a blank.
                at = memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
                continue;
            }
        }
        at += 1;
    }
    plain
}

/// What [`strip_and_collapse`] does with a byte: keeps it, reads it as a blank (ASCII
/// whitespace, a continuation's backslash, a bracket, `;`), or skips the comment it starts.
const KEPT: u8 = 0;
const BLANK: u8 = 1;
const COMMENT: u8 = 2;
const STRIPPED: [u8; 256] = byte_classes(KEPT, &[(b"\t\n\x0c\r \\();", BLANK), (b"#", COMMENT)]);

/// A table of `default` but for the bytes of each of `classes`, which have its class.
const fn byte_classes(default: u8, classes: &[(&[u8], u8)]) -> [u8; 256] {
    let mut table = [default; 256];
    let mut c = 0;
    while c < classes.len() {
        let (bytes, class) = classes[c];
        let mut i = 0;
        while i < bytes.len() {
            table[bytes[i] as usize] = class;
            i += 1;
        }
        c += 1;
    }
    table
}

/// Whether `text` holds only the bytes of identifiers (ASCII), dots, commas, stars and
/// single spaces: what [`clean`] would leave as it is.
fn is_clean(text: &[u8]) -> bool {
    // Without branches: statements are short, and nearly all are clean.
    let mut clean = true;
    let mut space = false;
    for &b in text {
        let this = b == b' ';
        clean &= CLEAN[b as usize] & !(space & this);
        space = this;
    }
    clean
}

/// The bytes [`is_clean`] accepts.
const CLEAN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'_' | b'.' | b',' | b'*' | b' ');
        b += 1;
    }
    table
};

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Comma,
    Star,
}

/// A statement's tokens: most statements have fewer than 16, which then need no
/// allocation (executorch has 26,000 import statements).
type Tokens<'a> = SmallVec<[Token<'a>; 16]>;

fn tokens(text: &str) -> Tokens<'_> {
    let mut out = Tokens::new();
    let mut pos = 0;
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match TOKEN_BYTE[bytes[pos] as usize] {
            COMMA => out.push(Token::Comma),
            STAR => out.push(Token::Star),
            SPACE => {}
            _ => {
                // Words end at ASCII bytes: their bounds are character bounds.
                let start = pos;
                pos += 1;
                while pos < bytes.len() && TOKEN_BYTE[bytes[pos] as usize] == WORD {
                    pos += 1;
                }
                out.push(Token::Word(&text[start..pos]));
                continue;
            }
        }
        pos += 1;
    }
    out
}

/// What a byte is to [`tokens`]: part of a word, ASCII whitespace, a comma or a star.
const WORD: u8 = 0;
const SPACE: u8 = 1;
const COMMA: u8 = 2;
const STAR: u8 = 3;
const TOKEN_BYTE: [u8; 256] = byte_classes(WORD, &[(b"\t\n\x0c\r ", SPACE), (b",", COMMA), (b"*", STAR)]);

/// What an `import` or `from` statement names, into `out` (left empty when it is not one).
/// Returns the name `TYPE_CHECKING` is imported under when the statement renames it
/// (`from typing import TYPE_CHECKING as TC`), read off the tokens already made.
fn parse_statement<'c>(cleaned: &'c str, out: &mut Vec<Target>) -> Option<&'c str> {
    let mut tokens = tokens(cleaned);
    if let Some(Token::Word(first)) = tokens.first() {
        if first.starts_with("from.") {
            // `from.q import r` is valid Python.
            let module = &first[4..];
            tokens[0] = Token::Word("from");
            tokens.insert(1, Token::Word(module));
        }
    }
    match tokens.split_first() {
        Some((Token::Word("import"), rest)) => out.extend(parse_import(rest)),
        Some((Token::Word("from"), rest)) => {
            out.extend(parse_from(rest));
            return rest.windows(3).find_map(|words| match words {
                [Token::Word("TYPE_CHECKING"), Token::Word("as"), Token::Word(alias)] if is_name(alias) => Some(*alias),
                _ => None,
            });
        }
        _ => {}
    }
    None
}

/// An identifier (non-ASCII bytes count as identifier bytes).
fn is_name(word: &str) -> bool {
    !word.is_empty() && !word.contains('.') && is_dotted(word)
}

/// `import a.b as c, d`: one target per module.
fn parse_import<'t>(rest: &'t [Token<'_>]) -> impl Iterator<Item = Target> + 't {
    rest.split(|t| *t == Token::Comma)
        .filter_map(|group| match group.first() {
            Some(Token::Word(module)) if is_dotted(module) => {
                Some(Target::Python(PythonImport::new(0, module, None::<&str>)))
            }
            _ => None,
        })
}

/// `from ..a import (x as y, z)`, `from . import x`, `from a import *`.
fn parse_from(rest: &[Token<'_>]) -> Option<Target> {
    let mut words = rest.iter();
    let mut level = 0;
    let mut module = "";
    loop {
        match words.next()? {
            Token::Word("import") => break,
            Token::Word(word) if module.is_empty() => {
                let dots = word.bytes().take_while(|&b| b == b'.').count();
                level += dots;
                module = &word[dots..];
                if !module.is_empty() && !is_dotted(module) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    if level == 0 && module.is_empty() {
        return None;
    }
    let names = imported_names(words.as_slice());
    Some(Target::Python(PythonImport::new(level, module, names)))
}

/// The names after `import` in a `from` statement (`*` for a star import).
fn imported_names<'t>(rest: &'t [Token<'t>]) -> impl Iterator<Item = &'t str> + Clone {
    rest.split(|t| *t == Token::Comma)
        .filter_map(|group| match group.first() {
            Some(Token::Word(name)) => Some(*name),
            Some(Token::Star) => Some("*"),
            _ => None,
        })
}

/// `a.b.c` made of identifiers (a keyword-free check is not needed: the resolver only
/// looks the name up).
fn is_dotted(word: &str) -> bool {
    // One pass: no part is empty (no dot first, last or doubled), every other byte is an
    // identifier's.
    let mut part_empty = true;
    for &b in word.as_bytes() {
        if b == b'.' {
            if part_empty {
                return false;
            }
            part_empty = true;
        } else if IDENTIFIER[b as usize] {
            part_empty = false;
        } else {
            return false;
        }
    }
    !part_empty
}

/// The bytes of an identifier (non-ASCII bytes count as identifier bytes).
const IDENTIFIER: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize || b >= 0x80;
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixteen_byte_search_finds_what_the_table_finds() {
        let by_table =
            |bytes: &[u8], pos: usize| bytes[pos..].iter().position(|&b| SPECIAL[b as usize]).map(|i| pos + i);
        for byte in 0..=255u8 {
            for at in [0, 7, 8, 15, 16, 17, 31, 39] {
                let mut bytes = vec![b'a'; 40];
                bytes[at] = byte;
                for pos in [0, 1, 9, 16, 24, 25, 39, 40] {
                    assert_eq!(
                        next_special(&bytes, pos),
                        by_table(&bytes, pos),
                        "{byte:#x} at {at} from {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_statement_clean_already_is_left_as_the_byte_by_byte_cleaning_leaves_it() {
        let statements = [
            "import os\n",
            "  from a.b import c, d as e\r\n",
            "from . import *",
            "from .x import y,z",
            "import a  as b",
            "import a\tb",
            "from a import (b)",
            "import a # c",
            "import a; import b",
            "import a \\\n b",
            "import caf\u{e9}",
            "import a\x0bb",
            "",
        ];
        for statement in statements {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            let plain = clean(statement.as_bytes(), &mut fast);
            assert_eq!(
                plain,
                strip_and_collapse(statement.as_bytes(), &mut slow),
                "{statement:?}"
            );
            assert_eq!(fast, slow, "{statement:?}");
        }
        assert!(is_clean(b"from a.b import c, d as e"));
        assert!(!is_clean(b"import a  as b"));
    }

    /// The table-driven [`strip_and_collapse`], [`is_clean`], [`tokens`] and [`is_dotted`]
    /// against the byte-by-byte rules they replaced, on every byte in a few places.
    #[test]
    fn the_tables_read_every_byte_as_the_byte_by_byte_rules_did() {
        fn strip_by_bytes(text: &[u8], out: &mut Vec<u8>) -> bool {
            let (mut in_comment, mut space, mut plain) = (false, false, true);
            for &b in text {
                let b = match b {
                    b'\n' => {
                        in_comment = false;
                        b' '
                    }
                    _ if in_comment => continue,
                    b'#' => {
                        in_comment = true;
                        continue;
                    }
                    b'\\' | b'(' | b')' | b';' => b' ',
                    _ => b,
                };
                if b.is_ascii_whitespace() {
                    space = true;
                    continue;
                }
                if space && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                plain &= b.is_ascii() && b != b'\x0b';
                out.push(b);
            }
            plain
        }
        fn clean_by_bytes(text: &[u8]) -> bool {
            let mut space = false;
            text.iter().all(|&b| {
                let double_space = space && b == b' ';
                space = b == b' ';
                CLEAN[b as usize] && !double_space
            })
        }
        fn tokens_by_bytes(text: &str) -> Vec<Token<'_>> {
            let (mut out, mut pos, bytes) = (Vec::new(), 0, text.as_bytes());
            while pos < bytes.len() {
                match bytes[pos] {
                    b',' => out.push(Token::Comma),
                    b'*' => out.push(Token::Star),
                    b if b.is_ascii_whitespace() => {}
                    _ => {
                        let len = bytes[pos..]
                            .iter()
                            .position(|&b| b.is_ascii_whitespace() || b == b',' || b == b'*')
                            .unwrap_or(bytes.len() - pos);
                        out.push(Token::Word(&text[pos..pos + len]));
                        pos += len;
                        continue;
                    }
                }
                pos += 1;
            }
            out
        }
        fn dotted_by_parts(word: &str) -> bool {
            word.as_bytes().split(|&b| b == b'.').all(|part| {
                !part.is_empty()
                    && part
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
            })
        }
        let mut texts: Vec<Vec<u8>> = [
            &b"from a.b import (c,  # d\n  e as f)\n"[..],
            b"import a \\\n  b; c",
            b"#",
            b"a#b\nc",
            b"",
            b"  ",
            b".",
            b"a..b",
            b".a",
            b"a.",
            b"a b",
            b"a  b",
        ]
        .map(<[u8]>::to_vec)
        .to_vec();
        for byte in 0..=255u8 {
            for template in [&b"ab"[..], b"a.b", b" x", b"x #y\nz"] {
                for at in 0..=template.len() {
                    let mut text = template.to_vec();
                    text.insert(at, byte);
                    texts.push(text);
                }
            }
        }
        for text in &texts {
            let (mut by_table, mut by_bytes) = (Vec::new(), Vec::new());
            let plain = strip_and_collapse(text, &mut by_table);
            assert_eq!(plain, strip_by_bytes(text, &mut by_bytes), "{text:?}");
            assert_eq!(by_table, by_bytes, "{text:?}");
            assert_eq!(is_clean(text), clean_by_bytes(text), "{text:?}");
            if let Ok(text) = std::str::from_utf8(text) {
                assert_eq!(tokens(text).into_vec(), tokens_by_bytes(text), "{text:?}");
                assert_eq!(is_dotted(text), dotted_by_parts(text), "{text:?}");
            }
        }
    }

    /// Each import as `line kind level:module[names]` (`line uncertain: reason` for one
    /// not read).
    pub(super) fn compact(source: &str) -> Vec<String> {
        scan(source.as_bytes(), None).kept.iter().map(one).collect()
    }

    fn one(import: &RawImport) -> String {
        let target = match &import.target {
            Target::Python(target) => target,
            Target::Uncertain(reason) => return format!("{} uncertain: {reason}", import.line),
            other => panic!("not a Python target: {other:?}"),
        };
        let names: Vec<&str> = target.names().collect();
        format!(
            "{} {:?} {}:{}{names:?}",
            import.line,
            import.kind,
            target.level,
            target.module()
        )
    }

    /// Each import as [`compact`] writes it, then its guard: `reason `text` line`.
    pub(super) fn guarded(source: &str, own_name: Option<&str>) -> Vec<String> {
        scan(source.as_bytes(), own_name)
            .kept
            .iter()
            .map(|import| match &import.guard {
                Some(guard) => format!("{} <- {:?} `{}` {}", one(import), guard.reason, guard.text, guard.line),
                None => one(import),
            })
            .collect()
    }

    #[test]
    fn function_bodies_are_lazy_and_a_module_getattr_is_named() {
        let source = "\
def __getattr__(name):
    from . import heavy
    return heavy
class C:
    def __getattr__(self, name):
        import lazy
async def load(): import other
";
        assert_eq!(
            guarded(source, None),
            [
                "2 Lazy 1:[\"heavy\"] <- ModuleGetattr `def __getattr__` 1",
                "6 Lazy 0:lazy[] <- Function `def __getattr__` 5",
                "7 Lazy 0:other[] <- Function `async def load` 7",
            ]
        );
    }

    #[test]
    fn statement_text_is_collapsed_whatever_the_whitespace() {
        let texts =
            |source: &[u8]| -> Vec<String> { scan(source, None).kept.iter().map(|i| i.text.to_string()).collect() };
        assert_eq!(
            texts(b"from  a \\\n  import (x,\t# c\n  y ;)\n"),
            ["from a import x, y"]
        );
        let unicode = "from a import (\u{e9},\u{a0}b,\x0bc)\n";
        assert_eq!(texts(unicode.as_bytes()), ["from a import \u{e9}, b, c"]);
        assert_eq!(texts(b"import \xff\n"), ["import \u{fffd}"]);
    }

    /// Invalid UTF-8 in a module or a name is replaced, and the words around it are kept
    /// apart: the statement is decoded once, not word by word.
    #[test]
    fn invalid_utf8_in_names_is_replaced_word_by_word() {
        let targets = |source: &[u8]| -> Vec<String> {
            scan(source, None)
                .kept
                .into_iter()
                .map(|import| match import.target {
                    Target::Python(target) => format!("{}:{:?}", target.module(), target.names().collect::<Vec<_>>()),
                    other => panic!("not a Python target: {other:?}"),
                })
                .collect()
        };
        assert_eq!(
            targets(b"import a\xffb, c\xe9\nfrom p\xc3 import x\xff\xfe,y\n"),
            [
                "a\u{fffd}b:[]",
                "c\u{fffd}:[]",
                "p\u{fffd}:[\"x\u{fffd}\u{fffd}\", \"y\"]"
            ]
        );
    }

    #[test]
    fn plain_and_from_imports() {
        let source = "import os\nimport a.b as c, d\nfrom . import x\nfrom ..p import y\nfrom a import (x,\n    y as z,  # comment\n)\nfrom m import *\nfrom.q import r\n";
        assert_eq!(
            compact(source),
            [
                "1 Eager 0:os[]",
                "2 Eager 0:a.b[]",
                "2 Eager 0:d[]",
                "3 Eager 1:[\"x\"]",
                "4 Eager 2:p[\"y\"]",
                "5 Eager 0:a[\"x\", \"y\"]",
                "8 Eager 0:m[\"*\"]",
                "9 Eager 1:q[\"r\"]",
            ]
        );
    }

    #[test]
    fn the_scan_ends_with_the_statement_of_the_last_import_keyword() {
        let source = "x = 1\nfrom a import (b,\n    c)\n# important: reimport nothing\nimportant = 2\n";
        assert_eq!(compact(source), ["2 Eager 0:a[\"b\", \"c\"]"]);
        assert_eq!(last_import_keyword(source.as_bytes()), Some(13));
        assert_eq!(last_import_keyword(b"important = reimport"), None);
        assert!(compact("def f():\n    pass\n").is_empty());
    }

    #[test]
    fn kinds_follow_blocks() {
        let source = "\
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import t1
    def f():
        import t2
else:
    import e1
def g(x):
    if x:
        import l1
    class C:
        import l2
async def h():
    import l3
class K:
    import e2
    def m(self):
        import l4
try:
    import e3
except ImportError:
    import e4
if typing.TYPE_CHECKING: import t3
import e5; import e6
";
        let got = compact(source);
        let kinds: Vec<_> = got.iter().map(|s| s.split(' ').nth(1).unwrap_or("")).collect();
        assert_eq!(
            kinds,
            [
                "Eager",
                "TypingOnly",
                "TypingOnly",
                "Eager",
                "Lazy",
                "Lazy",
                "Lazy",
                "Eager",
                "Lazy",
                "Eager",
                "Eager",
                "TypingOnly",
                "Eager",
                "Eager"
            ],
            "{got:?}"
        );
    }

    #[test]
    fn strings_and_comments_hide_imports() {
        let source = "x = '''\nimport no1\n'''\ny = \"import no2\" # import no3\nz = (1,\n  2) ; import yes1\ns = r'\\' import no4'\nq = 'unterminated\nimport yes2\nw = \\\n  3\nimport yes3\n";
        let got = compact(source);
        assert_eq!(got, ["6 Eager 0:yes1[]", "9 Eager 0:yes2[]", "12 Eager 0:yes3[]"]);
    }

    #[test]
    fn bad_input_recovers() {
        // Python 2, an unclosed bracket, an unterminated triple-quoted string at the end.
        let source = "print 'hi'\nexec code in ns\nf(1,\nimport after_bracket\nx = \"\"\"\nimport never\n";
        assert_eq!(compact(source), ["4 Eager 0:after_bracket[]"]);
    }

    #[test]
    fn deep_relative_import_is_linear_and_capped_in_text() {
        let source = format!("from {} import x\n", ".".repeat(10_000));
        let imports = scan(source.as_bytes(), None).kept;
        assert_eq!(imports.len(), 1);
        assert!(matches!(&imports[0].target, Target::Python(target) if target.level == 10_000));
        assert!(imports[0].text.chars().count() <= super::super::MAX_TEXT + 1);
    }

    #[test]
    fn not_imports() {
        assert!(compact("importer = 1\nfromage()\nx.import_module('a')\nfrom\n").is_empty());
    }
}
