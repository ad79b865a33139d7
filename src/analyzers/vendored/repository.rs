//! The repository's own license (rule: [`crate::model::RepositoryLicense`]) and its own
//! copyright holders, which the vendoring rules compare other code against.

use spdx::ParseMode;

use crate::model::{Evidence, LicenseMatch, RepositoryLicense};

use super::manifest::ManifestFacts;

/// How declared expressions are read: strict SPDX, but with Cargo's old `MIT/Apache-2.0`
/// and `GPL-2.0+`, and deprecated ids; no guessing of imprecise names (`BSD`).
const DECLARED: ParseMode = ParseMode {
    allow_slash_as_or_operator: true,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: false,
};

/// Root manifests in the order their declaration counts.
const ROOT_MANIFESTS: &[&str] = &["Cargo.toml", "pyproject.toml", "package.json"];

/// A declared `license` value as an SPDX expression (`/` written as ` OR `), if it is one.
pub fn as_expression(value: &str) -> Option<String> {
    let value = value.trim();
    spdx::Expression::parse_mode(value, DECLARED).ok()?;
    if value.contains('/') {
        let parts: Vec<&str> = value.split('/').map(str::trim).collect();
        Some(parts.join(" OR "))
    } else {
        Some(value.to_string())
    }
}

/// The repository's license from the root manifests and the root license files (sorted
/// by path).
pub fn repository_license(licenses: &[LicenseMatch], manifests: &[ManifestFacts]) -> Option<RepositoryLicense> {
    let declared: Vec<Evidence> = ROOT_MANIFESTS
        .iter()
        .filter_map(|name| manifests.iter().find(|m| m.path == *name))
        .filter_map(|m| m.license.clone())
        .collect();
    let files: Vec<LicenseMatch> = licenses.iter().filter(|m| !m.path.contains('/')).cloned().collect();
    let expression = declared
        .iter()
        .find_map(|d| as_expression(&d.value))
        .or_else(|| files_expression(&files))?;
    Some(RepositoryLicense {
        expression,
        declared,
        files,
    })
}

/// The ids of `files`, first occurrence first, joined with `OR`; an LGPL text drops the
/// GPL text of the same version it supplements.
pub fn files_expression(files: &[LicenseMatch]) -> Option<String> {
    let mut ids: Vec<&str> = Vec::new();
    for file in files {
        if !ids.contains(&file.spdx.as_str()) {
            ids.push(&file.spdx);
        }
    }
    let supplemented: Vec<String> = ids
        .iter()
        .filter_map(|id| id.strip_prefix("L").filter(|rest| rest.starts_with("GPL-3")))
        .map(str::to_string)
        .collect();
    ids.retain(|id| !supplemented.iter().any(|gpl| gpl == id));
    (!ids.is_empty()).then(|| ids.join(" OR "))
}

/// The SPDX ids an expression names (`MIT OR Apache-2.0`: both), for comparing licenses.
pub fn ids_of(expression: &str) -> Vec<String> {
    match spdx::Expression::parse_mode(expression, DECLARED) {
        Ok(parsed) => parsed
            .requirements()
            .map(|r| r.req.license.to_string())
            .map(|id| id.trim_end_matches('+').to_string())
            .collect(),
        Err(_) => vec![expression.trim().to_string()],
    }
}

/// Whether two license ids are the same license, the GPL family's `-only` / `-or-later`
/// suffixes aside (the matcher stores the full text under `-or-later`).
pub fn same_license(a: &str, b: &str) -> bool {
    let base = |id: &str| {
        id.trim_end_matches("-or-later")
            .trim_end_matches("-only")
            .trim_end_matches('+')
            .to_ascii_lowercase()
    };
    base(a) == base(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn file(path: &str, spdx: &str) -> LicenseMatch {
        LicenseMatch {
            spdx: spdx.to_string(),
            confidence_percent: 99,
            path: path.to_string(),
        }
    }

    fn manifest(path: &str, license: &str) -> ManifestFacts {
        ManifestFacts {
            path: path.to_string(),
            license: Some(Evidence {
                value: license.to_string(),
                location: Location {
                    path: path.to_string(),
                    line: 7,
                    column: 11,
                },
            }),
            ..ManifestFacts::default()
        }
    }

    #[test]
    fn declared_expression_wins_over_files() {
        let files = [file("LICENSE-MIT", "MIT"), file("UNLICENSE", "Unlicense")];
        let found = repository_license(&files, &[manifest("Cargo.toml", "Unlicense OR MIT")]).expect("found");
        assert_eq!(found.expression, "Unlicense OR MIT");
        assert_eq!(found.declared[0].location.line, 7);
        assert_eq!(found.files.len(), 2);
        // Without a declaration the files make the expression, in path order.
        assert_eq!(
            repository_license(&files, &[]).expect("found").expression,
            "MIT OR Unlicense"
        );
        // A nested manifest declares nothing for the repository; free text is no expression.
        let others = [
            manifest("crates/a/Cargo.toml", "GPL-3.0"),
            manifest("pyproject.toml", "BSD License"),
        ];
        assert_eq!(
            repository_license(&files, &others).expect("found").expression,
            "MIT OR Unlicense"
        );
        assert_eq!(as_expression("MIT/Apache-2.0").as_deref(), Some("MIT OR Apache-2.0"));
    }

    #[test]
    fn lgpl_supplements_gpl() {
        let files = [
            file("COPYING", "GPL-3.0-or-later"),
            file("COPYING.LESSER", "LGPL-3.0-or-later"),
        ];
        assert_eq!(files_expression(&files).as_deref(), Some("LGPL-3.0-or-later"));
        assert_eq!(
            files_expression(&[file("LICENSE", "MIT"), file("LICENSE.txt", "MIT")]).as_deref(),
            Some("MIT")
        );
        assert_eq!(files_expression(&[]), None);
    }

    #[test]
    fn ids_compare_across_gpl_suffixes() {
        assert_eq!(ids_of("MIT OR Apache-2.0"), ["MIT", "Apache-2.0"]);
        assert!(same_license("GPL-2.0-only", "GPL-2.0-or-later"));
        assert!(!same_license("MIT", "MIT-0"));
    }
}
