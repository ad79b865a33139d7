//! Entry points for the fuzz targets in `fuzz/`; compiled only with the `fuzzing` feature
//! (and in plumb's unit tests) and not part of plumb's interface.

mod audit;

pub use audit::fuzz_audit;

use tokei::LanguageType;

use crate::analyzers::{Analysis, ALL};
use crate::scan::role::{self, RoleInput};
use crate::scan::{File, FileInfo};

/// Feeds `bytes` to the workflows analyzer as the scan does for a tracked
/// `.github/workflows/fuzz.yml` (UTF-8 check, `yaml::load` with its size and alias
/// limits, then the workflow checks and their findings) and drops what it found. Panics
/// only where plumb would panic on such a file.
pub fn fuzz_workflow(bytes: &[u8]) {
    const PATH: &str = ".github/workflows/fuzz.yml";
    let info = FileInfo {
        path: PATH.to_string(),
        language: Some(LanguageType::Yaml),
        role: role::classify(&RoleInput {
            path: PATH,
            bytes: Some(bytes),
            language_known: true,
        }),
        bytes: bytes.len() as u64,
        tracked: true,
    };
    let file = File::new(&info, bytes);
    let mut out = Analysis::default();
    for analyzer in ALL.iter().filter(|a| a.id() == "workflows") {
        assert!(analyzer.wants(&info), "the workflows analyzer wants {PATH}");
        analyzer.visit(&file, &mut out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_workflows_and_on_garbage() {
        fuzz_workflow(b"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n");
        fuzz_workflow(b"\xff\xfe not UTF-8");
        fuzz_workflow(b"");
        fuzz_workflow(b"a: [\n");
    }
}
