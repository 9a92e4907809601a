//! Two reports made of the input (split at the first NUL, or halved) through the comparison and
//! its text layout: no panic, no control character out, no line wider than the width.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use reader::article::{self, Article, Body, Origin};

fn load(name: &str, data: &[u8]) -> Option<(Article, Body)> {
    let bytes: Arc<[u8]> = data.into();
    let origin = Origin::Memory {
        name: name.into(),
        bytes: bytes.clone(),
    };
    let a = article::parse(origin, &bytes).ok()?;
    let body = a.load_body().ok()?;
    Some((a, body))
}

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (left, right) = data.split_at(cut);
    let right = right.strip_prefix(&[0]).unwrap_or(right);
    let (Some((a, body_a)), Some((b, body_b))) = (load("a.html", left), load("b.html", right))
    else {
        return;
    };
    let c = reader::compare::compare(&a, &body_a, &b, &body_b);
    for line in reader::commands::compare::text_lines(&c, 100, true) {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(reader::columns::width(&text) <= 100, "{text:?}");
    }
});
