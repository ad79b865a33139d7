//! A second reading for workflows whose flow collections close too far left.
//!
//! ```yaml
//!     matrix:
//!       python: [
//!         "3.10",
//!         "3.11"
//!       ]
//! ```
//!
//! YAML 1.2 wants every line of a flow collection (`[...]`, `{...}`) in block context
//! indented deeper than the block it is in, so the `]` above, at its key's own
//! indentation, is an error to saphyr ("invalid indentation"). GitHub's parser and zizmor
//! accept it, and such workflows run. When a workflow fails to load, [`relaxed`] makes a
//! copy in which each such line is indented one column deeper than the line that opened
//! the collection; the copy is loaded instead, and the original error stands if it fails
//! too. Lines keep their numbers, and only the moved lines their columns.

/// The copy of `text` with the continuation lines of flow collections indented one column
/// deeper than the line that opened them, or `None` when no line is that far left.
pub fn relaxed(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut state = Scan::default();
    let mut moved = false;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(block) = state.block_scalar {
            if blank || indent > block {
                out.push_str(line);
                continue;
            }
            state.block_scalar = None;
        }
        match state.flow_opened_at {
            Some(opener) if state.depth > 0 && !blank && state.quote.is_none() && indent <= opener => {
                out.extend(std::iter::repeat_n(' ', opener + 1 - indent));
                moved = true;
            }
            _ => {}
        }
        out.push_str(line);
        state.line(line, indent);
    }
    moved.then_some(out)
}

#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// The indentation of the line where the outermost open flow collection began.
    flow_opened_at: Option<usize>,
    /// The quote of a quoted scalar still open at the end of the last line.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`) of a line with this indentation.
    block_scalar: Option<usize>,
}

impl Scan {
    /// Reads one line: its quotes, comments and flow indicators. In block context only a
    /// `[` or `{` that begins a value opens a collection (`run: echo ${{ x }}` is a plain
    /// scalar); inside one, every unquoted indicator counts.
    fn line(&mut self, line: &str, indent: usize) {
        let bytes = line.as_bytes();
        let mut at = 0;
        let mut value_start = true;
        while at < bytes.len() {
            let byte = bytes[at];
            if let Some(quote) = self.quote {
                match byte {
                    b'\\' if quote == b'"' => at += 1,
                    b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 1,
                    _ if byte == quote => self.quote = None,
                    _ => {}
                }
                at += 1;
                continue;
            }
            let after_space = at == 0 || bytes[at - 1] == b' ' || bytes[at - 1] == b'\t';
            match byte {
                b'#' if after_space => return,
                b'"' | b'\'' if self.depth > 0 || value_start => self.quote = Some(byte),
                b'[' | b'{' if self.depth > 0 || value_start => {
                    if self.depth == 0 {
                        self.flow_opened_at = Some(indent);
                    }
                    self.depth += 1;
                }
                b']' | b'}' if self.depth > 0 => self.depth -= 1,
                b'|' | b'>' if self.depth == 0 && value_start => {
                    self.block_scalar = Some(indent);
                    return;
                }
                b' ' | b'\t' => {
                    at += 1;
                    continue;
                }
                _ => {}
            }
            // A value begins after `key:` or `-` and a space.
            value_start = self.depth == 0
                && matches!(byte, b':' | b'-')
                && matches!(bytes.get(at + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzers::workflows::yaml;

    #[test]
    fn a_collection_closed_at_its_key_is_moved_right() {
        let text =
            "jobs:\n  a:\n    strategy:\n      matrix:\n        x: [\n          \"a\",\n        \"b\"\n        ]\n";
        let expected =
            "jobs:\n  a:\n    strategy:\n      matrix:\n        x: [\n          \"a\",\n         \"b\"\n         ]\n";
        assert_eq!(relaxed(text).as_deref(), Some(expected));
    }

    #[test]
    fn the_parser_refuses_the_file_and_reads_the_copy() {
        let text = "jobs:\n  a:\n    matrix:\n      x: [\n        \"a\",\n      ]\n    steps: []\n";
        let error = yaml::load(text).expect_err("YAML 1.2 forbids it");
        assert_eq!(error.line, 6, "{error:?}");
        let copy = relaxed(text).expect("a line moved");
        let docs = yaml::load(&copy).expect("the copy loads");
        let job = yaml::get(&docs[0], "jobs").and_then(|jobs| yaml::get(jobs, "a"));
        assert!(job.and_then(|job| yaml::get(job, "steps")).is_some());
    }

    #[test]
    fn expressions_block_scalars_and_comments_open_nothing() {
        for text in [
            "run: echo ${{ x }}\nx: 1\n",
            "run: |\n  a [\nb: 1\n",
            "a: 1 # [\nb: 2\n",
            "a: 'it''s [ open'\nb: 2\n",
            "a: [1, 2]\nb: 3\n",
        ] {
            assert_eq!(relaxed(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_sequence_item_and_a_flow_mapping_are_read_too() {
        let text = "steps:\n  - with: {\n    a: 1,\n  }\n";
        assert_eq!(relaxed(text).as_deref(), Some("steps:\n  - with: {\n    a: 1,\n   }\n"));
    }
}
