//! `dangerous-triggers`: events that run with the base repository's secrets and write
//! token on behalf of outsiders, judged by what the workflow's jobs do with them.

use crate::model::{Confidence, Severity};

use super::rules::{self, Judgement, Reporter};
use super::yaml::{self, Node};

/// Events that run in the base repository's context (secrets, a write token) but are set
/// off by people outside it: a fork's pull request, a comment, a finished fork run.
const DANGEROUS: &[&str] = &["issue_comment", "pull_request_target", "workflow_run"];

/// Actions that only triage: they read the event and the base branch's configuration and
/// never run the pull request's code, which is what `pull_request_target` is for.
const TRIAGE_ACTIONS: &[&str] = &["actions/labeler"];

/// What one job shows about who can set it off and what it runs.
#[derive(Default)]
pub struct JobExposure {
    /// Checks out the pull request's head (`ref:` of the head, `refs/pull/`).
    pub checks_out_head: bool,
    /// Checked the actor's permission or association in a step before any such checkout.
    pub actor_checked: bool,
    /// Runs a step other than a [`TRIAGE_ACTIONS`] one.
    pub runs_more_than_triage: bool,
}

impl JobExposure {
    /// Takes in one step (`action`: the lowercased `owner/repo` of its `uses:`, if any).
    pub fn step(&mut self, step: &Node<'_>, action: Option<&str>, checks_out_head: bool) {
        if !self.checks_out_head && checks_actor(step, action) {
            self.actor_checked = true;
        }
        self.checks_out_head |= checks_out_head;
        self.runs_more_than_triage |= action.is_none_or(|a| !TRIAGE_ACTIONS.contains(&a));
    }
}

/// What all the jobs of one workflow show.
#[derive(Default)]
pub struct Exposure {
    jobs: usize,
    /// Jobs that run only for trusted actors: an `author_association` condition on the
    /// job, or a permission check before any checkout of the head.
    gated_jobs: usize,
    triage_jobs: usize,
    checks_out_head: bool,
}

impl Exposure {
    pub fn job(&mut self, job: &Node<'_>, exposure: &JobExposure) {
        let condition = yaml::get(job, "if").and_then(yaml::text).unwrap_or_default();
        self.jobs += 1;
        let gated = contains_ignoring_ascii_case(&condition, "author_association") || exposure.actor_checked;
        self.gated_jobs += usize::from(gated);
        self.triage_jobs += usize::from(!exposure.runs_more_than_triage && yaml::get(job, "uses").is_none());
        self.checks_out_head |= exposure.checks_out_head;
    }
}

/// Whether a step checks who the actor is: a permission-checking action, or a script
/// that asks for the actor's permission or association.
fn checks_actor(step: &Node<'_>, action: Option<&str>) -> bool {
    if action.is_some_and(|a| a.contains("permission")) {
        return true;
    }
    let script = yaml::get(step, "run")
        .or_else(|| yaml::get(step, "with").and_then(|w| yaml::get(w, "script")))
        .and_then(yaml::text)
        .unwrap_or_default();
    ["getcollaboratorpermissionlevel", "/permission", "author_association"]
        .iter()
        .any(|needle| contains_ignoring_ascii_case(&script, needle))
}

/// Whether `haystack` holds `needle` (lowercase ASCII) in any case, without a lowercased
/// copy of the script (a 1 MiB `run:` is read for every step).
fn contains_ignoring_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `dangerous-triggers`: one finding per workflow, at `on:`, naming every such event.
/// High when a job checks out the pull request's head; low when every job runs only for
/// trusted actors; none when every job only triages (labels) the pull request.
pub fn report(triggers: &[String], on_key: &Node<'_>, exposure: &Exposure, r: &mut Reporter<'_>) {
    let found: Vec<&str> = triggers
        .iter()
        .map(String::as_str)
        .filter(|t| DANGEROUS.contains(t))
        .collect();
    if found.is_empty() || (exposure.jobs > 0 && exposure.triage_jobs == exposure.jobs) {
        return;
    }
    let events = found.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
    let head = if exposure.checks_out_head {
        ", and the workflow checks out the pull request's head"
    } else {
        " on events outsiders can cause"
    };
    let (severity, message) = if exposure.jobs > 0 && exposure.gated_jobs == exposure.jobs {
        (
            Severity::Low,
            format!("{events} run with secrets and a write token{head}; every job first checks that the actor is trusted (`author_association` or a permission check), so an outsider's event stops there"),
        )
    } else if exposure.checks_out_head {
        (
            Severity::High,
            format!("{events} run with secrets and a write token{head}"),
        )
    } else {
        (
            Severity::Medium,
            format!("{events} run with secrets and a write token{head}"),
        )
    };
    r.report(
        &rules::DANGEROUS_TRIGGERS,
        yaml::position(on_key),
        2,
        Judgement {
            severity,
            confidence: Confidence::Medium,
            message,
            remediation: "Use `pull_request`, or never check out or run the pull request's code here.",
        },
    );
}
