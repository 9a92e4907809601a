//! The config file (`$XDG_CONFIG_HOME/reader/config.toml`) as `reader show` and the TUI honour
//! it. Every test points XDG_CONFIG_HOME (and HOME) at a temporary folder: never the real home.

mod cli_support;
use cli_support::TestHome;

mod tui_support;

use std::path::Path;
use std::process::{Command, Output};

use ratatui::layout::Rect;
use reader::config::{self, Display};
use reader::tui::app::App;
use tui_support::*;

const BBC: &str = "tests/fixtures/clean/bbc-furniture.md";

fn show(config_home: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CONFIG_HOME", config_home)
        .env("HOME", config_home.join("home"))
        .env_remove("NO_COLOR")
        .args(["show", "--width", "200", BBC])
        .args(extra)
        .output()
        .unwrap()
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("reader")).unwrap();
    let path = dir.join("reader/config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

const LINKED: &str = "详见此前报道[2]与英文报道[3]，分享。";
const UNLINKED: &str = "详见此前报道与英文报道，分享。";

#[test]
fn show_hides_link_numbers_when_the_config_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // No file: numbers shown.
    let out = show(dir.path(), &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(LINKED), "{text}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    write_config(dir.path(), "[display]\nlink_numbers = false\n");
    let out = show(dir.path(), &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(UNLINKED), "{text}");
    assert!(
        text.contains("\nLinks\n[1] "),
        "Links keeps its numbers: {text}"
    );
    assert!(out.stderr.is_empty());

    // The flag still works, with numbers on in the file.
    write_config(dir.path(), "[display]\nlink_numbers = true\n");
    let text = String::from_utf8(show(dir.path(), &["--no-link-numbers"]).stdout).unwrap();
    assert!(text.contains(UNLINKED), "{text}");
}

#[test]
fn the_fallback_is_dot_config_under_home() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        &dir.path().join("home/.config"),
        "display.link_numbers = false\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", dir.path().join("home"))
        .args(["show", "--width", "200", BBC])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains(UNLINKED));
}

#[test]
fn unknown_keys_warn_and_bad_files_name_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "[display]\nlink_numbers = false\nlnk_numbers = true\n",
    );
    let out = show(dir.path(), &[]);
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains(UNLINKED));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!(
            "reader: warning: {}:3: unknown setting `display.lnk_numbers`; it is ignored\n",
            path.display()
        )
    );

    write_config(dir.path(), "[display]\nlink_numbers = nope\n");
    let out = show(dir.path(), &[]);
    assert!(
        out.status.success(),
        "a bad config does not stop the reader"
    );
    assert!(String::from_utf8(out.stdout).unwrap().contains(LINKED));
    let err = String::from_utf8(out.stderr).unwrap();
    let want = format!("reader: warning: {}:2: ", path.display());
    assert!(err.starts_with(&want), "{err}");
    assert!(
        err.trim_end().ends_with("; the default settings are used"),
        "{err}"
    );
}

#[test]
fn the_tui_honours_the_display_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), "[display]\nlink_numbers = false\n");
    let loaded = config::load_from(&path);
    assert!(loaded.problems.is_empty());
    let a = reader::article::load_file(Path::new(BBC)).unwrap();
    let body_text = |display: Display| {
        let mut app = App::new(config(), Rect::new(0, 0, 300, 50)).with_display(display);
        app.add(vec![a.clone()], vec![]);
        app.rendered()
            .unwrap()
            .lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let off = body_text(loaded.settings.display.clone());
    assert!(off.contains(UNLINKED), "{off}");
    let on = body_text(Display::default());
    assert!(on.contains(LINKED), "{on}");
}

/// `reader` with the XDG folders (and HOME) under `root`.
fn reader_in(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("HOME", root.join("home"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn list_without_paths_opens_the_configured_library_else_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = reader_in(dir.path(), &["list"]);
    assert_eq!(seeds.status.code(), Some(0));
    let seeds = String::from_utf8(seeds.stdout).unwrap();
    assert_eq!(seeds.lines().count(), 2, "{seeds}");

    // A relative path is relative to the config file's folder.
    let news = dir.path().join("config/reader/news");
    std::fs::create_dir_all(&news).unwrap();
    std::fs::copy(BBC, news.join("bbc.md")).unwrap();
    write_config(
        &dir.path().join("config"),
        "[library]\npaths = [\"news\"]\n",
    );
    let out = reader_in(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let listed = String::from_utf8(out.stdout).unwrap();
    let given = reader_in(dir.path(), &["list", BBC]);
    assert_eq!(listed, String::from_utf8(given.stdout).unwrap());
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A bad entry is named with its line; the good ones still open.
    write_config(
        &dir.path().join("config"),
        "# mine\n[library]\npaths = [\"news\", 7]\n",
    );
    let out = reader_in(dir.path(), &["list"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), listed);
    let err = String::from_utf8(out.stderr).unwrap();
    let file = dir.path().join("config/reader/config.toml");
    assert_eq!(
        err,
        format!(
            "reader: warning: {}:3: `library.paths` holds an integer, not a folder in quotes; it is left out\n",
            file.display()
        )
    );
}

#[test]
fn config_prints_the_settings_and_the_files_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_config(
        &root.join("config"),
        "[filters]\nhk = \"香港\"\n[library]\npaths = [\"/srv/archive\"]\n",
    );
    let out = reader_in(root, &["config"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let key = config::library_key(&[std::path::PathBuf::from("/srv/archive")]);
    let r = root.display();
    let want = format!(
        "# Files (outlet rules go in the outlets file, in the format of assets/outlets.toml)\n\
         # config file     {r}/config/reader/config.toml (exists)\n\
         # outlets file    {r}/config/reader/outlets.toml (absent)\n\
         # cache folder    {r}/cache/reader (absent)\n\
         # metadata cache  {r}/cache/reader/libraries/{key}/meta.bin (absent)\n\
         # index folder    {r}/cache/reader/libraries/{key}/index (absent)\n\
         # state db        {r}/data/reader/state.db (absent)\n\
         \n\
         [display]\nlink_numbers = true\n\n[library]\npaths = [\"/srv/archive\"]\n\n[filters]\n\"hk\" = \"香港\"\n\n\
         # [keys]: over the built-in assets/keymap.toml\n# (no changes)\n\n\
         # [theme]: over the built-in assets/theme.toml\n# (no changes)\n"
    );
    assert_eq!(text, want);

    // A bad file: its problems on stderr, exit 1, the defaults shown.
    write_config(&root.join("config"), "[display]\nlink_numbers = 3\n");
    let out = reader_in(root, &["config"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("config.toml:2: "), "{err}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("link_numbers = true\n")
    );
}

#[test]
fn config_names_bad_keys_and_styles_by_line_and_shows_what_applies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = write_config(
        &root.join("config"),
        "[keys.list]\nopen = [\"o\", \"Enter\"]\nopne = [\"x\"]\n\n[theme.color]\ndate = { fg = \"mauve\" }\noutlet = { fg = \"red\" }\n",
    );
    let out = reader_in(root, &["config"]);
    assert_eq!(out.status.code(), Some(1));
    let f = file.display();
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!("reader: warning: {f}:3: unknown action `opne`")),
        "{err}"
    );
    assert_eq!(
        lines[1],
        format!(
            "reader: warning: {f}:6: style `date`: unknown colour `mauve`; it keeps its default"
        )
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with(
            "[keys.list]\nopen = [\"o\", \"Enter\"]\n\n# [theme]: over the built-in assets/theme.toml\n[theme.color]\noutlet = { fg = \"red\" }\n"
        ),
        "{text}"
    );
}
