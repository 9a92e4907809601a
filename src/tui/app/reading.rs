//! What lasts between launches (issue #12): read and starred flags and the reading position,
//! kept in the [`State`] store by each report's [`Identity`]. The store answers from memory
//! and writes on its own thread, so nothing here waits on the disk.

use super::{App, Folder};
use crate::library::Problem;
use crate::state::{Flags, Position, State};
use crate::tui::layout::Pane;

impl App {
    /// Uses `state` for read, starred and positions (the app starts with a state in memory).
    pub fn with_state(mut self, state: State) -> App {
        self.on_state(state, None);
        self
    }

    /// Takes the state loaded off the event loop: changes made meanwhile are replayed onto it,
    /// and its problem (a damaged file set aside, no data folder) is listed and shown.
    pub fn on_state(&mut self, state: State, problem: Option<Problem>) {
        self.state.adopt(state);
        for (flags, identity) in self.flags.iter_mut().zip(&self.catalog.idents) {
            if let Some(identity) = identity {
                *flags = self.state.flags(identity);
            }
        }
        // A position loaded now for the article already shown, unless the user scrolled it.
        if let Some(shown) = &self.shown
            && self.body_scroll == 0
        {
            let id = shown.id;
            self.restore = self.saved_position(id).map(|p| (id, p));
        }
        if let Some(problem) = problem {
            self.state_problem(problem);
        }
        // A saved filter on read state (`is:unread`) chosen before the state arrived.
        if let Folder::Saved(i) = self.folder {
            self.saved_members = (0..self.catalog.articles.len())
                .map(|id| self.saved_matches(i as usize, id))
                .collect();
            self.refilter(self.selected_id());
        }
        self.sync();
    }

    /// A flag of `id` changed: a chosen saved filter re-decides it (the row stays in view
    /// until the list is filtered again, so it does not vanish under the cursor).
    fn flags_changed(&mut self, id: u32) {
        if let Folder::Saved(i) = self.folder
            && let Some(member) = self.saved_members.get(id as usize).copied()
        {
            let now = self.saved_matches(i as usize, id as usize);
            if now != member {
                self.saved_members[id as usize] = now;
            }
        }
    }

    fn state_problem(&mut self, problem: Problem) {
        // The reason leads with what happened; `!` lists it with the file's path.
        self.error(format!("read state: {} (! for details)", problem.reason));
        self.problems.push(problem);
    }

    /// The read-state store.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Read and starred for article `id` (this session's flags for a report with no identity).
    pub fn flags(&self, id: u32) -> Flags {
        self.flags[id as usize]
    }

    /// True when the article with this id has not been read.
    pub fn is_unread(&self, id: u32) -> bool {
        !self.flags[id as usize].read
    }

    /// True when the article with this id is starred.
    pub fn is_starred(&self, id: u32) -> bool {
        self.flags[id as usize].starred
    }

    /// Records flags for articles appended from `first` on (`flags` holds `first` entries),
    /// and again for the rows in `changed` (a copy that sorts first took the row: its identity
    /// may differ).
    pub(super) fn track_state(&mut self, first: usize, changed: &[usize]) {
        let idents = &self.catalog.idents;
        for &i in changed {
            if let Some(identity) = &idents[i] {
                self.flags[i] = self.state.flags(identity);
            }
        }
        self.flags.truncate(first);
        self.flags.extend(idents[first..].iter().map(|identity| {
            identity
                .as_ref()
                .map(|i| self.state.flags(i))
                .unwrap_or_default()
        }));
    }

    /// Marks article `id` read (opening it does).
    pub(super) fn mark_read(&mut self, id: u32) {
        self.flags[id as usize].read = true;
        if let Some(identity) = &self.catalog.idents[id as usize] {
            self.state.set_read(identity, true);
        }
        self.flags_changed(id);
    }

    /// The article the flag keys act on: the selected row in the list, else the one shown.
    fn flag_target(&self) -> Option<u32> {
        match self.focus {
            Pane::List => self.selected_id(),
            Pane::Body | Pane::Meta => self.shown.as_ref().map(|s| s.id),
        }
    }

    pub(super) fn toggle_read(&mut self) {
        let Some(id) = self.flag_target() else {
            return;
        };
        let read = !self.flags[id as usize].read;
        self.flags[id as usize].read = read;
        if let Some(identity) = &self.catalog.idents[id as usize] {
            self.state.set_read(identity, read);
        }
        self.flags_changed(id);
        self.flag_message(id, if read { "marked read" } else { "marked unread" });
    }

    pub(super) fn toggle_star(&mut self) {
        let Some(id) = self.flag_target() else {
            return;
        };
        let starred = !self.flags[id as usize].starred;
        self.flags[id as usize].starred = starred;
        if let Some(identity) = &self.catalog.idents[id as usize] {
            self.state.set_starred(identity, starred);
        }
        self.flags_changed(id);
        self.flag_message(id, if starred { "starred" } else { "unstarred" });
    }

    fn flag_message(&mut self, id: u32, done: &str) {
        if self.catalog.idents[id as usize].is_none() {
            self.say(format!(
                "{done} for this session only: the report has no URL or body to be known by"
            ));
        } else if !self.state.is_persistent() && !self.state.is_loading() {
            self.say(format!("{done} (for this session only: see ! for why)"));
        } else {
            self.say(done);
        }
    }

    fn saved_position(&self, id: u32) -> Option<Position> {
        self.catalog.idents[id as usize]
            .as_ref()
            .and_then(|i| self.state.position(i))
    }

    /// Called as article `id` is shown: it reopens where it was left once it is laid out.
    pub(super) fn plan_restore(&mut self, id: u32) {
        self.restore = self.saved_position(id).map(|p| (id, p));
    }

    /// Scrolls the shown body to its saved position once its lines are known.
    pub(super) fn apply_restore(&mut self) {
        let Some((id, position)) = self.restore else {
            return;
        };
        let Some(shown) = &self.shown else {
            self.restore = None;
            return;
        };
        if shown.id != id {
            self.restore = None;
            return;
        }
        if let Some(rendered) = shown.rendered() {
            self.body_scroll = position.line_in(rendered.lines.len());
            self.restore = None;
        } else if matches!(&shown.body, Some(Err(_))) {
            self.restore = None;
        }
    }

    /// Records where the shown article was left (its first line shown, of how many).
    pub(super) fn save_position(&mut self) {
        let Some(shown) = &self.shown else {
            return;
        };
        // Not yet laid out (or not yet moved to its saved place): nothing new to record.
        if self.restore.is_some_and(|(id, _)| id == shown.id) {
            return;
        }
        let Some(rendered) = shown.rendered() else {
            return;
        };
        let Some(identity) = &self.catalog.idents[shown.id as usize] else {
            return;
        };
        let position = (self.body_scroll > 0).then(|| Position {
            line: u32::try_from(self.body_scroll).unwrap_or(u32::MAX),
            lines: u32::try_from(rendered.lines.len()).unwrap_or(u32::MAX),
        });
        self.state.set_position(identity, position);
    }

    /// Before the reader ends: records the shown article's position and waits (at most
    /// `timeout`) for every change to reach the file. False when some did not.
    pub fn finish(&mut self, timeout: std::time::Duration) -> bool {
        self.save_position();
        self.state.flush(timeout)
    }

    /// Lists a write that failed (the store keeps the session's changes in memory).
    pub(super) fn check_state(&mut self) {
        if let Some(problem) = self.state.take_problem() {
            self.state_problem(problem);
        }
    }
}
