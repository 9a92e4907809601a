//! The overlays above the panes (help, problems, links) and the search prompt in the status
//! bar: the `Help`, `Problems`, `Links` and `Search` layers.

use super::{App, Message};
use crate::tui::action::{Action, Effect};
use crate::tui::layout::Pane;

/// An overlay above the panes; at most one is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The keys, generated from the keymap.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// Files that failed to load.
    Problems {
        /// First line shown.
        scroll: usize,
    },
    /// The shown article's links.
    Links {
        /// The selected link (index into the rendered links).
        selected: usize,
        /// First row shown.
        offset: usize,
    },
    /// The outlets and saved filters, with report counts (issue #12).
    Outlets {
        /// The selected row (index into [`App::folder_rows`]).
        selected: usize,
        /// First row shown.
        offset: usize,
    },
}

/// What a search being typed applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchTarget {
    /// Filter the list.
    List,
    /// Find in the body.
    Body,
    /// Filter the stories view.
    Stories,
    /// Jump the list to a date (`d`).
    Date,
}

/// A search being typed in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The target.
    pub target: SearchTarget,
    /// The text so far.
    pub text: String,
}

impl App {
    pub(super) fn update_overlay(&mut self, action: Action, effects: &mut Vec<Effect>) {
        let page = self.main_height().saturating_sub(4).max(1);
        let len = self.overlay_len();
        let Some(overlay) = self.overlay.as_mut() else {
            return;
        };
        let (pos, max) = match overlay {
            Overlay::Help { scroll } | Overlay::Problems { scroll } => {
                (scroll, len.saturating_sub(page))
            }
            Overlay::Links { selected, .. } | Overlay::Outlets { selected, .. } => {
                (selected, len.saturating_sub(1))
            }
        };
        match action {
            Action::Down => *pos = (*pos + 1).min(max),
            Action::Up => *pos = pos.saturating_sub(1),
            Action::Top => *pos = 0,
            Action::Bottom => *pos = max,
            Action::PageDown | Action::HalfPageDown => *pos = (*pos + page).min(max),
            Action::PageUp | Action::HalfPageUp => *pos = pos.saturating_sub(page),
            Action::Back | Action::QuitOrBack | Action::Help | Action::Problems | Action::Links => {
                self.overlay = None
            }
            Action::CopyLink => {
                if let Overlay::Links { selected, .. } = overlay {
                    let index = *selected;
                    if let Some(link) = self.rendered().and_then(|r| r.links.get(index)) {
                        // The URL as written (a valid URL); the message shows it decoded.
                        let text = format!("copied [{}] {}", link.number, link.url);
                        effects.push(Effect::Copy(link.href.clone()));
                        self.message = Some(Message { text, error: false });
                    }
                }
            }
            Action::WheelDown(..) => *pos = (*pos + 3).min(max),
            Action::WheelUp(..) => *pos = pos.saturating_sub(3),
            _ => {}
        }
    }

    pub(super) fn overlay_len(&self) -> usize {
        match &self.overlay {
            Some(Overlay::Help { .. }) => crate::tui::panes::help::lines(self).len(),
            Some(Overlay::Problems { .. }) => self.problems.len(),
            Some(Overlay::Links { .. }) => self.rendered().map_or(0, |r| r.links.len()),
            Some(Overlay::Outlets { .. }) => self.folder_rows.len(),
            None => 0,
        }
    }

    pub(super) fn open_links(&mut self) {
        if self.focus == Pane::List || self.shown.is_none() || self.preview_pending {
            self.preview_pending = false;
            self.show_selected();
            self.sync();
        }
        match self.rendered() {
            Some(r) if !r.links.is_empty() => {
                self.overlay = Some(Overlay::Links {
                    selected: 0,
                    offset: 0,
                })
            }
            Some(_) => self.say("this article has no links"),
            None => self.say("no article to list links of"),
        }
    }

    pub(super) fn begin_search(&mut self) {
        let target = match self.focus {
            Pane::List => SearchTarget::List,
            Pane::Body => SearchTarget::Body,
            Pane::Meta => return,
        };
        let text = match target {
            SearchTarget::List => self.filter.clone(),
            SearchTarget::Body => self
                .find
                .as_ref()
                .map(|f| f.query.clone())
                .unwrap_or_default(),
            SearchTarget::Stories => self.stories.filter.clone(),
            SearchTarget::Date => String::new(),
        };
        if target == SearchTarget::List {
            self.filter_anchor = self.selected_id();
        }
        self.input = Some(Input { target, text });
    }

    pub(super) fn update_search(&mut self, action: Action) {
        let Some(input) = self.input.as_mut() else {
            return;
        };
        let target = input.target;
        match action {
            // Pasted text can carry control characters; they must not reach the prompt.
            Action::Insert(c) if crate::sanitize::is_forbidden(c) => return,
            Action::Insert(c) => input.text.push(c),
            Action::SearchBackspace => {
                input.text.pop();
            }
            Action::SearchClear => input.text.clear(),
            Action::SearchAccept => {
                let text = std::mem::take(&mut input.text);
                self.input = None;
                self.filter_anchor = None;
                if target == SearchTarget::Date {
                    self.jump_to_date(&text);
                    return;
                }
                if text.is_empty() {
                    self.clear_search(target);
                }
                if target == SearchTarget::Stories {
                    let (shown, _) = self.stories_view();
                    let total = if self.all_stories() {
                        self.stories().len()
                    } else {
                        self.stories_across_outlets()
                    };
                    let text = format!("{} of {total} stories match", shown.len());
                    self.message = Some(Message { text, error: false });
                } else if target == SearchTarget::List && !self.view.is_empty() {
                    self.message = Some(Message {
                        text: format!("{} of {} match", self.view.len(), self.catalog.live_len()),
                        error: false,
                    });
                } else if target == SearchTarget::Body {
                    self.report_find();
                }
                return;
            }
            Action::Back | Action::Quit => {
                self.input = None;
                self.clear_search(target);
                return;
            }
            _ => return,
        }
        let text = self
            .input
            .as_ref()
            .map(|i| i.text.clone())
            .unwrap_or_default();
        match target {
            SearchTarget::List => {
                // The report selected when the search began comes back as soon as the text
                // matches it again (a letter typed and deleted does not lose it).
                let keep = self.filter_anchor.or(self.selected_id());
                self.filter = text;
                self.refilter(keep);
            }
            SearchTarget::Body => self.start_find(&text),
            SearchTarget::Stories => {
                self.stories.filter = text;
                self.refilter_stories(None);
            }
            // The jump waits for Enter; the prompt previews the date.
            SearchTarget::Date => {}
        }
    }

    pub(super) fn clear_search(&mut self, target: SearchTarget) {
        match target {
            SearchTarget::List => {
                let keep = self.filter_anchor.take().or(self.selected_id());
                self.filter.clear();
                self.refilter(keep);
            }
            SearchTarget::Body => self.find = None,
            SearchTarget::Stories => {
                self.stories.filter.clear();
                self.refilter_stories(None);
            }
            SearchTarget::Date => {}
        }
    }
}
