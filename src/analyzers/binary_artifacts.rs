//! Binary artifacts committed to the tree, as OpenSSF Scorecard's Binary-Artifacts check
//! sees them: executables, libraries, object files, JVM and Python bytecode, and archives
//! (which may carry any of those). Code that cannot be reviewed in a diff nor rebuilt from
//! the tree is a supply-chain risk.
//!
//! Nearly all are classified by extension from the file list, without reading them (the
//! scan does not read known binary formats). Only extension-less files, which the scan
//! reads anyway, are tested for an executable's magic number (ELF, Mach-O, PE).

use std::path::Path;

use crate::model::{BinaryArtifact, Location, Role, Rule, Severity};
use crate::scan::{File, FileInfo};

use super::supply::finding;
use super::{Analysis, Analyzer, Conclusion};

pub const BINARY_ARTIFACT: Rule = Rule {
    group: "supply-chain",
    id: "binary-artifact",
    title: "binary artifact committed to the tree",
    help: "A compiled or packed file cannot be reviewed in a diff and may not match any source in the tree. Build it in CI from reviewed sources, or fetch it at build time from a pinned, checksummed release; if it must stay, record where it comes from and its checksum.",
};

/// Extension (lower case, sorted for `binary_search`) → kind of artifact.
const KINDS: &[(&str, &str)] = &[
    ("7z", "archive"),
    ("a", "static-library"),
    ("br", "archive"),
    ("bz2", "archive"),
    ("class", "class"),
    ("deb", "archive"),
    ("dll", "shared-library"),
    ("dylib", "shared-library"),
    ("ear", "jar"),
    ("egg", "archive"),
    ("exe", "executable"),
    ("gz", "archive"),
    ("jar", "jar"),
    ("lib", "static-library"),
    ("lz4", "archive"),
    ("lzma", "archive"),
    ("msi", "executable"),
    ("o", "object"),
    ("pyc", "pyc"),
    ("pyo", "pyc"),
    ("rar", "archive"),
    ("rpm", "archive"),
    ("so", "shared-library"),
    ("tar", "archive"),
    ("tgz", "archive"),
    ("war", "jar"),
    ("wasm", "wasm"),
    ("whl", "archive"),
    ("xz", "archive"),
    // `.Z`, compress(1): names are compared in lower case.
    ("z", "archive"),
    ("zip", "archive"),
    ("zst", "archive"),
];

pub struct BinaryArtifactsAnalyzer;

impl Analyzer for BinaryArtifactsAnalyzer {
    fn id(&self) -> &'static str {
        "binary-artifacts"
    }

    fn rules(&self) -> &'static [Rule] {
        &[BINARY_ARTIFACT]
    }

    /// Extension-less files with a NUL byte (role binary, or vendored, which comes first).
    fn wants(&self, file: &FileInfo) -> bool {
        matches!(file.role, Role::Binary | Role::Vendored) && Path::new(file.name()).extension().is_none()
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        if file.info.tracked && is_executable(file.bytes) {
            out.supply.executables.push(BinaryArtifact {
                path: file.info.path.clone(),
                kind: "executable".to_string(),
                bytes: file.info.bytes,
            });
        }
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let mut artifacts: Vec<BinaryArtifact> = analysis
            .tracked()
            .filter_map(|f| {
                kind_by_name(f.info.name()).map(|kind| BinaryArtifact {
                    path: f.info.path.clone(),
                    kind: kind.to_string(),
                    bytes: f.info.bytes,
                })
            })
            .collect();
        artifacts.extend(analysis.supply.executables.iter().cloned());
        artifacts.sort();
        let mut findings = Vec::new();
        for artifact in &artifacts {
            let location = Location {
                path: artifact.path.clone(),
                line: 1,
                column: 1,
            };
            let message = format!("{} committed to the tree ({} bytes)", artifact.kind, artifact.bytes);
            findings.push(finding(&BINARY_ARTIFACT, location, Severity::Low, message));
        }
        Box::new(move |audit| {
            audit.findings.extend(findings);
            audit.supply_chain.binary_artifacts = artifacts;
        })
    }
}

/// The artifact kind a file name says, if any; `libx.so.1.2` is a shared library.
fn kind_by_name(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.contains(".so.") {
        return Some("shared-library");
    }
    let (stem, extension) = lower.rsplit_once('.')?;
    // `Makefile.lib`, `Kbuild.a`: make fragments (Linux has them), text despite the extension.
    let make_fragment = matches!(stem, "makefile" | "kbuild" | "gnumakefile");
    let index = KINDS.binary_search_by(|(e, _)| e.cmp(&extension)).ok();
    index.filter(|_| !stem.is_empty() && !make_fragment).map(|i| KINDS[i].1)
}

/// ELF, Mach-O (thin or fat) or PE (an `MZ` header whose `e_lfanew` points at `PE\0\0`).
fn is_executable(bytes: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x7fELF",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    ];
    MAGICS.iter().any(|m| bytes.starts_with(m)) || is_pe(bytes)
}

fn is_pe(bytes: &[u8]) -> bool {
    let Some(offset) = bytes.get(0x3c..0x40) else {
        return false;
    };
    let offset = u32::from_le_bytes([offset[0], offset[1], offset[2], offset[3]]) as usize;
    bytes.starts_with(b"MZ") && bytes.get(offset..offset.saturating_add(4)) == Some(b"PE\0\0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_sorted() {
        assert!(KINDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn names_and_magic_numbers() {
        assert_eq!(kind_by_name("libtorch.so.2.1"), Some("shared-library"));
        assert_eq!(kind_by_name("gradle-wrapper.JAR"), Some("jar"));
        assert_eq!(kind_by_name("x.cpython-311.pyc"), Some("pyc"));
        for compressed in ["bundle.js.br", "model.lz4", "data.tar.lzma", "old.tar.Z"] {
            assert_eq!(kind_by_name(compressed), Some("archive"), "{compressed}");
        }
        assert_eq!(kind_by_name("notes.txt"), None);
        assert_eq!(kind_by_name(".a"), None);
        assert_eq!(kind_by_name("Makefile.lib"), None);
        assert!(is_executable(b"\x7fELF\x02\x01\x01\0"));
        let mut pe = vec![0u8; 0x80];
        pe[..2].copy_from_slice(b"MZ");
        pe[0x3c] = 0x40;
        pe[0x40..0x44].copy_from_slice(b"PE\0\0");
        assert!(is_executable(&pe));
        assert!(!is_executable(b"MZ is a text file\0"));
    }
}
