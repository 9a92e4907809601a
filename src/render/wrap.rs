//! Line breaking for styled text: CJK, kinsoku and Latin word boundaries, in display columns.
//! The one wrapper of the crate: article bodies (styled pieces, link spans) and, through
//! [`wrap_text`] and [`wrap_words`], the comparison's titles and labels and the TUI's metadata
//! and problem panes.
//!
//! The wrapper is also the last gate before text becomes a line: every character passes
//! [`crate::sanitize::is_forbidden`] here (tabs become spaces, soft hyphens and zero-width spaces
//! disappear), so whatever produced the pieces, no control character and no line wider than the
//! width comes out.
//!
//! Break rules: white space is a break opportunity; CJK (wide) characters may break on either side;
//! Latin text breaks only at spaces and after a hyphen inside a word. Kinsoku: closing punctuation
//! ([`no_start`]) never starts a line and opening brackets ([`no_end`]) never end one, unless a
//! single unbreakable run is wider than the line, in which case it is split at the width.
//!
//! Widths are those of grapheme clusters ([`crate::columns`]), as the terminal draws them: a
//! joined emoji (👨‍👩‍👧) or a letter with combining marks is one unit that is never split
//! and counts the columns it takes on screen.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// Kinds of text, as bit flags: the renderer turns them into styles with a palette.
pub(crate) mod mark {
    pub const STRONG: u16 = 1;
    pub const EMPHASIS: u16 = 1 << 1;
    pub const CODE: u16 = 1 << 2;
    pub const STRIKE: u16 = 1 << 3;
    pub const LINK: u16 = 1 << 4;
    pub const LINK_NUMBER: u16 = 1 << 5;
    pub const IMAGE: u16 = 1 << 6;
    pub const EMBED: u16 = 1 << 7;
    pub const HEADING: u16 = 1 << 8;
    pub const TITLE: u16 = 1 << 9;
    pub const QUOTE: u16 = 1 << 10;
    pub const RULE: u16 = 1 << 11;
    pub const URL: u16 = 1 << 12;
    pub const SECTION: u16 = 1 << 13;
    pub const PRE: u16 = 1 << 14;
    pub const BYLINE: u16 = 1 << 15;
}

/// What a piece of text is: marks plus the number of the link it belongs to (0: none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Tag {
    pub marks: u16,
    pub link: u32,
}

impl Tag {
    pub const fn new(marks: u16) -> Tag {
        Tag { marks, link: 0 }
    }
}

/// A run of text with one tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Inline up to 24 bytes: most pieces are a word, a number or a space (see Cargo.toml).
    pub text: compact_str::CompactString,
    pub tag: Tag,
}

impl Piece {
    pub fn new(text: impl Into<compact_str::CompactString>, tag: Tag) -> Piece {
        Piece {
            text: text.into(),
            tag,
        }
    }
}

/// One output line as pieces.
pub(crate) type PLine = Vec<Piece>;

/// How white space and break opportunities are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Running text: white space collapses, `\n` is a hard break, CJK/Latin/kinsoku rules.
    Prose,
    /// A URL: no white space expected; breaks after `/ ? & #` and, if needed, anywhere.
    Url,
    /// Already laid out (e.g. by html2text): spaces are kept, lines are only split when too wide.
    Pre,
    /// Plain text the caller laid out (titles, labels, padded columns): the rules of
    /// [`Mode::Prose`], but runs of spaces inside a line are kept and Latin words break only at
    /// white space (or at the width when longer than a line).
    Text,
    /// Lists and values (keywords, counts, paths): like [`Mode::Text`], but a line breaks inside
    /// a word (by the CJK and kinsoku rules, else at the width) only when no white space is left
    /// to break at, so "新媒体, 观察者网" never splits a keyword that fits on a line.
    Words,
}

impl Mode {
    /// Latin words break after an inner hyphen: in running text, not in one-line text, where
    /// hyphens are mostly in names and addresses ("coastal-daily.example", "el-Sheikh").
    fn hyphenates(self) -> bool {
        matches!(self, Mode::Prose | Mode::Url)
    }

    /// White space breaks lines and is dropped at their ends; `\n` is a hard break.
    fn flows(self) -> bool {
        matches!(self, Mode::Prose | Mode::Text | Mode::Words)
    }
}

/// Options of [`wrap`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct WrapOpts {
    /// Spaces before the first line.
    pub indent_first: usize,
    /// Spaces before every other line.
    pub indent_rest: usize,
    /// Centre each line within the width.
    pub center: bool,
    pub mode: Mode,
}

impl WrapOpts {
    pub const PROSE: WrapOpts = WrapOpts {
        indent_first: 0,
        indent_rest: 0,
        center: false,
        mode: Mode::Prose,
    };
}

/// Closing punctuation and small kana: never at the start of a line.
pub(crate) const fn no_start(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
            | '\u{b0}'
            | '\u{b7}'
            | '\u{2019}'
            | '\u{201d}'
            | '\u{2025}'
            | '\u{2026}'
            | '\u{2030}'
            | '\u{2103}'
            | '\u{3001}'
            | '\u{3002}'
            | '\u{3005}'
            | '\u{3009}'
            | '\u{300b}'
            | '\u{300d}'
            | '\u{300f}'
            | '\u{3011}'
            | '\u{3015}'
            | '\u{3017}'
            | '\u{3019}'
            | '\u{301b}'
            | '\u{301e}'
            | '\u{301f}'
            | '\u{3041}'
            | '\u{3043}'
            | '\u{3045}'
            | '\u{3047}'
            | '\u{3049}'
            | '\u{3063}'
            | '\u{3083}'
            | '\u{3085}'
            | '\u{3087}'
            | '\u{308e}'
            | '\u{3095}'
            | '\u{3096}'
            | '\u{309d}'
            | '\u{309e}'
            | '\u{30a1}'
            | '\u{30a3}'
            | '\u{30a5}'
            | '\u{30a7}'
            | '\u{30a9}'
            | '\u{30c3}'
            | '\u{30e3}'
            | '\u{30e5}'
            | '\u{30e7}'
            | '\u{30ee}'
            | '\u{30f5}'
            | '\u{30f6}'
            | '\u{30fb}'
            | '\u{30fc}'
            | '\u{30fd}'
            | '\u{30fe}'
            | '\u{31f0}'..='\u{31ff}'
            | '\u{fe50}'..='\u{fe57}'
            | '\u{fe5a}'
            | '\u{fe5c}'
            | '\u{fe5e}'
            | '\u{ff01}'
            | '\u{ff05}'
            | '\u{ff09}'
            | '\u{ff0c}'
            | '\u{ff0e}'
            | '\u{ff1a}'
            | '\u{ff1b}'
            | '\u{ff1f}'
            | '\u{ff3d}'
            | '\u{ff5d}'
            | '\u{ff61}'
            | '\u{ff63}'
            | '\u{ff64}'
            | '\u{ff65}'
    )
}

/// Opening brackets, opening quotes and currency prefixes: never at the end of a line.
pub(crate) const fn no_end(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '$'
            | '\u{a3}'
            | '\u{a5}'
            | '\u{b7}'
            | '\u{2018}'
            | '\u{201c}'
            | '\u{20ac}'
            | '\u{3008}'
            | '\u{300a}'
            | '\u{300c}'
            | '\u{300e}'
            | '\u{3010}'
            | '\u{3014}'
            | '\u{3016}'
            | '\u{3018}'
            | '\u{301a}'
            | '\u{301d}'
            | '\u{fe59}'
            | '\u{fe5b}'
            | '\u{fe5d}'
            | '\u{ff04}'
            | '\u{ff08}'
            | '\u{ff3b}'
            | '\u{ff5b}'
            | '\u{ff62}'
            | '\u{ffe5}'
    )
}

/// Characters around which a line may break without white space: wide (CJK, fullwidth, emoji)
/// and halfwidth katakana.
pub(crate) fn breaks_around(c: char) -> bool {
    c.width() == Some(2) || ('\u{ff61}'..='\u{ff9f}').contains(&c)
}

/// True when a line may break between `a` and `b` (neither white space) by the CJK and kinsoku
/// rules alone. `before_a` is the character before `a`, for hyphens.
pub(crate) fn can_break_between(before_a: Option<char>, a: char, b: char) -> bool {
    if no_start(b) || no_end(a) {
        return false;
    }
    if breaks_around(a) || breaks_around(b) {
        return true;
    }
    // A hyphen inside a Latin word ("climate-related") is a break opportunity after it; not
    // before a digit (dates, ranges).
    a == '-' && b.is_alphabetic() && before_a.is_some_and(char::is_alphanumeric)
}

/// Display width of one character as ratatui measures it (controls count 0; they never get here).
pub(crate) fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// One character on its way into a line.
#[derive(Clone, Copy, Debug)]
struct Cell {
    ch: char,
    tag: Tag,
    /// Display width; 0 for combining and other zero-width characters.
    w: u8,
    kind: CellKind,
    /// [`class`] bits of `ch`.
    class: u8,
}

const WIDE: u8 = 1;
const NO_START: u8 = 2;
const NO_END: u8 = 4;
/// Letters (ASCII or not); digits are [`DIGIT`].
const ALNUM: u8 = 8;
const HYPHEN: u8 = 16;
const URL_BREAK: u8 = 32;
const DIGIT: u8 = 64;

/// [`class`] of each ASCII character.
static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        table[i] = ascii_class(i as u8 as char);
        i += 1;
    }
    table
};

/// [`class`] of an ASCII character.
const fn ascii_class(c: char) -> u8 {
    let mut k = 0;
    if c.is_ascii_alphabetic() {
        k |= ALNUM;
    } else if c.is_ascii_digit() {
        k |= DIGIT;
    }
    if c == '-' {
        k |= HYPHEN;
    }
    if url_break_after(c) {
        k |= URL_BREAK;
    }
    if no_start(c) {
        k |= NO_START;
    }
    if no_end(c) {
        k |= NO_END;
    }
    k
}

/// Blocks of 256 code points whose [`class`] is looked up in a table: general punctuation
/// (quotes, dashes, ellipsis), CJK punctuation and kana, full-width forms. Chinese text is full
/// of them, and each costs Unicode property lookups otherwise.
const TABLE_BLOCKS: [u32; 3] = [0x2000, 0x3000, 0xff00];

fn class_tables() -> &'static [[u8; 256]; 3] {
    static TABLES: std::sync::OnceLock<[[u8; 256]; 3]> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = [[0u8; 256]; 3];
        for (k, base) in TABLE_BLOCKS.iter().enumerate() {
            for (i, slot) in t[k].iter_mut().enumerate() {
                if let Some(c) = char::from_u32(base + i as u32) {
                    *slot = class_of(c);
                }
            }
        }
        t
    })
}

/// Marks a character of [`TABLE_BLOCKS`] that [`fast_width`] does not answer for.
const NO_FAST_WIDTH: u8 = u8::MAX;

/// Display widths of the characters of [`TABLE_BLOCKS`] that are visible text, a grapheme
/// cluster of their own and in no width rule of a sequence (CJK punctuation, kana, full-width
/// forms, quotes and dashes): [`NO_FAST_WIDTH`] for the others (white space, zero-width and
/// forbidden characters, combining marks).
fn width_tables() -> &'static [[u8; 256]; 3] {
    static TABLES: std::sync::OnceLock<[[u8; 256]; 3]> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = [[NO_FAST_WIDTH; 256]; 3];
        for (k, base) in TABLE_BLOCKS.iter().enumerate() {
            for (i, slot) in t[k].iter_mut().enumerate() {
                let Some(c) = char::from_u32(base + i as u32) else {
                    continue;
                };
                let plain = single_char_cluster(c)
                    && !c.is_whitespace()
                    && !is_dropped(c)
                    && c != '\u{200b}';
                if let Some(w @ 1..=2) = c.width().filter(|_| plain) {
                    *slot = w as u8;
                }
            }
        }
        t
    })
}

/// The display width of `c` from [`width_tables`], for the punctuation and kana that fill
/// Chinese and Japanese text, without the Unicode width tables; `None` outside them.
#[inline]
pub(crate) fn fast_width(c: char) -> Option<u8> {
    let cp = c as u32;
    let k = match cp & !0xff {
        0x2000 => 0,
        0x3000 => 1,
        0xff00 => 2,
        _ => return None,
    };
    let w = width_tables()[k][(cp & 0xff) as usize];
    (w != NO_FAST_WIDTH).then_some(w)
}

/// The break-rule classes of a character, computed once per character.
fn class(c: char) -> u8 {
    let cp = c as u32;
    if cp >= TABLE_BLOCKS[0] {
        if let Some(k) = TABLE_BLOCKS.iter().position(|&b| cp & !0xff == b) {
            return class_tables()[k][(cp & 0xff) as usize];
        }
    }
    class_of(c)
}

/// [`class`] from the character's properties.
fn class_of(c: char) -> u8 {
    let mut k = 0;
    if c.is_ascii() {
        if c.is_ascii_alphabetic() {
            k |= ALNUM;
        } else if c.is_ascii_digit() {
            k |= DIGIT;
        }
        if c == '-' {
            k |= HYPHEN;
        }
        if url_break_after(c) {
            k |= URL_BREAK;
        }
    } else {
        if breaks_around(c) {
            k |= WIDE;
        }
        if c.is_alphabetic() {
            k |= ALNUM;
        } else if c.is_numeric() {
            k |= DIGIT;
        }
    }
    if no_start(c) {
        k |= NO_START;
    }
    if no_end(c) {
        k |= NO_END;
    }
    k
}

/// [`can_break_between`] on precomputed classes; `hyphens`: whether a Latin word may break
/// after its hyphen.
fn can_break_classes(before_a: u8, a: u8, b: u8, hyphens: bool) -> bool {
    if b & NO_START != 0 || a & NO_END != 0 {
        return false;
    }
    // After a hyphen inside a word, but not before a digit ("2022-09-01", "-5" stay whole).
    (a | b) & WIDE != 0
        || (hyphens && a & HYPHEN != 0 && b & ALNUM != 0 && before_a & (ALNUM | DIGIT) != 0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CellKind {
    Text,
    Space,
    /// An explicit break opportunity (U+200B); not shown.
    ZeroWidthBreak,
    Newline,
}

/// Break opportunities inside the current line, each as (line end, next line start).
#[derive(Clone, Copy, Default)]
struct Breaks {
    /// The last one (in [`Mode::Words`]: the last at white space).
    last: Option<(usize, usize)>,
    /// [`Mode::Words`] only: the last one inside a word, taken when `last` is `None`.
    in_word: Option<(usize, usize)>,
}

/// Reusable state, so that wrapping many paragraphs does not allocate per paragraph.
#[derive(Default)]
pub(crate) struct Wrapper {
    cells: Vec<Cell>,
    /// Scratch of [`make_line`].
    runs: Vec<(Tag, usize)>,
}

impl Wrapper {
    /// Wraps `pieces` to `width` columns. Never returns a line wider than `width`; at width 0
    /// returns no lines, and a character wider than the whole width is shown as U+FFFD.
    #[cfg(test)]
    pub fn wrap(&mut self, pieces: &[Piece], width: usize, opts: WrapOpts) -> Vec<PLine> {
        let mut out = Vec::new();
        self.wrap_into(pieces, width, opts, &mut out);
        out
    }

    /// Like [`Wrapper::wrap`], appending to `out`.
    pub fn wrap_into(
        &mut self,
        pieces: &[Piece],
        width: usize,
        opts: WrapOpts,
        out: &mut Vec<PLine>,
    ) {
        self.wrap_chunked(pieces, width, opts, out, CHUNK);
    }

    /// [`Wrapper::wrap_into`] making `chunk` cells at a time (tests compare chunk sizes).
    fn wrap_chunked(
        &mut self,
        pieces: &[Piece],
        width: usize,
        opts: WrapOpts,
        out: &mut Vec<PLine>,
        chunk: usize,
    ) {
        if width == 0 {
            return;
        }
        // Cells are made a chunk at a time and those of lines already out are dropped, so a
        // paragraph of any length costs a few chunks of cells, not 16 bytes per character.
        let cells = &mut self.cells;
        let runs = &mut self.runs;
        cells.clear();
        let mut feed = Feed::default();
        let mut more = feed.fill(cells, pieces, opts.mode, width, chunk);
        let indent_for = |first: bool| {
            let indent = if first {
                opts.indent_first
            } else {
                opts.indent_rest
            };
            // Narrow widths keep at least two columns for text.
            if indent + 2 > width { 0 } else { indent }
        };
        let mut first = true;
        let mut avail = width - indent_for(true);
        let mut start = 0usize;
        let mut cur_w = 0usize;
        let mut bp = Breaks::default();
        let mut i = 0usize;
        let mut emit = |cells: &[Cell], a: usize, b: usize, first: &mut bool, avail: &mut usize| {
            let indent = indent_for(*first);
            out.push(make_line(
                &cells[a..b],
                indent,
                width - indent,
                opts.center,
                runs,
            ));
            *first = false;
            *avail = width - indent_for(false);
        };
        loop {
            if i >= cells.len() {
                if !more {
                    break;
                }
                // Keep what the break rules can still look at: from the two bases before the
                // line's start (they look back over zero-width characters).
                let mut cut = start.min(cells.len());
                if let Some(j) = base_before(cells, cut) {
                    cut = base_before(cells, j).unwrap_or(j);
                }
                cells.drain(..cut);
                start -= cut;
                i -= cut;
                let shift = |p: Option<(usize, usize)>| p.map(|(e, n)| (e - cut, n - cut));
                bp.last = shift(bp.last);
                bp.in_word = shift(bp.in_word);
                // At least as many new cells as kept: linear even when a line never ends.
                let until = cells.len().saturating_add(chunk.max(cells.len()));
                more = feed.fill(cells, pieces, opts.mode, width, until);
                continue;
            }
            let cell = cells[i];
            match cell.kind {
                CellKind::Newline => {
                    emit(cells, start, i, &mut first, &mut avail);
                    start = i + 1;
                    cur_w = 0;
                    bp = Breaks::default();
                    i += 1;
                    continue;
                }
                CellKind::Space if opts.mode.flows() => {
                    if cur_w == 0 {
                        // No white space at the start of a line.
                        start = i + 1;
                        i += 1;
                        continue;
                    }
                    if cur_w + 1 > avail {
                        // The space falls at the edge: the break is here.
                        emit(cells, start, i, &mut first, &mut avail);
                        start = i + 1;
                        cur_w = 0;
                        bp = Breaks::default();
                        i += 1;
                        continue;
                    }
                    bp.last = Some((i, i + 1));
                    cur_w += 1;
                    i += 1;
                    continue;
                }
                CellKind::ZeroWidthBreak => {
                    if i > start {
                        bp.last = Some((i, i + 1));
                    } else {
                        start = i + 1;
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // A visible (or zero-width combining) character.
            if cell.w > 0 && i > start && opts.mode != Mode::Pre {
                let prev = cells[i - 1];
                // A link's `[n]` stays with the link text.
                let number_starts = cell.tag.marks & mark::LINK_NUMBER != 0
                    && prev.tag.marks & mark::LINK_NUMBER == 0;
                if prev.kind == CellKind::Text && !number_starts {
                    if let Some(j) = base_before(cells, i) {
                        let a = cells[j].class;
                        let before_a = base_before(cells, j).map_or(0, |k| cells[k].class);
                        let opportunity =
                            can_break_classes(before_a, a, cell.class, opts.mode.hyphenates())
                                || (opts.mode == Mode::Url && a & URL_BREAK != 0);
                        if opportunity {
                            if opts.mode == Mode::Words {
                                bp.in_word = Some((i, i));
                            } else {
                                bp.last = Some((i, i));
                            }
                        }
                    }
                }
            }
            let w = cell.w as usize;
            if cur_w + w > avail {
                match bp.last.or(bp.in_word) {
                    Some((end, next)) if end > start => {
                        emit(cells, start, end, &mut first, &mut avail);
                        start = next;
                        cur_w = cells[start..i].iter().map(|c| c.w as usize).sum();
                        // Leading spaces of the new line (after a Pre-mode split) stay.
                        bp = Breaks::default();
                        if cur_w + w > avail {
                            emit(cells, start, i, &mut first, &mut avail);
                            start = i;
                            cur_w = 0;
                        }
                    }
                    _ => {
                        if cur_w > 0 {
                            // Hard split: the run does not fit on a line of its own. Keep
                            // zero-width characters with their base.
                            emit(cells, start, i, &mut first, &mut avail);
                            start = i;
                            cur_w = 0;
                            bp = Breaks::default();
                        }
                    }
                }
            }
            cur_w += w;
            i += 1;
        }
        if cells[start.min(cells.len())..]
            .iter()
            .any(|c| c.kind == CellKind::Text)
        {
            emit(cells, start, cells.len(), &mut first, &mut avail);
        }
    }
}

/// Cells made per [`Feed::fill`] call.
const CHUNK: usize = 4096;

/// Where [`Feed::fill`] stopped in the pieces, so that the next call goes on from there.
struct Feed {
    piece: usize,
    /// Byte offset in the piece: always at a grapheme-cluster boundary.
    byte: usize,
    last_space: bool,
    /// Whether the current piece is all [`single_char_cluster`]s (known once per piece).
    simple: Option<bool>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            piece: 0,
            byte: 0,
            last_space: true,
            simple: None,
        }
    }
}

impl Feed {
    /// Turns pieces into cells until `cells` holds `until` of them: sanitises, collapses white
    /// space ([`Mode::Prose`]), attaches widths. A grapheme cluster of several characters gets
    /// its whole width on its first character and 0 on the others, so that no break falls
    /// inside it; one wider than `width` (a wide character at width 1) becomes U+FFFD, since
    /// nothing can show it. True when input remains.
    fn fill(
        &mut self,
        cells: &mut Vec<Cell>,
        pieces: &[Piece],
        mode: Mode,
        width: usize,
        until: usize,
    ) -> bool {
        while let Some(piece) = pieces.get(self.piece) {
            let text = &piece.text[self.byte..];
            let simple = *self
                .simple
                .get_or_insert_with(|| text.chars().all(single_char_cluster));
            if simple {
                for (at, ch) in text.char_indices() {
                    if cells.len() >= until {
                        self.byte += at;
                        return true;
                    }
                    push_char(cells, ch, piece.tag, mode, width, &mut self.last_space);
                }
            } else {
                for (at, g) in text.grapheme_indices(true) {
                    if cells.len() >= until {
                        self.byte += at;
                        return true;
                    }
                    let mut chars = g.chars();
                    let base = chars.next().expect("a cluster is not empty");
                    if chars.as_str().is_empty() || base.is_whitespace() || is_dropped(base) {
                        for ch in g.chars() {
                            push_char(cells, ch, piece.tag, mode, width, &mut self.last_space);
                        }
                    } else {
                        push_cluster(cells, g, piece.tag, width, &mut self.last_space);
                    }
                }
            }
            self.piece += 1;
            self.byte = 0;
            self.simple = None;
        }
        false
    }
}

/// True for characters that are a grapheme cluster of their own whatever surrounds them (no
/// combining mark, joiner, selector, modifier, regional indicator or jamo): Latin, CJK, kana,
/// Hangul syllables, common punctuation. Text made only of these skips cluster segmentation.
fn single_char_cluster(c: char) -> bool {
    matches!(c as u32,
        0..=0x2ff
            | 0x2010..=0x2027
            | 0x2030..=0x205e
            | 0x20a0..=0x20c0
            | 0x2100..=0x214f
            | 0x3000..=0x3029
            | 0x3030..=0x303f
            | 0x3041..=0x3096
            | 0x309b..=0x30ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xac00..=0xd7a3
            | 0xfe50..=0xfe6b
            | 0xff01..=0xff9d
            | 0xffe0..=0xffee)
}

/// Characters the wrapper never shows: invisible hyphenation and BOM, and what
/// [`crate::sanitize::is_forbidden`] forbids. (U+200B is a break opportunity, not dropped.)
fn is_dropped(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{feff}')
        || (crate::sanitize::is_forbidden(c) && c != '\n' && c != '\t')
}

/// One character as a cell (see [`Wrapper::fill`]).
fn push_char(
    cells: &mut Vec<Cell>,
    ch: char,
    tag: Tag,
    mode: Mode,
    width: usize,
    last_space: &mut bool,
) {
    // Fast path for most of any text: printable ASCII and CJK ideographs (wide letters that no
    // kinsoku rule names), without the Unicode width and property tables.
    let cp = ch as u32;
    if (0x21..0x7f).contains(&cp) || matches!(cp, 0x3400..=0x4dbf | 0x4e00..=0x9fff) {
        *last_space = false;
        let (ch, w, class) = if cp < 0x7f {
            (ch, 1, ASCII_CLASS[cp as usize])
        } else if width < 2 {
            ('\u{fffd}', 1, 0)
        } else {
            (ch, 2, WIDE | ALNUM)
        };
        cells.push(Cell {
            ch,
            tag,
            w,
            kind: CellKind::Text,
            class,
        });
        return;
    }
    // CJK punctuation, kana, full-width forms, quotes and dashes: visible text of known width.
    if let Some(w) = fast_width(ch) {
        *last_space = false;
        let (ch, w, class) = if w as usize > width {
            ('\u{fffd}', 1, 0)
        } else {
            (ch, w, class(ch))
        };
        cells.push(Cell {
            ch,
            tag,
            w,
            kind: CellKind::Text,
            class,
        });
        return;
    }
    let kind = match ch {
        '\n' if mode.flows() => CellKind::Newline,
        '\u{200b}' => CellKind::ZeroWidthBreak,
        '\u{ad}' | '\u{feff}' => return,
        c if c == '\t' || (c.is_whitespace() && c != '\u{a0}') => CellKind::Space,
        c if crate::sanitize::is_forbidden(c) => return,
        _ => CellKind::Text,
    };
    let (ch, w, class) = match kind {
        CellKind::Space => {
            if mode == Mode::Prose && *last_space {
                return;
            }
            *last_space = true;
            (' ', 1, 0)
        }
        // Spaces before a hard break are dropped by the line trimming.
        CellKind::Newline => {
            *last_space = true;
            ('\n', 0, 0)
        }
        CellKind::ZeroWidthBreak => (ch, 0, 0),
        CellKind::Text => {
            *last_space = false;
            let w = if (ch as u32) < 0x7f {
                1
            } else {
                char_width(ch)
            };
            if w > width {
                ('\u{fffd}', 1, 0)
            } else {
                (ch, w as u8, class(ch))
            }
        }
    };
    cells.push(Cell {
        ch,
        tag,
        w,
        kind,
        class,
    });
}

/// A cluster of several characters as cells: its width on the first, 0 on the rest.
fn push_cluster(cells: &mut Vec<Cell>, g: &str, tag: Tag, width: usize, last_space: &mut bool) {
    let g: Cow<'_, str> = if g.chars().any(is_dropped) {
        Cow::Owned(g.chars().filter(|&c| !is_dropped(c)).collect())
    } else {
        Cow::Borrowed(g)
    };
    let Some(base) = g.chars().next() else {
        return;
    };
    *last_space = false;
    let w = crate::columns::grapheme_width(&g);
    if w > width {
        cells.push(Cell {
            ch: '\u{fffd}',
            tag,
            w: 1,
            kind: CellKind::Text,
            class: 0,
        });
        return;
    }
    for (k, ch) in g.chars().enumerate() {
        cells.push(Cell {
            ch,
            tag,
            w: if k == 0 {
                w.min(u8::MAX as usize) as u8
            } else {
                0
            },
            kind: CellKind::Text,
            class: if k == 0 { class(base) } else { 0 },
        });
    }
}

/// Wraps plain text (a title, a label, a ledger item) to `width` columns, at least 2, with the
/// rules of running text ([`Mode::Text`]): spaces inside a line are kept as they are. At least
/// one line.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    wrap_plain(text, width, Mode::Text)
}

/// Wraps a value or a list (keywords, counts, paths) to `width` columns, at least 2: lines break
/// at white space, and inside a word only where the word is longer than a line
/// ([`Mode::Words`]). At least one line.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    wrap_plain(text, width, Mode::Words)
}

fn wrap_plain(text: &str, width: usize, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    Wrapper::default().wrap_into(
        &[Piece::new(text, Tag::default())],
        width.max(2),
        WrapOpts {
            mode,
            ..WrapOpts::PROSE
        },
        &mut out,
    );
    let mut lines: Vec<String> = out
        .into_iter()
        .map(|line| line.iter().map(|p| p.text.as_str()).collect())
        .collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Index of the nearest non-zero-width text character before index `i`.
fn base_before(cells: &[Cell], i: usize) -> Option<usize> {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let c = cells[j];
        if c.kind != CellKind::Text {
            return None;
        }
        if c.w > 0 {
            return Some(j);
        }
    }
    None
}

const fn url_break_after(c: char) -> bool {
    matches!(c, '/' | '?' | '&' | '#')
}

/// Builds one line from cells: trims trailing spaces, drops zero-width breaks, merges tags.
/// `runs` is scratch for the (tag, bytes) of each run of one tag.
fn make_line(
    cells: &[Cell],
    indent: usize,
    avail: usize,
    center: bool,
    runs: &mut Vec<(Tag, usize)>,
) -> PLine {
    let mut end = cells.len();
    while end > 0
        && matches!(
            cells[end - 1].kind,
            CellKind::Space | CellKind::ZeroWidthBreak
        )
    {
        end -= 1;
    }
    let cells = &cells[..end];
    let mut pad = indent;

    if center {
        let w: usize = cells.iter().map(|c| c.w as usize).sum();
        pad += avail.saturating_sub(w) / 2;
    }
    // Runs of one tag over the cells shown (a hidden break does not split a run), with their
    // exact sizes: a long paragraph's lines are most of the layout's memory.
    let shown = |c: &&Cell| !matches!(c.kind, CellKind::ZeroWidthBreak | CellKind::Newline);
    runs.clear();
    for c in cells.iter().filter(shown) {
        let n = c.ch.len_utf8();
        match runs.last_mut() {
            Some((tag, bytes)) if *tag == c.tag => *bytes += n,
            _ => runs.push((c.tag, n)),
        }
    }
    // The padding has the default tag: a first run of that tag continues it.
    let lead = match runs.first() {
        Some((tag, _)) if *tag == Tag::default() => pad,
        _ => 0,
    };
    let mut line: PLine = Vec::with_capacity(runs.len() + usize::from(pad > lead));
    if pad > lead {
        line.push(Piece::new(" ".repeat(pad), Tag::default()));
    }
    let mut chars = cells.iter().filter(shown).map(|c| c.ch);
    for (k, &(tag, bytes)) in runs.iter().enumerate() {
        let spaces = if k == 0 { lead } else { 0 };
        // Built as a String (a CompactString's push checks its representation per character:
        // +13% instructions on a long paragraph), then inlined when short.
        let mut text = String::with_capacity(spaces + bytes);
        text.extend(std::iter::repeat_n(' ', spaces));
        while text.len() < spaces + bytes {
            match chars.next() {
                Some(ch) => text.push(ch),
                None => break,
            }
        }
        line.push(Piece::new(text, tag));
    }
    line
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_widths_agree_with_unicode_width_alone_and_in_pairs() {
        use unicode_width::UnicodeWidthStr;
        let fast: Vec<char> = TABLE_BLOCKS
            .iter()
            .flat_map(|&b| (b..b + 256).filter_map(char::from_u32))
            .filter(|&c| fast_width(c).is_some())
            .collect();
        assert!(fast.contains(&'，') && fast.contains(&'「') && fast.contains(&'“'));
        for c in [
            '\u{3000}', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2028}', '\u{302a}',
        ] {
            assert_eq!(fast_width(c), None, "U+{:04X}", c as u32);
        }
        let others = ['a', ' ', '中', '.', '-', 'é'];
        for &c in &fast {
            assert_eq!(
                Some(fast_width(c).unwrap() as usize),
                c.width(),
                "U+{:04X}",
                c as u32
            );
            for &d in fast.iter().chain(&others) {
                let w = fast_width(c).unwrap() as usize + d.width().unwrap();
                assert_eq!(
                    format!("{c}{d}").width(),
                    w,
                    "U+{:04X} U+{:04X}",
                    c as u32,
                    d as u32
                );
                assert_eq!(
                    format!("{d}{c}").width(),
                    w,
                    "U+{:04X} U+{:04X}",
                    d as u32,
                    c as u32
                );
            }
        }
    }

    #[test]
    fn the_class_tables_agree_with_the_properties() {
        for base in TABLE_BLOCKS {
            for c in (base..base + 256).filter_map(char::from_u32) {
                assert_eq!(class(c), class_of(c), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(class('\u{3002}'), NO_START | WIDE);
    }

    use super::*;

    fn plain(s: &str) -> Vec<Piece> {
        vec![Piece::new(s, Tag::default())]
    }

    fn texts(lines: &[PLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|p| p.text.as_str()).collect())
            .collect()
    }

    fn wrap(s: &str, width: usize) -> Vec<String> {
        texts(&Wrapper::default().wrap(&plain(s), width, WrapOpts::PROSE))
    }

    /// Greedy wrapping of single-spaced words no longer than `width`: the reference the chunked
    /// wrapper must match.
    fn greedy(words: &[String], width: usize) -> Vec<String> {
        let mut lines: Vec<String> = vec![String::new()];
        for w in words {
            let line = lines.last_mut().unwrap();
            if line.is_empty() {
                line.push_str(w);
            } else if line.len() + 1 + w.len() <= width {
                line.push(' ');
                line.push_str(w);
            } else {
                lines.push(w.clone());
            }
        }
        lines
    }

    #[test]
    fn paragraphs_longer_than_a_chunk_wrap_as_one() {
        // Words of 1 to 9 letters, over many chunks of cells, split over several pieces too.
        let words: Vec<String> = (0..6 * CHUNK)
            .map(|i| "abcdefghi"[..1 + (i * 7) % 9].to_string())
            .collect();
        let text = words.join(" ");
        for width in [10, 37, 80] {
            assert_eq!(wrap(&text, width), greedy(&words, width), "width {width}");
        }
        let cut = text.len() / 3;
        let pieces = vec![
            Piece::new(&text[..cut], Tag::default()),
            Piece::new(&text[cut..], Tag::default()),
        ];
        let lines = Wrapper::default().wrap(&pieces, 37, WrapOpts::PROSE);
        assert_eq!(texts(&lines), greedy(&words, 37));
        // CJK, kinsoku, clusters and hyphens across chunk ends: the lines of one big chunk.
        let family = "👨\u{200d}👩\u{200d}👧";
        let unit = format!("气候问题。「美国」{family}e\u{301}\u{302} talks-resume 中文，");
        let long = unit.repeat(300);
        for width in [7, 23, 80] {
            for opts in [
                WrapOpts::PROSE,
                WrapOpts {
                    mode: Mode::Words,
                    ..WrapOpts::PROSE
                },
            ] {
                let mut reference = Vec::new();
                Wrapper::default().wrap_chunked(
                    &plain(&long),
                    width,
                    opts,
                    &mut reference,
                    usize::MAX,
                );
                for chunk in [1, 2, 3, 5, 64] {
                    let mut w = Wrapper::default();
                    let mut lines = Vec::new();
                    w.wrap_chunked(&plain(&long), width, opts, &mut lines, chunk);
                    assert_eq!(
                        texts(&lines),
                        texts(&reference),
                        "width {width}, chunk {chunk}"
                    );
                    assert!(
                        w.cells.capacity() < 16 * width + 256,
                        "{}",
                        w.cells.capacity()
                    );
                }
            }
        }
    }

    #[test]
    fn a_line_that_never_breaks_over_many_chunks() {
        // One base and far more combining marks than a chunk holds: one column, one line.
        let text = format!("e{}", "\u{301}".repeat(3 * CHUNK));
        assert_eq!(wrap(&text, 5), std::slice::from_ref(&text));
        // A word longer than many chunks splits at the width.
        let long = "x".repeat(3 * CHUNK + 5);
        let lines = wrap(&long, 40);
        assert_eq!(lines.len(), (3 * CHUNK + 5).div_ceil(40));
        assert!(lines.iter().all(|l| l.len() <= 40));
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn the_fast_paths_agree_with_the_tables() {
        for c in (0u8..128).map(char::from) {
            assert_eq!(ASCII_CLASS[c as usize], class(c), "{c:?}");
        }
        for c in ('\u{3400}'..='\u{4dbf}').chain('\u{4e00}'..='\u{9fff}') {
            assert_eq!((char_width(c), class(c)), (2, WIDE | ALNUM), "{c:?}");
        }
    }

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10),
            ["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn cjk_breaks_between_characters() {
        assert_eq!(
            wrap("气候问题上美国想跟中国", 8),
            ["气候问题", "上美国想", "跟中国"]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Width 8 holds four characters; "。" would start line two, so "題" moves down with it.
        assert_eq!(wrap("氣候問題。美國", 8), ["氣候問", "題。美國"]);
        assert_eq!(wrap("美國」，中國", 6), ["美", "國」，", "中國"]);
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        assert_eq!(wrap("中美「重新走到", 6), ["中美", "「重新", "走到"]);
        assert_eq!(wrap("日报《金融时报》", 6), ["日报", "《金融", "时报》"]);
    }

    #[test]
    fn latin_inside_cjk_stays_whole() {
        assert_eq!(
            wrap("克里（John Kerry）表示", 12),
            ["克里（John", "Kerry）表示"]
        );
    }

    #[test]
    fn long_words_are_split_at_the_width() {
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn hyphenated_words_break_after_the_hyphen() {
        assert_eq!(
            wrap("climate-related talks", 10),
            ["climate-", "related", "talks"]
        );
        assert_eq!(wrap("on 2022-09-01", 10), ["on", "2022-09-01"]);
    }

    #[test]
    fn width_one_shows_wide_characters_as_replacement() {
        assert_eq!(wrap("a中", 1), ["a", "\u{fffd}"]);
        assert!(wrap("中文", 0).is_empty());
    }

    #[test]
    fn controls_and_tabs_are_cleaned() {
        assert_eq!(wrap("a\u{1b}b\tc\u{202e}d\u{9b}e", 20), ["ab cde"]);
    }

    #[test]
    fn hard_breaks_and_collapsed_space() {
        assert_eq!(wrap("  a   b \n c", 20), ["a b", "c"]);
    }

    #[test]
    fn centred_lines_are_padded() {
        assert_eq!(
            texts(&Wrapper::default().wrap(
                &plain("中文"),
                10,
                WrapOpts {
                    center: true,
                    ..WrapOpts::PROSE
                }
            )),
            ["   中文"]
        );
    }

    #[test]
    fn hanging_indent() {
        let opts = WrapOpts {
            indent_first: 0,
            indent_rest: 4,
            center: false,
            mode: Mode::Url,
        };
        assert_eq!(
            texts(&Wrapper::default().wrap(&plain("https://dw.com/zh/abc/a-1"), 12, opts)),
            ["https://", "    dw.com/", "    zh/abc/", "    a-1"]
        );
    }

    #[test]
    fn tags_are_kept_per_piece() {
        let pieces = vec![
            Piece::new(
                "措施",
                Tag {
                    marks: mark::LINK,
                    link: 1,
                },
            ),
            Piece::new(
                "[1]",
                Tag {
                    marks: mark::LINK_NUMBER,
                    link: 1,
                },
            ),
            Piece::new("，其中", Tag::default()),
        ];
        let lines = Wrapper::default().wrap(&pieces, 9, WrapOpts::PROSE);
        assert_eq!(texts(&lines), ["措施[1]，", "其中"]);
        assert_eq!(lines[0].len(), 3);
        assert_eq!(lines[0][1].tag.marks, mark::LINK_NUMBER);
    }

    #[test]
    fn joined_emoji_and_combining_marks_are_one_unit() {
        let family = "👨\u{200d}👩\u{200d}👧";
        // Two columns each, as the terminal draws them, never split inside.
        let line = format!("{family}{family}{family}");
        assert_eq!(
            wrap(&line, 4),
            [format!("{family}{family}"), family.to_string()]
        );
        assert_eq!(wrap(&format!("ab{family}"), 3), ["ab", family]);
        assert_eq!(wrap("☺\u{fe0f}☺\u{fe0f}", 2), ["☺\u{fe0f}", "☺\u{fe0f}"]);
        assert_eq!(
            wrap("e\u{301}e\u{301}e\u{301}", 2),
            ["e\u{301}e\u{301}", "e\u{301}"]
        );
        // Hard splits keep the marks with their base.
        assert_eq!(wrap("abe\u{301}", 2), ["ab", "e\u{301}"]);
        assert_eq!(wrap(family, 1), ["\u{fffd}"]);
        for text in [family, "e\u{301}\u{302}x", "🇺🇸🇨🇳", "👍🏽👍🏽"] {
            for width in 1..8 {
                for l in wrap(&format!("{text} {text}{text}"), width) {
                    assert!(crate::columns::width(&l) <= width, "{l:?} > {width}");
                }
            }
        }
    }

    #[test]
    fn plain_text_keeps_inner_spaces_and_has_a_line() {
        assert_eq!(wrap_text("", 4), [""]);
        assert_eq!(wrap_words("", 4), [""]);
        // Width 1 counts as 2; the closing mark stays with 文 until the run is wider than a line.
        assert_eq!(wrap_text("中文，", 1), ["中", "文", "，"]);
        assert_eq!(wrap_text("中文，", 4), ["中", "文，"]);
        assert_eq!(wrap_text("A¶1  ↔ B¶14", 20), ["A¶1  ↔ B¶14"]);
        assert_eq!(wrap_text("  a     b", 4), ["a", "b"]);
        assert_eq!(
            wrap_text("9月1日    A B  會談", 12),
            ["9月1日    A", "B  會談"]
        );
        // Hyphens in one-line text are names and addresses, not break opportunities.
        assert_eq!(
            wrap_text("published (coastal-daily.example)", 24),
            ["published", "(coastal-daily.example)"]
        );
    }

    #[test]
    fn wrap_words_prefers_spaces_and_breaks_long_words() {
        assert_eq!(
            wrap_words("1357 characters, 17 words", 24),
            ["1357 characters, 17", "words"]
        );
        assert_eq!(
            wrap_words("see https://example.com/a/very/long/path", 16),
            ["see", "https://example.", "com/a/very/long/", "path"]
        );
        assert_eq!(
            wrap_words("新媒体, 观察者网, 头条", 12),
            ["新媒体,", "观察者网,", "头条"]
        );
        // Inside a word longer than a line, the CJK and kinsoku rules still hold.
        assert_eq!(
            wrap_words("标题：美国气候特使克里。", 8),
            ["标题：美", "国气候特", "使克里。"]
        );
        for text in [
            "a bb ccc dddd",
            "https://例子.com/一二三 四五六七八九十",
            "",
        ] {
            for width in 2..20 {
                for line in wrap_words(text, width) {
                    assert!(crate::columns::width(&line) <= width, "{line:?} > {width}");
                }
            }
        }
    }
}
