//! Random bodies: the comparison never panics and keeps its invariants.

use proptest::prelude::*;
use reader::compare::{Comparison, Input, Script, Side, compare_inputs};
use reader::sanitize::is_forbidden;

const PIECES: &[&str] = &[
    "克里",
    "克裡",
    "佩洛西",
    "特使",
    "发言人汪文斌表示",
    "宣布暂停",
    "氣候談判",
    "8月5日",
    "去年11月",
    "5日，",
    "30%",
    "百分之三十",
    "8项反制措施",
    "一萬億美元",
    "第二十六次",
    "第26屆",
    "《衛報》",
    "「戰狼外交」",
    "“重新走到一起”",
    "。",
    "，",
    "John Kerry",
    "Mayor Elena Ruiz",
    "said",
    "the",
    "on March 8, 2024",
    "12 failed inspections",
    "$40 million",
    "40 percent",
    "COP27",
    "（",
    "）",
    " ",
    "\u{a0}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{7}",
    "&amp;",
    "&lt;b&gt;",
    "<b>",
    "</b>",
    "<br>",
    "<a href=\"x\u{1b}]8;;\">",
    "</a>",
    "2022-10-26T01:34:17Z",
    "Hale",
    "。Commuters",
];

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(&["p", "div", "li", "h2", "span"][..]),
            prop::collection::vec(prop::sample::select(PIECES), 0..12),
        ),
        0..12,
    )
    .prop_map(|paras| {
        paras
            .into_iter()
            .map(|(tag, pieces)| format!("<{tag}>{}</{tag}>", pieces.concat()))
            .collect()
    })
}

fn check(c: &Comparison) {
    for side in [Side::A, Side::B] {
        let col = c.column(side);
        let seen: Vec<usize> = c
            .rows
            .iter()
            .filter_map(|r| if side == Side::A { r.a } else { r.b })
            .collect();
        assert_eq!(seen, (0..col.paragraphs.len()).collect::<Vec<_>>());
        for p in &col.paragraphs {
            assert!(!p.text.is_empty());
            assert!(!p.text.chars().any(is_forbidden), "{:?}", p.text);
            let mut end = 0;
            for m in &p.marks {
                assert!(m.range.start >= end && m.range.start < m.range.end);
                assert!(
                    p.text.is_char_boundary(m.range.start) && p.text.is_char_boundary(m.range.end)
                );
                assert!(m.term < c.terms.len());
                end = m.range.end;
            }
            for script in [Script::Simplified, Script::Traditional] {
                let (text, marks) = p.display(script);
                for m in marks.iter() {
                    assert!(
                        text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end)
                    );
                }
            }
        }
    }
    for t in &c.terms {
        assert_eq!(t.a.is_some(), t.a_count > 0);
        assert_eq!(t.b.is_some(), t.b_count > 0);
    }
    let ledger = c.ledger.both.len() + c.ledger.only_a.len() + c.ledger.only_b.len();
    assert_eq!(ledger, c.terms.len());
    for x in &c.cross_refs {
        assert!(x.a < c.a.paragraphs.len() && x.b < c.b.paragraphs.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_bodies_keep_the_invariants(a in body(), b in body(), days in 0i64..400) {
        let t0: jiff::Timestamp = "2022-09-01T10:21:21Z".parse().unwrap();
        let t1 = t0.checked_add(jiff::SignedDuration::from_hours(days * 24)).unwrap();
        let c = compare_inputs(
            Input { outlet: Some("X"), title: "a\u{1b}[2J", published: Some(t0), html: &a },
            Input { outlet: None, title: "b", published: (days % 3 != 0).then_some(t1), html: &b },
        );
        check(&c);
        prop_assert!(!c.a.header.title.contains(char::from(27)), "title sanitised");
        let lines = reader::commands::compare::text_lines(&c, 40 + (days % 120) as u16, days % 2 == 0);
        for l in &lines {
            prop_assert!(l.width() <= 40 + (days % 120) as usize);
            for s in &l.spans {
                prop_assert!(!s.content.chars().any(is_forbidden), "{:?}", s.content);
            }
        }
    }
}
