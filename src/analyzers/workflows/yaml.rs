//! Loading workflow YAML with positions, safely, and small accessors over the tree.
//!
//! saphyr's `MarkedYaml` keeps line and column on every key and value. It expands an
//! alias by cloning the anchored subtree, so a "billion laughs" document would expand
//! without bound: [`expanded_size`] counts the nodes the expansion would produce from the
//! event stream first, in one linear pass, and refuses documents past a limit.

use std::collections::HashMap;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use saphyr_parser::{Event, Parser};

pub type Node<'a> = MarkedYaml<'a>;

/// Largest workflow file parsed; real workflows are a few KiB, pipelines at most a few
/// hundred. Larger files are reported, not parsed, to keep memory bounded.
pub const MAX_BYTES: usize = 1 << 20;

/// Most nodes a document may expand to through aliases.
pub const MAX_NODES: u64 = 1_000_000;

/// Why a file could not be loaded, with the 1-based line where that is known.
#[derive(Debug, PartialEq, Eq)]
pub struct LoadError {
    pub line: usize,
    pub column: usize,
    pub message: String,
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
    // Aliases need an anchor (`&name`); without one there is nothing to expand.
    if has_anchor(text) {
        let nodes = expanded_size(text)?;
        if nodes > MAX_NODES {
            return Err(LoadError {
                line: 1,
                column: 1,
                message: format!("aliases expand to more than {MAX_NODES} nodes (an alias bomb?)"),
            });
        }
    }
    // `load_from_str` reads through a char iterator; the `&str` input of the parser is
    // several times faster on the same text.
    MarkedYaml::load_from_parser(&mut Parser::new_from_str(text)).map_err(|e| LoadError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
    })
}

/// Whether the text may hold an anchor: `&` where a node can start (after a space, a line
/// start or a flow indicator) and followed by a name. Shell `&&`, `2>&1` and `&>` in
/// scripts do not count, so most workflows skip the extra pass.
fn has_anchor(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'&', bytes).any(|i| {
        let before = if i == 0 { b'\n' } else { bytes[i - 1] };
        let after = bytes.get(i + 1).copied().unwrap_or(b' ');
        matches!(before, b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',')
            && !matches!(after, b' ' | b'\t' | b'\n' | b'\r' | b'&')
    })
}

/// How many nodes the documents have once every alias is expanded (saturating).
fn expanded_size(text: &str) -> Result<u64, LoadError> {
    let mut parser = Parser::new_from_str(text);
    let mut total: u64 = 0;
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    loop {
        let (event, _) = match parser.next_event() {
            Some(Ok(next)) => next,
            Some(Err(e)) => {
                return Err(LoadError {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                    message: e.info().to_string(),
                })
            }
            None => return Ok(total),
        };
        match event {
            Event::Scalar(_, _, anchor, _) => {
                total = total.saturating_add(1);
                if anchor > 0 {
                    anchors.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                total = total.saturating_add(1);
                open.push((anchor, total));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = open.pop() {
                    if anchor > 0 {
                        anchors.insert(anchor, total - start + 1);
                    }
                }
            }
            Event::Alias(anchor) => {
                total = total.saturating_add(anchors.get(&anchor).copied().unwrap_or(1));
                if total > MAX_NODES {
                    return Ok(total);
                }
            }
            Event::StreamEnd => return Ok(total),
            _ => {}
        }
    }
}

/// The value under `key` of a mapping node.
pub fn get<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    node.data.as_mapping_get(key)
}

/// The key node and value node of `key` in a mapping node.
pub fn get_entry<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<(&'n Node<'a>, &'n Node<'a>)> {
    match &node.data {
        YamlData::Mapping(map) => map.iter().find(|(k, _)| text(k).as_deref() == Some(key)),
        _ => None,
    }
}

/// A scalar as text: strings as they are, booleans and numbers as YAML writes them.
pub fn text<'n>(node: &'n Node<'_>) -> Option<std::borrow::Cow<'n, str>> {
    match &node.data {
        YamlData::Value(Scalar::String(s)) => Some(std::borrow::Cow::Borrowed(s.as_ref())),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string().into()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string().into()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string().into()),
        YamlData::Representation(s, _, _) => Some(std::borrow::Cow::Borrowed(s.as_ref())),
        _ => None,
    }
}

/// The entries of a mapping node as (key text, key node, value node).
pub fn entries<'n, 'a>(node: &'n Node<'a>) -> Vec<(String, &'n Node<'a>, &'n Node<'a>)> {
    match &node.data {
        YamlData::Mapping(map) => map
            .iter()
            .filter_map(|(k, v)| text(k).map(|key| (key.into_owned(), k, v)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence node (empty for anything else).
pub fn items<'n, 'a>(node: &'n Node<'a>) -> &'n [Node<'a>] {
    match &node.data {
        YamlData::Sequence(seq) => seq.as_slice(),
        _ => &[],
    }
}

pub fn is_mapping(node: &Node<'_>) -> bool {
    matches!(node.data, YamlData::Mapping(_))
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
    fn anchors_are_told_from_shell_ampersands() {
        assert!(has_anchor("a: &x 1\nb: *x\n"));
        assert!(has_anchor("- [&x 1, *x]\n"));
        assert!(!has_anchor("run: make && make test 2>&1 &\n"));
        // Any other character may start an anchor name, `>` included: better a wasted pass
        // than an alias bomb that slips past the guard.
        assert!(has_anchor("a: &>x [1]\n"));
    }

    #[test]
    fn syntax_errors_carry_their_line() {
        let error = load("on: push\njobs:\n  a: [\n").expect_err("broken");
        assert!(error.line >= 3, "{error:?}");
    }
}
