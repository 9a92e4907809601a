//! `reader completions SHELL` and `reader man`: generated from the same clap definitions as the
//! parser ([`crate::cli::Cli`]), so they never drift from `--help`.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use crate::cli::Cli;

/// Prints the completion script for `shell` to stdout.
pub fn completions(shell: Shell) -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "reader", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page (roff, section 1) to stdout.
pub fn man() -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    out.write_all(&man_page()?)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One page for the whole tool: clap_mangen's sections for `reader`, then each command's synopsis
/// and options as a section of its own (instead of pointers to `reader-list(1)` and so on, which
/// no package ships), then the exit codes (the `--help` epilogue) and the version.
pub fn man_page() -> io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut buf = Vec::new();
        let sub_man = Man::new(sub.clone());
        sub_man.render_synopsis_section(&mut buf)?;
        sub_man.render_options_section(&mut buf)?;
        let text = String::from_utf8_lossy(&buf)
            .replacen(".SH SYNOPSIS\n", "", 1)
            .replacen(".SH OPTIONS\n", ".SS Options\n", 1);
        writeln!(
            page,
            ".SH \"COMMAND: READER {}\"",
            sub.get_name().to_uppercase()
        )?;
        if let Some(about) = sub.get_about() {
            writeln!(page, "{}\n.PP", roff_text(&about.to_string()))?;
        }
        page.extend_from_slice(text.as_bytes());
    }
    let mut extra = Vec::new();
    man.render_extra_section(&mut extra)?;
    // The epilogue is laid out by hand (the exit-code table): keep its lines as written.
    let extra = String::from_utf8_lossy(&extra).replacen(".SH EXTRA\n", ".SH NOTES\n.nf\n", 1);
    page.extend_from_slice(extra.trim_end().as_bytes());
    page.extend_from_slice(b"\n.fi\n");
    man.render_version_section(&mut page)?;
    Ok(only_first_preamble(&page))
}

/// Every clap_mangen section starts with the same two-line quote preamble; one is enough.
fn only_first_preamble(page: &[u8]) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(page);
    match text.split_once(PREAMBLE) {
        Some((before, after)) => format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")),
        None => text.into_owned(),
    }
    .into_bytes()
}

/// Escapes text for a roff line: backslashes and hyphens, and a leading `.` or `'`.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
