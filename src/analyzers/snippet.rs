//! What a finding shows of its line: a window around the finding's column, never the whole
//! of a long line, with every secret in it masked ([`super::secrets::mask`]).
//!
//! A line of at most [`WIDTH`] characters (trailing whitespace dropped) is shown whole.
//! A longer one is cut to the [`WIDTH`] characters that start [`BEFORE`] characters before
//! the finding's column (or at the line's start). So a finding costs the same memory
//! whatever the length of its line, and the 25,000 findings of one 925 KB line cost
//! 25,000 windows, not 25,000 copies of the line.
//!
//! Masking runs on the window and [`MASK_MARGIN`] bytes either side of it, so that a
//! secret cut by the window's edge is still recognised whole and masked; masking keeps
//! the length in characters, so the finding's column still points at the same character.

use crate::analyzers::secrets::mask;

/// The most characters a snippet shows.
pub const WIDTH: usize = 160;
/// How many characters before the finding's column a cut snippet starts.
pub const BEFORE: usize = 60;
/// Bytes either side of the window that masking reads, longer than any secret format.
const MASK_MARGIN: usize = 1024;

/// A snippet and the 1-based column of its line at which it starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub column: usize,
}

/// The snippet of `line` for a finding at byte `at`, whose 1-based column in characters is
/// `column`.
pub fn excerpt(line: &str, at: usize, column: usize) -> Excerpt {
    let line = line.trim_end();
    if line.len() <= WIDTH {
        return Excerpt {
            text: mask(line).into_owned(),
            column: 1,
        };
    }
    let at = floor_boundary(line, at.min(line.len()));
    let start = back_chars(line, at, BEFORE);
    let skipped = line[start..at].chars().count();
    let end = forward_chars(line, start, WIDTH);
    let region_start = floor_boundary(line, start.saturating_sub(MASK_MARGIN));
    let region_end = floor_boundary(line, (end + MASK_MARGIN).min(line.len()));
    let masked = mask(&line[region_start..region_end]);
    let lead = line[region_start..start].chars().count();
    let width = line[start..end].chars().count();
    Excerpt {
        text: masked.chars().skip(lead).take(width).collect(),
        column: column.saturating_sub(skipped).max(1),
    }
}

/// The byte offset of the 1-based character `column` of `line`, and its column, for
/// callers that know only the column. Counting from the line's start is linear in the
/// column, so a caller reporting many findings on one long line keeps a [`CharOffsets`].
pub struct CharOffsets {
    /// Byte offset of every [`CharOffsets::STEP`]th character; empty for an ASCII line.
    checkpoints: Vec<usize>,
}

impl CharOffsets {
    const STEP: usize = 64;

    pub fn new(line: &str) -> CharOffsets {
        let checkpoints = if line.is_ascii() {
            Vec::new()
        } else {
            line.char_indices().step_by(Self::STEP).map(|(byte, _)| byte).collect()
        };
        CharOffsets { checkpoints }
    }

    /// The byte offset of 1-based character `column` (the line's end past its last one).
    pub fn byte_of(&self, line: &str, column: usize) -> usize {
        let index = column.saturating_sub(1);
        if self.checkpoints.is_empty() {
            return index.min(line.len());
        }
        let Some(&from) = self.checkpoints.get(index / Self::STEP) else {
            return line.len();
        };
        forward_chars(line, from, index % Self::STEP)
    }
}

/// `at` moved back to the start of the character it falls in.
fn floor_boundary(line: &str, mut at: usize) -> usize {
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The byte offset `count` characters before `at` (or 0).
fn back_chars(line: &str, at: usize, count: usize) -> usize {
    line[..at]
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(at, |(byte, _)| byte)
}

/// The byte offset `count` characters after `from` (or the line's end).
fn forward_chars(line: &str, from: usize, count: usize) -> usize {
    line[from..]
        .char_indices()
        .nth(count)
        .map_or(line.len(), |(byte, _)| from + byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_whole_and_long_ones_a_window() {
        assert_eq!(
            excerpt("  run: make   ", 2, 3),
            Excerpt {
                text: "  run: make".to_string(),
                column: 1
            }
        );
        let line = format!("{}TARGET{}", "a".repeat(1000), "b".repeat(1000));
        let cut = excerpt(&line, 1000, 1001);
        assert_eq!(cut.text.chars().count(), WIDTH);
        assert_eq!(cut.column, 1001 - BEFORE);
        assert_eq!(
            &cut.text[BEFORE..BEFORE + 6],
            "TARGET",
            "the column points at the same text"
        );
    }

    #[test]
    fn a_secret_cut_by_the_window_is_masked_whole() {
        let token = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
        // The token starts 10 characters before the window does.
        let line = format!(
            "{}{token}{}X{}",
            "a".repeat(500),
            "c".repeat(BEFORE - 30),
            "d".repeat(500)
        );
        let at = line.find('X').expect("planted");
        let cut = excerpt(&line, at, at + 1);
        assert!(!cut.text.contains("aB3dE"), "{}", cut.text);
        assert!(cut.text.starts_with("**********"), "{}", cut.text);
    }

    #[test]
    fn non_ascii_lines_keep_columns_in_characters() {
        let line = format!("{}é{}X{}", "é".repeat(300), "ü".repeat(100), "a".repeat(300));
        let offsets = CharOffsets::new(&line);
        let column = 300 + 1 + 100 + 1;
        let at = offsets.byte_of(&line, column);
        assert_eq!(&line[at..at + 1], "X");
        let cut = excerpt(&line, at, column);
        assert_eq!(cut.text.chars().nth(column - cut.column), Some('X'));
        let ascii = CharOffsets::new("abc");
        assert_eq!(ascii.byte_of("abc", 2), 1);
        assert_eq!(ascii.byte_of("abc", 9), 3);
    }
}
