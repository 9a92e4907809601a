use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::article::{Article, Origin, parse};

const WAIT: Duration = Duration::from_secs(10);

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn article(path: &str, bytes: &[u8]) -> Article {
    parse(
        Origin::Memory {
            name: PathBuf::from(path),
            bytes: Arc::from(bytes),
        },
        bytes,
    )
    .unwrap()
}

const WITH_URL: &[u8] = b"<!--1593561600000-->\n\
[A report](https://www.dw.com/zh/a-report/a-53957528?utm_source=rss)\n\
----------\n\
<p>The body of the report.</p>\n";

const WITHOUT_URL: &[u8] = b"\n---\ntitle: A report without a link\nauthor: Someone\n---\n\n\
<p>Its body, which names it.</p>\n";

fn id(s: &str) -> Identity {
    Identity::from_stored(s)
}

fn open(path: &std::path::Path, user: &str) -> State {
    let (state, problem) = State::open(path, user).unwrap();
    assert_eq!(problem, None);
    state
}

#[test]
fn changes_persist_across_reopening() {
    let dir = temp();
    let path = dir.path().join("nested/state.db");
    let mut s = open(&path, LOCAL_USER);
    assert!(s.is_persistent());
    assert_eq!(s.flags(&id("url:a")), Flags::default());
    s.set_read(&id("url:a"), true);
    assert!(s.toggle_star(&id("url:b")));
    s.set_position(
        &id("url:a"),
        Some(Position {
            line: 40,
            lines: 120,
        }),
    );
    // Answered from memory at once.
    assert_eq!(
        s.flags(&id("url:a")),
        Flags {
            read: true,
            starred: false
        }
    );
    assert!(s.flush(WAIT));
    drop(s);

    let s = open(&path, LOCAL_USER);
    assert_eq!(s.len(), 2);
    let a = s.entry(&id("url:a"));
    assert_eq!(
        a.flags,
        Flags {
            read: true,
            starred: false
        }
    );
    assert_eq!(
        a.position,
        Some(Position {
            line: 40,
            lines: 120
        })
    );
    assert!(
        a.updated > 1_700_000_000_000,
        "updated is Unix ms: {}",
        a.updated
    );
    assert_eq!(
        s.flags(&id("url:b")),
        Flags {
            read: false,
            starred: true
        }
    );
    assert_eq!(s.position(&id("url:b")), None);
}

#[test]
fn dropping_the_state_writes_what_is_queued() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let mut s = open(&path, LOCAL_USER);
    for i in 0..500 {
        s.set_read(&id(&format!("url:{i}")), true);
    }
    // No flush: the last handle's drop waits for the writer.
    drop(s);
    assert_eq!(open(&path, LOCAL_USER).len(), 500);
}

#[test]
fn toggling_back_and_unsetting_are_kept() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let mut s = open(&path, LOCAL_USER);
    s.toggle_star(&id("url:a"));
    s.toggle_star(&id("url:a"));
    s.set_read(&id("url:a"), true);
    s.set_read(&id("url:a"), false);
    s.set_position(&id("url:a"), Some(Position { line: 3, lines: 9 }));
    s.set_position(&id("url:a"), None);
    drop(s);
    let s = open(&path, LOCAL_USER);
    assert_eq!(s.entry(&id("url:a")).flags, Flags::default());
    assert_eq!(s.position(&id("url:a")), None);
}

#[test]
fn users_are_kept_apart() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let (store, _) = Store::open(&path).unwrap();
    let mut alice = store.load("SHA256:alice").unwrap();
    let mut bob = store.load("SHA256:bob").unwrap();
    alice.toggle_star(&id("url:x"));
    bob.set_read(&id("url:x"), true);
    assert!(alice.flush(WAIT) && bob.flush(WAIT));
    let alice = store.load("SHA256:alice").unwrap();
    let bob = store.load("SHA256:bob").unwrap();
    assert_eq!(
        alice.flags(&id("url:x")),
        Flags {
            read: false,
            starred: true
        }
    );
    assert_eq!(
        bob.flags(&id("url:x")),
        Flags {
            read: true,
            starred: false
        }
    );
    assert_eq!(store.load(LOCAL_USER).unwrap().len(), 0);
}

#[test]
fn two_connections_changing_different_fields_keep_both() {
    let dir = temp();
    let path = dir.path().join("state.db");
    // Two stores on one file, as two processes would have, each loaded before the other wrote.
    let mut a = open(&path, LOCAL_USER);
    let mut b = open(&path, LOCAL_USER);
    a.set_read(&id("url:x"), true);
    b.set_starred(&id("url:x"), true);
    assert!(a.flush(WAIT) && b.flush(WAIT));
    drop((a, b));
    assert_eq!(
        open(&path, LOCAL_USER).flags(&id("url:x")),
        Flags {
            read: true,
            starred: true
        }
    );
}

#[test]
fn identity_by_url_survives_a_move() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let here = article("archive/2020/report.txt", WITH_URL);
    let moved = article("elsewhere/renamed.md", WITH_URL);
    let identity = Identity::of(&here).unwrap();
    assert_eq!(identity.as_str(), "url:dw.com/zh/a-report/a-53957528");
    assert_eq!(Identity::of(&moved), Some(identity.clone()));
    // The same page reached by plain http and another tracking tag is the same report.
    let other_link = article(
        "x.txt",
        &String::from_utf8_lossy(WITH_URL)
            .replace("https://www.", "http://")
            .replace("utm_source=rss", "utm_medium=feed")
            .into_bytes(),
    );
    assert_eq!(Identity::of(&other_link), Some(identity.clone()));

    let mut s = open(&path, LOCAL_USER);
    s.toggle_star(&identity);
    drop(s);
    let s = open(&path, LOCAL_USER);
    assert!(s.flags(&Identity::of(&moved).unwrap()).starred);
}

#[test]
fn identity_without_url_is_the_body_hash() {
    let a = article("a/one.md", WITHOUT_URL);
    assert_eq!(a.url, None);
    let identity = Identity::of(&a).unwrap();
    assert!(identity.as_str().starts_with("body:"), "{identity}");
    assert_eq!(identity.as_str().len(), "body:".len() + 16);
    // Moved and re-saved with other line ends: the same report.
    let resaved = String::from_utf8_lossy(WITHOUT_URL).replace('\n', "\r\n");
    assert_eq!(
        Identity::of(&article("b/two.md", resaved.as_bytes())),
        Some(identity.clone())
    );
    // Another body is another report.
    let edited = String::from_utf8_lossy(WITHOUT_URL).replace("names it", "names another");
    assert_ne!(
        Identity::of(&article("a/one.md", edited.as_bytes())),
        Some(identity.clone())
    );
    // A hand-built article (no hash computed) has no identity rather than a shared one.
    let mut hand = a.clone();
    hand.meta.body_hash = 0;
    assert_eq!(Identity::of(&hand), None);
}

#[test]
fn the_bundled_seeds_have_distinct_identities() {
    let library = crate::library::Library::bundled();
    let ids: std::collections::HashSet<_> = library
        .articles
        .iter()
        .map(|a| Identity::of(a).expect("every seed has an identity"))
        .collect();
    assert_eq!(ids.len(), library.articles.len());
}

#[test]
fn a_corrupt_file_is_set_aside_and_a_fresh_one_made() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let garbage = b"this is not a database, just some bytes a crash left behind\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let (mut s, problem) = State::open(&path, LOCAL_USER).unwrap();
    let problem = problem.expect("a message about the damaged file");
    assert_eq!(problem.path, path);
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("state.db.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    assert!(
        problem.reason.contains(&aside[0].display().to_string()),
        "{}",
        problem.reason
    );
    assert!(problem.to_string().contains("state.db:"), "{problem}");
    // The fresh file works.
    s.set_read(&id("url:a"), true);
    drop(s);
    assert!(open(&path, LOCAL_USER).flags(&id("url:a")).read);
}

#[test]
fn a_truncated_file_is_set_aside() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let mut s = open(&path, LOCAL_USER);
    for i in 0..2000 {
        s.set_read(&id(&format!("url:example.com/{i:0>40}")), true);
    }
    drop(s);
    // Checkpoint into the main file, then cut it in half.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192, "{}", bytes.len());
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let (s, problem) = State::open(&path, LOCAL_USER).unwrap();
    let problem = problem.expect("a message about the damaged file");
    assert!(
        problem.reason.contains("set aside as"),
        "{}",
        problem.reason
    );
    assert_eq!(s.len(), 0);
}

#[test]
fn the_schema_version_is_recorded_and_a_newer_file_left_alone() {
    let dir = temp();
    let path = dir.path().join("state.db");
    drop(open(&path, LOCAL_USER));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("SELECT version FROM schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(
        conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "wal"
    );
    conn.execute("UPDATE schema SET version = 99", []).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let problem = State::open(&path, LOCAL_USER).unwrap_err();
    assert!(
        problem.reason.contains("newer reader (schema 99"),
        "{}",
        problem.reason
    );
    assert!(
        problem.reason.contains("this session only"),
        "{}",
        problem.reason
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn no_usable_folder_means_state_in_memory_with_a_message() {
    let dir = temp();
    // A file where the folder should be: the folder cannot be made (root ignores modes, so a
    // read-only folder would not fail in CI).
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"").unwrap();
    let problem = State::open(&blocker.join("reader/state.db"), LOCAL_USER).unwrap_err();
    assert!(
        problem.reason.contains("cannot make the state folder"),
        "{}",
        problem.reason
    );
    assert!(
        problem.reason.contains("this session only"),
        "{}",
        problem.reason
    );
}

#[test]
fn changes_made_while_loading_are_replayed_on_the_loaded_state() {
    let dir = temp();
    let path = dir.path().join("state.db");
    let mut s = open(&path, LOCAL_USER);
    s.set_read(&id("url:old"), true);
    s.toggle_star(&id("url:both"));
    drop(s);

    let mut pending = State::pending(LOCAL_USER);
    assert!(!pending.is_persistent());
    pending.toggle_star(&id("url:new"));
    pending.set_read(&id("url:both"), true);
    pending.adopt(open(&path, LOCAL_USER));
    assert!(pending.is_persistent());
    assert!(pending.flags(&id("url:old")).read);
    assert!(pending.flags(&id("url:new")).starred);
    assert_eq!(
        pending.flags(&id("url:both")),
        Flags {
            read: true,
            starred: true
        }
    );
    drop(pending);
    let s = open(&path, LOCAL_USER);
    assert!(s.flags(&id("url:new")).starred);
    assert!(s.flags(&id("url:both")).read);
}

#[test]
fn positions_follow_the_layout() {
    let p = Position {
        line: 50,
        lines: 200,
    };
    assert_eq!(p.line_in(200), 50);
    assert_eq!(p.line_in(100), 25);
    assert_eq!(p.line_in(400), 100);
    assert_eq!(p.fraction(), 0.25);
    assert_eq!(Position { line: 5, lines: 0 }.line_in(10), 5);
}

#[test]
fn a_memory_state_writes_nothing() {
    let mut s = State::memory("u");
    s.toggle_star(&id("url:a"));
    assert!(s.flags(&id("url:a")).starred);
    assert!(s.flush(WAIT));
    assert_eq!(s.path(), None);
    assert_eq!(s.take_problem(), None);
}
