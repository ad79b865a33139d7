//! `plumb.toml`: the repository's own description of its surfaces and layers, read from
//! the root of the snapshot, and the surfaces every tracked file falls into — the declared
//! ones, or one per package (`packages.rs`) holding source files when none are declared.
//!
//! A mistake in the file is a finding at its line, never an error: the audit runs on with
//! the entries that are valid.

use std::collections::{BTreeMap, BTreeSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::model::{
    BlastRadius, Confidence, Finding, LayerDecl, PlumbConfig, Rule, ScanNote, Severity, SkipReason, Surface,
    SurfaceDecl, SurfaceFacts, SurfaceSource,
};
use crate::scan::{File, FileInfo, FileRecord};

use super::workflows::rules::{Judgement, Reporter};
use super::{Analysis, Analyzer, Conclusion};

pub struct ConfigAnalyzer;

/// Where the configuration lives: the root of the audited tree.
pub const CONFIG_PATH: &str = "plumb.toml";

pub const CONFIG_INVALID: Rule = Rule {
    group: "config",
    id: "config-invalid",
    title: "plumb.toml entry that plumb cannot use",
    help: "The file is not valid TOML, or an entry has an unknown key, a wrong type, a missing `name` or `paths`, a duplicate name, an unknown blast radius (critical, high, medium, low), a `package_depth` below 1, or a `package_roots` entry that is not a relative directory of the repository. The entry is ignored; fix the reported line. `plumb init` writes a valid starter.",
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

/// The text of `plumb.toml`, kept from the scan for `finish`.
#[derive(Debug, Clone)]
pub struct ConfigText {
    pub path: String,
    pub text: String,
}

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
        match file.text() {
            Some(text) => {
                out.config = Some(ConfigText {
                    path: file.info.path.clone(),
                    text: text.to_string(),
                })
            }
            None => out.notes.push(ScanNote::new(
                &file.info.path,
                SkipReason::NonUtf8,
                Some("config".into()),
            )),
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let files: Vec<&FileRecord> = analysis.tracked().collect();
        let (config, mut findings) = match &analysis.config {
            Some(config) => read(&config.path, &config.text),
            None => (None, Vec::new()),
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
            findings.extend(unmatched_globs(config, &unmatched));
        }
        let facts = SurfaceFacts {
            source: if declared.is_some() {
                SurfaceSource::Declared
            } else {
                SurfaceSource::Derived
            },
            config,
            package_rule,
            surfaces,
        };
        Box::new(move |audit| {
            audit.findings.extend(findings);
            audit.surfaces = facts;
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    surface: Vec<Spanned<RawSurface>>,
    layers: Option<RawLayers>,
    package_depth: Option<Spanned<i64>>,
    #[serde(default)]
    package_roots: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurface {
    name: Spanned<String>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    description: Option<String>,
    blast_radius: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayers {
    order: Vec<Spanned<String>>,
}

/// Parses and validates `plumb.toml`: what is valid is kept, every mistake is a finding.
fn read(path: &str, text: &str) -> (Option<PlumbConfig>, Vec<Finding>) {
    let mut reporter = Reporter::new(path, text);
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let at = error.span().map_or((1, 1), |span| position(text, span.start));
            invalid(&mut reporter, at, error.message().trim().to_string());
            return (None, reporter.findings);
        }
    };
    let mut config = PlumbConfig {
        path: path.to_string(),
        text: text.to_string(),
        ..Default::default()
    };
    for surface in raw.surface {
        let line = position(text, surface.span().start).0;
        if let Some(surface) = validate_surface(&mut reporter, text, &config.surfaces, surface.into_inner(), line) {
            config.surfaces.push(surface);
        }
    }
    for package in raw.layers.map(|l| l.order).unwrap_or_default() {
        let at = position(text, package.span().start);
        let package = package.into_inner();
        if config.layers.iter().any(|l| l.package == package) {
            invalid(&mut reporter, at, format!("layer `{package}` is listed twice"));
            continue;
        }
        config.layers.push(LayerDecl { package, line: at.0 });
    }
    package_settings(&mut reporter, text, raw.package_depth, raw.package_roots, &mut config);
    (Some(config), reporter.findings)
}

/// `package_depth` (a whole number from 1) and `package_roots` (directories: relative,
/// `/`-separated, without `.` or `..` components, each once).
fn package_settings(
    reporter: &mut Reporter<'_>,
    text: &str,
    depth: Option<Spanned<i64>>,
    roots: Vec<Spanned<String>>,
    config: &mut PlumbConfig,
) {
    if let Some(depth) = depth {
        match usize::try_from(*depth.get_ref()) {
            Ok(value) if value >= 1 => config.package_depth = Some(value),
            _ => {
                let at = position(text, depth.span().start);
                let message = format!("`package_depth` is {}: it must be 1 or more", depth.get_ref());
                invalid(reporter, at, message);
            }
        }
    }
    for root in roots {
        let at = position(text, root.span().start);
        let written = root.into_inner();
        let trimmed = written.trim_end_matches('/');
        let well_formed = !trimmed.is_empty()
            && !trimmed.starts_with('/')
            && !trimmed.contains('\\')
            && trimmed.split('/').all(|c| !matches!(c, "" | "." | ".."));
        if !well_formed {
            let message = format!("package root `{written}` is not a relative directory path such as `src/mylib`");
            invalid(reporter, at, message);
        } else if config.package_roots.iter().any(|r| r == trimmed) {
            invalid(reporter, at, format!("package root `{trimmed}` is listed twice"));
        } else {
            config.package_roots.push(trimmed.to_string());
        }
    }
}

fn validate_surface(
    reporter: &mut Reporter<'_>,
    text: &str,
    known: &[SurfaceDecl],
    raw: RawSurface,
    line: usize,
) -> Option<SurfaceDecl> {
    let name_at = position(text, raw.name.span().start);
    let name = raw.name.into_inner();
    if known.iter().any(|s| s.name == name) {
        invalid(reporter, name_at, format!("surface `{name}` is declared twice"));
        return None;
    }
    if raw.paths.is_empty() {
        invalid(reporter, name_at, format!("surface `{name}` has no `paths`"));
        return None;
    }
    let mut paths = Vec::new();
    for glob in raw.paths {
        let at = position(text, glob.span().start);
        match build_glob(glob.get_ref()) {
            Ok(_) => paths.push(glob.into_inner()),
            Err(error) => reporter.report(
                &CONFIG_BAD_GLOB,
                at,
                glob.get_ref().len() + 2,
                judgement(
                    Severity::Medium,
                    format!(
                        "surface `{name}`: glob `{}` does not parse: {}",
                        glob.get_ref(),
                        error.kind()
                    ),
                    "Fix the glob; `**` crosses directories, `*` does not.",
                ),
            ),
        }
    }
    let blast_radius = raw.blast_radius.and_then(|radius| {
        let parsed = BlastRadius::parse(radius.get_ref());
        if parsed.is_none() {
            let at = position(text, radius.span().start);
            let message = format!(
                "surface `{name}`: blast radius `{}` is not critical, high, medium or low",
                radius.get_ref()
            );
            invalid(reporter, at, message);
        }
        parsed
    });
    Some(SurfaceDecl {
        name,
        paths,
        description: raw.description,
        blast_radius,
        line,
    })
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

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
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

fn unmatched_globs(config: &PlumbConfig, unmatched: &BTreeSet<(usize, usize)>) -> Vec<Finding> {
    let mut reporter = Reporter::new(&config.path, &config.text);
    for &(s, g) in unmatched {
        let surface = &config.surfaces[s];
        let glob = &surface.paths[g];
        let at = reporter
            .find(surface.line, usize::MAX, &format!("\"{glob}\""))
            .or_else(|| reporter.find(surface.line, usize::MAX, glob))
            .unwrap_or((surface.line, 1));
        let message = format!("surface `{}`: glob `{glob}` matches no tracked file", surface.name);
        let judgement = judgement(
            Severity::Low,
            message,
            "Update the glob to the files' current place, or remove it.",
        );
        reporter.report(&CONFIG_GLOB_MATCHES_NOTHING, at, glob.chars().count() + 2, judgement);
    }
    reporter.findings
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
    reporter.findings
}
