//! `reader show`.

use std::io;
use std::process::ExitCode;

use crate::cli::{ColorChoice, ShowArgs};

/// Runs `reader show`.
pub fn run(args: &ShowArgs, color: ColorChoice) -> io::Result<ExitCode> {
    let _ = (args, color);
    todo!("issue #2 / #3")
}
