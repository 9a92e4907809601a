//! The TUI cleans bodies as `reader show` does (issue #10): the outlet's rules and the
//! furniture learned from the library, not the generic rules alone.

mod tui_support;

use std::path::Path;

use ratatui::layout::Rect;
use reader::article;
use reader::library::{Library, LoadEvent};
use reader::render::clean::Cleaner;
use reader::render::{RenderOptions, render_article_with};
use reader::tui::app::App;
use tui_support::*;

const FOOTER: &str = "<br><hr><div>获取更多RSS：<br><a href=\"https://feedx.net\">https://feedx.net</a><br><a href=\"https://feedx.xyz\">https://feedx.xyz</a></div>";

const STORIES: [&str; 4] = [
    "新的一周，市政府公布了城市更新计划，涉及老旧小区的改造和交通设施的升级，预计耗资数十亿元。",
    "当地气象部门发布暴雨预警，提醒市民注意出行安全，部分地区的学校已经宣布停课一天。",
    "一家本地科技公司完成新一轮融资，计划将资金用于研发和扩大海外市场，员工人数将翻一番。",
    "博物馆推出夏季特展，展出近百件首次公开的文物，吸引了大批游客前来参观，门票已经售罄。",
];

/// Four reports of an outlet no rule knows, each ending in the same feed footer.
fn footer_archive(dir: &Path) {
    for (i, s) in STORIES.iter().enumerate() {
        std::fs::write(
            dir.join(format!("{i}.md")),
            format!(
                "<!--159396093{i}000-->\n[第{i}篇报道](https://news.example.org/a/{i}.html)\n------\n\n<p>{s}</p>{FOOTER}"
            ),
        )
        .unwrap();
    }
}

fn body_text(app: &App) -> Vec<String> {
    app.rendered()
        .unwrap()
        .lines
        .iter()
        .map(|l| l.to_string())
        .collect()
}

/// What `reader show` prints for the app's shown article at the app's body width.
fn show_text(app: &App, lib: &Library) -> Vec<String> {
    let a = app.shown_article().unwrap();
    let a = &lib.articles[lib.find(a.path()).unwrap()];
    let body = a.load_body().unwrap();
    let cleaner = Cleaner::for_article(a, Some(lib.learned_furniture(a)));
    let options = RenderOptions {
        color: true,
        byline: true,
        ..RenderOptions::default()
    };
    render_article_with(a, &body, app.body_width().unwrap(), &options, &cleaner)
        .lines
        .iter()
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn learned_furniture_is_gone_from_the_tui_body() {
    let dir = tempfile::tempdir().unwrap();
    footer_archive(dir.path());
    let lib = Library::load(&[dir.path().to_path_buf()]);
    let mut app = App::new(config(), Rect::new(0, 0, 160, 40));
    app.add_library(Library::load(&[dir.path().to_path_buf()]));
    let text = body_text(&app).join("\n");
    assert!(!text.contains("获取更多RSS"), "{text}");
    assert!(!text.contains("feedx"), "{text}");
    assert!(
        STORIES.iter().any(|s| text.replace('\n', "").contains(s)),
        "{text}"
    );
    assert_eq!(body_text(&app), show_text(&app, &lib));
    // On screen too.
    assert!(!shows(&app, "feedx"));
    assert!(STORIES.iter().any(|s| shows(&app, &s[..12])));
}

#[test]
fn a_body_shown_while_loading_is_cleaned_again_when_the_load_ends() {
    let dir = tempfile::tempdir().unwrap();
    footer_archive(dir.path());
    let lib = Library::load(&[dir.path().to_path_buf()]);
    let mut app = App::new(config(), Rect::new(0, 0, 160, 40));
    // The first batch alone: one report, nothing learned yet, the footer still shows.
    let first: Vec<_> = lib.articles[..1].to_vec();
    app.on_load(LoadEvent::Discovered(4));
    app.on_load(LoadEvent::Batch(first, vec![]));
    assert!(body_text(&app).join("\n").contains("feedx"));
    app.on_load(LoadEvent::Batch(lib.articles[1..].to_vec(), vec![]));
    app.on_load(LoadEvent::Done);
    let text = body_text(&app).join("\n");
    assert!(!text.contains("feedx"), "{text}");
    assert_eq!(body_text(&app), show_text(&app, &lib));
}

#[test]
fn outlet_rules_apply_in_the_tui() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean/bbc-furniture.md");
    let a = article::load_file(&path).unwrap();
    let mut app = App::new(config(), Rect::new(0, 0, 160, 50));
    app.add(vec![a], vec![]);
    let text = body_text(&app).join("\n");
    for furniture in ["告知：第三方内容", "Facebook", "图片版权", "54034698"] {
        assert!(!text.contains(furniture), "{furniture:?} in:\n{text}");
    }
    assert!(text.contains("美国政府宣布买下了吉利德公司"), "{text}");
    let lib = Library::load(&[path]);
    assert_eq!(body_text(&app), show_text(&app, &lib));
}
