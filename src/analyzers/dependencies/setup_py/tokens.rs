//! Python's tokens, as much as [`super`] needs of them.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok<'a> {
    Name(&'a str),
    /// A string literal (adjacent ones joined); `formatted` for an f-string, whose text
    /// is then the template (literal braces doubled).
    Str {
        text: String,
        formatted: bool,
    },
    Op(&'a str),
    Other,
}

#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub tok: Tok<'a>,
    pub offset: usize,
    /// Columns of indentation when the token starts a logical line, else `None`.
    pub indent: Option<usize>,
}

/// Python's tokens, enough of them: names, string literals (all prefixes and quotes,
/// with the common escapes), operators; comments and line continuations skipped; a
/// newline inside brackets does not end the logical line.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token<'_>> = Vec::new();
    let (mut at, mut depth, mut line_start) = (0, 0usize, Some(0usize));
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'\n' => {
                if depth == 0 {
                    line_start = Some(at + 1);
                }
                at += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                at += 1;
                continue;
            }
            b'\\' if bytes.get(at + 1) == Some(&b'\n') => {
                at += 2;
                continue;
            }
            b'#' => {
                at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
                continue;
            }
            _ => {}
        }
        let indent = line_start.take().map(|start| at - start);
        let start = at;
        let tok = if let Some((prefix, quote_at)) = string_start(bytes, at) {
            let (value, end) = string_literal(text, quote_at, prefix.contains(['r', 'R']));
            at = end;
            Tok::Str {
                text: value,
                formatted: prefix.contains(['f', 'F']),
            }
        } else if byte == b'_' || byte.is_ascii_alphabetic() || byte >= 0x80 {
            while at < bytes.len() && (bytes[at] == b'_' || bytes[at].is_ascii_alphanumeric() || bytes[at] >= 0x80) {
                at += 1;
            }
            Tok::Name(&text[start..at])
        } else if byte.is_ascii_digit() {
            while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'.' || bytes[at] == b'_') {
                at += 1;
            }
            Tok::Other
        } else {
            let two = text
                .get(at..at + 2)
                .filter(|t| ["==", "!=", "<=", ">=", "+=", "**", "->", ":=", "-=", "*=", "//", "|="].contains(t));
            at += two.map_or(1, |_| 2);
            match byte {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            Tok::Op(two.unwrap_or(&text[start..at]))
        };
        // Adjacent literals are one string (`"a" "b"`), a template if either is.
        if let (Tok::Str { text, formatted }, Some(previous)) = (&tok, out.last_mut()) {
            if let (
                None,
                Tok::Str {
                    text: before,
                    formatted: was,
                },
            ) = (indent, &mut previous.tok)
            {
                let escape = |t: &str| t.replace('{', "{{").replace('}', "}}");
                match (*was, *formatted) {
                    (false, true) => *before = escape(before) + text,
                    (true, false) => before.push_str(&escape(text)),
                    _ => before.push_str(text),
                }
                *was |= *formatted;
                continue;
            }
        }
        out.push(Token {
            tok,
            offset: start,
            indent,
        });
    }
    out
}

/// A string prefix (`r`, `b`, `f`, `rb`, ...) ending at a quote: the prefix and the
/// quote's offset.
fn string_start(bytes: &[u8], at: usize) -> Option<(&str, usize)> {
    let prefix_len = bytes[at..].iter().take(3).position(|b| *b == b'"' || *b == b'\'')?;
    let prefix = std::str::from_utf8(&bytes[at..at + prefix_len]).ok()?;
    let valid = prefix.len() <= 2 && prefix.chars().all(|c| "rRbBuUfF".contains(c));
    valid.then_some((prefix, at + prefix_len))
}

/// The value of the literal whose quote is at `quote_at`, and the offset after it. An
/// unterminated literal runs to the end of its line (or file, for a triple quote).
fn string_literal(text: &str, quote_at: usize, raw: bool) -> (String, usize) {
    let bytes = text.as_bytes();
    let quote = bytes[quote_at];
    let triple = bytes.get(quote_at..quote_at + 3) == Some(&[quote, quote, quote][..]);
    let mut at = quote_at + if triple { 3 } else { 1 };
    let mut value = String::new();
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == quote && (!triple || bytes.get(at..at + 3) == Some(&[quote, quote, quote][..])) {
            return (value, at + if triple { 3 } else { 1 });
        }
        if byte == b'\n' && !triple {
            break;
        }
        if byte == b'\\' && at + 1 < bytes.len() {
            let escaped = bytes[at + 1];
            match (raw, escaped) {
                (false, b'n') => value.push('\n'),
                (false, b't') => value.push('\t'),
                (false, b'\\' | b'\'' | b'"') => value.push(escaped as char),
                (false, b'\n') => {}
                // A raw string keeps the backslash, and the quote after it does not end it.
                (true, b'\\' | b'\'' | b'"') => {
                    value.push('\\');
                    value.push(escaped as char);
                }
                _ => {
                    value.push('\\');
                    at += 1;
                    continue;
                }
            }
            at += 2;
            continue;
        }
        let next = text[at..].chars().next().map_or(1, char::len_utf8);
        value.push_str(&text[at..at + next]);
        at += next;
    }
    (value, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Str { text, .. } => Some(text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn literals_of_every_form() {
        assert_eq!(
            strings(
                r#"a = [r"x\"y", 'it\'s', """multi
line""", b'\é', "a" 'b', f"{x}" "{"]"#
            ),
            ["x\\\"y", "it's", "multi\nline", "\\é", "ab", "{x}{{"]
        );
        // Unterminated: to the end of the line, then on.
        assert_eq!(strings("x = 'open\ny = \"z\""), ["open", "z"]);
    }
}
