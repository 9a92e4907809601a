//! The shown article: its body read in place or by the worker (see [`crate::tui::loader`]),
//! laid out per width from one parse, and find in the body.

use std::ops::Range;
use std::sync::Arc;

use super::{App, BodyReady, Message, Overlay};
use crate::article::Body;
use crate::render::clean::Cleaner;
use crate::render::{Prepared, RenderOptions, Rendered};
use crate::tui::action::Action;
use crate::tui::keymap::Layer;
use crate::tui::loader::{Job, RELAYOUT_MIN_BYTES};
use crate::tui::search;

/// The article shown in the body and metadata panes.
#[derive(Clone, Debug)]
pub struct Shown {
    /// Its id (index into the articles).
    pub id: u32,
    /// The parsed body, or why it could not be read; `None` while the worker loads it.
    pub body: Option<Result<Body, String>>,
    /// The body parsed once for every width (split engines only).
    prepared: Option<Arc<Prepared>>,
    /// How the body is cleaned: the outlet's rules and the learned furniture when it was asked.
    pub(super) cleaner: Cleaner,
    /// The request this state waits for or came from: a worker result with another is stale.
    ticket: u64,
    /// Renderings per width (most recent last, a few kept for resizes back and forth).
    renders: Vec<(u16, Rendered)>,
    /// Plain text of each line of the current rendering, for find.
    plain: Vec<String>,
    /// The width of the current rendering.
    width: u16,
    /// The width a worker is laying the body out for (the current rendering shows meanwhile).
    laying_out: Option<u16>,
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

    /// True while a worker lays the body out for a new width.
    pub fn laying_out(&self) -> bool {
        self.laying_out.is_some()
    }

    /// True while the body is being loaded in the background.
    pub fn loading(&self) -> bool {
        self.body.is_none()
    }
}

/// Find-in-body state: the query and its matches in the rendered lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Find {
    /// The query as typed.
    pub query: String,
    /// What is looked for, normalised: the query, or the words and phrases of the list's
    /// search when the find comes from it (any of them is a match).
    pub terms: Vec<String>,
    /// True when the terms are the list's search (it follows the search as it changes).
    pub from_filter: bool,
    /// (line, char range) of every match, in order.
    pub matches: Vec<(usize, Range<usize>)>,
    /// Index of the current match.
    pub current: usize,
}

impl App {
    /// Takes a body loaded by the worker (see [`App::with_worker`]); a result for an article
    /// or request the user has since left is dropped.
    pub fn on_body(&mut self, ready: BodyReady) {
        let Some(shown) = self.shown.as_mut() else {
            return;
        };
        if shown.id != ready.id || shown.ticket != ready.ticket {
            return;
        }
        if ready.relayout {
            if let Some(rendered) = ready.rendered
                && shown.laying_out == Some(rendered.0)
            {
                shown.laying_out = None;
                if shown.renders.len() >= 4 {
                    shown.renders.remove(0);
                }
                shown.renders.push(rendered);
                self.sync();
            }
            return;
        }
        if !shown.loading() {
            return;
        }
        shown.body = Some(ready.body);
        shown.prepared = ready.prepared;
        shown.renders.extend(ready.rendered);
        self.sync();
    }

    /// Shows the selected article in the body (without marking it read).
    pub(super) fn show_selected(&mut self) {
        let Some(id) = self.selected_id() else {
            return;
        };
        if self.shown.as_ref().is_some_and(|s| s.id == id) {
            return;
        }
        self.save_position();
        self.tickets += 1;
        let ticket = self.tickets;
        let article = &self.catalog.articles[id as usize];
        let cleaner = self.cleaner_for(id);
        let body = match &self.worker {
            Some(worker) if article.body_range.len() >= worker.min_bytes => {
                worker.submit(Job {
                    id,
                    ticket,
                    article: article.clone(),
                    width: self.body_width(),
                    options: self.render_options(),
                    cleaner: cleaner.clone(),
                    relayout: None,
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
            cleaner,
            ticket,
            renders: Vec::new(),
            plain: Vec::new(),
            laying_out: None,
            width: 0,
        });
        self.body_scroll = 0;
        self.plan_restore(id);
        if let Some((released, position)) = self.released.take()
            && released == id
        {
            self.restore = Some((id, position));
        }
        self.meta_scroll = 0;
        self.find = self.find_from_filter();
        if let Some(Overlay::Links { .. }) = self.overlay {
            self.overlay = None;
        }
    }

    /// Lets the shown body go when it is large, before a comparison is computed (issue #15):
    /// its HTML, parse, lines and their text were 6x the report, held beside the comparison's
    /// own work (another 6-8x) though the comparison view covers the body pane. The body pane
    /// says "Comparing…" meanwhile; once the comparison is closed, cancelled or failed, the body
    /// is read and laid out again (on the worker, as when first shown) at the line it was left.
    pub(super) fn release_shown(&mut self) {
        let Some(shown) = &self.shown else {
            return;
        };
        if self.catalog.articles[shown.id as usize].body_range.len() < RELAYOUT_MIN_BYTES {
            return;
        }
        let position = crate::state::Position {
            line: u32::try_from(self.body_scroll).unwrap_or(u32::MAX),
            lines: shown
                .rendered()
                .map_or(0, |r| u32::try_from(r.lines.len()).unwrap_or(u32::MAX)),
        };
        let id = shown.id;
        self.save_position();
        self.released = Some((id, position));
        self.shown = None;
        self.find = None;
    }

    /// The cleaning stage for article `id`: its outlet's rules, its URL and the furniture
    /// learned for its outlet, as `reader show` cleans it.
    pub(super) fn cleaner_for(&self, id: u32) -> Cleaner {
        let article = &self.catalog.articles[id as usize];
        let learned = self.catalog.learned.for_outlet(article.outlet.as_deref());
        Cleaner::for_article(article, Some(learned))
    }

    /// How bodies are rendered for this app.
    pub(super) fn render_options(&self) -> RenderOptions {
        RenderOptions {
            color: self.config.color,
            // The dateline block is left out of the text (issue #10): the header line says it.
            byline: true,
            hide_link_numbers: !self.display.link_numbers,
            ..RenderOptions::default()
        }
    }

    /// Renders the shown article for the body's width, reusing a cached rendering. The body is
    /// parsed once per article; a new width costs only a layout.
    pub(super) fn ensure_rendered(&mut self) {
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
            // Back to the width shown: a layout for another one is no longer wanted.
            shown.laying_out = None;
            return;
        }
        let Ok(body) = loaded else {
            shown.width = width;
            return;
        };
        if !shown.renders.iter().any(|(w, _)| *w == width) {
            let article = &self.catalog.articles[shown.id as usize];
            // A large body is laid out again on a worker; its current rendering shows meanwhile
            // (clipped or narrow) and `on_body` brings the new one (issue #15: a resize of a
            // 200 MB report blocked the UI ~3 s).
            if let (Some(worker), Some(doc)) = (&self.worker, &shown.prepared)
                && body.html.len() >= RELAYOUT_MIN_BYTES
                && shown.rendered().is_some()
            {
                if shown.laying_out != Some(width) {
                    self.tickets += 1;
                    shown.ticket = self.tickets;
                    shown.laying_out = Some(width);
                    worker.submit(Job {
                        id: shown.id,
                        ticket: shown.ticket,
                        article: article.clone(),
                        width: Some(width),
                        options,
                        cleaner: shown.cleaner.clone(),
                        relayout: Some(doc.clone()),
                    });
                }
                return;
            }
            if shown.prepared.is_none() {
                shown.prepared = engine.prepare(body, &shown.cleaner);
            }
            let rendered = engine.lay_out(
                article,
                body,
                shown.prepared.as_deref(),
                &shown.cleaner,
                width,
                &options,
            );
            if shown.renders.len() >= 4 {
                shown.renders.remove(0);
            }
            shown.renders.push((width, rendered));
        }
        // Whatever a worker still lays out is for a width no longer wanted.
        shown.laying_out = None;
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
        if let Some(find) = self.find.take() {
            let matches = self.find_matches(&find.terms);
            self.find = Some(Find {
                current: find.current.min(matches.len().saturating_sub(1)),
                matches,
                ..find
            });
        }
    }

    pub(super) fn start_find(&mut self, query: &str) {
        let query_norm = search::normalize(query);
        if query_norm.is_empty() {
            self.find = None;
            return;
        }
        let terms = vec![query_norm];
        let matches = self.find_matches(&terms);
        let current = matches
            .iter()
            .position(|(line, _)| *line >= self.body_scroll)
            .unwrap_or(0);
        self.find = Some(Find {
            query: query.to_string(),
            terms,
            from_filter: false,
            matches,
            current,
        });
        self.scroll_to_match();
    }

    /// Every match of any of `terms` (normalised) in the rendered lines, in reading order;
    /// where two overlap, the first.
    pub(super) fn find_matches(&self, terms: &[String]) -> Vec<(usize, Range<usize>)> {
        let Some(shown) = &self.shown else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, text) in shown.plain.iter().enumerate() {
            let mut line: Vec<Range<usize>> = terms
                .iter()
                .filter(|t| !t.is_empty())
                .flat_map(|t| search::find_all(text, t))
                .collect();
            line.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
            let mut end = 0;
            for r in line {
                if r.start >= end {
                    end = r.end;
                    out.push((i, r));
                }
            }
        }
        out
    }

    /// The find a newly shown article starts with: the words and phrases of the list's search
    /// (so `n` and `N` move between them), none without.
    pub(super) fn find_from_filter(&self) -> Option<Find> {
        let tz = self.config.clock.tz.clone();
        let today = self.config.clock.now.to_zoned(tz).date();
        let query = crate::search::parse(&self.filter, today).ok()?;
        let terms: Vec<String> = query
            .required_text()
            .map(|t| t.normalized.clone())
            .collect();
        (!terms.is_empty()).then(|| Find {
            query: self.filter.clone(),
            matches: self.find_matches(&terms),
            terms,
            from_filter: true,
            current: 0,
        })
    }

    /// After the list's search changed: a find that came from it (or none) follows it.
    pub(super) fn follow_filter(&mut self) {
        if self.find.as_ref().is_none_or(|f| f.from_filter) {
            self.find = self.find_from_filter();
        }
    }

    pub(super) fn goto_match(&mut self, delta: isize) {
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

    pub(super) fn report_find(&mut self) {
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
    pub(super) fn scroll_to_match(&mut self) {
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
}
