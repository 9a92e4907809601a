//! Comparison speed: two ~50 KB reports of one story (paragraph split, script pivot, terms,
//! similarity, alignment, ledger and timeline). Target: at most 30 ms per comparison.
//!
//! The reports are generated from the sentences of both seeds, shuffled and varied with
//! numbers, dates, names and percentages, so that the two sides share some sentences, paraphrase
//! others and keep many to themselves, as real coverage of one story does.

use criterion::{Criterion, criterion_group, criterion_main};
use reader::compare::{Input, compare_inputs};

const GUANCHA: &str = include_str!("../seeds/guancha-2022-09-01-us-wants-climate-talks.txt");
const DW: &str = include_str!("../seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt");

/// A small deterministic generator (no dependency needed for a benchmark's input).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The sentences of a seed's visible text.
fn sentences(raw: &str) -> Vec<String> {
    let text: String = reader::compare::paragraphs::paragraphs(raw)
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("");
    text.split_inclusive(['。', '！', '？'])
        .map(str::trim)
        .filter(|s| s.chars().count() > 6)
        .map(str::to_string)
        .collect()
}

/// About `bytes` of HTML: paragraphs of 2–5 sentences from `own` (and some from `shared`), with
/// varied numbers, dates, names and percentages.
fn report(own: &[String], shared: &[String], seed: u64, bytes: usize) -> String {
    let mut rng = Lcg(seed);
    let names = [
        "克里",
        "佩洛西",
        "解振华",
        "汪文斌",
        "秦刚",
        "拜登",
        "古特雷斯",
        "John Kerry",
    ];
    let mut html = String::from("<div>");
    while html.len() < bytes {
        html.push_str("<p>");
        for _ in 0..2 + rng.next(4) {
            let pool = if rng.next(4) == 0 { shared } else { own };
            let s = &pool[rng.next(pool.len())];
            html.push_str(&format!(
                "{}月{}日，{}表示，{}约{}%的{}项措施{}",
                1 + rng.next(12),
                1 + rng.next(28),
                names[rng.next(names.len())],
                if rng.next(3) == 0 {
                    "《卫报》报道，"
                } else {
                    ""
                },
                rng.next(100),
                1 + rng.next(20),
                s
            ));
        }
        if rng.next(5) == 0 {
            html.push_str(r#"<a href="https://example.com/x">相关报道</a>"#);
        }
        html.push_str("</p>\n");
    }
    html.push_str("</div>");
    html
}

fn bench(c: &mut Criterion) {
    let a_sent = sentences(GUANCHA);
    let b_sent = sentences(DW);
    let a_html = report(&a_sent, &b_sent, 1, 50_000);
    let b_html = report(&b_sent, &a_sent, 2, 50_000);
    let a = Input {
        outlet: Some("观察者网"),
        title: "气候问题上，美国想跟中国重新走到一起",
        published: Some("2022-09-01T10:21:21Z".parse().unwrap()),
        html: &a_html,
    };
    let b = Input {
        outlet: Some("德國之聲"),
        title: "COP27即將召開 美籲中重啟氣候對話",
        published: Some("2022-10-26T01:34:17Z".parse().unwrap()),
        html: &b_html,
    };
    // Warm the script converters and the regexes once, as a running reader would have.
    let warm = compare_inputs(a, b);
    eprintln!(
        "inputs: {} + {} bytes, {} + {} paragraphs, {} rows, {} terms",
        a_html.len(),
        b_html.len(),
        warm.a.paragraphs.len(),
        warm.b.paragraphs.len(),
        warm.rows.len(),
        warm.terms.len()
    );
    c.bench_function("compare two 50 KB reports", |bench| {
        bench.iter(|| compare_inputs(std::hint::black_box(a), std::hint::black_box(b)))
    });

    // Not a target, a guard: long reports and one giant paragraph stay near linear.
    let big_a = report(&a_sent, &b_sent, 3, 1_000_000);
    let big_b = report(&b_sent, &a_sent, 4, 1_000_000);
    let one_paragraph = big_b.replace("</p>\n<p>", "");
    let mut group = c.benchmark_group("long");
    group.sample_size(10);
    group.bench_function("compare two 1 MB reports", |bench| {
        bench.iter(|| compare_inputs(Input { html: &big_a, ..a }, Input { html: &big_b, ..b }))
    });
    group.bench_function("compare 1 MB with a 1 MB single paragraph", |bench| {
        bench.iter(|| {
            compare_inputs(
                Input { html: &big_a, ..a },
                Input {
                    html: &one_paragraph,
                    ..b
                },
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
