//! Finding the files to load: files as given, folders walked recursively in name order.
//!
//! Hidden entries (names starting with `.`) inside folders are skipped; a path given explicitly
//! is always used. Symbolic links are followed, and a link that leads back to one of its own
//! ancestors is reported as a symlink loop instead of being walked forever. A file reached twice
//! (through two links) is loaded once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Problem;

/// The files under `paths`, in walk order, and the problems met walking.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if e.path_is_symlink() || e.depth() == 0 {
                        // Only links can reach a file twice; skip the canonicalize cost otherwise.
                        if let Ok(canon) = e.path().canonicalize() {
                            if !seen.insert(canon) {
                                continue;
                            }
                        }
                    }
                    files.push(e.into_path());
                }
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => problems.push(Problem::error(e.path(), "not a regular file (skipped)")),
                Err(err) => problems.push(walk_problem(root, &err)),
            }
        }
    }
    (files, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn walk_problem(root: &Path, err: &walkdir::Error) -> Problem {
    let path = err.path().unwrap_or(root).to_path_buf();
    if let Some(ancestor) = err.loop_ancestor() {
        let reason = format!(
            "symlink loop: leads back to {}",
            crate::sanitize::clean_line(&ancestor.display().to_string())
        );
        return Problem::error(path, reason);
    }
    let reason = match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound && err.depth() == 0 => {
            "no such file or folder".to_string()
        }
        Some(io) => crate::article::io_reason(io),
        None => crate::sanitize::clean_line(&err.to_string()),
    };
    Problem::error(path, reason)
}
