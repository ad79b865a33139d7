//! Surfaces' dependencies and blast radius: which surfaces import from which (through the
//! module graph), and how far a change to each reaches, where `plumb.toml` does not say.

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::analyzers::SurfaceMatcher;
use crate::model::{Audit, BlastRadius, ImportEdge, Surface};

/// The pairs of different surfaces that an import edge links (importing, imported), in
/// order; read-only, so that it runs beside the other measures. `edges` are the valid
/// ones: both ends name a module.
pub fn links(audit: &Audit, edges: &[ImportEdge]) -> BTreeSet<(usize, usize)> {
    let matcher = SurfaceMatcher::new(&audit.surfaces.surfaces);
    let surface_of: Vec<Option<usize>> = audit
        .architecture
        .modules
        .par_iter()
        .map(|m| matcher.surface_of(&m.path))
        .collect();
    // Distinct pairs in a hash set first: Linux has 335,000 edges and a few hundred pairs.
    let mut links: HashSet<(usize, usize)> = HashSet::default();
    for edge in edges {
        if let (Some(from), Some(to)) = (surface_of[edge.from], surface_of[edge.to]) {
            if from != to {
                links.insert((from, to));
            }
        }
    }
    links.into_iter().collect()
}

/// Fills every surface's dependencies (from [`links`]) and blast radius.
pub fn measure(audit: &mut Audit, links: &BTreeSet<(usize, usize)>) {
    let architecture = &audit.architecture;
    let graph_measured = !architecture.modules.is_empty();
    let surfaces = &mut audit.surfaces.surfaces;
    let names: Vec<String> = surfaces.iter().map(|s| s.name.clone()).collect();
    for &(from, to) in links {
        surfaces[from].depends_on.push(names[to].clone());
        surfaces[to].depended_on_by.push(names[from].clone());
    }
    let total_code: u64 = surfaces.iter().map(|s| s.code_lines).sum();
    let others = surfaces.len().saturating_sub(1);
    for surface in surfaces.iter_mut() {
        surface.depends_on.sort();
        surface.depended_on_by.sort();
        let (radius, reason) = match surface.declared_blast_radius {
            Some(declared) => (declared, "declared in plumb.toml".to_string()),
            None => computed(surface, others, total_code, graph_measured),
        };
        (surface.blast_radius, surface.blast_radius_reason) = (radius, reason);
    }
}

/// The rule, from two measures: how many of the other surfaces import from this one, and
/// its share of all surfaces' code lines.
/// - critical: imported by at least half of the other surfaces (and at least two);
/// - high: imported by at least a quarter of them (at least one), or 25 % of the code;
/// - medium: imported by any other surface, or 5 % of the code;
/// - low: otherwise.
///
/// Without an import graph (no supported language) only the code share applies, and the
/// reason says so.
fn computed(surface: &Surface, others: usize, total_code: u64, graph_measured: bool) -> (BlastRadius, String) {
    let inbound = surface.depended_on_by.len();
    let code = surface.code_lines;
    let radius = if inbound >= 2 && inbound * 2 >= others {
        BlastRadius::Critical
    } else if (inbound >= 1 && inbound * 4 >= others) || code * 4 >= total_code.max(1) {
        BlastRadius::High
    } else if inbound >= 1 || code * 20 >= total_code.max(1) {
        BlastRadius::Medium
    } else {
        BlastRadius::Low
    };
    let share = per_mille(code, total_code);
    let reason = if graph_measured {
        format!(
            "imported by {inbound} of {others} other surfaces; {}.{}% of code lines",
            share / 10,
            share % 10
        )
    } else {
        format!("{}.{}% of code lines; no import graph measured", share / 10, share % 10)
    };
    (radius, reason)
}

/// Tenths of a percent, rounded down (integers: the same text on every platform).
fn per_mille(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    part.saturating_mul(1000) / whole
}
