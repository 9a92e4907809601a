//! The three browsing panes (list, body, metadata): their keys, focus moves, scrolling and
//! clicks. The `List`, `Body` and `Meta` layers are updated here.

use super::{App, Overlay, SearchTarget, offset};
use crate::tui::action::{Action, Effect};
use crate::tui::layout::{Mode, Pane};

impl App {
    pub(super) fn update_browse(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Quit => {}
            Action::QuitOrBack if self.focus == Pane::List => {
                self.quit = true;
                effects.push(Effect::Quit);
            }
            Action::QuitOrBack | Action::Back => {
                if self.cancel_compare() {
                    self.say("comparison cancelled");
                } else {
                    self.back();
                }
            }
            Action::Down => self.step(1),
            Action::Up => self.step(-1),
            Action::Top => self.step(isize::MIN),
            Action::Bottom => self.step(isize::MAX),
            Action::PageDown => self.step_rows(self.page() as isize),
            Action::PageUp => self.step_rows(-(self.page() as isize)),
            Action::HalfPageDown => self.step_rows((self.pane_height() / 2).max(1) as isize),
            Action::HalfPageUp => self.step_rows(-((self.pane_height() / 2).max(1) as isize)),
            Action::Open => self.open(),
            Action::NextArticle => self.next_article(1),
            Action::PrevArticle => self.next_article(-1),
            Action::FocusNext => self.cycle_focus(1),
            Action::FocusPrev => self.cycle_focus(-1),
            Action::FocusLeft => self.move_focus(-1),
            Action::FocusRight => self.move_focus(1),
            Action::Search => self.begin_search(),
            Action::NextMatch => self.goto_match(1),
            Action::PrevMatch => self.goto_match(-1),
            Action::ToggleInfo => self.toggle_info(),
            Action::Links => self.open_links(),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Problems => {
                if self.problems.is_empty() {
                    self.say("no problems: every file loaded");
                } else {
                    self.overlay = Some(Overlay::Problems { scroll: 0 });
                }
            }
            Action::ToggleMark => self.toggle_mark(),
            Action::ToggleRead => self.toggle_read(),
            Action::ToggleStar => self.toggle_star(),
            Action::Compare => self.open_compare(),
            Action::Stories => self.open_stories(),
            Action::Outlets => self.open_outlets(),
            Action::JumpToDate => self.begin_jump(),
            Action::WheelDown(x, y) | Action::WheelUp(x, y) => {
                let down = matches!(action, Action::WheelDown(..));
                if let Some(pane) = self.areas().pane_at(x, y) {
                    let before = self.focus;
                    self.focus = pane;
                    self.step(if down { 3 } else { -3 });
                    self.focus = before;
                }
            }
            Action::Click(x, y) => self.click(x, y),
            Action::CopyLink
            | Action::ToggleScript
            | Action::ToggleLedger
            | Action::ToggleScrollLock
            | Action::FollowCrossRef
            | Action::ToggleAllStories
            | Action::SearchAccept
            | Action::SearchBackspace
            | Action::SearchClear
            | Action::Insert(_) => {}
        }
    }

    pub(super) fn back(&mut self) {
        match self.focus {
            Pane::List => {
                if !self.filter.is_empty() {
                    self.clear_search(SearchTarget::List);
                    self.say("filter cleared");
                } else if self.folder() != super::Folder::All {
                    self.choose_folder(super::Folder::All);
                }
            }
            Pane::Body => {
                if self.find.is_some() {
                    self.find = None;
                } else {
                    self.focus = Pane::List;
                }
            }
            Pane::Meta => {
                if self.areas().mode == Mode::Medium {
                    self.info_medium = false;
                }
                self.focus = Pane::List;
            }
        }
    }

    /// Like [`App::step`], but the list moves by screen rows (day headers count), so a page
    /// of the list is a screenful.
    pub(super) fn step_rows(&mut self, delta: isize) {
        if self.focus != Pane::List {
            return self.step(delta);
        }
        if self.view.is_empty() {
            return;
        }
        let before = self.selected;
        self.selected = self.day_rows.move_rows(self.selected, delta);
        if self.selected != before {
            self.selection_moved();
        }
    }

    /// Moves the selection (by reports) or scrolls the focused pane by `delta` rows (saturating).
    pub(super) fn step(&mut self, delta: isize) {
        match self.focus {
            Pane::List => {
                if self.view.is_empty() {
                    return;
                }
                let before = self.selected;
                self.selected = offset(self.selected, delta, self.view.len() - 1);
                if self.selected != before {
                    self.selection_moved();
                }
            }
            Pane::Body => {
                self.body_scroll = offset(self.body_scroll, delta, self.body_max_scroll())
            }
            Pane::Meta => self.meta_scroll = offset(self.meta_scroll, delta, usize::MAX / 2),
        }
    }

    pub(super) fn cycle_focus(&mut self, delta: isize) {
        let panes = self.focus_ring();
        let at = panes.iter().position(|&p| p == self.focus).unwrap_or(0) as isize;
        let n = panes.len() as isize;
        self.focus = panes[(at + delta).rem_euclid(n) as usize];
        if self.focus == Pane::Body {
            self.open_if_nothing_shown();
        }
    }

    pub(super) fn move_focus(&mut self, delta: isize) {
        let panes = self.focus_ring();
        let at = panes.iter().position(|&p| p == self.focus).unwrap_or(0) as isize;
        let to = (at + delta).clamp(0, panes.len() as isize - 1) as usize;
        self.focus = panes[to];
        if self.focus == Pane::Body {
            self.open_if_nothing_shown();
        }
    }

    pub(super) fn open_if_nothing_shown(&mut self) {
        if self.preview_pending || self.shown.is_none() {
            self.preview_pending = false;
            self.show_selected();
        }
    }

    /// The panes focus moves through: the shown ones, or all three when one is shown at a time.
    pub(super) fn focus_ring(&self) -> Vec<Pane> {
        let areas = self.areas();
        match areas.mode {
            Mode::Single | Mode::TooSmall => vec![Pane::List, Pane::Body, Pane::Meta],
            _ => areas.visible(),
        }
    }

    pub(super) fn toggle_info(&mut self) {
        match self.areas().mode {
            Mode::Wide => {
                self.info_wide = !self.info_wide;
                if !self.info_wide && self.focus == Pane::Meta {
                    self.focus = Pane::Body;
                }
            }
            Mode::Medium => {
                self.info_medium = !self.info_medium;
                if self.info_medium && self.focus == Pane::List {
                    self.focus = Pane::Meta;
                } else if !self.info_medium && self.focus == Pane::Meta {
                    self.focus = Pane::List;
                }
            }
            Mode::Single | Mode::TooSmall => {
                self.focus = if self.focus == Pane::Meta {
                    if self.shown.is_some() {
                        Pane::Body
                    } else {
                        Pane::List
                    }
                } else {
                    Pane::Meta
                };
            }
        }
        if self.focus == Pane::Meta || self.areas().meta.is_some() {
            self.open_if_nothing_shown();
        }
    }

    pub(super) fn click(&mut self, x: u16, y: u16) {
        let areas = self.areas();
        let Some(pane) = areas.pane_at(x, y) else {
            return;
        };
        self.focus = pane;
        if pane == Pane::List
            && let Some(rect) = areas.list
        {
            let row = y.saturating_sub(rect.y + 1) as usize;
            // A day header is not selectable: a click on one selects nothing.
            if y > rect.y
                && row < self.list_height()
                && let Some(super::ListRow::Item(index)) = self.day_rows.at(self.list_offset + row)
                && index != self.selected
            {
                self.selected = index;
                self.selection_moved();
            }
        } else if pane == Pane::Body {
            self.open_if_nothing_shown();
        }
    }
}
