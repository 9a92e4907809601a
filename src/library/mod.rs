//! A set of articles, with the problems met while loading kept beside them.
//!
//! Loading never stops at a bad file: each problem is recorded with its path and reason, and
//! every other file still loads. Articles are kept newest first.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use crate::article::Article;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The file did not load.
    Error,
    /// The file loaded, with something to know (e.g. invalid UTF-8 decoded lossily).
    Warning,
}

/// A problem with one file. Displays as `PATH: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// What is wrong, in words for a user (sanitised).
    pub reason: String,
    /// Error or warning.
    pub severity: Severity,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::sanitize::clean_line(&self.path.display().to_string()),
            self.reason
        )
    }
}

/// Articles, newest first, and the problems met loading them.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Loaded articles, newest first (by published, else archived time; undated last).
    pub articles: Vec<Article>,
    /// Every problem met, in path order.
    pub problems: Vec<Problem>,
}

/// Progress of a background load, sent in order: `Discovered`, any number of `Batch`, `Done`.
#[derive(Debug)]
pub enum LoadEvent {
    /// The number of candidate files found (folders walked).
    Discovered(usize),
    /// Some articles and problems, in no particular order.
    Batch(Vec<Article>, Vec<Problem>),
    /// All files are done.
    Done,
}

impl Library {
    /// The seeds compiled into the binary.
    pub fn bundled() -> Library {
        todo!("issue #2")
    }

    /// Loads files and folders (recursively; hidden entries skipped; symlink loops reported).
    pub fn load(paths: &[PathBuf]) -> Library {
        let _ = paths;
        todo!("issue #2")
    }

    /// Starts loading on background threads and returns the stream of progress events.
    pub fn spawn_load(paths: Vec<PathBuf>) -> Receiver<LoadEvent> {
        let _ = paths;
        todo!("issue #2")
    }

    /// Adds a batch and keeps the newest-first order.
    pub fn extend(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        let _ = (articles, problems);
        todo!("issue #2")
    }

    /// Finds an article by path.
    pub fn find(&self, path: &Path) -> Option<usize> {
        self.articles.iter().position(|a| a.path() == path)
    }
}
