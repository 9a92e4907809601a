//! The reader's state and the one place it changes: [`App::update`] (an action) and
//! [`App::handle`] (an input or load event, turned into actions through the keymap).
//!
//! Invariants kept after every change (see [`App::sync`]): the focus is a shown pane; the
//! selection is inside the filtered list and visible; the article in the body is loaded (or,
//! when large, being loaded by the worker of [`super::loader`]) and laid out for the body's
//! current width from its one parse; scroll positions are within their text. Drawing
//! ([`crate::tui::ui`]) only reads this state, so any state can be drawn at any size.
//!
//! One file per concern, each an `impl App` block over the one state struct (this file holds
//! the struct, the queries the panes draw from, input routing, `update` and `sync`):
//!
//! | file | concern | layers it updates |
//! |---|---|---|
//! | `list.rs` | articles arriving, the filtered and sorted list, selection, marks | — |
//! | `browse.rs` | the three panes (list, body, metadata): focus, scrolling, clicks | `List`, `Body`, `Meta` |
//! | `body.rs` | the shown article: loading, layout per width, find in the body | — |
//! | `compare.rs` | the side-by-side comparison | `Compare` |
//! | `overlays.rs` | help, problems, links, and the search prompt | `Help`, `Problems`, `Links`, `Search` |
//! | `reading.rs` | read, starred and reading positions kept between launches (issue #12) | — |
//! | `stories.rs` | the stories view and a story's coverage (issue #11) | `Stories`, `Coverage` |
//!
//! Keys reach a concern only through [`App::layer`] (which layer is on top) and the one
//! `match` in [`App::update`] (which function updates that layer), in the manner of gitui's
//! components and yazi's layers. To add a pane or layer (say, a stories view): add its
//! [`Layer`] variant and keymap section, its state as a field of [`App`] with queries here,
//! a file here with its `update_*` function, one arm in [`App::layer`] and one in
//! [`App::update`], its drawing in `tui/panes/`, and any invariant it keeps in [`App::sync`].

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::action::{Action, Effect};
use super::compare_view::CompareView;
use super::keymap::{Keymap, Layer};
use super::layout::{self, Areas, Mode, Pane, Wanted};
use super::loader::{Engine, Layout, Worker};
use super::theme::Theme;
use crate::article::Article;
use crate::library::{Problem, Severity};
use crate::render::Rendered;
use std::sync::Arc;

mod body;
mod browse;
mod catalog;
mod compare;
mod days;
mod fulltext;
mod list;
mod outlets;
mod overlays;
mod reading;
mod stories;

pub use super::loader::{BodyLoader, BodyReady, Layouter, Preparer, Renderer};
pub use body::{Find, Shown};
pub use catalog::{Arrival, Catalog, Derived, Listed, prepare_loads};
pub use compare::{CompareReady, Computed};
pub use days::{DayRows, ListRow};
pub use fulltext::IndexStatus;
pub use list::Progress;
pub use outlets::{Folder, FolderRow, NO_OUTLET, TITLES_ONLY, group_name};
pub use overlays::{Input, Overlay, SearchTarget};
pub use stories::{Coverage, Stories, TermRow, outlet_counts, outlet_name};

/// The time and zone against which dates are shown, injected so tests are reproducible.
#[derive(Clone, Debug)]
pub struct Clock {
    /// "Now", for relative times ("3 years ago").
    pub now: Timestamp,
    /// The zone for local times.
    pub tz: TimeZone,
}

impl Clock {
    /// The system clock and zone.
    pub fn system() -> Clock {
        Clock {
            now: Timestamp::now(),
            tz: TimeZone::system(),
        }
    }
}

/// How the app was started.
#[derive(Clone, Debug)]
pub struct Config {
    /// Colour on (else reverse/bold/underline only).
    pub color: bool,
    /// ASCII borders and marks.
    pub ascii: bool,
    /// Mouse wheel and clicks handled.
    pub mouse: bool,
    /// Let the preview wait until the selection rests (see [`App::settle`]); off in tests so
    /// that each key shows its final state.
    pub defer_preview: bool,
    /// The clock.
    pub clock: Clock,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            color: true,
            ascii: false,
            mouse: false,
            defer_preview: false,
            clock: Clock::system(),
        }
    }
}

/// A status-bar message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The text (one line).
    pub text: String,
    /// True for errors.
    pub error: bool,
}

/// The whole state of the reader.
pub struct App {
    /// Keys per layer.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
    /// Start options and clock.
    pub config: Config,
    pub(crate) size: Rect,
    /// The articles and their per-article data, shared by every reader of the library (see
    /// `catalog.rs`); changed only through `Arc::make_mut`.
    catalog: Arc<Catalog>,
    /// Where the days of `view` start: the list's header rows.
    day_rows: DayRows,
    /// Read and starred per article (from [`App::state`], or this session's for a report with
    /// no identity).
    flags: Vec<crate::state::Flags>,
    /// Read, starred and positions between launches (see `reading.rs`).
    state: crate::state::State,
    /// The saved position to scroll the shown article to once it is laid out.
    restore: Option<(u32, crate::state::Position)>,
    /// The ids the list shows (filtered), newest first.
    pub(crate) view: Vec<u32>,
    /// Index into `view` of the selected row.
    pub(crate) selected: usize,
    /// First row of `view` drawn.
    pub(crate) list_offset: usize,
    /// Articles marked for comparison, oldest mark first, at most two.
    pub(crate) marks: Vec<u32>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) progress: Option<Progress>,
    pub(crate) focus: Pane,
    pub(crate) overlay: Option<Overlay>,
    pub(crate) input: Option<Input>,
    /// The list filter as typed (empty: no filter).
    pub(crate) filter: String,
    /// The report selected when the list search began: kept while the text matches it.
    filter_anchor: Option<u32>,
    /// The folder the list is narrowed to (composes with `filter`).
    folder: Folder,
    /// The outlets overlay's rows, counted when it opens.
    folder_rows: Vec<FolderRow>,
    /// The config file's saved filters.
    saved: Vec<outlets::Saved>,
    /// Per article id, when a saved filter is chosen: whether it matches.
    saved_members: Vec<bool>,
    info_wide: bool,
    info_medium: bool,
    pub(crate) shown: Option<Shown>,
    /// A large body let go while a comparison is computed or open (see
    /// [`App::release_shown`]): its id and where it was read, to show it there again.
    released: Option<(u32, crate::state::Position)>,
    pub(crate) body_scroll: usize,
    pub(crate) meta_scroll: usize,
    pub(crate) find: Option<Find>,
    preview_pending: bool,
    pub(crate) message: Option<Message>,
    /// The side-by-side comparison, when open (issue #5): it then takes the main area and keys.
    pub(crate) compare: Option<CompareView>,
    /// The stories and their view (issue #11).
    pub(crate) stories: Stories,
    /// `/` over bodies: the index worker and its answers (see `fulltext.rs`).
    fulltext: fulltext::FullText,
    engine: Engine,
    /// Display settings from the config file.
    display: crate::config::Display,
    /// Loads large bodies off the UI thread (none: everything loads in place, as in tests).
    worker: Option<Worker>,
    /// Computes comparisons off the UI thread (none: in place, as in tests).
    compare_worker: Option<std::sync::Arc<dyn Fn(CompareReady) + Send + Sync>>,
    /// The comparison being computed, if any.
    comparing: Option<compare::CompareJob>,
    /// Lays large comparisons out off the UI thread (none: in place, as in tests).
    compare_layout_worker: Option<(usize, crate::tui::compare_view::LayoutNotify)>,
    /// What a worker thread of this reader does once it panicked.
    on_panic: super::loader::OnPanic,
    /// The last ticket handed out (see [`Shown`]).
    tickets: u64,
    quit: bool,
    generation: u64,
    /// True once the user has acted (a key or a click). Until then, batches that arrive while
    /// loading keep the newest article selected, rather than the first one that happened to
    /// arrive.
    engaged: bool,
}

impl App {
    /// A new app with no articles yet, for a terminal of `size`.
    pub fn new(config: Config, size: Rect) -> App {
        App {
            keymap: Keymap::default_map(),
            theme: Theme::new(config.color, config.ascii),
            catalog: Arc::new(Catalog::new(config.clock.tz.clone())),
            config,
            size,
            day_rows: DayRows::default(),
            flags: Vec::new(),
            state: crate::state::State::pending(crate::state::LOCAL_USER),
            restore: None,
            view: Vec::new(),
            selected: 0,
            list_offset: 0,
            marks: Vec::new(),
            problems: Vec::new(),
            progress: None,
            focus: Pane::List,
            overlay: None,
            input: None,
            filter: String::new(),
            filter_anchor: None,
            folder: Folder::All,
            folder_rows: Vec::new(),
            saved: Vec::new(),
            saved_members: Vec::new(),
            info_wide: true,
            info_medium: false,
            shown: None,
            released: None,
            body_scroll: 0,
            meta_scroll: 0,
            find: None,
            preview_pending: false,
            message: None,
            compare: None,
            stories: Stories::default(),
            fulltext: fulltext::FullText::default(),
            engine: Engine::default(),
            display: crate::config::Display::default(),
            worker: None,
            compare_worker: None,
            comparing: None,
            compare_layout_worker: None,
            on_panic: super::loader::exit_on_panic(),
            tickets: 0,
            quit: false,
            generation: 0,
            engaged: false,
        }
    }

    /// Shows bodies as the config file's `[display]` table says (link numbers or none).
    pub fn with_display(mut self, display: crate::config::Display) -> App {
        self.display = display;
        self
    }

    /// Replaces how bodies are read and rendered (tests without files or renderer): `render`
    /// runs once per article and width.
    pub fn with_engine(mut self, load_body: BodyLoader, render: Renderer) -> App {
        self.engine = Engine {
            load_body,
            layout: Layout::Whole(render),
        };
        self
    }

    /// Replaces how bodies are read, parsed (once per article) and laid out (once per width).
    pub fn with_split_engine(
        mut self,
        load_body: BodyLoader,
        prepare: Preparer,
        layout: Layouter,
    ) -> App {
        self.engine = Engine {
            load_body,
            layout: Layout::Split { prepare, layout },
        };
        self
    }

    /// Loads bodies of `min_bytes` or more on a worker thread, which hands each result to
    /// `notify`; the event loop passes it back through [`App::on_body`]. Meanwhile the body
    /// shows "Loading…" and keys keep working. Set the engine first: the worker keeps a copy.
    pub fn with_worker(
        mut self,
        min_bytes: usize,
        notify: impl Fn(BodyReady) + Send + Sync + 'static,
    ) -> std::io::Result<App> {
        self.worker = Some(Worker::spawn(self.engine, min_bytes, Box::new(notify))?);
        Ok(self)
    }

    /// What this reader's worker threads (bodies, comparisons, timelines) do once one
    /// panicked, instead of ending the process (`reader serve`: end this session alone).
    pub fn with_panic_handler(mut self, on_panic: impl Fn() + Send + Sync + 'static) -> App {
        self.on_panic = Arc::new(on_panic);
        if let Some(w) = self.worker.as_mut() {
            w.on_panic = self.on_panic.clone();
        }
        self
    }

    /// Computes comparisons (`c`) on a thread of their own, which hands each result to
    /// `notify`; the event loop passes it back through [`App::on_compare`].
    pub fn with_compare_worker(
        mut self,
        notify: impl Fn(CompareReady) + Send + Sync + 'static,
    ) -> App {
        self.compare_worker = Some(std::sync::Arc::new(notify));
        self
    }

    /// Lays comparisons with at least `min_bytes` of paragraphs out on threads of their own,
    /// which hand each layout to `notify`; the event loop passes it back through
    /// [`App::on_compare_layout`].
    pub fn with_compare_layout_worker(
        mut self,
        min_bytes: usize,
        notify: impl Fn(crate::tui::compare_view::LaidOut) + Send + Sync + 'static,
    ) -> App {
        self.compare_layout_worker = Some((min_bytes, std::sync::Arc::new(notify)));
        self
    }

    /// The pane rectangles for the current size and state.
    pub fn areas(&self) -> Areas {
        layout::compute(
            self.size,
            Wanted {
                focus: self.focus,
                info_wide: self.info_wide,
                info_medium: self.info_medium,
            },
        )
    }

    /// The layer that receives keys: overlays, then text input, then the focused pane.
    pub fn layer(&self) -> Layer {
        match (&self.overlay, &self.input) {
            (Some(Overlay::Help { .. }), _) => Layer::Help,
            (Some(Overlay::Problems { .. }), _) => Layer::Problems,
            (Some(Overlay::Links { .. }), _) => Layer::Links,
            (Some(Overlay::Outlets { .. }), _) => Layer::Outlets,
            (None, Some(_)) => Layer::Search,
            (None, None) if self.compare.is_some() => Layer::Compare,
            (None, None) if self.coverage().is_some() => Layer::Coverage,
            (None, None) if self.stories.open => Layer::Stories,
            (None, None) => match self.focus {
                Pane::List => Layer::List,
                Pane::Body => Layer::Body,
                Pane::Meta => Layer::Meta,
            },
        }
    }

    /// The terminal size the state is laid out for.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// The focused pane.
    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// A counter that changes whenever the state may have changed: the event loop draws only
    /// when it moved.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// True once the user asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// All loaded articles, in load order (ids index this; see [`App::listed_count`]).
    pub fn articles(&self) -> &[Article] {
        &self.catalog.articles
    }

    /// How many reports are listed (the loaded articles but those taken off the list since:
    /// [`Catalog::remove`]).
    pub fn listed_count(&self) -> usize {
        self.catalog.live_len()
    }

    /// The ids the list shows, newest first.
    pub fn view(&self) -> &[u32] {
        &self.view
    }

    /// The selected article's id.
    pub fn selected_id(&self) -> Option<u32> {
        self.view.get(self.selected).copied()
    }

    /// The selected article.
    pub fn selected_article(&self) -> Option<&Article> {
        self.selected_id()
            .map(|id| &self.catalog.articles[id as usize])
    }

    /// The article in the body pane.
    pub fn shown_article(&self) -> Option<&Article> {
        self.shown
            .as_ref()
            .map(|s| &self.catalog.articles[s.id as usize])
    }

    /// The articles marked for comparison (issue #5), oldest mark first.
    pub fn marked(&self) -> &[u32] {
        &self.marks
    }

    /// The comparison view, when open.
    pub fn compare_view(&self) -> Option<&CompareView> {
        self.compare.as_ref()
    }

    /// The problems met loading.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The number of files that failed to load (warnings not counted).
    pub fn failed_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// The list's date column for an article: the local date of publication (else of
    /// archiving), or blanks.
    pub fn list_date(&self, id: u32) -> &str {
        &self.catalog.dates[id as usize]
    }

    /// The time of day of article `id` as listed under its day's header, 6 columns: `21:41`
    /// in the list's zone and the archive-time mark or a space; blank for a report dated to
    /// the day, or undated. Made for the rows on screen only.
    pub fn list_time_of_day(&self, id: u32) -> String {
        let label = self.catalog.articles()[id as usize]
            .list_time()
            .and_then(|t| t.time_label_in(self.catalog.tz()));
        format!("{:<6}", label.unwrap_or_default())
    }

    /// The list's rows as drawn: reports and the day headers between them.
    pub fn day_rows(&self) -> &DayRows {
        &self.day_rows
    }

    /// The first screen row of the list drawn (day headers count).
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }

    /// The text of the list's `k`th day header (`2020-07-09 Thu`).
    pub fn day_label(&self, k: usize) -> String {
        let id = self.view[self.day_rows.start(k)];
        days::label(self.catalog.days[id as usize])
    }

    /// The status-bar message, if any.
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    /// The list filter as typed.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The search being typed, if any.
    pub fn input(&self) -> Option<&Input> {
        self.input.as_ref()
    }

    /// The body's first shown line.
    pub fn body_scroll(&self) -> usize {
        self.body_scroll
    }

    /// The find state in the body.
    pub fn find(&self) -> Option<&Find> {
        self.find.as_ref()
    }

    /// True while a comparison is being computed (see [`App::working`]).
    pub fn comparing(&self) -> bool {
        self.comparing.is_some()
    }

    /// Work in progress the user waits for, for the status bar ("comparing…").
    pub fn working(&self) -> Option<&'static str> {
        if self.comparing.is_some() {
            Some("comparing…")
        } else if self.compare.as_ref().is_some_and(CompareView::laying_out)
            || self.compare.is_none() && self.shown.as_ref().is_some_and(Shown::laying_out)
        {
            Some("laying out…")
        } else {
            None
        }
    }

    /// The open overlay.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// Loading progress while files are still being read.
    pub fn progress(&self) -> Option<Progress> {
        self.progress
    }

    /// The rendered lines of the shown article at the current width.
    pub fn rendered(&self) -> Option<&Rendered> {
        self.shown.as_ref().and_then(Shown::rendered)
    }

    /// Rows of text the body pane shows at once.
    pub fn body_height(&self) -> usize {
        self.areas()
            .body
            .map_or(0, |r| r.height.saturating_sub(2) as usize)
    }

    fn list_height(&self) -> usize {
        self.areas()
            .list
            .map_or(0, |r| r.height.saturating_sub(2) as usize)
    }

    fn meta_height(&self) -> usize {
        self.areas()
            .meta
            .map_or(0, |r| r.height.saturating_sub(2) as usize)
    }

    /// The wrap width of the body text: the pane inside its borders, less one column of margin
    /// on each side.
    pub fn body_width(&self) -> Option<u16> {
        self.areas().body.map(|r| r.width.saturating_sub(4).max(1))
    }

    /// The last line the body can scroll to.
    fn body_max_scroll(&self) -> usize {
        let lines = self.rendered().map_or(0, |r| r.lines.len());
        lines.saturating_sub(self.body_height())
    }

    /// Turns a terminal event into actions and applies them. Returns the effects to carry out.
    pub fn handle(&mut self, event: &Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Mouse(mouse) if self.config.mouse => match self.mouse_action(mouse) {
                Some(action) => self.update(action),
                None => Vec::new(),
            },
            Event::Resize(w, h) => {
                self.resize(Rect::new(0, 0, *w, *h));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Looks a key up in the top layer (Ctrl-c quits from anywhere) and applies its action.
    pub fn handle_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let layer = self.layer();
        let action = self.keymap.action_for(layer, key).or_else(|| {
            let global = self.keymap.action_for(Layer::Global, key);
            if global == Some(Action::Quit) {
                return global;
            }
            match key.code {
                KeyCode::Char(c)
                    if layer == Layer::Search
                        && !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Insert(c))
                }
                _ => None,
            }
        });
        match action {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    fn mouse_action(&self, mouse: &MouseEvent) -> Option<Action> {
        let (x, y) = (mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::WheelDown(x, y)),
            MouseEventKind::ScrollUp => Some(Action::WheelUp(x, y)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(x, y)),
            _ => None,
        }
    }

    /// The terminal was resized: lay out again, and the body for its new width (from the kept
    /// parse, or a kept rendering of that width).
    pub fn resize(&mut self, size: Rect) {
        self.size = size;
        self.sync();
    }

    /// Applies one action: the only place where state changes in response to the user.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.engaged = true;
        let mut effects = Vec::new();
        if !matches!(action, Action::Insert(_)) {
            self.message = None;
        }
        match self.layer() {
            Layer::Help | Layer::Problems | Layer::Links => {
                self.update_overlay(action, &mut effects)
            }
            Layer::Outlets => self.update_outlets(action),
            Layer::Search => self.update_search(action),
            Layer::Compare => self.update_compare(action),
            Layer::Stories => self.update_stories(action),
            Layer::Coverage => self.update_coverage(action),
            Layer::List | Layer::Body | Layer::Meta => self.update_browse(action, &mut effects),
            // Never on top: its keys are looked up as a fallback in `handle_key`.
            Layer::Global => {}
        }
        if action == Action::Quit {
            self.quit = true;
            effects.push(Effect::Quit);
        }
        if self.quit {
            self.save_position();
        }
        self.sync();
        effects
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn main_height(&self) -> usize {
        self.areas().main.height as usize
    }

    fn pane_height(&self) -> usize {
        match self.focus {
            Pane::List => self.list_height(),
            Pane::Body => self.body_height(),
            Pane::Meta => self.meta_height(),
        }
    }

    /// One page: the pane's height less one line kept for context.
    fn page(&self) -> usize {
        match self.focus {
            Pane::List => self.list_height().max(1),
            _ => self.pane_height().saturating_sub(1).max(1),
        }
    }

    /// Restores the invariants listed in the module docs after any change.
    pub fn sync(&mut self) {
        self.generation += 1;
        let areas = self.areas();
        // Focus must be a shown pane (except in single mode, where the focus picks the pane).
        if matches!(areas.mode, Mode::Wide | Mode::Medium) && areas.pane(self.focus).is_none() {
            self.focus = if self.focus == Pane::Meta {
                Pane::Body
            } else if areas.list.is_some() {
                Pane::List
            } else {
                Pane::Body
            };
        }
        if self.view.is_empty() {
            self.selected = 0;
        } else {
            self.selected = self.selected.min(self.view.len() - 1);
        }
        // A body let go for a comparison comes back once the comparison is closed or failed.
        let comparing = self.comparing.is_some() || self.compare.is_some();
        if self.shown.is_none() && !self.view.is_empty() && !(comparing && self.released.is_some())
        {
            self.show_selected();
        }
        // The list keeps the selection in view by turning whole pages (keeping one row of the
        // page before for context), not by sliding a row per step: sliding rewrites every row
        // on each step, five times the bytes of a step within the page (issue #4's budget).
        // Offsets count screen rows, day headers included (see `days`).
        let height = self.list_height().max(1);
        let context = usize::from(height >= 3);
        let row = self.day_rows.row_of(self.selected);
        if row < self.list_offset {
            self.list_offset = (row + 1 + context).saturating_sub(height);
        } else if row >= self.list_offset + height {
            self.list_offset = row - context;
        }
        self.list_offset = self
            .list_offset
            .min(self.day_rows.rows().saturating_sub(height));
        self.ensure_rendered();
        self.apply_restore();
        self.body_scroll = self.body_scroll.min(self.body_max_scroll());
        self.check_state();
        if let Some(view) = self.compare.as_mut() {
            view.sync(areas.main, &self.theme);
        }
        self.sync_stories();
        self.sync_outlets();
        if let Some(Overlay::Links { selected, offset }) = &mut self.overlay {
            // The overlay's rows: the main area inside its border (see panes::links).
            let page = (areas.main.height as usize).saturating_sub(2).max(1);
            if *selected < *offset {
                *offset = *selected;
            } else if *selected >= *offset + page {
                *offset = *selected + 1 - page;
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
