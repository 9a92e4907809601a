//! `reader compare`.

use std::io;
use std::process::ExitCode;

use crate::cli::{ColorChoice, CompareArgs};

/// Runs `reader compare`.
pub fn run(args: &CompareArgs, color: ColorChoice) -> io::Result<ExitCode> {
    let _ = (args, color);
    todo!("issue #5")
}
