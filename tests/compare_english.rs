//! The comparison on a short English pair written for the tests (tests/fixtures/compare/).

use std::path::Path;

use reader::article::load_file;
use reader::compare::{Comparison, Presence, Side, TermKind, compare};

const GAZETTE: &str = "tests/fixtures/compare/harbor-gazette-ferry-contract.txt";
const DAILY: &str = "tests/fixtures/compare/coastal-daily-ferry-dispute.txt";

fn pair() -> Comparison {
    let a = load_file(Path::new(GAZETTE)).unwrap();
    let b = load_file(Path::new(DAILY)).unwrap();
    compare(&a, &a.load_body().unwrap(), &b, &b.load_body().unwrap())
}

fn presence(c: &Comparison, kind: TermKind, key: &str) -> Presence {
    c.terms
        .iter()
        .find(|t| t.kind == kind && t.key == key)
        .unwrap_or_else(|| panic!("no {kind:?} {key} in {:?}", c.terms))
        .presence
}

#[test]
fn related_paragraphs_share_rows_in_order() {
    let c = pair();
    let pairs: Vec<(Option<usize>, Option<usize>)> = c.rows.iter().map(|r| (r.a, r.b)).collect();
    assert_eq!(
        pairs,
        [
            // Council suspends the contract / operator rejects the report that led to it.
            (Some(0), Some(0)),
            (None, Some(1)),
            // The February 26 report.
            (Some(1), Some(2)),
            (None, Some(3)),
            // The mayor's temporary bus service.
            (Some(2), Some(4)),
            (Some(3), None),
            (Some(4), None),
            (Some(5), None),
            (None, Some(5)),
        ]
    );
    assert!(c.cross_refs.is_empty());
    assert_eq!(c.a.paragraphs.len(), 6);
    assert_eq!(c.b.paragraphs.len(), 6, "the dateline is no paragraph");
}

#[test]
fn terms_both_and_one_sided() {
    let c = pair();
    for key in ["blue line ferries", "harbor city", "elena ruiz"] {
        assert_eq!(presence(&c, TermKind::Name, key), Presence::Both, "{key}");
    }
    assert_eq!(
        presence(&c, TermKind::Date, "date:2024-02-26"),
        Presence::Both
    );
    assert_eq!(
        presence(&c, TermKind::Quantity, "12 failed inspections"),
        Presence::OnlyA
    );
    assert_eq!(
        presence(&c, TermKind::Quantity, "$40 million"),
        Presence::OnlyA
    );
    assert_eq!(
        presence(&c, TermKind::Quote, "“unacceptable risk”"),
        Presence::OnlyA
    );
    assert_eq!(
        presence(&c, TermKind::Date, "date:2024-04-15"),
        Presence::OnlyA
    );
    assert_eq!(presence(&c, TermKind::Percent, "40%"), Presence::OnlyB);
    assert_eq!(presence(&c, TermKind::Name, "martin hale"), Presence::OnlyB);
    assert_eq!(
        presence(&c, TermKind::Date, "date:2024-03-08"),
        Presence::OnlyB
    );
    // "Hale said …" is Martin Hale; "Commuters", "Mayor", "Chief" and weekdays are no names.
    let hale = c.terms.iter().find(|t| t.key == "martin hale").unwrap();
    assert_eq!(hale.b_count, 2);
    let names: Vec<&str> = c
        .terms
        .iter()
        .filter(|t| t.kind == TermKind::Name)
        .map(|t| t.key.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "harbor city",
            "blue line ferries",
            "elena ruiz",
            "martin hale"
        ]
    );
}

#[test]
fn header_gap_and_timeline() {
    let c = pair();
    assert_eq!(c.a.header.outlet, "Harbor Gazette");
    assert_eq!(c.b.header.outlet, "coastal-daily.example");
    assert_eq!(
        c.gap,
        "coastal-daily.example published 2 days after Harbor Gazette"
    );
    let t: Vec<(String, bool, bool)> = c.timeline.iter().map(|e| (e.when(), e.a, e.b)).collect();
    assert_eq!(
        t,
        [
            ("2024-02-26".to_string(), true, true),
            ("2024-03-08".to_string(), false, true),
            ("2024-03-12 08:30 UTC".to_string(), true, false),
            ("2024-03-14 10:00 UTC".to_string(), false, true),
            ("2024-04-15".to_string(), true, false),
        ]
    );
}

#[test]
fn marks_cover_the_names_in_the_text() {
    let c = pair();
    let p = &c.b.paragraphs[1];
    let marked: Vec<&str> = p.marks.iter().map(|m| &p.text[m.range.clone()]).collect();
    assert_eq!(marked, ["Martin Hale", "March 8"]);
    assert!(p.marks.iter().all(|m| m.presence == Presence::OnlyB));
    let ruiz = c.column(Side::A).paragraphs[2]
        .marks
        .iter()
        .find(|m| c.terms[m.term].key == "elena ruiz")
        .unwrap();
    assert_eq!(&c.a.paragraphs[2].text[ruiz.range.clone()], "Elena Ruiz");
    assert!(ruiz.presence.shared());
}
