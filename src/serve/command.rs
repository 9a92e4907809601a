//! An exec request's command line: split as a POSIX shell would split words (quotes and
//! backslashes), without a shell ever running, then parsed by clap into one of the plain
//! commands that may be run over SSH.

use clap::{Parser, Subcommand};

use crate::cli::{ColorChoice, CompareArgs, ListArgs, SearchArgs, ShowArgs, StoriesArgs};

/// The commands a client may run: the plain commands that read the served archive.
#[derive(Debug, Parser)]
#[command(
    name = "reader",
    about = "reader over SSH: the plain commands on the served archive",
    after_help = "With no command (and a terminal: `ssh -t`), the full-screen reader opens.\n\
                  ARTICLE is an index from `list` or a path that `list --json` prints; \
                  PATH arguments are not accepted."
)]
pub struct Remote {
    /// The command.
    #[command(subcommand)]
    pub command: RemoteCommand,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// See [`Remote`].
#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// One line per article (published date, outlet, title), newest first.
    List(ListArgs),
    /// Print an article's body as text.
    Show(ShowArgs),
    /// Print two articles side by side, aligned paragraph by paragraph.
    Compare(CompareArgs),
    /// Group the articles into stories, newest first.
    Stories(StoriesArgs),
    /// Full-text search, best hits first (the query language of `reader search --help`).
    Search(SearchArgs),
}

/// Splits `line` into words as `sh` does for a simple command: blanks separate words, `'…'`
/// keeps everything literally, `"…"` keeps everything but `\"`, `\\`, `\$` and `` \` ``, and a
/// backslash outside quotes escapes the next character. Nothing is expanded: `$`, `*`, `;`
/// and `|` are ordinary characters (there is no shell to give them meaning).
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.push(c),
                    None => return Err("a backslash ends the command".into()),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_quotes_and_escapes_split_as_sh_does() {
        assert_eq!(split("list --json").unwrap(), ["list", "--json"]);
        assert_eq!(
            split(r#"show  'a b' "c \"d\" \x" e\ f ''"#).unwrap(),
            ["show", "a b", r#"c "d" \x"#, "e f", ""]
        );
        // Nothing is expanded or chained.
        assert_eq!(
            split("list; rm -rf $HOME | cat *").unwrap(),
            ["list;", "rm", "-rf", "$HOME", "|", "cat", "*"]
        );
        assert!(split("show 'open").is_err());
        assert!(split("show \"open").is_err());
        assert!(split("show \\").is_err());
        assert_eq!(split("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn only_the_reading_commands_parse() {
        let parse = |line: &str| {
            let mut words = vec!["reader".to_string()];
            words.extend(split(line).unwrap());
            Remote::try_parse_from(words)
        };
        assert!(matches!(
            parse("list --json").unwrap().command,
            RemoteCommand::List(ListArgs { json: true, .. })
        ));
        assert!(matches!(
            parse("show 3 --width 60").unwrap().command,
            RemoteCommand::Show(ShowArgs {
                width: Some(60),
                ..
            })
        ));
        for refused in [
            "check",
            "serve --authorized-keys x",
            "completions bash",
            "man",
            "",
        ] {
            assert!(parse(refused).is_err(), "{refused}");
        }
    }
}
