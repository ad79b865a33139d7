//! Loading workflow YAML with positions, safely, into a compact tree, and small accessors
//! over it.
//!
//! The tree is built from saphyr's event stream, not with saphyr's own `MarkedYaml`: that
//! keeps a hash map per mapping and two full markers per node, several hundred bytes a
//! node, so a 1 MiB workflow of flow-style items took 55 MB (issue 18). A [`Node`] here is
//! 48 bytes, scalars borrow the text where saphyr lets them, and mappings are vectors of
//! pairs (looked up linearly: workflow mappings are small). Memory is bounded by design: a
//! document may hold at most [`BASE_NODES`] nodes plus one per [`BYTES_PER_NODE`] bytes of
//! the file, aliases counted as the nodes they expand to, so an alias bomb or a file of
//! one-character items is refused, with that reason, before it grows (real workflows have
//! 8 to 200 bytes a node, a median near 30).
//!
//! Scalars are read by YAML 1.2's core schema as saphyr reads them (`Scalar`), duplicate
//! keys are an error as in saphyr, and a collection with a tag outside the core schema is
//! kept but opaque (no accessor sees into it), as saphyr's `Tagged` node was.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use saphyr::Scalar;
use saphyr_parser::{Event, Marker, Parser, ScanError, Tag};

/// Largest workflow file parsed; real workflows are a few KiB, pipelines at most a few
/// hundred. Larger files are reported, not parsed, to keep memory bounded.
pub const MAX_BYTES: usize = 1 << 20;

/// Nodes any document may have, whatever its size.
pub const BASE_NODES: usize = 10_000;

/// Beyond [`BASE_NODES`], one node more per this many bytes of the file: with 48-byte
/// nodes (and as much again transiently, while a vector grows) the tree stays within about
/// 3 times the file's size. Real workflows have a node per 8 to 200 bytes, a median near 30,
/// and all but the largest stay within the base.
///
/// saphyr's scanner also holds every token of a flow collection (`[a, b, …]`) until it
/// closes, some 100 bytes each: a file with more commas than [`BASE_NODES`] and one more per
/// [`BYTES_PER_COMMA`] bytes is refused before it is parsed (real workflows have a few
/// hundred).
pub const BYTES_PER_NODE: usize = 32;

/// See [`BYTES_PER_NODE`].
pub const BYTES_PER_COMMA: usize = 64;

/// Most nodes a document of `bytes` bytes may have.
pub fn node_budget(bytes: usize) -> usize {
    BASE_NODES + bytes / BYTES_PER_NODE
}

/// A line and a column, as saphyr gives them: the line 1-based, the column 0-based, in
/// characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    line: u32,
    col: u32,
}

impl Mark {
    fn of(marker: Marker) -> Mark {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Mark {
            line: narrow(marker.line()),
            col: narrow(marker.col()),
        }
    }

    pub fn line(&self) -> usize {
        self.line as usize
    }

    pub fn col(&self) -> usize {
        self.col as usize
    }
}

/// Where a node starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Mark,
    pub end: Mark,
}

/// One node of a workflow document.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub data: Data<'a>,
    pub span: Span,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Data<'a> {
    Scalar(Scalar<'a>),
    Sequence(Vec<Node<'a>>),
    /// Key and value pairs, in the file's order, keys unique.
    Mapping(Vec<(Node<'a>, Node<'a>)>),
    /// Present but not read: an empty document, a scalar that does not fit its core-schema
    /// tag (`!!int x`), a collection with another tag, an alias to no anchor.
    Opaque,
}

/// Why a file could not be loaded, with the 1-based line where that is known.
#[derive(Debug, PartialEq, Eq)]
pub struct LoadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LoadError {
    fn at(marker: Marker, message: String) -> LoadError {
        LoadError {
            line: marker.line(),
            column: marker.col() + 1,
            message,
        }
    }

    fn scan(error: &ScanError) -> LoadError {
        LoadError::at(*error.marker(), error.info().to_string())
    }
}

/// Every document of `text`, or why not.
pub fn load(text: &str) -> Result<Vec<Node<'_>>, LoadError> {
    if text.len() > MAX_BYTES {
        return Err(LoadError {
            line: 1,
            column: 1,
            message: format!(
                "{} bytes, more than the {} bytes a workflow may have here",
                text.len(),
                MAX_BYTES
            ),
        });
    }
    let commas = memchr::memchr_iter(b',', text.as_bytes()).count();
    let allowed = BASE_NODES + text.len() / BYTES_PER_COMMA;
    if commas > allowed {
        return Err(LoadError {
            line: 1,
            column: 1,
            message: format!(
                "{commas} commas: plumb parses a workflow of at most {BASE_NODES} commas and one more per {BYTES_PER_COMMA} bytes, as the YAML parser holds a flow collection's items until it closes"
            ),
        });
    }
    let mut builder = Builder::new(node_budget(text.len()));
    // The `&str` input of the parser is several times faster than a char iterator.
    let mut parser = Parser::new_from_str(text);
    // As saphyr's loader: a syntax error anywhere in the file wins over an error of the
    // tree (a duplicate key, the budget) found before it, so the events are read to the end.
    let mut failed: Option<LoadError> = None;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| LoadError::scan(&e))?;
        if failed.is_none() {
            failed = builder.on_event(event, span.start, span.end).err();
        }
    }
    match failed {
        Some(error) => Err(error),
        None => Ok(builder.docs),
    }
}

/// A collection being read: its node so far, and for a mapping the key waiting for its
/// value.
struct Open<'a> {
    node: Node<'a>,
    anchor: usize,
    /// A tag outside the core schema: the collection ends up opaque.
    foreign_tag: bool,
    /// The node count when the collection started (its size, for an anchor on it).
    count_at_start: usize,
    key: Option<(Node<'a>, Marker)>,
    /// Hashes of a large mapping's scalar keys, for the duplicate check.
    key_hashes: FxHashSet<u64>,
}

/// Mappings up to this many entries are checked for a duplicate key by a linear search.
const LINEAR_KEY_CHECK: usize = 16;

struct Builder<'a> {
    docs: Vec<Node<'a>>,
    open: Vec<Open<'a>>,
    root: Option<Node<'a>>,
    /// Anchored nodes, with their size in nodes.
    anchors: FxHashMap<usize, (Node<'a>, usize)>,
    count: usize,
    budget: usize,
}

impl<'a> Builder<'a> {
    fn new(budget: usize) -> Builder<'a> {
        Builder {
            docs: Vec::new(),
            open: Vec::new(),
            root: None,
            anchors: FxHashMap::default(),
            count: 0,
            budget,
        }
    }

    fn on_event(&mut self, event: Event<'a>, start: Marker, end: Marker) -> Result<(), LoadError> {
        match event {
            Event::DocumentEnd => {
                let empty = Node {
                    data: Data::Opaque,
                    span: Span {
                        start: Mark::of(start),
                        end: Mark::of(end),
                    },
                };
                self.docs.push(self.root.take().unwrap_or(empty));
            }
            Event::SequenceStart(anchor, tag) => {
                self.start(Data::Sequence(Vec::new()), anchor, tag.as_deref(), start)?
            }
            Event::MappingStart(anchor, tag) => self.start(Data::Mapping(Vec::new()), anchor, tag.as_deref(), start)?,
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.open.pop() {
                    let mut node = open.node;
                    node.span.end = Mark::of(start);
                    // A vector's first push reserves room for four: most mappings of a
                    // workflow hold one or two entries.
                    match &mut node.data {
                        Data::Sequence(items) => items.shrink_to_fit(),
                        Data::Mapping(entries) => entries.shrink_to_fit(),
                        Data::Scalar(_) | Data::Opaque => {}
                    }
                    if open.foreign_tag {
                        node.data = Data::Opaque;
                    }
                    if open.anchor > 0 {
                        let size = self.count - open.count_at_start + 1;
                        self.anchor(open.anchor, &node, size)?;
                    }
                    self.insert(node, start)?;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.count_nodes(1, false)?;
                let data =
                    Scalar::parse_from_cow_and_metadata(value, style, tag.as_ref()).map_or(Data::Opaque, Data::Scalar);
                let node = Node {
                    data,
                    span: Span {
                        start: Mark::of(start),
                        end: Mark::of(end),
                    },
                };
                if anchor > 0 {
                    self.anchor(anchor, &node, 1)?;
                }
                self.insert(node, start)?;
            }
            Event::Alias(anchor) => {
                let mut node = match self.anchors.get(&anchor) {
                    Some((node, size)) => {
                        let (node, size) = (node.clone(), *size);
                        self.count_nodes(size, true)?;
                        node
                    }
                    None => Node {
                        data: Data::Opaque,
                        span: Span::default(),
                    },
                };
                node.span = Span {
                    start: Mark::of(start),
                    end: Mark::of(end),
                };
                self.insert(node, start)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {}
        }
        Ok(())
    }

    fn start(&mut self, data: Data<'a>, anchor: usize, tag: Option<&Tag>, at: Marker) -> Result<(), LoadError> {
        self.count_nodes(1, false)?;
        self.open.push(Open {
            node: Node {
                data,
                span: Span {
                    start: Mark::of(at),
                    end: Mark::of(at),
                },
            },
            anchor,
            foreign_tag: tag.is_some_and(|tag| !tag.is_yaml_core_schema()),
            count_at_start: self.count,
            key: None,
            key_hashes: FxHashSet::default(),
        });
        Ok(())
    }

    /// Keeps a copy of an anchored node for its aliases; the copy counts against the budget.
    fn anchor(&mut self, anchor: usize, node: &Node<'a>, size: usize) -> Result<(), LoadError> {
        self.count_nodes(size, false)?;
        self.anchors.insert(anchor, (node.clone(), size));
        Ok(())
    }

    fn count_nodes(&mut self, nodes: usize, alias: bool) -> Result<(), LoadError> {
        self.count = self.count.saturating_add(nodes);
        if self.count <= self.budget {
            return Ok(());
        }
        let message = if alias {
            format!(
                "aliases expand to more than the {} nodes this document may have (an alias bomb?)",
                self.budget
            )
        } else {
            format!(
                "more than {} nodes: plumb reads a workflow of at most {} nodes and one more per {} bytes, to bound memory",
                self.budget, BASE_NODES, BYTES_PER_NODE
            )
        };
        Err(LoadError {
            line: 1,
            column: 1,
            message,
        })
    }

    /// Adds a finished node to the collection being read, or makes it the document's root.
    fn insert(&mut self, node: Node<'a>, at: Marker) -> Result<(), LoadError> {
        let Some(parent) = self.open.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.node.data {
            Data::Sequence(items) => items.push(node),
            Data::Mapping(entries) => match parent.key.take() {
                None => parent.key = Some((node, at)),
                Some((key, key_at)) => {
                    if is_duplicate(entries, &mut parent.key_hashes, &key) {
                        return Err(LoadError::at(key_at, "duplicated key in mapping".to_string()));
                    }
                    entries.push((key, node));
                }
            },
            Data::Scalar(_) | Data::Opaque => {}
        }
        Ok(())
    }
}

/// Whether `key` is already a key of `entries` (scalar keys only: a collection as a key,
/// which no workflow uses, is never taken for a duplicate).
fn is_duplicate(entries: &[(Node<'_>, Node<'_>)], hashes: &mut FxHashSet<u64>, key: &Node<'_>) -> bool {
    let Data::Scalar(scalar) = &key.data else {
        return false;
    };
    let same = |entry: &(Node<'_>, Node<'_>)| matches!(&entry.0.data, Data::Scalar(other) if other == scalar);
    if entries.len() < LINEAR_KEY_CHECK {
        return entries.iter().any(same);
    }
    if hashes.is_empty() {
        hashes.extend(entries.iter().filter_map(|(k, _)| match &k.data {
            Data::Scalar(s) => Some(hash_of(s)),
            _ => None,
        }));
    }
    !hashes.insert(hash_of(scalar)) && entries.iter().any(same)
}

fn hash_of(scalar: &Scalar<'_>) -> u64 {
    let mut hasher = FxHasher::default();
    scalar.hash(&mut hasher);
    hasher.finish()
}

/// The value under `key` of a mapping node.
/// Only a string key matches, as in saphyr (`on:` is the string "on" in YAML 1.2).
pub fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    match &node.data {
        Data::Mapping(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.data, Data::Scalar(Scalar::String(s)) if s == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The key node and value node of `key` in a mapping node.
pub fn get_entry<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<(&'n Node<'a>, &'n Node<'a>)> {
    match &node.data {
        Data::Mapping(entries) => entries
            .iter()
            .find(|(k, _)| text(k).as_deref() == Some(key))
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// A scalar as text: strings as they are, booleans and numbers as YAML writes them.
pub fn text<'n>(node: &'n Node<'_>) -> Option<Cow<'n, str>> {
    match &node.data {
        Data::Scalar(Scalar::String(s)) => Some(Cow::Borrowed(s.as_ref())),
        Data::Scalar(Scalar::Boolean(b)) => Some(b.to_string().into()),
        Data::Scalar(Scalar::Integer(i)) => Some(i.to_string().into()),
        Data::Scalar(Scalar::FloatingPoint(f)) => Some(f.to_string().into()),
        _ => None,
    }
}

/// The entries of a mapping node as (key text, key node, value node).
pub fn entries<'n, 'a>(node: &'n Node<'a>) -> Vec<(String, &'n Node<'a>, &'n Node<'a>)> {
    match &node.data {
        Data::Mapping(entries) => entries
            .iter()
            .filter_map(|(k, v)| text(k).map(|key| (key.into_owned(), k, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence node (empty for anything else).
pub fn items<'n, 'a>(node: &'n Node<'a>) -> &'n [Node<'a>] {
    match &node.data {
        Data::Sequence(items) => items.as_slice(),
        _ => &[],
    }
}

pub fn is_mapping(node: &Node<'_>) -> bool {
    matches!(node.data, Data::Mapping(_))
}

/// A node written in flow style (`[a, {k: v}]`), positions left out: two nodes of the same
/// content give the same text. Strings are quoted, so `'1'` and `1` differ.
pub fn flow_text(node: &Node<'_>) -> String {
    let mut out = String::new();
    write_flow(node, &mut out);
    out
}

fn write_flow(node: &Node<'_>, out: &mut String) {
    match &node.data {
        Data::Scalar(Scalar::String(s)) => out.push_str(&format!("{s:?}")),
        Data::Scalar(Scalar::Null) => out.push('~'),
        Data::Scalar(_) => out.push_str(text(node).as_deref().unwrap_or_default()),
        Data::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                write_flow(item, out);
            }
            out.push(']');
        }
        Data::Mapping(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "" } else { ", " });
                write_flow(key, out);
                out.push_str(": ");
                write_flow(value, out);
            }
            out.push('}');
        }
        Data::Opaque => out.push('?'),
    }
}

/// 1-based line and column where a node starts (saphyr's columns are 0-based).
pub fn position(node: &Node<'_>) -> (usize, usize) {
    (node.span.start.line(), node.span.start.col() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_bombs_are_refused_before_expansion() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut previous = 'a';
        for name in 'b'..='j' {
            bomb.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
            previous = name;
        }
        let error = load(&bomb).expect_err("refused");
        assert!(error.message.contains("alias bomb"), "{error:?}");
    }

    #[test]
    fn ordinary_anchors_load_with_positions() {
        let docs = load("x: &v 1\ny: *v\nz:\n  - 'a'\n").expect("loads");
        let z = get(&docs[0], "z").expect("z");
        assert_eq!(position(&items(z)[0]), (4, 5));
        assert_eq!(text(get(&docs[0], "y").expect("y")).as_deref(), Some("1"));
    }

    #[test]
    fn nodes_stay_small() {
        // The budget's bound on memory rests on this size.
        assert!(
            std::mem::size_of::<Node<'_>>() <= 48,
            "{}",
            std::mem::size_of::<Node<'_>>()
        );
    }

    #[test]
    fn files_of_tiny_nodes_are_refused_past_the_budget() {
        let count = node_budget(0) * 2;
        let dense: String = (0..count).map(|_| "- x\n").collect();
        let error = load(&dense).expect_err("refused");
        assert!(error.message.contains("one more per 32 bytes"), "{error:?}");
        // Commas are counted before the parse: saphyr holds a flow collection's tokens.
        let flow = format!("a: [{}]\n", vec!["x"; count].join(","));
        assert!(load(&flow).expect_err("refused").message.contains("commas"));
        // The same number of nodes in a file with room for them loads.
        let roomy: String = std::iter::once("a:\n".to_string())
            .chain((0..count).map(|i| format!("  - x{i:030}\n")))
            .collect();
        assert_eq!(
            items(get(&load(&roomy).expect("loads")[0], "a").expect("a")).len(),
            count
        );
    }

    #[test]
    fn duplicate_keys_are_an_error_at_the_second_key() {
        let error = load("on: push\njobs: {}\non: pull_request\n").expect_err("duplicate");
        assert_eq!(
            (error.line, error.column, error.message.as_str()),
            (3, 1, "duplicated key in mapping")
        );
        // In a large mapping too, where the check goes by hashes.
        let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        big.push_str("k7: again\n");
        assert_eq!(load(&big).expect_err("duplicate").line, 41);
        // A string and a number that read alike are different keys.
        assert!(load("1: a\n'1': b\n").is_ok());
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let docs = load("a: 3.10\nb: '3.10'\nc: true\nd: ~\ne: !!str 12\nf: !!int x\ng: !custom [1]\n").expect("loads");
        let doc = &docs[0];
        let read = |key| get(doc, key).and_then(text).map(Cow::into_owned);
        assert_eq!(read("a").as_deref(), Some("3.1"));
        assert_eq!(read("b").as_deref(), Some("3.10"));
        assert_eq!(read("c").as_deref(), Some("true"));
        assert_eq!(read("d"), None);
        assert_eq!(read("e").as_deref(), Some("12"));
        assert_eq!(read("f"), None);
        assert!(
            items(get(doc, "g").expect("g")).is_empty(),
            "a foreign tag makes a collection opaque"
        );
    }

    #[test]
    fn aliases_expand_to_copies_with_the_alias_position() {
        let docs = load("x: &v [1, 2]\ny: *v\n").expect("loads");
        let y = get(&docs[0], "y").expect("y");
        assert_eq!(items(y).len(), 2);
        assert_eq!(position(y), (2, 4));
    }

    #[test]
    fn an_empty_document_is_opaque() {
        let docs = load("").expect("loads");
        assert!(docs.iter().all(|doc| !is_mapping(doc)));
    }

    #[test]
    fn syntax_errors_carry_their_line() {
        let error = load("on: push\njobs:\n  a: [\n").expect_err("broken");
        assert!(error.line >= 3, "{error:?}");
    }
}
