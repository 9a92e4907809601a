//! The cleaning stage: page furniture out, the story in. UI-free, between parsing and layout.
//!
//! Three kinds of rule, applied in two places:
//! - on the parsed tree, before [`super::prepare`] walks it ([`clean_tree`]): generic rules
//!   (elements hidden from readers, share/subscribe/ad/related blocks by their usual class and id
//!   words, icons) and the outlet's `strip` selectors and `strip_id_or_class` words;
//! - on the prepared blocks ([`clean_blocks`]): the outlet's `strip_text` patterns and the
//!   furniture learned from the library (a short line that recurs nearly verbatim across many
//!   reports of one outlet, see [`FurnitureCounts`]), then doubled captions, then links:
//!   resolved against the article's URL and renumbered so that furniture links go with their
//!   furniture.
//!
//! A furniture heading takes its section with it (a gallery or a related-articles list under
//! `<h3>相关图集：…</h3>`). A block-level rule never removes an element holding most of the
//! body's text, so a wrapper whose class happens to contain `share` cannot take the story.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use ego_tree::NodeId;
use regex::Regex;
use scraper::{Html, Node, Selector};
use serde::Deserialize;

use super::prepare::{BlockKind, Prepared};
use super::wrap::{Piece, mark};

/// Per-outlet furniture rules, in the spirit of the Full-Text RSS site configs.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct OutletRules {
    /// CSS selectors of elements to remove.
    pub strip: Vec<String>,
    /// Elements whose `id` or `class` contains one of these strings are removed.
    pub strip_id_or_class: Vec<String>,
    /// Regular expressions; a line of text (a paragraph, or one `<br>` line of it) that matches
    /// is removed.
    pub strip_text: Vec<String>,
}

/// [`OutletRules`] ready to apply.
#[derive(Debug, Default)]
pub struct Rules {
    selectors: Vec<Selector>,
    id_or_class: Vec<String>,
    text: Vec<Regex>,
}

impl Rules {
    /// Compiles `rules`; the error names the rule that does not parse.
    pub fn compile(rules: &OutletRules) -> Result<Rules, String> {
        let selectors = rules
            .strip
            .iter()
            .map(|s| Selector::parse(s).map_err(|e| format!("strip selector {s:?}: {e}")))
            .collect::<Result<_, _>>()?;
        let text = rules
            .strip_text
            .iter()
            .map(|s| Regex::new(s).map_err(|e| format!("strip_text pattern {s:?}: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(Rules {
            selectors,
            id_or_class: rules
                .strip_id_or_class
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect(),
            text,
        })
    }

    /// True when the line `text` is furniture by a `strip_text` pattern.
    pub fn strips_text(&self, text: &str) -> bool {
        self.text.iter().any(|r| r.is_match(text))
    }
}

/// The rules of `outlet`, compiled; the error names the rule that does not parse.
pub fn rules_of(outlet: &crate::article::outlet::Outlet) -> Result<Rules, String> {
    Rules::compile(&OutletRules {
        strip: outlet.strip.clone(),
        strip_id_or_class: outlet.strip_id_or_class.clone(),
        strip_text: outlet.strip_text.clone(),
    })
}

/// Every outlet's rules from the outlet table (`assets/outlets.toml` and the user's file, see
/// [`crate::article::outlet`]), compiled once, keyed by display name. An outlet whose patterns
/// do not compile has no rules (the outlet table reports bad patterns when it loads); the
/// others keep theirs.
pub fn builtin_rules() -> &'static HashMap<String, Rules> {
    static RULES: OnceLock<HashMap<String, Rules>> = OnceLock::new();
    RULES.get_or_init(|| {
        crate::article::outlet::all()
            .iter()
            .filter(|o| {
                !(o.strip.is_empty() && o.strip_id_or_class.is_empty() && o.strip_text.is_empty())
            })
            .filter_map(|o| rules_of(o).ok().map(|r| (o.name.to_string(), r)))
            .collect()
    })
}

/// The built-in rules of the outlet named `outlet` (display name).
pub fn outlet_rules(outlet: &str) -> Option<&'static Rules> {
    builtin_rules().get(outlet)
}

/// The generic text rules of `assets/furniture.toml`: furniture lines of every outlet in every
/// language (share labels: `Auf Facebook teilen`, `Partager sur X`, `Compartir en WhatsApp`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenericFile {
    generic: GenericText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenericText {
    networks: Vec<String>,
    share: Vec<String>,
}

/// Lines longer than this are never generic furniture: story text says more around the words.
const GENERIC_MAX_CHARS: usize = 160;

/// A line made only of share labels, whatever the outlet (see `assets/furniture.toml`).
fn generic_share() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let file: GenericFile = toml::from_str(include_str!("../../assets/furniture.toml"))
            .expect("assets/furniture.toml parses");
        let net = format!("(?:{})", file.generic.networks.join("|"));
        let item = file
            .generic
            .share
            .iter()
            .map(|s| format!("(?:{})", s.replace("{net}", &net)))
            .collect::<Vec<_>>()
            .join("|");
        let sep = r"\s*[|·•/,:;–—\-：、，｜]?\s*";
        // A label first; then labels or more networks (`Teilen auf Facebook Twitter`).
        Regex::new(&format!(
            r"(?i)^\s*(?:{item})(?:{sep}(?:{item}|{net}))*\s*[:：.]?\s*$"
        ))
        .expect("the share labels of assets/furniture.toml compile")
    })
}

/// True when `line` (trimmed) is furniture by the generic text rules.
pub fn generic_furniture(line: &str) -> bool {
    line.len() <= 4 * GENERIC_MAX_CHARS
        && line.chars().count() <= GENERIC_MAX_CHARS
        && generic_share().is_match(line)
}

/// What the cleaning stage knows about one article.
#[derive(Clone, Debug, Default)]
pub struct Cleaner {
    /// False for `reader show --no-clean`: nothing is removed (links are still resolved).
    pub enabled: bool,
    /// The outlet's rules.
    pub rules: Option<&'static Rules>,
    /// Furniture learned from the library for the article's outlet (line keys, see [`line_key`]).
    pub learned: Option<Arc<HashSet<u64>>>,
    /// The article's URL, to resolve relative links against.
    pub base: Option<String>,
    /// The dateline/byline block that the header line shows (a byte range of the body HTML,
    /// see [`crate::article::Meta::dateline_block`]): its lines are left out of the text.
    pub dateline: Option<std::ops::Range<usize>>,
}

impl Cleaner {
    /// Generic rules only: no outlet, nothing learned, no base URL.
    pub fn generic() -> Cleaner {
        Cleaner {
            enabled: true,
            ..Cleaner::default()
        }
    }

    /// Everything off (but links are still resolved against `base`).
    pub fn off() -> Cleaner {
        Cleaner::default()
    }

    /// The cleaner for `article`: its outlet's built-in rules, its URL, and `learned`.
    pub fn for_article(
        article: &crate::article::Article,
        learned: Option<Arc<HashSet<u64>>>,
    ) -> Cleaner {
        Cleaner {
            enabled: true,
            rules: article.outlet.as_deref().and_then(outlet_rules),
            learned,
            base: article.url.clone(),
            dateline: article.meta.dateline_block.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tree rules.

/// Class names (or their last `-`/`_` part) of elements hidden from sighted readers.
const HIDDEN_CLASSES: &[&str] = &[
    "off-screen",
    "offscreen",
    "visually-hidden",
    "visuallyhidden",
    "sr-only",
    "sr-text",
    "screen-reader-only",
    "screen-reader-text",
    "screenreader-only",
    "element-invisible",
    "a11y-hidden",
    "hidden",
    "is-hidden",
    "hide",
    "invisible",
];

/// Words of a class or id that mark page furniture (matched as whole words: `m-block-ad`,
/// `shareTools`, `related_links`; never inside a word, so `shadow` or `header` do not match).
const FURNITURE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adsense",
    "sponsor",
    "sponsored",
    "promo",
    "share",
    "sharing",
    "sharetools",
    "social",
    "subscribe",
    "subscription",
    "newsletter",
    "signup",
    "related",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "comments",
    "disqus",
    "breadcrumb",
    "breadcrumbs",
    "toolbar",
    "paywall",
    "popup",
    "cookie",
    "copyright",
    "icon",
    "icons",
    "interstitial",
];

/// Splits a class or id into lower-case words at non-alphanumerics and camelCase humps.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut out = Vec::new();
            let mut cur = String::new();
            let mut prev_lower = false;
            for c in w.chars() {
                if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                cur.push(c.to_ascii_lowercase());
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            out
        })
}

fn is_hidden_class(class: &str) -> bool {
    let c = class.to_ascii_lowercase();
    HIDDEN_CLASSES.iter().any(|h| {
        c == *h
            || c.strip_suffix(h)
                .is_some_and(|rest| rest.ends_with('-') || rest.ends_with('_'))
    })
}

/// Why an element is furniture by the generic rules, if it is.
fn generic_reason(node: ego_tree::NodeRef<'_, Node>, e: &scraper::node::Element) -> bool {
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || e.attr("hidden").is_some()
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    let class = e.attr("class").unwrap_or("");
    if class.split_whitespace().any(is_hidden_class) {
        return true;
    }
    let id = e.attr("id").unwrap_or("");
    // `copyright` and `icon` mark the credit beside a picture, not the picture itself
    // (`image-and-copyright-container`): those words never take an image with them.
    let has_image = || {
        node.descendants()
            .any(|d| d.value().as_element().is_some_and(|e| e.name() == "img"))
    };
    let furniture = |s: &str| {
        words(s).any(|w| {
            FURNITURE_WORDS.contains(&w.as_str())
                && !(matches!(w.as_str(), "copyright" | "icon" | "icons") && has_image())
        })
    };
    // The body element itself is never furniture by its class.
    !matches!(e.name(), "body" | "html") && (furniture(class) || furniture(id))
}

fn outlet_reason(e: &scraper::node::Element, rules: &Rules) -> bool {
    let (class, id) = (e.attr("class").unwrap_or(""), e.attr("id").unwrap_or(""));
    rules
        .id_or_class
        .iter()
        .any(|w| class.contains(w.as_str()) || id.contains(w.as_str()))
}

/// Visible characters (not white space) under a node.
fn text_len(node: ego_tree::NodeRef<'_, Node>) -> usize {
    node.descendants()
        .filter_map(|d| match d.value() {
            Node::Text(t) => Some(t.chars().filter(|c| !c.is_whitespace()).count()),
            _ => None,
        })
        .sum()
}

/// The name prepare gives `<noscript>` so that its content is parsed as markup.
pub(crate) const NOSCRIPT: &str = "reader-noscript";

/// Rewrites `<noscript>` tags so the parser reads their content as markup (it reads it as raw
/// text otherwise); [`clean_tree`] then keeps or drops each.
pub(crate) fn expose_noscript(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("noscript") && !html.contains("NOSCRIPT") {
        return html.into();
    }
    let re = {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"(?i)<(/?)noscript\b").expect("valid pattern"))
    };
    re.replace_all(html, format!("<${{1}}{NOSCRIPT}").as_str())
}

/// Removes furniture from the parsed tree. With cleaning off, only `<noscript>` content that
/// duplicates a scripted image is dropped (as a browser with scripts would).
pub(crate) fn clean_tree(doc: &mut Html, cleaner: &Cleaner) {
    // Counted only when some element is furniture: most pages have none by these rules.
    let mut total: Option<usize> = None;
    let mut drop: Vec<NodeId> = Vec::new();
    let mut skip_below: Option<NodeId> = None;
    for node in doc.tree.root().descendants() {
        if let Some(top) = skip_below {
            if node.ancestors().any(|a| a.id() == top) {
                continue;
            }
            skip_below = None;
        }
        let Some(e) = node.value().as_element() else {
            continue;
        };
        let furniture = if e.name() == NOSCRIPT {
            // Used where the scripted content is dropped: kept unless an image stands right
            // before it (the lazy-loading pattern, `<img data-src><noscript><img src>`).
            let prev = node.prev_siblings().find(|s| s.value().is_element());
            prev.is_some_and(|p| {
                p.value().as_element().is_some_and(|e| e.name() == "img")
                    || p.descendants()
                        .any(|d| d.value().as_element().is_some_and(|e| e.name() == "img"))
            })
        } else if cleaner.enabled {
            generic_reason(node, e) || cleaner.rules.is_some_and(|r| outlet_reason(e, r))
        } else {
            false
        };
        if furniture
            && text_len(node) * 2 <= *total.get_or_insert_with(|| text_len(doc.tree.root()).max(1))
        {
            drop.push(node.id());
            skip_below = Some(node.id());
        }
    }
    if cleaner.enabled {
        if let Some(rules) = cleaner.rules {
            for sel in &rules.selectors {
                let ids: Vec<NodeId> = doc.select(sel).map(|e| e.id()).collect();
                drop.extend(ids);
            }
        }
    }
    for id in drop {
        if let Some(mut n) = doc.tree.get_mut(id) {
            n.detach();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Learned furniture.

/// Lines looked at from each end of a body.
pub const EDGE_LINES: usize = 8;
/// Longer lines are never learned as furniture: furniture is short, a recurring long paragraph
/// is background text the story chose to repeat.
pub const MAX_KEY_LETTERS: usize = 64;
/// A line is an outlet's furniture when seen in at least this many of its reports…
pub const MIN_REPORTS: u32 = 3;
/// …and in at least this per mille of them.
pub const MIN_PER_MILLE: u32 = 30;

/// Incremental FNV-1a over the letters of a line: digits, punctuation, white space and HTML
/// entities are skipped and Latin is case-folded, so `© 2020 AFP` and `© 2021 AFP` agree.
#[derive(Clone, Copy)]
struct KeyState {
    hash: u64,
    letters: usize,
    in_entity: u8,
}

impl KeyState {
    const fn new() -> KeyState {
        KeyState {
            hash: 0xcbf2_9ce4_8422_2325,
            letters: 0,
            in_entity: 0,
        }
    }

    fn feed(&mut self, s: &str, entities: bool) {
        for c in s.chars() {
            // A line this long is never learned: the rest of it cannot change that.
            if self.letters > MAX_KEY_LETTERS {
                return;
            }
            if entities {
                if c == '&' {
                    self.in_entity = 1;
                    continue;
                }
                if self.in_entity > 0 {
                    if c == ';' || !c.is_ascii_alphanumeric() && c != '#' || self.in_entity > 10 {
                        self.in_entity = 0;
                    } else {
                        self.in_entity += 1;
                    }
                    if c == ';' || c.is_ascii_alphanumeric() || c == '#' {
                        continue;
                    }
                }
            }
            // Most letters are ASCII or CJK ideographs, which have no case: skip the tables.
            let c = if c.is_ascii() {
                if !c.is_ascii_alphabetic() {
                    continue;
                }
                c.to_ascii_lowercase()
            } else if matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}') {
                c
            } else if c.is_alphabetic() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                continue;
            };
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                self.hash ^= b as u64;
                self.hash = self.hash.wrapping_mul(0x0100_0000_01b3);
            }
            self.letters += 1;
        }
    }

    fn finish(self) -> Option<u64> {
        (self.letters > 0 && self.letters <= MAX_KEY_LETTERS).then_some(self.hash)
    }
}

/// The key of one line of visible text, or `None` when it has no letters or is too long to be
/// learned.
pub fn line_key(text: &str) -> Option<u64> {
    let mut k = KeyState::new();
    k.feed(text, false);
    k.finish()
}

/// Calls `line` with the key state (and, when `texts`, the raw text) of each line of `html`,
/// a cheap tag-skipping scan with no DOM. Script and style content is skipped.
fn scan_lines(html: &str, texts: bool, mut line: impl FnMut(KeyState, &str)) {
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut key = KeyState::new();
    let mut text = String::new();
    let mut start = 0;
    let mut emit = |key: &mut KeyState, text: &mut String| {
        // With texts, lines of digits too (a dateline `05/07/2020 - 09:03`).
        if key.letters > 0 || texts && !text.trim().is_empty() {
            line(*key, text);
        }
        *key = KeyState::new();
        text.clear();
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let seg = &html[start..i];
        key.feed(seg, true);
        if texts {
            text.push_str(seg);
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(bytes.len(), |j| i + j + 3);
            start = i;
            continue;
        }
        let end = match memchr_gt(&bytes[i..]) {
            Some(j) => i + j,
            None => bytes.len() - 1,
        };
        let tag = &html[i + 1..=end.min(bytes.len() - 1)];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name_len = tag
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = tag[..name_len].to_ascii_lowercase();
        i = end + 1;
        if (name == "script" || name == "style") && !html[..end].ends_with('/') {
            let close = format!("</{name}");
            i = crate::article::scan::find_ascii_ci(&html[i..], &close)
                .map_or(bytes.len(), |j| i + j);
        } else if super::prepare::ends_line(&name) {
            emit(&mut key, &mut text);
        }
        start = i.min(bytes.len());
    }
    if start < bytes.len() {
        key.feed(&html[start..], true);
        if texts {
            text.push_str(&html[start..]);
        }
    }
    emit(&mut key, &mut text);
}

fn memchr_gt(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'>')
}

/// How much of each end of a body the header pass scans.
const EDGE_WINDOW: usize = 12 * 1024;

/// The parts of `html` whose lines are looked at: the whole of a short body, else a prefix and
/// a suffix window (starting at a tag).
fn edge_windows(html: &str) -> (&str, Option<&str>) {
    if html.len() <= 2 * EDGE_WINDOW {
        return (html, None);
    }
    let head = crate::article::scan::prefix(html, EDGE_WINDOW);
    let mut from = html.len() - EDGE_WINDOW;
    while !html.is_char_boundary(from) {
        from += 1;
    }
    let tail = &html[from..];
    let tail = tail.find('<').map_or(tail, |i| &tail[i..]);
    (head, Some(tail))
}

/// The keys of the first and last [`EDGE_LINES`] lines of a body that could be furniture, each
/// once: what the library counts per outlet. Linear, bounded by the two windows scanned.
pub fn edge_keys(html: &str) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    let (head, tail) = edge_windows(html);
    let mut all: Vec<Option<u64>> = Vec::new();
    let mut take = |w: &str, first: bool, out: &mut Vec<u64>| {
        all.clear();
        scan_lines(w, false, |k, _| all.push(k.finish()));
        let n = all.len();
        let picked: Vec<Option<u64>> = if first {
            all.iter()
                .take(EDGE_LINES)
                .chain(
                    all.iter()
                        .skip(EDGE_LINES.max(n.saturating_sub(EDGE_LINES))),
                )
                .copied()
                .collect()
        } else {
            all.iter()
                .skip(n.saturating_sub(EDGE_LINES))
                .copied()
                .collect()
        };
        for k in picked.into_iter().flatten() {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    };
    match tail {
        None => take(head, true, &mut out),
        Some(tail) => {
            // Only the first lines of the head window, the last of the tail window.
            let mut firsts = Vec::new();
            scan_lines(head, false, |k, _| {
                if firsts.len() < EDGE_LINES {
                    firsts.push(k.finish())
                }
            });
            for k in firsts.into_iter().flatten() {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
            take(tail, false, &mut out);
        }
    }
    out
}

/// The edge lines of a body with their keys and text (for `reader check --furniture`).
pub fn edge_lines(html: &str) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let (head, tail) = edge_windows(html);
    for w in std::iter::once(head).chain(tail) {
        scan_lines(w, true, |k, t| {
            if let Some(key) = k.finish() {
                let text = crate::article::scan::decode_entities(t);
                out.push((key, crate::render::prepare::collapse(&text)));
            }
        });
    }
    out
}

/// Per-outlet counts of edge-line keys, filled as the library loads.
#[derive(Debug, Default)]
pub struct FurnitureCounts {
    /// Fx-hashed: the keys are hashes already, and a relaunch counts 100,000 reports' keys.
    outlets: rustc_hash::FxHashMap<String, OutletCounts>,
    /// The learned sets, computed on first use after a change.
    cache: Mutex<Option<Arc<Learned>>>,
}

impl Clone for FurnitureCounts {
    fn clone(&self) -> FurnitureCounts {
        FurnitureCounts {
            outlets: self.outlets.clone(),
            cache: Mutex::new(None),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct OutletCounts {
    reports: u32,
    keys: rustc_hash::FxHashMap<u64, u32>,
}

/// The learned furniture of every outlet.
#[derive(Debug, Default)]
pub struct Learned {
    /// Per outlet display name: the furniture line keys, and how many reports hold each.
    pub outlets: HashMap<String, (u32, Vec<(u64, u32)>)>,
    /// Keys that recur in two or more outlets (a feed aggregator's footer): furniture for all.
    pub shared: HashSet<u64>,
    sets: HashMap<String, Arc<HashSet<u64>>>,
    shared_set: Arc<HashSet<u64>>,
}

impl Learned {
    /// The furniture keys for an article of `outlet` (unknown outlets get the shared ones).
    pub fn for_outlet(&self, outlet: Option<&str>) -> Arc<HashSet<u64>> {
        outlet
            .and_then(|o| self.sets.get(o))
            .cloned()
            .unwrap_or_else(|| self.shared_set.clone())
    }
}

impl FurnitureCounts {
    /// Counts one report of `outlet` (reports without an outlet are not counted).
    pub fn add(&mut self, outlet: Option<&str>, keys: &[u64]) {
        let Some(outlet) = outlet else { return };
        let counts = match self.outlets.get_mut(outlet) {
            Some(c) => c,
            None => self.outlets.entry(outlet.to_string()).or_default(),
        };
        counts.reports += 1;
        for &k in keys {
            *counts.keys.entry(k).or_insert(0) += 1;
        }
        if let Ok(mut c) = self.cache.lock() {
            *c = None;
        }
    }

    /// Takes back what [`FurnitureCounts::add`] counted for a report that is gone.
    pub fn remove(&mut self, outlet: Option<&str>, keys: &[u64]) {
        let Some(counts) = outlet.and_then(|o| self.outlets.get_mut(o)) else {
            return;
        };
        counts.reports = counts.reports.saturating_sub(1);
        for k in keys {
            if let Some(n) = counts.keys.get_mut(k) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.keys.remove(k);
                }
            }
        }
        if let Ok(mut c) = self.cache.lock() {
            *c = None;
        }
    }

    /// The learned furniture (computed once per change of the counts).
    pub fn learned(&self) -> Arc<Learned> {
        let mut guard = match self.cache.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(l) = &*guard {
            return l.clone();
        }
        let l = Arc::new(self.compute());
        *guard = Some(l.clone());
        l
    }

    fn compute(&self) -> Learned {
        let mut learned = Learned::default();
        // Keys seen in at least MIN_REPORTS reports of an outlet, with how many outlets.
        let mut across: HashMap<u64, (u32, u32)> = HashMap::new();
        for (name, c) in &self.outlets {
            let mut keys: Vec<(u64, u32)> = Vec::new();
            for (&k, &n) in &c.keys {
                if n >= 2 {
                    let e = across.entry(k).or_insert((0, 0));
                    e.0 += n;
                    e.1 += 1;
                }
                if n >= MIN_REPORTS && n as u64 * 1000 >= MIN_PER_MILLE as u64 * c.reports as u64 {
                    keys.push((k, n));
                }
            }
            keys.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            learned.outlets.insert(name.clone(), (c.reports, keys));
        }
        learned.shared = across
            .into_iter()
            .filter(|(_, (n, outlets))| *outlets >= 2 && *n >= 2 * MIN_REPORTS)
            .map(|(k, _)| k)
            .collect();
        for (name, (_, keys)) in &learned.outlets {
            let mut set: HashSet<u64> = keys.iter().map(|(k, _)| *k).collect();
            set.extend(learned.shared.iter().copied());
            learned.sets.insert(name.clone(), Arc::new(set));
        }
        learned.shared_set = Arc::new(learned.shared.clone());
        learned
    }
}

// ---------------------------------------------------------------------------------------------
// Block rules.

/// A block's pieces cut at its `<br>` lines: each line's pieces (the line break kept at its end)
/// and its text without the link numbers.
fn block_lines(pieces: &[Piece]) -> Vec<(Vec<Piece>, String)> {
    let mut out = Vec::new();
    let mut cur: Vec<Piece> = Vec::new();
    let mut text = String::new();
    for p in pieces {
        let mut rest = p.text.as_str();
        while let Some(i) = rest.find('\n') {
            cur.push(Piece::new(&rest[..=i], p.tag));
            if p.tag.marks & mark::LINK_NUMBER == 0 {
                text.push_str(&rest[..i]);
            }
            out.push((std::mem::take(&mut cur), std::mem::take(&mut text)));
            rest = &rest[i + 1..];
        }
        if !rest.is_empty() {
            cur.push(Piece::new(rest, p.tag));
            if p.tag.marks & mark::LINK_NUMBER == 0 {
                text.push_str(rest);
            }
        }
    }
    out.push((cur, text));
    out
}

/// Calls `f` with the text of each line of [`block_lines`] in turn (the same texts), built in
/// `buf`, without copying the pieces.
fn each_line_text(pieces: &[Piece], buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    for p in pieces {
        let keep = p.tag.marks & mark::LINK_NUMBER == 0;
        let mut rest = p.text.as_str();
        while let Some(i) = rest.find('\n') {
            if keep {
                buf.push_str(&rest[..i]);
            }
            f(buf);
            buf.clear();
            rest = &rest[i + 1..];
        }
        if keep {
            buf.push_str(rest);
        }
    }
    f(buf);
}

/// Story text, never learned furniture: a line of at least [`SENTENCE_LETTERS`] letters that
/// ends as a sentence ends. A background paragraph that several reports of one outlet repeat
/// word for word recurs like furniture, but it is the story's own text (archive-dev: BBC's
/// paragraph on the Hong Kong Accountability Act in three reports).
fn is_sentence(line: &str) -> bool {
    let end = line
        .trim_end()
        .trim_end_matches(['”', '」', '』', '"', '\'', ')', '）']);
    end.ends_with(['。', '！', '？', '.', '!', '?', '…'])
        && line.chars().filter(|c| c.is_alphabetic()).count() >= SENTENCE_LETTERS
}

/// See [`is_sentence`]; feed footers and labels are shorter.
const SENTENCE_LETTERS: usize = 30;

/// Counts of what [`clean_blocks`] removed, for reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// Lines removed by `strip_text` patterns or as learned furniture.
    pub lines: usize,
    /// Captions shown twice, dropped.
    pub captions: usize,
    /// Lines of the dateline/byline block left to the header line.
    pub dateline: usize,
}

/// How many blocks at the top of a body may hold the dateline block's lines.
const DATELINE_BLOCKS: usize = 4;

/// The visible lines of the dateline block `range` of `html` (none when the range does not fall
/// on the HTML, e.g. a body converted from Markdown).
fn dateline_lines(html: &str, range: Option<&std::ops::Range<usize>>) -> Vec<String> {
    let Some(slice) = range.and_then(|r| html.get(r.clone())) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    scan_lines(slice, true, |_, t| {
        let text = crate::article::scan::decode_entities(t);
        let text = crate::render::prepare::collapse(&text);
        if !text.trim().is_empty() {
            out.push(text);
        }
    });
    out
}

/// Leaves out of the first blocks each line equal to a line of the dateline block (each such
/// line once, whole lines only, so no story text can go with it); returns how many went.
fn drop_dateline(doc: &mut Prepared, mut lines: Vec<String>) -> usize {
    let mut dropped = 0;
    let mut i = 0;
    let mut seen = 0;
    while i < doc.blocks.len() && seen < DATELINE_BLOCKS && !lines.is_empty() {
        let b = &mut doc.blocks[i];
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading(_)) {
            seen += usize::from(b.kind != BlockKind::Placeholder);
            i += 1;
            continue;
        }
        seen += 1;
        let mut kept = Vec::new();
        let mut changed = false;
        for (pieces, text) in block_lines(&b.pieces) {
            match lines.iter().position(|l| same_text(l, &text)) {
                Some(k) => {
                    lines.remove(k);
                    dropped += 1;
                    changed = true;
                }
                None => kept.extend(pieces),
            }
        }
        if !changed {
            i += 1;
            continue;
        }
        if let Some(last) = kept.last_mut() {
            if last.text.ends_with('\n') {
                last.text.pop();
            }
        }
        if kept.iter().any(|p| !p.text.trim().is_empty()) {
            b.pieces = kept;
            i += 1;
        } else {
            doc.blocks.remove(i);
        }
    }
    dropped
}

/// The block rules (see the module docs); returns what was removed.
pub(crate) fn clean_blocks(doc: &mut Prepared, cleaner: &Cleaner, html: &str) -> Removed {
    let mut removed = Removed::default();
    if cleaner.enabled {
        removed.dateline = drop_dateline(doc, dateline_lines(html, cleaner.dateline.as_ref()));
        let rules = cleaner.rules;
        let learned = cleaner.learned.as_deref();
        // (furniture, by an outlet pattern)
        let is_furniture = |line: &str| {
            let t = line.trim();
            if t.is_empty() {
                return (false, false);
            }
            if rules.is_some_and(|r| r.strips_text(t)) {
                return (true, true);
            }
            if generic_furniture(t) {
                return (true, false);
            }
            let learned = learned.is_some_and(|l| line_key(t).is_some_and(|k| l.contains(&k)))
                && !is_sentence(t);
            (learned, false)
        };
        // In a furniture section: (its heading's level, the block before was an image).
        let mut section: Option<(u8, bool, bool)> = None;
        let mut marks: Vec<(bool, bool)> = Vec::new();
        let mut line_buf = String::new();
        let blocks = std::mem::take(&mut doc.blocks);
        for mut b in blocks {
            if let Some((level, after_image, first)) = section {
                // The section is the list, or the images with their captions, right under the
                // heading; the story goes on at the next heading or plain paragraph.
                let goes_with = match &b.kind {
                    BlockKind::Placeholder => true,
                    BlockKind::Paragraph => after_image,
                    BlockKind::Structured(_) => first,
                    BlockKind::Heading(l) => *l > level,
                    BlockKind::Rule => false,
                };
                if goes_with {
                    section = Some((level, b.kind == BlockKind::Placeholder, false));
                    removed.lines += 1;
                    continue;
                }
                section = None;
            }
            match b.kind {
                BlockKind::Paragraph | BlockKind::Heading(_) => {
                    // Lines are read without copying the pieces: most blocks keep all of theirs.
                    marks.clear();
                    each_line_text(&b.pieces, &mut line_buf, |t| marks.push(is_furniture(t)));
                    if marks.iter().any(|m| m.0) {
                        let lines = block_lines(&b.pieces);
                        debug_assert_eq!(lines.len(), marks.len());
                        removed.lines += marks.iter().filter(|m| m.0).count();
                        if let BlockKind::Heading(level) = b.kind {
                            // A heading an outlet rule names takes its section with it
                            // (learned lines do not: a recurring heading may head content).
                            if marks.iter().any(|m| m.1) {
                                section = Some((level, false, true));
                            }
                            continue;
                        }
                        let mut pieces = Vec::new();
                        for ((line, _), m) in lines.into_iter().zip(&marks) {
                            if !m.0 {
                                pieces.extend(line);
                            }
                        }
                        // A trailing line break of the last kept line is not needed.
                        if let Some(last) = pieces.last_mut() {
                            if last.text.ends_with('\n') {
                                last.text.pop();
                            }
                        }
                        if !pieces.iter().any(|p| !p.text.trim().is_empty()) {
                            continue;
                        }
                        b.pieces = pieces;
                    }
                }
                _ => {}
            }
            doc.blocks.push(b);
        }
        removed.captions = dedupe_captions(doc);
    }
    resolve_links(doc, cleaner.base.as_deref());
    renumber_links(doc);
    removed
}

fn plain(b: &super::prepare::Block) -> String {
    b.pieces
        .iter()
        .filter(|p| p.tag.marks & mark::LINK_NUMBER == 0)
        .map(|p| p.text.as_str())
        .collect::<String>()
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// A paragraph repeating the image placeholder's caption right after it (or right before it)
/// is dropped.
fn dedupe_captions(doc: &mut Prepared) -> usize {
    let mut drop = vec![false; doc.blocks.len()];
    for i in 0..doc.blocks.len() {
        let b = &doc.blocks[i];
        if b.kind != BlockKind::Placeholder {
            continue;
        }
        let text = plain(b);
        let Some(caption) = text.strip_prefix("[Image] ") else {
            continue;
        };
        for j in [i + 1, i.wrapping_sub(1)] {
            if let Some(n) = doc.blocks.get(j) {
                if n.kind == BlockKind::Paragraph && !drop[j] && same_text(caption, &plain(n)) {
                    drop[j] = true;
                    break;
                }
            }
        }
    }
    let n = drop.iter().filter(|d| **d).count();
    let mut i = 0;
    doc.blocks.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    n
}

/// Resolves each link against `base` (relative and protocol-relative URLs).
fn resolve_links(doc: &mut Prepared, base: Option<&str>) {
    for l in &mut doc.links {
        if let Some(abs) = super::links::resolve(base, &l.href) {
            l.href = abs.into();
        }
    }
}

/// Drops links no block refers to any more and numbers the rest from 1 again, in order.
fn renumber_links(doc: &mut Prepared) {
    let mut used = vec![false; doc.links.len() + 1];
    let marker = {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r#"href="([LN])(\d+)">(\[\d+\])?"#).expect("valid pattern"))
    };
    for b in &doc.blocks {
        for p in &b.pieces {
            if let Some(u) = used.get_mut(p.tag.link as usize) {
                *u = true;
            }
        }
        if let BlockKind::Structured(html) = &b.kind {
            for c in marker.captures_iter(html) {
                if let Some(u) = c[2].parse::<usize>().ok().and_then(|n| used.get_mut(n)) {
                    *u = true;
                }
            }
        }
    }
    if used.iter().skip(1).all(|u| *u) {
        return;
    }
    let mut map = vec![0u32; used.len()];
    let mut next = 0u32;
    let old = std::mem::take(&mut doc.links);
    for (i, l) in old.into_iter().enumerate() {
        if used[i + 1] {
            next += 1;
            map[i + 1] = next;
            doc.links.push(l);
        }
    }
    for b in &mut doc.blocks {
        for p in &mut b.pieces {
            let n = p.tag.link as usize;
            if n > 0 && map[n] != n as u32 {
                p.tag.link = map[n];
                if p.tag.marks & mark::LINK_NUMBER != 0 {
                    p.text = compact_str::format_compact!("[{}]", map[n]);
                }
            }
        }
        if let BlockKind::Structured(html) = &mut b.kind {
            *html = marker
                .replace_all(html, |c: &regex::Captures<'_>| {
                    let n = c[2].parse::<usize>().ok().map_or(0, |n| map[n]);
                    match c.get(3) {
                        Some(_) => format!("href=\"{}{n}\">[{n}]", &c[1]),
                        None => format!("href=\"{}{n}\">", &c[1]),
                    }
                })
                .into_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_compile() {
        let table = crate::article::outlet::Outlets::parse(crate::article::outlet::BUILTIN, None);
        assert_eq!(table.problems(), &[] as &[String]);
        let mut with_rules = 0;
        for o in table.all() {
            rules_of(o).unwrap_or_else(|e| panic!("{}: {e}", o.name));
            with_rules += usize::from(!o.strip_text.is_empty());
        }
        assert!(with_rules >= 5, "{with_rules}");
        // One place per outlet: the furniture rules are in the outlet's own table.
        let dw = builtin_rules().get("德國之聲").unwrap();
        assert!(dw.strips_text("获取更多RSS：https://feedx.net"));
        assert!(dw.strips_text("相关图集：德国的夏天"));
        assert!(dw.strips_text(
            "德国之声致力于为您提供客观中立的新闻报道，以及展现多种角度的评论分析。文中评论及分析仅代表作者或专家个人立场。"
        ));
        assert!(!dw.strips_text("（德国之声中文网）相关图集显示"));
    }

    #[test]
    fn a_user_outlet_file_adds_rules_to_the_built_in_ones() {
        use crate::article::outlet::Outlets;
        let user = "[dw]\nstrip_text = ['^本文仅代表作者观点$']\nstrip_id_or_class = ['my-promo']\n\n\
                    [example]\nname = \"示例新闻\"\nhosts = [\"example.org\"]\nstrip = ['div.footer-note']\n";
        let table = Outlets::parse(
            crate::article::outlet::BUILTIN,
            Some((std::path::Path::new("/u/outlets.toml"), user)),
        );
        assert_eq!(table.problems(), &[] as &[String]);
        let dw = rules_of(table.find("德國之聲").unwrap()).unwrap();
        assert!(dw.strips_text("本文仅代表作者观点"), "the user's rule");
        assert!(
            dw.strips_text("获取更多RSS：https://feedx.net"),
            "the built-in one"
        );
        assert!(dw.id_or_class.iter().any(|w| w == "my-promo"));
        let ex = rules_of(table.find("示例新闻").unwrap()).unwrap();
        assert_eq!(ex.selectors.len(), 1);
    }

    #[test]
    fn scans_end_lines_where_prepare_ends_blocks() {
        let mut lines = Vec::new();
        scan_lines(
            "a<dialog>b</dialog><fieldset>c<legend>d</legend></fieldset><menu>e</menu>f<embed>g<object>h</object><h2>i</h2>j<span>k</span>",
            true,
            |_, t| lines.push(t.to_string()),
        );
        assert_eq!(lines, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "jk"]);
        for name in [
            "p", "div", "li", "table", "pre", "iframe", "br", "img", "h6", "hgroup",
        ] {
            assert!(super::super::prepare::ends_line(name), "{name}");
        }
        for name in ["span", "a", "b", "small", "font"] {
            assert!(!super::super::prepare::ends_line(name), "{name}");
        }
    }

    #[test]
    fn a_recurring_sentence_is_not_learned_furniture() {
        let para = "该法案要求美国政府查明对剥夺香港人权需负责的认识，并将制裁与他们开展“重要业务”的金融机构。";
        let footer = "获取更多RSS：";
        let learned: HashSet<u64> = [line_key(para).unwrap(), line_key(footer).unwrap()].into();
        let cleaner = Cleaner {
            learned: Some(Arc::new(learned)),
            ..Cleaner::generic()
        };
        let p = crate::render::prepare::prepare_with(
            &format!("<p>{para}</p><p>{footer}</p><p>故事。</p>"),
            &cleaner,
        );
        let texts: Vec<String> = p.blocks.iter().map(plain).collect();
        assert_eq!(texts, [para, "故事。"]);
        assert!(is_sentence(
            "Visa restrictions will piss Beijing off but will not hurt too much."
        ));
        assert!(!is_sentence("告知：第三方内容可能包含广告"));
    }

    #[test]
    fn share_lines_in_many_languages_are_generic_furniture() {
        for line in [
            "Share",
            "Share on Facebook",
            "Share this article",
            "Auf Facebook teilen Auf X teilen Per E-Mail teilen",
            "Teilen auf Facebook",
            "Artikel teilen:",
            "Teilen",
            "Partager",
            "Partager sur Facebook · Partager sur X · Envoyer par e-mail",
            "Partager cet article",
            "Compartir",
            "Compartir en Facebook Compartir en Twitter Compartir en WhatsApp",
            "Facebook | Twitter | WhatsApp",
            "Condividi su Facebook",
            "Teilen auf Facebook Twitter",
            "Teilen auf: Facebook | X | WhatsApp",
            "Share on Facebook Twitter",
            "Share on: Facebook, X, Email",
            "Partager sur Facebook Twitter",
            "Partager sur : Facebook X",
            "分享到",
            "分享到：微博 微信 QQ空间",
            "分享至 Facebook Twitter",
            "分享本文：",
        ] {
            assert!(generic_furniture(line), "{line:?}");
        }
        for story in [
            "Von den Plänen profitieren vor allem Familien, die ihre Erfahrungen teilen wollen.",
            "Wir teilen die Sorge der Anwohner.",
            "Facebook hat die Vorwürfe zurückgewiesen.",
            "La maire a promis de partager le calendrier des travaux.",
            "Partager, c'est aussi prendre un risque.",
            "La alcaldesa quiere compartir la experiencia con otras ciudades.",
            "Share prices fell on Monday.",
            "Share on Facebook prices fell.",
            "Teilen auf Facebook wollen die Nutzer nichts mehr.",
            "Die Stadt will die Pläne auf Facebook und Twitter teilen.",
            "Partager sur Facebook Twitter ses photos est devenu banal.",
            "分享到朋友圈的照片引发争议。",
            "X",
            "Facebook",
            "分享",
            "",
        ] {
            assert!(!generic_furniture(story), "{story:?}");
        }
    }

    #[test]
    fn class_words() {
        let w: Vec<String> = words("StandardArticleBody_trustBadge m-block-ad__label").collect();
        assert_eq!(
            w,
            [
                "standard", "article", "body", "trust", "badge", "m", "block", "ad", "label"
            ]
        );
        assert!(is_hidden_class("off-screen"));
        assert!(is_hidden_class("u-visually-hidden"));
        assert!(!is_hidden_class("unhidden"));
    }

    #[test]
    fn keys_ignore_digits_punctuation_and_entities() {
        assert_eq!(line_key("© 2020 AFP"), line_key("©\u{a0}2021 afp"));
        assert_eq!(line_key("2020年 7月 2日"), line_key("年月日"));
        assert_eq!(line_key("2020"), None);
        // Case folds on every path: ASCII, CJK (no case), and other scripts by the tables.
        assert_eq!(
            line_key("Deutsche Welle 德国之声"),
            line_key("DEUTSCHE welle 德国之声")
        );
        assert_eq!(line_key("ＡＦＰ Ελλάδα"), line_key("ａｆｐ ΕΛΛΆΔΑ"));
        assert_ne!(line_key("德国之声"), line_key("德國之聲"));
        assert_ne!(line_key("AFP"), line_key("ＡＦＰ"));
        assert_eq!(line_key(&"长".repeat(MAX_KEY_LETTERS + 1)), None);
        let mut from_scan = Vec::new();
        scan_lines(
            "<p>© 2020&nbsp;<b>AFP</b></p><div>获取更多RSS：<br><a href=x>https://feedx.net</a></div>",
            false,
            |k, _| from_scan.push(k.finish()),
        );
        assert_eq!(
            from_scan,
            [
                line_key("© AFP"),
                line_key("获取更多RSS："),
                line_key("https://feedx.net")
            ]
        );
    }

    #[test]
    fn edge_keys_take_both_ends_once() {
        let mut html = String::new();
        for i in 0..40 {
            html.push_str(&format!(
                "<p>line {}</p>",
                "abcdefghijklmnopqrstuvwxyz".chars().nth(i % 26).unwrap()
            ));
        }
        html.push_str("<p>footer</p>");
        let keys = edge_keys(&html);
        assert!(keys.contains(&line_key("footer").unwrap()));
        assert!(keys.contains(&line_key("line a").unwrap()));
        // Line 20 (u) sits in the middle.
        assert!(!keys.contains(&line_key("line u").unwrap()) || keys.len() <= 2 * EDGE_LINES);
        assert!(keys.len() <= 2 * EDGE_LINES);
    }

    #[test]
    fn learned_needs_enough_reports_and_share() {
        let mut c = FurnitureCounts::default();
        let foot = line_key("获取更多RSS").unwrap();
        let credit = line_key("编译 高思佳").unwrap();
        for i in 0..100 {
            let mut keys = vec![
                foot,
                line_key(&format!("story {}", "abcdefghij".repeat(1 + i % 5))).unwrap(),
            ];
            if i < 2 {
                keys.push(credit);
            }
            c.add(Some("A"), &keys);
        }
        c.add(Some("B"), &[foot]);
        c.add(Some("B"), &[foot]);
        let l = c.learned();
        let a = l.for_outlet(Some("A"));
        assert!(a.contains(&foot));
        assert!(!a.contains(&credit), "2 of 100 reports is not furniture");
        // The footer recurs in two outlets: furniture for an outlet with few reports, too.
        assert!(l.for_outlet(Some("B")).contains(&foot));
        assert!(l.for_outlet(None).contains(&foot));
        // "story …" lines recur in 20 of 100 reports each: furniture by count.
        assert_eq!(l.outlets["A"].1.len(), 6);
    }
}
