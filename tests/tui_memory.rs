//! Memory of the reader's `c` on a large report (issue #15: "memory for one report within a
//! small multiple of its size"), counted by a global allocator as in `tests/memory.rs`: the
//! most bytes live at once, from showing the report in the body to its comparison laid out,
//! per byte of the report. The app runs without workers (everything in place), so the count
//! is exact and repeatable; the work is the same the workers do.
//!
//! One test function: the counters are global, and tests of one binary run on parallel threads.

mod alloc_support;
mod tui_support;

use std::sync::Arc;

use alloc_support::{Counting, peak_with};
use ratatui::layout::Rect;
use reader::article::{self, Origin};
use reader::library::Library;
use reader::tui::app::App;
use tui_support::*;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn page(title: &str, body: &str) -> String {
    format!("<html><head><title>{title}</title></head><body>{body}</body></html>\n")
}

/// `n` ordinary paragraphs (the shape of `report-200m.html` in `scripts/hostile-inputs`).
fn report(n: usize) -> String {
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod \
                 tempor incididunt ut labore et dolore magna aliqua ";
    let para = format!("<p>{}</p>", words.repeat(4));
    let body: String = (0..n)
        .map(|i| para.replacen("lorem", &format!("lorem{}", i % 1000), 1))
        .collect();
    page("report200", &body)
}

fn mem_article(name: &str, text: String) -> reader::article::Article {
    let bytes: Arc<[u8]> = text.into_bytes().into();
    article::parse(
        Origin::Memory {
            name: name.into(),
            bytes: bytes.clone(),
        },
        &bytes,
    )
    .unwrap()
}

/// An app on the report of `n` paragraphs and a short one, the report selected and shown, both
/// marked, scrolled 10 lines into the body; and the report's size.
fn app_on(n: usize) -> (App, usize) {
    let big = report(n);
    let size = big.len();
    let other = page(
        "other",
        &"<p>An ordinary paragraph of an ordinary report.</p>".repeat(5),
    );
    let mut library = Library::default();
    library.extend(
        vec![
            mem_article("report-200m.html", big),
            mem_article("other.html", other),
        ],
        vec![],
    );
    let mut app = App::new(config(), Rect::new(0, 0, 160, 50));
    app.add_library(library);
    if app.selected_article().unwrap().title == "report200" {
        press(&mut app, "Space j Space k");
    } else {
        press(&mut app, "Space j Space");
    }
    assert_eq!(app.selected_article().unwrap().title, "report200");
    assert_eq!(app.marked().len(), 2);
    (app, size)
}

/// The peak bytes, beyond the app with its library, of showing the report of `n` paragraphs,
/// scrolling 10 lines into it and pressing `c`; the report's size; the app, comparison open.
fn peak_of_c(n: usize) -> (usize, usize, App) {
    // Counted from an app with a library of empty reports: the bytes of a report held in
    // memory stand for its file, not for anything the reader holds.
    let (app, _) = app_on(1);
    drop(app);
    let (peak, (app, size)) = peak_with(|| {
        let (mut app, size) = app_on(n);
        press(&mut app, "Tab j j j j j j j j j j c");
        assert!(app.compare_view().is_some());
        assert!(shows(&app, "A¶1"));
        (app, size)
    });
    (peak - size, size, app)
}

#[test]
fn c_on_a_large_report_costs_a_small_multiple_of_it() {
    // Tables built once per process (regexes, dictionaries) are not the report's.
    drop(peak_of_c(200));
    let mut peaks = Vec::new();
    for n in [2_000, 4_000] {
        let (peak, size, mut app) = peak_of_c(n);
        let ratio = peak as f64 / size as f64;
        eprintln!("c on {size} bytes: peak {peak} bytes = {ratio:.2}x");
        assert!(
            ratio <= LIMIT,
            "peak {ratio:.2}x the report (limit {LIMIT}x)"
        );
        peaks.push(peak);
        // The body let go for the comparison comes back where it was read.
        press(&mut app, "Esc");
        assert!(app.compare_view().is_none());
        assert_eq!(app.shown_article().unwrap().title, "report200");
        assert!(app.rendered().is_some());
        assert_eq!(app.body_scroll(), 10);
    }
    let growth = peaks[1] as f64 / peaks[0] as f64;
    assert!(
        growth < 2.3,
        "doubling the report multiplied the peak of `c` by {growth:.2}"
    );
    a_large_body_let_go_while_comparing_comes_back_on_cancel();
}

/// s14: 12.5x before the shown body was let go for the comparison (its HTML, parse, lines
/// and their text, 6.1x, were held beside the comparison's own work); 6.4-7.0x after.
const LIMIT: f64 = 8.0;

/// A large body let go while a comparison is computed on its thread comes back on Esc
/// (run from the one test: the counters are global).
fn a_large_body_let_go_while_comparing_comes_back_on_cancel() {
    let (app, _) = app_on(1_000);
    let (tx, rx) = std::sync::mpsc::channel();
    let mut app = app.with_compare_worker(move |ready| {
        let _ = tx.send(ready);
    });
    press(&mut app, "Tab j j j c");
    assert_eq!(app.working(), Some("comparing…"));
    assert!(app.rendered().is_none());
    assert!(shows(&app, "Comparing…"));
    press(&mut app, "Esc");
    assert_eq!(app.working(), None);
    assert_eq!(app.shown_article().unwrap().title, "report200");
    assert!(app.rendered().is_some());
    assert_eq!(app.body_scroll(), 3);
    // Its answer, had it finished first, is stale and dropped.
    if let Ok(late) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        app.on_compare(late);
    }
    assert!(app.compare_view().is_none());
}
