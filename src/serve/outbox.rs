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

/// The bookkeeping of what is queued for one client, shared by the session's thread (which
/// offers frames) and the sending task (which reports what went out); no I/O, so it is tested
/// alone.
#[derive(Debug, Default)]
pub struct Backlog {
    /// Bytes queued and not yet sent.
    queued: AtomicUsize,
    /// Frames are being dropped until the queue drains.
    dropping: AtomicBool,
    /// Frames dropped so far.
    dropped: AtomicUsize,
}

/// What to do with a frame offered to a [`Backlog`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Queue it (it is counted as queued).
    Send,
    /// Drop it; `repaint` when the reader must be told to draw the next frame whole now (the
    /// queue drained while this frame was being dropped).
    Drop {
        /// Ask for a repaint.
        repaint: bool,
    },
}

impl Backlog {
    /// A frame of `n` bytes is ready: it goes when nothing is queued (however large: a whole
    /// screen) or when it fits under [`MAX_BACKLOG`] and no frame is being dropped.
    pub fn offer(&self, n: usize) -> Offer {
        let queued = self.queued.load(Ordering::SeqCst);
        if self.dropping.load(Ordering::SeqCst) || (queued > 0 && queued + n > MAX_BACKLOG) {
            self.dropping.store(true, Ordering::SeqCst);
            self.dropped.fetch_add(1, Ordering::SeqCst);
            // The queue may have drained before `dropping` was set, unseen by the task: then
            // ask for the repaint here (the swap makes sure only one of the two asks).
            let repaint = self.queued.load(Ordering::SeqCst) == 0
                && self.dropping.swap(false, Ordering::SeqCst);
            return Offer::Drop { repaint };
        }
        self.queued.fetch_add(n, Ordering::SeqCst);
        Offer::Send
    }

    /// Bytes that must go whatever the backlog (terminal setup and restore).
    pub fn force(&self, n: usize) {
        self.queued.fetch_add(n, Ordering::SeqCst);
    }

    /// `n` queued bytes went out; true when frames were dropped and the queue is now empty:
    /// the reader is to draw the next frame whole.
    pub fn sent(&self, n: usize) -> bool {
        let left = self.queued.fetch_sub(n, Ordering::SeqCst) - n;
        left == 0 && self.dropping.swap(false, Ordering::SeqCst)
    }

    /// Bytes queued now.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Frames dropped so far.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }
}

enum Out {
    Data(Vec<u8>),
    Finish(u32, std::sync::mpsc::SyncSender<()>),
}

/// A reader's output; see the module docs.
pub struct Outbox {
    buf: Vec<u8>,
    queue: tokio::sync::mpsc::UnboundedSender<Out>,
    backlog: Arc<Backlog>,
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
        let backlog = Arc::new(Backlog::default());
        let task_backlog = backlog.clone();
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
                        if task_backlog.sent(n) {
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
            session,
        }
    }

    /// Queues `bytes` past the backlog limit (terminal setup and restore must arrive).
    pub fn raw(&mut self, bytes: &[u8]) {
        let _ = self.flush();
        self.backlog.force(bytes.len());
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
        self.backlog.dropped()
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
        if let Offer::Drop { repaint } = self.backlog.offer(self.buf.len()) {
            self.buf.clear();
            if repaint {
                let _ = self.session.send(Msg::Repaint);
            }
            return Ok(());
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that reads nothing: however many frames the reader draws, what is queued stays
    /// under the limit (plus the one frame that may go into an empty queue), every later frame
    /// is dropped, and once the client has taken everything the reader is told, once, to draw
    /// the next frame whole; then frames go again.
    #[test]
    fn a_stuck_client_keeps_the_backlog_bounded_and_gets_one_repaint() {
        let b = Backlog::default();
        b.force(100);
        let frame = 40 * 1024;
        let mut sent = Vec::new();
        for _ in 0..10_000 {
            match b.offer(frame) {
                Offer::Send => sent.push(frame),
                Offer::Drop { repaint } => assert!(!repaint),
            }
            assert!(b.queued() <= MAX_BACKLOG, "{}", b.queued());
        }
        assert_eq!(sent.len(), MAX_BACKLOG / frame);
        assert_eq!(b.dropped(), 10_000 - sent.len());
        // The client drains: only the last bytes out ask for the repaint.
        let mut repaints = 0;
        repaints += usize::from(b.sent(100));
        for n in sent {
            repaints += usize::from(b.sent(n));
        }
        assert_eq!((repaints, b.queued()), (1, 0));
        assert_eq!(b.offer(frame), Offer::Send);
        assert!(!b.sent(frame));
    }

    /// A frame larger than the limit still goes into an empty queue (a whole screen must reach
    /// the client), and the next one waits for it.
    #[test]
    fn a_frame_goes_whole_into_an_empty_queue() {
        let b = Backlog::default();
        assert_eq!(b.offer(MAX_BACKLOG * 2), Offer::Send);
        assert_eq!(b.offer(1), Offer::Drop { repaint: false });
        assert!(b.sent(MAX_BACKLOG * 2));
        assert_eq!(b.offer(1), Offer::Send);
    }

    /// The race the dropping side covers: the task drained the queue before this side set
    /// `dropping` (so the task did not ask for a repaint). The next offer asks, once.
    #[test]
    fn a_drain_seen_only_by_the_dropping_side_repaints_once() {
        let b = Backlog::default();
        assert_eq!(b.offer(MAX_BACKLOG), Offer::Send);
        assert!(!b.sent(MAX_BACKLOG));
        b.dropping.store(true, Ordering::SeqCst);
        assert_eq!(b.offer(10), Offer::Drop { repaint: true });
        assert_eq!(b.offer(10), Offer::Send);
        assert!(!b.sent(10));
    }
}
