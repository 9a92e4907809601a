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
    // Only links or overlapping roots can reach a file twice: skip the cost otherwise.
    let mut may_repeat = paths.len() > 1;
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    may_repeat |= e.path_is_symlink();
                    files.push(e.into_path());
                }
                Ok(e) if e.file_type().is_dir() => may_repeat |= e.path_is_symlink(),
                Ok(e) => problems.push(Problem::error(e.path(), "not a regular file (skipped)")),
                Err(err) => problems.push(walk_problem(root, &err)),
            }
        }
    }
    if may_repeat {
        let mut seen = HashSet::new();
        files.retain(|f| file_id(f).is_none_or(|id| seen.insert(id)));
    }
    (files, problems)
}

/// What makes a file the same file: device and inode on Unix, the canonical path elsewhere.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<PathBuf> {
    path.canonicalize().ok()
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
        Some(io)
            if io.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            match std::fs::read_link(&path) {
                Ok(target) => format!(
                    "broken symlink: {} does not exist",
                    crate::sanitize::clean_line(&target.display().to_string())
                ),
                Err(_) => "broken symlink".to_string(),
            }
        }
        Some(io) if io.kind() == std::io::ErrorKind::NotFound && err.depth() == 0 => {
            "no such file or folder".to_string()
        }
        Some(io) => crate::article::io_reason(io),
        None => crate::sanitize::clean_line(&err.to_string()),
    };
    Problem::error(path, reason)
}
