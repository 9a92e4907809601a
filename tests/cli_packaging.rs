//! What a packager runs: `reader --version`, `reader completions SHELL` and `reader man`.

mod cli_support;
use cli_support::TestHome;

use std::process::{Command, Output};

fn reader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .output()
        .unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = reader(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn version_names_the_package_version() {
    let expected = format!("reader {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(stdout_of(&["--version"]), expected);
    assert_eq!(stdout_of(&["-V"]), expected);
}

#[test]
fn completions_for_each_shell_know_the_commands_and_options() {
    for (shell, marker) in [
        ("bash", "complete -F _reader"),
        ("zsh", "#compdef reader"),
        ("fish", "complete -c reader"),
        ("elvish", "edit:completion:arg-completer[reader]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for word in ["list", "show", "check", "compare", "completions", "man"] {
            assert!(script.contains(word), "{shell}: no {word:?}");
        }
        // fish names long options without their dashes.
        let long = |name: &str| match shell {
            "fish" => format!("-l {name}"),
            _ => format!("--{name}"),
        };
        for option in ["color", "json", "width", "ascii"] {
            assert!(script.contains(&long(option)), "{shell}: no {option:?}");
        }
    }
}

#[test]
fn bash_completion_is_valid_bash() {
    let Ok(status) = Command::new("bash").arg("--version").output() else {
        return; // no bash on this machine: the marker test above still runs
    };
    assert!(status.status.success());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reader.bash");
    std::fs::write(&file, stdout_of(&["completions", "bash"])).unwrap();
    let check = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let out = reader(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash, elvish, fish, powershell, zsh"), "{err}");
}

#[test]
fn man_page_is_roff_from_the_clap_definitions() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH reader 1"), "{page}");
    assert!(page.contains(".SH NAME\nreader \\- A terminal reader for saved news reports"));
    assert!(page.contains(".SH SYNOPSIS"));
    assert!(page.contains("\\fB\\-\\-color\\fR"));
    assert_eq!(page.matches(".ds Aq").count(), 2, "one quote preamble");
    // One page for the whole tool: each command has its own section with its options, and no
    // pointer to a per-command page that nothing ships.
    for command in ["list", "show", "check", "compare", "completions", "man"] {
        let head = format!(".SH \"COMMAND: READER {}\"", command.to_uppercase());
        assert!(page.contains(&head), "no {head}");
        assert!(
            page.contains(&format!("\\fBreader {command}\\fR")),
            "no synopsis of {command}"
        );
        assert!(!page.contains(&format!("reader\\-{command}(1)")));
    }
    assert!(
        page.contains("\\fB\\-\\-width\\fR"),
        "show's and compare's options"
    );
    let notes = &page[page
        .find(".SH NOTES\n.nf\n")
        .expect("the epilogue, unfilled")..];
    assert!(notes.contains("Exit codes:\n  0  success\n"));
    assert!(page.contains(&format!(".SH VERSION\nv{}", env!("CARGO_PKG_VERSION"))));
}
