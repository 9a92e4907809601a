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
        }
    }

    /// The publication time as shown in the header: `2022-09-01 10:21 UTC`, or `date unknown`.
    pub fn published_label(&self) -> String {
        match self.published {
            Some(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            None => "date unknown".to_string(),
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
    let (ta, tb) = match (a.published, b.published) {
        (Some(ta), Some(tb)) => (ta, tb),
        (None, None) => return "Neither publication date is known".to_string(),
        (None, Some(_)) => return format!("{na}'s publication date is unknown"),
        (Some(_), None) => return format!("{nb}'s publication date is unknown"),
    };
    let (later, earlier, t_late, t_early) = if tb >= ta {
        (&nb, &na, tb, ta)
    } else {
        (&na, &nb, ta, tb)
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
        }
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
