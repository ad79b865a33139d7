//! Arbitrary bytes as `.github/workflows/fuzz.yml`: loading, the alias-bomb guard and
//! every workflow check must return, whatever the input, without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    plumb::fuzzing::fuzz_workflow(data);
});
