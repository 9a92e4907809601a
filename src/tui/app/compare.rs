//! The side-by-side comparison (issue #5): opening it from the marks or the related pick, and
//! the `Compare` layer's keys. Its state and drawing live in [`crate::tui::compare_view`].

use super::{App, Overlay};
use crate::tui::action::Action;
use crate::tui::compare_view::CompareView;
use crate::tui::keymap::Layer;
use crate::tui::layout::Pane;

impl App {
    /// Opens the side-by-side view (issue #5): of the two marked articles; of the marked one
    /// and the selected one; else of the selected article and its most related other article
    /// (saying which was picked and why). The earlier publication goes on the left (A).
    pub(super) fn open_compare(&mut self) {
        let Some(selected) = self.selected_id() else {
            self.error("nothing to compare: no article selected");
            return;
        };
        let (a, b, note) = match *self.marks.as_slice() {
            [x, y] => (x, y, None),
            [x] if x != selected => (x, selected, None),
            _ => {
                if self.articles.len() < 2 {
                    self.error("nothing to compare with: only one article is loaded");
                    return;
                }
                match crate::compare::most_related(selected as usize, &self.articles) {
                    Some(r) => (selected, r.index as u32, Some(r.reason(&self.articles))),
                    None => {
                        self.error("no other article could be read to compare with");
                        return;
                    }
                }
            }
        };
        let (a, b) = {
            let when = |id: u32| self.articles[id as usize].published.as_ref().map(|p| p.utc);
            match (when(a), when(b)) {
                (Some(ta), Some(tb)) if tb < ta => (b, a),
                _ => (a, b),
            }
        };
        let mut bodies = Vec::with_capacity(2);
        for id in [a, b] {
            let article = &self.articles[id as usize];
            match (self.engine.load_body)(article) {
                Ok(body) => bodies.push(body),
                Err(e) => {
                    let text = format!(
                        "cannot compare: cannot read {}: {}",
                        article.path().display(),
                        e.reason
                    );
                    self.error(crate::sanitize::clean_line(&text));
                    return;
                }
            }
        }
        let comparison = crate::compare::compare(
            &self.articles[a as usize],
            &bodies[0],
            &self.articles[b as usize],
            &bodies[1],
        );
        self.compare = Some(CompareView::new(a, b, comparison));
        self.read[a as usize] = true;
        self.read[b as usize] = true;
        if let Some(note) = note {
            self.say(note);
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
