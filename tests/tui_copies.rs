//! The TUI folds copies as `reader list` does: files of one report arriving in any batch make
//! one row, every path kept, the metadata pane listing them; file names with control
//! characters are shown escaped, never collapsed.

mod cli_support;
use cli_support::TestHome;

mod tui_support;

use std::path::{Path, PathBuf};

use ratatui::layout::Rect;
use reader::article::{self, Article};
use reader::library::{Library, LoadEvent};
use reader::tui::app::App;
use tui_support::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/meta")
        .join(name)
}

/// Copies `fixture` to `dir/name` and parses it there.
fn copy_to(dir: &Path, fixture_name: &str, name: &str) -> Article {
    let to = dir.join(name);
    std::fs::copy(fixture(fixture_name), &to).expect("copy fixture");
    article::load_file(&to).expect("load")
}

fn app() -> App {
    App::new(config(), Rect::new(0, 0, 200, 50)).with_engine(fake_body, fake_render)
}

/// The metadata pane's text, one string per line.
fn meta_lines(app: &App) -> Vec<String> {
    reader::tui::panes::meta::lines(app, 120)
        .into_iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

const ODD: &str = "x\ny\tz  w.md";

#[test]
fn a_copy_shows_once_whichever_batch_brings_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = copy_to(d, "rfi-1048304.md", "b.md");
    let other = copy_to(d, "rfi-1048115.md", "other.md");
    let mut app = app();
    app.on_load(LoadEvent::Batch(vec![a, other], vec![]));
    assert_eq!(app.view().len(), 2);
    // A later batch: one copy that sorts after the row's file, one that sorts before it (by
    // path, as the times are equal) and so becomes the row's article, and one with an odd name.
    let later = copy_to(d, "rfi-1048304.md", "c.md");
    let first = copy_to(d, "rfi-1048304.md", "a.md");
    let odd = copy_to(d, "rfi-1048304.md", ODD);
    app.on_load(LoadEvent::Batch(vec![later, first, odd], vec![]));
    app.on_load(LoadEvent::Done);
    assert_eq!(app.view().len(), 2, "one row per report");
    assert_eq!(app.articles().len(), 2);
    let row = app
        .view()
        .iter()
        .map(|&i| &app.articles()[i as usize])
        .find(|a| a.title.starts_with("捷克"))
        .expect("the report's row");
    assert_eq!(row.path(), d.join("a.md"));
    assert_eq!(
        row.meta.copies,
        [d.join("b.md"), d.join("c.md"), d.join(ODD)]
    );
    // The same as `reader list` (the library) folds them.
    let lib = Library::load(&[d.to_path_buf()]);
    assert_eq!(lib.articles.len(), 2);
    let listed = &lib.articles[lib.find(&d.join("a.md")).unwrap()];
    assert_eq!(listed.path(), row.path());
    assert_eq!(listed.meta.copies, row.meta.copies);
    // The screen shows it in one row (the body pane shows the newer report, listed first).
    let text = screen(&app).join("\n");
    assert_eq!(text.matches("捷克新增260人确诊").count(), 1, "{text}");
    assert_eq!(
        app.selected_article().unwrap().title,
        "德国将调整德美关系？"
    );
}

#[test]
fn the_metadata_pane_lists_every_copy_with_odd_names_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let batch = vec![
        copy_to(d, "rfi-1048304.md", "a.md"),
        copy_to(d, "rfi-1048304.md", ODD),
    ];
    let mut app = app();
    app.on_load(LoadEvent::Batch(batch, vec![]));
    app.on_load(LoadEvent::Done);
    let lines = meta_lines(&app);
    let shown = d.display();
    assert!(
        lines.contains(&format!("File       {shown}/a.md")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&format!("Copy       {shown}/x\\ny\\tz  w.md")),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"Agency     法新社".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"As written 捷克新增260人确诊 4月初来单日最大量 – 法国国际广播电台 - RFI".to_string()
        ),
        "{lines:#?}"
    );
}

#[test]
fn a_title_from_an_odd_file_name_is_escaped_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\nb\tc  d.txt";
    // No title anywhere: the file name stands in.
    std::fs::write(
        dir.path().join(name),
        "plain text without a heading\n\nmore\n",
    )
    .unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.articles.len(), 1);
    // A text file's first line is its title; an HTML fragment without text falls back.
    std::fs::write(dir.path().join(name), "<p><img src=\"x.jpg\"></p>\n").unwrap();
    let a = article::load_file(&dir.path().join(name)).unwrap();
    assert_eq!(a.title, "a\\nb\\tc  d.txt");
    let mut app = app();
    app.on_load(LoadEvent::Batch(vec![a], vec![]));
    assert!(shows(&app, "a\\nb\\tc  d.txt"), "{:#?}", screen(&app));
    // `reader list` prints it the same way.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(["list".as_ref(), dir.path().as_os_str()])
        .env("XDG_CONFIG_HOME", "/nonexistent-reader-test")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("a\\nb\\tc  d.txt"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

/// Sets `path`'s mtime well in the past: files changed within 2 s of a load are not cached.
fn age(path: &Path) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000),
        )
        .unwrap();
}

fn row_paths(app: &App) -> Vec<(PathBuf, Vec<PathBuf>)> {
    app.view()
        .iter()
        .map(|&i| {
            let a = &app.articles()[i as usize];
            (a.path().to_path_buf(), a.meta.copies.clone())
        })
        .collect()
}

/// A relaunch lists what the cache holds at once, then takes back the reports whose files
/// went: the row of a report whose first file is gone shows its other copies, the selection
/// moves to the next row, a mark on a gone report goes, and the counts follow.
#[test]
fn a_relaunch_takes_gone_reports_off_the_list_and_their_copies_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("archive");
    std::fs::create_dir(&d).unwrap();
    for (fixture_name, name) in [
        ("rfi-1048304.md", "a.md"),
        ("rfi-1048304.md", "b.md"),
        ("rfi-1048304.md", "c.md"),
        ("rfi-1048115.md", "other.md"),
        ("dw-1048066.md", "third.md"),
        ("bbc-1048152.md", "fourth.md"),
    ] {
        copy_to(&d, fixture_name, name);
        age(&d.join(name));
    }
    let cache = dir.path().join("cache/meta.bin");
    let paths = vec![d.clone()];
    Library::load_cached(&paths, Some(&cache));
    std::fs::remove_file(d.join("a.md")).unwrap();
    std::fs::remove_file(d.join("other.md")).unwrap();

    let mut app = app();
    let mut events = Library::spawn_load_cached(paths.clone(), Some(cache)).into_iter();
    app.on_load(events.next().unwrap());
    // The whole cached list, gone files too, before any file is looked at.
    assert_eq!(app.view().len(), 4);
    let at = app
        .view()
        .iter()
        .position(|&i| app.articles()[i as usize].path() == d.join("other.md"))
        .unwrap();
    for _ in 0..at {
        press(&mut app, "j");
    }
    press(&mut app, "Space");
    assert_eq!(app.marked().len(), 1);
    let next = app.view().get(at + 1).copied();
    for e in events {
        app.on_load(e);
    }
    let lib = Library::load(&paths);
    let want: Vec<(PathBuf, Vec<PathBuf>)> = lib
        .articles
        .iter()
        .map(|a| (a.path().to_path_buf(), a.meta.copies.clone()))
        .collect();
    assert_eq!(row_paths(&app), want);
    assert!(want.contains(&(d.join("b.md"), vec![d.join("c.md")])));
    assert_eq!(app.listed_count(), 3);
    assert!(app.marked().is_empty(), "the mark went with its report");
    // The selection moved to the row after the gone one (the same report, when it stayed).
    let selected = app.selected_article().unwrap().path().to_path_buf();
    match next.map(|i| app.articles()[i as usize].path().to_path_buf()) {
        Some(p) if p != d.join("a.md") => assert_eq!(selected, p),
        _ => assert!(lib.articles.iter().any(|a| a.path() == selected)),
    }
    assert_eq!(app.message().unwrap().text, "loaded 3 articles");
    assert!(shows(&app, "Articles 3"), "{:#?}", screen(&app));
    assert!(!screen(&app).join("\n").contains("Articles 3/"));
}
