use std::process::ExitCode;

use clap::Parser;

// mimalloc: the scan allocates a buffer, a record and many small strings per file on two
// threads; against glibc's allocator it took 10-15 % off an audit of executorch. Built
// with `no_thp`: asked for transparent huge pages, the kernel zeroes 2 MiB for each
// first touch of its arena; without, the Linux audit was 7 % faster and its run-to-run
// spread fell from 0.24 s to 0.05 s (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
