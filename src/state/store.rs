//! The state file: opening (WAL, busy timeout, schema version, corruption set aside) and the
//! writer thread that owns the connection.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

use super::{Entry, Field, Flags, Identity, Position, State};
use crate::library::Problem;

/// The schema this reader writes. A file with a higher version belongs to a newer reader and
/// is left alone (state kept in memory); a lower one is migrated.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a statement waits for another process's lock before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// At most this many changes go into one transaction.
const BATCH: usize = 4096;

/// What the writer thread is asked to do, in order.
enum Op {
    Write {
        user: Arc<str>,
        identity: Identity,
        field: Field,
        updated: i64,
    },
    Load {
        user: String,
        reply: Sender<Result<HashMap<Identity, Entry>, String>>,
    },
    Flush(Sender<()>),
}

/// The state file, open, with the thread that writes it. Cloning shares the one connection
/// and thread (`reader serve` opens one store and loads each user's [`State`] from it). A
/// store may also be in memory only ([`Store::memory`]): its states write nothing.
///
/// A server opens one store and gives each session its user's state, loaded off the
/// session's event loop; the app replays onto it whatever the user did meanwhile:
///
/// ```no_run
/// use reader::state::{State, Store};
/// # fn session(app: &mut reader::tui::app::App, fingerprint: &str) {
/// let (store, problem) = Store::open_default(); // once, at start; `problem` is logged
/// // Per session, on a thread: the user string is opaque (an SSH key's fingerprint here).
/// let state = store.load(fingerprint).unwrap_or_else(|_| State::memory(fingerprint));
/// app.on_state(state, None); // in the session's loop, when the thread hands it over
/// // When the session ends: the position of the shown report, and every change, written.
/// app.finish(std::time::Duration::from_secs(2));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Store {
    inner: Option<Arc<Inner>>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    tx: Mutex<Option<Sender<Op>>>,
    /// The last write that failed, for the UI to show once.
    problem: Arc<Mutex<Option<Problem>>>,
    /// Told when the writer thread has finished.
    done: Mutex<Option<Receiver<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel ends the writer after the changes queued; wait for them a while,
        // never forever (a wedged disk must not hang the quit).
        drop(self.tx.lock().map(|mut tx| tx.take()));
        if let Ok(Some(done)) = self.done.lock().map(|mut d| d.take()) {
            let _ = done.recv_timeout(Duration::from_secs(2));
        }
    }
}

/// Why opening failed.
enum OpenError {
    /// The file is not a database or is damaged: set it aside.
    Corrupt(String),
    /// A newer reader's file.
    Newer(i64),
    /// Another process holds a lock SQLite would not wait for (e.g. while it turns a fresh
    /// file to WAL): worth another try.
    Busy(String),
    /// Anything else (permissions, a read-only folder, a lock held too long).
    Other(String),
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> OpenError {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                OpenError::Corrupt(e.to_string())
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                OpenError::Busy(e.to_string())
            }
            _ => OpenError::Other(e.to_string()),
        }
    }
}

const FOR_SESSION: &str = "read state is kept for this session only";

impl Store {
    /// Opens (or makes) the state file at `path` and starts its writer. A corrupt file is
    /// renamed `state.db.corrupt-<time>` and a fresh one made: the problem returned names both.
    /// Blocking: call it off the event loop.
    pub fn open(path: &Path) -> Result<(Store, Option<Problem>), Problem> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                Problem::warning(
                    dir,
                    format!("cannot make the state folder ({e}); {FOR_SESSION}"),
                )
            })?;
        }
        let mut problem = None;
        let conn = match connect_patiently(path) {
            Ok(conn) => conn,
            Err(OpenError::Corrupt(reason)) => {
                let aside = set_aside(path).map_err(|e| {
                    Problem::warning(
                        path,
                        format!(
                            "the state file is damaged ({reason}) and cannot be set aside \
                             ({e}); {FOR_SESSION}"
                        ),
                    )
                })?;
                problem = Some(Problem::warning(
                    path,
                    format!(
                        "the state file was damaged ({reason}): set aside as {} and a fresh \
                         one made",
                        crate::sanitize::clean_line(&aside.display().to_string())
                    ),
                ));
                connect_patiently(path).map_err(|e| open_problem(path, e))?
            }
            Err(e) => return Err(open_problem(path, e)),
        };
        Ok((Store::spawn(path, conn)?, problem))
    }

    /// Opens the state file in the user's data folder ([`super::default_path`]); when that
    /// cannot be done, a store in memory and the reason.
    pub fn open_default() -> (Store, Option<Problem>) {
        let Some(path) = super::default_path() else {
            let problem = Problem::warning(
                super::FILE_NAME,
                format!("no data folder (neither XDG_DATA_HOME nor HOME is set); {FOR_SESSION}"),
            );
            return (Store::memory(), Some(problem));
        };
        match Store::open(&path) {
            Ok((store, problem)) => (store, problem),
            Err(problem) => (Store::memory(), Some(problem)),
        }
    }

    /// A store that keeps nothing: its states live in memory for the session.
    pub fn memory() -> Store {
        Store { inner: None }
    }

    fn spawn(path: &Path, conn: Connection) -> Result<Store, Problem> {
        let (tx, rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let problem = Arc::new(Mutex::new(None));
        let writer = Writer {
            conn,
            path: path.to_path_buf(),
            problem: Arc::clone(&problem),
        };
        std::thread::Builder::new()
            .name("state-writer".into())
            .spawn(move || {
                writer.run(rx);
                let _ = done_tx.send(());
            })
            .map_err(|e| {
                Problem::warning(
                    path,
                    format!("cannot start the writer ({e}); {FOR_SESSION}"),
                )
            })?;
        Ok(Store {
            inner: Some(Arc::new(Inner {
                path: path.to_path_buf(),
                tx: Mutex::new(Some(tx)),
                problem,
                done: Mutex::new(Some(done_rx)),
            })),
        })
    }

    /// The file, unless in memory.
    pub fn path(&self) -> Option<&Path> {
        self.inner.as_deref().map(|i| i.path.as_path())
    }

    /// Loads `user`'s rows (after every change queued before). Blocking: off the event loop.
    pub fn load(&self, user: &str) -> Result<State, Problem> {
        let Some(inner) = &self.inner else {
            return Ok(State::memory(user));
        };
        let (reply, answer) = mpsc::channel();
        let sent = self.send(Op::Load {
            user: user.to_string(),
            reply,
        });
        let rows = match answer.recv() {
            Ok(Ok(rows)) if sent => rows,
            Ok(Err(reason)) => {
                return Err(Problem::warning(
                    &inner.path,
                    format!("cannot read the state ({reason}); {FOR_SESSION}"),
                ));
            }
            _ => {
                return Err(Problem::warning(
                    &inner.path,
                    format!("the state writer has stopped; {FOR_SESSION}"),
                ));
            }
        };
        Ok(State::from_rows(user, rows, self.clone()))
    }

    pub(super) fn write(&self, user: &str, identity: &Identity, field: Field, updated: i64) {
        // One allocation per change is nothing beside a key press; the user's name is shared.
        let op = Op::Write {
            user: Arc::from(user),
            identity: identity.clone(),
            field,
            updated,
        };
        if !self.send(op)
            && let Some(inner) = &self.inner
            && let Ok(mut p) = inner.problem.lock()
        {
            *p = Some(Problem::warning(
                &inner.path,
                format!("the state writer has stopped; {FOR_SESSION}"),
            ));
        }
    }

    fn send(&self, op: Op) -> bool {
        let Some(inner) = &self.inner else {
            return false;
        };
        match inner.tx.lock() {
            Ok(tx) => tx.as_ref().is_some_and(|tx| tx.send(op).is_ok()),
            Err(_) => false,
        }
    }

    /// Waits (at most `timeout`) until the changes queued so far are committed.
    pub fn flush(&self, timeout: Duration) -> bool {
        if self.inner.is_none() {
            return true;
        }
        let (reply, answer) = mpsc::channel();
        self.send(Op::Flush(reply)) && answer.recv_timeout(timeout).is_ok()
    }

    /// A write that failed since the last call.
    pub fn take_problem(&self) -> Option<Problem> {
        self.inner
            .as_ref()
            .and_then(|i| i.problem.lock().ok().and_then(|mut p| p.take()))
    }
}

fn open_problem(path: &Path, e: OpenError) -> Problem {
    let reason = match e {
        OpenError::Corrupt(r) => format!("the state file is damaged ({r}); {FOR_SESSION}"),
        OpenError::Newer(v) => format!(
            "the state file is from a newer reader (schema {v}, this one knows {SCHEMA_VERSION}); \
             left as it is, and {FOR_SESSION}"
        ),
        OpenError::Busy(r) | OpenError::Other(r) => {
            format!("cannot open the state file ({r}); {FOR_SESSION}")
        }
    };
    Problem::warning(path, reason)
}

/// [`connect`], tried again while another process holds a lock that SQLite's busy handler is
/// not called for (two readers making a fresh file at once: one turns it to WAL while the
/// other opens it), for at most [`BUSY_TIMEOUT`].
fn connect_patiently(path: &Path) -> Result<Connection, OpenError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match connect(path) {
            Err(OpenError::Busy(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Opens the file, in WAL mode, with the schema in place and a sound structure.
fn connect(path: &Path) -> Result<Connection, OpenError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Reading the mode is the first read of the file: a file that is not a database fails here.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    ensure_schema(&mut conn)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(OpenError::Corrupt(check));
    }
    Ok(conn)
}

/// Makes or checks the schema, in one immediate transaction so that two readers starting at
/// once do not both make it.
fn ensure_schema(conn: &mut Connection) -> Result<(), OpenError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema (version INTEGER NOT NULL)")?;
    let version: Option<i64> = tx
        .query_row("SELECT max(version) FROM schema", [], |r| r.get(0))
        .optional()?
        .flatten();
    match version {
        None => {
            tx.execute_batch(
                "CREATE TABLE entries (
                    user TEXT NOT NULL,
                    identity TEXT NOT NULL,
                    read INTEGER NOT NULL DEFAULT 0,
                    starred INTEGER NOT NULL DEFAULT 0,
                    line INTEGER,
                    lines INTEGER,
                    updated INTEGER NOT NULL,
                    PRIMARY KEY (user, identity)
                ) WITHOUT ROWID",
            )?;
            tx.execute("INSERT INTO schema (version) VALUES (?1)", [SCHEMA_VERSION])?;
        }
        Some(v) if v > SCHEMA_VERSION => return Err(OpenError::Newer(v)),
        // Version 1 is the first: nothing to migrate yet. A migration goes here, by version.
        Some(_) => {}
    }
    tx.commit()?;
    Ok(())
}

/// Renames a damaged file (and its WAL) to `NAME.corrupt-<UTC time>`; returns the new path.
fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| super::FILE_NAME.to_string());
    let mut aside = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
    }
    std::fs::rename(path, &aside)?;
    let side = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let mut aside_wal = aside.as_os_str().to_owned();
    aside_wal.push("-wal");
    let _ = std::fs::rename(side("-wal"), aside_wal);
    let _ = std::fs::remove_file(side("-shm"));
    Ok(aside)
}

/// The writer thread's side: the connection, and where to report a failed write.
struct Writer {
    conn: Connection,
    path: PathBuf,
    problem: Arc<Mutex<Option<Problem>>>,
}

impl Writer {
    fn run(mut self, rx: Receiver<Op>) {
        let mut writes = Vec::new();
        while let Ok(first) = rx.recv() {
            let mut next = Some(first);
            while let Some(op) = next {
                match op {
                    Op::Write {
                        user,
                        identity,
                        field,
                        updated,
                    } => writes.push((user, identity, field, updated)),
                    Op::Load { user, reply } => {
                        self.commit(&mut writes);
                        let _ = reply.send(self.load(&user).map_err(|e| e.to_string()));
                    }
                    Op::Flush(reply) => {
                        self.commit(&mut writes);
                        let _ = reply.send(());
                    }
                }
                next = if writes.len() < BATCH {
                    rx.try_recv().ok()
                } else {
                    None
                };
            }
            self.commit(&mut writes);
        }
    }

    fn load(&self, user: &str) -> rusqlite::Result<HashMap<Identity, Entry>> {
        load_rows(&self.conn, user)
    }

    /// Writes `writes` in one transaction, retrying a lock held past the busy timeout a few
    /// times; a write that still fails is reported and dropped (the session keeps it).
    fn commit(&mut self, writes: &mut Vec<(Arc<str>, Identity, Field, i64)>) {
        if writes.is_empty() {
            return;
        }
        let mut result = Ok(());
        for attempt in 0..3 {
            result = self.try_commit(writes);
            match &result {
                Err(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    ) =>
                {
                    std::thread::sleep(Duration::from_millis(50 << attempt));
                }
                _ => break,
            }
        }
        if let Err(e) = result
            && let Ok(mut p) = self.problem.lock()
        {
            *p = Some(Problem::warning(
                &self.path,
                format!(
                    "cannot write the state ({e}); {} change(s) kept for this session only",
                    writes.len()
                ),
            ));
        }
        writes.clear();
    }

    fn try_commit(&mut self, writes: &[(Arc<str>, Identity, Field, i64)]) -> rusqlite::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut read = tx.prepare(
                "INSERT INTO entries (user, identity, read, updated) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user, identity) DO UPDATE
                 SET read = excluded.read, updated = max(updated, excluded.updated)",
            )?;
            let mut starred = tx.prepare(
                "INSERT INTO entries (user, identity, starred, updated) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (user, identity) DO UPDATE
                 SET starred = excluded.starred, updated = max(updated, excluded.updated)",
            )?;
            let mut position = tx.prepare(
                "INSERT INTO entries (user, identity, line, lines, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user, identity) DO UPDATE
                 SET line = excluded.line, lines = excluded.lines,
                     updated = max(updated, excluded.updated)",
            )?;
            for (user, identity, field, updated) in writes {
                let (user, id) = (&**user, identity.as_str());
                match *field {
                    Field::Read(v) => read.execute(params![user, id, v, updated])?,
                    Field::Starred(v) => starred.execute(params![user, id, v, updated])?,
                    Field::Position(p) => position.execute(params![
                        user,
                        id,
                        p.map(|p| p.line),
                        p.map(|p| p.lines),
                        updated
                    ])?,
                };
            }
        }
        tx.commit()
    }
}

/// `user`'s rows.
fn load_rows(conn: &Connection, user: &str) -> rusqlite::Result<HashMap<Identity, Entry>> {
    let mut stmt = conn.prepare(
        "SELECT identity, read, starred, line, lines, updated FROM entries WHERE user = ?1",
    )?;
    let rows = stmt.query_map([user], |r| {
        let line: Option<i64> = r.get(3)?;
        let lines: Option<i64> = r.get(4)?;
        let position = match (line, lines) {
            (Some(line), Some(lines)) => Some(Position {
                line: u32::try_from(line).unwrap_or(0),
                lines: u32::try_from(lines).unwrap_or(0),
            }),
            _ => None,
        };
        Ok((
            Identity::from_stored(r.get::<_, String>(0)?),
            Entry {
                flags: Flags {
                    read: r.get(1)?,
                    starred: r.get(2)?,
                },
                position,
                updated: r.get(5)?,
            },
        ))
    })?;
    rows.collect()
}

/// Reads `user`'s rows from the file at `path` without writing anything (for the plain
/// commands): no file, or one without the table yet, is no rows.
pub(super) fn read_rows(path: &Path, user: &str) -> Result<HashMap<Identity, Entry>, String> {
    if !path.exists() {
        return Ok(HashMap::new());
    }
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| e.to_string())?;
    let text = |e: rusqlite::Error| e.to_string();
    let made: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema'",
            [],
            |r| r.get(0),
        )
        .map_err(text)?;
    let version: Option<i64> = if made {
        conn.query_row("SELECT max(version) FROM schema", [], |r| r.get(0))
            .map_err(text)?
    } else {
        None
    };
    match version {
        None => Ok(HashMap::new()),
        Some(v) if v > SCHEMA_VERSION => Err(format!(
            "the state file is from a newer reader (schema {v}, this one knows {SCHEMA_VERSION})"
        )),
        Some(_) => load_rows(&conn, user).map_err(|e| e.to_string()),
    }
}
