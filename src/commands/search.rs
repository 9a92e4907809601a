//! `reader search QUERY [PATH]...`: full-text search, best hits first.
//!
//! The index of the PATHs' library is brought up to date (by size and mtime) and queried; each
//! hit's file is then read for its title, outlet, date and snippet, and checked against the
//! query's other conditions. The bundled seeds (no PATH) are indexed in memory.
//!
//! Text output, per hit: `RANK  DATE  OUTLET  TITLE`, then the snippet and the path, indented.
//! `--json`: an array of `{path, title, outlet, published, url, score, snippet}` (`published`
//! RFC 3339 UTC or null; `score` the BM25 score, null for a query without words, whose hits
//! come newest first; `snippet` the matching sentence or null). Exit codes: 0 hits, 1 none
//! (a message on stderr), 2 a malformed query (the reason on stderr).

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::article::{self, Article, Origin};
use crate::cli::{SearchArgs, exit};
use crate::library::Library;
use crate::search::index::{self, IndexError, Progress, SearchIndex};
use crate::search::snippet::snippet;
use crate::search::{Flags, Query};

/// How long a search waits for another process's index update before searching what is there.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// Snippets are cut to this many characters.
const SNIPPET_CHARS: usize = 160;

/// One hit, as printed.
#[derive(Serialize)]
struct Row {
    path: String,
    title: String,
    outlet: Option<String>,
    published: Option<String>,
    url: Option<String>,
    score: Option<f32>,
    snippet: Option<String>,
    #[serde(skip)]
    date: String,
}

/// Runs `reader search`.
pub fn run(args: &SearchArgs) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let tty = io::stderr().is_terminal();
    let user = crate::state::LOCAL_USER;
    let code = search(args, &args.paths, user, tty, &mut out, &mut io::stderr())?;
    out.flush()?;
    Ok(code)
}

/// `reader search` on the library of `paths` with `user`'s read state (for `is:`): results to
/// `out`, messages to `err`, indexing progress too when `progress` (a terminal). `reader
/// serve` runs it on the served library for each key.
pub fn search(
    args: &SearchArgs,
    paths: &[PathBuf],
    user: &str,
    progress: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<ExitCode> {
    let today = jiff::Zoned::now().date();
    let query = match crate::search::parse(&args.query, today) {
        Ok(q) => q,
        Err(e) => {
            writeln!(err, "reader: search: {e}")?;
            let col = crate::columns::width(&args.query[..e.offset.min(args.query.len())]);
            writeln!(err, "  {}", crate::sanitize::clean_line(&args.query))?;
            writeln!(err, "  {}^", " ".repeat(col))?;
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    for problem in article::outlet::config_problems() {
        writeln!(err, "reader: {problem}")?;
    }
    let state = if query.uses_state() {
        let (state, problem) = crate::state::State::read_only_default(user);
        if let Some(problem) = problem {
            writeln!(err, "reader: warning: {problem}")?;
        }
        Some(state)
    } else {
        None
    };
    let state = state.as_ref();
    let rows = if paths.is_empty() {
        search_seeds(&query, args.limit, state)?
    } else {
        search_files(&query, paths, args.limit, state, progress, err)?
    };
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
        writeln!(out)?;
    } else {
        write_lines(out, &rows)?;
    }
    out.flush()?;
    if rows.is_empty() {
        writeln!(
            err,
            "reader: no report matches {}",
            crate::sanitize::clean_line(&args.query)
        )?;
        return Ok(ExitCode::from(exit::PROBLEMS));
    }
    Ok(ExitCode::from(exit::OK))
}

fn write_lines(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let width = rows.len().to_string().len();
    let outlet_width = rows
        .iter()
        .map(|r| crate::columns::width(r.outlet.as_deref().unwrap_or("—")))
        .max()
        .unwrap_or(1)
        .min(super::list::MAX_OUTLET_WIDTH);
    let pad = " ".repeat(width + 2);
    for (i, r) in rows.iter().enumerate() {
        writeln!(
            out,
            "{:>width$}  {}  {}  {}",
            i + 1,
            super::list::fit(&r.date, 10),
            super::list::fit(r.outlet.as_deref().unwrap_or("—"), outlet_width),
            r.title
        )?;
        if let Some(s) = &r.snippet {
            writeln!(out, "{pad}{s}")?;
        }
        writeln!(out, "{pad}{}", r.path)?;
    }
    Ok(())
}

fn row(a: &Article, source: &str, query: &Query, score: Option<f32>) -> Row {
    let body = index::body_text(source, a);
    Row {
        path: a.path().display().to_string(),
        title: a.title.clone(),
        outlet: a.outlet.clone(),
        published: super::list::rfc3339(a.published.as_ref()),
        url: a.url.clone(),
        score,
        snippet: snippet(&body, query, SNIPPET_CHARS).map(|s| s.text),
        date: super::list::list_date(a),
    }
}

/// Read and starred for `a` in the user's read state, read (never written) when the query
/// asks about it (unread and unstarred without `is:`, or without a state file).
fn flags(state: Option<&crate::state::State>, a: &Article) -> Flags {
    state.map_or_else(Flags::default, |s| s.article_flags(a).into())
}

/// The seeds: indexed in memory each time (they are few).
fn search_seeds(
    query: &Query,
    limit: usize,
    state: Option<&crate::state::State>,
) -> io::Result<Vec<Row>> {
    let library = Library::bundled();
    let sources: Vec<String> = library
        .articles
        .iter()
        .map(|a| {
            a.origin
                .bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        })
        .collect();
    if !query.has_text() {
        return Ok(newest(&library, query, limit, state, |i| {
            sources[i].clone()
        }));
    }
    let bodies: Vec<String> = library
        .articles
        .iter()
        .zip(&sources)
        .map(|(a, s)| index::body_text(s, a))
        .collect();
    let idx = SearchIndex::in_memory();
    idx.add_articles(
        library
            .articles
            .iter()
            .zip(bodies.iter().map(String::as_str)),
    )
    .map_err(io::Error::other)?;
    ranked(&idx, query, limit, state, |path| {
        let i = library.find(path)?;
        Some((library.articles[i].clone(), sources[i].clone()))
    })
}

/// Files and folders: the library's index on disk, updated first.
fn search_files(
    query: &Query,
    paths: &[PathBuf],
    limit: usize,
    state: Option<&crate::state::State>,
    tty: bool,
    err: &mut dyn Write,
) -> io::Result<Vec<Row>> {
    if !query.has_text() {
        // Problems go to `err` as for every command; results are written by the caller.
        let mut sink = io::sink();
        let mut quiet = super::Io {
            out: &mut sink,
            err: &mut *err,
            terminal: None,
            served: None,
        };
        let library = super::load_library(paths, &mut quiet)?;
        return Ok(newest(&library, query, limit, state, |i| {
            source_of(library.articles[i].path()).map_or_else(String::new, |(_, s)| s)
        }));
    }
    let idx = open_index(paths, err)?;
    let cancel = AtomicBool::new(false);
    let mut shown = false;
    let mut progress = |p: Progress| {
        if let Progress::Indexed { done, to_index } = p
            && tty
            && to_index >= 1000
        {
            eprint!("\rreader: indexing {done}/{to_index}");
            shown = true;
        }
    };
    // Another reader updating the same index: wait for it (a few minutes at most), since
    // what it has not committed yet would be missing from the hits.
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    let mut waiting = false;
    // The walk (files and problems) is done once; a retry stats the files again.
    let (mut outcome, files, problems) = idx.update_paths(paths, &mut progress, &cancel);
    loop {
        match outcome {
            Err(IndexError::Locked) if std::time::Instant::now() < deadline => {
                if !waiting {
                    writeln!(
                        err,
                        "reader: another reader is updating the search index; waiting for it"
                    )?;
                    waiting = true;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
                let _ = idx.reload();
                outcome = idx.update(&files, &mut progress, &cancel);
            }
            Ok(_) => break,
            Err(e) => {
                writeln!(err, "reader: {e}")?;
                break;
            }
        }
    }
    if shown {
        writeln!(err)?;
    }
    for p in &problems {
        writeln!(err, "reader: {p}")?;
    }
    ranked(&idx, query, limit, state, source_of)
}

/// The library's index on disk; in memory (built now) when there is no cache folder or it
/// cannot be used, with a message.
fn open_index(paths: &[PathBuf], err: &mut dyn Write) -> io::Result<SearchIndex> {
    let Some(dir) = index::dir_for(paths) else {
        writeln!(
            err,
            "reader: no cache folder (neither XDG_CACHE_HOME nor HOME is set); indexing in memory"
        )?;
        return Ok(SearchIndex::in_memory());
    };
    Ok(match SearchIndex::open(&dir) {
        Ok((idx, message)) => {
            if let Some(m) = message {
                writeln!(err, "reader: {}: {m}", dir.display())?;
            }
            idx
        }
        Err(e) => {
            writeln!(err, "reader: {}: {e}; indexing in memory", dir.display())?;
            SearchIndex::in_memory()
        }
    })
}

fn source_of(path: &Path) -> Option<(Article, String)> {
    let bytes = article::read_capped(path, article::max_size()).ok()?;
    let a = article::parse(Origin::File(path.to_path_buf()), &bytes).ok()?;
    Some((a, String::from_utf8_lossy(&bytes).into_owned()))
}

/// Ranked hits that pass the query's other conditions, copies of one report once. The index
/// is asked for more candidates until `limit` pass or it has no more.
fn ranked(
    idx: &SearchIndex,
    query: &Query,
    limit: usize,
    state: Option<&crate::state::State>,
    load: impl Fn(&Path) -> Option<(Article, String)>,
) -> io::Result<Vec<Row>> {
    let mut want = limit * 2 + 8;
    loop {
        let hits = idx.search(query, want).map_err(io::Error::other)?;
        let mut rows = Vec::new();
        let mut seen = HashSet::new();
        for hit in &hits {
            let Some((a, source)) = load(&hit.path) else {
                continue;
            };
            if !query.matches_meta(&a, flags(state, &a)) {
                continue;
            }
            if a.meta.fingerprint != 0 && !seen.insert(a.meta.fingerprint) {
                continue;
            }
            rows.push(row(&a, &source, query, Some(hit.score)));
            if rows.len() == limit {
                return Ok(rows);
            }
        }
        if hits.len() < want {
            return Ok(rows);
        }
        want *= 8;
    }
}

/// A query without words: the matching reports, newest first.
fn newest(
    library: &Library,
    query: &Query,
    limit: usize,
    state: Option<&crate::state::State>,
    source: impl Fn(usize) -> String,
) -> Vec<Row> {
    library
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| query.matches_meta(a, flags(state, a)))
        .take(limit)
        .map(|(i, a)| row(a, &source(i), query, None))
        .collect()
}
