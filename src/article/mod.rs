//! The article model and the loaders.
//!
//! A saved report is parsed in two steps so that large archives stay fast and lean:
//! [`parse`] reads only what the list needs (title, dates, outlet, author, url, categories, lead
//! image, text counts) with plain string search — the header, a bounded prefix of the body, and
//! one linear pass for the counts — and remembers where the body starts; [`Article::load_body`]
//! reads the file again and builds the HTML tree when an article is opened. No terminal code
//! lives here.
//!
//! Every string in the model has passed through [`crate::sanitize`], so nothing from a file can
//! reach the terminal as a control sequence.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

mod body;
pub mod dates;
mod detect;
mod front_matter;
mod header;
mod link_header;
mod markdown;
pub mod outlet;
pub(crate) mod scan;
pub mod title;

use header::{
    Header, first_line_title, markdown_title, non_empty, read_front_matter, read_html_head,
};

pub use dates::parse_date;
pub use scan::{CJK_CHARS_PER_MINUTE, LATIN_WORDS_PER_MINUTE};

/// How a file was recognised. Detected from content, never from the file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// YAML front matter between `---` lines, then an HTML body (观察者网 style).
    FrontMatter,
    /// `<!--epoch ms-->`, a `[title](url)` line, a dash underline, then HTML (德國之聲 style).
    LinkHeader,
    /// A plain HTML page or fragment.
    Html,
    /// A Markdown note.
    Markdown,
    /// Anything else that is still text.
    Text,
}

impl Format {
    /// The stable name used in `--json` output and the metadata pane.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::FrontMatter => "front-matter",
            Format::LinkHeader => "link-header",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An instant read from a file: the UTC time, and the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The instant in UTC.
    pub utc: jiff::Timestamp,
    /// The text as it stood in the file (sanitised), e.g. `Thu, 01 Sep 2022 10:21:21 GMT`.
    pub original: String,
}

/// An image in the body, with the caption the page gives it, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Image {
    /// The `src` as written in the page (sanitised).
    pub src: String,
    /// Caption, `title` or `alt` text, in that order of preference.
    pub caption: Option<String>,
}

/// A hyperlink in the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The visible link text (sanitised, one line).
    pub text: String,
    /// The `href` as written (sanitised; still percent-encoded).
    pub url: String,
}

/// Where an article's bytes come from, so the body can be read again when it is opened.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A file on disk; the body is re-read from it on demand.
    File(PathBuf),
    /// Bytes compiled into the binary (the bundled seeds), shown under `name`.
    Embedded {
        /// A display path such as `seeds/dw-….txt`.
        name: &'static str,
        /// The file's bytes.
        bytes: &'static [u8],
    },
    /// Bytes held in memory (tests, generated data), shown under `name`.
    Memory {
        /// The display path.
        name: PathBuf,
        /// The file's bytes.
        bytes: Arc<[u8]>,
    },
}

impl Origin {
    /// The path shown to the user and used in messages.
    pub fn path(&self) -> &Path {
        match self {
            Origin::File(p) => p,
            Origin::Embedded { name, .. } => Path::new(name),
            Origin::Memory { name, .. } => name,
        }
    }
}

/// One saved report, as far as the list needs it. The body is loaded on demand.
#[derive(Clone, Debug)]
pub struct Article {
    /// The title, cleaned of generator artefacts (see issue #2), one line, never empty:
    /// falls back to the file name.
    pub title: String,
    /// The outlet (观察者网, 德國之聲, …) from front matter, URL host or the body's agency credit.
    pub outlet: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// When the report was published.
    pub published: Option<Stamp>,
    /// When the page was archived (the link header's epoch milliseconds).
    pub archived: Option<Stamp>,
    /// The report's URL as written (percent-encoded).
    pub url: Option<String>,
    /// Categories from the front matter.
    pub categories: Vec<String>,
    /// The lead image URL (front matter `headimg`/`thumbnail`, or the first image).
    pub image: Option<String>,
    /// Front-matter keys the model has no field for, in file order, values as one-line text.
    pub extra: Vec<(String, String)>,
    /// The detected format.
    pub format: Format,
    /// Where the bytes come from.
    pub origin: Origin,
    /// Byte range of the body within the source text (the bytes decoded as UTF-8, lossily when
    /// invalid; for valid UTF-8 this is a range of the source bytes).
    pub body_range: Range<usize>,
    /// Visible characters of the body (white space excluded); equals [`Body::chars`].
    pub chars: usize,
    /// Latin words of the body; equals [`Body::words`].
    pub words: usize,
    /// CJK characters of the body (they set the reading time).
    pub cjk: usize,
    /// Non-fatal problems met while parsing (e.g. invalid UTF-8 decoded lossily).
    pub warnings: Vec<String>,
    /// Keys of the body's first and last short lines, which the library counts per outlet to
    /// learn its furniture (see [`crate::render::clean::edge_keys`]).
    pub furniture_keys: Box<[u64]>,
}

/// The parsed body of an article: what the reader, renderer and comparison need.
#[derive(Clone, Debug, Default)]
pub struct Body {
    /// The body HTML (for Markdown and text formats, converted to simple HTML).
    pub html: String,
    /// Images with captions, in document order.
    pub images: Vec<Image>,
    /// Links, in document order.
    pub links: Vec<Link>,
    /// Visible text length in characters (white space excluded).
    pub chars: usize,
    /// Latin words in the visible text.
    pub words: usize,
    /// Estimated reading time in minutes, at least 1: CJK by characters, Latin by words.
    pub reading_minutes: u32,
}

/// Why a file could not be loaded. Displays as `PATH: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong, in words for a user.
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::sanitize::clean_line(&self.path.display().to_string()),
            self.reason
        )
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    fn new(path: &Path, reason: impl Into<String>) -> LoadError {
        LoadError {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

/// How much of the body the header pass looks at for the dateline, the agency credit, the
/// byline and the first image: these sit at the top of every report.
const HEAD_SCAN: usize = 16 * 1024;
/// How much of an HTML page is searched for `<title>`, headings and `<meta>`.
const HTML_HEAD_SCAN: usize = 64 * 1024;

impl Origin {
    /// The bytes: read from disk for files (one read), borrowed otherwise.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, LoadError> {
        match self {
            Origin::File(p) => read(p).map(std::borrow::Cow::Owned),
            Origin::Embedded { bytes, .. } => Ok(std::borrow::Cow::Borrowed(bytes)),
            Origin::Memory { bytes, .. } => Ok(std::borrow::Cow::Borrowed(bytes)),
        }
    }
}

/// Reads a whole file, with a reason a user understands on failure.
fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError::new(path, io_reason(&e)))
}

/// An I/O error in words (`not readable: permission denied`, `no such file`, …).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "not readable: permission denied".into(),
        K::NotFound => "no such file".into(),
        K::IsADirectory => "is a folder, not a file".into(),
        _ => {
            let text = e.to_string();
            let text = text
                .split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase();
            format!("not readable: {}", crate::sanitize::clean_line(&text))
        }
    }
}

impl Article {
    /// The path shown to the user.
    pub fn path(&self) -> &Path {
        self.origin.path()
    }

    /// Estimated reading time in minutes (at least 1): CJK at [`CJK_CHARS_PER_MINUTE`], Latin
    /// words at [`LATIN_WORDS_PER_MINUTE`]. Equals [`Body::reading_minutes`].
    pub fn reading_minutes(&self) -> u32 {
        self.stats().reading_minutes()
    }

    fn stats(&self) -> scan::TextStats {
        scan::TextStats {
            chars: self.chars,
            words: self.words,
            cjk: self.cjk,
        }
    }

    /// The URL for reading: percent-escapes decoded where they form UTF-8 (`%E5%8D%B3` → 即),
    /// a stray `%` kept as written, control characters removed. `None` without a URL.
    pub fn display_url(&self) -> Option<String> {
        self.url.as_deref().map(display_url)
    }

    /// The instant the list sorts by: published, else archived.
    pub fn sort_time(&self) -> Option<jiff::Timestamp> {
        self.published
            .as_ref()
            .or(self.archived.as_ref())
            .map(|s| s.utc)
    }

    /// Reads (for files, again from disk) and parses the body.
    pub fn load_body(&self) -> Result<Body, LoadError> {
        let bytes = self.origin.bytes()?;
        let decoded = detect::decode(&bytes).map_err(|r| LoadError::new(self.path(), r))?;
        let text: &str = &decoded.text;
        // The file may have changed since it was listed: then find the body again.
        let src = match text.get(self.body_range.clone()) {
            Some(src) if self.body_range.end == text.len() => src,
            _ => {
                let layout = detect::detect(text).map_err(|r| LoadError::new(self.path(), r))?;
                &text[layout.body_start..]
            }
        };
        Ok(body::parse_body(self.format, src))
    }
}

/// A URL for reading: percent-escapes decoded where the result is UTF-8, anything else (a stray
/// `%`, escapes of invalid UTF-8) kept as written; the result is sanitised, since `%1B` decodes
/// to ESC.
pub fn display_url(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8();
    match decoded {
        Ok(text) => crate::sanitize::clean_line(&text),
        Err(_) => crate::sanitize::clean_line(url),
    }
}

/// Parses one file's bytes: detects the format and reads the header fields.
///
/// Never panics on any input; an error names the reason (empty file, binary data, …).
pub fn parse(origin: Origin, bytes: &[u8]) -> Result<Article, LoadError> {
    let path = origin.path().to_path_buf();
    let err = |reason: String| LoadError::new(&path, reason);
    let decoded = detect::decode(bytes).map_err(err)?;
    let text: &str = &decoded.text;
    let layout = detect::detect(text).map_err(err)?;
    let mut warnings = Vec::new();
    if decoded.lossy {
        warnings.push("invalid UTF-8, decoded with replacement characters (�)".to_string());
    }
    let body_src = &text[layout.body_start..];
    let mut h = Header {
        archived: layout
            .archived
            .clone()
            .and_then(|r| dates::from_epoch_millis(&text[r])),
        ..Header::default()
    };

    match &layout.header {
        detect::Header::FrontMatter { yaml } => {
            let first_line = text[..yaml.start].matches('\n').count() + 1;
            let fields = front_matter::parse(&text[yaml.clone()], first_line)
                .map_err(|r| err(format!("YAML front matter: {r}")))?;
            read_front_matter(&mut h, fields, &mut warnings);
        }
        detect::Header::LinkHeader { title, url } => {
            let joined = link_header::join_title_lines(&text[title.clone()]);
            h.title = non_empty(crate::sanitize::clean_line(&joined));
            h.url = non_empty(crate::sanitize::clean_line(&text[url.clone()]));
        }
        detect::Header::None => {}
    }

    let head = scan::prefix(body_src, HEAD_SCAN);
    // The opening credit gives the writer when the header names none (or names the outlet as
    // the author), and the outlet when neither the header nor a known host does: skip it
    // otherwise, it is read for every file.
    let needs_credit = h
        .author
        .as_deref()
        .is_none_or(|a| outlet::by_name(a).is_some())
        || (h.outlet.is_none() && h.url.as_deref().and_then(outlet::known_host).is_none());
    let credit = needs_credit
        .then(|| {
            let text = match layout.format {
                Format::Html => ["</head>", "</HEAD>"]
                    .iter()
                    .find_map(|end| head.find(end).map(|i| &head[i..]))
                    .unwrap_or(head),
                _ => head,
            };
            outlet::opening_credit(text)
        })
        .flatten();
    let body_kind = match layout.format {
        Format::FrontMatter
            if !detect::looks_like_html(body_src) && !body_src.trim().is_empty() =>
        {
            Format::Markdown
        }
        f => f,
    };
    match body_kind {
        Format::Html | Format::LinkHeader | Format::FrontMatter => read_html_head(
            &mut h,
            head,
            scan::prefix(body_src, HTML_HEAD_SCAN),
            layout.format,
            credit.as_ref(),
        ),
        Format::Markdown => {
            if h.title.is_none() {
                h.title = markdown_title(head);
            }
            if let Some(credit) = &credit {
                header::take_credit(&mut h, credit);
            }
        }
        Format::Text => {}
    }

    // Counts: one linear pass (no DOM), the same function the body pass uses.
    let html = body::to_html(layout.format, body_src);
    let stats = scan::text_stats(&html);
    // The cleaning stage's own scan (it must read lines as the renderer does).
    let furniture_keys = crate::render::clean::edge_keys(&html).into_boxed_slice();

    // A known host, then the agency credit, then an unknown host's own name.
    if h.outlet.is_none() {
        h.outlet = h
            .url
            .as_deref()
            .and_then(outlet::known_host)
            .or_else(|| credit.as_ref().and_then(|c| c.outlet))
            .map(str::to_string)
            .or_else(|| h.url.as_deref().and_then(outlet::by_url));
    }
    if h.title.is_none() {
        h.title = first_line_title(scan::strip_tags(scan::prefix(&html, HEAD_SCAN)));
    }
    let title = match h.title {
        Some(t) => t,
        None => {
            warnings.push("no title found; showing the file name".into());
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            non_empty(crate::sanitize::clean_line(&name)).unwrap_or_else(|| "(untitled)".into())
        }
    };
    Ok(Article {
        title,
        outlet: h.outlet,
        author: h.author,
        published: h.published,
        archived: h.archived,
        url: h.url,
        categories: h.categories,
        image: h.image,
        extra: h.extra,
        format: layout.format,
        origin,
        body_range: layout.body_start..text.len(),
        chars: stats.chars,
        words: stats.words,
        cjk: stats.cjk,
        warnings,
        furniture_keys,
    })
}

/// Reads a file from disk and parses it with [`parse`].
pub fn load_file(path: &Path) -> Result<Article, LoadError> {
    let bytes = read(path)?;
    parse(Origin::File(path.to_path_buf()), &bytes)
}
