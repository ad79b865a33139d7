//! JavaScript / TypeScript: `package.json` (dependencies, devDependencies,
//! peerDependencies, optionalDependencies); lockfiles `package-lock.json` (v1 to v3),
//! `yarn.lock` (classic and berry) and `pnpm-lock.yaml` (v5 to v9).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;

use saphyr_parser::{Event, Parser};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::model::{DependencyScope, Ecosystem, LockedPackage, PinClass};

use super::{
    is_commit_sha, Declaration, Declared, LockDraft, ParseError, Parsed, DEPENDENCIES_PER_MANIFEST,
    PACKAGES_PER_LOCKFILE,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson {
    name: Option<String>,
    version: Option<String>,
    dependencies: Option<BTreeMap<String, serde_json::Value>>,
    dev_dependencies: Option<BTreeMap<String, serde_json::Value>>,
    peer_dependencies: Option<BTreeMap<String, serde_json::Value>>,
    optional_dependencies: Option<BTreeMap<String, serde_json::Value>>,
}

/// The group that marks peer dependencies (the host provides them, so lockfiles of some
/// package managers leave them out).
pub const PEER: &str = "peer";

pub fn package_json(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let parsed: PackageJson = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let mut declared = Declared::new(path, text);
    for (key, table, scope, group) in [
        ("dependencies", &parsed.dependencies, DependencyScope::Runtime, None),
        ("devDependencies", &parsed.dev_dependencies, DependencyScope::Dev, None),
        (
            "peerDependencies",
            &parsed.peer_dependencies,
            DependencyScope::Runtime,
            Some(PEER),
        ),
        (
            "optionalDependencies",
            &parsed.optional_dependencies,
            DependencyScope::Optional,
            None,
        ),
    ] {
        let section = JsonSection::new(text, key);
        for (name, value) in table.iter().flatten() {
            let specifier = value.as_str().map_or_else(|| value.to_string(), str::to_string);
            declared.add_near(
                section.offset_of(name),
                Declaration {
                    name: name.clone(),
                    pin: npm_pin(&specifier),
                    specifier,
                    scope,
                    group: group.map(str::to_string),
                },
            );
        }
    }
    let mut draft = declared.into_manifest(Ecosystem::Npm, "package.json", text);
    draft.manifest.package = parsed.name;
    draft.manifest.version = parsed.version;
    Ok(Parsed::Manifest(draft))
}

/// serde_json keeps no positions: a name is placed where `"name"` is first written in its
/// section (`"dependencies": {...}`), which is exact for package.json as npm and editors
/// write it; a name not found there is placed at the section's key.
pub(super) struct JsonSection<'t> {
    /// Byte offset of the section's `"key"` (0 without one).
    key_at: usize,
    /// Every string written inside the section's value, at its first offset.
    strings: HashMap<&'t str, usize>,
}

impl<'t> JsonSection<'t> {
    /// Reads the section once: every name is then found in constant time, so a manifest
    /// of many dependencies is not searched from the start once per dependency.
    pub(super) fn new(text: &'t str, section: &str) -> Self {
        let key_at = memchr::memmem::find(text.as_bytes(), format!("\"{section}\"").as_bytes());
        let strings = key_at
            .map(|at| strings_of_value(text, at + section.len() + 2))
            .unwrap_or_default();
        JsonSection {
            key_at: key_at.unwrap_or(0),
            strings,
        }
    }

    /// Byte offset of the opening quote of `"name"`.
    pub(super) fn offset_of(&self, name: &str) -> usize {
        self.strings.get(name).copied().unwrap_or(self.key_at)
    }
}

/// The strings (raw, between their quotes) inside the JSON value after the `:` that
/// follows byte `from`, each at its first offset; empty when no object or array follows.
fn strings_of_value(text: &str, from: usize) -> HashMap<&str, usize> {
    let bytes = text.as_bytes();
    let mut strings = HashMap::new();
    let mut at = from;
    while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b':') {
        at += 1;
    }
    if !matches!(bytes.get(at), Some(b'{' | b'[')) {
        return strings;
    }
    let mut depth = 0usize;
    while at < bytes.len() {
        match bytes[at] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            b'"' => {
                let start = at + 1;
                at = start;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                if let Some(raw) = text.get(start..at.min(bytes.len())) {
                    strings.entry(raw).or_insert(start - 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    strings
}

/// The rule for npm ranges: `1.2.3`, `=1.2.3`, `v1.2.3` are exact; `^`, `~`, partial
/// versions (`1`, `1.2`, `1.x`), hyphen ranges and anything with `<` are bounded; `>=`
/// alone is lower-bound; `*`, `latest`, `""` and other dist-tags are unpinned; `a || b`
/// is as loose as its loosest side. Local references (`file:`, `link:`, `workspace:`) are
/// exact (this snapshot fixes them); git references are hash-pinned with a commit, else
/// unpinned; a tarball URL is exact.
pub fn npm_pin(spec: &str) -> PinClass {
    let spec = spec.trim();
    if let Some(alias) = spec.strip_prefix("npm:") {
        return npm_pin(alias.rsplit_once('@').map_or("", |(_, range)| range));
    }
    if spec.contains("||") {
        return spec.split("||").map(npm_pin).max().unwrap_or(PinClass::Unpinned);
    }
    if ["file:", "link:", "workspace:", "portal:", "./", "../", "/"]
        .iter()
        .any(|p| spec.starts_with(p))
    {
        return PinClass::Exact;
    }
    if spec.contains(':') || (spec.contains('/') && !spec.starts_with(|c: char| c.is_ascii_digit())) {
        return git_pin(spec);
    }
    range_pin(spec)
}

fn git_pin(spec: &str) -> PinClass {
    match spec.rsplit_once('#') {
        Some((_, reference)) if is_commit_sha(reference) => PinClass::HashPinned,
        Some((_, reference)) if reference.starts_with("semver:") => PinClass::Bounded,
        None if spec.starts_with("http") && !spec.ends_with(".git") => PinClass::Exact,
        _ => PinClass::Unpinned,
    }
}

fn range_pin(spec: &str) -> PinClass {
    let tokens: Vec<&str> = spec.split_whitespace().collect();
    if tokens.contains(&"-") || tokens.iter().any(|t| t.starts_with('<')) {
        return PinClass::Bounded;
    }
    if tokens.iter().any(|t| t.starts_with('>')) {
        return PinClass::LowerBound;
    }
    let [token] = tokens.as_slice() else {
        return PinClass::Unpinned;
    };
    if token.starts_with(['^', '~']) {
        return PinClass::Bounded;
    }
    let version = token.trim_start_matches('=').trim_start_matches('v');
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return PinClass::Unpinned;
    }
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if parts.len() == 3 && numeric {
        PinClass::Exact
    } else {
        PinClass::Bounded
    }
}

// ---------------------------------------------------------------------------------------
// package-lock.json

/// The packages of a lockfile: v2 and v3's `packages`, else v1's `dependencies` (which v2
/// repeats after `packages`, for older npm, and is then skipped unread).
struct PackageLock {
    entries: FirstEntries<LockEntry, PACKAGES_PER_LOCKFILE>,
    v1: bool,
}

impl<'de> Deserialize<'de> for PackageLock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = PackageLock;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a package-lock.json object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PackageLock, A::Error> {
                let (mut packages, mut v1) = (None, None);
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match &*key {
                        "packages" if packages.is_none() => packages = Some(map.next_value()?),
                        "dependencies" if packages.is_none() && v1.is_none() => v1 = Some(map.next_value()?),
                        _ => map.next_value::<IgnoredAny>().map(|_| ())?,
                    }
                }
                Ok(match (packages, v1) {
                    (Some(entries), _) => PackageLock { entries, v1: false },
                    (None, Some(entries)) => PackageLock { entries, v1: true },
                    (None, None) => PackageLock {
                        entries: FirstEntries::default(),
                        v1: false,
                    },
                })
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[derive(Deserialize)]
struct LockEntry {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dependencies: Names,
    #[serde(default, rename = "optionalDependencies")]
    optional_dependencies: Names,
    /// npm 7 and later install peer dependencies, so they are edges of the tree too.
    #[serde(default, rename = "peerDependencies")]
    peer_dependencies: Names,
    /// v1: the dependencies of this package, as ranges.
    #[serde(default)]
    requires: Names,
}

impl LockEntry {
    fn names_left_out(&self) -> usize {
        [
            &self.dependencies,
            &self.optional_dependencies,
            &self.peer_dependencies,
            &self.requires,
        ]
        .iter()
        .map(|names| names.left_out)
        .sum()
    }
}

/// The first `CAP` entries of a JSON object, read as they stream past; the rest are
/// skipped unread and counted. A lockfile is never held as a map of all its packages
/// (200,000 small ones cost 190 MB that way, 20 times the file), nor a package as all its
/// dependency names.
struct FirstEntries<T, const CAP: usize> {
    entries: BTreeMap<String, T>,
    left_out: usize,
}

impl<T, const CAP: usize> Default for FirstEntries<T, CAP> {
    fn default() -> Self {
        FirstEntries {
            entries: BTreeMap::new(),
            left_out: 0,
        }
    }
}

impl<'de, T: Deserialize<'de>, const CAP: usize> Deserialize<'de> for FirstEntries<T, CAP> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T, const CAP: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const CAP: usize> Visitor<'de> for Visit<T, CAP> {
            type Value = FirstEntries<T, CAP>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut first, mut read) = (FirstEntries::default(), 0);
                while read < CAP {
                    let Some((key, value)) = map.next_entry::<String, T>()? else {
                        return Ok(first);
                    };
                    first.entries.insert(key, value);
                    read += 1;
                }
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    first.left_out += 1;
                }
                Ok(first)
            }
        }
        deserializer.deserialize_map(Visit(PhantomData))
    }
}

/// The names of an object of dependencies (`{"name": "range"}`; in v1, `{"name": {..}}`),
/// values skipped: the first [`DEPENDENCIES_PER_MANIFEST`], the rest counted.
type Names = FirstEntries<IgnoredAny, DEPENDENCIES_PER_MANIFEST>;

/// v2 and v3 list every installed package under `packages` keyed by its folder
/// (`node_modules/a/node_modules/b`); keys outside `node_modules` are the root (`""`) and
/// the workspace members. v1 nests `dependencies` instead.
pub fn package_lock(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let lock: PackageLock = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let mut draft = LockDraft::new(path, Ecosystem::Npm, "package-lock.json", Vec::new());
    let entries = &lock.entries.entries;
    draft.left_out = lock.entries.left_out;
    draft.names_left_out = entries.values().map(LockEntry::names_left_out).sum();
    if lock.v1 {
        nested_v1(entries, &mut draft.lockfile.packages);
    } else {
        installed_v2(entries, &mut draft);
    }
    draft.lockfile.packages.sort();
    draft.lockfile.packages.dedup();
    Ok(Parsed::Lockfile(draft))
}

fn installed_v2(packages: &BTreeMap<String, LockEntry>, draft: &mut LockDraft) {
    for (key, entry) in packages {
        // Named by install folder, as the manifest names it (an npm alias
        // `"x": "npm:real@1"` installs `real` under `node_modules/x`).
        match key.rfind("node_modules/") {
            Some(at) if entry.link => draft.member_names.push(key[at + 13..].to_string()),
            Some(at) => {
                if let Some(version) = &entry.version {
                    draft.installed.insert(key.clone(), version.clone());
                }
                let dependencies = resolve_in_tree(packages, key, entry);
                let package = locked(key[at + 13..].to_string(), entry, dependencies);
                draft.lockfile.packages.push(package);
            }
            None => {
                draft
                    .member_dirs
                    .push(if key.is_empty() { ".".into() } else { key.clone() });
                draft.member_names.extend(entry.name.clone());
            }
        }
    }
}

fn nested_v1(dependencies: &BTreeMap<String, LockEntry>, out: &mut Vec<LockedPackage>) {
    for (name, entry) in dependencies {
        let required = entry
            .requires
            .entries
            .keys()
            .chain(entry.optional_dependencies.entries.keys());
        out.push(locked(name.clone(), entry, required.cloned().collect()));
    }
}

/// What the package in folder `key` depends on, each resolved the way Node resolves it,
/// so that `name@version` names the one copy it gets when the tree holds several and a
/// graph never has to guess.
fn resolve_in_tree(packages: &BTreeMap<String, LockEntry>, key: &str, entry: &LockEntry) -> Vec<String> {
    let names = entry
        .dependencies
        .entries
        .keys()
        .chain(entry.optional_dependencies.entries.keys())
        .chain(entry.peer_dependencies.entries.keys());
    names.filter_map(|name| nearest(packages, key, name)).collect()
}

/// `name@version` of the copy Node loads for `name` from `folder`. A name no folder holds
/// (a peer the consumer did not install) is `None`; a link (a workspace member) stays a
/// bare name.
fn nearest(packages: &BTreeMap<String, LockEntry>, folder: &str, name: &str) -> Option<String> {
    let found = nearest_installed(packages, folder, name)?;
    Some(match (&found.version, found.link) {
        (Some(version), false) => format!("{name}@{version}"),
        _ => name.to_string(),
    })
}

/// What Node loads for `require(name)` from `folder`: the entry of the nearest
/// `node_modules/<name>` up the folder path (`a/node_modules/b/node_modules/<name>`,
/// then `a/node_modules/<name>`, then `node_modules/<name>`).
pub fn nearest_installed<'a, T>(installed: &'a BTreeMap<String, T>, mut folder: &str, name: &str) -> Option<&'a T> {
    loop {
        let candidate = match folder {
            "" => format!("node_modules/{name}"),
            _ => format!("{folder}/node_modules/{name}"),
        };
        if let Some(found) = installed.get(&candidate) {
            return Some(found);
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rfind("/node_modules/").map_or("", |at| &folder[..at]);
    }
}

fn locked(name: String, entry: &LockEntry, mut dependencies: Vec<String>) -> LockedPackage {
    dependencies.sort();
    dependencies.dedup();
    LockedPackage {
        registry_name: entry.name.clone().filter(|real| *real != name),
        name,
        version: entry.version.clone().unwrap_or_default(),
        source: entry.resolved.clone(),
        hashed: entry.integrity.is_some(),
        dependencies,
    }
}

// ---------------------------------------------------------------------------------------
// yarn.lock

/// Classic (`"a@^1", a@^2:` / `  version "1.2.3"`) and berry (YAML: `"a@npm:^1":` /
/// `  version: 1.2.3`) share one layout: an unindented header listing the ranges it
/// resolves, indented fields, and a `dependencies:` block one level deeper. Read line by
/// line, which handles both (classic is not YAML). `name@workspace:dir` entries (berry)
/// are the workspace members; `__metadata` is skipped.
pub fn yarn_lock(path: &str, text: &str) -> Parsed {
    let berry = text.contains("__metadata:");
    let format = if berry {
        "yarn.lock (berry)"
    } else {
        "yarn.lock (classic)"
    };
    let mut draft = LockDraft::new(path, Ecosystem::Npm, format, Vec::new());
    let mut current: Option<LockedPackage> = None;
    let mut in_dependencies = false;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent == 0 {
            draft.lockfile.packages.extend(current.take());
            current = yarn_header(trimmed, &mut draft);
            in_dependencies = false;
        } else if let Some(package) = current.as_mut() {
            in_dependencies = yarn_field(package, indent, trimmed, in_dependencies);
        }
    }
    draft.lockfile.packages.extend(current);
    draft.lockfile.packages.sort();
    draft.lockfile.packages.dedup();
    Parsed::Lockfile(draft)
}

fn yarn_header(header: &str, draft: &mut LockDraft) -> Option<LockedPackage> {
    let header = header.strip_suffix(':')?;
    if header.trim_matches('"') == "__metadata" {
        return None;
    }
    let first = header.split(", ").next()?.trim().trim_matches('"');
    let at = first.get(1..)?.find('@')? + 1;
    let (name, range) = (&first[..at], &first[at + 1..]);
    if let Some(dir) = range.strip_prefix("workspace:") {
        draft.member_dirs.push(dir.to_string());
        draft.member_names.push(name.to_string());
        return None;
    }
    Some(LockedPackage {
        registry_name: npm_alias(range).filter(|real| real != name),
        name: name.to_string(),
        version: String::new(),
        source: None,
        hashed: false,
        dependencies: Vec::new(),
    })
}

/// The package an npm alias range installs: `npm:string-width@^4.2.0` → `string-width`,
/// `npm:@babel/traverse@^7` → `@babel/traverse`. Berry writes every registry range as
/// `npm:^1.2`, which names no other package.
fn npm_alias(range: &str) -> Option<String> {
    let target = range.strip_prefix("npm:")?;
    let at = target.get(1..)?.find('@')? + 1;
    Some(target[..at].to_string())
}

/// One indented line; returns whether the next lines are inside a dependencies block.
fn yarn_field(package: &mut LockedPackage, indent: usize, trimmed: &str, in_dependencies: bool) -> bool {
    if indent > 2 {
        if in_dependencies {
            let name = trimmed.split([' ', ':']).next().unwrap_or("").trim_matches('"');
            if !name.is_empty() {
                package.dependencies.push(name.to_string());
                package.dependencies.sort();
                package.dependencies.dedup();
            }
        }
        return in_dependencies;
    }
    let (key, value) = trimmed.split_once([' ', ':']).unwrap_or((trimmed, ""));
    let value = value.trim_start_matches(':').trim().trim_matches('"').to_string();
    match key {
        "version" => package.version = value,
        "resolved" | "resolution" => package.source = Some(value),
        "integrity" | "checksum" => package.hashed = true,
        _ => {}
    }
    matches!(key, "dependencies" | "optionalDependencies")
}

// ---------------------------------------------------------------------------------------
// pnpm-lock.yaml

/// `packages:` keys name each resolved package: `/a/1.2.3` (v5), `/a@1.2.3` (v6),
/// `a@1.2.3` (v9), with peer suffixes in parentheses or after `_`. `importers:` keys are
/// the workspace members' folders.
///
/// Read from saphyr's event stream in one pass, never as a tree: a YAML tree costs some
/// 35 bytes a byte of a lockfile of small packages (367 MB for 10 MB), the events a few
/// strings at a time. Only the first document is read; pnpm writes one.
pub fn pnpm_lock(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let mut draft = LockDraft::new(path, Ecosystem::Npm, "pnpm-lock.yaml", Vec::new());
    let mut importers_mapping = false;
    let mut package: Option<LockedPackage> = None;
    for_each_key(text, |visit| match visit {
        KeyVisit::Mapping(["importers"]) => importers_mapping = true,
        KeyVisit::Key(["importers"], dir) => draft.member_dirs.push(dir.to_string()),
        KeyVisit::Key(["packages"], key) => {
            if let Some(done) = package.take() {
                draft.push(done);
            }
            package = pnpm_key(key).map(|(name, version)| LockedPackage {
                registry_name: None,
                name,
                version,
                source: None,
                hashed: false,
                dependencies: Vec::new(),
            });
        }
        KeyVisit::Key(["packages", _, "resolution"], "integrity") => {
            if let Some(package) = package.as_mut() {
                package.hashed = true;
            }
        }
        KeyVisit::Key(["packages", _, "dependencies" | "optionalDependencies"], name) => {
            if let Some(package) = package.as_mut() {
                package.dependencies.push(name.to_string());
            }
        }
        _ => {}
    })?;
    if let Some(done) = package.take() {
        draft.push(done);
    }
    if !importers_mapping {
        draft.member_dirs.push(".".into());
    }
    for package in &mut draft.lockfile.packages {
        package.dependencies.sort();
        package.dependencies.dedup();
    }
    draft.lockfile.packages.sort();
    draft.lockfile.packages.dedup();
    Ok(Parsed::Lockfile(draft))
}

/// What [`for_each_key`] reports, with the keys of the mappings above it (a sequence
/// between them shows as `-`).
enum KeyVisit<'k, 'p> {
    /// A mapping key.
    Key(&'p [&'k str], &'k str),
    /// A mapping opened as the value of the last key of the path.
    Mapping(&'p [&'k str]),
}

/// One open collection of the first document.
struct Open<'t> {
    mapping: bool,
    /// What the collection is to its parent mapping: a value, or a (complex) key.
    role: Next,
    /// What a mapping reads next.
    next: Next,
    /// A mapping's key, once read and until its value ends.
    key: Option<Cow<'t, str>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Key,
    Value,
}

/// Calls `visit` for every mapping key (and every mapping opened as a value) of the first
/// document, in order. Memory is the depth of the document, not its size. Aliases are
/// refused: pnpm never writes them, and nothing here would expand one.
fn for_each_key<'t>(text: &'t str, mut visit: impl FnMut(KeyVisit<'_, '_>)) -> Result<(), ParseError> {
    let mut open: Vec<Open<'t>> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| ParseError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        match event {
            Event::Alias(_) => {
                return Err(ParseError {
                    line: span.start.line(),
                    column: span.start.col() + 1,
                    message: "YAML alias in a pnpm lockfile (pnpm never writes them)".into(),
                })
            }
            Event::Scalar(value, ..) => {
                let Some(top) = open.last_mut().filter(|top| top.mapping) else {
                    continue;
                };
                match top.next {
                    Next::Key => {
                        let path: Vec<&str> = keys(&open[..open.len() - 1]).collect();
                        visit(KeyVisit::Key(&path, &value));
                        let top = open.last_mut().expect("the mapping the key was read in");
                        (top.key, top.next) = (Some(value), Next::Value);
                    }
                    Next::Value => (top.key, top.next) = (None, Next::Key),
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                let role = match open.last() {
                    Some(parent) if parent.mapping => parent.next,
                    _ => Next::Value,
                };
                if mapping && role == Next::Value {
                    let path: Vec<&str> = keys(&open).collect();
                    visit(KeyVisit::Mapping(&path));
                }
                open.push(Open {
                    mapping,
                    role,
                    next: Next::Key,
                    key: None,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(closed) = open.pop() else { continue };
                if let Some(parent) = open.last_mut().filter(|parent| parent.mapping) {
                    (parent.key, parent.next) = match closed.role {
                        // A complex key: its value follows, under no key of ours.
                        Next::Key => (None, Next::Value),
                        Next::Value => (None, Next::Key),
                    };
                }
            }
            Event::DocumentEnd => break,
            _ => {}
        }
    }
    Ok(())
}

/// The keys the given collections are under, outermost first; `-` for an item of a
/// sequence or the value of a complex key.
fn keys<'o>(open: &'o [Open<'_>]) -> impl Iterator<Item = &'o str> {
    open.iter().map(|o| o.key.as_deref().unwrap_or("-"))
}

fn pnpm_key(key: &str) -> Option<(String, String)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    let slashes_allowed = usize::from(key.starts_with('@'));
    let at_form = key
        .get(1..)
        .and_then(|rest| rest.find('@'))
        .map(|at| (&key[..at + 1], &key[at + 2..]))
        .filter(|(name, _)| name.matches('/').count() == slashes_allowed);
    let (name, version) = match at_form {
        Some(found) => found,
        None => {
            let (name, version) = key.rsplit_once('/')?;
            (name, version.split('_').next().unwrap_or(version))
        }
    };
    Some((name.to_string(), version.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lockfile(text: &str) -> LockDraft {
        match package_lock("package-lock.json", text) {
            Ok(Parsed::Lockfile(draft)) => draft,
            _ => panic!("a lockfile"),
        }
    }

    #[test]
    fn package_lock_keeps_the_first_packages_and_counts_the_rest() {
        let packages: Vec<String> = (0..PACKAGES_PER_LOCKFILE + 3)
            .map(|i| format!(r#""node_modules/p{i:05}":{{"version":"1.0.0","dependencies":{{"p00000":"1"}}}}"#))
            .collect();
        let text = format!(
            r#"{{"lockfileVersion":3,"packages":{{"":{{"name":"root"}},{}}}}}"#,
            packages.join(",")
        );
        let mut draft = lockfile(&text);
        let notes = draft.cap();
        let packages = &draft.lockfile.packages;
        // The root entry is one of the entries read, so one package fewer is kept.
        assert_eq!(packages.len(), PACKAGES_PER_LOCKFILE - 1);
        assert_eq!(packages.last().map(|p| p.name.as_str()), Some("p19998"));
        assert_eq!(packages[1].dependencies, ["p00000@1.0.0"]);
        let details: Vec<_> = notes.iter().filter_map(|n| n.detail.as_deref()).collect();
        assert_eq!(
            details,
            ["and 4 more packages, not kept: plumb keeps at most 20,000 per lockfile"]
        );
    }

    #[test]
    fn package_lock_keeps_the_first_dependency_names_of_a_package() {
        let names: Vec<String> = (0..DEPENDENCIES_PER_MANIFEST + 2)
            .map(|i| format!(r#""d{i}":"1""#))
            .collect();
        let text = format!(
            r#"{{"packages":{{"node_modules/d0":{{"version":"2.0.0"}},"node_modules/a":{{"version":"1.0.0","dependencies":{{{}}}}}}}}}"#,
            names.join(",")
        );
        let mut draft = lockfile(&text);
        let details: Vec<_> = draft.cap().into_iter().filter_map(|n| n.detail).collect();
        assert_eq!(
            details,
            ["and 2 more dependency names, not kept: plumb keeps at most 5,000 per package"]
        );
        let a = draft.lockfile.packages.iter().find(|p| p.name == "a").expect("a");
        assert_eq!(a.dependencies, ["d0@2.0.0"]);
    }

    #[test]
    fn package_lock_v2_reads_packages_and_skips_the_v1_copy() {
        let v2 = r#"{"lockfileVersion":2,
            "packages":{"":{"name":"root"},"node_modules/a":{"version":"1.0.0","integrity":"sha512-x"}},
            "dependencies":{"b":{"version":"9.9.9"}}}"#;
        let names: Vec<_> = lockfile(v2).lockfile.packages.iter().map(|p| p.name.clone()).collect();
        assert_eq!(names, ["a"]);
        let v1 = r#"{"lockfileVersion":1,"dependencies":{"b":{"version":"9.9.9","requires":{"c":"^1"},
            "dependencies":{"c":{"version":"1.0.0"}}}}}"#;
        let v1 = lockfile(v1);
        assert_eq!(v1.lockfile.packages.len(), 1);
        assert_eq!(v1.lockfile.packages[0].dependencies, ["c"]);
        assert!(package_lock("package-lock.json", r#"{"packages":[]}"#).is_err());
    }

    #[test]
    fn npm_pins() {
        for (spec, pin) in [
            ("^1.2.3", PinClass::Bounded),
            ("~1.2", PinClass::Bounded),
            ("1.2.3", PinClass::Exact),
            ("=v1.2.3", PinClass::Exact),
            ("1.2", PinClass::Bounded),
            (">=1.0.0", PinClass::LowerBound),
            (">=1 <2", PinClass::Bounded),
            ("1.0.0 - 2.0.0", PinClass::Bounded),
            ("*", PinClass::Unpinned),
            ("latest", PinClass::Unpinned),
            ("", PinClass::Unpinned),
            ("^1 || latest", PinClass::Unpinned),
            ("workspace:*", PinClass::Exact),
            ("npm:other@1.0.0", PinClass::Exact),
            (
                "github:a/b#0123456789abcdef0123456789abcdef01234567",
                PinClass::HashPinned,
            ),
            ("a/b", PinClass::Unpinned),
        ] {
            assert_eq!(npm_pin(spec), pin, "{spec}");
        }
    }

    #[test]
    fn yarn_aliases_name_the_installed_package() {
        assert_eq!(npm_alias("npm:string-width@^4.2.0").as_deref(), Some("string-width"));
        assert_eq!(
            npm_alias("npm:@babel/traverse@^7.25.3").as_deref(),
            Some("@babel/traverse")
        );
        assert_eq!(npm_alias("npm:^4.17.0"), None, "berry's plain registry range");
        assert_eq!(npm_alias("^4.17.0"), None);
        let lock =
            "\"wrap-ansi-cjs@npm:wrap-ansi@^7.0.0\":\n  version \"7.0.0\"\n\nwrap-ansi@^7.0.0:\n  version \"7.0.0\"\n";
        let Parsed::Lockfile(draft) = yarn_lock("yarn.lock", lock) else {
            panic!("a lockfile");
        };
        let names: Vec<(&str, Option<&str>)> = draft
            .lockfile
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.registry_name.as_deref()))
            .collect();
        assert_eq!(names, [("wrap-ansi", None), ("wrap-ansi-cjs", Some("wrap-ansi"))]);
    }

    /// The event reader finds what a tree would: members, packages, integrity, dependency
    /// names; whatever sits between (sequences, flow mappings, a complex key, a second
    /// document) neither hides a key nor makes one up.
    #[test]
    fn pnpm_lock_is_read_from_events_as_from_a_tree() {
        let text = "lockfileVersion: '9.0'\nsettings: {autoInstallPeers: true}\nimporters:\n  .: {}\n  packages/ui:\n    dependencies:\n      left-pad: {specifier: ^1, version: 1.3.0}\n? [complex, key]\n: {packages: {fake@9.9.9: {}}}\nlist:\n  - packages: {also-fake@1.0.0: {}}\npackages:\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-a}\n    engines: [node >= 8]\n  '@s/b@2.0.0(react@18.0.0)':\n    resolution: {tarball: https://example.invalid/b.tgz}\n    dependencies:\n      left-pad: 1.3.0\n    optionalDependencies: {fsevents: 2.3.3, left-pad: 1.3.0}\n---\npackages:\n  second-doc@1.0.0: {}\n";
        let Ok(Parsed::Lockfile(draft)) = pnpm_lock("pnpm-lock.yaml", text) else {
            panic!("parses");
        };
        assert_eq!(draft.member_dirs, [".", "packages/ui"]);
        let packages: Vec<(&str, &str, bool, Vec<&str>)> = draft
            .lockfile
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.hashed,
                    p.dependencies.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            packages,
            [
                ("@s/b", "2.0.0", false, vec!["fsevents", "left-pad"]),
                ("left-pad", "1.3.0", true, vec![]),
            ]
        );
        let Ok(Parsed::Lockfile(draft)) = pnpm_lock("pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages: {}\n") else {
            panic!("parses");
        };
        assert_eq!(draft.member_dirs, ["."], "no importers: the lockfile's own folder");
    }

    #[test]
    fn pnpm_keys() {
        assert_eq!(pnpm_key("/a/1.2.3"), Some(("a".into(), "1.2.3".into())));
        assert_eq!(
            pnpm_key("/@s/a@1.2.3(react@18.0.0)"),
            Some(("@s/a".into(), "1.2.3".into()))
        );
        assert_eq!(pnpm_key("@s/a@1.2.3"), Some(("@s/a".into(), "1.2.3".into())));
        assert_eq!(pnpm_key("/@s/a/1.2.3_react@18"), Some(("@s/a".into(), "1.2.3".into())));
    }
}
