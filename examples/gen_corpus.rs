//! Writes a realistic, deterministic archive of saved reports for benchmarks and manual tests.
//!
//! `cargo run --release --example gen_corpus -- --count 10000 --out /tmp/corpus-10k [--seed 1]`
//!
//! The same seed and count always give the same files (see `reader_corpus` in crates/corpus). The folder is
//! created if missing; existing files of the same names are overwritten, others are left alone,
//! so use a fresh folder for each corpus.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use reader_corpus::{self as corpus, Kind};

/// Generate an archive of saved news reports (both formats, with oddities and a few broken files).
#[derive(Debug, Parser)]
struct Args {
    /// How many files to write.
    #[arg(long)]
    count: usize,
    /// The folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// The seed; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let start = Instant::now();
    let entries = match corpus::generate(&args.out, args.count, args.seed) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    let bytes: usize = entries.iter().map(|e| e.len).sum();
    let count = |k: fn(&Kind) -> bool| entries.iter().filter(|e| k(&e.kind)).count();
    println!(
        "{} files, {:.1} MB in {} ({} front-matter, {} link-header, {} broken) in {:.2} s",
        entries.len(),
        bytes as f64 / 1e6,
        args.out.display(),
        count(|k| *k == Kind::FrontMatter),
        count(|k| *k == Kind::LinkHeader),
        count(|k| matches!(k, Kind::Broken(_))),
        start.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
