//! License detection: a license file's text → SPDX id with a match score.
//!
//! Why the `spdx` crate's detector: it is askalono's matcher (normalised text, bigram
//! Dice score) maintained by Embark for cargo-deny, and it reads a prebuilt cache, whereas
//! askalono 0.5 ships no cache and would need the SPDX license-list-data at build time.
//! Why a subset cache committed here rather than the crate's inline cache of all 693 SPDX
//! licenses (feature `detection-inline-cache`): loading that one takes about 1 s and each
//! match 60–200 ms (measured on this 2-core machine, release build) — five times the whole
//! executorch audit — while the `LICENSES` below (the licenses vendored code actually
//! uses) load in about 40 ms and match in 1–20 ms. A text that matches none of them well
//! (under [`MIN_CONFIDENCE`]) gets no id: an unknown license is reported as unknown,
//! never as the nearest wrong one. `cargo test -- --ignored regenerate_license_cache`
//! rebuilds the cache from the crate's full one after `LICENSES` changes.

use std::sync::LazyLock;

use spdx::detection::{Store, TextData};

use crate::model::LicenseMatch;

/// The SPDX ids the matcher knows, sorted. The full-text GPL family is stored under its
/// `-or-later` id: the license text is the same for `-only`, which only a notice states.
#[cfg(test)]
pub const LICENSES: &[&str] = &[
    "0BSD",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Patent",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "BSD-4-Clause",
    "BSL-1.0",
    "BlueOak-1.0.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "EPL-1.0",
    "EPL-2.0",
    "FTL",
    "GPL-2.0-or-later",
    "GPL-3.0-or-later",
    "HPND",
    "ICU",
    "IJG",
    "ISC",
    "LGPL-2.0-or-later",
    "LGPL-2.1-or-later",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MIT-CMU",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "NCSA",
    "OFL-1.1",
    "OpenSSL",
    "PSF-2.0",
    "PostgreSQL",
    "Python-2.0",
    "Ruby",
    "Unicode-3.0",
    "Unicode-DFS-2016",
    "Unlicense",
    "Vim",
    "WTFPL",
    "X11",
    "Zlib",
    "bzip2-1.0.6",
    "curl",
    "libpng-2.0",
];

/// Below this score (percent) a license file is left without an id.
pub const MIN_CONFIDENCE: u32 = 80;

const CACHE: &[u8] = include_bytes!("licenses.bin.zst");

/// Loaded on first use, by whichever scan thread meets the first license file, so a
/// repository without one pays nothing.
static STORE: LazyLock<Option<Store>> = LazyLock::new(|| Store::from_cache(CACHE).ok());

/// `LICENSE`, `LICENCE`, `COPYING`, `UNLICENSE`, alone or with a suffix (`LICENSE.txt`,
/// `LICENSE-MIT`, `LICENSE_APACHE_2.0`, `COPYING.LESSER`), in any case; never a source file that happens to be named so
/// (`license.py`).
pub fn is_license_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(rest) = ["license", "licence", "copying", "unlicense"]
        .iter()
        .find_map(|stem| lower.strip_prefix(stem))
    else {
        return false;
    };
    match rest.strip_prefix(['.', '-', '_']) {
        None => rest.is_empty(),
        Some(suffix) => {
            !suffix.is_empty()
                && suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
                && !matches!(
                    suffix.rsplit('.').next().unwrap_or(suffix),
                    "py" | "rs"
                        | "c"
                        | "h"
                        | "cc"
                        | "cpp"
                        | "js"
                        | "ts"
                        | "go"
                        | "java"
                        | "json"
                        | "yml"
                        | "yaml"
                        | "toml"
                        | "html"
                        | "in"
                )
        }
    }
}

/// How many leading lines are tried when the whole text matches no license: a project
/// license followed by the licenses of code it includes (ruff's `LICENSE`: MIT, then 17
/// appended notices) is the leading license. Measured: the crate's top-down scanner finds
/// the same on ruff's file but takes 160 ms; three prefix matches take a few.
const LEADING_LINES: &[usize] = &[25, 50, 100];

/// The best-matching license of `text` (or, failing that, of its leading lines), if it
/// matches well enough.
pub fn detect(path: &str, text: &str) -> Option<LicenseMatch> {
    let store = STORE.as_ref()?;
    let whole = std::iter::once(text);
    let leading = LEADING_LINES.iter().filter_map(|n| prefix_lines(text, *n));
    whole.chain(leading).find_map(|candidate| {
        let found = store.analyze(&TextData::new(candidate));
        // The score is a Dice coefficient in 0..=1; rounding an f32 is exact everywhere.
        let confidence_percent = (found.score * 100.0).round() as u32;
        (confidence_percent >= MIN_CONFIDENCE).then(|| LicenseMatch {
            spdx: found.name.to_string(),
            confidence_percent,
            path: path.to_string(),
        })
    })
}

/// The first `lines` lines of `text`, when it has more.
fn prefix_lines(text: &str, lines: usize) -> Option<&str> {
    let end = text.match_indices('\n').nth(lines - 1)?.0;
    Some(&text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIT: &str = "MIT License\n\nCopyright (c) 2024 Someone\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";

    #[test]
    fn licenses_are_sorted() {
        assert!(LICENSES.windows(2).all(|w| w[0] < w[1]), "{LICENSES:?}");
    }

    #[test]
    fn the_committed_cache_holds_exactly_the_listed_licenses() {
        let store = STORE.as_ref().expect("the committed cache loads");
        let mut names: Vec<&str> = store.licenses().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, LICENSES);
    }

    #[test]
    fn mit_text_is_recognised_and_prose_is_not() {
        let found = detect("LICENSE", MIT).expect("MIT matches");
        assert_eq!((found.spdx.as_str(), found.confidence_percent >= 95), ("MIT", true));
        assert_eq!(
            detect("LICENSE", "All rights reserved. Ask us before you use this."),
            None
        );
        let notices = "- a bundled library, all rights reserved by its authors\n".repeat(120);
        let appended = format!("{MIT}\nBundled libraries:\n{notices}");
        assert_eq!(detect("LICENSE", &appended).map(|m| m.spdx), Some("MIT".to_string()));
    }

    #[test]
    fn license_file_names() {
        for name in [
            "LICENSE",
            "license.txt",
            "LICENCE.md",
            "COPYING",
            "COPYING.LESSER",
            "LICENSE-MIT",
            "LICENSE.APACHE2",
            "LICENSE_APACHE_2.0",
            "UNLICENSE",
        ] {
            assert!(is_license_file(name), "{name}");
        }
        for name in [
            "license.py",
            "licenses",
            "LICENSE.json",
            "copyright",
            "LICENSE.",
            "mylicense",
        ] {
            assert!(!is_license_file(name), "{name}");
        }
    }

    /// Rebuilds `licenses.bin.zst` from the crate's full SPDX cache (a dev-dependency
    /// feature, so the shipped binary does not carry it).
    #[test]
    #[ignore = "writes the committed cache; run after changing LICENSES"]
    fn regenerate_license_cache() {
        let full = Store::load_inline().expect("the spdx crate's inline cache loads");
        let mut subset = Store::new();
        for name in LICENSES {
            let text = full
                .get_original(name)
                .unwrap_or_else(|| panic!("{name} is an SPDX license"));
            subset.add_license(name.to_string(), text.clone().without_text());
        }
        let mut bytes = Vec::new();
        subset.to_cache(&mut bytes).expect("the cache serialises");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/analyzers/vendored/licenses.bin.zst");
        std::fs::write(path, bytes).expect("the cache is written");
    }
}
