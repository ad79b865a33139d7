//! Declared toolchains: the Python, Rust, Go and Node versions and the C/C++ standards a
//! project states in its own files, each with file and line. Vendored and test files are
//! left out: their declarations are not the project's.

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Role, ScanNote, SkipReason, Toolchain, ToolchainDecl};
use crate::scan::{File, FileInfo};

use super::caps::{thousands, too_large_for_a_tree};
use super::{Analysis, Analyzer, Conclusion};

pub struct ToolchainsAnalyzer;

impl Analyzer for ToolchainsAnalyzer {
    fn id(&self) -> &'static str {
        "toolchains"
    }

    fn wants(&self, file: &FileInfo) -> bool {
        !matches!(file.role, Role::Vendored | Role::Test | Role::Binary) && declarer(file.name()).is_some()
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        let Some(kind) = declarer(file.info.name()) else { return };
        let Some(text) = file.text() else {
            out.notes.push(ScanNote::new(
                &file.info.path,
                SkipReason::NonUtf8,
                Some("toolchains".into()),
            ));
            return;
        };
        let read_as_tree = matches!(
            kind,
            Declarer::Pyproject | Declarer::CargoToml | Declarer::RustToolchainToml | Declarer::PackageJson
        );
        if let Some(why) = read_as_tree.then(|| too_large_for_a_tree(text)).flatten() {
            out.notes
                .push(ScanNote::new(&file.info.path, SkipReason::TooLarge, Some(why)));
            return;
        }
        let mut found = Found::new(&file.info.path, &mut out.toolchains);
        let result = match kind {
            Declarer::PythonVersion => {
                found.first_line(Toolchain::Python, text, ".python-version");
                Ok(())
            }
            Declarer::NodeVersion => {
                found.first_line(Toolchain::Node, text, file.info.name());
                Ok(())
            }
            Declarer::RustToolchainFile => {
                found.first_line(Toolchain::Rust, text, "rust-toolchain");
                Ok(())
            }
            Declarer::Pyproject => pyproject(text, &mut found),
            Declarer::SetupPy => {
                setup_py(text, &mut found);
                Ok(())
            }
            Declarer::SetupCfg => {
                setup_cfg(text, &mut found);
                Ok(())
            }
            Declarer::CargoToml => cargo_toml(text, &mut found),
            Declarer::RustToolchainToml => rust_toolchain_toml(text, &mut found),
            Declarer::GoMod => {
                go_mod(text, &mut found);
                Ok(())
            }
            Declarer::PackageJson => package_json(text, &mut found),
            Declarer::Cmake => {
                cmake(text, &mut found);
                Ok(())
            }
        };
        let left_out = found.left_out;
        if let Err(message) = result {
            out.notes
                .push(ScanNote::new(&file.info.path, SkipReason::ParseError, Some(message)));
        }
        if left_out > 0 {
            let detail = format!(
                "and {} more toolchain declarations, not kept: plumb keeps at most {DECLARATIONS_PER_FILE} per file",
                thousands(left_out)
            );
            out.notes
                .push(ScanNote::new(&file.info.path, SkipReason::TooManyEntries, Some(detail)));
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let toolchains = analysis.toolchains.clone();
        Box::new(move |audit| audit.toolchains = toolchains)
    }
}

#[derive(Clone, Copy)]
enum Declarer {
    PythonVersion,
    NodeVersion,
    RustToolchainFile,
    RustToolchainToml,
    Pyproject,
    SetupPy,
    SetupCfg,
    CargoToml,
    GoMod,
    PackageJson,
    Cmake,
}

fn declarer(name: &str) -> Option<Declarer> {
    Some(match name {
        ".python-version" => Declarer::PythonVersion,
        ".nvmrc" | ".node-version" => Declarer::NodeVersion,
        "rust-toolchain" => Declarer::RustToolchainFile,
        "rust-toolchain.toml" => Declarer::RustToolchainToml,
        "pyproject.toml" => Declarer::Pyproject,
        "setup.py" => Declarer::SetupPy,
        "setup.cfg" => Declarer::SetupCfg,
        "Cargo.toml" => Declarer::CargoToml,
        "go.mod" => Declarer::GoMod,
        "package.json" => Declarer::PackageJson,
        "CMakeLists.txt" => Declarer::Cmake,
        _ if name.ends_with(".cmake") => Declarer::Cmake,
        _ => return None,
    })
}

/// At most this many declarations of one file are kept (real files make a handful; a
/// generated CMake file of a million `cxx_std_17` would make a million); a note counts
/// the rest.
const DECLARATIONS_PER_FILE: usize = 100;

/// Declarations found in one file.
struct Found<'a> {
    path: &'a str,
    decls: &'a mut Vec<ToolchainDecl>,
    kept: usize,
    left_out: usize,
}

impl<'a> Found<'a> {
    fn new(path: &'a str, decls: &'a mut Vec<ToolchainDecl>) -> Self {
        Found {
            path,
            decls,
            kept: 0,
            left_out: 0,
        }
    }

    fn push(&mut self, toolchain: Toolchain, value: &str, line: usize, key: &str) {
        if self.kept == DECLARATIONS_PER_FILE {
            self.left_out += 1;
            return;
        }
        self.kept += 1;
        self.decls.push(ToolchainDecl {
            toolchain,
            value: value.trim().to_string(),
            path: self.path.to_string(),
            line,
            key: key.to_string(),
        });
    }

    /// Files whose first meaningful line is the version (`.python-version`, `.nvmrc`).
    fn first_line(&mut self, toolchain: Toolchain, text: &str, key: &str) {
        let found = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()))
            .find(|(_, line)| !line.is_empty() && !line.starts_with('#'));
        if let Some((line, value)) = found {
            self.push(toolchain, value, line, key);
        }
    }

    fn spanned(&mut self, toolchain: Toolchain, text: &str, value: &Spanned<toml::Value>, key: &str) {
        if let Some(version) = value.get_ref().as_str() {
            self.push(toolchain, version, line_of(text, value.span().start), key);
        }
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

type TomlValue = Option<Spanned<toml::Value>>;

fn pyproject(text: &str, found: &mut Found<'_>) -> Result<(), String> {
    #[derive(Deserialize)]
    struct Pyproject {
        project: Option<Project>,
        tool: Option<Tool>,
    }
    #[derive(Deserialize)]
    struct Project {
        #[serde(rename = "requires-python")]
        requires_python: TomlValue,
    }
    #[derive(Deserialize)]
    struct Tool {
        poetry: Option<Poetry>,
    }
    #[derive(Deserialize)]
    struct Poetry {
        dependencies: Option<toml::Table>,
    }
    let doc: Pyproject = parse_toml(text)?;
    if let Some(value) = doc.project.and_then(|p| p.requires_python) {
        found.spanned(Toolchain::Python, text, &value, "requires-python");
    }
    let poetry_python = doc
        .tool
        .and_then(|t| t.poetry)
        .and_then(|p| p.dependencies)
        .and_then(|d| d.get("python").and_then(|v| v.as_str().map(str::to_string)));
    if let Some(version) = poetry_python {
        let line = find_line(text, "python").unwrap_or(1);
        found.push(Toolchain::Python, &version, line, "tool.poetry.dependencies.python");
    }
    Ok(())
}

/// `python_requires` of `setup(...)`, read as the dependencies analyzer reads it.
fn setup_py(text: &str, found: &mut Found<'_>) {
    if let Some((value, offset)) = super::dependencies::setup_py_python_requires(text) {
        found.push(Toolchain::Python, &value, line_of(text, offset), "python_requires");
    }
}

/// `python_requires = ...` of the `[options]` section.
fn setup_cfg(text: &str, found: &mut Found<'_>) {
    let mut section = "";
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']']).trim();
        } else if let Some((key, value)) = trimmed.split(" #").next().and_then(|t| t.split_once('=')) {
            let top_level = !line.starts_with(char::is_whitespace);
            if section == "options" && top_level && key.trim() == "python_requires" && !value.trim().is_empty() {
                found.push(Toolchain::Python, value, index + 1, "python_requires");
            }
        }
    }
}

fn cargo_toml(text: &str, found: &mut Found<'_>) -> Result<(), String> {
    #[derive(Deserialize)]
    struct Manifest {
        package: Option<Package>,
        workspace: Option<Workspace>,
    }
    #[derive(Deserialize)]
    struct Package {
        #[serde(rename = "rust-version")]
        rust_version: TomlValue,
    }
    #[derive(Deserialize)]
    struct Workspace {
        package: Option<Package>,
    }
    let doc: Manifest = parse_toml(text)?;
    if let Some(value) = doc.package.and_then(|p| p.rust_version) {
        found.spanned(Toolchain::Rust, text, &value, "rust-version");
    }
    if let Some(value) = doc.workspace.and_then(|w| w.package).and_then(|p| p.rust_version) {
        found.spanned(Toolchain::Rust, text, &value, "workspace.package.rust-version");
    }
    Ok(())
}

fn rust_toolchain_toml(text: &str, found: &mut Found<'_>) -> Result<(), String> {
    #[derive(Deserialize)]
    struct File {
        toolchain: Option<Section>,
    }
    #[derive(Deserialize)]
    struct Section {
        channel: TomlValue,
    }
    let doc: File = parse_toml(text)?;
    if let Some(value) = doc.toolchain.and_then(|t| t.channel) {
        found.spanned(Toolchain::Rust, text, &value, "toolchain.channel");
    }
    Ok(())
}

fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| e.message().to_string())
}

fn go_mod(text: &str, found: &mut Found<'_>) {
    for (i, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        if let (Some(key @ ("go" | "toolchain")), Some(value)) = (words.next(), words.next()) {
            found.push(Toolchain::Go, value, i + 1, key);
        }
    }
}

fn package_json(text: &str, found: &mut Found<'_>) -> Result<(), String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(node) = doc.pointer("/engines/node").and_then(|v| v.as_str()) {
        // serde_json keeps no positions: the line is that of the first `"node"` after `"engines"`.
        let engines = text.find("\"engines\"").unwrap_or(0);
        let line = text[engines..]
            .find("\"node\"")
            .map_or(line_of(text, engines), |i| line_of(text, engines + i));
        found.push(Toolchain::Node, node, line, "engines.node");
    }
    Ok(())
}

/// `set(CMAKE_CXX_STANDARD 17)`, `CXX_STANDARD 17` target properties and `cxx_std_17`
/// compile features (and their C equivalents).
fn cmake(text: &str, found: &mut Found<'_>) {
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        // Tokens one at a time with the next in view: a one-line file of 10 MiB would
        // otherwise hold a vector of all its tokens (17 MB).
        let mut tokens = code
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .map(|t| t.trim_matches('"'))
            .filter(|t| !t.is_empty())
            .peekable();
        while let Some(token) = tokens.next() {
            let next_number = tokens.peek().filter(|t| t.bytes().all(|b| b.is_ascii_digit()));
            let decl = match (token, next_number) {
                ("CMAKE_CXX_STANDARD" | "CXX_STANDARD", Some(n)) => Some((Toolchain::Cxx, *n)),
                ("CMAKE_C_STANDARD" | "C_STANDARD", Some(n)) => Some((Toolchain::C, *n)),
                _ => token
                    .strip_prefix("cxx_std_")
                    .map(|n| (Toolchain::Cxx, n))
                    .or_else(|| token.strip_prefix("c_std_").map(|n| (Toolchain::C, n)))
                    .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
            };
            if let Some((toolchain, value)) = decl {
                found.push(toolchain, value, i + 1, token);
            }
        }
    }
}

fn find_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.trim_start().starts_with(key))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, text: &str) -> Vec<String> {
        let mut decls = Vec::new();
        let mut found = Found::new(path, &mut decls);
        match declarer(path).expect("declarer") {
            Declarer::Pyproject => pyproject(text, &mut found).expect("parse"),
            Declarer::SetupPy => setup_py(text, &mut found),
            Declarer::SetupCfg => setup_cfg(text, &mut found),
            Declarer::CargoToml => cargo_toml(text, &mut found).expect("parse"),
            Declarer::GoMod => go_mod(text, &mut found),
            Declarer::PackageJson => package_json(text, &mut found).expect("parse"),
            Declarer::Cmake => cmake(text, &mut found),
            _ => unreachable!("not used here"),
        }
        decls
            .iter()
            .map(|d| format!("{:?} {} {}:{} {}", d.toolchain, d.value, d.path, d.line, d.key))
            .collect()
    }

    #[test]
    fn a_file_keeps_its_first_declarations_and_counts_the_rest() {
        let text = "target_compile_features(a PUBLIC cxx_std_17) ".repeat(DECLARATIONS_PER_FILE + 5);
        let mut decls = Vec::new();
        let mut found = Found::new("CMakeLists.txt", &mut decls);
        cmake(&text, &mut found);
        assert_eq!(found.left_out, 5);
        assert_eq!(decls.len(), DECLARATIONS_PER_FILE);
    }

    #[test]
    fn declarations_carry_their_line() {
        assert_eq!(
            run("pyproject.toml", "[project]\nname='x'\nrequires-python = \">=3.10\"\n"),
            ["Python >=3.10 pyproject.toml:3 requires-python"]
        );
        assert_eq!(
            run(
                "setup.py",
                "from setuptools import setup\nPY = '>=3.9'\nsetup(\n    name='x',\n    python_requires=\">=3.10\",\n)\n"
            ),
            ["Python >=3.10 setup.py:5 python_requires"]
        );
        assert_eq!(
            run(
                "setup.cfg",
                "[metadata]\nname = x\n[options]\npython_requires = >=3.8  # the oldest tested\ninstall_requires =\n    python_requires\n"
            ),
            ["Python >=3.8 setup.cfg:4 python_requires"]
        );
        assert_eq!(
            run(
                "Cargo.toml",
                "[package]\nrust-version.workspace = true\n[workspace.package]\nrust-version = \"1.80\"\n"
            ),
            ["Rust 1.80 Cargo.toml:4 workspace.package.rust-version"]
        );
        assert_eq!(
            run("go.mod", "module x\n\ngo 1.22\ntoolchain go1.22.3\n"),
            ["Go 1.22 go.mod:3 go", "Go go1.22.3 go.mod:4 toolchain"]
        );
        assert_eq!(
            run(
                "package.json",
                "{\n \"node\": 1,\n \"engines\": {\n  \"node\": \">=18\"\n }\n}"
            ),
            ["Node >=18 package.json:4 engines.node"]
        );
        assert_eq!(
            run("CMakeLists.txt", "set(CMAKE_CXX_STANDARD 17)\nif(CMAKE_CXX_STANDARD LESS 14)\n# set(CMAKE_C_STANDARD 99)\ntarget_compile_features(x PUBLIC cxx_std_20 c_std_11)\n"),
            ["Cxx 17 CMakeLists.txt:1 CMAKE_CXX_STANDARD", "Cxx 20 CMakeLists.txt:4 cxx_std_20", "C 11 CMakeLists.txt:4 c_std_11"]
        );
    }
}
