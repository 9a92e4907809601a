//! `reader check`.

use std::io;
use std::process::ExitCode;

use crate::cli::CheckArgs;

/// Runs `reader check`.
pub fn run(args: &CheckArgs) -> io::Result<ExitCode> {
    let _ = args;
    todo!("issue #2")
}
