//! Fixture repositories built inside the tests, and a runner for the plumb binary.
//!
//! Git runs with its global and system configuration pointed at /dev/null and with pinned
//! identities and dates, so commits (and their shas) are the same on every machine.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

pub const DATE: &str = "2026-01-02T03:04:05+00:00";

/// A temporary folder holding a repository (or plain directory) named `fixture`.
pub struct TestRepo {
    _temp: tempfile::TempDir,
    root: PathBuf,
}

impl TestRepo {
    /// A new git repository with branch `main`.
    pub fn new() -> TestRepo {
        let repo = TestRepo::plain();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A folder that is not a git repository.
    pub fn plain() -> TestRepo {
        let temp = tempfile::tempdir().expect("tempdir");
        let root = temp.path().join("fixture");
        std::fs::create_dir(&root).expect("create fixture dir");
        TestRepo { _temp: temp, root }
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The folder that holds the fixture (for outputs outside it).
    pub fn parent(&self) -> &Path {
        self.root.parent().expect("fixture has a parent")
    }

    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &TestRepo {
        let full = self.root.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).expect("create dirs");
        }
        std::fs::write(full, contents).expect("write file");
        self
    }

    pub fn symlink(&self, path: &str, target: &str) -> &TestRepo {
        let full = self.root.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).expect("create dirs");
        }
        std::os::unix::fs::symlink(target, full).expect("symlink");
        self
    }

    /// `git add -A && git commit`.
    pub fn commit(&self, message: &str) -> &TestRepo {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self
    }

    /// Runs git in the fixture and returns its stdout; panics when git fails.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.root, args)
    }
}

pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Fixture Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.invalid")
        .env("GIT_AUTHOR_DATE", DATE)
        .env("GIT_COMMITTER_NAME", "Fixture Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.invalid")
        .env("GIT_COMMITTER_DATE", DATE)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The plumb binary with a fixed clock (`SOURCE_DATE_EPOCH`).
pub fn plumb() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plumb"));
    command.env("SOURCE_DATE_EPOCH", "1767322800");
    command
}

/// Runs `plumb audit PATH --stdout FORMAT EXTRA...` and returns what it printed; panics
/// when plumb fails, or when `audit.json` is not valid against its schema.
pub fn report(path: &Path, format: &str, extra: &[&str]) -> String {
    let output = plumb()
        .arg("audit")
        .arg(path)
        .args(["--stdout", format])
        .args(extra)
        .output()
        .expect("plumb runs");
    assert!(
        output.status.success(),
        "plumb failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    if format == "json" {
        parse_audit_json(&text);
    }
    text
}

/// Runs `plumb audit PATH --stdout json EXTRA...` and returns the parsed audit.json, valid
/// against its schema, its scores recomputed from their deductions.
pub fn audit_json(path: &Path, extra: &[&str]) -> serde_json::Value {
    parse_audit_json(&report(path, "json", extra))
}

/// What a reader of the waterfall does by hand: each assessable score is 10 minus its
/// deductions, floored at 0; a score that is not assessable has no value and says why;
/// the overall score is the mean of the assessable ones, rounded to a tenth (halves up).
pub fn assert_scores_add_up(audit: &serde_json::Value) {
    let scores = &audit["scores"];
    let tenths = |v: &serde_json::Value| (v.as_f64().expect("a number") * 10.0).round() as i64;
    let mut values = Vec::new();
    for area in ["arch", "tests", "ci", "security"] {
        let score = &scores[area];
        assert_eq!(score["rubric_version"], scores["rubric_version"], "{area}");
        if score["assessable"] == serde_json::Value::Bool(false) {
            assert!(score["value"].is_null(), "{area}: not assessable, yet a value");
            assert!(
                score["not_assessable"].is_string(),
                "{area}: not assessable, and no reason"
            );
            continue;
        }
        let lost: i64 = score["deductions"]
            .as_array()
            .expect("deductions")
            .iter()
            .map(|d| tenths(&d["points"]))
            .sum();
        let value = tenths(&score["value"]);
        assert_eq!(value, (100 - lost).max(0), "{area}: {score}");
        values.push(value);
    }
    let overall = &scores["overall"]["value"];
    match values.len() {
        0 => assert!(overall.is_null()),
        n => {
            let n = n as i64;
            assert_eq!(
                tenths(overall),
                (2 * values.iter().sum::<i64>() + n) / (2 * n),
                "overall"
            );
        }
    }
}

/// An `audit.json` file of a pack the tests wrote, parsed and valid against its schema.
pub fn read_audit_json(path: &Path) -> serde_json::Value {
    parse_audit_json(&std::fs::read_to_string(path).expect("audit.json is readable"))
}

/// `text` parsed as `audit.json`; panics unless it is valid against
/// `docs/audit.schema.json`, so that every audit the tests read holds to the contract.
pub fn parse_audit_json(text: &str) -> serde_json::Value {
    let audit = serde_json::from_str(text).expect("audit.json is JSON");
    let errors = schema_errors(&audit);
    assert!(
        errors.is_empty(),
        "audit.json is not valid against docs/audit.schema.json (if the model changed on \
         purpose, regenerate the schema: `UPDATE_SCHEMA=1 cargo test --lib committed_schema`):\n{}",
        errors.join("\n")
    );
    assert_scores_add_up(&audit);
    audit
}

/// Where `audit` departs from `docs/audit.schema.json`, one `/json/pointer: message` line
/// per error (the first 20, each cut to 300 bytes: a message may quote a whole object).
pub fn schema_errors(audit: &serde_json::Value) -> Vec<String> {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit.schema.json");
        let text = std::fs::read_to_string(&path).expect("docs/audit.schema.json is committed");
        let schema = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::draft202012::new(&schema).expect("the schema is a valid JSON Schema 2020-12")
    });
    validator
        .iter_errors(audit)
        .take(20)
        .map(|error| {
            let mut line = format!("{}: {error}", error.instance_path());
            if line.len() > 300 {
                let end = (0..=300).rev().find(|&i| line.is_char_boundary(i)).unwrap_or(0);
                line.truncate(end);
                line.push('…');
            }
            line
        })
        .collect()
}

/// The scan notes of an audit as `reason path` lines.
pub fn notes(audit: &serde_json::Value) -> Vec<String> {
    audit["scan_notes"]
        .as_array()
        .expect("scan_notes is a list")
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["reason"].as_str().unwrap_or_default(),
                n["path"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A command run as the unprivileged user `nobody`, so that file permissions bite even
/// when the tests run as root (as CI does here).
pub fn as_nobody(mut command: Command) -> Command {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if !is_root {
        return command;
    }
    let mut wrapped = Command::new("setpriv");
    wrapped.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
    wrapped.arg(command.get_program());
    wrapped.args(command.get_args());
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            wrapped.env(key, value);
        }
    }
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    command = wrapped;
    command
}

/// Makes `path` and the folders above it (up to the temp root) readable by anyone.
pub fn open_up(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut current = Some(path);
    while let Some(dir) = current {
        if dir == Path::new("/") || dir == std::env::temp_dir() {
            break;
        }
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
        current = dir.parent();
    }
}

/// Runs `tests/<script>` (a schema validator, see `.ci/install-*-validator`) on `file` and
/// fails with its messages when the file is invalid or the validator is missing.
pub fn validate(script: &str, file: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(script);
    let output = Command::new("python3")
        .arg(&script)
        .arg(file)
        .output()
        .expect("python3 runs the validator");
    assert!(
        output.status.success(),
        "{} failed:\n{}{}",
        script.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `plumb audit --quiet --format FORMATS PATH`: the pack into the tree's `docs/audit/`.
pub fn audit_in_place(path: &Path, formats: &str) {
    let output = plumb()
        .args(["audit", "--quiet", "--format", formats])
        .arg(path)
        .output()
        .expect("plumb runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
