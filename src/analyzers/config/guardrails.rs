//! `[[guardrail]]` tables of `plumb.toml`: rules the team declares for the refactor,
//! checked by `judge::guardrails` against what the scan measured. Each table holds one
//! rule and an optional `name`:
//!
//! ```toml
//! [[guardrail]]
//! name = "models never import the CLI"
//! forbid = { from = "src/mylib/models", to = ["src/mylib/cli"] }
//!
//! [[guardrail]]
//! layers = ["src/mylib/cli", ["src/mylib/api", "src/mylib/jobs"], "src/mylib/core"]
//!
//! [[guardrail]]
//! max_file_lines = 1500
//!
//! [[guardrail]]
//! actions_pinned = true
//!
//! [[guardrail]]
//! vendored = ["third_party/zlib"]
//! ```
//!
//! Packages are named as in `[layers]`: a package of the import graph, or a directory
//! holding packages (every package at or below it). A mistake is a `config-invalid`
//! finding at its line and the table is left out.

use crate::model::{FileLimit, FileSize, GuardrailDecl, GuardrailRule};
use crate::scan::FileRecord;

use super::{a, Reader, Spanned, Value, MAX_LAYERS};

/// At most this many guardrails are read, like the surfaces.
pub const MAX_GUARDRAILS: usize = 100;
/// Files kept per `max_file_lines` limit (with the count of all of them).
pub const MAX_FILES_PER_LIMIT: usize = 1_000;

/// The keys that declare a rule, one a table.
const RULE_KEYS: [&str; 5] = ["forbid", "layers", "max_file_lines", "actions_pinned", "vendored"];

impl Reader<'_> {
    /// `[[guardrail]]` tables, each validated alone.
    pub(super) fn guardrails(&mut self, value: &Spanned<Value<'_>>, guardrails: &mut Vec<GuardrailDecl>) {
        let Value::Array(tables) = value.get_ref() else {
            let message = format!("`guardrail` must be `[[guardrail]]` tables, not {}", a(value.get_ref()));
            return self.invalid(value.span().start, message);
        };
        for (index, table) in tables.iter().enumerate() {
            if index == MAX_GUARDRAILS {
                let message = format!(
                    "plumb reads at most {MAX_GUARDRAILS} guardrails: this one and the {} after it are ignored",
                    tables.len() - index - 1
                );
                return self.invalid(table.span().start, message);
            }
            if let Some(guardrail) = self.guardrail(table) {
                guardrails.push(guardrail);
            }
        }
    }

    fn guardrail(&mut self, table: &Spanned<Value<'_>>) -> Option<GuardrailDecl> {
        let start = table.span().start;
        let Value::Table(fields) = table.get_ref() else {
            let message = format!("a guardrail must be a table, not {}", a(table.get_ref()));
            self.invalid(start, message);
            return None;
        };
        let expected = [
            "name",
            "forbid",
            "layers",
            "max_file_lines",
            "actions_pinned",
            "vendored",
        ];
        for (key, _) in fields.iter() {
            if !expected.contains(&key.get_ref().as_ref()) {
                self.unknown_key(key, &expected);
            }
        }
        let rules: Vec<(&str, &Spanned<Value<'_>>)> = RULE_KEYS
            .iter()
            .filter_map(|key| fields.get(*key).map(|value| (*key, value)))
            .collect();
        let (key, value) = match rules[..] {
            [one] => one,
            [] => {
                let message = format!("a guardrail needs one of `{}`", RULE_KEYS.join("`, `"));
                self.invalid(start, message);
                return None;
            }
            [_, (second, value), ..] => {
                let message =
                    format!("a guardrail holds one rule: `{second}` is a second; write another `[[guardrail]]`");
                self.invalid(value.span().start, message);
                return None;
            }
        };
        let rule = match key {
            "forbid" => self.forbid(value)?,
            "layers" => self.guardrail_layers(value)?,
            "max_file_lines" => self.max_file_lines(value)?,
            "actions_pinned" => self.actions_pinned(value)?,
            _ => GuardrailRule::Vendored {
                allowed: self.names(value, "`vendored`")?,
            },
        };
        let name = match fields.get("name") {
            Some(name) => self.string(name, "a guardrail's `name`")?.to_string(),
            None => default_name(&rule),
        };
        Some(GuardrailDecl {
            name,
            rule,
            line: self.at(start).0,
        })
    }

    /// `forbid = { from = ..., to = ... }`, each a package or a list of them.
    fn forbid(&mut self, value: &Spanned<Value<'_>>) -> Option<GuardrailRule> {
        let Value::Table(fields) = value.get_ref() else {
            let message = format!(
                "`forbid` must be a table `{{ from = ..., to = ... }}`, not {}",
                a(value.get_ref())
            );
            self.invalid(value.span().start, message);
            return None;
        };
        for (key, _) in fields.iter() {
            if !["from", "to"].contains(&key.get_ref().as_ref()) {
                self.unknown_key(key, &["from", "to"]);
            }
        }
        let (Some(from), Some(to)) = (fields.get("from"), fields.get("to")) else {
            self.invalid(value.span().start, "`forbid` needs `from` and `to`".to_string());
            return None;
        };
        let from = self.names(from, "`forbid.from`")?;
        let to = self.names(to, "`forbid.to`")?;
        Some(GuardrailRule::Forbid { from, to })
    }

    /// `layers = [...]`, top first; an entry is a package or a list of packages that
    /// share a layer.
    fn guardrail_layers(&mut self, value: &Spanned<Value<'_>>) -> Option<GuardrailRule> {
        let Value::Array(entries) = value.get_ref() else {
            let message = format!("`layers` must be an array, not {}", a(value.get_ref()));
            self.invalid(value.span().start, message);
            return None;
        };
        if entries.len() < 2 || entries.len() > MAX_LAYERS {
            let message = format!("`layers` must list 2 to {MAX_LAYERS} layers, not {}", entries.len());
            self.invalid(value.span().start, message);
            return None;
        }
        let layers: Option<Vec<Vec<String>>> = entries.iter().map(|entry| self.names(entry, "a layer")).collect();
        Some(GuardrailRule::Layers { layers: layers? })
    }

    fn max_file_lines(&mut self, value: &Spanned<Value<'_>>) -> Option<GuardrailRule> {
        let message = match value.get_ref() {
            Value::Integer(number) => match number.as_str().replace('_', "").parse::<u64>() {
                Ok(max) if max >= 1 => return Some(GuardrailRule::MaxFileLines { max }),
                _ => format!("`max_file_lines` is {}: it must be 1 or more", number.as_str()),
            },
            other => format!("`max_file_lines` must be a whole number, not {}", a(other)),
        };
        self.invalid(value.span().start, message);
        None
    }

    fn actions_pinned(&mut self, value: &Spanned<Value<'_>>) -> Option<GuardrailRule> {
        let message = match value.get_ref() {
            Value::Boolean(true) => return Some(GuardrailRule::ActionsPinned),
            Value::Boolean(false) => "`actions_pinned = false` declares nothing: remove the guardrail".to_string(),
            other => format!("`actions_pinned` must be `true`, not {}", a(other)),
        };
        self.invalid(value.span().start, message);
        None
    }

    /// A string or an array of strings (each a package or directory path, trailing `/`
    /// removed); at most [`MAX_LAYERS`] of them.
    fn names(&mut self, value: &Spanned<Value<'_>>, what: &str) -> Option<Vec<String>> {
        let items: Vec<&Spanned<Value<'_>>> = match value.get_ref() {
            Value::String(_) => vec![value],
            Value::Array(items) if items.len() <= MAX_LAYERS => items.iter().collect(),
            Value::Array(items) => {
                let message = format!("{what} lists {} entries: plumb reads at most {MAX_LAYERS}", items.len());
                self.invalid(value.span().start, message);
                return None;
            }
            other => {
                let message = format!("{what} must be a string or an array of strings, not {}", a(other));
                self.invalid(value.span().start, message);
                return None;
            }
        };
        let mut names = Vec::new();
        for item in items {
            let name = self.string(item, what)?;
            let trimmed = name.trim_end_matches('/');
            names.push(if trimmed.is_empty() { "." } else { trimmed }.to_string());
        }
        Some(names)
    }
}

/// A name that says what the guardrail checks, for a table without `name`.
fn default_name(rule: &GuardrailRule) -> String {
    match rule {
        GuardrailRule::Forbid { from, to } => format!("{} must not import {}", from.join(", "), to.join(", ")),
        GuardrailRule::Layers { layers } => {
            let layers: Vec<String> = layers.iter().map(|l| l.join(" | ")).collect();
            format!("layers {}", layers.join(" > "))
        }
        GuardrailRule::MaxFileLines { max } => format!("no hand-maintained file over {max} code lines"),
        GuardrailRule::ActionsPinned => "every action pinned to a commit SHA".to_string(),
        GuardrailRule::Vendored { allowed } if allowed.is_empty() => "no vendored code".to_string(),
        GuardrailRule::Vendored { allowed } => format!("vendored code only in {}", allowed.join(", ")),
    }
}

/// For every distinct `max_file_lines`: the hand-maintained files over it (role source,
/// test, build or ci, as the god-module candidates), most code lines first.
pub fn file_limits(guardrails: &[GuardrailDecl], files: &[&FileRecord]) -> Vec<FileLimit> {
    let mut limits: Vec<u64> = guardrails
        .iter()
        .filter_map(|g| match g.rule {
            GuardrailRule::MaxFileLines { max } => Some(max),
            _ => None,
        })
        .collect();
    limits.sort();
    limits.dedup();
    if limits.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<&FileRecord> = files
        .iter()
        .copied()
        .filter(|f| crate::analyzers::god_modules::is_hand_maintained(f))
        .collect();
    candidates.sort_by(|a, b| {
        b.lines
            .code
            .cmp(&a.lines.code)
            .then_with(|| a.info.path.cmp(&b.info.path))
    });
    limits
        .into_iter()
        .map(|max| {
            let over = candidates.partition_point(|f| f.lines.code > max);
            FileLimit {
                max,
                files_over: over,
                largest: candidates[..over]
                    .iter()
                    .take(MAX_FILES_PER_LIMIT)
                    .map(|f| FileSize {
                        path: f.info.path.clone(),
                        language: f.info.language.map(|l| l.name().to_string()).unwrap_or_default(),
                        role: f.info.role,
                        lines: f.lines,
                    })
                    .collect(),
            }
        })
        .collect()
}
