//! The Python versions CI asks for (`ci.python_versions`, see
//! `analyzers::workflows::python`) against the requirement the project declares
//! (`toolchains`), as the fact `python_versions`, and `ci-python-outside-requirement` for
//! a version the requirement excludes.
//!
//! The requirement is the `requires-python`, Poetry `python` and `python_requires`
//! declarations at the root of the tree; with none there, the one value all such
//! declarations of the tree agree on; with several that differ, nothing is compared, and
//! the fact says why. `.python-version` pins a development interpreter, not a range, and
//! is not a requirement. Specifiers are read as PEP 440 (`>=`, `>`, `<=`, `<`, `==`, `!=`,
//! `~=`, `===`, comma-separated, `==3.*` wildcards) by `pep440_rs`, the parser the
//! dependency manifests use; Poetry's `^3.9` and `~3.9` are read as the ranges they mean
//! (`>=3.9,<4.0`, `>=3.9,<3.10`), a bare Poetry version as `==`, and `A || B` as either.
//! A CI version is compared as the release it names: `pypy3.10` as `3.10`, `3.13t` (free
//! threaded) and `3.14-dev` as `3.13` and `3.14`, `3.10` as `3.10.0`; anything else
//! (`3.x`, `latest`, a range given to setup-python) is listed and not judged.
//!
//! A version outside the requirement is a finding, low severity and medium confidence:
//! installing the project on that Python fails (pip refuses it), so the job either fails
//! or tests something other than the project as declared; the declaration or the matrix
//! is wrong. That CI never asks for the lowest declared `X.Y` is a fact, not a finding: the
//! oldest supported Python is then untested, which the reader weighs.

use std::str::FromStr;

use pep508_rs::pep440_rs::{Operator, Version, VersionSpecifiers};

use crate::model::{
    Audit, CheckedPythonVersion, CiValueSource, Confidence, Finding, PythonVersionCheck, PythonVersionStatus, Rule,
    Severity, Toolchain, ToolchainDecl,
};

use super::{finding, Judgement};

pub const CI_PYTHON_OUTSIDE_REQUIREMENT: Rule = Rule {
    group: "workflows",
    id: "ci-python-outside-requirement",
    title: "CI asks for a Python version the project's requirement excludes",
    help: "A workflow installs a Python version (the `python-version` of `actions/setup-python`, `astral-sh/setup-uv`, `conda-incubator/setup-miniconda`, or of a reusable workflow it calls, through its matrix or a literal `env:` where needed) that the project's declared requirement (`requires-python`, Poetry's `python` or `python_requires` at the root) excludes. pip refuses to install the project on that Python, so the job either fails or tests something other than the project as declared. Either widen the requirement to the versions CI tests, or take the version out of the matrix. Reported at the line that writes the version; low severity, medium confidence (a job may test a tool rather than the project).",
};

/// Most characters of a requirement or CI value read as a version.
const MAX_VERSION_TEXT: usize = 200;

/// The comparison, and a finding for each CI value outside the requirement.
pub fn check(audit: &Audit) -> (PythonVersionCheck, Vec<Finding>) {
    let ci = &audit.ci.python_versions;
    let mut fact = PythonVersionCheck {
        unresolved: ci.iter().filter(|v| v.source == CiValueSource::Unresolved).count(),
        ..Default::default()
    };
    let requirement = match requirement(&audit.toolchains) {
        Ok(decls) => decls,
        Err(why) => {
            fact.not_compared = Some(why);
            Vec::new()
        }
    };
    let mut parsed: Vec<(&ToolchainDecl, Requirement)> = Vec::new();
    for decl in &requirement {
        match Requirement::parse(&decl.value) {
            Some(r) => parsed.push((decl, r)),
            None => {
                fact.not_compared = Some(format!(
                    "the requirement `{}` ({}:{}) is not a version specifier plumb reads",
                    decl.value.chars().take(MAX_VERSION_TEXT).collect::<String>(),
                    decl.path,
                    decl.line
                ));
            }
        }
    }
    if fact.not_compared.is_some() {
        parsed.clear();
    }
    fact.requirement = requirement.iter().map(|d| (*d).clone()).collect();
    if !parsed.is_empty() {
        fact.lowest_declared = lowest(&parsed);
    }
    let mut findings = Vec::new();
    let mut versions: Vec<(Option<Version>, CheckedPythonVersion)> = Vec::new();
    let mut places: std::collections::HashSet<(&str, &str, usize)> = std::collections::HashSet::new();
    for value in ci.iter().filter(|v| v.source != CiValueSource::Unresolved) {
        let release = ci_release(&value.value);
        let status = match (&release, parsed.is_empty()) {
            (Some(v), false) => match parsed.iter().find(|(_, r)| !r.contains(v)) {
                Some((decl, _)) => {
                    findings.push(outside(value, decl));
                    PythonVersionStatus::Outside
                }
                None => PythonVersionStatus::Admitted,
            },
            _ => PythonVersionStatus::NotJudged,
        };
        if let (Some(v), Some(lowest)) = (&release, &fact.lowest_declared) {
            fact.lowest_tested |= status == PythonVersionStatus::Admitted && minor_of(v) == *lowest;
        }
        let new_place = places.insert((value.value.as_str(), value.location.path.as_str(), value.location.line));
        match versions.iter_mut().find(|(_, c)| c.version == value.value) {
            Some((_, checked)) => {
                checked.uses += 1;
                if new_place {
                    checked.places += 1;
                    if checked.locations.len() < CheckedPythonVersion::LOCATIONS {
                        checked.locations.push(value.location.clone());
                    }
                }
            }
            None => versions.push((
                release,
                CheckedPythonVersion {
                    version: value.value.clone(),
                    status,
                    uses: 1,
                    places: 1,
                    locations: vec![value.location.clone()],
                },
            )),
        }
    }
    // Versions in order (those plumb cannot read last, by text); locations in path order.
    versions.sort_by(|(a, x), (b, y)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b).then_with(|| x.version.cmp(&y.version)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => x.version.cmp(&y.version),
    });
    fact.versions = versions.into_iter().map(|(_, c)| c).collect();
    if ci.is_empty() && fact.not_compared.is_none() {
        fact.not_compared = Some("no workflow asks for a Python version".to_string());
    }
    (fact, findings)
}

fn outside(value: &crate::model::CiPythonVersion, decl: &ToolchainDecl) -> Finding {
    let via = match value.source {
        CiValueSource::Matrix => format!(", a matrix value of the input at line {}", value.input.line),
        CiValueSource::Env => format!(", an `env:` value of the input at line {}", value.input.line),
        _ => String::new(),
    };
    finding(
        &CI_PYTHON_OUTSIDE_REQUIREMENT,
        (&value.location.path, value.location.line),
        &[&value.location.path, &value.value],
        Judgement {
            severity: Severity::Low,
            confidence: Confidence::Medium,
            message: format!(
                "CI asks `{}` for Python `{}`{via}, which the declared `{}` ({}:{}) excludes",
                value.used_by, value.value, decl.value, decl.path, decl.line
            ),
        },
    )
}

/// The declarations that make the requirement (see the module doc), or why there are none.
fn requirement(toolchains: &[ToolchainDecl]) -> Result<Vec<&ToolchainDecl>, String> {
    let ranges: Vec<&ToolchainDecl> = toolchains
        .iter()
        .filter(|d| d.toolchain == Toolchain::Python && d.key != ".python-version")
        .collect();
    let root: Vec<&ToolchainDecl> = ranges.iter().copied().filter(|d| !d.path.contains('/')).collect();
    if !root.is_empty() {
        return Ok(root);
    }
    let first = ranges
        .first()
        .ok_or_else(|| "no Python requirement is declared".to_string())?;
    if ranges.iter().all(|d| d.value == first.value) {
        return Ok(vec![*first]);
    }
    Err(format!(
        "no Python requirement at the root, and the {} declared below it differ",
        ranges.len()
    ))
}

/// A requirement: alternatives (`||`), each a PEP 440 specifier set.
struct Requirement(Vec<VersionSpecifiers>);

impl Requirement {
    fn parse(text: &str) -> Option<Requirement> {
        if text.len() > MAX_VERSION_TEXT {
            return None;
        }
        let alternatives = text
            .split("||")
            .map(|alternative| {
                let clauses: Option<Vec<String>> = alternative.split(',').map(poetry_clause).collect();
                VersionSpecifiers::from_str(&clauses?.join(",")).ok()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Requirement(alternatives))
    }

    fn contains(&self, version: &Version) -> bool {
        self.0.iter().any(|s| s.contains(version))
    }

    /// Whether every alternative has a lower bound, so that a lowest version means one.
    fn bounded_below(&self) -> bool {
        self.0.iter().all(|specifiers| {
            specifiers.iter().any(|s| {
                matches!(
                    s.operator(),
                    Operator::GreaterThan
                        | Operator::GreaterThanEqual
                        | Operator::TildeEqual
                        | Operator::Equal
                        | Operator::EqualStar
                        | Operator::ExactEqual
                )
            })
        })
    }
}

/// One clause in PEP 440 form: Poetry's `^X.Y` and `~X.Y` as ranges, a bare version as
/// `==`, `*` as no bound (an empty clause is dropped by the join).
fn poetry_clause(clause: &str) -> Option<String> {
    let clause = clause.trim();
    if clause == "*" || clause.is_empty() {
        return Some(">=0".to_string());
    }
    let range = |rest: &str, caret: bool| -> Option<String> {
        let parts: Vec<u64> = rest
            .trim()
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<Vec<u64>>>()?;
        let upper = match (caret, parts.as_slice()) {
            // `^` bumps the first non-zero part, `~` the minor (or the major alone).
            (true, [..]) => {
                let i = parts.iter().position(|p| *p != 0).unwrap_or(parts.len() - 1);
                bump(&parts, i)?
            }
            (false, [_]) => bump(&parts, 0)?,
            (false, _) => bump(&parts, 1)?,
        };
        Some(format!(">={rest},<{upper}", rest = rest.trim()))
    };
    if let Some(rest) = clause.strip_prefix('^') {
        return range(rest, true);
    }
    if let Some(rest) = clause.strip_prefix('~').filter(|r| !r.starts_with('=')) {
        return range(rest, false);
    }
    if clause.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("=={clause}"));
    }
    Some(clause.to_string())
}

/// `parts` with part `i` raised by one and the rest dropped (`[3, 9]`, 0 → `4`).
fn bump(parts: &[u64], i: usize) -> Option<String> {
    let mut kept: Vec<u64> = parts.get(..=i)?.to_vec();
    let last = kept.last_mut()?;
    *last = last.checked_add(1)?;
    Some(kept.iter().map(u64::to_string).collect::<Vec<_>>().join("."))
}

/// The release a CI value names (see the module doc), or `None`.
fn ci_release(value: &str) -> Option<Version> {
    let text = value.trim();
    if text.len() > MAX_VERSION_TEXT {
        return None;
    }
    let text = text
        .strip_prefix("pypy-")
        .or_else(|| text.strip_prefix("pypy"))
        .unwrap_or(text);
    let text = text.strip_suffix("-dev").unwrap_or(text);
    let text = text.strip_suffix('t').unwrap_or(text);
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = (1..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()));
    numeric.then(|| Version::from_str(text).ok()).flatten()
}

/// `X.Y` of a version.
fn minor_of(version: &Version) -> String {
    let release = version.release();
    format!(
        "{}.{}",
        release.first().copied().unwrap_or(0),
        release.get(1).copied().unwrap_or(0)
    )
}

/// Highest major and minor tried for the lowest admitted version.
const MAJORS: std::ops::RangeInclusive<u64> = 2..=3;
const MINORS: u64 = 40;
const PATCHES: u64 = 40;

/// The lowest `X.Y` (Python 2 or 3) with a release every declaration admits, when each
/// has a lower bound.
fn lowest(parsed: &[(&ToolchainDecl, Requirement)]) -> Option<String> {
    if !parsed.iter().all(|(_, r)| r.bounded_below()) {
        return None;
    }
    for major in MAJORS {
        for minor in 0..MINORS {
            for patch in 0..PATCHES {
                let version = Version::new([major, minor, patch]);
                if parsed.iter().all(|(_, r)| r.contains(&version)) {
                    return Some(format!("{major}.{minor}"));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admits(requirement: &str, version: &str) -> Option<bool> {
        let requirement = Requirement::parse(requirement)?;
        Some(requirement.contains(&ci_release(version)?))
    }

    #[test]
    fn specifiers_follow_pep_440_and_poetry() {
        assert_eq!(admits(">=3.9", "3.8"), Some(false));
        assert_eq!(admits(">=3.9", "3.9"), Some(true));
        assert_eq!(admits(">=3.10,<3.15", "3.14"), Some(true));
        assert_eq!(admits(">=3.10, <3.15", "3.15"), Some(false));
        assert_eq!(admits(">3.9", "3.9"), Some(false));
        assert_eq!(admits("<=3.12", "3.12"), Some(true));
        assert_eq!(admits("==3.11.*", "3.11"), Some(true));
        assert_eq!(admits("==3.11.*", "3.12"), Some(false));
        assert_eq!(admits("!=3.10.*,>=3.8", "3.10"), Some(false));
        assert_eq!(admits("~=3.9", "3.13"), Some(true));
        assert_eq!(admits("~=3.9.1", "3.10"), Some(false));
        assert_eq!(admits("^3.9", "3.13"), Some(true));
        assert_eq!(admits("^3.9", "4.0"), Some(false));
        assert_eq!(admits("~3.9", "3.10"), Some(false));
        assert_eq!(admits("3.9", "3.9"), Some(true));
        assert_eq!(admits(">=2.7,<3 || >=3.6", "3.5"), Some(false));
        assert_eq!(admits(">=2.7,<3 || >=3.6", "3.6"), Some(true));
        assert_eq!(admits("*", "3.6"), Some(true));
        assert_eq!(admits(">=3.9", "pypy3.10"), Some(true));
        assert_eq!(admits(">=3.9", "3.13t"), Some(true));
        assert_eq!(admits("<3.14", "3.14-dev"), Some(false));
    }

    #[test]
    fn garbage_is_not_read_and_never_panics() {
        for bad in [
            "",
            ">=",
            "3.x",
            "latest",
            ">=3.9,<",
            "^",
            "~",
            "^99999999999999999999",
            "~18446744073709551615",
            "^18446744073709551615",
            "≥3.9",
            "|| >=3",
        ] {
            let _ = Requirement::parse(bad);
            let _ = ci_release(bad);
        }
        assert!(ci_release("3.x").is_none());
        assert!(ci_release(">=3.9").is_none());
        assert!(ci_release("99999999999.1").is_none());
        assert!(Requirement::parse(">=").is_none());
        assert!(Requirement::parse(&"1".repeat(1000)).is_none());
    }

    #[test]
    fn lowest_declared_minor() {
        let decl = |value: &str| ToolchainDecl {
            toolchain: Toolchain::Python,
            value: value.to_string(),
            path: "pyproject.toml".to_string(),
            line: 1,
            key: "requires-python".to_string(),
        };
        let of = |value: &str| {
            let d = decl(value);
            let r = Requirement::parse(value).expect("parses");
            lowest(&[(&d, r)])
        };
        assert_eq!(of(">=3.9").as_deref(), Some("3.9"));
        assert_eq!(of(">3.9").as_deref(), Some("3.9"));
        assert_eq!(of(">=3.9.2,!=3.9.*").as_deref(), Some("3.10"));
        assert_eq!(of("~=2.7").as_deref(), Some("2.7"));
        assert_eq!(of("<3.13"), None);
    }
}
