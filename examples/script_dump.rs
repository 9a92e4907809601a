//! Dumps the Chinese script conversions of every title and body under the given folders, to check
//! a change of converter: run it before and after, then diff the two dumps
//! (`scripts/script_diff.py`).
//!
//! `cargo run --release --example script_dump -- seeds /path/to/archive > dump.tsv`
//!
//! One line per article, field and conversion: `PATH\tFIELD\tMODE\tTEXT`, with FIELD `title` or
//! `body` (the body HTML, whose tags pass through unchanged), MODE `simplified`/`traditional` (the
//! comparison's character-aligned display conversion) or `search` (the search key), and new lines
//! in TEXT written as `\n`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use reader::compare::script::{self, Script};
use reader::library::Library;
use reader::tui::search;

fn main() -> io::Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let library = Library::load(&paths);
    let mut articles: Vec<_> = library.articles.iter().collect();
    articles.sort_by(|a, b| a.path().cmp(b.path()));
    let mut out = BufWriter::new(io::stdout().lock());
    for article in articles {
        let body = match article.load_body() {
            Ok(b) => b.html,
            Err(e) => {
                eprintln!("{e}");
                continue;
            }
        };
        let path = article.path().display();
        for (field, text) in [("title", article.title.as_str()), ("body", body.as_str())] {
            for (mode, converted) in [
                (
                    "simplified",
                    script::convert(text, Script::Simplified).into_owned(),
                ),
                (
                    "traditional",
                    script::convert(text, Script::Traditional).into_owned(),
                ),
                ("search", search::normalize(text)),
            ] {
                let one_line = converted.replace('\\', "\\\\").replace('\n', "\\n");
                writeln!(out, "{path}\t{field}\t{mode}\t{one_line}")?;
            }
        }
    }
    out.flush()
}
