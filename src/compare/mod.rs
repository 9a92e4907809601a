//! Alignment and term analysis of two articles (A and B), independent of any UI.
//!
//! [`compare`] splits both bodies into paragraphs, converts them to one script (Simplified, via
//! OpenCC) for matching only, aligns the paragraphs in order by TF-IDF similarity, finds terms
//! (names, numbers, dates, percentages, quantities, quoted phrases) on both sides, and builds the
//! ledger (terms on both sides / only A / only B) and the timeline (dates mentioned merged with
//! the publication times).
//!
//! Invariants a view may rely on:
//! - every paragraph of each side appears in exactly one [`Row`], and rows keep both sides'
//!   order;
//! - [`Mark`] ranges are byte ranges into [`Paragraph::text`] (the side's own script), sorted and
//!   non-overlapping, on character boundaries;
//! - all text has passed through [`crate::sanitize`]; `html` is raw body HTML for the renderer.
//!
//! Paragraph indexes are 0-based in the API; the view shows them 1-based (`B¶7`).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::article::{Article, Body};

pub mod align;
pub mod header;
pub mod json;
pub mod ledger;
pub mod paragraphs;
pub mod related;
pub mod script;
pub mod similarity;
pub mod terms;
pub mod timeline;

pub use align::{CrossRef, Row};
pub use header::Header;
pub use ledger::Ledger;
pub use related::{Related, most_related};
pub use script::Script;
pub use terms::{PartialDate, TermKind};
pub use timeline::{TimelineEntry, TimelineKind};

use script::{Pivot, has_han};
use terms::{DateContext, Found};

/// One of the two compared articles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The first article (left column).
    A,
    /// The second article (right column).
    B,
}

impl Side {
    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }

    /// `A` or `B`.
    pub fn letter(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// Where a term occurs: on both sides, or on one only. The view marks `Both` in one style and
/// the others in another (without colour: underline for both, bold for one side only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Found in both articles.
    Both,
    /// Found only in A.
    OnlyA,
    /// Found only in B.
    OnlyB,
}

impl Presence {
    /// True for a term both articles mention.
    pub fn shared(self) -> bool {
        self == Presence::Both
    }
}

/// A term found in at least one article, identified across scripts by its key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Term {
    /// What kind of term.
    pub kind: TermKind,
    /// The normalised key (Simplified script, digits for numerals, lower-case Latin).
    pub key: String,
    /// How A writes it first (A's own script), if A has it.
    pub a: Option<String>,
    /// How B writes it first (B's own script), if B has it.
    pub b: Option<String>,
    /// Occurrences in A.
    pub a_count: usize,
    /// Occurrences in B.
    pub b_count: usize,
    /// Both sides, or which one.
    pub presence: Presence,
    /// For dates: the date meant (year resolved from each side's publication date when unsaid).
    pub date: Option<PartialDate>,
}

impl Term {
    /// The text to show for the term: A's spelling, else B's.
    pub fn label(&self) -> &str {
        self.a.as_deref().or(self.b.as_deref()).unwrap_or(&self.key)
    }

    /// The spelling on `side`, if that side has the term.
    pub fn on(&self, side: Side) -> Option<&str> {
        match side {
            Side::A => self.a.as_deref(),
            Side::B => self.b.as_deref(),
        }
    }
}

/// An occurrence of a term in a paragraph's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Byte range in [`Paragraph::text`].
    pub range: Range<usize>,
    /// Index into [`Comparison::terms`].
    pub term: usize,
    /// Copied from the term, for drawing without a lookup.
    pub presence: Presence,
}

/// One paragraph of one side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Paragraph {
    /// The paragraph's HTML, for [`crate::render::render_html`].
    pub html: String,
    /// The visible text, one line, sanitised, in the article's own script.
    pub text: String,
    /// A heading (`h1`–`h6`, or a short all-bold paragraph).
    pub heading: bool,
    /// Term occurrences in `text`, sorted, non-overlapping.
    pub marks: Vec<Mark>,
}

impl Paragraph {
    /// The text in `script` with the marks moved onto it (conversion is character-aligned).
    pub fn display(&self, script: Script) -> (Cow<'_, str>, Cow<'_, [Mark]>) {
        let text = script::convert(&self.text, script);
        if text.len() == self.text.len() {
            return (text, Cow::Borrowed(&self.marks));
        }
        // One pass over both texts (character-aligned) maps every mark.
        let from: Vec<usize> = self.text.char_indices().map(|(i, _)| i).collect();
        let to: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let map = |b: usize| {
            let k = from.partition_point(|&x| x < b);
            to.get(k).copied().unwrap_or(text.len())
        };
        let marks = self
            .marks
            .iter()
            .map(|m| Mark {
                range: map(m.range.start)..map(m.range.end),
                ..m.clone()
            })
            .collect();
        (text, Cow::Owned(marks))
    }
}

/// One side of the comparison: header and paragraphs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Column {
    /// Outlet, publication time, title.
    pub header: Header,
    /// The paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
}

/// The comparison of two articles (A and B).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// The first article.
    pub a: Column,
    /// The second article.
    pub b: Column,
    /// The aligned rows, top to bottom.
    pub rows: Vec<Row>,
    /// Strong matches out of order, shown as `↔ B¶7` on both paragraphs.
    pub cross_refs: Vec<CrossRef>,
    /// Every term found, in order of first appearance (A first).
    pub terms: Vec<Term>,
    /// Terms grouped by presence.
    pub ledger: Ledger,
    /// Dates mentioned and publication times, in order.
    pub timeline: Vec<TimelineEntry>,
    /// The gap sentence, e.g. "德國之聲 published 55 days after 观察者网".
    pub gap: String,
}

impl Comparison {
    /// The column of `side`.
    pub fn column(&self, side: Side) -> &Column {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The cross-references of a paragraph: indexes of paragraphs on the other side.
    pub fn cross_refs_of(&self, side: Side, paragraph: usize) -> Vec<usize> {
        self.cross_refs
            .iter()
            .filter_map(|c| match side {
                Side::A if c.a == paragraph => Some(c.b),
                Side::B if c.b == paragraph => Some(c.a),
                _ => None,
            })
            .collect()
    }

    /// The row that shows a paragraph (for jumping to a cross-reference).
    pub fn row_of(&self, side: Side, paragraph: usize) -> Option<usize> {
        self.rows.iter().position(|r| match side {
            Side::A => r.a == Some(paragraph),
            Side::B => r.b == Some(paragraph),
        })
    }
}

/// What the comparison needs to know about one article, for callers without an [`Article`]
/// (tests, benchmarks, generated data).
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The outlet, if known.
    pub outlet: Option<&'a str>,
    /// The title.
    pub title: &'a str,
    /// When it was published, if known.
    pub published: Option<jiff::Timestamp>,
    /// The body HTML.
    pub html: &'a str,
}

impl<'a> Input<'a> {
    /// The input for a loaded article and its body.
    pub fn of(article: &'a Article, body: &'a Body) -> Input<'a> {
        Input {
            outlet: article.outlet.as_deref(),
            title: &article.title,
            published: article
                .published
                .as_ref()
                .or(article.archived.as_ref())
                .map(|s| s.utc),
            html: &body.html,
        }
    }
}

/// The comparison was stopped by its caller (see [`compare_until`]) before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("comparison cancelled")
    }
}

/// `Err` once `cancel` is set: the checkpoint of every loop that grows with the input.
fn go_on(cancel: &AtomicBool) -> Result<(), Cancelled> {
    if cancel.load(Ordering::Relaxed) {
        Err(Cancelled)
    } else {
        Ok(())
    }
}

/// Compares two articles.
pub fn compare(a: &Article, a_body: &Body, b: &Article, b_body: &Body) -> Comparison {
    let never = AtomicBool::new(false);
    compare_until(a, a_body, b, b_body, &never).expect("the flag is never set")
}

/// [`compare`] that stops early, returning [`Cancelled`], once another thread sets `cancel`
/// (the TUI sets it on Esc, on a new request and on quit), so an abandoned comparison stops
/// using the CPU instead of running to its end unseen.
pub fn compare_until(
    a: &Article,
    a_body: &Body,
    b: &Article,
    b_body: &Body,
    cancel: &AtomicBool,
) -> Result<Comparison, Cancelled> {
    let mut c = compare_with(
        Input::of(a, a_body),
        &dateline_texts(a, a_body),
        Input::of(b, b_body),
        &dateline_texts(b, b_body),
        cancel,
    )?;
    // The header keeps the publication time as the metadata found it (#9): to the minute or
    // only the day, or only the archive time, which stands in for dates but is marked.
    for (h, article) in [(&mut c.a.header, a), (&mut c.b.header, b)] {
        h.published = article.published.as_ref().map(|s| s.utc);
        h.day = (article.meta.published_precision == Some(crate::article::dates::Precision::Day))
            .then(|| article.list_time().and_then(|t| t.day))
            .flatten();
        h.archived = article.list_time().filter(|t| t.archived).map(|t| t.utc);
    }
    c.gap = header::gap_sentence(&c.a.header, &c.b.header);
    Ok(c)
}

/// The texts of the paragraphs of the article's dateline block (the dateline and the byline
/// beside it, as the metadata found them), which carry no terms.
fn dateline_texts(article: &Article, body: &Body) -> Vec<String> {
    article
        .meta
        .dateline_block
        .clone()
        .and_then(|r| body.html.get(r))
        .map(|html| {
            paragraphs::paragraphs(html)
                .into_iter()
                .map(|p| p.text)
                .collect()
        })
        .unwrap_or_default()
}

/// Side data while building.
struct Prepared {
    header: Header,
    paras: Vec<paragraphs::RawParagraph>,
    pivots: Vec<Pivot>,
    found: Vec<Vec<Found>>,
    /// Furniture, datelines and bylines: shown, but without terms and never aligned.
    quiet: Vec<bool>,
    /// Picture captions, aligned only with captions.
    caption: Vec<bool>,
}

/// A paragraph that is only a date-time (`Fri, 03 Jul 2020 20:57:22 GMT`, `2020-07-04T01:23:36`),
/// part of the dateline block, or furniture by the outlet's cleaning rules (获取更多RSS：…).
fn is_quiet(text: &str, outlet: Option<&str>, dateline: &[String]) -> bool {
    let t = text.trim();
    // Links listed as text (获取更多RSS： https://feedx.net https://feedx.xyz) are a feed's footer.
    let url_bytes: usize = t
        .split_whitespace()
        .filter(|w| w.contains("://") || w.starts_with("www."))
        .map(str::len)
        .sum();
    // Credits of translators and editors (编译 戴素萍 审校 屈桂娟), copyright lines.
    const CREDITS: &[&str] = &[
        "编译",
        "編譯",
        "审校",
        "審校",
        "责编",
        "責編",
        "编辑",
        "編輯",
        "翻译",
        "翻譯",
        "译者",
        "譯者",
        "发稿",
        "發稿",
        "校对",
        "校對",
        "©",
        "Copyright",
        "(c)",
    ];
    url_bytes * 2 > t.len()
        || (t.chars().count() <= 40 && CREDITS.iter().any(|c| t.starts_with(c)))
        || (t.chars().count() <= 48 && crate::article::dates::parse_date(t).is_some())
        || dateline.iter().any(|d| d == t)
        || outlet
            .and_then(crate::render::clean::outlet_rules)
            .is_some_and(|r| r.strips_text(t))
}

/// A picture caption: in a `figcaption` or an element whose class names a caption, a paragraph
/// that is all `<small>` print, or one that starts as captions do (资料图片：…).
fn is_caption(p: &paragraphs::RawParagraph) -> bool {
    const OPENERS: &[&str] = &[
        "资料图片",
        "资料照片",
        "資料圖片",
        "資料照片",
        "图片来源",
        "圖片來源",
        "图为",
        "圖為",
        "图：",
        "圖：",
        "照片：",
        "File photo",
    ];
    // A screenshot's or handout's line: “…” 《金融时报》报道截图.
    const CLOSERS: &[&str] = &["截图", "截圖", "资料图", "資料圖", "供图", "供圖"];
    let head: String = p.html.chars().take(120).collect::<String>().to_lowercase();
    let first_tag = head.split('>').next().unwrap_or("");
    first_tag.starts_with("<figcaption")
        || (first_tag.contains("class=") && first_tag.contains("caption"))
        || head.starts_with("<small")
        || head.starts_with("<div><small")
        || head.starts_with("<p><small")
        || OPENERS.iter().any(|o| p.text.starts_with(o))
        || CLOSERS.iter().any(|c| p.text.trim_end().ends_with(c))
}

fn prepare(
    input: Input<'_>,
    side: Side,
    dateline: &[String],
    cancel: &AtomicBool,
) -> Result<Prepared, Cancelled> {
    let paras: Vec<_> = paragraphs::paragraphs(input.html)
        .into_iter()
        .filter(|p| !paragraphs::is_dateline(&p.text))
        .collect();
    let quiet: Vec<bool> = paras
        .iter()
        .map(|p| is_quiet(&p.text, input.outlet, dateline))
        .collect();
    let caption: Vec<bool> = paras.iter().map(is_caption).collect();
    let pivots: Vec<Pivot> = paras
        .iter()
        .map(|p| go_on(cancel).map(|()| Pivot::new(&p.text)))
        .collect::<Result<_, _>>()?;
    let mut ctx = DateContext {
        published: input
            .published
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date()),
        last: None,
    };
    let found = pivots
        .iter()
        .zip(&quiet)
        .map(|(p, &q)| {
            go_on(cancel)?;
            Ok(if q {
                Vec::new()
            } else {
                terms::extract(&p.text, &mut ctx)
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Prepared {
        header: Header::new(input, side),
        paras,
        pivots,
        found,
        quiet,
        caption,
    })
}

/// Compares two articles given as [`Input`]s.
pub fn compare_inputs(a: Input<'_>, b: Input<'_>) -> Comparison {
    let never = AtomicBool::new(false);
    compare_inputs_until(a, b, &never).expect("the flag is never set")
}

/// [`compare_inputs`] that stops once `cancel` is set (see [`compare_until`]).
pub fn compare_inputs_until(
    a: Input<'_>,
    b: Input<'_>,
    cancel: &AtomicBool,
) -> Result<Comparison, Cancelled> {
    compare_with(a, &[], b, &[], cancel)
}

/// [`compare_inputs`] with each side's dateline paragraphs (see [`dateline_texts`]).
fn compare_with(
    a: Input<'_>,
    a_dateline: &[String],
    b: Input<'_>,
    b_dateline: &[String],
    cancel: &AtomicBool,
) -> Result<Comparison, Cancelled> {
    Ok(build(a, a_dateline, b, b_dateline, cancel)?.0)
}

/// The similarity of every candidate pair of paragraphs the alignment chooses from, as
/// `(A paragraph, B paragraph, score)` (0-based), furniture and caption rules applied: for
/// choosing [`align::MATCH_THRESHOLD`] on labelled pairs (`tests/compare_pairs.rs`).
pub fn candidate_pairs(
    a: &Article,
    a_body: &Body,
    b: &Article,
    b_body: &Body,
) -> Vec<(usize, usize, f32)> {
    let never = AtomicBool::new(false);
    let (_, sim) = build(
        Input::of(a, a_body),
        &dateline_texts(a, a_body),
        Input::of(b, b_body),
        &dateline_texts(b, b_body),
        &never,
    )
    .expect("the flag is never set");
    sim.into_iter()
        .enumerate()
        .flat_map(|(i, row)| row.into_iter().map(move |(j, s)| (i, j as usize, s)))
        .collect()
}

fn build(
    a: Input<'_>,
    a_dateline: &[String],
    b: Input<'_>,
    b_dateline: &[String],
    cancel: &AtomicBool,
) -> Result<(Comparison, similarity::Sparse), Cancelled> {
    let mut pa = prepare(a, Side::A, a_dateline, cancel)?;
    let mut pb = prepare(b, Side::B, b_dateline, cancel)?;

    terms::confirm_names(&mut pa.found, &mut pb.found);
    // Names found anywhere are marked everywhere, longest first.
    let mut names: Vec<String> = pa
        .found
        .iter()
        .chain(&pb.found)
        .flatten()
        .filter(|f| f.kind == TermKind::Name && has_han(&f.key))
        .map(|f| f.key.clone())
        .collect();
    names.sort_by(|x, y| y.len().cmp(&x.len()).then_with(|| x.cmp(y)));
    names.dedup();
    let names = terms::KnownNames::new(&names);
    for p in [&mut pa, &mut pb] {
        for ((pivot, found), &q) in p.pivots.iter().zip(p.found.iter_mut()).zip(&p.quiet) {
            go_on(cancel)?;
            if !q {
                terms::mark_known_names(&pivot.text, &names, found);
            }
        }
    }
    // 克里（John Kerry）: the Latin gloss names the same person as the CJK name it follows.
    let glosses = terms::glosses(
        pa.pivots
            .iter()
            .zip(&pa.found)
            .chain(pb.pivots.iter().zip(&pb.found))
            .map(|(p, f)| (p.text.as_str(), f.as_slice())),
    );
    for found in pa.found.iter_mut().chain(pb.found.iter_mut()) {
        for f in found.iter_mut().filter(|f| f.kind == TermKind::Name) {
            if let Some(k) = glosses.get(&f.key) {
                f.key = k.clone();
            }
        }
    }
    // The titles' content words (引渡, 国安法, 制裁) wherever the bodies use them.
    let mut topics: Vec<String> = [a.title, b.title]
        .iter()
        .flat_map(|t| terms::title_words(&script::convert(t, Script::Simplified)))
        .collect();
    topics.sort_by(|x, y| y.len().cmp(&x.len()).then_with(|| x.cmp(y)));
    topics.dedup();
    let topics = terms::KnownNames::new(&topics);
    for p in [&mut pa, &mut pb] {
        for ((pivot, found), &q) in p.pivots.iter().zip(p.found.iter_mut()).zip(&p.quiet) {
            go_on(cancel)?;
            if !q {
                terms::mark_known(&pivot.text, &topics, TermKind::Topic, found);
            }
        }
    }

    go_on(cancel)?;
    let mut sim = paragraph_similarity(&pa, &pb, cancel)?;
    // Furniture never aligns; captions align only with captions, never with a lead paragraph.
    for (i, row) in sim.iter_mut().enumerate() {
        row.retain(|&(j, _)| {
            let j = j as usize;
            !pa.quiet[i] && !pb.quiet[j] && pa.caption[i] == pb.caption[j]
        });
    }
    let (rows, cross_refs) = align::align_sparse(&sim, pa.paras.len(), pb.paras.len());
    go_on(cancel)?;

    let (terms, a_marks, b_marks) = collect_terms(&pa, &pb);
    go_on(cancel)?;
    let ledger = Ledger::new(&terms);
    let a_col = column(pa, a_marks);
    let b_col = column(pb, b_marks);
    let timeline = timeline::build(&terms, &a_col.header, &b_col.header);
    let gap = header::gap_sentence(&a_col.header, &b_col.header);
    let c = Comparison {
        a: a_col,
        b: b_col,
        rows,
        cross_refs,
        terms,
        ledger,
        timeline,
        gap,
    };
    Ok((c, sim))
}

/// How much the best pair of sentences counts against the paragraphs' own similarity.
const SENTENCE_SHARE: f32 = 0.5;

/// Pairs less similar than this are not kept as candidates (well below the match threshold).
const CANDIDATE_FLOOR: f32 = 0.02;
/// At most this many candidate partners per paragraph or sentence.
const CANDIDATES_PER_ROW: usize = 64;

/// Paragraph similarity, sparse (for each A paragraph, its candidate B partners): the TF-IDF
/// cosine of the paragraphs blended with that of their most similar pair of sentences, so one
/// shared fact in two long paragraphs is not drowned by the rest of them.
fn paragraph_similarity(
    pa: &Prepared,
    pb: &Prepared,
    cancel: &AtomicBool,
) -> Result<similarity::Sparse, Cancelled> {
    let ta: Vec<&str> = pa.pivots.iter().map(|p| p.text.as_str()).collect();
    let tb: Vec<&str> = pb.pivots.iter().map(|p| p.text.as_str()).collect();
    let (va, vb) =
        similarity::vectors_with_until(&ta, &term_tokens(pa), &tb, &term_tokens(pb), cancel)
            .ok_or(Cancelled)?;
    let para =
        similarity::sparse_until(&va, &vb, CANDIDATE_FLOOR / 2.0, CANDIDATES_PER_ROW, cancel)
            .ok_or(Cancelled)?;
    let (sa, xa, oa) = sentences(pa);
    go_on(cancel)?;
    let (sb, xb, ob) = sentences(pb);
    go_on(cancel)?;
    let (wa, wb) = similarity::vectors_with_until(&sa, &xa, &sb, &xb, cancel).ok_or(Cancelled)?;
    let sent = similarity::sparse_until(&wa, &wb, CANDIDATE_FLOOR, CANDIDATES_PER_ROW, cancel)
        .ok_or(Cancelled)?;
    // Per A paragraph: B paragraph → (paragraph cosine, best sentence cosine).
    let mut rows: Vec<std::collections::BTreeMap<u32, (f32, f32)>> =
        vec![Default::default(); pa.paras.len()];
    for (i, row) in para.into_iter().enumerate() {
        for (j, s) in row {
            rows[i].entry(j).or_default().0 = s;
        }
    }
    for (si, row) in sent.into_iter().enumerate() {
        let pi = oa[si];
        for (sj, s) in row {
            let e = &mut rows[pi].entry(ob[sj as usize] as u32).or_default().1;
            *e = e.max(s);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(j, (p, s))| (j, (1.0 - SENTENCE_SHARE) * p + SENTENCE_SHARE * s))
                .filter(|&(_, s)| s >= CANDIDATE_FLOOR)
                .collect()
        })
        .collect())
}

/// The sentences of each paragraph (pivot text), their term tokens, and their paragraph index.
fn sentences(p: &Prepared) -> (Vec<&str>, Vec<Vec<u64>>, Vec<usize>) {
    let mut extras = term_tokens_ranged(p);
    let (mut texts, mut extra, mut owner) = (Vec::new(), Vec::new(), Vec::new());
    for (i, pivot) in p.pivots.iter().enumerate() {
        let t = pivot.text.as_str();
        // Terms by start, walked once with the sentences (a filter over all of a paragraph's
        // terms for each sentence was quadratic in a long paragraph).
        let terms = &mut extras[i];
        terms.sort_by_key(|(r, _)| r.start);
        let mut next = 0;
        let mut start = 0;
        for end in sentence_ends(t) {
            while next < terms.len() && terms[next].0.start < start {
                next += 1;
            }
            let first = next;
            while next < terms.len() && terms[next].0.start < end {
                next += 1;
            }
            let s = &t[start..end];
            if s.trim().chars().count() >= 4 {
                texts.push(s);
                extra.push(
                    terms[first..next]
                        .iter()
                        .filter(|(r, _)| r.end <= end)
                        .map(|&(_, k)| k)
                        .collect(),
                );
                owner.push(i);
            }
            start = end;
        }
    }
    (texts, extra, owner)
}

/// Byte offsets where the sentences of `t` end; the last is `t.len()`.
fn sentence_ends(t: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut chars = t.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let stop = matches!(c, '。' | '！' | '？' | '；' | '!' | '?')
            || (c == '.' && chars.peek().is_none_or(|(_, n)| n.is_whitespace()));
        if !stop {
            continue;
        }
        let mut end = at + c.len_utf8();
        // A closing quote stays with its sentence.
        while let Some(&(q, qc)) = chars.peek() {
            if !matches!(qc, '”' | '」' | '』' | '"' | '’' | '）' | ')') {
                break;
            }
            end = q + qc.len_utf8();
            chars.next();
        }
        ends.push(end);
    }
    if ends.last() != Some(&t.len()) {
        ends.push(t.len());
    }
    ends
}

/// Extra similarity tokens per paragraph: the keys of its telling terms, dates also by month.
fn term_tokens(p: &Prepared) -> Vec<Vec<u64>> {
    term_tokens_ranged(p)
        .into_iter()
        .map(|v| v.into_iter().map(|(_, k)| k).collect())
        .collect()
}

/// [`term_tokens`] with the pivot range each token comes from.
fn term_tokens_ranged(p: &Prepared) -> Vec<Vec<(Range<usize>, u64)>> {
    p.found
        .iter()
        .map(|found| {
            let mut keys = Vec::new();
            for f in found {
                match f.kind {
                    // Title words are already in the text's own tokens; weighing them again
                    // would pull every paragraph that repeats the headline together.
                    TermKind::Number | TermKind::Topic => {}
                    TermKind::Date => {
                        if let Some(d) = f.date.filter(|d| d.month.is_some()) {
                            let month = PartialDate { day: None, ..d };
                            keys.push((f.range.clone(), similarity::extra_key(&month.iso())));
                        }
                    }
                    _ => keys.push((f.range.clone(), similarity::extra_key(&f.key))),
                }
            }
            keys
        })
        .collect()
}

type MarksPerParagraph = Vec<Vec<Mark>>;
/// One paragraph's occurrences: range in the original text, term index.
type RawMarks = Vec<(Range<usize>, usize)>;

/// Merges both sides' occurrences into terms by key, and turns occurrences into marks.
fn collect_terms(
    pa: &Prepared,
    pb: &Prepared,
) -> (Vec<Term>, MarksPerParagraph, MarksPerParagraph) {
    let mut terms: Vec<Term> = Vec::new();
    let mut index: std::collections::HashMap<(TermKind, String), usize> =
        std::collections::HashMap::new();
    let mut raw: [Vec<RawMarks>; 2] = [Vec::new(), Vec::new()];
    for (s, p) in [pa, pb].into_iter().enumerate() {
        for (para, (pivot, found)) in p.paras.iter().zip(p.pivots.iter().zip(&p.found)) {
            let mut marks = Vec::with_capacity(found.len());
            for f in found {
                let range = pivot.to_original(f.range.clone());
                let surface = para.text[range.clone()].to_string();
                let id = *index.entry((f.kind, f.key.clone())).or_insert_with(|| {
                    terms.push(Term {
                        kind: f.kind,
                        key: f.key.clone(),
                        a: None,
                        b: None,
                        a_count: 0,
                        b_count: 0,
                        presence: Presence::OnlyA,
                        date: f.date,
                    });
                    terms.len() - 1
                });
                let t = &mut terms[id];
                if s == 0 {
                    t.a_count += 1;
                    t.a.get_or_insert(surface);
                } else {
                    t.b_count += 1;
                    t.b.get_or_insert(surface);
                }
                marks.push((range, id));
            }
            raw[s].push(marks);
        }
    }
    for t in &mut terms {
        t.presence = match (t.a_count > 0, t.b_count > 0) {
            (true, true) => Presence::Both,
            (true, false) => Presence::OnlyA,
            _ => Presence::OnlyB,
        };
    }
    let [ra, rb] = raw;
    let finish = |raw: Vec<RawMarks>| -> MarksPerParagraph {
        raw.into_iter()
            .map(|ms| {
                ms.into_iter()
                    .map(|(range, term)| Mark {
                        range,
                        term,
                        presence: terms[term].presence,
                    })
                    .collect()
            })
            .collect()
    };
    let (ma, mb) = (finish(ra), finish(rb));
    (terms, ma, mb)
}

fn column(p: Prepared, marks: MarksPerParagraph) -> Column {
    Column {
        header: p.header,
        paragraphs: p
            .paras
            .into_iter()
            .zip(marks)
            .map(|(raw, marks)| Paragraph {
                html: raw.html,
                text: raw.text,
                heading: raw.heading,
                marks,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(html: &str) -> Input<'_> {
        Input {
            outlet: None,
            title: "t",
            published: None,
            html,
        }
    }

    #[test]
    fn a_set_flag_cancels_and_an_unset_one_changes_nothing() {
        let a = "<p>美国气候特使克里抵达北京。</p><p>双方恢复对话。</p>";
        let b = "<p>克里在北京表示，双方恢复对话。</p>";
        let set = AtomicBool::new(true);
        assert_eq!(
            compare_inputs_until(input(a), input(b), &set),
            Err(Cancelled)
        );
        let unset = AtomicBool::new(false);
        let c = compare_inputs_until(input(a), input(b), &unset).unwrap();
        assert_eq!(c, compare_inputs(input(a), input(b)));
        assert_eq!(c.a.paragraphs.len(), 2);
    }

    #[test]
    fn a_flag_set_from_another_thread_stops_a_long_comparison() {
        // Thousands of paragraphs: the work takes far longer than setting the flag does.
        let a: String = (0..3000)
            .map(|i| format!("<p>美国 中方 气候 谈判 第{i}段 北京 会议 声明。</p>"))
            .collect();
        let b: String = (0..3000)
            .map(|i| format!("<p>华盛顿 特使 表示 恢复 对话 第{i}段 会议。</p>"))
            .collect();
        let flag = std::sync::Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let job = std::thread::spawn(move || compare_inputs_until(input(&a), input(&b), &f).err());
        flag.store(true, Ordering::Relaxed);
        assert_eq!(job.join().unwrap(), Some(Cancelled));
    }
}
