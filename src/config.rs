//! The user's settings: `$XDG_CONFIG_HOME/reader/config.toml`, else
//! `~/.config/reader/config.toml`. Every setting has a default, so the file is optional and may
//! hold only what the user changes:
//!
//! ```toml
//! [display]
//! link_numbers = false   # leave the [n] after links out of the text (Links keeps them)
//!
//! [library]
//! paths = ["~/news", "archive"]  # what `reader` opens with no PATH (relative: to this folder)
//!
//! [filters]              # saved searches, shown as virtual folders (in this order)
//! "Hong Kong" = "香港 after:2020-01-01"
//! climate = "outlet:dw climate"
//! ```
//!
//! A key the reader does not know is a warning (a typo should not pass in silence, nor stop the
//! reader); a file that does not parse, or a value of the wrong type, is a problem naming the
//! file, the line and the reason, and then every default is used.
//!
//! Extra outlet rules live in their own file beside this one, `outlets.toml`, in the format of
//! the built-in `assets/outlets.toml` (see [`crate::article::outlet`]); `reader config` names it.
//!
//! To add a setting: a field with `#[serde(default)]` semantics in [`Settings`] or one of its
//! tables, its default in the `Default` impl, and its key in [`KNOWN`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything the file can set.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `[display]`: how bodies are shown.
    pub display: Display,
    /// `[filters]`: saved searches, in the order the file gives them.
    #[serde(skip)]
    pub filters: Vec<SavedFilter>,
    /// `[library] paths`: the archive folders opened when no PATH is given, `~` expanded and
    /// relative ones resolved against the config file's folder. Empty: the bundled seeds.
    #[serde(skip)]
    pub library: Vec<PathBuf>,
    /// `[keys]`: per layer, `action = [keys]` over `assets/keymap.toml`; checked by the reader
    /// (`tui::keymap::Keymap::with_overrides`), which names bad entries with
    /// [`Loaded::line_of`].
    #[serde(skip)]
    pub keys: toml::Table,
    /// `[theme]`: `[theme.color]` / `[theme.mono]` styles over `assets/theme.toml`; checked by
    /// the reader (`tui::theme::Theme::with_overrides`).
    #[serde(skip)]
    pub theme: toml::Table,
}

/// One saved search from `[filters]`: `name = "query"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFilter {
    /// The name shown for it (the key, as written).
    pub name: String,
    /// The query, in the search language (`outlet:`, `after:`, words, "phrases"…).
    pub query: String,
}

/// The `[display]` table.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Display {
    /// Show the `[n]` after each link in the text (the Links section numbers them either way).
    pub link_numbers: bool,
}

impl Default for Display {
    fn default() -> Display {
        Display { link_numbers: true }
    }
}

/// The tables and keys the reader knows, for the unknown-key warnings ("" is the top level).
const KNOWN: &[(&str, &[&str])] = &[
    ("", &["display", "filters", "keys", "library", "theme"]),
    ("display", &["link_numbers"]),
    ("library", &["paths"]),
];

/// Tables whose keys are the user's own names, checked by their own readers, not [`KNOWN`].
const FREE_TABLES: &[&str] = &["filters", "keys", "theme"];

/// The settings in use and what was wrong with the file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// The settings (the defaults where the file is silent or bad).
    pub settings: Settings,
    /// The file read, if any.
    pub path: Option<PathBuf>,
    /// What was wrong with it.
    pub problems: Vec<Problem>,
    /// The file's text, to find the line of a setting found bad later.
    text: String,
}

/// One thing wrong with the config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// Why, ending in what the reader does about it.
    pub reason: String,
}

impl Loaded {
    /// The line where `key` of the dotted `table` is set (`keys.list`, `open`), if it can be
    /// found; an empty `key` means the table's own header.
    pub fn line_of(&self, table: &str, key: &str) -> Option<usize> {
        if key.is_empty() {
            let (parent, last) = table.rsplit_once('.').unwrap_or(("", table));
            return key_line(&self.text, parent, last);
        }
        key_line(&self.text, table, key)
    }

    /// Each problem as `PATH:LINE: reason`, safe for the terminal.
    pub fn messages(&self) -> Vec<String> {
        let path = self
            .path
            .as_deref()
            .map(|p| crate::sanitize::clean_line(&p.display().to_string()))
            .unwrap_or_default();
        self.problems
            .iter()
            .map(|p| match p.line {
                Some(l) => format!("{path}:{l}: {}", p.reason),
                None => format!("{path}: {}", p.reason),
            })
            .collect()
    }
}

/// The user's folder for reader's files: `$XDG_CONFIG_HOME/reader`, else
/// `$HOME/.config/reader`; `None` when neither variable is set.
pub fn dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// Where reader keeps what it can rebuild (search index, metadata cache):
/// `$XDG_CACHE_HOME/reader`, else `$HOME/.cache/reader`.
pub fn cache_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CACHE_HOME", ".cache")
}

/// Where reader keeps what it cannot rebuild (read state): `$XDG_DATA_HOME/reader`, else
/// `$HOME/.local/share/reader`.
pub fn data_dir() -> Option<PathBuf> {
    xdg_dir("XDG_DATA_HOME", ".local/share")
}

/// `$VAR/reader`, else `$HOME/FALLBACK/reader`. The base directory spec says a relative value
/// is invalid and must be ignored.
fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|v| v.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(fallback))
        })?;
    Some(base.join("reader"))
}

/// A stable name for the library made of `paths` (canonical where they exist, sorted), so each
/// set of archive folders gets its own index and cache folder. FNV-1a, not `DefaultHasher`,
/// whose output may change between Rust releases.
pub fn library_key(paths: &[PathBuf]) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut names: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    names.sort();
    names.dedup();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for name in &names {
        for &byte in name.as_os_str().as_bytes().iter().chain([0u8].iter()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Where the config file is: `config.toml` in [`dir`].
pub fn path() -> Option<PathBuf> {
    dir().map(|d| d.join("config.toml"))
}

/// Reads the user's config file (see [`path`]); no file means the defaults.
pub fn load() -> Loaded {
    match path() {
        Some(p) => load_from(&p),
        None => Loaded::default(),
    }
}

/// Reads the config file at `path`; a missing file means the defaults.
pub fn load_from(path: &Path) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse(path, &text),
            Err(_) => bad(path, None, "not UTF-8 text"),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
            bad(path, None, "a directory, not a file")
        }
        Err(e) => bad(path, None, &e.to_string()),
    }
}

/// The settings in `text`, read from `path` (named in messages).
pub fn parse(path: &Path, text: &str) -> Loaded {
    let mut settings = match toml::from_str::<Settings>(text) {
        Ok(s) => s,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            return bad(path, line, e.message().trim());
        }
    };
    let mut problems = Vec::new();
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        unknown_keys(&table, "", text, &mut |key, line| {
            problems.push(Problem {
                line,
                reason: format!(
                    "unknown setting `{}`; it is ignored",
                    crate::sanitize::clean_line(key)
                ),
            });
        });
        settings.filters = filters(&table, text, &mut problems);
        settings.library = library_paths(&table, path, text, &mut problems);
        for name in ["keys", "theme"] {
            match table.get(name) {
                None => {}
                Some(toml::Value::Table(t)) => {
                    *(if name == "keys" {
                        &mut settings.keys
                    } else {
                        &mut settings.theme
                    }) = t.clone();
                }
                Some(other) => problems.push(Problem {
                    line: key_line(text, "", name),
                    reason: format!(
                        "`{name}` should be a table (`[{name}.…]`), not {}; it is ignored",
                        a_type(other)
                    ),
                }),
            }
        }
    }
    Loaded {
        settings,
        path: Some(path.to_path_buf()),
        problems,
        text: text.to_string(),
    }
}

/// The `[filters]` table: each `name = "query"` in file order; an entry that is not a
/// non-empty string is a problem and left out.
fn filters(table: &toml::Table, text: &str, problems: &mut Vec<Problem>) -> Vec<SavedFilter> {
    let Some(value) = table.get("filters") else {
        return Vec::new();
    };
    let toml::Value::Table(entries) = value else {
        problems.push(Problem {
            line: key_line(text, "", "filters"),
            reason: format!(
                "`filters` should be a table of name = \"query\", not {}; no saved filters",
                value.type_str()
            ),
        });
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, query) in entries {
        let shown = crate::sanitize::clean_line(name);
        let line = key_line(text, "filters", name);
        let reason = match query {
            toml::Value::String(q) if !q.trim().is_empty() && !name.trim().is_empty() => {
                out.push(SavedFilter {
                    name: name.clone(),
                    query: q.clone(),
                });
                continue;
            }
            toml::Value::String(_) if name.trim().is_empty() => {
                "a saved filter needs a name; it is ignored".to_string()
            }
            toml::Value::String(_) => {
                format!("saved filter `{shown}` has an empty query; it is ignored")
            }
            other => format!(
                "saved filter `{shown}` should be a query in quotes, not {}; it is ignored",
                other.type_str()
            ),
        };
        problems.push(Problem { line, reason });
    }
    out
}

/// `[library] paths`: each entry `~`-expanded and made absolute against `config`'s folder; an
/// entry that is not a string is a problem and left out.
fn library_paths(
    table: &toml::Table,
    config: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<PathBuf> {
    let Some(library) = table.get("library") else {
        return Vec::new();
    };
    let line = key_line(text, "library", "paths").or_else(|| key_line(text, "", "library"));
    let list = match library {
        toml::Value::Table(t) => match t.get("paths") {
            None => return Vec::new(),
            Some(toml::Value::Array(list)) => list,
            Some(other) => {
                problems.push(Problem {
                    line,
                    reason: format!(
                        "`library.paths` should be a list of folders in quotes, not {}; the bundled seeds are opened",
                        other.type_str()
                    ),
                });
                return Vec::new();
            }
        },
        other => {
            problems.push(Problem {
                line,
                reason: format!(
                    "`library` should be a table (`[library]` with `paths = [...]`), not {}; it is ignored",
                    other.type_str()
                ),
            });
            return Vec::new();
        }
    };
    let base = config.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for entry in list {
        match entry {
            toml::Value::String(p) if !p.is_empty() => out.push(resolve_path(p, base)),
            other => problems.push(Problem {
                line,
                reason: format!(
                    "`library.paths` holds {}, not a folder in quotes; it is left out",
                    match other {
                        toml::Value::String(_) => "an empty string".to_string(),
                        v => a_type(v),
                    }
                ),
            }),
        }
    }
    out
}

/// "an integer", "a table": a value's type with its article.
fn a_type(v: &toml::Value) -> String {
    let t = v.type_str();
    let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {t}")
}

/// `~` and `~/…` expanded with `$HOME`; a relative path joined to `base`.
fn resolve_path(text: &str, base: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    let expanded = match (text.strip_prefix('~'), home) {
        (Some(""), Some(h)) => PathBuf::from(h),
        (Some(rest), Some(h)) if rest.starts_with('/') => {
            PathBuf::from(h).join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(text),
    };
    if expanded.is_absolute() {
        expanded
    } else {
        base.join(expanded)
    }
}

fn bad(path: &Path, line: Option<usize>, reason: &str) -> Loaded {
    Loaded {
        settings: Settings::default(),
        path: Some(path.to_path_buf()),
        problems: vec![Problem {
            line,
            reason: format!(
                "{}; the default settings are used",
                crate::sanitize::clean_line(reason)
            ),
        }],
        text: String::new(),
    }
}

/// The 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Calls `found` with the dotted name and line of each key of `table` (named `prefix`) that no
/// setting has.
fn unknown_keys(
    table: &toml::Table,
    prefix: &str,
    text: &str,
    found: &mut dyn FnMut(&str, Option<usize>),
) {
    let known = KNOWN.iter().find(|(t, _)| *t == prefix).map(|(_, k)| *k);
    for (key, value) in table {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match known {
            Some(keys) if keys.contains(&key.as_str()) => {
                if FREE_TABLES.contains(&name.as_str()) {
                    continue;
                }
                if let toml::Value::Table(inner) = value {
                    unknown_keys(inner, &name, text, found);
                }
            }
            _ => found(&name, key_line(text, prefix, key)),
        }
    }
}

/// The line where `key` is set in table `table` (a plain scan: `[table]` headers, `key =`).
fn key_line(text: &str, table: &str, key: &str) -> Option<usize> {
    let want = if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    };
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[').and_then(|h| h.split(']').next()) {
            current = h.trim().trim_matches(['[', ']']).to_string();
            if current == want {
                return Some(i + 1);
            }
            continue;
        }
        let Some((k, _)) = t.split_once('=') else {
            continue;
        };
        let k = k.trim().trim_matches(['"', '\'']);
        let full = if current.is_empty() {
            k.to_string()
        } else {
            format!("{current}.{k}")
        };
        if full == want || (current.is_empty() && k == want) {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("/cfg/reader/config.toml")
    }

    #[test]
    fn library_key_ignores_order_and_repeats_but_not_paths() {
        let a = PathBuf::from("/no/such/archive-a");
        let b = PathBuf::from("/no/such/archive-b");
        let ab = library_key(&[a.clone(), b.clone()]);
        assert_eq!(ab, library_key(&[b.clone(), a.clone(), a.clone()]));
        assert_ne!(ab, library_key(std::slice::from_ref(&a)));
        assert_ne!(library_key(&[a]), library_key(&[b]));
        assert_eq!(ab.len(), 16);
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load_from(&dir.path().join("reader/config.toml"));
        assert_eq!(loaded, Loaded::default());
        assert!(loaded.messages().is_empty());
        assert!(loaded.settings.display.link_numbers);
    }

    #[test]
    fn display_link_numbers() {
        let l = parse(p(), "[display]\nlink_numbers = false\n");
        assert_eq!(l.problems, []);
        assert!(!l.settings.display.link_numbers);
        let l = parse(p(), "display.link_numbers = true\n");
        assert!(l.settings.display.link_numbers);
        assert!(l.problems.is_empty());
        // An empty file, or an empty table: defaults.
        assert_eq!(parse(p(), "").settings, Settings::default());
        assert_eq!(parse(p(), "[display]\n").settings, Settings::default());
    }

    #[test]
    fn unknown_keys_are_warnings_and_the_rest_applies() {
        let l = parse(
            p(),
            "# mine\ncolour = 1\n\n[display]\nlink_numbers = false\nlink_numbrs = true\n[key]\nq = \"quit\"\n",
        );
        assert!(!l.settings.display.link_numbers);
        assert_eq!(
            l.messages(),
            [
                "/cfg/reader/config.toml:2: unknown setting `colour`; it is ignored",
                "/cfg/reader/config.toml:6: unknown setting `display.link_numbrs`; it is ignored",
                "/cfg/reader/config.toml:7: unknown setting `key`; it is ignored",
            ]
        );
    }

    #[test]
    fn a_bad_file_names_file_line_and_reason_and_uses_the_defaults() {
        let l = parse(p(), "[display]\nlink_numbers = \"no\"\n");
        assert!(l.settings.display.link_numbers);
        assert_eq!(l.problems.len(), 1);
        let m = &l.messages()[0];
        assert!(m.starts_with("/cfg/reader/config.toml:2: "), "{m}");
        assert!(m.contains("boolean"), "{m}");
        assert!(m.ends_with("; the default settings are used"), "{m}");

        let l = parse(p(), "[display\nlink_numbers = false\n");
        assert!(l.settings.display.link_numbers);
        assert!(
            l.messages()[0].starts_with("/cfg/reader/config.toml:1: "),
            "{:?}",
            l.problems
        );
        // A display that is not a table.
        let l = parse(p(), "display = 3\n");
        assert!(l.messages()[0].starts_with("/cfg/reader/config.toml:1: "));
    }

    #[test]
    fn saved_filters_in_file_order() {
        let l = parse(
            p(),
            "[display]\nlink_numbers = false\n\n[filters]\nzeta = \"outlet:dw\"\n\"Hong Kong\" = '香港 after:2020-01-01'\nalpha = \"-sport climate\"\n",
        );
        assert_eq!(l.problems, []);
        assert!(!l.settings.display.link_numbers);
        let got: Vec<(&str, &str)> = l
            .settings
            .filters
            .iter()
            .map(|f| (f.name.as_str(), f.query.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("zeta", "outlet:dw"),
                ("Hong Kong", "香港 after:2020-01-01"),
                ("alpha", "-sport climate"),
            ]
        );
        // Dotted keys at the top level are the same table.
        let l = parse(p(), "filters.mine = \"is:starred\"\n");
        assert_eq!(
            l.settings.filters,
            [SavedFilter {
                name: "mine".into(),
                query: "is:starred".into()
            }]
        );
        assert_eq!(parse(p(), "").settings.filters, []);
    }

    #[test]
    fn bad_saved_filters_are_named_and_the_rest_kept() {
        let l = parse(
            p(),
            "[filters]\ngood = \"climate\"\nnumber = 3\nempty = \"  \"\n[filters.nested]\nx = \"y\"\n",
        );
        assert_eq!(
            l.settings.filters,
            [SavedFilter {
                name: "good".into(),
                query: "climate".into()
            }]
        );
        assert_eq!(
            l.messages(),
            [
                "/cfg/reader/config.toml:3: saved filter `number` should be a query in quotes, not integer; it is ignored",
                "/cfg/reader/config.toml:4: saved filter `empty` has an empty query; it is ignored",
                "/cfg/reader/config.toml:5: saved filter `nested` should be a query in quotes, not table; it is ignored",
            ]
        );
        let l = parse(p(), "\nfilters = \"climate\"\n");
        assert_eq!(l.settings.filters, []);
        assert_eq!(
            l.messages(),
            [
                "/cfg/reader/config.toml:2: `filters` should be a table of name = \"query\", not string; no saved filters"
            ]
        );
    }

    #[test]
    fn library_paths_expand_home_and_resolve_against_the_config_folder() {
        let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
        let l = parse(
            p(),
            "[library]\npaths = [\"/srv/archive\", \"news\", \"../shared/x\", \"~/saved\"]\n",
        );
        assert_eq!(l.problems, []);
        let mut want = vec![
            PathBuf::from("/srv/archive"),
            PathBuf::from("/cfg/reader/news"),
            PathBuf::from("/cfg/reader/../shared/x"),
        ];
        want.push(match home {
            Some(h) => PathBuf::from(h).join("saved"),
            None => PathBuf::from("/cfg/reader/~/saved"),
        });
        assert_eq!(l.settings.library, want);
        assert_eq!(
            parse(p(), "[library]\n").settings.library,
            Vec::<PathBuf>::new()
        );
        assert_eq!(parse(p(), "").settings.library, Vec::<PathBuf>::new());
    }

    #[test]
    fn bad_library_entries_are_named() {
        let l = parse(p(), "[display]\n\n[library]\npaths = [\"/a\", 3, \"\"]\n");
        assert_eq!(l.settings.library, [PathBuf::from("/a")]);
        assert_eq!(
            l.messages(),
            [
                "/cfg/reader/config.toml:4: `library.paths` holds an integer, not a folder in quotes; it is left out",
                "/cfg/reader/config.toml:4: `library.paths` holds an empty string, not a folder in quotes; it is left out",
            ]
        );
        let l = parse(p(), "[library]\npaths = \"/a\"\n");
        assert_eq!(l.settings.library, Vec::<PathBuf>::new());
        assert_eq!(
            l.messages(),
            [
                "/cfg/reader/config.toml:2: `library.paths` should be a list of folders in quotes, not string; the bundled seeds are opened"
            ]
        );
        let l = parse(p(), "[library]\npath = [\"/a\"]\n");
        assert_eq!(
            l.messages(),
            ["/cfg/reader/config.toml:2: unknown setting `library.path`; it is ignored"]
        );
    }

    #[test]
    fn unreadable_files() {
        let dir = tempfile::tempdir().unwrap();
        let l = load_from(dir.path());
        assert!(
            l.problems[0].reason.contains("a directory"),
            "{:?}",
            l.problems
        );
        let f = dir.path().join("config.toml");
        std::fs::write(&f, b"[display]\nlink_numbers = \xff\n").unwrap();
        let l = load_from(&f);
        assert!(
            l.problems[0].reason.contains("not UTF-8"),
            "{:?}",
            l.problems
        );
        assert!(l.settings.display.link_numbers);
    }
}
