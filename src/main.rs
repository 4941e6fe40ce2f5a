use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    ropa::cli::run(ropa::cli::Cli::parse())
}
