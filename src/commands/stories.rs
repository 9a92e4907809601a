//! `reader stories`: the library grouped into stories, newest first, as text or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::list::{date_cell, exit_code, fit, rfc3339};
use crate::article::Article;
use crate::cli::StoriesArgs;
use crate::library::Library;
use crate::sanitize::clean_line;
use crate::stories::{self, Params, Story};

/// Runs `reader stories`.
pub fn run(args: &StoriesArgs, io: &mut super::Io) -> io::Result<ExitCode> {
    let library = super::load_library(&args.paths, io)?;
    let stories = stories::group(&library.articles, Params::default());
    let mut out = io::BufWriter::with_capacity(64 * 1024, &mut *io.out);
    let shown: Vec<&Story> = stories
        .iter()
        .filter(|s| outlets(&library.articles, s).len() >= args.min_outlets)
        .collect();
    if args.json {
        write_json(&mut out, &library, &shown)?;
    } else {
        write_text(&mut out, &library, &shown)?;
    }
    out.flush()?;
    drop(out);
    Ok(ExitCode::from(exit_code(&library, io.err)))
}

/// Outlets of a story with their report counts, most reports first, then by name. Reports
/// without a known outlet count under "unknown".
pub fn outlets(articles: &[Article], story: &Story) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for &i in &story.members {
        let name = articles[i]
            .outlet
            .as_deref()
            .map_or_else(|| "unknown".to_string(), clean_line);
        *counts.entry(name).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn stamp(secs: Option<i64>) -> Option<String> {
    secs.and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[derive(Serialize)]
struct JsonOutlet {
    name: String,
    count: usize,
}

#[derive(Serialize)]
struct JsonMember<'a> {
    path: String,
    title: &'a str,
    outlet: Option<&'a str>,
    published: Option<String>,
    archived: Option<String>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonStory<'a> {
    id: usize,
    title: &'a str,
    first: Option<String>,
    last: Option<String>,
    outlets: Vec<JsonOutlet>,
    articles: Vec<JsonMember<'a>>,
}

/// Writes the JSON array: `{id, title, first, last, outlets: [{name, count}], articles: [{path,
/// title, outlet, published, archived, url}]}` per story; ids count from 1 in the order shown.
pub fn write_json(out: &mut impl Write, library: &Library, stories: &[&Story]) -> io::Result<()> {
    let a = &library.articles;
    let items: Vec<JsonStory<'_>> = stories
        .iter()
        .enumerate()
        .map(|(n, s)| JsonStory {
            id: n + 1,
            title: &a[s.headline].title,
            first: stamp(s.first),
            last: stamp(s.last),
            outlets: outlets(a, s)
                .into_iter()
                .map(|(name, count)| JsonOutlet { name, count })
                .collect(),
            articles: s
                .members
                .iter()
                .map(|&i| JsonMember {
                    path: a[i].path().to_string_lossy().into_owned(),
                    title: &a[i].title,
                    outlet: a[i].outlet.as_deref(),
                    published: rfc3339(a[i].published.as_ref()),
                    archived: rfc3339(a[i].archived.as_ref()),
                    url: a[i].url.as_deref(),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(io::Error::other)?;
    writeln!(out)
}

/// Writes the text form: per story a headline line (span, outlets with counts) and one
/// indented line per report (date, outlet, title).
pub fn write_text(out: &mut impl Write, library: &Library, stories: &[&Story]) -> io::Result<()> {
    let a = &library.articles;
    for (n, s) in stories.iter().enumerate() {
        let span = match (stamp(s.first), stamp(s.last)) {
            (Some(f), Some(l)) if f[..10] == l[..10] => f[..10].to_string(),
            (Some(f), Some(l)) => format!("{} – {}", &f[..10], &l[..10]),
            _ => "undated".to_string(),
        };
        let outlets: Vec<String> = outlets(a, s)
            .into_iter()
            .map(|(name, c)| format!("{name} {c}"))
            .collect();
        writeln!(
            out,
            "{}. {}  [{span}; {}]",
            n + 1,
            clean_line(&a[s.headline].title),
            outlets.join(", ")
        )?;
        for &i in &s.members {
            let outlet = a[i].outlet.as_deref().map_or_else(String::new, clean_line);
            writeln!(
                out,
                "    {}  {}  {}",
                date_cell(a[i].published.as_ref().or(a[i].archived.as_ref())),
                fit(&outlet, 10),
                clean_line(&a[i].title)
            )?;
        }
    }
    Ok(())
}
