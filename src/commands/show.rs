//! `reader show`: one article as text, wrapped like the reader shows it: title, a byline
//! (outlet · author · publication time), the body, the Links section.
//!
//! Width: `--width`, else the terminal's width when stdout is a terminal, else 80; at least
//! [`super::MIN_WIDTH`] (a narrower `--width` is raised with a message). Styles are
//! written as ANSI SGR only when colour is enabled for stdout (`--color`, NO_COLOR). Links become
//! OSC 8 hyperlinks only when, in addition, stdout is a terminal that is not known to print OSC
//! sequences as garbage: not when `TERM` is unset, `dumb` or the Linux console (`linux*`); set
//! `READER_HYPERLINKS=0` to turn them off anywhere.
//!
//! The body is cleaned of page furniture (see [`crate::render::clean`]), with the furniture
//! learned from the library: the PATHs given, or for a file given alone, the reports beside it
//! in its folder. `--no-clean` shows everything.

use std::io::{self, Write as _};
use std::process::ExitCode;

use crate::cli::{ColorChoice, ShowArgs};
use crate::render::ansi::{self, AnsiOptions};
use crate::render::clean::Cleaner;
use crate::render::{RenderOptions, layout_article_owned, prepare_with};

/// Runs `reader show`.
pub fn run(args: &ShowArgs, color: ColorChoice, io: &mut super::Io) -> io::Result<ExitCode> {
    let (article, library) = super::resolve_article_in(&args.article, &args.paths, io)?;
    for warning in &article.warnings {
        writeln!(
            io.err,
            "reader: {}: warning: {}",
            crate::sanitize::clean_line(&article.path().display().to_string()),
            crate::sanitize::clean_line(warning)
        )?;
    }
    let mut body = article
        .load_body()
        .map_err(|e| io::Error::other(e.to_string()))?;

    let is_terminal = io.terminal.is_some();
    let width = match args.width {
        Some(w) => super::clamp_width(w, io.err),
        None => io.width().unwrap_or(80).max(super::MIN_WIDTH),
    };
    let styles = color.enabled(is_terminal);
    let term = io.terminal.as_ref().and_then(|t| t.term.clone());
    let options = AnsiOptions {
        styles,
        hyperlinks: styles && is_terminal && hyperlinks_supported(term.as_deref()),
    };
    let config = super::settings();
    let render_options = RenderOptions {
        byline: true,
        hide_link_numbers: args.no_link_numbers || !config.settings.display.link_numbers,
        ..RenderOptions::new(styles)
    };
    let cleaner = if args.no_clean {
        Cleaner {
            base: article.url.clone(),
            ..Cleaner::off()
        }
    } else {
        Cleaner::for_article(&article, Some(library.learned_furniture(&article)))
    };
    drop(library);
    // Each stage's input goes once the next has what it needs: a huge report's body, its
    // prepared blocks and its output text are never all held at once. Only the HTML is needed
    // from the body: its image and link lists (a copy of every URL) go before the page is
    // parsed again.
    let html = std::mem::take(&mut body.html);
    drop(body);
    let doc = prepare_with(&html, &cleaner);
    drop(html);
    let rendered = layout_article_owned(&article, doc, width, &render_options);
    let mut out = io::BufWriter::new(&mut *io.out);
    ansi::write_text(&rendered, options, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Whether the terminal (of `TERM` `term`) can be trusted with OSC 8 (see the module docs).
fn hyperlinks_supported(term: Option<&str>) -> bool {
    hyperlinks_allowed(term, std::env::var("READER_HYPERLINKS").ok().as_deref())
}

fn hyperlinks_allowed(term: Option<&str>, opt_out: Option<&str>) -> bool {
    if matches!(opt_out, Some("0" | "no" | "off" | "false")) {
        return false;
    }
    match term {
        None | Some("") | Some("dumb") => false,
        Some(t) => !t.starts_with("linux"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlinks_only_on_capable_terminals() {
        assert!(hyperlinks_allowed(Some("xterm-256color"), None));
        assert!(!hyperlinks_allowed(Some("dumb"), None));
        assert!(!hyperlinks_allowed(Some("linux"), None));
        assert!(!hyperlinks_allowed(None, None));
        assert!(!hyperlinks_allowed(Some("xterm"), Some("0")));
    }
}
