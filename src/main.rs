use std::process::ExitCode;

use clap::Parser;

// mimalloc: the scan allocates a buffer, a record and many small strings per file on two
// threads; against glibc's allocator it took 10-15 % off an audit of executorch. Built
// with `no_thp`: asked for transparent huge pages, the kernel zeroes 2 MiB for each
// first touch of its arena; without, the Linux audit was 7 % faster and its run-to-run
// spread fell from 0.24 s to 0.05 s (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's collection of every heap's freed pages, for [`plumb::RELEASE_FREED_MEMORY`].
fn collect_freed_pages() {
    // SAFETY: `mi_collect` takes no pointer and only walks mimalloc's own heaps, which
    // are this process's global allocator.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() -> ExitCode {
    // Set once, before anything reads it.
    let _ = plumb::RELEASE_FREED_MEMORY.set(collect_freed_pages);
    let cli = plumb::cli::Cli::parse();
    match plumb::run(cli) {
        Ok(code) => code,
        Err(error) => {
            // One line whatever the message quotes (a revision, a path, a value).
            let message = format!("{error:#}");
            eprintln!("plumb: {}", plumb::render::escape::terminal(&message));
            ExitCode::from(2)
        }
    }
}
