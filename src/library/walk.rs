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
    let problems = walk(paths, |f| {
        files.push(f);
        true
    });
    (files, problems)
}

/// Walks `paths` on this thread, handing the files found to `threads` workers `chunk` at a
/// time, as the walk goes. Each worker starts from `R::default()` and folds into it every
/// chunk it takes, with the chunk's place in walk order (`work(&mut r, k, files)`). Returns
/// the workers' results, how many files were found, and the problems met walking.
pub fn walk_chunked<R: Send + Default>(
    paths: &[PathBuf],
    chunk: usize,
    threads: usize,
    work: impl Fn(&mut R, usize, Vec<PathBuf>) + Sync,
) -> (Vec<R>, usize, Vec<Problem>) {
    let (chunks_tx, chunks_rx) = std::sync::mpsc::channel::<(usize, Vec<PathBuf>)>();
    let chunks_rx = std::sync::Mutex::new(chunks_rx);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut out = R::default();
                    loop {
                        let next = chunks_rx.lock().map_or(None, |rx| rx.recv().ok());
                        let Some((k, files)) = next else { break };
                        work(&mut out, k, files);
                    }
                    out
                })
            })
            .collect();
        let (mut found, mut sent) = (0, 0);
        let mut part = Vec::with_capacity(chunk);
        let problems = walk(paths, |f| {
            found += 1;
            part.push(f);
            if part.len() >= chunk {
                let full = std::mem::replace(&mut part, Vec::with_capacity(chunk));
                let _ = chunks_tx.send((sent, full));
                sent += 1;
            }
            true
        });
        if !part.is_empty() {
            let _ = chunks_tx.send((sent, part));
        }
        drop(chunks_tx);
        let results = handles
            .into_iter()
            .map(|h| h.join().expect("a walk worker panicked"))
            .collect();
        (results, found, problems)
    })
}

/// Walks `paths`, handing each file to `on_file` as soon as it is found (in walk order, each
/// file once), so that work on the first files starts while the walk goes on. Stops early when
/// `on_file` returns false. Returns the problems met walking.
pub fn walk(paths: &[PathBuf], mut on_file: impl FnMut(PathBuf) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Only links or overlapping roots can reach a file twice: until one is met, skip the cost of
    // identifying files (a `stat` each) and keep only their paths, identified if a link appears.
    let mut may_repeat = paths.len() > 1;
    let mut seen = HashSet::new();
    let mut unidentified: Vec<PathBuf> = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            // Name order. The entries sorted together share their folder's path, so their
            // whole paths compare as their names do: one byte comparison, where
            // `sort_by_file_name` splits both paths into components at every step (5% of a
            // relaunch on 100,000 files).
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            let file = match entry {
                Ok(e) if e.file_type().is_file() => {
                    may_repeat |= e.path_is_symlink();
                    e.into_path()
                }
                Ok(e) if e.file_type().is_dir() => {
                    may_repeat |= e.path_is_symlink();
                    continue;
                }
                Ok(e) => {
                    problems.push(Problem::error(e.path(), "not a regular file (skipped)"));
                    continue;
                }
                Err(err) => {
                    problems.push(walk_problem(root, &err));
                    continue;
                }
            };
            if may_repeat {
                for earlier in unidentified.drain(..) {
                    if let Some(id) = file_id(&earlier) {
                        seen.insert(id);
                    }
                }
                if file_id(&file).is_some_and(|id| !seen.insert(id)) {
                    continue;
                }
            } else {
                unidentified.push(file.clone());
            }
            if !on_file(file) {
                return problems;
            }
        }
    }
    problems
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
