//! Chinese script handling: one pivot script for matching, either script for display.
//!
//! Matching converts both sides to Simplified (the pivot) so that 克裡 and 克里 meet. The
//! conversion used here is *character-aligned*: the output has exactly one character for each
//! input character, so a byte range found in the converted text maps back to the original text
//! (and a range in the original maps onto a display conversion). When OpenCC's phrase-level
//! conversion changes the number of characters, each character is converted on its own instead.
//!
//! The converter is ferrous-opencc (Apache-2.0, OpenCC's dictionaries): `t2s` for Simplified,
//! `s2t` for Traditional; mixed input converts, text already in the target script stays.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Serialize;

/// Which script the comparison shows text in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Each side in its own script, as written.
    #[default]
    Original,
    /// Both sides converted to Simplified Chinese.
    Simplified,
    /// Both sides converted to Traditional Chinese.
    Traditional,
}

impl Script {
    /// The next choice in the cycle Original → Simplified → Traditional → Original (for `t`).
    pub fn next(self) -> Script {
        match self {
            Script::Original => Script::Simplified,
            Script::Simplified => Script::Traditional,
            Script::Traditional => Script::Original,
        }
    }

    /// A short label for a status line.
    pub fn label(self) -> &'static str {
        match self {
            Script::Original => "original script",
            Script::Simplified => "简体",
            Script::Traditional => "繁體",
        }
    }

    /// The converter to this script; `None` for [`Script::Original`].
    fn converter(self) -> Option<&'static OpenCC> {
        static SIMPLIFIED: OnceLock<OpenCC> = OnceLock::new();
        static TRADITIONAL: OnceLock<OpenCC> = OnceLock::new();
        let (cell, config) = match self {
            Script::Original => return None,
            Script::Simplified => (&SIMPLIFIED, BuiltinConfig::T2s),
            Script::Traditional => (&TRADITIONAL, BuiltinConfig::S2t),
        };
        // The dictionaries are compiled into the binary: failing to load them is a build defect.
        Some(cell.get_or_init(|| OpenCC::from_config(config).expect("built-in OpenCC dictionary")))
    }
}

/// True for CJK ideographs (the characters OpenCC converts and bigrams are made of).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2ebef}' | '\u{3007}')
}

/// True when `s` holds at least one CJK ideograph.
pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// Converts text to `script`, one character for one character (see the module docs), so term
/// ranges stay valid through [`map_range`]. `Script::Original` returns the text unchanged.
pub fn convert(text: &str, script: Script) -> Cow<'_, str> {
    match script.converter() {
        Some(c) if has_han(text) => Cow::Owned(convert_aligned(text, c)),
        _ => Cow::Borrowed(text),
    }
}

/// Maps a byte range of `from` onto the character-aligned conversion `to` of the same text.
///
/// Both strings must have the same number of characters (true of [`convert`]'s output).
pub fn map_range(from: &str, to: &str, range: Range<usize>) -> Range<usize> {
    if from.len() == to.len() {
        return range;
    }
    let start_char = from[..range.start].chars().count();
    let len_chars = from[range.clone()].chars().count();
    let start = to
        .char_indices()
        .nth(start_char)
        .map_or(to.len(), |(i, _)| i);
    let end = to[start..]
        .char_indices()
        .nth(len_chars)
        .map_or(to.len(), |(i, _)| start + i);
    start..end
}

/// Converts text to `script` phrase by phrase, without keeping characters aligned (for search
/// keys and generated text, where no range has to map back). `Script::Original` returns the text.
pub fn convert_phrases(text: &str, script: Script) -> Cow<'_, str> {
    match script.converter() {
        Some(c) if has_han(text) => Cow::Owned(c.convert(text)),
        _ => Cow::Borrowed(text),
    }
}

fn convert_aligned(text: &str, converter: &OpenCC) -> String {
    let whole = converter.convert(text);
    if whole.chars().count() == text.chars().count() {
        return whole;
    }
    // Some phrase changed the number of characters: convert each run of ideographs (a clause
    // between punctuation, in practice) on its own, so phrases elsewhere keep their context, and
    // only a run whose length changes falls back to one character at a time.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let han_end = rest.find(|c| !is_han(c)).unwrap_or(rest.len());
        let (run, after) = rest.split_at(han_end);
        if !run.is_empty() {
            push_run_aligned(&mut out, run, converter);
        }
        let other_end = after.find(is_han).unwrap_or(after.len());
        out.push_str(&after[..other_end]);
        rest = &after[other_end..];
    }
    out
}

/// Appends the conversion of `run` (ideographs only), character-aligned.
fn push_run_aligned(out: &mut String, run: &str, converter: &OpenCC) {
    let converted = converter.convert(run);
    if converted.chars().count() == run.chars().count() {
        out.push_str(&converted);
        return;
    }
    let mut buf = [0u8; 4];
    for c in run.chars() {
        let one = converter.convert(c.encode_utf8(&mut buf));
        let mut it = one.chars();
        match (it.next(), it.next()) {
            (Some(d), None) => out.push(d),
            _ => out.push(c),
        }
    }
}

/// A text in the pivot script with the way back to the original's byte offsets.
#[derive(Clone, Debug)]
pub(crate) struct Pivot {
    /// The text converted to Simplified, character-aligned with the original.
    pub text: String,
    /// Byte offset in `text` of each character, plus `text.len()` at the end.
    pivot_offsets: Vec<usize>,
    /// Byte offset in the original of each character, plus its length at the end.
    orig_offsets: Vec<usize>,
}

impl Pivot {
    /// Converts `original` to the pivot script.
    pub fn new(original: &str) -> Pivot {
        let text = convert(original, Script::Simplified).into_owned();
        let same = text.len() == original.len();
        let (pivot_offsets, orig_offsets) = if same {
            (Vec::new(), Vec::new())
        } else {
            let p = offsets(&text);
            let o = offsets(original);
            debug_assert_eq!(p.len(), o.len());
            (p, o)
        };
        Pivot {
            text,
            pivot_offsets,
            orig_offsets,
        }
    }

    /// Maps a byte range of the pivot text back onto the original text.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        if self.pivot_offsets.is_empty() {
            return range;
        }
        let map = |b: usize| {
            let i = self.pivot_offsets.partition_point(|&x| x < b);
            self.orig_offsets[i.min(self.orig_offsets.len() - 1)]
        };
        map(range.start)..map(range.end)
    }
}

fn offsets(s: &str) -> Vec<usize> {
    let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    v.push(s.len());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pivot_meets_both_scripts() {
        assert_eq!(Pivot::new("克裡").text, "克里");
        assert_eq!(Pivot::new("美國氣候特使克里").text, "美国气候特使克里");
        assert_eq!(Pivot::new("Kerry said").text, "Kerry said");
    }

    #[test]
    fn pivot_ranges_map_back_to_the_original() {
        let original = "（德國之聲中文網）美國氣候特使克里（John Kerry）";
        let p = Pivot::new(original);
        let start = p.text.find("克里").unwrap();
        let r = p.to_original(start..start + "克里".len());
        assert_eq!(&original[r], "克里");
        let start = p.text.find("John").unwrap();
        assert_eq!(&original[p.to_original(start..start + 4)], "John");
    }

    #[test]
    fn display_conversion_keeps_ranges() {
        let text = "克里在上海与中国气候变化事务特使解振华会谈";
        let t = convert(text, Script::Traditional);
        assert_eq!(t.chars().count(), text.chars().count());
        let s = text.find("解振华").unwrap();
        let r = map_range(text, &t, s..s + "解振华".len());
        assert_eq!(&t[r], "解振華");
        assert_eq!(convert(text, Script::Original), text);
    }

    #[test]
    fn script_cycles() {
        assert_eq!(Script::Original.next().next().next(), Script::Original);
    }
}
