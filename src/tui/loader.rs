//! Reading and rendering the shown article's body: the engine (injectable, so tests can count
//! and fake its stages) and the background worker that runs it for large articles.
//!
//! The stages: `load_body` (read and parse the file), `prepare` (the width-independent HTML
//! parse, the expensive part) and `layout` (per width, cheap enough for every resize). Small
//! articles go through them on the UI thread, so their body shows in the same frame; large ones
//! go to one worker thread, and the result comes back tagged with the article id and a ticket,
//! so a result for a selection the user has left is recognised and dropped.
//!
//! Invariant: the worker runs one job at a time and only the newest one; a job whose ticket is
//! no longer the newest is abandoned between stages (a parse in progress cannot be stopped).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use crate::article::{Article, Body, LoadError};
use crate::render::{self, Prepared, RenderOptions, Rendered};

/// Reads an article's body; injectable so the app can be tested without files.
pub type BodyLoader = fn(&Article) -> Result<Body, LoadError>;
/// Renders an article for a width in one go; injectable for the same reason.
pub type Renderer = fn(&Article, &Body, u16, &RenderOptions) -> Rendered;
/// The width-independent parse of a body's HTML (see [`render::prepare`]).
pub type Preparer = fn(&str) -> Prepared;
/// Lays out a prepared body at a width (see [`render::layout_article`]).
pub type Layouter = fn(&Article, &Prepared, u16, &RenderOptions) -> Rendered;

/// How a body becomes lines.
#[derive(Clone, Copy, Debug)]
pub enum Layout {
    /// Parse once, then lay out per width: a resize costs only the layout.
    Split {
        /// The parse, once per article.
        prepare: Preparer,
        /// The layout, once per width.
        layout: Layouter,
    },
    /// One function per width (test stand-ins that have no prepared form).
    Whole(Renderer),
}

/// The functions that read and render bodies.
#[derive(Clone, Copy, Debug)]
pub struct Engine {
    /// Reads the body.
    pub load_body: BodyLoader,
    /// Turns it into lines.
    pub layout: Layout,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine {
            load_body: Article::load_body,
            layout: Layout::Split {
                prepare: render::prepare,
                layout: render::layout_article,
            },
        }
    }
}

impl Engine {
    /// The prepared form of `body`, when this engine has one.
    pub fn prepare(&self, body: &Body) -> Option<Arc<Prepared>> {
        match self.layout {
            Layout::Split { prepare, .. } => Some(Arc::new(prepare(&body.html))),
            Layout::Whole(_) => None,
        }
    }

    /// `article` laid out at `width`, from its prepared form when there is one.
    pub fn lay_out(
        &self,
        article: &Article,
        body: &Body,
        prepared: Option<&Prepared>,
        width: u16,
        options: &RenderOptions,
    ) -> Rendered {
        match (self.layout, prepared) {
            (Layout::Split { layout, .. }, Some(doc)) => layout(article, doc, width, options),
            (Layout::Split { prepare, layout }, None) => {
                layout(article, &prepare(&body.html), width, options)
            }
            (Layout::Whole(render), _) => render(article, body, width, options),
        }
    }
}

/// A body load for the worker.
#[derive(Debug)]
pub struct Job {
    /// The article's id in the app.
    pub id: u32,
    /// Tells this request from earlier and later ones for the same article.
    pub ticket: u64,
    /// A copy of the article (header fields only: cheap).
    pub article: Article,
    /// The body's width when asked, for the first layout (none when the body is hidden).
    pub width: Option<u16>,
    /// Render options for the first layout.
    pub options: RenderOptions,
}

/// What the worker sends back: the body (or why it failed), its prepared form and the first
/// layout.
#[derive(Debug)]
pub struct BodyReady {
    /// The article's id in the app.
    pub id: u32,
    /// The job's ticket.
    pub ticket: u64,
    /// The body, or why it could not be read.
    pub body: Result<Body, String>,
    /// The prepared body (split engines, readable bodies).
    pub prepared: Option<Arc<Prepared>>,
    /// The first layout and its width.
    pub rendered: Option<(u16, Rendered)>,
}

/// The app's handle on the worker thread.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
    /// The newest ticket asked for; the worker abandons any other.
    newest: Arc<AtomicU64>,
    /// Bodies of at least this many bytes go to the worker; smaller ones load in place.
    pub min_bytes: usize,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("min_bytes", &self.min_bytes)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// Starts the worker thread; each finished job is handed to `notify` (which forwards it to
    /// the event loop). The thread ends when the `Worker` is dropped.
    pub fn spawn(
        engine: Engine,
        min_bytes: usize,
        notify: Box<dyn Fn(BodyReady) + Send>,
    ) -> std::io::Result<Worker> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let newest = Arc::new(AtomicU64::new(0));
        let current = newest.clone();
        std::thread::Builder::new()
            .name("body".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| run(&engine, &rx, &current, &*notify));
                if std::panic::catch_unwind(work).is_err() {
                    // The panic hook has restored the terminal and printed the message: end the
                    // reader as a panic on the UI thread would, rather than run on blind.
                    std::process::exit(101);
                }
            })?;
        Ok(Worker {
            jobs,
            newest,
            min_bytes,
        })
    }

    /// Makes `ticket` the newest request, so the worker abandons any older one.
    pub fn supersede(&self, ticket: u64) {
        self.newest.store(ticket, Ordering::Release);
    }

    /// Queues `job` as the newest request.
    pub fn submit(&self, job: Job) {
        self.supersede(job.ticket);
        // The thread outlives the sender unless it panicked, and then the process exits.
        let _ = self.jobs.send(job);
    }
}

/// The worker's loop: newest job first, abandoned between stages once superseded.
fn run(engine: &Engine, rx: &mpsc::Receiver<Job>, current: &AtomicU64, notify: &dyn Fn(BodyReady)) {
    while let Ok(mut job) = rx.recv() {
        // Only the newest request matters: skip those queued behind it.
        while let Ok(newer) = rx.try_recv() {
            job = newer;
        }
        let stale = || current.load(Ordering::Acquire) != job.ticket;
        if stale() {
            continue;
        }
        let body = (engine.load_body)(&job.article).map_err(|e| e.reason);
        if stale() {
            continue;
        }
        let prepared = body.as_ref().ok().and_then(|b| engine.prepare(b));
        if stale() {
            continue;
        }
        let rendered = match (&body, job.width) {
            (Ok(b), Some(w)) => Some((
                w,
                engine.lay_out(&job.article, b, prepared.as_deref(), w, &job.options),
            )),
            _ => None,
        };
        notify(BodyReady {
            id: job.id,
            ticket: job.ticket,
            body,
            prepared,
            rendered,
        });
    }
}
