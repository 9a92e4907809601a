//! The cleaning stage measured on an archive (issue #10), per outlet: furniture lines removed,
//! named furniture left, image placeholders showing a file name, captions shown twice, links in
//! Links that are not absolute, and content paragraphs kept (each `<p>` of 60+ characters of the
//! article's own text must appear in the output).
//!
//! `cargo run --release --example clean_report -- [--json] ARCHIVE...`; `scripts/archive-report`
//! runs it with `--json` and adds its columns to the per-outlet table. The first lost paragraphs
//! and placeholders showing a file name are listed on stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use reader::library::Library;
use reader::render::clean::Cleaner;
use reader::render::{RenderOptions, layout_article, prepare_with};

/// Furniture the issue names; none of it may remain as a line of the output.
const NAMED: &[&str] = &[
    "获取更多RSS",
    "图片版权",
    "Image caption",
    "你的器材不支持播放多媒体材料",
    "跳过 Youtube 帖子",
    "结尾 Youtube 帖子",
    "告知：第三方内容可能包含广告",
    "我们的标准：",
    "德国之声致力于为您提供客观中立的新闻报道",
    "相关图集",
    "© 2020 AFP",
    "嘉宾和观众听众发表的都是个人观点",
];

#[derive(Default)]
struct Row {
    reports: usize,
    removed: usize,
    left: usize,
    file_names: usize,
    doubled: usize,
    links: usize,
    relative: usize,
    paragraphs: usize,
    kept: usize,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn main() {
    let mut json = false;
    let paths: Vec<PathBuf> = std::env::args_os()
        .skip(1)
        .filter(|a| {
            let flag = a == "--json";
            json |= flag;
            !flag
        })
        .map(PathBuf::from)
        .collect();
    if paths.is_empty() {
        eprintln!("usage: clean_report [--json] ARCHIVE...");
        std::process::exit(2);
    }
    let library = Library::load(&paths);
    let options = RenderOptions {
        hide_link_numbers: true,
        ..RenderOptions::new(false)
    };
    let file_name = regex::Regex::new(r"(?i)\.(jpe?g|png|gif|webp)\b|\d{5,}_\d+").unwrap();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut lost: Vec<String> = Vec::new();
    let mut named_files: Vec<String> = Vec::new();
    for article in &library.articles {
        let Ok(body) = article.load_body() else {
            continue;
        };
        let outlet = article.outlet.clone().unwrap_or_else(|| "(none)".into());
        let row = rows.entry(outlet).or_default();
        row.reports += 1;
        let cleaner = Cleaner::for_article(article, Some(library.learned_furniture(article)));
        let doc = prepare_with(&body.html, &cleaner);
        row.removed += doc.removed().lines;
        let r = layout_article(article, &doc, 4000, &options);
        let lines: Vec<String> = r.lines.iter().map(|l| l.to_string()).collect();
        let body_lines: Vec<&String> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
        for l in &body_lines {
            let t = l.trim();
            if NAMED.iter().any(|n| t.starts_with(n)) || t == "广告" {
                row.left += 1;
            }
            if let Some(rest) = t.strip_prefix("[Image]") {
                if file_name.is_match(rest) {
                    row.file_names += 1;
                    if named_files.len() < 20 {
                        named_files.push(format!("{}: {t}", article.path().display()));
                    }
                }
            }
        }
        for w in body_lines.windows(2) {
            if let Some(cap) = w[0].trim().strip_prefix("[Image] ") {
                if !squash(cap).is_empty() && squash(cap) == squash(w[1]) {
                    row.doubled += 1;
                }
            }
        }
        for l in &r.links {
            row.links += 1;
            let absolute = l.href.split_once("://").is_some_and(|(s, _)| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            }) || l.href.starts_with("mailto:");
            if !absolute {
                row.relative += 1;
            }
        }
        // Content paragraphs: <p> of 60+ characters that are not named furniture.
        let all = squash(&lines.concat());
        let html = scraper::Html::parse_fragment(&body.html);
        let sel = scraper::Selector::parse("p").unwrap();
        for p in html.select(&sel) {
            let text: String = p.text().collect();
            let text = text.trim();
            if text.chars().filter(|c| !c.is_whitespace()).count() < 60
                || NAMED.iter().any(|n| text.contains(n))
            {
                continue;
            }
            row.paragraphs += 1;
            let s = squash(text);
            if all.contains(&s) {
                row.kept += 1;
            } else if lost.len() < 20 {
                lost.push(format!(
                    "{}: {}",
                    article.path().display(),
                    text.chars().take(80).collect::<String>()
                ));
            }
        }
    }
    for l in &lost {
        eprintln!("lost: {l}");
    }
    for l in &named_files {
        eprintln!("file name shown: {l}");
    }
    if json {
        let obj: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(name, r)| {
                (
                    name.clone(),
                    serde_json::json!({
                        "reports": r.reports,
                        "removed": r.removed,
                        "left": r.left,
                        "file_names": r.file_names,
                        "doubled": r.doubled,
                        "links": r.links,
                        "relative": r.relative,
                        "paragraphs": r.paragraphs,
                        "kept": r.kept,
                    }),
                )
            })
            .collect();
        println!("{}", serde_json::Value::Object(obj));
        return;
    }
    println!(
        "{:<12} {:>7} {:>8} {:>5} {:>9} {:>7} {:>6} {:>8} {:>9}",
        "outlet", "reports", "removed", "left", "filename", "doubled", "links", "relative", "kept"
    );
    let mut total = Row::default();
    for (name, r) in &rows {
        print_row(name, r);
        total.reports += r.reports;
        total.removed += r.removed;
        total.left += r.left;
        total.file_names += r.file_names;
        total.doubled += r.doubled;
        total.links += r.links;
        total.relative += r.relative;
        total.paragraphs += r.paragraphs;
        total.kept += r.kept;
    }
    print_row("all", &total);
}

fn print_row(name: &str, r: &Row) {
    let kept = if r.paragraphs == 0 {
        100.0
    } else {
        100.0 * r.kept as f64 / r.paragraphs as f64
    };
    println!(
        "{:<12} {:>7} {:>8} {:>5} {:>9} {:>7} {:>6} {:>8} {:>6.2}% ({}/{})",
        name,
        r.reports,
        r.removed,
        r.left,
        r.file_names,
        r.doubled,
        r.links,
        r.relative,
        kept,
        r.kept,
        r.paragraphs
    );
}
