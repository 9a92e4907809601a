//! A generated archive of 2,000 reports (issue #6): every good file loads with the fields its
//! generator recorded, every broken file is reported by path with a reason, and the list comes
//! newest first. No timing here: speed lives in `benches/load.rs` and `scripts/measure.sh`.

use std::collections::HashMap;
use std::path::PathBuf;

use reader::article::{Article, Format};
use reader::library::{Library, Severity};
use reader_corpus::{self as corpus, DateForm, Entry, Kind};

const COUNT: usize = 2_000;
const SEED: u64 = 2026;

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

fn sort_key(a: &Article) -> Option<jiff::Timestamp> {
    a.published.as_ref().or(a.archived.as_ref()).map(|s| s.utc)
}

struct Loaded {
    _dir: tempfile::TempDir,
    root: PathBuf,
    entries: Vec<Entry>,
    lib: Library,
}

fn load() -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    let entries = corpus::generate(&root, COUNT, SEED).unwrap();
    let lib = Library::load(std::slice::from_ref(&root));
    Loaded {
        _dir: dir,
        root,
        entries,
        lib,
    }
}

#[test]
fn every_good_file_loads_with_its_fields() {
    let l = load();
    let good: Vec<&Entry> = l.entries.iter().filter(|e| e.is_good()).collect();
    assert!(good.len() > 1_950 && good.len() < COUNT, "{}", good.len());
    assert_eq!(l.lib.articles.len(), good.len());

    let by_path: HashMap<&std::path::Path, &Article> =
        l.lib.articles.iter().map(|a| (a.path(), a)).collect();
    assert_eq!(by_path.len(), good.len(), "each file loads once");
    for e in good {
        let path = l.root.join(&e.path);
        let a = by_path
            .get(path.as_path())
            .unwrap_or_else(|| panic!("not loaded: {}", path.display()));
        let want_format = match e.kind {
            Kind::FrontMatter => Format::FrontMatter,
            _ => Format::LinkHeader,
        };
        assert_eq!(a.format, want_format, "{}", path.display());
        assert_eq!(
            squeeze(&a.title),
            squeeze(e.title.as_deref().unwrap()),
            "{}",
            path.display()
        );
        // The opening credit 【文/观察者网 …】 alone is checked in `outlet_from_the_credit`.
        if e.kind == Kind::LinkHeader || named_in_front_matter(&path) {
            assert_eq!(a.outlet.as_deref(), e.outlet, "{}", path.display());
        }
        let published = a.published.as_ref().map(|s| s.utc);
        match e.date_form {
            // The naive form names no zone: UTC or China time are both fair readings.
            Some(DateForm::Naive) => {
                let want = e.published.unwrap();
                let got = published.unwrap_or_else(|| panic!("{}", path.display()));
                let diff = want.duration_since(got).as_secs();
                assert!(diff == 0 || diff == 8 * 3600, "{}: {got}", path.display());
            }
            Some(DateForm::Invalid) => assert_eq!(published, None, "{}", path.display()),
            _ => assert_eq!(published, e.published, "{}", path.display()),
        }
        assert_eq!(
            a.archived.as_ref().map(|s| s.utc),
            e.archived,
            "{}",
            path.display()
        );
    }
}

/// True when a front-matter file names 观察者网 as its author or a category.
fn named_in_front_matter(path: &std::path::Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    text.contains("\nauthor: 观察者网") || text.contains("\n - 观察者网")
}

#[test]
fn outlet_from_the_credit() {
    let l = load();
    for e in l.entries.iter().filter(|e| e.is_good()) {
        let path = l.root.join(&e.path);
        let i = l.lib.find(&path).unwrap();
        assert_eq!(
            l.lib.articles[i].outlet.as_deref(),
            e.outlet,
            "{}",
            path.display()
        );
    }
}

#[test]
fn every_broken_file_is_reported_by_path_with_a_reason() {
    let l = load();
    let broken: Vec<&Entry> = l.entries.iter().filter(|e| !e.is_good()).collect();
    assert!(broken.len() >= 4, "{}", broken.len());
    for e in &broken {
        let path = l.root.join(&e.path);
        let problems: Vec<_> = l.lib.problems.iter().filter(|p| p.path == path).collect();
        assert!(
            problems
                .iter()
                .any(|p| p.severity == Severity::Error && !p.reason.trim().is_empty()),
            "{:?} not reported as an error: {}: {problems:?}",
            e.kind,
            path.display()
        );
        assert!(
            problems[0]
                .to_string()
                .starts_with(&path.display().to_string()),
            "{}",
            problems[0]
        );
        assert!(l.lib.find(&path).is_none(), "{} loaded", path.display());
    }
    let errors = l
        .lib
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    assert_eq!(errors, broken.len(), "no good file is an error");
    let paths: Vec<&PathBuf> = l.lib.problems.iter().map(|p| &p.path).collect();
    assert!(paths.is_sorted(), "problems in path order");
}

#[test]
fn the_list_is_newest_first_with_undated_last() {
    let l = load();
    let keys: Vec<Option<jiff::Timestamp>> = l.lib.articles.iter().map(sort_key).collect();
    let dated = keys.iter().take_while(|k| k.is_some()).count();
    assert!(
        keys[dated..].iter().all(Option::is_none),
        "undated articles last"
    );
    // Invalid dates in front matter leave about 2 % of the archive undated.
    assert!(dated < keys.len() && dated > keys.len() * 9 / 10, "{dated}");
    for (i, pair) in keys[..dated].windows(2).enumerate() {
        assert!(
            pair[0] >= pair[1],
            "article {i} ({:?}) is older than the next ({:?})",
            pair[0],
            pair[1]
        );
    }
    // Galleries sort by their archive time, interleaved with dated reports.
    let gallery = l
        .lib
        .articles
        .iter()
        .position(|a| a.published.is_none() && a.archived.is_some())
        .expect("a gallery or video");
    assert!(gallery < dated);
}
