//! Browsing by outlet (issue #12): the outlets overlay (`O`) with report counts per outlet
//! and the saved filters of the config file (`[filters]`) as virtual folders at its top, and
//! the folder the list is narrowed to. The `Outlets` layer is updated here.
//!
//! A saved filter is parsed once, with the query language of `/` and `reader search`
//! ([`crate::search::query`]); its metadata terms go through [`Query::matches_meta`]. Its
//! words are looked up in the full-text index once the index is ready (every hit, asked once
//! per filter); until then, and where the reader has no index, they are matched on each
//! report's list key (title, outlet names, author), and the row says so. A query that does not
//! parse shows its error in its row and cannot be chosen.
//!
//! Every article belongs to one outlet group, found once when it arrives: the outlet table's
//! display name for an outlet it knows (so 德國之聲, 德国之声 and DW count once), else the
//! outlet as written, else the URL's host, else "(no outlet)". Groups are interned, so the
//! filter compares numbers and the counts are one pass over a `Vec<u32>` when the overlay opens.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::{App, Message, Overlay};
use crate::article::Article;
use crate::config::SavedFilter;
use crate::search::Query;
use crate::tui::action::Action;

/// The name of the group of reports with neither an outlet nor a URL host.
pub const NO_OUTLET: &str = "(no outlet)";

/// What a row of the outlets overlay narrows the list to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    /// Every report.
    All,
    /// The reports of one outlet group (an index into the group names).
    Outlet(u32),
    /// The reports a saved filter matches (an index into the saved filters).
    Saved(u32),
}

/// A saved filter from the config file, parsed.
#[derive(Clone, Debug)]
pub(crate) struct Saved {
    /// The name as written (sanitised, one line).
    name: String,
    /// The query as written (sanitised, one line).
    text: String,
    /// The parsed query, or why it does not parse.
    query: Result<Query, String>,
    /// The files the full-text index gives for the query's words, once it has answered.
    hits: Option<HashSet<PathBuf>>,
}

/// One row of the outlets overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderRow {
    /// What choosing the row does.
    pub folder: Folder,
    /// The name shown (sanitised, one line).
    pub label: String,
    /// Reports in the folder (`None` for a saved filter that does not parse).
    pub count: Option<usize>,
    /// For a saved filter: its query as written.
    pub query: Option<String>,
    /// A note on the row: why a saved filter does not parse, or what its words are matched on.
    pub note: Option<String>,
    /// True when `note` is an error.
    pub error: bool,
}

/// The note on a saved filter whose words are matched without a full-text index.
pub const TITLES_ONLY: &str = "words: titles, outlets, authors only";

/// The outlet groups of the loaded articles.
#[derive(Clone, Debug, Default)]
pub(crate) struct Groups {
    /// Per article id: its group.
    of: Vec<u32>,
    /// Per group: its name (the first spelling seen).
    names: Vec<String>,
    /// Each name as written, to its group.
    ids: HashMap<String, u32>,
    /// Each name case- and script-folded, to its group: an outlet the table does not know,
    /// written `Example Times` and `EXAMPLE TIMES`, or in either script, counts once.
    folded: HashMap<String, u32>,
}

impl Groups {
    fn intern(&mut self, name: String) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        // Folding runs once per spelling, not per article.
        let key = crate::search::normalize(&name);
        let id = match self.folded.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(name.clone());
                self.folded.insert(key, id);
                id
            }
        };
        self.ids.insert(name, id);
        id
    }

    /// Adds the group of the next article id, named as [`group_name`] gives it.
    pub(crate) fn push_named(&mut self, name: String) {
        let g = self.intern(name);
        self.of.push(g);
    }

    /// The group of article `id` changed (a copy that sorts first took its place).
    pub(crate) fn update_named(&mut self, id: usize, name: String) {
        self.of[id] = self.intern(name);
    }

    /// The group of article `id`.
    pub(crate) fn of(&self, id: u32) -> u32 {
        self.of[id as usize]
    }

    /// A group's name.
    pub(crate) fn name(&self, group: u32) -> &str {
        &self.names[group as usize]
    }
}

/// The outlet group an article is counted under: the outlet table's display name when the
/// table knows the outlet by any of its names, else the name as written (spellings that differ
/// only in case or script are one group), else the URL's host, else [`NO_OUTLET`].
pub fn group_name(article: &Article) -> String {
    use crate::article::outlet;
    match article.outlet.as_deref().map(str::trim) {
        Some(o) if !o.is_empty() => outlet::by_name(o)
            .map(str::to_string)
            .unwrap_or_else(|| crate::sanitize::clean_line(o)),
        _ => article
            .url
            .as_deref()
            .and_then(outlet::host_of)
            .map(|h| {
                outlet::table()
                    .by_host(&h)
                    .map_or_else(|| crate::sanitize::clean_line(&h), |o| o.name.clone())
            })
            .unwrap_or_else(|| NO_OUTLET.to_string()),
    }
}

impl App {
    /// Adds the config file's saved filters (`[filters]`) as virtual folders; dates without a
    /// year and `on:` are read in the list's zone and against its clock.
    pub fn with_filters(mut self, filters: Vec<SavedFilter>) -> App {
        let today = self.today();
        let tz = self.config.clock.tz.clone();
        self.saved = filters
            .into_iter()
            .map(|f| Saved {
                name: crate::sanitize::clean_line(&f.name),
                text: crate::sanitize::clean_line(&f.query),
                query: crate::search::parse(&f.query, today)
                    .map(|q| q.in_zone(tz.clone()))
                    .map_err(|e| crate::sanitize::clean_line(&e.to_string())),
                hits: None,
            })
            .collect();
        self
    }

    /// True when saved filter `index` matches article `id` (false for one that does not parse).
    pub(super) fn saved_matches(&self, index: usize, id: usize) -> bool {
        let Ok(query) = &self.saved[index].query else {
            return false;
        };
        let flags = self.flags.get(id).copied().unwrap_or_default().into();
        let article = &self.catalog.articles[id];
        query.matches_meta(article, flags)
            && (!query.has_text()
                || match &self.saved[index].hits {
                    Some(hits) => hits.contains(article.path()),
                    None => query.matches_key(&self.catalog.keys[id]),
                })
    }

    /// Per article id: whether saved filter `index` matches it.
    fn members_of_saved(&self, index: usize) -> Vec<bool> {
        (0..self.catalog.articles.len())
            .map(|id| self.saved_matches(index, id))
            .collect()
    }

    /// The saved filters whose words the full-text index should answer: (index, query).
    pub(super) fn saved_text_queries(&self) -> Vec<(usize, Query)> {
        self.saved
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.query {
                Ok(q) if q.has_text() => Some((i, q.clone())),
                _ => None,
            })
            .collect()
    }

    /// The index answered saved filter `index` with these files: its members and count follow
    /// them from now on.
    pub(super) fn on_saved_hits(&mut self, index: usize, files: HashSet<PathBuf>) {
        let Some(saved) = self.saved.get_mut(index) else {
            return;
        };
        saved.hits = Some(files);
        if self.folder == Folder::Saved(index as u32) {
            let keep = self.selected_id();
            self.saved_members = self.members_of_saved(index);
            self.refilter(keep);
        }
        self.refresh_folder_rows();
    }

    /// Articles `from..` arrived (and `changed` were replaced by an earlier copy): a chosen
    /// saved filter is evaluated for them alone.
    pub(super) fn saved_arrived(&mut self, from: usize, changed: &[usize]) {
        let Folder::Saved(index) = self.folder else {
            return;
        };
        for &id in changed {
            self.saved_members[id] = self.saved_matches(index as usize, id);
        }
        for id in from..self.catalog.articles.len() {
            let hit = self.saved_matches(index as usize, id);
            self.saved_members.push(hit);
        }
    }

    /// The rows of the outlets overlay, as computed when it opened (or when articles last
    /// arrived while it was open).
    pub fn folder_rows(&self) -> &[FolderRow] {
        &self.folder_rows
    }

    /// The folder the list is narrowed to.
    pub fn folder(&self) -> Folder {
        self.folder
    }

    /// The name of the folder the list is narrowed to, `None` for all reports.
    pub fn folder_label(&self) -> Option<&str> {
        match self.folder {
            Folder::All => None,
            Folder::Outlet(g) => Some(self.catalog.groups.name(g)),
            Folder::Saved(i) => Some(&self.saved[i as usize].name),
        }
    }

    /// True when article `id` is in the chosen folder.
    pub(super) fn in_folder(&self, id: u32) -> bool {
        match self.folder {
            Folder::All => true,
            Folder::Outlet(g) => self.catalog.groups.of(id) == g,
            Folder::Saved(_) => self.saved_members[id as usize],
        }
    }

    /// Counts the reports per folder: "All outlets" first, then the saved filters in the
    /// config file's order, then the outlets by count (most first), then by name.
    pub(super) fn compute_folder_rows(&mut self) {
        let mut counts = vec![0usize; self.catalog.groups.names.len()];
        for (id, &g) in self.catalog.groups.of.iter().enumerate() {
            if self.catalog.is_live(id) {
                counts[g as usize] += 1;
            }
        }
        let mut outlets: Vec<FolderRow> = counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > 0)
            .map(|(g, &count)| FolderRow {
                folder: Folder::Outlet(g as u32),
                label: self.catalog.groups.names[g].clone(),
                count: Some(count),
                query: None,
                note: None,
                error: false,
            })
            .collect();
        outlets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        let mut rows = vec![FolderRow {
            folder: Folder::All,
            label: "All outlets".to_string(),
            count: Some(self.catalog.live_len()),
            query: None,
            note: None,
            error: false,
        }];
        for (i, saved) in self.saved.iter().enumerate() {
            let (count, note, error) = match &saved.query {
                Ok(q) => (
                    Some(
                        (0..self.catalog.articles.len())
                            .filter(|&id| self.catalog.is_live(id) && self.saved_matches(i, id))
                            .count(),
                    ),
                    (q.has_text() && saved.hits.is_none()).then(|| TITLES_ONLY.to_string()),
                    false,
                ),
                Err(e) => (None, Some(e.clone()), true),
            };
            rows.push(FolderRow {
                folder: Folder::Saved(i as u32),
                label: saved.name.clone(),
                count,
                query: Some(saved.text.clone()),
                note,
                error,
            });
        }
        rows.extend(outlets);
        self.folder_rows = rows;
    }

    /// Opens the outlets overlay with the chosen folder selected.
    pub(super) fn open_outlets(&mut self) {
        self.compute_folder_rows();
        let selected = self
            .folder_rows
            .iter()
            .position(|r| r.folder == self.folder)
            .unwrap_or(0);
        self.overlay = Some(Overlay::Outlets {
            selected,
            offset: 0,
        });
    }

    /// Articles arrived while the overlay is open: count again, keeping the selected row.
    pub(super) fn refresh_folder_rows(&mut self) {
        let Some(Overlay::Outlets { selected, .. }) = self.overlay else {
            return;
        };
        let was = self.folder_rows.get(selected).map(|r| r.folder);
        self.compute_folder_rows();
        let at = was
            .and_then(|f| self.folder_rows.iter().position(|r| r.folder == f))
            .unwrap_or(0);
        if let Some(Overlay::Outlets { selected, .. }) = &mut self.overlay {
            *selected = at;
        }
    }

    /// Narrows the list to `folder`, keeping the selected report when it is in it. A saved
    /// filter that does not parse is not chosen: its error is shown.
    pub(super) fn choose_folder(&mut self, folder: Folder) {
        if let Folder::Saved(i) = folder {
            let saved = &self.saved[i as usize];
            if let Err(e) = &saved.query {
                let text = format!("saved filter “{}”: {e}", saved.name);
                self.error(text);
                return;
            }
        }
        let keep = self.selected_id();
        self.folder = folder;
        self.saved_members.clear();
        if let Folder::Saved(i) = folder {
            self.saved_members = self.members_of_saved(i as usize);
        }
        self.refilter(keep);
        let n = self.view.len();
        let text = match (folder, self.folder_label()) {
            (Folder::Saved(_), Some(name)) => format!("{n} reports match the saved filter {name}"),
            (_, Some(name)) => format!("{n} reports from {name}"),
            (_, None) => format!("all outlets: {n} reports"),
        };
        self.message = Some(Message { text, error: false });
    }

    pub(super) fn update_outlets(&mut self, action: Action) {
        let page = self.main_height().saturating_sub(4).max(1);
        let max = self.folder_rows.len().saturating_sub(1);
        let Some(Overlay::Outlets { selected, .. }) = self.overlay.as_mut() else {
            return;
        };
        match action {
            Action::Down => *selected = (*selected + 1).min(max),
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Top => *selected = 0,
            Action::Bottom => *selected = max,
            Action::PageDown | Action::HalfPageDown => *selected = (*selected + page).min(max),
            Action::PageUp | Action::HalfPageUp => *selected = selected.saturating_sub(page),
            Action::WheelDown(..) => *selected = (*selected + 3).min(max),
            Action::WheelUp(..) => *selected = selected.saturating_sub(3),
            Action::Open => {
                let folder = self.folder_rows.get(*selected).map(|r| r.folder);
                self.overlay = None;
                if let Some(folder) = folder {
                    self.choose_folder(folder);
                }
            }
            Action::Back | Action::QuitOrBack | Action::Outlets => self.overlay = None,
            _ => {}
        }
    }

    /// Keeps the overlay's selected row in view (the main area inside its border).
    pub(super) fn sync_outlets(&mut self) {
        let page = self.main_height().saturating_sub(2).max(1);
        if let Some(Overlay::Outlets { selected, offset }) = &mut self.overlay {
            if *selected < *offset {
                *offset = *selected;
            } else if *selected >= *offset + page {
                *offset = *selected + 1 - page;
            }
        }
    }
}
