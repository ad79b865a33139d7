//! The command line: exit codes, one-line errors, outputs, and every kind of bad input.

mod common;

use common::{audit_json, git_in, notes, plumb, report, TestRepo};

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn missing_path_is_one_line_and_exit_2() {
    let output = plumb().args(["audit", "/no/such/place"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_of(&output), "plumb: no such path: /no/such/place\n");
}

#[test]
fn unknown_revision_is_named_and_exit_2() {
    let repo = TestRepo::new();
    repo.write("a.py", "x = 1\n").commit("one");
    let output = plumb()
        .args(["audit", "--rev", "no-such-branch", "--stdout", "json"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_of(&output), "plumb: unknown revision: no-such-branch\n");
    assert!(output.stdout.is_empty());
}

#[test]
fn unreadable_directory_is_one_line_and_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::plain();
    let locked = repo.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    common::open_up(repo.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let mut command = plumb();
    command.args(["audit", "--stdout", "json"]).arg(&locked);
    let output = common::as_nobody(command).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    assert!(
        stderr.starts_with("plumb: cannot read ") && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn empty_repository_gives_an_audit_with_zero_files() {
    let repo = TestRepo::new();
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["inventory"]["tracked_entries"], 0);
    assert_eq!(audit["repository"]["head"], serde_json::Value::Null);
    assert_eq!(audit["snapshot"]["kind"], "work-tree");
}

#[test]
fn file_counts_equal_git_ls_files_and_ls_tree() {
    let repo = TestRepo::new();
    repo.write("src/main.rs", "fn main() {}\n")
        .write("README.md", "# x\n")
        .write("assets/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0")
        .write("docs/guide.rst", "Guide\n=====\n")
        .commit("files");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{},vendor/dep", head.trim()),
    ]);
    repo.git(&["commit", "-q", "-m", "submodule"]);
    let ls_files = repo.git(&["ls-files"]).lines().count();
    let ls_tree = repo.git(&["ls-tree", "-r", "--name-only", "HEAD"]).lines().count();
    let worktree = audit_json(repo.path(), &[]);
    let revision = audit_json(repo.path(), &["--rev", "HEAD"]);
    assert_eq!(worktree["inventory"]["tracked_entries"], ls_files);
    assert_eq!(revision["inventory"]["tracked_entries"], ls_tree);
    assert_eq!(worktree["inventory"]["submodules"], 1);
    assert_eq!(worktree["inventory"]["tracked_files"], ls_files - 1);
}

#[test]
fn revision_and_clean_work_tree_give_the_same_inventory() {
    let repo = TestRepo::new();
    repo.write("pkg/core.py", "import os\n\n# comment\ndef f():\n    return 1\n")
        .write("pkg/test_core.py", "import pytest\n\ndef test_f():\n    assert True\n")
        .write("include/a.h", "#pragma once\nint a();\n")
        .write("tool", "#!/usr/bin/env python3\nprint(1)\n")
        .write("bom.py", b"\xEF\xBB\xBFx = 1\n")
        .commit("one");
    let worktree = audit_json(repo.path(), &[]);
    let revision = audit_json(repo.path(), &["--rev", "HEAD"]);
    for key in ["inventory", "module_tree", "god_modules", "tests", "toolchains"] {
        assert_eq!(worktree[key], revision[key], "{key} differs");
    }
    assert_eq!(worktree["repository"]["status"]["untracked"]["count"], 0);
}

#[test]
fn revision_reads_history_without_touching_the_work_tree() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    repo.write("b.py", "b = 2\nc = 3\n").commit("two");
    repo.write("uncommitted.py", "x = 1\n");
    let old = audit_json(repo.path(), &["--rev", "HEAD~1"]);
    assert_eq!(old["inventory"]["tracked_files"], 1);
    assert_eq!(old["snapshot"]["requested_revision"], "HEAD~1");
    assert_eq!(old["repository"]["audited_commit"]["subject"], "one");
    let head = audit_json(repo.path(), &["--rev", "main"]);
    assert_eq!(head["inventory"]["lines"]["code"], 3);
    assert!(repo.path().join("uncommitted.py").exists());
}

#[test]
fn untracked_files_are_counted_apart() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "build/\n")
        .write("a.py", "a = 1\n")
        .commit("one");
    repo.write("new.py", "n = 1\nm = 2\n")
        .write("build/out.py", "ignored = 1\n");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["inventory"]["tracked_files"], 2);
    assert_eq!(audit["inventory"]["untracked"]["files"], 1);
    assert_eq!(audit["inventory"]["untracked"]["code"], 2);
    assert_eq!(audit["repository"]["status"]["untracked"]["first"][0], "new.py");
}

/// The status agrees with `git status`, whether the index still holds HEAD's tree (its
/// cache-tree shortcut applies) or `git add` has changed it.
#[test]
fn worktree_status_matches_git_status() {
    let repo = TestRepo::new();
    repo.write("kept.py", "k = 1\n")
        .write("edited.py", "e = 1\n")
        .write("gone.py", "g = 1\n")
        .commit("one");
    repo.write("edited.py", "e = 2\n").write("loose.py", "l = 1\n");
    std::fs::remove_file(repo.path().join("gone.py")).unwrap();
    let status = |audit: &serde_json::Value, kind: &str| audit["repository"]["status"][kind]["first"].clone();
    let clean_index = audit_json(repo.path(), &[]);
    assert_eq!(status(&clean_index, "staged"), serde_json::json!([]));
    assert_eq!(status(&clean_index, "modified"), serde_json::json!(["edited.py"]));
    assert_eq!(status(&clean_index, "deleted"), serde_json::json!(["gone.py"]));
    assert_eq!(status(&clean_index, "untracked"), serde_json::json!(["loose.py"]));

    repo.git(&["add", "edited.py"]);
    repo.write("staged.py", "s = 1\n").git(&["add", "staged.py"]);
    let staged = audit_json(repo.path(), &[]);
    assert_eq!(status(&staged, "staged"), serde_json::json!(["edited.py", "staged.py"]));
    assert_eq!(status(&staged, "modified"), serde_json::json!([]));
    assert_eq!(status(&staged, "untracked"), serde_json::json!(["loose.py"]));
}

#[test]
fn bad_inputs_complete_and_each_is_named_in_the_scan_notes() {
    let repo = TestRepo::new();
    repo.write("ok.py", "x = 1\n")
        .write("blob.bin", b"\0\x01\x02binary")
        .write("big.txt", "x".repeat(300))
        .write(".python-version", b"3.1\xff\n")
        .write("gone.py", "deleted = True\n")
        .symlink("loop", "loop")
        .symlink("passwd", "/etc/passwd")
        .symlink("escape", "../../outside")
        .symlink("broken", "nowhere/file")
        .symlink("inside", "ok.py")
        .commit("everything");
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.write(
        ".gitmodules",
        "[submodule \"dep\"]\n\tpath = dep\n\turl = https://token@example.invalid/dep.git\n",
    );
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{},dep", head.trim()),
    ]);
    repo.git(&["add", ".gitmodules"]);
    repo.git(&["commit", "-q", "-m", "submodule"]);
    std::fs::remove_file(repo.path().join("gone.py")).expect("rm");

    let audit = audit_json(repo.path(), &["--max-file-size", "200"]);
    let notes = notes(&audit);
    for expected in [
        "binary blob.bin",
        "too-large big.txt",
        "non-utf8 .python-version",
        "missing-from-worktree gone.py",
        "symlink-loop loop",
        "symlink-outside passwd",
        "symlink-outside escape",
        "symlink-broken broken",
        "symlink-inside inside",
        "submodule-not-checked-out dep",
    ] {
        assert!(
            notes.contains(&expected.to_string()),
            "missing note {expected:?} in {notes:?}"
        );
    }
    assert_eq!(audit["inventory"]["large_files"][0]["path"], "big.txt");
    let submodule = &audit["repository"]["submodules"][0];
    assert_eq!(submodule["url"], "https://***@example.invalid/dep.git");
    assert_eq!(submodule["checked_out"], false);
    let text = audit.to_string();
    assert!(!text.contains("root:"), "the symlink target must never be read");
}

#[test]
fn permission_denied_file_is_a_note_not_a_failure() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.write("open.py", "x = 1\n")
        .write("secret.py", "y = 2\n")
        .commit("one");
    common::open_up(repo.path());
    let out = repo.parent().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    // gix needs to read .git; make the fixture world-readable, then lock one file.
    git_in(repo.path(), &["config", "core.sharedRepository", "world"]);
    chmod_recursive(repo.path(), 0o755);
    std::fs::set_permissions(repo.path().join("secret.py"), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let mut command = plumb();
    command
        .args(["audit", "--stdout", "json"])
        .arg(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", &out);
    let output = common::as_nobody(command).output().expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let audit = common::parse_audit_json(std::str::from_utf8(&output.stdout).expect("UTF-8"));
    assert!(
        notes(&audit).contains(&"unreadable secret.py".to_string()),
        "{:?}",
        notes(&audit)
    );
    assert_eq!(audit["inventory"]["tracked_files"], 2);
}

fn chmod_recursive(dir: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if entry.file_type().map(|t| t.is_symlink()).unwrap_or(true) {
            continue;
        }
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode));
        if path.is_dir() {
            chmod_recursive(&path, mode);
        }
    }
}

#[test]
fn missing_blob_under_rev_is_a_note() {
    let repo = TestRepo::new();
    repo.write("kept.py", "k = 1\n")
        .write("lost.py", "l = 2\n")
        .commit("one");
    let blob = repo.git(&["rev-parse", "HEAD:lost.py"]);
    let blob = blob.trim();
    let object = repo.path().join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    std::fs::remove_file(object).expect("remove loose object");
    let audit = audit_json(repo.path(), &["--rev", "HEAD"]);
    assert!(
        notes(&audit).contains(&"blob-missing lost.py".to_string()),
        "{:?}",
        notes(&audit)
    );
    assert_eq!(audit["inventory"]["tracked_files"], 2);
}

#[test]
fn plain_directory_honours_gitignore_and_says_it_is_not_a_repository() {
    let dir = TestRepo::plain();
    dir.write(".gitignore", "skip/\n")
        .write("a.py", "a = 1\n")
        .write("skip/b.py", "b = 1\n")
        .write(".hidden.toml", "x = 1\n");
    let audit = audit_json(dir.path(), &[]);
    assert_eq!(audit["snapshot"]["kind"], "plain-directory");
    assert_eq!(audit["repository"], serde_json::Value::Null);
    assert_eq!(audit["inventory"]["tracked_files"], 3);
    let output = plumb()
        .args(["audit", "--stdout", "md"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.contains("plain directory, not a git repository"), "{md}");
}

#[test]
fn bare_repository_is_audited_at_head() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let bare = repo.parent().join("bare.git");
    git_in(repo.parent(), &["clone", "-q", "--bare", "fixture", "bare.git"]);
    let audit = audit_json(&bare, &[]);
    assert_eq!(audit["snapshot"]["kind"], "revision");
    assert_eq!(audit["repository"]["bare"], true);
    assert_eq!(audit["inventory"]["tracked_files"], 1);
    let output = plumb().arg("audit").arg(&bare).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("pass --out DIR or --stdout"));
}

#[test]
fn a_path_inside_the_work_tree_audits_the_whole_repository() {
    let repo = TestRepo::new();
    repo.write("deep/er/a.py", "a = 1\n")
        .write("b.py", "b = 1\n")
        .commit("one");
    let audit = audit_json(&repo.path().join("deep/er"), &[]);
    assert_eq!(audit["inventory"]["tracked_files"], 2);
    assert_eq!(audit["snapshot"]["root_name"], "fixture");
}

#[test]
fn pack_is_written_atomically_and_the_repository_is_untouched() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let index_before = std::fs::read(repo.path().join(".git/index")).expect("index");
    let output = plumb().arg("audit").arg(repo.path()).output().expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("audited the work tree of fixture at") && stdout.contains("1 files"),
        "{stdout}"
    );
    let pack = repo.path().join("docs/audit");
    let names: Vec<String> = std::fs::read_dir(&pack)
        .expect("pack dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["audit.json", "audit.md"]);
    assert_eq!(
        std::fs::read(repo.path().join(".git/index")).expect("index"),
        index_before
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "?? docs/\n");

    // A second run sees its earlier pack as untracked, counts it, and does not analyse it,
    // so the figures do not change from run to run.
    let first = std::fs::read_to_string(pack.join("audit.json")).expect("json");
    plumb().arg("audit").arg(repo.path()).output().expect("runs");
    let second = std::fs::read_to_string(pack.join("audit.json")).expect("json");
    let inventory = |text: &str| common::parse_audit_json(text)["inventory"]["languages"].clone();
    assert_eq!(inventory(&first), inventory(&second));
}

#[test]
fn failed_write_leaves_the_previous_pack_intact() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let out = repo.parent().join("pack");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("audit.md"), "previous md").expect("write");
    std::fs::write(out.join("audit.json"), "previous json").expect("write");
    common::open_up(repo.path());
    chmod_recursive(repo.path(), 0o755);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let mut command = plumb();
    command
        .arg("audit")
        .arg(repo.path())
        .arg("--out")
        .arg(&out)
        .env("HOME", repo.parent());
    let output = common::as_nobody(command).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).starts_with("plumb: cannot write "),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("audit.md")).expect("md"),
        "previous md"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("audit.json")).expect("json"),
        "previous json"
    );
    assert_eq!(
        std::fs::read_dir(&out).expect("dir").count(),
        2,
        "no temporary file is left behind"
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let repo = TestRepo::new();
    for i in 0..40 {
        repo.write(&format!("pkg/m{i}/mod{i}.py"), format!("import os\nx = {i}\n"));
    }
    repo.commit("many");
    for format in ["json", "md"] {
        let run = || {
            plumb()
                .args(["audit", "--stdout", format])
                .arg(repo.path())
                .output()
                .expect("runs")
                .stdout
        };
        assert_eq!(run(), run(), "{format} differs between runs");
    }
}

/// The pack's files hold what `--stdout` prints: the JSON file is written in parts (the
/// architecture and its edges are laid out apart), the printed text in one piece.
#[test]
fn the_written_pack_is_what_stdout_prints() {
    let repo = TestRepo::new();
    repo.write("pkg/__init__.py", "from . import a\n")
        .write("pkg/a.py", "import pkg\nimport os\n")
        .commit("a graph");
    let out = repo.parent().join("pack");
    let status = plumb()
        .args(["audit", "--quiet", "--out"])
        .arg(&out)
        .arg(repo.path())
        .status()
        .expect("runs");
    assert!(status.success());
    for (format, file) in [("json", "audit.json"), ("md", "audit.md")] {
        let written = std::fs::read_to_string(out.join(file)).expect("the pack is written");
        assert_eq!(written, report(repo.path(), format, &[]), "{file}");
    }
}

#[test]
fn help_lists_the_audit_options() {
    let output = plumb().args(["audit", "--help"]).output().expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    for option in ["--rev", "--out", "--format", "--stdout", "--quiet", "--max-file-size"] {
        assert!(help.contains(option), "{option} missing from help");
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_read_not_lost() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
    std::fs::write(repo.path().join(name), "x = 1\ny = 2\n").expect("write");
    repo.commit("latin-1 name");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let audit = audit_json(repo.path(), extra);
        assert_eq!(audit["inventory"]["tracked_files"], 1, "{extra:?}");
        assert_eq!(audit["inventory"]["lines"]["code"], 2, "{extra:?}: {:?}", notes(&audit));
        assert!(notes(&audit).is_empty(), "{extra:?}: {:?}", notes(&audit));
    }
}

#[test]
fn a_malformed_source_date_epoch_is_one_line_and_exit_2() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let malformed = [
        "garbage",
        "",
        "1e9",
        "-1",
        "+5",
        " 5",
        "1.5",
        "9223372036854775808",
        "253402300800",
    ];
    for value in malformed {
        for command in ["audit", "sbom"] {
            let output = plumb()
                .env("SOURCE_DATE_EPOCH", value)
                .args(
                    [command, "--stdout", "json"]
                        .iter()
                        .take(if command == "sbom" { 1 } else { 3 }),
                )
                .arg(repo.path())
                .output()
                .expect("runs");
            let stderr = stderr_of(&output);
            assert_eq!(output.status.code(), Some(2), "{command} {value:?}: {stderr}");
            assert!(
                stderr.starts_with("plumb: SOURCE_DATE_EPOCH must be a whole number") && stderr.lines().count() == 1,
                "{value:?}: {stderr}"
            );
            assert!(output.stdout.is_empty());
        }
    }
    for (value, date) in [
        ("0", "1970-01-01T00:00:00+00:00"),
        ("253402300799", "9999-12-31T23:59:59+00:00"),
    ] {
        let output = plumb()
            .env("SOURCE_DATE_EPOCH", value)
            .args(["sbom", "--output"])
            .arg(repo.parent().join("bom.json"))
            .arg(repo.path())
            .output()
            .expect("runs");
        assert!(output.status.success(), "{value}: {}", stderr_of(&output));
        let bom = std::fs::read_to_string(repo.parent().join("bom.json")).expect("the BOM is written");
        assert!(bom.contains(&format!("\"timestamp\": \"{date}\"")), "{value}");
        common::validate("validate_cyclonedx.py", &repo.parent().join("bom.json"));
    }
}

#[test]
fn the_summary_names_what_was_audited() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    git_in(repo.parent(), &["clone", "-q", "--bare", "fixture", "bare.git"]);
    let summary = |path: &std::path::Path| {
        let output = plumb()
            .args(["audit", "--out"])
            .arg(repo.parent().join("pack"))
            .arg(path)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", stderr_of(&output));
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let bare = summary(&repo.parent().join("bare.git"));
    assert!(
        bare.starts_with("plumb: audited HEAD (")
            && bare.contains(") of the bare repository bare.git (named after its folder"),
        "{bare}"
    );
    let plain = TestRepo::plain();
    plain.write("a.py", "a = 1\n");
    let plain = summary(plain.path());
    assert!(
        plain.starts_with("plumb: audited the plain directory fixture (not a git repository): 1 files"),
        "{plain}"
    );
}

#[test]
fn a_revision_beyond_a_shallow_clone_says_the_clone_is_shallow() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    repo.write("a.py", "a = 2\n").commit("two");
    let source = format!("file://{}", repo.path().display());
    git_in(repo.parent(), &["clone", "-q", "--depth", "1", &source, "shallow"]);
    let output = plumb()
        .args(["audit", "--stdout", "json", "--rev", "HEAD~1"])
        .arg(repo.parent().join("shallow"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.starts_with("plumb: unknown revision: HEAD~1 (this is a shallow clone") && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn a_revision_with_control_characters_is_echoed_escaped() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let output = plumb()
        .args(["audit", "--stdout", "json", "--rev", "main\n\x1b[2Jx"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr_of(&output), "plumb: unknown revision: main\\n\\x1b[2Jx\n");
}

#[test]
fn help_names_the_exit_codes_and_source_date_epoch() {
    let help = |command: &str| {
        let output = plumb().args([command, "--help"]).output().expect("runs");
        assert!(output.status.success());
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    insta::assert_snapshot!(help("audit"));
    for command in ["sbom", "init"] {
        let text = help(command);
        assert!(text.contains("Exit codes:\n  0 "), "{command}");
        assert!(text.contains("\n  2    a mistake in the command line"), "{command}");
        assert_eq!(text.contains("SOURCE_DATE_EPOCH"), command == "sbom", "{command}");
    }
}

#[test]
fn clones_in_differently_named_folders_give_the_same_pack_name() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let mut titles = Vec::new();
    for folder in ["one", "two"] {
        git_in(repo.parent(), &["clone", "-q", "fixture", folder]);
        let clone = repo.parent().join(folder);
        git_in(
            &clone,
            &["remote", "set-url", "origin", "git@github.com:octo/widget.git"],
        );
        let audit = audit_json(&clone, &[]);
        assert_eq!(audit["snapshot"]["root_name"], "octo/widget");
        assert_eq!(audit["snapshot"]["name_source"], "remote");
        let md = report(&clone, "md", &[]);
        let title = md.lines().next().expect("a title").to_string();
        assert!(md.contains("**Name:** `octo/widget`, from its remote's URL"), "{md}");
        let bom: serde_json::Value = serde_json::from_str(&report(&clone, "cyclonedx", &[])).expect("JSON");
        titles.push((
            title,
            bom["serialNumber"].clone(),
            bom["metadata"]["component"]["name"].clone(),
        ));
    }
    assert_eq!(titles[0], titles[1]);
    assert_eq!(titles[0].0, "# octo/widget Baseline Refactoring Audit");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(audit["snapshot"]["root_name"], "fixture");
    assert_eq!(audit["snapshot"]["name_source"], "folder");
}
