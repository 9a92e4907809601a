//! The reader's state and the one place it changes: [`App::update`] (an action) and
//! [`App::handle`] (an input or load event, turned into actions through the keymap).
//!
//! Invariants kept after every change (see [`App::sync`]): the focus is a shown pane; the
//! selection is inside the filtered list and visible; the article in the body is loaded (or,
//! when large, being loaded by the worker of [`super::loader`]) and laid out for the body's
//! current width from its one parse; scroll positions are within their text. Drawing
//! ([`crate::tui::ui`]) only reads this state, so any state can be drawn at any size.

use std::ops::Range;
use std::sync::Arc;

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
use super::loader::{Engine, Job, Layout, Worker};
use super::search;
use super::theme::Theme;
use crate::article::{Article, Body};
use crate::library::{Library, LoadEvent, Problem, Severity, newest_first};
use crate::render::{Prepared, RenderOptions, Rendered};

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

pub use super::loader::{BodyLoader, BodyReady, Layouter, Preparer, Renderer};

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
}

/// What a search being typed applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchTarget {
    /// Filter the list.
    List,
    /// Find in the body.
    Body,
}

/// A search being typed in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The target.
    pub target: SearchTarget,
    /// The text so far.
    pub text: String,
}

/// Find-in-body state: the query and its matches in the rendered lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    /// The query as typed.
    pub query: String,
    /// (line, char range) of every match, in order.
    pub matches: Vec<(usize, Range<usize>)>,
    /// Index of the current match.
    pub current: usize,
}

/// A status-bar message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The text (one line).
    pub text: String,
    /// True for errors.
    pub error: bool,
}

/// Background loading progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files handled so far (articles plus failures).
    pub done: usize,
    /// Files found, once known.
    pub total: Option<usize>,
}

/// The article shown in the body and metadata panes.
#[derive(Clone, Debug)]
pub struct Shown {
    /// Its id (index into the articles).
    pub id: u32,
    /// The parsed body, or why it could not be read; `None` while the worker loads it.
    pub body: Option<Result<Body, String>>,
    /// The body parsed once for every width (split engines only).
    prepared: Option<Arc<Prepared>>,
    /// The request this state waits for or came from: a worker result with another is stale.
    ticket: u64,
    /// Renderings per width (most recent last, a few kept for resizes back and forth).
    renders: Vec<(u16, Rendered)>,
    /// Plain text of each line of the current rendering, for find.
    plain: Vec<String>,
    /// The width of the current rendering.
    width: u16,
}

impl Shown {
    /// The rendering for the current width.
    pub fn rendered(&self) -> Option<&Rendered> {
        self.renders
            .iter()
            .rev()
            .find(|(w, _)| *w == self.width)
            .map(|(_, r)| r)
    }

    /// True while the body is being loaded in the background.
    pub fn loading(&self) -> bool {
        self.body.is_none()
    }
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
    pub(crate) articles: Vec<Article>,
    keys: Vec<String>,
    /// The list's date column per article (local date), computed once.
    dates: Vec<String>,
    pub(crate) read: Vec<bool>,
    /// All article ids, newest first.
    order: Vec<u32>,
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
    info_wide: bool,
    info_medium: bool,
    pub(crate) shown: Option<Shown>,
    pub(crate) body_scroll: usize,
    pub(crate) meta_scroll: usize,
    pub(crate) find: Option<Find>,
    preview_pending: bool,
    pub(crate) message: Option<Message>,
    /// The side-by-side comparison, when open (issue #5): it then takes the main area and keys.
    pub(crate) compare: Option<CompareView>,
    engine: Engine,
    /// Loads large bodies off the UI thread (none: everything loads in place, as in tests).
    worker: Option<Worker>,
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
            config,
            size,
            articles: Vec::new(),
            keys: Vec::new(),
            dates: Vec::new(),
            read: Vec::new(),
            order: Vec::new(),
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
            info_wide: true,
            info_medium: false,
            shown: None,
            body_scroll: 0,
            meta_scroll: 0,
            find: None,
            preview_pending: false,
            message: None,
            compare: None,
            engine: Engine::default(),
            worker: None,
            tickets: 0,
            quit: false,
            generation: 0,
            engaged: false,
        }
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
        notify: impl Fn(BodyReady) + Send + 'static,
    ) -> std::io::Result<App> {
        self.worker = Some(Worker::spawn(self.engine, min_bytes, Box::new(notify))?);
        Ok(self)
    }

    // ----- queries used by the panes -------------------------------------------------------

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
            (None, Some(_)) => Layer::Search,
            (None, None) if self.compare.is_some() => Layer::Compare,
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

    /// All loaded articles, in load order (ids index this).
    pub fn articles(&self) -> &[Article] {
        &self.articles
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
        self.selected_id().map(|id| &self.articles[id as usize])
    }

    /// The article in the body pane.
    pub fn shown_article(&self) -> Option<&Article> {
        self.shown.as_ref().map(|s| &self.articles[s.id as usize])
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
        &self.dates[id as usize]
    }

    /// True when the article with this id has not been opened.
    pub fn is_unread(&self, id: u32) -> bool {
        !self.read[id as usize]
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

    // ----- events ----------------------------------------------------------------------------

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

    /// Takes a body loaded by the worker (see [`App::with_worker`]); a result for an article
    /// or request the user has since left is dropped.
    pub fn on_body(&mut self, ready: BodyReady) {
        let Some(shown) = self.shown.as_mut() else {
            return;
        };
        if shown.id != ready.id || shown.ticket != ready.ticket || !shown.loading() {
            return;
        }
        shown.body = Some(ready.body);
        shown.prepared = ready.prepared;
        shown.renders.extend(ready.rendered);
        self.sync();
    }

    /// Applies a background-load event.
    pub fn on_load(&mut self, event: LoadEvent) {
        match event {
            LoadEvent::Discovered(total) => {
                let progress = self.progress.get_or_insert_with(Progress::default);
                progress.total = Some(total);
            }
            LoadEvent::Batch(articles, problems) => {
                let progress = self.progress.get_or_insert_with(Progress::default);
                progress.done += articles.len()
                    + problems
                        .iter()
                        .filter(|p| p.severity == Severity::Error)
                        .count();
                self.add(articles, problems);
            }
            LoadEvent::Done => {
                self.progress = None;
                let failed = self.failed_count();
                let mut text = format!("loaded {} articles", self.articles.len());
                if failed > 0 {
                    text.push_str(&format!("; {failed} failed (press ! for the list)"));
                }
                self.message = Some(Message {
                    text,
                    error: failed > 0,
                });
            }
        }
        self.sync();
    }

    /// Adds a loaded library (e.g. the bundled seeds) as it is.
    pub fn add_library(&mut self, library: Library) {
        self.insert(library.articles, library.problems);
    }

    /// Adds a batch as sent by [`Library::spawn_load`]: each article's warnings become problems
    /// (as [`Library::extend`] does), so `!` lists them too.
    pub fn add(&mut self, articles: Vec<Article>, mut problems: Vec<Problem>) {
        for article in &articles {
            for warning in &article.warnings {
                problems.push(Problem::warning(article.path(), warning.clone()));
            }
        }
        self.insert(articles, problems);
    }

    fn insert(&mut self, articles: Vec<Article>, mut problems: Vec<Problem>) {
        let keep = if self.engaged {
            self.selected_id()
        } else {
            None
        };
        let first = self.articles.len() as u32;
        self.keys.extend(articles.iter().map(search::article_key));
        let tz = &self.config.clock.tz;
        self.dates
            .extend(articles.iter().map(|a| match a.list_time() {
                // 11 columns: the date and its archive-time mark, else a space.
                Some(t) => format!("{:<11}", t.date_label_in(tz)),
                None => " ".repeat(11),
            }));
        self.read.extend(std::iter::repeat_n(false, articles.len()));
        self.articles.extend(articles);
        let mut fresh: Vec<u32> = (first..self.articles.len() as u32).collect();
        fresh.sort_by(|&a, &b| self.newest_first(a, b));
        // Two sorted runs: the stable sort merges them in linear time.
        self.order.extend(fresh);
        let articles = &self.articles;
        self.order
            .sort_by(|&a, &b| newest_first(&articles[a as usize], &articles[b as usize]));
        self.problems.append(&mut problems);
        self.problems
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
        self.refilter(keep);
        self.sync();
    }

    fn newest_first(&self, a: u32, b: u32) -> std::cmp::Ordering {
        newest_first(&self.articles[a as usize], &self.articles[b as usize])
    }

    /// The selection has rested (no key for a moment): show it in the body.
    pub fn settle(&mut self) {
        if self.preview_pending {
            self.preview_pending = false;
            self.show_selected();
            self.sync();
        }
    }

    /// True while the body still shows an earlier selection (see [`Config::defer_preview`]).
    pub fn preview_pending(&self) -> bool {
        self.preview_pending
    }

    // ----- update ----------------------------------------------------------------------------

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
            Layer::Search => self.update_search(action),
            Layer::Compare => self.update_compare(action),
            _ => self.update_pane(action, &mut effects),
        }
        if action == Action::Quit {
            self.quit = true;
            effects.push(Effect::Quit);
        }
        self.sync();
        effects
    }

    fn update_overlay(&mut self, action: Action, effects: &mut Vec<Effect>) {
        let page = self.main_height().saturating_sub(4).max(1);
        let len = self.overlay_len();
        let Some(overlay) = self.overlay.as_mut() else {
            return;
        };
        let (pos, max) = match overlay {
            Overlay::Help { scroll } | Overlay::Problems { scroll } => {
                (scroll, len.saturating_sub(page))
            }
            Overlay::Links { selected, .. } => (selected, len.saturating_sub(1)),
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

    fn update_search(&mut self, action: Action) {
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
                if text.is_empty() {
                    self.clear_search(target);
                }
                if target == SearchTarget::List && !self.view.is_empty() {
                    self.message = Some(Message {
                        text: format!("{} of {} match", self.view.len(), self.articles.len()),
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
                let keep = self.selected_id();
                self.filter = text;
                self.refilter(keep);
            }
            SearchTarget::Body => self.start_find(&text),
        }
    }

    fn clear_search(&mut self, target: SearchTarget) {
        match target {
            SearchTarget::List => {
                let keep = self.selected_id();
                self.filter.clear();
                self.refilter(keep);
            }
            SearchTarget::Body => self.find = None,
        }
    }

    fn update_pane(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Quit => {}
            Action::QuitOrBack if self.focus == Pane::List => {
                self.quit = true;
                effects.push(Effect::Quit);
            }
            Action::QuitOrBack | Action::Back => self.back(),
            Action::Down => self.step(1),
            Action::Up => self.step(-1),
            Action::Top => self.step(isize::MIN),
            Action::Bottom => self.step(isize::MAX),
            Action::PageDown => self.step(self.page() as isize),
            Action::PageUp => self.step(-(self.page() as isize)),
            Action::HalfPageDown => self.step((self.pane_height() / 2).max(1) as isize),
            Action::HalfPageUp => self.step(-((self.pane_height() / 2).max(1) as isize)),
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
            Action::Compare => self.open_compare(),
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
            | Action::SearchAccept
            | Action::SearchBackspace
            | Action::SearchClear
            | Action::Insert(_) => {}
        }
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

    fn back(&mut self) {
        match self.focus {
            Pane::List => {
                if !self.filter.is_empty() {
                    self.clear_search(SearchTarget::List);
                    self.say("filter cleared");
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

    /// Moves the selection or scrolls the focused pane by `delta` rows (saturating).
    fn step(&mut self, delta: isize) {
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

    fn selection_moved(&mut self) {
        if self.config.defer_preview {
            self.preview_pending = true;
        } else {
            self.show_selected();
        }
    }

    /// Shows the selected article in the body (without marking it read).
    fn show_selected(&mut self) {
        let Some(id) = self.selected_id() else {
            return;
        };
        if self.shown.as_ref().is_some_and(|s| s.id == id) {
            return;
        }
        self.tickets += 1;
        let ticket = self.tickets;
        let article = &self.articles[id as usize];
        let body = match &self.worker {
            Some(worker) if article.body_range.len() >= worker.min_bytes => {
                worker.submit(Job {
                    id,
                    ticket,
                    article: article.clone(),
                    width: self.body_width(),
                    options: self.render_options(),
                });
                None
            }
            worker => {
                // Whatever the worker still does is for an article no longer wanted.
                if let Some(worker) = worker {
                    worker.supersede(ticket);
                }
                Some((self.engine.load_body)(article).map_err(|e| e.reason))
            }
        };
        self.shown = Some(Shown {
            id,
            body,
            prepared: None,
            ticket,
            renders: Vec::new(),
            plain: Vec::new(),
            width: 0,
        });
        self.body_scroll = 0;
        self.meta_scroll = 0;
        self.find = None;
        if let Some(Overlay::Links { .. }) = self.overlay {
            self.overlay = None;
        }
    }

    fn open(&mut self) {
        if self.view.is_empty() {
            return;
        }
        self.preview_pending = false;
        self.show_selected();
        if let Some(id) = self.selected_id() {
            self.read[id as usize] = true;
        }
        self.focus = Pane::Body;
    }

    fn next_article(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let target = offset(self.selected, delta, self.view.len() - 1);
        if target == self.selected {
            self.say(if delta > 0 {
                "this is the last article"
            } else {
                "this is the first article"
            });
            return;
        }
        self.selected = target;
        let focus = self.focus;
        self.open();
        self.focus = focus;
    }

    fn cycle_focus(&mut self, delta: isize) {
        let panes = self.focus_ring();
        let at = panes.iter().position(|&p| p == self.focus).unwrap_or(0) as isize;
        let n = panes.len() as isize;
        self.focus = panes[(at + delta).rem_euclid(n) as usize];
        if self.focus == Pane::Body {
            self.open_if_nothing_shown();
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let panes = self.focus_ring();
        let at = panes.iter().position(|&p| p == self.focus).unwrap_or(0) as isize;
        let to = (at + delta).clamp(0, panes.len() as isize - 1) as usize;
        self.focus = panes[to];
        if self.focus == Pane::Body {
            self.open_if_nothing_shown();
        }
    }

    fn open_if_nothing_shown(&mut self) {
        if self.preview_pending || self.shown.is_none() {
            self.preview_pending = false;
            self.show_selected();
        }
    }

    /// The panes focus moves through: the shown ones, or all three when one is shown at a time.
    fn focus_ring(&self) -> Vec<Pane> {
        let areas = self.areas();
        match areas.mode {
            Mode::Single | Mode::TooSmall => vec![Pane::List, Pane::Body, Pane::Meta],
            _ => areas.visible(),
        }
    }

    fn toggle_info(&mut self) {
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

    fn open_links(&mut self) {
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

    fn toggle_mark(&mut self) {
        let Some(id) = self.selected_id() else {
            return;
        };
        if let Some(at) = self.marks.iter().position(|&m| m == id) {
            self.marks.remove(at);
            self.say(format!("unmarked ({} marked)", self.marks.len()));
            return;
        }
        if self.marks.len() == 2 {
            self.marks.remove(0);
        }
        self.marks.push(id);
        let c = self
            .keymap
            .first_key(Layer::List, Action::Compare)
            .map(|k| k.display(self.config.ascii))
            .unwrap_or_default();
        self.say(match self.marks.len() {
            1 => "marked 1 of 2 for comparison".to_string(),
            _ => format!("marked 2 of 2: press {c} to compare"),
        });
    }

    /// Opens the side-by-side view (issue #5): of the two marked articles; of the marked one
    /// and the selected one; else of the selected article and its most related other article
    /// (saying which was picked and why). The earlier publication goes on the left (A).
    fn open_compare(&mut self) {
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
    fn update_compare(&mut self, action: Action) {
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
                let g = super::compare_view::Geometry::new(main);
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
                let g = super::compare_view::Geometry::new(main);
                let pos = ratatui::layout::Position::new(x, y);
                if g.columns[0].contains(pos) {
                    view.focus = crate::compare::Side::A;
                } else if g.columns[1].contains(pos) {
                    view.focus = crate::compare::Side::B;
                }
            }
            Action::Help => {
                // Open the keys at the comparison's own section.
                let at = super::panes::help::lines(self)
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

    fn click(&mut self, x: u16, y: u16) {
        let areas = self.areas();
        let Some(pane) = areas.pane_at(x, y) else {
            return;
        };
        self.focus = pane;
        if pane == Pane::List
            && let Some(rect) = areas.list
        {
            let row = y.saturating_sub(rect.y + 1) as usize;
            if y > rect.y && row < self.list_height() {
                let index = self.list_offset + row;
                if index < self.view.len() && index != self.selected {
                    self.selected = index;
                    self.selection_moved();
                }
            }
        } else if pane == Pane::Body {
            self.open_if_nothing_shown();
        }
    }

    // ----- search ----------------------------------------------------------------------------

    fn begin_search(&mut self) {
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
        };
        self.input = Some(Input { target, text });
    }

    fn refilter(&mut self, keep: Option<u32>) {
        // Read before `view` changes: the same index may name another article afterwards.
        let before = self.selected_id();
        let query = search::normalize(&self.filter);
        self.view = if query.is_empty() {
            self.order.clone()
        } else {
            let keys = &self.keys;
            self.order
                .iter()
                .copied()
                .filter(|&id| keys[id as usize].contains(&query))
                .collect()
        };
        let position = keep.and_then(|id| self.view.iter().position(|&v| v == id));
        self.selected = position.unwrap_or(0).min(self.view.len().saturating_sub(1));
        if self.shown.is_none() || (before != self.selected_id() && self.selected_id().is_some()) {
            self.selection_moved();
        }
    }

    fn start_find(&mut self, query: &str) {
        let query_norm = search::normalize(query);
        if query_norm.is_empty() {
            self.find = None;
            return;
        }
        let matches = self.find_matches(&query_norm);
        let current = matches
            .iter()
            .position(|(line, _)| *line >= self.body_scroll)
            .unwrap_or(0);
        self.find = Some(Find {
            query: query.to_string(),
            matches,
            current,
        });
        self.scroll_to_match();
    }

    fn find_matches(&self, query_norm: &str) -> Vec<(usize, Range<usize>)> {
        let Some(shown) = &self.shown else {
            return Vec::new();
        };
        shown
            .plain
            .iter()
            .enumerate()
            .flat_map(|(i, text)| {
                search::find_all(text, query_norm)
                    .into_iter()
                    .map(move |r| (i, r))
            })
            .collect()
    }

    fn goto_match(&mut self, delta: isize) {
        let Some(find) = self.find.as_mut() else {
            let key = self
                .keymap
                .first_key(Layer::Body, Action::Search)
                .map(|k| k.display(self.config.ascii))
                .unwrap_or_default();
            self.say(format!("no search: press {key} to find"));
            return;
        };
        if find.matches.is_empty() {
            self.report_find();
            return;
        }
        let n = find.matches.len() as isize;
        let next = find.current as isize + delta;
        let wrapped = next < 0 || next >= n;
        find.current = next.rem_euclid(n) as usize;
        self.scroll_to_match();
        self.report_find();
        if wrapped && let Some(m) = self.message.as_mut() {
            m.text.push_str(if delta > 0 {
                " (wrapped to the top)"
            } else {
                " (wrapped to the bottom)"
            });
        }
    }

    fn report_find(&mut self) {
        let Some(find) = &self.find else {
            return;
        };
        let text = if find.matches.is_empty() {
            format!("not found: {}", find.query)
        } else {
            format!("match {} of {}", find.current + 1, find.matches.len())
        };
        self.message = Some(Message {
            error: find.matches.is_empty(),
            text,
        });
    }

    /// Scrolls so that the current match is in view, a few lines below the top.
    fn scroll_to_match(&mut self) {
        let Some((line, _)) = self
            .find
            .as_ref()
            .and_then(|f| f.matches.get(f.current).cloned())
        else {
            return;
        };
        let height = self.body_height();
        if line < self.body_scroll || line >= self.body_scroll + height {
            self.body_scroll = line.saturating_sub(height / 3).min(self.body_max_scroll());
        }
    }

    // ----- invariants ------------------------------------------------------------------------

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
        if self.shown.is_none() && !self.view.is_empty() {
            self.show_selected();
        }
        // The list keeps the selection in view by turning whole pages (keeping one row of the
        // page before for context), not by sliding a row per step: sliding rewrites every row
        // on each step, five times the bytes of a step within the page (issue #4's budget).
        let height = self.list_height().max(1);
        let context = usize::from(height >= 3);
        if self.selected < self.list_offset {
            self.list_offset = (self.selected + 1 + context).saturating_sub(height);
        } else if self.selected >= self.list_offset + height {
            self.list_offset = self.selected - context;
        }
        self.list_offset = self.list_offset.min(self.view.len().saturating_sub(height));
        self.ensure_rendered();
        self.body_scroll = self.body_scroll.min(self.body_max_scroll());
        if let Some(view) = self.compare.as_mut() {
            view.sync(areas.main, &self.theme);
        }
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

    /// How bodies are rendered for this app.
    fn render_options(&self) -> RenderOptions {
        RenderOptions {
            color: self.config.color,
            ..RenderOptions::default()
        }
    }

    /// Renders the shown article for the body's width, reusing a cached rendering. The body is
    /// parsed once per article; a new width costs only a layout.
    fn ensure_rendered(&mut self) {
        let Some(width) = self.body_width() else {
            return;
        };
        let options = self.render_options();
        let engine = self.engine;
        let Some(shown) = self.shown.as_mut() else {
            return;
        };
        let Some(loaded) = &shown.body else {
            // Loading: `on_body` calls this again when the body arrives.
            return;
        };
        if shown.width == width && (loaded.is_err() || shown.rendered().is_some()) {
            return;
        }
        let Ok(body) = loaded else {
            shown.width = width;
            return;
        };
        if !shown.renders.iter().any(|(w, _)| *w == width) {
            let article = &self.articles[shown.id as usize];
            if shown.prepared.is_none() {
                shown.prepared = engine.prepare(body);
            }
            let rendered =
                engine.lay_out(article, body, shown.prepared.as_deref(), width, &options);
            if shown.renders.len() >= 4 {
                shown.renders.remove(0);
            }
            shown.renders.push((width, rendered));
        }
        let (old_width, old_lines) = (shown.width, shown.plain.len());
        shown.width = width;
        shown.plain = shown
            .rendered()
            .map(|r| {
                r.lines
                    .iter()
                    .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                    .collect()
            })
            .unwrap_or_default();
        // A new width re-wraps the text: keep the reading position at the same fraction.
        if old_width != 0 && old_width != width && old_lines > 0 {
            self.body_scroll = self.body_scroll * shown.plain.len() / old_lines;
        }
        if let Some(find) = &self.find {
            let query = find.query.clone();
            let current = find.current;
            let norm = search::normalize(&query);
            let matches = self.find_matches(&norm);
            self.find = Some(Find {
                query,
                current: current.min(matches.len().saturating_sub(1)),
                matches,
            });
        }
    }

    fn overlay_len(&self) -> usize {
        match &self.overlay {
            Some(Overlay::Help { .. }) => super::panes::help::lines(self).len(),
            Some(Overlay::Problems { .. }) => self.problems.len(),
            Some(Overlay::Links { .. }) => self.rendered().map_or(0, |r| r.links.len()),
            None => 0,
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
