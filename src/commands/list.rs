//! `reader list`: one line per article, newest first, or a JSON array with `--json`.
//!
//! Line format: a right-aligned 1-based index (the one `show` and `compare` accept), the
//! published date as `YYYY-MM-DD` in UTC (a day-precision date as the page printed it), or the
//! archive time marked `2020-07-05~` when no publication time is known (`—` when neither is), the
//! outlet (`—` when unknown) and the title, in columns aligned by display width, so CJK text
//! lines up in a terminal.
//!
//! JSON paths: `path` (and each of `copies`) is the file's exact path when it is valid UTF-8,
//! which `reader show` accepts as written. A path that is not valid UTF-8 is written with each
//! invalid byte as U+FFFD, and `path_bytes` then carries its exact bytes as an array of numbers
//! (`null` otherwise). `read` and `starred` are the local reader's state (issue #12), read
//! from `$XDG_DATA_HOME/reader/state.db` without writing it (false when there is none).

use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::article::{Article, Stamp};
use crate::cli::{ListArgs, exit};
use crate::library::Library;
use crate::state::State;

/// The widest the outlet column gets, in display columns; longer names are cut with `…`.
pub const MAX_OUTLET_WIDTH: usize = 20;

/// Runs `reader list`.
pub fn run(args: &ListArgs, io: &mut super::Io) -> io::Result<ExitCode> {
    let library = super::load_library(&args.paths, io)?;
    let mut out = io::BufWriter::with_capacity(64 * 1024, &mut *io.out);
    if args.json {
        // Read state as this user's reader keeps it; the file is only read, never made.
        let (state, problem) = State::read_only_default(crate::state::LOCAL_USER);
        if let Some(problem) = problem {
            eprintln!("reader: warning: {problem}");
        }
        write_json_with(&mut out, &library, &state)?;
    } else {
        write_lines(&mut out, &library)?;
    }
    out.flush()?;
    drop(out);
    Ok(ExitCode::from(exit_code(&library, io.err)))
}

/// The exit code for a listing: 1 when a file did not load, 2 when there is nothing to show.
pub fn exit_code(library: &Library, err: &mut dyn Write) -> u8 {
    if library.has_errors() {
        exit::PROBLEMS
    } else if library.articles.is_empty() {
        let _ = writeln!(err, "reader: no articles found");
        exit::USAGE
    } else {
        exit::OK
    }
}

/// The date column: `YYYY-MM-DD` in UTC.
pub fn date_cell(stamp: Option<&Stamp>) -> String {
    stamp.map_or_else(
        || "—".to_string(),
        |s| s.utc.strftime("%Y-%m-%d").to_string(),
    )
}

/// The list's date column for an article (see [`Article::list_time`]): the publication date,
/// `DATE~` for the archive time, `—` when neither is known.
pub fn list_date(a: &Article) -> String {
    a.list_time()
        .map_or_else(|| "—".to_string(), |t| t.date_label())
}

/// Pads `s` with spaces to `width` display columns, cutting it with `…` when wider (at a
/// grapheme-cluster boundary, so a joined emoji sequence is never split).
pub fn fit(s: &str, width: usize) -> String {
    crate::columns::fit(s, width, "…")
}

/// Writes the aligned lines.
pub fn write_lines(out: &mut impl Write, library: &Library) -> io::Result<()> {
    let n = library.articles.len();
    let index_width = n.to_string().len();
    let outlet_width = library
        .articles
        .iter()
        .map(|a| a.outlet.as_deref().unwrap_or("—").width())
        .max()
        .unwrap_or(1)
        .min(MAX_OUTLET_WIDTH);
    let date_width = if library
        .articles
        .iter()
        .any(|a| a.list_time().is_some_and(|t| t.archived))
    {
        11
    } else {
        10
    };
    for (i, a) in library.articles.iter().enumerate() {
        writeln!(
            out,
            "{:>index_width$}  {}  {}  {}",
            i + 1,
            fit(&list_date(a), date_width),
            fit(a.outlet.as_deref().unwrap_or("—"), outlet_width),
            a.title
        )?;
    }
    Ok(())
}

/// One article in `--json` output.
#[derive(Serialize)]
struct JsonArticle<'a> {
    index: usize,
    title: &'a str,
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<String>,
    published_text: Option<&'a str>,
    published_from: Option<&'static str>,
    published_precision: Option<&'static str>,
    published_zone: Option<&'static str>,
    title_original: &'a str,
    agency: &'a [String],
    editors: &'a [String],
    tags: &'a [String],
    archived: Option<String>,
    archived_text: Option<&'a str>,
    url: Option<&'a str>,
    categories: &'a [String],
    image: Option<&'a str>,
    path: String,
    path_bytes: Option<Vec<u8>>,
    copies: Vec<String>,
    format: &'a str,
    chars: usize,
    words: usize,
    reading_minutes: u32,
    extra: serde_json::Map<String, serde_json::Value>,
    warnings: &'a [String],
    /// Read state (issue #12): false for a report never opened, or without state.
    read: bool,
    starred: bool,
}

pub(crate) fn rfc3339(s: Option<&Stamp>) -> Option<String> {
    s.map(|s| s.utc.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
}

fn json_article<'a>(index: usize, a: &'a Article, state: &State) -> JsonArticle<'a> {
    let flags = state.article_flags(a);
    JsonArticle {
        read: flags.read,
        starred: flags.starred,
        index,
        title: &a.title,
        outlet: a.outlet.as_deref(),
        author: a.author.as_deref(),
        published: rfc3339(a.published.as_ref()),
        published_text: a.published.as_ref().map(|s| s.original.as_str()),
        published_from: a.meta.published_from.map(|s| s.as_str()),
        published_precision: a.meta.published_precision.map(|p| p.as_str()),
        published_zone: a.meta.published_zone.map(|z| z.as_str()),
        title_original: a.meta.title_original.as_deref().unwrap_or(&a.title),
        agency: &a.meta.agency,
        editors: &a.meta.editors,
        tags: &a.meta.tags,
        archived: rfc3339(a.archived.as_ref()),
        archived_text: a.archived.as_ref().map(|s| s.original.as_str()),
        url: a.url.as_deref(),
        categories: &a.categories,
        image: a.image.as_deref(),
        path: a.path().to_string_lossy().into_owned(),
        path_bytes: exact_bytes(a.path()),
        copies: a
            .meta
            .copies
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect(),
        format: a.format.as_str(),
        chars: a.chars,
        words: a.words,
        reading_minutes: a.reading_minutes(),
        extra: a
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
        warnings: &a.warnings,
    }
}

/// The bytes of a path that is not valid UTF-8 (`None` for one that is).
fn exact_bytes(path: &std::path::Path) -> Option<Vec<u8>> {
    if path.to_str().is_some() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(path.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        Some(path.to_string_lossy().as_bytes().to_vec())
    }
}

/// Writes the JSON array (pretty-printed, one key per line).
pub fn write_json(out: &mut impl Write, library: &Library) -> io::Result<()> {
    write_json_with(out, library, &State::memory(crate::state::LOCAL_USER))
}

/// Writes the JSON array with each report's `read` and `starred` from `state`.
pub fn write_json_with(out: &mut impl Write, library: &Library, state: &State) -> io::Result<()> {
    let items: Vec<JsonArticle<'_>> = library
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| json_article(i + 1, a, state))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("德國之聲", 10), "德國之聲  ");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("德國之聲中文網", 7), "德國之…");
        assert_eq!(fit("德國之聲中文網", 8), "德國之… ");
        assert_eq!(fit("—", 10).width(), 10);
    }
}
