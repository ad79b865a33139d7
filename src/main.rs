use std::process::ExitCode;

use clap::Parser;

// mimalloc: the scan allocates a buffer, a record and many small strings per file on two
// threads; against glibc's allocator it took 10-15 % off an audit of executorch.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = plumb::cli::Cli::parse();
    match plumb::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("plumb: {error:#}");
            ExitCode::from(2)
        }
    }
}
