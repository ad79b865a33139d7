//! A small repository decoded from the bytes (paths from a table of the files plumb looks
//! for and raw ones, contents, links, submodules; a plain folder, a work tree or a
//! revision), audited whole and rendered in every format: the audit must not panic and
//! the reports must keep their invariants (see `plumb::fuzzing::fuzz_audit`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    plumb::fuzzing::fuzz_audit(data);
});
