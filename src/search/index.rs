//! The full-text index: tantivy, with the analyzer of [`super::analyzer`], one per library in
//! `cache_dir()/libraries/<library_key>/index/`.
//!
//! Each report is one document: the title, the text (the body's visible text, a cheap linear
//! tag strip, with the author, every name of the outlet, the tags and categories), each as
//! words and CJK bigrams with positions (`title`, `text`) and as CJK characters with
//! frequencies only (`title1`, `text1`, for one-character queries); the author alone (for
//! `author:`); the listed day (for date pre-filtering); a 64-bit hash of the path (the term by
//! which a document is replaced or deleted) with the file's size and mtime as fast fields; and
//! the exact path bytes, which is all the doc store holds. Titles, outlets, dates and snippets
//! of hits are read from the files themselves, so the index stays small.
//!
//! Updates are incremental by size and mtime: a changed file is re-added, a file gone is
//! deleted, a new one added; a file that does not parse is recorded without text so it is not
//! read again until it changes. An index written by another schema version (see
//! [`SCHEMA_VERSION`]), or one tantivy cannot open, is removed and built again with a message;
//! while another process holds the writer lock, updates fail with [`IndexError::Locked`] and
//! the committed index can still be searched.

use std::ops::Bound;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, RangeQuery,
    TermQuery,
};
use tantivy::schema::{
    BytesOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::store::Compressor;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term,
};

use super::analyzer::{self, Analyzer, BIGRAMS, CHARS, Grams, Lookup};
use super::normalize;
use super::query::{Query, TextTerm};
use crate::article::{self, Article, Origin};

/// Written beside the index; an index with another line is rebuilt. Bump it whenever the
/// schema or the analyzer changes what is indexed.
pub const SCHEMA_VERSION: &str = "reader-index 4";
const VERSION_FILE: &str = "reader-schema";

/// Time between commits while building, so a long build is searchable as it goes and an
/// interrupted one resumes where it stopped (each commit costs a flush and later merges).
const COMMIT_EVERY: Duration = Duration::from_secs(30);
/// The indexing writer's memory (all threads together).
const WRITER_MEMORY: usize = 96 * 1024 * 1024;
/// A title match counts this many times a text match.
const TITLE_BOOST: f32 = 2.0;
/// Bigrams a one-character prefix of a phrase may stand for (`股` of `A股`: `股市`, `股票`…).
const PREFIX_EXPANSIONS: u32 = 10_000;

/// Why the index could not be used or updated.
#[derive(Debug)]
pub enum IndexError {
    /// Another process is updating the index; the committed index can still be searched.
    Locked,
    /// Anything else, in words for a user.
    Other(String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Locked => f.write_str(
                "the search index is being updated by another reader; searching what it holds",
            ),
            IndexError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for IndexError {}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> IndexError {
        match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked,
            e => IndexError::Other(format!("search index: {e}")),
        }
    }
}

/// How far an update has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The files were compared with the index: this many are to be (re)indexed.
    Started {
        /// Files to read and index.
        to_index: usize,
        /// Files in the library.
        total: usize,
    },
    /// This many of the files to index are done.
    Indexed {
        /// Done so far.
        done: usize,
        /// Files to read and index.
        to_index: usize,
    },
}

/// What an update did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Updated {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files indexed again because their size or mtime changed.
    pub changed: usize,
    /// Files no longer in the library, removed from the index.
    pub removed: usize,
    /// Files left as they were.
    pub unchanged: usize,
}

/// One hit: the file and its BM25 score.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The exact path.
    pub path: PathBuf,
    /// The score (higher is better).
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    path: Field,
    size: Field,
    mtime: Field,
    title: Field,
    title1: Field,
    text: Field,
    text1: Field,
    author: Field,
    day: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, option| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let freqs = IndexRecordOption::WithFreqs;
    let fields = Fields {
        id: b.add_u64_field("id", NumericOptions::default().set_indexed().set_fast()),
        path: b.add_bytes_field("path", BytesOptions::default().set_stored()),
        size: b.add_u64_field("size", NumericOptions::default().set_fast()),
        mtime: b.add_u64_field("mtime", NumericOptions::default().set_fast()),
        title: b.add_text_field("title", text(BIGRAMS, positions)),
        title1: b.add_text_field("title1", text(CHARS, freqs)),
        text: b.add_text_field("text", text(BIGRAMS, positions)),
        text1: b.add_text_field("text1", text(CHARS, freqs)),
        author: b.add_text_field("author", text(BIGRAMS, positions)),
        day: b.add_i64_field("day", NumericOptions::default().set_indexed()),
    };
    (b.build(), fields)
}

fn settings() -> IndexSettings {
    IndexSettings {
        // Only paths, sizes and mtimes are stored; compressing them gains little.
        docstore_compression: Compressor::None,
        ..IndexSettings::default()
    }
}

/// A search index, on disk or in memory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// The index folder of the library made of `paths`: `cache_dir()/libraries/<key>/index`.
pub fn dir_for(paths: &[PathBuf]) -> Option<PathBuf> {
    crate::config::cache_dir().map(|d| {
        d.join("libraries")
            .join(crate::config::library_key(paths))
            .join("index")
    })
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when absent. A stale or unreadable index is
    /// removed and created afresh; the message says so.
    pub fn open(dir: &Path) -> Result<(SearchIndex, Option<String>), IndexError> {
        let io = |e: std::io::Error| IndexError::Other(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let version_file = dir.join(VERSION_FILE);
        let version = std::fs::read_to_string(&version_file).ok();
        let has_index = dir.join("meta.json").exists();
        let mut message = None;
        if has_index && version.as_deref().map(str::trim) != Some(SCHEMA_VERSION) {
            message =
                Some("the search index was made by another version; building it again".to_string());
            reset(dir).map_err(io)?;
        }
        let (schema, _) = schema();
        let attempt = |dir: &Path| -> tantivy::Result<Index> {
            let mmap = tantivy::directory::MmapDirectory::open(dir)?;
            Index::builder()
                .schema(schema.clone())
                .settings(settings())
                .open_or_create(mmap)
        };
        let index = match attempt(dir) {
            Ok(index) if index.schema() == schema => index,
            broken => {
                let why = match broken {
                    Ok(_) => "its schema differs".to_string(),
                    Err(e) => e.to_string(),
                };
                message = Some(format!(
                    "the search index could not be read ({why}); building it again"
                ));
                reset(dir).map_err(io)?;
                attempt(dir)?
            }
        };
        if version.as_deref().map(str::trim) != Some(SCHEMA_VERSION) || message.is_some() {
            std::fs::write(&version_file, format!("{SCHEMA_VERSION}\n")).map_err(io)?;
        }
        Ok((SearchIndex::from_index(index)?, message))
    }

    /// An index held in memory (for the bundled seeds and tests).
    pub fn in_memory() -> SearchIndex {
        let (schema, _) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()
            .expect("an index in memory");
        SearchIndex::from_index(index).expect("a reader in memory")
    }

    fn from_index(index: Index) -> Result<SearchIndex, IndexError> {
        let tokenizers = index.tokenizers();
        tokenizers.register(BIGRAMS, Analyzer(Grams::Bigrams));
        tokenizers.register(CHARS, Analyzer(Grams::Chars));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let fields = fields_of(&index.schema());
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// Documents in the index (as of the last commit this handle has seen).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when the index holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sees what other processes have committed since.
    pub fn reload(&self) -> Result<(), IndexError> {
        Ok(self.reader.reload()?)
    }

    /// The indexed files, by path hash, and their (size, mtime): read from fast fields, so an
    /// unchanged library costs no document reads (100,000 files: a few milliseconds).
    fn stamps(&self) -> Result<rustc_hash::FxHashMap<u64, (u64, u64)>, IndexError> {
        let searcher = self.reader.searcher();
        let mut out = rustc_hash::FxHashMap::default();
        out.reserve(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (id, size, mtime) = (fast.u64("id")?, fast.u64("size")?, fast.u64("mtime")?);
            for doc in segment.doc_ids_alive() {
                if let Some(h) = id.first(doc) {
                    let stamp = (size.first(doc).unwrap_or(0), mtime.first(doc).unwrap_or(0));
                    out.insert(h, stamp);
                }
            }
        }
        Ok(out)
    }

    /// Brings the index up to date with `files` (exact paths, as the library walk found them):
    /// new and changed files are indexed, files not listed are removed. Needs no writer (and
    /// takes no lock) when nothing changed. Files are stat'ed, read and parsed on every core
    /// while the writer's threads index; what is done is committed every [`COMMIT_EVERY`] and
    /// at the end. Stops (committing what is done) soon after `cancel` is set.
    pub fn update(
        &self,
        files: &[PathBuf],
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> Result<Updated, IndexError> {
        // What the index holds is read while the files are stat'ed: both cores pay.
        let (known, stamps) = std::thread::scope(|s| {
            let known = s.spawn(|| self.stamps());
            let stamps = stat_all(files);
            (known.join().expect("reading the index's stamps"), stamps)
        });
        self.apply(files, stamps, known?, progress, cancel)
    }

    /// As [`SearchIndex::update`] with the files a walk of `paths` finds (returned, with the
    /// problems met walking, whatever the update's outcome): the walk, the stat of each file
    /// as it is found and the reading of what the index holds overlap, which is most of a
    /// search on an unchanged archive.
    pub fn update_paths(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> (
        Result<Updated, IndexError>,
        Vec<PathBuf>,
        Vec<crate::library::Problem>,
    ) {
        let (known, (files, stamps, problems)) = std::thread::scope(|s| {
            let known = s.spawn(|| self.stamps());
            let walked = walk_stat(paths);
            (known.join().expect("reading the index's stamps"), walked)
        });
        let updated = known.and_then(|known| self.apply(&files, stamps, known, progress, cancel));
        (updated, files, problems)
    }

    /// Indexes what `stamps` (of `files`, in order) says is new or changed since `known`, and
    /// removes what `known` holds beyond `files`.
    fn apply(
        &self,
        files: &[PathBuf],
        stamps: Vec<Option<(u64, u64)>>,
        mut known: rustc_hash::FxHashMap<u64, (u64, u64)>,
        progress: &mut dyn FnMut(Progress),
        cancel: &AtomicBool,
    ) -> Result<Updated, IndexError> {
        let mut todo = Vec::new();
        let mut replaced = Vec::new();
        let mut result = Updated::default();
        for (path, stamp) in files.iter().zip(stamps) {
            let hash = path_hash(path.as_os_str().as_bytes());
            match (known.remove(&hash), stamp) {
                (Some(old), Some(new)) if old == new => result.unchanged += 1,
                (Some(_), new) => {
                    result.changed += 1;
                    replaced.push(hash);
                    todo.push((path, new));
                }
                (None, new) => {
                    result.added += 1;
                    todo.push((path, new));
                }
            }
        }
        result.removed = known.len();
        progress(Progress::Started {
            to_index: todo.len(),
            total: files.len(),
        });
        if todo.is_empty() && known.is_empty() {
            return Ok(result);
        }
        let cores = cores();
        let mut writer: IndexWriter = self
            .index
            .writer_with_num_threads(cores.min(4), WRITER_MEMORY)?;
        // Deletes first: a delete applies to the documents added before it.
        for &gone in known.keys().chain(&replaced) {
            writer.delete_term(Term::from_field_u64(self.fields.id, gone));
        }
        let to_index = todo.len();
        let fields = self.fields;
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let mut outcome = Ok(());
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::sync_channel::<TantivyDocument>(256);
            for _ in 0..cores {
                let (tx, todo, next, stop) = (tx.clone(), &todo, &next, &stop);
                s.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let Some(&(path, stamp)) = todo.get(next.fetch_add(1, Ordering::Relaxed))
                        else {
                            break;
                        };
                        let doc = file_document(fields, path, stamp.unwrap_or((0, 0)));
                        if tx.send(doc).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut last_commit = Instant::now();
            for (done, doc) in rx.into_iter().enumerate() {
                let done = done + 1;
                let step = writer.add_document(doc).map(drop).and_then(|()| {
                    if last_commit.elapsed() >= COMMIT_EVERY && done < to_index {
                        writer.commit()?;
                        self.reader.reload()?;
                        last_commit = Instant::now();
                    }
                    Ok(())
                });
                if step.is_err() || cancel.load(Ordering::Relaxed) {
                    outcome = step;
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                if done % 500 == 0 && done < to_index {
                    progress(Progress::Indexed { done, to_index });
                }
            }
        });
        outcome?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        if !cancel.load(Ordering::Relaxed) {
            progress(Progress::Indexed {
                done: to_index,
                to_index,
            });
        }
        Ok(result)
    }

    /// Indexes articles whose bytes are at hand (the bundled seeds, generated reports): each
    /// replaces any document with the same path. Sizes and mtimes are recorded as 0.
    pub fn add_articles<'a>(
        &self,
        items: impl IntoIterator<Item = (&'a Article, &'a str)>,
    ) -> Result<usize, IndexError> {
        let mut writer: IndexWriter = self.index.writer_with_num_threads(1, 32 * 1024 * 1024)?;
        let mut n = 0;
        for (a, body_text) in items {
            let path = a.path().as_os_str().as_bytes();
            writer.delete_term(self.path_term(a.path()));
            writer.add_document(document(self.fields, path, 0, 0, a, body_text))?;
            n += 1;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(n)
    }

    /// The term naming the document of `path`: a 64-bit hash of its bytes (a path term of its
    /// own would cost more than the rest of the dictionary on a small library).
    fn path_term(&self, path: &Path) -> Term {
        Term::from_field_u64(self.fields.id, path_hash(path.as_os_str().as_bytes()))
    }

    /// The best hits for the text terms of `query`, at most `limit`, best first. Dates narrow
    /// the hits here (with a day's margin for zones); the caller checks every other condition
    /// with [`Query::matches_meta`] on the article. A query without text terms matches every
    /// document (all with the same score).
    pub fn search(&self, query: &Query, limit: usize) -> Result<Vec<Hit>, IndexError> {
        let q = self.compile(query);
        let searcher = self.reader.searcher();
        let top = searcher.search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(path) = doc.get_first(self.fields.path).and_then(|v| v.as_bytes()) {
                hits.push(Hit {
                    path: PathBuf::from(std::ffi::OsString::from_vec(path.to_vec())),
                    score,
                });
            }
        }
        Ok(hits)
    }

    fn compile(&self, query: &Query) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        let mut required = false;
        for term in query.text_terms() {
            let Some(q) = self.term_query(term) else {
                continue;
            };
            if term.negated {
                clauses.push((Occur::MustNot, q));
            } else {
                required = true;
                clauses.push((Occur::Must, q));
            }
        }
        // An author of CJK characters only is contained in the author exactly when its
        // characters are there at consecutive positions (or they are, split by punctuation:
        // a superset, which `matches_meta` narrows). Latin `author:` values match inside words
        // (`ray` in Murray), which terms cannot say, so they are left to `matches_meta`.
        for author in query.authors() {
            if !author.is_empty() && author.chars().all(crate::article::scan::is_cjk) {
                // One character is left to `matches_meta` (the author field has no
                // character terms).
                let lookup = analyzer::lookup(author);
                if let Some(q) = phrase_query(self.fields.author, self.fields.author, &lookup) {
                    clauses.push((Occur::Must, q));
                    required = true;
                }
            }
        }
        if let Some((first, last)) = query.day_bounds() {
            let bound =
                |d: Option<jiff::civil::Date>, margin: i64, inclusive: fn(Term) -> Bound<Term>| {
                    d.map_or(Bound::Unbounded, |d| {
                        inclusive(Term::from_field_i64(
                            self.fields.day,
                            day_number(d) + margin,
                        ))
                    })
                };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(first, -1, Bound::Included),
                    bound(last, 1, Bound::Included),
                )),
            ));
            required = true;
        }
        if !required {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        BooleanQuery::new(clauses)
    }

    /// A word or phrase in the title or the text, the title counting more.
    fn term_query(&self, term: &TextTerm) -> Option<Box<dyn tantivy::query::Query>> {
        let f = self.fields;
        let (title, text) = match analyzer::lookup(&term.text) {
            Lookup::Nothing => return None,
            Lookup::Char(c) => (char_query(f.title1, &c), char_query(f.text1, &c)),
            lookup @ Lookup::Phrase { .. } => (
                phrase_query(f.title, f.title1, &lookup)?,
                phrase_query(f.text, f.text1, &lookup)?,
            ),
        };
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(BoostQuery::new(title, TITLE_BOOST))),
            (Occur::Should, text),
        ])))
    }
}

/// One CJK character in a character field.
fn char_query(field: Field, c: &str) -> Box<dyn tantivy::query::Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, c),
        IndexRecordOption::WithFreqs,
    ))
}

/// Bigrams and words a [`Lookup::Phrase`] places in `field`, its other single characters in
/// `chars` (a character field).
fn phrase_query(
    field: Field,
    chars: Field,
    lookup: &Lookup,
) -> Option<Box<dyn tantivy::query::Query>> {
    let Lookup::Phrase {
        terms,
        prefix,
        chars: singles,
    } = lookup
    else {
        return None;
    };
    let at = |(p, t): &(usize, String)| (*p, Term::from_field_text(field, t));
    let placed: Option<Box<dyn tantivy::query::Query>> = match (terms.as_slice(), prefix) {
        ([], _) => None,
        ([(_, t)], None) => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, t),
            IndexRecordOption::WithFreqs,
        ))),
        (_, None) => Some(Box::new(PhraseQuery::new_with_offset(
            terms.iter().map(at).collect(),
        ))),
        (_, Some(last)) => {
            let mut q = PhrasePrefixQuery::new_with_offset(
                terms.iter().chain(std::iter::once(last)).map(at).collect(),
            );
            q.set_max_expansions(PREFIX_EXPANSIONS);
            Some(Box::new(q))
        }
    };
    let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
    clauses.extend(placed.map(|q| (Occur::Must, q)));
    for c in singles {
        clauses.push((Occur::Must, char_query(chars, c)));
    }
    match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

fn bare_document(f: Fields, path: &[u8], size: u64, mtime: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, path_hash(path));
    doc.add_bytes(f.path, path);
    doc.add_u64(f.size, size);
    doc.add_u64(f.mtime, mtime);
    doc
}

fn document(
    f: Fields,
    path: &[u8],
    size: u64,
    mtime: u64,
    a: &Article,
    body_text: &str,
) -> TantivyDocument {
    let mut doc = bare_document(f, path, size, mtime);
    // Normalised once here for both tokenizers, which take it as it is.
    let title = normalize(&a.title);
    let mut text = normalize(body_text);
    text.push('\n');
    text.push_str(&normalize(&meta_text(a)));
    doc.add_text(f.title1, &title);
    doc.add_text(f.title, title);
    doc.add_text(f.text1, &text);
    doc.add_text(f.text, text);
    if let Some(author) = &a.author {
        doc.add_text(f.author, normalize(author));
    }
    if let Some(day) = listed_day(a) {
        doc.add_i64(f.day, day);
    }
    doc
}

/// The document of the file at `path`: its text when it parses, else bare (so that it is not
/// read again until it changes).
fn file_document(f: Fields, path: &Path, (size, mtime): (u64, u64)) -> TantivyDocument {
    let bytes = path.as_os_str().as_bytes();
    match read_article(path) {
        Some((a, body)) => document(f, bytes, size, mtime, &a, &body),
        None => bare_document(f, bytes, size, mtime),
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// The (size, mtime) of each file, `None` for one that cannot be stat'ed; on several threads,
/// since a stat waits on the disk when the file's metadata is not cached.
fn stat_all(files: &[PathBuf]) -> Vec<Option<(u64, u64)>> {
    let threads = (cores() * 2).min(8);
    if files.len() < 4096 {
        return stat_in_folders(files);
    }
    std::thread::scope(|s| {
        let parts: Vec<_> = files
            .chunks(files.len().div_ceil(threads))
            .map(|c| s.spawn(move || stat_in_folders(c)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().expect("a stat thread"))
            .collect()
    })
}

/// Walks `paths` on this thread while other threads stat the files found, a chunk at a time:
/// the files, their stamps in the same order, and the problems met walking.
#[allow(clippy::type_complexity)]
fn walk_stat(
    paths: &[PathBuf],
) -> (
    Vec<PathBuf>,
    Vec<Option<(u64, u64)>>,
    Vec<crate::library::Problem>,
) {
    type Stamped = Vec<(usize, Vec<PathBuf>, Vec<Option<(u64, u64)>>)>;
    let (parts, _, problems) = crate::library::walk_chunked(
        paths,
        1024,
        (cores() * 2).min(8),
        |done: &mut Stamped, k, files| {
            let stamps = stat_in_folders(&files);
            done.push((k, files, stamps));
        },
    );
    let mut parts: Stamped = parts.into_iter().flatten().collect();
    parts.sort_unstable_by_key(|(k, ..)| *k);
    let count = parts.iter().map(|(_, c, _)| c.len()).sum();
    let (mut files, mut stamps) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for (_, mut chunk, mut st) in parts {
        files.append(&mut chunk);
        stamps.append(&mut st);
    }
    (files, stamps, problems)
}

/// The stamps of `files`, in order, each stat'ed relative to its folder as the metadata cache
/// does ([`crate::cache::Stat::of_each`]): `None` for one that is gone or not a regular file.
fn stat_in_folders(files: &[PathBuf]) -> Vec<Option<(u64, u64)>> {
    crate::cache::Stat::of_each(files)
        .into_iter()
        .map(|s| s.map(stamp))
        .collect()
}

fn fields_of(schema: &Schema) -> Fields {
    let get = |name| schema.get_field(name).expect("a field of our schema");
    Fields {
        id: get("id"),
        path: get("path"),
        size: get("size"),
        mtime: get("mtime"),
        title: get("title"),
        title1: get("title1"),
        text: get("text"),
        text1: get("text1"),
        author: get("author"),
        day: get("day"),
    }
}

/// FNV-1a, 64 bits: stable across builds and machines, as an index on disk needs.
fn path_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Empties the index folder (our files only live there).
fn reset(dir: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(dir)?;
    std::fs::create_dir_all(dir)
}

/// The index's stamp of a file: its size and mtime in nanoseconds (0 before the epoch).
fn stamp(s: crate::cache::Stat) -> (u64, u64) {
    (s.size, u64::try_from(s.mtime.max(0)).unwrap_or(u64::MAX))
}

/// Reads and parses one file: the article and its body's visible text.
fn read_article(path: &Path) -> Option<(Article, String)> {
    let bytes = article::read_capped(path, article::max_size()).ok()?;
    let a = article::parse(Origin::File(path.to_path_buf()), &bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let body = body_text(&text, &a);
    Some((a, body))
}

/// The visible text of the article's body, `source` being its file's text.
pub fn body_text(source: &str, a: &Article) -> String {
    let range = a.body_range.clone();
    let body = source.get(range).unwrap_or_default();
    crate::article::scan::strip_tags(body)
}

/// The author, every name of the outlet, the tags and categories, one per line.
fn meta_text(a: &Article) -> String {
    let mut out = String::new();
    let mut push = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    if let Some(author) = &a.author {
        push(author);
    }
    if let Some(outlet) = &a.outlet {
        push(outlet);
        if let Some(rules) = crate::article::outlet::rules(outlet) {
            for name in rules.names() {
                push(name);
            }
        }
    }
    for t in a.meta.tags.iter().chain(&a.categories) {
        push(t);
    }
    out
}

/// The day the article is listed under (UTC, or as printed), as days since 1970-01-01.
fn listed_day(a: &Article) -> Option<i64> {
    let t = a.list_time()?;
    let d = t
        .day
        .unwrap_or_else(|| t.utc.to_zoned(jiff::tz::TimeZone::UTC).date());
    Some(day_number(d))
}

fn day_number(d: jiff::civil::Date) -> i64 {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second().div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse;

    fn q(text: &str) -> Query {
        parse(text, jiff::civil::date(2026, 12, 1)).unwrap()
    }

    const REPORTS: [(&str, &str); 4] = [
        (
            "gcw.txt",
            "---\ntitle: 美国气候特使克里访华\nsource: 观察者网\ndate: 2020-07-09 10:00:00\n---\n\n<p>美国气候特使克里说，气候问题紧迫。</p><p>拉布议员发言。</p>",
        ),
        (
            "dw.txt",
            "<!--1594296000000-->\n[德國外長訪問北京](https://www.dw.com/zh/a-1)\n----\n\n<p>德國外長說，美國的立場不變。Kerry was not there.</p>",
        ),
        (
            "en.html",
            "<html><head><title>Climate envoy meets ministers</title></head><body><p>The climate envoy met ministers in Paris on Tuesday.</p></body></html>",
        ),
        (
            "other.html",
            "<html><head><title>Envoy climate talk</title></head><body><p>Talk of envoy and climate, in that order.</p><p>国家气象局发布预报。</p></body></html>",
        ),
    ];

    /// An in-memory index of the reports `(name, text)`.
    fn index_of<T: AsRef<str>>(docs: &[(&str, T)]) -> SearchIndex {
        let index = SearchIndex::in_memory();
        let parsed: Vec<(Article, String)> = docs
            .iter()
            .map(|(name, text)| {
                let text = text.as_ref();
                let a = article::parse(
                    Origin::Memory {
                        name: (*name).into(),
                        bytes: std::sync::Arc::from(text.as_bytes()),
                    },
                    text.as_bytes(),
                )
                .unwrap();
                let body = body_text(text, &a);
                (a, body)
            })
            .collect();
        index
            .add_articles(parsed.iter().map(|(a, b)| (a, b.as_str())))
            .unwrap();
        index
    }

    fn seeded() -> SearchIndex {
        index_of(&REPORTS)
    }

    fn names(index: &SearchIndex, query: &str) -> Vec<String> {
        let mut got: Vec<String> = index
            .search(&q(query), 10)
            .unwrap()
            .into_iter()
            .map(|h| h.path.display().to_string())
            .collect();
        got.sort();
        got
    }

    #[test]
    fn the_walk_and_its_stat_keep_every_file_with_its_own_stamp() {
        // More files than a chunk, in nested folders, each of its own size: every stamp must
        // stay beside its file whatever thread stat'ed it.
        let tmp = tempfile::tempdir().unwrap();
        let mut want = Vec::new();
        for (folder, n) in [("a", 1500), ("a/b", 700), ("c", 900)] {
            let dir = tmp.path().join(folder);
            std::fs::create_dir_all(&dir).unwrap();
            for i in 0..n {
                let path = dir.join(format!("{i:05}.txt"));
                std::fs::write(&path, "x".repeat(i % 97 + folder.len())).unwrap();
                want.push(path);
            }
        }
        std::fs::write(tmp.path().join(".hidden"), "skipped").unwrap();
        let roots = [tmp.path().to_path_buf()];
        let (files, stamps, problems) = walk_stat(&roots);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            files,
            crate::library::discover(&roots).0,
            "the walk's order"
        );
        assert_eq!(files.len(), want.len());
        for (f, st) in files.iter().zip(&stamps) {
            let meta = std::fs::metadata(f).unwrap();
            assert_eq!(
                *st,
                Some(stamp(crate::cache::Stat::from_metadata(&meta))),
                "{}",
                f.display()
            );
        }
        assert_eq!(stamps, stat_all(&files));
    }

    #[test]
    fn scripts_fold_both_ways() {
        let index = seeded();
        assert_eq!(index.len(), 4);
        assert_eq!(names(&index, "美國"), ["dw.txt", "gcw.txt"]);
        assert_eq!(names(&index, "美国"), ["dw.txt", "gcw.txt"]);
        assert_eq!(names(&index, "德国外长"), ["dw.txt"]);
        assert_eq!(names(&index, "氣候特使"), ["gcw.txt"]);
    }

    #[test]
    fn cjk_words_are_substrings() {
        let index = seeded();
        // 国气 spans two words of 美国气候 (gcw), never 国家气象 (other), where 家 sits between.
        assert_eq!(names(&index, "国气"), ["gcw.txt"], "美国气候 holds 国气");
        assert_eq!(names(&index, "拉布"), ["gcw.txt"]);
        assert_eq!(names(&index, "布议"), ["gcw.txt"]);
        assert_eq!(names(&index, "气象局"), ["other.html"]);
        // One character: a term of its own.
        assert_eq!(names(&index, "象"), ["other.html"]);
        assert_eq!(names(&index, "京"), ["dw.txt"]);
        assert!(names(&index, "克里斯").is_empty());
    }

    #[test]
    fn bigrams_keep_runs_apart_and_single_characters_are_found() {
        let doc = |t: &str| format!("---\ntitle: T\n---\n\n{t}");
        let index = index_of(&[
            ("a.txt", doc("<p>美国，国气。A股市场走强。</p>")),
            ("b.txt", doc("<p>美国气候。他买了A股。</p>")),
            ("c.txt", doc("<p>在京说股A</p>")),
        ]);
        // 美国 and 国气 of a.txt stand in two runs: 美国气 is only in b.txt.
        assert_eq!(names(&index, "美国气"), ["b.txt"]);
        assert_eq!(names(&index, "国气"), ["a.txt", "b.txt"]);
        assert_eq!(names(&index, "美國"), ["a.txt", "b.txt"]);
        // A phrase of two runs ignores the punctuation between them, as words do (and 美国气候
        // does not hold 美国 then 国气).
        assert_eq!(names(&index, "\"美国 国气\""), ["a.txt"]);
        // One character: its own field, wherever it stands in a run.
        assert_eq!(names(&index, "候"), ["b.txt"]);
        assert_eq!(names(&index, "京"), ["c.txt"]);
        assert_eq!(names(&index, "股"), ["a.txt", "b.txt", "c.txt"]);
        // A word ending in one CJK character: a prefix (A股市 and A股。 both hold A股).
        assert_eq!(names(&index, "A股"), ["a.txt", "b.txt"]);
        // One starting with it: the character required, the rest placed (a superset: 股 and A
        // apart count too).
        assert_eq!(names(&index, "股A"), ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(names(&index, "候A"), ["b.txt"]);
        assert!(names(&index, "市场强").is_empty());
        assert_eq!(names(&index, "走强"), ["a.txt"]);
    }

    #[test]
    fn words_phrases_negation_and_fields() {
        let index = seeded();
        assert_eq!(
            names(&index, "KERRY"),
            ["dw.txt"],
            "the body; gcw has 克里 only"
        );
        assert_eq!(names(&index, "climate envoy"), ["en.html", "other.html"]);
        assert_eq!(names(&index, "\"climate envoy\""), ["en.html"]);
        assert_eq!(names(&index, "climate -paris"), ["other.html"]);
        assert_eq!(names(&index, "-climate"), ["dw.txt", "gcw.txt"]);
        // Outlet names and aliases are text too.
        assert_eq!(names(&index, "\"deutsche welle\""), ["dw.txt"]);
        assert_eq!(names(&index, "觀察者網"), ["gcw.txt"]);
        // A title match ranks above a body match.
        let hits = index.search(&q("envoy"), 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| h.score > 0.0));
    }

    #[test]
    fn cjk_authors_narrow_the_hits() {
        let text = |author: &str, body: &str| {
            format!("---\ntitle: T\nauthor: {author}\n---\n\n<p>{body}</p>")
        };
        let index = index_of(&[
            ("a.txt", text("张三丰", "气候")),
            ("b.txt", text("李四", "气候")),
            ("c.txt", text("Bill Murray", "气候")),
        ]);
        assert_eq!(names(&index, "气候 author:三丰"), ["a.txt"]);
        assert_eq!(names(&index, "气候 author:張三"), ["a.txt"]);
        assert!(names(&index, "气候 author:三李").is_empty());
        // Latin values are left to `matches_meta` (`ray` is inside Murray).
        assert_eq!(names(&index, "气候 author:ray").len(), 3);
        assert_eq!(names(&index, "气候 -author:张三").len(), 3);
    }

    #[test]
    fn dates_narrow_the_hits() {
        let index = seeded();
        assert_eq!(names(&index, "美国 on:2020-07-09"), ["dw.txt", "gcw.txt"]);
        assert!(names(&index, "美国 after:2020-07-12").is_empty());
        assert!(names(&index, "美国 before:2020-07-07").is_empty());
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn updates_follow_size_and_mtime() {
        let tmp = tempfile::tempdir().unwrap();
        let files = tmp.path().join("files");
        std::fs::create_dir(&files).unwrap();
        let mut paths: Vec<PathBuf> = REPORTS.iter().map(|(n, t)| write(&files, n, t)).collect();
        let dir = tmp.path().join("index");
        let cancel = AtomicBool::new(false);
        let (index, message) = SearchIndex::open(&dir).unwrap();
        assert_eq!(message, None);
        let mut events = Vec::new();
        let done = index
            .update(&paths, &mut |p| events.push(p), &cancel)
            .unwrap();
        assert_eq!(
            done,
            Updated {
                added: 4,
                ..Updated::default()
            }
        );
        assert_eq!(
            events.first(),
            Some(&Progress::Started {
                to_index: 4,
                total: 4
            })
        );
        assert_eq!(
            events.last(),
            Some(&Progress::Indexed {
                done: 4,
                to_index: 4
            })
        );
        assert_eq!(
            names(&index, "拉布")[0],
            files.join("gcw.txt").display().to_string()
        );

        // Unchanged: nothing read, no writer taken.
        let (again, _) = SearchIndex::open(&dir).unwrap();
        let done = again.update(&paths, &mut |_| {}, &cancel).unwrap();
        assert_eq!(
            done,
            Updated {
                unchanged: 4,
                ..Updated::default()
            }
        );

        // A changed file is indexed again, a removed one leaves, a new one comes.
        write(&files, "gcw.txt", &REPORTS[0].1.replace("拉布", "马尔代夫"));
        std::fs::remove_file(&paths[3]).unwrap();
        paths.remove(3);
        paths.push(write(
            &files,
            "new.html",
            "<title>Fresh</title><p>拉布 again.</p>",
        ));
        let done = again.update(&paths, &mut |_| {}, &cancel).unwrap();
        assert_eq!(
            done,
            Updated {
                added: 1,
                changed: 1,
                removed: 1,
                unchanged: 2
            }
        );
        assert_eq!(again.len(), 4);
        let hit = |q: &str| names(&again, q);
        assert_eq!(hit("拉布"), [files.join("new.html").display().to_string()]);
        assert_eq!(
            hit("马尔代夫"),
            [files.join("gcw.txt").display().to_string()]
        );
        assert!(hit("气象局").is_empty());
    }

    #[test]
    fn stale_and_corrupt_indexes_are_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = vec![write(tmp.path(), "en.html", REPORTS[2].1)];
        let dir = tmp.path().join("index");
        let cancel = AtomicBool::new(false);
        {
            let (index, _) = SearchIndex::open(&dir).unwrap();
            index.update(&paths, &mut |_| {}, &cancel).unwrap();
        }
        std::fs::write(dir.join(VERSION_FILE), "reader-index 0\n").unwrap();
        let (index, message) = SearchIndex::open(&dir).unwrap();
        assert!(message.unwrap().contains("another version"));
        assert!(index.is_empty());
        index.update(&paths, &mut |_| {}, &cancel).unwrap();
        drop(index);
        std::fs::write(dir.join("meta.json"), "{ not json").unwrap();
        let (index, message) = SearchIndex::open(&dir).unwrap();
        assert!(message.unwrap().contains("could not be read"), "rebuilt");
        assert!(index.is_empty());
        let done = index.update(&paths, &mut |_| {}, &cancel).unwrap();
        assert_eq!(done.added, 1);
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn a_held_writer_lock_leaves_searching_possible() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = vec![write(tmp.path(), "en.html", REPORTS[2].1)];
        let dir = tmp.path().join("index");
        let cancel = AtomicBool::new(false);
        let (first, _) = SearchIndex::open(&dir).unwrap();
        first.update(&paths, &mut |_| {}, &cancel).unwrap();
        let held: IndexWriter = first.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let (second, message) = SearchIndex::open(&dir).unwrap();
        assert_eq!(message, None);
        // Nothing to do needs no lock; something to do reports the lock.
        assert!(second.update(&paths, &mut |_| {}, &cancel).is_ok());
        let more = vec![paths[0].clone(), write(tmp.path(), "b.html", "<p>b</p>")];
        assert!(matches!(
            second.update(&more, &mut |_| {}, &cancel),
            Err(IndexError::Locked)
        ));
        assert_eq!(second.search(&q("envoy"), 5).unwrap().len(), 1);
        drop(held);
        assert_eq!(second.update(&more, &mut |_| {}, &cancel).unwrap().added, 1);
    }
}
