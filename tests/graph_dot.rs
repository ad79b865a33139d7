//! `graph.dot` as a person reads it: rendered by Graphviz (`dot`, installed by `.ci/run`)
//! without a warning, package cycles framed, light edges counted in the legend.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{report, TestRepo};

/// Twenty top-level packages: a chain of imports p00 → p01 → … (p10 imports p01 back,
/// closing a package cycle), most packages importing p19 a little, and five packages
/// importing no other package and imported by none.
fn twenty_packages() -> TestRepo {
    let repo = TestRepo::new();
    for i in 0..20 {
        let mut text = String::new();
        if i < 13 {
            text.push_str(&format!("from p{:02} import m\n", i + 1));
        }
        if i == 10 {
            text.push_str("from p01 import m as back\n");
        }
        if i < 13 {
            text.push_str("from p19 import m as low\n");
        }
        if (14..19).contains(&i) {
            // Imports inside its own package only.
            text.push_str(&format!("from p{i:02} import n\n"));
            repo.write(&format!("p{i:02}/n.py"), "Y = 2\n");
        }
        text.push_str("X = 1\n");
        repo.write(&format!("p{i:02}/__init__.py"), "")
            .write(&format!("p{i:02}/m.py"), &text);
    }
    repo.commit("fixture");
    repo
}

/// Renders `dot` text to PNG; returns Graphviz's stderr. Panics when Graphviz is missing
/// or fails: `.ci/run` installs it.
fn render_png(dot: &str, png: &std::path::Path) -> String {
    let mut child = Command::new("dot")
        .arg("-Tpng")
        .arg("-o")
        .arg(png)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    child
        .stdin
        .take()
        .expect("stdin piped")
        .write_all(dot.as_bytes())
        .expect("dot reads its input");
    let output = child.wait_with_output().expect("dot runs");
    assert!(
        output.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn twenty_packages_render_without_a_graphviz_warning() {
    let repo = twenty_packages();
    let dot = report(repo.path(), "dot", &[]);
    assert!(dot.contains("subgraph cluster_cycle_0 {"), "{dot}");
    assert!(dot.contains("label=\"package cycle 1: 10 packages\""), "{dot}");
    assert!(dot.contains("subgraph cluster_isolated {"), "{dot}");
    assert!(dot.contains("label=\"5 packages with no drawn dependency\""), "{dot}");
    // Inside the cycle every edge keeps its say on the ranks (dashed when against the
    // layering), so the frame is not one row.
    assert!(
        dot.contains("\"p10\" -> \"p01\" [label=\"1\", penwidth=1, color=red];"),
        "{dot}"
    );
    assert!(!dot.contains("color=red, style=dashed, constraint=false"), "{dot}");
    let png = repo.parent().join("graph.png");
    let warnings = render_png(&dot, &png);
    assert_eq!(warnings, "", "Graphviz warned on\n{dot}");
    assert!(std::fs::metadata(&png).expect("png written").len() > 1000);
}

/// A single-package library draws its sub-packages, not one box.
#[test]
fn a_single_package_library_draws_its_sub_packages() {
    let repo = TestRepo::new();
    repo.write("src/mylib/__init__.py", "")
        .write("src/mylib/models/__init__.py", "")
        .write("src/mylib/models/unet.py", "from mylib.utils import log\n")
        .write("src/mylib/pipelines/__init__.py", "")
        .write("src/mylib/pipelines/run.py", "from mylib.models import unet\n")
        .write("src/mylib/utils/__init__.py", "def log(x):\n    return x\n")
        .commit("fixture");
    let dot = report(repo.path(), "dot", &[]);
    for expected in [
        "\"src/mylib/pipelines\" -> \"src/mylib/models\"",
        "\"src/mylib/models\" -> \"src/mylib/utils\"",
    ] {
        assert!(dot.contains(expected), "missing {expected:?} in\n{dot}");
    }
    let warnings = render_png(&dot, &repo.parent().join("graph.png"));
    assert_eq!(warnings, "", "Graphviz warned on\n{dot}");
}
