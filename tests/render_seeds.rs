//! Both seeds rendered at 30, 60 and 100 columns, as text (insta snapshots, read by eye), with
//! the width invariant and the styles checked explicitly (snapshots do not show styles).

use ratatui::style::Modifier;
use reader::article::{self, Article, Body};
use reader::render::{RenderOptions, Rendered, render_article};

const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";
const GUANCHA: &str = "seeds/guancha-2022-09-01-us-wants-climate-talks.txt";

fn load(path: &str) -> (Article, Body) {
    let a = article::load_file(std::path::Path::new(path)).expect("seed loads");
    let b = a.load_body().expect("seed body loads");
    (a, b)
}

fn render(path: &str, width: u16) -> Rendered {
    let (a, b) = load(path);
    let r = render_article(&a, &b, width, &RenderOptions::new(true));
    for l in &r.lines {
        assert!(
            l.width() <= width as usize,
            "{:?} wider than {width}",
            l.to_string()
        );
    }
    r
}

/// One line per rendered line, framed so trailing spaces and widths are visible.
fn framed(r: &Rendered) -> String {
    r.lines
        .iter()
        .map(|l| format!("|{}|", l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn dw_snapshots() {
    for width in [30, 60, 100] {
        insta::assert_snapshot!(format!("dw_{width}"), framed(&render(DW, width)));
    }
}

#[test]
fn guancha_snapshots() {
    for width in [30, 60, 100] {
        insta::assert_snapshot!(format!("guancha_{width}"), framed(&render(GUANCHA, width)));
    }
}

#[test]
fn seed_styles() {
    let r = render(DW, 60);
    let title = &r.lines[0].spans[0];
    assert_eq!(title.content, "COP27即將召開 美籲中重啟氣候對話");
    assert!(title.style.add_modifier.contains(Modifier::BOLD));
    // The bold subheading 北京態度成關鍵.
    let strong = r
        .lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.content == "北京態度成關鍵")
        .expect("subheading");
    assert!(strong.style.add_modifier.contains(Modifier::BOLD));
    // Link text is underlined, and listed with its decoded URL.
    let link = r
        .lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.content.starts_with("第26屆"))
        .expect("link text");
    assert!(link.style.add_modifier.contains(Modifier::UNDERLINED));
    assert_eq!(r.links.len(), 2);
    assert_eq!(r.links[1].text, "第26屆聯合國氣候峰會上");
    assert_eq!(
        r.links[1].url,
        "https://api.dw.com/api/detail/article/59814202"
    );
    // Its text and `[2]` are marked for OSC 8 in the body: 第26屆聯合國氣候峰會上[2] = 25 columns.
    let links_heading = r
        .lines
        .iter()
        .position(|l| l.to_string() == "Links")
        .expect("Links section");
    let covered: u16 = r
        .link_spans
        .iter()
        .filter(|s| s.number == 2 && s.line < links_heading)
        .map(|s| s.columns.end - s.columns.start)
        .sum();
    assert_eq!(covered, 25);
}

#[test]
fn every_width_from_1_to_120_fits() {
    for path in [DW, GUANCHA] {
        let (a, b) = load(path);
        for width in 1..=120u16 {
            let r = render_article(&a, &b, width, &RenderOptions::default());
            assert!(!r.lines.is_empty());
            for l in &r.lines {
                assert!(
                    l.width() <= width as usize,
                    "{path} at {width}: {:?}",
                    l.to_string()
                );
            }
        }
    }
}
