//! Go: `go.mod` (`require`, single and block, with `// indirect`; `replace`) and `go.sum`.

use crate::model::{DependencyScope, Ecosystem, LockedPackage, PinClass};

use super::{Declaration, Declared, LockDraft, Parsed};

/// The group of `// indirect` requirements and of `replace` targets.
pub const INDIRECT: &str = "indirect";
pub const REPLACE: &str = "replace";

/// The rule for Go: every `require` names one version (minimal version selection never
/// picks a newer one by itself), so it is exact; `finish` makes it hash-pinned when the
/// `go.sum` next to it records that version's hash. A `replace` to a local folder is
/// exact too (this snapshot fixes it).
pub fn go_mod(path: &str, text: &str) -> Parsed {
    let mut declared = Declared::new(path, text);
    let mut module = None;
    let mut block: Option<&str> = None;
    for (index, raw) in text.lines().enumerate() {
        let (code, comment) = raw.split_once("//").unwrap_or((raw, ""));
        let words: Vec<&str> = code.split_whitespace().collect();
        let indirect = comment.trim() == "indirect" || comment.trim().starts_with("indirect;");
        let entry: &[&str] = match (block, words.as_slice()) {
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
            (None, [keyword @ ("require" | "replace"), rest @ ..]) => {
                add_entry(&mut declared, index + 1, keyword, rest, indirect);
                continue;
            }
            (Some(_), rest) => rest,
            _ => continue,
        };
        if let Some(keyword) = block {
            add_entry(&mut declared, index + 1, keyword, entry, indirect);
        }
    }
    let mut draft = declared.into_manifest(Ecosystem::Golang, "go.mod", text);
    draft.manifest.package = module;
    Parsed::Manifest(draft)
}

fn add_entry(declared: &mut Declared<'_>, line: usize, keyword: &str, words: &[&str], indirect: bool) {
    let declaration = match (keyword, words) {
        ("require", [name, version, ..]) => Declaration {
            name: name.to_string(),
            specifier: version.to_string(),
            scope: DependencyScope::Runtime,
            group: indirect.then(|| INDIRECT.to_string()),
            pin: PinClass::Exact,
        },
        ("replace", [old, .., "=>", new]) | ("replace", [old, .., "=>", new, _]) => Declaration {
            name: new.to_string(),
            specifier: format!("replaces {old}: {}", words[words.len().saturating_sub(2)..].join(" ")),
            scope: DependencyScope::Runtime,
            group: Some(REPLACE.to_string()),
            pin: PinClass::Exact,
        },
        _ => return,
    };
    declared.add(line, declaration);
}

/// `module version[/go.mod] h1:hash` lines; one package per module version.
pub fn go_sum(path: &str, text: &str) -> Parsed {
    let mut packages: Vec<LockedPackage> = text
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (name, version, hash) = (words.next()?, words.next()?, words.next()?);
            Some(LockedPackage {
                registry_name: None,
                name: name.to_string(),
                version: version.trim_end_matches("/go.mod").to_string(),
                source: None,
                hashed: hash.starts_with("h1:"),
                dependencies: Vec::new(),
            })
        })
        .collect();
    packages.sort();
    packages.dedup_by(|a, b| a.name == b.name && a.version == b.version);
    Parsed::Lockfile(LockDraft::new(path, Ecosystem::Golang, "go.sum", packages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_and_replaces() {
        let text = "module example.com/m\n\nrequire a.com/x v1.0.0\nrequire (\n\tb.com/y v0.2.0 // indirect\n)\nreplace a.com/x => ../x\n";
        let Parsed::Manifest(draft) = go_mod("go.mod", text) else {
            panic!()
        };
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.location.line, d.group.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("../x", 7, Some("replace")),
                ("a.com/x", 3, None),
                ("b.com/y", 5, Some("indirect"))
            ]
        );
        assert_eq!(draft.manifest.package.as_deref(), Some("example.com/m"));
    }
}
