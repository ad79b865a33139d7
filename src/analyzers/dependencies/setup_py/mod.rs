//! `setup.py`, read without running it: the `install_requires`, `setup_requires`,
//! `tests_require`, `extras_require` and `python_requires` of its `setup(...)` call.
//!
//! A small reader of Python's literal syntax ([`tokens`]) and a one-pass evaluator of
//! the few statements that build those values ([`Evaluator`]): string literals, lists,
//! tuples and dicts of them, names bound to them earlier in the file (`x = [...]`,
//! `x["key"] = [...]`, `x += [...]`, `x.append(...)`), `+` between lists, `list(...)`
//! and `dict(k=v)`, and the one computation common enough to follow: a list of
//! requirement strings turned into a dict keyed by name (`deps = {b: a for a, b in ...
//! _deps}`), looked up directly (`deps["numpy"]`) or through a function of the file that
//! looks it up (`deps_list("torch", "numpy")`). What is read through a name or a call is
//! `inferred`; whatever else computes a value (a comprehension, an f-string, a call to
//! anything else) is counted in a scan note, never guessed. Time and memory are linear in
//! the file: each token is read once, and copies of bound lists draw on one budget.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{DeclarationConfidence, DependencyScope, Ecosystem, ScanNote, SkipReason};

use super::{python, requirement, Declaration, Declared, Parsed};

mod tokens;

use tokens::{tokens, Tok, Token};

/// Nesting of brackets the evaluator follows; deeper expressions count as computed.
const MAX_DEPTH: usize = 32;
/// Keys a dict built key by key may hold (real `extras_require` have tens): each
/// assignment replaces a key in place, so this bounds its cost.
const MAX_KEYS: usize = 1_000;
/// What the computed-value note names before "and N more".
const NOTE_ITEMS: usize = 12;
/// Requirement strings the evaluator may copy in all (a name used twice is copied
/// twice): enough for any real file, a bound on a hostile one (`b = a + a` repeated).
const COPY_BUDGET: usize = 200_000;

/// A string literal of the file: its value and the byte offset of its opening quote.
#[derive(Debug, Clone)]
struct Literal {
    text: String,
    offset: usize,
    inferred: bool,
}

#[derive(Debug, Clone)]
enum Value {
    Str(Literal),
    /// The literals recovered, and how many elements were computed.
    List(Vec<Literal>, usize),
    Dict(Vec<(String, Value)>),
    /// A dict computed from a list of requirement strings, keyed by their names.
    ByName(Vec<Literal>),
    Computed,
}

impl Value {
    fn inferred(mut self) -> Value {
        match &mut self {
            Value::Str(literal) => literal.inferred = true,
            Value::List(items, _) | Value::ByName(items) => items.iter_mut().for_each(|l| l.inferred = true),
            Value::Dict(entries) => {
                for (_, value) in entries.iter_mut() {
                    *value = std::mem::replace(value, Value::Computed).inferred();
                }
            }
            Value::Computed => {}
        }
        self
    }

    fn size(&self) -> usize {
        match self {
            Value::Str(_) | Value::Computed => 1,
            Value::List(items, _) | Value::ByName(items) => items.len(),
            Value::Dict(entries) => entries.iter().map(|(_, v)| v.size()).sum(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// evaluation

/// The keyword arguments of `setup(...)` plumb reads.
const KEYWORDS: [&str; 5] = [
    "install_requires",
    "setup_requires",
    "tests_require",
    "extras_require",
    "python_requires",
];

struct Evaluator {
    names: BTreeMap<String, Value>,
    /// Functions of the file that look a name up in a [`Value::ByName`] dict, by the
    /// dict's name.
    lookups: BTreeMap<String, String>,
    /// `setup(...)` keyword arguments, in the order written.
    found: Vec<(String, Value)>,
    /// Offset of the first `setup(` call.
    call: Option<usize>,
    budget: usize,
}

/// A cursor over one logical line's tokens.
struct Cursor<'t, 'a> {
    tokens: &'t [Token<'a>],
    at: usize,
}

impl<'a> Cursor<'_, 'a> {
    fn peek(&self) -> Option<&Tok<'a>> {
        self.tokens.get(self.at).map(|t| &t.tok)
    }

    fn is_op(&self, op: &str) -> bool {
        self.peek() == Some(&Tok::Op(op))
    }

    fn eat(&mut self, op: &str) -> bool {
        let found = self.is_op(op);
        self.at += usize::from(found);
        found
    }

    fn eat_name(&mut self) -> bool {
        let found = matches!(self.peek(), Some(Tok::Name(_)));
        self.at += usize::from(found);
        found
    }

    /// Whether a `for` stands at this bracket's level before its closing bracket: a
    /// comprehension.
    fn comprehension_ahead(&self) -> bool {
        let mut depth = 0usize;
        for token in &self.tokens[self.at..] {
            match token.tok {
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") if depth == 0 => return false,
                Tok::Op(")" | "]" | "}") => depth -= 1,
                Tok::Name("for") if depth == 0 => return true,
                _ => {}
            }
        }
        false
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.at).map_or(0, |t| t.offset)
    }

    /// Skips to the next `,`, `:` or closing bracket of the current nesting level (or the
    /// line's end), leaving it unread.
    fn skip_expression(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek() {
            match tok {
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") if depth == 0 => return,
                Tok::Op(")" | "]" | "}") => depth -= 1,
                Tok::Op("," | ":") if depth == 0 => return,
                _ => {}
            }
            self.at += 1;
        }
    }

    /// Whether the expression ends here (a delimiter of the enclosing bracket or the end).
    fn at_end(&self) -> bool {
        matches!(self.peek(), None | Some(Tok::Op("," | ":" | ")" | "]" | "}")))
    }
}

impl Evaluator {
    fn new() -> Self {
        Evaluator {
            names: BTreeMap::new(),
            lookups: BTreeMap::new(),
            found: Vec::new(),
            call: None,
            budget: COPY_BUDGET,
        }
    }

    /// Reads each logical line in file order.
    fn run(&mut self, tokens: &[Token<'_>]) {
        let starts: Vec<usize> = (0..tokens.len()).filter(|i| tokens[*i].indent.is_some()).collect();
        let line = |index: usize| {
            let end = starts.get(index + 1).copied().unwrap_or(tokens.len());
            &tokens[starts[index]..end]
        };
        for index in 0..starts.len() {
            // Module-level functions only: a nested one is read with its outer one, and
            // reading each level again would cost the nesting depth times the file.
            let top_level_def = tokens[starts[index]].indent == Some(0);
            if top_level_def && line(index).first().map(|t| &t.tok) == Some(&Tok::Name("def")) {
                let body_lines = (index + 1..starts.len())
                    .take_while(|i| tokens[starts[*i]].indent.is_some_and(|deeper| deeper > 0))
                    .count();
                let end = starts.get(index + 1 + body_lines).copied().unwrap_or(tokens.len());
                self.function(&tokens[starts[index]..end]);
            } else {
                self.statement(line(index));
            }
            self.setup_calls(line(index));
        }
    }

    /// `def name(...):` whose body (the lines indented deeper, in `tokens` after the
    /// header) looks a [`Value::ByName`] dict up: a call of it with string arguments is
    /// those lookups.
    fn function(&mut self, tokens: &[Token<'_>]) {
        let Some(Tok::Name(name)) = tokens.get(1).map(|t| &t.tok) else {
            return;
        };
        let dict = tokens.windows(2).find_map(|pair| match (&pair[0].tok, &pair[1].tok) {
            (Tok::Name(dict), Tok::Op("[")) if matches!(self.names.get(*dict), Some(Value::ByName(_))) => {
                Some(dict.to_string())
            }
            _ => None,
        });
        if let Some(dict) = dict {
            self.lookups.insert(name.to_string(), dict);
        }
    }

    /// `x = e`, `x[key] = e`, `x += e`, `x.append(e)`, `x.extend(e)`.
    fn statement(&mut self, line: &[Token<'_>]) {
        let mut cursor = Cursor { tokens: line, at: 1 };
        let Some(Tok::Name(name)) = line.first().map(|t| &t.tok) else {
            return;
        };
        let name = name.to_string();
        if cursor.eat("=") {
            let value = self.expression(&mut cursor, 0);
            if cursor.peek().is_none() {
                self.names.insert(name, value);
            } else {
                self.names.remove(&name);
            }
        } else if cursor.eat("[") {
            let key = self.expression(&mut cursor, 0);
            let (Value::Str(key), true, true) = (key, cursor.eat("]"), cursor.eat("=")) else {
                return;
            };
            let value = self.expression(&mut cursor, 0);
            if let Some(Value::Dict(entries)) = self.names.get_mut(&name) {
                entries.retain(|(k, _)| *k != key.text);
                entries.push((key.text, value));
                if entries.len() > MAX_KEYS {
                    self.names.insert(name, Value::Computed);
                }
            }
        } else if cursor.eat("+=") {
            let value = self.expression(&mut cursor, 0);
            if let Some(current) = self.names.remove(&name) {
                let joined = self.concat(current, value);
                self.names.insert(name, joined);
            }
        } else if cursor.eat(".") {
            let method = cursor.peek().cloned();
            if !cursor.eat_name() || !cursor.eat("(") {
                return;
            }
            let argument = self.expression(&mut cursor, 0);
            let argument = match method {
                Some(Tok::Name("append")) => self.concat(Value::List(Vec::new(), 0), list_of(argument)),
                Some(Tok::Name("extend")) => argument,
                _ => return,
            };
            if let Some(current @ Value::List(..)) = self.names.remove(&name) {
                let joined = self.concat(current, argument);
                self.names.insert(name, joined);
            }
        }
    }

    /// Every `setup(` or `setuptools.setup(` call on the line: its keyword arguments, and
    /// those of a `**dict` passed to it.
    fn setup_calls(&mut self, line: &[Token<'_>]) {
        for at in 0..line.len().saturating_sub(1) {
            let called = line[at].tok == Tok::Name("setup") && line[at + 1].tok == Tok::Op("(");
            let defined = at > 0 && line[at - 1].tok == Tok::Name("def");
            if !called || defined {
                continue;
            }
            self.call.get_or_insert(line[at].offset);
            let mut cursor = Cursor {
                tokens: line,
                at: at + 2,
            };
            for (keyword, value) in self.arguments(&mut cursor, 0) {
                if KEYWORDS.contains(&keyword.as_str()) {
                    self.found.push((keyword, value));
                }
            }
        }
    }

    /// Keyword arguments up to the closing `)`, `**name` spread into them.
    fn arguments(&mut self, cursor: &mut Cursor<'_, '_>, depth: usize) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        while !cursor.eat(")") && cursor.peek().is_some() {
            if cursor.eat("**") {
                if let Value::Dict(entries) = self.expression(cursor, depth + 1) {
                    out.extend(entries);
                }
            } else if let (Some(Tok::Name(keyword)), Some(Tok::Op("="))) =
                (cursor.peek().cloned(), cursor.tokens.get(cursor.at + 1).map(|t| &t.tok))
            {
                cursor.at += 2;
                let value = self.expression(cursor, depth + 1);
                out.push((keyword.to_string(), value));
            } else {
                cursor.skip_expression();
            }
            if !cursor.eat(",") && !cursor.is_op(")") {
                cursor.skip_expression();
                cursor.eat(",");
            }
        }
        out
    }

    /// `term (+ term)*`; anything else up to the expression's end makes it computed.
    fn expression(&mut self, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            cursor.skip_expression();
            return Value::Computed;
        }
        let mut value = self.term(cursor, depth);
        while cursor.eat("+") {
            let next = self.term(cursor, depth);
            value = self.concat(value, next);
        }
        if !cursor.at_end() {
            cursor.skip_expression();
            return Value::Computed;
        }
        value
    }

    fn term(&mut self, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        let offset = cursor.offset();
        let Some(tok) = cursor.peek().cloned() else {
            return Value::Computed;
        };
        cursor.at += 1;
        let value = match tok {
            Tok::Str { text, formatted: false } if cursor.is_op(".") => self.format_call(text, offset, cursor, depth),
            Tok::Str { text, formatted: false } => Value::Str(Literal {
                text,
                offset,
                inferred: false,
            }),
            Tok::Str { text, formatted: true } => {
                let names = &self.names;
                let value = fill(&text, |field| match names.get(field) {
                    Some(Value::Str(literal)) => Some(literal.text.clone()),
                    _ => None,
                });
                inferred_str(value, offset)
            }
            Tok::Op("[") => self.sequence(cursor, "]", depth),
            Tok::Op("(") => self.sequence(cursor, ")", depth),
            Tok::Op("{") => self.dict(cursor, depth),
            Tok::Name(name) if cursor.is_op("(") => {
                cursor.at += 1;
                self.call(name, cursor, depth)
            }
            Tok::Name(name) => self.lookup(name),
            _ => Value::Computed,
        };
        self.subscripts(value, cursor, depth)
    }

    /// `"template".format(a, b, key=c)` of bound or literal strings; any other method
    /// of a string is computed.
    fn format_call(&mut self, template: String, offset: usize, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        cursor.at += 1;
        let is_format = cursor.peek() == Some(&Tok::Name("format"));
        if !is_format || cursor.tokens.get(cursor.at + 1).map(|t| &t.tok) != Some(&Tok::Op("(")) {
            cursor.skip_expression();
            return Value::Computed;
        }
        cursor.at += 2;
        let (mut positional, mut named) = (Vec::new(), BTreeMap::new());
        while !cursor.eat(")") && cursor.peek().is_some() {
            let keyword = match (cursor.peek(), cursor.tokens.get(cursor.at + 1).map(|t| &t.tok)) {
                (Some(Tok::Name(name)), Some(Tok::Op("="))) => Some(name.to_string()),
                _ => None,
            };
            cursor.at += if keyword.is_some() { 2 } else { 0 };
            let text = match self.expression(cursor, depth + 1) {
                Value::Str(literal) => Some(literal.text),
                _ => None,
            };
            match keyword {
                Some(keyword) => drop(named.insert(keyword, text)),
                None => positional.push(text),
            }
            if !cursor.eat(",") && !cursor.is_op(")") {
                cursor.skip_expression();
                cursor.eat(",");
            }
        }
        let mut next = 0;
        let value = fill(&template, |field| {
            let text = match field {
                "" => {
                    next += 1;
                    positional.get(next - 1)
                }
                _ => match field.parse::<usize>() {
                    Ok(index) => positional.get(index),
                    Err(_) => named.get(field),
                },
            };
            text.cloned().flatten()
        });
        inferred_str(value, offset)
    }

    /// `value["key"]`, any number of times.
    fn subscripts(&mut self, mut value: Value, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        while cursor.eat("[") {
            let key = self.expression(cursor, depth + 1);
            if !cursor.eat("]") {
                return Value::Computed;
            }
            value = match (value, key) {
                (Value::Dict(entries), Value::Str(key)) => entries
                    .into_iter()
                    .rev()
                    .find(|(k, _)| *k == key.text)
                    .map_or(Value::Computed, |(_, v)| v),
                (Value::ByName(list), Value::Str(key)) => self.by_name(&list, &key.text),
                _ => Value::Computed,
            };
        }
        value
    }

    /// [`by_name`], its scan of `list` drawn on the budget.
    fn by_name(&mut self, list: &[Literal], key: &str) -> Value {
        if list.len() > self.budget {
            return Value::Computed;
        }
        self.budget -= list.len();
        by_name(list, key)
    }

    fn lookup(&mut self, name: &str) -> Value {
        let Some(value) = self.names.get(name) else {
            return Value::Computed;
        };
        let size = value.size();
        if size > self.budget {
            return Value::Computed;
        }
        self.budget -= size;
        value.clone().inferred()
    }

    /// `list(x)`, `tuple(x)`, `sorted(x)` are `x`; `dict(k=v)` a dict; a function of the
    /// file that looks names up in a dict built from a list, those lookups.
    fn call(&mut self, name: &str, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        if name == "dict" {
            return Value::Dict(self.arguments(cursor, depth));
        }
        let mut arguments = Vec::new();
        while !cursor.eat(")") && cursor.peek().is_some() {
            arguments.push(self.expression(cursor, depth + 1));
            if !cursor.eat(",") && !cursor.is_op(")") {
                cursor.skip_expression();
                cursor.eat(",");
            }
        }
        match (name, arguments.as_slice()) {
            ("list" | "tuple" | "sorted", [value]) => value.clone(),
            _ => {
                let list = match self.lookups.get(name).and_then(|dict| self.names.get(dict)) {
                    Some(Value::ByName(list)) if list.len() <= self.budget => list.clone(),
                    _ => return Value::Computed,
                };
                self.budget -= list.len();
                let mut out = Value::List(Vec::new(), 0);
                for argument in arguments {
                    let found = match argument {
                        Value::Str(key) => list_of(self.by_name(&list, &key.text)),
                        _ => Value::List(Vec::new(), 1),
                    };
                    out = self.concat(out, found);
                }
                out.inferred()
            }
        }
    }

    /// `[a, b]` or `(a, b)`; a comprehension or anything computed inside counts as one
    /// computed element; `(x)` is `x`.
    fn sequence(&mut self, cursor: &mut Cursor<'_, '_>, close: &str, depth: usize) -> Value {
        let (mut elements, mut computed, mut commas) = (Vec::new(), 0, 0);
        while !cursor.eat(close) {
            if cursor.peek().is_none() {
                return Value::Computed;
            }
            let spread = cursor.eat("*");
            let value = self.expression(cursor, depth + 1);
            elements.push((spread, value));
            if cursor.eat(",") {
                commas += 1;
            } else if !cursor.is_op(close) {
                cursor.skip_expression();
                computed += 1;
                cursor.eat(",");
            }
        }
        if close == ")" && commas == 0 && elements.len() == 1 && computed == 0 {
            return elements.pop().map_or(Value::Computed, |(_, value)| value);
        }
        let mut items = Vec::new();
        for (spread, value) in elements {
            match (spread, value) {
                (false, Value::Str(literal)) => items.push(literal),
                (true, Value::List(more, more_computed)) => {
                    items.extend(more);
                    computed += more_computed;
                }
                _ => computed += 1,
            }
        }
        Value::List(items, computed)
    }

    /// `{"key": value, ...}` with string keys; `{... for ...}` over a bound list of
    /// requirement strings is that list by name; any other comprehension or a set is
    /// computed.
    fn dict(&mut self, cursor: &mut Cursor<'_, '_>, depth: usize) -> Value {
        if cursor.comprehension_ahead() {
            return self.comprehension(cursor);
        }
        let mut entries = Vec::new();
        while !cursor.eat("}") {
            if cursor.peek().is_none() {
                return Value::Computed;
            }
            let key = self.expression(cursor, depth + 1);
            if !cursor.eat(":") {
                return skip_to_close(cursor, "}");
            }
            let value = self.expression(cursor, depth + 1);
            if let Value::Str(key) = key {
                entries.push((key.text, value));
            }
            if !cursor.eat(",") && !cursor.is_op("}") {
                return skip_to_close(cursor, "}");
            }
        }
        Value::Dict(entries)
    }

    /// A dict comprehension (the cursor after its `{`): [`Value::ByName`] of the list it
    /// iterates (the last name after an `in`) when that is a bound list of requirement
    /// strings, else computed.
    fn comprehension(&mut self, cursor: &mut Cursor<'_, '_>) -> Value {
        let start = cursor.at;
        skip_to_close(cursor, "}");
        let source = cursor.tokens[start..cursor.at]
            .windows(2)
            .rev()
            .find_map(|pair| match (&pair[0].tok, &pair[1].tok) {
                (Tok::Name("in"), Tok::Name(name)) => Some(*name),
                _ => None,
            })
            .and_then(|name| match self.names.get(name) {
                Some(Value::List(items, _)) if !items.is_empty() => Some(items.clone()),
                _ => None,
            });
        match source {
            Some(items) if items.len() <= self.budget => {
                self.budget -= items.len();
                Value::ByName(items).inferred()
            }
            _ => Value::Computed,
        }
    }

    /// `a + b` of two lists; anything else is computed. Lists longer than the budget
    /// allows keep what fits and count the rest as computed.
    fn concat(&mut self, left: Value, right: Value) -> Value {
        match (left, right) {
            (Value::List(mut items, computed), Value::List(more, more_computed)) => {
                let kept = more.len().min(self.budget);
                self.budget -= kept;
                let dropped = more.len() - kept;
                items.extend(more.into_iter().take(kept));
                Value::List(items, computed + more_computed + dropped)
            }
            (Value::Str(mut left), Value::Str(right)) => {
                left.text.push_str(&right.text);
                Value::Str(left)
            }
            _ => Value::Computed,
        }
    }
}

/// Skips past the closing bracket of the current level: the value is computed.
fn skip_to_close(cursor: &mut Cursor<'_, '_>, close: &str) -> Value {
    loop {
        cursor.skip_expression();
        match cursor.peek() {
            None => return Value::Computed,
            Some(Tok::Op(op)) if *op == close => {
                cursor.at += 1;
                return Value::Computed;
            }
            Some(_) => cursor.at += 1,
        }
    }
}

/// `template` with each `{field}` replaced by what `value` gives for it (`{{` and `}}`
/// stand for braces); `None` when a field has a conversion, a format spec, an
/// expression, or no value.
fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let brace = rest.as_bytes()[at];
        if rest.as_bytes().get(at + 1) == Some(&brace) {
            out.push(brace as char);
            rest = &rest[at + 2..];
            continue;
        }
        if brace == b'}' {
            return None;
        }
        let close = rest[at..].find('}')? + at;
        let field = rest[at + 1..close].trim();
        let simple = field.chars().all(|c| c == '_' || c.is_alphanumeric());
        out.push_str(&value(field).filter(|_| simple)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A string made from other values: inferred, at the template's place.
fn inferred_str(text: Option<String>, offset: usize) -> Value {
    match text {
        Some(text) => Value::Str(Literal {
            text,
            offset,
            inferred: true,
        }),
        None => Value::Computed,
    }
}

/// A single string as a one-element list; a list as itself.
fn list_of(value: Value) -> Value {
    match value {
        Value::Str(literal) => Value::List(vec![literal], 0),
        list @ Value::List(..) => list,
        _ => Value::List(Vec::new(), 1),
    }
}

/// The requirement of `list` whose name is `key`: as a `re` split at the first operator
/// would key it (`nvidia_modelopt[hf]`), or by PEP 503 name.
fn by_name(list: &[Literal], key: &str) -> Value {
    let operator_key = |text: &str| {
        let end = text
            .find(['!', '=', '<', '>', '~', ';', '@', ' '])
            .unwrap_or(text.len());
        text[..end].to_string()
    };
    let bare = |text: &str| python::normalize(operator_key(text).split('[').next().unwrap_or(""));
    list.iter()
        .find(|l| operator_key(&l.text) == key)
        .or_else(|| list.iter().find(|l| bare(&l.text) == bare(key)))
        .map_or(Value::Computed, |literal| Value::Str(literal.clone()))
}

// ---------------------------------------------------------------------------------------
// the manifest

/// What a `setup.py` declares: its requirements, and `python_requires` with its offset.
struct SetupPy {
    found: Vec<(String, Value)>,
    call: Option<usize>,
}

fn read(text: &str) -> SetupPy {
    let mut evaluator = Evaluator::new();
    evaluator.run(&tokens(text));
    SetupPy {
        found: evaluator.found,
        call: evaluator.call,
    }
}

/// `python_requires` of the `setup(...)` call, and its byte offset, when it is a string.
pub fn python_requires(text: &str) -> Option<(String, usize)> {
    read(text).found.into_iter().find_map(|(keyword, value)| match value {
        Value::Str(literal) if keyword == "python_requires" => Some((literal.text, literal.offset)),
        _ => None,
    })
}

/// A `setup.py` without a `setup(...)` call that declares requirements is not a manifest.
pub fn manifest(path: &str, text: &str) -> Parsed {
    let setup = read(text);
    let mut reader = Reader {
        declared: Declared::new(path, text),
        computed: Vec::new(),
        seen: BTreeSet::new(),
    };
    for (keyword, value) in setup.found {
        let (scope, group) = match keyword.as_str() {
            "install_requires" => (DependencyScope::Runtime, None),
            "setup_requires" => (DependencyScope::Build, None),
            "tests_require" => (DependencyScope::Dev, None),
            "extras_require" => {
                reader.extras(value);
                continue;
            }
            _ => continue,
        };
        reader.requirements(&keyword, value, scope, group);
    }
    let Reader {
        declared,
        computed,
        seen: _,
    } = reader;
    if declared.dependencies.is_empty() && computed.is_empty() {
        return Parsed::Nothing;
    }
    let line = setup.call.map_or(1, |offset| declared.line_of(offset));
    let mut draft = declared.into_manifest(Ecosystem::Pypi, "setup.py", text);
    if !computed.is_empty() {
        let named: Vec<&str> = computed.iter().take(NOTE_ITEMS).map(String::as_str).collect();
        let more = match computed.len().saturating_sub(NOTE_ITEMS) {
            0 => String::new(),
            more => format!(" and {more} more"),
        };
        draft.notes.push(ScanNote::new(
            path,
            SkipReason::ComputedValue,
            Some(format!(
                "line {line}: setup() computes part of its requirements when it runs: {}{more}; what plumb could follow is recorded with confidence `inferred`",
                named.join(", ")
            )),
        ));
    }
    Parsed::Manifest(draft)
}

struct Reader<'a> {
    declared: Declared<'a>,
    /// What could not be recovered, per keyword or extra, for the note.
    computed: Vec<String>,
    /// (scope, group, name, specifier) already declared: a list built by `+` repeats.
    seen: BTreeSet<(DependencyScope, Option<String>, String, String)>,
}

impl Reader<'_> {
    fn extras(&mut self, value: Value) {
        match value {
            Value::Dict(entries) => {
                for (extra, value) in entries {
                    // `":python_version < '3.8'"` keys hold markers of runtime requirements.
                    let scope = match extra.starts_with(':') {
                        true => DependencyScope::Runtime,
                        false => DependencyScope::Optional,
                    };
                    self.requirements(&format!("extras_require[{extra:?}]"), value, scope, Some(extra));
                }
            }
            _ => self.computed.push("`extras_require` (not read)".to_string()),
        }
    }

    fn requirements(&mut self, what: &str, value: Value, scope: DependencyScope, group: Option<String>) {
        let (literals, computed) = match value {
            // setuptools splits a string into one requirement per line.
            Value::Str(literal) => (vec![literal], 0),
            Value::List(literals, computed) => (literals, computed),
            _ => {
                self.computed.push(format!("`{what}` (not read)"));
                return;
            }
        };
        if computed > 0 {
            self.computed
                .push(format!("`{what}` ({computed} computed entries not read)"));
        }
        for literal in literals {
            let confidence = match literal.inferred {
                true => DeclarationConfidence::Inferred,
                false => DeclarationConfidence::Literal,
            };
            for raw in literal
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                self.requirement(raw, literal.offset, scope, group.clone(), confidence);
            }
        }
    }

    fn requirement(
        &mut self,
        raw: &str,
        offset: usize,
        scope: DependencyScope,
        group: Option<String>,
        confidence: DeclarationConfidence,
    ) {
        let parsed = match requirement::parse(raw, false) {
            Ok(parsed) => parsed,
            Err(message) => {
                let line = self.declared.line_of(offset);
                self.computed.push(format!(
                    "line {line}: `{raw}` is not a requirement ({})",
                    first_line(&message)
                ));
                return;
            }
        };
        let key = (scope, group.clone(), parsed.name.clone(), parsed.specifier.clone());
        if !self.seen.insert(key) {
            return;
        }
        let before = self.declared.dependencies.len();
        self.declared.add_near(
            offset,
            Declaration {
                name: parsed.name,
                specifier: parsed.specifier,
                scope,
                group,
                pin: parsed.pin,
            },
        );
        if let Some(added) = self.declared.dependencies.get_mut(before) {
            added.confidence = confidence;
        }
    }
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name specifier scope group line confidence` of each dependency, and the notes.
    fn read_manifest(text: &str) -> (Vec<String>, Vec<String>) {
        let Parsed::Manifest(draft) = manifest("setup.py", text) else {
            return (Vec::new(), Vec::new());
        };
        let dependencies = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {:?} {} {} {:?}",
                    d.name,
                    d.specifier,
                    d.scope,
                    d.group.as_deref().unwrap_or("-"),
                    d.location.line,
                    d.confidence
                )
            })
            .collect();
        let notes = draft.notes.iter().filter_map(|n| n.detail.clone()).collect();
        (dependencies, notes)
    }

    #[test]
    fn literal_lists_and_dicts_are_read_as_written() {
        let text = r#"from setuptools import setup
setup(
    name="x",
    python_requires=">=3.9",
    install_requires=[
        "numpy>=1.20",  # why
        'torch' ">=2",
        """requests""",
    ],
    extras_require={"cli": ["rich"], ":python_version<'3.10'": ["tomli"]},
    setup_requires=("cython",),
)
"#;
        let (dependencies, notes) = read_manifest(text);
        assert_eq!(
            dependencies,
            [
                "cython \"\" Build - 11 Literal",
                "numpy \">=1.20\" Runtime - 6 Literal",
                "requests \"\" Runtime - 8 Literal",
                "rich \"\" Optional cli 10 Literal",
                "tomli \"\" Runtime :python_version<'3.10' 10 Literal",
                "torch \">=2\" Runtime - 7 Literal",
            ]
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            python_requires(text),
            Some((">=3.9".to_string(), text.find("\">=3.9").unwrap_or(0)))
        );
    }

    /// peft's and diffusers' shapes: an `extras` dict built key by key and joined with
    /// `+`; a `_deps` list turned into a dict by a comprehension, looked up directly and
    /// through a function; f-strings and comprehensions are computed.
    #[test]
    fn values_built_from_names_are_inferred_and_the_rest_is_a_note() {
        let text = r#"import re
from setuptools import setup
_deps = [
    "Pillow",
    "numpy>=1.17",
    "torch>=2.0,!=2.1",
    "nvidia_modelopt[hf]>=0.3",
]
deps = {b: a for a, b in (re.findall(r"^(([^!=<>~]+)(?:[!=<>~].*)?$)", x)[0] for x in _deps)}

def deps_list(*pkgs):
    return [deps[pkg] for pkg in pkgs]

extras = {}
extras["quality"] = ["ruff~=0.6"]
extras["torch"] = deps_list("torch", "nvidia_modelopt[hf]")
extras["dev"] = extras["quality"] + extras["torch"]
extras["all"] = [f"x{v}" for v in range(3)]
install_requires = [deps["numpy"], deps["Pillow"], f"pkg=={VERSION}"]
install_requires.append("filelock")
setup(name="d", install_requires=list(install_requires), extras_require=extras, tests_require=compute())
"#;
        let (dependencies, notes) = read_manifest(text);
        assert_eq!(
            dependencies,
            [
                "filelock \"\" Runtime - 20 Inferred",
                "numpy \">=1.17\" Runtime - 5 Inferred",
                "nvidia-modelopt \">=0.3\" Optional dev 7 Inferred",
                "nvidia-modelopt \">=0.3\" Optional torch 7 Inferred",
                "pillow \"\" Runtime - 4 Inferred",
                "ruff \"~=0.6\" Optional dev 15 Inferred",
                "ruff \"~=0.6\" Optional quality 15 Inferred",
                "torch \">=2.0,!=2.1\" Optional dev 6 Inferred",
                "torch \">=2.0,!=2.1\" Optional torch 6 Inferred",
            ]
        );
        assert_eq!(
            notes,
            ["line 21: setup() computes part of its requirements when it runs: `install_requires` (1 computed entries not read), `extras_require[\"all\"]` (1 computed entries not read), `tests_require` (not read); what plumb could follow is recorded with confidence `inferred`"]
        );
    }

    /// huggingface_hub's shapes: a requirement formatted from a bound string, a list in
    /// parentheses joined with `+`; and `.format`.
    #[test]
    fn formatted_strings_of_bound_values_are_inferred() {
        let text = r#"XET = "hf-xet>=1.5,<2"
V = "2.1"
extras = {}
extras["oauth"] = ["authlib"]
extras["testing"] = (
    extras["oauth"]
    + ["pytest>=8"]
)
setup(
    install_requires=[f"{XET}; platform_machine=='x86_64'", "torch=={}".format(V), f"x=={unknown()}"],
    extras_require=extras,
)
"#;
        let (dependencies, notes) = read_manifest(text);
        assert_eq!(
            dependencies,
            [
                "authlib \"\" Optional oauth 4 Inferred",
                "authlib \"\" Optional testing 4 Inferred",
                "hf-xet \">=1.5,<2\" Runtime - 10 Inferred",
                "pytest \">=8\" Optional testing 7 Inferred",
                "torch \"==2.1\" Runtime - 10 Inferred",
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("`install_requires` (1 computed entries not read)"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_file_without_setup_requirements_is_not_a_manifest() {
        assert!(matches!(
            manifest("setup.py", "from setuptools import setup\nsetup(name='x')\n"),
            Parsed::Nothing
        ));
        assert!(matches!(
            manifest("setup.py", "def setup(app):\n    pass\n"),
            Parsed::Nothing
        ));
    }

    /// Unterminated literals and brackets, deep nesting and a list doubled many times end
    /// in bounded time with what could be read.
    #[test]
    fn hostile_input_is_bounded() {
        let deep = format!("setup(install_requires={}\"a\"{})", "[".repeat(500), "]".repeat(500));
        let _ = manifest("setup.py", &deep);
        let _ = manifest("setup.py", "setup(install_requires=[\"a, \"b\"\n'''");
        let mut doubling = String::from("a = [\"x\", \"y\"]\n");
        for _ in 0..200 {
            doubling.push_str("a = a + a\n");
        }
        doubling.push_str("setup(install_requires=a)\n");
        // Keys assigned one by one, and a lookup function called on a long list, many times.
        let mut wide = String::from("extras = {}\n_deps = [");
        wide.push_str(&"\"p\", ".repeat(5_000));
        wide.push_str("]\ndeps = {b: a for a, b in (f(x) for x in _deps)}\ndef deps_list(*names):\n    return [deps[n] for n in names]\n");
        for i in 0..20_000 {
            wide.push_str(&format!("extras[\"k{i}\"] = deps_list(\"p\", \"q\")\n"));
        }
        wide.push_str("setup(extras_require=extras)\n");
        // A note names a dozen unreadable entries, then counts the rest.
        let bad: Vec<String> = (0..100).map(|i| format!("\"!{i}\"")).collect();
        let (_, notes) = read_manifest(&format!("setup(install_requires=[{}])", bad.join(", ")));
        assert!(notes[0].contains(" and 88 more;"), "{notes:?}");
        let started = std::time::Instant::now();
        let _ = manifest("setup.py", &wide);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let (dependencies, notes) = read_manifest(&doubling);
        assert!(dependencies.len() <= 2, "{dependencies:?}");
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}
