//! `reader check`: loads everything and reports every problem, one per line on stderr as
//! `reader: PATH: reason` (warnings as `reader: PATH: warning: reason`), then a summary on
//! stdout. Exits 1 when there is any problem, warnings included.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::{CheckArgs, exit};
use crate::library::{Library, Severity};

/// Runs `reader check`.
pub fn run(args: &CheckArgs) -> io::Result<ExitCode> {
    let library = super::load_quietly(&args.paths);
    super::report_problems(&library);
    for problem in crate::article::outlet::config_problems() {
        eprintln!("reader: {problem}");
    }
    let mut out = io::stdout().lock();
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
