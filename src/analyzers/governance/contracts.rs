//! The architecture contracts teams already keep, read from the root of the snapshot:
//! import-linter's (`.importlinter` and `setup.cfg` in INI, `pyproject.toml`'s
//! `[tool.importlinter]`) and tach's (`tach.toml`). Each module a contract names keeps
//! its line; a name that no Python file of the snapshot holds is listed as missing (the
//! judge reports it at that line), and whatever plumb cannot read is a problem at its
//! line. Nothing here is evaluated: `judge::guardrails` does that on the import graph.
//!
//! Followed from the tools' documentation: import-linter
//! (<https://import-linter.readthedocs.io/en/stable/contract_types.html>) and tach
//! (<https://docs.gauge.sh/usage/configuration>).

use std::collections::{BTreeMap, HashSet};

use tokei::LanguageType;
use toml::Spanned;

use crate::analyzers::positions::Positions;
use crate::analyzers::Analysis;
use crate::model::{
    Contract, ContractFile, ContractKind, ContractTool, Evidence, IgnoredImport, LayerLevel, Location, NamedModule,
    TachLayer, TachModule,
};

use super::ini;

type Value<'t> = toml::de::DeValue<'t>;
type Table<'t> = toml::de::DeTable<'t>;

/// Largest configuration file read, and most contracts and names per file: far above
/// real ones, and a hostile file cannot make the judge's work grow without bound.
const MAX_BYTES: usize = 1 << 20;
const MAX_CONTRACTS: usize = 500;
/// Modules one list of a contract names (sources, layers, `depends_on`...).
const MAX_NAMES: usize = 100;
/// The longest dotted name checked for existence, in components.
const MAX_DEPTH: usize = 12;

/// A contract file as read during the scan, before its names are checked against the
/// snapshot's files.
#[derive(Debug, Clone)]
pub struct ParsedContracts {
    file: ContractFile,
    /// Layers contracts, by index into `file.contracts`, with their levels as written.
    layers: Vec<(usize, RawLayers)>,
    /// import-linter's `include_external_packages`: a missing top-level name may be a
    /// package from outside the repository.
    include_external: bool,
    roots: Vec<NamedModule>,
}

#[derive(Debug, Clone)]
struct RawLayers {
    levels: Vec<RawLevel>,
    containers: Vec<NamedModule>,
}

#[derive(Debug, Clone)]
struct RawLevel {
    /// Each item with whether it is optional (`(name)`).
    items: Vec<(NamedModule, bool)>,
    independent: bool,
}

/// A contract's keys, each with its line and its values (a list, or one value), as the
/// INI and TOML forms both give them.
#[derive(Default)]
struct Fields {
    values: BTreeMap<String, (usize, Vec<(String, usize)>)>,
}

impl Fields {
    fn first(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .and_then(|(_, v)| v.first())
            .map(|(s, _)| s.as_str())
    }

    fn modules(&self, key: &str) -> Vec<NamedModule> {
        self.values
            .get(key)
            .map(|(_, values)| {
                values
                    .iter()
                    .map(|(name, line)| NamedModule {
                        name: name.clone(),
                        line: *line,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn flag(&self, key: &str) -> bool {
        self.first(key)
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"))
    }
}

/// The contracts of a root file, if it holds any.
pub fn read(path: &str, text: &str) -> Option<ParsedContracts> {
    let mut parsed = match path {
        ".importlinter" | "setup.cfg" if text.contains("importlinter") => import_linter_ini(path, text),
        "pyproject.toml" if text.contains("importlinter") => import_linter_toml(path, text)?,
        "tach.toml" => tach(path, text),
        _ => return None,
    };
    parsed.file.text = text.to_string();
    Some(parsed)
}

fn new_file(path: &str, tool: ContractTool) -> ParsedContracts {
    ParsedContracts {
        file: ContractFile {
            path: path.to_string(),
            tool,
            roots: Vec::new(),
            exclude_type_checking: tool == ContractTool::Tach,
            layers: Vec::new(),
            contracts: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            text: String::new(),
        },
        layers: Vec::new(),
        include_external: false,
        roots: Vec::new(),
    }
}

impl ParsedContracts {
    fn problem(&mut self, line: usize, message: String) {
        self.file.problems.push(Evidence {
            value: message,
            location: Location {
                path: self.file.path.clone(),
                line: line.max(1),
                column: 1,
            },
        });
    }

    /// `list`, cut to [`MAX_NAMES`] with a problem at the first name left out.
    fn capped(&mut self, list: Vec<NamedModule>, what: &str) -> Vec<NamedModule> {
        let mut list = list;
        if let Some(first) = list.get(MAX_NAMES) {
            let message = format!("{what} names {} modules: plumb reads the first {MAX_NAMES}", list.len());
            self.problem(first.line, message);
            list.truncate(MAX_NAMES);
        }
        list
    }

    fn too_large(&mut self, text: &str) -> bool {
        if text.len() > MAX_BYTES {
            self.problem(
                1,
                format!("{} bytes, more than the {MAX_BYTES} plumb reads", text.len()),
            );
        }
        text.len() > MAX_BYTES
    }

    /// import-linter's settings and one contract from their fields.
    fn import_linter(&mut self, settings: Option<(usize, Fields)>, contracts: Vec<(String, usize, Fields)>) {
        let Some((line, settings)) = settings else {
            if !contracts.is_empty() {
                self.problem(
                    1,
                    "contracts without the `importlinter` section that names the root packages".to_string(),
                );
            }
            return;
        };
        self.roots = [settings.modules("root_package"), settings.modules("root_packages")].concat();
        if self.roots.is_empty() {
            self.problem(
                line,
                "`importlinter` names no `root_package` or `root_packages`".to_string(),
            );
        }
        self.file.roots = self.roots.iter().map(|r| r.name.clone()).collect();
        self.include_external = settings.flag("include_external_packages");
        self.file.exclude_type_checking = settings.flag("exclude_type_checking_imports");
        for (id, line, fields) in contracts.into_iter().take(MAX_CONTRACTS) {
            self.import_linter_contract(&id, line, &fields);
        }
    }

    fn import_linter_contract(&mut self, id: &str, line: usize, fields: &Fields) {
        let name = fields.first("name").unwrap_or(id).to_string();
        let Some(contract_type) = fields.first("type") else {
            return self.problem(line, format!("contract `{name}` has no `type`"));
        };
        let mut ignore_imports = Vec::new();
        let ignored = fields.modules("ignore_imports");
        for entry in self.capped(ignored, &format!("contract `{name}`: `ignore_imports`")) {
            match entry.name.split_once("->") {
                Some((importer, imported)) => ignore_imports.push(IgnoredImport {
                    importer: importer.trim().to_string(),
                    imported: imported.trim().to_string(),
                    line: entry.line,
                }),
                None => self.problem(
                    entry.line,
                    format!(
                        "contract `{name}`: ignored import `{}` is not `importer -> imported`",
                        entry.name
                    ),
                ),
            }
        }
        let kind = match contract_type {
            "forbidden" => {
                let sources = self.capped(fields.modules("source_modules"), &format!("contract `{name}`"));
                let forbidden = self.capped(fields.modules("forbidden_modules"), &format!("contract `{name}`"));
                if sources.is_empty() || forbidden.is_empty() {
                    return self.problem(
                        line,
                        format!("contract `{name}` needs `source_modules` and `forbidden_modules`"),
                    );
                }
                ContractKind::Forbidden {
                    sources,
                    forbidden,
                    allow_indirect: fields.flag("allow_indirect_imports"),
                }
            }
            "independence" => {
                let modules = self.capped(fields.modules("modules"), &format!("contract `{name}`"));
                if modules.len() < 2 {
                    return self.problem(line, format!("contract `{name}` needs two `modules` or more"));
                }
                ContractKind::Independence { modules }
            }
            "layers" => {
                let Some(levels) = self.levels(&name, fields) else {
                    return;
                };
                let raw = RawLayers {
                    levels,
                    containers: self.capped(fields.modules("containers"), &format!("contract `{name}`")),
                };
                self.layers.push((self.file.contracts.len(), raw));
                ContractKind::Layers { stacks: Vec::new() }
            }
            other => ContractKind::Unsupported {
                contract_type: other.to_string(),
            },
        };
        self.file.contracts.push(Contract {
            name,
            line,
            kind,
            ignore_imports,
            missing: Vec::new(),
            notes: Vec::new(),
        });
    }

    /// `layers`: one line a layer, `a | b` for independent siblings, `a : b` for
    /// siblings that may import each other, `(a)` for an optional one.
    fn levels(&mut self, name: &str, fields: &Fields) -> Option<Vec<RawLevel>> {
        let lines = self.capped(fields.modules("layers"), &format!("contract `{name}`: `layers`"));
        if lines.len() < 2 {
            self.problem(
                fields.values.get("layers").map_or(1, |(line, _)| *line),
                format!("contract `{name}` needs two `layers` or more"),
            );
            return None;
        }
        let (mut levels, mut total) = (Vec::new(), 0);
        for entry in lines {
            let (pipes, colons) = (entry.name.contains('|'), entry.name.contains(':'));
            if pipes && colons {
                self.problem(
                    entry.line,
                    format!("contract `{name}`: layer `{}` mixes `|` and `:`", entry.name),
                );
                return None;
            }
            let items = entry
                .name
                .split(['|', ':'])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| {
                    let optional = item.starts_with('(') && item.ends_with(')');
                    let item = item.trim_start_matches('(').trim_end_matches(')').trim();
                    (
                        NamedModule {
                            name: item.to_string(),
                            line: entry.line,
                        },
                        optional,
                    )
                })
                .collect();
            let items: Vec<(NamedModule, bool)> = items;
            total += items.len();
            if total > MAX_NAMES {
                let message = format!("contract `{name}`: its layers name more than {MAX_NAMES} modules");
                self.problem(entry.line, message);
                return None;
            }
            levels.push(RawLevel {
                items,
                independent: !colons,
            });
        }
        Some(levels)
    }
}

fn import_linter_ini(path: &str, text: &str) -> ParsedContracts {
    let mut parsed = new_file(path, ContractTool::ImportLinter);
    if parsed.too_large(text) {
        return parsed;
    }
    let sections = match ini::parse(text) {
        Ok(sections) => sections,
        Err(e) => {
            parsed.problem(e.line, e.message);
            return parsed;
        }
    };
    let fields = |section: &ini::Section| Fields {
        values: section
            .entries
            .iter()
            .map(|e| (e.key.clone(), (e.line, e.values.clone())))
            .collect(),
    };
    let settings = sections
        .iter()
        .find(|s| s.name == "importlinter")
        .map(|s| (s.line, fields(s)));
    let contracts = sections
        .iter()
        .filter_map(|s| {
            let id = s.name.strip_prefix("importlinter:contract:")?;
            Some((id.to_string(), s.line, fields(s)))
        })
        .collect();
    parsed.import_linter(settings, contracts);
    parsed
}

/// `pyproject.toml`'s `[tool.importlinter]` and `[[tool.importlinter.contracts]]`;
/// `None` when the file has neither.
fn import_linter_toml(path: &str, text: &str) -> Option<ParsedContracts> {
    let mut parsed = new_file(path, ContractTool::ImportLinter);
    if parsed.too_large(text) {
        return Some(parsed);
    }
    let reader = TomlReader::new(text);
    let document = match Table::parse(text) {
        Ok(document) => document,
        Err(e) => {
            let line = reader.line(e.span().map_or(0, |s| s.start));
            parsed.problem(line, e.message().trim().to_string());
            return Some(parsed);
        }
    };
    let section = document
        .get_ref()
        .get("tool")
        .and_then(|t| t.get_ref().as_table())
        .and_then(|t| t.get("importlinter"))?;
    let Some(table) = section.get_ref().as_table() else {
        parsed.problem(
            reader.line(section.span().start),
            "`tool.importlinter` is not a table".to_string(),
        );
        return Some(parsed);
    };
    let settings = reader.fields(table);
    let mut contracts = Vec::new();
    if let Some(list) = table.get("contracts") {
        for (index, contract) in list
            .get_ref()
            .as_array()
            .map(|a| &a[..])
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            match contract.get_ref().as_table() {
                Some(fields) => contracts.push((
                    format!("{}", index + 1),
                    reader.line(contract.span().start),
                    reader.fields(fields),
                )),
                None => parsed.problem(
                    reader.line(contract.span().start),
                    "a contract must be a table".to_string(),
                ),
            }
        }
    }
    parsed.import_linter(Some((reader.line(section.span().start), settings)), contracts);
    Some(parsed)
}

/// Lines of a TOML document's values.
struct TomlReader<'t> {
    positions: Positions<'t>,
}

impl<'t> TomlReader<'t> {
    fn new(text: &'t str) -> Self {
        TomlReader {
            positions: Positions::new(text),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.positions.line(offset)
    }

    /// Every key of a table whose value is a string, a boolean or an array of strings.
    fn fields(&self, table: &Table<'_>) -> Fields {
        let mut fields = Fields::default();
        for (key, value) in table.iter() {
            if let Some(values) = self.strings(value) {
                let line = self.line(key.span().start);
                fields.values.insert(key.get_ref().to_string(), (line, values));
            }
        }
        fields
    }

    /// A string, a boolean or an array of strings, each with its line.
    fn strings(&self, value: &Spanned<Value<'_>>) -> Option<Vec<(String, usize)>> {
        let line = self.line(value.span().start);
        match value.get_ref() {
            Value::String(s) => Some(vec![(s.to_string(), line)]),
            Value::Boolean(b) => Some(vec![(b.to_string(), line)]),
            Value::Array(items) => Some(
                items
                    .iter()
                    .filter_map(|item| {
                        let line = self.line(item.span().start);
                        item.get_ref().as_str().map(|s| (s.to_string(), line))
                    })
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// `tach.toml`: `[[modules]]` with `path` (or `paths`), `depends_on`, `cannot_depend_on`,
/// `utility`, `unchecked`, `layer`; top-level `layers`, `source_roots`,
/// `ignore_type_checking_imports`.
fn tach(path: &str, text: &str) -> ParsedContracts {
    let mut parsed = new_file(path, ContractTool::Tach);
    if parsed.too_large(text) {
        return parsed;
    }
    let reader = TomlReader::new(text);
    let document = match Table::parse(text) {
        Ok(document) => document,
        Err(e) => {
            let line = reader.line(e.span().map_or(0, |s| s.start));
            parsed.problem(line, e.message().trim().to_string());
            return parsed;
        }
    };
    let document = document.get_ref();
    let top = reader.fields(document);
    parsed.file.roots = top.modules("source_roots").into_iter().map(|r| r.name).collect();
    if let Some(flag) = top.first("ignore_type_checking_imports") {
        parsed.file.exclude_type_checking = flag == "true";
    }
    if top.first("root_module").is_some_and(|m| m != "ignore") {
        parsed.file.notes.push(
            "`root_module` other than `ignore` is not evaluated: code outside the modules is not checked".to_string(),
        );
    }
    for (key, note) in [
        (
            "interfaces",
            "tach's `interfaces` (public interfaces) are not evaluated",
        ),
        (
            "forbid_circular_dependencies",
            "`forbid_circular_dependencies` is not evaluated here (import cycles are in section 3)",
        ),
    ] {
        if document.get(key).is_some() {
            parsed.file.notes.push(note.to_string());
        }
    }
    if let Some(layers) = document.get("layers").and_then(|l| l.get_ref().as_array()) {
        for layer in layers.iter() {
            match layer.get_ref() {
                Value::String(name) => parsed.file.layers.push(TachLayer {
                    name: name.to_string(),
                    closed: false,
                }),
                Value::Table(fields) => {
                    let fields = reader.fields(fields);
                    match fields.first("name") {
                        Some(name) => parsed.file.layers.push(TachLayer {
                            name: name.to_string(),
                            closed: fields.flag("closed"),
                        }),
                        None => parsed.problem(reader.line(layer.span().start), "a layer has no `name`".to_string()),
                    }
                }
                _ => parsed.problem(
                    reader.line(layer.span().start),
                    "a layer must be a string or a table".to_string(),
                ),
            }
        }
    }
    let modules = document.get("modules").and_then(|m| m.get_ref().as_array());
    for module in modules.map(|a| &a[..]).unwrap_or_default() {
        if parsed.file.contracts.len() >= MAX_CONTRACTS {
            parsed.problem(
                reader.line(module.span().start),
                format!("more than {MAX_CONTRACTS} modules: the rest are not read"),
            );
            break;
        }
        let line = reader.line(module.span().start);
        let Some(table) = module.get_ref().as_table() else {
            parsed.problem(line, "a module must be a table".to_string());
            continue;
        };
        tach_module(&mut parsed, &reader, table, line);
    }
    parsed
}

fn tach_module(parsed: &mut ParsedContracts, reader: &TomlReader<'_>, table: &Table<'_>, line: usize) {
    let fields = reader.fields(table);
    let paths = [fields.modules("path"), fields.modules("paths")].concat();
    if paths.is_empty() {
        return parsed.problem(line, "a module has no `path`".to_string());
    }
    let dependencies = |key: &str| -> Option<Vec<NamedModule>> {
        let value = table.get(key)?;
        let items = value.get_ref().as_array().map(|a| &a[..]).unwrap_or_default();
        Some(
            items
                .iter()
                .filter_map(|item| {
                    let name = match item.get_ref() {
                        Value::String(s) => s.to_string(),
                        Value::Table(t) => t.get("path")?.get_ref().as_str()?.to_string(),
                        _ => return None,
                    };
                    Some(NamedModule {
                        name,
                        line: reader.line(item.span().start),
                    })
                })
                .collect(),
        )
    };
    let depends_on = dependencies("depends_on").map(|list| parsed.capped(list, "`depends_on`"));
    let cannot_depend_on = parsed.capped(
        dependencies("cannot_depend_on").unwrap_or_default(),
        "`cannot_depend_on`",
    );
    let mut notes = Vec::new();
    if table.get("visibility").is_some() {
        notes.push("`visibility` is not evaluated".to_string());
    }
    for module in paths {
        let kind = if module.name.contains('*') || module.name == "<root>" {
            ContractKind::Unsupported {
                contract_type: format!("tach module `{}`", module.name),
            }
        } else {
            ContractKind::TachModule(TachModule {
                module: module.clone(),
                depends_on: depends_on.clone(),
                cannot_depend_on: cannot_depend_on.clone(),
                utility: fields.flag("utility"),
                unchecked: fields.flag("unchecked"),
                layer: fields.first("layer").map(str::to_string),
            })
        };
        parsed.file.contracts.push(Contract {
            name: module.name,
            line,
            kind,
            ignore_imports: Vec::new(),
            missing: Vec::new(),
            notes: notes.clone(),
        });
    }
}

/// The files with every name checked against the snapshot's Python files, and the
/// layers expanded into one stack per container.
pub fn resolve(parsed: &[ParsedContracts], analysis: &Analysis) -> Vec<ContractFile> {
    if parsed.is_empty() {
        return Vec::new();
    }
    let known = python_names(analysis);
    let exists = |name: &str| known.contains(name);
    parsed.iter().map(|p| resolve_file(p, &exists)).collect()
}

fn resolve_file(parsed: &ParsedContracts, exists: &dyn Fn(&str) -> bool) -> ContractFile {
    let mut file = parsed.file.clone();
    for root in parsed.roots.iter().filter(|r| !exists(&r.name)) {
        file.problems.push(Evidence {
            value: format!("root package `{}` is not a Python package of the snapshot", root.name),
            location: Location {
                path: file.path.clone(),
                line: root.line,
                column: 1,
            },
        });
    }
    for (index, raw) in &parsed.layers {
        let contract = &mut file.contracts[*index];
        let (stacks, missing) = stacks(raw, exists);
        contract.kind = ContractKind::Layers { stacks };
        contract.missing = missing;
    }
    for contract in &mut file.contracts {
        let named: Vec<&NamedModule> = match &contract.kind {
            ContractKind::Forbidden { sources, forbidden, .. } => sources.iter().chain(forbidden).collect(),
            ContractKind::Independence { modules } => modules.iter().collect(),
            ContractKind::TachModule(module) => std::iter::once(&module.module)
                .chain(module.depends_on.iter().flatten())
                .chain(&module.cannot_depend_on)
                .filter(|m| !m.name.contains('*') && m.name != "<root>")
                .collect(),
            ContractKind::Layers { .. } | ContractKind::Unsupported { .. } => Vec::new(),
        };
        for module in named.into_iter().filter(|m| !exists(&m.name)) {
            let external = parsed.include_external
                && !module.name.contains('.')
                && matches!(&contract.kind, ContractKind::Forbidden { forbidden, .. } if forbidden.contains(module));
            if external {
                contract.notes.push(format!(
                    "`{}` is an external package: plumb's graph holds the repository's own modules, so imports of it are not checked",
                    module.name
                ));
            } else if !contract.missing.contains(module) {
                contract.missing.push(module.clone());
            }
        }
    }
    file
}

/// A layers contract's stacks: one per container (one without containers), optional
/// layers that do not exist left out; with the non-optional names that do not exist.
fn stacks(raw: &RawLayers, exists: &dyn Fn(&str) -> bool) -> (Vec<Vec<LayerLevel>>, Vec<NamedModule>) {
    let mut missing: Vec<NamedModule> = raw.containers.iter().filter(|c| !exists(&c.name)).cloned().collect();
    let containers: Vec<Option<&str>> = if raw.containers.is_empty() {
        vec![None]
    } else {
        raw.containers.iter().map(|c| Some(c.name.as_str())).collect()
    };
    let stacks = containers
        .into_iter()
        .map(|container| {
            raw.levels
                .iter()
                .map(|level| LayerLevel {
                    independent: level.independent,
                    modules: level
                        .items
                        .iter()
                        .filter_map(|(item, optional)| {
                            let name = match container {
                                Some(c) => format!("{c}.{}", item.name),
                                None => item.name.clone(),
                            };
                            let module = NamedModule { name, line: item.line };
                            match (exists(&module.name), optional) {
                                (true, _) => Some(module),
                                (false, true) => None,
                                (false, false) => {
                                    missing.push(module);
                                    None
                                }
                            }
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    (stacks, missing)
}

/// Every dotted name a tracked Python file or its folders can be imported by, from any
/// folder taken as the root (`a/b/c.py`: `a`, `a.b`, `a.b.c`, `b`, `b.c`, `c`), so that
/// a module exists whatever roots the tool is run with.
fn python_names(analysis: &Analysis) -> HashSet<String> {
    let mut names = HashSet::new();
    for file in analysis
        .tracked()
        .filter(|f| f.info.language == Some(LanguageType::Python))
    {
        let path = &file.info.path;
        let stem = path
            .strip_suffix(".py")
            .or_else(|| path.strip_suffix(".pyi"))
            .unwrap_or(path);
        let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
        let parts: Vec<&str> = stem.split('/').filter(|p| *p != "__init__").collect();
        for start in 0..parts.len() {
            let mut name = String::new();
            for part in parts[start..].iter().take(MAX_DEPTH) {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(part);
                names.insert(name.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(name: &str) -> bool {
        ["pkg", "pkg.high", "pkg.low", "pkg.mid.a", "pkg.mid"].contains(&name)
    }

    #[test]
    fn import_linter_ini_contracts_with_their_lines() {
        let text = "[importlinter]\nroot_package = pkg\n\n[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    high\n    (optional)\n    mid.a | mid.b\n    low\ncontainers =\n    pkg\n\n[importlinter:contract:x]\nname = Custom\ntype = mypackage.contracts.Custom\n";
        let parsed = read(".importlinter", text).expect("import-linter file");
        assert!(parsed.file.problems.is_empty(), "{:?}", parsed.file.problems);
        let file = resolve_file(&parsed, &exists);
        let layers = &file.contracts[0];
        assert_eq!((layers.name.as_str(), layers.line), ("Layers", 4));
        let ContractKind::Layers { stacks } = &layers.kind else {
            panic!("{layers:?}")
        };
        let names: Vec<Vec<&str>> = stacks[0]
            .iter()
            .map(|l| l.modules.iter().map(|m| m.name.as_str()).collect())
            .collect();
        assert_eq!(names, [vec!["pkg.high"], vec![], vec!["pkg.mid.a"], vec!["pkg.low"]]);
        assert_eq!(
            layers.missing,
            [NamedModule {
                name: "pkg.mid.b".into(),
                line: 10
            }]
        );
        assert!(
            matches!(&file.contracts[1].kind, ContractKind::Unsupported { contract_type } if contract_type == "mypackage.contracts.Custom")
        );
    }

    #[test]
    fn a_list_past_the_limit_is_cut_with_a_problem_at_the_first_name_left_out() {
        let sources: String = (0..150).map(|i| format!("    pkg.m{i}\n")).collect();
        let text = format!(
            "[importlinter]\nroot_package = pkg\n[importlinter:contract:f]\nname = F\ntype = forbidden\nsource_modules =\n{sources}forbidden_modules =\n    pkg.x\n"
        );
        let parsed = read(".importlinter", &text).expect("import-linter file");
        let ContractKind::Forbidden { sources, .. } = &parsed.file.contracts[0].kind else {
            panic!("{:?}", parsed.file.contracts)
        };
        assert_eq!(sources.len(), MAX_NAMES);
        let problem = &parsed.file.problems[0];
        assert_eq!(problem.location.line, 7 + MAX_NAMES);
        assert!(problem.value.contains("names 150 modules"), "{}", problem.value);
    }

    #[test]
    fn python_names_hold_every_suffix_of_a_path() {
        let mut analysis = Analysis::default();
        let info = crate::scan::FileInfo {
            path: "src/pkg/sub/__init__.py".into(),
            language: Some(LanguageType::Python),
            role: crate::model::Role::Source,
            bytes: 1,
            tracked: true,
        };
        analysis.files.push(crate::scan::FileRecord::uncounted(info));
        let names = python_names(&analysis);
        for name in ["src", "src.pkg.sub", "pkg", "pkg.sub", "sub"] {
            assert!(names.contains(name), "{name}");
        }
        assert!(!names.contains("src.pkg.sub.__init__"));
    }
}
