//! The JSON Schema of `audit.json`, generated from the model's types so that it cannot drift
//! from what plumb writes. It is committed as `docs/audit.schema.json`, the contract that
//! dashboards and roll-ups build on (README, "`audit.json` and its schema"): a test here fails
//! when the committed file is not the generated one, and rewrites it under `UPDATE_SCHEMA=1`
//! unless the change breaks the contract while [`SCHEMA_VERSION`] stays the same.
//!
//! Every type `Audit` holds derives `schemars::JsonSchema` in test builds (the shipped binary
//! has no use for it), so a new type needs that derive and nothing else; without it, this
//! module does not compile. Doc comments become the schema's descriptions.

use std::collections::BTreeSet;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::Schema;
use serde_json::{json, Value};

use super::{Audit, SCHEMA_VERSION};

/// Where the schema is committed, from the crate's root.
pub const SCHEMA_PATH: &str = "docs/audit.schema.json";

/// The schema of `audit.json` as this version writes it.
pub fn audit_schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(RecursiveTransform(close_object))
        .with_transform(RecursiveTransform(plain_description))
        .into_generator();
    let mut schema = Value::from(generator.into_root_schema_for::<Audit>());
    let definitions = schema["$defs"].clone();
    inline_tagged_newtypes(&mut schema, &definitions);
    schema["title"] = "plumb audit.json".into();
    schema["description"] = format!(
        "The `audit.json` of plumb's audit pack, schema_version {SCHEMA_VERSION}. Within one \
         schema_version, fields and enum values are only ever added: a reader ignores keys and \
         tolerates values it does not know. Any other change (a field removed, renamed, retyped, \
         no longer always written or given another meaning) comes with a new schema_version."
    )
    .into();
    // A file valid under this schema is one of this version: readers can dispatch on it.
    schema["properties"]["schema_version"] = json!({
        "description": "The version of this layout; see the schema's description.",
        "const": SCHEMA_VERSION,
    });
    schema
}

/// A newtype variant of an internally tagged enum (`{"type": "tach-module", ...fields}`)
/// comes out as its tag's properties beside a `$ref` to the struct; both are closed, so no
/// object could be valid against both. The struct's properties are copied in beside the
/// tag instead, and the `$ref` dropped: one closed object, as written.
fn inline_tagged_newtypes(schema: &mut Value, definitions: &Value) {
    match schema {
        Value::Object(object) => {
            let reference = object.get("$ref").and_then(Value::as_str).map(str::to_string);
            if let (Some(reference), true) = (reference, object.contains_key("properties")) {
                let name = reference.trim_start_matches("#/$defs/");
                let target = &definitions[name];
                if let (Some(fields), Some(properties)) = (
                    target["properties"].as_object(),
                    object.get_mut("properties").and_then(Value::as_object_mut),
                ) {
                    for (key, field) in fields {
                        properties.entry(key.clone()).or_insert_with(|| field.clone());
                    }
                    let mut required: Vec<Value> = object["required"].as_array().cloned().unwrap_or_default();
                    for key in target["required"].as_array().into_iter().flatten() {
                        if !required.contains(key) {
                            required.push(key.clone());
                        }
                    }
                    object.insert("required".to_string(), Value::Array(required));
                    object.remove("$ref");
                }
            }
            object.values_mut().for_each(|v| inline_tagged_newtypes(v, definitions));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| inline_tagged_newtypes(v, definitions)),
        _ => {}
    }
}

/// The model's structs are closed: a key the schema does not list is drift, not an extension
/// (maps, which have an `additionalProperties` schema of their own, stay open).
fn close_object(schema: &mut Schema) {
    if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
        schema.insert("additionalProperties".to_string(), false.into());
    }
}

/// A doc comment as a reader of the schema wants it: its lines, wrapped for the source,
/// joined into one (paragraphs kept), and without rustdoc's links.
fn plain_description(schema: &mut Schema) {
    if let Some(Value::String(text)) = schema.get_mut("description") {
        let paragraphs: Vec<String> = text.split("\n\n").map(|p| p.replace('\n', " ")).collect();
        *text = without_doc_links(&paragraphs.join("\n\n"));
    }
}

/// Rustdoc links written as plain code spans: ``[`super::Audit::rules`]`` becomes
/// `` `Audit::rules` `` (a reader of the schema has no rustdoc to follow them in).
fn without_doc_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let inner = &rest[start + 2..];
        match inner.find('`') {
            Some(end) if inner[end + 1..].starts_with(']') => {
                out.push_str(&rest[..start]);
                out.push('`');
                out.push_str(inner[..end].trim_start_matches("super::"));
                out.push('`');
                rest = &inner[end + 2..];
            }
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How `new` breaks a reader written against `old`, one line per change, at its path in
/// the document (`/architecture/modules/*/role`): a key removed or no longer always
/// written, a type changed, an enum value gone, an array's shape changed. Additions (keys,
/// enum values) are not breaking. A change of meaning cannot be seen here: it needs a new
/// [`SCHEMA_VERSION`] all the same.
pub fn breaking_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut comparison = Comparison {
        old,
        new,
        seen: BTreeSet::new(),
        found: Vec::new(),
    };
    comparison.compare(old, new, "");
    comparison.found
}

struct Comparison<'a> {
    /// The two root schemas, which their `$ref`s point into.
    old: &'a Value,
    new: &'a Value,
    /// Pairs of definitions already compared (the model is recursive: `ModuleNode`).
    seen: BTreeSet<(String, String)>,
    found: Vec<String>,
}

impl<'a> Comparison<'a> {
    fn compare(&mut self, old: &'a Value, new: &'a Value, path: &str) {
        let refs = (old.get("$ref"), new.get("$ref"));
        if let (Some(Value::String(old_ref)), Some(Value::String(new_ref))) = refs {
            if !self.seen.insert((old_ref.clone(), new_ref.clone())) {
                return;
            }
        }
        let (old, new) = (resolve(self.old, old), resolve(self.new, new));
        let (old_types, new_types) = (types(old), types(new));
        if old_types != new_types {
            self.found
                .push(format!("{path}: type {old_types:?} became {new_types:?}"));
            return;
        }
        let (old_values, new_values) = (values(old), values(new));
        if let Some(old_values) = old_values {
            let new_values = new_values.unwrap_or_default();
            for gone in old_values.difference(&new_values) {
                self.found.push(format!("{path}: value {gone} is gone"));
            }
            return;
        }
        self.compare_properties(old, new, path);
        self.compare_items(old, new, path);
        for key in ["additionalProperties", "items"] {
            if let (Some(old @ Value::Object(_)), Some(new @ Value::Object(_))) = (old.get(key), new.get(key)) {
                self.compare(old, new, &format!("{path}/*"));
            }
        }
        self.compare_alternatives(old, new, path);
    }

    fn compare_properties(&mut self, old: &'a Value, new: &'a Value, path: &str) {
        let Some(Value::Object(old_properties)) = old.get("properties") else {
            return;
        };
        let (old_required, new_required) = (required(old), required(new));
        for (key, old_property) in old_properties {
            let here = format!("{path}/{key}");
            match new.get("properties").and_then(|p| p.get(key)) {
                None => self.found.push(format!("{here}: removed")),
                Some(new_property) => {
                    if old_required.contains(key.as_str()) && !new_required.contains(key.as_str()) {
                        self.found.push(format!("{here}: no longer always written"));
                    }
                    self.compare(old_property, new_property, &here);
                }
            }
        }
    }

    /// Tuples (`prefixItems`): the same length, item by item.
    fn compare_items(&mut self, old: &'a Value, new: &'a Value, path: &str) {
        let Some(Value::Array(old_items)) = old.get("prefixItems") else {
            return;
        };
        match new.get("prefixItems") {
            Some(Value::Array(new_items)) if new_items.len() == old_items.len() => {
                for (i, (old, new)) in old_items.iter().zip(new_items).enumerate() {
                    self.compare(old, new, &format!("{path}/{i}"));
                }
            }
            _ => self.found.push(format!("{path}: the array's items changed shape")),
        }
    }

    /// `anyOf`/`oneOf` other than enum values (an `Option` of a struct): branch by branch.
    fn compare_alternatives(&mut self, old: &'a Value, new: &'a Value, path: &str) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(old_branches)) = old.get(key) else {
                continue;
            };
            match new.get(key) {
                Some(Value::Array(new_branches)) if new_branches.len() == old_branches.len() => {
                    for (old, new) in old_branches.iter().zip(new_branches) {
                        self.compare(old, new, path);
                    }
                }
                _ => self.found.push(format!("{path}: the alternatives changed")),
            }
        }
    }
}

/// `schema`, or the definition its `$ref` names in `root` (`#/$defs/Name`).
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/$defs/")
            .and_then(|name| root["$defs"].get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// The JSON types a schema allows (`type`, a string or a list), empty when it says none.
fn types(schema: &Value) -> BTreeSet<String> {
    match schema.get("type") {
        Some(Value::String(one)) => BTreeSet::from([one.clone()]),
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => BTreeSet::new(),
    }
}

/// The values an enum allows (`const`, `enum`, or `oneOf` branches of those, as schemars
/// writes an enum whose variants have doc comments); `None` when the schema is not an enum.
fn values(schema: &Value) -> Option<BTreeSet<String>> {
    if let Some(value) = schema.get("const") {
        return Some(BTreeSet::from([value.to_string()]));
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        return Some(values.iter().map(Value::to_string).collect());
    }
    let Some(Value::Array(branches)) = schema.get("oneOf") else {
        return None;
    };
    let mut all = BTreeSet::new();
    for branch in branches {
        all.extend(values(branch)?);
    }
    Some(all)
}

fn required(schema: &Value) -> BTreeSet<&str> {
    match schema.get("required") {
        Some(Value::Array(keys)) => keys.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn committed_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH)
    }

    /// The committed schema is the model's, so a field added, removed or retyped without
    /// regenerating it fails here (and the fixtures' `audit.json` fail validation against it
    /// in tests/schema.rs). `UPDATE_SCHEMA=1` rewrites it, unless the change breaks the
    /// contract under the same `SCHEMA_VERSION`.
    #[test]
    fn committed_schema_is_the_models() {
        let generated = audit_schema();
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&generated).expect("a Value serialises")
        );
        let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
        if committed == text {
            return;
        }
        if let Ok(committed) = serde_json::from_str::<Value>(&committed) {
            if committed["properties"]["schema_version"]["const"] == json!(SCHEMA_VERSION) {
                let breaking = breaking_changes(&committed, &generated);
                assert!(
                    breaking.is_empty(),
                    "audit.json changes incompatibly under schema_version {SCHEMA_VERSION}; bump \
                     SCHEMA_VERSION (src/model/mod.rs) or undo the change:\n{}",
                    breaking.join("\n")
                );
            }
        }
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(committed_path(), text).expect("docs/ is writable");
            return;
        }
        panic!(
            "{SCHEMA_PATH} is not the model's schema: regenerate it with \
             `UPDATE_SCHEMA=1 cargo test --lib committed_schema` and review the diff"
        );
    }

    /// The sample audit every renderer's tests share, as `audit.json` writes it, is valid.
    #[test]
    fn the_sample_audit_is_valid() {
        let validator = jsonschema::validator_for(&audit_schema()).expect("the schema compiles");
        let text = crate::render::render(crate::cli::Format::Json, &crate::model::sample());
        let audit: Value = serde_json::from_str(&text).expect("audit.json is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&audit)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }

    #[test]
    fn the_schema_is_closed_where_the_model_is() {
        let schema = audit_schema();
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(schema["$defs"]["Finding"]["additionalProperties"], json!(false));
        // A map keeps its values' schema: any language name is a key.
        assert_eq!(
            schema["$defs"]["UntrackedSummary"]["properties"]["languages"]["additionalProperties"]["type"],
            json!("integer")
        );
    }

    #[test]
    fn descriptions_come_from_doc_comments_without_rustdoc_links() {
        let schema = audit_schema();
        assert_eq!(
            schema["$defs"]["Finding"]["properties"]["rule"]["description"],
            json!("The id of a `Rule` listed in `Audit::rules`.")
        );
        assert_eq!(without_doc_links("`[[surface]]` header"), "`[[surface]]` header");
        assert_eq!(without_doc_links("a [`b`] [c] [`d"), "a `b` [c] [`d");
    }

    /// The edits `UPDATE_SCHEMA=1` must refuse without a new version, and those it accepts.
    #[test]
    fn breaking_changes_are_told_from_additions() {
        let old = audit_schema();
        let changed = |edit: &dyn Fn(&mut Value)| {
            let mut new = old.clone();
            edit(&mut new);
            breaking_changes(&old, &new)
        };
        assert_eq!(changed(&|_| {}), Vec::<String>::new());
        let added = changed(&|s| {
            s["properties"]["history"] = json!({"type": "object"});
            s["$defs"]["Severity"]["enum"]
                .as_array_mut()
                .expect("an enum")
                .push(json!("critical"));
            let roles = s["$defs"]["Role"]["oneOf"]
                .as_array_mut()
                .expect("an enum, some values documented");
            roles.push(json!({"const": "fixture", "type": "string"}));
        });
        assert_eq!(added, Vec::<String>::new());
        fn finding(schema: &mut Value) -> &mut Value {
            &mut schema["$defs"]["Finding"]
        }
        assert_eq!(
            changed(&|s| {
                finding(s)["properties"]
                    .as_object_mut()
                    .expect("properties")
                    .remove("snippet");
            }),
            ["/findings/*/snippet: removed"]
        );
        assert_eq!(
            changed(&|s| finding(s)["properties"]["span"]["type"] = json!("string")),
            [r#"/findings/*/span: type {"integer"} became {"string"}"#]
        );
        assert_eq!(
            changed(&|s| finding(s)["required"] = json!(["location"])).len(),
            10,
            "every field but location is no longer always written"
        );
        assert_eq!(
            changed(&|s| s["$defs"]["ImportEdge"]["prefixItems"]
                .as_array_mut()
                .expect("a tuple")
                .truncate(3)),
            ["/architecture/edges/*: the array's items changed shape"]
        );
        let severities = changed(&|s| {
            s["$defs"]["Severity"]["enum"]
                .as_array_mut()
                .expect("an enum")
                .truncate(1)
        });
        assert_eq!(severities.len(), 3, "{severities:?}");
        assert!(severities
            .iter()
            .all(|line| line.starts_with("/findings/*/severity: value")));
        assert_eq!(
            changed(&|s| s["$defs"]["Role"]["oneOf"].as_array_mut().expect("an enum").truncate(1)),
            [r#"/architecture/modules/*/role: value "data" is gone"#]
        );
    }
}
