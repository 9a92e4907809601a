//! `--help` documents the exit codes, and they agree with the README.

mod cli_support;
use cli_support::TestHome;

use std::process::Command;

#[test]
fn help_and_readme_document_the_same_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    let codes = &help[help.find("Exit codes:").expect("exit codes in --help")..];
    assert!(codes.contains("  0  success"));
    assert!(codes.contains("  1  `check` found problems, or `list` met files it could not load"));
    assert!(codes.contains("  2  usage error, no such article, nothing to show"));
    assert!(codes.contains("`search` found no report"));
    assert!(codes.contains("a malformed search query"));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for row in [
        "| 0 | success |",
        "| 1 | `check` found a problem",
        "| 2 | usage error",
    ] {
        assert!(readme.contains(row), "README lacks {row:?}");
    }
    assert_eq!(reader::cli::exit::PROBLEMS, 1);
    assert_eq!(reader::cli::exit::USAGE, 2);
}
