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
}
