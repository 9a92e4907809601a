//! `reader list`.

use std::io;
use std::process::ExitCode;

use crate::cli::ListArgs;

/// Runs `reader list`.
pub fn run(args: &ListArgs) -> io::Result<ExitCode> {
    let _ = args;
    todo!("issue #2")
}
