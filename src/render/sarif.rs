//! `audit.sarif`: every finding of the audit as SARIF 2.1.0, the format GitHub code scanning
//! uploads (`github/codeql-action/upload-sarif`) and SARIF viewers read.
//! Spec: <https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html>
//!
//! SARIF is a public contract read by other tools, so it is written from the frozen wire
//! types below, not by serialising the model: a field renamed or added in the model must
//! never change this file's shape by accident (zizmor's `output/json/v1.rs` records what
//! serialising the internal type cost them). The types cover only what plumb emits; field
//! names are SARIF's. They are hand-written rather than taken from `serde-sarif` (see
//! `shared/design/DEPENDENCIES.md`): about ten small structs against a crate that generates
//! its types from the schema at build time.
//!
//! Output is deterministic: rules sorted by id, results in finding order (place, then rule),
//! maps sorted, no time stamps and no absolute paths. Artifact URIs are relative to
//! `%SRCROOT%`, the repository root, whose absolute value (`originalUriBaseIds`) is left
//! out on purpose: it would differ between machines, and code scanning resolves it to the
//! checkout anyway.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Audit, Confidence, Finding, Rule, Severity};

/// The `$schema` GitHub's documentation uses for SARIF 2.1.0.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const VERSION: &str = "2.1.0";
/// Key of the one partial fingerprint; bump `v1` if `Finding::fingerprint` changes meaning.
const FINGERPRINT_KEY: &str = "plumb/v1";
/// The base every artifact URI is relative to: the root of the audited repository.
const SRCROOT: &str = "%SRCROOT%";

/// The audit's findings as a SARIF log with one run, two-space indented, ending in a newline.
pub fn render(audit: &Audit) -> String {
    let mut text = serde_json::to_string_pretty(&log(audit)).expect("the SARIF wire types serialise: plain data");
    text.push('\n');
    text
}

fn log(audit: &Audit) -> Log<'_> {
    // The model sorts and deduplicates these already (`Audit::normalize`); sorting again
    // here keeps the output stable even for an audit that was not normalized.
    let mut rules: Vec<&Rule> = audit.rules.iter().collect();
    rules.sort_by_key(|r| r.id);
    rules.dedup_by_key(|r| r.id);
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut findings: Vec<&Finding> = audit.findings.iter().collect();
    findings.sort();

    Log {
        schema: SCHEMA,
        version: VERSION,
        runs: [Run {
            tool: Tool {
                driver: ToolComponent {
                    name: &audit.tool.name,
                    version: &audit.tool.version,
                    rules: rules.into_iter().map(descriptor).collect(),
                },
            },
            results: findings
                .into_iter()
                .map(|f| result(f, index.get(f.rule.as_str()).copied()))
                .collect(),
            column_kind: "unicodeCodePoints",
            properties: RunProperties {
                rubric_version: &audit.scores.rubric_version,
                scores: [
                    ("arch", audit.scores.arch.value),
                    ("ci", audit.scores.ci.value),
                    ("overall", audit.scores.overall.value),
                    ("security", audit.scores.security.value),
                    ("tests", audit.scores.tests.value),
                ]
                .into_iter()
                .collect(),
            },
        }],
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor<'_> {
    ReportingDescriptor {
        id: rule.id,
        name: pascal_case(rule.id),
        short_description: Message {
            text: rule.title.to_string(),
        },
        full_description: MultiformatMessage {
            text: rule.help,
            markdown: rule.help,
        },
        help: MultiformatMessage {
            text: rule.help,
            markdown: rule.help,
        },
        // A `Rule` carries no severity of its own (each finding does, and every result
        // states its level), so the default is SARIF's own default level.
        default_configuration: ReportingConfiguration { level: Level::Warning },
    }
}

/// `rule_index` is the rule's place in `tool.driver.rules`; `None` for a rule the audit
/// does not describe, which `ruleId` alone still names.
fn result(finding: &Finding, rule_index: Option<usize>) -> SarifResult<'_> {
    let location = &finding.location;
    // NOTE: SARIF lines and columns are 1-based, like the model's, so they are copied as
    // they are. `max(1)` only keeps one malformed location from invalidating the whole log.
    let start_column = location.column.max(1);
    let mut text = finding.message.clone();
    if !finding.remediation.trim().is_empty() {
        text.push_str("\n\nRemediation: ");
        text.push_str(finding.remediation);
    }
    SarifResult {
        rule_id: &finding.rule,
        rule_index,
        level: finding.severity.into(),
        message: Message { text },
        locations: [SarifLocation {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: artifact_uri(&location.path),
                    uri_base_id: SRCROOT,
                },
                region: Region {
                    start_line: location.line.max(1),
                    start_column,
                    // endColumn is exclusive: the column just after the span.
                    end_column: (finding.span > 0).then(|| start_column + finding.span),
                    snippet: finding.snippet.as_deref().map(|text| ArtifactContent { text }),
                },
            },
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, finding.fingerprint.as_str())]),
        suppressions: if finding.suppressed {
            vec![Suppression {
                kind: SuppressionKind::InSource,
            }]
        } else {
            Vec::new()
        },
        properties: ResultProperties {
            severity: severity_name(finding.severity),
            confidence: confidence_name(finding.confidence),
        },
    }
}

/// A repository-relative path as a relative URI reference: every byte but unreserved
/// characters and `/` is percent-encoded (a space, `%`, `#`, `?`, and `:`, which would
/// otherwise read as a scheme), so `config/dev settings.py` becomes `config/dev%20settings.py`.
fn artifact_uri(path: &str) -> String {
    super::percent_encode(&path.replace('\\', "/"), b"/")
}

/// `unpinned-uses` → `UnpinnedUses`: SARIF wants a rule `name` to be an identifier.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}

impl From<Severity> for Level {
    fn from(severity: Severity) -> Level {
        match severity {
            Severity::High => Level::Error,
            Severity::Medium => Level::Warning,
            Severity::Low | Severity::Info => Level::Note,
        }
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
    }
}

fn confidence_name(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::Low => "low",
        Confidence::Medium => "medium",
        Confidence::High => "high",
    }
}

// The wire types: SARIF 2.1.0 objects, only the properties plumb sets. Field order is the
// order in the file.

/// sarifLog (§3.13).
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

/// run (§3.14).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    /// What a column counts: the model's columns and spans count characters.
    column_kind: &'static str,
    properties: RunProperties<'a>,
}

/// The run's property bag (§3.8): the scores of the audit and the rubric that gave them
/// (`null` for a score that is not assessable), so a log read alone says which rubric
/// judged it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    rubric_version: &'a str,
    scores: BTreeMap<&'static str, Option<f64>>,
}

/// tool (§3.18).
#[derive(Serialize)]
struct Tool<'a> {
    driver: ToolComponent<'a>,
}

/// toolComponent (§3.19).
#[derive(Serialize)]
struct ToolComponent<'a> {
    name: &'a str,
    version: &'a str,
    rules: Vec<ReportingDescriptor<'a>>,
}

/// reportingDescriptor (§3.49): a rule.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Message,
    full_description: MultiformatMessage<'a>,
    help: MultiformatMessage<'a>,
    default_configuration: ReportingConfiguration,
}

/// reportingConfiguration (§3.50).
#[derive(Serialize)]
struct ReportingConfiguration {
    level: Level,
}

/// result.level (§3.27.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
enum Level {
    Error,
    Warning,
    Note,
}

/// result (§3.27).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: Level,
    message: Message,
    locations: [SarifLocation<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

/// message (§3.11), plain text only.
#[derive(Serialize)]
struct Message {
    text: String,
}

/// multiformatMessageString (§3.12).
#[derive(Serialize)]
struct MultiformatMessage<'a> {
    text: &'a str,
    markdown: &'a str,
}

/// location (§3.28).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation<'a>,
}

/// physicalLocation (§3.29).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    region: Region<'a>,
}

/// artifactLocation (§3.4).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

/// region (§3.30), a line/column text region on one line.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<ArtifactContent<'a>>,
}

/// artifactContent (§3.3).
#[derive(Serialize)]
struct ArtifactContent<'a> {
    text: &'a str,
}

/// suppression (§3.35).
#[derive(Serialize)]
struct Suppression {
    kind: SuppressionKind,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum SuppressionKind {
    /// Silenced by a comment in the source (`# plumb: ignore[rule-id]`).
    InSource,
}

/// The result's property bag (§3.8): plumb's own severity and confidence, which SARIF's
/// three levels cannot carry.
#[derive(Serialize)]
struct ResultProperties {
    severity: &'static str,
    confidence: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;

    #[test]
    fn sample_snapshot() {
        insta::assert_snapshot!(render(&sample()));
    }

    #[test]
    fn rendering_twice_is_byte_identical() {
        let audit = sample();
        assert_eq!(render(&audit), render(&audit));
        let mut shuffled = sample();
        shuffled.findings.reverse();
        shuffled.rules.reverse();
        assert_eq!(
            render(&audit),
            render(&shuffled),
            "output must not depend on input order"
        );
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(Level::from(Severity::High), Level::Error);
        assert_eq!(Level::from(Severity::Medium), Level::Warning);
        assert_eq!(Level::from(Severity::Low), Level::Note);
        assert_eq!(Level::from(Severity::Info), Level::Note);

        let sarif: serde_json::Value = serde_json::from_str(&render(&sample())).expect("valid JSON");
        let levels: Vec<(&str, &str, &str)> = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().expect("ruleId"),
                    r["level"].as_str().expect("level"),
                    r["properties"]["severity"].as_str().expect("severity"),
                )
            })
            .collect();
        assert_eq!(
            levels,
            [
                ("unpinned-uses", "error", "high"),
                ("hardcoded-credential", "warning", "medium"),
                ("large-file", "note", "info"),
                ("todo-comment", "note", "low"),
            ]
        );
    }

    #[test]
    fn results_point_at_their_rules() {
        let audit = sample();
        let sarif: serde_json::Value = serde_json::from_str(&render(&audit)).expect("valid JSON");
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().expect("id")).collect();
        assert_eq!(
            ids,
            ["hardcoded-credential", "large-file", "todo-comment", "unpinned-uses"]
        );
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), audit.findings.len());
        for result in results {
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }

    #[test]
    fn a_finding_without_a_rule_keeps_its_rule_id_only() {
        let mut audit = sample();
        audit.rules.retain(|r| r.id != "large-file");
        let sarif: serde_json::Value = serde_json::from_str(&render(&audit)).expect("valid JSON");
        let result = &sarif["runs"][0]["results"][2];
        assert_eq!(result["ruleId"], "large-file");
        assert!(result.get("ruleIndex").is_none(), "{result}");
    }

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(artifact_uri("src/lib.rs"), "src/lib.rs");
        assert_eq!(artifact_uri("config/dev settings.py"), "config/dev%20settings.py");
        assert_eq!(artifact_uri("docs/café.md"), "docs/caf%C3%A9.md");
        assert_eq!(artifact_uri("a:b/c#d?e%f"), "a%3Ab/c%23d%3Fe%25f");
        assert_eq!(artifact_uri("win\\path.rs"), "win/path.rs");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("unpinned-uses"), "UnpinnedUses");
        assert_eq!(pascal_case("large-file"), "LargeFile");
        assert_eq!(pascal_case("x"), "X");
    }

    /// The sample's SARIF, with snippets, a suppression and rules, against the official
    /// OASIS SARIF 2.1.0 schema (`tests/validate_sarif.py`; `tests/sarif.rs` does the same
    /// for the binary's output).
    #[test]
    fn sample_is_valid_sarif_2_1_0() {
        crate::render::assert_valid("validate_sarif.py", "sample.sarif", &render(&sample()));
    }
}
