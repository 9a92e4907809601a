//! Any text as body HTML through the renderer at the width the first byte picks: no panic, no
//! control character out, no line wider than the width.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reader::render::{RenderOptions, render_html};

fuzz_target!(|data: &[u8]| {
    let Some((&w, rest)) = data.split_first() else {
        return;
    };
    let width = 1 + u16::from(w % 160);
    let html = String::from_utf8_lossy(rest);
    let r = render_html(&html, width, &RenderOptions::new(true));
    for line in &r.lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(!text.chars().any(char::is_control), "{text:?}");
        assert!(reader::columns::width(&text) <= width as usize, "{text:?}");
    }
});
