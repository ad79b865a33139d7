//! The role rule: every file gets exactly one role, the first that matches in this order.
//!
//! 1. **vendored**: a directory on its path is `third_party`, `third-party`, `thirdparty`,
//!    `3rdparty`, `vendor`, `vendored`, `external`, `extern` or `node_modules`.
//! 2. **binary**: a known binary format by extension (images, audio and video, archives,
//!    compiled objects, fonts, model weights; then the file is not read at all), or a NUL
//!    byte in the first 8,000 bytes (git's own test).
//! 3. **generated**: `@generated` or `DO NOT EDIT` in the first 5 lines.
//! 4. **ci**: `.github/workflows/*.yml|yaml`, `action.yml|yaml`, `.gitlab-ci.yml`,
//!    `.circleci/`, `.buildkite/`, `.travis.yml`, `azure-pipelines.yml`, `Jenkinsfile`.
//! 5. **test**: below a test directory (`test`, `tests`, `__tests__`, `spec`, `specs`,
//!    `unittests`, `selftests`, ...) or named like a test (`test_x.py`, `x_test.go`,
//!    `x.test.ts`, `x.spec.js`, `XTest.java`, `x_unittest.cc`, `conftest.py`, ...).
//! 6. **build**: build and dependency manifests by name (`CMakeLists.txt`, `setup.py`,
//!    `BUILD.bazel`, `Makefile`, `pyproject.toml`, `Cargo.toml`, `package.json`, `go.mod`,
//!    lockfiles, `Dockerfile`, `requirements*.txt`, `Kconfig`, ...) or extension (`.cmake`,
//!    `.bzl`, `.bazel`, `.mk`, `.gradle`).
//! 7. **docs**: `.md`, `.markdown`, `.rst`, `.txt`, `.adoc`, `.asciidoc`, or a conventional
//!    name without extension (`README`, `LICENSE`, `COPYING`, `CHANGELOG`, `AUTHORS`, ...).
//! 8. **config**: `.yml`, `.yaml`, `.toml`, `.json`, `.ini`, `.cfg`, `.conf`, ... or a dotfile.
//! 9. **source**: tokei knows the language.
//! 10. **other**: everything else (data files, images without NUL bytes, ...).
//!
//! When a file's bytes were not read (too large, missing, symlink), rules 2 and 3 cannot
//! apply and the path decides.

const VENDOR_DIRS: &[&str] = &[
    "3rdparty",
    "extern",
    "external",
    "node_modules",
    "third-party",
    "third_party",
    "thirdparty",
    "vendor",
    "vendored",
];

const TEST_DIRS: &[&str] = &[
    "__tests__",
    "selftests",
    "spec",
    "specs",
    "test",
    "tests",
    "testsuite",
    "unit_tests",
    "unittests",
];

const BUILD_NAMES: &[&str] = &[
    "build",
    "build.bazel",
    "build.gradle",
    "build.gradle.kts",
    "build.rs",
    "build.zig",
    "cargo.lock",
    "cargo.toml",
    "cmakelists.txt",
    "composer.json",
    "conanfile.py",
    "conanfile.txt",
    "configure",
    "configure.ac",
    "containerfile",
    "dockerfile",
    "gemfile",
    "gemfile.lock",
    "gnumakefile",
    "go.mod",
    "go.sum",
    "go.work",
    "justfile",
    "kbuild",
    "kconfig",
    "makefile",
    "makefile.am",
    "makefile.in",
    "manifest.in",
    "meson.build",
    "meson_options.txt",
    "module.bazel",
    "noxfile.py",
    "package-lock.json",
    "package.json",
    "pdm.lock",
    "pipfile",
    "pipfile.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "pom.xml",
    "pyproject.toml",
    "settings.gradle",
    "settings.gradle.kts",
    "setup.cfg",
    "setup.py",
    "tox.ini",
    "uv.lock",
    "vcpkg.json",
    "workspace",
    "workspace.bazel",
    "yarn.lock",
];

const BUILD_EXTENSIONS: &[&str] = &["bazel", "bzl", "cmake", "gradle", "mk"];

/// Extensions of binary formats, lower case and sorted (for `binary_search`). Not `.a`
/// nor `.lib`: make fragments (`Makefile.lib`, `Kbuild.a` in Linux) are text under those
/// names, so those files are read and the NUL test decides.
const BINARY_EXTENSIONS: &[&str] = &[
    "7z",
    "avi",
    "bin",
    "bmp",
    "bz2",
    "ckpt",
    "class",
    "dll",
    "dylib",
    "eot",
    "exe",
    "gif",
    "gz",
    "h5",
    "ico",
    "jar",
    "jpeg",
    "jpg",
    "mov",
    "mp3",
    "mp4",
    "npy",
    "npz",
    "o",
    "obj",
    "ogg",
    "onnx",
    "otf",
    "pdf",
    "png",
    "pt",
    "pte",
    "pth",
    "pyc",
    "safetensors",
    "so",
    "tar",
    "tflite",
    "tgz",
    "tif",
    "tiff",
    "ttf",
    "wav",
    "webm",
    "webp",
    "whl",
    "woff",
    "woff2",
    "xz",
    "zip",
    "zst",
];

/// Whether the file name has the extension of a known binary format.
pub fn has_binary_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    extension(&lower).is_some_and(|e| BINARY_EXTENSIONS.binary_search(&e).is_ok())
}

const DOC_EXTENSIONS: &[&str] = &["adoc", "asciidoc", "markdown", "md", "rst", "txt"];

const DOC_NAMES: &[&str] = &[
    "authors",
    "changelog",
    "changes",
    "code_of_conduct",
    "contributing",
    "contributors",
    "copying",
    "credits",
    "history",
    "licence",
    "license",
    "maintainers",
    "notice",
    "readme",
    "security",
];

const CONFIG_EXTENSIONS: &[&str] = &[
    "cfg",
    "conf",
    "editorconfig",
    "ini",
    "json",
    "json5",
    "jsonc",
    "properties",
    "toml",
    "yaml",
    "yml",
];

use crate::model::Role;

/// What the role rule looks at.
pub struct RoleInput<'a> {
    pub path: &'a str,
    /// The file's bytes, when they were read.
    pub bytes: Option<&'a [u8]>,
    pub language_known: bool,
}

/// Applies the rule in the module documentation.
pub fn classify(input: &RoleInput<'_>) -> Role {
    let path = input.path;
    let (dirs, name) = split(path);
    let lower = name.to_ascii_lowercase();
    let extension = extension(&lower);
    if dirs.iter().any(|d| contains_folded(VENDOR_DIRS, d)) {
        Role::Vendored
    } else if input.bytes.is_some_and(is_binary) || has_binary_extension(path) {
        Role::Binary
    } else if input.bytes.is_some_and(is_generated) {
        Role::Generated
    } else if is_ci(dirs.as_slice(), &lower) {
        Role::Ci
    } else if is_test_path(path) {
        Role::Test
    } else if BUILD_NAMES.binary_search(&lower.as_str()).is_ok()
        || extension.is_some_and(|e| BUILD_EXTENSIONS.contains(&e))
        || (lower.starts_with("requirements") && lower.ends_with(".txt"))
    {
        Role::Build
    } else if extension.is_some_and(|e| DOC_EXTENSIONS.contains(&e)) || DOC_NAMES.binary_search(&lower.as_str()).is_ok()
    {
        Role::Docs
    } else if extension.is_some_and(|e| CONFIG_EXTENSIONS.contains(&e)) || lower.starts_with('.') {
        Role::Config
    } else if input.language_known {
        Role::Source
    } else {
        Role::Other
    }
}

/// The vendored component `path` belongs to: the first vendoring folder on the path
/// (rule 1) and its child, `third_party/fmt` for `third_party/fmt/src/a.cc`. `None` for
/// a path outside vendoring folders or a file directly in one (`third_party/BUCK`);
/// `is_dir` says whether `path` itself is a folder (a submodule), which may be the child.
pub fn vendored_component(path: &str, is_dir: bool) -> Option<&str> {
    let parts: Vec<&str> = path.split('/').collect();
    let folders = if is_dir { parts.len() } else { parts.len() - 1 };
    let root = parts[..folders].iter().position(|d| contains_folded(VENDOR_DIRS, d))?;
    (root + 1 < folders).then(|| {
        let length: usize = parts[..=root + 1].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
        &path[..length]
    })
}

/// Below a test directory, or named like a test file in a common convention.
pub fn is_test_path(path: &str) -> bool {
    let (dirs, name) = split(path);
    dirs.iter().any(|d| contains_folded(TEST_DIRS, d)) || test_subject(name).is_some() || name == "conftest.py"
}

/// The module a test file's name says it tests: `test_foo.py`/`foo_test.py` → `foo`,
/// `foo_test.go`, `foo.test.ts`, `foo.spec.js`, `FooTest.java` → `Foo`, `foo_unittest.cc`.
pub fn test_subject(name: &str) -> Option<&str> {
    let (stem, extension) = name.rsplit_once('.')?;
    if !matches!(
        extension,
        "py" | "go"
            | "c"
            | "cc"
            | "cpp"
            | "cxx"
            | "cu"
            | "js"
            | "jsx"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "rb"
            | "java"
            | "kt"
            | "rs"
    ) {
        return None;
    }
    let subject = stem
        .strip_prefix("test_")
        .or_else(|| stem.strip_suffix("_test"))
        .or_else(|| stem.strip_suffix("_tests"))
        .or_else(|| stem.strip_suffix("_unittest"))
        .or_else(|| stem.strip_suffix("_spec"))
        .or_else(|| stem.strip_suffix(".test"))
        .or_else(|| stem.strip_suffix(".spec"))
        .or_else(|| {
            matches!(extension, "java" | "kt")
                .then(|| stem.strip_suffix("Test"))
                .flatten()
        })
        .or_else(|| {
            matches!(extension, "java" | "kt")
                .then(|| stem.strip_suffix("Tests"))
                .flatten()
        })?;
    (!subject.is_empty()).then_some(subject)
}

fn is_ci(dirs: &[&str], lower_name: &str) -> bool {
    let yaml = lower_name.ends_with(".yml") || lower_name.ends_with(".yaml");
    (yaml && dirs.ends_with(&[".github", "workflows"]))
        || lower_name == "action.yml"
        || lower_name == "action.yaml"
        || lower_name == ".gitlab-ci.yml"
        || lower_name == ".travis.yml"
        || lower_name == "azure-pipelines.yml"
        || lower_name == "jenkinsfile"
        || dirs.first().is_some_and(|d| *d == ".circleci" || *d == ".buildkite")
}

/// git's test: a NUL byte in the first 8,000 bytes.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8000)].contains(&0)
}

/// A generation marker in the first five lines.
pub fn is_generated(bytes: &[u8]) -> bool {
    let bytes = &bytes[..bytes.len().min(4096)];
    let head_end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(4)
        .map_or(bytes.len(), |(i, _)| i);
    let head = &bytes[..head_end];
    contains(head, b"@generated") || contains(head, b"DO NOT EDIT")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

fn contains_folded(table: &[&str], dir: &str) -> bool {
    table.iter().any(|t| t.eq_ignore_ascii_case(dir))
}

fn split(path: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    (parts, name)
}

fn extension(lower_name: &str) -> Option<&str> {
    lower_name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|_| !lower_name.starts_with('.') || lower_name.matches('.').count() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str, bytes: Option<&[u8]>, language_known: bool) -> Role {
        classify(&RoleInput {
            path,
            bytes,
            language_known,
        })
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [BUILD_NAMES, DOC_NAMES, VENDOR_DIRS, TEST_DIRS, BINARY_EXTENSIONS] {
            assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
    }

    /// A binary extension must not be a language tokei counts, or the same file would be
    /// both binary and line-counted.
    #[test]
    fn binary_extensions_are_no_tokei_language() {
        for extension in BINARY_EXTENSIONS {
            assert_eq!(tokei::LanguageType::from_file_extension(extension), None, "{extension}");
        }
    }

    #[test]
    fn precedence_follows_the_documented_order() {
        assert_eq!(role("third_party/x/test_a.py", Some(b"x"), true), Role::Vendored);
        assert_eq!(role("img/logo.png", Some(b"\x89PNG\0"), false), Role::Binary);
        assert_eq!(role("img/unread.PNG", None, false), Role::Binary);
        assert_eq!(role("third_party/x/logo.png", None, false), Role::Vendored);
        assert_eq!(
            role("src/gen.rs", Some(b"// @generated by x\nfn a(){}"), true),
            Role::Generated
        );
        assert_eq!(role(".github/workflows/ci.yml", Some(b"on: push"), true), Role::Ci);
        assert_eq!(role("tests/test_a.py", Some(b"x"), true), Role::Test);
        assert_eq!(role("pkg/a_test.go", Some(b"x"), true), Role::Test);
        assert_eq!(role("web/a.spec.ts", Some(b"x"), true), Role::Test);
        assert_eq!(role("CMakeLists.txt", Some(b"x"), true), Role::Build);
        assert_eq!(role("requirements-dev.txt", Some(b"x"), false), Role::Build);
        assert_eq!(role("docs/guide.md", Some(b"x"), true), Role::Docs);
        assert_eq!(role("LICENSE", Some(b"x"), false), Role::Docs);
        assert_eq!(role("config/app.yaml", Some(b"x"), true), Role::Config);
        assert_eq!(role(".gitignore", Some(b"x"), false), Role::Config);
        assert_eq!(role("src/main.rs", Some(b"fn main(){}"), true), Role::Source);
        assert_eq!(role("data/table.csv", Some(b"a,b"), false), Role::Other);
        assert_eq!(role("big/generated.c", None, true), Role::Source);
        assert_eq!(role("scripts/Makefile.lib", Some(b"# rules"), false), Role::Other);
        assert_eq!(role("lib/shims.lib", Some(b"!<arch>\n\0"), false), Role::Binary);
    }

    #[test]
    fn vendored_components_are_the_children_of_the_first_vendoring_folder() {
        assert_eq!(
            vendored_component("third_party/fmt/src/a.cc", false),
            Some("third_party/fmt")
        );
        assert_eq!(
            vendored_component("a/Vendor/x/third_party/y/z.c", false),
            Some("a/Vendor/x")
        );
        assert_eq!(vendored_component("third_party/BUCK", false), None);
        assert_eq!(
            vendored_component("third-party/flatbuffers", true),
            Some("third-party/flatbuffers")
        );
        assert_eq!(vendored_component("third-party", true), None);
        assert_eq!(vendored_component("src/vendor.rs", false), None);
    }

    #[test]
    fn generated_marker_only_counts_near_the_top() {
        assert!(is_generated(b"// Code generated by protoc. DO NOT EDIT.\npackage x"));
        assert!(!is_generated(b"1\n2\n3\n4\n5\n6 @generated\n"));
    }

    #[test]
    fn test_subjects() {
        assert_eq!(test_subject("test_linalg.py"), Some("linalg"));
        assert_eq!(test_subject("server_test.go"), Some("server"));
        assert_eq!(test_subject("button.test.tsx"), Some("button"));
        assert_eq!(test_subject("ParserTest.java"), Some("Parser"));
        assert_eq!(test_subject("helpers.py"), None);
        assert_eq!(test_subject("test_.py"), None);
    }
}
