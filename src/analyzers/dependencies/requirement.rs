//! PEP 508 requirements and PEP 440 specifiers, behind one small wrapper so that the
//! frozen `pep508_rs` can later give way to `uv-pep508` without touching the parsers.
//! `pep508_rs` normalises markers (`python_version>'3.8'` becomes
//! `python_full_version >= '3.9'`), so the specifier shown to users is cut from the raw
//! text, never taken from the parsed form.

use std::str::FromStr;

use pep508_rs::pep440_rs::{Operator, VersionSpecifiers};
use pep508_rs::{Requirement, VerbatimUrl, VersionOrUrl};

use crate::model::PinClass;

/// One parsed requirement.
pub struct Parsed {
    /// PEP 503 normalised (`Foo_Bar` → `foo-bar`).
    pub name: String,
    /// The version part or `@ url` as written, without name, extras and markers.
    pub specifier: String,
    pub pin: PinClass,
}

/// Parses `raw` (one requirement, no pip options); `hashed` when pip's `--hash` options
/// accompany it. The error is the parser's message.
pub fn parse(raw: &str, hashed: bool) -> Result<Parsed, String> {
    if let Some(name) = name_pep508_panics_on(raw) {
        return Err(format!("Name must end with an alphanumeric character, not `{name}`"));
    }
    let requirement = Requirement::<VerbatimUrl>::from_str(raw).map_err(|e| e.to_string())?;
    let pin = match &requirement.version_or_url {
        None => PinClass::Unpinned,
        Some(VersionOrUrl::VersionSpecifier(specifiers)) => specifiers_pin(specifiers, hashed),
        Some(VersionOrUrl::Url(url)) => url_pin(url.given().unwrap_or(url.raw().as_str())),
    };
    Ok(Parsed {
        name: requirement.name.to_string(),
        specifier: raw_specifier(raw),
        pin,
    })
}

/// The package or extra name in `raw` that `pep508_rs` 0.9 would read whole and then
/// panic on (its `expect` that the name it read is valid): one that ends in `.`, `-` or
/// `_` where its grammar reads on (`pytest-=8`, `pkg [dev-]`, `pkg[a,b_`). A valid name
/// never ends so, so nothing the parser accepts is refused. Found by the `audit` fuzz
/// target.
fn name_pep508_panics_on(raw: &str) -> Option<&str> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let ends_badly =
        |name: &str| name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.ends_with(['.', '-', '_']);
    let rest = raw.trim_start();
    let (name, after) = rest.split_at(rest.find(|c| !is_name_char(c)).unwrap_or(rest.len()));
    // At the end of the text, the parser's own check gives an error first.
    if ends_badly(name) && !after.is_empty() {
        return Some(name);
    }
    // The extras: each is read up to a `,`, a `]`, white space or the end, then checked.
    let extras = after.trim_start().strip_prefix('[')?;
    let extras = extras.split(']').next().unwrap_or(extras);
    extras
        .split(|c: char| c == ',' || c.is_whitespace())
        .find(|extra| extra.chars().all(is_name_char) && ends_badly(extra))
}

/// The pin class of a bare PEP 440 specifier set (`>=1,<2`), as Pipfile and Poetry-less
/// tables write them; `None` when it does not parse.
pub fn specifier_pin(text: &str) -> Option<PinClass> {
    let text = text.trim();
    if text.is_empty() || text == "*" {
        return Some(PinClass::Unpinned);
    }
    VersionSpecifiers::from_str(text)
        .ok()
        .map(|s| specifiers_pin(&s, false))
}

/// The rule for Python: `==` (without `.*`) or `===` is exact, and hash-pinned when pip
/// also checks `--hash`; `~=`, `==1.*`, or a lower bound with an upper bound is bounded;
/// an upper bound alone is bounded too (it caps what an update can bring, which is what a
/// pin is for); `>=`/`>` alone is lower-bound; nothing or only `!=` is unpinned.
fn specifiers_pin(specifiers: &VersionSpecifiers, hashed: bool) -> PinClass {
    let operators: Vec<Operator> = specifiers.iter().map(|s| *s.operator()).collect();
    let has = |wanted: &[Operator]| operators.iter().any(|o| wanted.contains(o));
    if has(&[Operator::Equal, Operator::ExactEqual]) {
        if hashed {
            PinClass::HashPinned
        } else {
            PinClass::Exact
        }
    } else if has(&[
        Operator::TildeEqual,
        Operator::EqualStar,
        Operator::LessThan,
        Operator::LessThanEqual,
    ]) {
        PinClass::Bounded
    } else if has(&[Operator::GreaterThan, Operator::GreaterThanEqual]) {
        PinClass::LowerBound
    } else {
        PinClass::Unpinned
    }
}

/// A direct URL: hash-pinned when it names a commit (`@<40 hex>`) or carries a
/// `#sha256=` fragment; exact for a local path (this snapshot fixes it) or an archive; a
/// VCS URL without a commit follows a branch or tag and counts as unpinned.
pub fn url_pin(url: &str) -> PinClass {
    let commit = url.rsplit('@').next().is_some_and(|tail| {
        let tail = tail.split('#').next().unwrap_or(tail);
        super::is_commit_sha(tail)
    });
    if commit || url.contains("#sha256=") || url.contains("#sha512=") {
        PinClass::HashPinned
    } else if url.starts_with("git+") || url.starts_with("hg+") || url.starts_with("svn+") {
        PinClass::Unpinned
    } else {
        PinClass::Exact
    }
}

/// `torch [cuda] >= 2.0 ; python_version > "3.8"` → `>= 2.0`; `pkg @ url` → `@ url`.
fn raw_specifier(raw: &str) -> String {
    let without_marker = match raw.find(" @ ").or_else(|| raw.find('@')) {
        Some(at) => return raw[at..].split(" ;").next().unwrap_or("").trim().to_string(),
        None => raw.split(';').next().unwrap_or(raw),
    };
    let after_name = match without_marker.find(']') {
        Some(close) => &without_marker[close + 1..],
        None => without_marker.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || "._-".contains(c)),
    };
    let trimmed = after_name.trim();
    trimmed
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(trimmed)
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_and_raw_specifiers() {
        let cases = [
            ("torch>=2.0; python_version>'3.8'", false, ">=2.0", PinClass::LowerBound),
            ("numpy==1.26.4", false, "==1.26.4", PinClass::Exact),
            ("numpy==1.26.4", true, "==1.26.4", PinClass::HashPinned),
            ("sympy~=1.12", false, "~=1.12", PinClass::Bounded),
            ("Foo_Bar[x,y] (>=1,<2)", false, ">=1,<2", PinClass::Bounded),
            ("pkg<3", false, "<3", PinClass::Bounded),
            ("requests", false, "", PinClass::Unpinned),
            ("pkg!=1.0", false, "!=1.0", PinClass::Unpinned),
        ];
        for (raw, hashed, specifier, pin) in cases {
            let parsed = parse(raw, hashed).expect(raw);
            assert_eq!((parsed.specifier.as_str(), parsed.pin), (specifier, pin), "{raw}");
        }
        assert_eq!(parse("Foo_Bar", false).unwrap().name, "foo-bar");
        assert!(parse("torch>=>2", false).is_err());
    }

    /// `pep508_rs` panicked on these (the `audit` fuzz target's first crash was
    /// `pytest-=8.0.0` in a requirements file).
    #[test]
    fn names_the_parser_would_panic_on_are_errors() {
        for raw in [
            "pytest-=8.0.0",
            "a_ >=1",
            "pkg. @ https://x/y.whl",
            "pkg[dev-]",
            "pkg [a, b_ ]",
            "pkg[x.",
            "p[a,b-]>=1",
        ] {
            assert!(parse(raw, false).is_err(), "{raw}");
        }
        for raw in ["pytest-", "pkg[", "pkg[dev]", "a-b.c_d[e-f, g_h]>=1", "a[b]"] {
            let _ = parse(raw, false);
        }
        assert_eq!(
            parse("a-b.c_d[e-f, g_h]>=1", false).map(|p| p.name),
            Ok("a-b-c-d".to_string())
        );
    }

    #[test]
    fn urls() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(url_pin(&format!("git+https://x/y.git@{sha}")), PinClass::HashPinned);
        assert_eq!(url_pin("git+https://x/y.git@main"), PinClass::Unpinned);
        assert_eq!(url_pin("https://x/y-1.0.tar.gz"), PinClass::Exact);
    }
}
