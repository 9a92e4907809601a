//! The plain commands: the same information as the reader, printed for pipes.
//!
//! Results go to stdout; each problem goes to stderr as `reader: PATH: reason`. A closed pipe
//! (`reader list | head`) ends the command quietly.
//!
//! Every command writes through an [`Io`]: the process's stdout and stderr for the CLI, an SSH
//! channel and its extended data for `reader serve`, where the commands read the served
//! library only ([`Io::served`]) and PATH arguments are refused.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::article::{self, Article};
use crate::cli::{Cli, Command};
use crate::library::{Library, Severity};

pub mod check;
pub mod compare;
pub mod config;
pub mod list;
pub mod packaging;
pub mod search;
pub mod show;
pub mod stories;

/// Where a command writes, what its output is, and which library it may read.
pub struct Io<'a> {
    /// Results.
    pub out: &'a mut dyn Write,
    /// Problems and messages, each line starting `reader: `.
    pub err: &'a mut dyn Write,
    /// The output is a terminal: colour for `--color auto`, links, and its width.
    pub terminal: Option<Terminal>,
    /// The library `reader serve` serves: when set, commands read it alone (an ARTICLE is one
    /// of its indexes or paths) and refuse PATH arguments.
    pub served: Option<&'a Library>,
}

/// The terminal a command's output goes to.
#[derive(Clone, Debug, Default)]
pub struct Terminal {
    /// Its width in columns, when known.
    pub width: Option<u16>,
    /// Its `TERM`.
    pub term: Option<String>,
}

impl Io<'_> {
    /// The terminal's width, when the output is a terminal of known width.
    pub fn width(&self) -> Option<u16> {
        self.terminal
            .as_ref()
            .and_then(|t| t.width)
            .filter(|&w| w > 0)
    }
}

/// Runs a parsed command line; the full-screen reader when no command is given.
pub fn run(cli: Cli) -> ExitCode {
    if let Err(e) = apply_max_size(cli.max_size) {
        eprintln!("reader: {e}");
        return ExitCode::from(crate::cli::exit::USAGE);
    }
    let stdout = io::stdout();
    let terminal = stdout.is_terminal().then(|| Terminal {
        width: ratatui::crossterm::terminal::size().ok().map(|(w, _)| w),
        term: std::env::var("TERM").ok(),
    });
    // Not locked: the TUI's signal thread and `reader serve`'s threads write too.
    let mut out = stdout;
    let mut err = io::stderr();
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        terminal,
        served: None,
    };
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&args, &mut io),
        Some(Command::Show(args)) => show::run(&args, cli.tui.color, &mut io),
        Some(Command::Check(args)) => check::run(&args, &mut io),
        Some(Command::Compare(args)) => compare::run(&args, cli.tui.color, &mut io),
        Some(Command::Completions(args)) => packaging::completions(args.shell),
        Some(Command::Man) => packaging::man(),
        Some(Command::Stories(args)) => stories::run(&args, &mut io),
        Some(Command::Search(args)) => search::run(&args),
        Some(Command::Config(args)) => config::run(&args),
        Some(Command::Serve(args)) => crate::serve::run(&args),
        None => crate::tui::run(&cli.paths, &cli.tui),
    };
    finish(result, &mut io)
}

/// The exit code of a command's result; an error is printed to `io.err` (a closed pipe ends
/// quietly).
pub fn finish(result: io::Result<ExitCode>, io: &mut Io) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io.err, "reader: {e}");
            ExitCode::from(crate::cli::exit::USAGE)
        }
    }
}

/// The refusal of PATH arguments over `reader serve`.
fn no_paths() -> io::Error {
    io::Error::other(
        "PATH arguments are not accepted here: the commands read the served archive \
         (ARTICLE is an index from `list`, or a path it prints)",
    )
}

/// Sets the size cap from `--max-size`, else from [`article::MAX_SIZE_ENV`].
fn apply_max_size(option: Option<u64>) -> Result<(), String> {
    let cap = match option {
        Some(cap) => cap,
        None => match std::env::var(article::MAX_SIZE_ENV) {
            Ok(text) if !text.trim().is_empty() => {
                article::parse_size(&text).map_err(|e| format!("{}: {e}", article::MAX_SIZE_ENV))?
            }
            _ => article::DEFAULT_MAX_SIZE,
        },
    };
    article::set_max_size(cap);
    Ok(())
}

/// The narrowest `--width` the plain commands lay out at: a CJK character (two columns), a
/// link number and a word or two still fit.
pub const MIN_WIDTH: u16 = 20;

/// `width` raised to [`MIN_WIDTH`], with a message on stderr when it was asked for narrower.
pub fn clamp_width(width: u16, err: &mut dyn Write) -> u16 {
    if width < MIN_WIDTH {
        let _ = writeln!(
            err,
            "reader: --width {width} is below the minimum of {MIN_WIDTH} columns; using {MIN_WIDTH}"
        );
        MIN_WIDTH
    } else {
        width
    }
}

/// A closed reader (`reader list | head`), however the error was wrapped on its way up.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    let Some(inner) = e.get_ref() else {
        return false;
    };
    if let Some(json) = inner.downcast_ref::<serde_json::Error>() {
        return json.io_error_kind() == Some(io::ErrorKind::BrokenPipe);
    }
    inner
        .downcast_ref::<io::Error>()
        .is_some_and(is_broken_pipe)
}

/// Loads `paths` (the bundled seeds when empty), prints every error (a file that did not load)
/// to stderr, and counts the warnings in one line: a large archive may hold hundreds of files
/// with, say, `Invalid Date`, and `reader check` is where each is listed.
/// Over `reader serve`, the served library (PATHs refused).
pub fn load_library<'a>(paths: &[PathBuf], io: &mut Io<'a>) -> io::Result<Cow<'a, Library>> {
    if let Some(served) = io.served {
        if !paths.is_empty() {
            return Err(no_paths());
        }
        return Ok(Cow::Borrowed(served));
    }
    let library = load_quietly(paths);
    for problem in article::outlet::config_problems() {
        let _ = writeln!(io.err, "reader: {problem}");
    }
    report(&library, false, io.err);
    Ok(Cow::Owned(library))
}

/// Loads `paths` (when empty, the config file's `[library] paths`, else the bundled seeds)
/// without printing anything but the config file's problems (once per process).
pub fn load_quietly(paths: &[PathBuf]) -> Library {
    let config = settings();
    let paths = crate::library::chosen_paths(paths, &config.settings);
    if paths.is_empty() {
        Library::bundled()
    } else {
        Library::load_cached(&paths, crate::cache::file_for(&paths).as_deref())
    }
}

/// The config file, read once; its problems go to stderr the first time.
pub fn settings() -> &'static crate::config::Loaded {
    static LOADED: std::sync::OnceLock<crate::config::Loaded> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        let loaded = crate::config::load();
        for m in loaded.messages() {
            eprintln!("reader: warning: {m}");
        }
        loaded
    })
}

/// Prints each problem of `library` to stderr as `reader: PATH: reason` (warnings as
/// `reader: PATH: warning: reason`).
pub fn report_problems(library: &Library, err: &mut dyn Write) {
    report(library, true, err);
}

fn report(library: &Library, warnings_too: bool, err: &mut dyn Write) {
    let mut err = io::BufWriter::new(err);
    let mut warnings = 0;
    for problem in &library.problems {
        let _ = match problem.severity {
            Severity::Error => writeln!(err, "reader: {problem}"),
            Severity::Warning if warnings_too => writeln!(
                err,
                "reader: {}: warning: {}",
                crate::article::shown_path(&problem.path),
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
///
/// Over `reader serve`, the article is one of the served library's (by index or by one of its
/// paths), never a file read on the client's say.
pub fn resolve_article_in<'a>(
    spec: &str,
    paths: &[PathBuf],
    io: &mut Io<'a>,
) -> io::Result<(Article, Cow<'a, Library>)> {
    if let Some(served) = io.served {
        if !paths.is_empty() {
            return Err(no_paths());
        }
        return Ok((served_article(spec, served)?, Cow::Borrowed(served)));
    }
    let as_path = Path::new(spec);
    // As in `resolve_article`: anything but a folder is read as a file, so a FIFO is named as
    // one; `metadata` does not open the path, so it cannot block.
    if std::fs::metadata(as_path).is_ok_and(|m| !m.is_dir()) {
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
        return Ok((article, Cow::Owned(library)));
    }
    by_index(spec, paths, io).map(|(a, l)| (a, Cow::Owned(l)))
}

/// An article of the served library: a 1-based index, or one of its paths as `list --json`
/// prints it.
fn served_article(spec: &str, library: &Library) -> io::Result<Article> {
    let count = library.articles.len();
    if let Ok(index) = spec.parse::<usize>() {
        return match index.checked_sub(1).and_then(|i| library.articles.get(i)) {
            Some(a) => Ok(a.clone()),
            None => Err(io::Error::other(format!(
                "no article {index}: `reader list` shows {count} (indexes start at 1)"
            ))),
        };
    }
    library
        .articles
        .iter()
        .find(|a| a.paths().any(|p| p.to_string_lossy() == spec))
        .cloned()
        .ok_or_else(|| {
            io::Error::other(format!(
                "{}: not an article of the served archive, nor an index from `reader list`",
                crate::sanitize::clean_line(spec)
            ))
        })
}

/// The article at the 1-based `reader list` index `spec` of `paths`, with the rest of their
/// library (whose order is no longer the list's).
fn by_index(spec: &str, paths: &[PathBuf], io: &mut Io) -> io::Result<(Article, Library)> {
    let Ok(index) = spec.parse::<usize>() else {
        return Err(io::Error::other(format!(
            "{}: no such file, and not an index from `reader list`",
            crate::sanitize::clean_line(spec)
        )));
    };
    let mut library = load_library(paths, io)?.into_owned();
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
pub fn resolve_article(spec: &str, paths: &[PathBuf], io: &mut Io) -> io::Result<Article> {
    if let Some(served) = io.served {
        if !paths.is_empty() {
            return Err(no_paths());
        }
        return served_article(spec, served);
    }
    let as_path = Path::new(spec);
    // Anything but a folder is read as a file (a FIFO too, so that the message says what it
    // is); `metadata` does not open the path, so it cannot block.
    if std::fs::metadata(as_path).is_ok_and(|m| !m.is_dir()) {
        return article::load_file(as_path).map_err(|e| io::Error::other(e.to_string()));
    }
    by_index(spec, paths, io).map(|(article, _)| article)
}
