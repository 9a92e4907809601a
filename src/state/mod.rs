//! What the reader remembers between launches: which reports were read, which are starred, and
//! where each was left, per user, in SQLite (`$XDG_DATA_HOME/reader/state.db`).
//!
//! - Reports are keyed by [`Identity`] (canonical URL, else a hash of the body), so state
//!   survives moving, renaming and copying files.
//! - Every row belongs to a user: an opaque string. The local reader uses [`LOCAL_USER`];
//!   `reader serve` uses each SSH key's fingerprint, over one [`Store`] shared by its sessions.
//! - A [`State`] is one user's rows in memory: queries and changes never touch the disk on the
//!   caller's thread. Changes go to the [`Store`]'s writer thread over a channel; it writes them
//!   in batches, one transaction each. Opening and loading are blocking and belong on a worker
//!   thread (the TUI opens the state while the library loads).
//! - The file is in WAL mode with a busy timeout, so several readers at once (two terminals,
//!   many SSH sessions, `reader list` during a session) neither block nor corrupt each other;
//!   each row's fields are written one by one (`read`, `starred`, `position`), so two sessions
//!   changing different fields of one report both keep their change.
//! - Nothing here fails the reader: a corrupt file is set aside (`state.db.corrupt-<time>`)
//!   and a fresh one made; no data folder, a read-only one or a file from a newer reader means
//!   state kept in memory for the session; each is a [`Problem`] that says so.

pub mod identity;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use identity::Identity;
pub use store::{SCHEMA_VERSION, Store};

use crate::article::Article;
use crate::library::Problem;

/// The user of the local reader (one person's data folder).
pub const LOCAL_USER: &str = "local";

/// The state file's name in [`crate::config::data_dir`].
pub const FILE_NAME: &str = "state.db";

/// Where the state file is: `state.db` in [`crate::config::data_dir`].
pub fn default_path() -> Option<PathBuf> {
    crate::config::data_dir().map(|d| d.join(FILE_NAME))
}

/// Read and starred, the two flags of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    /// Opened for reading (or marked read).
    pub read: bool,
    /// Starred by the user.
    pub starred: bool,
}

impl From<Flags> for crate::search::Flags {
    fn from(f: Flags) -> crate::search::Flags {
        crate::search::Flags {
            read: f.read,
            starred: f.starred,
        }
    }
}

/// Where a report was left: the first line shown, of how many lines the body had then (so a
/// body laid out at another width reopens at the same fraction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// The first line shown.
    pub line: u32,
    /// The body's lines at the time.
    pub lines: u32,
}

impl Position {
    /// The line to show in a body of `lines` lines: the same line when the layout has as many
    /// lines, else the same fraction of the text.
    pub fn line_in(&self, lines: usize) -> usize {
        if self.lines as usize == lines || self.lines == 0 {
            self.line as usize
        } else {
            (u64::from(self.line) * lines as u64 / u64::from(self.lines)) as usize
        }
    }

    /// How far into the text, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.lines == 0 {
            0.0
        } else {
            (f64::from(self.line) / f64::from(self.lines)).min(1.0)
        }
    }
}

/// Everything kept for one report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Read and starred.
    pub flags: Flags,
    /// Where it was left, if it was scrolled.
    pub position: Option<Position>,
    /// When it last changed (Unix milliseconds).
    pub updated: i64,
}

/// One field of an entry, as written: each change writes its field alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Read(bool),
    Starred(bool),
    Position(Option<Position>),
}

/// One user's state, held in memory. Queries are map lookups; changes update the map at once
/// and are written by the store's writer thread (or kept in memory only, see
/// [`State::is_persistent`]).
#[derive(Debug)]
pub struct State {
    user: String,
    entries: HashMap<Identity, Entry>,
    store: Option<Store>,
    /// Changes made before the rows were loaded (see [`State::adopt`]), in order.
    journal: Vec<(Identity, Field)>,
    /// Whether changes are kept in `journal` (a placeholder for a state still loading).
    journaling: bool,
}

impl State {
    /// Opens the state file at `path` (made, with its folder, when missing) and loads `user`'s
    /// rows. Blocking: call it off the event loop. A corrupt file is set aside and a fresh one
    /// made; the problem returned then says so.
    pub fn open(path: &Path, user: &str) -> Result<(State, Option<Problem>), Problem> {
        let (store, problem) = Store::open(path)?;
        let state = store.load(user)?;
        Ok((state, problem))
    }

    /// Opens the state file in the user's data folder ([`default_path`]) and loads `user`'s
    /// rows; when that cannot be done, a state in memory for this session and the reason.
    /// Blocking: call it off the event loop.
    pub fn open_default(user: &str) -> (State, Option<Problem>) {
        let (store, problem) = Store::open_default();
        match store.load(user) {
            Ok(state) => (state, problem),
            Err(p) => (State::memory(user), Some(p)),
        }
    }

    /// Reads `user`'s state from the file at `path` for a plain command (`reader list`):
    /// nothing is made or written, and no file means no rows. The state returned writes
    /// nothing either.
    pub fn read_only(path: &Path, user: &str) -> Result<State, Problem> {
        let rows = store::read_rows(path, user).map_err(|reason| {
            Problem::warning(path, format!("cannot read the read state ({reason})"))
        })?;
        Ok(State {
            entries: rows,
            ..State::memory(user)
        })
    }

    /// [`State::read_only`] on the file in the user's data folder; an empty state and the
    /// reason when it cannot be read (no data folder is no state, not a problem).
    pub fn read_only_default(user: &str) -> (State, Option<Problem>) {
        match default_path() {
            None => (State::memory(user), None),
            Some(path) => match State::read_only(&path, user) {
                Ok(state) => (state, None),
                Err(p) => (State::memory(user), Some(p)),
            },
        }
    }

    /// Read and starred for `article` (by its [`Identity`]; none for one without).
    pub fn article_flags(&self, article: &Article) -> Flags {
        Identity::of(article).map_or_else(Flags::default, |i| self.flags(&i))
    }

    /// A state kept in memory only (tests; no data folder).
    pub fn memory(user: &str) -> State {
        State {
            user: user.to_string(),
            entries: HashMap::new(),
            store: None,
            journal: Vec::new(),
            journaling: false,
        }
    }

    /// A placeholder while the real state loads: in memory, remembering its changes so that
    /// [`State::adopt`] can apply them to the loaded one.
    pub fn pending(user: &str) -> State {
        State {
            journaling: true,
            ..State::memory(user)
        }
    }

    /// Replaces this state (a [`State::pending`] placeholder) by `loaded`, replaying onto it
    /// every change made meanwhile, which the loaded state then writes.
    pub fn adopt(&mut self, mut loaded: State) {
        for (identity, field) in std::mem::take(&mut self.journal) {
            loaded.apply(&identity, field);
        }
        *self = loaded;
    }

    pub(crate) fn from_rows(user: &str, entries: HashMap<Identity, Entry>, store: Store) -> State {
        State {
            user: user.to_string(),
            entries,
            store: Some(store),
            journal: Vec::new(),
            journaling: false,
        }
    }

    /// The user whose rows these are.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// True for a [`State::pending`] placeholder not yet replaced by the loaded state.
    pub fn is_loading(&self) -> bool {
        self.journaling
    }

    /// True when changes are written to a file (not kept in memory only).
    pub fn is_persistent(&self) -> bool {
        self.store.is_some()
    }

    /// The file written, if any.
    pub fn path(&self) -> Option<&Path> {
        self.store.as_ref().and_then(Store::path)
    }

    /// The number of reports with a row.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no report has a row.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Everything kept for a report (the default when nothing is).
    pub fn entry(&self, identity: &Identity) -> Entry {
        self.entries.get(identity).copied().unwrap_or_default()
    }

    /// Read and starred for a report.
    pub fn flags(&self, identity: &Identity) -> Flags {
        self.entry(identity).flags
    }

    /// Where a report was left, if it was scrolled.
    pub fn position(&self, identity: &Identity) -> Option<Position> {
        self.entry(identity).position
    }

    /// Marks a report read or unread.
    pub fn set_read(&mut self, identity: &Identity, read: bool) {
        if self.flags(identity).read != read {
            self.apply(identity, Field::Read(read));
        }
    }

    /// Toggles read; returns the new value.
    pub fn toggle_read(&mut self, identity: &Identity) -> bool {
        let read = !self.flags(identity).read;
        self.apply(identity, Field::Read(read));
        read
    }

    /// Stars or unstars a report.
    pub fn set_starred(&mut self, identity: &Identity, starred: bool) {
        if self.flags(identity).starred != starred {
            self.apply(identity, Field::Starred(starred));
        }
    }

    /// Toggles the star; returns the new value.
    pub fn toggle_star(&mut self, identity: &Identity) -> bool {
        let starred = !self.flags(identity).starred;
        self.apply(identity, Field::Starred(starred));
        starred
    }

    /// Records where a report was left (`None`: at the top). Written only when it changed.
    pub fn set_position(&mut self, identity: &Identity, position: Option<Position>) {
        if self.position(identity) != position {
            self.apply(identity, Field::Position(position));
        }
    }

    fn apply(&mut self, identity: &Identity, field: Field) {
        let updated = now_ms();
        let entry = self.entries.entry(identity.clone()).or_default();
        match field {
            Field::Read(v) => entry.flags.read = v,
            Field::Starred(v) => entry.flags.starred = v,
            Field::Position(p) => entry.position = p,
        }
        entry.updated = updated;
        if let Some(store) = &self.store {
            store.write(&self.user, identity, field, updated);
        }
        if self.journaling {
            self.journal.push((identity.clone(), field));
        }
    }

    /// Waits (at most `timeout`) until every change so far is in the file. True when they
    /// are (or there is no file). For quitting and tests; never on a key press.
    pub fn flush(&self, timeout: std::time::Duration) -> bool {
        self.store.as_ref().is_none_or(|s| s.flush(timeout))
    }

    /// A write that failed since the last call (the file became read-only, the disk filled),
    /// as a problem to show; changes stay in memory for the session.
    pub fn take_problem(&self) -> Option<Problem> {
        self.store.as_ref().and_then(Store::take_problem)
    }
}

/// The time now in Unix milliseconds.
fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests;
