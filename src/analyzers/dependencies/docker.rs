//! Containers: the base images of a Dockerfile's `FROM` lines.

use std::collections::BTreeMap;

use crate::model::{DependencyScope, Ecosystem, PinClass};

use super::{Declaration, Declared, Parsed};

/// Every `FROM [--platform=...] image [AS stage]`, with `ARG` defaults declared before it
/// substituted. `scratch` and references to an earlier stage are not images. The last
/// stage is what ships (runtime); earlier stages only build (build). An image still
/// holding a `$` after substitution is recorded as written.
pub fn dockerfile(path: &str, text: &str) -> Parsed {
    let mut declared = Declared::new(path, text);
    let mut args: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: Vec<String> = Vec::new();
    let mut images: Vec<(usize, String, Option<String>)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let words: Vec<&str> = raw.split_whitespace().collect();
        match words.as_slice() {
            [keyword, definition, ..] if keyword.eq_ignore_ascii_case("ARG") => {
                if let Some((name, value)) = definition.split_once('=') {
                    args.insert(name.to_string(), value.trim_matches('"').to_string());
                }
            }
            [keyword, rest @ ..] if keyword.eq_ignore_ascii_case("FROM") => {
                let mut rest = rest.iter().filter(|w| !w.starts_with("--"));
                let Some(image) = rest.next() else { continue };
                let stage = match (rest.next(), rest.next()) {
                    (Some(r#as), Some(name)) if r#as.eq_ignore_ascii_case("AS") => Some(name.to_ascii_lowercase()),
                    _ => None,
                };
                let image = substitute(image, &args);
                if image != "scratch" && !stages.contains(&image.to_ascii_lowercase()) {
                    images.push((index + 1, image, stage.clone()));
                }
                stages.extend(stage);
            }
            _ => {}
        }
    }
    let last = images.len().saturating_sub(1);
    for (i, (line, image, stage)) in images.into_iter().enumerate() {
        declared.add(
            line,
            Declaration {
                name: image_name(&image).to_string(),
                pin: image_pin(&image),
                specifier: image,
                scope: if i == last {
                    DependencyScope::Runtime
                } else {
                    DependencyScope::Build
                },
                group: stage,
            },
        );
    }
    if declared.dependencies.is_empty() {
        return Parsed::Nothing;
    }
    Parsed::Manifest(declared.into_manifest(Ecosystem::Docker, "Dockerfile", text))
}

fn substitute(image: &str, args: &BTreeMap<String, String>) -> String {
    let mut out = image.to_string();
    for (name, value) in args {
        out = out
            .replace(&format!("${{{name}}}"), value)
            .replace(&format!("${name}"), value);
    }
    out
}

/// `registry:5000/org/img:tag@sha256:…` → `registry:5000/org/img`.
fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    match without_digest[last_slash..].find(':') {
        Some(colon) => &without_digest[..last_slash + colon],
        None => without_digest,
    }
}

/// The rule for images: only `@sha256:` pins (hash-pinned: the digest names the content);
/// a tag other than `latest` is bounded, not exact: it names a release line whose image
/// can be pushed again (`python:3.12` follows every 3.12.x, `ubuntu:22.04` every security
/// rebuild), which is why `docker-image-unpinned` reports it; no tag or `latest` is
/// unpinned, and so is a reference still holding a build argument (`ubuntu:${VERSION}`
/// without a default): nothing in the file fixes it.
pub fn image_pin(image: &str) -> PinClass {
    if image.contains("@sha256:") {
        return PinClass::HashPinned;
    }
    if image.contains('$') {
        return PinClass::Unpinned;
    }
    let name = image_name(image);
    match image[name.len()..].strip_prefix(':') {
        Some(tag) if tag != "latest" => PinClass::Bounded,
        _ => PinClass::Unpinned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_args_and_pins() {
        let text = "ARG BASE=ubuntu:22.04\nFROM --platform=linux/amd64 ${BASE} AS build\nFROM build\nFROM scratch\nFROM python@sha256:abc\nFROM localhost:5000/x\n";
        let Parsed::Manifest(draft) = dockerfile("Dockerfile", text) else {
            panic!()
        };
        let got: Vec<_> = draft
            .manifest
            .dependencies
            .iter()
            .map(|d| (d.specifier.as_str(), d.location.line, d.pin, d.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("localhost:5000/x", 6, PinClass::Unpinned, DependencyScope::Runtime),
                ("python@sha256:abc", 5, PinClass::HashPinned, DependencyScope::Build),
                ("ubuntu:22.04", 2, PinClass::Bounded, DependencyScope::Build),
            ]
        );
    }
}
