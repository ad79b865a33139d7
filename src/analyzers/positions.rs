//! Byte offsets to 1-based lines and columns in logarithmic time, so that a parser that
//! locates every entry of a file by its offset stays linear in the file's size however
//! many entries it has, and however long their line (a minified manifest is one line).

/// How many bytes apart the character counts are kept: a column costs at most this many
/// bytes of counting, and the index a little more than a byte per 32 of text.
const STRIDE: usize = 256;

/// Line starts and character counts of one text, built in one pass.
pub struct Positions<'a> {
    text: &'a str,
    /// Byte offset of every line's first byte; the first is 0.
    line_starts: LineStarts,
    /// Characters before byte `k * STRIDE`, for every `k` up to the text's end.
    chars_before_stride: Vec<usize>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = LineStarts::of(bytes);
        let mut chars_before_stride = Vec::with_capacity(bytes.len() / STRIDE + 1);
        let mut chars = 0;
        for chunk in bytes.chunks(STRIDE) {
            chars_before_stride.push(chars);
            chars += starts_of_chars(chunk);
        }
        chars_before_stride.push(chars);
        Positions {
            text,
            line_starts,
            chars_before_stride,
        }
    }

    /// 1-based line of a byte offset (past the end: the last line).
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts.lines_starting_at_or_before(offset).max(1)
    }

    /// Byte range of 1-based `line`, without its line break (empty past the end).
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let Some(start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return self.text.len()..self.text.len();
        };
        let end = self.line_starts.get(line).map_or(self.text.len(), |next| next - 1);
        let end = if self.text.as_bytes()[start..end].ends_with(b"\r") {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = self.line_starts.get(line - 1).unwrap_or_default();
        (line, self.chars_before(offset) - self.chars_before(start) + 1)
    }

    /// Characters before byte `offset` (an offset inside a character counts it).
    fn chars_before(&self, offset: usize) -> usize {
        let stride = offset / STRIDE;
        let from = stride * STRIDE;
        self.chars_before_stride[stride] + starts_of_chars(&self.text.as_bytes()[from..offset])
    }
}

/// Line starts as 4-byte offsets when the text is under 4 GiB (every text plumb reads by
/// default), in a vector of exactly their number: a 10 MiB file of short lines would
/// otherwise cost 8 bytes a line and, while the vector grew, as much again.
enum LineStarts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl LineStarts {
    fn of(bytes: &[u8]) -> LineStarts {
        let count = memchr::memchr_iter(b'\n', bytes).count() + 1;
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        match u32::try_from(bytes.len()) {
            Ok(_) => {
                let mut narrow = Vec::with_capacity(count);
                narrow.extend(starts.map(|start| start as u32));
                LineStarts::Narrow(narrow)
            }
            Err(_) => {
                let mut wide = Vec::with_capacity(count);
                wide.extend(starts);
                LineStarts::Wide(wide)
            }
        }
    }

    fn get(&self, index: usize) -> Option<usize> {
        match self {
            LineStarts::Narrow(starts) => starts.get(index).map(|&start| start as usize),
            LineStarts::Wide(starts) => starts.get(index).copied(),
        }
    }

    fn lines_starting_at_or_before(&self, offset: usize) -> usize {
        match self {
            LineStarts::Narrow(starts) => starts.partition_point(|&start| start as usize <= offset),
            LineStarts::Wide(starts) => starts.partition_point(|&start| start <= offset),
        }
    }
}

/// The bytes that start a UTF-8 character: every byte but continuation bytes.
fn starts_of_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_agree_with_counting_from_the_start() {
        let text = format!("ab\r\nçé{}x\n\nlast", "ü".repeat(300));
        let positions = Positions::new(&text);
        for (offset, _) in text.char_indices() {
            let before = &text[..offset];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let expected = (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            );
            assert_eq!(positions.position(offset), expected, "offset {offset}");
        }
        assert_eq!(&text[positions.line_range(1)], "ab");
        assert_eq!(&text[positions.line_range(3)], "");
        assert_eq!(&text[positions.line_range(4)], "last");
        assert_eq!(positions.line_range(5), text.len()..text.len());
    }
}
