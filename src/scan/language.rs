//! Which tokei language a path is, decided from the path and the bytes already read.
//!
//! `tokei::LanguageType::from_path` opens an extension-less file to sniff its shebang.
//! plumb must not: the bytes may come from the object database, and a second read would
//! break the one-read rule. So the path lookup runs on a path that cannot be opened, and the
//! shebang is sniffed here from the bytes, with tokei's own shebang table.

use std::path::Path;

use tokei::{Config, LanguageType};

/// tokei 15's `env` table (languages.json), in tokei's match order: for
/// `#!/usr/bin/env WORD`, the first entry WORD starts with wins. tokei keeps this table
/// private, hence the copy; `env_table_matches_tokei` guards it.
const ENV_INTERPRETERS: &[(&str, LanguageType)] = &[
    ("bash", LanguageType::Bash),
    ("csh", LanguageType::CShell),
    ("crystal", LanguageType::Crystal),
    ("cython", LanguageType::Cython),
    ("elvish", LanguageType::Elvish),
    ("fish", LanguageType::Fish),
    ("groovy", LanguageType::Groovy),
    ("just", LanguageType::Just),
    ("ksh", LanguageType::Ksh),
    ("python", LanguageType::Python),
    ("python2", LanguageType::Python),
    ("python3", LanguageType::Python),
    ("racket", LanguageType::Racket),
    ("perl6", LanguageType::Raku),
    ("raku", LanguageType::Raku),
    ("ruby", LanguageType::Ruby),
    ("sh", LanguageType::Sh),
];

/// The language of `path` by name and extension alone (no I/O).
pub fn from_path(path: &str, config: &Config) -> Option<LanguageType> {
    let name = path.rsplit('/').next().unwrap_or(path);
    // A NUL byte makes any open() fail, so tokei's shebang fallback cannot touch the disk.
    LanguageType::from_path(Path::new("\0").join(name), config)
}

/// The language named by a `#!` line in the first 128 bytes, as tokei would find it.
pub fn from_shebang(bytes: &[u8]) -> Option<LanguageType> {
    let head = &bytes[..bytes.len().min(128)];
    let first_line = head.split(|b| *b == b'\n').next()?;
    let first_line = std::str::from_utf8(first_line).ok()?;
    let mut words = first_line.split_whitespace();
    let first = words.next()?;
    if first == "#!/usr/bin/env" {
        let word = words.next()?;
        return ENV_INTERPRETERS
            .iter()
            .find(|(prefix, _)| word.starts_with(prefix))
            .map(|(_, language)| *language);
    }
    LanguageType::list()
        .iter()
        .map(|(language, _)| *language)
        .find(|language| language.shebangs().contains(&first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_table_matches_tokei() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (word, language) in ENV_INTERPRETERS {
            let path = dir.path().join("script");
            std::fs::write(&path, format!("#!/usr/bin/env {word}\n")).expect("write");
            assert_eq!(LanguageType::from_shebang(&path), Some(*language), "{word}");
            assert_eq!(
                from_shebang(format!("#!/usr/bin/env {word}\n").as_bytes()),
                Some(*language)
            );
        }
    }

    #[test]
    fn shebang_paths_and_names() {
        assert_eq!(from_shebang(b"#!/bin/bash\necho"), Some(LanguageType::Bash));
        assert_eq!(from_shebang(b"#!/usr/bin/env python3.12\n"), Some(LanguageType::Python));
        assert_eq!(from_shebang(b"no shebang"), None);
        let config = Config::default();
        assert_eq!(from_path("a/Makefile", &config), Some(LanguageType::Makefile));
        assert_eq!(from_path("CMakeLists.txt", &config), Some(LanguageType::CMake));
        assert_eq!(from_path("x/y.PY", &config), Some(LanguageType::Python));
        assert_eq!(from_path("scripts/run", &config), None);
    }
}
