//! C/C++/CUDA/Objective-C include scanner.
//!
//! Speed matters here more than anywhere (the Linux tree is ~60k C files): the scan's line
//! counter, which passes every line anyway, notes the lines that start with `#`, and only
//! those are looked at. Whether such a line sits in a block comment is decided by a small
//! comment/string lexer that runs only up to the last include: includes are near the top,
//! so most of a file is never lexed.

use memchr::{memchr, memchr3};

use super::quoted_end;

use crate::model::ImportKind;
use crate::scan::DirectiveLine;

use super::{statement_text, Found, RawImport, Target, COMMENT_END, IMPORTS_PER_FILE};

/// The includes of one file, given its `directives` (lines starting with `#`); `objc`
/// also accepts `#import`.
pub fn scan(bytes: &[u8], directives: &[DirectiveLine], objc: bool) -> Found {
    let mut lexer = Lexer { bytes, pos: 0 };
    // Sized once: on Linux, growing these vectors was a fifth of the include scan's time.
    let includes = directives
        .iter()
        .filter(|d| include_keyword(bytes, d.start, objc).is_some());
    let mut out = Found {
        kept: Vec::with_capacity(includes.count().min(IMPORTS_PER_FILE)),
        more: 0,
    };
    for directive in directives {
        let Some(keyword) = include_keyword(bytes, directive.start, objc) else {
            continue;
        };
        if !lexer.code_at(directive.start) {
            continue;
        }
        if let Some((target, end)) = include_target(bytes, keyword) {
            out.push(RawImport {
                line: directive.line,
                kind: ImportKind::Eager,
                target,
                text: statement_text(&bytes[directive.start..end]),
                guard: None,
            });
        }
    }
    out
}

/// Where `include` (or, with `objc`, `import`) starts in the line at `start`, if the line
/// opens with it as a directive: blanks, one `#`, blanks, the keyword.
fn include_keyword(bytes: &[u8], start: usize, objc: bool) -> Option<usize> {
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let line = &bytes[start..];
    let hash = line.iter().take_while(|b| is_blank(b)).count();
    if line.get(hash) != Some(&b'#') {
        return None;
    }
    let keyword = hash + 1 + line[hash + 1..].iter().take_while(|b| is_blank(b)).count();
    let rest = &line[keyword..];
    (rest.starts_with(b"include") || (objc && rest.starts_with(b"import"))).then_some(start + keyword)
}

/// The include path after the keyword at `hit` (`include`, `include_next`, `import`), and
/// where the directive's path ends.
fn include_target(bytes: &[u8], hit: usize) -> Option<(Target, usize)> {
    let keyword_len = if bytes[hit..].starts_with(b"include_next") {
        12
    } else if bytes[hit..].starts_with(b"include") {
        7
    } else {
        6
    };
    let mut pos = hit + keyword_len;
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    let (close, angle) = match bytes.get(pos)? {
        b'"' => (b'"', false),
        b'<' => (b'>', true),
        _ => return None,
    };
    let line_end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
    let len = memchr(close, &bytes[pos + 1..line_end])?;
    let path = std::str::from_utf8(&bytes[pos + 1..pos + 1 + len]).ok()?.trim();
    (!path.is_empty()).then(|| {
        let target = Target::Include {
            path: path.to_string(),
            angle,
        };
        (target, pos + 2 + len)
    })
}

/// Tracks block comments, line comments and string/char literals from the file start.
struct Lexer<'a> {
    bytes: &'a [u8],
    /// Everything before `pos` is lexed; `pos` is in code.
    pos: usize,
}

impl Lexer<'_> {
    /// Lexes up to the line start `target`; whether `target` is code (not inside a
    /// comment or literal that began earlier).
    fn code_at(&mut self, target: usize) -> bool {
        while self.pos < target {
            let Some(i) = memchr3(b'/', b'"', b'\'', &self.bytes[self.pos..target]) else {
                self.pos = target;
                break;
            };
            let at = self.pos + i;
            self.pos = match (self.bytes[at], self.bytes.get(at + 1)) {
                (b'/', Some(b'*')) => COMMENT_END
                    .find(&self.bytes[at + 2..])
                    .map_or(self.bytes.len(), |j| at + 4 + j),
                (b'/', Some(b'/')) => memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |j| at + j),
                (b'/', _) => at + 1,
                (quote, _) => quoted_end(self.bytes, at + 1, quote),
            };
        }
        self.pos == target
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(source: &str, objc: bool) -> Vec<String> {
        let bytes = source.as_bytes();
        scan(bytes, &crate::scan::directive_lines(bytes), objc)
            .kept
            .into_iter()
            .map(|import| {
                let Target::Include { path, angle } = import.target else {
                    panic!("not an include");
                };
                format!("{} {path} {angle} [{}]", import.line, import.text)
            })
            .collect()
    }

    #[test]
    fn directives_at_line_start_only() {
        let source = "#include \"a.h\"\n  #  include <vector>\n/* #include \"no1.h\"\n#include \"no2.h\" */\n// #include \"no3.h\"\nconst char *s = \"#include \\\"no4.h\\\"\";\nint include = 1; #include \"no5.h\"\n#include_next <b/c.h>\n#include MACRO\n#import \"objc.h\"\n#include \"x.h\" /* open\n#include \"no6.h\"\n*/\n#include \"last.h\"\n";
        assert_eq!(
            compact(source, false),
            [
                "1 a.h false [#include \"a.h\"]",
                "2 vector true [# include <vector>]",
                "8 b/c.h true [#include_next <b/c.h>]",
                "11 x.h false [#include \"x.h\"]",
                "14 last.h false [#include \"last.h\"]",
            ]
        );
        assert!(compact(source, true).contains(&"10 objc.h false [#import \"objc.h\"]".to_string()));
    }

    #[test]
    fn unterminated_comment_and_literal() {
        assert!(compact("/* open\n#include \"a.h\"\n", false).is_empty());
        assert_eq!(
            compact("char c = '\n#include \"a.h\"\n", false),
            ["2 a.h false [#include \"a.h\"]"]
        );
        assert!(compact("#include \"unclosed\n", false).is_empty());
    }
}
