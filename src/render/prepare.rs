//! DOM preparation: article HTML (parsed by scraper) to a flat list of blocks.
//!
//! This is where html2text falls short for news pages, so the page is read once with scraper and
//! turned into blocks the layout step can wrap at any width without looking at HTML again:
//! - running text (paragraphs, headings, centred paragraphs) as styled pieces;
//! - one-line placeholders for images (with their caption: a `<figcaption>`, DW's `<small>` right
//!   after the image, 观察者网's centred caption paragraph after a centred image paragraph, else
//!   `title`, `alt`, else the file name) and for iframes, videos and audio (naming the host);
//! - rules;
//! - structured blocks (lists, quotes, tables, preformatted text) re-emitted as small, clean,
//!   depth-capped HTML for html2text, with U+200B between CJK characters where a line may break.
//!
//! Scripts, styles, forms, hidden elements and tracking pixels are dropped; links are numbered in
//! document order (one number per distinct URL). The walk is iterative, so no input depth can
//! overflow the stack, and everything is linear in the size of the tree.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::clean::{Cleaner, NOSCRIPT};
use super::links;
use super::wrap::{Piece, Tag, breaks_around, can_break_between, mark};
use crate::sanitize::clean_line;

/// What a block is; decides its style and how it is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// Running text.
    Paragraph,
    /// A heading, level 1–6.
    Heading(u8),
    /// An image or embed placeholder (one line, wrapped if long).
    Placeholder,
    /// A horizontal rule.
    Rule,
    /// Lists, quotes, tables, preformatted text: HTML for html2text.
    Structured(String),
}

/// One block of the prepared document.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// Centre every line (`align="center"`, `text-align:center`, `<center>`).
    pub center: bool,
    /// The text, for every kind but `Rule` and `Structured`.
    pub pieces: Vec<Piece>,
}

/// A numbered link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LinkInfo {
    /// Visible text of the first occurrence (one line, sanitised). Inline when short, as most
    /// link texts and URLs of a link farm are: no allocation apiece.
    pub text: compact_str::CompactString,
    /// The URL as written, sanitised.
    pub href: compact_str::CompactString,
}

/// An article body ready to be laid out at any width.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    pub(crate) blocks: Vec<Block>,
    pub(crate) links: Vec<LinkInfo>,
    /// `src` of every image shown, as written (sanitised).
    pub(crate) image_srcs: Vec<String>,
    /// What the block rules of the cleaning stage removed.
    pub(crate) removed: super::clean::Removed,
}

impl Prepared {
    /// What the block rules of the cleaning stage removed (furniture lines, doubled captions).
    pub fn removed(&self) -> super::clean::Removed {
        self.removed
    }
}

/// Alt texts that describe the page, not the picture (观察者网 writes 点击查看大图 on every one).
const BOILERPLATE_ALT: &[&str] = &[
    "点击查看大图",
    "點擊查看大圖",
    "点击看大图",
    "点击图片查看大图",
    "image",
    "img",
    "photo",
    "picture",
    "图片",
    "圖片",
];

/// Maximum nesting of lists and of quotes kept in structured blocks; deeper levels are flattened.
const MAX_LIST_DEPTH: usize = 6;
const MAX_QUOTE_DEPTH: usize = 4;
/// Maximum nesting of any element emitted for html2text.
const MAX_EMIT_DEPTH: usize = 24;

/// Parses and prepares `html` with the generic cleaning rules (see [`prepare_with`]). Never
/// fails: unknown or broken markup degrades to text.
pub fn prepare(html: &str) -> Prepared {
    prepare_with(html, &Cleaner::generic())
}

/// Parses `html`, removes its furniture as `cleaner` says (see [`super::clean`]), and prepares
/// what is left.
pub fn prepare_with(html: &str, cleaner: &Cleaner) -> Prepared {
    // Each stage's input goes as soon as the next has what it needs (the copies of the HTML,
    // then the tree, then the link table): a huge report's peak is one stage, not all of them.
    let mut doc: Html = {
        let cleaned = crate::sanitize::clean(html);
        let exposed = super::clean::expose_noscript(&cleaned);
        crate::html_limit::parse_fragment(&super::bound_html(&exposed))
    };
    super::clean::clean_tree(&mut doc, cleaner);
    let mut p = Preparer::default();
    walk(doc.tree.root(), &mut p);
    p.flush();
    drop(doc);
    let Preparer {
        blocks,
        links,
        image_srcs,
        ..
    } = p;
    let mut prepared = Prepared {
        blocks,
        links,
        image_srcs,
        removed: Default::default(),
    };
    prepared.removed = super::clean::clean_blocks(&mut prepared, cleaner, html);
    prepared
}

/// Visits a subtree depth-first without recursion: `enter` returns whether to descend; `leave` is
/// called for every entered node, descended or not.
fn walk<'a, V: Visitor<'a>>(root: NodeRef<'a, Node>, v: &mut V) {
    let mut node = root;
    'outer: loop {
        if v.enter(node) {
            if let Some(child) = node.first_child() {
                node = child;
                continue;
            }
        }
        loop {
            v.leave(node);
            if node.id() == root.id() {
                break 'outer;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                continue 'outer;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'outer,
            }
        }
    }
}

trait Visitor<'a> {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool;
    fn leave(&mut self, node: NodeRef<'a, Node>);
}

fn element_name<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

/// Elements dropped with everything inside.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "form"
            | "input"
            | "button"
            | "select"
            | "option"
            | "textarea"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "svg"
            | "math"
            | "canvas"
            | "map"
            | "frameset"
            | "frame"
            | "param"
            | "source"
            | "track"
    )
}

/// Elements that end the running paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "figure"
            | "figcaption"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "dialog"
            | "fieldset"
            | "legend"
            | "hgroup"
            | "body"
            | "html"
            | "li"
            | "dt"
            | "dd"
            | "caption"
            | "tr"
    ) || name == NOSCRIPT
}

/// Elements laid out by html2text.
fn is_structured(name: &str) -> bool {
    matches!(
        name,
        "ul" | "ol" | "dl" | "menu" | "blockquote" | "table" | "pre"
    )
}

fn is_embed(name: &str) -> bool {
    matches!(name, "iframe" | "video" | "audio" | "embed" | "object")
}

/// Elements that end a line of text: blocks, structured blocks, headings, embeds, images and
/// line breaks. The one set for preparing a body and for the cleaning stage's cheap scans (see
/// [`super::clean`]), so a line learned as furniture is a line the prepared body has.
pub(crate) fn ends_line(name: &str) -> bool {
    is_block(name)
        || is_structured(name)
        || is_embed(name)
        || matches!(
            name,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "br" | "hr" | "img"
        )
}

fn inline_mark(name: &str) -> u16 {
    match name {
        "strong" | "b" => mark::STRONG,
        "em" | "i" | "cite" | "dfn" | "var" => mark::EMPHASIS,
        "code" | "kbd" | "samp" | "tt" => mark::CODE,
        "s" | "del" | "strike" => mark::STRIKE,
        _ => 0,
    }
}

/// True for elements a reader cannot see (`hidden`, `display:none`, `visibility:hidden`).
fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    compact_style(e).is_some_and(|s| s.contains("display:none") || s.contains("visibility:hidden"))
}

fn is_centered(e: &scraper::node::Element) -> bool {
    if e.name() == "center" {
        return true;
    }
    if e.attr("align")
        .is_some_and(|a| a.trim().eq_ignore_ascii_case("center"))
    {
        return true;
    }
    compact_style(e).is_some_and(|s| s.contains("text-align:center"))
}

/// The `style` attribute lower-cased with white space removed, so `Display : None` and
/// `display:none` read alike.
fn compact_style(e: &scraper::node::Element) -> Option<String> {
    e.attr("style").map(|s| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
    })
}

/// Visible text of a subtree, one line (for captions and link texts).
fn text_of(node: NodeRef<'_, Node>) -> String {
    struct T(String);
    impl<'a> Visitor<'a> for T {
        fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
            match node.value() {
                Node::Text(t) => {
                    self.0.push_str(t);
                    false
                }
                Node::Element(e) => !is_dropped(e.name()) && !is_hidden(e),
                _ => true,
            }
        }
        fn leave(&mut self, node: NodeRef<'a, Node>) {
            if let Some(name) = element_name(&node) {
                if is_block(name) || name == "br" {
                    self.0.push(' ');
                }
            }
        }
    }
    let mut t = T(String::new());
    walk(node, &mut t);
    // A caption is one line: runs of no-break spaces (观察者网 pads with them) fold too.
    collapse(&t.0.replace('\u{a0}', " "))
}

/// Collapses white space to single spaces and trims, as a browser shows text: a run of white
/// space holding a line break between two CJK characters disappears (CSS segment-break rule for
/// East Asian text), so `中\n文` reads 中文 while `中 文` keeps its space. Sanitised, one line.
pub(crate) fn collapse(s: &str) -> String {
    let s = crate::sanitize::clean(s);
    let mut out = String::with_capacity(s.len());
    let mut pending: Option<bool> = None; // Some(run had a line break)
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            let nl = c == '\n';
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(had_newline) = pending.take() {
            let join = had_newline
                && out.chars().next_back().is_some_and(breaks_around)
                && breaks_around(c);
            if !out.is_empty() && !join {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// Next sibling element, skipping white-space text and comments.
fn next_element<'a>(node: NodeRef<'a, Node>) -> Option<NodeRef<'a, Node>> {
    let mut n = node.next_sibling();
    while let Some(s) = n {
        match s.value() {
            Node::Element(_) => return Some(s),
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Comment(_) => {}
            _ => return None,
        }
        n = s.next_sibling();
    }
    None
}

/// True when `node`'s only meaningful content is the element `only`.
fn only_child_is(node: NodeRef<'_, Node>, only: NodeId) -> bool {
    let mut found = false;
    for c in node.children() {
        match c.value() {
            Node::Element(_) if c.id() == only => found = true,
            Node::Element(e) if e.name() == "br" => {}
            Node::Element(_) => return false,
            Node::Text(t) if t.trim_matches(|c: char| c.is_whitespace()).is_empty() => {}
            Node::Text(_) => return false,
            _ => {}
        }
    }
    found
}

fn contains_element(node: NodeRef<'_, Node>, name: &str) -> bool {
    node.descendants()
        .any(|d| d.value().as_element().is_some_and(|e| e.name() == name))
}

/// Finds an image's caption in the page structure; returns the caption and the node it came from
/// (which is then not rendered again).
/// How many children of a figure-like parent are searched for its caption.
const FIGURE_CHILDREN: usize = 64;

fn find_caption(img: NodeRef<'_, Node>) -> Option<(String, NodeId)> {
    // <figure><img><figcaption>…</figcaption></figure>, the image possibly wrapped in a link.
    // A caption is looked for among the first FIGURE_CHILDREN children only: scanning all of
    // them for every image was quadratic in a paragraph of thousands of images (issue #15).
    let mut up = img.parent();
    for _ in 0..3 {
        let Some(p) = up else { break };
        let lone_image = || {
            p.descendants()
                .filter(|d| element_name(d) == Some("img"))
                .count()
                == 1
        };
        if element_name(&p) == Some("figure")
            || (p
                .children()
                .take(FIGURE_CHILDREN)
                .any(|c| element_name(&c) == Some("figcaption"))
                && lone_image())
        {
            for c in p.children().take(FIGURE_CHILDREN) {
                if element_name(&c) == Some("figcaption") {
                    let text = text_of(c);
                    if !text.is_empty() {
                        return Some((text, c.id()));
                    }
                }
            }
            break;
        }
        up = p.parent();
    }
    // DW: <img><div><small>caption</small></div>, or <img><small>caption</small>.
    if let Some(next) = next_element(img) {
        let is_small = element_name(&next) == Some("small");
        let wraps_small = matches!(element_name(&next), Some("div" | "p" | "span"))
            && next.children().any(|c| element_name(&c) == Some("small"))
            && next.children().all(|c| match c.value() {
                Node::Element(e) => e.name() == "small",
                Node::Text(t) => t.trim().is_empty(),
                _ => true,
            });
        if is_small || wraps_small {
            let text = text_of(next);
            if !text.is_empty() {
                return Some((text, next.id()));
            }
        }
    }
    // 观察者网: <p align=center><img></p><p align=center>caption</p>.
    let parent = img.parent()?;
    let parent_el = parent.value().as_element()?;
    if is_centered(parent_el) && only_child_is(parent, img.id()) {
        let next = next_element(parent)?;
        let next_el = next.value().as_element()?;
        if is_centered(next_el) && !contains_element(next, "img") {
            let text = text_of(next);
            if !text.is_empty() && text.chars().count() <= 300 {
                return Some((text, next.id()));
            }
        }
    }
    None
}

/// The part of an attribute that means something: trimmed, one line, not boilerplate.
fn meaningful(s: Option<&str>) -> Option<String> {
    let s = clean_line(s?);
    if s.is_empty()
        || BOILERPLATE_ALT.iter().any(|b| s.eq_ignore_ascii_case(b))
        || looks_like_file_name(&s)
    {
        None
    } else {
        Some(s)
    }
}

/// A file name, path or URL rather than words (`54034698_303.jpg`, `//cdn/x`, `IMG-2231`):
/// never shown as an image's text.
fn looks_like_file_name(s: &str) -> bool {
    if s.contains("://") || s.starts_with("//") || s.starts_with('/') {
        return true;
    }
    if s.contains(char::is_whitespace) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    ext.is_some_and(|e| {
        matches!(
            e,
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "svg" | "bmp" | "avif" | "tif" | "tiff"
        )
    }) || (s.is_ascii()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)))
}

fn parse_px(s: Option<&str>) -> Option<u32> {
    let s = s?.trim();
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// A 1×1 image, a beacon: nothing to show.
fn is_tracking_pixel(e: &scraper::node::Element) -> bool {
    let w = parse_px(e.attr("width"));
    let h = parse_px(e.attr("height"));
    matches!((w, h), (Some(w), Some(h)) if w <= 2 && h <= 2) || w == Some(0) || h == Some(0)
}

/// What an embed placeholder says and points to.
struct Embed {
    /// `[Video] 时事大家谈：…`, else `[Video: youtube.com]`, else `[Video]`.
    label: String,
    /// The title, when the page gives one, for the Links section.
    title: Option<String>,
    /// The media URL (`src`, `data`, else the first `<source src>`; never the poster).
    src: Option<String>,
    /// The caption element the title came from, not rendered again.
    caption: Option<NodeId>,
}

/// An embed's placeholder: its title from the `title` or `aria-label` attribute, a
/// `<figcaption>` or the caption right after it, and its URL.
fn embed_info(node: NodeRef<'_, Node>, e: &scraper::node::Element) -> Embed {
    let kind = match e.name() {
        "video" => "Video",
        "audio" => "Audio",
        _ => "Embedded content",
    };
    let mut src = e.attr("src").or_else(|| e.attr("data"));
    if src.is_none() {
        src = node
            .descendants()
            .filter_map(|d| d.value().as_element())
            .find(|el| el.name() == "source" && el.attr("src").is_some())
            .and_then(|el| el.attr("src"));
    }
    let src = src.map(clean_line).filter(|s| !s.is_empty());
    let mut caption = None;
    let title = meaningful(e.attr("title"))
        .or_else(|| meaningful(e.attr("aria-label")))
        .or_else(|| {
            let (text, id) = find_caption(node)?;
            caption = Some(id);
            Some(text)
        });
    let label = match (&title, src.as_deref().and_then(links::host)) {
        (Some(t), _) => format!("[{kind}] {t}"),
        (None, Some(host)) => format!("[{kind}: {host}]"),
        (None, None) => format!("[{kind}]"),
    };
    Embed {
        label,
        title,
        src,
        caption,
    }
}

/// A link being read.
struct OpenLink {
    id: NodeId,
    /// Its number, 0 when it is not numbered (no usable `href`).
    number: u32,
    /// Visible text so far.
    text: String,
    /// The number was given to this occurrence (not an earlier link to the same URL).
    new: bool,
    /// Where its start tag was written (structured blocks).
    out_pos: usize,
}

/// The 64-bit key of a URL in the link-number table.
fn href_key(href: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(href)
}

#[derive(Default)]
struct Preparer {
    blocks: Vec<Block>,
    links: Vec<LinkInfo>,
    /// The number of each URL in `links`, by a 64-bit hash of it (issue #15: owned URL keys
    /// doubled the URLs of a report with a million links); see [`Preparer::link_number`].
    link_numbers: HashMap<u64, u32, rustc_hash::FxBuildHasher>,
    /// URLs whose hash an earlier, different URL holds in `link_numbers` (next to never).
    link_clashes: HashMap<String, u32>,
    image_srcs: Vec<String>,
    /// Looked up for every element of the page (Fx: SipHash showed in profiles).
    consumed: HashSet<NodeId, rustc_hash::FxBuildHasher>,

    para: Vec<Piece>,
    tag: Tag,
    /// Saved tags of open elements that changed it: (element, tag before).
    tag_stack: Vec<(NodeId, Tag)>,
    center_stack: Vec<NodeId>,
    heading: Option<(NodeId, u8)>,
    /// Open links, innermost last.
    open_links: Vec<OpenLink>,
    /// Last character pushed into the paragraph, for CJK line joins.
    last_char: Option<char>,
    pending_space: bool,
    /// The pending white space holds a line break.
    pending_newline: bool,
    /// Scratch for [`Preparer::text`].
    text_buf: String,
}

impl Preparer {
    fn flush(&mut self) {
        let pieces = std::mem::take(&mut self.para);
        self.last_char = None;
        self.pending_space = false;
        self.pending_newline = false;
        let visible = pieces.iter().any(|p| {
            p.text
                .chars()
                .any(|c| !c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{200b}' | '\u{feff}'))
        });
        if !visible {
            return;
        }
        let kind = match self.heading {
            Some((_, level)) => BlockKind::Heading(level),
            None => BlockKind::Paragraph,
        };
        self.blocks.push(Block {
            kind,
            center: !self.center_stack.is_empty(),
            pieces,
        });
    }

    fn push_piece(&mut self, text: &str, tag: Tag) {
        match self.para.last_mut() {
            Some(p) if p.tag == tag => p.text.push_str(text),
            _ => self.para.push(Piece::new(text, tag)),
        }
    }

    /// Adds a text node: white space collapsed; a line break between two CJK characters joins
    /// them without a space, as browsers do for Chinese.
    fn text(&mut self, t: &str) {
        let tag = self.tag;
        // One buffer for every text node of the page, not an allocation per node.
        let mut buf = std::mem::take(&mut self.text_buf);
        buf.clear();
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
                self.pending_newline |= c == '\n';
                continue;
            }
            if self.pending_space {
                self.pending_space = false;
                let join = std::mem::take(&mut self.pending_newline)
                    && self.last_char.is_some_and(breaks_around)
                    && breaks_around(c);
                if self.last_char.is_some() && !join {
                    if buf.is_empty() {
                        // White space before an element takes the style before it, so a link
                        // does not start with an underlined space.
                        let before = self.para.last().map_or(tag, |p| p.tag);
                        self.push_piece(" ", before);
                    } else {
                        buf.push(' ');
                    }
                }
            }
            buf.push(c);
            self.last_char = Some(c);
        }
        if !buf.is_empty() {
            for link in &mut self.open_links {
                if link.number > 0 {
                    link.text.push_str(&buf);
                }
            }
            self.push_piece(&buf, tag);
        }
        self.text_buf = buf;
    }

    /// Opens a link: numbers it (one number per URL).
    fn open_link(&mut self, id: NodeId, href: Option<&str>, out_pos: usize) -> u32 {
        let mut link = OpenLink {
            id,
            number: 0,
            text: String::new(),
            new: false,
            out_pos,
        };
        if let Some(href) = href.and_then(links::usable_href) {
            link.new = self.link_number(&href).is_none();
            link.number = self.number_href(href, "");
        }
        let number = link.number;
        self.open_links.push(link);
        number
    }

    /// Closes the innermost link if it is `id`. Returns it with its text collapsed, or `None`
    /// when it was not numbered or showed nothing (an empty anchor gets no number: it is
    /// forgotten when it was the first link to its URL).
    fn close_open_link(&mut self, id: NodeId) -> Option<OpenLink> {
        if self.open_links.last().is_none_or(|l| l.id != id) {
            return None;
        }
        let mut link = self.open_links.pop()?;
        if link.number == 0 {
            return None;
        }
        link.text = collapse(&link.text);
        if link.text.is_empty() {
            if link.new && link.number as usize == self.links.len() {
                if let Some(info) = self.links.pop() {
                    let key = href_key(&info.href);
                    if self.link_numbers.get(&key) == Some(&link.number) {
                        self.link_numbers.remove(&key);
                    } else {
                        self.link_clashes.remove(info.href.as_str());
                    }
                }
                for p in &mut self.para {
                    if p.tag.link == link.number {
                        p.tag.link = 0;
                        p.tag.marks &= !mark::LINK;
                    }
                }
            }
            return None;
        }
        let info = &mut self.links[link.number as usize - 1];
        if info.text.is_empty() {
            info.text = link.text.as_str().into();
        }
        Some(link)
    }

    fn close_link(&mut self, number: u32) {
        let label = format!("[{number}]");
        let tag = Tag {
            marks: mark::LINK_NUMBER,
            link: number,
        };
        if self.para.is_empty() {
            // A link around an image only: number the placeholder.
            if let Some(last) = self.blocks.last_mut() {
                if last.kind == BlockKind::Placeholder
                    && last.pieces.iter().any(|p| p.tag.link == number)
                {
                    last.pieces.push(Piece::new(label, tag));
                    return;
                }
            }
        }
        // Latin link text gets a no-break space before its number; CJK text none.
        let sep = self
            .last_char
            .is_some_and(|c| !breaks_around(c) && c != ')');
        if self.pending_space || sep {
            self.push_piece("\u{a0}", self.tag);
            self.pending_space = false;
        }
        self.push_piece(&label, tag);
        self.last_char = Some(']');
    }

    fn image(&mut self, node: NodeRef<'_, Node>, e: &scraper::node::Element) {
        if is_tracking_pixel(e) {
            return;
        }
        let src = e.attr("src").map(clean_line).unwrap_or_default();
        let caption = find_caption(node);
        let text = match caption {
            Some((text, id)) => {
                self.consumed.insert(id);
                Some(text)
            }
            None => meaningful(e.attr("title")).or_else(|| meaningful(e.attr("alt"))),
        };
        let text = match text {
            Some(t) => t,
            None if src.is_empty() => return,
            None => String::new(),
        };
        let label = if text.is_empty() {
            "[Image]".to_string()
        } else {
            format!("[Image] {text}")
        };
        if !src.is_empty() {
            self.image_srcs.push(src);
        }
        if let Some(link) = self.open_links.last_mut() {
            if link.number > 0 && link.text.trim().is_empty() {
                link.text.push_str(&text);
            }
        }
        self.placeholder(label, mark::IMAGE);
    }

    /// A video, audio or embedded page: a placeholder naming it, numbered, its URL in Links.
    fn embed(&mut self, node: NodeRef<'_, Node>, e: &scraper::node::Element) {
        let embed = embed_info(node, e);
        if let Some(id) = embed.caption {
            self.consumed.insert(id);
        }
        let number = match embed.src.as_deref().and_then(links::usable_href) {
            Some(href) => {
                // Links names it by its title, else as the placeholder does.
                let text = match &embed.title {
                    Some(t) => t.clone(),
                    None => embed.label.trim_matches(['[', ']']).to_string(),
                };
                self.number_href(href, &text)
            }
            None => 0,
        };
        self.placeholder(embed.label, mark::EMBED);
        if number > 0 {
            if let Some(b) = self.blocks.last_mut() {
                b.pieces.push(Piece::new(
                    format!("[{number}]"),
                    Tag {
                        marks: mark::LINK_NUMBER,
                        link: number,
                    },
                ));
            }
        }
    }

    /// The number of `href` in Links, given now when it has none yet (with `text`).
    fn number_href(&mut self, href: String, text: &str) -> u32 {
        if let Some(n) = self.link_number(&href) {
            return n;
        }
        let n = self.links.len() as u32 + 1;
        match self.link_numbers.entry(href_key(&href)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(n);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.link_clashes.insert(href.clone(), n);
            }
        }
        self.links.push(LinkInfo {
            text: text.into(),
            href: href.into(),
        });
        n
    }

    /// The number `href` already has, if any: by its hash, checked against the URL kept in
    /// `links` (one copy of each URL), else among the clashes.
    fn link_number(&self, href: &str) -> Option<u32> {
        let &n = self.link_numbers.get(&href_key(href))?;
        if self.links[n as usize - 1].href == href {
            Some(n)
        } else {
            self.link_clashes.get(href).copied()
        }
    }

    fn placeholder(&mut self, label: String, marks: u16) {
        self.flush();
        self.blocks.push(Block {
            kind: BlockKind::Placeholder,
            center: !self.center_stack.is_empty(),
            pieces: vec![Piece::new(
                label,
                Tag {
                    marks,
                    link: self.tag.link,
                },
            )],
        });
    }

    fn structured(&mut self, node: NodeRef<'_, Node>) {
        self.flush();
        let mut s = Serializer {
            prep: self,
            out: String::new(),
            open: Vec::new(),
            list_depth: 0,
            quote_depth: 0,
            table_depth: 0,
            pre_depth: 0,
            last_char: None,
            pending_space: false,
            pending_newline: false,
        };
        walk(node, &mut s);
        let html = s.out;
        if !html.is_empty() {
            self.blocks.push(Block {
                kind: BlockKind::Structured(html),
                center: false,
                pieces: Vec::new(),
            });
        }
    }
}

impl<'a> Visitor<'a> for Preparer {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        let e = match node.value() {
            Node::Text(t) => {
                self.text(t);
                return false;
            }
            Node::Element(e) => e,
            Node::Document | Node::Fragment => return true,
            _ => return false,
        };
        let name = e.name();
        if is_dropped(name) || is_hidden(e) || self.consumed.contains(&node.id()) {
            return false;
        }
        if is_structured(name) {
            self.structured(node);
            return false;
        }
        match name {
            "img" => {
                self.image(node, e);
                return false;
            }
            "br" => {
                self.push_piece("\n", self.tag);
                self.pending_space = false;
                self.last_char = None;
                return false;
            }
            "hr" => {
                self.flush();
                self.blocks.push(Block {
                    kind: BlockKind::Rule,
                    center: false,
                    pieces: Vec::new(),
                });
                return false;
            }
            n if is_embed(n) => {
                self.embed(node, e);
                return false;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.heading.is_none() => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                self.heading = Some((node.id(), level));
            }
            n if is_block(n) => self.flush(),
            _ => {}
        }
        if is_centered(e) {
            self.flush();
            self.center_stack.push(node.id());
        }
        let m = inline_mark(name);
        if name == "a" {
            let number = self.open_link(node.id(), e.attr("href"), 0);
            if number > 0 {
                self.tag_stack.push((node.id(), self.tag));
                self.tag.marks |= mark::LINK;
                self.tag.link = number;
            }
        } else if m != 0 {
            self.tag_stack.push((node.id(), self.tag));
            self.tag.marks |= m;
        }
        true
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        let Some(name) = element_name(&node) else {
            return;
        };
        let id = node.id();
        if self.tag_stack.last().is_some_and(|(n, _)| *n == id) {
            self.tag = self.tag_stack.pop().map(|(_, t)| t).unwrap_or_default();
        }
        if let Some(link) = self.close_open_link(id) {
            self.close_link(link.number);
        }
        if self.heading.is_some_and(|(n, _)| n == id) {
            self.flush();
            self.heading = None;
        } else if is_block(name) {
            self.flush();
        }
        if self.center_stack.last() == Some(&id) {
            self.flush();
            self.center_stack.pop();
        }
    }
}

/// Re-emits a structured subtree as clean HTML for html2text: known tags only, no attributes but
/// the ones it needs, nesting capped, links and images replaced by markers the layout step reads
/// back (`href="L3"`: text of link 3, `href="N3"`: its number, `src="i"`: a placeholder).
struct Serializer<'p> {
    prep: &'p mut Preparer,
    out: String,
    /// Open emitted elements: (source element, emitted tag name or "" when not emitted).
    open: Vec<(NodeId, &'static str)>,
    list_depth: usize,
    quote_depth: usize,
    table_depth: usize,
    pre_depth: usize,
    last_char: Option<char>,
    pending_space: bool,
    pending_newline: bool,
}

impl Serializer<'_> {
    /// Deals with white space held back from the last text node before a tag: kept as one
    /// space before inline elements, dropped at block boundaries.
    fn flush_space(&mut self, inline: bool) {
        if std::mem::take(&mut self.pending_space) && inline && self.last_char.is_some() {
            self.out.push(' ');
            self.last_char = Some(' ');
        }
        self.pending_newline = false;
    }

    fn open_tag(&mut self, id: NodeId, tag: &'static str) {
        self.flush_space(matches!(tag, "strong" | "em" | "code" | "s"));
        if self.open.len() >= MAX_EMIT_DEPTH {
            self.open.push((id, ""));
            self.out.push_str("<br>");
            return;
        }
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self.open.push((id, tag));
        self.last_char = None;
    }

    fn text(&mut self, t: &str) {
        let pre = self.pre_depth > 0;
        for c in t.chars() {
            if !pre && c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
                self.pending_newline |= c == '\n';
                continue;
            }
            if std::mem::take(&mut self.pending_space) {
                // A line break between two CJK characters is no space (as in the main flow).
                let join = std::mem::take(&mut self.pending_newline)
                    && self.last_char.is_some_and(breaks_around)
                    && breaks_around(c);
                if !join && self.last_char.is_some() {
                    self.out.push(' ');
                    self.last_char = Some(' ');
                }
            }
            if !pre {
                if let Some(prev) = self.last_char {
                    if !c.is_whitespace()
                        && !prev.is_whitespace()
                        && (breaks_around(prev) || breaks_around(c))
                        && can_break_between(None, prev, c)
                    {
                        self.out.push('\u{200b}');
                    }
                }
            }
            escape_into(&mut self.out, c);
            self.last_char = Some(c);
        }
        for link in &mut self.prep.open_links {
            if link.number > 0 {
                link.text.push_str(t);
            }
        }
    }

    fn placeholder(&mut self, label: &str, kind: &str) {
        self.out.push_str("<img src=\"");
        self.out.push_str(kind);
        self.out.push_str("\" alt=\"");
        for c in label.chars() {
            escape_into(&mut self.out, c);
        }
        self.out.push_str("\">");
        self.last_char = None;
    }
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        c => out.push(c),
    }
}

impl<'a> Visitor<'a> for Serializer<'_> {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> bool {
        let e = match node.value() {
            Node::Text(t) => {
                self.text(t);
                return false;
            }
            Node::Element(e) => e,
            _ => return false,
        };
        let name = e.name();
        let id = node.id();
        if is_dropped(name) || is_hidden(e) || self.prep.consumed.contains(&id) {
            return false;
        }
        match name {
            "img" => {
                if is_tracking_pixel(e) {
                    return false;
                }
                let src = e.attr("src").map(clean_line).unwrap_or_default();
                let text = find_caption(node)
                    .map(|(t, cid)| {
                        self.prep.consumed.insert(cid);
                        t
                    })
                    .or_else(|| meaningful(e.attr("title")))
                    .or_else(|| meaningful(e.attr("alt")))
                    .unwrap_or_default();
                if !src.is_empty() {
                    self.prep.image_srcs.push(src);
                }
                let label = if text.is_empty() {
                    "[Image]".to_string()
                } else {
                    format!("[Image] {text}")
                };
                self.placeholder(&label, "i");
                return false;
            }
            n if is_embed(n) => {
                let embed = embed_info(node, e);
                if let Some(id) = embed.caption {
                    self.prep.consumed.insert(id);
                }
                self.placeholder(&embed.label, "e");
                return false;
            }
            "br" => {
                self.out.push_str("<br>");
                self.last_char = None;
                return false;
            }
            "hr" => {
                self.out.push_str("<br>");
                return false;
            }
            _ => {}
        }
        let tag: Option<&'static str> = match name {
            "ul" | "ol" | "menu" | "dl" => {
                self.list_depth += 1;
                let start = e.attr("start").and_then(|v| v.trim().parse::<i32>().ok());
                if let (true, "ol", Some(start)) = (self.list_depth <= MAX_LIST_DEPTH, name, start)
                {
                    // html2text numbers from `start`; keep it (numbers only, nothing else).
                    self.flush_space(false);
                    self.out.push_str(&format!("<ol start=\"{start}\">"));
                    self.open.push((id, "ol"));
                    self.last_char = None;
                    None
                } else if self.list_depth <= MAX_LIST_DEPTH {
                    Some(match name {
                        "ol" => "ol",
                        "dl" => "dl",
                        _ => "ul",
                    })
                } else {
                    None
                }
            }
            "li" | "dt" | "dd" => {
                if self.list_depth <= MAX_LIST_DEPTH && self.list_depth > 0 {
                    Some(match name {
                        "li" => "li",
                        "dt" => "dt",
                        _ => "dd",
                    })
                } else {
                    self.out.push_str("<br>");
                    None
                }
            }
            "blockquote" => {
                self.quote_depth += 1;
                (self.quote_depth <= MAX_QUOTE_DEPTH).then_some("blockquote")
            }
            "table" => {
                self.table_depth += 1;
                (self.table_depth == 1).then_some("table")
            }
            "thead" | "tbody" | "tfoot" if self.table_depth == 1 => Some("tbody"),
            "tr" if self.table_depth == 1 => Some("tr"),
            "td" if self.table_depth == 1 => Some("td"),
            "th" if self.table_depth == 1 => Some("th"),
            "tr" | "caption" => {
                self.out.push_str("<br>");
                None
            }
            "td" | "th" => {
                self.out.push(' ');
                None
            }
            "pre" => {
                self.pre_depth += 1;
                (self.pre_depth == 1).then_some("pre")
            }
            "p" => Some("p"),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.open_tag(id, "p");
                Some("strong")
            }
            "a" => {
                self.flush_space(true);
                let number = self.prep.open_link(id, e.attr("href"), self.out.len());
                if number > 0 {
                    self.out.push_str(&format!("<a href=\"L{number}\">"));
                    self.open.push((id, "a"));
                }
                return true;
            }
            n if is_block(n) => Some("div"),
            n => match inline_mark(n) {
                mark::STRONG => Some("strong"),
                mark::EMPHASIS => Some("em"),
                mark::CODE => Some("code"),
                mark::STRIKE => Some("s"),
                _ => None,
            },
        };
        if let Some(tag) = tag {
            self.open_tag(id, tag);
        }
        true
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        let Some(name) = element_name(&node) else {
            return;
        };
        let id = node.id();
        if is_block(name) || is_structured(name) {
            self.flush_space(false);
        }
        while self.open.last().is_some_and(|(n, _)| *n == id) {
            let (_, tag) = self.open.pop().unwrap_or((id, ""));
            if !tag.is_empty() {
                self.out.push_str("</");
                self.out.push_str(tag);
                self.out.push('>');
            }
        }
        let was_numbered = self
            .prep
            .open_links
            .last()
            .is_some_and(|l| l.id == id && l.number > 0);
        if was_numbered {
            let out_pos = self.prep.open_links.last().map_or(0, |l| l.out_pos);
            if let Some(link) = self.prep.close_open_link(id) {
                let number = link.number;
                {
                    let sep = self.last_char.is_some_and(|c| !breaks_around(c));
                    if sep {
                        self.out.push('\u{a0}');
                    }
                    self.out
                        .push_str(&format!("<a href=\"N{number}\">[{number}]</a>"));
                    self.last_char = Some(']');
                }
            } else {
                // Nothing visible: unwrap the anchor so no span points at a forgotten number.
                let written = &self.out[out_pos..];
                if let Some(inner) = written
                    .strip_suffix("</a>")
                    .and_then(|w| w.find('>').map(|i| w[i + 1..].to_string()))
                {
                    self.out.truncate(out_pos);
                    self.out.push_str(&inner);
                }
            }
        }
        match name {
            "ul" | "ol" | "menu" | "dl" => self.list_depth = self.list_depth.saturating_sub(1),
            "blockquote" => self.quote_depth = self.quote_depth.saturating_sub(1),
            "table" => self.table_depth = self.table_depth.saturating_sub(1),
            "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &Prepared) -> Vec<String> {
        p.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Structured(h) => format!("S:{h}"),
                BlockKind::Rule => "---".into(),
                k => {
                    let t: String = b.pieces.iter().map(|p| p.text.as_str()).collect();
                    let c = if b.center { "C:" } else { "" };
                    match k {
                        BlockKind::Heading(l) => format!("H{l}:{c}{t}"),
                        BlockKind::Placeholder => format!("P:{c}{t}"),
                        _ => format!("{c}{t}"),
                    }
                }
            })
            .collect()
    }

    #[test]
    fn paragraphs_headings_and_rules() {
        let p = prepare("<h2>標題</h2><p>一<b>二</b>三</p><hr><div>x<div>y</div></div>");
        assert_eq!(texts(&p), ["H2:標題", "一二三", "---", "x", "y"]);
    }

    #[test]
    fn cjk_line_breaks_join_without_space() {
        let p = prepare("<p>\n中文\n句子 and\nEnglish\n</p><p>观察者网 李丽</p>");
        assert_eq!(texts(&p), ["中文句子 and English", "观察者网 李丽"]);
    }

    #[test]
    fn nbsp_only_paragraphs_and_scripts_are_dropped() {
        let p = prepare(
            "<p>&nbsp;</p><p>\u{a0} \u{a0}</p><script>alert(1)</script><style>p{}</style>\
             <form><input value=x>f</form><p style='display:none'>hidden</p><p>ok</p>",
        );
        assert_eq!(texts(&p), ["ok"]);
    }

    #[test]
    fn dw_small_caption_after_image() {
        let p = prepare(
            "<img src=\"https://images.weserv.nl/?url=static.dw.com/image/1_303.jpg\" width=\"100%\">\
             <div><small style=\"color: #999;\">克里在接受訪問。</small></div><p>正文</p>",
        );
        assert_eq!(texts(&p), ["P:[Image] 克里在接受訪問。", "正文"]);
    }

    #[test]
    fn guancha_centred_caption_paragraph() {
        let p = prepare(
            "<p align=\"center\">\n<img src=\"a.png\" title=\"点击查看大图\" alt=\"点击查看大图\"> \n</p>\n\
             <p align=\"center\">\n<span style=\"color:#666666;\">“气候特使</span><span>”   《金融时报》报道截图</span> \n</p><p>正文</p>",
        );
        assert_eq!(
            texts(&p),
            ["P:C:[Image] “气候特使” 《金融时报》报道截图", "正文"]
        );
    }

    #[test]
    fn caption_falls_back_to_title_alt_never_a_file_name() {
        let p = prepare(
            "<img src=a.jpg title=T alt=A><img src=b.jpg alt=B><img src='/x/c%20d.jpg?w=1'>\
             <img src=e.jpg alt='点击查看大图'><figure><img src=f.jpg><figcaption>F cap</figcaption></figure>\
             <img src=g.jpg alt='54034698_303.jpg'><img src=h.jpg title='https://cdn.x/h.jpg'>",
        );
        assert_eq!(
            texts(&p),
            [
                "P:[Image] T",
                "P:[Image] B",
                "P:[Image]",
                "P:[Image]",
                "P:[Image] F cap",
                "P:[Image]",
                "P:[Image]"
            ]
        );
    }

    #[test]
    fn tracking_pixels_are_dropped() {
        let p = prepare("<p>a<img src=t.gif width=1 height=1>b</p>");
        assert_eq!(texts(&p), ["ab"]);
    }

    #[test]
    fn embeds_name_their_host() {
        let p = prepare(
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\
             <video><source src=\"//media.dw.com/v.mp4\"></video><audio></audio>",
        );
        assert_eq!(
            texts(&p),
            [
                "P:[Embedded content: youtube.com][1]",
                "P:[Video: media.dw.com][2]",
                "P:[Audio]"
            ]
        );
        let hrefs: Vec<&str> = p.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["https://www.youtube.com/embed/x", "//media.dw.com/v.mp4"]
        );
    }

    #[test]
    fn embeds_name_their_title() {
        let p = prepare(
            "<iframe title=\"Interview\" src=\"https://v.example/1\"></iframe>\
             <audio aria-label=\"Podcast\" src=\"a.mp3\"></audio>\
             <figure><video poster=\"p.jpg\"><source src=\"v.mp4\"></video>\
             <figcaption>On the border</figcaption></figure>\
             <video src=\"w.mp4\"></video><div><small>The talk show</small></div><p>Story.</p>\
             <video src=\"w.mp4\" title=\"again\"></video>",
        );
        assert_eq!(
            texts(&p),
            [
                "P:[Embedded content] Interview[1]",
                "P:[Audio] Podcast[2]",
                "P:[Video] On the border[3]",
                "P:[Video] The talk show[4]",
                "Story.",
                "P:[Video] again[4]",
            ]
        );
        let links: Vec<(&str, &str)> = p
            .links
            .iter()
            .map(|l| (l.text.as_str(), l.href.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("Interview", "https://v.example/1"),
                ("Podcast", "a.mp3"),
                ("On the border", "v.mp4"),
                ("The talk show", "w.mp4"),
            ]
        );
    }

    #[test]
    fn links_are_numbered_once_per_url() {
        let p = prepare(
            "<p>見<a href=\"https://a.example/x\">措施</a>，<a href='https://a.example/x'>again</a> \
             <a href='javascript:alert(1)'>js</a> <a href='https://b.example/'>b</a></p>",
        );
        assert_eq!(texts(&p), ["見措施[1]，again\u{a0}[1] js b\u{a0}[2]"]);
        assert_eq!(p.links.len(), 2);
        assert_eq!(p.links[0].text, "措施");
        assert_eq!(p.links[1].href, "https://b.example/");
    }

    #[test]
    fn empty_anchors_get_no_number() {
        let p = prepare(
            "<p>a<a href='https://icon/'> </a>b<a href='https://x/'>x</a></p>\
             <ul><li><a href='https://y/'></a>c<a href='https://z/'>z</a></li></ul>",
        );
        assert_eq!(
            texts(&p),
            [
                "a bx\u{a0}[1]",
                "S:<ul><li>c<a href=\"L2\">z</a>\u{a0}<a href=\"N2\">[2]</a></li></ul>"
            ]
        );
        assert_eq!(p.links.len(), 2);
        assert!(p.blocks[0].pieces.iter().all(|pc| pc.tag.link <= 1));
    }

    #[test]
    fn space_before_a_link_is_not_part_of_it() {
        let p = prepare("<p>see <a href='https://x/'>this</a> now</p>");
        let pieces = &p.blocks[0].pieces;
        assert_eq!(pieces[0].text, "see ");
        assert_eq!(pieces[0].tag.link, 0);
        assert_eq!(pieces[1].text, "this");
        assert_eq!(pieces[1].tag.link, 1);
    }

    #[test]
    fn centred_paragraphs() {
        let p = prepare("<p style='TEXT-ALIGN: center'>中</p><center>c</center><p>l</p>");
        assert_eq!(texts(&p), ["C:中", "C:c", "l"]);
    }

    #[test]
    fn structured_blocks_are_clean_and_marked() {
        let p = prepare(
            "<ul class=x><li id=y>中文<a href='u'>鏈接</a></li><li><img src=p.jpg alt=Pic></li></ul>",
        );
        assert_eq!(
            texts(&p),
            [
                "S:<ul><li>中\u{200b}文<a href=\"L1\">\u{200b}鏈\u{200b}接</a><a href=\"N1\">[1]</a></li><li><img src=\"i\" alt=\"[Image] Pic\"></li></ul>"
            ]
        );
    }

    #[test]
    fn ordered_lists_keep_their_start_and_cjk_lines_join() {
        let p = prepare("<ol start='3' class=x><li>\n三\n四\n</li><li>a\n b</li></ol>");
        assert_eq!(
            texts(&p),
            ["S:<ol start=\"3\"><li>三\u{200b}四</li><li>a b</li></ol>"]
        );
    }

    #[test]
    fn deep_lists_are_flattened() {
        let html = "<ul><li>x".repeat(50);
        let p = prepare(&html);
        let BlockKind::Structured(h) = &p.blocks[0].kind else {
            panic!("not structured")
        };
        assert_eq!(h.matches("<ul>").count(), MAX_LIST_DEPTH);
        assert_eq!(h.matches('x').count(), 50);
    }

    #[test]
    fn entities_are_decoded() {
        let p = prepare("<p>&lt;b&gt; &amp; &quot;q&quot; &#x4e2d;&#25991; &copy;</p>");
        assert_eq!(texts(&p), ["<b> & \"q\" 中文 ©"]);
    }
}
