//! Go import scanner: `import "x"`, `import alias "x"` and `import ( … )` blocks, and the
//! `module` line of `go.mod`.

use memchr::memchr;

use super::quoted_end;

use crate::model::ImportKind;

use super::{statement_text, LineCounter, RawImport, Target, COMMENT_END};

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

/// The imports of one Go file.
pub fn scan(bytes: &[u8]) -> Vec<RawImport> {
    let tokens = tokenize(bytes);
    let mut lines = LineCounter::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (kind, start, end) = tokens[i];
        i += 1;
        if kind != Kind::Word || &bytes[start..end] != b"import" {
            continue;
        }
        let grouped = tokens.get(i).is_some_and(|t| t.0 == Kind::Punct(b'('));
        if grouped {
            i += 1;
        }
        loop {
            let spec_start = tokens.get(i).map_or(bytes.len(), |t| t.1);
            if tokens.get(i).is_some_and(|t| t.0 != Kind::Str) {
                i += 1; // an alias, `_` or `.`
            }
            let Some(&(Kind::Str, s, e)) = tokens.get(i) else {
                break;
            };
            i += 1;
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
            while tokens.get(i).is_some_and(|t| t.0 == Kind::Punct(b';')) {
                i += 1;
            }
        }
    }
    out
}

/// Words, strings (interpreted and raw) and punctuation; comments and runes dropped.
fn tokenize(bytes: &[u8]) -> Vec<(Kind, usize, usize)> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
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
        if let Some(kind) = kind {
            tokens.push((kind, pos, end));
        }
        pos = end.max(pos + 1);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_grouped_imports() {
        let source = "package main\n\nimport \"fmt\"\nimport (\n\t\"example.com/m/a\"\n\tb \"example.com/m/b\" // c\n\t_ `example.com/m/c`\n)\n// import \"no\"\nvar s = \"import \\\"no\\\"\"\n";
        let got: Vec<_> = scan(source.as_bytes())
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
