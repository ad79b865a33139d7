//! Repository content made safe to show. File names, source lines, commit subjects and
//! revisions come from whoever wrote the repository: an ESC in one would clear the
//! reader's screen or set the window title, a newline would split a Markdown table row,
//! and a credential on a line that any rule reports would be printed.
//! Every place that puts such text on a terminal or into Markdown goes through one of
//! these functions, which mask every secret ([`crate::analyzers::secrets::mask`]) and show
//! the offending characters visibly (as rustc and ripgrep do): `\x1b`, `\n`, `\u{202e}`.
//! The JSON reports pass through [`json`] as a whole: secrets masked inside their string
//! values, whatever field they are in.

use std::borrow::Cow;

/// `text` for a terminal: every control character (C0 but tab, DEL, C1) and every
/// bidirectional override (the "Trojan Source" characters, which reorder what the reader
/// sees) written as a visible escape. Tab is kept: it only moves the cursor right, and
/// the finding listing lines its caret up under it.
pub fn terminal(text: &str) -> Cow<'_, str> {
    masked_and_escaped(text, |c| c != '\t' && needs_escape(c))
}

/// `text` for Markdown: as [`terminal`], and tab escaped too, so that a name or a line
/// of the repository stays on its line and in its table cell. Pipes and backticks are
/// the table's and the code span's business (`Markdown::table`, `code`).
pub fn markdown(text: &str) -> Cow<'_, str> {
    masked_and_escaped(text, needs_escape)
}

fn masked_and_escaped(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    match crate::analyzers::secrets::mask(text) {
        Cow::Borrowed(text) => escape(text, escaped),
        Cow::Owned(masked) => Cow::Owned(escape(&masked, escaped).into_owned()),
    }
}

/// A JSON report with every secret inside its string values masked, each masked byte
/// replaced by `*`, in place. An escape sequence (`\"`, `\n`, `\u00e9`) inside a masked
/// value is kept as it is, so the text stays valid JSON and keeps its length; nothing
/// outside string values is touched. The string values are only located when some secret
/// was found, which is rare: the cost is the search over the text.
pub fn json(text: &mut [u8]) {
    let Ok(utf8) = std::str::from_utf8(text) else {
        return; // the renderers write UTF-8; nothing else is a JSON report of theirs
    };
    let spans = crate::analyzers::secrets::spans(utf8);
    if spans.is_empty() {
        return;
    }
    let strings = string_values(text);
    for (range, keep) in spans {
        let start = range.start + keep;
        // The string value the span starts in; a span in no string (none do) is left.
        let index = strings.partition_point(|s| s.end <= start);
        let Some(string) = strings.get(index).filter(|s| s.start <= start) else {
            continue;
        };
        // From the string's start, so that a span starting inside an escape sequence
        // (`n` of `\n`, the digits of `\u00e9`) starts after it.
        let mut at = string.start;
        let end = range.end.min(string.end);
        while at < end {
            if text[at] == b'\\' {
                at += escape_length(&text[at..]);
                continue;
            }
            if at >= start {
                text[at] = b'*';
            }
            at += 1;
        }
    }
}

/// The length of the escape sequence at the start of `text`: `\uXXXX` or `\` and one
/// character.
fn escape_length(text: &[u8]) -> usize {
    if text.get(1) == Some(&b'u') {
        6
    } else {
        2
    }
}

/// The byte ranges of the contents of every JSON string (keys and values), in order.
fn string_values(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut strings = Vec::new();
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'"', &text[at..]).map(|i| at + i) {
        let mut close = open + 1;
        while close < text.len() && text[close] != b'"' {
            close += if text[close] == b'\\' {
                escape_length(&text[close..])
            } else {
                1
            };
        }
        strings.push(open + 1..close.min(text.len()));
        at = close + 1;
        if at >= text.len() {
            break;
        }
    }
    strings
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = match c {
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_reports_mask_secrets_inside_strings_and_stay_json() {
        let token = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
        let value = serde_json::json!({
            "snippet": format!("run: curl -H \"token {token}\" || true"),
            "password: hunter22": ["key", "DB_PASSWORD=\"x\\\"y1\""],
            "escapes": "é\nAbCdEf0123456789AbCdEf0123456789AbCdEf0123\u{1}0000AbCdEf0123456789AbCdEf0123456789AbCdEf",
            "n": 1
        });
        let mut text = serde_json::to_vec_pretty(&value).expect("serialises");
        let length = text.len();
        json(&mut text);
        let shown = String::from_utf8(text).expect("UTF-8");
        assert_eq!(shown.len(), length);
        assert!(!shown.contains(&token[4..]), "{shown}");
        assert!(shown.contains("ghp_*****"), "{shown}");
        assert!(!shown.contains("hunter22"), "{shown}");
        let parsed: serde_json::Value = serde_json::from_str(&shown).expect("still JSON");
        assert_eq!(parsed["n"], 1);
    }

    #[test]
    fn markdown_and_terminal_text_is_masked() {
        let line = "password: Zq86jmJf08jHOlhk \u{1b}";
        assert_eq!(markdown(line), "password: **************** \\x1b");
        assert_eq!(terminal("docker login -p S3cr3tPw r"), "docker login -p ******** r");
    }

    #[test]
    fn control_characters_show_visibly() {
        assert_eq!(terminal("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(terminal("title\x1b]0;pwned\x07"), "title\\x1b]0;pwned\\x07");
        assert_eq!(terminal("two\nlines\r"), "two\\nlines\\r");
        assert_eq!(terminal("\u{9b}31m \u{7f}"), "\\u{9b}31m \\x7f");
        assert_eq!(terminal("admin\u{202e} \u{2066}"), "admin\\u{202e} \\u{2066}");
    }

    #[test]
    fn tab_is_kept_on_a_terminal_and_escaped_in_markdown() {
        assert_eq!(terminal("\tx"), "\tx");
        assert_eq!(markdown("\tx\n"), "\\tx\\n");
    }

    #[test]
    fn plain_text_is_not_copied() {
        assert!(matches!(terminal("src/main.rs: é ✓"), Cow::Borrowed(_)));
        assert!(matches!(markdown("a | b `c`"), Cow::Borrowed(_)));
    }
}
