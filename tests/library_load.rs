//! Loading folders: recursion, hidden entries, symlink loops, duplicates, 10,000 files, the
//! background loader's event stream, and newest-first order.

use std::path::{Path, PathBuf};

use reader::library::{Library, LoadEvent, Problem, Severity};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn names(lib: &Library) -> Vec<String> {
    lib.articles
        .iter()
        .map(|a| a.path().file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn fixture_folder_loads_everything_good_and_reports_everything_bad() {
    // The loader's folders only: other suites keep fixtures of their own beside them.
    let root = fixtures();
    let lib = Library::load(&["bad", "compare", "good"].map(|d| root.join(d)));
    assert_eq!(
        names(&lib),
        [
            // The English pair of tests/fixtures/compare/ (2024-03-14, 2024-03-12).
            "coastal-daily-ferry-dispute.txt",
            "harbor-gazette-ferry-contract.txt",
            "page.html",           // 2022-11-01T11:00Z
            "multiline-title.txt", // 2022-10-20T08:00Z
            "gallery.txt",         // archived 2022-10-17T09:46:40Z (no dateline)
            "credit-outlet.txt",   // 2022-10-17T06:00Z
            "control-chars.txt",   // 2022-02-24T07:00Z
            "image-only.txt",      // 06:00
            "no-title.txt",        // 05:00
            "bom.txt",             // 04:00
            "invalid-utf8.txt",    // 03:00
            "crlf.txt",            // 02:55
            "naive-date.txt",      // 2021-10-28T06:08:07Z
            "heading-only.html",   // undated, by path
            "invalid-date.txt",
            "note.md",
            "note.txt",
        ]
    );
    let problems: Vec<(String, &str, Severity)> = lib
        .problems
        .iter()
        .map(|p| {
            let rel = p
                .path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, p.reason.as_str(), p.severity)
        })
        .collect();
    use Severity::{Error, Warning};
    assert_eq!(
        problems,
        [
            (
                "bad/alias-bomb.txt".into(),
                "YAML front matter: repetition limit exceeded",
                Error
            ),
            ("bad/binary.png".into(), "binary data (NUL bytes)", Error),
            ("bad/blank-lines.txt".into(), "only blank lines", Error),
            ("bad/empty.txt".into(), "empty file", Error),
            (
                "bad/malformed-yaml.txt".into(),
                "YAML front matter: mapping values are not allowed in this context at line 2 column 10",
                Error
            ),
            (
                "bad/unclosed-front-matter.txt".into(),
                "front matter opened with --- on line 2 never closes",
                Error
            ),
            (
                "good/image-only.txt".into(),
                "no title found; showing the file name",
                Warning
            ),
            (
                "good/invalid-date.txt".into(),
                "date \"Invalid Date\" is not a date; the publication time is unknown",
                Warning
            ),
            (
                "good/invalid-utf8.txt".into(),
                "invalid UTF-8, decoded with replacement characters (�)",
                Warning
            ),
        ]
    );
    assert!(lib.has_errors());
}

#[test]
fn hidden_entries_are_skipped_unless_named() {
    let lib = Library::load(&[fixtures().join("good")]);
    assert!(
        !names(&lib)
            .iter()
            .any(|n| n.starts_with('.') || n == "inside.txt")
    );
    let named = Library::load(&[fixtures().join("good/.hidden-article.txt")]);
    assert_eq!(names(&named), [".hidden-article.txt"]);
    assert_eq!(named.articles[0].title, "隐藏文件");
}

#[test]
fn missing_path_is_reported() {
    let missing = fixtures().join("nowhere");
    let lib = Library::load(std::slice::from_ref(&missing));
    assert!(lib.articles.is_empty());
    assert_eq!(
        lib.problems,
        [Problem::error(missing, "no such file or folder")]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(fixtures().join("good/note.md"), sub.join("note.md")).unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert_eq!(names(&lib), ["note.md"]);
    assert_eq!(
        lib.problems,
        [Problem::error(
            sub.join("loop"),
            format!("symlink loop: leads back to {}", dir.path().display())
        )]
    );
}

#[cfg(unix)]
#[test]
fn a_file_reached_twice_through_links_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("good/note.md"), dir.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("b.md")).unwrap();
    let lib = Library::load(&[dir.path().to_path_buf(), dir.path().join("a.md")]);
    assert_eq!(names(&lib), ["a.md"]);
    assert!(lib.problems.is_empty());
}

#[cfg(unix)]
#[test]
fn dangling_link_and_fifo_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
        .unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.txt"))
        .status();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert!(lib.articles.is_empty());
    let mut expected = vec![Problem::error(
        dir.path().join("dangling.txt"),
        format!(
            "broken symlink: {} does not exist",
            dir.path().join("gone.txt").display()
        ),
    )];
    if status.is_ok_and(|s| s.success()) {
        expected.push(Problem::error(
            dir.path().join("pipe.txt"),
            "not a regular file (skipped)",
        ));
    }
    assert_eq!(lib.problems, expected);
}

/// Writes `n` small link-header files, numbered, each a minute apart, into `dir/NN/`.
fn write_corpus(dir: &Path, n: usize) {
    for i in 0..n {
        let sub = dir.join(format!("{:02}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        let published = jiff::Timestamp::from_second(1_666_000_000 + 60 * i as i64).unwrap();
        let text = format!(
            "<!--{}-->\n[第{i}篇報道](https://www.dw.com/zh/a-{i})\n------\n\n<div><i><br>{published}</i></div><p>（德國之聲中文網）正文{i}。</p>\n",
            published.as_millisecond() + 600_000,
        );
        std::fs::write(sub.join(format!("{i:05}.txt")), text).unwrap();
    }
}

#[test]
fn ten_thousand_files_load_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 10_000);
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert!(
        lib.problems.is_empty(),
        "{:?}",
        &lib.problems[..lib.problems.len().min(3)]
    );
    assert_eq!(lib.articles.len(), 10_000);
    let titles: Vec<&str> = lib.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        &titles[..3],
        ["第9999篇報道", "第9998篇報道", "第9997篇報道"]
    );
    assert_eq!(titles[9_999], "第0篇報道");
    assert!(
        lib.articles
            .iter()
            .all(|a| a.outlet.as_deref() == Some("德國之聲"))
    );
}

#[test]
fn background_load_streams_batches_discovered_done() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 1_200);
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let rx = Library::spawn_load(vec![dir.path().to_path_buf()]);
    let events: Vec<LoadEvent> = rx.iter().collect();
    // Batches from the start (parsing goes on while the walk does), `Discovered` once with the
    // total, `Done` last.
    let first = events.first().unwrap();
    match first {
        // Files are parsed as they are found: the first batch is a small part of the folder.
        LoadEvent::Batch(a, _) => assert!(a.len() < 1_200 / 4, "{}", a.len()),
        // A walk faster than the first 64 parses may finish first.
        LoadEvent::Discovered(n) => assert_eq!(*n, 1_201),
        LoadEvent::Done => panic!("Done first"),
        LoadEvent::Removed(_) => panic!("a load without a cache takes nothing back"),
    }
    assert!(matches!(events.last(), Some(LoadEvent::Done)));
    let discovered: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Discovered(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(discovered, [1_201]);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, LoadEvent::Done))
            .count(),
        1
    );
    let mut lib = Library::default();
    let mut sizes = Vec::new();
    for e in events {
        if let LoadEvent::Batch(a, p) = e {
            sizes.push(a.len() + p.len());
            lib.extend(a, p);
        }
    }
    assert!(
        sizes.len() >= 4,
        "results come in several batches, got {sizes:?}"
    );
    // Every batch but the last (the parsers' remainders together) is at least the first
    // size, 64 files.
    assert!(
        sizes[..sizes.len() - 1].iter().all(|&n| n >= 64),
        "{sizes:?}"
    );
    assert_eq!(lib.articles.len(), 1_200);
    assert_eq!(
        lib.problems,
        [Problem::error(dir.path().join("empty.txt"), "empty file")]
    );
    assert_eq!(lib.articles[0].title, "第1199篇報道");
}

#[test]
fn background_load_of_a_small_folder_is_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 20);
    let events: Vec<LoadEvent> = Library::spawn_load(vec![dir.path().to_path_buf()])
        .iter()
        .collect();
    let batches: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Batch(a, _) => Some(a.len()),
            _ => None,
        })
        .collect();
    assert_eq!(batches, [20]);
    assert!(matches!(
        events[..],
        [
            LoadEvent::Discovered(20),
            LoadEvent::Batch(..),
            LoadEvent::Done
        ]
    ));
}

#[test]
fn background_load_reports_walk_problems_in_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 100);
    let missing = dir.path().join("missing");
    let rx = Library::spawn_load(vec![dir.path().to_path_buf(), missing.clone()]);
    let mut lib = Library::default();
    let mut total = None;
    for e in rx {
        match e {
            LoadEvent::Batch(a, p) => lib.extend(a, p),
            LoadEvent::Discovered(n) => total = Some(n),
            LoadEvent::Done | LoadEvent::Removed(_) => {}
        }
    }
    assert_eq!(total, Some(100));
    assert_eq!(lib.articles.len(), 100);
    assert_eq!(
        lib.problems,
        [Problem::error(missing, "no such file or folder")]
    );
}

#[test]
fn dropping_the_receiver_stops_the_loader_quietly() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path(), 600);
    let rx = Library::spawn_load(vec![dir.path().to_path_buf()]);
    assert!(matches!(
        rx.recv(),
        Ok(LoadEvent::Batch(..) | LoadEvent::Discovered(600))
    ));
    drop(rx);
}

#[test]
fn extend_merges_in_order_and_turns_warnings_into_problems() {
    let mut lib = Library::bundled();
    let extra = reader::article::load_file(&fixtures().join("good/invalid-date.txt")).unwrap();
    let page = reader::article::load_file(&fixtures().join("good/page.html")).unwrap();
    lib.extend(vec![extra, page], Vec::new());
    assert_eq!(
        names(&lib),
        [
            "page.html",
            "dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt",
            "guancha-2022-09-01-us-wants-climate-talks.txt",
            "invalid-date.txt"
        ]
    );
    assert_eq!(lib.problems.len(), 1);
    assert_eq!(lib.problems[0].severity, Severity::Warning);
    assert_eq!(lib.find(&fixtures().join("good/page.html")), Some(0));
}
