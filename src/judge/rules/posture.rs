//! `no-security-policy`: no security policy where GitHub looks for one (the posture facts).
//! `vendored-without-license`: a vendored component whose folder has no license plumb
//! recognises (the vendored facts).

use crate::model::{Audit, Confidence, Finding, Rule, Severity, VendoredBy};

use super::{finding, plural, Judgement};

pub const NO_SECURITY_POLICY: Rule = Rule {
    group: "security",
    id: "no-security-policy",
    title: "no security policy",
    help: "No `SECURITY.md` (nor `.rst`, `.txt` or a bare `SECURITY`) in `.github/`, at the root or in `docs/`, where GitHub looks for one: whoever finds a vulnerability has no private way to report it and may open a public issue, and there is no stated process for the security fixes a refactor may have to ship. Add a `SECURITY.md` that names the supported versions and a private reporting channel (GitHub's private vulnerability reporting, or an address), as OpenSSF Scorecard's Security-Policy check asks. Reported at `SECURITY.md`, line 1: the file to add.",
};

pub const VENDORED_WITHOUT_LICENSE: Rule = Rule {
    group: "security",
    id: "vendored-without-license",
    title: "vendored code without a recognised license",
    help: "Vendored code is redistributed with this repository under its own license, which has to be known and kept beside it. plumb found no `LICENSE`, `LICENCE` or `COPYING` file directly in the component's folder whose text matches a common SPDX license (a match of 80 % or more): either there is none, or its text is one plumb does not know. Until the license is known, the component can be neither updated nor removed with its obligations checked. Add the upstream license file to the folder, with the version the code was copied from; where the license is only stated in headers, copy it into a `LICENSE` file. Components that are git submodules are not judged: their files are not in the snapshot; nor are files found vendored by their license header or as a known single-file library, whose license is in their header. Reported at the component's folder, line 1; medium confidence, since a license stated elsewhere is not seen.",
};

pub fn findings(audit: &Audit) -> Vec<Finding> {
    let mut found: Vec<Finding> = no_security_policy(audit).into_iter().collect();
    found.extend(vendored_without_license(audit));
    found
}

fn no_security_policy(audit: &Audit) -> Option<Finding> {
    if audit.supply_chain.posture.security_policy.is_some() {
        return None;
    }
    Some(finding(
        &NO_SECURITY_POLICY,
        ("SECURITY.md", 1),
        &[],
        Judgement {
            severity: Severity::Medium,
            confidence: Confidence::High,
            message: "no security policy: no SECURITY.md in `.github/`, at the root or in `docs/`".to_string(),
        },
    ))
}

fn vendored_without_license(audit: &Audit) -> Vec<Finding> {
    audit
        .supply_chain
        .vendored
        .iter()
        // A submodule's files are not in the snapshot: its license cannot be looked for.
        .filter(|component| component.license.is_none() && component.files > 0)
        // Files found by their header or name: their license is in that header, which
        // plumb reads for an SPDX identifier only; the rule is about a folder's license file.
        .filter(|component| !matches!(component.found_by, VendoredBy::LicenseHeader | VendoredBy::KnownFile))
        .map(|component| {
            let message = format!(
                "vendored component `{}` ({}, {}) has no license file in its folder whose text matches a known license",
                component.name,
                plural(component.files, "file"),
                plural(component.code_lines, "code line"),
            );
            finding(
                &VENDORED_WITHOUT_LICENSE,
                (&component.path, 1),
                &[&component.path],
                Judgement {
                    severity: Severity::Medium,
                    confidence: Confidence::Medium,
                    message,
                },
            )
        })
        .collect()
}
