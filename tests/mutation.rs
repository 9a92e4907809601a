//! A bounded, seeded mutation test over the fixtures (issue #15): a few thousand mutated reports
//! through the loader, the renderer and the comparison, asserting no panic, no control character
//! in any output line, every line within its width, and a per-case time budget. Deterministic:
//! the same seed gives the same cases (a small xorshift, no dependency).

use std::sync::Arc;
use std::time::{Duration, Instant};

use reader::article::{self, Origin};
use reader::render::{RenderOptions, render_article};

const CASES: usize = 2_000;
/// Generous for a debug build on a loaded machine; the quadratic cases took seconds at these
/// sizes, ordinary ones take milliseconds.
const BUDGET: Duration = Duration::from_secs(5);

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Snippets that broke or slowed parsers: markup, escapes, wide and joined characters.
const SNIPPETS: &[&str] = &[
    "<",
    ">",
    "&",
    "[",
    "](",
    ")",
    "`",
    "**",
    "*",
    "<p>",
    "</p>",
    "<h2><i>",
    "</i></h2>",
    "<a href=\"https://e.org/x\">",
    "</a>",
    "<br>",
    "<img src=x.png>",
    "\u{a0}",
    "\u{3000}",
    "\u{1b}[31m",
    "\u{1b}]8;;http://e\u{7}",
    "\u{9b}",
    "\r",
    "\n\n",
    "---\n",
    "<!--",
    "-->",
    "👨\u{200d}👩\u{200d}👧",
    "e\u{301}",
    "中文",
    "\u{200b}",
    "\u{feff}",
    "\u{202e}",
    "<script>",
    "</script>",
    "<table><tr><td>",
    "<ul><li>",
    "<blockquote>",
    "<pre>",
    "\t",
];

fn mutate(rng: &mut XorShift, src: &[u8]) -> Vec<u8> {
    let mut b = src.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 if !b.is_empty() => {
                let end = (at + rng.below(64)).min(b.len());
                b.drain(at.min(end)..end);
            }
            2 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                let most = if rng.below(10) == 0 { 2_000 } else { 4 };
                let times = 1 + rng.below(most);
                let insert = s.repeat(times).into_bytes();
                b.splice(at..at, insert);
            }
            3 if !b.is_empty() => {
                let start = rng.below(b.len());
                let end = (start + rng.below(256)).min(b.len());
                let copy = b[start..end].to_vec();
                b.splice(at..at, copy);
            }
            _ => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                b.splice(at..at, s.bytes());
            }
        }
    }
    b
}

fn fixtures() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures/good", "tests/fixtures/compare", "seeds"] {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        out.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
    }
    out
}

fn assert_clean(lines: &[String], width: usize, case: usize) {
    for line in lines {
        assert!(
            !line.chars().any(|c| c.is_control()),
            "case {case}: control character in {line:?}"
        );
        let w = reader::columns::width(line);
        assert!(w <= width, "case {case}: {w} columns > {width}: {line:?}");
    }
}

fn plain(lines: &[ratatui::text::Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

#[test]
fn mutated_fixtures_load_render_and_compare_cleanly() {
    let seeds = fixtures();
    assert!(seeds.len() >= 10);
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let other = {
        let bytes: Arc<[u8]> = seeds[0].clone().into();
        let a = article::parse(
            Origin::Memory {
                name: "other.txt".into(),
                bytes: bytes.clone(),
            },
            &bytes,
        )
        .unwrap();
        let body = a.load_body().unwrap();
        (a, body)
    };
    let mut loaded = 0;
    for case in 0..CASES {
        let src = &seeds[rng.below(seeds.len())];
        let bytes: Arc<[u8]> = mutate(&mut rng, src).into();
        let width = 20 + rng.below(120) as u16;
        let start = Instant::now();
        let origin = Origin::Memory {
            name: format!("case-{case}.txt").into(),
            bytes: bytes.clone(),
        };
        let Ok(a) = article::parse(origin, &bytes) else {
            continue;
        };
        loaded += 1;
        assert_clean(
            &[a.title.clone(), reader::commands::list::fit(&a.title, 30)],
            usize::MAX,
            case,
        );
        assert_eq!(
            reader::columns::width(&reader::commands::list::fit(&a.title, 30)),
            30
        );
        let body = a.load_body().unwrap();
        let r = render_article(&a, &body, width, &RenderOptions::new(false));
        assert_clean(&plain(&r.lines), width as usize, case);
        if case % 8 == 0 {
            let c = reader::compare::compare(&a, &body, &other.0, &other.1);
            let lines = reader::commands::compare::text_lines(&c, width.max(40), false);
            assert_clean(&plain(&lines), width.max(40) as usize, case);
        }
        let took = start.elapsed();
        assert!(took < BUDGET, "case {case} took {took:?}");
    }
    assert!(loaded > CASES / 2, "only {loaded} of {CASES} cases loaded");
}
