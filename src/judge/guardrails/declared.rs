//! The `[[guardrail]]` tables of `plumb.toml`, and its `[layers]`, checked against the
//! import graph (every import between two packages counts, lazy and typing-only ones
//! too, as `[layers]` counts them), the file sizes, the workflows' `uses:` and the
//! vendored folders.

use std::collections::BTreeSet;

use crate::analyzers::{fingerprint, Judgement, Reporter};
use crate::model::{
    Audit, Confidence, Finding, GuardrailDecl, GuardrailRule, GuardrailStatus, LayerSource, Location, PinKind,
    PlumbConfig, Severity,
};

use super::{
    edge_finding, kind_name, listed, row, suppressed, EdgeBreak, Judged, GUARDRAIL_BROKEN, GUARDRAIL_UNKNOWN_MODULE,
};

pub(super) fn judge(audit: &Audit, judged: &mut Judged) {
    let Some(config) = &audit.surfaces.config else { return };
    let mut reporter = Reporter::new(&config.path, &config.text);
    let packages: BTreeSet<&str> = audit.architecture.modules.iter().map(|m| m.package.as_str()).collect();
    for (index, decl) in config.guardrails.iter().enumerate() {
        // The table's lines: up to the next guardrail's header.
        let last = config
            .guardrails
            .get(index + 1)
            .map_or(usize::MAX, |next| next.line - 1);
        let mut check = Check {
            audit,
            config,
            decl,
            reporter: &mut reporter,
            lines: (decl.line, last),
            findings: Vec::new(),
        };
        let status = match &decl.rule {
            GuardrailRule::Forbid { from, to } => check.forbid(from, to, &packages),
            GuardrailRule::Layers { layers } => check.layers(layers, &packages),
            GuardrailRule::MaxFileLines { max } => check.max_file_lines(*max),
            GuardrailRule::ActionsPinned => check.actions_pinned(),
            GuardrailRule::Vendored { allowed } => check.vendored(allowed),
        };
        judged.findings.append(&mut check.findings);
        judged.rows.push(status);
    }
    if let Some(status) = declared_layers(audit, config) {
        judged.rows.push(status);
    }
    judged.findings.extend(reporter.into_findings());
}

/// One guardrail being checked.
struct Check<'a, 'r> {
    audit: &'a Audit,
    config: &'a PlumbConfig,
    decl: &'a GuardrailDecl,
    /// For findings in `plumb.toml` itself.
    reporter: &'r mut Reporter<'a>,
    /// The lines of its table.
    lines: (usize, usize),
    findings: Vec<Finding>,
}

impl Check<'_, '_> {
    fn row(&self, broken: usize, assessable: bool) -> GuardrailStatus {
        let kind = format!("plumb.toml {}", self.decl.rule.key());
        row(
            &self.decl.name,
            &kind,
            &self.config.path,
            self.decl.line,
            broken,
            assessable,
        )
    }

    /// Where the guardrail is declared, for messages: `plumb.toml:12`.
    fn source(&self) -> String {
        format!("{}:{}", self.config.path, self.decl.line)
    }

    /// Each package name that covers no package of the graph, as a finding at the name,
    /// and in `unknown`.
    fn known(&mut self, names: &[String], packages: &BTreeSet<&str>, unknown: &mut Vec<String>) {
        for name in names.iter().filter(|n| !packages.iter().any(|p| covers(n, p))) {
            unknown.push(name.clone());
            let at = self
                .reporter
                .find(self.lines.0, self.lines.1, &format!("\"{name}"))
                .unwrap_or((self.decl.line, 1));
            let judgement = Judgement {
                severity: Severity::Medium,
                confidence: Confidence::High,
                message: format!(
                    "guardrail \"{}\" names `{name}`, which is no package of the import graph",
                    self.decl.name
                ),
                remediation: GUARDRAIL_UNKNOWN_MODULE.help,
            };
            self.reporter
                .report(&GUARDRAIL_UNKNOWN_MODULE, at, name.chars().count() + 2, judgement);
        }
    }

    /// The row of a guardrail on the import graph, with its notes.
    fn graph_row(&self, broken: usize, unknown: &[String]) -> GuardrailStatus {
        let mut status = self.row(
            broken,
            unknown.is_empty() && !self.audit.architecture.modules.is_empty(),
        );
        status.notes.push(graph_note(self.audit));
        if !unknown.is_empty() {
            status
                .notes
                .push(format!("names {} not in the import graph", listed(unknown, 3)));
        }
        status
    }

    fn forbid(&mut self, from: &[String], to: &[String], packages: &BTreeSet<&str>) -> GuardrailStatus {
        let mut unknown = Vec::new();
        self.known(from, packages, &mut unknown);
        self.known(to, packages, &mut unknown);
        let architecture = &self.audit.architecture;
        let modules = &architecture.modules;
        let in_any = |names: &[String], package: &str| names.iter().any(|n| covers(n, package));
        let mut broken = 0;
        for edge in &architecture.edges {
            let (importer, imported) = (&modules[edge.from], &modules[edge.to]);
            if importer.package == imported.package
                || !in_any(from, &importer.package)
                || !in_any(to, &imported.package)
            {
                continue;
            }
            broken += 1;
            let message = format!(
                "`{}` imports `{}` ({}): package `{}` must not import `{}`, by guardrail \"{}\" ({})",
                importer.path,
                imported.path,
                kind_name(edge.kind),
                importer.package,
                imported.package,
                self.decl.name,
                self.source()
            );
            let key = [
                self.config.path.as_str(),
                self.decl.name.as_str(),
                imported.path.as_str(),
            ];
            self.findings.push(edge_finding(
                self.audit,
                edge,
                EdgeBreak {
                    message,
                    confidence: Confidence::High,
                    key,
                },
            ));
        }
        self.graph_row(broken, &unknown)
    }

    fn layers(&mut self, layers: &[Vec<String>], packages: &BTreeSet<&str>) -> GuardrailStatus {
        let mut unknown = Vec::new();
        for layer in layers {
            self.known(layer, packages, &mut unknown);
        }
        let architecture = &self.audit.architecture;
        let modules = &architecture.modules;
        // A package's layer: the one naming it most precisely (`src/app` over `src`).
        let layer_of = |package: &str| -> Option<usize> {
            layers
                .iter()
                .enumerate()
                .flat_map(|(index, names)| names.iter().map(move |n| (index, n)))
                .filter(|(_, name)| covers(name, package))
                .max_by_key(|(_, name)| name.len())
                .map(|(index, _)| index)
        };
        let layer: Vec<Option<usize>> = modules.iter().map(|m| layer_of(&m.package)).collect();
        let mut broken = 0;
        for edge in &architecture.edges {
            let (Some(low), Some(high)) = (layer[edge.from], layer[edge.to]) else {
                continue;
            };
            if high >= low {
                continue;
            }
            broken += 1;
            let (importer, imported) = (&modules[edge.from], &modules[edge.to]);
            let message = format!(
                "`{}` imports `{}` ({}): layer {} (`{}`) is below layer {} (`{}`) in guardrail \"{}\" ({})",
                importer.path,
                imported.path,
                kind_name(edge.kind),
                low + 1,
                importer.package,
                high + 1,
                imported.package,
                self.decl.name,
                self.source()
            );
            let key = [
                self.config.path.as_str(),
                self.decl.name.as_str(),
                imported.path.as_str(),
            ];
            self.findings.push(edge_finding(
                self.audit,
                edge,
                EdgeBreak {
                    message,
                    confidence: Confidence::High,
                    key,
                },
            ));
        }
        self.graph_row(broken, &unknown)
    }

    fn max_file_lines(&mut self, max: u64) -> GuardrailStatus {
        let limit = self.audit.governance.file_limits.iter().find(|l| l.max == max);
        let (over, files) = limit.map_or((0, &[][..]), |l| (l.files_over, &l.largest[..]));
        for file in files {
            let message = format!(
                "`{}` has {} code lines, over the {max} of guardrail \"{}\" ({})",
                file.path,
                file.lines.code,
                self.decl.name,
                self.source()
            );
            let fingerprint = fingerprint(&[GUARDRAIL_BROKEN.id, &file.path, &self.config.path, &self.decl.name]);
            self.findings
                .push(file_finding(self.audit, &file.path, message, fingerprint));
        }
        let mut status = self.row(over, true);
        status
            .notes
            .push("hand-maintained files (role source, test, build or ci) by tokei's code lines".to_string());
        if over > files.len() {
            status.notes.push(format!(
                "the {} largest are findings; all {over} are counted",
                files.len()
            ));
        }
        status
    }

    fn actions_pinned(&mut self) -> GuardrailStatus {
        let refs = &self.audit.ci.action_refs;
        let pinned = |pin: PinKind| matches!(pin, PinKind::Sha | PinKind::Local | PinKind::DockerDigest);
        let mut broken = 0;
        for r in refs.iter().filter(|r| !pinned(r.pin)) {
            broken += 1;
            let how = match r.pin {
                PinKind::Tag => "a tag",
                PinKind::Branch => "a branch",
                PinKind::DockerTag => "a docker tag",
                _ => "no ref",
            };
            let message = format!(
                "`uses: {}` is pinned to {how}, not a commit SHA, against guardrail \"{}\" ({})",
                r.uses,
                self.decl.name,
                self.source()
            );
            let fingerprint = fingerprint(&[
                GUARDRAIL_BROKEN.id,
                &r.location.path,
                &r.uses,
                &self.config.path,
                &self.decl.name,
            ]);
            let mut finding = file_finding(self.audit, &r.location.path, message, fingerprint);
            finding.location = r.location.clone();
            finding.span = r.uses.chars().count();
            finding.suppressed = suppressed(self.audit, &r.location.path, GUARDRAIL_BROKEN.id, r.location.line);
            self.findings.push(finding);
        }
        let mut status = self.row(broken, true);
        status.notes.push(format!(
            "{} of {} `uses:` pinned to a commit SHA (local actions and docker digests count); each unpinned one is also an `unpinned-uses` finding",
            refs.len() - broken,
            refs.len()
        ));
        status
    }

    fn vendored(&mut self, allowed: &[String]) -> GuardrailStatus {
        let components = &self.audit.supply_chain.vendored;
        let at = ["vendored =", "vendored="]
            .iter()
            .find_map(|key| self.reporter.find(self.lines.0, self.lines.1, key))
            .unwrap_or((self.decl.line, 1));
        let mut broken = 0;
        for component in components
            .iter()
            .filter(|c| !allowed.iter().any(|a| covers(a, &c.path)))
        {
            broken += 1;
            let judgement = Judgement {
                severity: Severity::High,
                confidence: Confidence::High,
                message: format!(
                    "vendored folder `{}` (files: {}, code lines: {}) is not in the list of guardrail \"{}\"",
                    component.path, component.files, component.code_lines, self.decl.name
                ),
                remediation: GUARDRAIL_BROKEN.help,
            };
            self.reporter.report(&GUARDRAIL_BROKEN, at, "vendored".len(), judgement);
        }
        let mut status = self.row(broken, true);
        status.notes.push(format!(
            "{} found (section 6); the findings point at the guardrail's list",
            match components.len() {
                1 => "1 vendored folder".to_string(),
                n => format!("{n} vendored folders"),
            }
        ));
        status
    }
}

/// `plumb.toml`'s `[layers]` as a guardrail: its edges against the order are measured by
/// the graph stage (section 3) and reported by the architecture rules.
fn declared_layers(audit: &Audit, config: &PlumbConfig) -> Option<GuardrailStatus> {
    let first = config.layers.first()?;
    let layering = &audit.architecture.measures.layering;
    let measured = layering.source == LayerSource::Declared && !audit.architecture.modules.is_empty();
    let broken = if measured { layering.against_count } else { 0 };
    let order: Vec<String> = config.layers.iter().map(|l| l.package.clone()).collect();
    let mut status = row(
        &format!("layers {}", order.join(" > ")),
        "plumb.toml [layers]",
        &config.path,
        first.line,
        broken,
        measured,
    );
    status.notes.push(format!(
        "{} imports against the order (section 3); they are the architecture rules' findings",
        broken
    ));
    Some(status)
}

fn graph_note(audit: &Audit) -> String {
    match audit.architecture.modules.len() {
        0 => "no import graph: nothing to check".to_string(),
        n => format!(
            "every import between two packages of the graph ({} modules, {} imports), lazy and typing-only ones too",
            n,
            audit.architecture.edges.len()
        ),
    }
}

/// `name` (a package or a directory) covers `package`: it is the package or a
/// directory above it.
fn covers(name: &str, package: &str) -> bool {
    name == package || (name != "." && package.strip_prefix(name).is_some_and(|rest| rest.starts_with('/')))
}

/// A finding at a whole file (line 1), without snippet; a `plumb: ignore[...]` on its
/// first line silences it.
fn file_finding(audit: &Audit, path: &str, message: String, fingerprint: String) -> Finding {
    Finding {
        location: Location {
            path: path.to_string(),
            line: 1,
            column: 1,
        },
        rule: GUARDRAIL_BROKEN.id.to_string(),
        severity: Severity::High,
        confidence: Confidence::High,
        message,
        remediation: GUARDRAIL_BROKEN.help,
        snippet: None,
        snippet_column: 1,
        span: 0,
        fingerprint,
        suppressed: suppressed(audit, path, GUARDRAIL_BROKEN.id, 1),
        omitted: None,
    }
}
