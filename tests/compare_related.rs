//! `c` with nothing marked: the most related other article.

use std::path::PathBuf;

use reader::compare::{most_related, related::shortlist};
use reader::library::Library;

fn library() -> Library {
    let lib = Library::load(&[
        PathBuf::from("seeds"),
        PathBuf::from("tests/fixtures/compare"),
    ]);
    assert!(lib.problems.is_empty(), "{:?}", lib.problems);
    assert_eq!(lib.articles.len(), 4);
    lib
}

fn index(lib: &Library, title_part: &str) -> usize {
    lib.articles
        .iter()
        .position(|a| a.title.contains(title_part))
        .unwrap()
}

#[test]
fn each_report_finds_its_counterpart() {
    let lib = library();
    let pairs = [
        ("美国想跟中国重新走到一起", "COP27即將召開"),
        ("COP27即將召開", "美国想跟中国重新走到一起"),
        ("Council suspends ferry contract", "Ferry operator disputes"),
        ("Ferry operator disputes", "Council suspends ferry contract"),
    ];
    for (from, to) in pairs {
        let r = most_related(index(&lib, from), &lib.articles).unwrap();
        assert_eq!(r.index, index(&lib, to), "from {from}: {r:?}");
    }
}

#[test]
fn the_reason_names_outlet_gap_and_shared_names() {
    let lib = library();
    let r = most_related(index(&lib, "美国想跟中国重新走到一起"), &lib.articles).unwrap();
    assert_eq!(r.days_apart, Some(55));
    assert!(r.shared.contains(&"克里".to_string()), "{:?}", r.shared);
    let reason = r.reason(&lib.articles);
    assert!(
        reason.starts_with("most related: 德國之聲, 55 days apart; shares "),
        "{reason}"
    );
    assert!(reason.contains("克里"));
}

#[test]
fn shortlist_ranks_by_title_and_date() {
    let lib = library();
    let from = index(&lib, "Council suspends ferry contract");
    let list = shortlist(from, &lib.articles, 2);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], index(&lib, "Ferry operator disputes"));
    assert!(!list.contains(&from));
}

#[test]
fn nothing_to_pick() {
    let lib = Library::load(&[PathBuf::from(
        "tests/fixtures/compare/harbor-gazette-ferry-contract.txt",
    )]);
    assert_eq!(lib.articles.len(), 1);
    assert!(most_related(0, &lib.articles).is_none());
    assert!(most_related(5, &lib.articles).is_none());
}
