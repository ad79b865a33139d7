//! Go: `go.mod` (`require`, single and block, with `// indirect`; `replace`) and `go.sum`.

use crate::model::{DependencyScope, Ecosystem, LockedPackage, PinClass};

use super::{Declaration, Declared, LockDraft, Parsed};

/// The group of `// indirect` requirements, and of requirements a `replace` points at a
/// local folder.
pub const INDIRECT: &str = "indirect";
pub const REPLACE: &str = "replace";

/// One `require` or `replace` entry, with its 1-based line.
struct Require<'a> {
    line: usize,
    module: &'a str,
    version: &'a str,
    indirect: bool,
}

struct Replace<'a> {
    line: usize,
    old: &'a str,
    /// `None` when the replace covers every version of `old`.
    old_version: Option<&'a str>,
    new: &'a str,
    /// `None` for a local folder.
    new_version: Option<&'a str>,
}

/// The rule for Go: every `require` names one version (minimal version selection never
/// picks a newer one by itself), so it is exact; `finish` makes it hash-pinned when the
/// `go.sum` next to it records that version's hash. A `replace` changes what a
/// requirement builds from, so the requirement becomes its replacement: another module
/// at the replacement's version (located at the `replace` line, and looked up in
/// `go.sum` under that name), or a local folder (`path ../x`, group `replace`: the
/// tree's own code, which `go.sum` does not lock). A `replace` of a module nothing here
/// requires changes only the module graph below, which `go.sum` records: it declares
/// nothing.
pub fn go_mod(path: &str, text: &str) -> Parsed {
    let mut module = None;
    let mut block: Option<&str> = None;
    let mut requires = Vec::new();
    let mut replaces = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let (code, comment) = raw.split_once("//").unwrap_or((raw, ""));
        let words: Vec<&str> = code.split_whitespace().collect();
        let indirect = comment.trim() == "indirect" || comment.trim().starts_with("indirect;");
        let (keyword, entry): (&str, &[&str]) = match (block, words.as_slice()) {
            (_, ["module", name]) => {
                module = Some(name.trim_matches('"').to_string());
                continue;
            }
            (_, [")"]) => {
                block = None;
                continue;
            }
            (None, [keyword @ ("require" | "replace"), "("]) => {
                block = Some(keyword);
                continue;
            }
            (None, [keyword @ ("require" | "replace"), rest @ ..]) => (keyword, rest),
            (Some(keyword), rest) => (keyword, rest),
            _ => continue,
        };
        let line = index + 1;
        match (keyword, entry) {
            ("require", [module, version, ..]) => requires.push(Require {
                line,
                module,
                version,
                indirect,
            }),
            ("replace", _) => replaces.extend(replace(line, entry)),
            _ => {}
        }
    }
    let mut declared = Declared::new(path, text);
    for require in &requires {
        // A replace naming the version wins over one for every version, as in Go.
        let replace = replaces
            .iter()
            .filter(|r| r.old == require.module && r.old_version.is_none_or(|v| v == require.version))
            .max_by_key(|r| r.old_version.is_some());
        let (line, declaration) = declaration(require, replace);
        declared.add(line, declaration);
    }
    let mut draft = declared.into_manifest(Ecosystem::Golang, "go.mod", text);
    draft.manifest.package = module;
    Parsed::Manifest(draft)
}

/// `old [version] => new [version]`.
fn replace<'a>(line: usize, words: &[&'a str]) -> Option<Replace<'a>> {
    let arrow = words.iter().position(|w| *w == "=>")?;
    let (left, right) = (&words[..arrow], &words[arrow + 1..]);
    match (left, right) {
        ([old], [new, rest @ ..]) | ([old, _], [new, rest @ ..]) if rest.len() <= 1 => Some(Replace {
            line,
            old,
            old_version: left.get(1).copied(),
            new,
            new_version: rest.first().copied(),
        }),
        _ => None,
    }
}

fn declaration(require: &Require<'_>, replace: Option<&Replace<'_>>) -> (usize, Declaration) {
    let indirect = require.indirect.then(|| INDIRECT.to_string());
    let replaced = format!("replaces {} {}", require.module, require.version);
    match replace {
        None => (
            require.line,
            Declaration {
                name: require.module.to_string(),
                specifier: require.version.to_string(),
                scope: DependencyScope::Runtime,
                group: indirect,
                pin: PinClass::Exact,
            },
        ),
        Some(
            r @ Replace {
                new_version: Some(version),
                ..
            },
        ) => (
            r.line,
            Declaration {
                name: r.new.to_string(),
                specifier: format!("{version} ({replaced})"),
                scope: DependencyScope::Runtime,
                group: indirect,
                pin: PinClass::Exact,
            },
        ),
        Some(r) => (
            r.line,
            Declaration {
                name: require.module.to_string(),
                specifier: format!("path {} ({replaced})", r.new),
                scope: DependencyScope::Runtime,
                group: Some(REPLACE.to_string()),
                pin: PinClass::Exact,
            },
        ),
    }
}

/// `module version h1:hash` lines, one package per module version whose code is hashed.
/// A `module version/go.mod h1:hash` line hashes only that version's `go.mod`, which Go
/// reads to walk the module graph without building from it: not a package, but a name
/// `go.sum` knows, so a requirement of it is resolved (without a version).
pub fn go_sum(path: &str, text: &str) -> Parsed {
    let mut packages = Vec::new();
    let mut graph_only = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(version), Some(hash)) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        if version.ends_with("/go.mod") {
            graph_only.push(name.to_string());
            continue;
        }
        packages.push(LockedPackage {
            registry_name: None,
            name: name.to_string(),
            version: version.to_string(),
            source: None,
            hashed: hash.starts_with("h1:"),
            dependencies: Vec::new(),
        });
    }
    packages.sort();
    packages.dedup_by(|a, b| a.name == b.name && a.version == b.version);
    graph_only.sort();
    graph_only.dedup();
    let mut draft = LockDraft::new(path, Ecosystem::Golang, "go.sum", packages);
    draft.graph_only = graph_only;
    Parsed::Lockfile(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_and_replaces() {
        let text = "module example.com/m\n\nrequire a.com/x v1.0.0\nrequire (\n\tb.com/y v0.2.0 // indirect\n\tc.com/z v1.1.0\n)\nreplace a.com/x => ../x\nreplace (\n\tc.com/z v1.1.0 => fork.com/z v1.1.1\n\tc.com/z => fork.com/z v9.9.9\n\tunused.com/q => other.com/q v1.0.0\n)\n";
        let Parsed::Manifest(draft) = go_mod("go.mod", text) else {
            panic!()
        };
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.specifier.as_str(),
                    d.location.line,
                    d.group.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a.com/x", "path ../x (replaces a.com/x v1.0.0)", 8, Some("replace")),
                ("b.com/y", "v0.2.0", 5, Some("indirect")),
                ("fork.com/z", "v1.1.1 (replaces c.com/z v1.1.0)", 10, None),
            ]
        );
        assert_eq!(draft.manifest.package.as_deref(), Some("example.com/m"));
    }

    #[test]
    fn go_sum_locks_what_is_built_not_go_mod_only_hashes() {
        let text = "a.com/x v1.0.0 h1:aa=\na.com/x v1.0.0/go.mod h1:bb=\na.com/x v0.9.0/go.mod h1:cc=\nb.com/y v0.1.0/go.mod h1:dd=\n";
        let Parsed::Lockfile(draft) = go_sum("go.sum", text) else {
            panic!()
        };
        let got: Vec<_> = draft
            .lockfile
            .packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        assert_eq!(got, ["a.com/x@v1.0.0"]);
        assert_eq!(draft.graph_only, ["a.com/x", "b.com/y"]);
    }
}
