//! The side-by-side comparison (issue #5): opening it from the marks or the related pick, and
//! the `Compare` layer's keys. Its state and drawing live in [`crate::tui::compare_view`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{App, BodyLoader, Overlay};
use crate::article::Article;
use crate::compare::Comparison;
use crate::tui::action::Action;
use crate::tui::compare_view::CompareView;
use crate::tui::keymap::Layer;
use crate::tui::layout::Pane;

impl App {
    /// Opens the side-by-side view (issue #5): of the two marked articles; of the marked one
    /// and the selected one; else of the selected article and its most related other article
    /// (saying which was picked and why). The earlier publication goes on the left (A).
    ///
    /// With a compare worker (see [`App::with_compare_worker`]) the reads, the related pick and
    /// the comparison run on a thread of their own while the status bar says so; keys keep
    /// working, Esc cancels, and the result arrives through [`App::on_compare`].
    pub(super) fn open_compare(&mut self) {
        let Some(selected) = self.selected_id() else {
            self.error("nothing to compare: no article selected");
            return;
        };
        self.open_compare_for(selected);
    }

    /// Opens the comparison with `selected` as the current article (see [`App::open_compare`]).
    /// With nothing marked, the other side is the best report of its story from another outlet
    /// (see [`crate::stories::pick`]), else the most related article, saying which and why.
    pub(super) fn open_compare_for(&mut self, selected: u32) {
        let pair = match *self.marks.as_slice() {
            [x, y] => Pair::Both(x, y),
            [x] if x != selected => Pair::Both(x, selected),
            _ => {
                if self.catalog.articles.len() < 2 {
                    self.error("nothing to compare with: only one article is loaded");
                    return;
                }
                Pair::Related(selected)
            }
        };
        let (pair, note) = match pair {
            Pair::Related(id) => match self.story_pick(id) {
                Ok((other, why)) => (Pair::Both(id, other), Some(why)),
                Err(why) => (pair, Some(why)),
            },
            both => (both, None),
        };
        let load_body = self.engine.load_body;
        self.release_shown();
        let Some(notify) = self.compare_worker.clone() else {
            let done = compute(
                pair,
                &self.catalog.articles,
                load_body,
                note,
                &AtomicBool::new(false),
            );
            self.finish_compare(done);
            return;
        };
        self.tickets += 1;
        let ticket = self.tickets;
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        // The thread gets copies of the headers it needs: all of them for the related pick
        // (which reads a shortlist), else the two.
        let (articles, pair, ids) = match pair {
            Pair::Related(id) => (self.catalog.articles.clone(), Pair::Related(id), None),
            Pair::Both(x, y) => (
                vec![
                    self.catalog.articles[x as usize].clone(),
                    self.catalog.articles[y as usize].clone(),
                ],
                Pair::Both(0, 1),
                Some([x, y]),
            ),
        };
        let on_panic = self.on_panic.clone();
        let spawned = std::thread::Builder::new()
            .name("compare".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| {
                    let mut done = compute(pair, &articles, load_body, note, &flag);
                    if flag.load(Ordering::Relaxed) {
                        // Cancelled, replaced or quit: nobody waits for the answer.
                        return;
                    }
                    if let (Some(ids), Ok(done)) = (ids, done.as_mut()) {
                        done.a = ids[done.a as usize];
                        done.b = ids[done.b as usize];
                    }
                    notify(CompareReady { ticket, done });
                });
                if std::panic::catch_unwind(work).is_err() {
                    // As for a body worker (see `OnPanic`).
                    on_panic();
                }
            });
        match spawned {
            // Replacing an older job drops it, which stops it.
            Ok(_) => self.comparing = Some(CompareJob { ticket, cancel }),
            Err(e) => self.error(format!("cannot compare: cannot start a thread: {e}")),
        }
    }

    /// Takes a comparison computed in the background; one the user cancelled or replaced is
    /// dropped.
    pub fn on_compare(&mut self, ready: CompareReady) {
        if self.comparing.as_ref().map(|j| j.ticket) != Some(ready.ticket) {
            return;
        }
        self.comparing = None;
        self.finish_compare(ready.done);
        self.sync();
    }

    /// Takes a layout of the open comparison made in the background; one for a view since
    /// closed, or for widths or a script no longer wanted, is dropped.
    pub fn on_compare_layout(&mut self, laid: crate::tui::compare_view::LaidOut) {
        if self.compare.as_mut().is_some_and(|view| view.accept(laid)) {
            self.sync();
        }
    }

    /// Stops the comparison being computed, if any: dropping the job sets its flag, and the
    /// thread ends at its next checkpoint without answering.
    pub(super) fn cancel_compare(&mut self) -> bool {
        self.comparing.take().is_some()
    }

    fn finish_compare(&mut self, done: Result<Computed, String>) {
        match done {
            Ok(Computed {
                a,
                b,
                comparison,
                note,
            }) => {
                let mut view = CompareView::new(a, b, comparison);
                if let Some((min_bytes, notify)) = &self.compare_layout_worker {
                    view =
                        view.with_layout_worker(*min_bytes, notify.clone(), self.on_panic.clone());
                }
                self.compare = Some(view);
                self.mark_read(a);
                self.mark_read(b);
                if let Some(note) = note {
                    self.say(note);
                }
            }
            Err(text) => self.error(text),
        }
    }

    /// Applies an action in the comparison view.
    pub(super) fn update_compare(&mut self, action: Action) {
        let main = self.areas().main;
        let Some(view) = self.compare.as_mut() else {
            return;
        };
        let half = (view.page() / 2).max(1) as isize;
        let mut note: Option<String> = None;
        match action {
            Action::Down => view.scroll(1),
            Action::Up => view.scroll(-1),
            Action::Top => view.scroll(isize::MIN),
            Action::Bottom => view.scroll(isize::MAX),
            Action::PageDown => view.scroll(view.page() as isize),
            Action::PageUp => view.scroll(-(view.page() as isize)),
            Action::HalfPageDown => view.scroll(half),
            Action::HalfPageUp => view.scroll(-half),
            Action::FocusNext | Action::FocusPrev => view.toggle_focus(),
            Action::FocusLeft => view.focus = crate::compare::Side::A,
            Action::FocusRight => view.focus = crate::compare::Side::B,
            Action::ToggleScrollLock => {
                view.toggle_lock();
                note = Some(if view.locked {
                    "scrolling follows the aligned rows".to_string()
                } else {
                    let tab = self
                        .keymap
                        .first_key(Layer::Compare, Action::FocusNext)
                        .map(|k| k.display(self.config.ascii))
                        .unwrap_or_default();
                    format!("scrolling unlocked: each side scrolls alone ({tab} switches)")
                });
            }
            Action::ToggleScript => {
                note = Some(match view.cycle_script() {
                    crate::compare::Script::Original => "each side in its own script".to_string(),
                    s => format!("both sides in {}", s.label()),
                });
            }
            Action::ToggleLedger => view.toggle_ledger(),
            Action::FollowCrossRef => {
                note = Some(match view.follow_cross_ref() {
                    Some((from, to)) => format!("{to} (↔ {from})"),
                    None => "no cross-reference (↔) in view on this side".to_string(),
                });
            }
            Action::WheelDown(x, y) | Action::WheelUp(x, y) => {
                let delta = if matches!(action, Action::WheelDown(..)) {
                    3
                } else {
                    -3
                };
                let g = crate::tui::compare_view::Geometry::new(main);
                let pos = ratatui::layout::Position::new(x, y);
                if !view.locked && !view.ledger {
                    if g.columns[0].contains(pos) {
                        view.focus = crate::compare::Side::A;
                    } else if g.columns[1].contains(pos) {
                        view.focus = crate::compare::Side::B;
                    }
                }
                view.scroll(delta);
            }
            Action::Click(x, y) => {
                let g = crate::tui::compare_view::Geometry::new(main);
                let pos = ratatui::layout::Position::new(x, y);
                if g.columns[0].contains(pos) {
                    view.focus = crate::compare::Side::A;
                } else if g.columns[1].contains(pos) {
                    view.focus = crate::compare::Side::B;
                }
            }
            Action::Help => {
                // Open the keys at the comparison's own section.
                let at = crate::tui::panes::help::lines(self)
                    .iter()
                    .position(|l| l.to_string() == Layer::Compare.title())
                    .unwrap_or(0);
                self.overlay = Some(Overlay::Help { scroll: at });
            }
            Action::Back | Action::QuitOrBack => {
                if view.ledger {
                    view.ledger = false;
                } else {
                    self.compare = None;
                    self.focus = Pane::List;
                }
            }
            _ => {}
        }
        if let Some(text) = note {
            self.say(text);
        }
    }
}

/// A comparison being computed on its thread. Dropping it (cancel, a newer request, or the
/// app itself on quit) sets the flag the comparison checks, so the thread stops working.
#[derive(Debug)]
pub(super) struct CompareJob {
    ticket: u64,
    cancel: Arc<AtomicBool>,
}

impl Drop for CompareJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Which two articles to compare.
#[derive(Clone, Copy, Debug)]
enum Pair {
    /// These two (ids into the articles).
    Both(u32, u32),
    /// This one and its most related other.
    Related(u32),
}

/// A finished comparison: the ids (earlier publication first), the comparison and a note
/// saying how the second article was picked.
#[derive(Debug)]
pub struct Computed {
    a: u32,
    b: u32,
    comparison: Comparison,
    note: Option<String>,
}

/// What the compare thread sends back.
#[derive(Debug)]
pub struct CompareReady {
    /// The request it answers.
    pub ticket: u64,
    /// The comparison, or the message saying why there is none.
    pub done: Result<Computed, String>,
}

/// Reads both bodies (picking the related article first when asked) and compares them: the
/// heavy part of `c`, run on the compare thread or, without one, in place. `note` says how the
/// pair was picked, or (for the related pick) why no report of the same story was. Stops early
/// (an error nobody reads) once `cancel` is set.
fn compute(
    pair: Pair,
    articles: &[Article],
    load_body: BodyLoader,
    note: Option<String>,
    cancel: &AtomicBool,
) -> Result<Computed, String> {
    let (a, b, note) = match pair {
        Pair::Both(x, y) => (x, y, note),
        Pair::Related(selected) => {
            match crate::compare::most_related(selected as usize, articles) {
                Some(r) => {
                    let reason = r.reason(articles);
                    let note = match note {
                        Some(why) => format!("{why}; {reason}"),
                        None => reason,
                    };
                    (selected, r.index as u32, Some(note))
                }
                None => return Err("no other article could be read to compare with".into()),
            }
        }
    };
    let (a, b) = {
        let when = |id: u32| articles[id as usize].published.as_ref().map(|p| p.utc);
        match (when(a), when(b)) {
            (Some(ta), Some(tb)) if tb < ta => (b, a),
            _ => (a, b),
        }
    };
    let mut bodies = Vec::with_capacity(2);
    for id in [a, b] {
        if cancel.load(Ordering::Relaxed) {
            return Err(crate::compare::Cancelled.to_string());
        }
        let article = &articles[id as usize];
        match load_body(article) {
            Ok(body) => bodies.push(body),
            Err(e) => {
                let text = format!(
                    "cannot compare: cannot read {}: {}",
                    article.path().display(),
                    e.reason
                );
                return Err(crate::sanitize::clean_line(&text));
            }
        }
    }
    let comparison = crate::compare::compare_until(
        &articles[a as usize],
        &bodies[0],
        &articles[b as usize],
        &bodies[1],
        cancel,
    )
    .map_err(|c| c.to_string())?;
    Ok(Computed {
        a,
        b,
        comparison,
        note,
    })
}
