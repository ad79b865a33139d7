//! Repository content made safe to show. File names, source lines, commit subjects and
//! revisions come from whoever wrote the repository: an ESC in one would clear the
//! reader's screen or set the window title, a newline would split a Markdown table row.
//! Every place that puts such text on a terminal or into Markdown goes through one of
//! these functions, which show the offending characters visibly instead (as rustc and
//! ripgrep do): `\x1b`, `\n`, `\u{202e}`.

use std::borrow::Cow;

/// `text` for a terminal: every control character (C0 but tab, DEL, C1) and every
/// bidirectional override (the "Trojan Source" characters, which reorder what the reader
/// sees) written as a visible escape. Tab is kept: it only moves the cursor right, and
/// the finding listing lines its caret up under it.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\t' && needs_escape(c))
}

/// `text` for Markdown: as [`terminal`], and tab escaped too, so that a name or a line
/// of the repository stays on its line and in its table cell. Pipes and backticks are
/// the table's and the code span's business (`Markdown::table`, `code`).
pub fn markdown(text: &str) -> Cow<'_, str> {
    escape(text, needs_escape)
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
