//! TUI benchmarks (issue #4). `cargo bench --bench tui` prints three reports, then runs the
//! criterion benchmarks:
//!
//! 1. Key event → drawn frame at 200x60 with 10,000 articles: median and p99 over 2,000 keys,
//!    for list steps, the preview once the selection rests, and body page-downs. Frames are
//!    encoded by the real backend into a byte counter, so encoding is included.
//! 2. Bytes written at 120x40 per list step and per body page-down, through the reader's
//!    `LeanBackend` and, for comparison, ratatui's stock `CrosstermBackend`.
//! 3. Launch to first frame: the release binary in a pseudo-terminal on 10,000 generated files
//!    (`TUI_BENCH_FILES=100000` for issue #6's large archive), until the first frame, and until
//!    the first frame that lists articles.
//!
//! 4. A 5 MB article: opening it (read, parse, first layout: the worker's job) and a resize
//!    (a layout from the kept parse), against a whole render per width as before.
//!
//! 5. The list at 1,000 and 100,000 reports (issue #12: day headers, outlets, dates): key →
//!    frame at 200x60 for list steps and page moves, a filter keystroke, opening the outlets
//!    overlay, and a jump to a date. Frame times must not grow with the list.
//!
//! `TUI_BENCH=latency cargo bench --bench tui` runs only the first report, `TUI_BENCH=resize`
//! only the fourth, `TUI_BENCH=list` only the fifth.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use reader::article::{self, Article, Origin};
use reader::tui::app::{App, Clock, Config};
use reader::tui::backend::{Counting, LeanBackend};
use reader::tui::ui;

/// Deterministic CJK paragraphs, Simplified or Traditional.
fn paragraph(i: usize, traditional: bool) -> String {
    const HANS: [&str; 6] = [
        "美国气候问题特使克里表示，希望中方能恢复双边气候谈判。",
        "中方宣布暂停与美国的气候谈判，以作为对佩洛西窜台的回应之一。",
        "联合国气候变化大会第27次会议将于11月在埃及举行。",
        "发展中国家不断要求已开发国家对破坏地球支付赔偿。",
        "双方在减排目标、资金援助和技术转让上仍有分歧。",
        "分析人士认为，气候合作是中美关系中少有的共同议题。",
    ];
    const HANT: [&str; 6] = [
        "美國氣候特使克里表示，希望中方能恢復雙邊氣候談判。",
        "中方宣布暫停與美國的氣候談判，以作為對裴洛西訪台的回應之一。",
        "聯合國氣候變化大會第27次會議將於11月在埃及舉行。",
        "發展中國家不斷要求已開發國家對破壞地球支付賠償。",
        "雙方在減排目標、資金援助和技術轉讓上仍有分歧。",
        "分析人士認為，氣候合作是中美關係中少有的共同議題。",
    ];
    let set = if traditional { HANT } else { HANS };
    (0..3).map(|k| set[(i + k * 5) % 6]).collect()
}

/// One generated report of either format, about 4 KB with `paras` paragraphs.
fn report(i: usize, paras: usize) -> Vec<u8> {
    let year = 2015 + i % 10;
    let month = 1 + i % 12;
    let day = 1 + i % 28;
    let body: String = (0..paras)
        .map(|p| {
            if p % 5 == 2 {
                format!(
                    "<p>{}<a href=\"https://example.com/{i}/{p}\">相关报道{p}</a></p>\n",
                    paragraph(i + p, i % 2 == 1)
                )
            } else {
                format!("<p>{}</p>\n", paragraph(i + p, i % 2 == 1))
            }
        })
        .collect();
    if i % 2 == 0 {
        format!(
            "---\ntitle: '第{i}号：气候问题上，美国想跟中国重新走到一起'\ncategories:\n - 国际\nauthor: 观察者网\ndate: {year}-{month:02}-{day:02} 10:{:02}:00\n---\n\n<div>{body}</div>\n",
            i % 60
        )
        .into_bytes()
    } else {
        let ms = jiff::civil::date(year as i16, month as i8, day as i8)
            .at(1, (i % 60) as i8, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp()
            .as_millisecond();
        format!(
            "<!--{ms}-->\n[第{i}號 COP27即將召開 美籲中重啟氣候對話](https://www.dw.com/zh/a-{i})\n------\n\n<div><i><br>{year}-{month:02}-{day:02}T01:00:00.000Z</i></div>{body}\n"
        )
        .into_bytes()
    }
}

fn corpus(n: usize) -> Vec<Article> {
    (0..n)
        .map(|i| {
            let bytes: Arc<[u8]> = Arc::from(report(i, 14 + i % 20));
            let origin = Origin::Memory {
                name: format!("gen/{i:05}.txt").into(),
                bytes: bytes.clone(),
            };
            article::parse(origin, &bytes).expect("generated reports parse")
        })
        .collect()
}

fn app(articles: Vec<Article>, width: u16, height: u16) -> App {
    let config = Config {
        color: true,
        ascii: false,
        mouse: false,
        defer_preview: true,
        clock: Clock {
            now: "2025-11-22T08:00:00Z".parse().unwrap(),
            tz: jiff::tz::TimeZone::UTC,
        },
    };
    let mut app = App::new(config, Rect::new(0, 0, width, height));
    app.add(articles, vec![]);
    app
}

fn terminal<B: Backend>(backend: B, width: u16, height: u16) -> Terminal<B> {
    Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        },
    )
    .unwrap()
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report_latency(articles: &[Article]) {
    let mut app = app(articles.to_vec(), 200, 60);
    let mut term = terminal(LeanBackend::new(Counting::new(std::io::sink())), 200, 60);
    term.draw(|f| ui::draw(f, &app)).unwrap();
    let mut measure = |label: &str, app: &mut App, f: &mut dyn FnMut(&mut App)| {
        let mut times = Vec::with_capacity(2000);
        for _ in 0..2000 {
            let start = Instant::now();
            f(app);
            term.draw(|frame| ui::draw(frame, app)).unwrap();
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "tui/key_to_frame 200x60 10k {label:<28} median {:>7.1?}  p99 {:>7.1?}  max {:>7.1?}",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times[times.len() - 1]
        );
    };
    let mut n = 0usize;
    measure("list step (j/k)", &mut app, &mut |app| {
        n += 1;
        // Down 1,000 rows then back up, so each key moves the selection.
        app.handle_key(&key(if n % 2000 < 1000 { 'j' } else { 'k' }));
    });
    let mut n = 0usize;
    measure("list step + preview at rest", &mut app, &mut |app| {
        n += 1;
        app.handle_key(&key(if n % 2000 < 1000 { 'j' } else { 'k' }));
        app.settle();
    });
    app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let mut n = 0usize;
    measure("body page down/up", &mut app, &mut |app| {
        n += 1;
        let code = if n % 4 < 2 {
            KeyCode::PageDown
        } else {
            KeyCode::PageUp
        };
        app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
    });
    let mut n = 0usize;
    measure("next article (J) in body", &mut app, &mut |app| {
        n += 1;
        let c = if n % 2000 < 1000 { 'J' } else { 'K' };
        app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT));
    });
}

/// Average bytes per step at 120x40 for a backend.
fn bytes_per_step<B: Backend, F: FnMut() -> usize>(
    articles: &[Article],
    backend: B,
    mut count: F,
) -> (f64, f64, f64) {
    let mut app = app(articles.to_vec(), 120, 40);
    let mut term = terminal(backend, 120, 40);
    term.draw(|f| ui::draw(f, &app)).unwrap();
    // List steps while the key is held (the preview waits).
    let steps = 200;
    let before = count();
    for _ in 0..steps {
        app.handle_key(&key('j'));
        term.draw(|f| ui::draw(f, &app)).unwrap();
    }
    let list = (count() - before) as f64 / steps as f64;
    // The preview that follows when the selection rests.
    let before = count();
    app.settle();
    term.draw(|f| ui::draw(f, &app)).unwrap();
    let rest = (count() - before) as f64;
    // Page-downs through long articles (start over at the next article at the end).
    app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    term.draw(|f| ui::draw(f, &app)).unwrap();
    let mut pages = 0;
    let mut bytes = 0;
    while pages < 100 {
        let top = app.body_scroll();
        app.handle_key(&KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
        if app.body_scroll() == top {
            app.handle_key(&KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT));
            term.draw(|f| ui::draw(f, &app)).unwrap();
            continue;
        }
        let before = count();
        term.draw(|f| ui::draw(f, &app)).unwrap();
        bytes += count() - before;
        pages += 1;
    }
    (list, rest, bytes as f64 / pages as f64)
}

fn report_bytes(articles: &[Article]) {
    let lean = Counting::new(std::io::sink());
    let lean_count = lean.counter();
    let (list, rest, page) = bytes_per_step(articles, LeanBackend::new(lean), || {
        lean_count.load(Ordering::Relaxed)
    });
    println!(
        "tui/bytes 120x40 LeanBackend:      {list:>6.0} B per list step, {page:>6.0} B per page-down, {rest:>6.0} B for the preview at rest"
    );
    let stock = Counting::new(std::io::sink());
    let stock_count = stock.counter();
    let (list, rest, page) = bytes_per_step(articles, CrosstermBackend::new(stock), || {
        stock_count.load(Ordering::Relaxed)
    });
    println!(
        "tui/bytes 120x40 CrosstermBackend: {list:>6.0} B per list step, {page:>6.0} B per page-down, {rest:>6.0} B for the preview at rest"
    );
}

/// How many files the launch report generates: `TUI_BENCH_FILES` (issue #6 asks about 100,000),
/// else 10,000 (issue #4).
fn launch_files() -> usize {
    std::env::var("TUI_BENCH_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

fn report_launch() {
    let bin = env!("CARGO_BIN_EXE_reader");
    let dir = tempfile::tempdir().unwrap();
    let files = launch_files();
    for i in 0..files {
        std::fs::write(
            dir.path().join(format!("{i:05}.txt")),
            report(i, 14 + i % 20),
        )
        .unwrap();
    }
    let mut first = Vec::new();
    let mut listed = Vec::new();
    for _ in 0..7 {
        let (a, b) = launch_once(bin, dir.path());
        first.push(a);
        listed.push(b);
    }
    first.sort();
    listed.sort();
    println!(
        "tui/launch {files} files (pty, 120x40): first frame median {:.1?}; first frame listing articles median {:.1?} (min {:.1?}, max {:.1?})",
        first[first.len() / 2],
        listed[listed.len() / 2],
        listed[0],
        listed[listed.len() - 1]
    );
}

/// Starts the reader in a pseudo-terminal; returns the time to the first frame and to the
/// first frame that lists articles.
fn launch_once(bin: &str, dir: &Path) -> (Duration, Duration) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(bin);
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    // A fresh metadata cache each time: this measures the first launch on the folder (the
    // relaunch through the cache is benches/load.rs's).
    let xdg = tempfile::tempdir().unwrap();
    cmd.env("XDG_CACHE_HOME", xdg.path().join("cache"));
    cmd.env("XDG_CONFIG_HOME", xdg.path().join("config"));
    cmd.env("XDG_DATA_HOME", xdg.path().join("data"));
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(40).unwrap(),
        std::num::NonZeroU16::new(120).unwrap(),
        0,
    );
    let mut first = None;
    let mut listed = None;
    let mut buf = [0u8; 65536];
    while listed.is_none() && start.elapsed() < Duration::from_secs(20) {
        let n = reader.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        parser.process(&buf[..n]);
        let text = parser.screen().contents();
        if first.is_none() && text.contains("Articles") {
            first = Some(start.elapsed());
        }
        if text.contains("2024-") || text.contains("2023-") {
            listed = Some(start.elapsed());
        }
    }
    let _ = writer.write_all(b"\x03");
    let _ = writer.flush();
    let _ = child.wait();
    (
        first.unwrap_or(Duration::MAX),
        listed.unwrap_or(Duration::MAX),
    )
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report_resize() {
    let bytes: Arc<[u8]> = Arc::from(report(0, 22_000));
    let mb = bytes.len() as f64 / 1e6;
    let origin = Origin::Memory {
        name: "gen/big.txt".into(),
        bytes: bytes.clone(),
    };
    let big = article::parse(origin, &bytes).expect("the generated report parses");
    let body = big.load_body().expect("the body reads");
    let open = median(5, || {
        app(vec![big.clone()], 200, 60);
    });
    let mut app = app(vec![big.clone()], 200, 60);
    // Six sizes, more than the four renderings kept, so every resize lays out.
    let mut n = 0u16;
    let resize = median(12, || {
        n += 1;
        app.resize(Rect::new(0, 0, 150 + 8 * (n % 6), 60));
    });
    let width = app.body_width().unwrap();
    let options = reader::render::RenderOptions::new(true);
    let prepared = reader::render::prepare(&body.html);
    let parse = median(5, || {
        reader::render::prepare(&body.html);
    });
    let layout = median(5, || {
        reader::render::layout_article(&big, &prepared, width, &options);
    });
    let whole = median(5, || {
        reader::render::render_article(&big, &body, width, &options);
    });
    println!(
        "{mb:.1} MB article at 200x60: open in the app (read + parse + layout) {open:.1?}; \
         resize in the app (layout only) {resize:.1?}"
    );
    println!(
        "  at {width} columns: parse {parse:.1?}, layout {layout:.1?}, whole render (what a \
         resize cost before) {whole:.1?}"
    );
}

/// Median and p99 of `runs` timings of `f` followed by a frame.
fn key_to_frame(
    app: &mut App,
    runs: usize,
    label: &str,
    n: usize,
    mut f: impl FnMut(&mut App, usize),
) {
    let mut term = terminal(LeanBackend::new(Counting::new(std::io::sink())), 200, 60);
    term.draw(|frame| ui::draw(frame, app)).unwrap();
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        f(app, i);
        term.draw(|frame| ui::draw(frame, app)).unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "tui/list 200x60 {:>7} {label:<30} median {:>8.1?}  p99 {:>8.1?}",
        n,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
    );
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

/// Median time of `runs` calls of `f`.
fn median_of(runs: usize, mut f: impl FnMut(usize)) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    percentile(&times, 0.5)
}

/// Where a filter keystroke over 100,000 reports goes: the keystroke alone (filter, day
/// headers, selection), the day headers alone, and a frame.
fn report_filter_parts(articles: &[Article]) {
    let n = articles.len();
    let mut app = app(articles.to_vec(), 200, 60);
    let mut term = terminal(LeanBackend::new(Counting::new(std::io::sink())), 200, 60);
    press(&mut app, KeyCode::Char('/'));
    let keystroke = median_of(40, |i| {
        press(
            &mut app,
            if i % 2 == 0 {
                KeyCode::Char('美')
            } else {
                KeyCode::Backspace
            },
        )
    });
    let frame = median_of(40, |_| {
        term.draw(|f| ui::draw(f, &app)).unwrap();
    });
    let days: Vec<Option<jiff::civil::Date>> = app
        .view()
        .iter()
        .map(|&id| {
            app.articles()[id as usize]
                .list_time()
                .map(|t| t.utc.to_zoned(jiff::tz::TimeZone::UTC).date())
        })
        .collect();
    let headers = median_of(40, |_| {
        std::hint::black_box(reader::tui::app::DayRows::new(days.iter().copied()));
    });
    println!(
        "tui/list {n:>7} filter keystroke alone median {keystroke:>8.1?}; of which day headers {headers:>8.1?}; a frame {frame:>8.1?}"
    );
}

fn report_list() {
    let big = corpus(100_000);
    report_filter_parts(&big);
    for n in [1_000, 100_000] {
        let mut app = app(big[..n].to_vec(), 200, 60);
        key_to_frame(&mut app, 2000, "list step (j/k)", n, |app, i| {
            press(app, KeyCode::Char(if i % 2000 < 1000 { 'j' } else { 'k' }))
        });
        key_to_frame(&mut app, 400, "page down/up", n, |app, i| {
            press(
                app,
                if i % 400 < 200 {
                    KeyCode::PageDown
                } else {
                    KeyCode::PageUp
                },
            )
        });
        press(&mut app, KeyCode::Char('/'));
        key_to_frame(
            &mut app,
            40,
            "filter keystroke (type, delete)",
            n,
            |app, i| {
                press(
                    app,
                    if i % 2 == 0 {
                        KeyCode::Char('美')
                    } else {
                        KeyCode::Backspace
                    },
                )
            },
        );
        press(&mut app, KeyCode::Esc);
        key_to_frame(&mut app, 40, "outlets overlay (O, Esc)", n, |app, i| {
            press(
                app,
                if i % 2 == 0 {
                    KeyCode::Char('O')
                } else {
                    KeyCode::Esc
                },
            )
        });
        key_to_frame(&mut app, 20, "jump to a date (d … Enter)", n, |app, i| {
            press(app, KeyCode::Char('d'));
            for c in format!("{}-03-{:02}", 2015 + i % 10, 1 + i % 28).chars() {
                press(app, KeyCode::Char(c));
            }
            press(app, KeyCode::Enter);
        });
    }
}

fn benches(c: &mut Criterion) {
    let articles = corpus(10_000);
    let mut app = app(articles, 200, 60);
    let mut term = terminal(LeanBackend::new(Counting::new(std::io::sink())), 200, 60);
    term.draw(|f| ui::draw(f, &app)).unwrap();
    let mut n = 0usize;
    c.bench_function("tui/key_to_frame_200x60_10k_list_step", |b| {
        b.iter(|| {
            n += 1;
            app.handle_key(&key(if n % 2000 < 1000 { 'j' } else { 'k' }));
            term.draw(|f| ui::draw(f, &app)).unwrap();
        })
    });
    app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let mut n = 0usize;
    c.bench_function("tui/key_to_frame_200x60_10k_page_down", |b| {
        b.iter(|| {
            n += 1;
            let code = if n % 4 < 2 {
                KeyCode::PageDown
            } else {
                KeyCode::PageUp
            };
            app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
            term.draw(|f| ui::draw(f, &app)).unwrap();
        })
    });
    let mut filter_app = self::app(corpus(10_000), 200, 60);
    let mut n = 0usize;
    c.bench_function("tui/filter_keystroke_10k", |b| {
        b.iter(|| {
            n += 1;
            // Type a character, then take it back: each iteration filters 10,000 keys twice.
            if n == 1 {
                filter_app.handle_key(&key('/'));
            }
            filter_app.handle_key(&key('美'));
            filter_app.handle_key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        })
    });
    // Issue #6: each keystroke of a filter over 100,000 titles answers within 50 ms.
    let mut big_filter_app = self::app(corpus(100_000), 200, 60);
    big_filter_app.handle_key(&key('/'));
    c.bench_function("tui/filter_keystroke_100k", |b| {
        b.iter(|| {
            big_filter_app.handle_key(&key('美'));
            big_filter_app.handle_key(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        })
    });
}

criterion_group!(group, benches);

fn main() {
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    // `TUI_BENCH=latency` runs only the first report (e.g. under `chrt -f 50` to keep other
    // processes on a busy machine from preempting it).
    if std::env::var("TUI_BENCH").as_deref() == Ok("latency") {
        report_latency(&corpus(10_000));
        return;
    }
    if std::env::var("TUI_BENCH").as_deref() == Ok("resize") {
        report_resize();
        return;
    }
    if std::env::var("TUI_BENCH").as_deref() == Ok("filter") {
        report_filter_parts(&corpus(100_000));
        return;
    }
    if std::env::var("TUI_BENCH").as_deref() == Ok("list") {
        report_list();
        return;
    }
    if !quick {
        let articles = corpus(10_000);
        report_latency(&articles);
        report_bytes(&articles);
        report_launch();
        report_resize();
        report_list();
    }
    group();
    Criterion::default().configure_from_args().final_summary();
}
