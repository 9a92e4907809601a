//! Render throughput: MB of article HTML per second, at 80 columns.
//!
//! The article is generated: mixed CJK paragraphs (Simplified and Traditional, with Latin words,
//! numbers and CJK punctuation), a link in most paragraphs, bold runs, and now and then an image
//! with a caption and a short list. Target (issue #3): at least 20 MB/s for 5 MB.
//!
//! Groups: `render_html` (prepare + layout, the whole job), `prepare` and `layout` separately
//! (layout alone is what a resize costs with the cache), `cleaned` (the whole job with an
//! outlet's rules and learned furniture, as `reader show` and the TUI run it; its MB/s is printed,
//! target at least 20 MB/s, issue #10), and `linearity` (1 MB vs 20 MB).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use reader::render::clean::{Cleaner, line_key, outlet_rules};
use reader::render::{RenderOptions, layout_html, prepare, prepare_with, render_html};

const SENTENCES: &[&str] = &[
    "8月30日，美国气候问题特使克里在接受《金融时报》采访时表示，希望中方能恢复双边气候谈判。",
    "他說：「我們認為我們必須站出來，我們有責任。我們接受這一點。」",
    "John Kerry said the talks must resume before COP27 in Sharm el-Sheikh.",
    "中国是世界上最大的可再生能源生产国，恰好也是世界上最大的可再生能源部署者。",
    "克里（John Kerry）在美國時間週二（10月25日）出席一場活動時表示，願意尋求中間路線。",
    "公开报道显示，拜登上台之后，大力倡导美国减排，还充当起全球气候变化碳减排的推动者。",
    "中國占全球溫室氣體總排放量的30%。我們需要中國的配合。",
    "The United States and China are the two largest emitters of greenhouse gases.",
];

/// About `size` bytes of article HTML.
pub fn article(size: usize) -> String {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut html = String::with_capacity(size + 4096);
    let mut n = 0usize;
    while html.len() < size {
        n += 1;
        html.push_str("<p>\n");
        for s in 0..(2 + next() % 4) {
            let sentence = SENTENCES[(next() % SENTENCES.len() as u64) as usize];
            if s == 1 && next() % 4 != 0 {
                let split = sentence.char_indices().nth(6).map_or(0, |(i, _)| i);
                html.push_str(&sentence[..split]);
                html.push_str(&format!(
                    "<a href=\"https://www.dw.com/zh/%E6%B0%A3%E5%80%99/a-{}\">",
                    6_000_000 + n
                ));
                html.push_str(&sentence[split..]);
                html.push_str("</a>");
            } else if s == 2 && next() % 3 == 0 {
                html.push_str("<strong>");
                html.push_str(sentence);
                html.push_str("</strong>");
            } else {
                html.push_str(sentence);
            }
        }
        html.push_str("\n</p>\n");
        if n % 40 == 0 {
            html.push_str(&format!(
                "<img src=\"https://images.weserv.nl/?url=static.dw.com/image/{n}_303.jpg\" width=\"100%\">\
                 <div><small>克里告訴《衛報》，雖然中國暫停與美國的氣候合作。</small></div>\n"
            ));
        }
        if n % 100 == 0 {
            html.push_str("<ul><li>第一點：減排</li><li>second point</li><li>第三點</li></ul>\n");
        }
    }
    html
}

fn throughput(c: &mut Criterion) {
    let options = RenderOptions::new(true);
    let html = article(5_000_000);
    let mut g = c.benchmark_group("render_5MB_80cols");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("render_html", |b| {
        b.iter(|| render_html(black_box(&html), 80, &options))
    });
    g.bench_function("prepare", |b| b.iter(|| prepare(black_box(&html))));
    let doc = prepare(&html);
    g.bench_function("layout", |b| {
        b.iter(|| layout_html(black_box(&doc), 80, &options))
    });
    g.finish();
}

/// The cleaner `reader show` uses for a 德國之聲 report: the outlet's rules, learned lines, a
/// base URL for relative links.
fn full_cleaner() -> Cleaner {
    let learned = [
        "获取更多RSS：",
        "相关阅读",
        "德国之声致力于为您提供客观中立的新闻报道",
    ]
    .iter()
    .filter_map(|l| line_key(l))
    .collect();
    Cleaner {
        enabled: true,
        rules: outlet_rules("德國之聲"),
        learned: Some(std::sync::Arc::new(learned)),
        base: Some("https://www.dw.com/zh/a-1".into()),
        dateline: None,
    }
}

fn cleaned(c: &mut Criterion) {
    let options = RenderOptions::new(true);
    let html = article(5_000_000);
    let cleaner = full_cleaner();
    assert!(
        cleaner.rules.is_some(),
        "德國之聲 has rules in assets/outlets.toml"
    );
    let run = || {
        let doc = prepare_with(black_box(&html), &cleaner);
        layout_html(&doc, 80, &options)
    };
    let mut g = c.benchmark_group("render_5MB_80cols_cleaned");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("prepare_with_outlet_rules_and_learned_then_layout", |b| {
        b.iter(&run)
    });
    g.finish();
    let mut secs: Vec<f64> = (0..7)
        .map(|_| {
            let t = std::time::Instant::now();
            black_box(run());
            t.elapsed().as_secs_f64()
        })
        .collect();
    secs.sort_by(f64::total_cmp);
    let mb = html.len() as f64 / 1e6;
    println!(
        "render with cleaning: {:.1} MB/s ({mb:.1} MB at 80 columns, median of 7; target >= 20 MB/s)",
        mb / secs[secs.len() / 2]
    );
}

fn linearity(c: &mut Criterion) {
    let options = RenderOptions::new(true);
    let mut g = c.benchmark_group("linearity");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    for mb in [1usize, 20] {
        let html = article(mb * 1_000_000);
        g.throughput(Throughput::Bytes(html.len() as u64));
        g.bench_function(format!("render_html_{mb}MB"), |b| {
            b.iter(|| render_html(black_box(&html), 80, &options))
        });
    }
    g.finish();
}

criterion_group!(benches, throughput, cleaned, linearity);
criterion_main!(benches);
