//! JavaScript/TypeScript import scanner: `import … from '…'`, `import '…'`,
//! `export … from '…'`, `require('…')` and dynamic `import('…')` (lazy: it runs when
//! reached). `import type` / `export type` are typing-only (erased by the compiler).
//!
//! A tokenizer skips comments, strings, template literals and regular expressions (a `/`
//! starts one where an operand is expected, the usual rule), then the statements are
//! matched on the tokens.

use memchr::{memchr, memchr2};

use super::quoted_end;

use crate::model::ImportKind;

use super::{statement_text, Found, LineCounter, RawImport, Target, COMMENT_END};

/// How many tokens an `import`/`export` clause may span before its `from` (longer ones
/// are not import clauses; the bound keeps the matching linear).
const MAX_CLAUSE_TOKENS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Str,
    Punct(u8),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// The imports of one JavaScript/TypeScript file.
///
/// Tokens are read into a window that holds the one before the current token and the
/// [`MAX_CLAUSE_TOKENS`] after it (all a clause may need), never the whole file: a file of
/// one-character tokens would otherwise cost 24 bytes a byte (issue 18).
pub fn scan(bytes: &[u8]) -> Found {
    let mut lexer = Lexer {
        bytes,
        pos: 0,
        last: None,
    };
    let mut window: Vec<Token> = Vec::new();
    let mut lines = LineCounter::new();
    let mut out = Found::default();
    // `window[i]` is the current token; `window[i - 1]` the one before it, if any.
    let mut i = 0;
    loop {
        while window.len() <= i + MAX_CLAUSE_TOKENS {
            let Some(token) = lexer.next() else { break };
            window.push(token);
        }
        let Some(&token) = window.get(i) else { break };
        if let Some((source, kind)) = import_of(bytes, &window, i) {
            let specifier = &bytes[window[source].start + 1..window[source].end - 1];
            out.push(RawImport {
                line: lines.line_at(bytes, token.start),
                kind,
                target: Target::JavaScript(String::from_utf8_lossy(specifier).into_owned()),
                text: statement_text(&bytes[token.start..window[source].end]),
                guard: None,
            });
        }
        i += 1;
        // Drop what is behind, keeping one token of look-back; amortized, each token moves
        // at most once.
        if i > 2 * MAX_CLAUSE_TOKENS {
            window.drain(..i - 1);
            i = 1;
        }
    }
    out
}

/// The string token of an import that starts at `tokens[i]`, and how it imports.
fn import_of(bytes: &[u8], tokens: &[Token], i: usize) -> Option<(usize, ImportKind)> {
    let token = tokens[i];
    if token.kind != Kind::Word || (i > 0 && tokens[i - 1].kind == Kind::Punct(b'.')) {
        return None;
    }
    match &bytes[token.start..token.end] {
        b"import" => import_at(bytes, tokens, i),
        b"export" => clause_source(bytes, tokens, i).map(|s| (s, kind_of_clause(bytes, tokens, i))),
        b"require" => call_argument(tokens, i).map(|s| (s, ImportKind::Eager)),
        _ => None,
    }
}

/// The string token an `import` at `i` loads, and how.
fn import_at(bytes: &[u8], tokens: &[Token], i: usize) -> Option<(usize, ImportKind)> {
    match tokens.get(i + 1)?.kind {
        Kind::Punct(b'(') => call_argument(tokens, i).map(|s| (s, ImportKind::Lazy)),
        Kind::Str => Some((i + 1, ImportKind::Eager)),
        _ => clause_source(bytes, tokens, i).map(|s| (s, kind_of_clause(bytes, tokens, i))),
    }
}

/// `f('x')`: the index of the string token.
fn call_argument(tokens: &[Token], i: usize) -> Option<usize> {
    let open = tokens.get(i + 1)?.kind == Kind::Punct(b'(');
    let string = tokens.get(i + 2)?.kind == Kind::Str;
    let close = tokens.get(i + 3)?.kind == Kind::Punct(b')');
    (open && string && close).then_some(i + 2)
}

/// The string after `from` in an import/export clause starting at `i`.
fn clause_source(bytes: &[u8], tokens: &[Token], i: usize) -> Option<usize> {
    for j in i + 1..tokens.len().min(i + MAX_CLAUSE_TOKENS) {
        let token = tokens[j];
        match token.kind {
            Kind::Word if &bytes[token.start..token.end] == b"from" && tokens.get(j + 1)?.kind == Kind::Str => {
                return Some(j + 1)
            }
            Kind::Word | Kind::Punct(b'{' | b'}' | b',' | b'*') => {}
            _ => return None,
        }
    }
    None
}

/// `import type { X } from …` / `export type { X } from …` are erased at compile time
/// (but `import type from 'm'` imports a default export named `type`).
fn kind_of_clause(bytes: &[u8], tokens: &[Token], i: usize) -> ImportKind {
    let word = |k: usize| tokens.get(k).map(|t| &bytes[t.start..t.end]);
    if word(i + 1) == Some(b"type") && word(i + 2) != Some(b"from") {
        ImportKind::TypingOnly
    } else {
        ImportKind::Eager
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Words, strings, template and regular-expression literals (as punctuation) and
/// punctuation, one at a time; comments dropped. `last` is the token before, which tells a
/// regular expression from a division.
struct Lexer<'b> {
    bytes: &'b [u8],
    pos: usize,
    last: Option<Token>,
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.bytes;
        while self.pos < bytes.len() {
            let pos = self.pos;
            let b = bytes[pos];
            let (kind, end) = match (b, bytes.get(pos + 1).copied()) {
                (b'/', Some(b'/')) => {
                    self.pos = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
                    continue;
                }
                (b'/', Some(b'*')) => {
                    self.pos = COMMENT_END.find(&bytes[pos + 2..]).map_or(bytes.len(), |i| pos + 4 + i);
                    continue;
                }
                (b'/', _) if expects_operand(bytes, self.last.as_ref()) => {
                    (Kind::Punct(b'/'), regex_end(bytes, pos + 1))
                }
                (b'\'' | b'"', _) => (Kind::Str, quoted_end(bytes, pos + 1, b)),
                (b'`', _) => (Kind::Punct(b'`'), template_end(bytes, pos + 1)),
                _ if is_ident(b) => (
                    Kind::Word,
                    pos + bytes[pos..].iter().take_while(|&&b| is_ident(b)).count(),
                ),
                _ if b.is_ascii_whitespace() => {
                    self.pos += 1;
                    continue;
                }
                _ => (Kind::Punct(b), pos + 1),
            };
            let token = Token { kind, start: pos, end };
            self.pos = end;
            self.last = Some(token);
            return Some(token);
        }
        None
    }
}

/// Whether a `/` after `previous` starts a regular expression: after an operator, an
/// opening bracket, or a keyword such as `return`; never after a value.
fn expects_operand(bytes: &[u8], previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(token) => match token.kind {
            Kind::Punct(b')' | b']' | b'}') | Kind::Str => false,
            Kind::Punct(b'`') => false,
            Kind::Punct(_) => true,
            Kind::Word => matches!(
                &bytes[token.start..token.end],
                b"return"
                    | b"typeof"
                    | b"case"
                    | b"do"
                    | b"else"
                    | b"in"
                    | b"of"
                    | b"new"
                    | b"delete"
                    | b"void"
                    | b"throw"
                    | b"yield"
                    | b"await"
            ),
        },
    }
}

/// Just past a template literal (its `${…}` parts are skipped with it).
fn template_end(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(i) = memchr2(b'`', b'\\', &bytes[pos.min(bytes.len())..]) {
        let found = pos + i;
        if bytes[found] == b'\\' {
            pos = found + 2;
        } else {
            return found + 1;
        }
    }
    bytes.len()
}

/// Just past a regular expression literal and its flags; `[...]` classes may hold `/`.
fn regex_end(bytes: &[u8], mut pos: usize) -> usize {
    let mut in_class = false;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\\' => pos += 1,
            b'\n' => return pos,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                return pos + 1 + bytes[pos + 1..].iter().take_while(|&&b| is_ident(b)).count();
            }
            _ => {}
        }
        pos += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(source: &str) -> Vec<String> {
        scan(source.as_bytes())
            .kept
            .into_iter()
            .map(|import| match import.target {
                Target::JavaScript(spec) => format!("{} {:?} {spec}", import.line, import.kind),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn statements() {
        let source = "import a from './a';\nimport { b, c as d } from \"../b\";\nimport * as e from 'e';\nimport './side';\nexport { f } from './f';\nexport * from './g';\nconst h = require('./h');\nconst i = await import('./i');\nimport type { T } from './t';\nimport type from './not-typing';\nexport const x = 1;\nobj.require('no');\n";
        assert_eq!(
            compact(source),
            [
                "1 Eager ./a",
                "2 Eager ../b",
                "3 Eager e",
                "4 Eager ./side",
                "5 Eager ./f",
                "6 Eager ./g",
                "7 Eager ./h",
                "8 Lazy ./i",
                "9 TypingOnly ./t",
                "10 Eager ./not-typing",
            ]
        );
    }

    #[test]
    fn comments_strings_templates_and_regexes_hide_imports() {
        let source = "// import a from 'no1';\n/* require('no2') */\nconst s = \"import b from 'no3'\";\nconst t = `import c from 'no4' ${x}`;\nconst r = /import d from 'no5'/g;\nconst q = a / b; import ok from './ok';\n";
        assert_eq!(compact(source), ["6 Eager ./ok"]);
    }
}
