//! `audit.json`: the whole model, keys sorted at every level, two-space indentation.
//!
//! The model is first turned into a JSON tree whose objects are sorted by key (see
//! [`node`]), so key order does not depend on field declaration order and the file is
//! byte-identical for the same snapshot. The layout is serde_json's pretty one except
//! that an array or object of scalars that fits on one line is written on one line: an
//! import edge is `[12, 40, 3, "eager"]`, not six lines, and a module one line, not seven.
//! That halves executorch's file (6,000 modules, 20,000 edges) and the time to write it.

mod node;

use std::cell::RefCell;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

use super::escape;
use crate::model::{Audit, ImportEdge, Module};

use node::{Node, Place};

/// The widest line a container of scalars is folded onto, indentation included.
const MAX_WIDTH: usize = 200;

pub fn render(audit: &Audit) -> String {
    String::from_utf8(render_parts(audit).concat()).expect("serde_json writes UTF-8 and the layout adds ASCII")
}

/// [`render`], as the pieces of the text in order: the text before the architecture, the
/// architecture's before its edges, the edges, and so on. Written one after the other,
/// they are never copied into one buffer (executorch: 3 MB, of which the edges and the
/// modules are 2; copying them cost more in fresh pages than in bytes moved). Secrets are
/// masked ([`escape::json`]) part by part, each on the task that laid it out: a part holds
/// whole string values.
pub fn render_parts(audit: &Audit) -> Vec<Vec<u8>> {
    // The architecture is most of a large tree's file (Linux: 9.6 MB of edges and 8.4 MB
    // of modules in 18.5 MB): its edges, its modules, the rest of it and the rest of the
    // audit are built and laid out on four tasks, the edges and modules without a tree.
    let architecture = &audit.architecture;
    // Not masked: an edge is three numbers and a kind's name, no text of the repository
    // (executorch: 0.8 MB that the masker read for nothing).
    let edges = |place| vec![write_edges(&architecture.edges, place)];
    let modules = |place| {
        let mut text = write_modules(&architecture.modules, place);
        escape::json(&mut text);
        vec![text]
    };
    let architecture = |place| lay_out_apart(architecture, place, &["edges", "modules"], &[&edges, &modules]);
    let mut parts = lay_out_apart(audit, Place::root(true), &["architecture"], &[&architecture]);
    parts.push(b"\n".to_vec());
    parts
}

const SERIALISES: &str = "the model serialises: plain data, string keys";

/// `value` laid out at `place`.
#[cfg(test)]
fn lay_out<T: Serialize + ?Sized>(value: &T, place: Place) -> Vec<u8> {
    let (tree, scalars) = node::build_at(value, place).expect(SERIALISES);
    Layout::new(&scalars, Vec::new())
        .write_parts(&tree, place.depth())
        .concat()
}

/// Lays out the value of one entry of an object, given where it goes, in parts, masked.
type LayOutApart<'a> = &'a (dyn Fn(Place) -> Vec<Vec<u8>> + Sync);

/// `value`, an object, laid out at `place`, in parts, masked; the values of its entries
/// `keys` (in key order, as the object's entries are laid out) are laid out in parallel,
/// each by its function in `lay_outs`, and their parts are put in place.
fn lay_out_apart<T>(
    value: &T,
    place: Place,
    keys: &'static [&'static str],
    lay_outs: &[LayOutApart<'_>],
) -> Vec<Vec<u8>>
where
    T: Serialize + Sync + ?Sized,
{
    assert_eq!(keys.len(), lay_outs.len(), "one function per entry laid out apart");
    debug_assert!(
        keys.windows(2).all(|pair| pair[0] < pair[1]),
        "entries apart in key order"
    );
    let (apart, (tree, scalars)) = rayon::join(
        || {
            keys.par_iter()
                .zip(lay_outs)
                .map(|(key, lay_out)| lay_out(place.entry(key)))
                .collect()
        },
        || node::build_at(value, place.without(keys)).expect(SERIALISES),
    );
    Layout {
        masked: true,
        ..Layout::new(&scalars, apart)
    }
    .write_parts(&tree, place.depth())
}

/// The edges at `place`, written as the layout writes them, without building their tree:
/// an edge is four scalars, always short enough to fold onto its line. Linux has 335,000,
/// half of its file.
fn write_edges(edges: &[ImportEdge], place: Place) -> Vec<u8> {
    if edges.is_empty() {
        return b"[]".to_vec();
    }
    let mut text = Vec::with_capacity(edges.len() * (2 * place.depth() + 30));
    let mut number = itoa::Buffer::new();
    write_lines(&mut text, (b'[', b']'), edges.iter(), place.depth(), |out, edge| {
        out.push(b'[');
        for value in [edge.from, edge.to, edge.line] {
            out.extend_from_slice(number.format(value).as_bytes());
            out.extend_from_slice(b", ");
        }
        serde_json::to_writer(&mut *out, &edge.kind).expect("a kind always serialises into memory");
        out.push(b']');
    });
    text
}

/// The modules at `place`, written as the layout writes them, without building their
/// tree: a module is six scalars, folded onto its line unless its path and name make it
/// too long. Building the tree of the architecture without its edges (its 6,000 modules,
/// mostly) and laying it out was the longest of executorch's rendering tasks: 3.3 to 6.3
/// ms in five runs, against 0.5 to 0.7 ms for its 20,000 edges; the modules written
/// directly took 1.9 to 2.7 ms in six runs on a machine slower that hour, 1.3 to 1.9 ms in
/// eight runs an hour later.
fn write_modules(modules: &[Module], place: Place) -> Vec<u8> {
    if modules.is_empty() {
        return b"[]".to_vec();
    }
    let indent = place.depth() + 1;
    // Sized from the strings, so the text is never moved as it grows (executorch: 1.2 MB);
    // keys, punctuation and the number take under 100 bytes more.
    let capacity = modules
        .iter()
        .map(|m| m.path.len() + m.name.len() + m.language.len() + m.package.len() + 2 * indent + 100)
        .sum();
    let mut text = Vec::with_capacity(capacity);
    write_lines(&mut text, (b'[', b']'), modules.iter(), place.depth(), |out, module| {
        let fields = 0..MODULE_KEYS.len();
        let field = |out: &mut Vec<u8>, field| write_module_field(out, module, field);
        if !fold(out, (b'{', b'}'), fields.clone(), field) {
            write_lines(out, (b'{', b'}'), fields, indent, field);
        }
    });
    text
}

/// A module's keys, written as [`write_key`] writes them, in the order the tree sorts them.
const MODULE_KEYS: [&[u8]; 6] = [
    b"\"code_lines\": ",
    b"\"language\": ",
    b"\"name\": ",
    b"\"package\": ",
    b"\"path\": ",
    b"\"role\": ",
];

/// The key and value of a module's field number `field` (in [`MODULE_KEYS`]' order).
fn write_module_field(out: &mut Vec<u8>, module: &Module, field: usize) {
    out.extend_from_slice(MODULE_KEYS[field]);
    match field {
        0 => out.extend_from_slice(itoa::Buffer::new().format(module.code_lines).as_bytes()),
        1 => write_string(out, &module.language),
        2 => write_string(out, &module.name),
        3 => write_string(out, &module.package),
        4 => write_string(out, &module.path),
        _ => write_string(out, module.role.name()),
    }
}

/// `value` as a JSON string, escaped as serde_json escapes it.
fn write_string(out: &mut Vec<u8>, value: &str) {
    let plain = value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
    if plain {
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, value).expect("a string always serialises into memory");
    }
}

/// Writes a tree, reading its scalars' text from `scalars`.
struct Layout<'s> {
    scalars: &'s [u8],
    /// Whether to fold the containers of scalars that fit on their line: the reference
    /// that the tests hold the tree's builder to, which folds them all (a value laid out
    /// apart does not know its line's start here).
    fold: bool,
    /// The parts of each [`Node::Apart`] value, in the order they are met, until they are
    /// put in place.
    apart: RefCell<std::vec::IntoIter<Vec<Vec<u8>>>>,
    /// The parts written before the one being written: what came before the apart value,
    /// then its parts.
    done: RefCell<Vec<Vec<u8>>>,
    /// Whether the parts it writes itself are masked as they are done (the values laid
    /// out apart come masked, or hold no text to mask).
    masked: bool,
}

impl<'s> Layout<'s> {
    fn new(scalars: &'s [u8], apart: Vec<Vec<Vec<u8>>>) -> Self {
        Layout {
            scalars,
            fold: false,
            apart: RefCell::new(apart.into_iter()),
            done: RefCell::default(),
            masked: false,
        }
    }

    /// The text of `node`, in parts.
    fn write_parts(self, node: &Node, indent: usize) -> Vec<Vec<u8>> {
        // Scalars' text and the layout's punctuation and indentation: twice the scalars'
        // length is room enough for most trees.
        let mut out = Vec::with_capacity(self.scalars.len() * 2);
        self.write(&mut out, node, indent);
        self.mask(&mut out);
        let mut parts = self.done.into_inner();
        parts.push(out);
        parts
    }

    /// Masks a part of its own, if it masks them.
    fn mask(&self, part: &mut [u8]) {
        if self.masked {
            escape::json(part);
        }
    }

    fn write(&self, out: &mut Vec<u8>, node: &Node, indent: usize) {
        match node {
            Node::Scalar(start, end) | Node::Folded(start, end) => out.extend_from_slice(&self.scalars[*start..*end]),
            Node::Apart => {
                let rest = Vec::with_capacity(out.capacity() - out.len());
                self.mask(out);
                let mut done = self.done.borrow_mut();
                done.push(std::mem::replace(out, rest));
                let apart = self.apart.borrow_mut().next();
                done.extend(apart.expect("one value laid out apart per entry left out"));
            }
            Node::Object(entries) if entries.is_empty() => out.extend_from_slice(b"{}"),
            Node::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
            Node::Object(entries) => {
                let folded = self.fold
                    && entries.iter().all(|(_, value)| value.is_scalar())
                    && fold(out, (b'{', b'}'), entries.iter(), |out, (key, value)| {
                        write_key(out, key);
                        self.write(out, value, 0);
                    });
                if !folded {
                    write_lines(out, (b'{', b'}'), entries.iter(), indent, |out, (key, value)| {
                        write_key(out, key);
                        self.write(out, value, indent + 1);
                    });
                }
            }
            Node::Array(items) => {
                let folded = self.fold
                    && items.iter().all(Node::is_scalar)
                    && fold(out, (b'[', b']'), items.iter(), |out, item| self.write(out, item, 0));
                if !folded {
                    write_lines(out, (b'[', b']'), items.iter(), indent, |out, item| {
                        self.write(out, item, indent + 1)
                    });
                }
            }
        }
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
        // Every finding, those a cap's summary stands for included.
        "findings": audit.findings.iter().map(crate::model::Finding::weight).sum::<usize>(),
        "scan_notes": audit.scan_notes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(value: &Value) -> String {
        write_tree(node::build(value).expect("a Value serialises"), true)
    }

    fn write_tree((tree, scalars): (Node, Vec<u8>), fold: bool) -> String {
        let parts = Layout {
            fold,
            ..Layout::new(&scalars, Vec::new())
        }
        .write_parts(&tree, 0);
        String::from_utf8(parts.concat()).expect("UTF-8")
    }

    /// Folding while building must choose exactly what the layout would: containers
    /// whose line is one byte either side of the limit, at several depths, under keys
    /// that JSON escapes, and in enum variants.
    #[test]
    fn folding_while_building_matches_the_layout() {
        #[derive(serde::Serialize)]
        enum Variant {
            Newtype(String),
            Tuple(String, u8),
            Struct { text: String },
        }
        #[derive(serde::Serialize)]
        struct Sample {
            #[serde(rename = "a\"\n\u{1}")]
            escaped: (String, u8),
            map: std::collections::BTreeMap<String, String>,
            variants: Vec<Variant>,
            nested: Vec<Vec<String>>,
        }
        #[derive(serde::Serialize)]
        #[serde(untagged)]
        enum Nest {
            Leaf(Sample),
            Level { level: Vec<Nest> },
        }
        for depth in 0..4 {
            for len in 150..200 {
                let text = "é".repeat(len / 2) + &"x".repeat(len % 2);
                let mut value = Nest::Leaf(Sample {
                    escaped: (text.clone(), 1),
                    map: [("k\t".to_string(), text.clone())].into(),
                    variants: vec![
                        Variant::Newtype(text.clone()),
                        Variant::Tuple(text.clone(), 2),
                        Variant::Struct { text: text.clone() },
                    ],
                    nested: vec![vec![text.clone()]],
                });
                for _ in 0..depth {
                    value = Nest::Level { level: vec![value] };
                }
                let built = write_tree(node::build(&value).expect("serialises"), false);
                let laid_out = write_tree(node::build_unfolded(&value).expect("serialises"), true);
                assert_eq!(built, laid_out, "depth {depth}, length {len}");
            }
        }
    }

    /// Lays out `value` in one part, wherever it is put.
    fn in_one_part(value: &Value) -> impl Fn(Place) -> Vec<Vec<u8>> + Sync + '_ {
        move |place| vec![lay_out(value, place)]
    }

    /// Entries laid out apart and spliced in, and entries of those entries, read as if laid
    /// out in place, folded or not.
    #[test]
    fn entries_laid_out_apart_read_as_in_place() {
        let root = Place::root(true);
        for len in 170..200 {
            let text = "x".repeat(len);
            for big in [json!([text]), json!({"edges": [[1, 2, text]], "none": []})] {
                let value = json!({"a": 1, "big": big, "c": [text], "z": [true]});
                let apart = lay_out_apart(&value, root, &["big"], &[&in_one_part(&value["big"])]);
                assert_eq!(
                    String::from_utf8(apart.concat()).expect("UTF-8"),
                    layout(&value),
                    "length {len}"
                );
                let (big, c) = (in_one_part(&value["big"]), in_one_part(&value["c"]));
                let apart = lay_out_apart(&value, root, &["big", "c"], &[&big, &c]);
                assert_eq!(
                    String::from_utf8(apart.concat()).expect("UTF-8"),
                    layout(&value),
                    "two apart, length {len}"
                );
            }
            let value = json!({"a": 1, "big": {"edges": [[1, 2, text]], "modules": [], "none": []}, "z": [true]});
            let (edges, modules) = (
                in_one_part(&value["big"]["edges"]),
                in_one_part(&value["big"]["modules"]),
            );
            let big = |place| lay_out_apart(&value["big"], place, &["edges", "modules"], &[&edges, &modules]);
            let apart = lay_out_apart(&value, root, &["big"], &[&big]);
            assert_eq!(
                String::from_utf8(apart.concat()).expect("UTF-8"),
                layout(&value),
                "nested, length {len}"
            );
        }
    }

    /// Modules written directly read as their tree laid out would: folded onto their line
    /// or, one byte too long for it, not; with strings that need escapes; at every depth.
    #[test]
    fn modules_are_written_as_their_tree_would_be_laid_out() {
        let module = |path: &str, name: &str| Module {
            path: path.to_string(),
            name: name.to_string(),
            language: "Python".to_string(),
            package: "pkg".to_string(),
            code_lines: 1234,
            role: crate::model::Role::Source,
        };
        let mut modules = vec![
            module("a/b.py", "a.b"),
            module("q\"uote\\d\n/tab\t.py", "ctl\u{1}é"),
            module(&"x".repeat(300), "long"),
        ];
        // Around the line limit: each length in turn is the first that no longer folds,
        // at some depth below.
        for len in 60..110 {
            modules.push(module(&"p".repeat(len), "n"));
        }
        written_as_laid_out(&modules, "modules", write_modules);
    }

    /// `write` writes `items`, all of them, one or none, as their tree is laid out, at
    /// twelve depths under `key`.
    fn written_as_laid_out<T: Serialize>(items: &[T], key: &str, write: fn(&[T], Place) -> Vec<u8>) {
        let mut place = Place::root(true);
        for _ in 0..12 {
            for items in [items, &items[..1], &[]] {
                assert_eq!(
                    String::from_utf8(write(items, place)),
                    String::from_utf8(lay_out(items, place)),
                    "depth {}",
                    place.depth()
                );
            }
            place = place.entry(key);
        }
    }

    #[test]
    fn edges_are_written_as_their_tree_would_be_laid_out() {
        use crate::model::ImportKind;
        use std::sync::Arc;
        let edge = |from, to, line, kind| ImportEdge {
            from,
            to,
            line,
            kind,
            text: Arc::from("import x"),
            guard: None,
        };
        let edges = [
            edge(0, 1, 1, ImportKind::Eager),
            edge(12, 345, 6789, ImportKind::Lazy),
            edge(usize::MAX, usize::MAX, usize::MAX, ImportKind::TypingOnly),
        ];
        written_as_laid_out(&edges, "edges", write_edges);
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

    /// What the tree gives for every shape serde can produce, against `serde_json::Value`
    /// (the reference: sorted keys, last repeated key wins, `f32` widened).
    #[test]
    fn the_tree_lays_out_what_a_value_would() {
        #[derive(serde::Serialize)]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(i64, bool),
            Struct { z: Option<u8>, a: char },
        }
        #[derive(serde::Serialize)]
        struct Model {
            zeta: Vec<Shape>,
            alpha: std::collections::BTreeMap<u32, f32>,
            #[serde(flatten)]
            more: std::collections::BTreeMap<String, String>,
            middle: (f64, f64, Option<String>),
            bytes: serde_bytes_like::Bytes,
        }
        mod serde_bytes_like {
            pub struct Bytes(pub Vec<u8>);
            impl serde::Serialize for Bytes {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_bytes(&self.0)
                }
            }
        }
        let model = Model {
            zeta: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, true),
                Shape::Struct { z: None, a: '"' },
            ],
            alpha: [(10, 0.1), (9, 2.5)].into_iter().collect(),
            more: [("alpha", "shadowed"), ("b\u{7f}", "é\n")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            middle: (f64::NAN, 1e300, Some("x".repeat(250))),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
        };
        let value = serde_json::to_value(&model).expect("serialises");
        let (tree, scalars) = node::build(&model).expect("serialises");
        let direct = Layout {
            fold: true,
            ..Layout::new(&scalars, Vec::new())
        }
        .write_parts(&tree, 0);
        assert_eq!(String::from_utf8(direct.concat()).expect("UTF-8"), layout(&value));
    }
}
