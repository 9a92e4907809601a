//! The comparison on the two seeds: alignment, terms across scripts, ledger, timeline, header.

use std::path::Path;

use reader::article::load_file;
use reader::compare::{Comparison, Presence, Script, Side, TermKind, TimelineKind, compare};

const GUANCHA: &str = "seeds/guancha-2022-09-01-us-wants-climate-talks.txt";
const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";

fn seeds() -> Comparison {
    let a = load_file(Path::new(GUANCHA)).unwrap();
    let b = load_file(Path::new(DW)).unwrap();
    compare(&a, &a.load_body().unwrap(), &b, &b.load_body().unwrap())
}

/// The index of the only paragraph on `side` containing `needle`.
fn para(c: &Comparison, side: Side, needle: &str) -> usize {
    let hits: Vec<usize> = c
        .column(side)
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.text.contains(needle))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "{needle:?} on {side:?}: {hits:?}");
    hits[0]
}

fn term<'c>(c: &'c Comparison, kind: TermKind, key: &str) -> &'c reader::compare::Term {
    c.terms
        .iter()
        .find(|t| t.kind == kind && t.key == key)
        .unwrap_or_else(|| panic!("no {kind:?} {key}"))
}

#[test]
fn headers_and_gap() {
    let c = seeds();
    assert_eq!(c.a.header.outlet, "观察者网");
    assert_eq!(c.a.header.title, "气候问题上，美国想跟中国重新走到一起");
    assert_eq!(c.a.header.published_label(), "2022-09-01 10:21 UTC");
    assert_eq!(c.b.header.outlet, "德國之聲");
    assert_eq!(c.b.header.title, "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(c.b.header.published_label(), "2022-10-26 01:34 UTC");
    assert_eq!(c.gap, "德國之聲 published 55 days after 观察者网");
}

#[test]
fn paragraphs_of_both_sides() {
    let c = seeds();
    assert_eq!(c.a.paragraphs.len(), 13);
    assert!(
        c.a.paragraphs[0]
            .text
            .starts_with("【文/观察者网 李丽】8月5日，中方宣布暂停")
    );
    // The image-only paragraph is skipped; its caption paragraph stays.
    assert_eq!(
        c.a.paragraphs[3].text,
        "“气候特使约翰克里寻求中美恢复排放谈判” 《金融时报》报道截图"
    );
    // The dateline is no paragraph; the bold line is a heading and keeps its markup.
    assert!(
        c.b.paragraphs
            .iter()
            .all(|p| !p.text.contains("2022-10-26T"))
    );
    assert_eq!(c.b.paragraphs.len(), 18);
    let h = para(&c, Side::B, "北京態度成關鍵");
    assert!(c.b.paragraphs[h].heading);
    assert_eq!(
        c.b.paragraphs[h].html,
        "<p><strong>北京態度成關鍵</strong></p>"
    );
    assert_eq!(c.b.paragraphs.iter().filter(|p| p.heading).count(), 1);
}

#[test]
fn a_quote_both_report_aligns_and_captions_and_notices_do_not() {
    let c = seeds();
    // Kerry's "climate is a global problem", quoted by both, shares a row.
    let a = para(&c, Side::A, "气候危机不是一个双边问题");
    let b = para(&c, Side::B, "氣候是一個普遍的問題");
    let row = c.row_of(Side::A, a).unwrap();
    assert_eq!(c.rows[row].b, Some(b), "rows: {:?}", c.rows);
    assert!(c.rows[row].score.unwrap() >= reader::compare::align::MATCH_THRESHOLD);
    // The picture caption (德國之聲's first paragraph) repeats the Guardian interview but faces
    // no lead paragraph.
    let caption = para(&c, Side::B, "美國氣候特使克里在接受英國《衛報》訪問時");
    assert_eq!(c.rows[c.row_of(Side::B, caption).unwrap()].a, None);
    // The end notices are furniture: they face blanks, not each other.
    let last = c.rows.last().unwrap();
    assert_eq!(last.a, None);
    assert_eq!(last.b, Some(c.b.paragraphs.len() - 1));
    let row_a = c.row_of(Side::A, c.a.paragraphs.len() - 1).unwrap();
    assert_eq!(c.rows[row_a].b, None);
}

#[test]
fn strong_matches_out_of_order_are_cross_referenced() {
    let c = seeds();
    // 观察者网 opens with the suspension after Pelosi's visit; 德國之聲 tells it near the end:
    // too far apart for a row (see align::MAX_SHIFT), so a cross-reference.
    let a = para(&c, Side::A, "以作为对佩洛西窜台的回应之一");
    let b = para(&c, Side::B, "佩洛西（Nancy Pelosi）出訪台灣");
    assert_eq!(c.cross_refs_of(Side::A, a), [b]);
    assert_eq!(c.cross_refs_of(Side::B, b), [a]);
    for x in &c.cross_refs {
        let row_a = c.row_of(Side::A, x.a).unwrap();
        assert_ne!(
            c.rows[row_a].b,
            Some(x.b),
            "a cross-reference is not an aligned pair"
        );
    }
}

#[test]
fn every_paragraph_in_one_row_in_order() {
    let c = seeds();
    for side in [Side::A, Side::B] {
        let seen: Vec<usize> = c
            .rows
            .iter()
            .filter_map(|r| if side == Side::A { r.a } else { r.b })
            .collect();
        let expected: Vec<usize> = (0..c.column(side).paragraphs.len()).collect();
        assert_eq!(seen, expected);
    }
    assert!(c.rows.iter().all(|r| r.a.is_some() || r.b.is_some()));
    assert!(
        c.rows
            .iter()
            .all(|r| r.score.is_some() == (r.a.is_some() && r.b.is_some()))
    );
}

#[test]
fn kerry_is_shared_across_scripts() {
    let c = seeds();
    let kerry = term(&c, TermKind::Name, "克里");
    assert_eq!(kerry.presence, Presence::Both);
    assert_eq!(kerry.a.as_deref(), Some("克里"));
    // 德國之聲 writes both 克里 and, once, 克裡: both are marks of the same term.
    let id = c.terms.iter().position(|t| t == kerry).unwrap();
    let surfaces: Vec<&str> =
        c.b.paragraphs
            .iter()
            .flat_map(|p| {
                p.marks
                    .iter()
                    .filter(|m| m.term == id)
                    .map(|m| &p.text[m.range.clone()])
            })
            .collect();
    assert!(surfaces.contains(&"克裡"), "{surfaces:?}");
    assert!(surfaces.contains(&"克里"));
    // 11 times 克里/克裡 and once the gloss John Kerry in 克里（John Kerry）.
    assert_eq!((kerry.a_count, kerry.b_count), (7, 12), "{kerry:?}");
    assert!(surfaces.contains(&"John Kerry"));
    assert!(c.ledger.both.contains(&id));
    assert_eq!(term(&c, TermKind::Name, "佩洛西").presence, Presence::Both);
}

#[test]
fn one_sided_terms() {
    let c = seeds();
    let pct = term(&c, TermKind::Percent, "30%");
    assert_eq!(pct.presence, Presence::OnlyB);
    assert_eq!((pct.a_count, pct.b_count), (0, 1));
    assert_eq!(pct.b.as_deref(), Some("30%"));
    let measures = term(&c, TermKind::Quantity, "8反制措施");
    assert_eq!(measures.presence, Presence::OnlyA);
    assert_eq!(measures.a.as_deref(), Some("8项反制措施"));
    let id = |t| c.terms.iter().position(|x| x == t).unwrap();
    assert!(c.ledger.only_b.contains(&id(pct)));
    assert!(c.ledger.only_a.contains(&id(measures)));
    // Newspapers each side cites, written in its own script.
    assert_eq!(
        term(&c, TermKind::Work, "《金融时报》").presence,
        Presence::OnlyA
    );
    let guardian = term(&c, TermKind::Work, "《卫报》");
    assert_eq!(guardian.presence, Presence::OnlyB);
    assert_eq!(guardian.b.as_deref(), Some("《衛報》"));
    assert_eq!(term(&c, TermKind::Name, "汪文斌").presence, Presence::OnlyA);
    // Chinese numerals and digits meet: 第二十六次 (A) and 第26屆 (B).
    assert_eq!(term(&c, TermKind::Ordinal, "#26").presence, Presence::Both);
}

#[test]
fn marks_are_sorted_and_point_at_their_terms() {
    let c = seeds();
    for side in [Side::A, Side::B] {
        for p in &c.column(side).paragraphs {
            for w in p.marks.windows(2) {
                assert!(w[0].range.end <= w[1].range.start, "{:?}", p.marks);
            }
            for m in &p.marks {
                let t = &c.terms[m.term];
                assert_eq!(m.presence, t.presence);
                let surface = &p.text[m.range.clone()];
                if t.kind == TermKind::Name && !surface.is_ascii() {
                    let pivot = reader::compare::script::convert(surface, Script::Simplified);
                    assert!(
                        t.key.contains(&*pivot) || pivot.to_lowercase() == t.key,
                        "{surface} {t:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn display_in_one_script_moves_the_marks() {
    let c = seeds();
    let i = para(&c, Side::B, "但克裡向《衛報》透露");
    let p = &c.b.paragraphs[i];
    let (text, marks) = p.display(Script::Simplified);
    assert!(text.contains("但克里向《卫报》透露"), "{text}");
    assert_eq!(marks.len(), p.marks.len());
    let surfaces: Vec<&str> = marks.iter().map(|m| &text[m.range.clone()]).collect();
    assert!(surfaces.contains(&"克里"));
    assert!(surfaces.contains(&"《卫报》"));
    let (same, _) = p.display(Script::Original);
    assert_eq!(same, p.text);
    let a = &c.a.paragraphs[para(&c, Side::A, "8项反制措施")];
    let (trad, _) = a.display(Script::Traditional);
    assert!(trad.contains("8項反制措施"), "{trad}");
}

#[test]
fn timeline_merges_mentions_and_publications() {
    let c = seeds();
    let entries: Vec<(String, bool, bool)> =
        c.timeline.iter().map(|e| (e.when(), e.a, e.b)).collect();
    let pos = |when: &str| {
        entries
            .iter()
            .position(|e| e.0 == when)
            .unwrap_or_else(|| panic!("{when} not in {entries:?}"))
    };
    assert_eq!(
        entries[pos("2022-08-05")],
        ("2022-08-05".into(), true, false)
    );
    assert_eq!(
        entries[pos("2022-08-30")],
        ("2022-08-30".into(), true, false)
    );
    assert_eq!(
        entries[pos("2022-10-25")],
        ("2022-10-25".into(), false, true)
    );
    // 去年8月31日至9月3日: the range end keeps the year of its start.
    assert!(pos("2021-08-31") < pos("2021-09-03"));
    // 今年8月 (德國之聲) is a month.
    assert_eq!(entries[pos("2022-08")], ("2022-08".into(), false, true));
    let pa = pos("2022-09-01 10:21 UTC");
    let pb = pos("2022-10-26 01:34 UTC");
    assert_eq!(c.timeline[pa].kind, TimelineKind::Published);
    assert!(pos("2022-08-30") < pa && pa < pos("2022-10-25") && pos("2022-10-25") < pb);
    assert_eq!(
        c.timeline[pos("2022-08-05")].a_text.as_deref(),
        Some("8月5日")
    );
    // Sorted.
    let keys: Vec<_> = c
        .timeline
        .iter()
        .map(|e| (e.date.year, e.date.month, e.date.day.unwrap_or(0)))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
}
