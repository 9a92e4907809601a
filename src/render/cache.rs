//! Rendered articles kept per (article, width, options), so the reader re-renders cheaply on
//! resize and when going back to an article.
//!
//! Two levels: the prepared body (width-independent, the expensive HTML parse) per article, and
//! the laid-out lines per width and options. Both are small least-recently-used lists.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Prepared, RenderOptions, Rendered, layout_article, prepare};
use crate::article::{Article, Body};

/// Identifies an article's body: its path, byte range, and a fingerprint of the HTML (so an
/// article re-read after the file changed is not served stale lines).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    path: PathBuf,
    body_range: Range<usize>,
    html_len: usize,
    fingerprint: u64,
    title: String,
}

impl CacheKey {
    /// The key of `article` with `body`.
    pub fn new(article: &Article, body: &Body) -> CacheKey {
        let html = body.html.as_bytes();
        let mut h = DefaultHasher::new();
        // The ends and a sparse sample: cheap even for a 20 MB body.
        html[..html.len().min(4096)].hash(&mut h);
        html[html.len().saturating_sub(4096)..].hash(&mut h);
        for i in (0..html.len()).step_by(4093) {
            html[i].hash(&mut h);
        }
        CacheKey {
            path: article.path().to_path_buf(),
            body_range: article.body_range.clone(),
            html_len: html.len(),
            fingerprint: h.finish(),
            title: article.title.clone(),
        }
    }
}

/// A small LRU cache of prepared and rendered articles.
#[derive(Debug)]
pub struct Cache {
    capacity: usize,
    prepared: Vec<(CacheKey, Arc<Prepared>)>,
    rendered: Vec<((CacheKey, u16, RenderOptions), Arc<Rendered>)>,
}

impl Default for Cache {
    fn default() -> Cache {
        Cache::new(8)
    }
}

impl Cache {
    /// A cache holding up to `articles` prepared bodies and four widths' worth of lines for each.
    pub fn new(articles: usize) -> Cache {
        Cache {
            capacity: articles.max(1),
            prepared: Vec::new(),
            rendered: Vec::new(),
        }
    }

    /// The article rendered at `width` (see [`super::render_article`]), from the cache when it
    /// is there.
    pub fn render(
        &mut self,
        article: &Article,
        body: &Body,
        width: u16,
        options: &RenderOptions,
    ) -> Arc<Rendered> {
        let key = CacheKey::new(article, body);
        let full = (key, width, options.clone());
        if let Some(i) = self.rendered.iter().position(|(k, _)| *k == full) {
            let entry = self.rendered.remove(i);
            let r = entry.1.clone();
            self.rendered.insert(0, entry);
            return r;
        }
        let doc = self.prepared_for(&full.0, body);
        let r = Arc::new(layout_article(article, &doc, width, options));
        self.rendered.insert(0, (full, r.clone()));
        self.rendered.truncate(self.capacity * 4);
        r
    }

    /// The prepared body of `article` (width-independent), from the cache when it is there.
    pub fn prepared(&mut self, article: &Article, body: &Body) -> Arc<Prepared> {
        let key = CacheKey::new(article, body);
        self.prepared_for(&key, body)
    }

    fn prepared_for(&mut self, key: &CacheKey, body: &Body) -> Arc<Prepared> {
        if let Some(i) = self.prepared.iter().position(|(k, _)| k == key) {
            let entry = self.prepared.remove(i);
            let p = entry.1.clone();
            self.prepared.insert(0, entry);
            return p;
        }
        let p = Arc::new(prepare(&body.html));
        self.prepared.insert(0, (key.clone(), p.clone()));
        self.prepared.truncate(self.capacity);
        p
    }

    /// Number of laid-out entries held.
    pub fn len(&self) -> usize {
        self.rendered.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.rendered.is_empty() && self.prepared.is_empty()
    }

    /// Forgets everything (e.g. after the library is reloaded).
    pub fn clear(&mut self) {
        self.prepared.clear();
        self.rendered.clear();
    }
}
