//! The block `plumb audit --update-refactor-md` writes between `REFACTOR.md`'s markers
//! (`crate::refactor_md` finds them and writes the file): the verdict, the key figures
//! and the guardrail table, from the same model as the pack. No time stamp: the block
//! changes only when the audit's results do, so an unchanged tree leaves the file as it
//! was.

use crate::model::{Audit, Severity};

use super::markdown::{code, count, guardrail_table, int, plan_table, plural, scores_table, Markdown};

/// Guardrail rows the block shows (section 7 of the pack has more).
const GUARDRAIL_ROWS: usize = 20;

/// The block's Markdown, every line ending in `\n`.
pub fn block(audit: &Audit) -> String {
    let mut md = Markdown(String::new());
    md.line("### Baseline audit (written by plumb)");
    md.blank();
    md.line(format!(
        "_{} {} rewrites this block on `plumb audit --update-refactor-md`; write above or below its markers. The whole audit is in {}._",
        audit.tool.name,
        audit.tool.version,
        code("docs/audit/audit.md")
    ));
    md.blank();
    md.line(format!("**Verdict:** {}", audit.scores.verdict));
    md.blank();
    md.line("**Scores**");
    md.blank();
    scores_table(&mut md, audit);
    md.line("**Key figures**");
    md.blank();
    key_figures(&mut md, audit);
    md.blank();
    md.line("**Guardrails**");
    md.blank();
    guardrail_table(&mut md, audit, GUARDRAIL_ROWS);
    if !audit.plan.items.is_empty() {
        md.line("**Plan**");
        md.blank();
        plan_table(&mut md, audit);
    }
    md.0.truncate(md.0.trim_end().len());
    md.0.push('\n');
    md.0
}

fn key_figures(md: &mut Markdown, audit: &Audit) {
    let snapshot = &audit.snapshot;
    let commit = snapshot
        .commit
        .as_deref()
        .map_or("no commit".to_string(), |c| code(&c[..c.len().min(12)]));
    md.line(format!("- Snapshot: {} at {commit}.", code(&snapshot.root_name)));
    let inventory = &audit.inventory;
    md.line(format!(
        "- Size: {} tracked files, {} code lines in {}.",
        count(inventory.tracked_files),
        int(inventory.lines.code),
        plural(inventory.languages.len(), "language")
    ));
    let open: Vec<_> = audit.findings.iter().filter(|f| !f.suppressed).collect();
    let of = |severity| open.iter().filter(|f| f.severity == severity).count();
    md.line(format!(
        "- Findings: {} open ({} high, {} medium, {} low, {} info), {} suppressed.",
        count(open.len()),
        count(of(Severity::High)),
        count(of(Severity::Medium)),
        count(of(Severity::Low)),
        count(of(Severity::Info)),
        count(audit.findings.len() - open.len())
    ));
    let architecture = &audit.architecture;
    let measures = &architecture.measures;
    md.line(format!(
        "- Import graph: {}, {}; {} in import cycles at load time; {} against the layers.",
        plural(architecture.modules.len(), "module"),
        plural(architecture.edges.len(), "import"),
        plural(measures.cycles.eager.modules_in_cycles, "module"),
        plural(measures.layering.against_count, "import")
    ));
    md.line(format!(
        "- Tests: {} test files against {} source files.",
        count(audit.tests.files),
        count(audit.tests.source_files)
    ));
    md.line(format!(
        "- CI: {}, {} `uses:` of which {} pinned to a commit SHA.",
        plural(audit.ci.workflows.len(), "workflow"),
        count(audit.ci.action_refs.len()),
        count(
            audit
                .ci
                .action_refs
                .iter()
                .filter(|r| r.pin == crate::model::PinKind::Sha)
                .count()
        )
    ));
}
