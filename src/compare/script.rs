//! Chinese script handling: one pivot script for matching, either script for display.
//!
//! Matching converts both sides to Simplified (the pivot) so that 克裡 and 克里 meet. The
//! conversion used here is *character-aligned*: the output has exactly one character for each
//! input character, so a byte range found in the converted text maps back to the original text
//! (and a range in the original maps onto a display conversion). When zhconv's phrase-level
//! conversion changes the number of characters, each character is converted on its own instead.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;
use zhconv::Variant;

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

    fn variant(self) -> Option<Variant> {
        match self {
            Script::Original => None,
            Script::Simplified => Some(Variant::ZhHans),
            Script::Traditional => Some(Variant::ZhHant),
        }
    }
}

/// True for CJK ideographs (the characters zhconv converts and bigrams are made of).
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
    match script.variant() {
        Some(v) if has_han(text) => Cow::Owned(convert_aligned(text, v)),
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

fn convert_aligned(text: &str, variant: Variant) -> String {
    let whole = zhconv::zhconv(text, variant);
    if whole.chars().count() == text.chars().count() {
        return whole;
    }
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if !is_han(c) {
            out.push(c);
            continue;
        }
        let one = zhconv::zhconv(c.encode_utf8(&mut buf), variant);
        let mut it = one.chars();
        match (it.next(), it.next()) {
            (Some(d), None) => out.push(d),
            _ => out.push(c),
        }
    }
    out
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
