//! The model as a light JSON tree, for the layout of `audit.json`.
//!
//! It holds what `serde_json::Value` would, with the same results (object keys sorted
//! as a `BTreeMap` sorts them, a repeated key keeping its last value, `f32` widened to
//! `f64`, non-finite floats `null`), built for less: every scalar is written once, as
//! JSON text, into one shared buffer, and an object is one sorted vector whose struct
//! keys are borrowed. `Value` cost a map node and a `String` per key and per string; on
//! executorch (8,000 modules, 20,000 edges) that was most of the rendering time.
//!
//! A container of scalars that the layout writes on one line is folded into that line as
//! it is built: its text replaces its scalars' text in the buffer, and it becomes one
//! [`Node::Folded`]. Linux's 335,000 edges and 55,000 modules then leave no vector of
//! nodes each to fill and free, and are laid out by one copy each.

use std::borrow::Cow;

use serde::ser::{self, Error as _, Serialize};
use serde_json::Error;

/// One JSON value.
pub enum Node {
    /// A scalar (`null`, a boolean, a number or a string) as JSON text: the bytes
    /// `start..end` of the tree's scalar buffer.
    Scalar(usize, usize),
    /// A container of scalars as its one-line JSON text (`[1, 2, "eager"]`), in the same
    /// buffer; it fits on its line.
    Folded(usize, usize),
    /// The value of an entry left out by [`Place::without`], laid out apart.
    Apart,
    Array(Vec<Node>),
    /// Entries sorted by key, keys unique.
    Object(Vec<(Cow<'static, str>, Node)>),
}

impl Node {
    /// A scalar; an empty array or object is not one (it is laid out as a container).
    pub fn is_scalar(&self) -> bool {
        matches!(self, Node::Scalar(..))
    }
}

/// `value` as a tree, with the text of its scalars and folded containers.
#[cfg(test)]
pub fn build<T: Serialize + ?Sized>(value: &T) -> Result<(Node, Vec<u8>), Error> {
    build_at(value, Place::root(true))
}

/// [`build`] without folding: the layout then folds, the reference the tests hold the
/// folding here to.
#[cfg(test)]
pub fn build_unfolded<T: Serialize + ?Sized>(value: &T) -> Result<(Node, Vec<u8>), Error> {
    build_at(value, Place::root(false))
}

/// `value` as a tree laid out at `place`, with the text of its scalars and folded
/// containers.
pub fn build_at<T: Serialize + ?Sized>(value: &T, place: Place) -> Result<(Node, Vec<u8>), Error> {
    let mut scalars = Vec::with_capacity(1 << 20);
    let node = value.serialize(Builder {
        scalars: &mut scalars,
        place,
    })?;
    Ok((node, scalars))
}

/// Where the layout will write a value: its indentation level, and the width of its line
/// before it (indentation, and the key in an object); whether a container fits on its
/// line depends on both.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    depth: usize,
    column: usize,
    fold: bool,
    /// The entries of the object at this place that are left out, as [`Node::Apart`].
    apart: &'static [&'static str],
}

impl Place {
    /// The top of the file; `fold` as the layout would (the tests build unfolded trees).
    pub fn root(fold: bool) -> Place {
        Place {
            depth: 0,
            column: 0,
            fold,
            apart: &[],
        }
    }

    /// The indentation level.
    pub fn depth(self) -> usize {
        self.depth
    }

    /// This place, for an object whose entries `keys` are laid out apart.
    pub fn without(self, keys: &'static [&'static str]) -> Place {
        Place { apart: keys, ..self }
    }

    /// An item of the array at `self`, on its own line.
    fn item(self) -> Place {
        let depth = self.depth + 1;
        Place {
            depth,
            column: 2 * depth,
            apart: &[],
            ..self
        }
    }

    /// The value of the entry `key` of the object at `self`, after `"key": `.
    pub fn entry(self, key: &str) -> Place {
        Place {
            column: self.item().column + json_len(key) + 2,
            ..self.item()
        }
    }
}

/// The length of `key` as a JSON string, escaped as serde_json escapes it.
fn json_len(key: &str) -> usize {
    let escaped = |b: &u8| match b {
        b'"' | b'\\' | 0x08 | b'\t' | b'\n' | 0x0c | b'\r' => 2,
        0..=0x1f => 6,
        _ => 1,
    };
    2 + key.as_bytes().iter().map(escaped).sum::<usize>()
}

/// A container of scalars as one [`Node::Folded`], if it fits on its line (its items'
/// text, from `mark` on, is replaced by the container's); else `None`.
fn fold<'n>(
    scalars: &mut Vec<u8>,
    mark: usize,
    place: Place,
    (open, close): (u8, u8),
    items: impl Iterator<Item = (Option<&'n str>, &'n Node)> + Clone,
) -> Option<Node> {
    let mut items = items.peekable();
    if !place.fold || items.peek().is_none() {
        return None;
    }
    let mut width = place.column + 2;
    for (i, (key, node)) in items.clone().enumerate() {
        let Node::Scalar(start, end) = node else {
            return None;
        };
        width += end - start + key.map_or(0, |key| json_len(key) + 2) + if i > 0 { 2 } else { 0 };
    }
    if width > super::MAX_WIDTH {
        return None;
    }
    let text_start = scalars.len();
    scalars.push(open);
    let scalar = |(key, node): (Option<&'n str>, &'n Node)| match node {
        Node::Scalar(start, end) => Some((key, *start, *end)),
        _ => None,
    };
    for (i, (key, start, end)) in items.filter_map(scalar).enumerate() {
        if i > 0 {
            scalars.extend_from_slice(b", ");
        }
        if let Some(key) = key {
            super::write_key(scalars, key);
        }
        scalars.extend_from_within(start..end);
    }
    scalars.push(close);
    let len = scalars.len() - text_start;
    scalars.copy_within(text_start.., mark);
    scalars.truncate(mark + len);
    Some(Node::Folded(mark, mark + len))
}

/// Serializes one value into a [`Node`], writing its scalars into `scalars`.
struct Builder<'s> {
    scalars: &'s mut Vec<u8>,
    place: Place,
}

impl<'s> Builder<'s> {
    /// The builder of the value inside `{variant: ...}`.
    fn in_variant(self, variant: &'static str) -> Builder<'s> {
        Builder {
            place: self.place.entry(variant),
            ..self
        }
    }

    fn scalar(self, write: impl FnOnce(&mut Vec<u8>)) -> Result<Node, Error> {
        let start = self.scalars.len();
        write(self.scalars);
        Ok(Node::Scalar(start, self.scalars.len()))
    }

    fn json<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Error> {
        let start = self.scalars.len();
        serde_json::to_writer(&mut *self.scalars, value)?;
        Ok(Node::Scalar(start, self.scalars.len()))
    }

    fn integer(self, value: impl itoa::Integer) -> Result<Node, Error> {
        self.scalar(|out| out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes()))
    }
}

/// `{variant: inner}`, as serde_json writes an enum variant that carries data.
fn variant(name: &'static str, inner: Node) -> Node {
    Node::Object(vec![(Cow::Borrowed(name), inner)])
}

/// Entries sorted by key; of a repeated key, the last value stays (`BTreeMap::insert`).
fn sorted(mut entries: Vec<(Cow<'static, str>, Node)>) -> Vec<(Cow<'static, str>, Node)> {
    entries.reverse();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, earlier| later.0 == earlier.0);
    entries
}

/// Every integer width is written the same way.
macro_rules! integers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, v: $type) -> Result<Node, Error> {
            self.integer(v)
        }
    )*};
}

impl<'s> ser::Serializer for Builder<'s> {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = Seq<'s>;
    type SerializeTuple = Seq<'s>;
    type SerializeTupleStruct = Seq<'s>;
    type SerializeTupleVariant = Seq<'s>;
    type SerializeMap = Map<'s>;
    type SerializeStruct = Map<'s>;
    type SerializeStructVariant = Map<'s>;

    fn serialize_bool(self, v: bool) -> Result<Node, Error> {
        self.json(&v)
    }
    integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_i128: i128,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_u128: u128
    );
    fn serialize_f32(self, v: f32) -> Result<Node, Error> {
        self.json(&f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Error> {
        self.json(&v)
    }
    fn serialize_char(self, v: char) -> Result<Node, Error> {
        self.json(&v)
    }
    fn serialize_str(self, v: &str) -> Result<Node, Error> {
        self.json(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Error> {
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.push(byte)?;
        }
        seq.finish()
    }
    fn serialize_none(self) -> Result<Node, Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Error> {
        self.scalar(|out| out.extend_from_slice(b"null"))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<Node, Error> {
        self.json(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant_name: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        let (mark, place) = (self.scalars.len(), self.place);
        let builder = Builder {
            scalars: &mut *self.scalars,
            place: place.entry(variant_name),
        };
        let inner = value.serialize(builder)?;
        let entry = [(Some(variant_name), &inner)];
        let folded = fold(self.scalars, mark, place, (b'{', b'}'), entry.into_iter());
        Ok(folded.unwrap_or_else(|| variant(variant_name, inner)))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'s>, Error> {
        Ok(Seq {
            mark: self.scalars.len(),
            scalars: self.scalars,
            place: self.place,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'s>, Error> {
        let mut seq = self.in_variant(variant).serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Map<'s>, Error> {
        Ok(Map {
            mark: self.scalars.len(),
            scalars: self.scalars,
            place: self.place,
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map<'s>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map<'s>, Error> {
        let mut map = self.in_variant(variant).serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// An array being built (wrapped as `{variant: [...]}` for a tuple variant).
pub struct Seq<'s> {
    scalars: &'s mut Vec<u8>,
    /// Where the array is laid out, and where its items' text starts in `scalars`.
    place: Place,
    mark: usize,
    items: Vec<Node>,
    variant: Option<&'static str>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let item = Builder {
            scalars: self.scalars,
            place: self.place.item(),
        };
        self.items.push(value.serialize(item)?);
        Ok(())
    }

    fn finish(self) -> Result<Node, Error> {
        let items = self.items.iter().map(|item| (None, item));
        let folded = fold(self.scalars, self.mark, self.place, (b'[', b']'), items);
        let array = folded.unwrap_or(Node::Array(self.items));
        Ok(match self.variant {
            Some(name) => variant(name, array),
            None => array,
        })
    }
}

/// serde has one trait per kind of sequence, and one per kind of struct; their methods
/// do the same thing here.
macro_rules! sequence {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Seq<'_> {
            type Ok = Node;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<Node, Error> {
                self.finish()
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// An object being built, from a map or a struct (wrapped as `{variant: {...}}` for a
/// struct variant).
pub struct Map<'s> {
    scalars: &'s mut Vec<u8>,
    /// Where the object is laid out, and where its values' text starts in `scalars`.
    place: Place,
    mark: usize,
    entries: Vec<(Cow<'static, str>, Node)>,
    /// The key of a map entry whose value comes next.
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Map<'_> {
    fn insert<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, value: &T) -> Result<(), Error> {
        if self.place.apart.contains(&key.as_ref()) {
            self.entries.push((key, Node::Apart));
            return Ok(());
        }
        let builder = Builder {
            scalars: self.scalars,
            place: self.place.entry(&key),
        };
        let node = value.serialize(builder)?;
        self.entries.push((key, node));
        Ok(())
    }

    fn finish(self) -> Result<Node, Error> {
        let entries = sorted(self.entries);
        let items = entries.iter().map(|(key, value)| (Some(key.as_ref()), value));
        let folded = fold(self.scalars, self.mark, self.place, (b'{', b'}'), items);
        let object = folded.unwrap_or(Node::Object(entries));
        Ok(match self.variant {
            Some(name) => variant(name, object),
            None => object,
        })
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Node;
    type Error = Error;
    /// Keys must be strings or numbers, as in `serde_json::Value`.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(match serde_json::to_value(key)? {
            serde_json::Value::String(key) => key,
            serde_json::Value::Number(key) => key.to_string(),
            _ => return Err(Error::custom("a map key must be a string or a number")),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error::custom("a map value came without its key"))?;
        self.insert(Cow::Owned(key), value)
    }
    fn end(self) -> Result<Node, Error> {
        self.finish()
    }
}

macro_rules! structure {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Map<'_> {
            type Ok = Node;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.insert(Cow::Borrowed(key), value)
            }
            fn end(self) -> Result<Node, Error> {
                self.finish()
            }
        }
    )*};
}

structure!(SerializeStruct, SerializeStructVariant);
