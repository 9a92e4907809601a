//! The plain commands: the same information as the reader, printed for pipes.
//!
//! Results go to stdout; each problem goes to stderr as `reader: PATH: reason`. A closed pipe
//! (`reader list | head`) ends the command quietly.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::article::{self, Article};
use crate::cli::{Cli, Command};
use crate::library::{Library, Severity};

pub mod check;
pub mod compare;
pub mod list;
pub mod show;

/// Runs a parsed command line; the full-screen reader when no command is given.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Show(args)) => show::run(&args, cli.tui.color),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Compare(args)) => compare::run(&args, cli.tui.color),
        None => crate::tui::run(&cli.paths, &cli.tui),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reader: {e}");
            ExitCode::from(crate::cli::exit::USAGE)
        }
    }
}

/// Loads `paths` (the bundled seeds when empty), prints every error (a file that did not load)
/// to stderr, and counts the warnings in one line: a large archive may hold hundreds of files
/// with, say, `Invalid Date`, and `reader check` is where each is listed.
pub fn load_library(paths: &[PathBuf]) -> Library {
    let library = load_quietly(paths);
    report(&library, false);
    library
}

/// Loads `paths` (the bundled seeds when empty) without printing anything.
pub fn load_quietly(paths: &[PathBuf]) -> Library {
    if paths.is_empty() {
        Library::bundled()
    } else {
        Library::load(paths)
    }
}

/// Prints each problem of `library` to stderr as `reader: PATH: reason` (warnings as
/// `reader: PATH: warning: reason`).
pub fn report_problems(library: &Library) {
    report(library, true);
}

fn report(library: &Library, warnings_too: bool) {
    use std::io::Write;
    let stderr = io::stderr();
    let mut err = io::BufWriter::new(stderr.lock());
    let mut warnings = 0;
    for problem in &library.problems {
        let _ = match problem.severity {
            Severity::Error => writeln!(err, "reader: {problem}"),
            Severity::Warning if warnings_too => writeln!(
                err,
                "reader: {}: warning: {}",
                crate::sanitize::clean_line(&problem.path.display().to_string()),
                problem.reason
            ),
            Severity::Warning => {
                warnings += 1;
                Ok(())
            }
        };
    }
    if warnings > 0 {
        let noun = if warnings == 1 { "warning" } else { "warnings" };
        let _ = writeln!(err, "reader: {warnings} {noun} (`reader check` lists them)");
    }
    let _ = err.flush();
}

/// Most files read beside a file given alone to learn its outlet's furniture.
const MAX_SIBLINGS: usize = 5_000;

/// [`resolve_article`], with the library its outlet's furniture is learned from: `paths` when
/// given (the index's own library), else the files beside a file given alone (its folder, not
/// below it, at most [`MAX_SIBLINGS`]), loaded quietly.
pub fn resolve_article_in(spec: &str, paths: &[PathBuf]) -> io::Result<(Article, Library)> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        let article = article::load_file(as_path).map_err(|e| io::Error::other(e.to_string()))?;
        let library = if paths.is_empty() {
            let dir = as_path.parent().filter(|d| !d.as_os_str().is_empty());
            let siblings: Vec<PathBuf> = dir
                .and_then(|d| std::fs::read_dir(d).ok())
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                        .map(|e| e.path())
                        .take(MAX_SIBLINGS)
                        .collect()
                })
                .unwrap_or_default();
            if siblings.is_empty() {
                Library::default()
            } else {
                Library::load(&siblings)
            }
        } else {
            load_quietly(paths)
        };
        return Ok((article, library));
    }
    let Ok(index) = spec.parse::<usize>() else {
        return Err(io::Error::other(format!(
            "{}: no such file, and not an index from `reader list`",
            crate::sanitize::clean_line(spec)
        )));
    };
    let mut library = load_library(paths);
    let count = library.articles.len();
    if index == 0 || index > count {
        return Err(io::Error::other(format!(
            "no article {index}: `reader list` shows {count} (indexes start at 1)"
        )));
    }
    let article = library.articles.swap_remove(index - 1);
    Ok((article, library))
}

/// Resolves an ARTICLE argument: an existing file, else a 1-based index into `reader list` of
/// `paths`. The error reads as a sentence for the user.
pub fn resolve_article(spec: &str, paths: &[PathBuf]) -> io::Result<Article> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        return article::load_file(as_path).map_err(|e| io::Error::other(e.to_string()));
    }
    let Ok(index) = spec.parse::<usize>() else {
        return Err(io::Error::other(format!(
            "{}: no such file, and not an index from `reader list`",
            crate::sanitize::clean_line(spec)
        )));
    };
    let mut library = load_library(paths);
    let count = library.articles.len();
    if index == 0 || index > count {
        return Err(io::Error::other(format!(
            "no article {index}: `reader list` shows {count} (indexes start at 1)"
        )));
    }
    Ok(library.articles.swap_remove(index - 1))
}
