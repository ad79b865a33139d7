//! `plumb init`: a commented starter `plumb.toml` written from what the scan finds — the
//! surfaces with their globs and computed blast radius, and the inferred layers — so that
//! a team edits a measured description instead of writing one from nothing.

use std::process::ExitCode;

use crate::analyzers::CONFIG_PATH;
use crate::cli::InitArgs;
use crate::error::UserError;
use crate::model::{Audit, LayerSource, PackageRuleSource, Surface};
use crate::scan::ScanOptions;
use crate::source::Snapshot;

/// The audit's default size limit: the starter describes what `plumb audit` will see.
const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let snapshot = Snapshot::open(&args.path, None)?;
    let root = snapshot.worktree.clone().ok_or(UserError::InitNeedsWorkTree)?;
    let target = root.join(CONFIG_PATH);
    if !args.force && std::fs::symlink_metadata(&target).is_ok() {
        return Err(UserError::ConfigExists(target).into());
    }
    let options = ScanOptions {
        max_file_bytes: MAX_FILE_BYTES,
        excluded: Default::default(),
    };
    let audit = crate::audit(&snapshot, &options, String::new(), &|| {});
    let files = vec![(target.clone(), vec![starter(&audit).into_bytes()])];
    crate::render::write_all_atomic(&root, &files)?;
    // Like `plumb audit`: a reader gone before this line ends the run quietly, with 0.
    crate::print_or_stop(
        crate::Stream::Stdout,
        &format!(
            "plumb: wrote {} ({} surfaces); edit it, then run plumb audit\n",
            target.display(),
            audit.surfaces.surfaces.len()
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The file's text: every surface and the layers, each with the measures behind it.
pub fn starter(audit: &Audit) -> String {
    let mut out = String::from(HEADER);
    out.push_str(&packages_entry(audit));
    for surface in &audit.surfaces.surfaces {
        out.push_str(&surface_entry(surface));
    }
    out.push_str(&layers_entry(audit));
    out
}

const HEADER: &str = "\
# plumb.toml: how plumb audits this repository. Written by `plumb init` from a scan;
# edit freely. `plumb audit` reports a mistake in this file as a finding at its line.
#
# [[surface]]: a part of the repository a refactor must protect. A file belongs to the
# first surface whose `paths` globs match its repository-relative path (`*` stays within
# one directory, `**` crosses directories). `description` is shown in the report.
# `blast_radius` (critical, high, medium, low) overrides the radius plumb computes from
# the surface's reach (the share of the other surfaces' code that depends on it through
# eager imports); the computed value is written below each surface, commented out.
";

/// The package settings: as declared, or the inferred roots written out commented, with
/// the steps that chose them. Top-level keys, so they come before every table.
fn packages_entry(audit: &Audit) -> String {
    let rule = &audit.surfaces.package_rule;
    let mut out = String::from(
        "\n# Packages, the unit of surfaces, layers and graph.dot: `package_roots` are directories whose\n# subdirectories are packages; `package_depth` is how many leading directories name a\n# package elsewhere (1: the top-level directory). Either replaces plumb's inference.\n",
    );
    for step in &rule.steps {
        out.push_str(&format!("# - {step}\n"));
    }
    let roots: Vec<String> = rule.roots.iter().map(|r| quoted(r)).collect();
    let declared_depth = audit.surfaces.config.as_ref().and_then(|c| c.package_depth);
    let comment = match rule.source {
        PackageRuleSource::Declared => "",
        PackageRuleSource::Inferred => "# ",
    };
    out.push_str(&format!("{comment}package_roots = [{}]\n", roots.join(", ")));
    match declared_depth {
        Some(depth) => out.push_str(&format!("package_depth = {depth}\n")),
        None => out.push_str("# package_depth = 1\n"),
    }
    out
}

fn surface_entry(surface: &Surface) -> String {
    let globs: Vec<String> = surface.paths.iter().map(|p| quoted(p)).collect();
    let description = surface.description.as_deref().unwrap_or("");
    let radius = match surface.declared_blast_radius {
        Some(declared) => format!("blast_radius = {}\n", quoted(declared.name())),
        None => format!(
            "# blast_radius = {}  # computed: {}\n",
            quoted(surface.blast_radius.name()),
            surface.blast_radius_reason
        ),
    };
    format!(
        "\n[[surface]]\nname = {}\npaths = [{}]\n{}# files: {}, code lines: {}\n{radius}",
        quoted(&surface.name),
        globs.join(", "),
        if description.is_empty() {
            "# description = \"\"\n".to_string()
        } else {
            format!("description = {}\n", quoted(description))
        },
        surface.files,
        surface.code_lines,
    )
}

fn layers_entry(audit: &Audit) -> String {
    let layering = &audit.architecture.measures.layering;
    let packages: Vec<String> = layering.layers.iter().flatten().map(|p| quoted(p)).collect();
    let mut out = String::from(
        "\n# [layers]: packages from the top (imports the others) to the bottom; an import from a\n# lower package into a higher one is reported as running against the layering.\n",
    );
    if packages.is_empty() {
        out.push_str("# No import graph was measured, so no layers were inferred.\n# [layers]\n# order = [\"app\", \"core\", \"util\"]\n");
        return out;
    }
    let how = match layering.source {
        LayerSource::Declared => "as declared",
        LayerSource::Inferred => "inferred from the import graph",
    };
    out.push_str(&format!("[layers]\n# {how}\norder = [{}]\n", packages.join(", ")));
    out
}

/// A TOML basic string, escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
