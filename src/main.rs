//! The `reader` binary: parse arguments and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    reader::commands::run(reader::cli::Cli::parse())
}
