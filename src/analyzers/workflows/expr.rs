//! GitHub Actions expressions (`${{ ... }}`): a small parser, and which contexts an
//! expression's *value* can come from.
//!
//! Only the value matters for injection: `${{ inputs.x == 'a' }}` expands to `true` or
//! `false` whatever `inputs.x` holds, and `${{ inputs.ok && 'yes' || 'no' }}` to one of two
//! literals. GitHub's `&&` and `||` return an operand, not a boolean: `a && b` yields `b`
//! (when `a` holds) and `a || b` either side. `format`, `join` and `toJSON` carry their
//! arguments into their result; every other function returns something else (`contains` a
//! boolean, `fromJSON` an object that is expanded as `Object`), unless a field of its
//! result is read (`fromJSON(x).y`), whose value nobody can tell here.

/// Where an expanded value can come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// A context path, lowercased, with every index but a literal string written `*`:
    /// `github.event.commits[0].message` is `github.event.commits.*.message`,
    /// `env['A']` is `env.a`. `raw` keeps the text as written (env names are
    /// case-sensitive).
    Context { path: String, raw: String },
    /// A field read from a function's result (`fromJSON(x).y`).
    Computed { raw: String },
}

/// Expressions nested deeper than this are not parsed (a hostile file could nest
/// parentheses until the stack overflows); real ones nest a few levels.
const MAX_DEPTH: usize = 64;

/// The flows of `expression` (the text inside `${{ }}`), or `None` if it does not parse.
pub fn flows(expression: &str) -> Option<Vec<Flow>> {
    let tokens = tokenize(expression)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let tree = parser.or()?;
    if parser.at != parser.tokens.len() {
        return None;
    }
    let mut out = Vec::new();
    dataflow(&tree, &mut out);
    Some(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Literal,
    Str(String),
    Punct(&'static str),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    const PUNCTS: &[&str] = &[
        "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]", ".", ",", "!", "<", ">", "*",
    ];
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c == '\'' {
            // '' is a quote inside a string.
            let mut value = String::new();
            let mut chars = rest[1..].char_indices();
            let end = loop {
                let (i, ch) = chars.next()?;
                if ch == '\'' {
                    if rest[1 + i + 1..].starts_with('\'') {
                        value.push('\'');
                        chars.next();
                        continue;
                    }
                    break 1 + i + 1;
                }
                value.push(ch);
            };
            tokens.push(Token::Str(value));
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
                .unwrap_or(rest.len());
            tokens.push(Token::Ident(rest[..end].to_string()));
            rest = &rest[end..];
        } else if c.is_ascii_digit() || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) {
            let end = 1 + rest[1..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '+' || ch == '-'))
                .unwrap_or(rest.len() - 1);
            tokens.push(Token::Literal);
            rest = &rest[end..];
        } else {
            let punct = PUNCTS.iter().find(|p| rest.starts_with(**p))?;
            tokens.push(Token::Punct(punct));
            rest = &rest[punct.len()..];
        }
    }
    Some(tokens)
}

/// The parts of an expression that matter for dataflow.
#[derive(Debug)]
enum Tree {
    Literal,
    /// A context read, or a call followed by field reads (`computed`).
    Access {
        raw: String,
        path: String,
        computed: bool,
    },
    Call {
        name: String,
        args: Vec<Tree>,
    },
    /// `a && b`: only `b` can be the value.
    And(Box<Tree>),
    Or(Box<Tree>, Box<Tree>),
    /// Comparisons and negations: a boolean.
    Boolean,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, punct: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Punct(p)) if *p == punct);
        self.at += usize::from(found);
        found
    }

    fn or(&mut self) -> Option<Tree> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut tree = self.and()?;
        while self.eat("||") {
            tree = Tree::Or(Box::new(tree), Box::new(self.and()?));
        }
        self.depth -= 1;
        Some(tree)
    }

    fn and(&mut self) -> Option<Tree> {
        let mut tree = self.comparison()?;
        while self.eat("&&") {
            tree = Tree::And(Box::new(self.comparison()?));
        }
        Some(tree)
    }

    fn comparison(&mut self) -> Option<Tree> {
        let mut tree = self.unary()?;
        while ["==", "!=", "<=", ">=", "<", ">"].iter().any(|op| self.eat(op)) {
            self.unary()?;
            tree = Tree::Boolean;
        }
        Some(tree)
    }

    fn unary(&mut self) -> Option<Tree> {
        if self.eat("!") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            self.unary()?;
            self.depth -= 1;
            return Some(Tree::Boolean);
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Option<Tree> {
        let (mut tree, mut raw, mut path) = match self.tokens.get(self.at).cloned()? {
            Token::Literal | Token::Str(_) => {
                self.at += 1;
                return Some(Tree::Literal);
            }
            Token::Punct("(") => {
                self.at += 1;
                let inner = self.or()?;
                self.eat(")").then_some(())?;
                return Some(inner);
            }
            Token::Ident(name) => {
                self.at += 1;
                if self.eat("(") {
                    let args = self.arguments()?;
                    let call = Tree::Call {
                        name: name.to_ascii_lowercase(),
                        args,
                    };
                    (call, format!("{name}(...)"), None)
                } else if matches!(name.as_str(), "true" | "false" | "null") {
                    return Some(Tree::Literal);
                } else {
                    let path = name.to_ascii_lowercase();
                    let access = Tree::Access {
                        raw: name.clone(),
                        path: path.clone(),
                        computed: false,
                    };
                    (access, name, Some(path))
                }
            }
            Token::Punct(_) => return None,
        };
        let mut accessed = false;
        loop {
            let segment = if self.eat(".") {
                match self.tokens.get(self.at).cloned()? {
                    Token::Ident(field) => {
                        self.at += 1;
                        raw.push('.');
                        raw.push_str(&field);
                        field.to_ascii_lowercase()
                    }
                    Token::Punct("*") => {
                        self.at += 1;
                        raw.push_str(".*");
                        "*".to_string()
                    }
                    _ => return None,
                }
            } else if self.eat("[") {
                let start = self.at;
                self.or()?;
                self.eat("]").then_some(())?;
                let literal = match &self.tokens[start..self.at - 1] {
                    [Token::Str(name)] => Some(name.to_ascii_lowercase()),
                    _ => None,
                };
                raw.push_str(
                    literal
                        .as_deref()
                        .map_or("[*]".to_string(), |l| format!("['{l}']"))
                        .as_str(),
                );
                literal.unwrap_or_else(|| "*".to_string())
            } else {
                break;
            };
            accessed = true;
            path = Some(match path {
                Some(p) => format!("{p}.{segment}"),
                None => segment,
            });
        }
        if accessed {
            let computed = matches!(tree, Tree::Call { .. }) || matches!(tree, Tree::Access { computed: true, .. });
            tree = Tree::Access {
                raw,
                path: path.unwrap_or_default(),
                computed,
            };
        }
        Some(tree)
    }

    fn arguments(&mut self) -> Option<Vec<Tree>> {
        let mut args = Vec::new();
        if self.eat(")") {
            return Some(args);
        }
        loop {
            args.push(self.or()?);
            if self.eat(")") {
                return Some(args);
            }
            self.eat(",").then_some(())?;
        }
    }
}

/// The flows into the value of `tree`.
fn dataflow(tree: &Tree, out: &mut Vec<Flow>) {
    match tree {
        Tree::Literal | Tree::Boolean => {}
        Tree::Access { raw, path, computed } => out.push(if *computed {
            Flow::Computed { raw: raw.clone() }
        } else {
            Flow::Context {
                path: path.clone(),
                raw: raw.clone(),
            }
        }),
        Tree::Call { name, args } => {
            if matches!(name.as_str(), "format" | "join" | "tojson") {
                args.iter().for_each(|arg| dataflow(arg, out));
            }
        }
        Tree::And(rhs) => dataflow(rhs, out),
        Tree::Or(lhs, rhs) => {
            dataflow(lhs, out);
            dataflow(rhs, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(expression: &str) -> Vec<String> {
        flows(expression)
            .expect("parses")
            .into_iter()
            .map(|flow| match flow {
                Flow::Context { path, .. } => path,
                Flow::Computed { raw } => format!("computed:{raw}"),
            })
            .collect()
    }

    #[test]
    fn values_flow_from_contexts_and_the_operands_of_and_or() {
        assert_eq!(paths("github.event.issue.title"), ["github.event.issue.title"]);
        assert_eq!(
            paths("github.event.commits[0].message"),
            ["github.event.commits.*.message"]
        );
        assert_eq!(paths("env['Name']"), ["env.name"]);
        assert_eq!(paths("a.b[c.d]"), ["a.b.*"]);
        assert_eq!(paths("inputs.a || inputs.b"), ["inputs.a", "inputs.b"]);
        assert_eq!(paths("inputs.ok && inputs.b"), ["inputs.b"]);
        assert_eq!(paths("format('{0}-{1}', github.head_ref, 'x')"), ["github.head_ref"]);
        assert_eq!(paths("toJSON(github.event)"), ["github.event"]);
        assert_eq!(paths("(github.ref_name)"), ["github.ref_name"]);
        assert_eq!(
            paths("fromJSON(needs.a.outputs.m)[matrix.k]"),
            ["computed:fromJSON(...)[*]"]
        );
    }

    #[test]
    fn booleans_literals_and_other_calls_carry_nothing() {
        assert!(paths("github.ref_name == 'main'").is_empty());
        assert!(paths("inputs.ok && 'yes' || 'no'").is_empty());
        assert!(paths("!inputs.x").is_empty());
        assert!(paths("contains(github.event.issue.title, 'x')").is_empty());
        assert!(paths("fromJSON(inputs.x)").is_empty());
        assert!(paths("hashFiles('**/x.lock')").is_empty());
        assert!(paths("'it''s' || 3 || -1.5 || 0xff || true").is_empty());
    }

    #[test]
    fn broken_or_hostile_expressions_do_not_parse() {
        assert_eq!(flows("a.b ==="), None);
        assert_eq!(flows("'open"), None);
        assert_eq!(flows("f(a"), None);
        assert_eq!(flows(&format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000))), None);
        assert_eq!(flows(&"!".repeat(10_000)), None);
    }
}
