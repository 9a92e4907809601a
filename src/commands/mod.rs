//! The plain commands: the same information as the reader, printed for pipes.
//!
//! Results go to stdout; each problem goes to stderr as `reader: PATH: reason`. A closed pipe
//! (`reader list | head`) ends the command quietly.

use std::io;
use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub mod check;
pub mod compare;
pub mod list;
pub mod show;

/// Runs a parsed command line; the full-screen reader when no command is given.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Show(args)) => show::run(&args, cli.tui.color),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Compare(args)) => compare::run(&args, cli.tui.color),
        None => crate::tui::run(&cli.paths, &cli.tui),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reader: {e}");
            ExitCode::from(crate::cli::exit::USAGE)
        }
    }
}
