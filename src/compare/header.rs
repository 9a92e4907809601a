//! Column headers and the sentence stating how far apart the two reports were published.

use super::{Input, Side};

/// What heads one column: outlet, publication time, title.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// The outlet, or `A` / `B` when unknown (sanitised, one line).
    pub outlet: String,
    /// Whether the outlet is known (false when `outlet` is only the side letter).
    pub outlet_known: bool,
    /// The title (sanitised, one line).
    pub title: String,
    /// When the report was published, if known.
    pub published: Option<jiff::Timestamp>,
    /// The day as the page printed it, when the publication time is known only to the day.
    pub day: Option<jiff::civil::Date>,
    /// When the report was archived, when that is all that is known of its time.
    pub archived: Option<jiff::Timestamp>,
}

impl Header {
    /// The header for one input.
    pub fn new(input: Input<'_>, side: Side) -> Header {
        let outlet = input
            .outlet
            .map(crate::sanitize::clean_line)
            .filter(|o| !o.is_empty());
        Header {
            outlet_known: outlet.is_some(),
            outlet: outlet.unwrap_or_else(|| side.letter().to_string()),
            title: crate::sanitize::clean_line(input.title),
            published: input.published,
            day: None,
            archived: None,
        }
    }

    /// The publication time as shown in the header: `2022-09-01 10:21 UTC`, the day alone
    /// (`2020-07-04`) when only the day is known, `archived 2020-07-04 01:23 UTC` when only the
    /// archive time is, or `date unknown`.
    pub fn published_label(&self) -> String {
        self.label_in(&jiff::tz::TimeZone::UTC, "%Y-%m-%d %H:%M UTC")
    }

    /// [`Header::published_label`] with times in `tz`, formatted by `format` (strftime).
    pub fn label_in(&self, tz: &jiff::tz::TimeZone, format: &str) -> String {
        if let Some(day) = self.day {
            return day.to_string();
        }
        let at = |t: jiff::Timestamp| t.to_zoned(tz.clone()).strftime(format).to_string();
        match (self.published, self.archived) {
            (Some(t), _) => at(t),
            (None, Some(t)) => format!("archived {}", at(t)),
            (None, None) => "date unknown".to_string(),
        }
    }
}

/// States the gap between the two publications: "德國之聲 published 55 days after 观察者网",
/// "… 3 hours after …", "… on the same day as …", or why it cannot be told.
///
/// Days count calendar days in UTC, so a report from the evening before and one from the next
/// morning are "1 day" apart only when more than a day has passed; otherwise hours are given.
pub fn gap_sentence(a: &Header, b: &Header) -> String {
    let (na, nb) = names(a, b);
    // An archive time stands in for an unknown publication time, and says so.
    let by_archive = |h: &Header| h.published.is_none() && h.archived.is_some();
    let note = if by_archive(a) || by_archive(b) {
        " (by archive time)"
    } else {
        ""
    };
    let (ta, tb) = match (a.published.or(a.archived), b.published.or(b.archived)) {
        (Some(ta), Some(tb)) => (ta, tb),
        (None, None) => return "Neither publication date is known".to_string(),
        (None, Some(_)) => return format!("{na}'s publication date is unknown"),
        (Some(_), None) => return format!("{nb}'s publication date is unknown"),
    };
    // A day-precision time says nothing of hours: count days between the printed days.
    if let (Some(da), Some(db)) = (
        a.day.or_else(|| b.day.is_some().then(|| utc_day(ta))),
        b.day.or_else(|| a.day.is_some().then(|| utc_day(tb))),
    ) {
        let (later, earlier, days) = if db >= da {
            (
                &nb,
                &na,
                da.until(db).map_or(0, |s| i64::from(s.get_days())),
            )
        } else {
            (
                &na,
                &nb,
                db.until(da).map_or(0, |s| i64::from(s.get_days())),
            )
        };
        return match days {
            0 => format!("{na} and {nb} published on the same day{note}"),
            1 => format!("{later} published 1 day after {earlier}{note}"),
            d => format!("{later} published {d} days after {earlier}{note}"),
        };
    }
    gap_of(&na, &nb, ta, tb) + note
}

fn utc_day(t: jiff::Timestamp) -> jiff::civil::Date {
    t.to_zoned(jiff::tz::TimeZone::UTC).date()
}

fn gap_of(na: &str, nb: &str, ta: jiff::Timestamp, tb: jiff::Timestamp) -> String {
    let (later, earlier, t_late, t_early) = if tb >= ta {
        (nb, na, tb, ta)
    } else {
        (na, nb, ta, tb)
    };
    let seconds = t_late.as_second() - t_early.as_second();
    if seconds < 60 {
        return format!("{na} and {nb} published at the same time");
    }
    if seconds < 24 * 3600 {
        let (n, unit) = if seconds < 3600 {
            (seconds / 60, "minute")
        } else {
            (seconds / 3600, "hour")
        };
        let s = if n == 1 { "" } else { "s" };
        return format!("{later} published {n} {unit}{s} after {earlier}");
    }
    let utc = jiff::tz::TimeZone::UTC;
    let days = t_early
        .to_zoned(utc.clone())
        .date()
        .until(t_late.to_zoned(utc).date())
        .map_or(seconds / 86_400, |s| i64::from(s.get_days()));
    let s = if days == 1 { "" } else { "s" };
    format!("{later} published {days} day{s} after {earlier}")
}

fn names(a: &Header, b: &Header) -> (String, String) {
    if a.outlet_known && b.outlet_known && a.outlet != b.outlet {
        (a.outlet.clone(), b.outlet.clone())
    } else if a.outlet_known && b.outlet_known {
        (format!("A ({})", a.outlet), format!("B ({})", b.outlet))
    } else {
        ("A".to_string(), "B".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(outlet: Option<&str>, t: Option<&str>) -> Header {
        Header {
            outlet_known: outlet.is_some(),
            outlet: outlet.unwrap_or("?").to_string(),
            title: String::new(),
            published: t.map(|t| t.parse().unwrap()),
            day: None,
            archived: None,
        }
    }

    #[test]
    fn a_day_or_an_archive_time_is_said_as_such() {
        let mut a = h(Some("X"), Some("2020-07-03T16:00:00Z"));
        a.day = Some(jiff::civil::date(2020, 7, 4));
        let b = h(Some("Y"), Some("2020-07-04T20:00:00Z"));
        assert_eq!(a.published_label(), "2020-07-04");
        assert_eq!(gap_sentence(&a, &b), "X and Y published on the same day");
        let mut c = h(Some("Z"), None);
        c.archived = Some("2020-07-06T08:00:00Z".parse().unwrap());
        assert_eq!(c.published_label(), "archived 2020-07-06 08:00 UTC");
        assert_eq!(
            gap_sentence(&b, &c),
            "Z published 2 days after Y (by archive time)"
        );
        assert_eq!(
            gap_sentence(&a, &c),
            "Z published 2 days after X (by archive time)"
        );
    }

    #[test]
    fn days_apart() {
        let a = h(Some("观察者网"), Some("2022-09-01T10:21:21Z"));
        let b = h(Some("德國之聲"), Some("2022-10-26T01:34:17.666Z"));
        assert_eq!(
            gap_sentence(&a, &b),
            "德國之聲 published 55 days after 观察者网"
        );
        assert_eq!(
            gap_sentence(&b, &a),
            "德國之聲 published 55 days after 观察者网"
        );
        assert_eq!(a.published_label(), "2022-09-01 10:21 UTC");
    }

    #[test]
    fn hours_minutes_same_time_and_one_day() {
        let a = h(Some("X"), Some("2022-09-01T10:00:00Z"));
        assert_eq!(
            gap_sentence(&a, &h(Some("Y"), Some("2022-09-01T13:30:00Z"))),
            "Y published 3 hours after X"
        );
        assert_eq!(
            gap_sentence(&a, &h(Some("Y"), Some("2022-09-01T10:01:00Z"))),
            "Y published 1 minute after X"
        );
        assert_eq!(
            gap_sentence(&a, &h(Some("Y"), Some("2022-09-01T10:00:30Z"))),
            "X and Y published at the same time"
        );
        assert_eq!(
            gap_sentence(&a, &h(Some("Y"), Some("2022-09-02T11:00:00Z"))),
            "Y published 1 day after X"
        );
    }

    #[test]
    fn unknown_dates_and_outlets() {
        let a = h(Some("X"), None);
        let b = h(Some("Y"), Some("2022-09-01T10:00:00Z"));
        assert_eq!(gap_sentence(&a, &b), "X's publication date is unknown");
        assert_eq!(
            gap_sentence(&a, &h(None, None)),
            "Neither publication date is known"
        );
        let c = h(None, Some("2022-09-03T10:00:00Z"));
        assert_eq!(gap_sentence(&b, &c), "B published 2 days after A");
        let same = h(Some("Y"), Some("2022-09-05T10:00:00Z"));
        assert_eq!(
            gap_sentence(&b, &same),
            "B (Y) published 4 days after A (Y)"
        );
    }
}
