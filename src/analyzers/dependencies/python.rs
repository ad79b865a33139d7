//! Python: `requirements*.txt` and `requirements*.in`, `pyproject.toml` (PEP 621, dependency groups,
//! `[build-system]`, Poetry, uv), `setup.cfg`, `Pipfile`; lockfiles `uv.lock`,
//! `poetry.lock`, `pdm.lock`, `Pipfile.lock`. Requirement strings go through
//! [`super::requirement`]; pin classes follow its rule.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{DependencyScope, Ecosystem, LockedPackage, PinClass};

use super::requirement;
use super::{table_entry, toml_lock, Declaration, Declared, LockDraft, ParseError, Parsed};

/// The four Python lockfile formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockFormat {
    Uv,
    Poetry,
    Pdm,
    Pipfile,
}

impl LockFormat {
    pub fn name(self) -> &'static str {
        match self {
            LockFormat::Uv => "uv.lock",
            LockFormat::Poetry => "poetry.lock",
            LockFormat::Pdm => "pdm.lock",
            LockFormat::Pipfile => "Pipfile.lock",
        }
    }
}

/// PEP 503: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// requirements.txt

/// A requirements file, line by line as pip reads it: `\` continues a line, ` #` starts a
/// comment, `-r`/`-c` include another file (resolved in `finish`), other pip options are
/// legal and carry no dependency, `--hash=` makes the line's pin hash-pinned. `-e`, local
/// paths and URLs without a name become an `unknown-syntax` note, as do lines the PEP 508
/// parser rejects; a URL with `#egg=name` is a dependency on that URL.
///
/// The output of `pip-compile` or `uv pip compile` is a lockfile instead (see
/// [`super::compiled`]).
pub fn requirements(path: &str, text: &str) -> Parsed {
    if let Some(lock) = super::compiled::lockfile(path, text) {
        return Parsed::Lockfile(lock);
    }
    let mut declared = Declared::new(path, text);
    for_each_logical_line(text, |line, content| {
        if let Some(target) = include_target(content) {
            declared.include(line, target);
        } else if let Some(target) = editable_target(content) {
            url_requirement(&mut declared, line, target);
        } else if !content.starts_with('-') {
            requirement_line(&mut declared, line, content);
        }
    });
    Parsed::Manifest(declared.into_manifest(Ecosystem::Pypi, "requirements.txt", text))
}

/// Calls `each` with every line, continuations joined and comments removed, and its first
/// line number; one line at a time, so that memory does not grow with the file.
pub(super) fn for_each_logical_line(text: &str, mut each: impl FnMut(usize, &str)) {
    let mut joined = String::new();
    let mut start = None;
    for (index, raw) in text.lines().enumerate() {
        let content = strip_comment(raw);
        let first = *start.get_or_insert(index + 1);
        match content.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head);
                joined.push(' ');
            }
            None => {
                joined.push_str(content);
                let trimmed = joined.trim();
                if !trimmed.is_empty() {
                    each(first, trimmed);
                }
                joined.clear();
                start = None;
            }
        }
    }
    if let Some(first) = start {
        let trimmed = joined.trim();
        if !trimmed.is_empty() {
            each(first, trimmed);
        }
    }
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => &line[..at],
        None => line,
    }
    .trim_end()
}

/// `-r file`, `-rfile`, `--requirement=file`, `-c file`, `--constraint file`.
fn include_target(line: &str) -> Option<&str> {
    option_value(line, &["--requirement", "--constraint", "-r", "-c"])
}

fn editable_target(line: &str) -> Option<&str> {
    option_value(line, &["--editable", "-e"])
}

fn option_value<'a>(line: &'a str, options: &[&str]) -> Option<&'a str> {
    options.iter().find_map(|option| {
        let rest = line.strip_prefix(option)?;
        let long = option.starts_with("--");
        let value = match rest.strip_prefix('=') {
            Some(value) => value,
            None if long && !rest.starts_with(char::is_whitespace) => return None,
            None => rest,
        };
        let value = value.trim();
        (!value.is_empty()).then_some(value)
    })
}

fn requirement_line(declared: &mut Declared<'_>, line: usize, content: &str) {
    let hashed = content.contains("--hash");
    let requirement = content.split(" --").next().unwrap_or(content).trim();
    if looks_like_location(requirement) {
        url_requirement(declared, line, requirement);
        return;
    }
    match requirement::parse(requirement, hashed) {
        Ok(parsed) => declared.add(
            line,
            Declaration {
                name: parsed.name,
                specifier: parsed.specifier,
                scope: DependencyScope::Runtime,
                group: None,
                pin: parsed.pin,
            },
        ),
        Err(message) => declared.note_unreadable(line, requirement, &message),
    }
}

/// A path or URL rather than a requirement: `.`, `./pkg`, `/abs`, `https://...whl`.
fn looks_like_location(text: &str) -> bool {
    text.starts_with('.') || text.starts_with('/') || text.contains("://") && !text.contains(" @ ")
}

/// `-e`/URL lines: a dependency when the URL names its package (`#egg=name`), else a note.
fn url_requirement(declared: &mut Declared<'_>, line: usize, target: &str) {
    let egg = target
        .split_once("#egg=")
        .map(|(_, rest)| rest.split(['&', '[']).next().unwrap_or(rest))
        .filter(|name| !name.is_empty());
    match egg {
        Some(name) => declared.add(
            line,
            Declaration {
                name: normalize(name),
                specifier: target.to_string(),
                scope: DependencyScope::Runtime,
                group: None,
                pin: requirement::url_pin(target),
            },
        ),
        None => declared.note_unreadable(line, target, "a local path or a URL without a package name"),
    }
}

// ---------------------------------------------------------------------------------------
// pyproject.toml

type Strings = Vec<Spanned<String>>;
type Table = BTreeMap<String, Spanned<toml::Value>>;

#[derive(Deserialize)]
struct Pyproject {
    project: Option<Project>,
    #[serde(rename = "build-system")]
    build_system: Option<BuildSystem>,
    #[serde(rename = "dependency-groups")]
    dependency_groups: Option<BTreeMap<String, Vec<Spanned<toml::Value>>>>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Project {
    name: Option<String>,
    version: Option<String>,
    dependencies: Option<Strings>,
    #[serde(rename = "optional-dependencies")]
    optional_dependencies: Option<BTreeMap<String, Strings>>,
}

#[derive(Deserialize)]
struct BuildSystem {
    requires: Option<Strings>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Poetry>,
    uv: Option<Uv>,
}

#[derive(Deserialize)]
struct Poetry {
    name: Option<String>,
    version: Option<String>,
    dependencies: Option<Table>,
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<Table>,
    group: Option<BTreeMap<String, PoetryGroup>>,
}

#[derive(Deserialize)]
struct PoetryGroup {
    dependencies: Option<Table>,
}

#[derive(Deserialize)]
struct Uv {
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<Strings>,
}

/// A `pyproject.toml` that declares no project, build system, dependency group or Poetry
/// package (tool settings only) is not a manifest.
pub fn pyproject(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let parsed: Pyproject = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let mut reader = PythonDeclared {
        declared: Declared::new(path, text),
    };
    let mut formats = Vec::new();
    let (mut package, mut version) = (None, None);
    if let Some(project) = parsed.project {
        formats.push("PEP 621");
        package = project.name.as_deref().map(normalize);
        version = project.version;
        reader.strings(project.dependencies.iter().flatten(), DependencyScope::Runtime, None);
        for (extra, list) in project.optional_dependencies.iter().flatten() {
            reader.strings(list, DependencyScope::Optional, Some(extra));
        }
    }
    if let Some(build) = parsed.build_system {
        reader.strings(build.requires.iter().flatten(), DependencyScope::Build, None);
    }
    for (group, entries) in parsed.dependency_groups.iter().flatten() {
        formats.push("dependency groups");
        let strings: Vec<Spanned<String>> = entries.iter().filter_map(spanned_string).collect();
        reader.strings(&strings, DependencyScope::Dev, Some(group));
    }
    let tool = parsed.tool.unwrap_or(Tool { poetry: None, uv: None });
    if let Some(uv) = tool.uv {
        reader.strings(uv.dev_dependencies.iter().flatten(), DependencyScope::Dev, Some("dev"));
    }
    if let Some(poetry) = tool.poetry {
        formats.push("Poetry");
        package = package.or(poetry.name.as_deref().map(normalize));
        version = version.or(poetry.version.clone());
        reader.poetry(poetry);
    }
    if formats.is_empty() && reader.declared.dependencies.is_empty() {
        return Ok(Parsed::Nothing);
    }
    formats.dedup();
    let format = match formats.is_empty() {
        true => "pyproject.toml".to_string(),
        false => format!("pyproject.toml ({})", formats.join(", ")),
    };
    let mut draft = reader.declared.into_manifest(Ecosystem::Pypi, &format, text);
    draft.manifest.package = package;
    draft.manifest.version = version;
    Ok(Parsed::Manifest(draft))
}

/// `{ include-group = "x" }` entries of a dependency group are references, not dependencies.
fn spanned_string(value: &Spanned<toml::Value>) -> Option<Spanned<String>> {
    let text = value.get_ref().as_str()?;
    Some(Spanned::new(value.span(), text.to_string()))
}

/// Declarations of one Python manifest.
struct PythonDeclared<'a> {
    declared: Declared<'a>,
}

impl PythonDeclared<'_> {
    fn strings<'s>(
        &mut self,
        list: impl IntoIterator<Item = &'s Spanned<String>>,
        scope: DependencyScope,
        group: Option<&str>,
    ) {
        for item in list {
            self.requirement(item.span().start, item.get_ref(), scope, group);
        }
    }

    /// The requirement `raw`, written at byte `offset` of the manifest.
    fn requirement(&mut self, offset: usize, raw: &str, scope: DependencyScope, group: Option<&str>) {
        let line = self.declared.line_of(offset);
        match requirement::parse(raw, false) {
            Ok(parsed) => self.declared.add_near(
                offset,
                Declaration {
                    name: parsed.name,
                    specifier: parsed.specifier,
                    scope,
                    group: group.map(str::to_string),
                    pin: parsed.pin,
                },
            ),
            Err(message) => self.declared.note_unreadable(line, raw, &message),
        }
    }

    fn poetry(&mut self, poetry: Poetry) {
        self.poetry_table(poetry.dependencies.as_ref(), DependencyScope::Runtime, None);
        self.poetry_table(poetry.dev_dependencies.as_ref(), DependencyScope::Dev, Some("dev"));
        for (name, group) in poetry.group.iter().flatten() {
            self.poetry_table(group.dependencies.as_ref(), DependencyScope::Dev, Some(name));
        }
    }

    /// Poetry and Pipfile tables: `name = "spec"` or `name = { version = ..., git = ...,
    /// optional = true }`. The `python` entry is the interpreter, not a dependency.
    fn poetry_table(&mut self, table: Option<&Table>, scope: DependencyScope, group: Option<&str>) {
        for (name, value) in table.into_iter().flatten() {
            if name == "python" {
                continue;
            }
            let (specifier, pin, optional) = table_entry(value.get_ref(), poetry_pin);
            let scope = if optional { DependencyScope::Optional } else { scope };
            self.declared.add_near(
                value.span().start,
                Declaration {
                    name: normalize(name),
                    specifier,
                    scope,
                    group: group.map(str::to_string),
                    pin,
                },
            );
        }
    }
}

/// The rule for Poetry: `^1.2` and `~1.2` are bounded (caret and tilde ranges), a bare
/// version `1.2.3` is exact (Poetry reads it as `==`), `*` or nothing is unpinned, and
/// anything else is a PEP 440 specifier classified by the Python rule.
fn poetry_pin(spec: &str) -> PinClass {
    let spec = spec.trim();
    if (spec.starts_with('^') || spec.starts_with('~')) && !spec.starts_with("~=") {
        PinClass::Bounded
    } else if spec.starts_with(|c: char| c.is_ascii_digit()) {
        match spec.contains('*') {
            true => PinClass::Bounded,
            false => PinClass::Exact,
        }
    } else {
        requirement::specifier_pin(spec).unwrap_or(PinClass::Unpinned)
    }
}

/// Pipfile specifiers are PEP 440 (`"==1.0"`, `">=2"`) or `"*"`.
fn pipfile_pin(spec: &str) -> PinClass {
    requirement::specifier_pin(spec).unwrap_or(PinClass::Unpinned)
}

// ---------------------------------------------------------------------------------------
// Pipfile, setup.cfg

#[derive(Deserialize)]
struct Pipfile {
    packages: Option<Table>,
    #[serde(rename = "dev-packages")]
    dev_packages: Option<Table>,
}

pub fn pipfile(path: &str, text: &str) -> Result<Parsed, ParseError> {
    let parsed: Pipfile = toml::from_str(text).map_err(|e| ParseError::toml(text, &e))?;
    let mut declared = Declared::new(path, text);
    for (table, scope) in [
        (&parsed.packages, DependencyScope::Runtime),
        (&parsed.dev_packages, DependencyScope::Dev),
    ] {
        for (name, value) in table.iter().flatten() {
            let (specifier, pin, _) = table_entry(value.get_ref(), pipfile_pin);
            declared.add_near(
                value.span().start,
                Declaration {
                    name: normalize(name),
                    specifier,
                    scope,
                    group: None,
                    pin,
                },
            );
        }
    }
    Ok(Parsed::Manifest(declared.into_manifest(
        Ecosystem::Pypi,
        "Pipfile",
        text,
    )))
}

/// `setup.cfg`: `[options] install_requires` (runtime), `setup_requires` (build),
/// `tests_require` (dev) and `[options.extras_require]` (optional, one group per key), each
/// a list of one requirement per line. A `setup.cfg` without them is not a manifest.
pub fn setup_cfg(path: &str, text: &str) -> Parsed {
    let mut reader = PythonDeclared {
        declared: Declared::new(path, text),
    };
    let mut section = String::new();
    let mut current: Option<(DependencyScope, Option<String>)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            current = None;
        } else if !line.starts_with(char::is_whitespace) && trimmed.contains('=') {
            let (key, value) = trimmed.split_once('=').unwrap_or((trimmed, ""));
            current = setup_cfg_key(&section, key.trim());
            if let (Some((scope, group)), false) = (&current, value.trim().is_empty()) {
                let group = group.clone();
                reader.setup_cfg_value(index + 1, value, *scope, group.as_deref());
            }
        } else if let (Some((scope, group)), false) = (&current, trimmed.is_empty()) {
            let group = group.clone();
            reader.setup_cfg_value(index + 1, trimmed, *scope, group.as_deref());
        }
    }
    if reader.declared.dependencies.is_empty() && !reader.declared.has_notes() {
        return Parsed::Nothing;
    }
    Parsed::Manifest(reader.declared.into_manifest(Ecosystem::Pypi, "setup.cfg", text))
}

fn setup_cfg_key(section: &str, key: &str) -> Option<(DependencyScope, Option<String>)> {
    match (section, key) {
        ("options", "install_requires") => Some((DependencyScope::Runtime, None)),
        ("options", "setup_requires") => Some((DependencyScope::Build, None)),
        ("options", "tests_require") => Some((DependencyScope::Dev, None)),
        ("options.extras_require", extra) => Some((DependencyScope::Optional, Some(extra.to_string()))),
        _ => None,
    }
}

impl PythonDeclared<'_> {
    /// One value line, one requirement (a `;` starts its markers); `file:` directives
    /// point at another file, which is not followed.
    fn setup_cfg_value(&mut self, line: usize, value: &str, scope: DependencyScope, group: Option<&str>) {
        let value = value.trim();
        if value.is_empty() || value.starts_with("file:") {
            return;
        }
        let offset = self.declared.line_start(line);
        self.requirement(offset, value, scope, group);
    }
}

// ---------------------------------------------------------------------------------------
// lockfiles

#[derive(Deserialize)]
struct TomlLockPackage {
    name: String,
    version: Option<String>,
    source: Option<toml::Value>,
    sdist: Option<toml::Table>,
    #[serde(default)]
    wheels: Vec<toml::Table>,
    #[serde(default)]
    files: Vec<toml::Table>,
    dependencies: Option<toml::Value>,
}

pub fn lockfile(format: LockFormat, path: &str, text: &str) -> Result<Parsed, ParseError> {
    if format == LockFormat::Pipfile {
        return pipfile_lock(path, text);
    }
    let mut draft = LockDraft::new(path, Ecosystem::Pypi, format.name(), Vec::new());
    toml_lock::each_package(text, |package: TomlLockPackage| {
        let name = normalize(&package.name);
        if let Some(member) = uv_member(package.source.as_ref()) {
            draft.member_dirs.push(member);
            draft.member_names.push(name.clone());
        }
        let hashed = package.sdist.as_ref().is_some_and(|s| s.contains_key("hash"))
            || package
                .wheels
                .iter()
                .chain(&package.files)
                .any(|w| w.contains_key("hash"));
        draft.push(LockedPackage {
            registry_name: None,
            name,
            version: package.version.unwrap_or_default(),
            source: package.source.as_ref().map(source_text),
            hashed,
            dependencies: dependency_names(package.dependencies.as_ref()),
        });
    })?;
    draft.lockfile.packages.sort();
    Ok(Parsed::Lockfile(draft))
}

/// uv marks workspace members `source = { editable = "dir" }` or `{ virtual = "dir" }`.
fn uv_member(source: Option<&toml::Value>) -> Option<String> {
    let table = source?.as_table()?;
    let dir = table.get("editable").or(table.get("virtual"))?.as_str()?;
    Some(dir.trim_start_matches("./").to_string())
}

/// `{ registry = "https://pypi.org/simple" }` → `registry+https://pypi.org/simple`.
fn source_text(source: &toml::Value) -> String {
    match source.as_table() {
        Some(table) => table
            .iter()
            .map(|(key, value)| format!("{key}+{}", value.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(" "),
        None => source.to_string(),
    }
}

/// uv: `[{ name = "x" }]`; Poetry: `{ x = ">=1" }`; pdm: `["x>=1"]`.
fn dependency_names(value: Option<&toml::Value>) -> Vec<String> {
    let mut names: Vec<String> = match value {
        Some(toml::Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                toml::Value::String(raw) => requirement::parse(raw, false).ok().map(|r| r.name),
                toml::Value::Table(table) => table.get("name").and_then(toml::Value::as_str).map(normalize),
                _ => None,
            })
            .collect(),
        Some(toml::Value::Table(table)) => table.keys().map(|k| normalize(k)).collect(),
        _ => Vec::new(),
    };
    names.sort();
    names.dedup();
    names
}

#[derive(Deserialize)]
struct PipfileLockEntry {
    version: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
    git: Option<String>,
}

fn pipfile_lock(path: &str, text: &str) -> Result<Parsed, ParseError> {
    #[derive(Deserialize)]
    struct PipfileLock {
        #[serde(default)]
        default: BTreeMap<String, PipfileLockEntry>,
        #[serde(default)]
        develop: BTreeMap<String, PipfileLockEntry>,
    }
    let lock: PipfileLock = serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    let mut packages: Vec<LockedPackage> = lock
        .default
        .iter()
        .chain(&lock.develop)
        .map(|(name, entry)| LockedPackage {
            registry_name: None,
            name: normalize(name),
            version: entry
                .version
                .as_deref()
                .unwrap_or("")
                .trim_start_matches("==")
                .to_string(),
            source: entry.git.clone(),
            hashed: !entry.hashes.is_empty(),
            dependencies: Vec::new(),
        })
        .collect();
    packages.sort();
    packages.dedup();
    Ok(Parsed::Lockfile(LockDraft::new(
        path,
        Ecosystem::Pypi,
        LockFormat::Pipfile.name(),
        packages,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(parsed: Parsed) -> super::super::ManifestDraft {
        match parsed {
            Parsed::Manifest(draft) => draft,
            _ => panic!("not a manifest"),
        }
    }

    #[test]
    fn requirements_lines() {
        let text = "# c\nnumpy==1.0 \\\n    --hash=sha256:ab\n-r base.txt\n--index-url https://x\n-e .\ntorch>=2 # why\nfoo @ git+https://x/foo@main\n";
        let draft = manifest(requirements("r.txt", text));
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.location.line, d.pin))
            .collect();
        assert_eq!(
            got,
            [
                ("foo", 8, PinClass::Unpinned),
                ("numpy", 2, PinClass::HashPinned),
                ("torch", 7, PinClass::LowerBound)
            ]
        );
        assert_eq!(draft.includes, [(4, "base.txt".to_string())]);
        assert_eq!(draft.notes.len(), 1, "{:?}", draft.notes);
    }

    /// A generated requirements file of many unreadable lines and includes keeps the first
    /// of each, and says how many more there were.
    #[test]
    fn unreadable_lines_and_includes_are_capped_and_counted() {
        use super::super::{INCLUDES_PER_MANIFEST, NOTES_PER_MANIFEST};
        let bad: String = (0..NOTES_PER_MANIFEST + 7).map(|i| format!("!bad{i}\n")).collect();
        let includes: String = (0..INCLUDES_PER_MANIFEST + 3)
            .map(|i| format!("-r f{i}.txt\n"))
            .collect();
        let draft = manifest(requirements("r.txt", &format!("{bad}{includes}flask==3.0\n")));
        assert_eq!(draft.includes.len(), INCLUDES_PER_MANIFEST);
        assert_eq!(
            draft.manifest.dependencies.len(),
            1,
            "the line after them is still read"
        );
        let details: Vec<&str> = draft.notes.iter().filter_map(|n| n.detail.as_deref()).collect();
        assert_eq!(details.len(), NOTES_PER_MANIFEST + 2, "{details:?}");
        assert!(details.contains(&"and 7 more unreadable lines, not kept: plumb keeps at most 100 per manifest"));
        assert!(details.contains(&"and 3 more includes, not kept: plumb keeps at most 1,000 per manifest"));
    }

    #[test]
    fn poetry_pins() {
        assert_eq!(poetry_pin("^1.2"), PinClass::Bounded);
        assert_eq!(poetry_pin("1.2.3"), PinClass::Exact);
        assert_eq!(poetry_pin("*"), PinClass::Unpinned);
        assert_eq!(poetry_pin(">=1"), PinClass::LowerBound);
    }
}
