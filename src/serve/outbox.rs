//! Output to an SSH channel from a session's thread.
//!
//! [`Outbox`] carries a reader's frames. Each flush (one per frame) hands the frame to a task
//! that sends it as the client's window allows. What is queued and not yet sent is bounded by
//! [`MAX_BACKLOG`]: when a frame would pass it, the frame is dropped, and so is every frame after
//! it until the backlog has drained; the reader is then told to draw the next frame whole
//! ([`Msg::Repaint`]). A slow client thus sees the latest screen, late, and the server's memory
//! stays flat however slow it is.
//!
//! [`Blocking`] carries a command's output: each write waits for the client, so a command
//! producing more than the client reads simply waits (its buffer is a fixed size).

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use russh::ChannelWriteHalf;
use russh::server::Msg as SshMsg;

use crate::tui::Msg;

/// The most frame bytes queued for one client.
pub const MAX_BACKLOG: usize = 256 * 1024;

enum Out {
    Data(Vec<u8>),
    Finish(u32, std::sync::mpsc::SyncSender<()>),
}

/// A reader's output; see the module docs.
pub struct Outbox {
    buf: Vec<u8>,
    queue: tokio::sync::mpsc::UnboundedSender<Out>,
    backlog: Arc<AtomicUsize>,
    dropping: Arc<AtomicBool>,
    /// Frames dropped so far (for tests and logs).
    dropped: Arc<AtomicUsize>,
    session: mpsc::Sender<Msg>,
}

impl Outbox {
    /// Starts the sending task for `write`; `session` is the reader's inbox, for `Repaint`.
    pub fn start(
        write: Arc<ChannelWriteHalf<SshMsg>>,
        session: mpsc::Sender<Msg>,
        runtime: &tokio::runtime::Handle,
    ) -> Outbox {
        let (queue, mut rx) = tokio::sync::mpsc::unbounded_channel::<Out>();
        let backlog = Arc::new(AtomicUsize::new(0));
        let dropping = Arc::new(AtomicBool::new(false));
        let (task_backlog, task_dropping) = (backlog.clone(), dropping.clone());
        let task_session = session.clone();
        runtime.spawn(async move {
            let mut gone = false;
            while let Some(out) = rx.recv().await {
                match out {
                    Out::Data(bytes) => {
                        let n = bytes.len();
                        if !gone && write.data_bytes(bytes).await.is_err() {
                            gone = true;
                        }
                        let left = task_backlog.fetch_sub(n, Ordering::SeqCst) - n;
                        if left == 0 && task_dropping.swap(false, Ordering::SeqCst) {
                            let _ = task_session.send(Msg::Repaint);
                        }
                    }
                    Out::Finish(status, done) => {
                        if !gone {
                            super::finish(&write, status).await;
                        }
                        let _ = done.send(());
                        break;
                    }
                }
            }
        });
        Outbox {
            buf: Vec::with_capacity(16 * 1024),
            queue,
            backlog,
            dropping,
            dropped: Arc::default(),
            session,
        }
    }

    /// Queues `bytes` past the backlog limit (terminal setup and restore must arrive).
    pub fn raw(&mut self, bytes: &[u8]) {
        let _ = self.flush();
        self.backlog.fetch_add(bytes.len(), Ordering::SeqCst);
        let _ = self.queue.send(Out::Data(bytes.to_vec()));
    }

    /// Sends what is queued, then the exit status, and closes the channel; waits (at most a
    /// second) until that is on its way.
    pub fn finish(mut self, status: u32) {
        let _ = self.flush();
        let (done, wait) = std::sync::mpsc::sync_channel(1);
        if self.queue.send(Out::Finish(status, done)).is_ok() {
            let _ = wait.recv_timeout(std::time::Duration::from_secs(1));
        }
    }

    /// How many frames were dropped for this client.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

impl Write for Outbox {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// One frame: queued, or dropped when the client is behind (see the module docs).
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let n = self.buf.len();
        let backlog = self.backlog.load(Ordering::SeqCst);
        // A frame always goes when nothing is queued, however large (a whole screen).
        if self.dropping.load(Ordering::SeqCst) || (backlog > 0 && backlog + n > MAX_BACKLOG) {
            self.dropping.store(true, Ordering::SeqCst);
            self.dropped.fetch_add(1, Ordering::SeqCst);
            self.buf.clear();
            // The backlog may have drained before `dropping` was set, unseen by the task: then
            // ask for the repaint here (the swap makes sure only one of the two asks).
            if self.backlog.load(Ordering::SeqCst) == 0
                && self.dropping.swap(false, Ordering::SeqCst)
            {
                let _ = self.session.send(Msg::Repaint);
            }
            return Ok(());
        }
        self.backlog.fetch_add(n, Ordering::SeqCst);
        let frame = std::mem::replace(&mut self.buf, Vec::with_capacity(16 * 1024));
        self.queue
            .send(Out::Data(frame))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// A command's stdout or stderr (extended data 1) on a channel; see the module docs.
pub struct Blocking {
    write: Arc<ChannelWriteHalf<SshMsg>>,
    ext: Option<u32>,
    /// A pty has no line discipline on this side: `\n` goes out as `\r\n`.
    crlf: bool,
    buf: Vec<u8>,
    runtime: tokio::runtime::Handle,
}

const BLOCK: usize = 32 * 1024;

impl Blocking {
    /// A writer to `write`'s data (`ext` `None`) or extended data.
    pub fn new(
        write: Arc<ChannelWriteHalf<SshMsg>>,
        ext: Option<u32>,
        crlf: bool,
        runtime: tokio::runtime::Handle,
    ) -> Blocking {
        Blocking {
            write,
            ext,
            crlf,
            buf: Vec::with_capacity(BLOCK),
            runtime,
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(BLOCK));
        let write = self.write.clone();
        let ext = self.ext;
        let sent = self.runtime.block_on(async move {
            match ext {
                None => write.data_bytes(chunk).await,
                Some(ext) => write.extended_data_bytes(ext, chunk).await,
            }
        });
        sent.map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl Write for Blocking {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.crlf {
            for &b in buf {
                if b == b'\n' {
                    self.buf.push(b'\r');
                }
                self.buf.push(b);
            }
        } else {
            self.buf.extend_from_slice(buf);
        }
        if self.buf.len() >= BLOCK {
            self.send()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
