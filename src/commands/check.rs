//! `reader check`: loads everything and reports every problem, one per line on stderr as
//! `reader: PATH: reason` (warnings as `reader: PATH: warning: reason`), then a summary on
//! stdout. Exits 1 when there is any problem, warnings included.
//!
//! `reader check --furniture` lists instead the furniture learned per outlet: each recurring
//! line with the number of reports that hold it.

use std::io;
use std::process::ExitCode;

use crate::cli::{CheckArgs, exit};
use crate::library::{Library, Severity};

/// Runs `reader check`.
pub fn run(args: &CheckArgs, io: &mut super::Io) -> io::Result<ExitCode> {
    let library = super::load_quietly(&args.paths);
    if args.furniture {
        io.out.write_all(furniture(&library).as_bytes())?;
        return Ok(ExitCode::from(exit::OK));
    }
    super::report_problems(&library, io.err);
    for problem in crate::article::outlet::config_problems() {
        writeln!(io.err, "reader: {problem}")?;
    }
    let out = &mut *io.out;
    for a in library
        .articles
        .iter()
        .filter(|a| !a.meta.copies.is_empty())
    {
        let shown: Vec<String> = a.paths().map(crate::article::shown_path).collect();
        writeln!(
            out,
            "same report in {} files: {}",
            shown.len(),
            shown.join(", ")
        )?;
    }
    writeln!(out, "{}", summary(&library))?;
    Ok(ExitCode::from(if library.problems.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }))
}

/// `2 loaded, 1 failed, 3 warnings` (what `check` prints to stdout).
pub fn summary(library: &Library) -> String {
    let errors = library
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = library.problems.len() - errors;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} loaded, {} did not load, {}",
        library.articles.len(),
        errors,
        plural(warnings, "warning", "warnings")
    )
}

/// The learned furniture per outlet, as `reader check --furniture` prints it:
///
/// ```text
/// 法广 · 538 reports · 2 furniture lines
///   187  © 2020 AFP
///    94  获取更多RSS：
/// ```
///
/// Lines marked `*` recur in several outlets (furniture everywhere). The text of each line is
/// read back from the first reports that hold it.
pub fn furniture(library: &Library) -> String {
    use std::collections::HashMap;
    let learned = library.furniture.learned();
    let mut names: Vec<&String> = learned.outlets.keys().collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let (reports, keys) = &learned.outlets[name];
        let mut shared: Vec<u64> = Vec::new();
        let keys: Vec<(u64, u32)> = keys.clone();
        // Shared keys this outlet holds but not often enough on its own: listed too.
        for a in library
            .articles
            .iter()
            .filter(|a| a.outlet.as_deref() == Some(name))
        {
            for k in a.furniture_keys.iter() {
                if learned.shared.contains(k)
                    && !keys.iter().any(|(x, _)| x == k)
                    && !shared.contains(k)
                {
                    shared.push(*k);
                }
            }
        }
        let total = keys.len() + shared.len();
        out.push_str(&format!(
            "{} \u{b7} {reports} report{} \u{b7} {total} furniture line{}\n",
            crate::sanitize::clean_line(name),
            if *reports == 1 { "" } else { "s" },
            if total == 1 { "" } else { "s" },
        ));
        let mut texts: HashMap<u64, String> = HashMap::new();
        let wanted = |k: &u64| keys.iter().any(|(x, _)| x == k) || shared.contains(k);
        for a in library
            .articles
            .iter()
            .filter(|a| a.outlet.as_deref() == Some(name))
        {
            if texts.len() == total {
                break;
            }
            if !a
                .furniture_keys
                .iter()
                .any(|k| wanted(k) && !texts.contains_key(k))
            {
                continue;
            }
            let Ok(bytes) = a.origin.bytes() else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let Some(body) = text.get(a.body_range.clone()) else {
                continue;
            };
            for (k, line) in crate::render::clean::edge_lines(body) {
                if wanted(&k) {
                    texts.entry(k).or_insert(line);
                }
            }
        }
        let count = |k: &u64| {
            library
                .articles
                .iter()
                .filter(|a| a.outlet.as_deref() == Some(name) && a.furniture_keys.contains(k))
                .count()
        };
        let mut rows: Vec<(usize, u64, bool)> = keys
            .iter()
            .map(|(k, n)| (*n as usize, *k, learned.shared.contains(k)))
            .collect();
        rows.extend(shared.iter().map(|k| (count(k), *k, true)));
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (n, k, is_shared) in rows {
            let text = texts.get(&k).map_or("(text not found)", |t| t.as_str());
            out.push_str(&format!(
                "  {n:>5}{} {}\n",
                if is_shared { "*" } else { " " },
                crate::sanitize::clean_line(text)
            ));
        }
    }
    if out.is_empty() {
        out.push_str("no furniture learned (an outlet needs 3 or more reports)\n");
    }
    out
}
