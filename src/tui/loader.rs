//! Reading and rendering the shown article's body: the engine (injectable, so tests can count
//! and fake its stages) and the background worker that runs it for large articles.
//!
//! The stages: `load_body` (read and parse the file), `prepare` (the width-independent HTML
//! parse, the expensive part) and `layout` (per width, cheap enough for every resize). Small
//! articles go through them on the UI thread, so their body shows in the same frame; large ones
//! go to a worker thread, and the result comes back tagged with the article id and a ticket,
//! so a result for a selection the user has left is recognised and dropped.
//!
//! Invariant: each job runs on its own thread, so a read that never returns blocks nothing
//! else; a job whose ticket is no longer the newest is abandoned between stages (a parse in
//! progress cannot be stopped, its result is dropped).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::article::{Article, Body, LoadError};
use crate::render::clean::Cleaner;
use crate::render::{self, Prepared, RenderOptions, Rendered};

/// Reads an article's body; injectable so the app can be tested without files.
pub type BodyLoader = fn(&Article) -> Result<Body, LoadError>;
/// Renders an article for a width in one go; injectable for the same reason.
pub type Renderer = fn(&Article, &Body, u16, &RenderOptions) -> Rendered;
/// The width-independent parse of a body's HTML with its cleaning stage (see
/// [`render::prepare_with`]).
pub type Preparer = fn(&str, &Cleaner) -> Prepared;
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
                prepare: render::prepare_with,
                layout: render::layout_article,
            },
        }
    }
}

impl Engine {
    /// The prepared form of `body`, cleaned as `cleaner` says, when this engine has one.
    pub fn prepare(&self, body: &Body, cleaner: &Cleaner) -> Option<Arc<Prepared>> {
        match self.layout {
            Layout::Split { prepare, .. } => Some(Arc::new(prepare(&body.html, cleaner))),
            Layout::Whole(_) => None,
        }
    }

    /// `article` laid out at `width`, from its prepared form when there is one (else prepared
    /// here, cleaned as `cleaner` says).
    pub fn lay_out(
        &self,
        article: &Article,
        body: &Body,
        prepared: Option<&Prepared>,
        cleaner: &Cleaner,
        width: u16,
        options: &RenderOptions,
    ) -> Rendered {
        match (self.layout, prepared) {
            (Layout::Split { layout, .. }, Some(doc)) => layout(article, doc, width, options),
            (Layout::Split { prepare, layout }, None) => {
                layout(article, &prepare(&body.html, cleaner), width, options)
            }
            (Layout::Whole(render), _) => render(article, body, width, options),
        }
    }
}

/// What a worker thread does once its job panicked (the panic hook has run): by default
/// [`exit_on_panic`], ending the reader as a panic on the UI thread would, rather than run on
/// blind; a served session instead ends itself alone (`reader serve`).
pub type OnPanic = Arc<dyn Fn() + Send + Sync>;

/// Ends the process with status 101, as a panic on the main thread does.
pub fn exit_on_panic() -> OnPanic {
    Arc::new(|| std::process::exit(101))
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
    /// The article's cleaning stage: its outlet's rules and the furniture learned from the
    /// library, so the body equals `reader show`'s.
    pub cleaner: Cleaner,
    /// The body's parse, when only a layout at `width` is wanted (a resize of a large body).
    pub relayout: Option<Arc<Prepared>>,
}

/// Bodies whose HTML is at least this long are laid out again on a worker when the width
/// changes (a resize, `i`); smaller ones in place, within a frame.
pub const RELAYOUT_MIN_BYTES: usize = 256 * 1024;

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
    /// True for the answer to a layout-only job (`body` is then a placeholder).
    pub relayout: bool,
}

/// The app's handle on the body workers.
pub struct Worker {
    engine: Engine,
    notify: Arc<dyn Fn(BodyReady) + Send + Sync>,
    /// What a panicking job does (see [`OnPanic`]).
    pub(crate) on_panic: OnPanic,
    /// The newest ticket asked for; a worker abandons any other between stages.
    newest: Arc<AtomicU64>,
    /// Bodies of at least this many bytes go to a worker; smaller ones load in place.
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
    /// A handle that runs each job on a thread of its own and hands the result to `notify`
    /// (which forwards it to the event loop).
    ///
    /// One thread per job, not one queue: a read that never returns (a file replaced by a FIFO,
    /// a hung network disk) then stalls only its own job, never the bodies asked for after it
    /// (issue #15). Jobs start only after the selection rests, so few run at once, and a
    /// superseded job stops at its next stage.
    pub fn spawn(
        engine: Engine,
        min_bytes: usize,
        notify: Box<dyn Fn(BodyReady) + Send + Sync>,
    ) -> std::io::Result<Worker> {
        Ok(Worker {
            engine,
            notify: Arc::from(notify),
            on_panic: exit_on_panic(),
            newest: Arc::new(AtomicU64::new(0)),
            min_bytes,
        })
    }

    /// Makes `ticket` the newest request, so workers abandon any older one.
    pub fn supersede(&self, ticket: u64) {
        self.newest.store(ticket, Ordering::Release);
    }

    /// Starts `job` as the newest request. When no thread can be started (resource limits), the
    /// job is answered with that error rather than run on the UI thread.
    pub fn submit(&self, job: Job) {
        self.supersede(job.ticket);
        let (engine, notify, newest) = (self.engine, self.notify.clone(), self.newest.clone());
        let on_panic = self.on_panic.clone();
        let (id, ticket) = (job.id, job.ticket);
        let spawned = std::thread::Builder::new()
            .name("body".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| run(&engine, job, &newest, &*notify));
                if std::panic::catch_unwind(work).is_err() {
                    on_panic();
                }
            });
        if let Err(e) = spawned {
            (self.notify)(BodyReady {
                id,
                ticket,
                body: Err(format!("cannot start a reader thread: {e}")),
                prepared: None,
                rendered: None,
                relayout: false,
            });
        }
    }
}

/// One job: read, parse, lay out, abandoned between stages once superseded.
fn run(engine: &Engine, job: Job, current: &AtomicU64, notify: &dyn Fn(BodyReady)) {
    let stale = || current.load(Ordering::Acquire) != job.ticket;
    if stale() {
        return;
    }
    if let (Some(doc), Some(width)) = (&job.relayout, job.width) {
        let placeholder = Body::default();
        let rendered = engine.lay_out(
            &job.article,
            &placeholder,
            Some(doc),
            &job.cleaner,
            width,
            &job.options,
        );
        notify(BodyReady {
            id: job.id,
            ticket: job.ticket,
            body: Ok(placeholder),
            prepared: None,
            rendered: Some((width, rendered)),
            relayout: true,
        });
        return;
    }
    // Debug builds only: a way for the tests to make a worker panic, as a hostile body might.
    #[cfg(debug_assertions)]
    if let Some(title) = std::env::var_os("READER_DEBUG_PANIC_TITLE")
        && job.article.title.contains(&*title.to_string_lossy())
    {
        panic!("READER_DEBUG_PANIC_TITLE");
    }
    let body = (engine.load_body)(&job.article).map_err(|e| e.reason);
    if stale() {
        return;
    }
    let prepared = body
        .as_ref()
        .ok()
        .and_then(|b| engine.prepare(b, &job.cleaner));
    if stale() {
        return;
    }
    let rendered = match (&body, job.width) {
        (Ok(b), Some(w)) => Some((
            w,
            engine.lay_out(
                &job.article,
                b,
                prepared.as_deref(),
                &job.cleaner,
                w,
                &job.options,
            ),
        )),
        _ => None,
    };
    notify(BodyReady {
        id: job.id,
        ticket: job.ticket,
        body,
        prepared,
        rendered,
        relayout: false,
    });
}
