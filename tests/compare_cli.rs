//! `reader compare` as text: layout at several widths, safety, errors, snapshots.

mod cli_support;
use cli_support::TestHome;

use std::process::{Command, Output};

use unicode_width::UnicodeWidthStr;

const GAZETTE: &str = "tests/fixtures/compare/harbor-gazette-ferry-contract.txt";
const DAILY: &str = "tests/fixtures/compare/coastal-daily-ferry-dispute.txt";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn text(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[track_caller]
fn assert_fits(s: &str, width: usize) {
    for line in s.lines() {
        assert!(line.width() <= width, "{line:?} is {} wide", line.width());
        assert!(!line.ends_with(' '), "trailing blank in {line:?}");
    }
}

#[test]
fn seeds_side_by_side() {
    for width in [60usize, 100, 160] {
        let s = text(&["compare", "2", "1", "--width", &width.to_string()]);
        assert_fits(&s, width);
        assert!(!s.contains('\u{1b}'), "no escapes in a pipe");
        let first = s.lines().next().unwrap();
        assert!(first.starts_with("A 观察者网"), "{first}");
        assert!(first.contains(" │ B 德國之聲"), "{first}");
        assert!(s.contains("\n德國之聲 published 55 days after 观察者网\n"));
        assert!(s.contains("A¶1  ↔ B¶14"), "the cross-reference is shown");
        assert!(s.contains("B¶14  ↔ A¶1"));
        assert!(s.contains("\nLedger\n") && s.contains("\nTimeline\n"));
        assert!(s.contains("  Only B ("));
        let tl = s
            .lines()
            .find(|l| l.contains("published (观察者网)"))
            .unwrap();
        assert_eq!(tl, "  2022-09-01 10:21 UTC A    published (观察者网)");
    }
}

#[test]
fn aligned_paragraphs_share_lines() {
    let s = text(&["compare", "2", "1", "--width", "120"]);
    // The labels of the renewables row stand on one line, A on the left and B on the right.
    let label = s.lines().find(|l| l.starts_with("A¶6")).unwrap();
    assert!(label.contains("│ B¶16"), "{label}");
    let left_width = label.split('│').next().unwrap().width();
    for line in s.lines().filter(|l| l.contains('│')) {
        assert_eq!(
            line.split('│').next().unwrap().width(),
            left_width,
            "{line}"
        );
    }
}

#[test]
fn narrow_widths_stack_the_columns() {
    let s = text(&["compare", GAZETTE, DAILY, "--width", "50"]);
    assert_fits(&s, 50);
    assert!(!s.contains('│'));
    let lines: Vec<&str> = s.lines().collect();
    let a1 = lines.iter().position(|l| *l == "A¶1").unwrap();
    let b1 = lines.iter().position(|l| *l == "B¶1").unwrap();
    assert!(a1 < b1);
    assert!(
        lines[a1..b1].iter().all(|l| !l.starts_with('┄')),
        "a pair stays in one row"
    );
    assert!(s.contains("coastal-daily.example published 2 days after"));
    // Very narrow still fits.
    let s = text(&["compare", GAZETTE, DAILY, "--width", "24"]);
    assert_fits(&s, 24);
}

#[test]
fn colour_only_when_asked_and_terms_are_styled() {
    let s = text(&[
        "compare", "--color", "always", GAZETTE, DAILY, "--width", "100",
    ]);
    // Shared terms underlined, one-sided ones bold.
    assert!(
        s.contains("\u{1b}[4mElena Ruiz\u{1b}[0m") || s.contains("\u{1b}[4mElena"),
        "{s}"
    );
    assert!(s.contains("\u{1b}[1m40%\u{1b}[0m"), "{s}");
    for c in s.chars() {
        assert!(c == '\n' || c == '\u{1b}' || !c.is_control(), "{c:?}");
    }
    let plain = text(&[
        "compare", "--color", "never", GAZETTE, DAILY, "--width", "100",
    ]);
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn bad_arguments_are_explained() {
    let out = run(&["compare", "1", "9"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no article 9"), "{err}");
    let out = run(&["compare", "nope.txt", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.txt: no such file"));
}

#[test]
fn english_pair_snapshot_100() {
    insta::assert_snapshot!(text(&["compare", GAZETTE, DAILY, "--width", "100"]));
}

#[test]
fn english_pair_snapshot_stacked_50() {
    insta::assert_snapshot!(text(&["compare", GAZETTE, DAILY, "--width", "50"]));
}

#[test]
fn seeds_snapshot_160() {
    insta::assert_snapshot!(text(&["compare", "2", "1", "--width", "160"]));
}

#[test]
fn a_paragraph_for_a_pane_in_one_script() {
    use ratatui::style::Modifier;
    use reader::commands::compare::{MarkStyles, paragraph_label, paragraph_lines};
    use reader::compare::{Script, Side, compare};
    use reader::render::RenderOptions;

    let load = |p: &str| {
        let a = reader::article::load_file(std::path::Path::new(p)).unwrap();
        let b = a.load_body().unwrap();
        (a, b)
    };
    let (a, ab) = load("seeds/guancha-2022-09-01-us-wants-climate-talks.txt");
    let (b, bb) = load("seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt");
    let c = compare(&a, &ab, &b, &bb);
    let i =
        c.b.paragraphs
            .iter()
            .position(|p| p.text.contains("但克裡向《衛報》透露"))
            .unwrap();
    let lines = paragraph_lines(
        &c,
        Side::B,
        i,
        30,
        Script::Simplified,
        &RenderOptions::new(false),
        Some(&MarkStyles::default()),
    );
    assert!(lines.iter().all(|l| l.width() <= 30));
    let text: String = lines.iter().map(|l| l.to_string()).collect();
    assert!(text.contains("克里向《卫报》透露"), "{text}");
    let styled = |needle: &str, m: Modifier| {
        lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .any(|s| s.content.contains(needle) && s.style.add_modifier.contains(m))
    };
    assert!(styled("克里", Modifier::UNDERLINED), "shared: underlined");
    assert!(styled("《卫报》", Modifier::BOLD), "only in B: bold");
    assert_eq!(paragraph_label(&c, Side::B, 13), "B¶14  ↔ A¶1");
    // Without marks nothing is underlined.
    let plain = paragraph_lines(
        &c,
        Side::B,
        i,
        30,
        Script::Original,
        &RenderOptions::new(false),
        None,
    );
    assert!(
        plain
            .iter()
            .map(|l| l.to_string())
            .collect::<String>()
            .contains("克裡")
    );
}
