//! Package manifests as the license and vendoring rules read them: a `Cargo.toml`,
//! `pyproject.toml` or `package.json` says its package's name, version, license
//! (`license` field, with its file:line), authors, and whether it belongs to a workspace
//! of the repository (`version.workspace = true`, `"private": true`); a root manifest also
//! lists its workspace's members (`[workspace] members`, `"workspaces"`,
//! `[tool.uv.workspace] members`).
//!
//! Manifests over [`caps::TREE_FILE_BYTES`] are not read (a scan note says so): they are
//! read whole into a tree, like the dependency analyzer does.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::analyzers::caps;
use crate::analyzers::positions::Positions;
use crate::model::{Evidence, Location};

/// What one manifest says about its package.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ManifestFacts {
    pub path: String,
    pub name: Option<String>,
    pub version: Option<Evidence>,
    /// The `license` field as written (an SPDX expression or free text), where it is.
    pub license: Option<Evidence>,
    pub authors: Vec<String>,
    /// The package says it belongs to the repository: npm `"private": true`, or a field
    /// inherited from a Cargo workspace (`x.workspace = true`).
    pub own_marker: bool,
    /// Workspace member globs a manifest lists (relative to its folder).
    pub members: Vec<String>,
}

/// Which manifest a file name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cargo,
    Pyproject,
    PackageJson,
}

pub fn kind(name: &str) -> Option<Kind> {
    match name {
        "Cargo.toml" => Some(Kind::Cargo),
        "pyproject.toml" => Some(Kind::Pyproject),
        "package.json" => Some(Kind::PackageJson),
        _ => None,
    }
}

/// The manifest's facts, or why it could not be read.
pub fn read(kind: Kind, path: &str, text: &str) -> Result<ManifestFacts, String> {
    if let Some(why) = caps::too_large_for_a_tree(text) {
        return Err(why);
    }
    let mut facts = ManifestFacts {
        path: path.to_string(),
        ..ManifestFacts::default()
    };
    let positions = Positions::new(text);
    match kind {
        Kind::Cargo => cargo(text, &positions, &mut facts)?,
        Kind::Pyproject => pyproject(text, &positions, &mut facts)?,
        Kind::PackageJson => package_json(text, &positions, &mut facts)?,
    }
    facts.authors.truncate(MAX_AUTHORS);
    facts.members.truncate(MAX_MEMBERS);
    Ok(facts)
}

/// Authors and member globs kept per manifest: enough to compare holders and to place
/// members; the rest are left out (a manifest is bounded by the tree cap anyway).
const MAX_AUTHORS: usize = 16;
const MAX_MEMBERS: usize = 256;

type Table = BTreeMap<String, Spanned<toml::Value>>;

fn evidence(path: &str, positions: &Positions<'_>, value: &Spanned<toml::Value>) -> Option<Evidence> {
    Some(evidence_at(path, positions, value, value.get_ref().as_str()?))
}

/// `text` as read at `value`'s position.
fn evidence_at(path: &str, positions: &Positions<'_>, value: &Spanned<toml::Value>, text: &str) -> Evidence {
    let (line, column) = positions.position(value.span().start);
    Evidence {
        value: text.to_string(),
        location: Location {
            path: path.to_string(),
            line,
            column,
        },
    }
}

fn inherited(value: &toml::Value) -> bool {
    value
        .as_table()
        .and_then(|t| t.get("workspace"))
        .and_then(toml::Value::as_bool)
        == Some(true)
}

fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(toml::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match item {
                    toml::Value::String(s) => Some(s.clone()),
                    toml::Value::Table(t) => t.get("name").and_then(toml::Value::as_str).map(str::to_string),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct CargoToml {
    package: Option<Table>,
    workspace: Option<CargoWorkspace>,
}

#[derive(Deserialize)]
struct CargoWorkspace {
    #[serde(default)]
    members: Vec<String>,
    package: Option<Table>,
}

fn cargo(text: &str, positions: &Positions<'_>, facts: &mut ManifestFacts) -> Result<(), String> {
    let parsed: CargoToml = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let path = facts.path.clone();
    if let Some(package) = &parsed.package {
        facts.name = package
            .get("name")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_string);
        facts.version = package.get("version").and_then(|v| evidence(&path, positions, v));
        facts.license = package.get("license").and_then(|v| evidence(&path, positions, v));
        facts.authors = strings(package.get("authors").map(Spanned::get_ref));
        facts.own_marker = package.values().any(|v| inherited(v.get_ref()));
    }
    if let Some(workspace) = parsed.workspace {
        facts.members = workspace.members;
        if let Some(package) = &workspace.package {
            // A workspace root without a package: its shared license is the declared one.
            if facts.license.is_none() {
                facts.license = package.get("license").and_then(|v| evidence(&path, positions, v));
            }
            if facts.authors.is_empty() {
                facts.authors = strings(package.get("authors").map(Spanned::get_ref));
            }
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct Pyproject {
    project: Option<Table>,
    tool: Option<PyTools>,
}

#[derive(Deserialize)]
struct PyTools {
    poetry: Option<Table>,
    uv: Option<Uv>,
}

#[derive(Deserialize)]
struct Uv {
    workspace: Option<UvWorkspace>,
}

#[derive(Deserialize)]
struct UvWorkspace {
    #[serde(default)]
    members: Vec<String>,
}

/// `license = "MIT"` (PEP 639) or `license = {text = "MIT"}` (PEP 621); a
/// `{file = "LICENSE"}` table points at a file and declares no expression.
fn pyproject_license(path: &str, positions: &Positions<'_>, value: &Spanned<toml::Value>) -> Option<Evidence> {
    if let Some(found) = evidence(path, positions, value) {
        return Some(found);
    }
    let text = value.get_ref().as_table()?.get("text")?.as_str()?;
    Some(evidence_at(path, positions, value, text))
}

fn pyproject(text: &str, positions: &Positions<'_>, facts: &mut ManifestFacts) -> Result<(), String> {
    let parsed: Pyproject = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let path = facts.path.clone();
    let (poetry, uv) = match parsed.tool {
        Some(tool) => (tool.poetry, tool.uv),
        None => (None, None),
    };
    for table in [parsed.project.as_ref(), poetry.as_ref()].into_iter().flatten() {
        if facts.name.is_none() {
            facts.name = table.get("name").and_then(|v| v.get_ref().as_str()).map(str::to_string);
        }
        if facts.version.is_none() {
            facts.version = table.get("version").and_then(|v| evidence(&path, positions, v));
        }
        if facts.license.is_none() {
            facts.license = table
                .get("license")
                .and_then(|v| pyproject_license(&path, positions, v));
        }
        if facts.authors.is_empty() {
            facts.authors = strings(table.get("authors").map(Spanned::get_ref));
        }
    }
    if let Some(workspace) = uv.and_then(|uv| uv.workspace) {
        facts.members = workspace.members;
    }
    Ok(())
}

fn package_json(text: &str, positions: &Positions<'_>, facts: &mut ManifestFacts) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(object) = value.as_object() else {
        return Ok(());
    };
    let path = facts.path.clone();
    let string = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
    let at_key = |key: &str, value: &str| Evidence {
        value: value.to_string(),
        location: json_key_location(&path, text, positions, key),
    };
    facts.name = string("name").map(str::to_string);
    facts.version = string("version").map(|v| at_key("version", v));
    // `"license": {"type": "MIT"}` is npm's old form.
    let license = string("license").or_else(|| object.get("license")?.get("type")?.as_str());
    facts.license = license.map(|l| at_key("license", l));
    facts.authors = match object.get("author") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(author) => author
            .get("name")
            .and_then(|n| n.as_str())
            .map(str::to_string)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    facts.own_marker = object.get("private").and_then(serde_json::Value::as_bool) == Some(true);
    let workspaces = object.get("workspaces");
    let globs = workspaces.and_then(|w| w.as_array().or_else(|| w.get("packages")?.as_array()));
    facts.members = globs
        .map(|items| items.iter().filter_map(|g| g.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok(())
}

/// Where a top-level `"key":` of a JSON object is: the first line whose first token is
/// the quoted key (the JSON parser keeps no positions); line 1 when none is (a minified
/// file).
fn json_key_location(path: &str, text: &str, positions: &Positions<'_>, key: &str) -> Location {
    let quoted = format!("\"{key}\"");
    let mut offset = 0;
    let mut found = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(&quoted) && trimmed[quoted.len()..].trim_start().starts_with(':') {
            found = Some(offset + line.len() - trimmed.len());
            break;
        }
        offset += line.len();
    }
    let (line, column) = positions.position(found.unwrap_or(0));
    Location {
        path: path.to_string(),
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(facts: &Option<Evidence>) -> Option<(&str, usize, usize)> {
        facts
            .as_ref()
            .map(|e| (e.value.as_str(), e.location.line, e.location.column))
    }

    #[test]
    fn cargo_package_and_workspace() {
        let text = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nlicense = \"MIT OR Apache-2.0\"\n";
        let facts = read(Kind::Cargo, "Cargo.toml", text).expect("parses");
        assert_eq!(at(&facts.license), Some(("MIT OR Apache-2.0", 5, 11)));
        assert_eq!(facts.members, ["crates/*"]);
        let member = "[package]\nname = \"a\"\nversion.workspace = true\nlicense = \"MIT\"\n";
        let facts = read(Kind::Cargo, "crates/a/Cargo.toml", member).expect("parses");
        assert!(facts.own_marker);
        assert_eq!((facts.name.as_deref(), facts.version), (Some("a"), None));
    }

    #[test]
    fn pyproject_license_forms() {
        let pep639 = "[project]\nname = \"x\"\nversion = \"1.0\"\nlicense = \"Unlicense OR MIT\"\n";
        let facts = read(Kind::Pyproject, "pyproject.toml", pep639).expect("parses");
        assert_eq!(at(&facts.license), Some(("Unlicense OR MIT", 4, 11)));
        assert_eq!(at(&facts.version), Some(("1.0", 3, 11)));
        let pep621 = "[project]\nname = \"x\"\nlicense = {text = \"BSD-3-Clause\"}\n";
        let facts = read(Kind::Pyproject, "pyproject.toml", pep621).expect("parses");
        assert_eq!(at(&facts.license), Some(("BSD-3-Clause", 3, 11)));
        let file = "[project]\nname = \"x\"\nlicense = {file = \"LICENSE\"}\n";
        assert_eq!(
            read(Kind::Pyproject, "pyproject.toml", file).expect("parses").license,
            None
        );
    }

    #[test]
    fn package_json_fields_and_their_lines() {
        let text = "{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\",\n  \"license\": \"WTFPL\",\n  \"author\": {\"name\": \"azer\"},\n  \"private\": true\n}\n";
        let facts = read(Kind::PackageJson, "x/package.json", text).expect("parses");
        assert_eq!(at(&facts.license), Some(("WTFPL", 4, 3)));
        assert_eq!(at(&facts.version), Some(("1.3.0", 3, 3)));
        assert_eq!((facts.authors, facts.own_marker), (vec!["azer".to_string()], true));
        assert!(read(Kind::PackageJson, "package.json", "{not json").is_err());
    }
}
