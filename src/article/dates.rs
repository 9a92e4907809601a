//! Dates as the formats write them, read into UTC instants.
//!
//! Forms understood (the original text is always kept beside the instant):
//! - RFC 2822 / RFC 1123, as JavaScript's `toUTCString` writes them: `Thu, 01 Sep 2022 10:21:21 GMT`;
//! - RFC 3339 / ISO 8601 instants with `Z` or an offset: `2022-10-26T01:34:17.666Z`;
//! - epoch milliseconds (13 digits) or seconds (10 digits): `1666748823000`;
//! - a civil date-time without zone, `2021-10-28 14:08:07` (also with `T`, or a bare date):
//!   the 观察者网 generator copies these from the outlet's pages, which print Beijing time, so they
//!   are read as China Standard Time, UTC+8 (no daylight saving since 1991) — see [`NAIVE_OFFSET_HOURS`];
//! - `Invalid Date` (what the generator writes when it had no date) and anything else: no instant.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use super::Stamp;

/// The offset assumed for a date-time written without a zone (China Standard Time).
pub const NAIVE_OFFSET_HOURS: i8 = 8;

/// Reads `text` as an instant; `None` when it is not a date this module knows.
pub fn parse_date(text: &str) -> Option<Stamp> {
    let original = crate::sanitize::clean_line(text);
    let s = original.trim();
    if s.is_empty() {
        return None;
    }
    let utc = parse_instant(s)?;
    Some(Stamp {
        utc,
        original: s.to_string(),
    })
}

/// Epoch milliseconds (as the link header writes them) to a stamp keeping the digits as text.
pub fn from_epoch_millis(text: &str) -> Option<Stamp> {
    let s = text.trim();
    if s.is_empty() || s.len() > 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: i64 = s.parse().ok()?;
    Some(Stamp {
        utc: Timestamp::from_millisecond(ms).ok()?,
        original: s.to_string(),
    })
}

fn parse_instant(s: &str) -> Option<Timestamp> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        // Epoch: 13 digits are milliseconds (the link header), 9–10 digits are seconds.
        let n: i64 = s.parse().ok()?;
        return match s.len() {
            12..=14 => Timestamp::from_millisecond(n).ok(),
            9..=11 => Timestamp::from_second(n).ok(),
            _ => None,
        };
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    if s.contains(',')
        || s.ends_with("GMT")
        || s.ends_with("UT")
        || s.contains(" +")
        || s.contains(" -")
    {
        if let Ok(zoned) = jiff::fmt::rfc2822::parse(s) {
            return Some(zoned.timestamp());
        }
        // Without the weekday, which some writers get wrong.
        if let Some((_, rest)) = s.split_once(", ") {
            if let Ok(zoned) = jiff::fmt::rfc2822::parse(rest) {
                return Some(zoned.timestamp());
            }
        }
    }
    let naive = if s.len() == 10 {
        s.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        s.parse::<DateTime>().ok()
    };
    let offset = Offset::constant(NAIVE_OFFSET_HOURS);
    naive.and_then(|dt| offset.to_timestamp(dt).ok())
}

/// A zone from its name: an IANA name (`Europe/Paris`), `UTC`/`GMT`, or a fixed offset
/// (`+08:00`, `+0800`, `-05`).
pub fn zone(name: &str) -> Option<jiff::tz::TimeZone> {
    let n = name.trim();
    if n.eq_ignore_ascii_case("utc") || n.eq_ignore_ascii_case("gmt") || n == "Z" {
        return Some(jiff::tz::TimeZone::UTC);
    }
    if let Some(off) = fixed_offset(n) {
        return Some(jiff::tz::TimeZone::fixed(off));
    }
    jiff::tz::TimeZone::get(n).ok()
}

/// `+08:00`, `+0800`, `+08`, `-05:30` as an offset.
fn fixed_offset(s: &str) -> Option<Offset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' | b'\xe2' if s.starts_with('-') => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if h > 14 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// How exact a publication time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// To the minute (or second).
    Time,
    /// Only the day: shown without a time, never invented.
    Day,
}

impl Precision {
    /// `time` or `day`, as `--json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Time => "time",
            Precision::Day => "day",
        }
    }
}

/// Where a publication time was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A dateline or date line in the first blocks of the body.
    Dateline,
    /// The front matter's `date`.
    FrontMatter,
    /// A page's `<meta property="article:published_time">`.
    Meta,
    /// Date digits in the URL path.
    Url,
}

impl Source {
    /// `dateline`, `front-matter`, `meta` or `url`, as `--json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Dateline => "dateline",
            Source::FrontMatter => "front-matter",
            Source::Meta => "meta",
            Source::Url => "url",
        }
    }
}

/// Where the zone of a publication time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ZoneFrom {
    /// The text names it (`Z`, `+08:00`, `GMT`) or the value is an epoch.
    Written,
    /// The outlet's zone from `outlets.toml`.
    Outlet,
    /// Inferred from the archive time (unknown outlet).
    Inferred,
    /// Assumed: China Standard Time, with no outlet and no archive time to go by.
    Assumed,
}

impl ZoneFrom {
    /// `written`, `outlet`, `inferred` or `assumed`, as `--json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneFrom::Written => "written",
            ZoneFrom::Outlet => "outlet",
            ZoneFrom::Inferred => "inferred",
            ZoneFrom::Assumed => "assumed",
        }
    }
}

/// A date as found in text, before a zone is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The text as written (sanitised, one line).
    pub text: String,
    /// The instant, when the text names a zone.
    pub instant: Option<Timestamp>,
    /// The civil date-time, when it does not (midnight for a bare date).
    pub civil: Option<DateTime>,
    /// Time or day.
    pub precision: Precision,
}

/// A publication time, chosen: the stamp, its precision, where it came from and its zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The instant and the text.
    pub stamp: super::Stamp,
    /// Time or day.
    pub precision: Precision,
    /// Where it was read.
    pub source: Source,
    /// Where its zone came from.
    pub zone: ZoneFrom,
}

/// The longest a report is taken to wait between publication and archiving: a candidate
/// further back is implausible (a date quoted in the text), and the next one is tried.
pub const MAX_ARCHIVE_LAG_DAYS: i64 = 730;
/// Clock slack: a candidate up to this long after the archive time still counts.
const AFTER_ARCHIVE_SLACK_SECS: i64 = 10 * 60;

/// Offsets considered for a time without a zone from an unknown outlet: Beijing/Hong Kong/Taipei/
/// Singapore time, the zones east of it, Moscow, Europe and the Americas. Sparse on purpose: a
/// neighbour an hour away would win whenever a report waited more than an hour to be archived.
const INFERRED_OFFSETS_MIN: &[i32] = &[
    600, 540, 480, 180, 120, 60, 0, -180, -240, -300, -360, -420, -480,
];
/// "Shortly before": published at most this long before it was archived.
const INFERRED_LAG_SECS: i64 = 36 * 3600;

/// The offset that puts `civil` closest before `archived` (within `lag`), so the most
/// western plausible zone: a report is archived minutes to hours after it is published, and
/// every zone further east only makes that wait longer.
fn infer_offset(civil: DateTime, archived: Timestamp, lag: i64) -> Option<Timestamp> {
    INFERRED_OFFSETS_MIN
        .iter()
        .filter_map(|&m| {
            let t = Offset::from_seconds(m * 60)
                .ok()?
                .to_timestamp(civil)
                .ok()?;
            let d = archived.as_second() - t.as_second();
            (-AFTER_ARCHIVE_SLACK_SECS..=lag)
                .contains(&d)
                .then_some((d.max(0), t))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, t)| t)
}

/// Reads a found date into a UTC instant: the written zone, else `zone` (the outlet's), else the
/// offset the archive time makes plausible, else China Standard Time. `None` when the result is
/// after the archive time or implausibly long before it.
pub fn resolve(
    found: &Found,
    zone: Option<&jiff::tz::TimeZone>,
    archived: Option<Timestamp>,
) -> Option<(Timestamp, ZoneFrom)> {
    let (utc, from) = if let Some(t) = found.instant {
        (t, ZoneFrom::Written)
    } else {
        let civil = found.civil?;
        if let Some(z) = zone {
            (
                z.to_ambiguous_timestamp(civil).compatible().ok()?,
                ZoneFrom::Outlet,
            )
        } else if let Some(a) = archived {
            // A bare date stands for a whole day, so its hour says nothing about the zone:
            // Beijing time is as good a guess as any, when it does not start after the archive
            // time.
            let pick = if found.precision == Precision::Day {
                Offset::constant(NAIVE_OFFSET_HOURS)
                    .to_timestamp(civil)
                    .ok()
                    .filter(|t| a.as_second() - t.as_second() >= -AFTER_ARCHIVE_SLACK_SECS)
                    .or_else(|| infer_offset(civil, a, INFERRED_LAG_SECS + 24 * 3600))
            } else {
                infer_offset(civil, a, INFERRED_LAG_SECS)
            };
            match pick {
                Some(t) => (t, ZoneFrom::Inferred),
                None => (
                    Offset::constant(NAIVE_OFFSET_HOURS)
                        .to_timestamp(civil)
                        .ok()?,
                    ZoneFrom::Assumed,
                ),
            }
        } else {
            (
                Offset::constant(NAIVE_OFFSET_HOURS)
                    .to_timestamp(civil)
                    .ok()?,
                ZoneFrom::Assumed,
            )
        }
    };
    if let Some(a) = archived {
        let d = a.as_second() - utc.as_second();
        // A day-precision date stands for its midnight: it may lie up to a day "after" an
        // archive time late on that day in a zone further east.
        let slack = match found.precision {
            Precision::Day => 24 * 3600,
            Precision::Time => AFTER_ARCHIVE_SLACK_SECS,
        };
        if d < -slack || d > MAX_ARCHIVE_LAG_DAYS * 86_400 {
            return None;
        }
    }
    Some((utc, from))
}

fn date_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        let m = month_names();
        let word_dates = format!(
            concat!(
                // 5: month names (assets/months.toml): July 20, 2020; 20 July 2020; 3. Mai 2024;
                // 1er mai 2024. A dot may follow a name (`Sept.`).
                r"|(?P<eng>(?i:(?P<em>{first}))\.?\s+(?P<ed>\d{{1,2}}),?\s+(?P<ey>(?:19|20)\d{{2}})",
                r"|(?P<ed2>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?i:(?P<em2>{all}))\.?\s+(?P<ey2>(?:19|20)\d{{2}}))"
            ),
            first = m.month_first,
            all = m.all,
        );
        regex::Regex::new(&[concat!(
            // 1: ISO / dashed / slashed year-first, optional time and zone.
            r"(?P<iso>(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})",
            r"(?:(?:T|\s+|\s*-\s*)(?P<ih>\d{1,2}):(?P<imin>\d{2})(?::(?P<is>\d{2})(?:\.\d+)?)?",
            r"(?P<iz>\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT))?)?)",
            // 2: RFC 2822 with optional weekday.
            r"|(?P<rfc>(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+(?:19|20)\d{2}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:GMT|UTC|UT|Z|[+-]\d{4}))",
            // 3: 2020年7月20日, spaces allowed, optional time (17:50, 下午5:50, 17时50分).
            r"|(?P<cjk>(?P<cy>(?:19|20)\d{2})\s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号號]",
            r"(?:\s*(?:(?:星期|周|週|礼拜|禮拜)[一二三四五六日天])?\s*(?P<cap>上午|下午|早上|晚上|凌晨|中午)?\s*(?P<ch>\d{1,2})\s*(?:[:：]|[时時点點])\s*(?P<cmin>\d{2})(?:\s*(?:[:：]\s*(?P<cs>\d{2})|分))?)?)",
            // 4: day-first (or month-first) numeric: 20/07/2020 - 17:50, 20.07.2020 17:50.
            r"|(?P<dmy>(?P<da>\d{1,2})[/.](?P<db>\d{1,2})[/.](?P<dy>(?:19|20)\d{2})",
            r"(?:(?:\s*-\s*|\s+|,\s*)(?P<dh>\d{1,2}):(?P<dmin>\d{2})(?::(?P<ds>\d{2}))?)?)",
        ), &word_dates].concat())
        .expect("static date regex")
    })
}

/// Month names by language, `assets/months.toml`.
pub const MONTHS: &str = include_str!("../../assets/months.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Language {
    #[serde(default)]
    month_first: bool,
    months: Vec<Vec<String>>,
}

/// The month names of `assets/months.toml`: lower-cased name → month, and the regex
/// alternations of every name and of the names written before the day (`July 20, 2020`).
struct MonthNames {
    number: std::collections::HashMap<String, i8>,
    all: String,
    month_first: String,
}

fn month_names() -> &'static MonthNames {
    static NAMES: std::sync::OnceLock<MonthNames> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let langs: std::collections::BTreeMap<String, Language> =
            toml::from_str(MONTHS).expect("assets/months.toml parses");
        let mut number = std::collections::HashMap::new();
        let (mut all, mut first) = (Vec::new(), Vec::new());
        for lang in langs.values() {
            assert_eq!(lang.months.len(), 12, "assets/months.toml: twelve months");
            for (i, names) in lang.months.iter().enumerate() {
                for name in names {
                    let prev = number.insert(name.to_lowercase(), i as i8 + 1);
                    assert!(
                        prev.is_none_or(|p| p == i as i8 + 1),
                        "assets/months.toml: {name} names two months"
                    );
                    all.push(regex::escape(name));
                    if lang.month_first {
                        first.push(regex::escape(name));
                    }
                }
            }
        }
        // Longest first, so `Sept` is not read as `Sep` and a dangling `t`.
        for list in [&mut all, &mut first] {
            list.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            list.dedup();
        }
        MonthNames {
            number,
            all: all.join("|"),
            month_first: first.join("|"),
        }
    })
}

fn month_number(name: &str) -> Option<i8> {
    month_names().number.get(&name.to_lowercase()).copied()
}

fn civil(
    y: &str,
    m: i8,
    d: &str,
    h: Option<&str>,
    min: Option<&str>,
    s: Option<&str>,
) -> Option<DateTime> {
    let y: i16 = y.parse().ok()?;
    let d: i8 = d.parse().ok()?;
    let date = jiff::civil::Date::new(y, m, d).ok()?;
    let time = match (h, min) {
        (Some(h), Some(min)) => jiff::civil::Time::new(
            h.parse().ok()?,
            min.parse().ok()?,
            s.map_or(Some(0), |s| s.parse().ok())?,
            0,
        )
        .ok()?,
        _ => jiff::civil::Time::midnight(),
    };
    Some(date.to_datetime(time))
}

/// Every date in `text`, in order, with its byte range. `order` settles all-numeric dates
/// whose first two numbers could both be a month (`05/07/2020`).
pub fn find_dates(
    text: &str,
    order: super::outlet::DateOrder,
) -> Vec<(std::ops::Range<usize>, Found)> {
    let mut out = Vec::new();
    for c in date_regex().captures_iter(text) {
        let whole = c.get(0).expect("match");
        let raw = whole.as_str();
        let g = |n: &str| c.name(n).map(|m| m.as_str());
        let found = if c.name("iso").is_some() {
            let m: i8 = g("im").and_then(|m| m.parse().ok()).unwrap_or(0);
            let precision = if g("ih").is_some() {
                Precision::Time
            } else {
                Precision::Day
            };
            let instant = if g("iz").is_some() {
                parse_instant(raw.trim()).or_else(|| {
                    // `2020-07-05 13:33 +0800`, `2020/07/05 13:33 UTC`
                    let dt = civil(g("iy")?, m, g("id")?, g("ih"), g("imin"), g("is"))?;
                    let z = g("iz")?.trim();
                    zone(z)?.to_ambiguous_timestamp(dt).compatible().ok()
                })
            } else {
                None
            };
            let civil_dt = civil(
                g("iy").unwrap_or(""),
                m,
                g("id").unwrap_or(""),
                g("ih"),
                g("imin"),
                g("is"),
            );
            if instant.is_none() && civil_dt.is_none() {
                continue;
            }
            Found {
                text: raw.to_string(),
                instant,
                civil: if instant.is_some() { None } else { civil_dt },
                precision,
            }
        } else if c.name("rfc").is_some() {
            let Some(t) = parse_instant(raw.trim()) else {
                continue;
            };
            Found {
                text: raw.to_string(),
                instant: Some(t),
                civil: None,
                precision: Precision::Time,
            }
        } else if c.name("cjk").is_some() {
            let m: i8 = g("cm").and_then(|m| m.parse().ok()).unwrap_or(0);
            let mut h = g("ch").map(str::to_string);
            if let (Some(ap), Some(hh)) = (g("cap"), h.as_deref()) {
                let n: u8 = hh.parse().unwrap_or(0);
                // 下午5:50 is 17:50; 中午12:30 stays 12:30, 中午1:00 is 13:00.
                if (matches!(ap, "下午" | "晚上") && n < 12) || (ap == "中午" && n < 11) {
                    h = Some((n + 12).to_string());
                }
            }
            let Some(dt) = civil(
                g("cy").unwrap_or(""),
                m,
                g("cd").unwrap_or(""),
                h.as_deref(),
                g("cmin"),
                g("cs"),
            ) else {
                continue;
            };
            let precision = if g("ch").is_some() {
                Precision::Time
            } else {
                Precision::Day
            };
            Found {
                text: raw.trim_end().to_string(),
                instant: None,
                civil: Some(dt),
                precision,
            }
        } else if c.name("dmy").is_some() {
            let a: i8 = g("da").and_then(|m| m.parse().ok()).unwrap_or(0);
            let b: i8 = g("db").and_then(|m| m.parse().ok()).unwrap_or(0);
            let (day, month) = if a > 12 {
                (a, b)
            } else if b > 12 {
                (b, a)
            } else {
                match order {
                    super::outlet::DateOrder::Dmy => (a, b),
                    super::outlet::DateOrder::Mdy => (b, a),
                }
            };
            let Some(dt) = civil(
                g("dy").unwrap_or(""),
                month,
                &day.to_string(),
                g("dh"),
                g("dmin"),
                g("ds"),
            ) else {
                continue;
            };
            let precision = if g("dh").is_some() {
                Precision::Time
            } else {
                Precision::Day
            };
            Found {
                text: raw.to_string(),
                instant: None,
                civil: Some(dt),
                precision,
            }
        } else {
            let (m, d, y) = match (g("em"), g("em2")) {
                (Some(m), _) => (m, g("ed").unwrap_or(""), g("ey").unwrap_or("")),
                (None, Some(m)) => (m, g("ed2").unwrap_or(""), g("ey2").unwrap_or("")),
                _ => continue,
            };
            let Some(m) = month_number(m) else { continue };
            let Some(dt) = civil(y, m, d, None, None, None) else {
                continue;
            };
            Found {
                text: raw.to_string(),
                instant: None,
                civil: Some(dt),
                precision: Precision::Day,
            }
        };
        out.push((whole.range(), found));
    }
    out
}

/// A date in a URL path: `/2020/07/05/`, `/2020-07-05/`, `/20200705-…`, `2022_08_05_…`,
/// `/2020/0705/`. Day precision. Digits inside longer numbers (article ids) do not count.
pub fn url_date(url: &str) -> Option<Found> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(concat!(
            r"(?:^|[/_\-.=a-zA-Z])(?P<y>(?:19|20)\d{2})(?:",
            r"/(?P<m>\d{1,2})/(?P<d>\d{1,2})|-(?P<m4>\d{1,2})-(?P<d4>\d{1,2})|_(?P<m5>\d{1,2})_(?P<d5>\d{1,2})",
            r"|/(?P<m2>\d{2})(?P<d2>\d{2})|(?P<m3>\d{2})(?P<d3>\d{2}))(?:$|[/_\-.?#a-zA-Z])"
        ))
        .expect("static url regex")
    });
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &path[path.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    // The regex does not overlap matches, so try each start.
    let mut from = 0;
    while let Some(c) = re.captures_at(path, from) {
        let whole = c.get(0).expect("match");
        let g = |n: &str| c.name(n).map(|m| m.as_str());
        let (m, d) = if let Some(m) = g("m") {
            (m, g("d"))
        } else if let Some(m) = g("m4") {
            (m, g("d4"))
        } else if let Some(m) = g("m5") {
            (m, g("d5"))
        } else if let Some(m) = g("m2") {
            (m, g("d2"))
        } else if let Some(m) = g("m3") {
            (m, g("d3"))
        } else {
            break;
        };
        let y = g("y").unwrap_or("");
        if let (Ok(mi), Some(d)) = (m.parse::<i8>(), d) {
            if let Some(dt) = civil(y, mi, d, None, None, None) {
                let text = c.name("y").map_or(0, |y| y.start())..whole.end();
                return Some(Found {
                    text: crate::sanitize::clean_line(
                        path[text].trim_end_matches(|c: char| !c.is_ascii_digit()),
                    ),
                    instant: None,
                    civil: Some(dt),
                    precision: Precision::Day,
                });
            }
        }
        from = whole.start() + 1;
    }
    None
}

/// A date written as a field's whole value (front matter, `<meta>`): any form [`find_dates`]
/// knows, or an epoch. `None` for `Invalid Date` and other text.
pub fn found_in_value(text: &str) -> Option<Found> {
    let clean = crate::sanitize::clean_line(text);
    let s = clean.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Found {
            text: s.to_string(),
            instant: Some(parse_instant(s)?),
            civil: None,
            precision: Precision::Time,
        });
    }
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(Found {
            text: s.to_string(),
            instant: Some(t),
            civil: None,
            precision: Precision::Time,
        });
    }
    let (range, mut found) = find_dates(s, super::outlet::DateOrder::Dmy)
        .into_iter()
        .next()?;
    // The value is the date: a few characters around it at most (`date: 2020-07-05 (updated)`).
    if s.len() - range.len() > 16 {
        return None;
    }
    found.text = s.to_string();
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        parse_date(s)
            .map(|st| st.utc.to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn rfc2822_gmt_as_the_generator_writes_it() {
        let st = parse_date("Thu, 01 Sep 2022 10:21:21 GMT").unwrap();
        assert_eq!(st.utc.to_string(), "2022-09-01T10:21:21Z");
        assert_eq!(st.original, "Thu, 01 Sep 2022 10:21:21 GMT");
    }

    #[test]
    fn rfc2822_with_offset_and_wrong_weekday() {
        assert_eq!(
            utc("Wed, 26 Oct 2022 09:34:17 +0800"),
            "2022-10-26T01:34:17Z"
        );
        // 1 Sep 2022 was a Thursday; a wrong weekday still gives the date.
        assert_eq!(utc("Mon, 01 Sep 2022 10:21:21 GMT"), "2022-09-01T10:21:21Z");
    }

    #[test]
    fn naive_date_time_is_china_time() {
        assert_eq!(utc("2021-10-28 14:08:07"), "2021-10-28T06:08:07Z");
        assert_eq!(utc("2021-10-28T14:08:07"), "2021-10-28T06:08:07Z");
        assert_eq!(utc("2021-10-28"), "2021-10-27T16:00:00Z");
        assert_eq!(
            parse_date("2021-10-28 14:08:07").unwrap().original,
            "2021-10-28 14:08:07"
        );
    }

    #[test]
    fn invalid_date_literal_and_garbage_give_none() {
        assert_eq!(utc("Invalid Date"), "none");
        assert_eq!(utc(""), "none");
        assert_eq!(utc("   "), "none");
        assert_eq!(utc("yesterday"), "none");
        assert_eq!(utc("2022-13-45 99:99:99"), "none");
        assert_eq!(utc("Thu, 99 Foo 2022"), "none");
    }

    #[test]
    fn iso_instants() {
        assert_eq!(utc("2022-10-26T01:34:17.666Z"), "2022-10-26T01:34:17.666Z");
        assert_eq!(utc("2022-10-26T09:34:17+08:00"), "2022-10-26T01:34:17Z");
        assert_eq!(utc(" 2022-10-26T01:34:17Z "), "2022-10-26T01:34:17Z");
    }

    #[test]
    fn epoch_milliseconds_and_seconds() {
        assert_eq!(utc("1666748823000"), "2022-10-26T01:47:03Z");
        assert_eq!(utc("1666748823"), "2022-10-26T01:47:03Z");
        assert_eq!(utc("12"), "none");
        let st = from_epoch_millis("1666748823000").unwrap();
        assert_eq!(st.utc.to_string(), "2022-10-26T01:47:03Z");
        assert_eq!(st.original, "1666748823000");
        assert!(from_epoch_millis("99999999999999999999").is_none());
        assert!(from_epoch_millis("12a").is_none());
    }

    #[test]
    fn control_characters_never_reach_the_original() {
        let st = parse_date("2022-10-26T01:34:17Z\u{1b}[2J").unwrap();
        assert_eq!(st.original, "2022-10-26T01:34:17Z");
    }

    use crate::article::outlet::DateOrder;

    /// Every date in `text`: (as written, UTC instant or civil time, precision).
    fn dates_in(text: &str) -> Vec<(String, String, &'static str)> {
        find_dates(text, DateOrder::Dmy)
            .into_iter()
            .map(|(range, f)| {
                assert_eq!(&text[range], f.text.as_str());
                let when = match (f.instant, f.civil) {
                    (Some(t), None) => t.to_string(),
                    (None, Some(c)) => c.to_string(),
                    other => panic!("both or neither: {other:?}"),
                };
                (f.text, when, f.precision.as_str())
            })
            .collect()
    }

    fn one(text: &str) -> (String, &'static str) {
        let mut all = dates_in(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        let (_, when, p) = all.remove(0);
        (when, p)
    }

    #[test]
    fn iso_with_and_without_zone_with_t_or_space() {
        assert_eq!(
            one("2020-07-05T13:33:34.166Z"),
            ("2020-07-05T13:33:34.166Z".into(), "time")
        );
        assert_eq!(
            one("<i>2020-07-05T21:33:34+08:00</i>"),
            ("2020-07-05T13:33:34Z".into(), "time")
        );
        assert_eq!(
            one("2020-07-05 13:33 +0800"),
            ("2020-07-05T05:33:00Z".into(), "time")
        );
        assert_eq!(
            one("2020/07/05 13:33 UTC"),
            ("2020-07-05T13:33:00Z".into(), "time")
        );
        // No zone: a civil time, for the outlet's zone to settle.
        assert_eq!(
            one("2020-06-24T04:34:33"),
            ("2020-06-24T04:34:33".into(), "time")
        );
        assert_eq!(
            one("发布时间：2020-07-20 17:50"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(
            one("2020-7-5 - 9:05"),
            ("2020-07-05T09:05:00".into(), "time")
        );
    }

    #[test]
    fn rfc_2822_with_and_without_weekday() {
        assert_eq!(
            one("Sun, 05 Jul 2020 21:08:24 GMT"),
            ("2020-07-05T21:08:24Z".into(), "time")
        );
        assert_eq!(
            one("更新 5 Jul 2020 21:08 +0200"),
            ("2020-07-05T19:08:00Z".into(), "time")
        );
        let all = dates_in("Sun, 05 Jul 2020 21:08:24 GMT");
        assert_eq!(all[0].0, "Sun, 05 Jul 2020 21:08:24 GMT");
    }

    #[test]
    fn cjk_dates_with_spaces_time_and_half_day() {
        assert_eq!(one("2020年 7月 5日"), ("2020-07-05T00:00:00".into(), "day"));
        assert_eq!(one("2020年7月20日"), ("2020-07-20T00:00:00".into(), "day"));
        assert_eq!(
            one("2020年7月20日 17:50"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(
            one("2020年7月20日17时50分"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(
            one("2020 年 7 月 20 日 星期一 下午5:50"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(
            one("2020年7月20日 上午 9:05:30"),
            ("2020-07-20T09:05:30".into(), "time")
        );
        assert_eq!(
            one("2020年7月20日 晚上11：05"),
            ("2020-07-20T23:05:00".into(), "time")
        );
        assert_eq!(
            one("2020年7月20日 中午12:30"),
            ("2020-07-20T12:30:00".into(), "time")
        );
        assert_eq!(
            one("2020年7月20日 下午12:30"),
            ("2020-07-20T12:30:00".into(), "time")
        );
        assert_eq!(one("2020年7月20号"), ("2020-07-20T00:00:00".into(), "day"));
        // Not a date: 2月30日.
        assert!(dates_in("2020年2月30日").is_empty());
    }

    #[test]
    fn day_first_numeric_as_european_outlets_print_it() {
        assert_eq!(
            one("20/07/2020 - 17:50"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(
            one("20.07.2020 17:50"),
            ("2020-07-20T17:50:00".into(), "time")
        );
        assert_eq!(one("20/07/2020"), ("2020-07-20T00:00:00".into(), "day"));
        // Ambiguous: the outlet's order settles it; a number above 12 settles it alone.
        let dmy = find_dates("05/07/2020 - 23:41", DateOrder::Dmy);
        assert_eq!(dmy[0].1.civil.unwrap().to_string(), "2020-07-05T23:41:00");
        let mdy = find_dates("05/07/2020 - 23:41", DateOrder::Mdy);
        assert_eq!(mdy[0].1.civil.unwrap().to_string(), "2020-05-07T23:41:00");
        let mdy = find_dates("07/20/2020", DateOrder::Dmy);
        assert_eq!(mdy[0].1.civil.unwrap().to_string(), "2020-07-20T00:00:00");
    }

    #[test]
    fn english_month_names_and_bare_dates_are_days() {
        assert_eq!(one("July 20, 2020"), ("2020-07-20T00:00:00".into(), "day"));
        assert_eq!(one("20 July 2020"), ("2020-07-20T00:00:00".into(), "day"));
        assert_eq!(one("2020-07-20"), ("2020-07-20T00:00:00".into(), "day"));
        assert_eq!(
            dates_in("2020-07-20 至 2020年7月21日")
                .into_iter()
                .map(|d| d.0)
                .collect::<Vec<_>>(),
            ["2020-07-20", "2020年7月21日"]
        );
    }

    #[test]
    fn european_day_month_year_with_german_french_and_english_names() {
        for (text, want) in [
            ("3. Mai 2024", "2024-05-03"),
            ("WIEN, 3. Mai 2024 –", "2024-05-03"),
            ("Freitag, 14. März 2025", "2025-03-14"),
            ("14. MÄRZ 2025", "2025-03-14"),
            ("2. Jänner 2023", "2023-01-02"),
            ("1. Dez. 2022", "2022-12-01"),
            ("3 mai 2024", "2024-05-03"),
            ("1er août 2021", "2021-08-01"),
            ("vendredi 17 décembre 2021", "2021-12-17"),
            ("17 déc. 2021", "2021-12-17"),
            ("3rd May 2024", "2024-05-03"),
            ("Sept. 5, 2022", "2022-09-05"),
            ("5 Sept 2022", "2022-09-05"),
        ] {
            assert_eq!(one(text), (format!("{want}T00:00:00"), "day"), "{text}");
        }
        // A word that starts like a month, a day that cannot be, a month-first German date.
        for text in [
            "3 Mais 2024",
            "31. Februar 2024",
            "Mai 3, 2024",
            "30 Marsch 2024",
        ] {
            assert!(dates_in(text).is_empty(), "{text}: {:?}", dates_in(text));
        }
    }

    #[test]
    fn every_language_names_twelve_months_and_no_name_two() {
        let names = month_names();
        for (name, month) in [("mai", 5), ("märz", 3), ("janvier", 1), ("sept", 9)] {
            assert_eq!(names.number.get(name), Some(&month), "{name}");
        }
        assert!(names.month_first.contains("July") && !names.month_first.contains("Juli"));
    }

    fn found(text: &str) -> Found {
        find_dates(text, DateOrder::Dmy).remove(0).1
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn resolved(
        text: &str,
        zone_name: Option<&str>,
        archived: Option<&str>,
    ) -> Option<(String, &'static str)> {
        let z = zone_name.map(|n| zone(n).expect("zone"));
        resolve(&found(text), z.as_ref(), archived.map(ts))
            .map(|(t, from)| (t.to_string(), from.as_str()))
    }

    #[test]
    fn a_written_zone_wins() {
        assert_eq!(
            resolved(
                "Sun, 05 Jul 2020 21:08:24 GMT",
                Some("Asia/Shanghai"),
                Some("2020-07-05T21:11:22Z")
            ),
            Some(("2020-07-05T21:08:24Z".into(), "written"))
        );
    }

    #[test]
    fn a_time_without_zone_takes_the_outlets_zone() {
        // 法广 prints Paris time: CEST in July.
        assert_eq!(
            resolved(
                "03/07/2020 - 00:22",
                Some("Europe/Paris"),
                Some("2020-07-02T22:56:14Z")
            ),
            Some(("2020-07-02T22:22:00Z".into(), "outlet"))
        );
        // ... and CET in January.
        assert_eq!(
            resolved("03/01/2020 - 00:22", Some("Europe/Paris"), None),
            Some(("2020-01-02T23:22:00Z".into(), "outlet"))
        );
        assert_eq!(
            resolved("2020年7月20日 17:50", Some("+08:00"), None),
            Some(("2020-07-20T09:50:00Z".into(), "outlet"))
        );
        // A bare day: midnight in the outlet's zone.
        assert_eq!(
            resolved(
                "2020年 7月 4日",
                Some("Europe/London"),
                Some("2020-07-04T07:46:36Z")
            ),
            Some(("2020-07-03T23:00:00Z".into(), "outlet"))
        );
    }

    #[test]
    fn an_unknown_outlets_zone_is_inferred_from_the_archive_time() {
        // Archived 34 minutes after 00:22 Paris time: Beijing time would make it 6½ hours,
        // UTC and UTC+1 would put it after the archive time.
        assert_eq!(
            resolved("03/07/2020 - 00:22", None, Some("2020-07-02T22:56:14Z")),
            Some(("2020-07-02T22:22:00Z".into(), "inferred"))
        );
        // Printed in UTC, archived 20 minutes later.
        assert_eq!(
            resolved("2020-07-02T00:02:50", None, Some("2020-07-02T00:23:19Z")),
            Some(("2020-07-02T00:02:50Z".into(), "inferred"))
        );
        // Printed in Beijing time, archived two hours later: no zone west of it fits.
        assert_eq!(
            resolved("2020-07-02 10:00", None, Some("2020-07-02T04:00:00Z")),
            Some(("2020-07-02T02:00:00Z".into(), "inferred"))
        );
        // A bare day says nothing about the zone: Beijing midnight, as it is not after the
        // archive time.
        assert_eq!(
            resolved("July 2, 2020", None, Some("2020-07-02T04:00:00Z")),
            Some(("2020-07-01T16:00:00Z".into(), "inferred"))
        );
        // Without an archive time, China Standard Time is assumed.
        assert_eq!(
            resolved("2020-07-02 10:00", None, None),
            Some(("2020-07-02T02:00:00Z".into(), "assumed"))
        );
        // No offset puts it shortly before the archive time (three days earlier): assumed.
        assert_eq!(
            resolved("2020-06-29 10:00", None, Some("2020-07-02T04:00:00Z")),
            Some(("2020-06-29T02:00:00Z".into(), "assumed"))
        );
    }

    #[test]
    fn candidates_after_the_archive_time_or_long_before_are_rejected() {
        // A day after it was archived: a date in the text about tomorrow.
        assert_eq!(
            resolved("2020-07-03T10:00:00Z", None, Some("2020-07-02T10:00:00Z")),
            None
        );
        assert_eq!(
            resolved(
                "03/07/2020 - 12:00",
                Some("Europe/Paris"),
                Some("2020-07-02T10:00:00Z")
            ),
            None
        );
        // Minutes after: clock slack.
        assert_eq!(
            resolved("2020-07-02T10:05:00Z", None, Some("2020-07-02T10:00:00Z")),
            Some(("2020-07-02T10:05:00Z".into(), "written"))
        );
        // Years before: a date quoted in the text.
        assert_eq!(
            resolved(
                "2003年7月1日",
                Some("Asia/Hong_Kong"),
                Some("2020-07-02T10:00:00Z")
            ),
            None
        );
        assert_eq!(
            resolved(
                "2019年7月1日",
                Some("Asia/Hong_Kong"),
                Some("2020-07-02T10:00:00Z")
            ),
            Some(("2019-06-30T16:00:00Z".into(), "outlet"))
        );
        // A bare day may stand a day "after" an archive time late that day further west.
        assert_eq!(
            resolved(
                "2020年7月3日",
                Some("Asia/Tokyo"),
                Some("2020-07-02T16:00:00Z")
            ),
            Some(("2020-07-02T15:00:00Z".into(), "outlet"))
        );
    }

    fn url(u: &str) -> Option<String> {
        url_date(u).map(|f| {
            assert_eq!(f.precision, Precision::Day);
            format!("{} {}", f.text, f.civil.unwrap().date())
        })
    }

    #[test]
    fn url_dates_in_the_usual_orders_and_packings() {
        assert_eq!(
            url("http://www.rfi.fr//cn/%E4%B8%AD%E5%9B%BD/20200630-%E6%AC%A7%E7%9B%9F").as_deref(),
            Some("20200630 2020-06-30")
        );
        assert_eq!(
            url("https://www.nytimes.com/2020/07/05/world/asia/x.html").as_deref(),
            Some("2020/07/05 2020-07-05")
        );
        assert_eq!(
            url("https://example.com/news/2020-7-5/story").as_deref(),
            Some("2020-7-5 2020-07-05")
        );
        assert_eq!(
            url("https://example.com/a/2022_08_05_x.shtml").as_deref(),
            Some("2022_08_05 2022-08-05")
        );
        assert_eq!(
            url("http://www.xinhuanet.com/world/2020/0705/c1002.htm").as_deref(),
            Some("2020/0705 2020-07-05")
        );
        assert_eq!(
            url("https://www.zaobao.com/news/china/story20200705-1066").as_deref(),
            Some("20200705 2020-07-05")
        );
        // The host, the query and article ids are not dates.
        assert_eq!(url("https://www.dw.com/zh/x/a-53965493"), None);
        assert_eq!(url("https://2020-07-05.example.com/x"), None);
        assert_eq!(url("https://example.com/x?d=20200705"), None);
        assert_eq!(url("https://example.com/a/120200705123"), None);
        assert_eq!(url("https://example.com/2020/13/45/x"), None);
        assert_eq!(
            url("https://www.bbc.com/zhongwen/simp/chinese-news-53189383"),
            None
        );
    }
}
