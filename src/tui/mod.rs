//! The full-screen reader: app state driven by actions, panes that only draw state, and one
//! keymap table for dispatch, help and hints.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::TuiArgs;

/// Opens the reader on `paths` (the bundled seeds when empty) and runs until the user quits.
pub fn run(paths: &[PathBuf], args: &TuiArgs) -> io::Result<ExitCode> {
    let _ = (paths, args);
    todo!("issue #4")
}
