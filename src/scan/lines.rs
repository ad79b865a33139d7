//! Line counts by tokei's rules, computed faster than tokei computes them.
//!
//! tokei (15.0) is the reference: its language definitions, and its figures, which the
//! inventory must equal. Its state machine, though, tries every comment and quote token
//! with a `memcmp` at every byte of every line that holds any syntax, and splits the
//! leading plain lines of each file across threads with `par_bridge`. On executorch that
//! was 40 % of the audit's CPU time, about what tokei alone spends on the whole tree.
//!
//! [`count`] is a port of `LanguageType::parse_from_slice` (tokei's
//! `language/language_type.rs` and `language/syntax.rs`) that keeps every rule, quirks
//! included, and changes only how the bytes are visited: a byte that starts no token of
//! the language (a table lookup) is passed over without the token comparisons, which
//! would all fail there. Languages that embed others through regular expressions
//! (Markdown, HTML and its kin, Lingua Franca, Jupyter) are rare in source trees and go to
//! tokei itself. The unit tests compare the two on generated text for every language.

use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use tokei::{CodeStats, Config, LanguageType};

use crate::model::LineCounts;

/// What the counter found in one file.
#[derive(Debug, Default)]
pub struct Counted {
    /// The language's own lines.
    pub own: LineCounts,
    /// Lines of other languages embedded in the file.
    pub embedded: LineCounts,
    /// The lines that may hold a C preprocessor directive, noted as the counter passed
    /// them, when asked for; `None` when the counted text is not the file's bytes (a
    /// decoded byte order mark) or tokei counted it.
    pub directives: Option<Vec<DirectiveLine>>,
}

/// A line whose first non-blank byte is `#`: where a preprocessor directive may start
/// (or not: the line may sit in a comment; the include scan decides). The counter trims
/// every line anyway, so noting one costs a byte comparison; the include scan then needs
/// no pass of its own over the bytes (on Linux, that pass was a sixth of the graph's CPU
/// time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectiveLine {
    /// Byte offset of the line start.
    pub start: usize,
    /// 1-based line number.
    pub line: usize,
}

/// tokei's counts for `bytes`: the language's own lines, and the lines of embedded
/// languages; given a `directives` buffer (its contents are dropped), the
/// [`DirectiveLine`]s too. Like `tokei::LanguageType::parse`, a UTF-16 or UTF-8 byte order
/// mark is decoded first, so the figures equal tokei's.
pub fn count(language: LanguageType, bytes: &[u8], config: &Config, directives: Option<Vec<DirectiveLine>>) -> Counted {
    let has_bom =
        bytes.starts_with(b"\xEF\xBB\xBF") || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if has_bom {
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut reader = encoding_rs_io::DecodeReaderBytesBuilder::new().build(bytes);
        if std::io::Read::read_to_end(&mut reader, &mut decoded).is_ok() {
            return count_text(language, &decoded, config, None);
        }
    }
    count_text(language, bytes, config, directives)
}

/// The [`DirectiveLine`]s of `bytes`, found without the counter: the same lines the
/// counter notes, for the files it did not count as they are.
pub fn directive_lines(bytes: &[u8]) -> Vec<DirectiveLine> {
    let mut directives = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while let Some((start, end)) = next_line(bytes, &mut pos) {
        note_directive(&mut directives, start, line, trim(&bytes[start..end]));
        line += 1;
    }
    directives
}

fn note_directive(directives: &mut Vec<DirectiveLine>, start: usize, line: usize, trimmed: &[u8]) {
    if trimmed.first() == Some(&b'#') {
        directives.push(DirectiveLine { start, line });
    }
}

fn count_text(language: LanguageType, text: &[u8], config: &Config, directives: Option<Vec<DirectiveLine>>) -> Counted {
    match syntax(language) {
        Some(syntax) => {
            let doc_strings_as_comments = config.treat_doc_strings_as_comments == Some(true);
            let mut counter = Counter::new(syntax, config, doc_strings_as_comments);
            // Doc blocks are passed over whole, so their lines could not be noted.
            counter.directives = directives.filter(|_| !syntax.rust_docs).map(|mut buffer| {
                buffer.clear();
                buffer
            });
            counter.parse(text);
            Counted {
                own: counter.own,
                embedded: counter.embedded,
                directives: counter.directives,
            }
        }
        None => {
            let (own, embedded) = from_tokei(&language.parse_from_slice(text, config));
            Counted {
                own,
                embedded,
                directives: None,
            }
        }
    }
}

/// Splits tokei's statistics into the language's own lines and its embedded blobs.
fn from_tokei(stats: &CodeStats) -> (LineCounts, LineCounts) {
    let own = LineCounts {
        code: stats.code as u64,
        comments: stats.comments as u64,
        blanks: stats.blanks as u64,
    };
    let mut embedded = LineCounts::default();
    for blob in stats.blobs.values() {
        embedded.add(summarised(blob));
    }
    (own, embedded)
}

fn summarised(stats: &CodeStats) -> LineCounts {
    let all = stats.summarise();
    LineCounts {
        code: all.code as u64,
        comments: all.comments as u64,
        blanks: all.blanks as u64,
    }
}

type Pair = (&'static str, &'static str);

/// One language's tokens, prepared once.
struct Syntax {
    /// tokei's `important_syntax`: a line without any is counted without the state machine.
    important: AhoCorasick,
    line_comments: &'static [&'static str],
    doc_quotes: &'static [Pair],
    verbatim_quotes: &'static [Pair],
    quotes: &'static [Pair],
    multi_line_comments: &'static [Pair],
    nested_comments: &'static [Pair],
    /// Multi-line and nested comments, in that order (tokei's `any_multi_line_comments`).
    any_multi_line: Vec<Pair>,
    allows_nested: bool,
    fortran: bool,
    literate: bool,
    /// Rust: `///` and `//!` blocks are counted as embedded Markdown.
    rust_docs: bool,
    /// The bytes that start a token (or a backslash escape): at any other byte every
    /// token comparison of the state machine fails.
    starts_token: [bool; 256],
    /// `starts_token` and whitespace, after which a Rust doc block may start.
    starts_token_or_space: [bool; 256],
    /// Whether an important token holds whitespace (Forth's `( `, Raku's `=begin pod`).
    important_has_space: bool,
}

/// The prepared syntax of `language`, or `None` for those left to tokei.
fn syntax(language: LanguageType) -> Option<&'static Syntax> {
    static SYNTAXES: LazyLock<Vec<OnceLock<Option<Syntax>>>> =
        LazyLock::new(|| LanguageType::list().iter().map(|_| OnceLock::new()).collect());
    let slot = SYNTAXES.get(language as usize)?;
    slot.get_or_init(|| Syntax::new(language)).as_ref()
}

impl Syntax {
    fn new(language: LanguageType) -> Option<Syntax> {
        use LanguageType::*;
        // Embedding by regular expression, and notebooks: tokei's own code counts these.
        if matches!(
            language,
            Markdown
                | UnrealDeveloperMarkdown
                | LinguaFranca
                | Html
                | RubyHtml
                | Svelte
                | Vue
                | GlimmerJs
                | GlimmerTs
                | Jupyter
        ) {
            return None;
        }
        let important = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(language.important_syntax())
            .ok()?;
        let multi_line_comments = language.multi_line_comments();
        let nested_comments = language.nested_comments();
        let mut syntax = Syntax {
            important,
            line_comments: language.line_comments(),
            doc_quotes: language.doc_quotes(),
            verbatim_quotes: language.verbatim_quotes(),
            quotes: language.quotes(),
            multi_line_comments,
            nested_comments,
            any_multi_line: multi_line_comments.iter().chain(nested_comments).copied().collect(),
            allows_nested: language.allows_nested(),
            fortran: matches!(language, FortranLegacy | FortranModern),
            literate: language.is_literate(),
            rust_docs: language == Rust,
            starts_token: [false; 256],
            starts_token_or_space: [false; 256],
            important_has_space: language.important_syntax().iter().any(|t| t.bytes().any(is_space)),
        };
        syntax.starts_token = syntax.token_starts()?;
        syntax.starts_token_or_space = syntax.starts_token;
        for byte in 0..=u8::MAX {
            syntax.starts_token_or_space[usize::from(byte)] |= is_space(byte);
        }
        Some(syntax)
    }

    /// The first bytes of every token the state machine compares, `None` if a token is
    /// empty (it would match everywhere; no language has one, but then tokei decides).
    fn token_starts(&self) -> Option<[bool; 256]> {
        let pairs = [self.doc_quotes, self.verbatim_quotes, self.quotes, &self.any_multi_line];
        let tokens = pairs
            .iter()
            .flat_map(|pairs| pairs.iter().flat_map(|(start, end)| [*start, *end]))
            .chain(self.line_comments.iter().copied())
            .chain(["\\"]);
        let mut table = [false; 256];
        for token in tokens {
            table[usize::from(*token.as_bytes().first()?)] = true;
        }
        Some(table)
    }
}

/// tokei's whitespace: space and `\t`..=`\r` (vertical tab included).
fn is_space(byte: u8) -> bool {
    byte == b' ' || (b'\t'..=b'\r').contains(&byte)
}

/// How many whitespace bytes `bytes` starts with.
fn trim_start_len(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| !is_space(b)).unwrap_or(bytes.len())
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| !is_space(b)) {
        Some(start) => &bytes[start..],
        None => &[],
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = trim_start(bytes);
    match start.iter().rposition(|&b| !is_space(b)) {
        Some(end) => &start[..=end],
        None => start,
    }
}

/// The next line of `bytes[*pos..]`, terminator included (grep-searcher's `LineStep`).
fn next_line(bytes: &[u8], pos: &mut usize) -> Option<(usize, usize)> {
    let start = *pos;
    if start >= bytes.len() {
        return None;
    }
    let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
    *pos = end;
    Some((start, end))
}

/// Which lines hold important syntax, found by one search over the text rather than one
/// per line. A match never spans lines (no token holds a line feed) and, in languages
/// whose tokens hold no whitespace, never touches the whitespace a line is trimmed of;
/// the others ask per line, as tokei does.
struct ImportantLines<'t> {
    syntax: &'static Syntax,
    matches: Option<aho_corasick::FindIter<'static, 't>>,
    next: Option<usize>,
}

impl<'t> ImportantLines<'t> {
    fn new(syntax: &'static Syntax, text: &'t [u8]) -> Self {
        let mut matches = (!syntax.important_has_space).then(|| syntax.important.find_iter(text));
        let next = matches.as_mut().and_then(|m| m.next()).map(|m| m.start());
        ImportantLines { syntax, matches, next }
    }

    /// Whether `line` (the trimmed `text[start..end]`) holds important syntax. Lines are
    /// asked in order.
    fn in_line(&mut self, start: usize, end: usize, line: &[u8]) -> bool {
        let Some(matches) = self.matches.as_mut() else {
            return self.syntax.important.is_match(line);
        };
        while self.next.is_some_and(|next| next < start) {
            self.next = matches.next().map(|m| m.start());
        }
        self.next.is_some_and(|next| next < end)
    }
}

/// tokei's `SyntaxCounter` with the counts it accumulates.
struct Counter<'a> {
    syntax: &'static Syntax,
    config: &'a Config,
    doc_strings_as_comments: bool,
    quote: Option<&'static str>,
    quote_is_doc_quote: bool,
    quote_is_verbatim: bool,
    stack: Vec<&'static str>,
    own: LineCounts,
    embedded: LineCounts,
    /// Lines starting with `#`, noted when `Some`.
    directives: Option<Vec<DirectiveLine>>,
    /// The 1-based number of the line being counted, and the offset of the text being
    /// counted in the file (`parse` counts the text in two parts).
    line_number: usize,
    offset: usize,
}

/// How the analysis of one line ended.
enum LineEnd {
    /// The line is counted by the comment rule.
    Counted,
    /// A Rust doc block began: its lines, up to this offset, went to embedded Markdown and
    /// the current line is not counted (tokei's rule).
    DocBlock(usize),
}

impl<'a> Counter<'a> {
    fn new(syntax: &'static Syntax, config: &'a Config, doc_strings_as_comments: bool) -> Self {
        Counter {
            syntax,
            config,
            doc_strings_as_comments,
            quote: None,
            quote_is_doc_quote: false,
            quote_is_verbatim: false,
            stack: Vec::new(),
            own: LineCounts::default(),
            embedded: LineCounts::default(),
            directives: None,
            line_number: 1,
            offset: 0,
        }
    }

    /// Notes the line at `start` of the current text if it may be a directive, and moves
    /// to the next line.
    fn next_directive_line(&mut self, start: usize, line: &[u8]) {
        if let Some(directives) = self.directives.as_mut() {
            note_directive(directives, self.offset + start, self.line_number, trim_start(line));
            self.line_number += 1;
        }
    }

    /// `parse_from_slice`: the plain lines before the first line holding important syntax
    /// are classified alone, the rest by the state machine.
    fn parse(&mut self, text: &[u8]) {
        let split = self.syntax.important.find(text).and_then(|m| {
            let start = m.start();
            text[..=start]
                .iter()
                .rev()
                .position(|&c| c == b'\n')
                .filter(|&p| p != 0)
                .map(|p| start - p)
        });
        match split {
            Some(end) => {
                let (plain, rest) = text.split_at(end + 1);
                self.count_plain_lines(plain);
                self.offset = plain.len();
                self.parse_lines(rest);
            }
            None => self.parse_lines(text),
        }
    }

    fn count_plain_lines(&mut self, text: &[u8]) {
        let mut pos = 0;
        while let Some((start, end)) = next_line(text, &mut pos) {
            let line = self.line(&text[start..end]);
            self.next_directive_line(start, line);
            if trim(line).is_empty() {
                self.own.blanks += 1;
            } else if self.syntax.literate || self.starts_with_line_comment(line) {
                self.own.comments += 1;
            } else {
                self.own.code += 1;
            }
        }
    }

    /// FORTRAN counts a comment only in the first column, so its lines are not trimmed.
    fn line<'t>(&self, raw: &'t [u8]) -> &'t [u8] {
        if self.syntax.fortran {
            raw
        } else {
            trim(raw)
        }
    }

    fn starts_with_line_comment(&self, line: &[u8]) -> bool {
        self.syntax.line_comments.iter().any(|c| line.starts_with(c.as_bytes()))
    }

    fn is_plain_mode(&self) -> bool {
        self.quote.is_none() && self.stack.is_empty()
    }

    fn parse_lines(&mut self, lines: &[u8]) {
        let last_non_space = lines.iter().rposition(|&b| !is_space(b));
        let mut important = ImportantLines::new(self.syntax, lines);
        let mut pos = 0;
        while let Some((start, end)) = next_line(lines, &mut pos) {
            let line = self.line(&lines[start..end]);
            self.next_directive_line(start, line);
            if self.counted_alone(line, || important.in_line(start, end, line)) {
                continue;
            }
            let started_in_comments = !self.stack.is_empty()
                || (self.doc_strings_as_comments && self.quote.is_some() && self.quote_is_doc_quote);
            if let LineEnd::DocBlock(block_end) = self.analyse(lines, start, end, last_non_space) {
                pos = block_end;
                continue;
            }
            if self.syntax.literate || self.line_is_comment(line, started_in_comments) {
                self.own.comments += 1;
            } else {
                self.own.code += 1;
            }
        }
    }

    /// `try_perform_single_line_analysis`: blank lines, and lines without important syntax
    /// in plain mode.
    fn counted_alone(&mut self, line: &[u8], has_important: impl FnOnce() -> bool) -> bool {
        if !self.is_plain_mode() {
            false
        } else if trim(line).is_empty() {
            self.own.blanks += 1;
            true
        } else if has_important() {
            false
        } else {
            if self.syntax.literate || self.starts_with_line_comment(line) {
                self.own.comments += 1;
            } else {
                self.own.code += 1;
            }
            true
        }
    }

    /// `perform_multi_line_analysis` over `lines[start..end]`. Windows run to the end of
    /// the text, as in tokei, which stops at the first position after which only
    /// whitespace remains: no token holds whitespace first, so that is `stop`.
    fn analyse(&mut self, lines: &[u8], start: usize, end: usize, last_non_space: Option<usize>) -> LineEnd {
        let stop = end.min(last_non_space.map_or(0, |last| last + 1));
        let mut i = start;
        // Where the whitespace run holding `i` ends (Rust doc detection looks past it).
        let mut space_run_end = 0;
        while i < stop {
            let table = if self.syntax.rust_docs && self.is_plain_mode() {
                &self.syntax.starts_token_or_space
            } else {
                &self.syntax.starts_token
            };
            // At any other byte every comparison below fails.
            match lines[i..stop].iter().position(|&b| table[usize::from(b)]) {
                Some(skipped) => i += skipped,
                None => break,
            }
            if is_space(lines[i]) {
                // Only a Rust doc block can start here.
                if space_run_end <= i {
                    space_run_end = i + trim_start_len(&lines[i..]);
                }
                if let Some(block_end) = self.rust_doc_block(lines, i, space_run_end) {
                    return LineEnd::DocBlock(block_end);
                }
                i += 1;
                continue;
            }
            let window = &lines[i..];
            if let Some(len) = self.end_of_quote(window).or_else(|| self.end_of_multi_line(window)) {
                i += len;
                continue;
            }
            if self.quote.is_some() {
                i += 1;
                continue;
            }
            if self.syntax.rust_docs && self.stack.is_empty() {
                if let Some(block_end) = self.rust_doc_block(lines, i, i) {
                    return LineEnd::DocBlock(block_end);
                }
            }
            if let Some(len) = self.start_of_quote(window).or_else(|| self.start_of_multi_line(window)) {
                i += len;
                continue;
            }
            if self.starts_line_comment(window) {
                break;
            }
            i += 1;
        }
        LineEnd::Counted
    }

    /// `parse_end_of_quote`: the closing quote, or a backslash escape (outside verbatim
    /// strings, and — tokei's rule — outside strings too).
    fn end_of_quote(&mut self, window: &[u8]) -> Option<usize> {
        if let Some(quote) = self.quote.filter(|q| window.starts_with(q.as_bytes())) {
            self.quote = None;
            return Some(quote.len());
        }
        if self.quote_is_verbatim || window.first() != Some(&b'\\') {
            return None;
        }
        let escaped = &window[1..];
        let escapes_quote = self
            .syntax
            .quotes
            .iter()
            .any(|(s, _)| escaped.starts_with(s.as_bytes()));
        (escaped.first() == Some(&b'\\') || escapes_quote).then_some(2)
    }

    fn end_of_multi_line(&mut self, window: &[u8]) -> Option<usize> {
        let last = *self.stack.last()?;
        window.starts_with(last.as_bytes()).then(|| {
            self.stack.pop();
            last.len()
        })
    }

    /// `parse_quote`: doc quotes first, then verbatim strings, then strings.
    fn start_of_quote(&mut self, window: &[u8]) -> Option<usize> {
        if !self.stack.is_empty() {
            return None;
        }
        let kinds = [
            (self.syntax.doc_quotes, true, false),
            (self.syntax.verbatim_quotes, false, true),
            (self.syntax.quotes, false, false),
        ];
        for (pairs, doc, verbatim) in kinds {
            if let Some((start, end)) = pairs.iter().find(|(s, _)| window.starts_with(s.as_bytes())) {
                self.quote = Some(end);
                self.quote_is_doc_quote = doc;
                self.quote_is_verbatim = verbatim;
                return Some(start.len());
            }
        }
        None
    }

    /// `parse_multi_line_comment`: a comment opener inside a comment that does not nest
    /// is passed over without being pushed.
    fn start_of_multi_line(&mut self, window: &[u8]) -> Option<usize> {
        if self.quote.is_some() {
            return None;
        }
        let syntax = self.syntax;
        let pairs = syntax.multi_line_comments.iter().chain(syntax.nested_comments);
        for &(start, end) in pairs {
            if window.starts_with(start.as_bytes()) {
                if self.stack.is_empty() || syntax.allows_nested || syntax.nested_comments.contains(&(start, end)) {
                    self.stack.push(end);
                }
                return Some(start.len());
            }
        }
        None
    }

    fn starts_line_comment(&self, window: &[u8]) -> bool {
        self.is_plain_mode() && self.starts_with_line_comment(window)
    }

    /// tokei's `RegexFamily::Rust` context: from `i`, where the text after whitespace (at
    /// `first_non_space`, possibly on a later line) starts with `///` or `//!`, every
    /// following line that starts with the same marker is Markdown. Returns where the
    /// block ends.
    fn rust_doc_block(&mut self, lines: &[u8], i: usize, first_non_space: usize) -> Option<usize> {
        let rest = &lines[first_non_space..];
        let marker: &[u8] = if rest.starts_with(b"///") {
            b"///"
        } else if rest.starts_with(b"//!") {
            b"//!"
        } else {
            return None;
        };
        let mut pos = i;
        let mut markdown = Vec::new();
        let mut block_end = lines.len();
        while let Some((start, end)) = next_line(lines, &mut pos) {
            if !trim_start(&lines[start..]).starts_with(marker) {
                block_end = start;
                break;
            }
            let line = trim_start(&lines[start..end]);
            markdown.extend_from_slice(&line[3.min(line.len())..]);
            block_end = end;
        }
        let stats = LanguageType::Markdown.parse_from_slice(trim(&markdown), self.config);
        self.embedded.add(summarised(&stats));
        Some(block_end)
    }

    /// tokei's `line_is_comment`, rule for rule.
    fn line_is_comment(&self, line: &[u8], started_in_comments: bool) -> bool {
        let trimmed = trim(line);
        let any_multi_line = &self.syntax.any_multi_line;
        if self.quote.is_some() {
            return self.quote_is_doc_quote && self.doc_strings_as_comments;
        }
        let closes_doc_string = self
            .syntax
            .doc_quotes
            .iter()
            .any(|(_, end)| memchr::memmem::find(line, end.as_bytes()).is_some());
        if closes_doc_string && started_in_comments {
            return true;
        }
        let whole_line_is_comment = self.starts_with_line_comment(trimmed)
            || any_multi_line
                .iter()
                .any(|(start, end)| trimmed.starts_with(start.as_bytes()) && trimmed.ends_with(end.as_bytes()));
        if whole_line_is_comment || started_in_comments {
            return true;
        }
        self.stack.last().is_some_and(|open| {
            any_multi_line
                .iter()
                .any(|(start, end)| end == open && trimmed.starts_with(start.as_bytes()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(language: LanguageType, text: &[u8]) -> (LineCounts, LineCounts) {
        let counted = count(language, text, &Config::default(), None);
        (counted.own, counted.embedded)
    }

    fn tokei_counts(language: LanguageType, text: &[u8]) -> (LineCounts, LineCounts) {
        from_tokei(&language.parse_from_slice(text, &Config::default()))
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Text made of the language's own tokens, whitespace, escapes and words: the inputs
    /// where the state machine's rules differ.
    fn generated(language: LanguageType, rng: &mut Rng, pieces: usize) -> Vec<u8> {
        let mut alphabet: Vec<&str> = vec![
            " ", "  ", "\t", "\n", "\n", "\n", "\r\n", "\x0b", "\\", "\\\\", "x", "code()", "///", "//!", "//", "#",
            "\"", "'", "\n    ", "\n\n",
        ];
        alphabet.extend(language.line_comments());
        alphabet.extend(language.important_syntax());
        for pairs in [
            language.quotes(),
            language.doc_quotes(),
            language.verbatim_quotes(),
            language.multi_line_comments(),
            language.nested_comments(),
        ] {
            for (start, end) in pairs {
                alphabet.extend([*start, *end]);
            }
        }
        let mut text = Vec::new();
        for _ in 0..pieces {
            text.extend_from_slice(alphabet[rng.below(alphabet.len())].as_bytes());
        }
        text
    }

    #[test]
    fn equals_tokei_on_generated_text_in_every_language() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for (language, _) in LanguageType::list() {
            for case in 0..300 {
                let text = generated(*language, &mut rng, 1 + case % 60);
                assert_eq!(
                    counts(*language, &text),
                    tokei_counts(*language, &text),
                    "{language:?} on {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
    }

    #[test]
    fn equals_tokei_on_this_crates_sources() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["src", "tests", "scripts", ".ci"] {
            for entry in walk(&root.join(dir)) {
                let Some(language) = LanguageType::from_path(&entry, &Config::default()) else {
                    continue;
                };
                let Ok(text) = std::fs::read(&entry) else { continue };
                assert_eq!(
                    counts(language, &text),
                    tokei_counts(language, &text),
                    "{}",
                    entry.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} files compared");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return files;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn the_counters_directive_lines_are_those_found_without_it() {
        use LanguageType::*;
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut noted = 0;
        for language in [C, CHeader, Cpp, CppHeader, Cuda, ObjectiveC, ObjectiveCpp] {
            for case in 0..300 {
                let text = generated(language, &mut rng, 1 + case % 60);
                let counted = count(
                    language,
                    &text,
                    &Config::default(),
                    Some(vec![DirectiveLine { start: 9, line: 9 }]),
                );
                let expected = directive_lines(&text);
                noted += expected.len();
                assert_eq!(
                    counted.directives.as_deref(),
                    Some(&expected[..]),
                    "{language:?} on {:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
        assert!(noted > 500, "only {noted} directive lines");
    }

    #[test]
    fn directive_lines_are_left_to_the_caller_when_the_text_was_decoded() {
        let text = b"\xEF\xBB\xBF#include \"a.h\"\n";
        assert_eq!(
            count(LanguageType::C, text, &Config::default(), Some(Vec::new())).directives,
            None
        );
        assert_eq!(directive_lines(text), []);
        let text = b"/* x */\n  #include \"a.h\"\n#\n";
        assert_eq!(
            count(LanguageType::C, text, &Config::default(), Some(Vec::new())).directives,
            Some(vec![
                DirectiveLine { start: 8, line: 2 },
                DirectiveLine { start: 25, line: 3 }
            ])
        );
        assert_eq!(count(LanguageType::C, text, &Config::default(), None).directives, None);
    }

    #[test]
    fn rust_doc_comments_are_embedded_markdown() {
        let text = b"/// Adds.\n/// More.\nfn add() {}\n";
        let (own, embedded) = counts(LanguageType::Rust, text);
        assert_eq!((own.code, embedded.comments), (1, 2));
    }

    #[test]
    fn a_byte_order_mark_is_decoded_first() {
        let text = b"\xEF\xBB\xBFx = 1\n# note\n";
        let (own, _) = counts(LanguageType::Python, text);
        assert_eq!((own.code, own.comments), (1, 1));
    }
}
