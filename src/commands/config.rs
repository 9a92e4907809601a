//! `reader config`: the effective configuration, as TOML one could paste into the config file,
//! after a commented block naming every file and folder the reader uses and whether it exists.
//! The config file's problems go to stderr (exit code 1); the settings shown are then the ones
//! in use, defaults included.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{ConfigArgs, exit};
use crate::config::{self, Settings};

/// Runs `reader config`.
pub fn run(args: &ConfigArgs) -> io::Result<ExitCode> {
    let loaded = super::settings();
    let paths = crate::library::chosen_paths(&args.paths, &loaded.settings);
    // The reader's own checks of [keys] and [theme], so their problems show here too and the
    // printed tables hold only what applies.
    let (_, bad_keys) = crate::tui::keymap::Keymap::with_overrides(&loaded.settings.keys);
    let (_, bad_styles) =
        crate::tui::theme::Theme::with_overrides(&loaded.settings.theme, true, false);
    let mut settings = loaded.settings.clone();
    let path = loaded.path.as_deref().map(shown).unwrap_or_default();
    for o in bad_keys.iter().chain(&bad_styles) {
        match loaded.line_of(&o.table, &o.key) {
            Some(l) => eprintln!("reader: warning: {path}:{l}: {}", o.reason),
            None => eprintln!("reader: warning: {path}: {}", o.reason),
        }
        drop_entry(&mut settings, &o.table, &o.key);
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    write_files(&mut out, &files(&paths))?;
    writeln!(out)?;
    write_settings(&mut out, &settings)?;
    out.flush()?;
    let clean = loaded.problems.is_empty() && bad_keys.is_empty() && bad_styles.is_empty();
    Ok(ExitCode::from(if clean {
        exit::OK
    } else {
        exit::PROBLEMS
    }))
}

/// The files and folders in use, labelled, for the library made of `paths` (none: the seeds,
/// which have no index, cache or state of their own beyond the state db).
pub fn files(paths: &[PathBuf]) -> Vec<(&'static str, Option<PathBuf>)> {
    let library = (!paths.is_empty())
        .then(|| config::cache_dir().map(|c| c.join("libraries").join(config::library_key(paths))))
        .flatten();
    vec![
        ("config file", config::path()),
        ("outlets file", crate::article::outlet::user_file()),
        ("cache folder", config::cache_dir()),
        (
            "metadata cache",
            library.as_ref().map(|l| l.join(crate::cache::FILE_NAME)),
        ),
        ("index folder", library.as_ref().map(|l| l.join("index"))),
        ("state db", config::data_dir().map(|d| d.join("state.db"))),
    ]
}

fn write_files(out: &mut dyn Write, files: &[(&str, Option<PathBuf>)]) -> io::Result<()> {
    writeln!(
        out,
        "# Files (outlet rules go in the outlets file, in the format of assets/outlets.toml)"
    )?;
    for (label, path) in files {
        match path {
            Some(p) => {
                let state = if p.exists() { "exists" } else { "absent" };
                writeln!(out, "# {label:<15} {} ({state})", shown(p))?;
            }
            // Without PATHs (the bundled seeds) there is no per-library index or cache.
            None if config::cache_dir().is_some() => writeln!(
                out,
                "# {label:<15} none (the bundled seeds are not indexed or cached)"
            )?,
            None => writeln!(
                out,
                "# {label:<15} none (neither XDG variable nor HOME is set)"
            )?,
        }
    }
    Ok(())
}

/// `settings` as TOML, every table written out (defaults too), so the output is the whole truth.
pub fn write_settings(out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    writeln!(out, "[display]")?;
    writeln!(out, "link_numbers = {}", settings.display.link_numbers)?;
    writeln!(out)?;
    writeln!(out, "[library]")?;
    if settings.library.is_empty() {
        writeln!(out, "# none: the bundled seeds are opened")?;
    }
    let paths: Vec<String> = settings.library.iter().map(|p| quote(&shown(p))).collect();
    writeln!(out, "paths = [{}]", paths.join(", "))?;
    writeln!(out)?;
    writeln!(out, "[filters]")?;
    for f in &settings.filters {
        writeln!(out, "{} = {}", quote(&f.name), quote(&f.query))?;
    }
    for (name, over) in [("keys", &settings.keys), ("theme", &settings.theme)] {
        writeln!(out)?;
        writeln!(
            out,
            "# [{name}]: over the built-in assets/{}",
            if name == "keys" {
                "keymap.toml"
            } else {
                "theme.toml"
            }
        )?;
        let mut empty = true;
        for (table, entries) in over {
            let Some(entries) = entries.as_table() else {
                continue;
            };
            empty = false;
            writeln!(out, "[{name}.{}]", bare_or_quoted(table))?;
            for (key, value) in entries {
                writeln!(out, "{} = {}", bare_or_quoted(key), value_text(value))?;
            }
        }
        if empty {
            writeln!(out, "# (no changes)")?;
        }
    }
    Ok(())
}

/// Removes `key` of the dotted `table` (`keys.list`) from the overrides, or the whole table
/// when `key` is the table's name one level up.
fn drop_entry(settings: &mut Settings, table: &str, key: &str) {
    let (root, rest) = table.split_once('.').unwrap_or((table, ""));
    let over = match root {
        "keys" => &mut settings.keys,
        "theme" => &mut settings.theme,
        _ => return,
    };
    if rest.is_empty() {
        over.remove(key);
    } else if let Some(t) = over.get_mut(rest).and_then(|t| t.as_table_mut()) {
        t.remove(key);
    }
}

/// A key as TOML: bare when it can be, else quoted.
fn bare_or_quoted(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A value as TOML on one line (tables inline).
fn value_text(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => quote(s),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => format!("{f:?}"),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(list) => {
            let items: Vec<String> = list.iter().map(value_text).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", bare_or_quoted(k), value_text(v)))
                .collect();
            if items.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", items.join(", "))
            }
        }
    }
}

/// A path as text for the terminal (lossy where it is not UTF-8, control characters removed).
fn shown(path: &Path) -> String {
    crate::sanitize::clean_line(&path.to_string_lossy())
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => s.push_str(&format!("\\u{:04X}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_print_as_toml_that_reads_back_the_same() {
        let text = "[library]\npaths = [\"/srv/a \\\"b\\\"\", \"/x\"]\n[filters]\n\"Hong Kong\" = \"香港 \\\"after\\\"\"\nz = \"-a\"\n[display]\nlink_numbers = false\n";
        let path = Path::new("/cfg/reader/config.toml");
        let loaded = config::parse(path, text);
        assert_eq!(loaded.problems, []);
        let mut out = Vec::new();
        write_settings(&mut out, &loaded.settings).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(
            printed,
            "[display]\nlink_numbers = false\n\n[library]\npaths = [\"/srv/a \\\"b\\\"\", \"/x\"]\n\n[filters]\n\"Hong Kong\" = \"香港 \\\"after\\\"\"\n\"z\" = \"-a\"\n\n# [keys]: over the built-in assets/keymap.toml\n# (no changes)\n\n# [theme]: over the built-in assets/theme.toml\n# (no changes)\n"
        );
        assert_eq!(config::parse(path, &printed).settings, loaded.settings);
    }

    #[test]
    fn key_and_theme_overrides_print_and_read_back() {
        let text = "[keys.list]\nopen = [\"o\", \"Enter\"]\n[theme.color]\ndate = { fg = \"red\", mods = [\"bold\"] }\n";
        let path = Path::new("/cfg/reader/config.toml");
        let loaded = config::parse(path, text);
        let mut out = Vec::new();
        write_settings(&mut out, &loaded.settings).unwrap();
        let printed = String::from_utf8(out).unwrap();
        assert!(
            printed.ends_with("# [keys]: over the built-in assets/keymap.toml\n[keys.list]\nopen = [\"o\", \"Enter\"]\n\n# [theme]: over the built-in assets/theme.toml\n[theme.color]\ndate = { fg = \"red\", mods = [\"bold\"] }\n"),
            "{printed}"
        );
        assert_eq!(config::parse(path, &printed).settings, loaded.settings);
    }

    #[test]
    fn defaults_print_too() {
        let mut out = Vec::new();
        write_settings(&mut out, &Settings::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[display]\nlink_numbers = true\n\n[library]\n# none: the bundled seeds are opened\npaths = []\n\n[filters]\n\n# [keys]: over the built-in assets/keymap.toml\n# (no changes)\n\n# [theme]: over the built-in assets/theme.toml\n# (no changes)\n"
        );
    }
}
