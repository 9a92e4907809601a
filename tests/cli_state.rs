//! `reader list --json` carries the read state (issue #12), read from the state file without
//! making or writing it.

use std::path::Path;
use std::process::Command;

use reader::library::Library;
use reader::state::{Identity, LOCAL_USER, State};

fn list_json(home: &Path) -> (Vec<serde_json::Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reader"))
        .args(["list", "--json"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn flags(items: &[serde_json::Value], title_part: &str) -> (bool, bool) {
    let item = items
        .iter()
        .find(|v| v["title"].as_str().unwrap().contains(title_part))
        .unwrap();
    (
        item["read"].as_bool().unwrap(),
        item["starred"].as_bool().unwrap(),
    )
}

#[test]
fn list_json_has_read_and_starred_from_the_state_file() {
    let home = tempfile::tempdir().unwrap();
    let (items, stderr) = list_json(home.path());
    assert_eq!(stderr, "");
    assert_eq!(flags(&items, "COP27"), (false, false));
    assert_eq!(flags(&items, "气候问题上"), (false, false));
    // Listing made no state file.
    assert!(!home.path().join("data/reader").exists());

    let seeds = Library::bundled();
    let dw = seeds
        .articles
        .iter()
        .find(|a| a.title.contains("COP27"))
        .unwrap();
    let guancha = seeds
        .articles
        .iter()
        .find(|a| a.title.contains("气候问题上"))
        .unwrap();
    let path = home.path().join("data/reader/state.db");
    let (mut state, _) = State::open(&path, LOCAL_USER).unwrap();
    state.toggle_star(&Identity::of(dw).unwrap());
    state.set_read(&Identity::of(guancha).unwrap(), true);
    // Another user's rows are not this reader's.
    let (mut other, _) = State::open(&path, "SHA256:someone").unwrap();
    other.set_read(&Identity::of(dw).unwrap(), true);
    drop((state, other));

    let before = std::fs::read(&path).unwrap();
    let (items, stderr) = list_json(home.path());
    assert_eq!(stderr, "");
    assert_eq!(flags(&items, "COP27"), (false, true));
    assert_eq!(flags(&items, "气候问题上"), (true, false));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the state file is only read"
    );
}

#[test]
fn a_damaged_state_file_is_a_warning_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data/reader");
    std::fs::create_dir_all(&dir).unwrap();
    let garbage = b"not a database".repeat(100);
    std::fs::write(dir.join("state.db"), &garbage).unwrap();
    let (items, stderr) = list_json(home.path());
    assert!(
        stderr.starts_with("reader: warning: ") && stderr.contains("cannot read the read state"),
        "{stderr}"
    );
    assert_eq!(flags(&items, "COP27"), (false, false));
    // Setting it aside is the reader's job, not a listing's.
    assert_eq!(std::fs::read(dir.join("state.db")).unwrap(), garbage);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

fn search(home: &Path, query: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .args(["search", query, "--json"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap()
}

fn titles(out: &std::process::Output) -> Vec<String> {
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    v.iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn search_is_starred_and_is_unread_use_the_state_file() {
    let home = tempfile::tempdir().unwrap();
    // No state: nothing is starred, everything is unread.
    let out = search(home.path(), "is:starred");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(titles(&search(home.path(), "is:unread")).len(), 2);
    assert!(!home.path().join("data/reader").exists());

    let seeds = Library::bundled();
    let dw = seeds
        .articles
        .iter()
        .find(|a| a.title.contains("COP27"))
        .unwrap();
    let (mut state, _) =
        State::open(&home.path().join("data/reader/state.db"), LOCAL_USER).unwrap();
    state.toggle_star(&Identity::of(dw).unwrap());
    state.set_read(&Identity::of(dw).unwrap(), true);
    drop(state);

    let starred = search(home.path(), "is:starred");
    assert_eq!(starred.status.code(), Some(0), "{starred:?}");
    assert_eq!(titles(&starred), [dw.title.as_str()]);
    let unread = titles(&search(home.path(), "is:unread"));
    assert_eq!(unread.len(), 1);
    assert!(unread[0].contains("气候问题上"), "{unread:?}");
    // With words too: 克里 is in both seeds, only one is starred.
    assert_eq!(
        titles(&search(home.path(), "克里 is:starred")),
        [dw.title.as_str()]
    );
}
