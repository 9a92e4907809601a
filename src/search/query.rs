//! The query language shared by `/`, `reader search` and saved filters.
//!
//! ```text
//! kerry 气候            words: every one must occur (in the title, body, author or outlet)
//! "climate envoy"       a phrase: the words next to each other, in this order
//! -opinion  -"op ed"    a word or phrase that must not occur
//! outlet:bbc            the outlet by any of its names, either script (outlet:德國之聲, outlet:dw)
//! author:洪沙  tag:气候  the byline contains the value; a tag equals it (case and script folded)
//! on:2020-07-09         published that day (or month: on:2020-07, on:2020年7月; year: on:2020)
//! after:7月1日           published on that day or later   (inclusive)
//! before:"9 July 2020"  published on that day or earlier  (inclusive)
//! is:unread is:starred  read state (also is:read, is:unstarred)
//! ```
//!
//! Values may be quoted (`outlet:"Deutsche Welle"`); any term may be negated with `-`
//! (`-outlet:bbc`). Repeated `outlet:` terms mean any of them (a report has one outlet); every
//! other term must hold. Dates are accepted as people type them: `2020-07-09`, `2020/7/9`,
//! `20200709`, `7月9日`, `2020年7月9日`, `9 July 2020`, `July 9`, `today`, `yesterday`. A date
//! without a year is the most recent such day not after today.
//!
//! Dates are compared by the day an article is listed under: a day-precision publication date
//! as the page printed it, else the publication instant (the archive time when no publication
//! time is known) on the calendar of the query's zone: UTC unless [`Query::in_zone`] sets
//! another (the reader passes its own zone, so `on:` agrees with the dates its list shows).
//!
//! A malformed query is a [`QueryError`] with the byte offset of the offending part and a
//! reason in words for a user, never an empty result.

use std::fmt;
use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use regex::Regex;

use super::normalize;
use crate::article::Article;

/// Read state of one article, as the state store knows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// The article has been read.
    pub read: bool,
    /// The article is starred.
    pub starred: bool,
}

/// A span of whole days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    /// The first day.
    pub first: Date,
    /// The last day (equal to `first` for one day).
    pub last: Date,
}

impl DayRange {
    /// One day.
    pub fn day(d: Date) -> DayRange {
        DayRange { first: d, last: d }
    }

    /// True when `d` is in the span.
    pub fn contains(&self, d: Date) -> bool {
        self.first <= d && d <= self.last
    }
}

/// A word or phrase to find in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextTerm {
    /// As typed (without quotes or the `-`).
    pub text: String,
    /// [`normalize`]d: Simplified script, lower case.
    pub normalized: String,
    /// Quoted: the words must stand together in this order.
    pub phrase: bool,
    /// Preceded by `-`: must not occur.
    pub negated: bool,
    /// Byte offset in the query text.
    pub offset: usize,
}

/// A malformed query: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// Byte offset in the query text of the part that is wrong.
    pub offset: usize,
    /// What is wrong, in words for a user.
    pub reason: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for QueryError {}

/// Which read state `is:` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// `is:unread`.
    Unread,
    /// `is:read`.
    Read,
    /// `is:starred`.
    Starred,
    /// `is:unstarred`.
    Unstarred,
}

/// A condition on what is known about an article besides its text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Cond {
    /// The outlet's normalised value, and the display names of the table's outlets it names.
    Outlet {
        value: String,
        names: Vec<String>,
    },
    Author(String),
    Tag(String),
    On(DayRange),
    After(Date),
    Before(Date),
    Is(State),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Meta {
    cond: Cond,
    negated: bool,
}

/// A parsed query. Text terms are matched by the index (or by [`Query::matches_key`] on a
/// normalised key); everything else by [`Query::matches_meta`].
#[derive(Clone, Debug)]
pub struct Query {
    text: Vec<TextTerm>,
    meta: Vec<Meta>,
    zone: TimeZone,
}

impl Query {
    /// The text terms, in the order typed.
    pub fn text_terms(&self) -> &[TextTerm] {
        &self.text
    }

    /// The terms that must occur.
    pub fn required_text(&self) -> impl Iterator<Item = &TextTerm> {
        self.text.iter().filter(|t| !t.negated)
    }

    /// The terms that must not occur.
    pub fn excluded_text(&self) -> impl Iterator<Item = &TextTerm> {
        self.text.iter().filter(|t| t.negated)
    }

    /// True when the query has words or phrases (so it needs the full-text index).
    pub fn has_text(&self) -> bool {
        !self.text.is_empty()
    }

    /// True when the query has no terms at all (it matches everything).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.meta.is_empty()
    }

    /// True when the query asks about read state (`is:`), which needs the state store.
    pub fn uses_state(&self) -> bool {
        self.meta.iter().any(|m| matches!(m.cond, Cond::Is(_)))
    }

    /// The same query, comparing dates on the calendar of `zone` (UTC by default).
    pub fn in_zone(mut self, zone: TimeZone) -> Query {
        self.zone = zone;
        self
    }

    /// The span the positive date conditions allow (`on:`, `after:`, `before:` together), each
    /// end `None` when open; `None` when the query has no such condition. For pre-filtering:
    /// [`Query::matches_meta`] decides.
    pub fn day_bounds(&self) -> Option<(Option<Date>, Option<Date>)> {
        let mut bounds: Option<(Option<Date>, Option<Date>)> = None;
        for m in self.meta.iter().filter(|m| !m.negated) {
            let (first, last) = match m.cond {
                Cond::On(r) => (Some(r.first), Some(r.last)),
                Cond::After(d) => (Some(d), None),
                Cond::Before(d) => (None, Some(d)),
                _ => continue,
            };
            let (f, l) = bounds.get_or_insert((None, None));
            *f = (*f).max(first);
            *l = match (*l, last) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        bounds
    }

    /// The values of the positive `author:` terms, normalised (for pre-filtering: each must be
    /// contained in the author).
    pub fn authors(&self) -> impl Iterator<Item = &str> {
        self.meta
            .iter()
            .filter(|m| !m.negated)
            .filter_map(|m| match &m.cond {
                Cond::Author(v) => Some(v.as_str()),
                _ => None,
            })
    }

    /// True when every condition other than the text holds for `article` with state `flags`.
    pub fn matches_meta(&self, article: &Article, flags: Flags) -> bool {
        let mut any_outlet = None;
        for m in &self.meta {
            if let (Cond::Outlet { .. }, false) = (&m.cond, m.negated) {
                // Positive outlet terms are alternatives: collect, decide after the loop.
                let hit = self.cond_holds(&m.cond, article, flags);
                any_outlet = Some(any_outlet.unwrap_or(false) || hit);
                continue;
            }
            if self.cond_holds(&m.cond, article, flags) == m.negated {
                return false;
            }
        }
        any_outlet.unwrap_or(true)
    }

    /// True when the text terms hold on `key`, a [`normalize`]d text (a title or a list key):
    /// every required term is a substring, no excluded one is. The fallback while the index is
    /// not ready, and the matcher for short texts.
    pub fn matches_key(&self, key: &str) -> bool {
        self.text
            .iter()
            .all(|t| key.contains(t.normalized.as_str()) != t.negated)
    }

    fn cond_holds(&self, cond: &Cond, article: &Article, flags: Flags) -> bool {
        match cond {
            Cond::Outlet { value, names } => {
                article
                    .outlet
                    .as_deref()
                    .is_some_and(|o| match crate::article::outlet::rules(o) {
                        Some(rules) => names.contains(&rules.name),
                        None => normalize(o).contains(value.as_str()),
                    })
            }
            Cond::Author(v) => article
                .author
                .as_deref()
                .is_some_and(|a| normalize(a).contains(v.as_str())),
            Cond::Tag(v) => article
                .meta
                .tags
                .iter()
                .chain(&article.categories)
                .any(|t| normalize(t.trim()) == *v),
            Cond::On(range) => self.day_of(article).is_some_and(|d| range.contains(d)),
            Cond::After(first) => self.day_of(article).is_some_and(|d| d >= *first),
            Cond::Before(last) => self.day_of(article).is_some_and(|d| d <= *last),
            Cond::Is(State::Unread) => !flags.read,
            Cond::Is(State::Read) => flags.read,
            Cond::Is(State::Starred) => flags.starred,
            Cond::Is(State::Unstarred) => !flags.starred,
        }
    }

    /// The day the article is listed under, on this query's calendar.
    fn day_of(&self, article: &Article) -> Option<Date> {
        let t = article.list_time()?;
        Some(
            t.day
                .unwrap_or_else(|| t.utc.to_zoned(self.zone.clone()).date()),
        )
    }
}

const FIELDS: &str = "outlet:, author:, tag:, on:, after:, before:, is:";
const DATE_EXAMPLE: &str = "a date like 2020-07-09 or 7月9日";

/// Parses `text` as a query; `today` resolves dates written without a year.
pub fn parse(text: &str, today: Date) -> Result<Query, QueryError> {
    let mut query = Query {
        text: Vec::new(),
        meta: Vec::new(),
        zone: TimeZone::UTC,
    };
    let mut at = 0;
    while let Some(start) = next_non_space(text, at) {
        let mut pos = start;
        let negated = text[pos..].starts_with('-');
        if negated {
            pos += 1;
            if next_non_space(text, pos) != Some(pos) {
                // A lone `-` (as in a pasted "A - B") says nothing.
                at = pos;
                continue;
            }
        }
        if let Some((close, inner)) = quoted(text, pos)? {
            push_text(&mut query, inner, true, negated, pos);
            at = close;
            continue;
        }
        if let Some((field, value_at)) = field_at(text, pos) {
            let (value, end) = match quoted(text, value_at)? {
                Some((close, inner)) => (inner, close),
                None => {
                    let end = word_end(text, value_at);
                    (&text[value_at..end], end)
                }
            };
            let cond = condition(&field, value.trim(), value_at, pos, today)?;
            query.meta.push(Meta { cond, negated });
            at = end;
            continue;
        }
        let end = word_end(text, pos);
        push_text(&mut query, &text[pos..end], false, negated, pos);
        at = end;
    }
    Ok(query)
}

fn next_non_space(text: &str, from: usize) -> Option<usize> {
    text[from..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map(|(i, _)| from + i)
}

fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| from + i)
}

/// A quoted string starting at `at`: the offset after the closing quote and the inner text.
fn quoted(text: &str, at: usize) -> Result<Option<(usize, &str)>, QueryError> {
    let Some(open) = text[at..].chars().next() else {
        return Ok(None);
    };
    let closers: &[char] = match open {
        '"' | '“' | '”' => &['"', '”', '“'],
        '「' => &['」'],
        '『' => &['』'],
        _ => return Ok(None),
    };
    let inner_at = at + open.len_utf8();
    match text[inner_at..].find(closers) {
        Some(i) => {
            let close = inner_at + i;
            let close_len = text[close..].chars().next().map_or(1, char::len_utf8);
            Ok(Some((close + close_len, &text[inner_at..close])))
        }
        None => Err(QueryError {
            offset: at,
            reason: format!("the quote {open} here is never closed"),
        }),
    }
}

/// `name:` (or `name：`) at `at`: the lower-cased name and the value's offset. A URL
/// (`https://…`) is text, not a field.
fn field_at(text: &str, at: usize) -> Option<(String, usize)> {
    let rest = &text[at..];
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let after = &rest[name_len..];
    let colon = after.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    let value_at = at + name_len + colon.len_utf8();
    if text[value_at..].starts_with("//") {
        return None;
    }
    Some((rest[..name_len].to_ascii_lowercase(), value_at))
}

fn push_text(query: &mut Query, text: &str, phrase: bool, negated: bool, offset: usize) {
    let normalized = normalize(text.trim());
    if normalized.chars().any(char::is_alphanumeric) {
        query.text.push(TextTerm {
            text: text.trim().to_string(),
            normalized,
            phrase,
            negated,
            offset,
        });
    }
}

fn condition(
    field: &str,
    value: &str,
    value_at: usize,
    field_at: usize,
    today: Date,
) -> Result<Cond, QueryError> {
    let known = ["outlet", "author", "tag", "on", "after", "before", "is"];
    if !known.contains(&field) {
        return Err(QueryError {
            offset: field_at,
            reason: format!(
                "unknown field '{field}:' (fields are {FIELDS}); to search for the text, quote it: \"{field}:…\""
            ),
        });
    }
    if value.is_empty() {
        let example = match field {
            "outlet" => "outlet:bbc or outlet:\"Deutsche Welle\"",
            "author" => "author:洪沙",
            "tag" => "tag:气候",
            "is" => "is:unread or is:starred",
            "on" => "on:2020-07-09 or on:7月9日",
            "after" => "after:2020-07-09",
            _ => "before:2020-07-09",
        };
        return Err(QueryError {
            offset: value_at,
            reason: format!("{field}: needs a value, like {example}"),
        });
    }
    let bad_date = || QueryError {
        offset: value_at,
        reason: format!("{field}: needs {DATE_EXAMPLE}, got '{value}'"),
    };
    Ok(match field {
        "outlet" => {
            let v = normalize(value);
            let names = crate::article::outlet::all()
                .iter()
                .filter(|o| o.names().any(|n| normalize(n).contains(v.as_str())))
                .map(|o| o.name.clone())
                .collect();
            Cond::Outlet { value: v, names }
        }
        "author" => Cond::Author(normalize(value)),
        "tag" => Cond::Tag(normalize(value)),
        "on" => Cond::On(parse_day(value, today).ok_or_else(bad_date)?),
        "after" => Cond::After(parse_day(value, today).ok_or_else(bad_date)?.first),
        "before" => Cond::Before(parse_day(value, today).ok_or_else(bad_date)?.last),
        _ => Cond::Is(match value.to_ascii_lowercase().as_str() {
            "unread" | "new" => State::Unread,
            "read" => State::Read,
            "starred" | "star" => State::Starred,
            "unstarred" => State::Unstarred,
            _ => {
                return Err(QueryError {
                    offset: value_at,
                    reason: format!("is: takes unread, read, starred or unstarred, got '{value}'"),
                });
            }
        }),
    })
}

/// A day, month or year as people type it: `2020-07-09`, `2020/7/9`, `20200709`, `7月9日`,
/// `2020年7月9日`, `9 July 2020`, `July 9`, `Jul 9, 2020`, `today`, `yesterday`; a month
/// `2020-07`, `2020年7月`, `July 2020`, `7月`; a year `2020`. Without a year, the most recent
/// such day (or month) not after `today`. `None` when it is not a date.
pub fn parse_day(text: &str, today: Date) -> Option<DayRange> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width digits and punctuation, as CJK input methods type them.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' => '-',
            '／' => '/',
            '．' => '.',
            '，' => ',',
            '\u{3000}' => ' ',
            _ => c.to_ascii_lowercase(),
        })
        .collect();
    let t = t.trim();
    match t {
        "today" | "今天" | "今日" => return Some(DayRange::day(today)),
        "yesterday" | "昨天" | "昨日" => return today.yesterday().ok().map(DayRange::day),
        _ => {}
    }
    static PATTERNS: OnceLock<[Regex; 7]> = OnceLock::new();
    let [ymd, compact, ym, year, cjk, dmy, mdy] = PATTERNS.get_or_init(|| {
        [
            r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$",
            r"^(\d{4})(\d{2})(\d{2})$",
            r"^(\d{4})[-/.](\d{1,2})$",
            r"^(\d{4})\s*年?$",
            r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号號]?)?$",
            r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$",
            r"^([a-z]+)\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s*(\d{4}))?$",
        ]
        .map(|p| Regex::new(p).expect("date pattern"))
    });
    let num = |s: Option<regex::Match>| s.and_then(|m| m.as_str().parse::<i16>().ok());
    let (y, m, d) = if let Some(c) = ymd.captures(t).or_else(|| compact.captures(t)) {
        (num(c.get(1)), num(c.get(2))?, num(c.get(3)))
    } else if let Some(c) = ym.captures(t) {
        (num(c.get(1)), num(c.get(2))?, None)
    } else if let Some(c) = year.captures(t) {
        let y = num(c.get(1))?;
        let first = Date::new(y, 1, 1).ok()?;
        return Some(DayRange {
            first,
            last: Date::new(y, 12, 31).ok()?,
        });
    } else if let Some(c) = cjk.captures(t) {
        (num(c.get(1)), num(c.get(2))?, num(c.get(3)))
    } else if let Some(c) = dmy.captures(t) {
        (
            num(c.get(3)),
            month_number(c.get(2)?.as_str())?,
            num(c.get(1)),
        )
    } else if let Some(c) = mdy.captures(t) {
        (
            num(c.get(3)),
            month_number(c.get(1)?.as_str())?,
            num(c.get(2)),
        )
    } else {
        return None;
    };
    let m = i8::try_from(m).ok().filter(|m| (1..=12).contains(m))?;
    match (y, d) {
        (Some(y), Some(d)) => Date::new(y, m, i8::try_from(d).ok()?)
            .ok()
            .map(DayRange::day),
        (Some(y), None) => month_range(y, m),
        (None, Some(d)) => {
            let d = i8::try_from(d).ok()?;
            // The most recent such day not after today (29 February looks back to a leap year).
            (0..8)
                .filter_map(|back| Date::new(today.year() - back, m, d).ok())
                .find(|date| *date <= today)
                .map(DayRange::day)
        }
        (None, None) => {
            let y = if m <= today.month() {
                today.year()
            } else {
                today.year() - 1
            };
            month_range(y, m)
        }
    }
}

fn month_range(y: i16, m: i8) -> Option<DayRange> {
    let first = Date::new(y, m, 1).ok()?;
    Some(DayRange {
        first,
        last: first.last_of_month(),
    })
}

fn month_number(name: &str) -> Option<i16> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if name.len() < 3 {
        return None;
    }
    let name = if name == "sept" { "sep" } else { name };
    MONTHS
        .iter()
        .position(|m| m.starts_with(name))
        .map(|i| i as i16 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 1);

    fn q(text: &str) -> Query {
        parse(text, TODAY).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> QueryError {
        parse(text, TODAY).expect_err(text)
    }

    fn day(text: &str) -> Option<DayRange> {
        parse_day(text, TODAY)
    }

    fn article(outlet: &str, author: &str, published: &str) -> Article {
        let mut a = crate::article::parse(
            crate::article::Origin::Memory {
                name: "r.txt".into(),
                bytes: std::sync::Arc::from(&b"<p>text</p>"[..]),
            },
            b"<p>text</p>",
        )
        .unwrap();
        a.outlet = Some(outlet.into());
        a.author = Some(author.into());
        a.published = crate::article::parse_date(published);
        assert!(a.published.is_some(), "{published}");
        a
    }

    #[test]
    fn words_phrases_and_negation() {
        let query = q(r#"Kerry "climate envoy" -opinion -"op ed" 氣候"#);
        let terms: Vec<_> = query
            .text_terms()
            .iter()
            .map(|t| (t.text.as_str(), t.normalized.as_str(), t.phrase, t.negated))
            .collect();
        assert_eq!(
            terms,
            [
                ("Kerry", "kerry", false, false),
                ("climate envoy", "climate envoy", true, false),
                ("opinion", "opinion", false, true),
                ("op ed", "op ed", true, true),
                ("氣候", "气候", false, false),
            ]
        );
        assert_eq!(query.text_terms()[1].offset, 6);
        assert_eq!(query.required_text().count(), 3);
        assert_eq!(query.excluded_text().count(), 2);
        assert!(query.has_text());
        assert!(!query.uses_state());
    }

    #[test]
    fn cjk_quotes_and_full_width_space() {
        let query = q("「美国 气候」\u{3000}“特使”");
        let texts: Vec<_> = query.text_terms().iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["美国 气候", "特使"]);
        assert!(query.text_terms().iter().all(|t| t.phrase));
    }

    #[test]
    fn a_lone_dash_and_punctuation_say_nothing() {
        assert!(q("- … -").is_empty());
        assert_eq!(q("A - B").text_terms().len(), 2);
    }

    #[test]
    fn key_matching_follows_the_terms() {
        let query = q("美國 -opinion");
        assert!(query.matches_key(&normalize("美国气候特使克里")));
        assert!(!query.matches_key(&normalize("美国 Opinion")));
        assert!(!query.matches_key("英国"));
        assert!(q("").matches_key("anything"));
    }

    #[test]
    fn outlet_by_any_name_either_script() {
        let dw = article("德國之聲", "洪沙", "2020-07-05T13:33:34Z");
        let gcw = article("观察者网", "王一", "2020-07-05T13:33:34Z");
        for name in [
            "outlet:德國之聲",
            "outlet:德国之声",
            "outlet:dw",
            "outlet:DW",
            "outlet:\"Deutsche Welle\"",
        ] {
            let query = q(name);
            assert!(query.matches_meta(&dw, Flags::default()), "{name}");
            assert!(!query.matches_meta(&gcw, Flags::default()), "{name}");
        }
        // Repeated outlets are alternatives; a negated one excludes.
        let either = q("outlet:dw outlet:观察者");
        assert!(either.matches_meta(&dw, Flags::default()));
        assert!(either.matches_meta(&gcw, Flags::default()));
        let not_dw = q("-outlet:dw");
        assert!(!not_dw.matches_meta(&dw, Flags::default()));
        assert!(not_dw.matches_meta(&gcw, Flags::default()));
        // An outlet the table does not know is matched by its name.
        let other = article("Bugle Gazette", "x", "2020-07-05T13:33:34Z");
        assert!(q("outlet:bugle").matches_meta(&other, Flags::default()));
        assert!(!q("outlet:dw").matches_meta(&other, Flags::default()));
    }

    #[test]
    fn author_and_tag() {
        let mut a = article("德國之聲", "洪沙", "2020-07-05T13:33:34Z");
        a.meta.tags = vec!["氣候變化".into(), "COP27".into()];
        a.categories = vec!["国际".into()];
        let f = Flags::default();
        assert!(q("author:洪").matches_meta(&a, f));
        assert!(!q("author:王").matches_meta(&a, f));
        assert!(q("tag:气候变化").matches_meta(&a, f));
        assert!(q("tag:cop27").matches_meta(&a, f));
        assert!(q("tag:國際").matches_meta(&a, f));
        assert!(!q("tag:气候").matches_meta(&a, f), "a tag is matched whole");
        assert!(q("tag:cop27 author:洪沙").matches_meta(&a, f));
        assert!(!q("tag:cop27 author:王").matches_meta(&a, f));
    }

    #[test]
    fn read_state() {
        let a = article("BBC", "x", "2020-07-05T13:33:34Z");
        let read = Flags {
            read: true,
            starred: false,
        };
        let starred = Flags {
            read: false,
            starred: true,
        };
        assert!(q("is:unread").matches_meta(&a, starred));
        assert!(!q("is:unread").matches_meta(&a, read));
        assert!(q("is:read").matches_meta(&a, read));
        assert!(q("is:starred").matches_meta(&a, starred));
        assert!(!q("is:starred").matches_meta(&a, read));
        assert!(q("-is:starred").matches_meta(&a, read));
        assert!(q("IS:Unstarred").matches_meta(&a, read));
        assert!(q("is:starred").uses_state());
    }

    #[test]
    fn dates_as_people_type_them() {
        let d = |y, m, dd| Some(DayRange::day(date(y, m, dd)));
        for text in [
            "2020-07-09",
            "2020/7/9",
            "2020.07.09",
            "20200709",
            "2020年7月9日",
            "２０２０年７月９日",
            "9 July 2020",
            "9th Jul 2020",
            "July 9, 2020",
            "Jul. 9 2020",
        ] {
            assert_eq!(day(text), d(2020, 7, 9), "{text}");
        }
        // Without a year: the most recent such day not after today (2026-12-01).
        assert_eq!(day("7月9日"), d(2026, 7, 9));
        assert_eq!(day("7月9号"), d(2026, 7, 9));
        assert_eq!(day("July 9"), d(2026, 7, 9));
        assert_eq!(day("12月1日"), d(2026, 12, 1));
        assert_eq!(day("12月2日"), d(2025, 12, 2));
        assert_eq!(day("Feb 29"), d(2024, 2, 29));
        assert_eq!(day("today"), d(2026, 12, 1));
        assert_eq!(day("昨天"), d(2026, 11, 30));
        // Months and years.
        let span = |a: Date, b: Date| Some(DayRange { first: a, last: b });
        let july = span(date(2020, 7, 1), date(2020, 7, 31));
        assert_eq!(day("2020-07"), july);
        assert_eq!(day("2020年7月"), july);
        assert_eq!(day("July 2020"), july);
        assert_eq!(day("2020-02"), span(date(2020, 2, 1), date(2020, 2, 29)));
        assert_eq!(day("7月"), span(date(2026, 7, 1), date(2026, 7, 31)));
        assert_eq!(day("july"), span(date(2026, 7, 1), date(2026, 7, 31)));
        assert_eq!(day("2020"), span(date(2020, 1, 1), date(2020, 12, 31)));
        // Not dates.
        for text in [
            "tomorow",
            "2020-13-01",
            "2020-02-30",
            "7月32日",
            "ju 9",
            "",
            "9",
        ] {
            assert_eq!(day(text), None, "{text}");
        }
    }

    #[test]
    fn after_and_before_are_inclusive() {
        let f = Flags::default();
        let a = article("BBC", "x", "2020-07-09T23:30:00Z");
        assert!(q("on:2020-07-09").matches_meta(&a, f));
        assert!(q("after:2020-07-09").matches_meta(&a, f));
        assert!(q("before:2020-07-09").matches_meta(&a, f));
        assert!(!q("after:2020-07-10").matches_meta(&a, f));
        assert!(!q("before:2020-07-08").matches_meta(&a, f));
        assert!(q("after:2020年7月1日 before:2020-07-31").matches_meta(&a, f));
        assert!(!q("after:2020-07-01 before:2020-07-05").matches_meta(&a, f));
        // Without a year, 7月1日 is the last 1 July before today (2026), after this report.
        assert!(!q("after:7月1日").matches_meta(&a, f));
        // A month: on: is the month, after: from its first day, before: to its last day.
        assert!(q("on:2020-07").matches_meta(&a, f));
        assert!(q("before:2020-07").matches_meta(&a, f));
        assert!(q("after:2020-07").matches_meta(&a, f));
        assert!(!q("on:2020-08").matches_meta(&a, f));
        assert!(!q("-on:2020-07-09").matches_meta(&a, f));
        assert!(q(r#"before:"9 July 2020""#).matches_meta(&a, f));
        assert_eq!(q("kerry").day_bounds(), None);
        assert_eq!(
            q("after:2020-07-01 on:2020-07 before:2020-07-20 -on:2020-07-05").day_bounds(),
            Some((Some(date(2020, 7, 1)), Some(date(2020, 7, 20))))
        );
        assert_eq!(
            q("after:2020-07-01").day_bounds(),
            Some((Some(date(2020, 7, 1)), None))
        );
    }

    #[test]
    fn day_boundaries_are_utc_unless_a_zone_is_given() {
        let f = Flags::default();
        // 23:30 UTC on 9 July is 07:30 on 10 July in Shanghai.
        let a = article("BBC", "x", "2020-07-09T23:30:00Z");
        assert!(q("on:2020-07-09").matches_meta(&a, f));
        let shanghai = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let local = q("on:2020-07-10").in_zone(shanghai.clone());
        assert!(local.matches_meta(&a, f));
        assert!(
            !q("on:2020-07-09")
                .in_zone(shanghai.clone())
                .matches_meta(&a, f)
        );
        // A day-precision date is the day as printed, whatever the zone.
        let mut printed = article("BBC", "x", "2020-07-03T23:00:00Z");
        printed.meta.published_day = Some(date(2020, 7, 4));
        assert!(q("on:2020-07-04").matches_meta(&printed, f));
        assert!(
            q("on:2020-07-04")
                .in_zone(shanghai)
                .matches_meta(&printed, f)
        );
        // No time at all: no date condition holds.
        let mut undated = article("BBC", "x", "2020-07-03T23:00:00Z");
        undated.published = None;
        undated.archived = None;
        assert!(!q("after:1970-01-01").matches_meta(&undated, f));
        assert!(q("-on:2020-07-03").matches_meta(&undated, f));
    }

    #[test]
    fn fields_and_text_mix_and_values_may_be_quoted() {
        let query = q(r#"克里 outlet:"Deutsche Welle" on：7月9日 https://example.com/a"#);
        let texts: Vec<_> = query.text_terms().iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["克里", "https://example.com/a"]);
        assert_eq!(query.meta.len(), 2);
        assert!(matches!(query.meta[1].cond, Cond::On(r) if r == DayRange::day(date(2026, 7, 9))));
    }

    #[test]
    fn malformed_queries_say_where_and_why() {
        let e = err("kerry foo:x");
        assert_eq!(e.offset, 6);
        assert!(e.reason.starts_with("unknown field 'foo:'"), "{e}");
        let e = err("after:tomorow");
        assert_eq!(e.offset, 6);
        assert_eq!(
            e.reason,
            "after: needs a date like 2020-07-09 or 7月9日, got 'tomorow'"
        );
        let e = err(r#"kerry "climate envoy"#);
        assert_eq!(e.offset, 6);
        assert!(e.reason.contains("never closed"), "{e}");
        let e = err(r#"outlet:"BBC"#);
        assert_eq!(e.offset, 7);
        let e = err("is:nonsense");
        assert_eq!(e.offset, 3);
        assert_eq!(
            e.reason,
            "is: takes unread, read, starred or unstarred, got 'nonsense'"
        );
        for text in ["outlet:", "outlet: bbc", "author:\"\"", "on:"] {
            let e = err(text);
            assert!(e.reason.contains("needs a value"), "{text}: {e}");
        }
        assert_eq!(err("x outlet:").offset, 9);
        assert_eq!(err("美国 on:明天").offset, 10);
    }
}
