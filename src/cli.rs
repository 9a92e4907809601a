//! Command-line arguments: one definition drives parsing and `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit codes, documented in `--help` and the README.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// `check` found a problem, or a command met files it could not load.
    pub const PROBLEMS: u8 = 1;
    /// Usage error, nothing to show, or the TUI was started without a terminal.
    pub const USAGE: u8 = 2;
}

const AFTER_HELP: &str = "\
With no command, opens the full-screen reader on PATHs (files or folders, read recursively);
with no PATH, on the config file's [library] paths, else on the bundled seeds (so do the
commands below). `reader config` shows the configuration and the files in use.

Only regular files are read (FIFOs, devices and sockets are refused with a message), each of
at most the size cap: --max-size, else READER_MAX_SIZE (same syntax), else 64M.

ARTICLE (for show and compare) is a file path, or a 1-based index into `reader list` of the
same PATHs (or of the bundled seeds).

Exit codes:
  0  success
  1  `check` found problems, or `list` met files it could not load (every problem is
     printed to stderr as `reader: PATH: reason`; what did load is still listed), or
     `search` found no report
  2  usage error, no such article, nothing to show, a malformed search query, or the reader
     was started without a terminal";

/// reader: read saved news reports in the terminal and compare two reports of one story.
#[derive(Debug, Parser)]
#[command(name = "reader", version, about, after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; the full-screen reader when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files or folders to open in the reader (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Options of the full-screen reader.
    #[command(flatten)]
    pub tui: TuiArgs,
    /// Refuse report files larger than SIZE (e.g. 64M, 512K, 1G; default 64M, or the
    /// READER_MAX_SIZE environment variable).
    #[arg(long, value_name = "SIZE", global = true, value_parser = parse_max_size)]
    pub max_size: Option<u64>,
}

fn parse_max_size(text: &str) -> Result<u64, String> {
    crate::article::parse_size(text)
}

/// Options of the full-screen reader.
#[derive(Debug, Args, Clone, Default)]
pub struct TuiArgs {
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Draw borders with ASCII characters only.
    #[arg(long)]
    pub ascii: bool,
    /// Turn on mouse wheel scrolling and click-to-select (breaks text selection over SSH).
    #[arg(long)]
    pub mouse: bool,
}

/// The plain commands, for pipes and scripts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article (published date, outlet, title), newest first.
    List(ListArgs),
    /// Print an article's body as text.
    Show(ShowArgs),
    /// Report every problem in the given files, with file and reason.
    Check(CheckArgs),
    /// Print two articles side by side, aligned paragraph by paragraph.
    Compare(CompareArgs),
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell.
    Completions(CompletionsArgs),
    /// Print the man page (roff, section 1).
    Man,
    /// Group the articles into stories (one event across outlets and scripts), newest first.
    Stories(StoriesArgs),
    /// Serve the reader over SSH to the keys of an authorized_keys file (no shell accounts).
    Serve(ServeArgs),
    /// Full-text search, best hits first (see `reader search --help` for the query language).
    Search(SearchArgs),
    /// Print the effective configuration (as TOML) and every file the reader uses.
    Config(ConfigArgs),
}

/// `reader serve`.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Files or folders to serve (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// The address and port to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: String,
    /// OpenSSH authorized_keys file: the public keys allowed in (options before a key are
    /// accepted and ignored).
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: PathBuf,
    /// The server's ed25519 host key, created (mode 0600) when missing (default:
    /// `$XDG_DATA_HOME/reader/ssh_host_ed25519_key`).
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Most sessions at once; more are refused with a message.
    #[arg(long, default_value_t = 64)]
    pub max_sessions: usize,
    /// Most new connections per source address per minute.
    #[arg(long, default_value_t = 30)]
    pub max_connections_per_minute: usize,
    /// Most authentication attempts per connection.
    #[arg(long, default_value_t = 6)]
    pub max_auth_attempts: usize,
    /// A session without input for this many seconds is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    pub idle_timeout: u64,
}

const SEARCH_HELP: &str = "\
Query language (the same as `/` in the reader):
  kerry 气候              every word must occur (title, body, author or outlet)
  \"climate envoy\"         the words together, in this order
  -opinion -\"op ed\"       must not occur
  outlet:bbc              the outlet by any of its names, either script (outlet:德國之聲)
  author:洪沙 tag:气候     the byline contains it; a tag equals it
  on:2020-07-09           published that day; also on:2020-07, on:2020年7月, on:2020
  after:7月1日             on that day or later (inclusive)
  before:\"9 July 2020\"    on that day or earlier (inclusive)
  is:unread is:starred    read state (also is:read, is:unstarred)
Traditional and Simplified Chinese match each other; case is ignored. Dates: 2020-07-09,
2020/7/9, 20200709, 7月9日, 2020年7月9日, 9 July 2020, July 9, today, yesterday; without a
year, the most recent such day. Days are UTC days (a date printed without a time: that day).

The index lives in $XDG_CACHE_HOME/reader/libraries/KEY/index and is updated by file size and
mtime before each search. Exit codes: 0 hits, 1 no hits, 2 a malformed query (the reason on
stderr) or another usage error.";

/// `reader search`.
#[derive(Debug, Args)]
#[command(after_help = SEARCH_HELP)]
pub struct SearchArgs {
    /// The query, e.g. `克里 outlet:dw after:2020-07-01` (quote it for the shell).
    pub query: String,
    /// Files or folders (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Print a JSON array of `{path, title, outlet, published, url, score, snippet}`.
    #[arg(long)]
    pub json: bool,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `reader config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The library whose index and cache folders to show (default: the configured one).
    pub paths: Vec<PathBuf>,
}

/// `reader completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `reader stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Files or folders (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Print a JSON array of stories instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show only stories reported by at least this many outlets (JSON too; default 1: all).
    #[arg(long, default_value_t = 1)]
    pub min_outlets: usize,
}

/// `reader list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Files or folders (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Print a JSON array instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// `reader show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A file path, or a 1-based index into `reader list PATH...`.
    pub article: String,
    /// Where an index is looked up (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Wrap at this many display columns (default: the terminal's width, else 80).
    #[arg(long, short)]
    pub width: Option<u16>,
    /// Show everything, page furniture included (to see what the cleaning removes).
    #[arg(long)]
    pub no_clean: bool,
    /// Leave out the `[n]` after links in the text (the Links section keeps its numbers); also
    /// `link_numbers = false` under `[display]` in `$XDG_CONFIG_HOME/reader/config.toml`.
    #[arg(long)]
    pub no_link_numbers: bool,
}

/// `reader check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// List the furniture learned per outlet (lines that recur across its reports) instead.
    #[arg(long)]
    pub furniture: bool,
}

/// `reader compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first article: a path or a list index.
    pub a: String,
    /// The second article: a path or a list index.
    pub b: String,
    /// Where indexes are looked up (default: the bundled seeds).
    pub paths: Vec<PathBuf>,
    /// Total width in display columns (default: the terminal's width, else 80).
    #[arg(long, short)]
    pub width: Option<u16>,
    /// Print the alignment and the ledger as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour (NO_COLOR is still honoured by `auto` only).
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Resolves `auto` against whether the output is a terminal and the NO_COLOR convention.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bare_paths_open_the_reader() {
        let cli = Cli::try_parse_from(["reader", "seeds/", "x.txt"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.paths, [PathBuf::from("seeds/"), PathBuf::from("x.txt")]);
    }

    #[test]
    fn stories_takes_json_min_outlets_and_paths() {
        let cli = Cli::try_parse_from(["reader", "stories", "a", "--json", "--min-outlets", "2"])
            .unwrap();
        match cli.command {
            Some(Command::Stories(args)) => {
                assert!(args.json);
                assert_eq!(args.min_outlets, 2);
                assert_eq!(args.paths, [PathBuf::from("a")]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn list_takes_json_and_paths() {
        let cli = Cli::try_parse_from(["reader", "list", "--json", "a", "b"]).unwrap();
        match cli.command {
            Some(Command::List(args)) => {
                assert!(args.json);
                assert_eq!(args.paths.len(), 2);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
