//! Section 7 (Guardrail Compliance Check): the governance files a refactor is run by, as
//! measured, CODEOWNERS coverage of the surfaces, and every guardrail (declared in
//! `plumb.toml`, or kept as an import-linter or tach contract) with its status.

use crate::model::{Audit, GuardrailState, GuardrailStatus, MarkerState};
use crate::refactor_md;

use super::{code, count, more, percent, plural, Markdown};

/// Guardrail rows shown; audit.json has them all.
const ROWS: usize = 50;

pub(super) fn section(md: &mut Markdown, audit: &Audit) {
    md.section("7. Guardrail Compliance Check (Baseline)");
    md.heading("Governance Files (measured)");
    md.table(&["File", "Status", "Evidence"], file_rows(audit));
    codeowners(md, audit);
    md.heading("Guardrails");
    guardrail_table(md, audit, ROWS);
    contract_files(md, audit);
}

/// The guardrails' verdict in one sentence.
pub(in crate::render) fn verdict(rows: &[GuardrailStatus]) -> String {
    if rows.is_empty() {
        return "No guardrail is declared: no `[[guardrail]]` in plumb.toml, no import-linter or tach contract (the README shows how to declare them).".to_string();
    }
    let of = |state| rows.iter().filter(|r| r.status == state).count();
    let (broken, unknown) = (of(GuardrailState::Broken), of(GuardrailState::NotAssessable));
    let imports: usize = rows.iter().map(|r| r.broken).sum();
    let mut text = format!(
        "{} of {} kept, {} broken",
        count(of(GuardrailState::Kept)),
        plural(rows.len(), "guardrail"),
        count(broken)
    );
    if broken > 0 {
        text.push_str(&format!(" ({} `guardrail-broken` findings)", count(imports)));
    }
    if unknown > 0 {
        text.push_str(&format!(", {} not assessable", count(unknown)));
    }
    text.push('.');
    text
}

/// The table of guardrails, broken ones first, at most `rows` of them.
pub(in crate::render) fn guardrail_table(md: &mut Markdown, audit: &Audit, rows: usize) {
    let guardrails = &audit.governance.guardrails;
    md.line(format!("**Verdict**: {}", verdict(guardrails)));
    md.blank();
    if guardrails.is_empty() {
        return;
    }
    let mut ordered: Vec<&GuardrailStatus> = guardrails.iter().collect();
    // Broken first, then not assessable, then kept; declaration order within.
    ordered.sort_by_key(|r| match r.status {
        GuardrailState::Broken => 0,
        GuardrailState::NotAssessable => 1,
        GuardrailState::Kept => 2,
    });
    md.table(
        &["Guardrail", "Kind", "Source", "Status", "Notes"],
        ordered.iter().take(rows).map(|r| {
            vec![
                r.name.clone(),
                r.kind.clone(),
                code(&format!("{}:{}", r.source.path, r.source.line)),
                state(r),
                r.notes.join("; "),
            ]
        }),
    );
    more(md, ordered.len(), rows);
}

fn state(row: &GuardrailStatus) -> String {
    match row.status {
        GuardrailState::Kept => "Kept".to_string(),
        GuardrailState::Broken => format!("**Broken ({})**", count(row.broken)),
        GuardrailState::NotAssessable => "Not assessable".to_string(),
    }
}

fn file_rows(audit: &Audit) -> Vec<Vec<String>> {
    let governance = &audit.governance;
    let mut rows = Vec::new();
    rows.push(match &governance.refactor_md {
        None => vec![
            code(refactor_md::FILE),
            "absent".into(),
            "no refactor log at the root".into(),
        ],
        Some(file) => {
            let status = if file.empty {
                format!("present, empty ({})", plural(file.lines, "line"))
            } else {
                format!("present, {}", plural(file.lines, "line"))
            };
            let block = match &file.block {
                MarkerState::Absent => format!(
                    "no plumb block: `--update-refactor-md` needs a line {} and a line {}",
                    code(refactor_md::BEGIN),
                    code(refactor_md::END)
                ),
                MarkerState::Block { begin, end } => {
                    format!("plumb block at lines {begin}–{end} (`--update-refactor-md` rewrites it)")
                }
                MarkerState::Malformed { line, problem } => format!("markers malformed at line {line}: {problem}"),
            };
            vec![code(&file.path), status, block]
        }
    });
    for folder in ["docs/refactor", "docs/audit"] {
        let found = governance.folders.iter().find(|f| f.path == folder);
        rows.push(match found {
            None => vec![code(&format!("{folder}/")), "absent".into(), "no tracked file".into()],
            Some(f) => {
                let mut evidence = Vec::new();
                if !f.plumb_reports.is_empty() {
                    let reports: Vec<String> = f.plumb_reports.iter().map(|p| code(p)).collect();
                    evidence.push(format!(
                        "{} plumb's reports of an earlier run ({})",
                        match reports.len() {
                            1 => "1 is".to_string(),
                            n => format!("{n} are"),
                        },
                        reports.join(", ")
                    ));
                }
                if f.other_files_total > 0 {
                    let shown: Vec<String> = f.other_files.iter().take(5).map(|p| code(p)).collect();
                    let rest = f.other_files_total - shown.len();
                    evidence.push(format!(
                        "{} other: {}{}",
                        count(f.other_files_total),
                        shown.join(", "),
                        if rest > 0 {
                            format!(" and {rest} more")
                        } else {
                            String::new()
                        }
                    ));
                }
                vec![
                    code(&format!("{folder}/")),
                    plural(f.files, "file"),
                    evidence.join("; "),
                ]
            }
        });
    }
    let agents = &governance.agent_files;
    rows.push(vec![
        "Agent instructions".into(),
        if agents.is_empty() {
            "absent".into()
        } else {
            plural(governance.agent_files_total, "file")
        },
        if agents.is_empty() {
            "no AGENTS.md, CLAUDE.md, GEMINI.md, .cursorrules, .cursor/rules/, Copilot or Cline instructions".into()
        } else {
            let shown: Vec<String> = agents
                .iter()
                .take(5)
                .map(|a| match a.path.rsplit('/').next() == Some(a.kind.as_str()) {
                    true => format!("{} ({})", code(&a.path), plural(a.lines, "line")),
                    false => format!("{} ({}, {})", code(&a.path), a.kind, plural(a.lines, "line")),
                })
                .collect();
            shown.join(", ")
        },
    ]);
    rows.push(match &governance.pre_commit {
        None => vec![
            code(".pre-commit-config.yaml"),
            "absent".into(),
            "no pre-commit hooks".into(),
        ],
        Some(p) => match &p.error {
            Some(e) => vec![
                code(&p.path),
                "unreadable".into(),
                format!("line {}: {}", e.location.line, e.value),
            ],
            None => {
                let ids: Vec<String> = p.hooks.iter().take(12).map(|h| code(&h.id)).collect();
                let rest = p.hooks.len() - ids.len();
                let more = if rest > 0 {
                    format!(" and {rest} more")
                } else {
                    String::new()
                };
                vec![
                    code(&p.path),
                    plural(p.hooks.len(), "hook"),
                    format!("{}{more}", ids.join(", ")),
                ]
            }
        },
    });
    rows.push(match &governance.contributing {
        None => vec![
            "CONTRIBUTING".into(),
            "absent".into(),
            "not at the root, in .github/ or docs/".into(),
        ],
        Some(c) => vec![code(&c.path), "present".into(), plural(c.lines, "line")],
    });
    rows.push(match &governance.codeowners {
        None => vec![
            "CODEOWNERS".into(),
            "absent".into(),
            "not in .github/, the root or docs/".into(),
        ],
        Some(c) => vec![
            code(&c.path),
            plural(c.rules, "rule"),
            format!(
                "{} of {} tracked files have an owner ({}){}",
                count(c.owned_files),
                count(c.files),
                percent(c.owned_files as u64, c.files as u64),
                if c.invalid.is_empty() {
                    String::new()
                } else {
                    format!("; {} skipped by GitHub", plural(c.invalid.len(), "invalid line"))
                }
            ),
        ],
    });
    let linters = &governance.workflow_linters;
    rows.push(vec![
        "Workflow linters".into(),
        if linters.is_empty() {
            "none".into()
        } else {
            plural(linters.len(), "place")
        },
        if linters.is_empty() {
            "no workflow or pre-commit hook runs actionlint, zizmor, ghalint, poutine, octoscan or pinact".into()
        } else {
            linters
                .iter()
                .take(8)
                .map(|l| {
                    format!(
                        "{} ({})",
                        l.value,
                        code(&format!("{}:{}", l.location.path, l.location.line))
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        },
    ]);
    rows
}

/// CODEOWNERS coverage per surface (section 2's surfaces).
fn codeowners(md: &mut Markdown, audit: &Audit) {
    let Some(codeowners) = &audit.governance.codeowners else {
        return;
    };
    if codeowners.surfaces.is_empty() {
        return;
    }
    md.heading("CODEOWNERS Coverage of Surfaces");
    md.table(
        &["Surface", "Files", "Owned files", "Coverage"],
        codeowners.surfaces.iter().map(|s| {
            vec![
                s.surface.clone(),
                count(s.files),
                count(s.owned_files),
                percent(s.owned_files as u64, s.files as u64),
            ]
        }),
    );
}

/// The contract files read, with what plumb left out of them.
fn contract_files(md: &mut Markdown, audit: &Audit) {
    let files = &audit.governance.contract_files;
    if files.is_empty() {
        return;
    }
    md.line("Contract files read:");
    for file in files {
        let unit = match file.tool {
            crate::model::ContractTool::ImportLinter => "contract",
            crate::model::ContractTool::Tach => "module",
        };
        let mut said = vec![plural(file.contracts.len(), unit)];
        if !file.problems.is_empty() {
            said.push(format!(
                "{} (`guardrail-invalid`)",
                plural(file.problems.len(), "problem")
            ));
        }
        said.extend(file.notes.iter().cloned());
        md.line(format!(
            "- {} ({}): {}.",
            code(&file.path),
            file.tool.name(),
            said.join("; ")
        ));
    }
    md.blank();
}
