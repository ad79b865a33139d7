//! The `audit` fuzz target: bytes decoded into a small repository, written to a fresh
//! folder (in `/dev/shm` where there is one), audited whole and rendered in every format,
//! with invariants on what comes out.
//!
//! ## The input
//!
//! The first byte is a set of [`Flags`]; the rest is a list of records, each starting
//! with `@@ ` at the start of a line:
//!
//! ```text
//! @@ <path line>
//! <contents, up to the next line that starts with "@@ ">
//! ```
//!
//! The path line is one of
//! - `#N` or `#N name`: entry `N` (modulo its length) of [`PATHS`], a table of the files
//!   plumb's analyzers look for, with `*` replaced by `name` (`a` without one);
//! - anything else: the path's raw bytes, odd ones included. A path with a `..` or `.git`
//!   component, a NUL, or a name the file system refuses is skipped, never written
//!   outside the folder;
//! - either of them followed by ` -> target`: a symlink to `target`, which is `#N` for
//!   entry `N` of [`LINK_TARGETS`] (links that leave the repository among them) or raw;
//! - either of them followed by ` @`: a submodule (a gitlink in the tree; a git
//!   repository only).
//!
//! Every `$SECRET` in the contents becomes [`SECRET`] between two spaces, a GitHub token
//! that must appear in no report. The spaces keep it a token the secret rules detect,
//! whatever bytes the fuzzer puts around it (`x$SECRETy` would be an identifier, which
//! the rules leave alone by design). Beside the repository sits a folder `outside/` whose manifests and sources
//! name [`OUTSIDE_MARKER`]: a report that names it followed a link out.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cli::Format;
use crate::render;
use crate::scan::ScanOptions;
use crate::source::Snapshot;

/// A GitHub token of the right shape (`ghp_` and 36 letters and digits), planted wherever
/// the input says `$SECRET`.
pub const SECRET: &str = "ghp_Fz7qLw2NcX9vRb4TmK8sHd3PjY6gUa1eQo5i";
const _: () = assert!(SECRET.len() == 4 + 36);

/// Named by everything in the folder beside the repository; never by a report.
pub const OUTSIDE_MARKER: &str = "zqoutsidemarker";

/// The time stamp of every audit here, so that two audits can be compared.
const GENERATED_AT: &str = "2026-01-02T03:04:05Z";

/// At most this many records are decoded; the rest of the input is ignored.
const MAX_FILES: usize = 64;
/// Deeper paths are skipped: the point is reached long before (and `PATH_MAX` after).
const MAX_DEPTH: usize = 48;

/// Files plumb's analyzers look for; `*` is the record's name.
pub const PATHS: &[&str] = &[
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    "action.yml",
    "*/action.yaml",
    ".github/dependabot.yml",
    "package.json",
    "*/package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    ".npmrc",
    "pyproject.toml",
    "requirements*.txt",
    "setup.py",
    "setup.cfg",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "Cargo.toml",
    "*/Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    "go.mod",
    "go.sum",
    "go.work",
    "Dockerfile",
    "*/Dockerfile",
    "docker-compose.yml",
    "plumb.toml",
    ".gitmodules",
    ".gitignore",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "SECURITY.md",
    "LICENSE",
    "README.md",
    "vendor/*/LICENSE",
    "third_party/*/src/a.cc",
    "third_party/*/VERSION",
    "node_modules/*/package.json",
    "src/*.py",
    "src/*/__init__.py",
    "*/__init__.py",
    "tests/test_*.py",
    "conftest.py",
    "src/*.js",
    "src/*.ts",
    "index.js",
    "src/*.go",
    "cmd/*/main.go",
    "*_test.go",
    "src/main.rs",
    "src/lib.rs",
    "src/*.rs",
    "src/*/mod.rs",
    "build.rs",
    "tests/*.rs",
    "src/*.cc",
    "include/*.h",
    "CMakeLists.txt",
    "vcpkg.json",
    "conanfile.txt",
    "img/*.png",
    "lib/*.so",
    "models/*.onnx",
    ".gitlab-ci.yml",
    ".nvmrc",
    ".python-version",
    ".plumb/baseline.toml",
];

/// Symlink targets: into the repository, out of it (relative and absolute), loops.
/// `{outside}` is the absolute path of the folder beside the repository; `{self}` the
/// link's own name.
pub const LINK_TARGETS: &[&str] = &[
    "../outside/package.json",
    "../outside",
    "../outside/requirements.txt",
    "../../outside/mod.py",
    "{outside}/package.json",
    "{outside}",
    "/etc/passwd",
    ".",
    "..",
    "{self}",
    "a/../../outside/go.mod",
    "package.json",
    "src",
    "does-not-exist",
];

/// What the first byte of the input chooses.
#[derive(Debug, Clone, Copy)]
struct Flags(u8);

/// Where the audited files come from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// A folder that is not a repository.
    Plain,
    /// A git repository's work tree: a commit, its index, and untracked files.
    WorkTree,
    /// The same repository at `--rev HEAD`, read from the object database.
    Revision,
}

impl Flags {
    fn source(self) -> Source {
        match self.0 & 0b11 {
            2 => Source::WorkTree,
            3 => Source::Revision,
            _ => Source::Plain,
        }
    }

    /// In a repository, every third file is left out of the commit (untracked).
    fn some_untracked(self) -> bool {
        self.0 & 0b100 != 0
    }

    /// Files over 100 bytes are listed, not read.
    fn small_file_limit(self) -> bool {
        self.0 & 0b1000 != 0
    }

    /// The audit is made twice and the two JSON reports compared.
    fn audit_twice(self) -> bool {
        self.0 & 0b1_0000 != 0
    }

    /// The secret is appended to the first file as well.
    fn append_secret(self) -> bool {
        self.0 & 0b10_0000 != 0
    }
}

/// One decoded record.
#[derive(Debug)]
struct Record {
    /// The path's bytes, relative, before the checks of [`checked_components`].
    path: Vec<u8>,
    kind: RecordKind,
}

#[derive(Debug)]
enum RecordKind {
    File(Vec<u8>),
    Symlink(Vec<u8>),
    Submodule,
}

/// The decoded input: the flags and the records.
#[derive(Debug)]
struct Repository {
    flags: Flags,
    records: Vec<Record>,
    /// Some link's target is the absolute path of the folder beside the repository,
    /// which reports may show as the link's target.
    absolute_link: bool,
}

/// Decodes the input; never fails (an empty input is an empty plain folder).
fn decode(bytes: &[u8], outside: &Path) -> Repository {
    let (flags, body) = match bytes.split_first() {
        Some((first, rest)) => (Flags(*first), rest),
        None => (Flags(0), &[][..]),
    };
    let mut records: Vec<Record> = split_records(body)
        .take(MAX_FILES)
        .map(|(header, contents)| decode_record(header, contents, outside))
        .collect();
    if flags.append_secret() {
        if let Some(RecordKind::File(contents)) = records.first_mut().map(|r| &mut r.kind) {
            contents.extend_from_slice(format!("\ntoken = \"{SECRET}\"\n").as_bytes());
        }
    }
    let outside_bytes = outside.to_string_lossy();
    let absolute_link = records.iter().any(|r| match &r.kind {
        RecordKind::Symlink(target) => target.starts_with(outside_bytes.as_bytes()),
        _ => false,
    });
    Repository {
        flags,
        records,
        absolute_link,
    }
}

/// The records of `body`: (path line, contents) after each `@@ ` that starts a line.
fn split_records(body: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    const MARK: &[u8] = b"@@ ";
    let mut starts: Vec<usize> = Vec::new();
    if body.starts_with(MARK) {
        starts.push(MARK.len());
    }
    starts.extend(memchr::memmem::find_iter(body, b"\n@@ ").map(|at| at + 1 + MARK.len()));
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .map(|s| s - MARK.len())
        .chain([body.len()])
        .collect();
    starts.into_iter().zip(ends).map(move |(start, end)| {
        let record = &body[start..end];
        match memchr::memchr(b'\n', record) {
            Some(newline) => (&record[..newline], &record[newline + 1..]),
            None => (record, &[][..]),
        }
    })
}

fn decode_record(header: &[u8], contents: &[u8], outside: &Path) -> Record {
    if let Some(at) = memchr::memmem::find(header, b" -> ") {
        let path = table_path(&header[..at], PATHS);
        let target = match table_index(&header[at + 4..]) {
            Some((index, _)) => {
                let chosen = LINK_TARGETS[index % LINK_TARGETS.len()];
                let own_name = path.rsplit(|b| *b == b'/').next().unwrap_or_default();
                let own_name = String::from_utf8_lossy(own_name);
                chosen
                    .replace("{outside}", &outside.to_string_lossy())
                    .replace("{self}", &own_name)
                    .into_bytes()
            }
            None => header[at + 4..].to_vec(),
        };
        return Record {
            path,
            kind: RecordKind::Symlink(target),
        };
    }
    if let Some(path) = header.strip_suffix(b" @") {
        return Record {
            path: table_path(path, PATHS),
            kind: RecordKind::Submodule,
        };
    }
    Record {
        path: table_path(header, PATHS),
        kind: RecordKind::File(with_secret(contents)),
    }
}

/// `#N name` as (N, name); `None` for anything else.
fn table_index(text: &[u8]) -> Option<(usize, &[u8])> {
    let digits = text.strip_prefix(b"#")?;
    let count = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let index = std::str::from_utf8(&digits[..count.min(9)]).ok()?.parse().ok()?;
    let name = digits[count..].strip_prefix(b" ").unwrap_or(&digits[count..]);
    Some((index, name))
}

/// The path a path line names: a table entry with its `*` filled in, or the raw bytes.
fn table_path(text: &[u8], table: &[&str]) -> Vec<u8> {
    match table_index(text) {
        Some((index, name)) => {
            let name: &[u8] = if name.is_empty() { b"a" } else { name };
            let entry = table[index % table.len()].as_bytes();
            let mut path = Vec::with_capacity(entry.len() + name.len());
            for &byte in entry {
                if byte == b'*' {
                    path.extend_from_slice(name);
                } else {
                    path.push(byte);
                }
            }
            path
        }
        None => text.to_vec(),
    }
}

fn with_secret(contents: &[u8]) -> Vec<u8> {
    const PLACE: &[u8] = b"$SECRET";
    let mut out = Vec::with_capacity(contents.len());
    let mut rest = contents;
    while let Some(at) = memchr::memmem::find(rest, PLACE) {
        out.extend_from_slice(&rest[..at]);
        out.push(b' ');
        out.extend_from_slice(SECRET.as_bytes());
        out.push(b' ');
        rest = &rest[at + PLACE.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The components of a record's path, or `None` when it must not be written: empty, a
/// `..` or `.git` component (any case), a NUL, or deeper than [`MAX_DEPTH`]. `.` and
/// empty components are dropped (`a//./b` is `a/b`).
fn checked_components(path: &[u8]) -> Option<Vec<&[u8]>> {
    let components: Vec<&[u8]> = path
        .split(|b| *b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .collect();
    let refused = |c: &&[u8]| *c == b".." || c.eq_ignore_ascii_case(b".git") || c.contains(&0);
    if components.is_empty() || components.len() > MAX_DEPTH || components.iter().any(refused) {
        return None;
    }
    Some(components)
}

#[cfg(unix)]
fn os_path(components: &[&[u8]]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    components.iter().map(|c| std::ffi::OsStr::from_bytes(c)).collect()
}

#[cfg(not(unix))]
fn os_path(components: &[&[u8]]) -> PathBuf {
    components
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

/// A fresh folder for one input, removed when dropped (also when a check panics in a
/// unit test). The repository is `repo/` inside it, beside `outside/`.
struct Workspace {
    base: PathBuf,
}

impl Workspace {
    fn new() -> std::io::Result<Workspace> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        // tmpfs: the files of a run never touch a disk.
        let shm = Path::new("/dev/shm");
        let parent = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let name = format!(
            "plumb-fuzz-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let base = parent.join(name);
        // Left over by a run that crashed with the same process id.
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("repo"))?;
        let workspace = Workspace { base };
        workspace.write_outside()?;
        Ok(workspace)
    }

    fn root(&self) -> PathBuf {
        self.base.join("repo")
    }

    fn outside(&self) -> PathBuf {
        self.base.join("outside")
    }

    /// The folder beside the repository: what a followed link would bring in.
    fn write_outside(&self) -> std::io::Result<()> {
        let outside = self.outside();
        std::fs::create_dir_all(&outside)?;
        let m = OUTSIDE_MARKER;
        let files = [
            (
                "package.json",
                format!("{{\"dependencies\": {{\"{m}-pkg\": \"1.0.0\"}}}}\n"),
            ),
            ("requirements.txt", format!("{m}-pkg==1.0\n")),
            ("mod.py", format!("import {m}\nfrom {m}.inner import thing\n")),
            (
                "go.mod",
                format!("module {m}.example/m\n\nrequire {m}.example/dep v1.0.0\n"),
            ),
            (
                "Cargo.toml",
                format!("[package]\nname = \"{m}\"\nversion = \"0.1.0\"\n"),
            ),
        ];
        for (name, contents) in files {
            std::fs::write(outside.join(name), contents)?;
        }
        Ok(())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// What was written: the paths (as written, `/`-joined) of the files, links and
/// submodules, for the repository's commit.
#[derive(Default)]
struct Written {
    files: Vec<(Vec<u8>, Vec<u8>)>,
    links: Vec<(Vec<u8>, Vec<u8>)>,
    submodules: Vec<Vec<u8>>,
}

/// Writes the records below `root`; a record the file system refuses (a name too long,
/// a file where a folder is needed) is skipped.
fn write_tree(root: &Path, records: &[Record]) -> Written {
    let mut written = Written::default();
    for record in records {
        let Some(components) = checked_components(&record.path) else {
            continue;
        };
        let relative = components.join(&b'/');
        let full = root.join(os_path(&components));
        if let Some(parent) = full.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        match &record.kind {
            RecordKind::File(contents) => {
                if std::fs::symlink_metadata(&full).is_ok_and(|m| !m.is_file()) {
                    continue;
                }
                if std::fs::write(&full, contents).is_ok() {
                    written.files.retain(|(path, _)| *path != relative);
                    written.files.push((relative, contents.clone()));
                }
            }
            RecordKind::Symlink(target) => {
                if make_symlink(target, &full).is_ok() {
                    written.links.push((relative, target.clone()));
                }
            }
            RecordKind::Submodule => {
                // What a clone without `--recurse-submodules` leaves: an empty folder.
                if std::fs::create_dir_all(&full).is_ok() {
                    written.submodules.push(relative);
                }
            }
        }
    }
    written
}

#[cfg(unix)]
fn make_symlink(target: &[u8], link: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    if target.is_empty() || target.contains(&0) {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), link)
}

#[cfg(not(unix))]
fn make_symlink(_: &[u8], _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Makes `root` a git repository whose one commit holds what was written (less every
/// third file with [`Flags::some_untracked`]), with an index of that commit: in process,
/// with gix, as `git init && git add && git commit` would leave it. `None` when gix
/// refuses (a path git does not allow in a tree is left untracked instead).
fn commit_tree(root: &Path, written: &Written, some_untracked: bool) -> Option<()> {
    use gix::object::tree::EntryKind;
    use gix::ObjectId;

    let repo = gix::init(root).ok()?;
    let mut editor = repo.edit_tree(ObjectId::empty_tree(gix::hash::Kind::Sha1)).ok()?;
    for (position, (path, contents)) in written.files.iter().enumerate() {
        if some_untracked && position % 3 == 0 {
            continue;
        }
        let id = repo.write_blob(contents).ok()?.detach();
        let _ = editor.upsert(gix::bstr::BStr::new(path), EntryKind::Blob, id);
    }
    for (path, target) in &written.links {
        let id = repo.write_blob(target).ok()?.detach();
        let _ = editor.upsert(gix::bstr::BStr::new(path), EntryKind::Link, id);
    }
    for path in &written.submodules {
        // A commit that is in no object database, as a submodule's is.
        let pinned = ObjectId::from_bytes_or_panic(&[0x5a; 20]);
        let _ = editor.upsert(gix::bstr::BStr::new(path), EntryKind::Commit, pinned);
    }
    let tree = editor.write().ok()?.detach();
    let time = "1767323045 +0000";
    let signature = gix::actor::SignatureRef {
        name: "fuzz".into(),
        email: "fuzz@example.invalid".into(),
        time,
    };
    repo.commit_as(signature, signature, "HEAD", "fuzz", tree, None::<ObjectId>)
        .ok()?;
    let mut index = repo.index_from_tree(&tree).ok()?;
    index.write(Default::default()).ok()?;
    Some(())
}

/// Decodes `bytes` into a repository, audits it and renders every report, and checks
/// what came out: see [`check_reports`]. Panics when plumb panics or a check fails.
pub fn fuzz_audit(bytes: &[u8]) {
    let Ok(workspace) = Workspace::new() else {
        return;
    };
    let root = workspace.root();
    let repository = decode(bytes, &workspace.outside());
    let written = write_tree(&root, &repository.records);
    let flags = repository.flags;
    let rev = match flags.source() {
        Source::Plain => None,
        source => {
            if commit_tree(&root, &written, flags.some_untracked()).is_none() {
                return;
            }
            (source == Source::Revision).then_some("HEAD")
        }
    };
    let snapshot = match Snapshot::open(&root, rev) {
        Ok(snapshot) => snapshot,
        Err(e) => panic!("a folder the fuzzer wrote could not be opened: {e}"),
    };
    let options = ScanOptions {
        max_file_bytes: if flags.small_file_limit() { 100 } else { 1 << 20 },
        excluded: crate::own_outputs(&snapshot, Some(&root.join("docs").join("audit"))),
    };
    one_thread().install(|| {
        let audit = audit_once(&snapshot, &options);
        let reports = render_all(&audit);
        if flags.audit_twice() {
            let json = render::render(Format::Json, &audit_once(&snapshot, &options));
            assert!(
                reports
                    .iter()
                    .any(|(name, text)| *name == "audit.json" && *text == json),
                "two audits of one snapshot differ"
            );
        }
        check_reports(bytes, &workspace, repository.absolute_link, &audit, &reports);
    });
}

/// [`crate::audit`], with what the scan gathered freed before it returns rather than on
/// another thread: nothing of one input may run during the next one.
fn audit_once(snapshot: &Snapshot, options: &ScanOptions) -> crate::model::Audit {
    let (audit, scanned) = crate::audit_and_scan(snapshot, options, GENERATED_AT.to_string(), &|| {});
    drop(scanned);
    audit
}

/// The rayon pool the audits run on: one thread. libFuzzer counts the code covered by
/// every thread as the input's, and with more threads which thread steals which task,
/// and so which of rayon's paths run, changes from one execution of the same input to
/// the next: coverage that says nothing about the input.
fn one_thread() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool of one thread can be made")
    })
}

/// Every report by its file name, each rendered twice (they must agree) and in parts
/// (they must make the whole), and the terminal's list of findings.
fn render_all(audit: &crate::model::Audit) -> Vec<(&'static str, String)> {
    use clap::ValueEnum;
    let mut reports = Vec::new();
    for format in Format::value_variants() {
        let text = render::render(*format, audit);
        assert_eq!(text, render::render(*format, audit), "{format:?} twice differs");
        let parts = render::render_parts(*format, audit).concat();
        assert!(parts == text.as_bytes(), "{format:?} in parts differs from the whole");
        reports.push((format.file_name(), text));
    }
    reports.push(("findings", render::terminal::findings(audit)));
    reports
}

/// The invariants of the reports of any repository:
/// - JSON, SARIF and CycloneDX parse as JSON, and `audit.json`'s layout is serde_json's
///   value of the model (both masked);
/// - `graph.dot` is one `digraph { ... }`;
/// - no report names [`OUTSIDE_MARKER`] (no link is followed out of the repository) or
///   the absolute path of the folder (reports show the folder's name only), unless the
///   input wrote them itself;
/// - no report holds [`SECRET`]'s 36 characters after `ghp_`, unless the input writes
///   them itself.
fn check_reports(
    input: &[u8],
    workspace: &Workspace,
    absolute_link: bool,
    audit: &crate::model::Audit,
    reports: &[(&'static str, String)],
) {
    let lowercase_input = input.to_ascii_lowercase();
    let input_has = |needle: &str| memchr::memmem::find(&lowercase_input, needle.as_bytes()).is_some();
    let base = workspace.base.to_string_lossy().into_owned();
    let absolute_named = absolute_link || input_has("plumb-fuzz");
    for (name, text) in reports {
        if name.ends_with(".json") || name.ends_with(".sarif") {
            let value = match serde_json::from_str::<serde_json::Value>(text) {
                Ok(value) => value,
                Err(e) => panic!("{name} is not JSON: {e}"),
            };
            if *name == "audit.json" {
                // The model as serde_json writes it, masked as every JSON report is.
                let mut plain = serde_json::to_vec(audit).expect("the model serializes");
                crate::render::escape::json(&mut plain);
                let model: serde_json::Value = serde_json::from_slice(&plain).expect("masked JSON is JSON");
                assert!(value == model, "audit.json's layout changed the model's value");
            }
        }
        if *name == "graph.dot" {
            assert!(
                text.starts_with("digraph") && text.trim_end().ends_with('}'),
                "graph.dot is not one digraph"
            );
        }
        assert!(
            input_has(OUTSIDE_MARKER) || !text.contains(OUTSIDE_MARKER),
            "{name} names a file outside the repository: a link was followed"
        );
        assert!(
            absolute_named || !text.contains(&base),
            "{name} shows the absolute path of the audited folder"
        );
        // The planted token is not a real one: the line is shown, to find the leak. An
        // input that writes the token's characters itself (libFuzzer learns them from the
        // comparisons it watches) may show them where they are no token.
        let written = memchr::memmem::find(input, &SECRET.as_bytes()[4..]).is_some();
        if let Some(line) = text.lines().find(|line| !written && line.contains(&SECRET[4..])) {
            panic!("{name} shows the planted secret: {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(flags: u8, records: &str) -> Vec<u8> {
        let mut bytes = vec![flags];
        bytes.extend_from_slice(records.as_bytes());
        bytes
    }

    const MIXED: &str = "@@ #0 ci\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ${{ github.event.issue.title }}\n        env:\n          TOKEN: $SECRET\n\
@@ #5\n{\"name\": \"x\", \"dependencies\": {\"left-pad\": \"^1.0.0\"}}\n\
@@ #40 app\nimport os\nfrom . import util\nimport requests\n\
@@ #41 app\n\
@@ src/../../escape.txt\nnever written\n\
@@ .git/config\nnever written\n\
@@ odd/é\x01name.py\nimport app\n\
@@ link.json -> #4\n\
@@ package.json -> #0\n\
@@ loop -> #9\n\
@@ vendor/sub @\n\
@@ #22\nmodule example.com/m\n\ngo 1.22\nrequire github.com/a/b v1.2.3\n";

    #[test]
    fn decodes_records_from_the_table_and_raw() {
        let repository = decode(&input(0, MIXED), Path::new("/o"));
        let paths: Vec<String> = repository
            .records
            .iter()
            .map(|r| String::from_utf8_lossy(&r.path).into_owned())
            .collect();
        assert_eq!(paths[0], ".github/workflows/ci.yml");
        assert_eq!(paths[1], "package.json");
        assert_eq!(paths[2], "src/app.py");
        assert_eq!(paths[3], "src/app/__init__.py");
        assert!(matches!(&repository.records[7].kind, RecordKind::Symlink(t) if t == b"/o/package.json"));
        assert!(matches!(&repository.records[9].kind, RecordKind::Symlink(t) if t == b"loop"));
        assert!(matches!(repository.records[10].kind, RecordKind::Submodule));
        let RecordKind::File(workflow) = &repository.records[0].kind else {
            panic!("a file")
        };
        assert!(String::from_utf8_lossy(workflow).contains(SECRET));
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        assert!(checked_components(b"src/../../escape.txt").is_none());
        assert!(checked_components(b"a/.GIT/config").is_none());
        assert!(checked_components(b"a/\0b").is_none());
        assert!(checked_components(b"//./").is_none());
        assert_eq!(checked_components(b"/a//./b"), Some(vec![&b"a"[..], &b"b"[..]]));
    }

    #[test]
    fn audits_every_source_kind() {
        for flags in [0, 0b10, 0b11, 0b110, 0b1_1111, 0b10_1000] {
            fuzz_audit(&input(flags, MIXED));
        }
        fuzz_audit(b"");
        fuzz_audit(b"\x02");
        fuzz_audit(b"\x00@@ \xff\xfe\n\x00\x01");
        fuzz_audit(b"\x02@@ src/\xff\xfe.py\nimport os\n@@ #5\n{}\n");
    }

    #[test]
    fn commits_the_written_files_with_gix() {
        let workspace = Workspace::new().expect("a temporary folder");
        let root = workspace.root();
        let repository = decode(&input(0b110, MIXED), &workspace.outside());
        let written = write_tree(&root, &repository.records);
        assert_eq!(written.files.len(), 6, "the two refused paths are not written");
        commit_tree(&root, &written, true).expect("gix commits the files");
        let worktree = Snapshot::open(&root, None).expect("the repository opens");
        assert_eq!(worktree.kind, crate::model::SnapshotKind::WorkTree);
        let status = worktree.worktree_status().expect("a work tree has a status");
        // Every third file is left untracked; the links and the submodule are tracked
        // (`package.json -> #0` is not a link: the file was written first).
        assert_eq!(status.untracked.len(), 2, "{:?}", status.untracked);
        assert_eq!(worktree.entries.len(), 4 + 2 + 1, "{:?}", worktree.entries);
        let revision = Snapshot::open(&root, Some("HEAD")).expect("HEAD resolves");
        assert_eq!(revision.entries.len(), worktree.entries.len());
    }

    /// The seeds of `fuzz/corpus/audit/`, so that a change that breaks one shows here.
    #[test]
    fn seeds_run_clean() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/audit");
        let mut count = 0;
        for entry in std::fs::read_dir(seeds).expect("the seeds are in the repository") {
            let path = entry.expect("a listed seed").path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
            {
                fuzz_audit(&std::fs::read(&path).expect("a readable seed"));
                count += 1;
            }
        }
        assert!(count >= 7, "{count} seeds");
    }

    /// A secret on a line that other rules report (a `plumb.toml` mistake) shows in no report.
    #[test]
    fn planted_secret_check() {
        let workspace = Workspace::new().expect("a temporary folder");
        let root = workspace.root();
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/audit/seed-secrets-config.bin");
        let bytes = std::fs::read(seed).expect("the seed is in the repository");
        let repository = decode(&bytes, &workspace.outside());
        write_tree(&root, &repository.records);
        let snapshot = Snapshot::open(&root, None).expect("a plain folder opens");
        let options = ScanOptions {
            max_file_bytes: 1 << 20,
            excluded: Default::default(),
        };
        let audit = audit_once(&snapshot, &options);
        let reports = render_all(&audit);
        let leaks: Vec<(&str, &str)> = reports
            .iter()
            .flat_map(|(name, text)| text.lines().map(move |line| (*name, line)))
            .filter(|(_, line)| line.contains(&SECRET[4..]))
            .collect();
        assert!(leaks.is_empty(), "the secret shows in {leaks:#?}");
    }
}
