//! Story grouping tools for measurement (`scripts/stories-eval`) and fixture making.
//!
//! `stories_tool eval ROOT LABELS` groups every report under ROOT and prints BCubed figures for
//! each labelled set. `stories_tool trim ROOT LABELS OUT` copies each labelled report to OUT,
//! header as written and body cut to the paragraphs the grouping reads (the test fixtures).
//! `stories_tool picks ROOT LABELS` counts how often `c` (nothing marked) picks another
//! outlet's report of the same labelled story, against the related pick alone.
//! Grouping parameters can be overridden for tuning with STORIES_THRESHOLD, STORIES_DECAY_DAYS,
//! STORIES_TITLE_BOOST and STORIES_WINDOW_DAYS (tune on the dev set only).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reader::compare::paragraphs;
use reader::stories::{self, Params, eval};

fn params() -> Params {
    let mut p = Params::default();
    let get = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f32>().ok());
    if let Some(v) = get("STORIES_THRESHOLD") {
        p.threshold = v;
    }
    if let Some(v) = get("STORIES_DECAY_DAYS") {
        p.decay_days = v;
    }
    if let Some(v) = get("STORIES_TITLE_BOOST") {
        p.title_boost = v;
    }
    if let Some(v) = get("STORIES_WINDOW_DAYS") {
        p.window = (v * 86_400.0) as i64;
    }
    p
}

fn labels(path: &Path) -> Vec<(String, eval::Labelled)> {
    let text = std::fs::read_to_string(path).expect("read the labels file");
    eval::parse_labels(&text).expect("valid labels")
}

fn trim(root: &Path, labels: &[(String, eval::Labelled)], out: &Path) {
    let limit = stories::signals::LEAD_CHARS + 200;
    for (_, l) in labels {
        for f in &l.files {
            let src = root.join(f);
            let bytes = std::fs::read(&src).expect("read a labelled report");
            let text = String::from_utf8(bytes.clone()).expect("UTF-8 report");
            let article =
                reader::article::parse(reader::article::Origin::File(src.clone()), &bytes)
                    .expect("a labelled report loads");
            let head = &text[..article.body_range.start];
            let mut body = String::new();
            let mut chars = 0;
            for p in paragraphs::paragraphs(&text[article.body_range.clone()]) {
                if chars >= limit {
                    break;
                }
                chars += p.text.chars().count();
                body.push_str(&p.html);
                body.push('\n');
            }
            let dest = out.join(f);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(&dest, format!("{head}{body}")).unwrap();
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, root, labels_path] if cmd == "eval" => {
            let root = PathBuf::from(root);
            let labels = labels(Path::new(labels_path));
            let start = std::time::Instant::now();
            let results = eval::evaluate(&root, &labels, params());
            let secs = start.elapsed().as_secs_f64();
            for r in &results {
                let s = r.scores;
                println!(
                    "{:9} items {:4}  precision {:.3}  recall {:.3}  F1 {:.3}",
                    r.set, s.items, s.precision, s.recall, s.f1
                );
                for m in &r.missing {
                    println!("  missing: {m}");
                }
            }
            println!("load + group: {secs:.2} s ({:?})", params());
            ExitCode::SUCCESS
        }
        [cmd, root, labels_path] if cmd == "picks" => {
            let labels = labels(Path::new(labels_path));
            for f in eval::evaluate_picks(Path::new(root), &labels, params()) {
                let pct = |n: usize| 100.0 * n as f64 / f.asked.max(1) as f64;
                println!(
                    "{:9} c picks another outlet's report of the same story: {}/{} ({:.1}%; {} from the grouped story); the related pick alone: {}/{} ({:.1}%)",
                    f.set,
                    f.hits,
                    f.asked,
                    pct(f.hits),
                    f.from_story,
                    f.related_hits,
                    f.asked,
                    pct(f.related_hits)
                );
            }
            ExitCode::SUCCESS
        }
        [cmd, root, labels_path, out] if cmd == "trim" => {
            trim(
                Path::new(root),
                &labels(Path::new(labels_path)),
                Path::new(out),
            );
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!(
                "usage: stories_tool eval ROOT LABELS | picks ROOT LABELS | trim ROOT LABELS OUT"
            );
            ExitCode::from(2)
        }
    }
}
