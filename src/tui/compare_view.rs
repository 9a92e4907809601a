//! The side-by-side comparison's state (issue #5): the [`Comparison`] of two articles, each
//! side's paragraphs rendered for its column width (cached), and where the view is scrolled.
//!
//! Each paragraph is drawn as `reader compare` draws it
//! ([`crate::render::comparison::paragraph_lines`]): the single view's renderer (same wrapping,
//! kinsoku, link numbers and safety) in the chosen script, then its term marks. A side's paragraphs stacked with one blank line between them are its
//! *compact* lines; the *locked* layout puts each [`Row`](crate::compare::Row) of the alignment
//! at the same height on both sides (the taller paragraph sets the row's height, the other side
//! is padded with blanks), so one offset scrolls both sides along the aligned rows. Unlocked
//! (`s`), each side scrolls through its compact lines on its own.
//!
//! Invariants after [`CompareView::sync`]: the cached layout matches the current column widths,
//! script and colour; every scroll offset is within its text; no cached line is wider than its
//! column. Drawing ([`crate::tui::panes::compare`]) only reads this state.
//!
//! A large comparison is laid out on a thread (issue #15: laying out both sides of a 200 MB
//! report on the event loop held Ctrl-C ~10 s): with a layout worker
//! ([`CompareView::with_layout_worker`]), [`CompareView::sync`] asks for the layout and returns
//! at once; the previous layout (or none, at first) shows meanwhile, [`CompareView::laying_out`]
//! says so, and [`CompareView::accept`] takes the answer. Only the newest request is answered:
//! a newer one (a resize, a script) or closing the view stops the older thread at its next
//! paragraph.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::loader::OnPanic;
use super::theme::Theme;
use crate::compare::{Comparison, Presence, Script, Side, TimelineKind, script};
use crate::render::RenderOptions;
use crate::render::comparison::{paragraph_label, paragraph_lines as text_lines};
use crate::render::marks::{MarkStyles, fit};
use crate::render::wrap::wrap_text;

/// Below this width the two sides are stacked (A above B) instead of side by side.
pub const MIN_SIDE_BY_SIDE: u16 = 60;

/// Where the parts of the comparison go inside the main area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// One row for the gap sentence (empty when the area is too low to spare it).
    pub gap: Rect,
    /// The bordered blocks of A and B.
    pub columns: [Rect; 2],
    /// The bordered ledger block (the area under the gap line).
    pub ledger: Rect,
    /// True when A stands above B.
    pub stacked: bool,
}

impl Geometry {
    /// Divides `main` (the area above the status bar).
    pub fn new(main: Rect) -> Geometry {
        let gap_rows = u16::from(main.height >= 8);
        let gap = Rect::new(main.x, main.y, main.width, gap_rows);
        let rest = Rect::new(
            main.x,
            main.y + gap_rows,
            main.width,
            main.height - gap_rows,
        );
        let stacked = main.width < MIN_SIDE_BY_SIDE;
        let columns = if stacked {
            let top = rest.height / 2;
            [
                Rect::new(rest.x, rest.y, rest.width, top),
                Rect::new(rest.x, rest.y + top, rest.width, rest.height - top),
            ]
        } else {
            let left = rest.width / 2;
            [
                Rect::new(rest.x, rest.y, left, rest.height),
                Rect::new(rest.x + left, rest.y, rest.width - left, rest.height),
            ]
        };
        Geometry {
            gap,
            columns,
            ledger: rest,
            stacked,
        }
    }

    /// The text area inside a column block: within the border, one column of margin on each
    /// side when the column is wide enough to spare it.
    pub fn text_area(block: Rect) -> Rect {
        let inner = Rect::new(
            block.x.saturating_add(1),
            block.y.saturating_add(1),
            block.width.saturating_sub(2),
            block.height.saturating_sub(2),
        );
        let margin = u16::from(inner.width >= 30);
        Rect::new(
            inner.x + margin,
            inner.y,
            inner.width.saturating_sub(2 * margin),
            inner.height,
        )
    }

    /// How many title lines a column shows for its text area's height.
    fn title_rows(text_height: u16) -> usize {
        match text_height {
            0..=3 => 0,
            4..=11 => 1,
            _ => 2,
        }
    }
}

/// The reader's choice of [`CompareView::with_layout_worker`]'s `min_bytes`: smaller
/// comparisons are laid out in place (a few milliseconds).
pub const LAYOUT_MIN_BYTES: usize = 256 * 1024;

/// Where a layout worker hands its layouts (the event loop passes them to
/// [`crate::tui::app::App::on_compare_layout`]).
pub type LayoutNotify = Arc<dyn Fn(LaidOut) + Send + Sync>;

/// The layout of a comparison for one set of widths, made on a thread.
pub struct LaidOut {
    /// The request it answers.
    pub ticket: u64,
    layout: Layout,
    ledger: LedgerLines,
}

impl std::fmt::Debug for LaidOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LaidOut")
            .field("ticket", &self.ticket)
            .field("lines", &self.layout.total)
            .finish_non_exhaustive()
    }
}

/// Tickets of layout requests, unique in the process so that an answer for a view since
/// closed never matches a newer view's request.
static TICKETS: AtomicU64 = AtomicU64::new(0);

/// A layout being made on its thread. Dropping it (a newer request, the view closed, the app
/// ended) sets the flag the thread checks between paragraphs.
struct LayoutJob {
    ticket: u64,
    keys: (LayoutKey, LedgerKey),
    cancel: Arc<AtomicBool>,
}

impl Drop for LayoutJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The layout worker of a view and the request it is working on.
#[derive(Default)]
struct Worker {
    notify: Option<(LayoutNotify, OnPanic)>,
    /// Comparisons with less paragraph text than this are laid out in place.
    min_bytes: usize,
    job: Option<LayoutJob>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("enabled", &self.notify.is_some())
            .field("ticket", &self.job.as_ref().map(|j| j.ticket))
            .finish()
    }
}

/// What the ledger's lines were made for: text width, script, colour.
type LedgerKey = (u16, Script, bool);

/// The ledger's lines and what they were made for.
type LedgerLines = (LedgerKey, Vec<Line<'static>>);

/// What the cached layout was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LayoutKey {
    widths: [u16; 2],
    script: Script,
    color: bool,
    title_rows: usize,
}

/// One side's paragraphs as lines.
#[derive(Clone, Debug, Default)]
struct SideLines {
    /// The compact lines: each paragraph (label, text, its links), a blank line between.
    lines: Vec<Line<'static>>,
    /// Where each paragraph starts in `lines`.
    start: Vec<usize>,
    /// How many lines each paragraph has (without the blank after it).
    len: Vec<usize>,
}

/// A row of the alignment in the locked layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RowPos {
    start: usize,
    height: usize,
}

#[derive(Clone, Debug)]
struct Layout {
    key: LayoutKey,
    sides: [SideLines; 2],
    titles: [Vec<Line<'static>>; 2],
    rows: Vec<RowPos>,
    total: usize,
}

/// The comparison being shown and how it is viewed.
#[derive(Debug)]
pub struct CompareView {
    /// The article ids of A and B.
    pub ids: [u32; 2],
    /// The comparison (shared with the layout worker).
    pub comparison: Arc<Comparison>,
    /// The script both sides are shown in.
    pub script: Script,
    /// Scrolling follows the aligned rows on both sides.
    pub locked: bool,
    /// The side that scrolls alone when unlocked.
    pub focus: Side,
    /// The ledger is shown instead of the columns.
    pub ledger: bool,
    /// First line shown in the locked layout.
    row_scroll: usize,
    /// First compact line shown of each side, when unlocked.
    side_scroll: [usize; 2],
    /// First ledger line shown.
    ledger_scroll: usize,
    /// Rows of paragraph text a column shows at once.
    body_rows: usize,
    /// Rows of text the ledger shows at once.
    ledger_rows: usize,
    layout: Option<Layout>,
    ledger_lines: Option<LedgerLines>,
    /// Bytes of paragraph text on both sides (what decides where the layout is made).
    text_bytes: usize,
    worker: Worker,
}

fn index(side: Side) -> usize {
    match side {
        Side::A => 0,
        Side::B => 1,
    }
}

impl CompareView {
    /// A view of `comparison` between the articles `a` and `b`, at the top, locked.
    pub fn new(a: u32, b: u32, comparison: Comparison) -> CompareView {
        let text_bytes = [&comparison.a, &comparison.b]
            .iter()
            .flat_map(|c| &c.paragraphs)
            .map(|p| p.text.len() + p.html.len())
            .sum();
        CompareView {
            ids: [a, b],
            comparison: Arc::new(comparison),
            script: Script::Original,
            locked: true,
            focus: Side::A,
            ledger: false,
            row_scroll: 0,
            side_scroll: [0, 0],
            ledger_scroll: 0,
            body_rows: 0,
            ledger_rows: 0,
            layout: None,
            ledger_lines: None,
            text_bytes,
            worker: Worker::default(),
        }
    }

    /// Lays large comparisons out on a thread of their own, which hands each layout to
    /// `notify` (see the module docs): those with at least `min_bytes` of paragraph text and
    /// HTML. A thread that panics calls `on_panic` (see [`OnPanic`]).
    pub fn with_layout_worker(
        mut self,
        min_bytes: usize,
        notify: LayoutNotify,
        on_panic: OnPanic,
    ) -> CompareView {
        self.worker.notify = Some((notify, on_panic));
        self.worker.min_bytes = min_bytes;
        self
    }

    /// True while a worker lays the comparison out (the previous layout, if any, shows).
    pub fn laying_out(&self) -> bool {
        self.worker.job.is_some()
    }

    /// Takes a layout made by the worker; returns false (and drops it) when it answers a
    /// request no longer wanted. Keeps the reading position as [`CompareView::sync`] does;
    /// the caller syncs again for the scroll limits.
    pub fn accept(&mut self, laid: LaidOut) -> bool {
        if self.worker.job.as_ref().map(|j| j.ticket) != Some(laid.ticket) {
            return false;
        }
        self.worker.job = None;
        let anchor = self.anchor();
        self.layout = Some(laid.layout);
        self.restore(anchor);
        self.ledger_lines = Some(laid.ledger);
        true
    }

    // ----- queries used by the panes ---------------------------------------------------------

    /// The title lines of a side's header (wrapped, at most the rows the height allows).
    pub fn title(&self, side: Side) -> &[Line<'static>] {
        self.layout
            .as_ref()
            .map_or(&[], |l| l.titles[index(side)].as_slice())
    }

    /// How many header rows (title lines and a rule) each column has.
    pub fn header_rows(&self) -> usize {
        let titles = self
            .layout
            .as_ref()
            .map_or(0, |l| l.titles[0].len().max(l.titles[1].len()));
        if titles == 0 { 0 } else { titles + 1 }
    }

    /// Rows of paragraph text a column shows at once.
    pub fn body_rows(&self) -> usize {
        self.body_rows
    }

    /// The lines a side shows now, top to bottom (`None` for a blank row), at most `rows`.
    pub fn visible(&self, side: Side, rows: usize) -> Vec<Option<&Line<'static>>> {
        let Some(layout) = &self.layout else {
            return Vec::new();
        };
        let s = &layout.sides[index(side)];
        if self.locked {
            (self.row_scroll..(self.row_scroll + rows).min(layout.total))
                .map(|y| locked_line(&self.comparison, layout, side, y))
                .collect()
        } else {
            let top = self.side_scroll[index(side)];
            s.lines.iter().skip(top).take(rows).map(Some).collect()
        }
    }

    /// (first line shown, lines in all) of a side, for its position note.
    pub fn position(&self, side: Side) -> (usize, usize) {
        let Some(layout) = &self.layout else {
            return (0, 0);
        };
        if self.locked {
            (self.row_scroll, layout.total)
        } else {
            (
                self.side_scroll[index(side)],
                layout.sides[index(side)].lines.len(),
            )
        }
    }

    /// The 1-based paragraph numbers at the top of each side (`None` where the side is blank),
    /// for the status bar.
    pub fn top_paragraphs(&self) -> [Option<usize>; 2] {
        let Some(layout) = &self.layout else {
            return [None, None];
        };
        [Side::A, Side::B].map(|side| {
            if self.locked {
                let r = row_at(layout, self.row_scroll)?;
                let row = self.comparison.rows.get(r)?;
                match side {
                    Side::A => row.a,
                    Side::B => row.b,
                }
                .map(|p| p + 1)
            } else {
                let s = &layout.sides[index(side)];
                paragraph_at(s, self.side_scroll[index(side)]).map(|p| p + 1)
            }
        })
    }

    /// The ledger's lines (for the current width and script).
    pub fn ledger_lines(&self) -> &[Line<'static>] {
        self.ledger_lines
            .as_ref()
            .map_or(&[], |(_, lines)| lines.as_slice())
    }

    /// The ledger's first shown line.
    pub fn ledger_scroll(&self) -> usize {
        self.ledger_scroll
    }

    // ----- changes ---------------------------------------------------------------------------

    /// Scrolls by `delta` rows: the ledger when shown, else both sides (locked) or the focused
    /// side (unlocked). Saturates at both ends.
    pub fn scroll(&mut self, delta: isize) {
        if self.ledger {
            let max = self.ledger_lines().len().saturating_sub(self.ledger_rows);
            self.ledger_scroll = offset(self.ledger_scroll, delta, max);
        } else if self.locked {
            self.row_scroll = offset(self.row_scroll, delta, self.max_scroll(None));
        } else {
            let i = index(self.focus);
            self.side_scroll[i] = offset(
                self.side_scroll[i],
                delta,
                self.max_scroll(Some(self.focus)),
            );
        }
    }

    /// One page: the rows shown less one kept for context.
    pub fn page(&self) -> usize {
        let rows = if self.ledger {
            self.ledger_rows
        } else {
            self.body_rows
        };
        rows.saturating_sub(1).max(1)
    }

    /// Scrolls to a side's `paragraph` (0-based): the row showing it when locked.
    pub fn scroll_to_paragraph(&mut self, side: Side, paragraph: usize) {
        let Some(layout) = &self.layout else {
            return;
        };
        if self.locked {
            if let Some(r) = self.comparison.row_of(side, paragraph) {
                self.row_scroll = layout.rows[r].start.min(self.max_scroll(None));
            }
        } else if let Some(&start) = layout.sides[index(side)].start.get(paragraph) {
            self.side_scroll[index(side)] = start.min(self.max_scroll(Some(side)));
        }
    }

    /// Jumps from the first paragraph in view on the focused side that has a cross-reference
    /// to the paragraph it points to, and focuses that side. Returns the two labels
    /// (`A¶1`, `B¶14`), or `None` when no paragraph in view has one.
    pub fn follow_cross_ref(&mut self) -> Option<(String, String)> {
        let layout = self.layout.as_ref()?;
        let side = self.focus;
        let s = &layout.sides[index(side)];
        // The paragraphs of this side whose block shows in the view, top to bottom.
        let shown: Vec<usize> = if self.locked {
            let first = row_at(layout, self.row_scroll)?;
            let last =
                row_at(layout, self.row_scroll + self.body_rows.saturating_sub(1)).unwrap_or(first);
            self.comparison.rows[first..=last]
                .iter()
                .filter_map(|r| match side {
                    Side::A => r.a,
                    Side::B => r.b,
                })
                .collect()
        } else {
            let top = self.side_scroll[index(side)];
            let first = paragraph_at(s, top)?;
            let last = paragraph_at(s, top + self.body_rows.saturating_sub(1)).unwrap_or(first);
            (first..=last).collect()
        };
        let (from, to) = shown.into_iter().find_map(|p| {
            self.comparison
                .cross_refs_of(side, p)
                .first()
                .map(|&q| (p, q))
        })?;
        let other = side.other();
        self.scroll_to_paragraph(other, to);
        self.focus = other;
        Some((
            format!("{}¶{}", side.letter(), from + 1),
            format!("{}¶{}", other.letter(), to + 1),
        ))
    }

    /// Locks or unlocks the scrolling. Unlocking keeps both sides where they were; locking
    /// lines the other side up with the focused one's paragraph.
    pub fn toggle_lock(&mut self) {
        let Some(layout) = &self.layout else {
            self.locked = !self.locked;
            return;
        };
        if self.locked {
            for side in [Side::A, Side::B] {
                self.side_scroll[index(side)] =
                    compact_of_locked(&self.comparison, layout, side, self.row_scroll);
            }
            self.locked = false;
        } else {
            let side = self.focus;
            self.row_scroll = locked_of_compact(
                &self.comparison,
                layout,
                side,
                self.side_scroll[index(side)],
            );
            self.locked = true;
        }
        self.clamp();
    }

    /// Moves the focus to the other side.
    pub fn toggle_focus(&mut self) {
        self.focus = self.focus.other();
    }

    /// Cycles the script (original, Simplified, Traditional) and returns the new one.
    pub fn cycle_script(&mut self) -> Script {
        self.script = self.script.next();
        self.script
    }

    /// Shows or hides the ledger.
    pub fn toggle_ledger(&mut self) {
        self.ledger = !self.ledger;
    }

    /// Lays the comparison out for `main` (the area above the status bar), reusing the cached
    /// layout when nothing it depends on changed, and keeps the reading position across a
    /// re-layout (same row or paragraph).
    pub fn sync(&mut self, main: Rect, theme: &Theme) {
        let geometry = Geometry::new(main);
        let areas = geometry.columns.map(Geometry::text_area);
        let title_rows = Geometry::title_rows(areas[0].height.min(areas[1].height));
        let key = LayoutKey {
            widths: areas.map(|a| a.width),
            script: self.script,
            color: theme.color,
            title_rows,
        };
        let ledger_area = Geometry::text_area(geometry.ledger);
        self.ledger_rows = ledger_area.height as usize;
        let ledger_key = (ledger_area.width, self.script, theme.color);
        let stale_layout = self.layout.as_ref().is_none_or(|l| l.key != key);
        let stale_ledger = self
            .ledger_lines
            .as_ref()
            .is_none_or(|(k, _)| *k != ledger_key);
        if !stale_layout && !stale_ledger {
            // Back to what is shown: a layout still being made is no longer wanted.
            self.worker.job = None;
        } else if let Some(notify) = self
            .worker
            .notify
            .clone()
            .filter(|_| self.text_bytes >= self.worker.min_bytes)
        {
            if self.worker.job.as_ref().map(|j| j.keys) != Some((key, ledger_key)) {
                self.request(notify, key, ledger_key, theme);
            }
        } else {
            self.worker.job = None;
            if stale_layout {
                let anchor = self.anchor();
                let never = AtomicBool::new(false);
                self.layout = lay_out(&self.comparison, key, theme, &never);
                self.restore(anchor);
            }
            if stale_ledger {
                let lines = ledger(&self.comparison, ledger_area.width, self.script, theme);
                self.ledger_lines = Some((ledger_key, lines));
            }
        }
        let header = self.header_rows();
        self.body_rows = areas
            .iter()
            .map(|a| (a.height as usize).saturating_sub(header))
            .min()
            .unwrap_or(0);
        self.clamp();
    }

    /// Starts a thread laying the comparison out for `key` and `ledger_key`; the job it
    /// replaces (if any) is dropped, which stops it.
    fn request(
        &mut self,
        (notify, on_panic): (LayoutNotify, OnPanic),
        key: LayoutKey,
        ledger_key: LedgerKey,
        theme: &Theme,
    ) {
        let ticket = TICKETS.fetch_add(1, Ordering::Relaxed) + 1;
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let comparison = self.comparison.clone();
        let styles = theme.clone();
        let spawned = std::thread::Builder::new()
            .name("compare-layout".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| {
                    let Some(layout) = lay_out(&comparison, key, &styles, &flag) else {
                        return;
                    };
                    if flag.load(Ordering::Relaxed) {
                        return;
                    }
                    let lines = ledger(&comparison, ledger_key.0, ledger_key.1, &styles);
                    if flag.load(Ordering::Relaxed) {
                        return;
                    }
                    notify(LaidOut {
                        ticket,
                        layout,
                        ledger: (ledger_key, lines),
                    });
                });
                if std::panic::catch_unwind(work).is_err() {
                    on_panic();
                }
            });
        self.worker.job = match spawned {
            Ok(_) => Some(LayoutJob {
                ticket,
                keys: (key, ledger_key),
                cancel,
            }),
            Err(_) => {
                // No thread: lay out in place rather than show nothing.
                let anchor = self.anchor();
                let never = AtomicBool::new(false);
                self.layout = lay_out(&self.comparison, key, theme, &never);
                self.restore(anchor);
                let lines = ledger(&self.comparison, ledger_key.0, ledger_key.1, theme);
                self.ledger_lines = Some((ledger_key, lines));
                None
            }
        };
    }

    fn max_scroll(&self, side: Option<Side>) -> usize {
        let Some(layout) = &self.layout else {
            return 0;
        };
        let total = match side {
            None => layout.total,
            Some(s) => layout.sides[index(s)].lines.len(),
        };
        total.saturating_sub(self.body_rows)
    }

    fn clamp(&mut self) {
        self.row_scroll = self.row_scroll.min(self.max_scroll(None));
        for side in [Side::A, Side::B] {
            let max = self.max_scroll(Some(side));
            let s = &mut self.side_scroll[index(side)];
            *s = (*s).min(max);
        }
        let max = self.ledger_lines().len().saturating_sub(self.ledger_rows);
        self.ledger_scroll = self.ledger_scroll.min(max);
    }

    /// The reading position in layout-independent terms: (row, line in it) when locked, else
    /// (paragraph, line in it) per side.
    fn anchor(&self) -> Option<[(usize, usize); 2]> {
        let layout = self.layout.as_ref()?;
        if self.locked {
            let r = row_at(layout, self.row_scroll)?;
            Some([(r, self.row_scroll - layout.rows[r].start); 2])
        } else {
            Some([Side::A, Side::B].map(|side| {
                let s = &layout.sides[index(side)];
                let top = self.side_scroll[index(side)];
                let p = paragraph_at(s, top).unwrap_or(0);
                (p, top.saturating_sub(s.start.get(p).copied().unwrap_or(0)))
            }))
        }
    }

    fn restore(&mut self, anchor: Option<[(usize, usize); 2]>) {
        let (Some(anchor), Some(layout)) = (anchor, &self.layout) else {
            return;
        };
        if self.locked {
            let (r, k) = anchor[0];
            if let Some(row) = layout.rows.get(r) {
                self.row_scroll = row.start + k.min(row.height.saturating_sub(1));
            }
        } else {
            for side in [Side::A, Side::B] {
                let (p, k) = anchor[index(side)];
                let s = &layout.sides[index(side)];
                if let (Some(&start), Some(&len)) = (s.start.get(p), s.len.get(p)) {
                    self.side_scroll[index(side)] = start + k.min(len.saturating_sub(1));
                }
            }
        }
    }
}

/// `at + delta`, saturating at 0 and `max`.
fn offset(at: usize, delta: isize, max: usize) -> usize {
    if delta < 0 {
        at.saturating_sub(delta.unsigned_abs())
    } else {
        at.saturating_add(delta as usize).min(max)
    }
}

/// The row of the locked layout that line `y` belongs to (its blank separator included).
fn row_at(layout: &Layout, y: usize) -> Option<usize> {
    let r = layout.rows.partition_point(|r| r.start <= y);
    r.checked_sub(1)
}

/// The paragraph whose block (or the blank after it) holds compact line `y`.
fn paragraph_at(s: &SideLines, y: usize) -> Option<usize> {
    s.start.partition_point(|&st| st <= y).checked_sub(1)
}

fn locked_line<'a>(
    c: &Comparison,
    layout: &'a Layout,
    side: Side,
    y: usize,
) -> Option<&'a Line<'static>> {
    let r = row_at(layout, y)?;
    let k = y - layout.rows[r].start;
    let row = c.rows.get(r)?;
    let p = match side {
        Side::A => row.a,
        Side::B => row.b,
    }?;
    let s = &layout.sides[index(side)];
    (k < s.len[p]).then(|| &s.lines[s.start[p] + k])
}

/// The compact line of `side` matching locked line `y`: the same line of the same paragraph,
/// or, where the side is blank, the start of its next paragraph.
fn compact_of_locked(c: &Comparison, layout: &Layout, side: Side, y: usize) -> usize {
    let s = &layout.sides[index(side)];
    let Some(r) = row_at(layout, y) else {
        return 0;
    };
    let k = y - layout.rows[r].start;
    let own = |row: &crate::compare::Row| match side {
        Side::A => row.a,
        Side::B => row.b,
    };
    if let Some(p) = c.rows.get(r).and_then(own) {
        return s.start[p] + k.min(s.len[p]);
    }
    c.rows[r..]
        .iter()
        .find_map(own)
        .map_or(s.lines.len(), |p| s.start[p])
}

/// The locked line matching compact line `y` of `side`.
fn locked_of_compact(c: &Comparison, layout: &Layout, side: Side, y: usize) -> usize {
    let s = &layout.sides[index(side)];
    let Some(p) = paragraph_at(s, y) else {
        return 0;
    };
    let k = y - s.start[p];
    c.row_of(side, p)
        .map_or(0, |r| layout.rows[r].start + k.min(layout.rows[r].height))
}

/// The layout of `c` for `key`; `None` once `cancel` is set (checked between paragraphs).
fn lay_out(c: &Comparison, key: LayoutKey, theme: &Theme, cancel: &AtomicBool) -> Option<Layout> {
    let opts = RenderOptions::new(key.color);
    let styles = MarkStyles {
        shared: theme.term_shared,
        one_side: theme.term_one_side,
    };
    let mut sides: [SideLines; 2] = Default::default();
    for side in [Side::A, Side::B] {
        let width = key.widths[index(side)];
        let s = &mut sides[index(side)];
        for i in 0..c.column(side).paragraphs.len() {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            if i > 0 {
                s.lines.push(Line::default());
            }
            let block = paragraph_lines(c, side, i, width, key.script, &opts, &styles, theme);
            s.start.push(s.lines.len());
            s.len.push(block.len());
            s.lines
                .extend(block.into_iter().map(|l| fit(l, width as usize)));
        }
    }
    let mut rows = Vec::with_capacity(c.rows.len());
    let mut y = 0;
    for row in &c.rows {
        let len = |side: Side, p: Option<usize>| p.map_or(0, |p| sides[index(side)].len[p]);
        let height = len(Side::A, row.a).max(len(Side::B, row.b));
        rows.push(RowPos { start: y, height });
        y += height + 1;
    }
    let total = y.saturating_sub(1);
    let titles = [Side::A, Side::B].map(|side| {
        let width = key.widths[index(side)] as usize;
        if key.title_rows == 0 || width == 0 {
            return Vec::new();
        }
        let title = script::convert(&c.column(side).header.title, key.script);
        let mut lines = wrap_text(&title, width);
        if lines.len() > key.title_rows {
            lines.truncate(key.title_rows);
            let last = lines.pop().unwrap_or_default();
            // Leave room for the ellipsis after the last shown piece.
            let cut = crate::tui::panes::truncate(
                &format!("{last}{}", theme.ellipsis),
                width,
                theme.ellipsis,
            );
            lines.push(cut);
        }
        lines
            .into_iter()
            .map(|l| fit(Line::styled(l, theme.title), width))
            .collect()
    });
    Some(Layout {
        key,
        sides,
        titles,
        rows,
        total,
    })
}

/// One paragraph as lines for a column: its label with cross-references, then the lines
/// `reader compare` prints for it (the renderer's, in `script`, terms marked, links listed).
#[allow(clippy::too_many_arguments)]
fn paragraph_lines(
    c: &Comparison,
    side: Side,
    i: usize,
    width: u16,
    script: Script,
    opts: &RenderOptions,
    styles: &MarkStyles,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if width == 0 {
        return Vec::new();
    }
    let mut lines: Vec<Line<'static>> = wrap_text(&paragraph_label(c, side, i), width as usize)
        .into_iter()
        .map(|l| Line::styled(l, theme.para_label))
        .collect();
    lines.extend(text_lines(c, side, i, width, script, opts, Some(styles)));
    lines
}

/// The ledger: terms both articles mention, then those only one does, then the timeline.
fn ledger(c: &Comparison, width: u16, script: Script, theme: &Theme) -> Vec<Line<'static>> {
    let w = width as usize;
    if w == 0 {
        return Vec::new();
    }
    let conv = |s: &str| script::convert(s, script).into_owned();
    let mut out: Vec<Line<'static>> = Vec::new();
    let heading = |text: String| Line::styled(text, theme.help_heading);
    let groups = [
        (
            Presence::Both,
            "Both mention".to_string(),
            theme.term_shared,
        ),
        (
            Presence::OnlyA,
            format!("Only A · {}", c.a.header.outlet),
            theme.term_one_side,
        ),
        (
            Presence::OnlyB,
            format!("Only B · {}", c.b.header.outlet),
            theme.term_one_side,
        ),
    ];
    for (presence, title, style) in groups {
        let ids = c.ledger.group(presence);
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(heading(format!("{title} ({})", ids.len())));
        if ids.is_empty() {
            out.push(Line::styled("  none", theme.para_label));
        }
        for &id in ids {
            let t = &c.terms[id];
            let label = match (&t.a, &t.b) {
                (Some(a), Some(b)) if a != b => format!("{} / {}", conv(a), conv(b)),
                _ => conv(t.label()),
            };
            let counts = match presence {
                Presence::Both => {
                    format!("{} · A {} · B {}", t.kind.as_str(), t.a_count, t.b_count)
                }
                Presence::OnlyA => format!("{} · A {}", t.kind.as_str(), t.a_count),
                Presence::OnlyB => format!("{} · B {}", t.kind.as_str(), t.b_count),
            };
            out.extend(item(&label, style, &counts, theme.para_label, w));
        }
    }
    out.push(Line::default());
    out.push(heading("Timeline".to_string()));
    if c.timeline.is_empty() {
        out.push(Line::styled("  no dates", theme.para_label));
    }
    for e in &c.timeline {
        let sides = match (e.a, e.b) {
            (true, true) => "A B",
            (true, false) => "A  ",
            _ => "  B",
        };
        let (what, style) = match e.kind {
            TimelineKind::Published => {
                let side = if e.a { Side::A } else { Side::B };
                (
                    format!("published ({})", c.column(side).header.outlet),
                    theme.title,
                )
            }
            TimelineKind::Mentioned => {
                let mut texts: Vec<String> = Vec::new();
                for t in [&e.a_text, &e.b_text].into_iter().flatten() {
                    let t = conv(t);
                    if !texts.contains(&t) {
                        texts.push(t);
                    }
                }
                let style = if e.a && e.b {
                    theme.term_shared
                } else {
                    theme.term_one_side
                };
                (texts.join(" / "), style)
            }
        };
        let head = format!("  {:<20} {sides}  ", e.when());
        let head_w = crate::tui::panes::text_width(&head);
        if head_w + 4 <= w {
            let mut first = true;
            for piece in wrap_text(&what, w - head_w) {
                let lead = if first {
                    Span::styled(head.clone(), theme.para_label)
                } else {
                    Span::raw(" ".repeat(head_w))
                };
                first = false;
                out.push(Line::from(vec![lead, Span::styled(piece, style)]));
            }
        } else {
            for piece in wrap_text(&format!("{} {sides} {what}", e.when()), w) {
                out.push(Line::styled(piece, style));
            }
        }
    }
    out.into_iter().map(|l| fit(l, w)).collect()
}

/// A ledger item: `  label  kind · counts`, the label wrapped when long, the note after it
/// when it fits on the label's last line, else on a line of its own.
fn item(label: &str, style: Style, note: &str, note_style: Style, w: usize) -> Vec<Line<'static>> {
    let width = crate::tui::panes::text_width;
    let mut lines: Vec<Line<'static>> = wrap_text(label, w.saturating_sub(2).max(2))
        .into_iter()
        .map(|l| Line::from(vec![Span::raw("  "), Span::styled(l, style)]))
        .collect();
    let last = lines.last_mut().expect("wrap gives a line");
    if last.width() + 2 + width(note) <= w {
        last.spans
            .push(Span::styled(format!("  {note}"), note_style));
    } else {
        for piece in wrap_text(note, w.saturating_sub(4).max(2)) {
            lines.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(piece, note_style),
            ]));
        }
    }
    // A safety net: nothing wider than the column even at tiny widths.
    lines.into_iter().map(|l| fit(l, w)).collect()
}
