//! CODEOWNERS: its rules, and which tracked files they give an owner. GitHub's syntax is
//! gitignore's with exceptions (<https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners>):
//! the last matching line wins, a line without owners takes ownership away, and lines
//! with `!`, `[ ]` or `\#` are invalid and skipped. `docs/*` matches the files directly in
//! `docs/`, not deeper ones.

use globset::{GlobBuilder, GlobSetBuilder};

use crate::analyzers::config::SurfaceMatcher;
use crate::analyzers::Analysis;
use crate::model::{Codeowners, Evidence, Location, Surface, SurfaceOwnership};

/// Rules read; GitHub reads files up to 3 MB, far more than any real one.
const MAX_RULES: usize = 10_000;

/// A CODEOWNERS candidate's text, kept from the scan.
#[derive(Debug, Clone)]
pub struct CodeownersText {
    pub path: String,
    pub text: String,
}

/// The file measured against the tracked files; surfaces are tallied later, once known.
pub struct Measured {
    facts: Codeowners,
    /// Every tracked file and whether a rule gives it an owner.
    owned: Vec<(String, bool)>,
}

impl Measured {
    /// The facts, with the files of every surface and how many of them have an owner.
    pub fn by_surface(self, surfaces: &[Surface]) -> Codeowners {
        let matcher = SurfaceMatcher::new(surfaces);
        let mut tally = vec![(0, 0); surfaces.len()];
        for (path, owned) in &self.owned {
            if let Some(index) = matcher.surface_of(path) {
                tally[index].0 += 1;
                tally[index].1 += usize::from(*owned);
            }
        }
        let surfaces = surfaces
            .iter()
            .zip(tally)
            .map(|(surface, (files, owned_files))| SurfaceOwnership {
                surface: surface.name.clone(),
                files,
                owned_files,
            })
            .collect();
        Codeowners { surfaces, ..self.facts }
    }
}

struct Rule {
    globs: Vec<String>,
    has_owners: bool,
}

pub fn measure(file: &CodeownersText, analysis: &Analysis) -> Measured {
    let mut facts = Codeowners {
        path: file.path.clone(),
        ..Default::default()
    };
    let mut rules = Vec::new();
    for (index, line) in file.text.lines().enumerate() {
        let mut words = line.split_whitespace();
        let Some(pattern) = words.next().filter(|w| !w.starts_with('#')) else {
            continue;
        };
        if rules.len() == MAX_RULES {
            facts.invalid.push(problem(
                file,
                index,
                format!("more than {MAX_RULES} rules: the rest are not read"),
            ));
            break;
        }
        if pattern.starts_with('!') || pattern.contains(['[', ']']) || pattern.contains("\\#") {
            facts.invalid.push(problem(
                file,
                index,
                format!("`{pattern}`: GitHub does not accept `!`, `[ ]` or `\\#` in a pattern and skips the line"),
            ));
            continue;
        }
        let has_owners = words.take_while(|w| !w.starts_with('#')).next().is_some();
        rules.push(Rule {
            globs: globs(pattern),
            has_owners,
        });
    }
    facts.rules = rules.len();
    let mut builder = GlobSetBuilder::new();
    let mut rule_of = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        for glob in &rule.globs {
            if let Ok(glob) = GlobBuilder::new(glob).literal_separator(true).build() {
                builder.add(glob);
                rule_of.push(index);
            }
        }
    }
    let set = builder.build().unwrap_or_else(|_| globset::GlobSet::empty());
    let mut hits = Vec::new();
    let owned: Vec<(String, bool)> = analysis
        .tracked()
        .map(|f| {
            set.matches_into(f.info.path.as_str(), &mut hits);
            let last = hits.iter().map(|&g| rule_of[g]).max();
            (f.info.path.clone(), last.is_some_and(|r| rules[r].has_owners))
        })
        .collect();
    facts.files = owned.len();
    facts.owned_files = owned.iter().filter(|(_, o)| *o).count();
    Measured { facts, owned }
}

fn problem(file: &CodeownersText, index: usize, message: String) -> Evidence {
    Evidence {
        value: message,
        location: Location {
            path: file.path.clone(),
            line: index + 1,
            column: 1,
        },
    }
}

/// A pattern as globs over repository-relative paths, by gitignore's rules: a slash at
/// the start or in the middle anchors it at the root, otherwise it matches at any depth;
/// a pattern matches a directory's whole contents, unless it ends in `/*`.
fn globs(pattern: &str) -> Vec<String> {
    let core = pattern.trim_start_matches('/').trim_end_matches('/');
    if core.is_empty() {
        return vec!["**".to_string()];
    }
    let anchored = pattern.starts_with('/') || core.contains('/');
    let base = if anchored {
        core.to_string()
    } else {
        format!("**/{core}")
    };
    let only_children = core.ends_with("/*");
    match (pattern.ends_with('/'), only_children) {
        (true, _) => vec![format!("{base}/**")],
        (false, true) => vec![base],
        (false, false) => vec![format!("{base}/**"), base],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owns(pattern: &str, path: &str) -> bool {
        globs(pattern).iter().any(|g| {
            GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .expect("valid glob")
                .compile_matcher()
                .is_match(path)
        })
    }

    #[test]
    fn patterns_match_as_github_documents() {
        assert!(owns("*", "a/b/c.py"));
        assert!(owns("*.js", "web/app.js"));
        assert!(owns("/build/logs/", "build/logs/x/y.log"));
        assert!(!owns("/build/logs/", "src/build/logs/y.log"));
        assert!(owns("apps/", "deep/apps/x.rs"));
        assert!(owns("docs/*", "docs/getting-started.md"));
        assert!(!owns("docs/*", "docs/build-app/troubleshooting.md"));
        assert!(owns("/src/lib", "src/lib/x.rs"));
        assert!(owns("**/logs", "a/b/logs/x"));
    }
}
