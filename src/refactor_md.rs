//! `REFACTOR.md`'s marked block: the only part of the file `plumb audit
//! --update-refactor-md` writes. The block is the lines between a line
//! `<!-- plumb:begin -->` and a line `<!-- plumb:end -->`; everything else, the markers
//! included, is kept byte for byte. A file without the block, or with markers that do
//! not make exactly one, is an error and is left as it was: plumb never guesses where a
//! person's document may be written.

use std::io::Write;
use std::path::Path;

use crate::error::UserError;
use crate::model::MarkerState;

/// Where the file is looked for: the root of the work tree.
pub const FILE: &str = "REFACTOR.md";
pub const BEGIN: &str = "<!-- plumb:begin -->";
pub const END: &str = "<!-- plumb:end -->";

/// Largest `REFACTOR.md` rewritten: a plan is a few pages.
const MAX_BYTES: u64 = 4 << 20;

#[derive(Clone, Copy)]
enum Marker {
    Begin,
    End,
}

/// The marker lines of `text`: 1-based line, the byte offset where it starts, which
/// marker. Only lines outside fenced code blocks count (a document that
/// shows the markers in a code example does not open a block).
fn marker_lines(text: &str) -> Vec<(usize, usize, Marker)> {
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut start = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let offset = start;
        start += line.len();
        let trimmed = line.trim();
        if let Some(run) = fence_run(trimmed) {
            match fence {
                None => fence = Some(run),
                Some((c, n)) if run.0 == c && run.1 >= n && trimmed.trim_start_matches(c).trim().is_empty() => {
                    fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if trimmed == BEGIN {
            found.push((index + 1, offset, Marker::Begin));
        } else if trimmed == END {
            found.push((index + 1, offset, Marker::End));
        }
    }
    found
}

/// A CommonMark code fence: three or more backticks or tildes.
fn fence_run(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Where the block is in `text`, or what is wrong with its markers.
pub fn block(text: &str) -> MarkerState {
    match located(text) {
        Ok(None) => MarkerState::Absent,
        Ok(Some(block)) => MarkerState::Block {
            begin: block.begin_line,
            end: block.end_line,
        },
        Err((line, problem)) => MarkerState::Malformed { line, problem },
    }
}

struct Located {
    begin_line: usize,
    end_line: usize,
    /// Byte offsets: just after the begin marker's line, and where the end marker's
    /// line starts.
    inside: (usize, usize),
}

fn located(text: &str) -> Result<Option<Located>, (usize, String)> {
    let markers = marker_lines(text);
    let mut begin: Option<(usize, usize)> = None;
    let mut block: Option<Located> = None;
    for (line, offset, marker) in markers {
        match (marker, begin, &block) {
            (Marker::Begin, None, None) => begin = Some((line, offset)),
            (Marker::Begin, Some((first, _)), _) => {
                return Err((
                    line,
                    format!("a second `{BEGIN}` while the one of line {first} has no `{END}` yet"),
                ))
            }
            (_, None, Some(_)) => {
                return Err((
                    line,
                    "a second marker after the block: plumb writes one block".to_string(),
                ))
            }
            (Marker::End, None, None) => return Err((line, format!("`{END}` with no `{BEGIN}` before it"))),
            (Marker::End, Some((begin_line, begin_offset)), _) => {
                let after_begin = begin_offset + text[begin_offset..].find('\n').map_or(text.len(), |n| n + 1);
                block = Some(Located {
                    begin_line,
                    end_line: line,
                    inside: (after_begin.min(offset), offset),
                });
                begin = None;
            }
        }
    }
    match begin {
        Some((line, _)) => Err((line, format!("`{BEGIN}` with no `{END}` after it"))),
        None => Ok(block),
    }
}

/// `text` with the block's lines replaced by `content` (given with `\n` line endings;
/// written with the file's own, `\r\n` when its begin marker ends so). Without one
/// block, the error says why: [`MarkerState::Absent`] or [`MarkerState::Malformed`].
pub fn splice(text: &str, content: &str) -> Result<String, MarkerState> {
    let block = match located(text) {
        Ok(Some(block)) => block,
        Ok(None) => return Err(MarkerState::Absent),
        Err((line, problem)) => return Err(MarkerState::Malformed { line, problem }),
    };
    let (start, end) = block.inside;
    let crlf = text[..start].ends_with("\r\n");
    let mut out = String::with_capacity(text.len() + content.len());
    out.push_str(&text[..start]);
    if start > 0 && !text[..start].ends_with('\n') {
        out.push('\n');
    }
    for line in content.lines() {
        out.push_str(line);
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }
    out.push_str(&text[end..]);
    Ok(out)
}

/// What [`update`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Updated {
    Written,
    /// The block already said this: the file is left untouched (its time stamp too).
    Unchanged,
}

/// Checks, before an audit, that `root/REFACTOR.md` can be updated: a regular UTF-8
/// file with one block. [`update`] checks again when it writes.
pub fn check(root: &Path) -> Result<(), UserError> {
    let (text, _) = read(root)?;
    splice(&text, "").map(|_| ()).map_err(refused)
}

/// Rewrites the block of `root/REFACTOR.md` with `content`, atomically: a temporary file
/// beside it, renamed over it once whole, with the file's permissions. Never follows a
/// symlink (the file could lead out of the repository).
pub fn update(root: &Path, content: &str) -> Result<Updated, UserError> {
    let (text, permissions) = read(root)?;
    let updated = splice(&text, content).map_err(refused)?;
    if updated == text {
        return Ok(Updated::Unchanged);
    }
    let path = root.join(FILE);
    write_beside(&path, updated.as_bytes(), permissions).map_err(|e| UserError::Write(path, e.to_string()))?;
    Ok(Updated::Written)
}

/// Why a file without one block is not written.
fn refused(state: MarkerState) -> UserError {
    UserError::RefactorMd(match state {
        MarkerState::Malformed { line, problem } => {
            format!("{FILE} line {line}: {problem}; its markers must make one block, `{BEGIN}` then `{END}`")
        }
        _ => format!(
            "{FILE} has no plumb block: add a line `{BEGIN}` and, below it, a line `{END}` where plumb may write, then run again"
        ),
    })
}

/// The text of `root/REFACTOR.md` and its permissions, if it is a regular UTF-8 file of
/// a sensible size.
fn read(root: &Path) -> Result<(String, std::fs::Permissions), UserError> {
    let path = root.join(FILE);
    let refuse = |reason: String| UserError::RefactorMd(reason);
    let metadata = match std::fs::symlink_metadata(&path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse(format!(
                "there is no {FILE} at the repository root: create it with a line `{BEGIN}` and a line `{END}` where plumb may write"
            )))
        }
        Err(e) => return Err(UserError::Unreadable(path, e.to_string())),
    };
    if !metadata.is_file() {
        return Err(refuse(format!(
            "{FILE} is not a regular file (a symlink or a directory): plumb writes only a regular file"
        )));
    }
    if metadata.len() > MAX_BYTES {
        return Err(refuse(format!(
            "{FILE} is larger than {MAX_BYTES} bytes: plumb does not rewrite it"
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| UserError::Unreadable(path.clone(), e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| refuse(format!("{FILE} is not UTF-8 text")))?;
    Ok((text, metadata.permissions()))
}

/// Writes a temporary file in `path`'s folder and renames it over `path`; the temporary
/// file is removed when anything fails.
fn write_beside(path: &Path, bytes: &[u8], permissions: std::fs::Permissions) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.set_permissions(permissions)
        })
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_block_is_found_outside_code_fences() {
        let text = "# Plan\n```\n<!-- plumb:begin -->\n```\n<!-- plumb:begin -->\nold\n  <!-- plumb:end -->\ntail\n";
        assert_eq!(block(text), MarkerState::Block { begin: 5, end: 7 });
        assert_eq!(block("no markers\n"), MarkerState::Absent);
    }

    #[test]
    fn markers_that_make_no_single_block_are_malformed_at_the_first_wrong_line() {
        let cases = [
            ("<!-- plumb:begin -->\n", 1, "with no `<!-- plumb:end -->` after it"),
            (
                "a\n<!-- plumb:end -->\n<!-- plumb:begin -->\n",
                2,
                "with no `<!-- plumb:begin -->` before it",
            ),
            (
                "<!-- plumb:begin -->\n<!-- plumb:begin -->\n<!-- plumb:end -->\n",
                2,
                "a second",
            ),
            (
                "<!-- plumb:begin -->\n<!-- plumb:end -->\n<!-- plumb:begin -->\n<!-- plumb:end -->\n",
                3,
                "one block",
            ),
        ];
        for (text, line, problem) in cases {
            match block(text) {
                MarkerState::Malformed {
                    line: at,
                    problem: said,
                } => {
                    assert_eq!(at, line, "{text:?}");
                    assert!(said.contains(problem), "{said}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn splice_replaces_only_the_lines_between_the_markers() {
        let text = "intro\r\n<!-- plumb:begin -->\r\nold 1\r\nold 2\r\n<!-- plumb:end -->\r\noutro";
        let spliced = splice(text, "new\n").expect("one block");
        assert_eq!(
            spliced,
            "intro\r\n<!-- plumb:begin -->\r\nnew\r\n<!-- plumb:end -->\r\noutro"
        );
        let adjacent = "<!-- plumb:begin -->\n<!-- plumb:end -->\n";
        assert_eq!(
            splice(adjacent, "a\nb\n").expect("one block"),
            "<!-- plumb:begin -->\na\nb\n<!-- plumb:end -->\n"
        );
    }
}
