//! One small but varied audit, built by hand, that every renderer's tests share: a change
//! to a renderer shows up as a snapshot diff on the same input.
//!
//! It holds findings of every severity, with and without a snippet and a span, one
//! suppressed, one in a path that needs percent-encoding in a URI, and the rules they
//! refer to. The facts are minimal; add to them when a renderer's test needs more.

use super::*;

/// The shared sample audit, normalized like a real one.
pub fn sample() -> Audit {
    let rule = |id, title, help| Rule {
        group: "sample",
        id,
        title,
        help,
    };
    let finding = |path: &str, line, column, rule: &str, severity, confidence| Finding {
        location: Location {
            path: path.to_string(),
            line,
            column,
        },
        rule: rule.to_string(),
        severity,
        confidence,
        message: String::new(),
        remediation: "",
        snippet: None,
        snippet_column: 1,
        span: 0,
        fingerprint: String::new(),
        suppressed: false,
        omitted: None,
    };
    let mut audit = Audit {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "plumb".to_string(),
            version: "0.0.0-sample".to_string(),
        },
        generated_at: "2026-01-02T03:04:05Z".to_string(),
        snapshot: SnapshotFacts {
            kind: SnapshotKind::WorkTree,
            root_name: "sample".to_string(),
            name_source: NameSource::Folder,
            requested_revision: None,
            commit: Some("0123456789abcdef0123456789abcdef01234567".to_string()),
            max_file_bytes: 10 * 1024 * 1024,
        },
        repository: None,
        inventory: Inventory::default(),
        module_tree: Vec::new(),
        god_modules: GodModules::default(),
        tests: TestInventory::default(),
        toolchains: Vec::new(),
        python_versions: Default::default(),
        ci: Default::default(),
        supply_chain: Default::default(),
        architecture: Default::default(),
        surfaces: Default::default(),
        baseline: None,
        governance: Default::default(),
        analyzers: vec!["sample".to_string()],
        // Deliberately out of order: `normalize` sorts them, as it does for a real audit.
        rules: vec![
            rule(
                "unpinned-uses",
                "Action reference not pinned to a commit",
                "A tag or branch can be moved to other code after review. Pin `uses:` to a full commit SHA and keep the tag in a comment.",
            ),
            rule(
                "hardcoded-credential",
                "Credential written in the source",
                "Anyone who can read the repository can use it. Move it to a secret store and rotate it.",
            ),
            rule(
                "large-file",
                "File too large to review",
                "Generated or data files this large hide changes in review. Generate them at build time or move them out of the repository.",
            ),
            rule(
                "todo-comment",
                "TODO left in the code",
                "Unowned TODOs rot. Turn it into an issue and link it, or do it.",
            ),
        ],
        findings: vec![
            Finding {
                message: "`actions/checkout@v4` is pinned to a tag, not a commit.".to_string(),
                remediation: "Pin it to the commit the tag points at.",
                snippet: Some("      - uses: actions/checkout@v4".to_string()),
                span: 19,
                fingerprint: "5f1c0e8a9d2b7c34".to_string(),
                ..finding(
                    ".github/workflows/ci.yml",
                    12,
                    15,
                    "unpinned-uses",
                    Severity::High,
                    Confidence::High,
                )
            },
            Finding {
                message: "An API token is assigned in the source.".to_string(),
                remediation: "Read it from the environment.",
                snippet: Some("API_TOKEN = \"tok-123\"  # plumb: ignore[hardcoded-credential]".to_string()),
                span: 9,
                fingerprint: "a17e44c0b3d95f02".to_string(),
                suppressed: true,
                ..finding(
                    "config/dev settings.py",
                    3,
                    1,
                    "hardcoded-credential",
                    Severity::Medium,
                    Confidence::Medium,
                )
            },
            Finding {
                message: "`data/dump.sql` is 48 MiB.".to_string(),
                remediation: "",
                fingerprint: "0c9d3be71a6f4e25".to_string(),
                ..finding("data/dump.sql", 1, 1, "large-file", Severity::Info, Confidence::High)
            },
            Finding {
                message: "TODO without an owner or an issue.".to_string(),
                remediation: "Open an issue and link it.",
                snippet: Some("    // TODO: handle the error".to_string()),
                span: 4,
                fingerprint: "e2b80d5f6c1a9374".to_string(),
                ..finding("src/lib.rs", 40, 8, "todo-comment", Severity::Low, Confidence::Low)
            },
        ],
        scan_notes: Vec::new(),
        scores: Default::default(),
        top_issues: Vec::new(),
        plan: Default::default(),
        inline_suppressions: Default::default(),
    };
    audit.normalize();
    audit
}
