//! The shape of `reader compare --json`: exact keys and value types at every level.

mod cli_support;
use cli_support::TestHome;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[track_caller]
fn assert_keys(v: &Value, expected: &[&str]) {
    assert_eq!(keys(v), expected.iter().copied().collect(), "{v}");
}

fn is_uint(v: &Value) -> bool {
    v.as_u64().is_some()
}

fn is_opt<F: Fn(&Value) -> bool>(v: &Value, f: F) -> bool {
    v.is_null() || f(v)
}

fn is_rfc3339(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.parse::<jiff::Timestamp>().is_ok() && s.ends_with('Z'))
}

fn check_schema(v: &Value) {
    assert_keys(
        v,
        &[
            "a",
            "b",
            "cross_refs",
            "gap",
            "ledger",
            "rows",
            "terms",
            "timeline",
        ],
    );
    assert!(v["gap"].is_string());
    let n_terms = v["terms"].as_array().unwrap().len();
    let mut counts = [0usize; 2];
    for (side, count) in ["a", "b"].iter().zip(counts.iter_mut()) {
        let col = &v[side];
        assert_keys(col, &["outlet", "paragraphs", "published", "title"]);
        assert!(col["outlet"].is_string() && col["title"].is_string());
        assert!(is_opt(&col["published"], is_rfc3339));
        let paras = col["paragraphs"].as_array().unwrap();
        *count = paras.len();
        for (i, p) in paras.iter().enumerate() {
            assert_keys(p, &["heading", "number", "terms", "text"]);
            assert_eq!(p["number"].as_u64(), Some(i as u64 + 1));
            assert!(p["heading"].is_boolean());
            let text = p["text"].as_str().unwrap();
            for m in p["terms"].as_array().unwrap() {
                assert_keys(m, &["end", "presence", "start", "term"]);
                let (s, e) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                assert!(
                    s < e
                        && text.is_char_boundary(s)
                        && text.is_char_boundary(e)
                        && e <= text.len()
                );
                assert!((m["term"].as_u64().unwrap() as usize) < n_terms);
                assert!(["both", "only_a", "only_b"].contains(&m["presence"].as_str().unwrap()));
            }
        }
    }
    let rows = v["rows"].as_array().unwrap();
    let (mut seen_a, mut seen_b) = (0, 0);
    for r in rows {
        assert_keys(r, &["a", "b", "score"]);
        assert!(is_opt(&r["a"], is_uint) && is_opt(&r["b"], is_uint));
        assert_eq!(r["score"].is_f64(), !r["a"].is_null() && !r["b"].is_null());
        seen_a += usize::from(!r["a"].is_null());
        seen_b += usize::from(!r["b"].is_null());
    }
    assert_eq!([seen_a, seen_b], counts, "every paragraph in one row");
    for x in v["cross_refs"].as_array().unwrap() {
        assert_keys(x, &["a", "b", "score"]);
        assert!(is_uint(&x["a"]) && is_uint(&x["b"]) && x["score"].is_f64());
    }
    for (i, t) in v["terms"].as_array().unwrap().iter().enumerate() {
        assert_keys(
            t,
            &[
                "a", "a_count", "b", "b_count", "date", "id", "key", "kind", "presence",
            ],
        );
        assert_eq!(t["id"].as_u64(), Some(i as u64));
        assert!(t["key"].is_string());
        assert!(is_opt(&t["a"], Value::is_string) && is_opt(&t["b"], Value::is_string));
        assert!(is_uint(&t["a_count"]) && is_uint(&t["b_count"]));
        assert!(
            [
                "name", "work", "quote", "topic", "date", "percent", "quantity", "ordinal",
                "number"
            ]
            .contains(&t["kind"].as_str().unwrap())
        );
        assert_eq!(t["date"].is_string(), t["kind"] == "date");
        assert!(["both", "only_a", "only_b"].contains(&t["presence"].as_str().unwrap()));
    }
    let ledger = &v["ledger"];
    assert_keys(ledger, &["both", "only_a", "only_b"]);
    let mut total = 0;
    for g in ["both", "only_a", "only_b"] {
        for e in ledger[g].as_array().unwrap() {
            assert_keys(e, &["kind", "term", "text"]);
            assert!(e["kind"].is_string() && e["text"].is_string() && is_uint(&e["term"]));
            assert_eq!(
                v["terms"][e["term"].as_u64().unwrap() as usize]["presence"],
                g
            );
            total += 1;
        }
    }
    assert_eq!(total, n_terms, "the ledger holds every term once");
    for e in v["timeline"].as_array().unwrap() {
        assert_keys(e, &["a_text", "b_text", "date", "kind", "sides", "time"]);
        assert!(e["date"].is_string());
        let kind = e["kind"].as_str().unwrap();
        assert!(["mentioned", "published"].contains(&kind));
        assert_eq!(is_rfc3339(&e["time"]), kind == "published");
        assert!(is_opt(&e["a_text"], Value::is_string) && is_opt(&e["b_text"], Value::is_string));
        let sides: Vec<&str> = e["sides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            matches!(sides.as_slice(), ["a"] | ["b"] | ["a", "b"]),
            "{sides:?}"
        );
    }
}

#[test]
fn seeds_by_index() {
    // `reader list` shows the bundled seeds newest first: 1 is 德國之聲, 2 is 观察者网.
    let v = run(&["compare", "2", "1", "--json"]);
    check_schema(&v);
    assert_eq!(v["a"]["outlet"], "观察者网");
    assert_eq!(v["b"]["outlet"], "德國之聲");
    assert_eq!(v["a"]["published"], "2022-09-01T10:21:21Z");
    assert_eq!(v["gap"], "德國之聲 published 55 days after 观察者网");
    let t = v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "30%")
        .unwrap();
    assert_eq!(t["presence"], "only_b");
    assert_eq!(t["kind"], "percent");
    assert_eq!(t["a"], Value::Null);
    assert_eq!(t["b"], "30%");
    assert!(!v["cross_refs"].as_array().unwrap().is_empty());
    let mention = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"] == "2022-10-25")
        .unwrap();
    assert_eq!(mention["sides"], serde_json::json!(["b"]));
    assert_eq!(mention["b_text"], "10月25日");
}

#[test]
fn files_by_path() {
    let v = run(&[
        "compare",
        "tests/fixtures/compare/harbor-gazette-ferry-contract.txt",
        "tests/fixtures/compare/coastal-daily-ferry-dispute.txt",
        "--json",
    ]);
    check_schema(&v);
    assert_eq!(
        v["a"]["title"],
        "Council suspends ferry contract after safety report"
    );
    assert_eq!(
        v["rows"][0],
        serde_json::json!({"a": 1, "b": 1, "score": v["rows"][0]["score"]})
    );
}
