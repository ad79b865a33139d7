//! What the supply-chain analyzers (`vendored`, `binary-artifacts`, `posture`) gather
//! during the scan: one field of [`super::Analysis`], merged and sorted as a unit so the
//! shared accumulator grows by one line.

use crate::model::{BinaryArtifact, Confidence, Evidence, Finding, LicenseMatch, Location, Rule, Severity};

use super::vendored::{ContentComponent, HeaderFacts, LicenseFileFacts, ManifestFacts};
use super::workflows::fingerprint;

#[derive(Debug, Default)]
pub struct SupplyFacts {
    /// Versions that vendored components state about themselves.
    pub versions: Vec<VersionClaim>,
    /// License files of vendored components and of the repository root, matched.
    pub licenses: Vec<LicenseMatch>,
    /// Extension-less files whose first bytes are an executable's magic number.
    pub executables: Vec<BinaryArtifact>,
    /// `cosign sign` / `cosign attest` lines of workflow scripts.
    pub signing: Vec<Evidence>,
    /// License files outside vendoring folders (the root's included), with their holders.
    pub license_files: Vec<LicenseFileFacts>,
    /// Package manifests outside vendoring folders.
    pub manifests: Vec<ManifestFacts>,
    /// Source files' headers that name a copyright holder or a known library.
    pub headers: Vec<HeaderFacts>,
    /// Vendored components found by content, after the scan (`vendored::settle`).
    pub content_vendored: Vec<ContentComponent>,
}

/// A version stated inside a vendored component; several may compete, the best wins.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionClaim {
    /// The component's folder.
    pub component: String,
    /// Lower is more trustworthy: how deep the file sits in the component, then its kind.
    pub rank: (usize, u8),
    pub evidence: Evidence,
}

impl SupplyFacts {
    pub fn merge(&mut self, other: SupplyFacts) {
        self.versions.extend(other.versions);
        self.licenses.extend(other.licenses);
        self.executables.extend(other.executables);
        self.signing.extend(other.signing);
        self.license_files.extend(other.license_files);
        self.manifests.extend(other.manifests);
        self.headers.extend(other.headers);
        self.content_vendored.extend(other.content_vendored);
    }

    pub fn sort(&mut self) {
        self.versions.sort();
        self.licenses.sort();
        self.executables.sort();
        self.signing.sort();
        self.license_files.sort();
        self.manifests.sort();
        self.headers.sort();
        self.content_vendored.sort();
    }
}

/// A finding of `rule` at `location`, high confidence, with the rule's help as the
/// remediation and a fingerprint of rule, path and message (no line, so it survives
/// unrelated edits). Callers that point at a span or show a snippet set those fields.
pub fn finding(rule: &Rule, location: Location, severity: Severity, message: String) -> Finding {
    Finding {
        fingerprint: fingerprint(&[rule.id, &location.path, &message]),
        location,
        rule: rule.id.to_string(),
        severity,
        confidence: Confidence::High,
        message,
        remediation: rule.help,
        snippet: None,
        snippet_column: 1,
        span: 0,
        suppressed: false,
        omitted: None,
    }
}
