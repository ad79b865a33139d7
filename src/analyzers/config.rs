//! `plumb.toml`: the repository's own description of its surfaces and layers, read from
//! the root of the snapshot, and the surfaces every tracked file falls into — the declared
//! ones, or one per package (`packages.rs`) holding source files when none are declared.
//!
//! A mistake in the file is a finding at its line, never an error: the audit runs on with
//! the entries that are valid.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use toml::Spanned;

use crate::model::{
    BlastRadius, Confidence, Finding, LayerDecl, PlumbConfig, Rule, Severity, Surface, SurfaceDecl, SurfaceFacts,
    SurfaceSource,
};
use crate::scan::{File, FileInfo, FileRecord};

use super::caps::thousands;
use super::positions::Positions;
use super::workflows::rules::{Judgement, Reporter};
use super::{Analysis, Analyzer, Conclusion};

mod guardrails;

pub struct ConfigAnalyzer;

/// Where the configuration lives: the root of the audited tree.
pub const CONFIG_PATH: &str = "plumb.toml";

pub const CONFIG_INVALID: Rule = Rule {
    group: "config",
    id: "config-invalid",
    title: "plumb.toml entry that plumb cannot use",
    help: "The file is not valid TOML, or an entry has an unknown key, a wrong type, a `[check] min_score` outside 0 to 10, a missing `name` or `paths`, a duplicate name, an unknown blast radius (critical, high, medium, low), a `package_depth` below 1, a `package_roots` entry that is not a relative directory of the repository, a `[[guardrail]]` without exactly one rule (`forbid`, `layers`, `max_file_lines`, `actions_pinned`, `vendored`), or the file asks for more than plumb reads (100 surfaces, 1,000 globs, 100 layers, 100 package roots, 100 guardrails). The entry is ignored; fix the reported line. `plumb init` writes a valid starter.",
};

pub const CONFIG_BAD_GLOB: Rule = Rule {
    group: "config",
    id: "config-bad-glob",
    title: "surface path glob that does not parse",
    help: "A `paths` entry is not a valid glob (an unclosed `[` or `{`, for example), so it matches nothing. Globs are matched against repository-relative paths with `/` separators; `*` stays within one directory, `**` crosses directories.",
};

pub const CONFIG_GLOB_MATCHES_NOTHING: Rule = Rule {
    group: "config",
    id: "config-glob-matches-nothing",
    title: "surface path glob that matches no tracked file",
    help: "The glob matches no file of this snapshot: the directory was moved or renamed, or the glob is misspelt. Figures for the surface leave those files out. Update or remove the glob.",
};

pub const CONFIG_UNKNOWN_LAYER: Rule = Rule {
    group: "config",
    id: "config-unknown-layer",
    title: "declared layer that names no package of the import graph",
    help: "`[layers] order` lists packages (the `package` of the modules in the import graph: a directory path such as `src/mylib/models`, by the rule in the report's package section). A name that is not one of them judges nothing; correct it or remove it.",
};

const RULES: &[Rule] = &[
    CONFIG_BAD_GLOB,
    CONFIG_GLOB_MATCHES_NOTHING,
    CONFIG_INVALID,
    CONFIG_UNKNOWN_LAYER,
];

impl Analyzer for ConfigAnalyzer {
    fn id(&self) -> &'static str {
        "config"
    }

    fn rules(&self) -> &'static [Rule] {
        RULES
    }

    fn wants(&self, file: &FileInfo) -> bool {
        file.path == CONFIG_PATH
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        out.config = super::keep_text(file, &mut out.notes, "config");
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let files: Vec<&FileRecord> = analysis.tracked().collect();
        let Read {
            config,
            mut findings,
            glob_at,
        } = match &analysis.config {
            Some(config) => read(&config.path, &config.text),
            None => Read {
                config: None,
                findings: Vec::new(),
                glob_at: Vec::new(),
            },
        };
        let declared = config.as_ref().filter(|c| !c.surfaces.is_empty());
        let package_rule = super::packages::rule(&files, config.as_ref());
        if let Some(config) = &config {
            findings.extend(super::packages::empty_roots(config, &files));
        }
        let mut surfaces = match declared {
            Some(config) => config.surfaces.iter().map(declared_surface).collect(),
            None => super::packages::derived_surfaces(&files, &package_rule),
        };
        let unmatched = tally(&mut surfaces, &files);
        if let Some(config) = declared {
            findings.extend(unmatched_globs(config, &glob_at, &unmatched));
        }
        let file_limits = config
            .as_ref()
            .map(|c| guardrails::file_limits(&c.guardrails, &files))
            .unwrap_or_default();
        let packages = super::packages::package_files(&files, &package_rule);
        let facts = SurfaceFacts {
            source: if declared.is_some() {
                SurfaceSource::Declared
            } else {
                SurfaceSource::Derived
            },
            config,
            package_rule,
            surfaces,
            packages,
        };
        Box::new(move |audit| {
            audit.findings.extend(findings);
            audit.surfaces = facts;
            audit.governance.file_limits = file_limits;
        })
    }
}

/// At most this many surfaces, globs (over all surfaces) and layers are read from
/// `plumb.toml`, which comes from the audited repository: a file written to exhaust the
/// audit's memory or time gets a `config-invalid` finding at the first entry left out.
/// Each is far above what a refactoring plan names.
pub const MAX_SURFACES: usize = 100;
pub const MAX_GLOBS: usize = 1_000;
pub const MAX_LAYERS: usize = 100;
pub const MAX_PACKAGE_ROOTS: usize = 100;
/// TOML syntax errors reported one by one; past them, one finding counts the rest.
const MAX_SYNTAX_ERRORS: usize = 100;

type Table<'t> = toml::de::DeTable<'t>;
/// 1-based line and column.
type Position = (usize, usize);
type Value<'t> = toml::de::DeValue<'t>;

/// What [`read`] makes of the file: the valid entries, a finding for every mistake, and
/// where each kept glob is written (parallel to the surfaces' `paths`).
struct Read {
    config: Option<PlumbConfig>,
    findings: Vec<Finding>,
    glob_at: Vec<Vec<Position>>,
}

/// Parses and validates `plumb.toml`: what is valid is kept, every mistake is a finding
/// at its line (every syntax error too; the file is then not used).
fn read(path: &str, text: &str) -> Read {
    let mut reader = Reader {
        positions: Positions::new(text),
        reporter: Reporter::new(path, text),
        globs: 0,
        globs_left_out: None,
        glob_at: Vec::new(),
    };
    if let Some(why) = super::caps::too_large_for_a_tree(text) {
        reader.invalid(0, why);
        return Read {
            config: None,
            findings: reader.reporter.into_findings(),
            glob_at: Vec::new(),
        };
    }
    let (document, errors) = Table::parse_recoverable(text);
    if !errors.is_empty() {
        let offset = |error: &toml::de::Error| error.span().map_or(0, |span| span.start);
        for error in errors.iter().take(MAX_SYNTAX_ERRORS) {
            reader.invalid(offset(error), error.message().trim().to_string());
        }
        if let Some(first) = errors.get(MAX_SYNTAX_ERRORS) {
            let message = format!(
                "this syntax error and the {} after it are not reported one by one",
                errors.len() - MAX_SYNTAX_ERRORS - 1
            );
            reader.invalid(offset(first), message);
        }
        return Read {
            config: None,
            findings: reader.reporter.into_findings(),
            glob_at: Vec::new(),
        };
    }
    let mut config = PlumbConfig {
        path: path.to_string(),
        text: text.to_string(),
        ..Default::default()
    };
    for (key, value) in document.get_ref() {
        match key.get_ref().as_ref() {
            "surface" => reader.surfaces(value, &mut config.surfaces),
            "layers" => reader.layers(value, &mut config.layers),
            "package_depth" => config.package_depth = reader.package_depth(value),
            "package_roots" => reader.package_roots(value, &mut config.package_roots),
            "check" => config.check.min_score = reader.check(value),
            "guardrail" => reader.guardrails(value, &mut config.guardrails),
            _ => reader.unknown_key(
                key,
                &[
                    "surface",
                    "layers",
                    "package_depth",
                    "package_roots",
                    "check",
                    "guardrail",
                ],
            ),
        }
    }
    if let Some((offset, count)) = reader.globs_left_out {
        let message = format!(
            "plumb reads at most {} globs: this one and the {} after it are ignored",
            thousands(MAX_GLOBS),
            count - 1
        );
        reader.invalid(offset, message);
    }
    Read {
        config: Some(config),
        findings: reader.reporter.into_findings(),
        glob_at: reader.glob_at,
    }
}

struct Reader<'t> {
    positions: Positions<'t>,
    reporter: Reporter<'t>,
    /// Globs read so far, over all surfaces.
    globs: usize,
    /// The first glob past [`MAX_GLOBS`] and how many were.
    globs_left_out: Option<(usize, usize)>,
    glob_at: Vec<Vec<Position>>,
}

impl Reader<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        self.positions.position(offset)
    }

    fn invalid(&mut self, offset: usize, message: String) {
        let at = self.at(offset);
        invalid(&mut self.reporter, at, message);
    }

    fn unknown_key(&mut self, key: &Spanned<Cow<'_, str>>, expected: &[&str]) {
        let expected: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
        let message = format!(
            "unknown field `{}`, expected one of {}",
            key.get_ref(),
            expected.join(", ")
        );
        self.invalid(key.span().start, message);
    }

    /// `[[surface]]` tables, each validated alone.
    fn surfaces(&mut self, value: &Spanned<Value<'_>>, surfaces: &mut Vec<SurfaceDecl>) {
        let Value::Array(tables) = value.get_ref() else {
            let message = format!("`surface` must be `[[surface]]` tables, not {}", a(value.get_ref()));
            return self.invalid(value.span().start, message);
        };
        let mut names = HashSet::new();
        for (index, table) in tables.iter().enumerate() {
            if index == MAX_SURFACES {
                let message = format!(
                    "plumb reads at most {MAX_SURFACES} surfaces: this one and the {} after it are ignored",
                    tables.len() - index - 1
                );
                return self.invalid(table.span().start, message);
            }
            if let Some((surface, glob_at)) = self.surface(table, &mut names) {
                surfaces.push(surface);
                self.glob_at.push(glob_at);
            }
        }
    }

    fn surface(
        &mut self,
        table: &Spanned<Value<'_>>,
        names: &mut HashSet<String>,
    ) -> Option<(SurfaceDecl, Vec<Position>)> {
        let start = table.span().start;
        let Value::Table(fields) = table.get_ref() else {
            let message = format!("a surface must be a table, not {}", a(table.get_ref()));
            self.invalid(start, message);
            return None;
        };
        for (key, _) in fields.iter() {
            if !["name", "paths", "description", "blast_radius"].contains(&key.get_ref().as_ref()) {
                self.unknown_key(key, &["name", "paths", "description", "blast_radius"]);
            }
        }
        let Some(name) = fields.get("name") else {
            self.invalid(start, "surface has no `name`".to_string());
            return None;
        };
        let name_at = name.span().start;
        let name = self.string(name, "`name`")?.to_string();
        let description = fields
            .get("description")
            .and_then(|d| self.string(d, &format!("surface `{name}`: `description`")))
            .map(str::to_string);
        let blast_radius = fields.get("blast_radius").and_then(|radius| {
            let text = self.string(radius, &format!("surface `{name}`: `blast_radius`"))?;
            let parsed = BlastRadius::parse(text);
            if parsed.is_none() {
                let message = format!("surface `{name}`: blast radius `{text}` is not critical, high, medium or low");
                self.invalid(radius.span().start, message);
            }
            parsed
        });
        let Some(paths) = fields
            .get("paths")
            .filter(|p| p.get_ref().as_array().is_none_or(|a| !a.is_empty()))
        else {
            self.invalid(name_at, format!("surface `{name}` has no `paths`"));
            return None;
        };
        if !names.insert(name.clone()) {
            self.invalid(name_at, format!("surface `{name}` is declared twice"));
            return None;
        }
        let (paths, glob_at) = self.globs(&name, paths)?;
        let line = self.at(start).0;
        let surface = SurfaceDecl {
            name,
            paths,
            description,
            blast_radius,
            line,
        };
        Some((surface, glob_at))
    }

    /// A surface's `paths`: the globs that parse, each with where it is written.
    fn globs(&mut self, name: &str, paths: &Spanned<Value<'_>>) -> Option<(Vec<String>, Vec<Position>)> {
        let Value::Array(globs) = paths.get_ref() else {
            let message = format!(
                "surface `{name}`: `paths` must be an array of strings, not {}",
                a(paths.get_ref())
            );
            self.invalid(paths.span().start, message);
            return None;
        };
        let (mut kept, mut kept_at) = (Vec::new(), Vec::new());
        for glob in globs.iter() {
            let Some(text) = self.string(glob, &format!("surface `{name}`: a glob")) else {
                continue;
            };
            if self.globs == MAX_GLOBS {
                let left_out = self.globs_left_out.get_or_insert((glob.span().start, 0));
                left_out.1 += 1;
                continue;
            }
            self.globs += 1;
            let at = self.at(glob.span().start);
            match build_glob(text) {
                Ok(_) => {
                    kept.push(text.to_string());
                    kept_at.push(at);
                }
                Err(error) => {
                    let message = format!("surface `{name}`: glob `{text}` does not parse: {}", error.kind());
                    let judgement = judgement(
                        Severity::Medium,
                        message,
                        "Fix the glob; `**` crosses directories, `*` does not.",
                    );
                    self.reporter.report(&CONFIG_BAD_GLOB, at, text.len() + 2, judgement);
                }
            }
        }
        Some((kept, kept_at))
    }

    /// `[layers] order`.
    fn layers(&mut self, value: &Spanned<Value<'_>>, layers: &mut Vec<LayerDecl>) {
        let Value::Table(fields) = value.get_ref() else {
            let message = format!("`layers` must be a table, not {}", a(value.get_ref()));
            return self.invalid(value.span().start, message);
        };
        for (key, _) in fields.iter().filter(|(key, _)| key.get_ref() != "order") {
            self.unknown_key(key, &["order"]);
        }
        let Some(order) = fields.get("order") else {
            return self.invalid(value.span().start, "`layers` has no `order`".to_string());
        };
        let Value::Array(packages) = order.get_ref() else {
            let message = format!("`order` must be an array of strings, not {}", a(order.get_ref()));
            return self.invalid(order.span().start, message);
        };
        let mut seen = HashSet::new();
        for (index, package) in packages.iter().enumerate() {
            if index == MAX_LAYERS {
                let message = format!(
                    "plumb reads at most {MAX_LAYERS} layers: this one and the {} after it are ignored",
                    packages.len() - index - 1
                );
                return self.invalid(package.span().start, message);
            }
            let Some(name) = self.string(package, "a layer") else {
                continue;
            };
            let at = self.at(package.span().start);
            if !seen.insert(name.to_string()) {
                invalid(&mut self.reporter, at, format!("layer `{name}` is listed twice"));
                continue;
            }
            layers.push(LayerDecl {
                package: name.to_string(),
                line: at.0,
            });
        }
    }

    /// `package_depth`: a whole number from 1.
    fn package_depth(&mut self, value: &Spanned<Value<'_>>) -> Option<usize> {
        let message = match value.get_ref() {
            Value::Integer(number) => match number.as_str().parse::<usize>() {
                Ok(depth) if depth >= 1 => return Some(depth),
                _ => format!("`package_depth` is {}: it must be 1 or more", number.as_str()),
            },
            other => format!("`package_depth` must be a whole number, not {}", a(other)),
        };
        self.invalid(value.span().start, message);
        None
    }

    /// `[check] min_score`: a number from 0 to 10.
    fn check(&mut self, value: &Spanned<Value<'_>>) -> Option<f64> {
        let Value::Table(fields) = value.get_ref() else {
            let message = format!("`check` must be a table, not {}", a(value.get_ref()));
            self.invalid(value.span().start, message);
            return None;
        };
        for (key, _) in fields.iter().filter(|(key, _)| key.get_ref() != "min_score") {
            self.unknown_key(key, &["min_score"]);
        }
        let min_score = fields.get("min_score")?;
        let number = match min_score.get_ref() {
            Value::Integer(number) => number.as_str().parse::<f64>().ok(),
            Value::Float(number) => number.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match number.filter(|n| (0.0..=10.0).contains(n)) {
            Some(number) => Some(number),
            None => {
                let message = "`min_score` must be a number from 0 to 10".to_string();
                self.invalid(min_score.span().start, message);
                None
            }
        }
    }

    /// `package_roots`: directories, relative, `/`-separated, without `.` or `..`
    /// components, each once.
    fn package_roots(&mut self, value: &Spanned<Value<'_>>, roots: &mut Vec<String>) {
        let Value::Array(entries) = value.get_ref() else {
            let message = format!(
                "`package_roots` must be an array of strings, not {}",
                a(value.get_ref())
            );
            return self.invalid(value.span().start, message);
        };
        for (index, entry) in entries.iter().enumerate() {
            if index == MAX_PACKAGE_ROOTS {
                let message = format!(
                    "plumb reads at most {MAX_PACKAGE_ROOTS} package roots: this one and the {} after it are ignored",
                    entries.len() - index - 1
                );
                return self.invalid(entry.span().start, message);
            }
            let Some(written) = self.string(entry, "a package root") else {
                continue;
            };
            let trimmed = written.trim_end_matches('/');
            let well_formed = !trimmed.is_empty()
                && !trimmed.starts_with('/')
                && !trimmed.contains('\\')
                && trimmed.split('/').all(|c| !matches!(c, "" | "." | ".."));
            let message = if !well_formed {
                format!("package root `{written}` is not a relative directory path such as `src/mylib`")
            } else if roots.iter().any(|r| r == trimmed) {
                format!("package root `{trimmed}` is listed twice")
            } else {
                roots.push(trimmed.to_string());
                continue;
            };
            self.invalid(entry.span().start, message);
        }
    }

    /// The string `value`, or a finding that `what` must be one.
    fn string<'v>(&mut self, value: &'v Spanned<Value<'_>>, what: &str) -> Option<&'v str> {
        match value.get_ref() {
            Value::String(text) => Some(text.as_ref()),
            other => {
                let message = format!("{what} must be a string, not {}", a(other));
                self.invalid(value.span().start, message);
                None
            }
        }
    }
}

/// A value's TOML type with its article: `an integer`, `a table`.
fn a(value: &Value<'_>) -> String {
    let kind = value.type_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

fn judgement(severity: Severity, message: String, remediation: &'static str) -> Judgement {
    Judgement {
        severity,
        confidence: Confidence::High,
        message,
        remediation,
    }
}

fn invalid(reporter: &mut Reporter<'_>, at: (usize, usize), message: String) {
    let judgement = judgement(Severity::Medium, message, "Fix the entry; it is ignored until then.");
    reporter.report(&CONFIG_INVALID, at, 1, judgement);
}

/// Globs as surfaces use them: `*` stops at `/`, so `src/*` is one directory deep.
fn build_glob(text: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(text).literal_separator(true).build()
}

/// Which surface a path belongs to: the first whose globs match it.
pub struct SurfaceMatcher {
    set: GlobSet,
    /// For every glob of the set: its surface, and its place in the surface's `paths`.
    glob_place: Vec<(usize, usize)>,
}

impl SurfaceMatcher {
    /// Globs that do not parse are left out: they were reported where the config was read.
    pub fn new(surfaces: &[Surface]) -> SurfaceMatcher {
        let mut builder = GlobSetBuilder::new();
        let mut glob_place = Vec::new();
        for (index, surface) in surfaces.iter().enumerate() {
            for (place, glob) in surface.paths.iter().enumerate() {
                if let Ok(glob) = build_glob(glob) {
                    builder.add(glob);
                    glob_place.push((index, place));
                }
            }
        }
        SurfaceMatcher {
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
            glob_place,
        }
    }

    pub fn surface_of(&self, path: &str) -> Option<usize> {
        self.set.matches(path).into_iter().map(|g| self.glob_place[g].0).min()
    }
}

fn declared_surface(decl: &SurfaceDecl) -> Surface {
    Surface {
        name: decl.name.clone(),
        paths: decl.paths.clone(),
        description: decl.description.clone(),
        declared_blast_radius: decl.blast_radius,
        ..Default::default()
    }
}

/// Counts every tracked file into its surface; returns which globs matched nothing, as
/// (surface, glob) indices.
fn tally(surfaces: &mut [Surface], files: &[&FileRecord]) -> BTreeSet<(usize, usize)> {
    let matcher = SurfaceMatcher::new(surfaces);
    let mut matched = vec![false; matcher.glob_place.len()];
    let mut languages: Vec<BTreeMap<&str, u64>> = vec![BTreeMap::new(); surfaces.len()];
    let mut hits = Vec::new();
    for file in files {
        matcher.set.matches_into(file.info.path.as_str(), &mut hits);
        hits.iter().for_each(|&g| matched[g] = true);
        let Some(index) = hits.iter().map(|&g| matcher.glob_place[g].0).min() else {
            continue;
        };
        let code = file.lines.code + file.embedded.code;
        surfaces[index].files += 1;
        surfaces[index].code_lines += code;
        if let (Some(language), true) = (file.info.language, code > 0) {
            *languages[index].entry(language.name()).or_default() += code;
        }
    }
    for (surface, languages) in surfaces.iter_mut().zip(languages) {
        let mut by_code: Vec<(&str, u64)> = languages.into_iter().collect();
        by_code.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        surface.languages = by_code.into_iter().map(|(name, _)| name.to_string()).collect();
    }
    // Globs that do not parse are not in the set: they were reported already.
    matcher
        .glob_place
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !matched)
        .map(|(place, _)| *place)
        .collect()
}

fn unmatched_globs(
    config: &PlumbConfig,
    glob_at: &[Vec<Position>],
    unmatched: &BTreeSet<(usize, usize)>,
) -> Vec<Finding> {
    let mut reporter = Reporter::new(&config.path, &config.text);
    for &(s, g) in unmatched {
        let surface = &config.surfaces[s];
        let glob = &surface.paths[g];
        let at = glob_at
            .get(s)
            .and_then(|at| at.get(g))
            .copied()
            .unwrap_or((surface.line, 1));
        let message = format!("surface `{}`: glob `{glob}` matches no tracked file", surface.name);
        let judgement = judgement(
            Severity::Low,
            message,
            "Update the glob to the files' current place, or remove it.",
        );
        reporter.report(&CONFIG_GLOB_MATCHES_NOTHING, at, glob.chars().count() + 2, judgement);
    }
    reporter.into_findings()
}

/// Declared layers naming no package of the import graph, as findings at their line.
pub fn unknown_layers(config: &PlumbConfig, packages: impl Fn(&str) -> bool) -> Vec<Finding> {
    let mut reporter = Reporter::new(&config.path, &config.text);
    for layer in config.layers.iter().filter(|l| !packages(&l.package)) {
        let at = reporter
            .find(layer.line, layer.line, &format!("\"{}\"", layer.package))
            .unwrap_or((layer.line, 1));
        let message = format!("layer `{}` names no package of the import graph", layer.package);
        let judgement = judgement(
            Severity::Low,
            message,
            "Use a package name from the report's package table.",
        );
        reporter.report(&CONFIG_UNKNOWN_LAYER, at, layer.package.chars().count() + 2, judgement);
    }
    reporter.into_findings()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_past_the_first_hundred_are_counted_in_one_finding() {
        // One unclosed table header a line: one error a line.
        let text = "[x\n".repeat(150);
        let read = read(CONFIG_PATH, &text);
        assert!(read.config.is_none());
        assert_eq!(read.findings.len(), MAX_SYNTAX_ERRORS + 1);
        let last = read.findings.last().expect("findings");
        assert_eq!(last.location.line, MAX_SYNTAX_ERRORS + 1);
        assert_eq!(
            last.message,
            "this syntax error and the 49 after it are not reported one by one"
        );
    }
}
