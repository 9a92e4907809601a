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
mod lead;
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
    /// Where the publication time came from, the credits, tags and copies (see [`Meta`]).
    pub meta: Meta,
}

/// What is known about an article beyond the list's columns: where its publication time came
/// from, who is credited, its tags, its copies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Where [`Article::published`] was read (`None` when it is unknown).
    pub published_from: Option<dates::Source>,
    /// Whether [`Article::published`] is to the minute or only a day.
    pub published_precision: Option<dates::Precision>,
    /// Where the zone of [`Article::published`] came from (written, the outlet's, inferred).
    pub published_zone: Option<dates::ZoneFrom>,
    /// For a day-precision publication time, the day as the page printed it (its UTC instant
    /// is that day's midnight in the outlet's zone, which may be the day before in UTC).
    pub published_day: Option<jiff::civil::Date>,
    /// The title as written, when suffixes were removed from [`Article::title`].
    pub title_original: Option<String>,
    /// Agencies credited (the opening credit of a wire report, source lines such as（美聯社、衛報）).
    pub agency: Vec<String>,
    /// Translators and editors (编译, 审校, 责编, …); never the author.
    pub editors: Vec<String>,
    /// Tags from front matter, `rel="tag"` links and `Post tags:` lines.
    pub tags: Vec<String>,
    /// Other files holding the same report (same canonical URL, or same outlet, title and
    /// body), exact paths; filled in by the library.
    pub copies: Vec<PathBuf>,
    /// The dateline's place in the body: a byte range of the body source
    /// (`&source[body_range][dateline_block]`) covering the dateline's text and the byline
    /// written beside it (`<i>洪沙<br>2020-07-05T13:33:34.166Z</i>`), so the renderer can show
    /// them once in the header line instead of again at the top of the text.
    pub dateline_block: Option<Range<usize>>,
    /// A hash of the outlet, title and body text, for finding copies.
    pub fingerprint: u64,
    /// A hash of the body's text alone, fixed across releases (see
    /// [`crate::state::identity::body_hash`]): the read state's key for a report without a
    /// URL. 0 when not computed (an article built by hand).
    pub body_hash: u64,
    /// The title and author as search compares them, kept by the metadata cache so that a
    /// relaunch does not fold 100,000 titles again (see [`crate::search::folded`], which
    /// trusts it only while the title and author are the ones it was made from).
    pub folded: Option<Folded>,
    /// The canonical URL of [`Article::url`], kept by the metadata cache: the list, the copy
    /// index and the read state's identity each need it, and a relaunch would otherwise
    /// normalise 100,000 URLs again (see [`crate::state::identity::canonical_url_of`], which
    /// trusts it only for the URL it was made from).
    pub canonical: Option<Canonical>,
}

/// [`Article::title`] and [`Article::author`] folded to one script and case
/// ([`crate::search::normalize`]), and a hash of the two they were folded from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folded {
    /// The hash of the title and author folded ([`Folded::source`]).
    pub of: u64,
    /// The title, folded.
    pub title: String,
    /// The author, folded.
    pub author: Option<String>,
}

/// [`Article::url`] made canonical ([`crate::state::identity::canonical_url`]), and a hash of
/// the URL it was made from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Canonical {
    /// The hash of the URL ([`Canonical::source`]).
    pub of: u64,
    /// The canonical URL (`None` when the URL has none).
    pub url: Option<String>,
}

impl Canonical {
    /// The hash a [`Canonical`] of `url` carries.
    pub fn source(url: Option<&str>) -> u64 {
        use crate::state::identity::{FNV_OFFSET, fnv1a};
        match url {
            Some(u) => fnv1a(FNV_OFFSET ^ 1, u.as_bytes()),
            None => 0,
        }
    }
}

impl Folded {
    /// The hash a [`Folded`] of this title and author carries.
    pub fn source(title: &str, author: Option<&str>) -> u64 {
        use crate::state::identity::{FNV_OFFSET, fnv1a};
        let h = fnv1a(FNV_OFFSET, title.as_bytes());
        match author {
            // The separator cannot occur in either (both are one cleaned line).
            Some(a) => fnv1a(h ^ 0x1f, a.as_bytes()),
            None => h,
        }
    }
}

/// The instant the list shows for an article, and whether it is the archive time (no
/// publication time is known), which the list marks as such.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListTime {
    /// The instant.
    pub utc: jiff::Timestamp,
    /// True when this is the archive time, not the publication time.
    pub archived: bool,
    /// The day as printed, for a day-precision publication time.
    pub day: Option<jiff::civil::Date>,
}

impl ListTime {
    /// The date as the list shows it, in UTC: `2020-07-05`, or `2020-07-05~` for the archive
    /// time (see [`ListTime::date_label_in`]).
    pub fn date_label(&self) -> String {
        self.date_label_in(&jiff::tz::TimeZone::UTC)
    }

    /// The date in `tz` (a day-precision publication date as printed): `2020-07-05`, or
    /// `2020-07-05~` for the archive time — the mark `reader list` and the reader both use.
    pub fn date_label_in(&self, tz: &jiff::tz::TimeZone) -> String {
        let day = self
            .day
            .unwrap_or_else(|| self.utc.to_zoned(tz.clone()).date());
        let text = day.strftime("%Y-%m-%d").to_string();
        if self.archived {
            format!("{text}{ARCHIVE_MARK}")
        } else {
            text
        }
    }

    /// The time of day in `tz` as the list shows it under its day's header: `21:41`, or
    /// `21:41~` for the archive time; `None` for a day-precision publication date.
    pub fn time_label_in(&self, tz: &jiff::tz::TimeZone) -> Option<String> {
        if self.day.is_some() {
            return None;
        }
        let t = self.utc.to_zoned(tz.clone()).time();
        let text = format!("{:02}:{:02}", t.hour(), t.minute());
        Some(if self.archived {
            format!("{text}{ARCHIVE_MARK}")
        } else {
            text
        })
    }
}

/// Follows a date that is the archive time, not the publication time.
pub const ARCHIVE_MARK: char = '~';

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
        write!(f, "{}: {}", shown_path(&self.path), self.reason)
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

/// The default size cap for one file: far above any real report (the largest in real
/// archives are a few MB), far below what would strain memory.
pub const DEFAULT_MAX_SIZE: u64 = 64 * 1024 * 1024;

/// The environment variable that sets the size cap when `--max-size` is not given.
pub const MAX_SIZE_ENV: &str = "READER_MAX_SIZE";

static MAX_SIZE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(DEFAULT_MAX_SIZE);

/// Sets the size cap every read of a report honours (`--max-size`, [`MAX_SIZE_ENV`]).
pub fn set_max_size(bytes: u64) {
    MAX_SIZE.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// The size cap every read of a report honours.
pub fn max_size() -> u64 {
    MAX_SIZE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Parses a size as the user writes it: `65536`, `512K`, `64M`, `1G` (powers of 1024; a
/// trailing `B` or `iB` is allowed).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let stem = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, unit) = match stem.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&stem[..i], Some(c)),
        _ => (stem, None),
    };
    let factor: u64 = match unit {
        None => 1,
        Some('K') => 1 << 10,
        Some('M') => 1 << 20,
        Some('G') => 1 << 30,
        Some(_) => return Err(format!("{t:?}: unknown unit (use K, M or G)")),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("{t:?}: not a size (e.g. 64M, 512K, 1048576)"))
}

/// A size in words: `64 MiB`, `1.5 KiB`, `300 bytes`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenth = (bytes % size) * 10 / size;
            return if tenth == 0 {
                format!("{whole} {name}")
            } else {
                format!("{whole}.{tenth} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Reads a whole file under the size cap ([`max_size`]), with a reason a user understands on
/// failure.
fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    read_capped(path, max_size())
}

/// Reads a whole regular file of at most `cap` bytes.
///
/// Never blocks and never grows without bound, whatever the path has become since it was
/// listed: the file is opened with `O_NONBLOCK` (a FIFO without a writer would block `open`
/// forever), its type is checked on the open handle (FIFOs, devices such as `/dev/zero` and
/// sockets are refused), and at most `cap + 1` bytes are read (a file growing while read is
/// refused, not followed).
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let err = |e: std::io::Error| LoadError::new(path, io_reason(&e));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(err)?;
    let meta = file.metadata().map_err(err)?;
    let kind = meta.file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
            return Err(LoadError::new(path, "is a folder, not a file"));
        } else if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "a special file"
        };
        return Err(LoadError::new(path, format!("not a regular file ({what})")));
    }
    let too_large = |size: u64| {
        LoadError::new(
            path,
            format!(
                "too large: {} is over the size cap of {} (raise it with --max-size or {MAX_SIZE_ENV})",
                format_size(size),
                format_size(cap)
            ),
        )
    };
    if meta.len() > cap {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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

    /// The time the list shows and sorts by: published, else archived (marked as such).
    /// `None` only when neither is known.
    pub fn list_time(&self) -> Option<ListTime> {
        match (&self.published, &self.archived) {
            (Some(p), _) => Some(ListTime {
                utc: p.utc,
                archived: false,
                day: self.meta.published_day,
            }),
            (None, Some(a)) => Some(ListTime {
                utc: a.utc,
                archived: true,
                day: None,
            }),
            (None, None) => None,
        }
    }

    /// Every file of this report: its own path, then its copies'.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.path()).chain(self.meta.copies.iter().map(PathBuf::as_path))
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

/// A path for the terminal: control characters and other invisible characters shown as escapes
/// (`\n`, `\t`, `\u{1b}`), never removed or collapsed, and bytes that are not UTF-8 as `\xFF`,
/// so two names that differ only there stay different on screen.
pub fn shown_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes: std::borrow::Cow<'_, [u8]> = {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    };
    #[cfg(not(unix))]
    let bytes: std::borrow::Cow<'_, [u8]> =
        std::borrow::Cow::Owned(path.to_string_lossy().into_owned().into_bytes());
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if crate::sanitize::is_forbidden(c) => {
                    out.push_str(&format!("\\u{{{:x}}}", c as u32));
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
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
    // The body proper of a whole page starts after `</head>`.
    let (body_head, body_head_at) = match layout.format {
        Format::Html => ["</head>", "</HEAD>"]
            .iter()
            .find_map(|end| head.find(end).map(|i| (&head[i..], i)))
            .unwrap_or((head, 0)),
        _ => (head, 0),
    };
    let early_rules = h.outlet.as_deref().and_then(outlet::rules).or_else(|| {
        h.url
            .as_deref()
            .and_then(outlet::known_host)
            .and_then(outlet::rules)
    });
    let tail_at = scan::floor_boundary(body_src, body_src.len().saturating_sub(lead::CLOSING_SCAN));
    // A short body is its own head and tail: its closing credits are read too.
    let tail_at = tail_at.max(body_head_at);
    let lead = lead::read(
        body_head,
        body_src.get(tail_at..).unwrap_or(""),
        early_rules.map_or_else(Default::default, |o| o.date_order),
    );
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
            lead.author.as_deref(),
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

    // The publication time: the first candidate, in the order pages are trusted, whose
    // instant is plausible against the archive time.
    let rules = h.outlet.as_deref().and_then(outlet::rules);
    let archived_at = h.archived.as_ref().map(|a| a.utc);
    let url_date = h.url.as_deref().and_then(dates::url_date);
    let candidates = [
        (dates::Source::FrontMatter, h.fm_date.as_ref()),
        (dates::Source::Dateline, lead.date.as_ref()),
        (dates::Source::Meta, h.meta_date.as_ref()),
        (dates::Source::Url, url_date.as_ref()),
    ];
    let mut meta = Meta::default();
    for (source, found) in candidates {
        let Some(found) = found else { continue };
        let Some((utc, zone)) =
            dates::resolve(found, rules.and_then(|o| o.zone.as_ref()), archived_at)
        else {
            continue;
        };
        h.published = Some(Stamp {
            utc,
            original: found.text.clone(),
        });
        meta.published_from = Some(source);
        meta.published_precision = Some(found.precision);
        meta.published_zone = Some(zone);
        if found.precision == dates::Precision::Day {
            meta.published_day = found.civil.map(|c| c.date());
        }
        if source == dates::Source::Dateline {
            meta.dateline_block = lead
                .block
                .clone()
                .map(|r| r.start + body_head_at..r.end + body_head_at);
        }
        match zone {
            dates::ZoneFrom::Inferred => warnings.push(format!(
                "publication time \"{}\" has no zone; the zone was inferred from the archive time",
                found.text
            )),
            dates::ZoneFrom::Assumed if found.precision == dates::Precision::Time => {
                warnings.push(format!(
                    "publication time \"{}\" has no zone; China Standard Time (UTC+8) assumed",
                    found.text
                ))
            }
            _ => {}
        }
        break;
    }
    meta.agency = lead.agency;
    if let Some(credit) = &credit {
        for s in &credit.sources {
            if !meta.agency.contains(s) {
                meta.agency.push(s.clone());
            }
        }
    }
    meta.editors = lead.editors;
    meta.tags = h.tags;
    for t in lead.tags {
        if !meta.tags.contains(&t) {
            meta.tags.push(t);
        }
    }
    // Never the text `null`, never an editor as the author.
    if let Some(a) = h.author.take() {
        h.author = lead::byline_name(&a)
            .filter(|a| !meta.editors.contains(a))
            .or_else(|| (outlet::by_name(&a).is_none() && !a.contains("null")).then_some(a))
            .filter(|a| !a.is_empty() && outlet::by_name(a).is_none());
    }
    // A columnist's name leading both the title and the standfirst (`方方：…`): one of the two
    // alone is more often a quoted speaker, and a caption repeating the title says nothing.
    if h.author.is_none() {
        if let (Some(name), Some(line), Some(t)) =
            (&lead.standfirst_name, &lead.standfirst_line, &h.title)
        {
            let leads = |mark: &str| t.starts_with(&format!("{name}{mark}"));
            let repeats_title = line.starts_with(t.as_str()) || t.starts_with(line.as_str());
            if (leads("：") || leads(":")) && !repeats_title {
                h.author = Some(name.clone());
            }
        }
    }
    // A byline on a line of its own at the top with no dateline beside it (`<p>Von Anna
    // Schmidt</p>`): the header line shows it, so it is the block left out of the text.
    if meta.dateline_block.is_none() && h.author.is_some() && h.author == lead.author {
        meta.dateline_block = lead
            .byline_line
            .clone()
            .map(|r| r.start + body_head_at..r.end + body_head_at);
    }
    if let Some(t) = h.title.take() {
        let clean = title::strip_suffixes(&t, rules);
        if clean != t {
            meta.title_original = Some(t);
        }
        h.title = non_empty(clean);
    }
    let title = match h.title {
        Some(t) => t,
        None => {
            warnings.push("no title found; showing the file name".into());
            // The name as it is: control characters escaped (`\n`, `\t`), spaces kept, so
            // two files that differ only there stay apart on screen.
            let name = path
                .file_name()
                .map_or_else(|| shown_path(&path), |n| shown_path(Path::new(n)));
            non_empty(name.trim().to_string()).unwrap_or_else(|| "(untitled)".into())
        }
    };
    let print = fingerprint(h.outlet.as_deref(), &title, &html);
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
        meta: Meta {
            fingerprint: print,
            body_hash: crate::state::identity::body_hash(&html),
            ..meta
        },
    })
}

/// A hash of the outlet, the title and the body's text (white space ignored), for copies.
fn fingerprint(outlet: Option<&str>, title: &str, html: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    outlet.hash(&mut h);
    title.hash(&mut h);
    for word in html.split_ascii_whitespace() {
        h.write(word.as_bytes());
    }
    // 0 marks an article built by hand (see `library::CopyIndex`).
    h.finish().max(1)
}

/// Reads a file from disk and parses it with [`parse`].
pub fn load_file(path: &Path) -> Result<Article, LoadError> {
    let bytes = read(path)?;
    parse(Origin::File(path.to_path_buf()), &bytes)
}
