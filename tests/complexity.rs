//! Complexity tests for the hostile shapes of issue #15: doubling the input at most about doubles
//! the time. Each case times sizes n and 2n in one run, keeps the fastest of a few repeats to
//! resist noise, and asserts the ratio (never an absolute time): linear work gives ~2, the
//! quadratic code these replace gave ~4.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reader::article::{self, Article, Body, Origin};
use reader::render::{RenderOptions, render_article};

fn article_of(name: &str, text: String) -> (Article, Body) {
    let bytes: Arc<[u8]> = text.into_bytes().into();
    let origin = Origin::Memory {
        name: name.into(),
        bytes: bytes.clone(),
    };
    let a = article::parse(origin, &bytes).unwrap();
    let body = a.load_body().unwrap();
    (a, body)
}

fn page(body: &str) -> String {
    format!("<html><head><title>t</title></head><body>{body}</body></html>")
}

/// The fastest of `runs` timings of `f`.
fn fastest(runs: usize, f: &dyn Fn()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap()
}

/// Asserts that `work(2n)` takes less than ~3 times `work(n)`.
fn assert_linear(shape: &str, n: usize, work: impl Fn(usize)) {
    work(n / 4); // warm up lazily built tables
    let mut ratio = f64::MAX;
    // A few attempts: one quiet moment on a shared machine is enough to show linear work.
    for _ in 0..3 {
        let t1 = fastest(3, &|| work(n));
        let t2 = fastest(3, &|| work(2 * n));
        ratio = ratio.min(t2.as_secs_f64() / t1.as_secs_f64().max(1e-6));
        eprintln!("{shape}: n={n} {t1:?}, 2n {t2:?}, ratio {ratio:.2}");
        if ratio < 3.0 {
            return;
        }
    }
    panic!("{shape}: doubling the input multiplied the time by {ratio:.2}");
}

fn compare_with_short(text: String) {
    let (a, body_a) = article_of("a.html", text);
    let (b, body_b) = article_of("b.html", page("<p>An ordinary paragraph.</p>"));
    let c = reader::compare::compare(&a, &body_a, &b, &body_b);
    std::hint::black_box(reader::commands::compare::text_lines(&c, 100, false));
}

#[test]
fn markdown_with_unmatched_brackets_loads_in_linear_time() {
    assert_linear("markdown [", 40_000, |n| {
        let text = format!("---\ntitle: b\n---\n\n{}\n", "[".repeat(n));
        std::hint::black_box(article_of("b.md", text));
    });
    assert_linear("markdown ` ** *", 20_000, |n| {
        let text = format!("note\n\n{}\n", "` ** * ![x](".repeat(n));
        std::hint::black_box(article_of("b.md", text));
    });
}

#[test]
fn compare_on_deep_inline_nesting_is_linear() {
    assert_linear("<h2><i> nesting", 2_000, |n| {
        compare_with_short(page(&format!(
            "{}deep{}",
            "<h2><i>".repeat(n),
            "</i></h2>".repeat(n)
        )));
    });
}

#[test]
fn compare_on_long_nbsp_runs_is_linear() {
    assert_linear("U+00A0 run", 50_000, |n| {
        compare_with_short(page(&format!("<p>a{}b</p>", "\u{a0}".repeat(n))));
    });
}

#[test]
fn compare_on_one_long_paragraph_is_linear() {
    let words =
        "Harbor City said 25% of 300 tonnes were lost on 5 May 2024, and more words follow. ";
    assert_linear("long paragraph", 1_500, |n| {
        compare_with_short(page(&format!("<p>{}</p>", words.repeat(n))));
    });
}

#[test]
fn show_on_an_element_with_many_attributes_is_linear() {
    assert_linear("attributes", 10_000, |n| {
        let attrs: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
        let (a, body) = article_of("a.html", page(&format!("<p{attrs}>text</p>")));
        std::hint::black_box(render_article(&a, &body, 80, &RenderOptions::new(false)));
    });
}

#[test]
fn show_on_a_paragraph_of_many_images_is_linear() {
    // Markdown's `![img](` in bulk makes thousands of images in one paragraph; looking for each
    // one's caption among all its siblings was quadratic.
    assert_linear("images", 2_000, |n| {
        let imgs: String = (0..n)
            .map(|i| format!("<img src=\"i{i}.png\"> word "))
            .collect();
        let (a, body) = article_of("a.html", page(&format!("<p>{imgs}</p>")));
        std::hint::black_box(render_article(&a, &body, 80, &RenderOptions::new(false)));
    });
}

/// A report whose link and image sit under `n` nested `<div><i>`.
fn deep_report(n: usize) -> String {
    page(&format!(
        "{}<p>底 <a href=\"https://deep.example/a\">深鏈接</a> <img src=\"https://deep.example/i.jpg\" alt=\"深圖\"></p>{}",
        "<div><i>".repeat(n),
        "</i></div>".repeat(n)
    ))
}

#[test]
fn a_link_and_an_image_under_deep_nesting_are_kept_in_linear_time() {
    let (a, body) = article_of("deep.html", deep_report(20_000));
    // The article's own lists (the TUI's Links overlay and metadata pane read these).
    assert_eq!(body.links.len(), 1);
    assert_eq!(body.links[0].url, "https://deep.example/a");
    assert_eq!(body.links[0].text, "深鏈接");
    assert_eq!(body.images.len(), 1);
    assert_eq!(body.images[0].src, "https://deep.example/i.jpg");
    assert_eq!(body.images[0].caption.as_deref(), Some("深圖"));
    // What `reader show` prints: the link in the text, numbered, and in the Links section.
    let r = render_article(&a, &body, 80, &RenderOptions::new(false));
    let text: Vec<String> = r.lines.iter().map(|l| l.to_string()).collect();
    assert!(text.iter().any(|l| l.contains("深鏈接[1]")), "{text:?}");
    assert!(text.iter().any(|l| l.contains("深圖")), "{text:?}");
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].url, "https://deep.example/a");
    assert_linear("deep <div><i> with a link and an image", 20_000, |n| {
        let (a, body) = article_of("deep.html", deep_report(n));
        std::hint::black_box(render_article(&a, &body, 80, &RenderOptions::new(false)));
    });
}
