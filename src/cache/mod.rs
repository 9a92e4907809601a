//! The metadata cache: what parsing each report gave the list, kept beside the search index in
//! `$XDG_CACHE_HOME/reader/libraries/<key>/meta.bin`, so a relaunch on unchanged files only
//! stats them.
//!
//! One record per file that loaded: its exact path bytes, size and modification time, and the
//! [`Article`] as parsed (every field but the body, which is read when the article is opened),
//! including the edge-line keys from which the library learns each outlet's furniture, so
//! that learning needs no body either. A file whose size or mtime differs is parsed again;
//! files that did not load are not kept (they are retried, and their messages shown, each time).
//!
//! The format is a compact hand-written binary (varints, length-prefixed bytes): at 100,000
//! reports it reads and decodes in a fraction of what JSON would take. Layout: an 8-byte magic,
//! a format version, a fingerprint of what parsing depends on (this binary, the outlet rules),
//! the record count, the records, and a checksum of everything before it. A file with
//! another magic, version or fingerprint, a bad checksum or a truncated record is ignored (and
//! rewritten after the load): never an error, never a crash.
//!
//! Writes go to a temporary file in the same folder, renamed over the old one: a reader never
//! sees half a file, and two processes writing at once leave one whole cache or the other.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use crate::article::dates::{Precision, Source, ZoneFrom};
use crate::article::{Article, Canonical, Folded, Format, Meta, Origin, Stamp};

/// The cache file's name inside its library folder.
pub const FILE_NAME: &str = "meta.bin";

const MAGIC: &[u8; 8] = b"READERMC";
/// Bump when the record layout changes.
const VERSION: u32 = 4;

/// The cache file for the library made of `paths`: `cache_dir()/libraries/<key>/meta.bin`;
/// `None` when there is no cache folder (no XDG_CACHE_HOME nor HOME) or no paths.
pub fn file_for(paths: &[PathBuf]) -> Option<PathBuf> {
    if paths.is_empty() {
        return None;
    }
    crate::config::cache_dir().map(|d| {
        d.join("libraries")
            .join(crate::config::library_key(paths))
            .join(FILE_NAME)
    })
}

/// A file's identity for the cache: size and modification time (nanoseconds since the epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (negative before it).
    pub mtime: i128,
}

impl Stat {
    /// The size and mtime of a regular file at `path` (links followed), without opening it.
    pub fn of(path: &Path) -> Option<Stat> {
        let m = std::fs::metadata(path).ok()?;
        if !m.is_file() {
            return None;
        }
        Some(Stat::from_metadata(&m))
    }

    /// The size and mtime of each of `files` that is a regular file (links followed), in
    /// order. Each is stat'ed relative to its folder, opened once for a run of files in one
    /// folder (a walk lists them together): the kernel then looks up one name per file, not
    /// every component of its path again. Where a folder cannot be opened, by path.
    pub fn of_each(files: &[PathBuf]) -> Vec<Option<Stat>> {
        let mut folder: Option<(&Path, Option<std::fs::File>)> = None;
        files
            .iter()
            .map(|path| {
                let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                    return Stat::of(path);
                };
                if folder.as_ref().is_none_or(|(f, _)| *f != parent) {
                    let open = if parent.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        parent
                    };
                    folder = Some((parent, std::fs::File::open(open).ok()));
                }
                match &folder {
                    Some((_, Some(dir))) => {
                        let st =
                            rustix::fs::statat(dir, name, rustix::fs::AtFlags::empty()).ok()?;
                        if !rustix::fs::FileType::from_raw_mode(st.st_mode).is_file() {
                            return None;
                        }
                        // Signed on some targets, unsigned on others.
                        #[allow(clippy::useless_conversion)]
                        let (secs, nsec) = (i128::from(st.st_mtime), i128::from(st.st_mtime_nsec));
                        Some(Stat {
                            size: u64::try_from(st.st_size).unwrap_or(0),
                            mtime: secs * 1_000_000_000 + nsec,
                        })
                    }
                    _ => Stat::of(path),
                }
            })
            .collect()
    }

    /// The size and mtime in `m`.
    pub fn from_metadata(m: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            size: m.len(),
            mtime: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        }
    }
}

/// One file's entry for the next cache: encoded now (a file just parsed), or kept from the
/// previous cache (a handle into it, copied only if the cache is written).
#[derive(Clone, Debug)]
pub struct Record(Kind);

#[derive(Clone, Debug)]
enum Kind {
    Fresh {
        path: Vec<u8>,
        stat: Stat,
        article: Vec<u8>,
    },
    /// The key of an entry of the [`Prior`] it came from.
    Kept(u64),
}

impl Record {
    /// The record for `article` (a file's, as just parsed) whose file had `stat`. The
    /// article's [`crate::article::Meta::folded`] is filled in (it is cached with it).
    pub fn new(article: &mut Article, stat: Stat) -> Record {
        if article.meta.folded.is_none() {
            article.meta.folded = Some(crate::search::fold(article));
        }
        if article.meta.canonical.is_none() {
            article.meta.canonical = Some(crate::article::Canonical {
                of: crate::article::Canonical::source(article.url.as_deref()),
                url: crate::state::identity::canonical_url_of(article),
            });
        }
        let mut w = Vec::with_capacity(256);
        encode_article(&mut w, article);
        Record(Kind::Fresh {
            path: article.path().as_os_str().as_bytes().to_vec(),
            stat,
            article: w,
        })
    }
}

/// The previous cache, read once: its entries in file order and an index from exact path
/// bytes to them, each decoded only when asked for.
#[derive(Debug, Default)]
pub struct Prior {
    bytes: Vec<u8>,
    /// Where each entry's path and encoded article are in `bytes`, and its stat: no
    /// allocation per entry. A second path with the same hash is left out (a miss, so parsed
    /// again: correct, only slower).
    entries: Vec<Entry>,
    /// Hash of the path bytes → the entry's place in `entries`.
    index: HashMap<u64, u32, PassThrough>,
}

#[derive(Debug)]
struct Entry {
    key: u64,
    path: Range<usize>,
    stat: Stat,
    article: Range<usize>,
}

/// The keys are FNV hashes already: hashing them again would only cost time.
#[derive(Clone, Copy, Debug, Default)]
struct PassThrough;

impl std::hash::BuildHasher for PassThrough {
    type Hasher = PassThroughHasher;
    fn build_hasher(&self) -> PassThroughHasher {
        PassThroughHasher(0)
    }
}

#[derive(Debug)]
struct PassThroughHasher(u64);

impl std::hash::Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(bytes);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

impl Prior {
    /// Reads the cache at `path`; `None` when it is missing, from another version or build,
    /// or damaged in any way.
    pub fn read(path: &Path) -> Option<Prior> {
        let bytes = std::fs::read(path).ok()?;
        Prior::from_bytes(bytes)
    }

    /// The cache in `bytes`, checked whole (magic, version, fingerprint, checksum, every
    /// record's bounds).
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Prior> {
        let body_len = bytes.len().checked_sub(8)?;
        let sum = u64::from_le_bytes(bytes[body_len..].try_into().ok()?);
        if checksum(&bytes[..body_len]) != sum {
            return None;
        }
        let mut r = Reader::new(&bytes[..body_len]);
        if r.take(8)? != MAGIC || r.u32()? != VERSION || r.u64()? != fingerprint() {
            return None;
        }
        let count = usize::try_from(r.var()?).ok()?;
        let mut index = HashMap::with_capacity_and_hasher(count.min(body_len / 16), PassThrough);
        let mut entries = Vec::with_capacity(count.min(body_len / 16));
        for _ in 0..count {
            let len = r.usize()?;
            let path = r.at..r.at.checked_add(len)?;
            let key = fnv(r.take(len)?);
            let stat = Stat {
                size: r.var()?,
                mtime: r.i128()?,
            };
            let len = r.usize()?;
            let article = r.at..r.at.checked_add(len)?;
            r.take(len)?;
            if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(key) {
                slot.insert(u32::try_from(entries.len()).ok()?);
                entries.push(Entry {
                    key,
                    path,
                    stat,
                    article,
                });
            }
        }
        if r.at != body_len {
            return None;
        }
        Some(Prior {
            bytes,
            entries,
            index,
        })
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `i`'s path, exactly as it was cached.
    pub fn path(&self, i: usize) -> PathBuf {
        let bytes = &self.bytes[self.entries[i].path.clone()];
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }

    /// Entry `i`'s article, as cached (`None` when it does not decode).
    pub fn article(&self, i: usize) -> Option<Article> {
        let e = &self.entries[i];
        let path = std::ffi::OsStr::from_bytes(&self.bytes[e.path.clone()]);
        decode_article(
            &mut Reader::new(&self.bytes[e.article.clone()]),
            Path::new(path),
        )
    }

    /// Every entry's article, decoded on `threads` threads, in entry order; `None` for an
    /// entry that does not decode.
    pub fn articles(&self, threads: usize) -> Vec<Option<Article>> {
        let n = self.entries.len();
        if n < 4_096 || threads < 2 {
            return (0..n).map(|i| self.article(i)).collect();
        }
        let chunk = n.div_ceil(threads);
        std::thread::scope(|s| {
            let parts: Vec<_> = (0..n)
                .step_by(chunk)
                .map(|from| {
                    s.spawn(move || {
                        (from..(from + chunk).min(n))
                            .map(|i| self.article(i))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut all = Vec::with_capacity(n);
            for p in parts {
                all.extend(p.join().expect("a cache-decoding thread panicked"));
            }
            all
        })
    }

    /// The entry that holds `path` with this `stat`, without decoding it; `None` when the
    /// file is new or changed.
    pub fn find(&self, path: &Path, stat: Stat) -> Option<usize> {
        let key = path.as_os_str().as_bytes();
        let i = *self.index.get(&fnv(key))? as usize;
        let entry = &self.entries[i];
        (entry.stat == stat && self.bytes[entry.path.clone()] == *key).then_some(i)
    }

    /// The record that carries entry `i` over to the next cache.
    pub fn record(&self, i: usize) -> Record {
        Record(Kind::Kept(self.entries[i].key))
    }

    /// The article for `path` when the cache holds it with this `stat`, and its record to
    /// carry over; `None` when the file is new or changed (or its entry does not decode).
    pub fn get(&self, path: &Path, stat: Stat) -> Option<(Article, Record)> {
        let i = self.find(path, stat)?;
        let encoded = &self.bytes[self.entries[i].article.clone()];
        let article = decode_article(&mut Reader::new(encoded), path)?;
        Some((article, self.record(i)))
    }
}

/// How close to the load's start a file's mtime may be and still be trusted: a file changed
/// again within one timestamp tick of being stat'ed keeps its mtime (git's "racy" entries), so
/// such a file is left out of the cache and parsed again next time. Ticks are nanoseconds to
/// 10 ms on Linux file systems, 2 s on FAT.
const RACY_NS: i128 = 2_000_000_000;

/// Now, as a [`Stat::mtime`]-style count of nanoseconds, for [`write`]'s `started`.
pub fn now() -> i128 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Writes `records` as the cache at `path`, atomically (a temporary file in the same folder,
/// then a rename); the folder is made if needed. `started` is when the load that stat'ed the
/// files began ([`now`]): records of files modified less than [`RACY_NS`] before it are left
/// out.
/// `prior` is the cache the kept records came from.
pub fn write(
    path: &Path,
    records: &[Record],
    prior: Option<&Prior>,
    started: i128,
) -> std::io::Result<()> {
    let entries: Vec<(&[u8], Stat, &[u8])> = records
        .iter()
        .filter_map(|r| match &r.0 {
            Kind::Fresh {
                path,
                stat,
                article,
            } => Some((&path[..], *stat, &article[..])),
            Kind::Kept(key) => {
                let p = prior?;
                let e = &p.entries[*p.index.get(key)? as usize];
                Some((
                    &p.bytes[e.path.clone()],
                    e.stat,
                    &p.bytes[e.article.clone()],
                ))
            }
        })
        .filter(|(_, stat, _)| stat.mtime < started - RACY_NS)
        .collect();
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let size: usize = entries.iter().map(|(p, _, a)| p.len() + a.len() + 32).sum();
    let mut out = Vec::with_capacity(64 + size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&fingerprint().to_le_bytes());
    put_var(&mut out, entries.len() as u64);
    for (path, stat, article) in &entries {
        put_bytes(&mut out, path);
        put_var(&mut out, stat.size);
        out.extend_from_slice(&stat.mtime.to_le_bytes());
        put_bytes(&mut out, article);
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    // A name no other process uses: pid and a per-process counter.
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{FILE_NAME}.{}.{seq}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&out)?;
        f.flush()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// What parsing depends on beyond the file: this build of the program and the outlet rules
/// (built in and the user's file). A cache made under others is ignored.
fn fingerprint() -> u64 {
    static PRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *PRINT.get_or_init(|| {
        let mut data = Vec::new();
        data.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
        data.push(0);
        // The binary itself: a rebuild (new parser code) or reinstall starts a fresh cache.
        if let Some(stat) = std::env::current_exe().ok().and_then(|e| Stat::of(&e)) {
            data.extend_from_slice(&stat.size.to_le_bytes());
            data.extend_from_slice(&stat.mtime.to_le_bytes());
        }
        data.extend_from_slice(crate::article::outlet::BUILTIN.as_bytes());
        data.push(0);
        if let Some(user) = crate::article::outlet::user_file() {
            data.extend_from_slice(&std::fs::read(user).unwrap_or_default());
        }
        fnv(&data)
    })
}

/// A checksum of the whole file, 8 bytes a step (a 50 MB cache sums in milliseconds): not
/// for security, only to tell a damaged or truncated file.
fn checksum(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let v = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        hash = (hash ^ v).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    }
    fnv(words.remainder()) ^ hash
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

// ---- encoding ----

fn put_var(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_var(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_strs(out: &mut Vec<u8>, list: &[String]) {
    put_var(out, list.len() as u64);
    for s in list {
        put_str(out, s);
    }
}

fn put_stamp(out: &mut Vec<u8>, s: Option<&Stamp>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            out.extend_from_slice(&s.utc.as_second().to_le_bytes());
            out.extend_from_slice(&s.utc.subsec_nanosecond().to_le_bytes());
            put_str(out, &s.original);
        }
    }
}

fn put_range(out: &mut Vec<u8>, r: &Range<usize>) {
    put_var(out, r.start as u64);
    put_var(out, r.end as u64);
}

/// Every field but the origin (the record's path is the file's) — built so that a field added
/// to [`Article`] or [`Meta`] breaks [`decode_article`]'s struct literal until it is cached.
fn encode_article(out: &mut Vec<u8>, a: &Article) {
    put_str(out, &a.title);
    put_opt_str(out, a.outlet.as_deref());
    put_opt_str(out, a.author.as_deref());
    put_stamp(out, a.published.as_ref());
    put_stamp(out, a.archived.as_ref());
    put_opt_str(out, a.url.as_deref());
    put_strs(out, &a.categories);
    put_opt_str(out, a.image.as_deref());
    put_var(out, a.extra.len() as u64);
    for (k, v) in &a.extra {
        put_str(out, k);
        put_str(out, v);
    }
    out.push(match a.format {
        Format::FrontMatter => 0,
        Format::LinkHeader => 1,
        Format::Html => 2,
        Format::Markdown => 3,
        Format::Text => 4,
    });
    put_range(out, &a.body_range);
    put_var(out, a.chars as u64);
    put_var(out, a.words as u64);
    put_var(out, a.cjk as u64);
    put_strs(out, &a.warnings);
    put_var(out, a.furniture_keys.len() as u64);
    for k in a.furniture_keys.iter() {
        out.extend_from_slice(&k.to_le_bytes());
    }
    let m = &a.meta;
    out.push(match m.published_from {
        None => 0,
        Some(Source::Dateline) => 1,
        Some(Source::FrontMatter) => 2,
        Some(Source::Meta) => 3,
        Some(Source::Url) => 4,
    });
    out.push(match m.published_precision {
        None => 0,
        Some(Precision::Time) => 1,
        Some(Precision::Day) => 2,
    });
    out.push(match m.published_zone {
        None => 0,
        Some(ZoneFrom::Written) => 1,
        Some(ZoneFrom::Outlet) => 2,
        Some(ZoneFrom::Inferred) => 3,
        Some(ZoneFrom::Assumed) => 4,
    });
    match m.published_day {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d.year().to_le_bytes());
            out.push(d.month() as u8);
            out.push(d.day() as u8);
        }
    }
    put_opt_str(out, m.title_original.as_deref());
    put_strs(out, &m.agency);
    put_strs(out, &m.editors);
    put_strs(out, &m.tags);
    put_var(out, m.copies.len() as u64);
    for c in &m.copies {
        put_bytes(out, c.as_os_str().as_bytes());
    }
    match &m.dateline_block {
        None => out.push(0),
        Some(r) => {
            out.push(1);
            put_range(out, r);
        }
    }
    out.extend_from_slice(&m.fingerprint.to_le_bytes());
    out.extend_from_slice(&m.body_hash.to_le_bytes());
    let (title, author) = crate::search::folded(a);
    out.extend_from_slice(&Folded::source(&a.title, a.author.as_deref()).to_le_bytes());
    put_str(out, &title);
    put_opt_str(out, author.as_deref());
    let url = a.url.as_deref();
    out.extend_from_slice(&crate::article::Canonical::source(url).to_le_bytes());
    put_opt_str(out, crate::state::identity::canonical_url_of(a).as_deref());
}

// ---- decoding ----

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    fn var(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.var()?).ok()
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.usize()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        std::str::from_utf8(self.bytes()?).ok().map(str::to_string)
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.usize()?;
        let mut v = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }

    fn stamp(&mut self) -> Option<Option<Stamp>> {
        match self.u8()? {
            0 => Some(None),
            1 => {
                let secs = i64::from_le_bytes(self.take(8)?.try_into().ok()?);
                let nanos = i32::from_le_bytes(self.take(4)?.try_into().ok()?);
                let utc = jiff::Timestamp::new(secs, nanos).ok()?;
                Some(Some(Stamp {
                    utc,
                    original: self.string()?,
                }))
            }
            _ => None,
        }
    }

    fn range(&mut self) -> Option<Range<usize>> {
        Some(self.usize()?..self.usize()?)
    }
}

fn decode_article(r: &mut Reader<'_>, path: &Path) -> Option<Article> {
    let title = r.string()?;
    let outlet = r.opt_string()?;
    let author = r.opt_string()?;
    let published = r.stamp()?;
    let archived = r.stamp()?;
    let url = r.opt_string()?;
    let categories = r.strings()?;
    let image = r.opt_string()?;
    let n = r.usize()?;
    let mut extra = Vec::with_capacity(n.min(r.bytes.len()));
    for _ in 0..n {
        extra.push((r.string()?, r.string()?));
    }
    let format = match r.u8()? {
        0 => Format::FrontMatter,
        1 => Format::LinkHeader,
        2 => Format::Html,
        3 => Format::Markdown,
        4 => Format::Text,
        _ => return None,
    };
    let body_range = r.range()?;
    let chars = r.usize()?;
    let words = r.usize()?;
    let cjk = r.usize()?;
    let warnings = r.strings()?;
    let n = r.usize()?;
    let mut keys = Vec::with_capacity(n.min(r.bytes.len() / 8));
    for _ in 0..n {
        keys.push(r.u64()?);
    }
    let published_from = match r.u8()? {
        0 => None,
        1 => Some(Source::Dateline),
        2 => Some(Source::FrontMatter),
        3 => Some(Source::Meta),
        4 => Some(Source::Url),
        _ => return None,
    };
    let published_precision = match r.u8()? {
        0 => None,
        1 => Some(Precision::Time),
        2 => Some(Precision::Day),
        _ => return None,
    };
    let published_zone = match r.u8()? {
        0 => None,
        1 => Some(ZoneFrom::Written),
        2 => Some(ZoneFrom::Outlet),
        3 => Some(ZoneFrom::Inferred),
        4 => Some(ZoneFrom::Assumed),
        _ => return None,
    };
    let published_day = match r.u8()? {
        0 => None,
        1 => {
            let year = i16::from_le_bytes(r.take(2)?.try_into().ok()?);
            let month = r.u8()? as i8;
            let day = r.u8()? as i8;
            Some(jiff::civil::Date::new(year, month, day).ok()?)
        }
        _ => return None,
    };
    let title_original = r.opt_string()?;
    let agency = r.strings()?;
    let editors = r.strings()?;
    let tags = r.strings()?;
    let n = r.usize()?;
    let mut copies = Vec::with_capacity(n.min(r.bytes.len()));
    for _ in 0..n {
        copies.push(PathBuf::from(std::ffi::OsString::from_vec(
            r.bytes()?.to_vec(),
        )));
    }
    let dateline_block = match r.u8()? {
        0 => None,
        1 => Some(r.range()?),
        _ => return None,
    };
    let fingerprint = r.u64()?;
    let body_hash = r.u64()?;
    let folded = Folded {
        of: r.u64()?,
        title: r.string()?,
        author: r.opt_string()?,
    };
    let canonical = Canonical {
        of: r.u64()?,
        url: r.opt_string()?,
    };
    if r.at != r.bytes.len() {
        return None;
    }
    Some(Article {
        title,
        outlet,
        author,
        published,
        archived,
        url,
        categories,
        image,
        extra,
        format,
        origin: Origin::File(path.to_path_buf()),
        body_range,
        chars,
        words,
        cjk,
        warnings,
        furniture_keys: keys.into_boxed_slice(),
        meta: Meta {
            published_from,
            published_precision,
            published_zone,
            published_day,
            title_original,
            agency,
            editors,
            tags,
            copies,
            dateline_block,
            fingerprint,
            body_hash,
            folded: Some(folded),
            canonical: Some(canonical),
        },
    })
}
