//! The state file under two processes at once (issue #12: "concurrent readers never corrupt
//! it"): two copies of this test binary write thousands of rows each into one `state.db`,
//! through `State::open_default` as the reader does, both starting before the file exists.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use reader::state::{Flags, Identity, LOCAL_USER, Position, State};

const ROWS: usize = 3000;
/// Rows both processes change (one the read flag, the other the star), to contend for rows.
const SHARED: usize = 500;

/// Run only as a child of `two_processes_write_at_once`: writes this process's rows.
#[test]
#[ignore = "a helper that the two-process test runs in child processes"]
fn child_writes_rows() {
    let me = std::env::var("STATE_CHILD").expect("run by two_processes_write_at_once");
    let (mut state, problem) = State::open_default(LOCAL_USER);
    assert_eq!(problem, None);
    assert!(state.is_persistent());
    for i in 0..ROWS {
        let id = Identity::from_stored(format!("url:example.com/{me}/{i}"));
        state.set_read(&id, true);
        if i % 3 == 0 {
            state.toggle_star(&id);
        }
        state.set_position(
            &id,
            Some(Position {
                line: i as u32,
                lines: ROWS as u32,
            }),
        );
        if i < SHARED {
            let shared = Identity::from_stored(format!("url:example.com/shared/{i}"));
            if me == "a" {
                state.set_read(&shared, true);
            } else {
                state.set_starred(&shared, true);
            }
        }
        // Many small transactions, so the two writers interleave rather than write once each.
        if i % 50 == 49 {
            assert!(state.flush(Duration::from_secs(30)));
            assert_eq!(state.take_problem(), None);
        }
    }
    assert!(state.flush(Duration::from_secs(30)));
    assert_eq!(state.take_problem(), None);
}

fn child(data: &Path, me: &str) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_writes_rows",
            "--test-threads=1",
        ])
        .env("STATE_CHILD", me)
        .env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("XDG_CACHE_HOME", data.join("cache"))
        .env("HOME", data)
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_write_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut children = [child(data, "a"), child(data, "b")];
    for c in &mut children {
        let status = c.wait().unwrap();
        assert!(status.success(), "a child failed: {status}");
    }
    let path = data.join("reader/state.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);

    let (state, problem) = State::open(&path, LOCAL_USER).unwrap();
    assert_eq!(problem, None);
    assert_eq!(state.len(), 2 * ROWS + SHARED);
    for me in ["a", "b"] {
        for i in 0..ROWS {
            let e = state.entry(&Identity::from_stored(format!("url:example.com/{me}/{i}")));
            assert_eq!(
                e.flags,
                Flags {
                    read: true,
                    starred: i % 3 == 0
                },
                "{me}/{i}"
            );
            assert_eq!(
                e.position,
                Some(Position {
                    line: i as u32,
                    lines: ROWS as u32
                })
            );
        }
    }
    for i in 0..SHARED {
        let shared = Identity::from_stored(format!("url:example.com/shared/{i}"));
        assert_eq!(
            state.flags(&shared),
            Flags {
                read: true,
                starred: true
            },
            "shared/{i}: each process's field is kept"
        );
    }
}
