use std::process::ExitCode;

use clap::Parser;

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
