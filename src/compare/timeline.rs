//! The timeline: the dates both reports mention, merged with their publication times, in order.
//!
//! A mention needs at least a month and a year (stated, or resolved from the publication date):
//! bare years say too little to place. Mentions of one date on both sides are one entry marked
//! with both sides. Within a day, mentions come before publications.

use serde::Serialize;

use super::{Header, PartialDate, Presence, Term, TermKind};

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimelineKind {
    /// A date mentioned in the text.
    Mentioned,
    /// A report's publication.
    Published,
}

/// One point of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    /// The date (day or month precision).
    pub date: PartialDate,
    /// Mentioned or published.
    pub kind: TimelineKind,
    /// A mentions it (or A was published then).
    pub a: bool,
    /// B mentions it (or B was published then).
    pub b: bool,
    /// How A writes the date (for mentions A has).
    pub a_text: Option<String>,
    /// How B writes the date (for mentions B has).
    pub b_text: Option<String>,
    /// For publications: the instant.
    pub time: Option<jiff::Timestamp>,
    /// For mentions: index into [`super::Comparison::terms`].
    pub term: Option<usize>,
}

impl TimelineEntry {
    /// The date as text, e.g. `2022-08-05`; publications add the time, `2022-09-01 10:21 UTC`.
    pub fn when(&self) -> String {
        match self.time {
            Some(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            None => self.date.iso(),
        }
    }
}

/// Builds the timeline from the date terms and the two headers.
pub fn build(terms: &[Term], a: &Header, b: &Header) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = terms
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TermKind::Date)
        .filter_map(|(i, t)| {
            let d = t.date?;
            (d.year.is_some() && d.month.is_some()).then(|| TimelineEntry {
                date: d,
                kind: TimelineKind::Mentioned,
                a: t.presence != Presence::OnlyB,
                b: t.presence != Presence::OnlyA,
                a_text: t.a.clone(),
                b_text: t.b.clone(),
                time: None,
                term: Some(i),
            })
        })
        .collect();
    for (h, is_a) in [(a, true), (b, false)] {
        if let Some(t) = h.published {
            let d = t.to_zoned(jiff::tz::TimeZone::UTC).date();
            out.push(TimelineEntry {
                date: PartialDate {
                    year: Some(d.year()),
                    month: Some(d.month()),
                    day: Some(d.day()),
                },
                kind: TimelineKind::Published,
                a: is_a,
                b: !is_a,
                a_text: None,
                b_text: None,
                time: Some(t),
                term: None,
            });
        }
    }
    out.sort_by(|x, y| {
        let k = |e: &TimelineEntry| {
            (
                e.date.year,
                e.date.month,
                e.date.day.unwrap_or(0),
                e.kind == TimelineKind::Published,
                e.time,
            )
        };
        k(x).cmp(&k(y))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_term(iso: (i16, i8, Option<i8>), a: Option<&str>, b: Option<&str>) -> Term {
        Term {
            kind: TermKind::Date,
            key: String::new(),
            a: a.map(Into::into),
            b: b.map(Into::into),
            a_count: a.is_some() as usize,
            b_count: b.is_some() as usize,
            presence: match (a.is_some(), b.is_some()) {
                (true, true) => Presence::Both,
                (true, false) => Presence::OnlyA,
                _ => Presence::OnlyB,
            },
            date: Some(PartialDate {
                year: Some(iso.0),
                month: Some(iso.1),
                day: iso.2,
            }),
        }
    }

    #[test]
    fn merges_mentions_and_publications_in_order() {
        let terms = [
            date_term((2022, 8, Some(30)), Some("8月30日"), None),
            date_term((2022, 10, Some(25)), None, Some("10月25日")),
            date_term((2022, 8, Some(5)), Some("8月5日"), None),
            date_term((2022, 8, None), None, Some("今年8月")),
            Term {
                date: Some(PartialDate {
                    year: Some(2022),
                    month: None,
                    day: None,
                }),
                ..date_term((2022, 1, None), Some("2022年"), None)
            },
        ];
        let a = Header {
            published: Some("2022-09-01T10:21:21Z".parse().unwrap()),
            ..Header::default()
        };
        let b = Header {
            published: Some("2022-10-26T01:34:17Z".parse().unwrap()),
            ..Header::default()
        };
        let t = build(&terms, &a, &b);
        let got: Vec<_> = t.iter().map(|e| (e.when(), e.a, e.b)).collect();
        assert_eq!(
            got,
            [
                ("2022-08".to_string(), false, true),
                ("2022-08-05".to_string(), true, false),
                ("2022-08-30".to_string(), true, false),
                ("2022-09-01 10:21 UTC".to_string(), true, false),
                ("2022-10-25".to_string(), false, true),
                ("2022-10-26 01:34 UTC".to_string(), false, true),
            ]
        );
        assert_eq!(t[1].a_text.as_deref(), Some("8月5日"));
        assert_eq!(t[3].kind, TimelineKind::Published);
    }
}
