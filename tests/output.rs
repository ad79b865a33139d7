//! What plumb prints and writes when the reader, the repository or another run is
//! hostile or just in the way: a pipe closed early, control characters in names and
//! lines, two runs on one folder, the leftovers of a killed run.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{plumb, TestRepo};

/// A Dockerfile whose folder name clears the screen and whose line sets the window title,
/// and one in a folder whose name holds a newline and a pipe.
fn hostile() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("d\x1b[2Jx/Dockerfile", "FROM ubuntu:latest # \x1b]0;pwned\x07\n")
        .write("n\nl|p/Dockerfile", "FROM alpine:latest\n")
        .commit("hostile names");
    repo
}

/// Runs `plumb audit --findings --out OUT PATH` with a stdout whose reader is gone before
/// plumb prints.
fn audit_into_closed_pipe(path: &Path, out: &Path) -> std::process::Output {
    let mut child = plumb()
        .args(["audit", "--findings", "--out"])
        .arg(out)
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("plumb ends")
}

#[test]
fn a_reader_that_stops_early_gets_the_pack_and_a_quiet_exit_0() {
    let repo = hostile();
    let out = repo.parent().join("pack");
    let output = audit_into_closed_pipe(repo.path(), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "nothing on stderr, no panic");
    for file in ["audit.json", "audit.md"] {
        assert!(out.join(file).is_file(), "{file} is written");
    }

    let mut child = plumb()
        .args(["audit", "--stdout", "json", "--findings"])
        .arg(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("plumb ends");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("findings ("),
        "the listing still goes to stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn init_into_a_closed_pipe_writes_the_file_and_exits_0_quietly() {
    let repo = TestRepo::new();
    repo.write("src/app/main.py", "import os\n").commit("app");
    let mut child = plumb()
        .arg("init")
        .arg(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("plumb ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "nothing on stderr, no panic");
    assert!(repo.path().join("plumb.toml").is_file(), "plumb.toml is written");
}

#[test]
fn control_characters_in_names_and_lines_show_escaped() {
    let repo = hostile();
    let out = repo.parent().join("pack");
    let output = plumb()
        .args(["audit", "--findings", "--out"])
        .arg(&out)
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!listing.contains('\x1b'), "{listing}");
    assert!(listing.contains(" --> d\\x1b[2Jx/Dockerfile:1:6\n"), "{listing}");
    assert!(
        listing.contains("1 | FROM ubuntu:latest # \\x1b]0;pwned\\x07\n"),
        "{listing}"
    );
    assert!(listing.contains(" --> n\\nl|p/Dockerfile:1:6\n"), "{listing}");

    let md = std::fs::read_to_string(out.join("audit.md")).expect("audit.md");
    assert!(!md.contains(['\x1b', '\x07']), "no raw control character in audit.md");
    assert!(md.contains("`d\\x1b[2Jx/Dockerfile`"));
    // The newline stays in its table row, the pipe in its cell.
    assert!(md.contains("| `n\\nl\\|p/Dockerfile` |"), "{md}");
    assert!(!md.lines().any(|line| line.starts_with("l|p")), "a row was split");
}

#[test]
fn two_runs_on_one_folder_leave_the_pack_of_one() {
    let repo = TestRepo::new();
    for i in 0..200 {
        repo.write(&format!("pkg/m{i}.py"), format!("import os\nx = {i}\n"));
    }
    repo.commit("many");
    let out = repo.parent().join("pack");
    // Two clocks 40 days apart: each file says which run wrote it.
    let epochs = ["1767322800", "1770778800"];
    for round in 0..4 {
        let children: Vec<std::process::Child> = epochs
            .iter()
            .map(|epoch| {
                plumb()
                    .env("SOURCE_DATE_EPOCH", epoch)
                    .args(["audit", "--quiet", "--format", "md,json,sarif", "--out"])
                    .arg(&out)
                    .arg(repo.path())
                    .spawn()
                    .expect("runs")
            })
            .collect();
        for mut child in children {
            assert!(child.wait().expect("plumb ends").success());
        }
        let json = common::read_audit_json(&out.join("audit.json"));
        let date = &json["generated_at"].as_str().expect("a time stamp")[..10];
        let md = std::fs::read_to_string(out.join("audit.md")).expect("md");
        assert!(
            md.contains(&format!("**Audit Date:** {date}")),
            "round {round}: md and json differ"
        );
    }
}

#[test]
fn a_run_waits_while_another_holds_the_folder() {
    use std::os::unix::io::AsRawFd;
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let out = repo.parent().join("pack");
    std::fs::create_dir(&out).expect("mkdir");
    let folder = std::fs::File::open(&out).expect("open the folder");
    // SAFETY: flock on a descriptor this test owns.
    assert_eq!(unsafe { libc::flock(folder.as_raw_fd(), libc::LOCK_EX) }, 0);
    let mut child = plumb()
        .args(["audit", "--out"])
        .arg(&out)
        .arg(repo.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().expect("status").is_none(), "plumb waits for the lock");
    assert!(!out.join("audit.json").exists(), "nothing is written meanwhile");
    drop(folder);
    let output = child.wait_with_output().expect("plumb ends");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("plumb: waiting for another plumb run to finish writing "),
        "{stderr}"
    );
    assert!(out.join("audit.json").is_file());
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next() {
    let repo = TestRepo::new();
    repo.write("a.py", "a = 1\n").commit("one");
    let out = repo.path().join("docs/audit");
    std::fs::create_dir_all(&out).expect("mkdir");
    // No process has an id above Linux's limit of 2^22; this test's own process is alive.
    let stale = out.join(".audit.json.999999999.tmp");
    let live = out.join(format!(".audit.md.{}.tmp", std::process::id()));
    let unrelated = out.join(".notes.999999999.tmp");
    for file in [&stale, &live, &unrelated] {
        std::fs::write(file, "{").expect("write");
    }
    let json = common::report(repo.path(), "json", &[]);
    let output = plumb()
        .args(["audit", "--quiet"])
        .arg(repo.path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(!stale.exists(), "a dead run's temporary file is removed");
    assert!(live.exists(), "a live run's is kept");
    assert!(unrelated.exists(), "a file that is not a report's is kept");
    let audit: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        audit["inventory"]["untracked"]["files"], 3,
        "before: the leftovers counted"
    );
    let written = common::read_audit_json(&out.join("audit.json"));
    assert_eq!(
        written["inventory"]["untracked"]["files"], 2,
        "the stale file is gone before the scan"
    );
}
