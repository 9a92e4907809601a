//! The stories view (issue #11): the library grouped into stories across outlets, filterable
//! like the list, and a story's coverage (its reports by outlet, a bar of coverage, the outlets
//! that did not report it, who names which terms, the dates the reports mention), from which
//! two reports are marked and compared. The `Stories` and `Coverage` layers are updated here.
//!
//! The grouping runs on [`grouping::Worker`] when the app has one (it follows every loaded
//! batch; the view shows "grouping…" meanwhile); without one (tests) it runs in place the first
//! time stories are wanted. Story indices change when a snapshot arrives, so the view keeps its
//! selection by a member article, not by index.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{App, Overlay, offset};
use crate::stories::pick::{best_in_story, telling};
use crate::stories::{Kind, Story};
use crate::tui::action::Action;
use crate::tui::grouping::{self, Grouping, Mention, Snapshot, StoriesReady};
use crate::tui::keymap::Layer;
use crate::tui::layout::Pane;
use crate::tui::search;

/// The stories of the library and the view's state.
#[derive(Default)]
pub struct Stories {
    snapshot: Arc<Snapshot>,
    /// Article id → index into `snapshot.stories` (`u32::MAX`: not grouped yet).
    story_of: Vec<u32>,
    /// The view is shown.
    pub(crate) open: bool,
    /// Story indices the view shows (filtered).
    view: Vec<u32>,
    selected: usize,
    offset: usize,
    /// The filter as typed.
    pub(crate) filter: String,
    /// Stories of one outlet are shown too (by default only those of two outlets or more).
    pub(crate) all: bool,
    /// How many stories have reports of two outlets or more.
    multi: usize,
    /// The coverage pane of the story opened with Enter.
    pub(crate) coverage: Option<Coverage>,
    /// Articles whose signals are read.
    grouped: usize,
    /// Articles handed to the grouping.
    sent: usize,
    worker: Option<grouping::Worker>,
    /// The stories are grouped elsewhere, once for every reader of the library (`reader
    /// serve`), and arrive through [`App::on_stories`].
    shared: bool,
    /// Where the worker and timeline threads send results.
    notify: Option<Arc<dyn Fn(StoriesReady) + Send + Sync>>,
    in_place: Grouping,
    tickets: u64,
}

/// One row of the terms-by-outlet table.
#[derive(Clone, Debug, PartialEq)]
pub struct TermRow {
    /// The term (Simplified, Latin lower-cased).
    pub term: String,
    /// Its kind.
    pub kind: Kind,
    /// Per outlet of [`Coverage::outlets`]: true when one of its reports names the term.
    pub by: Vec<bool>,
}

/// A story's coverage, as opened.
#[derive(Clone, Debug)]
pub struct Coverage {
    /// The story (its members as when opened).
    pub story: Story,
    /// Outlets with their report counts, most reports first.
    pub outlets: Vec<(String, usize)>,
    /// The members grouped by outlet (in `outlets` order), newest first within one.
    pub reports: Vec<u32>,
    /// Outlets of the library that did not report the story.
    pub missing: Vec<String>,
    /// Who names which people, places, organisations, numbers and quotes.
    pub terms: Vec<TermRow>,
    /// The dates the reports mention, once read (`None` while being read).
    pub timeline: Option<Vec<Mention>>,
    /// Index into `reports` of the selected row.
    pub selected: usize,
    /// First line of the pane shown.
    pub scroll: usize,
    ticket: u64,
}

/// Rows of the terms table at most.
pub const TERM_ROWS: usize = 16;

impl App {
    /// Groups stories on a thread of its own, which hands each result to `notify`; the event
    /// loop passes it back through [`App::on_stories`]. Set the engine first: the thread reads
    /// bodies with its loader.
    pub fn with_stories_worker(
        mut self,
        notify: impl Fn(StoriesReady) + Send + Sync + 'static,
    ) -> std::io::Result<App> {
        let notify: Arc<dyn Fn(StoriesReady) + Send + Sync> = Arc::new(notify);
        let worker = grouping::Worker::spawn(self.engine.load_body, notify.clone())?;
        self.stories.worker = Some(worker);
        self.stories.notify = Some(notify);
        Ok(self)
    }

    /// Takes the stories from a grouping shared with other readers of the same catalog
    /// (`reader serve` groups the served library once): they arrive as [`App::on_stories`];
    /// `notify` hears this reader's coverage timelines.
    pub fn with_shared_stories(
        mut self,
        notify: impl Fn(StoriesReady) + Send + Sync + 'static,
    ) -> App {
        self.stories.worker = None;
        self.stories.shared = true;
        self.stories.notify = Some(Arc::new(notify));
        self.stories.sent = self.catalog.len();
        self
    }

    /// The stories view is shown.
    pub fn stories_open(&self) -> bool {
        self.stories.open
    }

    /// The stories, newest first (of the latest snapshot).
    pub fn stories(&self) -> &[Story] {
        &self.stories.snapshot.stories
    }

    /// The story indices the view shows (filtered), and the selected row.
    pub fn stories_view(&self) -> (&[u32], usize) {
        (&self.stories.view, self.stories.selected)
    }

    /// The first row of the stories list drawn.
    pub fn stories_offset(&self) -> usize {
        self.stories.offset
    }

    /// How many stories have reports of two outlets or more.
    pub fn stories_across_outlets(&self) -> usize {
        self.stories.multi
    }

    /// True when stories of one outlet are listed too.
    pub fn all_stories(&self) -> bool {
        self.stories.all
    }

    /// The stories filter as typed.
    pub fn stories_filter(&self) -> &str {
        &self.stories.filter
    }

    /// The coverage pane's state, when open.
    pub fn coverage(&self) -> Option<&Coverage> {
        self.stories.coverage.as_ref().filter(|_| self.stories.open)
    }

    /// "grouping 400/1338" while reports are still being read or grouped.
    pub fn grouping_progress(&self) -> Option<String> {
        let s = &self.stories;
        let behind = s.grouped < s.sent
            || ((s.worker.is_some() || s.shared) && s.snapshot.items.len() < s.sent);
        behind.then(|| format!("grouping {}/{}", s.grouped, s.sent))
    }

    /// The story of an article, once grouped.
    pub fn story_of(&self, id: u32) -> Option<&Story> {
        let i = *self.stories.story_of.get(id as usize)?;
        self.stories.snapshot.stories.get(i as usize)
    }

    /// New articles `first..` arrived: the worker groups them at once.
    pub(super) fn stories_arrived(&mut self, first: usize) {
        if self.stories.shared {
            self.stories.sent = self.catalog.len();
        } else if let Some(w) = &self.stories.worker {
            let fresh = self.catalog.articles[first..].to_vec();
            self.stories.sent += fresh.len();
            w.add(fresh);
        }
    }

    /// Loading is done: the grouping settles (regroups in time order from the kept signals).
    pub(super) fn stories_settle(&mut self) {
        if let Some(w) = &self.stories.worker {
            w.settle();
        }
    }

    /// Groups in place what is not grouped yet (no worker: tests and benchmarks).
    fn ensure_grouped(&mut self) {
        if self.stories.worker.is_some()
            || self.stories.shared
            || self.stories.in_place.len() >= self.catalog.articles.len()
        {
            return;
        }
        let from = self.stories.in_place.len();
        let load_body = self.engine.load_body;
        self.stories
            .in_place
            .add(&self.catalog.articles[from..], load_body, || {});
        self.stories.in_place.settle();
        self.stories.grouped = self.catalog.articles.len();
        self.stories.sent = self.catalog.articles.len();
        let snap = self.stories.in_place.snapshot();
        self.apply_snapshot(Arc::new(snap));
    }

    /// Takes a result of the grouping thread or of a timeline thread.
    pub fn on_stories(&mut self, ready: StoriesReady) {
        match ready {
            StoriesReady::Progress(n) => self.stories.grouped = n,
            StoriesReady::Grouped(snap) => {
                self.stories.grouped = self.stories.grouped.max(snap.items.len());
                self.apply_snapshot(snap);
            }
            StoriesReady::Timeline { ticket, mentions } => {
                if let Some(c) = self.stories.coverage.as_mut()
                    && c.ticket == ticket
                {
                    c.timeline = Some(mentions);
                }
            }
        }
        self.sync();
    }

    /// Reports were taken off the list: they leave the stories shown.
    pub(super) fn stories_removed(&mut self) {
        let snapshot = self.stories.snapshot.clone();
        self.apply_snapshot(snapshot);
    }

    fn apply_snapshot(&mut self, snap: Arc<Snapshot>) {
        // Reports taken off the list (gone since the cache listed them) leave their stories.
        let snap = if self.catalog.live_len() < self.catalog.len() {
            let catalog = &self.catalog;
            let mut kept = (*snap).clone();
            kept.stories.retain_mut(|s| {
                s.members
                    .retain(|&m| m >= catalog.len() || catalog.is_live(m));
                if !s.members.contains(&s.headline) {
                    s.headline = s.members.first().copied().unwrap_or(s.headline);
                }
                !s.members.is_empty()
            });
            Arc::new(kept)
        } else {
            snap
        };
        // Keep the selection on the story holding the same report; at the top, stay at the top
        // (the newest story), as stories arrive while the user waits.
        let keep = self
            .stories
            .view
            .get(self.stories.selected)
            .filter(|_| self.stories.selected > 0)
            .and_then(|&s| self.stories.snapshot.stories.get(s as usize))
            .map(|s| s.members[0] as u32);
        let mut story_of = vec![u32::MAX; self.catalog.articles.len().max(snap.items.len())];
        for (n, s) in snap.stories.iter().enumerate() {
            for &m in &s.members {
                story_of[m] = n as u32;
            }
        }
        self.stories.story_of = story_of;
        self.stories.snapshot = snap;
        self.refilter_stories(keep);
    }

    /// Applies the filter to the stories; `keep` (a member article) stays selected if shown.
    pub(super) fn refilter_stories(&mut self, keep: Option<u32>) {
        let query = search::normalize(&self.stories.filter);
        let stories = &self.stories.snapshot.stories;
        let keys = &self.catalog.keys;
        let all = self.stories.all;
        let articles = &self.catalog.articles;
        let several = |s: &Story| {
            let first = articles[s.members[0]].outlet.as_deref();
            s.members
                .iter()
                .any(|&m| articles[m].outlet.as_deref() != first)
        };
        let multi: Vec<bool> = stories.iter().map(several).collect();
        self.stories.multi = multi.iter().filter(|&&m| m).count();
        self.stories.view = (0..stories.len() as u32)
            .filter(|&n| all || multi[n as usize])
            .filter(|&n| {
                query.is_empty()
                    || stories[n as usize]
                        .members
                        .iter()
                        .any(|&m| keys.get(m).is_some_and(|k| k.contains(&query)))
            })
            .collect();
        let at = keep
            .and_then(|id| self.stories.story_of.get(id as usize).copied())
            .and_then(|s| self.stories.view.iter().position(|&v| v == s));
        self.stories.selected = at
            .unwrap_or(0)
            .min(self.stories.view.len().saturating_sub(1));
    }

    /// Opens the stories view (grouping in place first when there is no worker).
    pub(super) fn open_stories(&mut self) {
        self.ensure_grouped();
        self.stories.open = true;
        // While grouping, the view's title and the status bar show the progress.
        if self.catalog.articles.is_empty() {
            self.say("no stories: no articles loaded");
        }
    }

    /// Rows of the main area inside the view's border.
    fn stories_page(&self) -> usize {
        (self.areas().main.height as usize).saturating_sub(2).max(1)
    }

    /// Stories shown at once: the rows under the column headings.
    fn stories_rows(&self) -> usize {
        self.stories_page().saturating_sub(1).max(1)
    }

    /// Applies an action in the stories list.
    pub(super) fn update_stories(&mut self, action: Action) {
        let page = self.stories_rows() as isize;
        let len = self.stories.view.len();
        let step = |app: &mut App, delta: isize| {
            if len > 0 {
                app.stories.selected = offset(app.stories.selected, delta, len - 1);
            }
        };
        match action {
            Action::Down => step(self, 1),
            Action::Up => step(self, -1),
            Action::Top => step(self, isize::MIN),
            Action::Bottom => step(self, isize::MAX),
            Action::PageDown => step(self, page),
            Action::PageUp => step(self, -page),
            Action::HalfPageDown => step(self, (page / 2).max(1)),
            Action::HalfPageUp => step(self, -(page / 2).max(1)),
            Action::Open => self.open_coverage(),
            Action::Search => {
                self.input = Some(super::Input {
                    target: super::SearchTarget::Stories,
                    text: self.stories.filter.clone(),
                })
            }
            Action::Help => self.help_at(Layer::Stories),
            Action::ToggleAllStories => {
                self.stories.all = !self.stories.all;
                self.refilter_stories(self.selected_story_member());
                self.say(if self.stories.all {
                    "all stories, of one outlet too"
                } else {
                    "stories of two outlets or more"
                });
            }
            Action::Back if !self.stories.filter.is_empty() => {
                self.stories.filter.clear();
                self.refilter_stories(self.selected_story_member());
                self.say("filter cleared");
            }
            Action::Back | Action::QuitOrBack | Action::Stories => self.stories.open = false,
            Action::WheelDown(..) => step(self, 3),
            Action::WheelUp(..) => step(self, -3),
            _ => {}
        }
    }

    fn selected_story_member(&self) -> Option<u32> {
        let s = *self.stories.view.get(self.stories.selected)?;
        Some(self.stories.snapshot.stories[s as usize].members[0] as u32)
    }

    /// Opens the help overlay at a layer's section.
    fn help_at(&mut self, layer: Layer) {
        let at = crate::tui::panes::help::lines(self)
            .iter()
            .position(|l| l.to_string() == layer.title())
            .unwrap_or(0);
        self.overlay = Some(Overlay::Help { scroll: at });
    }

    /// Opens the selected story's coverage; its timeline is read on a thread (in place without
    /// a worker).
    fn open_coverage(&mut self) {
        let Some(&n) = self.stories.view.get(self.stories.selected) else {
            return;
        };
        let story = self.stories.snapshot.stories[n as usize].clone();
        let outlets = outlet_counts(&self.catalog.articles, &story);
        let names: Vec<&str> = outlets.iter().map(|(n, _)| n.as_str()).collect();
        let mut reports: Vec<u32> = Vec::with_capacity(story.members.len());
        for name in &names {
            reports.extend(
                story
                    .members
                    .iter()
                    .filter(|&&m| outlet_name(&self.catalog.articles[m]) == *name)
                    .map(|&m| m as u32),
            );
        }
        let present: BTreeSet<&str> = names.iter().copied().collect();
        let library: BTreeSet<String> = self
            .catalog
            .articles
            .iter()
            .filter_map(|a| a.outlet.as_deref())
            .map(crate::sanitize::clean_line)
            .collect();
        let missing: Vec<String> = library
            .into_iter()
            .filter(|o| !present.contains(o.as_str()))
            .collect();
        let terms = term_rows(
            &story,
            &self.catalog.articles,
            &self.stories.snapshot.items,
            &names,
        );
        self.stories.tickets += 1;
        let ticket = self.stories.tickets;
        let members: Vec<crate::article::Article> = story
            .members
            .iter()
            .map(|&m| self.catalog.articles[m].clone())
            .collect();
        let timeline = if self.stories.notify.is_some() {
            self.spawn_timeline(ticket, members);
            None
        } else {
            Some(grouping::timeline(&members, self.engine.load_body))
        };
        self.stories.coverage = Some(Coverage {
            story,
            outlets,
            reports,
            missing,
            terms,
            timeline,
            selected: 0,
            scroll: 0,
            ticket,
        });
    }

    fn spawn_timeline(&mut self, ticket: u64, members: Vec<crate::article::Article>) {
        let Some(notify) = self.stories.notify.clone() else {
            return;
        };
        let load_body = self.engine.load_body;
        let on_panic = self.on_panic.clone();
        let spawned = std::thread::Builder::new()
            .name("timeline".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| {
                    let mentions = grouping::timeline(&members, load_body);
                    notify(StoriesReady::Timeline { ticket, mentions });
                });
                if std::panic::catch_unwind(work).is_err() {
                    on_panic();
                }
            });
        if let Err(e) = spawned {
            self.error(format!(
                "cannot read the timeline: cannot start a thread: {e}"
            ));
        }
    }

    /// Lines of the coverage pane before the first report row (see `panes::stories`).
    pub const COVERAGE_HEAD: usize = 4;

    /// Applies an action in a story's coverage.
    pub(super) fn update_coverage(&mut self, action: Action) {
        let page = self.stories_page();
        let width = self.areas().main.width.saturating_sub(2);
        let total = self.coverage().map_or(0, |c| {
            crate::tui::panes::stories::coverage_lines(self, c, width).len()
        });
        let Some(c) = self.stories.coverage.as_mut() else {
            return;
        };
        let max_scroll = total.saturating_sub(page);
        let last = c.reports.len().saturating_sub(1);
        let select = |c: &mut Coverage, to: usize| {
            c.selected = to.min(last);
            let line = App::COVERAGE_HEAD + c.selected;
            if line < c.scroll {
                c.scroll = line;
            }
            if line >= c.scroll + page {
                c.scroll = line + 1 - page;
            }
            if c.selected == 0 {
                c.scroll = 0;
            }
        };
        match action {
            Action::Down => {
                if c.selected < last {
                    select(c, c.selected + 1);
                } else {
                    c.scroll = (c.scroll + 1).min(max_scroll);
                }
            }
            Action::Up => {
                let to = c.selected.saturating_sub(1);
                select(c, to);
            }
            Action::Top => select(c, 0),
            Action::Bottom => {
                select(c, last);
                c.scroll = max_scroll;
            }
            Action::PageDown | Action::HalfPageDown | Action::WheelDown(..) => {
                let by = match action {
                    Action::PageDown => page.saturating_sub(1).max(1),
                    Action::HalfPageDown => (page / 2).max(1),
                    _ => 3,
                };
                c.scroll = (c.scroll + by).min(max_scroll);
            }
            Action::PageUp | Action::HalfPageUp | Action::WheelUp(..) => {
                let by = match action {
                    Action::PageUp => page.saturating_sub(1).max(1),
                    Action::HalfPageUp => (page / 2).max(1),
                    _ => 3,
                };
                c.scroll = c.scroll.saturating_sub(by);
            }
            Action::ToggleMark => {
                let id = c.reports[c.selected];
                self.toggle_mark_id(id);
            }
            Action::Compare => {
                let id = c.reports[c.selected];
                self.open_compare_for(id);
            }
            Action::Open => {
                let id = c.reports[c.selected];
                self.read_report(id);
            }
            Action::Help => self.help_at(Layer::Coverage),
            Action::Back | Action::QuitOrBack => self.stories.coverage = None,
            Action::Stories => self.stories.open = false,
            _ => {}
        }
    }

    /// Shows a report in the reader: the list selects it (clearing a filter that hides it) and
    /// the body opens. `s` comes back to the stories.
    fn read_report(&mut self, id: u32) {
        if !self.view.contains(&id) {
            self.filter.clear();
            self.folder = super::Folder::All;
            self.refilter(Some(id));
        }
        if let Some(at) = self.view.iter().position(|&v| v == id) {
            self.selected = at;
        }
        self.stories.open = false;
        self.open();
        self.focus = Pane::Body;
    }

    /// `c` with nothing marked: the best report of `id`'s story from another outlet, or why
    /// there is none (the caller falls back to the related pick and says so).
    pub(super) fn story_pick(&mut self, id: u32) -> Result<(u32, String), String> {
        self.ensure_grouped();
        let Some(story) = self.story_of(id) else {
            return Err("stories still grouping".to_string());
        };
        match best_in_story(
            id as usize,
            story,
            &self.catalog.articles,
            &self.stories.snapshot.items,
        ) {
            Some(p) => Ok((p.index as u32, p.reason(&self.catalog.articles))),
            None => Err("no other outlet in its story".to_string()),
        }
    }

    /// Keeps the stories list's selection in view (from [`App::sync`]).
    pub(super) fn sync_stories(&mut self) {
        let height = self.stories_rows();
        let s = &mut self.stories;
        s.selected = s.selected.min(s.view.len().saturating_sub(1));
        if s.selected < s.offset {
            s.offset = s.selected;
        } else if s.selected >= s.offset + height {
            s.offset = s.selected + 1 - height;
        }
        s.offset = s.offset.min(s.view.len().saturating_sub(height));
    }
}

/// An article's outlet as shown ("unknown" when none).
pub fn outlet_name(a: &crate::article::Article) -> String {
    a.outlet
        .as_deref()
        .map_or_else(|| "unknown".to_string(), crate::sanitize::clean_line)
}

/// A story's outlets with their report counts, most reports first, then by name.
pub fn outlet_counts(articles: &[crate::article::Article], story: &Story) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for &m in &story.members {
        *counts.entry(outlet_name(&articles[m])).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The terms table: the telling signals of the members, per outlet; terms more outlets name
/// and heavier kinds first.
fn term_rows(
    story: &Story,
    articles: &[crate::article::Article],
    items: &[Arc<crate::stories::Item>],
    outlets: &[&str],
) -> Vec<TermRow> {
    let mut rows: HashMap<&str, TermRow> = HashMap::new();
    for &m in &story.members {
        let Some(item) = items.get(m) else { continue };
        let name = outlet_name(&articles[m]);
        let Some(col) = outlets.iter().position(|o| *o == name) else {
            continue;
        };
        for s in &item.signals {
            if !telling(s.kind) {
                continue;
            }
            let row = rows.entry(s.term.as_str()).or_insert_with(|| TermRow {
                term: s.term.clone(),
                kind: s.kind,
                by: vec![false; outlets.len()],
            });
            row.by[col] = true;
        }
    }
    let mut rows: Vec<TermRow> = rows.into_values().collect();
    let score = |r: &TermRow| r.kind.weight() * (1 + r.by.iter().filter(|&&b| b).count()) as f32;
    rows.sort_by(|a, b| score(b).total_cmp(&score(a)).then(a.term.cmp(&b.term)));
    rows.truncate(TERM_ROWS);
    rows
}
