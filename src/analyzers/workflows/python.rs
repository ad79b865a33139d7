//! The Python versions a workflow asks for, for the comparison with the declared
//! requirement (`judge::rules::python_versions`).
//!
//! Read: the `python-version` input of the setup actions in [`SETUP_ACTIONS`] in a job's
//! steps, and the `python-version` input a job passes to a reusable workflow
//! (`jobs.<id>.uses` with `with: python-version:`), which by that name chooses the Python
//! the called jobs run. A value is taken as written when it is a literal (several lines
//! of a block scalar are several versions, as `actions/setup-python` reads them); a
//! whole-value `${{ matrix.X }}` is resolved to the literal values of the job's
//! `strategy.matrix` axis `X` and of its `include:` entries, each at its own line; a
//! whole-value `${{ env.X }}` to the literal `env:` of the step, else the job, else the
//! workflow. Anything else (inputs, outputs, a matrix computed at run time, a value
//! mixing text and expressions) is kept as the expression, said to be unresolved.
//! `python-version-file` and steps without the input are not read.

use std::borrow::Cow;

use crate::model::{CiPythonVersion, CiValueSource, Location};

use super::location;
use super::yaml::{self, Node};

/// Actions whose `python-version` input installs the Python the job runs.
pub const SETUP_ACTIONS: &[&str] = &[
    "actions/setup-python",
    "astral-sh/setup-uv",
    "conda-incubator/setup-miniconda",
];

/// At most this many values of one workflow are kept (the first in file order), a scan
/// note counting the rest; real workflows have a few dozen.
pub const PER_FILE: usize = 1_000;

/// Where a job's values come from: the workflow (for its `env:`) and the job.
pub struct JobScope<'n, 'a> {
    pub path: &'n str,
    pub workflow: &'n Node<'a>,
    pub job: &'n Node<'a>,
}

/// The `python-version` values of one job: its setup steps, or its call of a reusable
/// workflow.
pub fn job(scope: &JobScope<'_, '_>, out: &mut Vec<CiPythonVersion>) {
    if let Some(called) = yaml::get(scope.job, "uses").and_then(yaml::text) {
        if let Some(value) = yaml::get(scope.job, "with").and_then(|w| yaml::get(w, "python-version")) {
            collect(scope, None, value, &called, out);
        }
        return;
    }
    for step in yaml::get(scope.job, "steps").map(yaml::items).unwrap_or_default() {
        let Some(uses) = yaml::get(step, "uses").and_then(yaml::text) else {
            continue;
        };
        let action = uses.split('@').next().unwrap_or_default().to_ascii_lowercase();
        if !SETUP_ACTIONS.contains(&action.as_str()) {
            continue;
        }
        if let Some(value) = yaml::get(step, "with").and_then(|w| yaml::get(w, "python-version")) {
            collect(scope, Some(step), value, &action, out);
        }
    }
}

fn collect(
    scope: &JobScope<'_, '_>,
    step: Option<&Node<'_>>,
    value: &Node<'_>,
    used_by: &str,
    out: &mut Vec<CiPythonVersion>,
) {
    let input = location(scope.path, value);
    let mut push = |value: String, at: Location, source: CiValueSource| {
        out.push(CiPythonVersion {
            value,
            location: at,
            input: input.clone(),
            used_by: used_by.to_string(),
            source,
        });
    };
    let Some(text) = yaml::text(value) else {
        push("(not a scalar)".to_string(), input.clone(), CiValueSource::Unresolved);
        return;
    };
    if !text.contains("${{") {
        // A block scalar starts at its first line of content: each version at its own line.
        for (offset, line) in text.lines().enumerate() {
            let version = line.trim();
            if !version.is_empty() {
                let at = Location {
                    line: input.line + offset,
                    ..input.clone()
                };
                push(version.to_string(), at, CiValueSource::Literal);
            }
        }
        return;
    }
    let resolved = match whole_expression(&text) {
        Some(Reference::Matrix(key)) => matrix_values(scope, key).map(|v| (v, CiValueSource::Matrix)),
        Some(Reference::Env(key)) => env_value(scope, step, key).map(|v| (v, CiValueSource::Env)),
        None => None,
    };
    match resolved {
        Some((values, source)) => {
            for (value, at) in values {
                match value {
                    Some(value) => push(value, at, source),
                    None => push(text.trim().to_string(), at, CiValueSource::Unresolved),
                }
            }
        }
        None => push(text.trim().to_string(), input.clone(), CiValueSource::Unresolved),
    }
}

/// The versions of a literal value: one per non-empty line.
fn versions(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

enum Reference<'t> {
    Matrix(&'t str),
    Env(&'t str),
}

/// `${{ matrix.X }}` or `${{ env.X }}` as the whole value.
fn whole_expression(text: &str) -> Option<Reference<'_>> {
    let inner = text.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let is_name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if let Some(key) = inner.strip_prefix("matrix.").filter(|k| is_name(k)) {
        return Some(Reference::Matrix(key));
    }
    inner.strip_prefix("env.").filter(|k| is_name(k)).map(Reference::Env)
}

/// A value found for a reference: the literal (or `None` when it is an expression
/// itself) and where it is written.
type Found = Vec<(Option<String>, Location)>;

/// The values of axis `key` of the job's matrix and of its `include:` entries; `None`
/// when the matrix is computed at run time or has no such key.
fn matrix_values(scope: &JobScope<'_, '_>, key: &str) -> Option<Found> {
    let matrix = yaml::get(scope.job, "strategy").and_then(|s| yaml::get(s, "matrix"))?;
    if yaml::text(matrix).is_some() {
        return None; // `matrix: ${{ fromJSON(...) }}`
    }
    let mut found = Found::new();
    let literal = |node: &Node<'_>, found: &mut Found| {
        let at = location(scope.path, node);
        match yaml::text(node) {
            Some(text) if !text.contains("${{") => {
                found.extend(versions(&text).map(|v| (Some(v.to_string()), at.clone())));
            }
            _ => found.push((None, at)),
        }
    };
    if let Some(axis) = yaml::get(matrix, key) {
        match yaml::items(axis) {
            [] => literal(axis, &mut found),
            items => items.iter().for_each(|item| literal(item, &mut found)),
        }
    }
    for include in yaml::get(matrix, "include").map(yaml::items).unwrap_or_default() {
        if let Some(value) = yaml::get(include, key) {
            literal(value, &mut found);
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The literal `env.key` of the step, else the job, else the workflow.
fn env_value(scope: &JobScope<'_, '_>, step: Option<&Node<'_>>, key: &str) -> Option<Found> {
    let holders = step.into_iter().chain([scope.job, scope.workflow]);
    for holder in holders {
        if let Some(value) = yaml::get(holder, "env").and_then(|e| yaml::get(e, key)) {
            let at = location(scope.path, value);
            let text: Option<Cow<'_, str>> = yaml::text(value).filter(|t| !t.contains("${{"));
            return Some(match text {
                Some(text) => versions(&text).map(|v| (Some(v.to_string()), at.clone())).collect(),
                None => vec![(None, at)],
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<String> {
        let docs = yaml::load(text).expect("yaml");
        let doc = &docs[0];
        let mut out = Vec::new();
        for (_, _, job_node) in yaml::entries(yaml::get(doc, "jobs").expect("jobs")) {
            let scope = JobScope {
                path: "w.yml",
                workflow: doc,
                job: job_node,
            };
            job(&scope, &mut out);
        }
        out.iter()
            .map(|v| {
                format!(
                    "{} {:?} {}:{} {}",
                    v.value, v.source, v.location.line, v.input.line, v.used_by
                )
            })
            .collect()
    }

    #[test]
    fn literals_matrices_and_env_are_resolved_the_rest_is_said_unresolved() {
        let text = "\
env:
  PY: '3.12'
jobs:
  a:
    strategy:
      matrix:
        python-version: ['3.9', '3.10', 3.11]
        include:
          - python-version: pypy3.10
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ env.PY }}
      - uses: astral-sh/setup-uv@v6
        with:
          python-version: |
            3.8
            3.13
      - uses: actions/setup-node@v4
        with:
          python-version: '2.7'
  b:
    strategy:
      matrix: ${{ fromJSON(needs.x.outputs.m) }}
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.py }}
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ inputs.python }}-dev
  c:
    uses: ./.github/workflows/_test.yml
    with:
      python-version: '3.11'
";
        assert_eq!(
            run(text),
            [
                "3.9 Matrix 7:13 actions/setup-python",
                "3.10 Matrix 7:13 actions/setup-python",
                "3.11 Matrix 7:13 actions/setup-python",
                "pypy3.10 Matrix 9:13 actions/setup-python",
                "3.12 Env 2:16 actions/setup-python",
                "3.8 Literal 20:20 astral-sh/setup-uv",
                "3.13 Literal 21:20 astral-sh/setup-uv",
                "${{ matrix.py }} Unresolved 31:31 actions/setup-python",
                "${{ inputs.python }}-dev Unresolved 34:34 actions/setup-python",
                "3.11 Literal 38:38 ./.github/workflows/_test.yml",
            ]
        );
    }
}
