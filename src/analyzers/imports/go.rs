//! Go import scanner: `import "x"`, `import alias "x"` and `import ( … )` blocks, and the
//! `module` line of `go.mod`.

use memchr::memchr;

use super::quoted_end;

use crate::model::ImportKind;

use super::{statement_text, Found, LineCounter, RawImport, Target, COMMENT_END};

/// The module path declared by a `go.mod` file.
pub fn module_path(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("module")?;
        let path = rest.split("//").next()?.trim().trim_matches('"');
        (rest.starts_with([' ', '\t']) && !path.is_empty()).then(|| path.to_string())
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Str,
    Punct(u8),
}

/// The imports of one Go file. Tokens are read one at a time, never all held: a file of
/// nothing but punctuation costs no memory (issue 18).
pub fn scan(bytes: &[u8]) -> Found {
    let mut tokens = Tokens { bytes, pos: 0 }.peekable();
    let mut lines = LineCounter::new();
    let mut out = Found::default();
    while let Some((kind, start, end)) = tokens.next() {
        if kind != Kind::Word || &bytes[start..end] != b"import" {
            continue;
        }
        let grouped = tokens.next_if(|t| t.0 == Kind::Punct(b'(')).is_some();
        loop {
            let spec_start = tokens.peek().map_or(bytes.len(), |t| t.1);
            tokens.next_if(|t| t.0 != Kind::Str); // an alias, `_` or `.`
            let Some((_, s, e)) = tokens.next_if(|t| t.0 == Kind::Str) else {
                break;
            };
            let text = if grouped {
                format!("import {}", statement_text(&bytes[spec_start..e])).into()
            } else {
                statement_text(&bytes[start..e])
            };
            out.push(RawImport {
                line: lines.line_at(bytes, s),
                kind: ImportKind::Eager,
                target: Target::Go(String::from_utf8_lossy(&bytes[s + 1..e.saturating_sub(1).max(s + 1)]).into_owned()),
                text,
                guard: None,
            });
            if !grouped {
                break;
            }
            while tokens.next_if(|t| t.0 == Kind::Punct(b';')).is_some() {}
        }
    }
    out
}

/// Words, strings (interpreted and raw) and punctuation, as (kind, start, end); comments
/// and runes dropped.
struct Tokens<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl Iterator for Tokens<'_> {
    type Item = (Kind, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.bytes;
        while self.pos < bytes.len() {
            let pos = self.pos;
            let b = bytes[pos];
            let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
            let (kind, end) = match (b, bytes.get(pos + 1).copied()) {
                (b'/', Some(b'/')) => (None, memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i)),
                (b'/', Some(b'*')) => (
                    None,
                    COMMENT_END.find(&bytes[pos + 2..]).map_or(bytes.len(), |i| pos + 4 + i),
                ),
                (b'"', _) => (Some(Kind::Str), quoted_end(bytes, pos + 1, b'"')),
                (b'`', _) => (
                    Some(Kind::Str),
                    memchr(b'`', &bytes[pos + 1..]).map_or(bytes.len(), |i| pos + i + 2),
                ),
                (b'\'', _) => (None, quoted_end(bytes, pos + 1, b'\'')),
                _ if is_ident(b) => (
                    Some(Kind::Word),
                    pos + bytes[pos..].iter().take_while(|&&b| is_ident(b)).count(),
                ),
                _ if b.is_ascii_whitespace() => (None, pos + 1),
                _ => (Some(Kind::Punct(b)), pos + 1),
            };
            self.pos = end.max(pos + 1);
            if let Some(kind) = kind {
                return Some((kind, pos, end));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_grouped_imports() {
        let source = "package main\n\nimport \"fmt\"\nimport (\n\t\"example.com/m/a\"\n\tb \"example.com/m/b\" // c\n\t_ `example.com/m/c`\n)\n// import \"no\"\nvar s = \"import \\\"no\\\"\"\n";
        let got: Vec<_> = scan(source.as_bytes())
            .kept
            .into_iter()
            .map(|i| match i.target {
                Target::Go(path) => format!("{} {path} [{}]", i.line, i.text),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                "3 fmt [import \"fmt\"]",
                "5 example.com/m/a [import \"example.com/m/a\"]",
                "6 example.com/m/b [import b \"example.com/m/b\"]",
                "7 example.com/m/c [import _ `example.com/m/c`]",
            ]
        );
    }

    #[test]
    fn go_mod_module_line() {
        assert_eq!(
            module_path(b"// x\nmodule example.com/m // c\n\ngo 1.22\n").as_deref(),
            Some("example.com/m")
        );
        assert_eq!(module_path(b"go 1.22\n"), None);
    }
}
