//! Appendix A's Python versions of CI against the declared requirement
//! (`audit.python_versions`, judged by `judge::rules::python_versions`).

use super::{code, count, plural, Markdown};
use crate::model::{Audit, PythonVersionStatus};

/// Rows of the version table shown; `audit.json` keeps them all.
const ROWS: usize = 20;

pub(super) fn python_versions(md: &mut Markdown, audit: &Audit) {
    let check = &audit.python_versions;
    if audit.ci.python_versions.is_empty() {
        return;
    }
    md.heading("Python Versions in CI against the Declared Requirement");
    let declared: Vec<String> = check
        .requirement
        .iter()
        .map(|d| format!("{} ({})", code(&d.value), code(&format!("{}:{}", d.path, d.line))))
        .collect();
    match (&check.not_compared, declared.is_empty()) {
        (Some(why), _) => md.line(format!("Not compared: {why}.")),
        (None, true) => md.line("Not compared: no Python requirement is declared."),
        (None, false) => {
            let lowest = match &check.lowest_declared {
                Some(lowest) => format!(
                    " The lowest declared version, {lowest}, is {}.",
                    if check.lowest_tested {
                        "tested by CI"
                    } else {
                        "**never tested by CI**"
                    }
                ),
                None => String::new(),
            };
            md.line(format!("Declared: {}.{lowest}", declared.join(", ")));
        }
    }
    md.blank();
    if !check.versions.is_empty() {
        md.table(
            &["Version", "Against the requirement", "Asked for", "Where"],
            check.versions.iter().take(ROWS).map(|v| {
                let status = match v.status {
                    PythonVersionStatus::Admitted => "admitted",
                    PythonVersionStatus::Outside => "**outside**",
                    PythonVersionStatus::NotJudged => "not judged",
                };
                let mut places: Vec<String> = v
                    .locations
                    .iter()
                    .map(|l| code(&format!("{}:{}", l.path, l.line)))
                    .collect();
                if v.places > v.locations.len() {
                    places.push(format!("… +{}", count(v.places - v.locations.len())));
                }
                vec![
                    code(&v.version),
                    status.to_string(),
                    plural(v.uses, "time"),
                    places.join(", "),
                ]
            }),
        );
        super::more(md, check.versions.len(), ROWS);
    }
    if check.unresolved > 0 {
        let examples: Vec<String> = audit
            .ci
            .python_versions
            .iter()
            .filter(|v| v.source == crate::model::CiValueSource::Unresolved)
            .take(3)
            .map(|v| {
                format!(
                    "{} ({})",
                    code(&v.value),
                    code(&format!("{}:{}", v.location.path, v.location.line))
                )
            })
            .collect();
        md.line(format!(
            "{} not resolved (inputs, outputs, matrices computed at run time): {}{}.",
            plural(check.unresolved, "`python-version` value"),
            examples.join(", "),
            if check.unresolved > examples.len() {
                format!(", … +{}", count(check.unresolved - examples.len()))
            } else {
                String::new()
            }
        ));
        md.blank();
    }
}
