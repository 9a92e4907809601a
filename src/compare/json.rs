//! The JSON form of a comparison (`reader compare --json`).
//!
//! Paragraph numbers are 1-based, as in the view (`B¶7`); term ids index `terms`; byte ranges
//! (`start`, `end`) index the paragraph's `text`; instants are RFC 3339 UTC or null. The shape
//! is pinned by `tests/compare_json.rs`.

use serde_json::{Value, json};

use super::{Column, Comparison, Presence, Term};

fn stamp(t: Option<jiff::Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::String(t.to_string()))
}

fn presence(p: Presence) -> &'static str {
    match p {
        Presence::Both => "both",
        Presence::OnlyA => "only_a",
        Presence::OnlyB => "only_b",
    }
}

fn column(c: &Column) -> Value {
    json!({
        "outlet": c.header.outlet,
        "title": c.header.title,
        "published": stamp(c.header.published),
        "paragraphs": c.paragraphs.iter().enumerate().map(|(i, p)| json!({
            "number": i + 1,
            "text": p.text,
            "heading": p.heading,
            "terms": p.marks.iter().map(|m| json!({
                "term": m.term,
                "start": m.range.start,
                "end": m.range.end,
                "presence": presence(m.presence),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn term(id: usize, t: &Term) -> Value {
    json!({
        "id": id,
        "kind": t.kind.as_str(),
        "key": t.key,
        "a": t.a,
        "b": t.b,
        "a_count": t.a_count,
        "b_count": t.b_count,
        "presence": presence(t.presence),
        "date": t.date.map(|d| d.iso()),
    })
}

fn sides(a: bool, b: bool) -> Vec<&'static str> {
    [a.then_some("a"), b.then_some("b")]
        .into_iter()
        .flatten()
        .collect()
}

/// The comparison as a JSON value.
pub fn to_json(c: &Comparison) -> Value {
    let number = |i: Option<usize>| i.map(|i| i + 1);
    let group = |ids: &[usize]| {
        ids.iter()
            .map(|&i| json!({"term": i, "kind": c.terms[i].kind.as_str(), "text": c.terms[i].label()}))
            .collect::<Vec<_>>()
    };
    json!({
        "a": column(&c.a),
        "b": column(&c.b),
        "gap": c.gap,
        "rows": c.rows.iter().map(|r| json!({
            "a": number(r.a),
            "b": number(r.b),
            "score": r.score,
                    })).collect::<Vec<_>>(),
        "cross_refs": c.cross_refs.iter().map(|x| json!({
            "a": x.a + 1,
            "b": x.b + 1,
            "score": x.score,
        })).collect::<Vec<_>>(),
        "terms": c.terms.iter().enumerate().map(|(i, t)| term(i, t)).collect::<Vec<_>>(),
        "ledger": {
            "both": group(&c.ledger.both),
            "only_a": group(&c.ledger.only_a),
            "only_b": group(&c.ledger.only_b),
        },
        "timeline": c.timeline.iter().map(|e| json!({
            "date": e.date.iso(),
            "kind": e.kind,
            "sides": sides(e.a, e.b),
            "a_text": e.a_text,
            "b_text": e.b_text,
            "time": stamp(e.time),
        })).collect::<Vec<_>>(),
    })
}
