//! `_import_structure`: the dict that the `__init__` of a large library (transformers,
//! diffusers) hands to the lazy module it installs in `sys.modules[__name__]`, submodule
//! → the names it defines. Each literal key is a lazy import of the submodule it names,
//! guarded by that lazy module; keys set any other way are counted as uncertain.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use memchr::memchr;
use memchr::memmem::Finder;

use crate::model::{Guard, GuardReason, ImportKind};

use super::{
    first_word, is_dotted, line_end, skip_blanks, skip_space, statement_end, statement_text, string_end, PythonImport,
    RawImport, Scanner, Target,
};

static LAZY_MODULE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"sys.modules[__name__]"));

/// The name of the dict that lazy `__init__` files (transformers, diffusers) hand to the
/// lazy module they install: submodule → the names it defines.
pub(super) const IMPORT_STRUCTURE: &[u8] = b"_import_structure";

const IMPORT_STRUCTURE_TEXT: &str = "_import_structure";

/// Why a key was not read, as counted in `uncertain`.
const STRUCTURE_AT_RUN_TIME: &str = "`_import_structure` built at run time";
const STRUCTURE_KEY: &str = "`_import_structure` key that is not a module name";
const STRUCTURE_UNUSED: &str = "`_import_structure` with no lazy module in `sys.modules[__name__]`";

impl Scanner<'_> {
    /// A statement starting with `_import_structure`: its literal keys name submodules
    /// (`_import_structure = {"a": [...]}`, `_import_structure["b"] = [...]`,
    /// `.update({...})`); anything else that sets keys is counted as uncertain. Inside a
    /// function it is some other dict.
    pub(super) fn import_structure(&mut self, start: usize, end: usize) {
        if self
            .blocks
            .iter()
            .any(|block| block.reason != GuardReason::TypeChecking)
        {
            return;
        }
        let bytes = &self.bytes[..end];
        let mut at = skip_blanks(bytes, start + IMPORT_STRUCTURE.len());
        if bytes.get(at) == Some(&b':') {
            // `_import_structure: dict[str, list[str]] = {...}`
            match memchr(b'=', &bytes[at..]) {
                Some(i) => at += i,
                None => return,
            }
        }
        match bytes.get(at) {
            Some(b'=') if bytes.get(at + 1) != Some(&b'=') => {
                let value = skip_blanks(bytes, at + 1);
                match bytes.get(value) {
                    Some(b'{') => self.structure_dict(start, value, end),
                    _ => self.uncertain(start, &bytes[start..end], STRUCTURE_AT_RUN_TIME),
                }
            }
            Some(b'[') => {
                let key = skip_space(bytes, at + 1);
                match literal(bytes, key) {
                    Some((name, close)) if bytes.get(skip_space(bytes, close)) == Some(&b']') => {
                        self.structure_key(start, end, name, key)
                    }
                    _ => self.uncertain(start, &bytes[start..end], STRUCTURE_AT_RUN_TIME),
                }
            }
            Some(b'.') if first_word(&bytes[at + 1..]) == b"update" => {
                let open = skip_space(bytes, at + 1 + b"update".len());
                let argument = skip_space(bytes, open + 1);
                match (bytes.get(open), bytes.get(argument)) {
                    (Some(b'('), Some(b'{')) => self.structure_dict(start, argument, end),
                    _ => self.uncertain(start, &bytes[start..end], STRUCTURE_AT_RUN_TIME),
                }
            }
            _ => {}
        }
    }

    /// The keys of the dict literal whose `{` is at `open`: a string literal followed by
    /// `:` at the dict's own depth. Any other item (`**other`, a comprehension, a name)
    /// makes the statement uncertain; the keys read are kept.
    fn structure_dict(&mut self, start: usize, open: usize, end: usize) {
        let bytes = &self.bytes[..end];
        let mut pos = open + 1;
        let mut depth = 1usize;
        let mut item_start = true;
        let mut unread = false;
        while pos < end && depth > 0 {
            let b = bytes[pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\\' => {
                    pos += 1;
                    continue;
                }
                b'#' => {
                    pos = line_end(bytes, pos);
                    continue;
                }
                _ => {}
            }
            if depth == 1 && item_start && b != b'}' {
                item_start = false;
                match literal(bytes, pos) {
                    Some((name, close)) if bytes.get(skip_space(bytes, close)) == Some(&b':') => {
                        self.structure_key(start, end, name, pos);
                        pos = close;
                        continue;
                    }
                    _ => unread = true,
                }
            }
            match b {
                b'\'' | b'"' => {
                    pos = string_end(bytes, pos);
                    continue;
                }
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 1 => item_start = true,
                _ => {}
            }
            pos += 1;
        }
        if unread {
            self.uncertain(start, &bytes[start..end], STRUCTURE_AT_RUN_TIME);
        }
    }

    /// One key of `_import_structure` (the string literal's content), at byte `at`: a lazy
    /// edge to that submodule of this module, once per key.
    fn structure_key(&mut self, start: usize, end: usize, key: &[u8], at: usize) {
        let Some(key) = std::str::from_utf8(key).ok().filter(|key| is_dotted(key)) else {
            self.uncertain(start, &self.bytes[start..end], STRUCTURE_KEY);
            return;
        };
        if !self.structure_keys.insert(key.into()) {
            return;
        }
        let module = match self.own_name {
            Some(own) => Cow::Owned(format!("{own}.{key}")),
            None => Cow::Borrowed(key),
        };
        let line = self.lines.line_at(self.bytes, at);
        let kept = self.out.push(RawImport {
            line,
            kind: ImportKind::Lazy,
            target: Target::Python(PythonImport::new(1, &module, None::<&str>)),
            text: format!("_import_structure[\"{key}\"]").into(),
            guard: None,
        });
        self.structure_imports.extend(kept);
    }

    /// The keys' guard: the lazy module installed in `sys.modules[__name__]`, searched in
    /// the whole file (it follows the file's last import). Without one, the dict is data:
    /// its keys are dropped and counted once as uncertain.
    pub(super) fn finish_structure(&mut self) {
        let Some(&first) = self.structure_imports.first() else {
            return;
        };
        let Some(at) = LAZY_MODULE.find(self.bytes) else {
            let line = self.out.kept[first].line;
            let mut keep = vec![true; self.out.kept.len()];
            for &index in &self.structure_imports {
                keep[index] = false;
            }
            let mut keep = keep.into_iter();
            self.out.kept.retain(|_| keep.next().unwrap_or(true));
            self.out.push(RawImport {
                line,
                kind: ImportKind::Lazy,
                target: Target::Uncertain(STRUCTURE_UNUSED),
                text: IMPORT_STRUCTURE_TEXT.into(),
                guard: None,
            });
            return;
        };
        let (end, _) = statement_end(self.bytes, at);
        // Its arguments run over lines and say nothing more: `sys.modules[__name__] =
        // _LazyModule(…)`.
        let statement = &self.bytes[at..end];
        let text = match memchr(b'(', statement) {
            Some(open) => format!("{}…)", statement_text(&statement[..=open])),
            None => statement_text(statement).to_string(),
        };
        let guard = Arc::new(Guard {
            reason: GuardReason::LazyModule,
            text,
            line: self.lines.line_at(self.bytes, at),
        });
        for &index in &self.structure_imports {
            self.out.kept[index].guard = Some(Arc::clone(&guard));
        }
    }
}

/// A plain string literal at `pos` (no prefix, no escape): its content and where it ends.
fn literal(bytes: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let quote = *bytes.get(pos)?;
    if quote != b'\'' && quote != b'"' {
        return None;
    }
    let end = string_end(bytes, pos);
    let content = bytes.get(pos + 1..end.checked_sub(1)?)?;
    (bytes[end - 1] == quote && !content.contains(&b'\\') && !content.contains(&quote)).then_some((content, end))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compact, guarded};

    /// The transformers layout: `_import_structure` names the submodules a lazy module
    /// loads on first use; the eager-looking imports are for the type checker.
    #[test]
    fn import_structure_keys_are_lazy_edges_to_submodules() {
        let source = "\
from typing import TYPE_CHECKING
from ...utils import _LazyModule
_import_structure = {
    \"configuration_bert\": [\"BertConfig\"],  # {\"not\": a key}
    'models.auto': [],
    **extra,
}
_import_structure[\"modeling_bert\"] = [\"BertModel\"]
_import_structure[\"modeling_bert\"].append(\"X\")
_import_structure[name] = []
_import_structure.update(
    {\"tokenization\": [], \"a-b\": []}
)
if TYPE_CHECKING:
    from .configuration_bert import BertConfig
else:
    import sys
    sys.modules[__name__] = _LazyModule(__name__, globals()[\"__file__\"], _import_structure)
";
        let guard = "<- LazyModule `sys.modules[__name__] = _LazyModule(…)` 18";
        assert_eq!(
            guarded(source, None),
            [
                "1 Eager 0:typing[\"TYPE_CHECKING\"]".to_string(),
                "2 Eager 3:utils[\"_LazyModule\"]".to_string(),
                format!("4 Lazy 1:configuration_bert[] {guard}"),
                format!("5 Lazy 1:models.auto[] {guard}"),
                "3 uncertain: `_import_structure` built at run time".to_string(),
                format!("8 Lazy 1:modeling_bert[] {guard}"),
                "10 uncertain: `_import_structure` built at run time".to_string(),
                format!("12 Lazy 1:tokenization[] {guard}"),
                "11 uncertain: `_import_structure` key that is not a module name".to_string(),
                "15 TypingOnly 1:configuration_bert[\"BertConfig\"] <- TypeChecking `if TYPE_CHECKING` 14".to_string(),
                "17 Eager 0:sys[]".to_string(),
            ]
        );
        // In `bert.py` rather than `__init__.py`, the keys name submodules of `bert`.
        assert!(guarded(source, Some("bert"))[2].starts_with("4 Lazy 1:bert.configuration_bert[]"));
        // Without a lazy module the dict is data: its keys are counted once, not linked.
        let data = "_import_structure = {\"a\": []}\nimport sys\n";
        assert_eq!(
            compact(data),
            [
                "2 Eager 0:sys[]",
                "1 uncertain: `_import_structure` with no lazy module in `sys.modules[__name__]`"
            ]
        );
        let dynamic = "import sys\n_import_structure = define_import_structure(_file)\nimport x\n";
        assert_eq!(
            compact(dynamic),
            [
                "1 Eager 0:sys[]",
                "2 uncertain: `_import_structure` built at run time",
                "3 Eager 0:x[]"
            ]
        );
    }
}
