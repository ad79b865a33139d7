//! Section 6 (Security & Supply Chain): dependency posture, vendored components, binary
//! artifacts, secret scanning, SBOM / provenance, then the CI trust boundaries. Every
//! status comes from counts by the rule written next to the function that applies it.

use std::collections::BTreeMap;

use crate::model::{Audit, Ecosystem, Finding, PinKind, RepositoryLicense, Severity, VendoredComponent};

use super::{ci, code, count, dependencies, int, more, plural, short, Markdown, LIST_ROWS, NOT_AUDITED};

pub(super) fn section(md: &mut Markdown, audit: &Audit) {
    md.section("6. Security & Supply Chain (Baseline Status)");
    md.heading("Dependency Posture");
    md.table(&["Aspect", "Status", "Evidence"], posture_rows(audit));
    vendored(md, audit);
    binary_artifacts(md, audit);
    secrets(md, audit);
    provenance(md, audit);
    ci::trust_boundaries(md, audit);
}

/// The Dependency Posture table: Lockfiles and Dependency Pinning (from the manifests),
/// then Third-Party Vendoring and Dependency Updates.
fn posture_rows(audit: &Audit) -> Vec<Vec<String>> {
    let mut rows = dependencies::posture_rows(audit);
    rows.push(vendoring_row(&audit.supply_chain.vendored));
    rows.push(updates_row(audit));
    rows
}

/// Third-Party Vendoring: none → NONE; every component states a version or is a pinned
/// submodule → TRACKED (known versions, still updated by hand); else UNTRACKED, with how
/// many components nobody can tell the version of.
fn vendoring_row(components: &[VendoredComponent]) -> Vec<String> {
    let untracked = components
        .iter()
        .filter(|c| c.version.is_none() && c.submodule_commit.is_none())
        .count();
    let submodules = components.iter().filter(|c| c.submodule_commit.is_some()).count();
    let files: usize = components.iter().map(|c| c.files).sum();
    let code_lines: u64 = components.iter().map(|c| c.code_lines).sum();
    let (status, detail) = match (components.len(), untracked) {
        (0, _) => (
            "🟢 **NONE**",
            "no vendoring folder (`third_party/`, `vendor/`, ...) in the tree".to_string(),
        ),
        (_, 0) => (
            "🟡 **TRACKED**",
            "each states a version or is a submodule pinned to a commit".to_string(),
        ),
        (_, n) => (
            "🟠 **UNTRACKED**",
            format!("{} of them state no version and pin no submodule commit", count(n)),
        ),
    };
    let evidence = match components.len() {
        0 => detail,
        n => format!(
            "{} ({} submodules), {}, {} code lines; {detail}",
            plural(n, "vendored component"),
            count(submodules),
            plural(files, "file"),
            int(code_lines)
        ),
    };
    vec!["**Third-Party Vendoring**".to_string(), status.to_string(), evidence]
}

/// Dependency Updates: Renovate (which covers every manager by default) or Dependabot for
/// every ecosystem present → COVERED; Dependabot for some → PARTIAL; neither → NONE.
/// The ecosystems present are those of the manifests, plus GitHub Actions when a workflow
/// uses an action from outside the repository.
fn updates_row(audit: &Audit) -> Vec<String> {
    let posture = &audit.supply_chain.posture;
    let mut present = posture.ecosystems_present.clone();
    if audit.ci.action_refs.iter().any(|r| r.pin != PinKind::Local) {
        present.push(Ecosystem::GithubActions);
    }
    present.sort();
    present.dedup();
    let missing: Vec<Ecosystem> = present
        .into_iter()
        .filter(|e| !posture.dependabot_ecosystems.contains(e))
        .collect();
    let status = match (
        posture.renovate,
        posture.dependabot_ecosystems.is_empty(),
        missing.is_empty(),
    ) {
        (true, _, _) | (false, false, true) => "🟢 **COVERED**",
        (false, false, false) => "🟡 **PARTIAL**",
        (false, true, _) => "🔴 **NONE**",
    };
    let mut evidence = vec![match posture.dependabot_ecosystems.as_slice() {
        [] => "no Dependabot `package-ecosystem`".to_string(),
        covered => format!("Dependabot: {}", names(covered)),
    }];
    if posture.renovate {
        evidence.push("Renovate configured".to_string());
    }
    if !missing.is_empty() {
        evidence.push(format!("not covered by Dependabot: {}", names(&missing)));
    }
    vec![
        "**Dependency Updates**".to_string(),
        status.to_string(),
        evidence.join("; "),
    ]
}

fn names(ecosystems: &[Ecosystem]) -> String {
    let names: Vec<String> = ecosystems
        .iter()
        .map(|e| {
            serde_json::to_value(e)
                .ok()
                .and_then(|v| v.as_str().map(code))
                .unwrap_or_default()
        })
        .collect();
    names.join(", ")
}

fn vendored(md: &mut Markdown, audit: &Audit) {
    md.heading("Vendored Components");
    let components = &audit.supply_chain.vendored;
    if components.is_empty() {
        md.line("None: no child folders of a vendoring folder in the tree, and no folder or file vendored by its content (own license file or manifest of another holder, license header naming another holder, known single-file library).");
        md.blank();
        return;
    }
    let mut largest: Vec<&VendoredComponent> = components.iter().collect();
    largest.sort_by(|a, b| {
        b.code_lines
            .cmp(&a.code_lines)
            .then(b.files.cmp(&a.files))
            .then(a.path.cmp(&b.path))
    });
    md.line("Largest first. Found by: a vendoring folder's name, or the content rules of Appendix F (own license file, own manifest, license header, known single file) with what they read (file:line). Version: as the component states it (file:line) or the commit its submodule pins; license: the SPDX id its license file matches, with the match score, or the expression its manifest or header declares (100%).");
    md.blank();
    let rows = largest.iter().take(LIST_ROWS).map(|c| {
        vec![
            code(&c.path),
            found_by_cell(c),
            count(c.files),
            int(c.code_lines),
            version_cell(c),
            c.license.as_ref().map_or("—".to_string(), |l| {
                format!("{} ({}%, {})", code(&l.spdx), l.confidence_percent, code(&l.path))
            }),
        ]
    });
    md.table(
        &["Component", "Found by", "Files", "Code lines", "Version", "License"],
        rows,
    );
    more(md, components.len(), LIST_ROWS);
}

fn found_by_cell(component: &VendoredComponent) -> String {
    match &component.evidence {
        Some(e) => {
            let place = format!("{}:{}", e.location.path, e.location.line);
            format!("{}: {} ({})", component.found_by.label(), e.value, code(&place))
        }
        None => component.found_by.label().to_string(),
    }
}

fn version_cell(component: &VendoredComponent) -> String {
    let stated = component.version.as_ref().map(|v| {
        let place = format!("{}:{}", v.location.path, v.location.line);
        format!("{} ({})", code(&v.value), code(&place))
    });
    let pinned = component
        .submodule_commit
        .as_deref()
        .map(|c| format!("submodule {}", code(short(c))));
    match (stated, pinned) {
        (Some(s), Some(p)) => format!("{s}; {p}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => "—".to_string(),
    }
}

fn binary_artifacts(md: &mut Markdown, audit: &Audit) {
    md.heading("Binary Artifacts");
    let artifacts = &audit.supply_chain.binary_artifacts;
    if artifacts.is_empty() {
        md.line("None: no executables, libraries, object files, bytecode or archives committed.");
        md.blank();
        return;
    }
    let mut by_kind: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for artifact in artifacts {
        let entry = by_kind.entry(artifact.kind.as_str()).or_default();
        entry.0 += 1;
        entry.1 += artifact.bytes;
    }
    md.line(format!(
        "{} committed (rule `binary-artifact`, as OpenSSF Scorecard's Binary-Artifacts check counts them):",
        plural(artifacts.len(), "binary artifact")
    ));
    md.blank();
    md.table(
        &["Kind", "Files", "Bytes"],
        by_kind
            .iter()
            .map(|(kind, (files, bytes))| vec![code(kind), count(*files), int(*bytes)]),
    );
    md.table(
        &["Path", "Kind", "Bytes"],
        artifacts
            .iter()
            .take(LIST_ROWS)
            .map(|a| vec![code(&a.path), code(&a.kind), int(a.bytes)]),
    );
    more(md, artifacts.len(), LIST_ROWS);
}

/// Counts per secret rule and the files they are in; never a value (findings hold none).
fn secrets(md: &mut Markdown, audit: &Audit) {
    md.heading("Secret Scanning");
    let Some(rules) = analyzer_rules(audit, "secrets") else {
        md.line(NOT_AUDITED);
        md.blank();
        return;
    };
    let found: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule.as_str()))
        .collect();
    md.line(format!(
        "Every text file checked in the scan's one pass for {} kinds of credential: formats that identify themselves, AWS secret keys beside their id or by name, and literal passwords in URLs and `docker login` ({}); placeholders (`EXAMPLE`, `xxx`, `...` bodies, `password`) are not counted. No output shows a credential: every snippet and message is masked.",
        count(rules.len()),
        rules.iter().map(|r| code(r)).collect::<Vec<_>>().join(", ")
    ));
    md.blank();
    if found.is_empty() {
        md.line("- 🟢 **No committed credentials** matched.");
        md.blank();
        return;
    }
    let mut by_rule: BTreeMap<&str, (usize, usize, Vec<&str>)> = BTreeMap::new();
    for f in &found {
        let entry = by_rule.entry(f.rule.as_str()).or_default();
        entry.0 += f.open_weight();
        entry.1 += f.weight() - f.open_weight();
        entry.2.push(f.location.path.as_str());
    }
    let worst = found.iter().filter(|f| !f.suppressed).map(|f| f.severity).max();
    if worst == Some(Severity::High) {
        md.line("- 🔴 **Committed credentials**: revoke each, then remove it (it stays in git history).");
        md.blank();
    }
    let rows = by_rule.into_iter().map(|(rule, (open, suppressed, mut paths))| {
        paths.dedup();
        let shown: Vec<String> = paths.iter().take(3).map(|p| code(p)).collect();
        let files = match paths.len() {
            n if n > 3 => format!("{}, … ({n} files)", shown.join(", ")),
            _ => shown.join(", "),
        };
        vec![code(rule), count(open), count(suppressed), files]
    });
    md.table(&["Rule", "Open", "Suppressed", "Where"], rows);
}

/// The ids of the rules of `group`, when the analyzer reporting them ran.
fn analyzer_rules<'a>(audit: &'a Audit, group: &str) -> Option<Vec<&'a str>> {
    let rules: Vec<&str> = audit.rules.iter().filter(|r| r.group == group).map(|r| r.id).collect();
    (!rules.is_empty()).then_some(rules)
}

/// SBOM / Provenance: each line present (with the file that shows it) or absent.
fn provenance(md: &mut Markdown, audit: &Audit) {
    let posture = &audit.supply_chain.posture;
    md.heading("SBOM / Provenance");
    let sbom = crate::render::cyclonedx::summary(audit);
    md.line(format!(
        "- **SBOM**: `plumb sbom` (or `--format cyclonedx`) writes CycloneDX 1.6 JSON: {}, {}",
        sbom.describe(),
        plural(sbom.relationships, "dependency link")
    ));
    let evidence: Vec<String> = posture
        .provenance
        .iter()
        .take(5)
        .map(|e| {
            format!(
                "{} ({})",
                code(&e.value),
                code(&format!("{}:{}", e.location.path, e.location.line))
            )
        })
        .collect();
    md.line(match evidence.len() {
        0 => "- **Provenance**: ⚠️ none: no SLSA generator, `actions/attest*`, sigstore action or `cosign sign|attest` in the workflows".to_string(),
        _ => format!("- **Provenance**: 🟢 {} ({} in all)", evidence.join(", "), count(posture.provenance.len())),
    });
    md.line(present(
        "Security policy",
        posture.security_policy.as_deref(),
        "no `SECURITY.md` at the root, in `.github/` or `docs/`",
    ));
    md.line(present(
        "CODEOWNERS",
        posture.codeowners.as_deref(),
        "no `CODEOWNERS` at the root, in `.github/` or `docs/`",
    ));
    md.line(match &posture.repository_license {
        Some(l) => format!("- **License**: 🟢 {} ({})", code(&l.expression), license_sources(l)),
        None => "- **License**: ⚠️ no root manifest declares an SPDX `license` and no root license file's text matches a known SPDX license".to_string(),
    });
    md.blank();
}

/// Where the repository's license comes from: the declaring manifest fields (file:line),
/// then the matched license files.
fn license_sources(license: &RepositoryLicense) -> String {
    let declared = license.declared.iter().map(|d| {
        let place = format!("{}:{}", d.location.path, d.location.line);
        if d.value == license.expression {
            format!("declared in {}", code(&place))
        } else {
            format!("{} declares {}", code(&place), code(&d.value))
        }
    });
    let files = license
        .files
        .iter()
        .map(|f| format!("{} {}% match, {}", code(&f.spdx), f.confidence_percent, code(&f.path)));
    declared.chain(files).collect::<Vec<_>>().join("; ")
}

fn present(label: &str, path: Option<&str>, absent: &str) -> String {
    match path {
        Some(path) => format!("- **{label}**: 🟢 {}", code(path)),
        None => format!("- **{label}**: ⚠️ {absent}"),
    }
}
