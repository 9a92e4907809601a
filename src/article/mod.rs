//! The article model and the loaders.
//!
//! A saved report is parsed in two steps so that large archives stay fast and lean:
//! [`parse`] reads only what the list needs (title, dates, outlet, author, url, categories, lead
//! image) and remembers where the body starts; [`Article::load_body`] reads and parses the body
//! when an article is opened. No terminal code lives here.
//!
//! Every string in the model has passed through [`crate::sanitize`], so nothing from a file can
//! reach the terminal as a control sequence.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

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
    /// Byte range of the body within the source bytes.
    pub body_range: Range<usize>,
    /// Non-fatal problems met while parsing (e.g. invalid UTF-8 decoded lossily).
    pub warnings: Vec<String>,
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

impl Article {
    /// The path shown to the user.
    pub fn path(&self) -> &Path {
        self.origin.path()
    }

    /// Reads (for files, again from disk) and parses the body.
    pub fn load_body(&self) -> Result<Body, LoadError> {
        todo!("issue #2: body loading")
    }
}

/// Parses one file's bytes: detects the format and reads the header fields.
///
/// Never panics on any input; an error names the reason (empty file, binary data, …).
pub fn parse(origin: Origin, bytes: &[u8]) -> Result<Article, LoadError> {
    let _ = (origin, bytes);
    todo!("issue #2: loaders")
}

/// Reads a file from disk and parses it with [`parse`].
pub fn load_file(path: &Path) -> Result<Article, LoadError> {
    let _ = path;
    todo!("issue #2: loaders")
}
