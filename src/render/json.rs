//! `audit.json`: the whole model, keys sorted at every level, two-space indentation.
//!
//! Going through `serde_json::Value` (whose maps are sorted) makes key order independent
//! of field declaration order, so the file is byte-identical for the same snapshot.

use serde_json::{json, Value};

use crate::model::Audit;

pub fn render(audit: &Audit) -> String {
    let value = serde_json::to_value(audit).expect("the model serialises: plain data, string keys");
    let mut text = serde_json::to_string_pretty(&value).expect("a Value always serialises");
    text.push('\n');
    text
}

/// The short summary of `audit.json` that the Markdown pack embeds (section 13).
pub fn summary(audit: &Audit) -> Value {
    let inventory = &audit.inventory;
    let repository = audit.repository.as_ref();
    let languages: serde_json::Map<String, Value> = inventory
        .languages
        .iter()
        .take(10)
        .map(|l| (l.name.clone(), json!({"files": l.files, "code": l.lines.code})))
        .collect();
    json!({
        "audit_metadata": {
            "mode": "BASELINE",
            "generated_at": audit.generated_at,
            "root": audit.snapshot.root_name,
            "snapshot": audit.snapshot.kind,
            "revision": audit.snapshot.requested_revision,
            "commit": audit.snapshot.commit,
            "branch": repository.and_then(|r| r.branch.clone()),
            "tool": format!("{} {}", audit.tool.name, audit.tool.version),
            "schema_version": audit.schema_version,
        },
        "repository_facts": {
            "tracked_entries": inventory.tracked_entries,
            "tracked_files": inventory.tracked_files,
            "submodules": inventory.submodules,
            "untracked_files": inventory.untracked.files,
            "lines": inventory.lines,
            "top_languages": languages,
            "test_files": audit.tests.files,
            "source_files": audit.tests.source_files,
        },
        "findings": audit.findings.len(),
        "scan_notes": audit.scan_notes.len(),
    })
}
