//! `reader check`: every problem with file and reason on stderr, a summary on stdout, exit 1
//! when there is any problem.

mod cli_support;
use cli_support::TestHome;

use std::process::{Command, Output};

fn reader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn seeds_are_clean() {
    let out = reader(&["check"]);
    assert_eq!(text(&out.stdout), "2 loaded, 0 did not load, 0 warnings\n");
    assert_eq!(text(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn every_fixture_problem_is_reported() {
    // The loader's folders only: other suites keep fixtures of their own beside them.
    let out = reader(&[
        "check",
        "tests/fixtures/bad",
        "tests/fixtures/compare",
        "tests/fixtures/good",
    ]);
    assert_eq!(
        text(&out.stderr),
        "\
reader: tests/fixtures/bad/alias-bomb.txt: YAML front matter: repetition limit exceeded
reader: tests/fixtures/bad/binary.png: binary data (NUL bytes)
reader: tests/fixtures/bad/blank-lines.txt: only blank lines
reader: tests/fixtures/bad/empty.txt: empty file
reader: tests/fixtures/bad/malformed-yaml.txt: YAML front matter: mapping values are not allowed in this context at line 2 column 10
reader: tests/fixtures/bad/unclosed-front-matter.txt: front matter opened with --- on line 2 never closes
reader: tests/fixtures/good/image-only.txt: warning: no title found; showing the file name
reader: tests/fixtures/good/invalid-date.txt: warning: date \"Invalid Date\" is not a date; the publication time is unknown
reader: tests/fixtures/good/invalid-utf8.txt: warning: invalid UTF-8, decoded with replacement characters (�)
"
    );
    // 15 of the loader's fixtures and the 2 of tests/fixtures/compare/.
    assert_eq!(text(&out.stdout), "17 loaded, 6 did not load, 3 warnings\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn warnings_alone_fail_check() {
    let out = reader(&["check", "tests/fixtures/good/invalid-date.txt"]);
    assert_eq!(text(&out.stdout), "1 loaded, 0 did not load, 1 warning\n");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_path() {
    let out = reader(&["check", "no/such/place"]);
    assert_eq!(
        text(&out.stderr),
        "reader: no/such/place: no such file or folder\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("again")).unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    let out = reader(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "reader: {0}/again: symlink loop: leads back to {0}\n",
            dir.path().display()
        )
    );
    assert_eq!(text(&out.stdout), "1 loaded, 1 did not load, 0 warnings\n");
    assert_eq!(out.status.code(), Some(1));
}

/// An unreadable file. Root reads anything, so as root the check runs as `nobody` through
/// `setpriv`; the test fails rather than passing vacuously when neither way is possible.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let secret = dir.path().join("secret.md");
    std::fs::write(&secret, "# Secret\n").unwrap();
    std::fs::write(dir.path().join("open.md"), "# Open\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bin = env!("CARGO_BIN_EXE_reader");
    let as_root = std::fs::read(&secret).is_ok();
    let bin_dir = tempfile::tempdir().unwrap();
    let mut cmd = if as_root {
        // The binary must be reachable by `nobody` too.
        std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let exe = bin_dir.path().join("reader");
        std::fs::copy(bin, &exe).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(exe);
        c
    } else {
        Command::new(bin)
    };
    let out = cmd
        .test_home()
        .arg("check")
        .arg(dir.path())
        .current_dir("/")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    let expected = format!(
        "reader: {}: not readable: permission denied\n",
        secret.display()
    );
    assert_eq!(stderr, expected);
    assert_eq!(text(&out.stdout), "1 loaded, 1 did not load, 0 warnings\n");
    assert_eq!(out.status.code(), Some(1));
}

/// File names are text from outside too: an escape sequence in a name never reaches stderr or
/// stdout, in problems or in titles taken from the name; in paths it is shown escaped (never
/// dropped, so two names differing only there stay apart).
#[cfg(unix)]
#[test]
fn hostile_file_names_are_cleaned() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("evil\u{1b}]0;owned\u{7}\u{202e}.txt");
    std::fs::write(&bad, "").unwrap();
    let untitled = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"x\x1b[2J\xff.md"));
    std::fs::write(&untitled, "<div><img src=\"a.jpg\"></div>").unwrap();
    for cmd in ["check", "list"] {
        let out = reader(&[cmd, dir.path().to_str().unwrap()]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            !all.chars()
                .any(|c| c != '\n' && reader::sanitize::is_forbidden(c)),
            "{all:?}"
        );
        assert!(
            all.contains("evil\\u{1b}]0;owned\\u{7}\\u{202e}.txt: empty file"),
            "{all}"
        );
    }
    let out = reader(&["list", dir.path().to_str().unwrap()]);
    // A title taken from the name shows it escaped too, the invalid byte as `\xFF`.
    assert_eq!(text(&out.stdout), "1  —           —  x\\u{1b}[2J\\xFF.md\n");
}
