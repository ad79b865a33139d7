//! `audit.json`: the whole model, keys sorted at every level, two-space indentation.
//!
//! Going through `serde_json::Value` (whose maps are sorted) makes key order independent
//! of field declaration order, so the file is byte-identical for the same snapshot.
//! The layout is serde_json's pretty one except that an array or object of scalars that
//! fits on one line is written on one line: an import edge is `[12, 40, 3, "eager"]`, not
//! six lines, and a module one line, not seven. That halves executorch's file (6,000
//! modules, 20,000 edges) and the time to write it.

use serde_json::{json, Value};

use crate::model::Audit;

/// The widest line a container of scalars is folded onto, indentation included.
const MAX_WIDTH: usize = 200;

pub fn render(audit: &Audit) -> String {
    let value = serde_json::to_value(audit).expect("the model serialises: plain data, string keys");
    let mut text = Vec::with_capacity(1 << 20);
    write_value(&mut text, &value, 0);
    text.push(b'\n');
    String::from_utf8(text).expect("serde_json writes UTF-8 and the layout adds ASCII")
}

fn write_value(out: &mut Vec<u8>, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let folded = map.values().all(is_scalar)
                && fold(out, (b'{', b'}'), map.iter(), |out, (key, value)| {
                    write_key(out, key);
                    write_scalar(out, value);
                });
            if !folded {
                write_lines(out, (b'{', b'}'), map.iter(), indent, |out, (key, value)| {
                    write_key(out, key);
                    write_value(out, value, indent + 1);
                });
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let folded = items.iter().all(is_scalar) && fold(out, (b'[', b']'), items.iter(), write_scalar);
            if !folded {
                write_lines(out, (b'[', b']'), items.iter(), indent, |out, item| {
                    write_value(out, item, indent + 1)
                });
            }
        }
        _ => write_scalar(out, value),
    }
}

/// Writes a container of scalars on one line if that line stays within [`MAX_WIDTH`];
/// else writes nothing and returns `false`.
fn fold<T>(
    out: &mut Vec<u8>,
    (open, close): (u8, u8),
    items: impl Iterator<Item = T>,
    write: impl Fn(&mut Vec<u8>, T),
) -> bool {
    let line_start = memchr::memrchr(b'\n', out).map_or(0, |i| i + 1);
    let mark = out.len();
    out.push(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        write(out, item);
        if out.len() - line_start > MAX_WIDTH {
            out.truncate(mark);
            return false;
        }
    }
    out.push(close);
    if out.len() - line_start <= MAX_WIDTH {
        return true;
    }
    out.truncate(mark);
    false
}

/// serde_json's pretty layout: one item per line, indented one level more.
fn write_lines<T>(
    out: &mut Vec<u8>,
    (open, close): (u8, u8),
    items: impl Iterator<Item = T>,
    indent: usize,
    mut write: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(open);
    for (i, item) in items.enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        push_indent(out, indent + 1);
        write(out, item);
    }
    out.push(b'\n');
    push_indent(out, indent);
    out.push(close);
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// A scalar, or an empty array or object, as serde_json writes it (counts, the bulk of
/// the file, without going through serde).
fn write_scalar(out: &mut Vec<u8>, value: &Value) {
    match value.as_u64() {
        Some(number) => out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes()),
        None => serde_json::to_writer(&mut *out, value).expect("a Value always serialises into memory"),
    }
}

fn write_key(out: &mut Vec<u8>, key: &str) {
    serde_json::to_writer(&mut *out, key).expect("a string always serialises into memory");
    out.extend_from_slice(b": ");
}

fn push_indent(out: &mut Vec<u8>, indent: usize) {
    for _ in 0..indent {
        out.extend_from_slice(b"  ");
    }
}

/// The short summary of `audit.json` that the Markdown pack embeds (section 13).
pub fn summary(audit: &Audit) -> Value {
    let inventory = &audit.inventory;
    let repository = audit.repository.as_ref();
    let languages: serde_json::Map<String, Value> = inventory
        .languages
        .iter()
        .take(10)
        .map(|l| (l.name.clone(), json!({"files": l.files, "code": l.lines.code})))
        .collect();
    json!({
        "audit_metadata": {
            "mode": "BASELINE",
            "generated_at": audit.generated_at,
            "root": audit.snapshot.root_name,
            "snapshot": audit.snapshot.kind,
            "revision": audit.snapshot.requested_revision,
            "commit": audit.snapshot.commit,
            "branch": repository.and_then(|r| r.branch.clone()),
            "tool": format!("{} {}", audit.tool.name, audit.tool.version),
            "schema_version": audit.schema_version,
        },
        "repository_facts": {
            "tracked_entries": inventory.tracked_entries,
            "tracked_files": inventory.tracked_files,
            "submodules": inventory.submodules,
            "untracked_files": inventory.untracked.files,
            "lines": inventory.lines,
            "top_languages": languages,
            "test_files": audit.tests.files,
            "source_files": audit.tests.source_files,
        },
        "findings": audit.findings.len(),
        "scan_notes": audit.scan_notes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(value: &Value) -> String {
        let mut out = Vec::new();
        write_value(&mut out, value, 0);
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn short_scalar_containers_fold_and_long_ones_do_not() {
        let long: Vec<u32> = (0..100).collect();
        let value = json!({"edge": [1, 2, 3, "eager"], "empty": [], "long": long, "nested": [[1], {"a": "é\""}]});
        let text = layout(&value);
        assert!(text.contains("\"edge\": [1, 2, 3, \"eager\"],\n"), "{text}");
        assert!(text.contains("\"long\": [\n    0,\n    1,\n"), "{text}");
        assert!(
            text.contains("\"nested\": [\n    [1],\n    {\"a\": \"é\\\"\"}\n  ]"),
            "{text}"
        );
        assert!(text.lines().all(|line| line.len() <= MAX_WIDTH));
        assert_eq!(serde_json::from_str::<Value>(&text).expect("valid JSON"), value);
    }
}
