//! Memory of one report (issue #15: "memory for one report within a small multiple of its
//! size"), counted by a global allocator that tracks the bytes live and their peak. The counts
//! are exact and repeatable, unlike RSS or time on a shared machine; they are the bytes asked
//! for, so the allocator's own overhead per allocation is not in them (which is why the
//! renderer keeps short strings inline: see `render::wrap::Piece`).
//!
//! One test function runs every case in turn: the counters (`tests/alloc_support`) are global,
//! and tests of one binary run on parallel threads.

use std::sync::Arc;

use reader::article::{self, Article, Body, Origin};
use reader::render::clean::Cleaner;
use reader::render::{RenderOptions, layout_article_owned, prepare_with};

mod alloc_support;
use alloc_support::{Counting, peak_of};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn page(body: &str) -> String {
    format!("<html><head><title>t</title></head><body>{body}</body></html>")
}

fn article_of(name: &str, bytes: &Arc<[u8]>) -> (Article, Body) {
    let origin = Origin::Memory {
        name: name.into(),
        bytes: bytes.clone(),
    };
    let a = article::parse(origin, bytes).unwrap();
    let body = a.load_body().unwrap();
    (a, body)
}

/// What `reader show` does with one report, from its bytes to its lines.
fn show(bytes: &Arc<[u8]>) {
    let (a, mut body) = article_of("a.html", bytes);
    let html = std::mem::take(&mut body.html);
    drop(body);
    let doc = prepare_with(&html, &Cleaner::for_article(&a, None));
    drop(html);
    let r = layout_article_owned(&a, doc, 80, &RenderOptions::new(false));
    assert!(!r.lines.is_empty());
}

/// What `reader compare` does with a report and a short one, its lines written nowhere.
fn compare_with_short(bytes: &Arc<[u8]>) {
    let (a, body_a) = article_of("a.html", bytes);
    let short: Arc<[u8]> = page("<p>An ordinary paragraph.</p>").into_bytes().into();
    let (b, body_b) = article_of("b.html", &short);
    let c = reader::compare::compare(&a, &body_a, &b, &body_b);
    drop((body_a, body_b));
    let mut lines = 0;
    reader::commands::compare::each_line(&c, 80, false, &mut |_| {
        lines += 1;
        Ok(())
    })
    .unwrap();
    assert!(lines > 0);
}

/// Peak bytes of `work` on the report `make(n)` and on `make(2 * n)`, as multiples of their
/// sizes; asserts both within `limit` and the larger report within ~2.3 times the smaller's
/// bytes (memory linear in the input). A first run on a small report builds what is built once
/// per process.
fn assert_bounded(
    shape: &str,
    n: usize,
    limit: f64,
    make: impl Fn(usize) -> String,
    work: fn(&Arc<[u8]>),
) {
    // Tables built once per process (regexes, dictionaries) are not the report's.
    work(&make(n / 10).into_bytes().into());
    let mut peaks = Vec::new();
    for size in [n, 2 * n] {
        let bytes: Arc<[u8]> = make(size).into_bytes().into();
        let peak = peak_of(|| work(&bytes));
        let ratio = peak as f64 / bytes.len() as f64;
        eprintln!(
            "{shape}: {} bytes in, peak {} bytes = {ratio:.2}x",
            bytes.len(),
            peak
        );
        assert!(
            ratio <= limit,
            "{shape}: peak {ratio:.2}x the report (limit {limit}x)"
        );
        peaks.push(peak);
    }
    let growth = peaks[1] as f64 / peaks[0] as f64;
    assert!(
        growth < 2.3,
        "{shape}: doubling the report multiplied its peak by {growth:.2}"
    );
}

#[test]
fn one_report_costs_a_small_multiple_of_its_size() {
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod ";
    let paragraph = |n: usize| page(&format!("<p>{}</p>", words.repeat(n)));
    let links = |n: usize| {
        let links: String = (0..n)
            .map(|i| format!("<a href=\"https://e.org/{i}\">{i}</a> "))
            .collect();
        page(&format!("<p>{links}</p>"))
    };
    let paragraphs = |n: usize| {
        let p = format!("<p>{}</p>\n", words.repeat(4));
        page(&p.repeat(n))
    };
    assert_bounded(
        "show, one long paragraph",
        20_000,
        LIMIT_PARAGRAPH,
        paragraph,
        show,
    );
    assert_bounded(
        "show, many paragraphs",
        5_000,
        LIMIT_PARAGRAPH,
        paragraphs,
        show,
    );
    assert_bounded(
        "compare, one long paragraph",
        20_000,
        LIMIT_PARAGRAPH,
        paragraph,
        compare_with_short,
    );
    assert_bounded("show, many links", 20_000, LIMIT_LINKS, links, show);
}

/// Running text (s13: show 4.5x, compare 7.5x): the text, its lines, the comparison's copies.
const LIMIT_PARAGRAPH: f64 = 8.0;
/// A link farm (s13: 18.6x): scraper's DOM alone is ~12x such a page (a 128-byte node per tag
/// and per text), and each link is four pieces of 32 bytes.
const LIMIT_LINKS: f64 = 20.0;
