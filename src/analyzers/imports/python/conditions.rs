//! Conditions that name `TYPE_CHECKING`: read with `not`, `and`, `or` and brackets, each
//! operand `TYPE_CHECKING` or unknown, into what a branch under them is at run time and
//! under a type checker ([`Views`]). Read only for `if`/`elif` statements whose text names
//! it, and bounded: a hostile condition costs at most [`MAX_DEPTH`] passes over at most
//! [`MAX_CONDITION`] bytes.

use memchr::memchr;
use smallvec::SmallVec;

use crate::model::ImportKind;

use super::string_end;

/// The longest condition naming `TYPE_CHECKING` that is read, and its deepest nesting of
/// `not`, `and`, `or` and brackets: beyond them it is counted as uncertain (a hostile file
/// must not cost more than a bounded pass per condition).
pub(super) const MAX_CONDITION: usize = 4096;
const MAX_DEPTH: usize = 32;

/// The colon that ends a compound statement's header in `text`: the first one outside
/// brackets and strings that is not a walrus `:=`.
pub(super) fn header_colon(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = 0;
    while pos < text.len() {
        match text[pos] {
            b'\'' | b'"' => {
                pos = string_end(text, pos);
                continue;
            }
            b'#' => {
                pos = memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
                continue;
            }
            b'\\' => pos += 1,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b':' if depth == 0 && text.get(pos + 1) != Some(&b'=') => return Some(pos),
            _ => {}
        }
        pos += 1;
    }
    None
}

/// A truth value not known until run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Truth {
    No,
    Maybe,
    Yes,
}

impl Truth {
    fn not(self) -> Truth {
        match self {
            Truth::No => Truth::Yes,
            Truth::Maybe => Truth::Maybe,
            Truth::Yes => Truth::No,
        }
    }
}

/// A condition's value when the program runs (`TYPE_CHECKING` false) and when a type
/// checker reads it (`TYPE_CHECKING` true); every other name is unknown. A branch that
/// never runs is typing-only; one that a type checker always takes but that runs only if
/// something else holds (`if TYPE_CHECKING or SLOW_IMPORT:`, the eager-looking branch of a
/// lazy `__init__`) is lazy; any other branch keeps the kind around it, as any `if` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Views {
    runtime: Truth,
    checker: Truth,
}

impl Views {
    pub(super) const UNKNOWN: Views = Views {
        runtime: Truth::Maybe,
        checker: Truth::Maybe,
    };
    pub(super) const ALWAYS: Views = Views {
        runtime: Truth::Yes,
        checker: Truth::Yes,
    };
    const TYPE_CHECKING: Views = Views {
        runtime: Truth::No,
        checker: Truth::Yes,
    };

    pub(super) fn not(self) -> Views {
        Views {
            runtime: self.runtime.not(),
            checker: self.checker.not(),
        }
    }

    pub(super) fn and(self, other: Views) -> Views {
        Views {
            runtime: self.runtime.min(other.runtime),
            checker: self.checker.min(other.checker),
        }
    }

    fn or(self, other: Views) -> Views {
        self.not().and(other.not()).not()
    }

    /// The kind of the imports in a branch taken under this condition, if it changes it.
    pub(super) fn kind(self) -> Option<ImportKind> {
        match (self.runtime, self.checker) {
            (Truth::No, _) => Some(ImportKind::TypingOnly),
            (Truth::Maybe, Truth::Yes) => Some(ImportKind::Lazy),
            _ => None,
        }
    }
}

/// The views of `condition`: `or`, then `and`, then `not`, then brackets, each read at
/// the top level; an operand is `TYPE_CHECKING` (`typing.TYPE_CHECKING`, or the alias)
/// or unknown. `None` beyond [`MAX_DEPTH`].
pub(super) fn evaluate(condition: &[u8], alias: Option<&[u8]>, depth: usize) -> Option<Views> {
    if depth > MAX_DEPTH {
        return None;
    }
    let condition = condition.trim_ascii();
    for (operator, combine) in [
        (&b"or"[..], Views::or as fn(Views, Views) -> Views),
        (b"and", Views::and),
    ] {
        let parts = split_top_level(condition, operator);
        if parts.len() > 1 {
            let mut value: Option<Views> = None;
            for part in parts {
                let part = evaluate(part, alias, depth + 1)?;
                value = Some(value.map_or(part, |value| combine(value, part)));
            }
            return value;
        }
    }
    if let Some(rest) = condition.strip_prefix(b"not") {
        if rest.first().is_some_and(|&b| !is_word_byte(b)) {
            return Some(evaluate(rest, alias, depth + 1)?.not());
        }
    }
    if condition.first() == Some(&b'(') && closing_bracket(condition) == Some(condition.len() - 1) {
        return evaluate(&condition[1..condition.len() - 1], alias, depth + 1);
    }
    let name = condition.rsplit(|&b| b == b'.').next().unwrap_or(condition);
    let dotted = condition.iter().all(|&b| is_word_byte(b) || b == b'.');
    let is_type_checking = dotted && (name == b"TYPE_CHECKING" || Some(condition) == alias);
    Some(match is_type_checking {
        true => Views::TYPE_CHECKING,
        false => Views::UNKNOWN,
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `condition` split at the word `operator` where it stands outside brackets and strings.
fn split_top_level<'c>(condition: &'c [u8], operator: &[u8]) -> SmallVec<[&'c [u8]; 4]> {
    let mut parts = SmallVec::new();
    let (mut depth, mut pos, mut from) = (0usize, 0, 0);
    while pos < condition.len() {
        match condition[pos] {
            b'\'' | b'"' => {
                pos = string_end(condition, pos);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b if depth == 0 && b == operator[0] && condition[pos..].starts_with(operator) => {
                let before = pos.checked_sub(1).map(|i| condition[i]);
                let after = condition.get(pos + operator.len()).copied();
                if !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte) {
                    parts.push(&condition[from..pos]);
                    pos += operator.len();
                    from = pos;
                    continue;
                }
            }
            b if is_word_byte(b) => {
                // The rest of the word: `origin` holds no `or`.
                while condition.get(pos).copied().is_some_and(is_word_byte) {
                    pos += 1;
                }
                continue;
            }
            _ => {}
        }
        pos += 1;
    }
    parts.push(&condition[from..]);
    parts
}

/// Where the bracket opening `text` closes.
fn closing_bracket(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = 0;
    while pos < text.len() {
        match text[pos] {
            b'\'' | b'"' => {
                pos = string_end(text, pos);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(pos);
                }
            }
            _ => {}
        }
        pos += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compact, guarded};

    #[test]
    fn conditions_naming_type_checking_make_their_branches_lazy_or_typing_only() {
        let source = "\
from typing import TYPE_CHECKING as TC
import typing as t
if TYPE_CHECKING or SLOW_IMPORT:
    import lazy1
else:
    import eager1
if not TYPE_CHECKING:
    import eager2
else:
    import typed1
if TYPE_CHECKING and X:
    import typed2
elif X:
    import eager3
if TC:
    import typed3
if t.TYPE_CHECKING: import typed4
if (not (TYPE_CHECKING)) or X:
    import eager4
if not TYPE_CHECKING:
    pass
elif X:
    import typed5
if X:
    pass
elif TYPE_CHECKING:
    import typed6
else:
    import eager5
if sys.platform == 'win32': import eager6
if TYPE_CHECKING:
    def f():
        import typed7
";
        assert_eq!(
            guarded(source, None),
            [
                "1 Eager 0:typing[\"TYPE_CHECKING\"]",
                "2 Eager 0:typing[]",
                "4 Lazy 0:lazy1[] <- TypeChecking `if TYPE_CHECKING or SLOW_IMPORT` 3",
                "6 Eager 0:eager1[]",
                "8 Eager 0:eager2[]",
                "10 TypingOnly 0:typed1[] <- TypeChecking `if not TYPE_CHECKING: … else` 7",
                "12 TypingOnly 0:typed2[] <- TypeChecking `if TYPE_CHECKING and X` 11",
                "14 Eager 0:eager3[]",
                "16 TypingOnly 0:typed3[] <- TypeChecking `if TC` 15",
                "17 TypingOnly 0:typed4[] <- TypeChecking `if t.TYPE_CHECKING` 17",
                "19 Eager 0:eager4[]",
                "23 TypingOnly 0:typed5[] <- TypeChecking `elif X` 22",
                "27 TypingOnly 0:typed6[] <- TypeChecking `elif TYPE_CHECKING` 26",
                "29 Eager 0:eager5[]",
                "30 Eager 0:eager6[]",
                "33 TypingOnly 0:typed7[] <- TypeChecking `if TYPE_CHECKING` 31",
            ]
        );
    }

    /// Hostile conditions cost a bounded pass each and are counted, not read; deep
    /// nesting keeps at most two blocks open.
    #[test]
    fn deep_or_long_conditions_are_counted_not_read() {
        let deep = format!(
            "if {}TYPE_CHECKING{}:\n    import x\n",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert_eq!(
            compact(&deep),
            [
                "1 uncertain: `TYPE_CHECKING` condition too long or too deep to read",
                "2 Eager 0:x[]"
            ]
        );
        let long = format!("if TYPE_CHECKING or {}:\n    import x\n", "a or ".repeat(2_000) + "b");
        assert_eq!(
            compact(&long)[0],
            "1 uncertain: `TYPE_CHECKING` condition too long or too deep to read"
        );
        let mut nested = String::new();
        for depth in 0..5_000 {
            nested.push_str(&format!("{}if not TYPE_CHECKING:\n", " ".repeat(depth)));
        }
        nested.push_str(&format!("{}import y\nelse:\n    import z\n", " ".repeat(5_000)));
        assert_eq!(compact(&nested), ["5001 Eager 0:y[]", "5003 TypingOnly 0:z[]"]);
        // Unbalanced brackets: the condition runs on to the file's end, as any statement
        // does; nothing is guessed and nothing breaks.
        let unbalanced = "if TYPE_CHECKING or (:\n    import a\nif TYPE_CHECKING)) and [:\n    import b\n";
        assert_eq!(compact(unbalanced), Vec::<String>::new());
        // An operand that is not a name is unknown: the branch keeps its kind.
        assert_eq!(compact("if TYPE_CHECKING)) or x:\n    import c\n"), ["2 Eager 0:c[]"]);
    }
}
